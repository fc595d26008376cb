"""The check's reports: text for a person, JSON of the documented shape, and the render guard."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from docgen.checks import Block, Finding, check_blocks, format_text, has_errors, require_clean, to_json
from docgen.checks.jsonshape import SCHEMA_FILE, ReportModel, json_schema, json_schema_text
from docgen.errors import CheckError

DOCS = Path(__file__).resolve().parents[1] / "docs" / "check-json.md"

SLIPPED = [Block(1, "沽东镇2024年工作总结"), Block(2, "一、2024年工作回顾"),
           Block(3, "在xx区的领导下，平均产量可达到公斤。"), Block(3, "{{ value }}", "cell", None, (1, 2, 3)),
           Block(4, "二、主要成绩"), Block(5, "全年增长7.5%。"), Block(6, "三、存在的问题"),
           Block(7, "一是结构单一。")]


@pytest.fixture
def results() -> dict[Path, list[Finding]]:
    return {Path("a.docx"): check_blocks(SLIPPED), Path("b.docx"): []}


def test_the_text_report_lists_each_finding_with_its_place_and_snippet(
        results: dict[Path, list[Finding]]) -> None:
    assert format_text(results) == (
        "a.docx: paragraph 3: error [placeholder] placeholder \"xx\" left where a name or figure belongs\n"
        "    在【xx】区的领导下，平均产量可达到公斤。\n"
        "a.docx: paragraph 3: error [blank-number] a number is missing before \"公斤\"\n"
        "    在xx区的领导下，平均产量可【达到公斤】。\n"
        "a.docx: table 1, row 2, column 3: error [template-tag] template tag {{ value }} was not filled in\n"
        "    【{{ value }}】\n"
        "a.docx: whole document: warning [structure] no heading for 工作打算; a summary has 工作回顾, "
        "主要成绩, 存在的问题 and 工作打算, in that order\n"
        "b.docx: no findings\n"
        "checked 2 file(s): 3 error(s), 1 warning(s)\n")


def test_the_json_report_has_the_documented_shape(results: dict[Path, list[Finding]]) -> None:
    text = to_json(results)
    report = ReportModel.model_validate_json(text)
    assert (report.summary.files, report.summary.errors, report.summary.warnings) == (2, 3, 1)
    first = report.files[0]
    assert (first.path, first.errors, first.warnings, len(first.findings)) == ("a.docx", 3, 1, 4)
    cell = first.findings[2]
    assert (cell.category, cell.paragraph, cell.cell and cell.cell.model_dump()) == (
        "template-tag", None, {"table": 1, "row": 2, "column": 3})
    assert "平均产量可【达到公斤】" in text  # Chinese kept as is, not \u escapes


@pytest.mark.parametrize("damage", [
    lambda r: r.pop("summary"),
    lambda r: r["files"][0]["findings"][0].update(category="typo"),
    lambda r: r["files"][0]["findings"][0].update(severity="fatal"),
    lambda r: r["files"][0]["findings"][0].update(paragraph="3"),
    lambda r: r["files"][0]["findings"][2].update(cell={"table": 1, "row": 2}),
    lambda r: r["files"][0].update(extra=1),
])
def test_the_shape_check_can_fail(results: dict[Path, list[Finding]], damage: object) -> None:
    report = json.loads(to_json(results))
    assert callable(damage)
    damage(report)
    with pytest.raises(ValidationError):
        ReportModel.model_validate_json(json.dumps(report))


def test_the_schema_file_is_the_models_schema() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text()


def test_the_docs_describe_every_field_and_category_and_their_example_is_valid() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    schema = json_schema()
    fields = set(schema["properties"])
    for definition in schema["$defs"].values():
        fields |= set(definition.get("properties", {}))
    undocumented = {f for f in fields if not any(m in docs for m in (f"`{f}`", f".{f}`", f"\"{f}\""))}
    assert undocumented == set()
    categories = schema["$defs"]["FindingModel"]["properties"]["category"]["enum"]
    assert all(f"`{c}`" in docs for c in categories)
    example = re.search(r"```json\n(.*?)```", docs, re.DOTALL)
    assert example is not None
    ReportModel.model_validate_json(example.group(1))


def test_has_errors_looks_at_severity_only() -> None:
    warning = Finding("structure", "warning", "m", None, None, 0, 0, "")
    error = Finding("year", "error", "m", 3, None, 0, 1, "【年】")
    assert (has_errors([]), has_errors([warning]), has_errors([warning, error])) == (False, False, True)


def test_require_clean_refuses_a_document_with_an_error_naming_file_and_place() -> None:
    with pytest.raises(CheckError) as caught:
        require_clean(Path("out.docx"), check_blocks(SLIPPED))
    message = str(caught.value)
    assert message.startswith("out.docx: paragraph 3: the document carries 3 error(s) found by the check:")
    assert ("paragraph 3: [placeholder] placeholder \"xx\" left where a name or figure belongs: 在【xx】区"
            in message)
    assert "table 1, row 2, column 3: [template-tag]" in message


def test_require_clean_accepts_warnings() -> None:
    require_clean(Path("out.docx"), [Finding("structure", "warning", "m", None, None, 0, 0, "")])


def test_under_a_chinese_locale_the_report_is_in_chinese(results: dict[Path, list[Finding]],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_LANG", "zh_CN")
    text = format_text({Path("a.docx"): check_blocks(SLIPPED)})
    assert "a.docx: 第3段: 错误 [placeholder] 此处留有占位符“xx”，应填写实际名称或数字\n" in text
    assert "a.docx: 表1第2行第3列: 错误 [template-tag] 模板标记{{ value }}未被填充\n" in text
    assert text.endswith("共检查 1 个文件：错误 3 处，警告 1 处\n")


def test_every_message_of_the_check_has_a_chinese_translation() -> None:
    from babel.messages.extract import extract
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[1]
    po = root / "docgen" / "locale" / "zh_CN" / "LC_MESSAGES" / "docgen.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = []
    for source in sorted((root / "docgen" / "checks").glob("*.py")):
        with source.open("rb") as handle:
            for _line, message, _comments, _context in extract("python", handle, keywords={"_": None}):
                entry = catalog.get(message)
                if entry is None or not entry.string:
                    untranslated.append(message)
    assert untranslated == []
