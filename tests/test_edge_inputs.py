"""Inputs a reviewer found that used to crash, misread or lose work: each now has its answer."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.output import MAX_NAME_BYTES

from .conftest import ROOT
from .drafts.docx_drafts import build_docx

WriteTown = Callable[..., Path]
FIRST = "今年种植棉花{{ cotton }}，占耕地面积的{{ share('cotton', 'farmland') }}。"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), "a traceback"
    return result.exit_code, result.output


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("date: 2024-11-20", "date: 2024-02-30",
     ":5: date: '2024-02-30' cannot be read: day is out of range for month"),
    ("value: 3217", "value: 03217", ":16: indicators.income.value: '03217' is not a plain number"),
    ("value: 3217", "value: 1:30", ":16: indicators.income.value: '1:30' is not a plain number"),
    ("value: 3217", "value: 0x10", ":16: indicators.income.value: '0x10' is not a plain number"),
    ("through_month: 10", "through_month: 010", ":3: through_month: '010' is not a plain number"),
    ("town: 沽东镇", "town：沽东镇", "(line 1 has a full-width colon '：' where YAML needs ': ')"),
    # from helper-32: the line the slip is on, and what the slip is
    ("    value: 3217", "    value:3217", ":16: YAML syntax error: while scanning a simple key could not "
     "find expected ':' (line 16 needs a space after the ':' (key: value))"),
    ("  - 农业种植结构单一，技术含量较低", '  - "注册"沽东"商标"',
     "(on line 37 the text in quotes holds a \" of its own: write Chinese quotes “ ” inside it, or put the "
     "whole text in single quotes '…')"),
    ("  - 村级管理规范化程度不高。", "  - *全镇新建大棚50个。",
     "(on line 38 the value *全镇新建大棚50个。 must be in quotes"),
    ("  - 村级管理规范化程度不高。", "  - @全镇新建大棚50个。",
     "(on line 38 the value @全镇新建大棚50个。 must be in quotes"),
    ("  - 村级管理规范化程度不高。", "  村级管理规范化程度不高。",
     ":38: YAML syntax error: while scanning a simple key could not find expected ':' (line 38 is a text "
     "among the list's lines without the '- ' that starts each)"),
    ("  - 村级管理规范化程度不高。", "  - 主要做法: 一是抓产业，二是抓服务。",
     ":38: problems[1]: must be text, but the \": \" after \"主要做法\" made YAML read a key: write a "
     "full-width \"：\", or put the whole text in quotes"),
    ("  - title: 加快农业产业结构调整", "  - title:", ":32: review[0].title: must not be empty"),
    # helper-33: the error's own line, not a full-width colon in a list's text on the line before
    ("  - 农业种植结构单一，技术含量较低\n  - 村级管理规范化程度不高。",
     '  - 农业种植结构单一：技术含量较低\n  - "注册"沽东"商标"', ":38: YAML syntax error: while parsing a "
     "block collection did not find expected '-' indicator (on line 38 the text in quotes holds"),
    ('unit: "%"', "unit: %", "the value % must be in quotes"),
    ("  - 农业种植结构单一，技术含量较低", "  - 一是农业种植结构单一",
     ":37: problems[0]: starts with its own number '一是': docgen numbers these itself"),
    ("  - title: 加快农业产业结构调整", "  - title: （一）加快农业产业结构调整",
     ":32: review[0].title: starts with its own number '（一）'"),
    ("  - 农业种植结构单一，技术含量较低", "  - ①农业种植结构单一",
     ":37: problems[0]: starts with its own number '①'"),
    ("  - 农业种植结构单一，技术含量较低", "  - 第一，农业种植结构单一",
     ":37: problems[0]: starts with its own number '第一，'"),
    ("  - 农业种植结构单一，技术含量较低", "  - 农业种植结构单一；二是技术含量较低",
     ":37: problems[0]: holds the next item too ('二是…'): write each as an item of its own"),
    # 单一是 is no 一是
    ("  - 农业种植结构单一，技术含量较低", "  - 产业结构单一是突出短板；二是基础设施薄弱",
     ":37: problems[0]: holds the next item too ('二是…'): write each as an item of its own"),
])
def test_data_that_used_to_be_misread_or_crash(town_file: WriteTown, old: str, new: str,
                                               expected: str) -> None:
    data = town_file(**{old: new})
    code, output = invoke("validate", str(data))
    assert code == 1 and expected in output, output


def test_a_problem_listing_its_own_points_is_one_item(town_file: WriteTown, tmp_path: Path) -> None:
    """"…能力不足，主要表现在：一是…；二是…" is one problem with its points, not the next item run
    on: validate refused it; the draft reads 一是…：一是…；二是…；二是<the next problem>."""
    data = town_file(**{"  - 农业种植结构单一，技术含量较低":
                        "  - 村级带富能力不足，主要表现在：一是思想观念保守；二是带富能力不强"})
    code, output = invoke("validate", str(data))
    assert (code, output) == (0, f"{data}: valid\n"), output
    code, output = invoke("render", str(data), "-o", str(tmp_path / "out"))
    assert code == 0, output


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ 9 ** (9 ** 9) }}", "an exponent above 100 is refused"),
    ("{{ 'a' * 100000000 }}", "repeating text more than 10000 characters long is refused"),
    ("{{ none }}", "the expression gives None, not a text or a number"),
    ("{{ lipsum() }}", "unknown name 'lipsum'"),
    ("{{ share(cotton, farmland) }}", "share() takes two indicator keys in quotes"),
])
def test_expressions_that_used_to_hang_or_leak(town_file: WriteTown, text: str, expected: str) -> None:
    data = town_file(**{FIRST: f'"{text}"'})
    code, output = invoke("validate", str(data))
    assert code == 1 and expected in output, output


def test_an_unknown_filter_in_a_template(town_file: WriteTown, make_template: Callable[..., Path],
                                         workdir: Path) -> None:
    template = make_template("{{ title }}", "{{ town | foo }}")
    code, output = invoke("render", str(town_file()), "-t", str(template))
    assert code == 1
    assert output == (f"Error: {template}: paragraph 2: «{{{{ town | foo }}}}»: template syntax error: "
                      "No filter named 'foo'.\n")


def test_a_town_name_too_long_for_a_file(town_file: WriteTown, workdir: Path) -> None:
    data = town_file(**{"town: 沽东镇": "town: " + "长" * 80})
    code, output = invoke("render", str(data))
    assert code == 1 and "is too long for a file name" in output
    assert not (workdir / "output").exists()
    fits = town_file(name="fits.yaml", **{"town: 沽东镇": "town: " + "长" * 70})
    assert len(("长" * 70 + "2024年工作总结.docx").encode()) <= MAX_NAME_BYTES
    assert invoke("render", str(fits))[0] == 0


def test_force_never_replaces_the_data_file_or_the_template(town_file: WriteTown,
                                                            make_template: Callable[..., Path]) -> None:
    data = town_file()
    before = data.read_bytes()
    code, output = invoke("render", str(data), "-o", str(data), "--force")
    assert code == 1 and "the output must be a .docx file or a folder, not 'town.yaml'" in output
    assert data.read_bytes() == before
    template = make_template("{{ title }}")
    code, output = invoke("render", str(data), "-t", str(template), "-o", str(template), "--force")
    assert code == 1 and "an input of this run" in output


def test_an_output_ending_in_a_slash_is_a_folder(town_file: WriteTown, workdir: Path) -> None:
    code, output = invoke("render", str(town_file()), "-o", "drafts/")
    assert (code, output) == (0, str(Path("drafts") / "沽东镇2024年工作总结.docx") + "\n")
    assert (workdir / "drafts" / "沽东镇2024年工作总结.docx").is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_drafts_are_readable_by_colleagues(town_file: WriteTown, workdir: Path) -> None:
    old = os.umask(0o022)
    try:
        invoke("render", str(town_file()))
    finally:
        os.umask(old)
    mode = stat.S_IMODE((workdir / "output" / "沽东镇2024年工作总结.docx").stat().st_mode)
    assert mode == 0o644


def test_check_reports_every_readable_file(tmp_path: Path) -> None:
    good = build_docx(["沽东镇2024年工作总结", "平均产量可达到公斤。"], tmp_path / "good.docx")
    broken = tmp_path / "broken.docx"
    broken.write_text("no", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(broken), str(good)])
    assert result.exit_code == 1
    assert f"{good}: paragraph 2: error [blank-number]" in result.output
    assert f"Error: {broken}: cannot read the document" in result.output


def test_new_refuses_a_same_or_later_year_and_an_empty_town(workdir: Path) -> None:
    last = ROOT / "data" / "gudong-2024.yaml"
    code, output = invoke("new", "沽东镇", "--year", "2024", "--from", str(last))
    assert code == 1 and "--from is the data of 2024, not of the year before 2024" in output
    code, output = invoke("new", "  ", "--year", "2025")
    assert (code, output) == (1, "Error: the town's name is empty\n")


@pytest.mark.parametrize("item", [
    "农业基础薄弱，主要表现在一是灌溉设施老化；二是机械化水平低",
    "农业基础薄弱（一是灌溉设施老化；二是机械化水平低）",
    "农业基础薄弱，具体为第一，灌溉设施老化；第二，机械化水平低",
])
def test_a_problem_item_may_list_its_points_after_any_lead_in(town_file: WriteTown, item: str) -> None:
    data = town_file(**{"  - 农业种植结构单一，技术含量较低": f"  - {item}"})
    code, output = invoke("validate", str(data))
    assert (code, output) == (0, f"{data}: valid\n"), output
