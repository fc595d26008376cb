"""The command line: each command reads its options, calls one library function, prints the result.

Each command imports the library it calls (`docgen.api`, `docgen.batch`) when it runs: the
rendering stack (docxtpl, python-docx, Jinja, the checks) takes most of a second to import, which
``docgen --help``, ``docgen new`` and a batch's planning process do without.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import click

from docgen.batchreport import width
from docgen.engine import DEFAULT_ENGINE, ENGINES, Engine
from docgen.errors import DocgenError
from docgen.i18n import _, ngettext, translate_click

translate_click()
_FILE = click.Path(path_type=Path, dir_okay=False)
ENGINE_OPTION = click.option(
    "--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True,
    help=_("fast: the template compiled once; docxtpl: the plain reference path. Same output."))
_EXISTING = click.Path(path_type=Path, exists=True, dir_okay=False)


class Failed(click.ClickException):
    """A user's mistake, shown as one message (in the user's language) with exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(_("Error: {message}").format(message=self.format_message()), err=True)


class _HelpOption(click.Command):
    """A command whose --help option reads "Show this message and exit." in the language of the
    moment: click makes the option once and keeps it, in the language of its first use."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


class DocgenCommand(_HelpOption):
    """A command whose line in the command list is cut by the columns it takes: click cuts a help
    text at spaces, and a Chinese sentence has none (the list showed "..." alone)."""

    def get_short_help_str(self, limit: int = 45) -> str:
        text = self.short_help or self.help or ""
        first = " ".join(text.split("。", 1)[0].split())  # the first sentence, on one line
        if 2 * (width(first) - len(first)) <= len(first):  # mostly narrow characters: click's way
            return super().get_short_help_str(limit)
        if width(first) + 2 <= limit:
            return first + ("。" if "。" in text else "")
        while width(first) > limit - 1:
            first = first[:-1]
        return first.rstrip("，、；： ") + "…"


class DocgenGroup(click.Group, _HelpOption):
    """The command group; the one place where a `DocgenError` becomes a message and exit 1, and a
    Ctrl-C exit 130 (click's own "Aborted!" would be exit 1, which a batch script reads as a failure
    of the data)."""

    command_class = DocgenCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DocgenError as exc:
            raise Failed(str(exc)) from None
        except KeyboardInterrupt:
            click.echo(_("interrupted: files being written were completed or not written at all"),
                       err=True)
            raise click.exceptions.Exit(130) from None


@click.group(cls=DocgenGroup, help=_(
    "Write the township annual work summary (乡镇年度工作总结) as a Word document "
    "from a YAML data file and a .docx template."))
@click.version_option(package_name="docgen", prog_name="docgen")
@click.option("-v", "--verbose", is_flag=True,
              help=_("Also say how each document was made (e.g. when the fast engine hands a "
                     "template to docxtpl)."))
def cli(verbose: bool) -> None:
    show_log(logging.INFO if verbose else logging.WARNING)


def safe_output(streams: tuple[Any, ...] | None = None) -> None:
    """Never fail on a character the output's encoding lacks, and write UTF-8 where nothing says
    otherwise.

    Python writes a redirected stream in the locale's encoding, strictly: GBK on a Chinese
    Windows, where a town named with a character GBK lacks (𬇙), a "m²" or a "•" in a text stopped
    the report with a traceback after the drafts were written. A console, a redirected stream on
    Windows (where cmd and PowerShell read a program's output in the console's code page), and an
    encoding the user chose (PYTHONIOENCODING) keep their encoding, a character it lacks shown as
    "?"; elsewhere a file or a pipe gets UTF-8. JSON is written in UTF-8 in any case (`echo_json`).
    """
    chosen = bool(os.environ.get("PYTHONIOENCODING"))
    for stream in streams if streams is not None else (sys.stdout, sys.stderr):
        reconfigure: Any = getattr(stream, "reconfigure", None)
        interactive = _is_console(stream)
        if reconfigure is None or interactive is None or \
                (stream.encoding or "").lower().replace("-", "") == "utf8":
            continue
        if interactive or chosen or sys.platform == "win32":
            reconfigure(errors="replace")
        else:
            reconfigure(encoding="utf-8", errors="strict")


def _is_console(stream: Any) -> bool | None:
    """Whether ``stream`` is a console (None when it cannot say: closed, or not a real stream)."""
    try:
        return bool(stream.isatty())
    except (OSError, ValueError, AttributeError):
        return None


def echo_json(text: str) -> None:
    """Print JSON: to a console as text, to a file or a pipe as UTF-8 bytes, as JSON is exchanged
    (RFC 8259), whatever the output's encoding."""
    stream = sys.stdout
    binary = getattr(stream, "buffer", None)
    if _is_console(stream) or binary is None:
        click.echo(text, nl=False)
        return
    stream.flush()
    binary.write(text.encode("utf-8"))
    binary.flush()


class _LogToStderr(logging.Handler):
    """docgen's log on stderr: warnings as 'Warning: …', notes as they are."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            message = _("Warning: {message}").format(message=message)
        click.echo(message, err=True)


def show_log(level: int) -> None:
    """Send the ``docgen`` logger's records of ``level`` and above to stderr, once."""
    logger = logging.getLogger("docgen")
    logger.setLevel(level)
    if not any(isinstance(h, _LogToStderr) for h in logger.handlers):
        logger.addHandler(_LogToStderr())


@cli.command(help=_("Write the summary of one township; print the document's path."))
@click.argument("data", type=_EXISTING)
@click.option("-t", "--template", type=_EXISTING, help=_("A .docx template (default: the shipped one)."))
@click.option("-o", "--output", type=click.Path(), callback=lambda _c, _p, v: output_path(v),
              help=_("The .docx to write, or a folder: an existing one, or a name without a suffix "
                     "(default: output/<town><year>年工作总结.docx)."))
@click.option("--force", is_flag=True, help=_("Replace the output even if an editor changed it."))
@click.option("--pdf", is_flag=True, help=_("Also write a PDF beside it (needs LibreOffice)."))
@ENGINE_OPTION
def render(data: Path, template: Path | None, output: Path | None, force: bool, pdf: bool,
           engine: Engine) -> None:
    from docgen import api

    path = api.render(data, template, output, force=force, engine=engine)
    click.echo(path)
    if pdf:
        write_pdfs([path])


def output_path(value: str | None) -> Path | None:
    """``-o``: a name ending in / or \\ is a folder, made if it is not there yet."""
    if value is None:
        return None
    path = Path(value)
    if value.endswith(("/", "\\")):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise Failed(_("cannot make the folder {path}: {reason}").format(
                path=path, reason=exc.strerror)) from None
    return path


def write_pdfs(documents: list[Path], *, timing: bool = False) -> None:
    """Make the PDFs of ``documents`` in one LibreOffice run; print each, warn of stand-in fonts."""
    from docgen import api

    started = time.perf_counter()
    pdfs, warnings = api.make_pdfs(documents)
    seconds = time.perf_counter() - started
    for made in pdfs:
        click.echo(made)
    if timing and pdfs:
        click.echo(_("{count} PDFs in {seconds:.1f} s ({each:.2f} s a document, one LibreOffice run)")
                   .format(count=len(pdfs), seconds=seconds, each=seconds / len(pdfs)))
    for warning in warnings:
        click.echo(_("Warning: {message}").format(message=warning), err=True)


@cli.command(help=_("Render a township and picture one page of it as PNG (needs LibreOffice)."))
@click.argument("data", type=_EXISTING)
@click.option("-o", "--output", type=_FILE,
              help=_("The PNG to write (default: output/<town><year>年工作总结-p<page>.png)."))
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True,
              help=_("Which page."))
@click.option("-t", "--template", type=_EXISTING, help=_("A .docx template (default: the shipped one)."))
def preview(data: Path, output: Path | None, page: int, template: Path | None) -> None:
    from docgen import api

    click.echo(api.preview(data, page, output, template))


@cli.command(help=_("Check data files without writing anything; list every problem with its place, "
                    "the slips render's check would refuse in the draft included, and the warnings "
                    "render would print. Exit 1 if a file has a problem."))
@click.argument("data", nargs=-1, required=True, type=_FILE)
@click.option("-t", "--template", type=_EXISTING,
              help=_("The template the drafts would be rendered with (default: the shipped one)."))
def validate(data: tuple[Path, ...], template: Path | None) -> None:
    from docgen import api

    failed = 0
    for path in data:
        problems, warnings = api.validate_all(path, template)
        for problem in problems:
            click.echo(str(problem))
        for warning in warnings:  # as render prints them: the draft would be written
            click.echo(_("Warning: {message}").format(message=warning))
        if problems:
            failed += 1
        elif warnings:
            click.echo(ngettext("{path}: valid, with {n} warning", "{path}: valid, with {n} warnings",
                                len(warnings)).format(path=path, n=len(warnings)))
        else:
            click.echo(_("{path}: valid").format(path=path))
    if failed:
        fail(_("{failed} of {total} files have problems").format(failed=failed, total=len(data)))


@cli.command(help=_("Write a commented data file to fill in for TOWN and a year."))
@click.argument("town")
@click.option("--year", type=click.IntRange(1949, 2100), required=True, help=_("The report year."))
@click.option("--from", "last_year", type=_EXISTING,
              help=_("The town's data file of the year before: its values become this year's 'previous'."))
@click.option("-o", "--output", type=click.Path(), callback=lambda _c, _p, v: output_path(v),
              help=_("The .yaml to write, or a folder (default: <town><year>.yaml)."))
@click.option("--force", is_flag=True, help=_("Replace an existing file."))
def new(town: str, year: int, last_year: Path | None, output: Path | None, force: bool) -> None:
    from docgen.scaffold import new_data_file

    click.echo(new_data_file(town, year, last_year=last_year, output=output, force=force))


@cli.command(help=_("Find the genre's classic slips in drafts (.docx), generated or typed: blank "
                    "numbers, wrong years, xx, shares that contradict their figures, skipped "
                    "ordinals. Exit 1 when any error-level finding exists."))
@click.argument("files", nargs=-1, required=True, type=_FILE)
@click.option("--year", type=click.IntRange(1949, 2100),
              help=_("The report year (default: the year in each document's title)."))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help=_("How to print the findings."))
def check(files: tuple[Path, ...], year: int | None, output_format: str) -> None:
    from docgen import api
    from docgen.checks import format_text, has_errors, to_json

    results: dict[Path, list[Any]] = {}
    unreadable: dict[Path, str] = {}
    messages: list[str] = []
    for path in files:  # one unreadable file must not hide the others' findings
        try:
            results.update(api.check([path], year))
        except DocgenError as exc:
            unreadable[path] = exc.message
            messages.append(str(exc))
    if output_format == "json":
        echo_json(to_json(results, unreadable))
    else:
        click.echo(format_text(results), nl=False)
    for message in messages:
        click.echo(_("Error: {message}").format(message=message), err=True)
    if unreadable or any(has_errors(findings) for findings in results.values()):
        raise SystemExit(1)


@cli.command(help=_("Print the JSON Schema of the data file."))
def schema() -> None:
    from docgen import api

    echo_json(api.schema_text())


@cli.command(help=_(
    "Write the summary of every town in SOURCE (YAML data files, folders of them, .xlsx workbooks "
    "with a 指标 sheet) and the summary workbook 汇总表.xlsx; print a table of what became of each "
    "town. Exit 1 if a town failed or the summary workbook could not be written, 130 if interrupted "
    "with Ctrl-C."))
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True,
                type=click.Path(path_type=Path, exists=True))
@click.option("-t", "--template", type=_EXISTING, help=_("A .docx template (default: the shipped one)."))
@click.option("-o", "--output-dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help=_("The folder to write into."))
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help=_("Towns rendered at once, in separate processes (default: the number of CPUs; on "
                     "Windows and macOS, one for fewer than 200 towns)."))
@click.option("--force", is_flag=True, help=_("Replace documents even if an editor changed them."))
@click.option("--pdf", is_flag=True,
              help=_("Also write a PDF beside each document, all in one LibreOffice run."))
@ENGINE_OPTION
def batch(sources: tuple[Path, ...], template: Path | None, output_dir: Path, jobs: int | None,
          force: bool, pdf: bool, engine: Engine) -> None:
    from docgen.batch import batch as run_batch
    from docgen.batchreport import console_progress, report

    result = run_batch(sources, template, output_dir, jobs=jobs, force=force, engine=engine,
                       progress=console_progress())
    click.echo(report(result), nl=False)
    if result.interrupted:
        click.get_current_context().exit(result.exit_code)
    done = [r.path for r in result.results if r.status == "done" and r.path is not None]
    if pdf and done:
        write_pdfs(done, timing=True)
    if result.count("failed"):
        fail(_("{failed} of {total} towns failed").format(failed=result.count("failed"),
                                                          total=len(result.results)))
    if result.exit_code:
        fail(_("the summary workbook was not written"))


def fail(message: str) -> NoReturn:
    """Stop the command with ``message`` and exit status 1."""
    raise Failed(message)


def main() -> None:
    """The console entry point (a Ctrl-C as click starts is exit 130 too, without a traceback)."""
    safe_output()
    try:
        cli(prog_name="docgen")
    except KeyboardInterrupt:
        raise SystemExit(130) from None
