"""Change rules: a growth, a target's completion or a rate's change against the figures beside it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.checks import check_blocks

from .drafts.docx_drafts import AT, in_skeleton, marked


@pytest.mark.parametrize(("text", "spot", "message"), [
    ("全年实现地区生产总值1.78亿元，比上年的1.45亿元增长12.3%。", "12.3%",
     "1.78亿元 against 1.45亿元 is a growth of 22.8%, not 12.3%"),
    ("人均纯收入3950元，较去年同期3217元增加12%。", "12%",
     "3950元 against 3217元 is a growth of 22.8%, not 12%"),
    ("粮食总产2.1万吨，比上年2.3万吨下降3.5%。", "3.5%",
     "2.1万吨 against 2.3万吨 is a fall of 8.7%, not 3.5%"),
    ("完成固定资产投资3218万元，为全年目标1600万元的105%。", "105%",
     "3218万元 of the target 1600万元 is 201.1%, not 105%"),
    ("实现税收1186万元，比2023年的988万元增长12.0%。", "12.0%",
     "1186万元 against 988万元 is a growth of 20.0%, not 12.0%"),
    ("税收收入1186万元，上年同期为988万元，同比增长12.0%。", "12.0%",
     "1186万元 against 988万元 is a growth of 20.0%, not 12.0%"),
    # from whole typed drafts (helper-28)
    ("全镇接待游客186万人次，比上年的162万人次增长16.8%。", "16.8%",
     "186万人次 against 162万人次 is a growth of 14.8%, not 16.8%"),
    ("实现营业收入286亿元，比上年的251亿元增长13.9%，为全年目标280亿元的110.0%。", "110.0%",
     "286亿元 of the target 280亿元 is 102.1%, not 110.0%"),
    ("新增市场主体12600户，为全县下达目标12000户的115.0%。", "115.0%",
     "12600户 of the target 12000户 is 105.0%, not 115.0%"),
    ("完成投资2.3亿元，为年度计划2亿元的125%。", "125%", "2.3亿元 of the target 2亿元 is 115.0%, not 125%"),
    ("粮食总产2.46万吨，比上年的2.38万吨增长3.4个百分点。", "3.4个百分点",
     "2.46万吨 against 2.38万吨 changes in %, not in 百分点 (百分点 are for rates)"),
    ("优秀党支部比率由去年的70%提高到90%，提高了21个百分点。", "21个百分点",
     "from 70% to 90% is 20 百分点, not 21"),  # whole rates are taken as written
    ("实现生产总值1.78亿元，比上年的1.45亿元增长25%以上。", "25%以上",
     "1.78亿元 against 1.45亿元 is a growth of 22.8%, not 25%"),
    ("实现产值1186万元，比上年的1300万元增长5%。", "5%",
     "1186万元 against 1300万元 is a fall of 8.8%, not a growth of 5%"),
    ("义务教育巩固率由上年的99.5%提高到99.2%，提高0.3个百分点。", "99.5%提高到99.2%",
     "from 99.5% to 99.2% is a fall, not a rise"),
    ("优秀党支部比率由去年的70%提高到90%，提高了20%。", "20%",
     "a change between rates is written in 百分点: 20个百分点, not 20%"),
    ("城镇登记失业率由3.8%下降到3.5%，下降0.5个百分点。", "0.5个百分点",
     "from 3.8% to 3.5% is 0.3 百分点, not 0.5"),
    # last year's figure after the growth (helper-27)
    ("实现税收收入1186万元，同比增长30.0%（上年同期988万元）。", "30.0%",
     "1186万元 against 988万元 is a growth of 20.0%, not 30.0%"),
    ("实现税收收入1186万元，比上年增长30.0%，上年同期为988万元。", "30.0%",
     "1186万元 against 988万元 is a growth of 20.0%, not 30.0%"),
    # a multiple
    ("实现旅游收入3.62亿元，比上年的1.45亿元增长1.2倍。", "1.2倍",
     "3.62亿元 against 1.45亿元 is 2.5 times as much, a growth of 1.5 times, not of 1.2 times"),
    ("实现旅游收入3.62亿元，是上年1.45亿元的1.5倍。", "1.5倍",
     "3.62亿元 against 1.45亿元 is 2.5 times as much, not 1.5 times"),
    # helper-34: last year's figure after the growth in other words; whole multiples; a named year
    ("实现税收1186万元，同比增长12.0%（2023年同期988万元）。", "12.0%",
     "1186万元 against 988万元 is a growth of 20.0%, not 12.0%"),
    ("实现税收1186万元，同比增长12.0%；上年同期为988万元。", "12.0%",
     "1186万元 against 988万元 is a growth of 20.0%, not 12.0%"),
    ("实现税收1186万元，同比增长12.0%（上年同期：988万元）。", "12.0%",
     "1186万元 against 988万元 is a growth of 20.0%, not 12.0%"),
    ("肉鸭出栏7.2万只，为上年同期2.4万只的2倍。", "2倍",
     "7.2万只 against 2.4万只 is 3 times as much, not 2 times"),
    ("乡村旅游接待游客32.8万人次，是2022年8.2万人次的2.5倍。", "2.5倍",
     "32.8万人次 against 8.2万人次 is 4 times as much, not 2.5 times"),
    # helper-35: the figure before the change's own amount is read; 新增 introduces the figure
    ("全年实现一般公共预算收入1186万元，比上年增收198万元，增长2.0%（上年同期988万元）。", "2.0%",
     "1186万元 against 988万元 is a growth of 20.0%, not 2.0%"),
    ("全年新增1200个就业岗位，比上年的1000个增长2.0%。", "2.0%",
     "1200个 against 1000个 is a growth of 20.0%, not 2.0%"),
])
def test_a_change_its_own_figures_contradict_is_found(text: str, spot: str, message: str) -> None:
    blocks = in_skeleton(text)
    findings = check_blocks(blocks)
    assert marked(findings, blocks) == [("arithmetic", "error", AT, spot)]
    assert findings[0].message == message


@pytest.mark.parametrize("text", [
    "全年实现地区生产总值1.78亿元，比上年的1.45亿元增长22.8%。",
    "人均纯收入3950元，较去年同期3217元增加22.8%。",
    "粮食总产2.1万吨，比上年2.3万吨下降8.7%。",
    "完成固定资产投资3218万元，为全年目标3000万元的107.3%。",
    "财政收入1.46亿元，比上年的1.30亿元增长12.3%。",  # rounded amounts, the rate from exact ones
    "优秀党支部比率由去年的70%提高到90%，提高20个百分点。",
    "城镇登记失业率由3.8%下降到3.5%，下降0.3个百分点。",
    "优秀党支部比率由70.0%提高到90.1%，提高20.0个百分点。",  # from 70.04% and 90.06%, rounded
    # an aside in brackets between the figure and its change (helper-27)
    "完成税收收入1186万元（预计全年1500万元），比上年同期的988万元增长20.0%。",
    "固定资产投资2.35亿元（不含农户投资0.4亿元），比上年的2.1亿元增长11.9%。",
    "完成税收收入2980万元（预计全年3600万元），为全年目标3500万元的85.1%。",
    "实现产值3218万元，比上年增长12.3%，完成全年目标的107%。",  # no figure to check against
    "种植面积3000亩，比上年的2800吨增长7%。",                   # not one family: not compared
    "耕地面积41876亩，比上年的40000亩增长4.7%。",
    "税收收入1186万元，上年同期为988万元，同比增长20.0%。",
    "实现营业收入286亿元，比上年的251亿元增长13.9%，为全年目标280亿元的102.1%。",
    "完成投资2.3亿元，为年度计划2亿元的115%。",
    # from a review of the last changes (helper-29): an increase or a multiple, not a percent;
    # a part after 其中 before the target
    "新增市场主体135家，比上年的120家增加15家，增长12.5%。",
    "实现旅游收入4.4亿元，比上年的2亿元增长1.2倍，占全镇生产总值的35.2%。",
    "全镇户籍人口3.26万人，比上年的3.31万人减少0.05万人，下降1.5%。",
    "全镇争取项目资金1.2亿元，其中省级资金0.8亿元，为年度计划1亿元的120%。",
    # (helper-30) parts listed after 其中; a change rounded to a whole number; a least (以上)
    "完成投资5.6亿元，其中工业项目3.2亿元，服务业项目2.4亿元，完成年度目标5亿元的112%。",
    "合格率由85.3%提高到90.1%，提高5个百分点；优良率由95.6%提高到100%，提高4个百分点。",
    "实现生产总值1.78亿元，比上年的1.45亿元增长20%以上。",
    # last year's figure after the growth, said once or twice; a multiple read either way
    "实现税收收入1186万元，同比增长20.0%（上年同期988万元）。",
    "实现税收收入1186万元，同比增长20.0%(去年同期为988万元)，增速居全县第二。",
    "实现税收收入1186万元，比上年的988万元增长20.0%（上年同期988万元）。",
    "实现旅游收入3.62亿元，比上年的1.45亿元增长1.5倍。",   # 2.5 times: a growth of 1.5 times
    "实现旅游收入3.62亿元，比上年的1.45亿元增长2.5倍。",   # written, often, for 2.5 times
    "实现旅游收入3.62亿元，是上年1.45亿元的2.5倍。",
    "实现旅游收入3.62亿元，比上年增长1.5倍。",             # no figure to check against
    # helper-34: the figure before the growth is its change, not this year's; comparable prices
    "人均可支配收入4500元，比上年提高500元，增长12.5%（上年同期4000元）。",
    "全年实现一般公共预算收入1186万元，比上年增收198万元，增长20.0%（上年同期988万元）。",
    "市场主体总数达到2860户，净增386户，增长15.6%（上年同期2474户）。",
    "地区生产总值9.12亿元，同比增长5.6%（上年同期8.45亿元，增速按可比价格计算）。",
    # helper-33: a multiple said as a least
    "村集体收入达到200万元，比上年的60万元增长1倍以上。",
    "村集体收入达到24万元，是上年12万元的1.5倍以上。",
    # helper-36 and helper-37: 新增 after the figure is the change, 比上年, 当年, 年内 or not
    "全镇市场主体总数达2860户，比上年新增386户，增长15.6%（上年同期2474户）。",
    "全镇市场主体总数达2860户，新增386户，增长15.6%（上年同期2474户）。",
    "全镇家庭农场达120家，当年新增32家，增长36.4%（上年88家）。",
    "全镇家庭农场达120家，年内新增32家，同比增长36.4%（上年同期88家）。",
    # helper-35: another year's figure is not last year's (only "2023年同期" is)
    "全年完成固定资产投资2.36亿元，比上年增长18.0%，2020年为1.2亿元，五年翻了近一番。",
])
def test_a_change_that_agrees_or_cannot_be_checked_is_left_alone(text: str) -> None:
    assert check_blocks(in_skeleton(text)) == []


def _half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)


@settings(max_examples=300, deadline=None)
@given(now=st.integers(1_000, 99_999_999), before=st.integers(1_000, 99_999_999),
       places=st.integers(0, 2))
def test_figures_written_rounded_beside_the_growth_of_the_exact_ones_raise_nothing(
        now: int, before: int, places: int) -> None:
    """A draft writes amounts rounded (万元 to ``places`` decimals) and the growth from the exact
    figures, as docgen does: no finding, whatever the figures."""
    exact_now, exact_before = Decimal(now) / 100, Decimal(before) / 100  # 万元, to the 元
    change = _half_up((exact_now - exact_before) / exact_before * 100, 1)
    word = "增长" if change >= 0 else "下降"
    text = (f"实现产值{_half_up(exact_now, places)}万元，比上年的{_half_up(exact_before, places)}万元"
            f"{word}{abs(change)}%。")
    assert [f for f in check_blocks(in_skeleton(text)) if f.category == "arithmetic"] == []


@settings(max_examples=300, deadline=None)
@given(before=st.integers(0, 10_000), after=st.integers(0, 10_000), places=st.integers(1, 2))
def test_rates_written_rounded_beside_the_change_of_the_exact_ones_raise_nothing(
        before: int, after: int, places: int) -> None:
    """Rates and their change in 百分点, each rounded from the exact figures to its decimals. (A
    rate written whole, "70%", is taken as exact: docgen writes a rate as the data gives it, and
    its change to one decimal.)"""
    exact_before, exact_after = Decimal(before) / 100, Decimal(after) / 100  # % to two decimals
    word = "提高" if exact_after >= exact_before else "下降"
    text = (f"比率由{_half_up(exact_before, places)}%{word}到{_half_up(exact_after, places)}%，"
            f"{word}{_half_up(abs(exact_after - exact_before), places)}个百分点。")
    assert [f for f in check_blocks(in_skeleton(text)) if f.category == "arithmetic"] == []


@pytest.mark.parametrize("change", ["增长5%", "增长5倍", "翻了一番"])
def test_an_absurd_run_of_digits_gives_a_finding_not_a_crash(change: str) -> None:
    blocks = in_skeleton(f"实现99999999999999999999999999亿元，比上年的1元{change}。")
    assert [f.category for f in check_blocks(blocks)] == ["arithmetic"]


@settings(max_examples=300, deadline=None)
@given(now=st.integers(1_000, 99_999_999), before=st.integers(1_000, 99_999_999),
       places=st.integers(0, 2), decimals=st.integers(1, 2))
def test_a_multiple_written_from_the_exact_figures_beside_rounded_ones_raises_nothing(
        now: int, before: int, places: int, decimals: int) -> None:
    """"比上年的X增长N倍" and "是上年X的M倍", N and M from the exact figures, the amounts rounded."""
    exact_now, exact_before = Decimal(now) / 100, Decimal(before) / 100  # 万元, to the 元
    ratio = exact_now / exact_before
    shown_now, shown_before = _half_up(exact_now, places), _half_up(exact_before, places)
    texts = [f"实现产值{shown_now}万元，是上年{shown_before}万元的{_half_up(ratio, decimals)}倍。"]
    if ratio > 1:
        grown = _half_up(ratio - 1, decimals)
        texts.append(f"实现产值{shown_now}万元，比上年的{shown_before}万元增长{grown}倍。")
    for text in texts:
        assert [f for f in check_blocks(in_skeleton(text)) if f.category == "arithmetic"] == [], text


def test_a_doubling_its_figures_contradict_is_found() -> None:
    """helper-34's slip: "比上年的0.4万亩翻了一番" for 1.2万亩 (3 times)."""
    blocks = in_skeleton("设施农业面积1.2万亩，比上年的0.4万亩翻了一番。")
    assert marked(check_blocks(blocks), blocks) == [("arithmetic", "error", AT, "翻了一番")]
    assert check_blocks(blocks)[0].message == \
        "1.2万亩 against 0.4万亩 is 3 times as much, not 2 times (翻了一番)"


@pytest.mark.parametrize("text", ["设施农业面积0.8万亩，比上年的0.4万亩翻了一番。",
                                  "设施农业面积1.6万亩，比上年的0.4万亩翻两番。",
                                  "设施农业面积0.7万亩，比上年的0.4万亩接近翻一番。",
                                  "全镇经济总量五年翻一番。"])
def test_a_doubling_that_agrees_or_is_said_roughly_passes(text: str) -> None:
    assert check_blocks(in_skeleton(text)) == []
