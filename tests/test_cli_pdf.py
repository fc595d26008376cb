"""`render --pdf` and `preview` on the command line, with the real LibreOffice where it is installed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from PIL import Image

from docgen import pdf
from docgen.cli import cli

from .conftest import ROOT

WriteTown = Callable[..., Path]
EXAMPLE = ROOT / "data" / "zhegang-2024.yaml"
needs_libreoffice = pytest.mark.skipif(pdf.find_soffice() is None,
                                       reason="LibreOffice (soffice) is not installed")


def test_render_pdf_without_libreoffice(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    result = CliRunner().invoke(cli, ["render", str(EXAMPLE), "--pdf"])
    assert result.exit_code == 1
    assert result.output == (
        "output/柘岗乡2024年工作总结.docx\n"
        "Error: LibreOffice is not installed: install LibreOffice (libreoffice-writer) to make PDFs\n")


def test_preview_without_libreoffice_in_chinese(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    monkeypatch.setenv("DOCGEN_LANG", "zh_CN")
    result = CliRunner().invoke(cli, ["preview", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "libreoffice-writer" in result.output and result.output.startswith("错误：")
    assert not (workdir / "output").exists() or not list((workdir / "output").glob("*.png"))


@pytest.mark.libreoffice
@needs_libreoffice
def test_render_pdf(workdir: Path) -> None:
    result = CliRunner().invoke(cli, ["render", str(EXAMPLE), "--pdf"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["output/柘岗乡2024年工作总结.docx",
                         str(workdir / "output" / "柘岗乡2024年工作总结.pdf")]
    with pdfplumber.open(workdir / "output" / "柘岗乡2024年工作总结.pdf") as document:
        first = document.pages[0].extract_text() or ""
        assert "柘岗乡2024年工作总结" in first.replace(" ", "")
        assert len(document.pages) >= 4


@pytest.mark.libreoffice
@needs_libreoffice
def test_preview_writes_a_png_of_the_page(workdir: Path) -> None:
    result = CliRunner().invoke(cli, ["preview", str(EXAMPLE), "--page", "2", "-o", "p2.png"])
    assert (result.exit_code, result.output) == (0, "p2.png\n")
    with Image.open(workdir / "p2.png") as image:
        width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01  # an A4 page
    missing = CliRunner().invoke(cli, ["preview", str(EXAMPLE), "--page", "99"])
    assert missing.exit_code == 1
    assert "there is no page 99" in missing.output
