"""convert_to_pdf, font stand-ins and page previews; a fake soffice where LibreOffice is not needed."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from docgen import fonts, pdf
from docgen.errors import ConversionError, OutputError
from docgen.preview import default_output, preview, render_page

from .layout import TEMPLATE

FAKE = Path(__file__).parent / "layout" / "fake_soffice.py"


def make_docx(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


@dataclass
class FakeSoffice:
    """tests/layout/fake_soffice.py run in place of soffice, and the log of its calls."""

    log: Path
    monkeypatch: pytest.MonkeyPatch

    def use(self, mode: str) -> None:
        self.monkeypatch.setenv("FAKE_SOFFICE_MODE", mode)

    def calls(self) -> list[dict[str, Any]]:
        if not self.log.is_file():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeSoffice:
    """docgen runs the fake soffice (with the real command line after the script's name)."""
    log = tmp_path / "soffice-calls.jsonl"
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    real_command = pdf.soffice_command
    monkeypatch.setattr(pdf, "find_soffice", lambda: Path(sys.executable))
    monkeypatch.setattr(pdf, "soffice_command",
                        lambda *args: [sys.executable, str(FAKE), *real_command(*args)[1:]])
    stand_in = FakeSoffice(log, monkeypatch)
    stand_in.use("ok")
    return stand_in


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- no LibreOffice

def hide_libreoffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(pdf.SOFFICE_ENV, raising=False)
    for variable in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
        monkeypatch.setenv(variable, str(empty))
    if sys.platform == "darwin" and Path("/Applications/LibreOffice.app").exists():
        pytest.skip("LibreOffice.app is installed in /Applications")


def test_without_libreoffice_the_user_is_told_to_install_it(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    hide_libreoffice(monkeypatch, tmp_path)
    docx = make_docx(tmp_path / "a.docx", "正文")
    assert pdf.find_soffice() is None
    with pytest.raises(ConversionError) as caught:
        pdf.convert_to_pdf([docx])
    assert str(caught.value) == ("LibreOffice is not installed: install LibreOffice (libreoffice-writer) "
                                 "to make PDFs")
    assert not (tmp_path / "a.pdf").exists()


def test_the_install_hint_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hide_libreoffice(monkeypatch, tmp_path)
    monkeypatch.setenv("DOCGEN_LANG", "zh_CN")
    with pytest.raises(ConversionError) as caught:
        pdf.require_soffice()
    message = str(caught.value)
    assert "LibreOffice (libreoffice-writer)" in message and "安装" in message


def test_docgen_soffice_names_the_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hide_libreoffice(monkeypatch, tmp_path)
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(tmp_path / "no-such-soffice"))
    assert pdf.find_soffice() is None
    program = tmp_path / "soffice.exe"
    program.write_bytes(b"")
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(program))
    assert pdf.find_soffice() == program
    monkeypatch.setenv(pdf.SOFFICE_ENV, f'"{program}"')  # as Windows users copy a path: quoted
    assert pdf.find_soffice() == program


# ---------------------------------------------------------------- one process, placed PDFs

def test_one_process_converts_every_document_beside_its_docx(
        tmp_path: Path, fake: FakeSoffice) -> None:
    documents = [make_docx(tmp_path / "a" / "draft.docx", "甲"),
                 make_docx(tmp_path / "b" / "draft.docx", "乙"),
                 make_docx(tmp_path / "b" / "other.docx", "丙")]
    before = (pdf.STATS.processes, pdf.STATS.documents)
    made = pdf.convert_to_pdf(documents)
    assert (pdf.STATS.processes - before[0], pdf.STATS.documents - before[1]) == (1, 3)
    (call,) = fake.calls()
    assert made == [d.with_suffix(".pdf") for d in documents]
    for document, result in zip(documents, made, strict=True):
        assert result.read_text(encoding="utf-8") == f"%PDF-1.4 {sha(document)}\n"
    argv = call["argv"]
    assert argv[argv.index("--convert-to") + 1] == "pdf" and "--headless" in argv
    profile = next(a for a in argv if a.startswith("-env:UserInstallation="))
    assert profile.split("=", 1)[1].startswith("file:///")
    assert call["fontconfig"] == str(fonts.FONTS_CONF) and fonts.FONTS_CONF.is_file()
    assert not list(tmp_path.rglob("*.partial"))


def test_an_output_folder_takes_all_pdfs(tmp_path: Path, fake: FakeSoffice) -> None:
    documents = [make_docx(tmp_path / "in" / f"{n}.docx", n) for n in ("x", "y")]
    made = pdf.convert_to_pdf(documents, tmp_path / "out")
    assert made == [tmp_path / "out" / "x.pdf", tmp_path / "out" / "y.pdf"]
    assert all(p.is_file() for p in made)
    assert len(fake.calls()) == 1


def test_nothing_to_convert_starts_nothing(fake: FakeSoffice) -> None:
    assert pdf.convert_to_pdf([]) == []
    assert fake.calls() == []


def test_a_missing_document_is_named(tmp_path: Path, fake: FakeSoffice) -> None:
    with pytest.raises(ConversionError) as caught:
        pdf.convert_to_pdf([tmp_path / "gone.docx"])
    assert caught.value.place.file == (tmp_path / "gone.docx").resolve()
    assert fake.calls() == []


def test_a_failed_conversion_names_the_file(tmp_path: Path, fake: FakeSoffice) -> None:
    fake.use("fail")
    good = make_docx(tmp_path / "draft.docx", "正文")
    with pytest.raises(ConversionError) as caught:
        pdf.convert_to_pdf([good])
    assert caught.value.place.file == good.resolve()
    assert "draft.docx" in str(caught.value) and "source file could not be loaded" in str(caught.value)
    assert not good.with_suffix(".pdf").exists()


def test_a_hanging_soffice_is_stopped(tmp_path: Path, fake: FakeSoffice) -> None:
    fake.use("hang")
    docx = make_docx(tmp_path / "draft.docx", "正文")
    with pytest.raises(ConversionError) as caught:
        pdf.convert_to_pdf([docx], timeout=1)
    assert str(caught.value) == "LibreOffice did not finish the PDFs within 1 seconds"
    assert len(fake.calls()) == 1
    assert not docx.with_suffix(".pdf").exists()


def test_a_program_that_cannot_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docx = make_docx(tmp_path / "draft.docx", "正文")
    monkeypatch.setattr(pdf, "find_soffice", lambda: tmp_path / "not-a-program")
    with pytest.raises(ConversionError) as caught:
        pdf.convert_to_pdf([docx])
    assert str(caught.value).startswith("LibreOffice could not be started: ")


# ---------------------------------------------------------------- fonts

def test_the_fonts_of_the_template() -> None:
    assert set(fonts.document_fonts(TEMPLATE)) == {
        "Times New Roman", "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}


def test_fonts_through_based_on_and_runs(tmp_path: Path) -> None:
    document = Document()
    style = document.styles.add_style("Custom", 1)
    style.base_style = document.styles["Normal"]
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), "DocgenNoSuchFontA")
    document.add_paragraph("正文", style="Custom")
    run = document.add_paragraph().add_run("x")
    run.font.name = "DocgenNoSuchFontB"
    document.styles.add_style("Unused", 1).font.name = "DocgenUnusedFont"
    path = tmp_path / "fonts.docx"
    document.save(str(path))
    found = fonts.document_fonts(path)
    assert "DocgenNoSuchFontA" in found and "DocgenNoSuchFontB" in found
    assert "DocgenUnusedFont" not in found


needs_fontconfig = pytest.mark.skipif(shutil.which("fc-match") is None or shutil.which("fc-list") is None,
                                      reason="fontconfig (fc-match) is not installed")


def installed_families() -> set[str]:
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, check=True).stdout
    return {name.strip() for line in out.decode("utf-8", "replace").splitlines()
            for name in line.split(",")}


@needs_fontconfig
def test_a_missing_font_is_reported_an_installed_one_is_not() -> None:
    installed = sorted(installed_families())[0]
    found = fonts.substitutions(["DocgenNoSuchFont", installed])
    assert [s.requested for s in found] == ["DocgenNoSuchFont"]
    assert found[0].used and found[0].used != "DocgenNoSuchFont"


@needs_fontconfig
@pytest.mark.parametrize(("official", "free"), [
    ("仿宋_GB2312", "Noto Serif CJK SC"), ("楷体_GB2312", "AR PL KaitiM GB"),
    ("黑体", "WenQuanYi Zen Hei"), ("方正小标宋简体", "Noto Serif CJK SC"),
    ("宋体", "Noto Serif CJK SC"), ("FangSong", "Noto Serif CJK SC"), ("SimHei", "WenQuanYi Zen Hei")])
def test_the_shipped_substitutions(official: str, free: str) -> None:
    families = installed_families()
    if free not in families:
        pytest.skip(f"{free} is not installed")
    if official in families:
        pytest.skip(f"{official} itself is installed")
    assert fonts.substitutions([official]) == [fonts.Substitution(official, free)]


# ---------------------------------------------------------------- previews

def blank_pdf(path: Path, pages: int) -> Path:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    document.save(str(path))
    document.close()
    return path


def test_render_a_page(tmp_path: Path) -> None:
    source = blank_pdf(tmp_path / "two.pdf", 2)
    out = render_page(source, 2, tmp_path / "shots" / "p2.png", dpi=72)
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size == (595, 842)
    assert not list(tmp_path.rglob("*.partial"))


def test_preview_of_a_pdf_goes_beside_it(tmp_path: Path) -> None:
    source = blank_pdf(tmp_path / "doc.pdf", 1)
    out = preview(source, dpi=36)
    assert out == default_output(source, 1) == tmp_path / "doc-p1.png"
    with Image.open(out) as image:
        assert image.size == (298, 421)


def test_a_page_that_is_not_there(tmp_path: Path) -> None:
    source = blank_pdf(tmp_path / "one.pdf", 1)
    for page in (0, 2):
        with pytest.raises(ConversionError) as caught:
            render_page(source, page, tmp_path / "x.png")
        assert f"there is no page {page}: the document has 1 pages" in str(caught.value)
    assert not (tmp_path / "x.png").exists()


def test_a_file_that_is_not_a_pdf(tmp_path: Path) -> None:
    source = tmp_path / "broken.pdf"
    source.write_bytes(b"not a pdf")
    with pytest.raises(ConversionError) as caught:
        render_page(source, 1, tmp_path / "x.png")
    assert str(caught.value).startswith(f"{source}: cannot read the PDF: ")


def test_substitution_warnings() -> None:
    known = fonts.Substitution("仿宋_GB2312", "Noto Serif CJK SC").warning()
    assert known == ("the font 仿宋_GB2312 is not installed: the PDF shows Noto Serif CJK SC in its "
                     "place and is a preview of the layout")
    unknown = fonts.Substitution("黑体", None).warning()
    assert unknown.startswith("the font 黑体 is not installed: the PDF shows another font")


def test_a_pdf_that_cannot_be_replaced_is_named_and_the_others_are_placed(tmp_path: Path) -> None:
    """A PDF open in a reader is locked on Windows: replacing it fails. The error names it, the
    other PDFs still go to their places, and no .partial is left (it was a traceback)."""
    made = tmp_path / "made"
    made.mkdir()
    for name in ("甲.pdf", "乙.pdf", "丙.pdf"):
        (made / name).write_bytes(b"%PDF-1.7 " + name.encode())
    out = tmp_path / "out"
    out.mkdir()
    (out / "甲.pdf").mkdir()  # replacing a folder fails as replacing a locked file does
    (out / "丙.pdf").mkdir()
    targets = [out / "甲.pdf", out / "乙.pdf", out / "丙.pdf"]
    with pytest.raises(ConversionError) as caught:
        pdf._place_all([made / t.name for t in targets], targets)
    assert caught.value.place.file == out / "甲.pdf"
    assert caught.value.message.startswith(
        "cannot write the PDF (is it open in a PDF reader, WPS or a browser?): ")
    assert caught.value.message.endswith(" (and 1 more PDFs: 丙.pdf)")
    assert (out / "乙.pdf").read_bytes() == "%PDF-1.7 乙.pdf".encode()
    assert sorted(p.name for p in out.iterdir()) == ["丙.pdf", "乙.pdf", "甲.pdf"]


def test_ctrl_c_while_soffice_converts_ends_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C left soffice converting (and writing into the deleted profile) after docgen exited."""
    started: list[subprocess.Popen[bytes]] = []
    real_communicate = subprocess.Popen.communicate

    def interrupted(self: subprocess.Popen[bytes], *args: Any, **kwargs: Any) -> Any:
        if not started:
            started.append(self)
            raise KeyboardInterrupt
        return real_communicate(self, *args, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "communicate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pdf._run([sys.executable, "-c", "import time; time.sleep(60)"], timeout=120)
    assert started[0].poll() is not None


def test_a_picture_that_cannot_be_written_is_an_output_error_naming_it(tmp_path: Path) -> None:
    """A PNG held open by another program (Windows locks it; a folder of its name stands in here):
    an OutputError naming it, no .partial left, not a traceback."""
    source = blank_pdf(tmp_path / "one.pdf", 1)
    target = tmp_path / "p1.png"
    target.mkdir()
    with pytest.raises(OutputError) as caught:
        render_page(source, 1, target, dpi=36)
    assert caught.value.place.file == target
    assert caught.value.message.startswith("cannot write the picture (is it open in another program?): ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.pdf", "p1.png"]


def test_render_pdf_onto_a_pdf_that_cannot_be_replaced(tmp_path: Path, fake: FakeSoffice,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """On the command line: exit 1, the PDF named, the draft written, no traceback, no .partial."""
    from click.testing import CliRunner

    from docgen.cli import cli

    monkeypatch.chdir(tmp_path)
    example = Path(__file__).parent.parent / "data" / "zhegang-2024.yaml"
    locked = tmp_path / "output" / "柘岗乡2024年工作总结.pdf"
    locked.mkdir(parents=True)
    result = CliRunner().invoke(cli, ["render", str(example), "--pdf"])
    assert result.exit_code == 1
    assert result.output.startswith("output/柘岗乡2024年工作总结.docx\n"
                                    f"Error: {locked}: cannot write the PDF (is it open in a PDF reader, "
                                    "WPS or a browser?): ")
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [
        "柘岗乡2024年工作总结.docx", "柘岗乡2024年工作总结.pdf"]
