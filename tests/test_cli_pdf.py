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
from docgen.output import read_members

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
    assert (result.exit_code, result.stdout) == (0, "p2.png\n")
    # the official fonts a machine lacks are named, as for --pdf (the CI machine lacks them)
    assert all(line.startswith("Warning: p2.png: the font ") for line in result.stderr.splitlines())
    with Image.open(workdir / "p2.png") as image:
        width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01  # an A4 page
    missing = CliRunner().invoke(cli, ["preview", str(EXAMPLE), "--page", "99"])
    assert missing.exit_code == 1
    assert missing.stderr.startswith(f"Error: {EXAMPLE}: there is no page 99: the document has ")


@pytest.mark.libreoffice
@needs_libreoffice
def test_batch_pdf_runs_one_libreoffice_for_every_document(workdir: Path) -> None:
    before = (pdf.STATS.processes, pdf.STATS.documents)
    result = CliRunner().invoke(cli, ["batch", str(ROOT / "data"), "-j", "1", "--pdf"])
    assert result.exit_code == 0, result.output
    assert (pdf.STATS.processes - before[0], pdf.STATS.documents - before[1]) == (1, 3)
    made = sorted((workdir / "output").glob("*.pdf"))
    assert [p.stem for p in made] == sorted(p.stem for p in (workdir / "output").glob("*.docx"))
    for path in made:
        with pdfplumber.open(path) as document:
            assert len(document.pages) >= 4
    assert "3 PDFs in " in result.output and "s a document, one LibreOffice run)" in result.output


@pytest.mark.parametrize("engine", ["fast", "docxtpl"])
def test_render_with_each_engine(workdir: Path, engine: str) -> None:
    result = CliRunner().invoke(cli, ["render", str(EXAMPLE), "--engine", engine, "-o", f"{engine}.docx"])
    assert (result.exit_code, result.output) == (0, f"{engine}.docx\n")


def test_the_engines_write_the_same_document(workdir: Path) -> None:
    runner = CliRunner()
    for engine in ("fast", "docxtpl"):
        assert runner.invoke(cli, ["render", str(EXAMPLE), "--engine", engine, "-o", f"{engine}.docx"]
                             ).exit_code == 0
    fast, plain = read_members(workdir / "fast.docx"), read_members(workdir / "docxtpl.docx")
    assert fast.keys() == plain.keys()
    assert fast["word/document.xml"] == plain["word/document.xml"]
    assert fast["docProps/custom.xml"] == plain["docProps/custom.xml"]  # the same content hash


@pytest.mark.libreoffice
@needs_libreoffice
def test_preview_beside_an_edited_draft_says_it_shows_the_data(workdir: Path) -> None:
    """helper-32: preview wrote its picture beside the draft an editor had changed, showing the
    data's "150万元" where the draft says "160万元", and said nothing."""
    import docx

    assert CliRunner().invoke(cli, ["render", str(EXAMPLE)]).exit_code == 0
    draft = workdir / "output" / "柘岗乡2024年工作总结.docx"
    document = docx.Document(str(draft))
    document.paragraphs[1].add_run("（编辑补充）")
    document.save(str(draft))
    result = CliRunner().invoke(cli, ["preview", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        "Warning: output/柘岗乡2024年工作总结-p1.png: the draft output/柘岗乡2024年工作总结.docx was "
        "changed since docgen wrote it: this picture shows the data, not those changes")
