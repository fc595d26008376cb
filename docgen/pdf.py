"""PDFs through LibreOffice: one soffice process per call, a private profile, docgen's font stand-ins."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import ConversionError, Place
from docgen.fonts import fontconfig_environment
from docgen.i18n import _

DEFAULT_TIMEOUT = 600.0  # seconds for one soffice run: a cold start plus a few seconds a document
SOFFICE_ENV = "DOCGEN_SOFFICE"  # the path of soffice, where it is not on PATH


@dataclass
class ConversionStats:
    """What `convert_to_pdf` did since the program started: soffice processes and documents."""

    processes: int = 0
    documents: int = 0


STATS = ConversionStats()


def find_soffice() -> Path | None:
    """LibreOffice's soffice: $DOCGEN_SOFFICE, then PATH, then where installers put it."""
    configured = os.environ.get(SOFFICE_ENV, "").strip().strip('"')  # set "C:\Program Files\…" quoted
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    candidates: list[Path] = []
    if sys.platform == "win32":
        for variable in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
            root = os.environ.get(variable)
            if root:
                candidates.append(Path(root) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((c for c in candidates if c.is_file()), None)


def require_soffice() -> Path:
    """soffice, or a `ConversionError` telling the user to install LibreOffice."""
    soffice = find_soffice()
    if soffice is None:
        raise ConversionError(
            _("LibreOffice is not installed: install LibreOffice (libreoffice-writer) to make PDFs"))
    return soffice


def soffice_command(soffice: Path, profile: Path, outdir: Path, documents: Sequence[Path]) -> list[str]:
    """The command line of one headless conversion of ``documents`` into ``outdir``."""
    return [str(soffice), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
            "--norestore", "--nolockcheck", "--nodefault", "--convert-to", "pdf",
            "--outdir", str(outdir), *(str(d) for d in documents)]


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End soffice and the office process it started: they share a session on POSIX; on Windows
    soffice.exe starts soffice.bin, and taskkill ends the tree (killing soffice.exe alone left
    soffice.bin running, holding the output pipe open)."""
    killpg = getattr(os, "killpg", None)
    if killpg is not None:
        with contextlib.suppress(OSError):
            killpg(process.pid, signal.SIGKILL)
    elif sys.platform == "win32":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True,
                           timeout=30, check=False)
    process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):  # a process outside the tree holding the pipe
        process.communicate(timeout=30)


def _run(command: list[str], timeout: float) -> str:
    """Run one soffice process to its end; its output, or a `ConversionError` on a time-out."""
    STATS.processes += 1
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=fontconfig_environment(),
                                   start_new_session=sys.platform != "win32")
    except OSError as exc:
        raise ConversionError(_("LibreOffice could not be started: {reason}").format(
            reason=exc.strerror or exc)) from None
    try:
        output, _unused = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise ConversionError(_("LibreOffice did not finish the PDFs within {seconds} seconds").format(
            seconds=round(timeout))) from None
    except BaseException:  # Ctrl-C: soffice would go on converting, and write into a deleted profile
        _kill(process)
        raise
    return output.decode("utf-8", "replace")


def _staged(documents: Sequence[Path], staging: Path) -> list[Path]:
    """The files to give soffice: the documents, or copies where two share a name.

    soffice names each PDF after its input, so inputs with the same name (from different
    folders) are copied under distinct names first.
    """
    inputs: list[Path] = []
    seen: set[str] = set()
    for index, document in enumerate(documents):
        key = document.stem.casefold()
        if key in seen:
            copy = staging / f"{index:04d}-{document.name}"
            shutil.copyfile(document, copy)
            inputs.append(copy)
        else:
            inputs.append(document)
        seen.add(key)
    return inputs


def _place(made: Path, target: Path) -> None:
    """Move a PDF soffice made into place; the target is replaced atomically, or left as it was."""
    partial = target.with_name(target.name + ".partial")
    try:
        shutil.copyfile(made, partial)
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def _place_all(made: Sequence[Path], targets: Sequence[Path]) -> None:
    """`_place` each PDF; one that cannot be written (open in a PDF reader, which locks it on
    Windows) does not keep the others from their places, and is named in the error."""
    failed: list[tuple[Path, OSError]] = []
    for pdf, target in zip(made, targets, strict=True):
        try:
            _place(pdf, target)
        except OSError as exc:
            failed.append((target, exc))
    if failed:
        target, first = failed[0]
        message = _("cannot write the PDF (is it open in a PDF reader, WPS or a browser?): {reason}").format(
            reason=first.strerror or first)
        if len(failed) > 1:
            message += _(" (and {count} more PDFs: {names})").format(
                count=len(failed) - 1, names="、".join(t.name for t, _exc in failed[1:]))
        raise ConversionError(message, Place(target))


def convert_to_pdf(docx_paths: Iterable[Path], outdir: Path | None = None,
                   timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
    """Convert .docx files to PDF with one LibreOffice process; return the PDFs' paths in order.

    Each PDF goes to ``outdir``, or beside its .docx when ``outdir`` is None. The run uses a
    private LibreOffice profile (an office the user has open neither blocks nor breaks it) and
    docgen's font substitutions (see `docgen.fonts`). Raises `ConversionError` when LibreOffice
    is missing, times out, or fails to convert a document (naming it).
    """
    documents = [Path(p).resolve() for p in docx_paths]
    if not documents:
        return []
    for document in documents:
        if not document.is_file():
            raise ConversionError(_("no such document"), Place(document))
    soffice = require_soffice()
    targets = [(outdir.resolve() if outdir is not None else d.parent) / f"{d.stem}.pdf"
               for d in documents]
    for folder in {t.parent for t in targets}:
        folder.mkdir(parents=True, exist_ok=True)
    # (on Windows a file soffice still holds cannot be deleted: that must not hide the error)
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-", ignore_cleanup_errors=True) as scratch:
        work = Path(scratch)
        made_dir, staging, profile = work / "pdf", work / "in", work / "profile"
        for folder in (made_dir, staging, profile):
            folder.mkdir()
        inputs = _staged(documents, staging)
        output = _run(soffice_command(soffice, profile, made_dir, inputs), timeout)
        STATS.documents += len(documents)
        made = [made_dir / f"{source.stem}.pdf" for source in inputs]
        for document, pdf in zip(documents, made, strict=True):
            if not pdf.is_file() or pdf.stat().st_size == 0:
                detail = output.strip().splitlines()[-1] if output.strip() else ""
                raise ConversionError(
                    _("LibreOffice could not convert this document to PDF ({detail})").format(
                        detail=detail or _("no output")), Place(document))
        _place_all(made, targets)
    return targets
