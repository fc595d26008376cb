"""Test drafts as text: a paragraph a line, ``[Style] text`` styled, ``| a | b |`` a table row."""

from __future__ import annotations

import re
from pathlib import Path

import docx

from docgen.checks import Block

HERE = Path(__file__).parent
_STYLED = re.compile(r"^\[(?P<style>[^\]]+)\]\s*(?P<text>.*)$")



def draft_lines(name: str) -> list[str]:
    """The lines of tests/drafts/<name>, without its ``#`` comment lines."""
    text = (HERE / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if not line.startswith("# ")]


def _items(lines: list[str]) -> list[tuple[str | None, str] | list[list[str]]]:
    items: list[tuple[str | None, str] | list[list[str]]] = []
    for line in lines:
        if line.startswith("|"):
            row = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if items and isinstance(items[-1], list):
                items[-1].append(row)
            else:
                items.append([row])
            continue
        match = _STYLED.match(line)
        items.append((match.group("style"), match.group("text")) if match else (None, line))
    return items


def build_docx(lines: list[str], path: Path) -> Path:
    """Write the draft as a .docx with python-docx (styles from its default template)."""
    document = docx.Document()
    for item in _items(lines):
        if isinstance(item, list):
            table = document.add_table(rows=len(item), cols=len(item[0]))
            for r, row in enumerate(item):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        else:
            style, text = item
            document.add_paragraph(text, style=style)
    document.save(str(path))
    return path


def draft_blocks(lines: list[str]) -> list[Block]:
    """The blocks `read_blocks` gives for the .docx `build_docx` writes, built without Word."""
    blocks: list[Block] = []
    paragraphs = tables = 0
    for item in _items(lines):
        if isinstance(item, list):
            tables += 1
            for r, row in enumerate(item, 1):
                for c, text in enumerate(row, 1):
                    blocks.append(Block(paragraphs, text, "cell", None, (tables, r, c)))
        else:
            paragraphs += 1
            style, text = item
            blocks.append(Block(paragraphs, text, "paragraph", style or "Normal", None))
    return blocks
