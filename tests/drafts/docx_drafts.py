"""Test drafts as text: a paragraph a line, ``[Style] text`` styled, ``| a | b |`` a table row."""

from __future__ import annotations

import re
from pathlib import Path

import docx

from docgen.checks import Block, Finding

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


# A clean 2024 summary; "@" is where a test puts the paragraph it checks (paragraph 5).
SKELETON = [
    "沽东镇2024年工作总结",
    "今年以来，在滨河区党委、政府的正确领导下，全镇经济和各项社会事业稳步发展。现将2024年工作总结如下。",
    "一、2024年工作回顾",
    "（一）农业农村工作",
    "@",
    "二、主要成绩",
    "全年实现地区生产总值3.62亿元，比上年增长7.5%。",
    "三、存在的问题",
    "一是农业种植结构单一；二是村级管理规范化程度不高。",
    "四、2025年工作打算",
    "（一）推进农业产业化经营",
    "稳定棉花种植面积，扩大设施农业规模。",
    "",
    "沽东镇人民政府",
    "2024年11月20日",
]
AT = SKELETON.index("@") + 1


def in_skeleton(*paragraphs: str, replace: dict[int, str] | None = None) -> list[Block]:
    """The clean skeleton with ``paragraphs`` in place of its "@" line (from paragraph `AT` on).

    ``replace`` maps a paragraph number of the skeleton (before the insertion) to new text.
    """
    lines = [(replace or {}).get(n, line) for n, line in enumerate(SKELETON, 1)]
    at = SKELETON.index("@")
    lines = [*lines[:at], *paragraphs, *lines[at + 1:]]
    return [Block(n, line) for n, line in enumerate(lines, 1)]


def marked(findings: list[Finding], blocks: list[Block]) -> list[tuple[str, str, int | None, str]]:
    """Each finding as (category, severity, paragraph, the text it marks)."""
    text = {b.index: b.text for b in blocks if b.is_paragraph}
    return [(f.category, f.severity, f.paragraph,
             text[f.paragraph][f.start:f.end] if f.paragraph is not None else "") for f in findings]
