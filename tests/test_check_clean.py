"""Precision: clean drafts and clean sentences typed the way summaries are written raise no finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.checks import check_blocks, check_document, read_blocks

from .drafts.docx_drafts import build_docx, draft_blocks, draft_lines, in_skeleton

CLEAN_DRAFTS = ["clean-gudong-2024.txt", "clean-qingshi-2023.txt", "clean-hedong-2024.txt"]

def test_the_skeleton_itself_is_clean() -> None:
    assert check_blocks(in_skeleton("今年粮食生产稳中有增。")) == []


@pytest.mark.parametrize("sentence", draft_lines("clean-paragraphs.txt"))
def test_a_clean_sentence_raises_nothing(sentence: str) -> None:
    assert check_blocks(in_skeleton(sentence)) == []


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
