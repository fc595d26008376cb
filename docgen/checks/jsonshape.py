"""The documented shape of `docgen check --format json`, as pydantic models and their JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from docgen.checks.model import Category
from docgen.schemas import model_schema, schema_text

SCHEMA_FILE = Path(__file__).with_name("report.schema.json")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class CellModel(_Strict):
    """A table cell: table, row and column, each counted from 1 in body order."""

    table: int = Field(ge=1)
    row: int = Field(ge=1)
    column: int = Field(ge=1)


class PartModel(_Strict):
    """The part of the document a finding is in outside the body: its kind, and its number among the
    document's headers (or footers), counted from 1 in the order the document first refers to each;
    among its footnotes (or endnotes), counted from 1 in their part's order; or among its text boxes,
    counted from 1 in the body's order, then the headers', the footers', the footnotes', the
    endnotes'."""

    kind: Literal["header", "footer", "footnote", "endnote", "textbox"]
    number: int = Field(ge=1)


class FindingModel(_Strict):
    """One finding. ``paragraph`` and ``cell`` are both null for a finding about the whole document;
    they count in the body, or in the part ``part`` names."""

    category: Category
    severity: Literal["error", "warning"]
    message: str = Field(min_length=1, description="in the user's language")
    part: PartModel | None = Field(description="the header, footer, note or text box; null in the body")
    paragraph: int | None = Field(ge=1, description="paragraph, counted from 1 in the body or in "
                                                    "the part")
    cell: CellModel | None
    start: int = Field(ge=0, description="offset of the spot in the paragraph or cell text")
    end: int = Field(ge=0)
    snippet: str = Field(description="the text around the spot, the spot between 【 and 】")


class FileModel(_Strict):
    """The findings of one document, or why it could not be read."""

    path: str
    error: str | None = Field(description="why the file could not be read (it has no findings "
                                           "then); null when it was read")
    errors: int = Field(ge=0)
    warnings: int = Field(ge=0)
    findings: list[FindingModel]


class SummaryModel(_Strict):
    """Totals over every document checked."""

    files: int = Field(ge=0)
    unreadable: int = Field(ge=0, description="files that could not be read")
    errors: int = Field(ge=0)
    warnings: int = Field(ge=0)


class ReportModel(_Strict):
    """The JSON report of `docgen check`."""

    version: Literal[3]
    summary: SummaryModel
    files: list[FileModel]


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the report."""
    return model_schema(ReportModel, "docgen check report")


def json_schema_text() -> str:
    """The schema as report.schema.json holds it."""
    return schema_text(json_schema())
