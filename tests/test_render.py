"""Rendering through docxtpl: escaping, line breaks, and template problems named by paragraph."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from docgen import api
from docgen.errors import DocgenError, OutputError, TemplateError
from docgen.output import CUSTOM_PART, read_members

from .conftest import body_texts

WriteTown = Callable[..., Path]
MakeTemplate = Callable[..., Path]
LOOP = ("{%p for s in review %}", "{{ s.ordinal }}{{ s.title }}", "{%p for p in s.paragraphs %}",
        "{{ p }}", "{%p endfor %}", "{%p endfor %}")


@pytest.fixture
def small_template(make_template: MakeTemplate) -> Path:
    return make_template("{{ title }}", "{{ intro }}", *LOOP, "{{ achievements_summary }}",
                         "{{ problems }}", "展望{{ next_year }}年", "{{ author }}", "{{ date }}")


def test_render_fills_every_part(town_file: WriteTown, small_template: Path, tmp_path: Path) -> None:
    out = api.render(town_file(), small_template, tmp_path / "out.docx")
    assert body_texts(out) == [
        "沽东镇2024年工作总结",
        "2024年，在滨河区委、区政府的正确领导下，沽东镇党委、政府团结带领全镇干部群众，坚持稳中求进工作总基调，"
        "扎实推进经济发展和各项社会事业，较好地完成了全年各项目标任务。现将2024年工作总结如下。",
        "（一）加快农业产业结构调整",
        "今年种植棉花37665亩，占耕地面积的89.9%。",
        "国民生产总值1.45亿元，增长6.0%。",
        "1—10月份，全镇实现国民生产总值1.45亿元（预计全年达到1.78亿元），农民人均纯收入3217元，"
        "分别比上年同期增长6.0%和2.0%；优秀党支部比率达到70%，比上年同期提高20.0个百分点。",
        "一是农业种植结构单一，技术含量较低；二是村级管理规范化程度不高。",
        "展望2025年",
        "沽东镇人民政府",
        "2024年11月20日",
    ]


def test_special_characters_and_newlines(town_file: WriteTown, small_template: Path,
                                         tmp_path: Path) -> None:
    data = town_file(**{"town: 沽东镇": "town: A&B<镇>",
                        "  - 村级管理规范化程度不高。": "  - " + json.dumps("第一行\n第二行 \"引号\"",
                                                                          ensure_ascii=False)})
    out = api.render(data, small_template, tmp_path / "out.docx")
    document = Document(str(out))  # a valid package: python-docx re-opens it
    assert document.paragraphs[0].text == "A&B<镇>2024年工作总结"
    problems = document.paragraphs[6]
    assert problems.text == "一是农业种植结构单一，技术含量较低；二是第一行\n第二行 \"引号\"。"
    assert len(problems._p.xpath(".//w:br")) == 1


def test_template_syntax_error_names_the_paragraph(town_file: WriteTown, make_template: MakeTemplate,
                                                   tmp_path: Path) -> None:
    template = make_template("{{ title }}", "正文", "{{ intro }", "结尾")
    with pytest.raises(TemplateError) as info:
        api.render(town_file(), template, tmp_path / "out.docx")
    # docxtpl's tag cleaning joins an unclosed tag with the text up to the next "}}"
    assert str(info.value) == (
        f"{template}: paragraph 3: «{{{{ intro }}结尾»: template syntax error: unexpected '}}'")
    assert not (tmp_path / "out.docx").exists()


def test_template_asking_for_an_unsupplied_variable(town_file: WriteTown, make_template: MakeTemplate,
                                                    tmp_path: Path) -> None:
    template = make_template("{{ title }}", "镇长：{{ mayor }}")
    with pytest.raises(TemplateError) as info:
        api.render(town_file(), template, tmp_path / "out.docx")
    assert str(info.value).startswith(
        f"{template}: paragraph 2: «镇长：{{{{ mayor }}}}»: the template asks for 'mayor', which docgen "
        "does not supply; supplied: achievements, achievements_summary, author,")


def test_a_file_that_is_not_a_docx(town_file: WriteTown, tmp_path: Path) -> None:
    fake = tmp_path / "template.docx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        api.render(town_file(), fake, tmp_path / "out.docx")
    assert str(info.value) == f"{fake}: not a Word .docx file (save it from Word or WPS as .docx)"


@pytest.mark.parametrize("town", ["../escape", "a/b", "C:镇", "镇?", "镇*"])
def test_a_town_name_that_would_escape_output(town_file: WriteTown, small_template: Path,
                                              workdir: Path, town: str) -> None:
    data = town_file(**{"town: 沽东镇": "town: " + json.dumps(town)})
    with pytest.raises(OutputError, match="cannot be an output file name"):
        api.render(data, small_template)
    assert not (workdir / "output").exists() or not any((workdir / "output").iterdir())
    assert not (workdir.parent / "escape2024年工作总结.docx").exists()


def test_default_output_and_stamp(town_file: WriteTown, small_template: Path, workdir: Path) -> None:
    out = api.render(town_file(), small_template)
    assert out == Path("output") / "沽东镇2024年工作总结.docx"
    assert b"docgen-members-sha256" in read_members(workdir / out)[CUSTOM_PART]


def test_a_data_error_writes_nothing(town_file: WriteTown, small_template: Path, workdir: Path) -> None:
    data = town_file(**{"previous: 3154": "previous: 0"})
    with pytest.raises(DocgenError):
        api.render(data, small_template)
    assert not (workdir / "output").exists()


@pytest.mark.parametrize("engine", ["fast", "docxtpl"])
def test_a_town_without_indicators_has_no_table_nor_points_to_one(
        town_file: WriteTown, tmp_path: Path, engine: str) -> None:
    data = town_file(text="town: 青石乡\nyear: 2024\nreview:\n  - title: 加强基层组织建设\n"
                          "    paragraphs: [全年开展党员培训6期。]\nproblems: [产业基础薄弱]\n"
                          "outlook:\n  - title: 发展特色产业\n    paragraphs: [重点发展茶叶种植。]\n")
    out = api.render(data, None, tmp_path / "out.docx", engine=engine)  # type: ignore[arg-type]
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[5:8] == ["二、主要成绩", "2024年，全乡各项工作稳步推进。", "三、存在的问题"]
    assert document.tables == [] and "主要指标完成情况" not in texts
