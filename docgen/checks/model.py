"""What the checker reads (blocks of text) and what it reports (findings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["paragraph", "cell"]
Margin = Literal["header", "footer"]
NoteKind = Literal["footnote", "endnote"]
PartKind = Literal["header", "footer", "footnote", "endnote", "textbox"]
#: The part of the document a block is in outside the body, and its number: among the document's
#: headers (or footers), counted in the order the document first refers to each; among its footnotes
#: (or endnotes), counted in their part's order; among its text boxes, counted in the body's order,
#: then the headers', the footers', the footnotes' and the endnotes'.
Part = tuple[PartKind, int]
Severity = Literal["error", "warning"]
Category = Literal["template-tag", "placeholder", "blank-number", "year", "arithmetic", "repeated",
                   "structure"]

CATEGORIES: tuple[Category, ...] = ("template-tag", "placeholder", "blank-number", "year",
                                    "arithmetic", "repeated", "structure")
MARK_OPEN = "【"
MARK_CLOSE = "】"
_CONTEXT = 16


@dataclass(frozen=True)
class Block:
    """One unit of a document's text, in body order.

    ``index`` is the 1-based number of a body paragraph; for a table cell it is the
    number of body paragraphs before the table, and ``cell`` is (table, row, column),
    each 1-based. ``part`` is None in the body; in a header, footer, note or text box, which
    one, and the paragraphs and tables are counted in it.
    """

    index: int
    text: str
    kind: Kind = "paragraph"
    style: str | None = None
    cell: tuple[int, int, int] | None = None
    part: Part | None = None

    @property
    def is_paragraph(self) -> bool:
        """True for a body paragraph, False for a table cell."""
        return self.kind == "paragraph"


_new = object.__new__


def new_block(index: int, text: str, kind: Kind, style: str | None,
              cell: tuple[int, int, int] | None, part: Part | None = None) -> Block:
    """``Block(index, text, kind, style, cell, part)``, the same object made at a third of the cost: a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``, this fills its ``__dict__``
    (what those calls fill, in the same order), as the reader makes one per paragraph and cell."""
    block: Block = _new(Block)
    fields = block.__dict__
    fields["index"] = index
    fields["text"] = text
    fields["kind"] = kind
    fields["style"] = style
    fields["cell"] = cell
    fields["part"] = part
    return block


@dataclass(frozen=True)
class Finding:
    """One slip: where it is, what kind, how bad, and the text around it with the spot marked.

    ``paragraph`` is the 1-based body paragraph, ``cell`` the (table, row, column) of a
    table cell; both are None for a finding about the whole document. ``start``/``end``
    are character offsets into that paragraph or cell (``start == end`` marks a gap).
    ``part``: the header, footer, note or text box the paragraph or cell is in (None: the body).
    """

    category: Category
    severity: Severity
    message: str
    paragraph: int | None
    cell: tuple[int, int, int] | None
    start: int
    end: int
    snippet: str
    part: Part | None = None


def snippet(text: str, start: int, end: int, context: int = _CONTEXT) -> str:
    """The text around ``start:end`` with the spot between 【】, cut to ``context`` characters a side."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    head = ("…" if left > 0 else "") + text[left:start]
    tail = text[end:right] + ("…" if right < len(text) else "")
    inner = text[start:end]
    return (head + MARK_OPEN + inner + MARK_CLOSE + tail).replace("\n", " ")


def finding(block: Block, category: Category, severity: Severity, message: str,
            start: int, end: int) -> Finding:
    """A finding at ``start:end`` of ``block``."""
    return Finding(category, severity, message,
                   block.index if block.is_paragraph else None, block.cell,
                   start, end, snippet(block.text, start, end), block.part)


def document_finding(category: Category, severity: Severity, message: str) -> Finding:
    """A finding about the whole document (a part missing), with no place inside it."""
    return Finding(category, severity, message, None, None, 0, 0, "")
