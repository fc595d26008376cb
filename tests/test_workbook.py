"""The 指标 workbook: figures merged with the towns' YAML, and every bad cell named."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from docgen.cli import cli
from docgen.errors import DataError, DataErrors
from docgen.loading import load
from docgen.workbook import display_scale, merge, read_workbook, read_workbooks

from .conftest import FOUR_PARTS, ROOT, body_texts

BATCH = Path(__file__).parent / "batch"
HEADER = ["乡镇", "指标代码", "指标名称", "单位", "本年", "上年同期", "预计全年", "全年目标"]
BAIHE = [["白河镇", "gdp", "地区生产总值", "万元", 12000, 11000, None, None],
         ["白河镇", "forest", "森林覆盖率", "%", 35.5, 34, None, None]]
ROWS = "{% for r in indicator_rows %}{{ r.name }}：{{ r.value }}{{ r.unit }}，{{ r.change }}；{% endfor %}"


def make_book(path: Path, rows: Sequence[Sequence[Any]], header: Sequence[Any] = HEADER,
              sheet: str = "指标", edit: Callable[[Any], None] | None = None) -> Path:
    """An .xlsx with ``header`` and ``rows`` on ``sheet``; ``edit`` may change the sheet first."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    if edit is not None:
        edit(ws)
    book.save(path)
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def template(make_template: Callable[..., Path]) -> Path:
    return make_template("{{ title }}", "{{ review[0].paragraphs[0] }}", ROWS, *FOUR_PARTS)


@pytest.fixture
def text_town(workdir: Path) -> Path:
    """白河镇's text without figures, in the working folder."""
    shutil.copy(BATCH / "text" / "baihe.yaml", workdir / "baihe.yaml")
    return Path("baihe.yaml")


def problems_of(book: Path, data: Path) -> list[str]:
    """Every problem merging ``book`` into ``data`` raises, as printed."""
    with pytest.raises(DataErrors) as caught:
        merge(load(data), read_workbooks([book])[load(data).township.town])
    return [str(p) for p in caught.value.problems]


def test_the_workbook_supplies_the_figures(runner: CliRunner, text_town: Path, template: Path) -> None:
    make_book(Path("book.xlsx"), BAIHE)
    result = runner.invoke(cli, ["batch", str(text_town), "book.xlsx", "-t", str(template), "-o", "out"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "白河镇  done    out/白河镇2024年工作总结.docx"
    texts = body_texts(Path("out/白河镇2024年工作总结.docx"))
    assert texts[2] == "地区生产总值：12000万元，+9.1%；森林覆盖率：35.5%，+1.5个百分点；"
    assert texts[1] == "全年实现地区生产总值1.2亿元，增长9.1%；森林覆盖率35.5%，提高1.5个百分点。"


def test_a_figure_is_read_as_its_cell_shows_it(workdir: Path) -> None:
    """A rate kept as a fraction in a percentage cell (0.965 shown as 96.5%) is 96.5, as the office
    reads it on screen; so is a figure a format scales (14500 in a 0.0, cell shows 14.5)."""
    def formats(ws: Any) -> None:
        ws["E2"].number_format = ws["F2"].number_format = "#,##0.0,"
        ws["E3"].number_format = ws["F3"].number_format = "0.0%"
        ws["G3"].number_format = '0.0"%"'  # a % sign written as text: the number is shown as it is

    book = make_book(workdir / "book.xlsx", [
        ["白河镇", "gdp", "地区生产总值", "万元", 12000000, 11000000, None, None],
        ["白河镇", "forest", "森林覆盖率", "%", 0.355, 0.34, 36, None]], edit=formats)
    town = merge(load(BATCH / "text" / "baihe.yaml"), read_workbooks([book])["白河镇"]).township
    gdp, forest = town.indicators["gdp"], town.indicators["forest"]
    assert (str(gdp.value), str(gdp.previous)) == ("12000", "11000")
    assert (str(forest.value), str(forest.previous), str(forest.forecast)) == ("35.5", "34", "36")


@pytest.mark.parametrize(("number_format", "scale"), [
    ("General", "1"), ("0.00%", "100"), ("0%;[Red]-0%", "100"), ("[$-804]0.0%", "100"),
    ('0.0"%"', "1"), ("0\\%", "1"), ("0.0!%", "1"), ("#,##0", "1"),
    ("#,##0_);(#,##0)", "1"), ("#,##0.0,", "0.001"),
    ("0.0,,", "0.000001"), ('0.0,"千"', "0.001"), ("0%%", "10000")])
def test_the_scale_a_number_format_shows(number_format: str, scale: str) -> None:
    assert display_scale(number_format) == Decimal(scale)


def test_a_format_that_writes_its_own_point_is_refused_at_its_cell(workdir: Path) -> None:
    """0!.0, shows 145000 as 14.5 (万 at a glance): the figure shown is not one docgen can read."""
    def formats(ws: Any) -> None:
        ws["E2"].number_format = "0!.0,"
        ws["F2"].number_format = '0"."0,'

    book = make_book(workdir / "book.xlsx", BAIHE, edit=formats)
    assert [str(p) for p in read_workbook(book)["白河镇"].problems] == [
        f"{book}: 指标!{cell}: {heading}: the cell's number format '{fmt}' writes a point of its own "
        "among the digits, so what it shows is not the figure; give the cell a plain number format "
        "(e.g. 0.0) and the figure in the 单位 of the row"
        for cell, heading, fmt in (("E2", "本年", "0!.0,"), ("F2", "上年同期", '0"."0,'))]
    assert display_scale("0.0!%") == 1 and display_scale('0.0"."') == 1  # a point after the digits


def test_the_workbook_completes_the_yaml(workdir: Path) -> None:
    data = BATCH / "text" / "partial.yaml"
    book = make_book(workdir / "book.xlsx", [
        *BAIHE, ["白河镇", "grain", "粮食总产量", "吨", 20500, 20000, None, "21000"]])
    town = merge(load(data), read_workbooks([book])["白河镇"]).township
    assert list(town.indicators) == ["grain", "gdp", "forest"]  # the YAML's order, then the book's
    grain = town.indicators["grain"]
    assert (grain.value, grain.previous, grain.target, grain.additive) == \
        (Decimal(20500), Decimal(20000), Decimal(21000), True)
    assert town.indicators["gdp"].previous == Decimal(11000)
    assert town.indicators["forest"].value == Decimal("35.5")
    assert town.review == load(data).township.review


def test_a_figure_given_differently_is_an_error_naming_both_places(
        runner: CliRunner, workdir: Path, template: Path) -> None:
    shutil.copy(BATCH / "towns" / "1-baihe.yaml", "baihe.yaml")
    make_book(Path("book.xlsx"), [["白河镇", "gdp", "地区生产总值", "万元", 12500, 11000, None, None],
                                  ["白河镇", "grain", "粮食产量", "吨", 20500, None, None, None]])
    result = runner.invoke(cli, ["batch", "baihe.yaml", "book.xlsx", "-t", str(template), "-o", "out"])
    assert result.exit_code == 1
    assert result.stdout == (
        "town    status  output or error\n"
        "白河镇  failed  book.xlsx: 指标!E2: the workbook gives 本年 of 'gdp' as 12500, but "
        "baihe.yaml:9 gives 12000; correct one of them\n"
        "                book.xlsx: 指标!C3: the workbook gives 指标名称 of 'grain' as 粮食产量, but "
        "baihe.yaml:22 gives 粮食总产量; correct one of them\n"
        "0 done, 1 failed, 0 skipped\n"
        "summary workbook not written: no town was done\n")
    assert not Path("out").exists()


def test_a_workbook_town_without_text(runner: CliRunner, text_town: Path, template: Path) -> None:
    make_book(Path("book.xlsx"), [*BAIHE, ["青山乡", "gdp", "地区生产总值", "万元", 8000, 8400, None, None]])
    result = runner.invoke(cli, ["batch", str(text_town), "book.xlsx", "-t", str(template), "-o", "out"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:3] == [
        "白河镇  done    out/白河镇2024年工作总结.docx",
        "青山乡  failed  book.xlsx: 指标!A4: the workbook has figures for 青山乡 but no data file gives "
        "its text; add a YAML file with 'town: 青山乡'"]
    assert result.stderr.endswith("Error: 1 of 2 towns failed\n")


@pytest.mark.parametrize(("cell", "value", "message"), [
    ("E2", "约300", "指标!E2: 本年: '约300' is not a number: write digits only, e.g. 1234 or 1234.5, "
                  "without units or words"),
    ("F2", "12%", "指标!F2: 上年同期: '12%' is not a number: write digits only, e.g. 1234 or 1234.5, "
                 "without units or words"),
    ("G2", True, "指标!G2: 预计全年: a number is needed, not true/false"),
    ("F2", "—", "指标!F2: 上年同期: '—' is not a number: where there is no figure, leave the cell empty "
                "(in a data file, leave the field out)"),
    ("G2", "／", "指标!G2: 预计全年: '／' is not a number: where there is no figure, leave the cell empty "
                 "(in a data file, leave the field out)"),
    ("D2", 5, "指标!D2: 单位: must be text"),
    ("D2", None, "指标!D2: the column 单位 needs a value in every row"),
    ("E2", " ", "指标!E2: the column 本年 needs a value in every row"),
    ("B2", "2gdp", "指标!B2: indicator key '2gdp' must be letters, digits and _ (not starting with a "
                   "digit), so that texts can name it"),
    ("B2", "year", "指标!B2: indicator key 'year' is a reserved name; choose another"),
    ("B2", None, "指标!B2: an indicator code is needed here (e.g. gdp)"),
    ("I2", "备注", "指标!I2: a value in a column without a heading (column I)"),
    ("F2", 0, "指标!F2: growth cannot be computed from a previous value of 0: it must be above 0"),
    ("E2", "=F2*2", "指标!E2: a formula without a saved result; open the workbook in Excel or WPS and "
                    "save it"),
])
def test_bad_cells_are_named(workdir: Path, text_town: Path, cell: str, value: Any,
                             message: str) -> None:
    def put(ws: Any) -> None:
        ws[cell] = value

    book = make_book(workdir / "book.xlsx", BAIHE, edit=put)
    assert problems_of(book, text_town) == [f"{book}: {message}"]


def test_a_merged_cell_is_named(workdir: Path, text_town: Path) -> None:
    def merge_town(ws: Any) -> None:
        ws.merge_cells("A2:A3")

    book = make_book(workdir / "book.xlsx", BAIHE, edit=merge_town)
    assert problems_of(book, text_town) == [
        f"{book}: 指标!A2:A3: merged cells: unmerge them and write the value in every row"]


def test_a_merge_that_may_hide_the_next_towns_row_fails_that_town_too(workdir: Path) -> None:
    """A3:A4 merged over 白河镇's last row and 青山乡's first: 青山乡's name on row 4 is lost, and
    青山乡 would go on without its gdp. Both towns fail, naming the merge."""
    def merge_two_towns(ws: Any) -> None:
        ws.merge_cells("A3:A4")

    book = make_book(workdir / "book.xlsx", [
        *BAIHE, ["青山乡", "gdp", "地区生产总值", "万元", 8000, 8400, None, None],
        ["青山乡", "forest", "森林覆盖率", "%", 40, 39, None, None],
        ["柳树镇", "gdp", "地区生产总值", "万元", 9000, 8800, None, None]], edit=merge_two_towns)
    found = read_workbook(book)
    assert [str(p) for p in found["白河镇"].problems] == [
        f"{book}: 指标!A3:A4: merged cells: unmerge them and write the value in every row",
        f"{book}: 指标!B4: the indicator 'gdp' of 白河镇 appears twice ({book}: 指标!B2 and here); "
        "keep one row"]
    assert [str(p) for p in found["青山乡"].problems] == [
        f"{book}: 指标!A3:A4: merged cells just above this town's rows keep the name of the first row "
        "only: a row of 青山乡 may be hidden in them; unmerge them and write the town in every row"]
    assert found["柳树镇"].problems == []


def test_a_merge_across_one_row_hides_no_town(workdir: Path) -> None:
    """A 小计 row merged across 乡镇 and 指标代码 is one row: the town after it loses nothing."""
    def merge_across(ws: Any) -> None:
        ws.merge_cells("A4:B4")

    book = make_book(workdir / "book.xlsx", [
        *BAIHE, ["小计", None, None, None, None, None, None, None],
        ["青山乡", "gdp", "地区生产总值", "万元", 8000, 8400, None, None]], edit=merge_across)
    assert read_workbook(book)["青山乡"].problems == []


def test_numbers_as_text_and_floats_are_read_exactly(workdir: Path) -> None:
    book = make_book(workdir / "book.xlsx", [
        ["白河镇", "a", "甲", "万元", "1,234", "１２３", " 45.60 ", 0.1 + 0.2],
        ["白河镇", "b", "乙", "%", 86.4, 1e-7, None, 12345678901234.5]])
    found = read_workbook(book)["白河镇"]
    assert found.problems == []
    values = {code: {k: f.value for k, f in row.fields.items()} for code, row in found.indicators.items()}
    assert values == {
        "a": {"name": "甲", "unit": "万元", "value": Decimal(1234), "previous": Decimal(123),
              "forecast": Decimal("45.60"), "target": Decimal("0.3")},
        "b": {"name": "乙", "unit": "%", "value": Decimal("86.4"), "previous": Decimal("1E-7"),
              "target": Decimal("12345678901234.5")}}


def test_a_row_given_twice(workdir: Path, text_town: Path) -> None:
    book = make_book(workdir / "book.xlsx", [*BAIHE, BAIHE[0]])
    assert problems_of(book, text_town) == [
        f"{book}: 指标!B4: the indicator 'gdp' of 白河镇 appears twice ({book}: 指标!B2 and here); "
        "keep one row"]
    other = make_book(workdir / "other.xlsx", [BAIHE[1]])
    twice = read_workbooks([make_book(workdir / "one.xlsx", BAIHE), other])["白河镇"]
    assert [str(p) for p in twice.problems] == [
        f"{other}: 指标!B2: the indicator 'forest' of 白河镇 appears twice ({workdir / 'one.xlsx'}: "
        "指标!B3 and here); keep one row"]


@pytest.mark.parametrize(("header", "sheet", "message"), [
    ([*HEADER, "备注"], "指标", "指标!I1: unknown column '备注'; the columns are: 乡镇, 指标代码, 指标名称, "
                              "单位, 本年, 上年同期, 预计全年, 全年目标"),
    ([h for h in HEADER if h != "单位"], "指标", "指标!1:1: the heading row lacks the column(s) 单位"),
    ([*HEADER[:5], "本年"], "指标", "指标!F1: the column '本年' appears twice (E1 and F1); keep one"),
    (HEADER, "Sheet1", "the workbook has no sheet named '指标' (its sheets: 'Sheet1')"),
])
def test_a_bad_sheet_stops_the_batch_before_anything_is_written(
        runner: CliRunner, text_town: Path, template: Path, header: list[str], sheet: str,
        message: str) -> None:
    make_book(Path("book.xlsx"), [], header=header, sheet=sheet)
    result = runner.invoke(cli, ["batch", str(text_town), "book.xlsx", "-t", str(template), "-o", "out"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: book.xlsx: {message}\n"
    assert not Path("out").exists()


def test_not_a_workbook(runner: CliRunner, text_town: Path, template: Path) -> None:
    Path("book.xlsx").write_bytes(b"not a zip")
    result = runner.invoke(cli, ["batch", str(text_town), "book.xlsx", "-t", str(template)])
    assert result.exit_code == 1
    assert result.stderr == \
        "Error: book.xlsx: not an Excel .xlsx workbook; save it from Excel or WPS as .xlsx\n"


def test_a_workbook_open_in_excel_says_so(runner: CliRunner, text_town: Path, template: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to read a workbook Excel has open: "Permission denied", in English, was all
    a clerk was told (helper-31)."""
    make_book(Path("book.xlsx"), BAIHE)

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("openpyxl.load_workbook", refuse)
    result = runner.invoke(cli, ["batch", str(text_town), "book.xlsx", "-t", str(template)])
    assert (result.exit_code, result.stderr) == (1, "Error: book.xlsx: cannot read the file: it is open in "
                                                 "another program (Excel or WPS?), or you may not read it; "
                                                 "close it and run again\n")


def test_a_title_above_the_headings_and_blank_rows_are_ignored(workdir: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "指标"
    ws.append(["2024年各乡镇主要指标"])
    ws.append([])
    ws.append(HEADER)
    ws.append(BAIHE[0])
    ws.append([])
    ws.append(BAIHE[1])
    book.save(workdir / "book.xlsx")
    town = merge(load(BATCH / "text" / "baihe.yaml"), read_workbooks([workdir / "book.xlsx"])["白河镇"])
    assert list(town.township.indicators) == ["gdp", "forest"]
    empty = make_book(workdir / "empty.xlsx", [], header=["2024年各乡镇主要指标"])
    with pytest.raises(DataError) as caught:
        read_workbook(empty)
    assert str(caught.value) == (f"{empty}: 指标: no heading row: the sheet needs a row of the headings "
                                 "乡镇, 指标代码, 指标名称, 单位, 本年, 上年同期, 预计全年, 全年目标 "
                                 "and a row per town and indicator")


def test_example_workbook_is_reproducible_and_agrees_with_the_data(tmp_path: Path) -> None:
    built = tmp_path / "county.xlsx"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_example_workbook.py"), "-o",
                    str(built)], check=True, capture_output=True)
    assert built.read_bytes() == (ROOT / "data" / "county-2024.xlsx").read_bytes(), \
        "data/county-2024.xlsx is stale: run python scripts/make_example_workbook.py"
    found = read_workbooks([built])
    data = sorted((ROOT / "data").glob("*.yaml"))
    assert list(found) == [load(path).township.town for path in data]
    for path in data:
        original = load(path)
        assert merge(original, found[original.township.town]).township == original.township


def test_a_folder_holding_the_workbook_names_it(runner: CliRunner, text_town: Path, template: Path) -> None:
    """The county's folder as the statistics office hands it over: the towns' texts and the workbook,
    which is read when it is named too."""
    Path("county").mkdir()
    make_book(Path("county/book.xlsx"), BAIHE)
    text_town.rename(Path("county") / text_town.name)
    result = runner.invoke(cli, ["batch", "county", "-t", str(template), "-o", "out"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"Warning: {Path('county') / 'book.xlsx'} was not read: a folder gives its YAML files only; name a "
        "statistics workbook on the command line to use its figures")
    result = runner.invoke(cli, ["batch", "county", "county/book.xlsx", "-t", str(template), "-o", "out"])
    assert result.exit_code == 0 and "was not read" not in result.stderr
    texts = body_texts(Path("out/白河镇2024年工作总结.docx"))
    assert texts[1] == "全年实现地区生产总值1.2亿元，增长9.1%；森林覆盖率35.5%，提高1.5个百分点。"


def test_a_padded_name_a_total_a_units_row_and_a_spaced_sheet_name_are_read_as_a_clerk_means(
        workdir: Path) -> None:
    """helper-31: "白　河镇" (padded to line up) failed the town; a 合计 row failed as a town; a
    "单位：万元" row under the headings, and a sheet named "指标 ", stopped the whole county."""
    rows = [["", "", "单位：万元", "", "", "", "", ""],
            ["白　河 镇", *BAIHE[0][1:]], BAIHE[1], ["合计", "gdp", "地区生产总值", "万元", 12000, 11000]]
    make_book(Path("book.xlsx"), rows, sheet="指标 ")
    towns = read_workbooks([Path("book.xlsx")])
    assert list(towns) == ["白河镇"]
    assert sorted(towns["白河镇"].indicators) == ["forest", "gdp"] and towns["白河镇"].problems == []


def test_a_row_without_its_town_fails_the_town_above_not_the_county(workdir: Path) -> None:
    rows = [*BAIHE, [None, "tax", "税收收入", "万元", 1186, 988],
            ["黑山镇", "gdp", "地区生产总值", "万元", 9000, 8000]]
    make_book(Path("book.xlsx"), rows)
    towns = read_workbooks([Path("book.xlsx")])
    assert [str(p) for p in towns["白河镇"].problems] == ["book.xlsx: 指标!A4: a town name is needed here"]
    assert towns["黑山镇"].problems == [] and list(towns["黑山镇"].indicators) == ["gdp"]


def test_a_units_line_above_the_headings_is_not_taken_for_them(workdir: Path) -> None:
    def units_line(sheet: Any) -> None:
        sheet.insert_rows(1)
        sheet["A1"], sheet["B1"] = "单位", "万元"

    make_book(Path("book.xlsx"), BAIHE, edit=units_line)
    assert sorted(read_workbooks([Path("book.xlsx")])["白河镇"].indicators) == ["forest", "gdp"]


def titled(year: str) -> Callable[[Any], None]:
    def title(sheet: Any) -> None:
        sheet.insert_rows(1)
        sheet["A1"] = f"{year}各乡镇主要经济指标（1—10月）"
    return title


def test_a_workbook_titled_with_another_year_than_the_text_fails_the_town(workdir: Path,
                                                                         text_town: Path) -> None:
    """helper-31: 乙镇.yaml of 2023 took the 2024 workbook's figures, and its draft said 2023."""
    make_book(Path("book.xlsx"), BAIHE, edit=titled("2023年"))
    assert problems_of(Path("book.xlsx"), text_town) == [
        "book.xlsx: 指标!A1: the workbook's title is of 2023, but baihe.yaml:2 is a 2024 report: give "
        "the workbook of 2024, or correct the year"]
    make_book(Path("book.xlsx"), BAIHE, edit=titled("2024年"))
    assert merge(load(text_town), read_workbooks([Path("book.xlsx")])["白河镇"]).township.year == 2024


def test_a_formula_whose_saved_result_is_empty_text_is_a_blank_cell(workdir: Path, text_town: Path) -> None:
    """helper-31: =IFERROR(1/0,"") saved by Excel as an empty text was "a formula without a saved
    result; … save it", which saving again never mends."""
    def put(ws: Any) -> None:
        ws["F2"] = '=IFERROR(1/0,"")'

    book = make_book(workdir / "book.xlsx", BAIHE, edit=put)
    with zipfile.ZipFile(book) as package:  # as Excel saves it: a text result, empty
        members = {name: package.read(name) for name in package.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = re.sub(rb'<c r="F2"([^>]*)>', rb'<c r="F2"\1 t="str">', members[sheet])
    with zipfile.ZipFile(book, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    merged = merge(load(text_town), read_workbooks([book])["白河镇"]).township
    assert merged.indicators["gdp"].previous is None


def test_two_years_of_a_towns_text_are_named_or_told_apart_by_the_workbooks_title(
        runner: CliRunner, text_town: Path, template: Path) -> None:
    """helper-31: "…match 2 data files" named neither; with the workbook titled 2024, the 2024 file
    is the one its figures are for."""
    Path("baihe-2023.yaml").write_text(text_town.read_text(encoding="utf-8").replace(
        "year: 2024", "year: 2023"), encoding="utf-8")
    make_book(Path("book.xlsx"), BAIHE)
    result = runner.invoke(cli, ["batch", "baihe.yaml", "baihe-2023.yaml", "book.xlsx", "-t",
                                 str(template), "-o", "out"])
    assert result.exit_code == 1
    assert "the workbook's figures for 白河镇 match 2 data files (baihe.yaml, baihe-2023.yaml)" in \
        result.stdout
    make_book(Path("book.xlsx"), BAIHE, edit=titled("2024年"))
    result = runner.invoke(cli, ["batch", "baihe.yaml", "baihe-2023.yaml", "book.xlsx", "-t",
                                 str(template), "-o", "out"])
    assert "白河镇  done    out/白河镇2024年工作总结.docx" in result.stdout.splitlines()


def test_a_fill_in_date_above_the_headings_is_no_title_year(workdir: Path, text_town: Path) -> None:
    """helper-33: "填报日期：2025年1月5日" above the headings failed every 2024 town."""
    def lines_above(sheet: Any) -> None:
        sheet.insert_rows(1, 2)
        sheet["A1"], sheet["A2"] = "各乡镇主要经济指标", "填报日期：2025年1月5日"

    make_book(Path("book.xlsx"), BAIHE, edit=lines_above)
    assert merge(load(text_town), read_workbooks([Path("book.xlsx")])["白河镇"]).township.year == 2024


def test_a_units_line_and_totals_in_the_town_column_are_passed_over(workdir: Path) -> None:
    """helper-33: "单位：万元、亩、元", "全县" and "合计：" in column A became failed towns."""
    rows = [["单位：万元、亩、元"], *BAIHE, ["全县", "gdp", "地区生产总值", "万元", 12000, 11000],
            ["合计：", "gdp", "地区生产总值", "万元", 12000, 11000]]
    make_book(Path("book.xlsx"), rows)
    assert list(read_workbooks([Path("book.xlsx")])) == ["白河镇"]


def test_an_unnamed_sum_row_and_a_monthly_title(workdir: Path, text_town: Path) -> None:
    """helper-35: a sum row with no town nor code failed the town above; "2023年10月…" is a monthly
    title of 2023 (only a date with its day is not a title's year)."""
    make_book(Path("book.xlsx"), [*BAIHE, [None, None, "合计", "万元", 50000, 45000]])
    assert list(read_workbooks([Path("book.xlsx")])) == ["白河镇"]
    assert read_workbooks([Path("book.xlsx")])["白河镇"].problems == []
    make_book(Path("book.xlsx"), BAIHE, edit=titled("2023年10月"))
    assert problems_of(Path("book.xlsx"), text_town)[0].startswith(
        "book.xlsx: 指标!A1: the workbook's title is of 2023")


@pytest.mark.parametrize("line", ["报送时间：2025年1月", "各乡镇主要经济指标（2025年1月编制）"])
def test_when_the_sheet_was_made_is_no_title_year(workdir: Path, text_town: Path, line: str) -> None:
    """helper-36: "报送时间：2025年1月" above the headings failed every 2024 town."""
    def lines_above(sheet: Any) -> None:
        sheet.insert_rows(1, 2)
        sheet["A1"], sheet["A2"] = "全县各乡镇主要经济指标完成情况表", line

    make_book(Path("book.xlsx"), BAIHE, edit=lines_above)
    assert merge(load(text_town), read_workbooks([Path("book.xlsx")])["白河镇"]).township.year == 2024
