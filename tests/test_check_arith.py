"""Arithmetic rules: a share against the document's own figures, 分别 lists that pair up."""

from __future__ import annotations

import pytest

from docgen.checks import check_blocks

from .drafts.docx_drafts import AT, in_skeleton, marked


@pytest.mark.parametrize(("paragraphs", "spot", "message"), [
    (["全镇共有耕地41876亩，今年种植棉花37665亩，占总耕地面积的88%。"], "88%",
     "37665亩 is 89.9% of 41876亩, not 88%"),
    (["全镇实现国民生产总值1.45亿元。", "乡镇企业增加值8414万元，占国民生产总值的85%。"], "85%",
     "8414万元 is 58.0% of 1.45亿元, not 85%"),  # 国 starts the name, not a scope
    (["全镇41876亩耕地中，种植小麦12000亩，占全镇耕地的30.6%。"], "30.6%",
     "12000亩 is 28.7% of 41876亩, not 30.6%"),
    (["种植棉花3.5万亩，占全镇4.2万亩耕地的80%。"], "80%", "3.5万亩 is 83.3% of 4.2万亩, not 80%"),
    (["全镇总人口3.6万人，其中农业人口2.9万人，占总人口的90%。"], "90%",
     "2.9万人 is 80.6% of 3.6万人, not 90%"),
    (["镇财政收入4580万元，其中税收收入3200万元，占财政收入的80%。"], "80%",
     "3200万元 is 69.9% of 4580万元, not 80%"),
    (["全镇耕地面积为41,876亩。", "今年种植棉花37,665亩， 占耕地面积的 85.0 %。"], "85.0 %",
     "37,665亩 is 89.9% of 41,876亩, not 85.0"),
    # a share with a thousands separator is read as one number (it used to raise)
    (["全镇共有耕地41876亩，今年种植棉花37665亩，占总耕地面积的1,200%。"], "1,200%",
     "37665亩 is 89.9% of 41876亩, not 1,200%"),
])
def test_a_share_that_contradicts_the_figures_is_found(paragraphs: list[str], spot: str,
                                                      message: str) -> None:
    blocks = in_skeleton(*paragraphs)
    findings = check_blocks(blocks)
    place = AT + len(paragraphs) - 1
    assert marked(findings, blocks) == [("arithmetic", "error", place, spot)]
    assert findings[0].message.startswith(message)


@pytest.mark.parametrize("paragraphs", [
    ["全镇共有耕地41876亩，今年种植棉花37665亩，占总耕地面积的89.9%。"],
    ["全镇共有耕地41876亩，今年种植棉花37665亩，占总耕地面积的8.9.9%。"],   # not a number: not read
    ["全镇共有耕地41876亩，今年种植棉花37665亩，占总耕地面积的90%。"],     # rounded to units
    ["全镇共有耕地41876亩，今年种植棉花37665亩，占总耕地面积的89%。"],     # truncated, as some do
    ["外出务工人员1682人，占农村劳动力的35.6%。"],                          # no figure for the whole
    ["种植棉花37665亩，占总耕地面积的88%。"],                                # nor here
    ["全镇共有耕地41876亩。", "种植棉花37665亩，占总耕地面积的89.9%，棉花面积占比约为90%。"],
    # amounts written rounded, their share from the exact figures (105026 of 111550 元; 14561 of
    # 17194 万元): what docgen writes, and what a secretary types
    ["村集体经营收入10.5万元，占村集体总收入11.16万元的94.2%。"],
    ["工业产值1.46亿元，占全镇总产值1.72亿元的84.7%。"],
    # a whole of another scope than the town's figure for it (helper-27)
    ["全镇共有耕地41876亩。", "马庄村土地流转1560亩，占全村耕地面积的62.4%。"],
    ["全镇奶牛存栏2100头，占全区奶牛存栏的18.6%。", "力争奶牛存栏2500头。"],
    ["马庄村耕地面积1923亩，其中种植小麦1200亩，占村耕地面积的62.4%。",
     "李庄村种植小麦800亩，占村耕地面积的50%。"],
])
def test_a_share_that_agrees_or_cannot_be_checked_is_left_alone(paragraphs: list[str]) -> None:
    assert check_blocks(in_skeleton(*paragraphs)) == []


@pytest.mark.parametrize(("text", "message"), [
    ("1—10月份，全镇实现地区生产总值3.62亿元，人均纯收入3217元，乡镇企业增加值8414万元，"
     "分别比去年同期增长6.0%、2.0%。", "\"分别\" pairs 3 items (3.62亿元、3217元、8414万元) with 2 rates"),
    ("小麦、玉米、棉花产量分别比上年增长3.1%和2.4%。",
     "\"分别\" pairs 3 items (小麦、玉米、棉花产量) with 2 rates"),
    ("粮食和棉花产量分别增长3%、5%、7%。", "\"分别\" pairs 2 items (粮食、棉花产量) with 3 rates"),
    ("1—10月份全镇实现国民生产总值1.45亿元（预计年底达到1.78亿元）；人均纯收入3217元（预计年底达到3950元）；"
     "乡镇企业增加值8414万元（预计年底达到1亿元），上交税金1186万元（预计年底达到1500万元），"
     "个体私营经济产值3.28亿元（预计年底达到4亿元），分别比去年同期增长6%，2%，17%，20%。",
     "\"分别\" pairs 5 items (1.45亿元、3217元、8414万元、1186万元、3.28亿元) with 4 rates"),
    ("规模以上工业增加值和固定资产投资分别比上年提高1.2个百分点、0.8个百分点和2.1个百分点。",
     "\"分别\" pairs 2 items (规模以上工业增加值、固定资产投资) with 3 rates"),
    # the items in the clause before, joined by 、
    ("粮食总产3.2万吨、蔬菜产量1.5万吨、水果产量0.8万吨，分别比上年增长3.1%和5.2%。",
     "\"分别\" pairs 3 items (3.2万吨、1.5万吨、0.8万吨) with 2 rates"),
    ("全年实现财政收入1186万元，完成固定资产投资2.1亿元，招商引资3亿元，分别同比增长10.2%、下降3.5%。",
     "\"分别\" pairs 3 items (1186万元、2.1亿元、3亿元) with 2 rates"),
])
def test_a_respectively_list_that_does_not_pair_up_is_found(text: str, message: str) -> None:
    blocks = in_skeleton(text)
    findings = check_blocks(blocks)
    assert [(f.category, f.severity, f.paragraph, f.message) for f in findings] == [
        ("arithmetic", "error", AT, message)]
    assert blocks[AT - 1].text[findings[0].start:findings[0].end].startswith("分别")


@pytest.mark.parametrize("text", [
    "1—10月份全镇实现国民生产总值1.45亿元（预计年底达到1.78亿元）；人均纯收入3217元（预计年底达到3950元）；"
    "乡镇企业增加值8414万元（预计年底达到1亿元），上交税金1186万元（预计年底达到1500万元），"
    "个体私营经济产值3.28亿元（预计年底达到4亿元），分别比去年同期增长6%，2%，17%，20%，10%。",
    "1—10月份，全镇实现国民生产总值1.45亿元（预计全年达到1.78亿元），人均纯收入3217元，"
    "分别比上年同期增长6.0%和2.0%；优秀党支部比率达到70.0%，比上年同期提高20.0个百分点。",
    "全镇工农业总产值分别增长3%、5%。",                       # one name: cannot tell
    "投入资金120万元新建大棚30个，分别增长3%、5%。",          # two figures in one clause: cannot tell
    "村务公开规范率和群众满意率分别达到95%、90%和85%。",       # not a growth list
    # from a review of typed drafts: a figure in passing, rates of both directions, the parts
    "全镇12个村，农民人均可支配收入21350元，村集体经济收入156万元，分别增长6.5%和12.1%。",
    "全年实现财政收入1186万元，完成固定资产投资2.1亿元，分别同比增长10.2%、下降3.5%。",
    "地区生产总值12.5亿元，其中第一产业增加值3.2亿元，第二产业增加值5.1亿元，分别增长3.1%和6.2%。",
    "住宿和餐饮业营业额、批发和零售业销售额分别增长8.2%和5.7%。",  # 和 inside the names
    "住宿和餐饮业营业额、批发和零售业销售额和交通运输业收入分别增长12.3%、8.6%、5.1%。",
    "小麦、玉米和棉花产量分别比上年增长3.1%、2.4%和1.0%。",
    # a whole and one part after 其中; counts in units of works (座, 个)
    "全镇生产总值12.5亿元，其中工业增加值5.2亿元，分别增长7.8%和10.2%。",
    "户籍人口3.2万人，其中农业人口2.6万人，分别比上年减少1.2%、2.3%。",
    "新建蔬菜大棚120座、养殖小区3个，分别比上年增加20%、50%。",
    # as docgen writes its figures, with the data's units
    "接待游客36.5万人次，茶叶种植面积12800亩，精品民宿46家，分别比上年增长21.3%、11.3%和48.4%。",
])
def test_a_respectively_list_that_pairs_up_or_cannot_be_counted_is_left_alone(text: str) -> None:
    assert check_blocks(in_skeleton(text)) == []
