"""A document's blocks as the rules read them: each block's folded text and heading facts, worked out
once per check rather than once by every rule that asks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from docgen.checks.lexicon import Ordinal, fold, leading_ordinal, style_level
from docgen.checks.model import Block

_SENTENCE = re.compile(r"[。；！？;!?，,]")


class Prepared(NamedTuple):
    """One block and what the rules read from it.

    ``text`` is the block's text as `fold` gives it (same length, so its offsets are the block's).
    The heading facts are those of a body paragraph; a table cell has none.
    """

    block: Block
    text: str
    ordinal: Ordinal | None  # the heading ordinal opening the paragraph
    style_level: int | None  # the outline level of its heading style
    heading_level: int | None  # by its ordinal, else by its style
    bare_heading: bool  # a heading that holds only a title

    @property
    def is_heading(self) -> bool:
        """A paragraph with a heading style or opening with a heading ordinal."""
        return self.style_level is not None or self.ordinal is not None


#: Prepared's fields as a tuple, without NamedTuple's __new__ written in Python (a third of the cost).
_new = tuple.__new__


def prepare(blocks: Sequence[Block]) -> list[Prepared]:
    """Each block of a document with its folded text and heading facts, in document order."""
    levels: dict[str, int | None] = {}  # by style name: a document uses a handful of styles
    prepared: list[Prepared] = []
    for block in blocks:
        text = fold(block.text)
        if not block.is_paragraph:
            prepared.append(_new(Prepared, (block, text, None, None, None, False)))
            continue
        ordinal = leading_ordinal(text)
        style = block.style
        if style is None:
            styled = None
        elif style in levels:
            styled = levels[style]
        else:
            styled = levels[style] = style_level(style)
        prepared.append(_new(Prepared, (block, text, ordinal, styled, _heading_level(ordinal, styled),
                                         _is_bare_heading(block.text, ordinal, styled))))
    return prepared


def _heading_level(ordinal: Ordinal | None, styled: int | None) -> int | None:
    """The level of a paragraph that is a heading: by an ordinal of level 1 or 2, else by its style,
    else by its ordinal."""
    if ordinal is not None and ordinal.level <= 2:
        return ordinal.level
    if styled is not None:
        return styled
    return ordinal.level if ordinal is not None else None


def _is_bare_heading(text: str, ordinal: Ordinal | None, styled: int | None) -> bool:
    """Heading-styled, or a short ordinal line without a sentence."""
    if styled is not None:
        return True
    if ordinal is None:
        return False
    rest = text[ordinal.end:].strip()
    return 0 < len(rest) <= 40 and not _SENTENCE.search(rest)
