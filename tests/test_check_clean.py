"""Precision: clean drafts and clean sentences typed the way summaries are written raise no finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.checks import Block, check_blocks, check_document, read_blocks

from .drafts.docx_drafts import build_docx, draft_blocks, draft_lines

CLEAN_DRAFTS = ["clean-gudong-2024.txt", "clean-qingshi-2023.txt", "clean-hedong-2024.txt"]

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


def _in_skeleton(sentence: str) -> list[Block]:
    return [Block(n, sentence if line == "@" else line) for n, line in enumerate(SKELETON, 1)]


def test_the_skeleton_itself_is_clean() -> None:
    assert check_blocks(_in_skeleton("今年粮食生产稳中有增。")) == []


@pytest.mark.parametrize("sentence", draft_lines("clean-paragraphs.txt"))
def test_a_clean_sentence_raises_nothing(sentence: str) -> None:
    assert check_blocks(_in_skeleton(sentence)) == []


@pytest.mark.parametrize("name", CLEAN_DRAFTS)
def test_a_clean_draft_raises_nothing(name: str, tmp_path: Path) -> None:
    path = build_docx(draft_lines(name), tmp_path / "draft.docx")
    assert check_document(path) == []


@pytest.mark.parametrize("name", CLEAN_DRAFTS)
def test_the_drafts_read_back_as_built(name: str, tmp_path: Path) -> None:
    lines = draft_lines(name)
    assert read_blocks(build_docx(lines, tmp_path / "draft.docx")) == draft_blocks(lines)


def test_a_clean_draft_checked_for_its_own_year_raises_nothing(tmp_path: Path) -> None:
    path = build_docx(draft_lines("clean-qingshi-2023.txt"), tmp_path / "draft.docx")
    assert check_document(path, year=2023) == []
