"""The official layout measured where it counts: in LibreOffice's PDF of rendered documents."""

from __future__ import annotations

import contextlib
import itertools
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PIL import Image

from docgen import pdf as pdf_module
from docgen.context import build_context
from docgen.loading import load
from docgen.pdf import STATS, convert_to_pdf, find_soffice
from docgen.preview import preview

from .layout import body_text, render, rich_context
from .layout.measure import (
    BLOCK_BOTTOM,
    BLOCK_WIDTH,
    BODY_PITCH,
    LEFT,
    LINE_PITCH,
    MM,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT,
    TOP,
    Line,
    body_lines,
    font_family,
    footer_lines,
)

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed"),
]

CONTEXTS = {
    "qinghe-2024": rich_context(),
    "nanhu-2025": rich_context("南湖街道", 2025, "2025年1月8日"),
    "qinghe-nodate": rich_context(date=""),
}
EXAMPLES = sorted((Path(__file__).parent.parent / "data").glob("*.yaml"))
CJK_FONT = re.compile(r"CJK|WenQuanYi|Kai|Hei|Song|Fang|Sim|FZ", re.IGNORECASE)


@dataclass
class Converted:
    docx: dict[str, Path]
    pdfs: dict[str, Path]
    commands: list[list[str]]
    processes: int


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    """All documents converted by one call, with every process the call starts recorded."""
    folder = tmp_path_factory.mktemp("pdf")
    docx = {name: render(context, folder / f"{name}.docx") for name, context in CONTEXTS.items()}
    for example in EXAMPLES:
        # Each shipped example's own text and figures through the shipped template. The chart is
        # left out here: its labels would count as body lines; tests/test_charts.py measures it.
        context = {**build_context(load(example)), "chart": None, "chart_caption": ""}
        docx[example.stem] = render(context, folder / f"{example.stem}.docx")
    commands: list[list[str]] = []
    real_popen = subprocess.Popen

    def spy(command: list[str], *args: Any, **kwargs: Any) -> Any:
        commands.append(list(command))
        return real_popen(command, *args, **kwargs)

    before = STATS.processes
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_module.subprocess, "Popen", spy)
        pdfs = convert_to_pdf(list(docx.values()))
    return Converted(docx, dict(zip(docx, pdfs, strict=True)), commands, STATS.processes - before)


@pytest.fixture(scope="module")
def pages(converted: Converted) -> Iterator[dict[str, list[Any]]]:
    """Each document's pages, opened once with pdfplumber."""
    with contextlib.ExitStack() as stack:
        yield {name: list(stack.enter_context(pdfplumber.open(path)).pages)
               for name, path in converted.pdfs.items()}


def body_font(pages: list[Any]) -> str:
    """The typeface most Chinese characters of the document are set in: the body text's."""
    counts = Counter(font_family(c["fontname"]) for page in pages for c in page.chars
                     if "\u4e00" <= c["text"] <= "\u9fff")
    return counts.most_common(1)[0][0]


def has_table(lines: list[Line]) -> bool:
    return any(line.size < 15 for line in lines)  # 4号 cells among 3号 text


def main_font(line: Line) -> str:
    counts = Counter(font_family(c["fontname"]) for c in line.chars if "\u4e00" <= c["text"] <= "\u9fff")
    return counts.most_common(1)[0][0] if counts else ""


def full_pages(pages: list[Any]) -> list[int]:
    """Pages the text fills: not the last, no table, and the next page goes on with body text.

    A page before a heading may end early (a heading keeps with its paragraph) and a table's
    rows are not 3号 lines; every other page must hold all 22 lines.
    """
    font = body_font(pages)
    full = []
    for number, (page, following) in enumerate(itertools.pairwise(pages), start=1):
        lines = body_lines(page)
        if not has_table(lines) and main_font(body_lines(following)[0]) == font:
            full.append(number)
    return full


def without_repeated_headers(text: str) -> str:
    """The text with the table's header row only once (Word and LibreOffice repeat it per page)."""
    for header in ("指标单位本年上年同期增减", "指标单位本年上年增减"):
        first = text.find(header)
        if first >= 0:
            break
    else:
        return text
    end = first + len(header)
    return text[:end] + text[end:].replace(header, "")


# ---------------------------------------------------------------- one process

def test_one_soffice_process_converts_all_documents(converted: Converted) -> None:
    assert converted.processes == 1
    (command,) = converted.commands
    for path in converted.docx.values():
        assert str(path) in command
    assert any(a.startswith("-env:UserInstallation=file:///") for a in command)
    for name, path in converted.pdfs.items():
        assert path == converted.docx[name].with_suffix(".pdf")
        with pdfplumber.open(path) as document:
            assert len(document.pages) >= 5


# ---------------------------------------------------------------- 22 lines × 28 characters

def test_pages_are_a4(pages: dict[str, list[Any]]) -> None:
    for document in pages.values():
        for page in document:
            size = (float(page.width), float(page.height))
            assert size == pytest.approx((PAGE_WIDTH, PAGE_HEIGHT), abs=0.5)


def test_every_full_body_page_has_22_lines(pages: dict[str, list[Any]]) -> None:
    for name, document in pages.items():
        full = full_pages(document)
        assert len(full) >= 2, f"{name}: the test needs full pages to measure"
        for number, page in enumerate(document, start=1):
            lines = body_lines(page)
            if not has_table(lines):  # 4号 table rows are not lines of the 22
                assert len(lines) <= 22, f"{name} page {number}"
            if number in full:  # page 1: the title, a blank line, then 20 lines of text
                expected = 21 if number == 1 else 22
                assert len(lines) == expected, f"{name} page {number} has {len(lines)} lines"


def test_lines_are_28_95_points_apart(pages: dict[str, list[Any]]) -> None:
    for name, document in pages.items():
        for number, page in enumerate(document, start=1):
            lines = body_lines(page)
            if has_table(lines):
                continue
            body = [line for line in lines if line.size == 16]
            for above, below in itertools.pairwise(body):
                steps = (below.top - above.top) / LINE_PITCH
                assert steps == pytest.approx(round(steps), abs=0.02), f"{name} page {number}"


def test_the_text_block_starts_at_the_margins(pages: dict[str, list[Any]]) -> None:
    for document in pages.values():
        for page in document[1:]:
            lines = body_lines(page)
            assert min(line.x0 for line in lines) == pytest.approx(LEFT, abs=1.5)
            assert lines[0].top == pytest.approx(TOP, abs=3 * MM)


def test_no_line_has_more_than_28_characters(pages: dict[str, list[Any]]) -> None:
    for name, document in pages.items():
        full_lines = 0
        for number, page in enumerate(document, start=1):
            for line in body_lines(page):
                if line.size < 15:
                    continue  # table cells
                assert line.x1 - line.x0 <= BLOCK_WIDTH + 1, f"{name} page {number}: {line.text}"
                if line.all_wide:
                    assert len(line.chars) <= 28, f"{name} page {number}: {line.text}"
                    full_lines += len(line.chars) == 28
        # The measure is 28, not 27: most wrapped lines of plain Chinese text hold 28.
        assert full_lines >= 10, name


def test_body_characters_advance_by_15_75_points(pages: dict[str, list[Any]]) -> None:
    """16 pt characters with −0.25 pt spacing: 28 of them span the 156 mm block."""
    page = pages["qinghe-2024"][1]
    line = next(line for line in body_lines(page) if line.all_wide and len(line.chars) == 28)
    steps = [b["x0"] - a["x0"] for a, b in itertools.pairwise(line.chars)]
    assert sum(steps) / len(steps) == pytest.approx(BODY_PITCH, abs=0.05)


# ---------------------------------------------------------------- page numbers

def test_page_numbers(pages: dict[str, list[Any]]) -> None:
    for name, document in pages.items():
        for number, page in enumerate(document, start=1):
            (footer,) = footer_lines(page)
            assert footer.text == f"— {number} —", f"{name} page {number}"
            assert footer.size == pytest.approx(14, abs=0.1)
            one_character = 14
            if number % 2:  # odd: right-aligned, one character in
                assert footer.x1 == pytest.approx(PAGE_WIDTH - RIGHT - one_character, abs=1.5)
            else:  # even: left-aligned, one character in
                assert footer.x0 == pytest.approx(LEFT + one_character, abs=1.5)
            below = (footer.top - BLOCK_BOTTOM) / MM
            assert 2 <= below <= 10, f"{name} page {number}: {below:.1f} mm below the text"


# ---------------------------------------------------------------- glyphs and typefaces

def test_no_missing_glyph(converted: Converted, pages: dict[str, list[Any]]) -> None:
    for name, document in pages.items():
        text = "".join("".join(line.text for line in body_lines(page)) for page in document)
        assert "\ufffd" not in text and "(cid:" not in text
        # The same characters as the document; their order is compared outside the table, where
        # a wrapped cell's lines interleave with its neighbours'.
        expected = body_text(converted.docx[name])
        assert Counter(without_repeated_headers("".join(text.split()))) == Counter(expected)
        outside = "".join(line.text for page in document for line in body_lines(page) if line.size > 15)
        assert "".join(outside.split()) == body_text(converted.docx[name], tables=False)
        for page in document:
            for char in page.chars:
                if "\u3000" <= char["text"] <= "\u9fff" or "\uff00" <= char["text"] <= "\uffef":
                    assert CJK_FONT.search(char["fontname"]), (char["text"], char["fontname"])


def test_headings_title_and_body_are_distinct_typefaces(pages: dict[str, list[Any]]) -> None:
    document = pages["qinghe-2024"]
    lines = body_lines(document[0])
    title = lines[0]
    heading1 = next(line for line in lines if line.text.startswith("一、"))
    heading2 = next(line for line in lines if line.text.startswith("（一）"))
    body = body_font(document)
    assert title.size == pytest.approx(22, abs=0.1)
    assert title.x0 + title.x1 == pytest.approx(2 * LEFT + BLOCK_WIDTH, abs=2)  # centred
    fonts = {main_font(title), main_font(heading1), main_font(heading2), body}
    assert len(fonts) == 4, fonts
    assert heading1.x0 == pytest.approx(LEFT + 32, abs=1)  # indented two characters
    assert heading2.x0 == pytest.approx(LEFT + 32, abs=1)


def test_signature_and_date(pages: dict[str, list[Any]]) -> None:
    lines = body_lines(pages["qinghe-2024"][-1])
    author, date = lines[-2], lines[-1]
    assert author.text == "清河镇人民政府" and "".join(date.text.split()) == "2024年12月20日"
    right = LEFT + BLOCK_WIDTH
    assert author.x1 == pytest.approx(right - 2 * 16, abs=2)  # two characters in from the right
    assert date.x1 == pytest.approx(right, abs=2)  # its first character two right of the author's
    assert author.top - lines[-3].top == pytest.approx(2 * LINE_PITCH, abs=0.5)  # a blank line
    assert date.top - author.top == pytest.approx(LINE_PITCH, abs=0.5)
    undated = body_lines(pages["qinghe-nodate"][-1])
    assert undated[-1].text == "清河镇人民政府"


def test_preview_of_a_page(converted: Converted, tmp_path: Path) -> None:
    out = preview(converted.docx["qinghe-2024"], page=2, output=tmp_path / "page2.png", dpi=50)
    with Image.open(out) as image:
        assert image.size == pytest.approx((PAGE_WIDTH * 50 / 72, PAGE_HEIGHT * 50 / 72), abs=1)
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
    assert dark > 0.01 * grey.width * grey.height  # text, not a blank page
    assert not list(tmp_path.glob("*.pdf"))
