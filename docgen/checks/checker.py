"""Running every rule over a document's blocks, in document order."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docgen.checks import rules_arith, rules_structure, rules_text, rules_year
from docgen.checks.model import Block, Finding
from docgen.checks.prepared import prepare
from docgen.checks.reading import read_blocks


def check_blocks(blocks: Sequence[Block], year: int | None = None) -> list[Finding]:
    """Every finding in ``blocks``, sorted by place; ``year`` None → the year in the title."""
    items = prepare(blocks)
    report_year = year if year is not None else rules_year.report_year(items)
    found: list[Finding] = []
    for item in items:
        found.extend(rules_text.check(item))
    found.extend(rules_year.check(items, report_year))
    found.extend(rules_arith.check(items))
    found.extend(rules_structure.check(items, report_year))
    if not found:
        return found
    order = {_place(b.index if b.is_paragraph else None, b.cell): n for n, b in enumerate(blocks)}
    return sorted(found, key=lambda f: (order.get(_place(f.paragraph, f.cell), len(order)),
                                        f.start, f.end))


def _place(paragraph: int | None, cell: tuple[int, int, int] | None) -> tuple[int, int, int, int]:
    return (paragraph or 0, *(cell or (0, 0, 0)))


def check_document(path: Path, year: int | None = None) -> list[Finding]:
    """Every finding in the .docx at ``path``.

    :raises CheckError: when the file is missing or not a readable .docx (the message names it).
    """
    return check_blocks(read_blocks(Path(path)), year)


def has_errors(findings: Sequence[Finding]) -> bool:
    """True when any finding is error-level (the document must not go out as it is)."""
    return any(f.severity == "error" for f in findings)
