"""The generated parts of the context: the achievements paragraph, the table rows, the defaults."""

from __future__ import annotations

from decimal import Decimal

from docgen.context import (
    achievements_summary,
    default_intro,
    indicator_rows,
    leadership,
    town_scope,
)
from docgen.model import Indicator


def ind(name: str, unit: str, value: int | str, previous: int | str | None = None,
        forecast: int | None = None, target: int | None = None) -> Indicator:
    return Indicator(name=name, unit=unit, value=Decimal(value),
                     previous=None if previous is None else Decimal(previous),
                     forecast=None if forecast is None else Decimal(forecast),
                     target=None if target is None else Decimal(target))


SAMPLE = {
    "gdp": ind("国民生产总值", "万元", 14500, 13679, forecast=17800),
    "income": ind("人均纯收入", "元", 3217, 3154, forecast=3950),
    "enterprise": ind("乡镇企业增加值", "万元", 8414, 7191, forecast=10000),
    "tax": ind("上交税金", "万元", 1186, 988, forecast=1500),
    "private": ind("个体私营经济产值", "万元", 32800, 29818, forecast=40000),
}


def test_summary_of_the_sample_figures_through_october() -> None:
    assert achievements_summary(SAMPLE, 10, "沽东镇", 2024) == (
        "1—10月份，全镇实现国民生产总值1.45亿元（预计全年达到1.78亿元），人均纯收入3217元（预计全年达到3950元），"
        "乡镇企业增加值8414万元（预计全年达到1亿元），上交税金1186万元（预计全年达到1500万元），"
        "个体私营经济产值3.28亿元（预计全年达到4亿元），分别比上年同期增长6.0%、2.0%、17.0%、20.0%和10.0%。")


def test_summary_for_the_whole_year_drops_forecasts() -> None:
    figures = {"gdp": SAMPLE["gdp"], "income": SAMPLE["income"]}
    assert achievements_summary(figures, 12, "沽东镇", 2024) == (
        "2024年，全镇实现国民生产总值1.45亿元，人均纯收入3217元，分别比上年增长6.0%和2.0%。")


def test_rising_and_falling_figures_are_grouped() -> None:
    figures = {"industry": ind("工业产值", "万元", 9000, 10000), "income": SAMPLE["income"],
               "revenue": ind("财政收入", "万元", 920, 1000), "gdp": SAMPLE["gdp"]}
    assert achievements_summary(figures, 12, "青山乡", 2024) == (
        "2024年，全乡实现人均纯收入3217元，国民生产总值1.45亿元，分别比上年增长2.0%和6.0%；"
        "工业产值9000万元，财政收入920万元，分别比上年下降10.0%和8.0%。")


def test_money_before_quantities() -> None:
    figures = {"cows": ind("奶牛存栏", "头", 2100, 1600), "a": ind("甲", "万元", 90, 100),
               "grain": ind("粮食产量", "吨", 80, 100)}
    assert achievements_summary(figures, 10, "青山乡", 2024) == (
        "1—10月份，全乡实现甲90万元，比上年同期下降10.0%；奶牛存栏2100头，比上年同期增长31.3%；"
        "粮食产量80吨，比上年同期下降20.0%。")


def test_single_figure_rates_and_targets() -> None:
    figures = {"gdp": ind("国民生产总值", "万元", 18410, 17000, target=17000),
               "party": ind("优秀党支部比率", "%", 90, 70),
               "area": ind("棉花面积", "亩", 37665)}
    assert achievements_summary(figures, 12, "沽东镇", 2024) == (
        "2024年，全镇实现国民生产总值1.84亿元，比上年增长8.3%；优秀党支部比率达到90%，比上年提高20.0个百分点；"
        "国民生产总值完成全年目标的108.3%。")


def test_flat_growth_is_written_as_such() -> None:
    figures = {"a": ind("甲", "万元", 100, 100), "b": ind("乙", "万元", 110, 100),
               "c": ind("丙", "万元", "100.04", 100)}
    assert achievements_summary(figures, 12, "沽东镇", 2024) == (
        "2024年，全镇实现乙110万元，比上年增长10.0%；甲100万元，丙100.04万元，均与上年持平。")


def test_summary_without_comparable_figures() -> None:
    assert achievements_summary({"area": ind("棉花面积", "亩", 37665)}, 12, "石门街道", 2024) == (
        "2024年，全街道各项工作稳步推进，主要指标完成情况见下表。")
    assert achievements_summary({}, 12, "石门街道", 2024) == "2024年，全街道各项工作稳步推进。"  # no table


def test_indicator_rows() -> None:
    rows = indicator_rows({"gdp": SAMPLE["gdp"], "party": ind("优秀党支部比率", "%", 90, 70),
                           "area": ind("棉花面积", "亩", "37665.0")})
    assert [(r.name, r.unit, r.value, r.previous, r.change) for r in rows] == [
        ("国民生产总值", "万元", "14500", "13679", "+6.0%"),
        ("优秀党支部比率", "%", "90", "70", "+20.0个百分点"),
        ("棉花面积", "亩", "37665", "—", "—"),
    ]


def test_defaults() -> None:
    assert town_scope("青山乡") == "全乡"
    assert town_scope("石门街道") == "全街道"
    assert default_intro("沽东镇", 2024, "滨河区").startswith(
        "2024年，在滨河区委、区政府的正确领导下，沽东镇")
    assert leadership("云岫县") == "云岫县委、县政府"
    assert leadership("某开发区管委会") == "某开发区管委会"
    for organs in ("滨河县委、县政府", "滨河县委", "滨河县人民政府", "中共滨河县委、滨河县人民政府"):
        assert leadership(organs) == organs  # named as organs already: not 滨河县委党委、政府
    assert leadership("云岫自治州") == "云岫自治州党委、政府"
    assert leadership(None) == "上级党委、政府"
    assert default_intro("沽东镇", 2024, None).endswith("现将2024年工作总结如下。")
