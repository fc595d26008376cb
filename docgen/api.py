"""The library entry points: one function per job, each what a CLI command calls."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from docgen.checks import Finding, blocks_from_members, check_blocks, check_document, require_clean
from docgen.checks.reading import UNREADABLE
from docgen.checks.report import place
from docgen.context import build_context
from docgen.engine import DEFAULT_ENGINE, Engine, render_package
from docgen.errors import CheckError, ConversionError, DocgenError, OutputError, Place, Problem
from docgen.fonts import substituted_fonts
from docgen.i18n import _
from docgen.loading import DataFile, load
from docgen.model import Township
from docgen.output import (
    Written,
    document_name,
    guard_existing,
    provenance,
    refuse_overwriting_inputs,
    resolve_output,
    write_atomic,
)
from docgen.pdf import convert_to_pdf
from docgen.schemas import model_schema
from docgen.schemas import schema_text as schema_file_text
from docgen.templates import default_template

DEFAULT_OUTPUT_DIR = Path("output")
log = logging.getLogger("docgen")


def render(data: Path | str, template: Path | str | None = None, output: Path | str | None = None,
           *, force: bool = False, output_dir: Path | str = DEFAULT_OUTPUT_DIR,
           engine: Engine = DEFAULT_ENGINE) -> Path:
    """Write the summary of the township in the data file ``data``; return the document's path.

    :param data: the township's YAML data file.
    :param template: a docxtpl .docx template; default: the shipped annual-summary.docx.
    :param output: the .docx to write, or a folder for it; default ``output_dir/<town><year>年工作总结.docx``.
    :param force: replace an existing output even if an editor changed it.
    :param output_dir: the folder of the default output name.
    :param engine: "fast" (the template compiled once per process) or "docxtpl" (the plain
        reference path, a new DocxTemplate per document); both write the same XML.
    :raises DocgenError: for any problem in the data, the template or the output.
    """
    data_file = load(Path(data))
    return render_loaded(data_file, template, output, force=force, output_dir=output_dir,
                         engine=engine, warn=True)


def render_loaded(data_file: DataFile, template: Path | str | None = None,
                  output: Path | str | None = None, *, force: bool = False,
                  output_dir: Path | str = DEFAULT_OUTPUT_DIR,
                  engine: Engine = DEFAULT_ENGINE, warn: bool = False) -> Path:
    """`render` for a township already loaded (batch runs merge figures in before this).

    ``warn``: log the check's warnings on the ``docgen`` logger (a single render shows them).
    """
    return render_written(data_file, template, output, force=force, output_dir=output_dir,
                          engine=engine, warn=warn).path


def render_written(data_file: DataFile, template: Path | str | None = None,
                   output: Path | str | None = None, *, force: bool = False,
                   output_dir: Path | str = DEFAULT_OUTPUT_DIR,
                   engine: Engine = DEFAULT_ENGINE, warn: bool = False) -> Written:
    """`render_loaded`, giving back the check's warnings with the path (a batch reports them by town)."""
    township = data_file.township
    try:
        target = resolve_output(Path(output) if output is not None else None, Path(output_dir),
                                township.town, township.year)
    except OutputError as exc:
        if exc.place.file is not None:
            raise
        raise OutputError(exc.message, data_file.place(("town",))) from None  # the name is the town's
    template_path = Path(template) if template is not None else default_template()
    refuse_overwriting_inputs(target, data_file.path, template_path)
    guard_existing(target, force=force)
    context = build_context(data_file)
    docx, members, document = render_package(template_path, context, engine)
    warnings = self_check(members, target, township.year, data_file, warn=warn, document=document)
    write_atomic(target, docx)
    return Written(target, warnings)


def self_check(members: Mapping[str, bytes], target: Path, year: int,
               data_file: DataFile | None = None, *, warn: bool = False,
               document: Any = None) -> tuple[str, ...]:
    """Refuse a rendered document that carries a slip `docgen check` calls an error; return its
    warnings, each as ``place: [category] message`` (``warn``: also log them on the ``docgen``
    logger, before any error is raised, as a single render shows them).

    ``members`` are the rendered package's parts, unzipped, and ``document`` its document part's
    tree when the renderer has it (`docgen.engine.render_package`). Runs on them before anything is
    written, so a refused draft leaves no file; the template's own text is checked with the data's.
    Where a slip's text is in the data file, the message names its line, which is what the user has
    to correct.
    """
    try:
        blocks = blocks_from_members(members, document)
    except UNREADABLE as exc:  # the template's own XML (a required attribute missing…)
        raise CheckError(_("nothing was written: the template's XML cannot be read: {reason}")
                         .format(reason=exc), Place(target)) from None
    findings = check_blocks(blocks, year, last_month=data_file.township.through_month
                            if data_file is not None else None)
    warned = [finding for finding in findings if finding.severity == "warning"]
    data_text = _data_text(data_file) if warned else []  # read once for all the warnings
    warnings = tuple(f"{place(finding)}: [{finding.category}] {finding.message}"
                     f"{_in_data(data_file, data_text, finding)}" for finding in warned)
    for warning in warnings if warn else ():
        log.warning("%s: %s", target, warning)
    try:
        require_clean(target, findings)
    except CheckError as exc:
        errors = [finding for finding in findings if finding.severity == "error"]
        lines = [f"{data_file.path}:{n}" for n in _data_lines(data_file, errors)] \
            if data_file is not None else []
        where = _(" (in the data: {lines})").format(lines=", ".join(lines)) if lines else \
            _(" (not found as written in the data: the template writes it, or a figure docgen "
              "computed)")
        raise CheckError(_("nothing was written{where}: {message}").format(
            where=where, message=exc.message), exc.place) from None
    return warnings


def _in_data(data_file: DataFile | None, data_text: list[str], finding: Finding) -> str:
    """" (in the data: file:line)" for a finding whose text is in ``data_text``, the data file's
    lines, else ""."""
    if data_file is None:
        return ""
    lines = [f"{data_file.path}:{n}" for n in _lines_holding(data_text, finding.snippet)]
    return _(" (in the data: {lines})").format(lines=", ".join(lines)) if lines else ""


def _data_text(data_file: DataFile | None) -> list[str]:
    """The data file's lines ([] when there is none, or it cannot be read again)."""
    if data_file is None:
        return []
    try:
        return data_file.path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return []


def _data_lines(data_file: DataFile | None, findings: list[Finding]) -> list[int]:
    """The lines of the data file holding the marked text of ``findings``."""
    text = _data_text(data_file)
    found = []
    for finding in findings:
        found += _lines_holding(text, finding.snippet)
    return list(dict.fromkeys(found))


def _lines_holding(lines: list[str], snippet: str) -> list[int]:
    """The lines holding a snippet's marked spot: with as much of the text around it as a line
    holds (a spot as short as "xx" or "二是" is in many lines; its neighbours tell which)."""
    left, _mark, rest = snippet.partition("【")
    spot, _mark, right = rest.partition("】")
    left, right = left.removeprefix("…")[-6:], right.removesuffix("…")[:6]
    for wanted in (left + spot + right, spot + right, left + spot, spot):
        wanted = wanted.strip()
        if len(wanted) < 2:
            continue
        found = [n for n, line in enumerate(lines, 1) if wanted in line]
        if found:
            return found
    return []


def check(paths: Iterable[Path | str], year: int | None = None) -> dict[Path, list[Finding]]:
    """The findings of `docgen check` in each .docx, typed or generated.

    :param year: the report year; default: the year in each document's title.
    :raises DocgenError: when a file is missing or not a readable .docx.
    """
    return {Path(p): check_document(Path(p), year) for p in paths}


def validate(data: Path | str, template: Path | str | None = None) -> list[Problem]:
    """Every problem in one data file — syntax, fields, figures, expressions, and the slips
    `render`'s check would refuse in the draft (rendered in memory with ``template``, default the
    shipped one: nothing is written); empty when valid."""
    return validate_all(data, template)[0]


def validate_all(data: Path | str, template: Path | str | None = None) \
        -> tuple[list[Problem], list[Problem]]:
    """`validate`'s problems, and the warnings `render` would print for the draft (each at the data
    file's line holding its text where it is found there)."""
    template_path = Path(template) if template is not None else None
    try:
        data_file = load(Path(data))
        context = build_context(data_file)
        template_path = template_path or default_template()
        _docx, members, document = render_package(template_path, context)
        blocks = blocks_from_members(members, document)
    except DocgenError as exc:
        return exc.problems, []
    except UNREADABLE as exc:
        return [Problem(Place(template_path), _("the template's XML cannot be read: {reason}")
                        .format(reason=exc))], []
    findings = check_blocks(blocks, data_file.township.year, last_month=data_file.township.through_month)
    problems = [p for f in findings if f.severity == "error" for p in _data_problems(data_file, f)]
    warnings = [p for f in findings if f.severity == "warning" for p in _data_problems(data_file, f)]
    return problems, warnings


def _data_problems(data_file: DataFile, finding: Finding) -> list[Problem]:
    """A finding of the draft's check as problems of the data file: at each line holding its marked
    text, else at the file, saying where the draft has it."""
    if finding.paragraph is None and finding.cell is None:  # of the whole draft: a part missing
        return [Problem(Place(data_file.path), _("the draft as a whole: [{category}] {message}").format(
            category=finding.category, message=finding.message))]
    message = f"[{finding.category}] {finding.message}: {finding.snippet}"
    lines = _data_lines(data_file, [finding])
    if lines:
        return [Problem(Place(data_file.path, line), message) for line in lines]
    return [Problem(Place(data_file.path), _(
        "the draft, at {place} (not found as written in the data: the template writes it, or a "
        "figure docgen computed): {message}").format(place=place(finding), message=message))]


def schema() -> dict[str, Any]:
    """The JSON Schema of the data file, for editors' completion and checking."""
    return model_schema(Township, "docgen township data (乡镇年度工作总结)")


def schema_text() -> str:
    """The JSON Schema as the text `docgen schema` prints and schema/township.schema.json holds."""
    return schema_file_text(schema())


def make_pdfs(documents: Iterable[Path | str]) -> tuple[list[Path], list[str]]:
    """PDFs beside ``documents`` through one LibreOffice process, and a warning per stand-in font.

    :raises ConversionError: LibreOffice missing (with how to install it) or a failed conversion.
    """
    paths = [Path(d) for d in documents]
    pdfs = convert_to_pdf(paths)
    return pdfs, [s.warning() for s in substituted_fonts(paths)]


def preview(data: Path | str, page: int = 1, output: Path | str | None = None,
            template: Path | str | None = None) -> Path:
    """Render the township in ``data`` and picture one page of it as a PNG; return the PNG's path.

    :param output: the PNG; default ``output/<town><year>年工作总结-p<page>.png``.

    A font the document names that LibreOffice stands in for here is logged as a warning on the
    ``docgen`` logger (the CLI shows it): the picture is not the page Word or WPS shows exactly.
    """
    from docgen.preview import preview as page_picture  # pypdfium2: only for this command

    data_file = load(Path(data))
    t = data_file.township
    with tempfile.TemporaryDirectory(prefix="docgen-preview-", ignore_cleanup_errors=True) as scratch:
        docx = render_loaded(data_file, template, Path(scratch), output_dir=Path(scratch))
        target = Path(output) if output is not None else \
            DEFAULT_OUTPUT_DIR / f"{document_name(t.town, t.year).removesuffix('.docx')}-p{page}.png"
        try:
            picture = page_picture(docx, page, target)
        except ConversionError as exc:  # its place is the scratch copy, gone when this returns
            raise ConversionError(exc.message, Place(Path(data))) from None
        for substitution in substituted_fonts([docx]):
            log.warning("%s: %s", picture, substitution.warning())
    draft = picture.with_name(document_name(t.town, t.year))
    if draft.is_file() and provenance(draft) == "edited":  # beside it, the draft an editor changed
        log.warning("%s: %s", picture, _("the draft {draft} was changed since docgen wrote it: this "
                                         "picture shows the data, not those changes").format(draft=draft))
    return picture
