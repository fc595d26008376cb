"""The chart of 二、主要成绩: default indicators, the data's choice, and its mistakes named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from docgen.charting import chart_context, chosen_indicators
from docgen.charts import ChartSpec
from docgen.errors import DataError
from docgen.loading import load

WriteTown = Callable[..., Path]
EXTRA = """
  tax:
    name: 税收
    unit: 万元
    value: 1186
    previous: 988
"""


def test_default_takes_the_commonest_unit_and_leaves_rates_out(town_file: WriteTown) -> None:
    data = load(town_file(**{"\nreview:": EXTRA + "review:"}))
    assert [k for k, _ in chosen_indicators(data)] == ["gdp", "tax"]
    context = chart_context(data)
    chart = context["chart"]
    assert isinstance(chart, ChartSpec)
    assert chart.kind == "column"
    assert chart.title == "主要指标与上年同期对比"
    assert chart.categories == ("国民生产总值", "税收")
    assert chart.series == (("2024年1—10月份", (14500.0, 1186.0)), ("上年同期", (13679.0, 988.0)))
    growth = context["growth_chart"]
    assert isinstance(growth, ChartSpec) and growth.kind == "bar"
    assert context["chart_caption"] == "图1　主要指标与上年同期对比（单位：万元）"


def test_a_tie_takes_the_unit_that_comes_first(town_file: WriteTown) -> None:
    data = load(town_file())  # gdp in 万元, income in 元: one each
    assert [k for k, _ in chosen_indicators(data)] == ["gdp"]


def test_chosen_by_the_data_with_a_title(town_file: WriteTown) -> None:
    data = load(town_file(**{"\nreview:": EXTRA + "chart:\n  title: 经济指标\n  indicators: [tax, gdp]\n"
                              "review:"}))
    chart = chart_context(data)["chart"]
    assert isinstance(chart, ChartSpec)
    assert (chart.title, chart.categories) == ("经济指标", ("税收", "国民生产总值"))


def test_no_chart(town_file: WriteTown) -> None:
    data = load(town_file(**{"\nreview:": "\nchart:\n  show: false\nreview:"}))
    assert chart_context(data) == {"chart": None, "growth_chart": None, "chart_caption": ""}


def test_mistakes_in_the_chart_settings(town_file: WriteTown) -> None:
    path = town_file(**{"\nreview:": "\nchart:\n  indicators: [gdp, cotton, nope, income]\nreview:"})
    with pytest.raises(DataError) as info:
        chosen_indicators(load(path))
    assert [str(p) for p in info.value.problems] == [
        f"{path}:32: chart.indicators[1]: 'cotton' has no previous value to compare with",
        f"{path}:32: chart.indicators[2]: there is no indicator 'nope'",
    ]
    mixed = town_file(name="mixed.yaml",
                      **{"\nreview:": "\nchart:\n  indicators: [gdp, income]\nreview:"})
    with pytest.raises(DataError, match=r"chart.indicators: the chart's indicators must share one "
                                        r"unit, not 万元、元"):
        chosen_indicators(load(mixed))
