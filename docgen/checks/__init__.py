"""`docgen check`: find the genre's classic slips (blank numbers, wrong years, xx…) in any .docx."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docgen.checks.checker import check_blocks, check_document, has_errors
from docgen.checks.model import CATEGORIES, Block, Category, Finding, Severity
from docgen.checks.reading import blocks_from_docx, blocks_from_members, read_blocks
from docgen.checks.report import format_text, place, to_json
from docgen.errors import CheckError, Place
from docgen.i18n import _

__all__ = ["CATEGORIES", "Block", "Category", "Finding", "Severity", "blocks_from_docx",
           "blocks_from_members", "check_blocks", "check_document",
           "format_text", "has_errors", "read_blocks", "require_clean", "to_json"]


def require_clean(path: Path, findings: Sequence[Finding]) -> None:
    """Refuse a document that carries an error-level finding: `render` calls this on what it wrote.

    :raises CheckError: naming the file, the place and the message of each error-level finding.
    """
    errors = [f for f in findings if f.severity == "error"]
    if not errors:
        return
    first = errors[0]
    lines = [f"{place(f)}: [{f.category}] {f.message}: {f.snippet}" for f in errors]
    message = _("the document carries {count} error(s) found by the check:\n{details}").format(
        count=len(errors), details="\n".join(lines))
    if first.part is not None:  # "footer 1, paragraph 2": no body paragraph to name
        raise CheckError(message, Place(path, field=place(first)))
    raise CheckError(message, Place(path, paragraph=None if first.cell else first.paragraph))
