"""The one exception hierarchy: every mistake a user can fix is a `DocgenError`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docgen.i18n import _


@dataclass(frozen=True)
class Place:
    """Where a problem is: a file, and within it a line, a field path or a template paragraph."""

    file: Path | str | None = None
    line: int | None = None
    field: str | None = None
    paragraph: int | None = None

    def __str__(self) -> str:
        head = str(self.file) if self.file is not None else ""
        if self.line is not None:
            head = f"{head}:{self.line}" if head else _("line {line}").format(line=self.line)
        if self.paragraph is not None:
            para = _("paragraph {n}").format(n=self.paragraph)
            head = f"{head}: {para}" if head else para
        if self.field:
            head = f"{head}: {self.field}" if head else self.field
        return head


@dataclass(frozen=True)
class Problem:
    """One thing wrong, with its place and a message a secretary can act on."""

    place: Place
    message: str

    def __str__(self) -> str:
        where = str(self.place)
        return f"{where}: {self.message}" if where else self.message


class DocgenError(Exception):
    """Base of every user-facing error: the CLI prints it and exits with status 1.

    A traceback from docgen is a bug in docgen; a mistake in the user's data,
    template or files is always one of these.
    """

    def __init__(self, message: str, place: Place | None = None) -> None:
        self.place = place or Place()
        self.message = message
        super().__init__(str(Problem(self.place, message)))

    @property
    def problems(self) -> list[Problem]:
        """Every problem this error stands for (one, unless it gathers several)."""
        return [Problem(self.place, self.message)]


class DataError(DocgenError):
    """The data file is wrong: its syntax, a field, a number or a text expression."""


class DataErrors(DataError):
    """Several problems found in one data file, reported together."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self._problems = list(problems)
        first = self._problems[0] if self._problems else Problem(Place(), "")
        super().__init__(first.message, first.place)
        self.args = ("\n".join(str(p) for p in self._problems),)

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    def __str__(self) -> str:
        return str(self.args[0])


class FigureError(DataError):
    """A figure cannot be computed from the data (growth from 0, a missing value…)."""


class ExpressionError(DataError):
    """A text expression such as ``{{ gdp.growth }}`` names something unknown or is unsafe."""


class TemplateError(DocgenError):
    """The Word template is not usable: not a .docx, a broken tag, an unsupplied variable."""


class OutputError(DocgenError):
    """The output cannot be written where asked: a bad name, a folder that is not there…"""


class EditedOutputError(OutputError):
    """The output exists and an editor changed it since docgen wrote it: it is kept."""


class ConversionError(DocgenError):
    """LibreOffice is missing or could not convert a document."""


class CheckError(DocgenError):
    """A generated document carries an error-level slip found by `docgen check`."""

