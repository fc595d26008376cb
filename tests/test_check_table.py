"""Table rule: each row's change against its this-year and last-year cells."""

from __future__ import annotations

import pytest

from docgen.checks import check_blocks
from docgen.checks.model import Block

from .drafts.docx_drafts import in_skeleton

HEADER = ["指标", "单位", "本年", "上年同期", "增减"]


def with_table(rows: list[list[str]]) -> list[Block]:
    """The clean skeleton with a table of ``rows`` after its fifth paragraph."""
    blocks = in_skeleton("今年粮食生产稳中有增。")
    cells = [Block(5, text, "cell", None, (1, r, c)) for r, row in enumerate(rows, 1)
             for c, text in enumerate(row, 1)]
    return [*blocks[:5], *cells, *blocks[5:]]


def found(rows: list[list[str]]) -> list[tuple[tuple[int, int, int] | None, str, str]]:
    return [(f.cell, f.message, f.snippet) for f in check_blocks(with_table(rows))]


@pytest.mark.parametrize(("row", "message", "snippet"), [
    (["地区生产总值", "万元", "14500", "13679", "+16.0%"],
     "this row's 14500 against 13679 is a change of +6.0%, not +16.0%", "【+16.0%】"),
    (["粮食播种面积", "亩", "41876", "42500", "+1.5%"],
     "this row's 41876 against 42500 is a change of -1.5%, not +1.5%", "【+1.5%】"),
    (["税收收入", "万元", "1186", "988", "下降20.0%"],
     "this row's 1186 against 988 is a change of +20.0%, not -20.0%", "【下降20.0%】"),
    (["城镇化率", "%", "45.2", "43.0", "+3.2个百分点"],
     "this row's 45.2% against 43.0% is a change of +2.2 百分点, not +3.2个百分点", "【+3.2个百分点】"),
])
def test_a_row_whose_change_its_figures_contradict_is_found(row: list[str], message: str,
                                                             snippet: str) -> None:
    assert found([HEADER, ["农民人均可支配收入", "元", "21480", "20140", "+6.7%"], row]) == [
        ((1, 3, 5), message, snippet)]


def test_a_header_of_two_years_and_a_change_in_percent_is_read() -> None:
    rows = [["指标", "2024年", "2023年", "增长%"], ["产值（亿元）", "3.62", "3.37", "7.4"],
            ["收入（元）", "21480", "20140", "9.9"], ["企业（家）", "125", "130", "-3.8"]]
    assert found(rows) == [
        ((1, 3, 4), "this row's 21480 against 20140 is a change of +6.7%, not 9.9%", "【9.9】")]


@pytest.mark.parametrize("rows", [
    # right, rounded figures beside a change from exact ones, an unsigned change either way
    [HEADER, ["地区生产总值", "亿元", "1.45", "1.37", "+6.0%"],
     ["粮食播种面积", "亩", "41876", "42500", "1.5%"], ["森林覆盖率", "%", "38.5", "37.2", "1.3个百分点"]],
    # a rate's change in %: relative or in 百分点, not told
    [HEADER, ["城镇化率", "%", "45.2", "43.0", "+2.2%"]],
    # columns the header does not tell apart, a row that does not line up, cells that are not figures
    [["指标", "本年", "本期", "增减"], ["产值", "14500", "13679", "+16.0%"]],
    [HEADER, ["地区生产总值", "14500", "13679", "+16.0%"]],
    [HEADER, ["地区生产总值", "万元", "—", "13679", "+16.0%"], ["税收", "万元", "1186", "0", "+20%"]],
    [["指标", "单位", "本年", "上年同期", "增减额"], ["税收", "万元", "1186", "988", "198"]],
])
def test_a_table_that_agrees_or_cannot_be_read_is_left_alone(rows: list[list[str]]) -> None:
    assert found(rows) == []


@pytest.mark.parametrize(("rows", "cell", "message"), [
    # helper-34: a period's header; two years' columns both named 完成
    ([["指标", "单位", "1—11月", "上年同期", "同比±%"],
      ["一般公共预算收入", "万元", "1562", "1498", "+14.3"]],
     (1, 2, 5), "this row's 1562 against 1498 is a change of +4.3%, not +14.3%"),
    ([["指标", "2024年完成", "2023年完成", "增长（%）"], ["村集体经济收入（万元）", "318", "276", "5.2"]],
     (1, 2, 4), "this row's 318 against 276 is a change of +15.2%, not 5.2%"),
    ([["指标", "本年", "上年同期", "增长%"], ["地区生产总值", "1.02亿元", "9800万元", "14.1"]],
     (1, 2, 4), "this row's 1.02亿元 against 9800万元 is a change of +4.1%, not 14.1%"),
])
def test_more_layouts_of_a_table_of_figures_are_read(rows: list[list[str]], cell: tuple[int, int, int],
                                                     message: str) -> None:
    assert [(f.cell, f.message) for f in check_blocks(with_table(rows))] == [(cell, message)]


@pytest.mark.parametrize("rows", [
    # helper-34 and helper-33: figures with their own units; a header of both % and 百分点; a rate
    # named with its unit, under a column of % (relative or in 百分点, not told)
    [["指标", "本年", "上年同期", "增长%"], ["地区生产总值", "1.02亿元", "9800万元", "4.1"],
     ["粮食总产量", "1.05万吨", "9860吨", "6.5"]],
    [["指标", "本年", "上年同期", "增减（%/百分点）"], ["地区生产总值（亿元）", "15.8", "14.9", "6.0"],
     ["税收收入（万元）", "6230", "5860", "6.3"], ["城镇化率（%）", "45.2", "43.0", "2.2"]],
    [["指标", "2023年", "2024年", "增长%"], ["地区生产总值（亿元）", "3.37", "3.62", "7.4"],
     ["森林覆盖率（%）", "37.2", "38.5", "1.3"]],
])
def test_units_in_cells_and_mixed_headers_raise_nothing(rows: list[list[str]]) -> None:
    assert found(rows) == []


def test_a_rate_named_without_percent_is_a_rate() -> None:
    """helper-35: "城镇化率" under "增减（%/百分点）" was checked as an amount's growth, and under
    "增减（百分点）" not at all."""
    assert found([["指标", "本年", "上年", "增减（%/百分点）"], ["城镇化率", "42.3", "41.5", "0.8"]]) == []
    assert found([["指标", "本年", "上年", "增减（百分点）"], ["城镇化率", "42.3", "41.5", "1.8"]]) == [
        ((1, 2, 4), "this row's 42.3% against 41.5% is a change of +0.8 百分点, not 1.8", "【1.8】")]


def test_a_row_of_rates_written_with_percent_in_its_figures_is_a_rate() -> None:
    """helper-36: "地区生产总值增速 | 7.5% | 6.8% | 0.7" under 增长（%） was checked as an amount's growth."""
    assert found([["指标", "2024年", "2023年", "增长（%）"], ["地区生产总值增速", "7.5%", "6.8%", "0.7"],
                  ["居民消费价格涨幅", "2.1%", "1.8%", "0.3"]]) == []
