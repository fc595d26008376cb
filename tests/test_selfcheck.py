"""`render` checks what it made before writing it; `docgen check` on the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen import api
from docgen.checks import blocks_from_docx, read_blocks
from docgen.cli import cli
from docgen.errors import CheckError

from .conftest import ROOT
from .drafts.docx_drafts import build_docx
from .wordparts import add_text_box

WriteTown = Callable[..., Path]
MakeTemplate = Callable[..., Path]
TEMPLATE = ROOT / "templates" / "annual-summary.docx"


def test_render_refuses_a_template_that_writes_a_placeholder(
        town_file: WriteTown, make_template: MakeTemplate, tmp_path: Path) -> None:
    template = make_template("{{ title }}", "{{ intro }}", "联系人：xx", "{{ author }}")
    out = tmp_path / "out.docx"
    with pytest.raises(CheckError) as info:
        api.render(town_file(), template, out)
    assert str(info.value) == (
        f"{out}: paragraph 3: nothing was written (not found as written in the data: the template "
        "writes it, or a figure docgen computed): the document carries 1 error(s) found by the check:\n"
        "paragraph 3: [placeholder] placeholder \"xx\" left where a name or figure belongs: 联系人：【xx】")
    assert not out.exists()


@pytest.mark.parametrize("engine", ["fast", "docxtpl"])
def test_render_refuses_a_template_whose_footer_writes_a_placeholder(
        town_file: WriteTown, make_template: MakeTemplate, tmp_path: Path, engine: str) -> None:
    import docx

    template = make_template("{{ title }}", "{{ intro }}", "{{ author }}")
    document = docx.Document(str(template))
    document.sections[0].footer.paragraphs[0].text = "{{ town }}（xx办公室）"
    document.save(str(template))
    out = tmp_path / "out.docx"
    with pytest.raises(CheckError) as info:
        api.render(town_file(), template, out, engine=engine)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"{out}: footer 1, paragraph 1: nothing was written (not found as written in the data: the "
        "template writes it, or a figure docgen computed): the document carries 1 error(s) found by "
        "the check:\n"
        "footer 1, paragraph 1: [placeholder] placeholder \"xx\" left where a name or figure "
        "belongs: 沽东镇（【xx】办公室）")
    assert not out.exists()


@pytest.mark.parametrize("engine", ["fast", "docxtpl"])
def test_a_text_box_of_the_template_is_rendered_and_checked(
        town_file: WriteTown, make_template: MakeTemplate, tmp_path: Path, engine: str) -> None:
    import docx

    template = make_template("{{ title }}", "{{ intro }}", "{{ author }}")
    document = docx.Document(str(template))
    add_text_box(document.paragraphs[2], "{{ town }}（xx办公室）")
    document.save(str(template))
    out = tmp_path / "out.docx"
    with pytest.raises(CheckError) as info:
        api.render(town_file(), template, out, engine=engine)  # type: ignore[arg-type]
    assert str(info.value).endswith(
        "the document carries 1 error(s) found by the check:\n"
        "text box 1, paragraph 1: [placeholder] placeholder \"xx\" left where a name or figure "
        "belongs: 沽东镇（【xx】办公室）")
    assert str(info.value).startswith(f"{out}: text box 1, paragraph 1: nothing was written")
    assert not out.exists()


def test_render_refuses_a_blank_number_typed_in_the_data(town_file: WriteTown, tmp_path: Path) -> None:
    data = town_file(**{"国民生产总值{{ gdp }}，{{ gdp.growth }}。": "平均产量可达到公斤。"})
    with pytest.raises(CheckError, match=r"\[blank-number\]") as info:
        api.render(data, TEMPLATE, tmp_path / "out.docx")
    assert f"nothing was written (in the data: {data}:35)" in str(info.value)
    assert not (tmp_path / "out.docx").exists()


def test_the_self_check_reads_what_a_reopened_file_reads(town_file: WriteTown, tmp_path: Path) -> None:
    out = api.render(town_file(), TEMPLATE, tmp_path / "out.docx")
    assert blocks_from_docx(out.read_bytes()) == read_blocks(out)
    draft = build_docx(["[Heading 1] 一、回顾", "正文 xx", "| 指标 | 单位 |", "| 产值 | 万元 |"],
                       tmp_path / "draft.docx")
    assert blocks_from_docx(draft.read_bytes()) == read_blocks(draft)


@pytest.fixture
def drafts(tmp_path: Path) -> tuple[Path, Path]:
    clean = build_docx(["沽东镇2024年工作总结", "一、2024年工作回顾", "全年种植棉花37665亩。",
                        "二、主要成绩", "实现产值1.45亿元。", "三、存在的问题", "一是结构单一。",
                        "四、2025年工作打算", "发展奶牛养殖。"], tmp_path / "clean.docx")
    slipped = build_docx(["沽东镇2024年工作总结", "一、2024年工作回顾", "平均产量可达到公斤。",
                          "二、主要成绩", "实现产值1.45亿元。", "三、存在的问题", "一是结构单一。",
                          "四、2025年工作打算", "发展奶牛养殖。"], tmp_path / "slipped.docx")
    return clean, slipped


def test_check_command(drafts: tuple[Path, Path]) -> None:
    clean, slipped = drafts
    runner = CliRunner()
    ok = runner.invoke(cli, ["check", str(clean)])
    assert ok.exit_code == 0
    bad = runner.invoke(cli, ["check", str(clean), str(slipped)])
    assert bad.exit_code == 1
    assert bad.output == (
        f"{clean}: no findings\n"
        f"{slipped}: paragraph 3: error [blank-number] a number is missing before \"公斤\"\n"
        "    平均产量可【达到公斤】。\n"
        "checked 2 file(s): 1 error(s), 0 warning(s)\n")
    as_json = runner.invoke(cli, ["check", "--format", "json", str(slipped)])
    assert as_json.exit_code == 1
    report = json.loads(as_json.output)
    findings = report["files"][0]["findings"]
    assert [(f["category"], f["severity"], f["paragraph"]) for f in findings] == [
        ("blank-number", "error", 3)]


def test_check_command_on_a_file_that_is_not_a_docx(tmp_path: Path) -> None:
    fake = tmp_path / "x.docx"
    fake.write_text("no", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(fake)])
    assert result.exit_code == 1
    assert result.output == ("checked 0 file(s): 0 error(s), 0 warning(s)\n"
                             f"Error: {fake}: cannot read the document: not a Word .docx file "
                             "(save it from Word or WPS as .docx)\n")


def test_check_json_lists_a_file_it_cannot_read(drafts: tuple[Path, Path], tmp_path: Path) -> None:
    clean, _slipped = drafts
    fake = tmp_path / "x.docx"
    fake.write_text("no", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(fake), str(clean), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"] == {"files": 2, "unreadable": 1, "errors": 0, "warnings": 0}
    assert [(f["path"], f["error"]) for f in report["files"]] == [
        (str(clean), None),
        (str(fake), "cannot read the document: not a Word .docx file (save it from Word or WPS as .docx)")]


def test_render_shows_the_checks_warnings(town_file: WriteTown, make_template: MakeTemplate,
                                          tmp_path: Path) -> None:
    template = make_template("{{ title }}", "{{ intro }}", "{{ author }}")  # none of the four parts
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(cli, ["render", str(town_file()), "-t", str(template), "-o", str(out)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[-1] == f"{out}" and out.is_file()
    assert lines[0].startswith(f"Warning: {out}: whole document: [structure] no heading for")


def test_verbose_says_when_the_fast_engine_hands_over(
        town_file: WriteTown, make_template: MakeTemplate, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.engine import compiled

    monkeypatch.setattr(compiled, "context_obstacle", lambda context: "a test's reason")
    template = make_template("{{ title }}", "{{ intro }}", "{{ author }}")
    out = tmp_path / "out.docx"
    quiet = CliRunner().invoke(cli, ["render", str(town_file()), "-t", str(template), "-o", str(out)])
    assert "rendered by docxtpl" not in quiet.output
    loud = CliRunner().invoke(cli, ["-v", "render", str(town_file()), "-t", str(template), "-o", str(out)])
    assert loud.exit_code == 0
    assert f"{template}: rendered by docxtpl: a test's reason" in loud.output


@pytest.mark.parametrize(("unit", "part", "whole"), [("万元", 14561, 17194), ("元", 105026, 111550)])
def test_a_share_of_amounts_written_rounded_passes_the_check(
        town_file: WriteTown, tmp_path: Path, unit: str, part: int, whole: int) -> None:
    """1.46亿元 of 1.72亿元 is 84.7% (of the exact figures): render writes it, and its check agrees."""
    data = town_file(**{"    unit: 亩\n    value: 37665": f"    unit: {unit}\n    value: {part}",
                        "    unit: 亩\n    value: 41876": f"    unit: {unit}\n    value: {whole}",
                        "今年种植棉花{{ cotton }}": "全镇耕地面积{{ farmland }}，今年种植棉花{{ cotton }}"})
    out = api.render(data, TEMPLATE, tmp_path / "out.docx")
    shown = {"万元": "全镇耕地面积1.72亿元，今年种植棉花1.46亿元，占耕地面积的84.7%。",
             "元": "全镇耕地面积11.16万元，今年种植棉花10.5万元，占耕地面积的94.2%。"}
    assert shown[unit] in [block.text for block in read_blocks(out)]
