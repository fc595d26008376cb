"""Measuring a PDF page as laid out by LibreOffice: lines of the text block, the footer, fonts."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

MM = 72 / 25.4  # points per millimetre
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM
BLOCK_BOTTOM = PAGE_HEIGHT - BOTTOM  # y (from the top) of the text block's lower edge
BLOCK_WIDTH = PAGE_WIDTH - LEFT - RIGHT  # 156 mm
BODY_PITCH = 16 - 0.25  # a 3号 character with -0.25 pt character spacing
LINE_PITCH = 28.95


@dataclass
class Line:
    """The characters sharing one line of a page, left to right."""

    chars: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def top(self) -> float:
        return min(float(c["top"]) for c in self.chars)

    @property
    def x0(self) -> float:
        return min(float(c["x0"]) for c in self.chars)

    @property
    def x1(self) -> float:
        return max(float(c["x1"]) for c in self.chars)

    @property
    def fonts(self) -> set[str]:
        return {font_family(c["fontname"]) for c in self.chars if not c["text"].isspace()}

    @property
    def size(self) -> float:
        return max(float(c["size"]) for c in self.chars)

    @property
    def all_wide(self) -> bool:
        """Only full-width characters (Chinese and full-width punctuation)."""
        return all(unicodedata.east_asian_width(c["text"]) in ("W", "F") for c in self.chars)


def font_family(fontname: str) -> str:
    """``ABCDEF+NotoSerifCJKjp-Regular`` → ``NotoSerifCJKjp-Regular`` (the subset tag dropped)."""
    return fontname.split("+", 1)[-1]


def lines(chars: list[dict[str, Any]], tolerance: float = 6.0) -> list[Line]:
    """Group characters into lines by their top, within ``tolerance`` points (fonts differ)."""
    result: list[Line] = []
    for char in sorted(chars, key=lambda c: (float(c["top"]), float(c["x0"]))):
        if result and abs(float(char["top"]) - result[-1].top) <= tolerance:
            result[-1].chars.append(char)
        else:
            result.append(Line([char]))
    for line in result:
        line.chars.sort(key=lambda c: float(c["x0"]))
    return result


def body_lines(page: Any) -> list[Line]:
    """The lines of the text block (everything above its lower edge), top to bottom."""
    return lines([c for c in page.chars if float(c["bottom"]) <= BLOCK_BOTTOM + 1])


def footer_lines(page: Any) -> list[Line]:
    """The lines below the text block: the page number."""
    return lines([c for c in page.chars if float(c["top"]) >= BLOCK_BOTTOM - 1])


def width_in_characters(line: Line) -> float:
    """How many 3号 body characters the line's extent is worth."""
    return (line.x1 - line.x0) / BODY_PITCH
