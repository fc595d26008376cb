"""Loading data files: every mistake is a DataError naming file, line and field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen import api, cnformat
from docgen.context import build_context
from docgen.errors import DataError, DataErrors
from docgen.loading import field_path, load
from docgen.model import parse_date, parse_number

from .conftest import ROOT

WriteTown = Callable[..., Path]


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load(path)
    return [str(p) for p in info.value.problems]


def test_the_minimal_town_loads(town_file: WriteTown) -> None:
    data = load(town_file())
    assert data.township.town == "沽东镇"
    assert data.township.indicators["gdp"].value == Decimal(14500)
    assert list(data.township.indicators) == ["gdp", "income", "party", "cotton", "farmland"]
    assert data.place(("review", 0, "paragraphs", 1)).line == 35


@pytest.mark.parametrize(("text", "expected"), [
    ("town: [沽东镇\nyear: 2024\n",
     ":2: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'"),
    ("", ": the file is empty: it needs the fields town, year, review, problems and outlook"),
    ("# only a comment\n", ": the file is empty"),
    ("- town: 沽东镇\n", ":1: the file must be a mapping of fields (town: …, year: …), not a list"),
    ("沽东镇\n", ":1: the file must be a mapping of fields (town: …, year: …), not a single value"),
])
def test_malformed_files(town_file: WriteTown, text: str, expected: str) -> None:
    path = town_file(text)
    assert problems_of(path)[0].startswith(str(path) + expected)


def test_duplicate_key_names_both_lines(town_file: WriteTown) -> None:
    path = town_file(year="year: 2024\nyear")
    assert problems_of(path) == [
        f"{path}:3: year: the key 'year' appears twice (lines 2 and 3); keep one"]


def test_duplicate_key_inside_an_indicator(town_file: WriteTown) -> None:
    path = town_file(**{"    value: 14500\n": "    value: 14500\n    value: 14600\n"})
    assert problems_of(path) == [f"{path}:11: indicators.gdp.value: the key 'value' appears twice "
                                 "(lines 10 and 11); keep one"]


def test_unknown_key_suggests_the_right_one(town_file: WriteTown) -> None:
    path = town_file(**{"through_month": "throughmonth"})
    assert problems_of(path) == [
        f"{path}:3: throughmonth: unknown field 'throughmonth' (did you mean 'through_month'?)"]


def test_missing_field_and_wrong_type_are_all_listed(town_file: WriteTown) -> None:
    path = town_file(**{"town: 沽东镇\n": "", "year: 2024": "year: 二〇二四"})
    assert problems_of(path) == [
        f"{path}:1: town: required field is missing",
        f"{path}:1: year: must be a whole number",
    ]


def test_through_month_13(town_file: WriteTown) -> None:
    path = town_file(**{"through_month: 10": "through_month: 13"})
    assert problems_of(path) == [f"{path}:3: through_month: must be at most 12 (got 13)"]


def test_number_as_words_is_refused_with_its_place(town_file: WriteTown) -> None:
    path = town_file(**{"value: 3217": "value: 3217元"})
    assert problems_of(path) == [
        f"{path}:16: indicators.income.value: '3217元' is not a number: write digits only, "
        "e.g. 1234 or 1234.5, without units or words"]


def test_empty_list_and_empty_text(town_file: WriteTown) -> None:
    path = town_file(**{"  - 农业种植结构单一，技术含量较低\n  - 村级管理规范化程度不高。\n": "  []\n"})
    assert problems_of(path) == [f"{path}:36: problems: needs at least one item"]


def test_date_outside_the_report_year(town_file: WriteTown) -> None:
    path = town_file(**{"date: 2024-11-20": "date: 2023-11-20"})
    assert problems_of(path) == [f"{path}:5: date: the date 2023-11-20 does not belong to the "
                                 "report year 2024: it must fall in 2024 or 2025"]


@pytest.mark.parametrize("written", ["2024年11月20日", '"2024年11月20日"', "２０２４年１１月２０日",
                                     "2024 年 11 月 20 日", "2024.11.20", "2024/11/20", "'2024-11-20'"])
def test_a_date_as_a_signature_writes_it(town_file: WriteTown, written: str) -> None:
    assert load(town_file(**{"date: 2024-11-20": f"date: {written}"})).township.date == \
        dt.date(2024, 11, 20)


@pytest.mark.parametrize(("written", "problem"), [
    ("2024年2月30日", "there is no such day as 2024年2月30日"),
    ("2024.13.01", "there is no such day as 2024.13.01"),
    ("2024年11月", "must be a date such as 2024-11-20"),
    ("2024.11/20", "must be a date such as 2024-11-20"),
    ("2023年11月20日", "the date 2023-11-20 does not belong to the report year 2024: it must fall in "
                      "2024 or 2025"),
])
def test_a_written_date_that_is_no_day(town_file: WriteTown, written: str, problem: str) -> None:
    path = town_file(**{"date: 2024-11-20": f"date: {written}"})
    assert problems_of(path) == [f"{path}:5: date: {problem}"]


@pytest.mark.parametrize("name", ["data/county-2024.xlsx", "templates/annual-summary.docx"])
def test_a_word_or_excel_file_given_as_data_is_named_as_such(name: str) -> None:
    path = ROOT / name
    with pytest.raises(DataError) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}: this is a Word or Excel file, not a data file: give the town's .yaml file (a "
        "statistics workbook goes to docgen batch, with the .yaml files)")


@pytest.mark.parametrize("item", ["第一产业比重偏高", "1.5万亩土地尚未流转", "产业单一，二是字样在句中不算",
                                  "Ⅱ类水质断面占比偏低", "2024年，投入不足；第三产业发展滞后"])
def test_an_item_that_only_looks_numbered_is_kept(town_file: WriteTown, item: str) -> None:
    path = town_file(**{"  - 农业种植结构单一，技术含量较低": f"  - {item}"})
    assert load(path).township.problems[0] == item


def test_data_nested_past_any_field_is_an_error_at_its_line(town_file: WriteTown) -> None:
    deep = town_file(text="town: 深镇\nyear: 2024\nachievements: " + "[" * 990 + "]" * 990 + "\n")
    assert problems_of(deep) == [f"{deep}:3: achievements[0][0]…: nested more than 32 levels deep: "
                                 "no field of a data file is"]


def test_a_value_below_zero_with_a_previous_value_is_refused_at_its_line(town_file: WriteTown) -> None:
    path = town_file(**{"value: 3217": "value: -500"})
    with pytest.raises(DataErrors) as caught:
        build_context(load(path))
    assert str(caught.value.problems[0]) == (
        f"{path}:16: indicators.income.value: a value below 0 (-500) has no growth or completion to "
        "write (下降600%, 完成-500%); leave out 'previous', or give the figure in the text")


def test_a_date_before_the_last_month_covered_is_refused(town_file: WriteTown) -> None:
    """Figures through October (minimal.yaml) cannot be signed in September; from October on they can."""
    early = town_file(**{"date: 2024-11-20": "date: 2024-09-30"})
    with pytest.raises(DataErrors) as caught:
        build_context(load(early))
    assert [str(p) for p in caught.value.problems] == [
        f"{early}:5: date: the date 2024-09-30 comes before the last month the figures cover (2024-10, "
        "through_month 10): the summary cannot be signed before its figures are in"]
    build_context(load(town_file(name="october.yaml", **{"date: 2024-11-20": "date: 2024-10-01"})))


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_the_document_date_reads_back_as_the_same_day(day: dt.date) -> None:
    """What docgen writes under the signature (cnformat.date) is read as that very day."""
    assert parse_date(cnformat.date(day)) == day
    assert parse_date(f"{day.year}.{day.month}.{day.day}") == day


def test_indicator_key_must_be_an_identifier(town_file: WriteTown) -> None:
    path = town_file(**{"  cotton:": "  棉花:"})
    assert problems_of(path)[0].startswith(
        f"{path}:23: indicators.棉花.[key]: indicator key '棉花' must be letters")


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("town: 沽东镇\n".encode("gbk"))
    assert problems_of(path) == [f"{path}:1: the file is in GBK (ANSI) encoding; save it as UTF-8 "
                                 "(in Notepad: File > Save As > Encoding: UTF-8)"]
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"town: a\nyear: 2024\n\xff\xfe\xff\n")
    assert problems_of(binary) == [f"{binary}:3: the file is not UTF-8 text; save it as UTF-8"]
    assert problems_of(tmp_path / "none.yaml") == [f"{tmp_path / 'none.yaml'}: no such file"]


@pytest.mark.parametrize(("raw", "expected"), [
    (1234, "1234"), (12.5, "12.5"), ("1,234", "1234"), ("1,234,567.5", "1234567.5"),
    ("１２３", "123"), ("１２，３４５", "12345"), (" 42 ", "42"), ("-3.5", "-3.5"), ("0.1", "0.1"),
])
def test_numbers_read_correctly(raw: object, expected: str) -> None:
    assert parse_number(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["1.2万", "12%", "约300", "1,23", "12,34,567", "", True, None,
                                 "1e5", float("nan"), "3,217元"])
def test_numbers_never_misread(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_number(raw)


def test_field_path() -> None:
    assert field_path(("review", 0, "paragraphs", 1)) == "review[0].paragraphs[1]"
    assert field_path(("indicators", "gdp", "value")) == "indicators.gdp.value"
    assert field_path(()) == ""


def test_folded_text_keeps_chinese_together(town_file: WriteTown) -> None:
    folded = "  - >-\n    农业种植结构单一，\n    技术含量较低 and English words\n    stay apart\n"
    path = town_file(**{"  - 农业种植结构单一，技术含量较低\n": folded})
    assert load(path).township.problems[0] == \
        "农业种植结构单一，技术含量较低 and English words stay apart"


@pytest.mark.parametrize("written", [
    "  - 农业种植结构单一，\n    技术含量较低 and English words\n    stay apart\n",        # plain (helper-32)
    '  - "农业种植结构单一，\n    技术含量较低 and English words\n    stay apart"\n',      # quoted
])
def test_a_text_going_on_to_the_next_line_keeps_chinese_together(town_file: WriteTown,
                                                                   written: str) -> None:
    path = town_file(**{"  - 农业种植结构单一，技术含量较低\n": written})
    assert load(path).township.problems[0] == \
        "农业种植结构单一，技术含量较低 and English words stay apart"


def test_a_space_typed_between_chinese_characters_on_one_line_stays(town_file: WriteTown) -> None:
    path = town_file(**{"  - 农业种植结构单一，技术含量较低\n": "  - 青 山 镇农业种植结构单一\n"})
    assert load(path).township.problems[0] == "青 山 镇农业种植结构单一"


@pytest.mark.parametrize("written", ["2024-11-20", "2024年11月20日", "２０２４年１１月２０日",
                                     "2024 年 1 月 5 日", "2024.11.20", "2024/1/5", "２０２４／１１／２０",
                                     "2024．11．20"])
def test_the_schema_admits_every_date_the_model_reads(written: str) -> None:
    """An editor checking the data file against the schema does not flag a date docgen reads."""
    assert isinstance(parse_date(written) if "-" not in written else dt.date.fromisoformat(written),
                      dt.date)
    branches = api.schema()["properties"]["date"]["anyOf"]
    patterns = [re.compile(b["pattern"]) for b in branches if "pattern" in b]
    iso = any(b.get("format") == "date" for b in branches) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", written)
    assert iso or any(p.search(written) for p in patterns)


def test_a_text_cut_short_by_a_comment_is_refused_at_its_line(town_file: WriteTown) -> None:
    """helper-32: "新打机井10眼 #2号井已投用，…" came out as "新打机井10眼", with no word said."""
    path = town_file(**{"      - 今年种植棉花": "      - 新打机井10眼 #2号井已投用，今年种植棉花"})
    assert problems_of(path) == [
        f"{path}:34: review[0].paragraphs[0]: the text ends at \" #\": YAML reads \"#2号井已投用，今年种植"
        "棉花{{ cotton }}，占耕地面积的{{ share('cotton', 'farmland') }}。\" as a comment and leaves it out; "
        "put the whole text in quotes, or write ＃"]


@pytest.mark.parametrize("line", [
    "      - \"新打机井10眼 #2号井已投用。\"\n",     # quoted: the # is text
    "      - 新打机井10眼＃2号井已投用。\n",          # a full-width ＃ is text
    "      - 新打机井10眼。  # 2号井的情况另报\n",    # a comment, with its space
])
def test_a_hash_in_quotes_or_a_comment_proper_passes(town_file: WriteTown, line: str) -> None:
    path = town_file(**{"      - 今年种植棉花": line + "      - 今年种植棉花"})
    assert load(path).township.review[0].paragraphs[0].startswith("新打机井10眼")


def test_a_full_width_unit_is_the_half_width_one(town_file: WriteTown) -> None:
    """helper-31: 乙镇 wrote "％", the others "%": the summary had two 森林覆盖率 columns, and 乙镇's
    was ranked alone."""
    party = load(town_file(**{'    unit: "%"': '    unit: "％"'})).township.indicators["party"]
    assert (party.unit, party.is_rate) == ("%", True)


def test_a_comment_after_a_short_value_is_a_comment(town_file: WriteTown) -> None:
    """helper-33: "superior: 滨河区 #区名" was refused as a text cut short: only the summary's texts
    (intro, review, achievements, problems, outlook) are read so."""
    assert load(town_file(**{"superior: 滨河区": "superior: 滨河区 #区名"})).township.superior == "滨河区"


def test_a_text_over_lines_joins_its_figures_and_quotes_too(town_file: WriteTown) -> None:
    """helper-33: "达到\\n1.45亿元" gave "达到 1.45亿元", "，\\n“四议两公开”" "， “四议两公开”"."""
    written = "  - 村级管理达到\n    1.45亿元，\n    “四议两公开” and English words\n    stay apart\n"
    path = town_file(**{"  - 村级管理规范化程度不高。\n": written})
    assert load(path).township.problems[1] == \
        "村级管理达到1.45亿元，“四议两公开” and English words stay apart"
