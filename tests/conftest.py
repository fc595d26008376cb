"""Shared fixtures: English messages, a scratch working folder, small data files and templates."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

# Before docgen is imported: the command help texts are translated when the CLI module loads.
os.environ["DOCGEN_LANG"] = "en"

import pytest
from docx import Document

TESTS = Path(__file__).parent
ROOT = TESTS.parent
DATA_DIR = TESTS / "data"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English unless a test asks for another language."""
    monkeypatch.setenv("DOCGEN_LANG", "en")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run in an empty folder, so the default output/ lands in tmp_path."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture
def town_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a data file: the minimal valid town (tests/data/minimal.yaml), edited by replacements."""
    def write(text: str | None = None, name: str = "town.yaml", **replace: str) -> Path:
        body = text if text is not None else (DATA_DIR / "minimal.yaml").read_text(encoding="utf-8")
        for old, new in replace.items():
            assert old in body, f"{old!r} is not in the data"
            body = body.replace(old, new)
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        return path
    return write


# A template body with the genre's four parts, each with text, for `make_template`: drafts that the
# self-check has nothing to warn of.
FOUR_PARTS = ("# 一、工作回顾", "{{ intro }}", "# 二、主要成绩", "{{ achievements_summary }}",
              "# 三、存在的问题", "基础设施仍有短板。", "# 四、明年工作打算", "持续推进各项工作。")


@pytest.fixture
def make_template(tmp_path: Path) -> Callable[..., Path]:
    """Build a small .docx template, one paragraph per string (each string one run); a string
    starting with "# " is a first-level heading (style Heading 1)."""
    def build(*paragraphs: str, name: str = "template.docx") -> Path:
        document = Document()
        for text in paragraphs:
            if text.startswith("# "):
                document.add_heading(text.removeprefix("# "), level=1)
            else:
                document.add_paragraph(text)
        path = tmp_path / name
        document.save(str(path))
        return path
    return build


def body_texts(path: Path) -> list[str]:
    """The text of every body paragraph of a .docx, in order."""
    return [p.text for p in Document(str(path)).paragraphs]
