"""Chinese formatting of amounts, rates, ordinals, lists and dates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen import cnformat


@pytest.mark.parametrize(("value", "unit", "expected"), [
    ("14500", "万元", "1.45亿元"), ("17800", "万元", "1.78亿元"), ("8414", "万元", "8414万元"),
    ("10000", "万元", "1亿元"), ("9999.5", "万元", "9999.5万元"), ("12345", "万元", "1.23亿元"),
    ("12355", "万元", "1.24亿元"), ("62.150", "万元", "62.15万元"), ("3217", "元", "3217元"),
    ("250000000", "元", "2.5亿元"), ("90000000", "元", "9000万元"), ("1500000", "元", "150万元"),
    ("123456", "元", "12.35万元"), ("99999", "元", "99999元"), ("99999999", "元", "1亿元"),
    ("21480", "元", "21480元"),
    ("37665", "亩", "37665亩"), ("12217.50", "平方米", "12217.5平方米"),
    ("90", "%", "90%"), ("43.8", "%", "43.8%"), ("0", "头", "0头"),
])
def test_quantity(value: str, unit: str, expected: str) -> None:
    assert cnformat.quantity(D(value), unit) == expected


@pytest.mark.parametrize(("rate", "expected"), [
    ("6", "增长6.0%"), ("-3.24", "下降3.2%"), ("0.04", "持平"), ("-0.04", "持平"),
    ("0.05", "增长0.1%"), ("-0.05", "下降0.1%"), ("17", "增长17.0%"),
])
def test_growth_phrase(rate: str, expected: str) -> None:
    assert cnformat.growth_phrase(D(rate)) == expected


@pytest.mark.parametrize(("points", "expected"), [
    ("20", "提高20.0个百分点"), ("-1.45", "下降1.5个百分点"), ("0", "持平"),
])
def test_points_phrase(points: str, expected: str) -> None:
    assert cnformat.points_phrase(D(points)) == expected


@pytest.mark.parametrize(("change", "is_rate", "expected"), [
    ("6", False, "+6.0%"), ("-3.2", False, "-3.2%"), ("0", False, "0.0%"),
    ("20", True, "+20.0个百分点"), ("-0.04", False, "0.0%"),
])
def test_signed_change(change: str, is_rate: bool, expected: str) -> None:
    assert cnformat.signed_change(D(change), is_rate=is_rate) == expected


@pytest.mark.parametrize(("n", "expected"), [
    (1, "一"), (4, "四"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"),
    (99, "九十九"),
])
def test_chinese_numeral(n: int, expected: str) -> None:
    assert cnformat.chinese_numeral(n) == expected


def test_chinese_numerals_are_distinct_and_bounded() -> None:
    assert len({cnformat.chinese_numeral(n) for n in range(1, 100)}) == 99
    with pytest.raises(ValueError):
        cnformat.chinese_numeral(0)
    assert cnformat.ordinal(3) == "（三）"


def test_enumerate_points_and_join() -> None:
    assert cnformat.enumerate_points(["结构单一", "投入不够。", "作用不强；"]) == \
        "一是结构单一；二是投入不够；三是作用不强。"
    assert cnformat.enumerate_points([]) == ""
    assert cnformat.join_items(["6.0%"]) == "6.0%"
    assert cnformat.join_items(["6.0%", "2.0%"]) == "6.0%和2.0%"
    assert cnformat.join_items(["6.0%", "2.0%", "17.0%"]) == "6.0%、2.0%和17.0%"


def test_date_and_period() -> None:
    assert cnformat.date(dt.date(2024, 1, 5)) == "2024年1月5日"
    assert cnformat.date(dt.date(2024, 11, 20)) == "2024年11月20日"
    assert cnformat.period(10) == "1—10月份"
    assert cnformat.period(1) == "1月份"  # not 1—1月份
    assert cnformat.period(12) == "全年"


amounts = st.decimals(min_value=D("-1e12"), max_value=D("1e12"), places=3, allow_nan=False)


@given(amounts)
def test_plain_round_trips_without_exponent_or_trailing_zeros(value: D) -> None:
    text = cnformat.plain(value)
    assert D(text) == value
    assert "E" not in text.upper()
    assert not (("." in text) and text.endswith("0"))


@given(st.decimals(min_value=D(0), max_value=D("1e8"), places=2, allow_nan=False))
def test_wan_yuan_scales_to_yi_from_ten_thousand(value: D) -> None:
    text = cnformat.quantity(value, "万元")
    if value >= 10000:
        number = D(text.removesuffix("亿元"))
        assert text.endswith("亿元")
        assert abs(number * 10000 - value) <= 50
        assert len(text.removesuffix("亿元").partition(".")[2]) <= 2
    else:
        assert text == cnformat.plain(value) + "万元"


@given(st.decimals(min_value=D(-1000), max_value=D(1000), places=4, allow_nan=False))
def test_growth_phrase_direction_and_one_decimal(rate: D) -> None:
    text = cnformat.growth_phrase(rate)
    if text == "持平":
        assert abs(rate) < D("0.05")
        return
    match = re.fullmatch(r"(增长|下降)(\d+\.\d)%", text)
    assert match is not None
    assert (match.group(1) == "增长") == (rate > 0)
    assert abs(D(match.group(2)) - abs(rate)) <= D("0.05")
