"""Every bad input the core issue lists, through the command line: exit 1, the place named,
no output file, no traceback."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import cli

from .conftest import DATA_DIR, ROOT

MINIMAL = (DATA_DIR / "minimal.yaml").read_text(encoding="utf-8")
FIRST = "今年种植棉花{{ cotton }}，占耕地面积的{{ share('cotton', 'farmland') }}。"


def edit(**replace: str) -> str:
    text = MINIMAL
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


# name → (data text, template paragraphs or None, what the message must say)
DATA_CASES: dict[str, tuple[str, str]] = {
    "malformed YAML": ("town: [沽东镇\nyear: 2024\n", "town.yaml:2: YAML syntax error"),
    "empty file": ("", "town.yaml: the file is empty"),
    "a list": ("- town: 沽东镇\n", "town.yaml:1: the file must be a mapping"),
    "duplicate key": (edit(**{"year: 2024": "year: 2024\nyear: 2025"}),
                      "town.yaml:3: year: the key 'year' appears twice"),
    "unknown key": (edit(**{"superior:": "superiour:"}), "town.yaml:4: superiour: unknown field"),
    "missing field": (edit(**{"town: 沽东镇\n": ""}), "town.yaml:1: town: required field is missing"),
    "wrong type": (edit(**{"value: 14500": "value: 很多"}),
                   "town.yaml:10: indicators.gdp.value: '很多' is not a number"),
    "through_month 13": (edit(**{"through_month: 10": "through_month: 13"}),
                         "town.yaml:3: through_month: must be at most 12"),
    "growth from 0": (edit(**{"previous: 13679": "previous: 0"}),
                      "town.yaml:11: indicators.gdp.previous: growth cannot be computed"),
    "unknown name": (edit(**{FIRST: '"{{ cottton }}"'}),
                     "town.yaml:34: review[0].paragraphs[0]: unknown name 'cottton'"),
    "sandbox escape": (edit(**{FIRST: "\"{{ ''.__class__.__mro__ }}\""}),
                       "town.yaml:34: review[0].paragraphs[0]: unsafe expression refused"),
    "no such day": (edit(**{"date: 2024-11-20": "date: 2024年2月30日"}),
                    "town.yaml:5: date: there is no such day as 2024年2月30日"),
    "town escaping output/": (edit(**{"town: 沽东镇": "town: ../../etc/x"}),
                              "town.yaml:1: town: the name '../../etc/x2024年工作总结' cannot be an output "
                              "file name"),
    "a value below 0": (edit(**{"value: 3217": "value: -500"}),
                        "town.yaml:16: indicators.income.value: a value below 0 (-500) has no growth"),
    "signed before its figures": (edit(**{"date: 2024-11-20": "date: 2024-09-30"}),
                                  "town.yaml:5: date: the date 2024-09-30 comes before the last month"),
    "an item numbered ①": (edit(**{"  - 农业种植结构单一": "  - ①农业种植结构单一"}),
                          "town.yaml:37: problems[0]: starts with its own number '①'"),
    "an item running on": (edit(**{"技术含量较低\n": "技术含量较低；二是资金不足\n"}),
                           "town.yaml:37: problems[0]: holds the next item too ('二是…')"),
    "nested too deep": ("town: 深镇\nyear: 2024\nachievements: " + "[" * 50 + "]" * 50 + "\n",
                        "town.yaml:3: achievements[0][0]…: nested more than 32 levels deep"),
    "xx in the data": (edit(**{"重点发展奶牛养殖": "重点发展xx养殖"}),
                       "town.yaml:42): the document carries 1 error(s) found by the check"),
}


def run(tmp_path: Path, args: list[str]) -> tuple[int, str, list[Path]]:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        "a traceback: docgen raised instead of reporting"
    written = [p for p in tmp_path.rglob("*.docx") if p.parent.name == "output"]
    # the small test templates lack the genre's four parts, which the check warns of first
    errors = "".join(line + "\n" for line in result.stderr.splitlines()
                     if not line.startswith("Warning: "))
    return result.exit_code, errors, written


@pytest.mark.parametrize("case", list(DATA_CASES))
def test_bad_data(case: str, workdir: Path) -> None:
    text, expected = DATA_CASES[case]
    data = workdir / "town.yaml"
    data.write_text(text, encoding="utf-8")
    code, output, written = run(workdir, ["render", str(data)])
    assert code == 1
    assert output.startswith("Error: ") and expected in output, output
    assert written == []


TEMPLATE_CASES: dict[str, tuple[list[str] | str, str]] = {
    "syntax error": (["{{ title }}", "{%p for s in review %}", "{{ s.title }"],
                     "template.docx: paragraph 3: «{{ s.title }»: template syntax error"),
    "missing variable": (["{{ title }}", "{{ mayor }}"],
                         "template.docx: paragraph 2: «{{ mayor }}»: the template asks for 'mayor'"),
    "not a .docx": ("plain text", "template.docx: not a Word .docx file"),
    "placeholder written by the template": (["{{ title }}", "负责人：xxx"],
                                            "[placeholder]"),
}


@pytest.mark.parametrize("case", list(TEMPLATE_CASES))
def test_bad_template(case: str, workdir: Path, make_template: Callable[..., Path]) -> None:
    content, expected = TEMPLATE_CASES[case]
    if isinstance(content, str):
        template = workdir / "template.docx"
        template.write_text(content, encoding="utf-8")
    else:
        template = make_template(*content)
    assert_render_refused(workdir, template, expected)


def assert_render_refused(workdir: Path, template: Path, expected: str) -> None:
    """Rendering the minimal town with ``template`` fails: exit 1, one error holding ``expected``,
    nothing written (no draft, no temporary file)."""
    data = workdir / "town.yaml"
    data.write_text(MINIMAL, encoding="utf-8")
    code, output, written = run(workdir, ["render", str(data), "-t", str(template)])
    assert code == 1
    assert output.startswith("Error: ") and expected in output, output
    assert written == []
    assert list(workdir.rglob(".~docgen-*")) == []


def test_validate_lists_the_same_problems_without_writing(workdir: Path) -> None:
    data = workdir / "town.yaml"
    data.write_text(DATA_CASES["growth from 0"][0], encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(data)])
    assert result.exit_code == 1
    assert "town.yaml:11: indicators.gdp.previous: growth cannot be computed" in result.output
    assert not (workdir / "output").exists()


@pytest.mark.parametrize("given", ["data/county-2024.xlsx", "templates/annual-summary.docx"])
def test_a_word_or_excel_file_given_as_data(given: str, workdir: Path) -> None:
    code, output, written = run(workdir, ["render", str(ROOT / given)])
    assert (code, output, written) == (1, (
        f"Error: {ROOT / given}: this is a Word or Excel file, not a data file: give the town's .yaml "
        "file (a statistics workbook goes to docgen batch, with the .yaml files)\n"), [])


def test_the_cases_are_json_clean() -> None:
    json.dumps(DATA_CASES, ensure_ascii=False)  # the table itself is plain data


def footer_template(make_template: Callable[..., Path], footer: str, *, unreadable: bool = False) \
        -> Path:
    """A small template whose footer says ``footer``; ``unreadable``: its paragraph's style has no
    w:val, which Word's XML requires."""
    template = make_template("{{ title }}", "{{ intro }}")
    document = docx.Document(str(template))
    document.sections[0].footer.paragraphs[0].text = footer
    document.save(str(template))
    if unreadable:
        with zipfile.ZipFile(template) as package:
            members = {info.filename: package.read(info) for info in package.infolist()}
        members["word/footer1.xml"] = members["word/footer1.xml"].replace(
            b"<w:p>", b"<w:p><w:pPr><w:pStyle/></w:pPr>", 1)
        with zipfile.ZipFile(template, "w") as package:
            for name, data in members.items():
                package.writestr(name, data)
    return template


@pytest.mark.parametrize(("footer", "unreadable", "expected"), [
    ("xx办公室", False, "footer 1, paragraph 1: nothing was written (not found as written in the "
                        "data: the template writes it, or a figure docgen computed)"),
    ("— 1 —", True, "nothing was written: the template's XML cannot be read: required"),
])
def test_a_template_footer_that_cannot_go_out(workdir: Path, make_template: Callable[..., Path],
                                              footer: str, unreadable: bool, expected: str) -> None:
    template = footer_template(make_template, footer, unreadable=unreadable)
    assert_render_refused(workdir, template, expected)


def test_check_on_a_document_whose_footer_cannot_be_read(workdir: Path,
                                                        make_template: Callable[..., Path]) -> None:
    document = footer_template(make_template, "— 1 —", unreadable=True)
    result = CliRunner().invoke(cli, ["check", str(document)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {document}: cannot read the document: required "
                             "'{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val' "
                             "attribute not present on element "
                             "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pStyle\n")


def test_ctrl_c_in_any_command_is_exit_130_without_a_traceback(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Ctrl-C while a batch plans (before its own handling starts), or in any other command."""
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("docgen.batch.plan", interrupted)
    result = CliRunner().invoke(cli, ["batch", str(ROOT / "data"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 130 and isinstance(result.exception, SystemExit)  # no traceback
    assert result.stderr.endswith(
        "interrupted: files being written were completed or not written at all\n")
    assert not (tmp_path / "out").exists()
