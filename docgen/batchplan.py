"""A batch's plan — every town named, its output claimed, before any is rendered — and one town's work."""

from __future__ import annotations

import logging
import os
import pickle
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docgen.batchreport import SUMMARY_NAME, TownResult
from docgen.errors import DataError, DocgenError, EditedOutputError, OutputError, Place
from docgen.i18n import _
from docgen.loading import DataFile, load, peek, read_yaml
from docgen.model import Township
from docgen.output import Written, default_output
from docgen.workbook import TownFigures, merge, read_workbooks

# What renders one town: the written path with the check's warnings (a bare path, from a renderer
# made before renderers gave warnings back, is taken as a draft without any).
Renderer = Callable[[DataFile, Path], Written | Path]

YAML_SUFFIXES = (".yaml", ".yml")
log = logging.getLogger("docgen")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Job:
    """One town of the run, in input order: its name, where it is written, what became of it.

    The plan reads only each file's ``town`` and ``year``; the town's data is loaded where it is
    rendered (`run_town`), so the process that plans a county holds no town's texts.
    """

    label: str
    source: Path | None
    year: int | None = None
    figures: TownFigures | None = None  # the workbook's figures, until handed to `run_town`
    target: Path | None = None
    result: TownResult | None = None
    summary: bytes | None = None  # `Outcome.summary`, once the town is done or kept

    def fail(self, error: str) -> TownResult:
        """Put the town on record as failed with ``error``; return its result."""
        self.result = TownResult(self.label, "failed", error=error, source=self.source)
        return self.result

    def task(self) -> Task:
        """What `run_town` needs; the workbook's figures go with it and are not kept here."""
        assert self.source is not None and self.year is not None and self.target is not None
        task = Task(self.label, self.source, self.year, self.target, self.figures)
        self.figures = None
        return task


@dataclass(frozen=True)
class Task:
    """One town to render, as sent to a worker: small, so that sending it costs little."""

    label: str
    source: Path
    year: int
    target: Path
    figures: TownFigures | None = None


@dataclass(frozen=True)
class Outcome:
    """What `run_town` gives back: the town's result, and its figures for the summary.

    The figures come packed (`pack_figures`, about 0.5 kB; the model itself takes about 10 kB in
    memory): the process that gathers a county's thousands of towns keeps them small.
    """

    result: TownResult
    summary: bytes | None = None


def collect(sources: Iterable[Path | str]) -> tuple[list[Path], list[Path]]:
    """The YAML files (a folder's, by name) and the workbooks among ``sources``, each once.

    A folder's workbooks are not read — it may hold last year's, or a list of contacts — but each is
    named in a warning on the ``docgen`` logger unless it is among ``sources`` too; an earlier run's
    summary workbook and the lock files Excel and WPS leave are passed over in silence.
    """
    data: list[Path] = []
    books: list[Path] = []
    seen: set[str] = set()
    folders: dict[Path, Path] = {}  # each folder's real path, resolved once (a county's files share one)
    unnamed: dict[str, Path] = {}  # a folder's workbooks, by key

    def key_of(path: Path) -> str:
        if path.is_symlink():
            real = path.resolve()
        else:
            folder = folders.get(path.parent)
            if folder is None:
                folder = folders[path.parent] = path.parent.resolve()
            real = folder / path.name
        return os.path.normcase(str(real))

    def add(path: Path, into: list[Path]) -> None:
        key = key_of(path)
        if key not in seen:
            seen.add(key)
            into.append(path)

    for source in map(Path, sources):
        suffix = source.suffix.lower()
        if source.is_dir():
            for path in sorted(source.iterdir(), key=lambda p: p.name):
                if path.name.startswith((".", "~$")) or not path.is_file():
                    continue
                if path.suffix.lower() in YAML_SUFFIXES:
                    add(path, data)
                elif path.suffix.lower() in WORKBOOK_SUFFIXES and path.name != SUMMARY_NAME:
                    unnamed.setdefault(key_of(path), path)
        elif not source.exists():
            raise DataError(_("no such file or folder"), Place(source))
        elif suffix in YAML_SUFFIXES:
            add(source, data)
        elif suffix in WORKBOOK_SUFFIXES:
            add(source, books)
        elif suffix == ".xls":
            raise DataError(_("an old-format .xls workbook; save it as .xlsx"), Place(source))
        else:
            raise DataError(_("not a YAML data file (.yaml), a folder of them, or an .xlsx "
                               "workbook"), Place(source))
    for key, path in unnamed.items():
        if key not in seen:  # helper-31: the county's workbook beside the YAML files was left out unsaid
            log.warning(_("{path} was not read: a folder gives its YAML files only; name a statistics "
                          "workbook on the command line to use its figures").format(path=path))
    return data, books


def plan(data_paths: Sequence[Path], books: Sequence[Path], output_dir: Path) -> list[Job]:
    """Every town to do, in input order, with its workbook figures and its output path.

    Files that cannot be read, and workbook towns with no data file, come back with a failed
    result; a file whose data does not validate fails later, when `run_town` loads it. Two towns
    that would write the same file raise `OutputError`, since nothing may be written then.
    """
    figures = read_workbooks(books)
    if not data_paths and not figures:
        raise DataError(_("no data files found (*.yaml)"))
    planned = [_identify(path) for path in data_paths]
    claimed = Counter(job.label for job in planned)
    for job in planned:
        found = figures.get(job.label)
        if found is None or job.result is not None:
            continue
        claiming = [other for other in planned if other.label == job.label]
        if found.year is not None:  # the workbook's title names its year: the file of that year
            claiming = [other for other in claiming if other.year == found.year.value] or claiming
        if job not in claiming:
            continue
        if len(claiming) > 1:
            job.fail(f"{found.place}: " + _(
                "the workbook's figures for {town} match {n} data files ({files}); give the batch "
                "one data file per town").format(town=job.label, n=len(claiming), files=", ".join(
                    str(other.source) for other in claiming)))
        else:
            job.figures = found
    for town, found in figures.items():
        if town not in claimed:
            job = Job(town, None)
            job.fail(str(Place(found.place.file, field=found.place.field)) + ": " + _(
                "the workbook has figures for {town} but no data file gives its text; add a YAML "
                "file with 'town: {town}'").format(town=town))
            planned.append(job)
    _assign_outputs(planned, output_dir)
    return planned


def _identify(path: Path) -> Job:
    """The job of one data file, named by its town and year; a failed one when it cannot be named.

    The top-level lines name almost every file (`peek`); any other is loaded in full, which names
    the town or says what is wrong with the file.
    """
    try:
        named = peek(path)
        if named is None:
            township = load(path).township
            named = township.town, township.year
    except DocgenError as exc:
        job = Job(_town_name(path) or path.name, path)
        job.fail(str(exc))
        return job
    return Job(named[0], path, named[1])


def _town_name(path: Path) -> str | None:
    """The ``town`` of a data file that does not validate, when it can be read at all."""
    try:
        data, _lines = read_yaml(path)
    except DocgenError:
        return None
    town = data.get("town") if isinstance(data, dict) else None
    return town.strip() if isinstance(town, str) and town.strip() else None


def _assign_outputs(planned: Sequence[Job], output_dir: Path) -> None:
    owners: dict[str, Job] = {}
    clashes: list[str] = []
    real_dir = output_dir.resolve()
    for job in planned:
        if job.result is not None or job.year is None:
            continue
        try:
            job.target, real = default_output(output_dir, job.label, job.year, real_dir)
        except DocgenError as exc:
            job.fail(str(exc))
            continue
        key = os.path.normcase(str(real))
        if key in owners:
            clashes.append(_("{first} and {second} would both write {path}").format(
                first=owners[key].source, second=job.source, path=job.target))
        else:
            owners[key] = job
    if clashes:
        raise OutputError(_("{clashes}; nothing was written: keep one data file per town and "
                            "year").format(clashes="; ".join(clashes)))


def run_town(task: Task, render: Renderer) -> Outcome:
    """Load, validate and merge one town's data, then render it to its planned target.

    Every error of the town's own (its data, its draft, a bug met on its way) ends in its result:
    one town never costs the others their documents.
    """
    label, source = task.label, task.source
    summary: bytes | None = None
    try:
        data = load(source)
        if task.figures is not None:
            data = merge(data, task.figures)
        township = data.township
        if (township.town, township.year) != (label, task.year):
            raise RuntimeError(f"{source} was planned as {label} {task.year} but loads as "
                               f"{township.town} {township.year}")
        summary = pack_figures(township)
        written = render(data, task.target)
        if isinstance(written, Path):
            written = Written(written)
        return Outcome(TownResult(label, "done", path=written.path, source=source,
                                  warnings=written.warnings), summary)
    except EditedOutputError as exc:
        return Outcome(TownResult(label, "skipped", path=Path(exc.place.file or ""), error=str(exc),
                                  source=source), summary)
    except DocgenError as exc:
        return Outcome(TownResult(label, "failed", error=str(exc), source=source))
    except Exception as exc:  # a bug in docgen must not cost the other towns their documents
        return Outcome(TownResult(label, "failed", source=source, error=_(
            "unexpected error (a bug in docgen; please report it): {error}").format(error=repr(exc))))


@dataclass(frozen=True, slots=True)
class SummaryIndicator:
    """What the summary workbook reads of an indicator (`docgen.summary.IndicatorLike`)."""

    name: str
    unit: str
    value: Decimal
    previous: Decimal | None
    is_rate: bool
    adds_up: bool


@dataclass(frozen=True, slots=True)
class SummaryTown:
    """What the summary workbook reads of a town (`docgen.summary.TownLike`): a tenth of the
    model's size, and unpickled four times as fast."""

    town: str
    year: int
    through_month: int
    indicators: dict[str, SummaryIndicator]


def pack_figures(township: Township) -> bytes:
    """What the summary workbook needs of the town, pickled and deflated (about 0.5 kB): what the
    process gathering a county's thousands of towns keeps of each."""
    indicators = tuple((code, i.name, i.unit, i.value, i.previous, i.is_rate, i.adds_up)
                       for code, i in township.indicators.items())
    record = (township.town, township.year, township.through_month, indicators)
    return zlib.compress(pickle.dumps(record, pickle.HIGHEST_PROTOCOL), 1)


def unpack_figures(packed: bytes) -> SummaryTown:
    """The town `pack_figures` packed."""
    town, year, through_month, indicators = pickle.loads(zlib.decompress(packed))
    return SummaryTown(town, year, through_month, {
        code: SummaryIndicator(name, unit, value, previous, is_rate, adds_up)
        for code, name, unit, value, previous, is_rate, adds_up in indicators})
