"""Running every rule over a document's blocks, in document order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from docgen.checks import rules_arith, rules_change, rules_structure, rules_table, rules_text, rules_year
from docgen.checks.model import Block, Finding, Part, document_finding
from docgen.checks.prepared import prepare
from docgen.checks.reading import read_blocks
from docgen.i18n import _

# A paragraph of underscores alone outside the body: a ruled line drawn with the keyboard.
_RULED_LINE = re.compile(r"\s*[_＿]{3,}\s*")


def check_blocks(blocks: Sequence[Block], year: int | None = None, *,
                 last_month: int | None = None) -> list[Finding]:
    """Every finding in ``blocks``, sorted by place; ``year`` None → the year in the title;
    ``last_month``: the last month the figures cover, when the data says it (`rules_year.check`).

    The body's blocks go through every rule; those of the headers, footers, notes and text boxes
    through the rules of a text's own words and years (they have no parts, ordinals or figures to
    add up).
    """
    body = [block for block in blocks if block.part is None]
    items = prepare(body)
    report_year = year if year is not None else rules_year.report_year(items)
    found: list[Finding] = []
    if report_year is None and any(item.text.strip() for item in items):
        found.append(document_finding("year", "warning", _(
            "no title names the report year, so the years were not checked: give it with --year")))
    for item in items:
        found.extend(rules_text.check(item))
        found.extend(rules_change.check(item))
    found.extend(rules_year.check(items, report_year, last_month))
    found.extend(rules_arith.check(items))
    found.extend(rules_table.check(items))
    found.extend(rules_text.repeated(items))
    found.extend(rules_text.repeated_paragraphs(items))
    found.extend(rules_structure.check(items, report_year))
    margins = prepare([block for block in blocks if block.part is not None])
    for item in margins:
        ruled = _RULED_LINE.fullmatch(item.block.text) is not None  # a line, not a blank to fill
        found.extend(f for f in rules_text.check(item) if not (ruled and f.category == "placeholder"))
        found.extend(rules_year.check_margin(item, report_year))
    found.extend(rules_text.repeated(margins))
    if not found:
        return found
    order = {_place(b.part, b.index if b.is_paragraph else None, b.cell): n
             for n, b in enumerate(blocks)}
    return sorted(found, key=lambda f: (order.get(_place(f.part, f.paragraph, f.cell), len(blocks)),
                                        f.start, f.end))


def _place(part: Part | None, paragraph: int | None, cell: tuple[int, int, int] | None) \
        -> tuple[Part | None, int, int, int, int]:
    return (part, paragraph or 0, *(cell or (0, 0, 0)))


def check_document(path: Path, year: int | None = None) -> list[Finding]:
    """Every finding in the .docx at ``path``.

    :raises CheckError: when the file is missing or not a readable .docx (the message names it).
    """
    return check_blocks(read_blocks(Path(path)), year)


def has_errors(findings: Sequence[Finding]) -> bool:
    """True when any finding is error-level (the document must not go out as it is)."""
    return any(f.severity == "error" for f in findings)
