"""What a batch run shows: the progress while it runs, and the table of every town at the end."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from docgen.i18n import _

if TYPE_CHECKING:
    from tqdm import tqdm

Status = Literal["done", "failed", "skipped"]
SUMMARY_NAME = "汇总表.xlsx"  # the county's summary workbook, written beside the drafts


@dataclass(frozen=True)
class TownResult:
    """What became of one town: done (``path`` written), failed (``error``), skipped (kept, ``error``);
    ``warnings``: what the check of a written draft warns of, each as ``place: [category] message``."""

    town: str
    status: Status
    path: Path | None = None
    error: str | None = None
    source: Path | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchResult:
    """Every town's result in input order, the summary workbook (or why there is none, and the towns
    it leaves out), and whether Ctrl-C stopped the run."""

    results: list[TownResult]
    summary: Path | None = None
    summary_error: str | None = None
    interrupted: bool = False
    summary_left_out: tuple[str, ...] = ()
    summary_kept: bool = False  # not written because an editor changed it: kept, as a draft is

    def count(self, status: Status) -> int:
        """How many towns have ``status``."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def exit_code(self) -> int:
        """130 when interrupted (as a shell reports Ctrl-C), 1 when a town failed or the summary
        workbook could not be written (not when it was kept, an editor having changed it), else 0."""
        if self.interrupted:
            return 130
        failed_summary = self.summary_error is not None and not self.summary_kept
        return 1 if self.count("failed") or failed_summary else 0


def status_word(status: Status) -> str:
    """The status as the table shows it, in the user's language."""
    words = {"done": _("done"), "failed": _("failed"), "skipped": _("skipped")}
    return words[status]


class Progress:
    """Told about a batch as it runs; this base shows nothing."""

    def start(self, total: int) -> None:
        """The run has ``total`` towns."""

    def running(self, towns: Sequence[str]) -> None:
        """These towns are being done now."""

    def finished(self, result: TownResult) -> None:
        """One more town is finished."""

    def close(self) -> None:
        """The run is over (or interrupted)."""


class LineProgress(Progress):
    """One plain line per finished town, "[3/5] 沽东镇 done", for logs and pipes."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.total = 0
        self.count = 0

    def start(self, total: int) -> None:
        self.total = total

    def finished(self, result: TownResult) -> None:
        self.count += 1
        line = _("[{n}/{total}] {town} {status}").format(
            n=self.count, total=self.total, town=result.town, status=status_word(result.status))
        print(line, file=self.stream, flush=True)


class BarProgress(Progress):
    """A tqdm bar on a terminal: the towns being done, how many are finished, the time left."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar: tqdm[None] | None = None

    def start(self, total: int) -> None:
        from tqdm import tqdm  # imported for a terminal only: a run into a log starts without it

        self.bar = tqdm(total=total, file=self.stream, unit=_("town"), dynamic_ncols=True,
                        leave=False)

    def running(self, towns: Sequence[str]) -> None:
        if self.bar is not None:
            self.bar.set_description_str("、".join(towns), refresh=True)

    def finished(self, result: TownResult) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.refresh()  # a town takes longer than tqdm's throttle: show each one

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def console_progress(stream: TextIO | None = None) -> Progress:
    """A bar when ``stream`` (default: stderr) is a terminal, plain lines otherwise."""
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return BarProgress(stream) if isatty is not None and isatty() else LineProgress(stream)


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def report(result: BatchResult) -> str:
    """The end table (town, status, output or error, and the draft's warnings under it), then the
    counts and the summary workbook."""
    rows = [(r.town, status_word(r.status),
             "\n".join([str(r.path) if r.status == "done" else (r.error or str(r.path or "")),
                        *(_("Warning: {message}").format(message=w) for w in r.warnings)]))
            for r in result.results]
    heading = (_("town"), _("status"), _("output or error"))
    first = max(width(t) for t, _s, _o in [heading, *rows])
    second = max(width(s) for _t, s, _o in [heading, *rows])
    lines = []
    for town, status, outcome in [heading, *rows]:
        head, *rest = outcome.split("\n")
        lines.append(f"{_pad(town, first)}  {_pad(status, second)}  {head}".rstrip())
        lines.extend(" " * (first + second + 4) + line for line in rest)
    lines.append(_("{done} done, {failed} failed, {skipped} skipped").format(
        done=result.count("done"), failed=result.count("failed"), skipped=result.count("skipped")))
    warned = sum(1 for r in result.results if r.warnings)
    if warned:
        lines.append(_("{n} of the drafts have warnings: read them before the drafts go out")
                     .format(n=warned))
    if result.summary is not None:
        lines.append(_("summary workbook: {path}").format(path=result.summary))
        if result.summary_left_out:
            lines.append(_("  without the towns not done ({towns}), and so without totals")
                         .format(towns="、".join(result.summary_left_out)))
        kept = [r.town for r in result.results if r.status == "skipped"]
        if kept:  # helper-31: the summary had the new figures, the kept draft the old ones
            lines.append(_("  with this run's figures for {towns}, whose drafts were kept: they may "
                           "say otherwise").format(towns="、".join(kept)))
    elif result.summary_error is not None:
        lines.append(_("summary workbook not written: {reason}").format(reason=result.summary_error))
    if result.interrupted:
        lines.append(_("interrupted: the towns not done were left as they were; run the batch "
                       "again to do them"))
    return "\n".join(lines) + "\n"
