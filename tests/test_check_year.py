"""Year rules: a year fallen out before 年, an outlook not on the next year, a review of another year."""

from __future__ import annotations

import pytest

from docgen.checks import Block, check_blocks

from .drafts.docx_drafts import AT, in_skeleton, marked

MISSING = "the year is missing before \"年\""


@pytest.mark.parametrize(("text", "spot"), [
    ("展望年，我镇将继续坚持稳中求进工作总基调。", "年"),
    ("现将年工作总结如下。", "年"),
    ("回顾 年全镇各项工作，成绩来之不易。", "年"),
    ("1.年重点项目进展顺利。", "年"),
])
def test_a_year_fallen_out_is_found(text: str, spot: str) -> None:
    blocks = in_skeleton(text)
    findings = check_blocks(blocks)
    assert marked(findings, blocks) == [("year", "error", AT, spot)]
    assert findings[0].message == MISSING


@pytest.mark.parametrize(("number", "text"), [
    (3, "一、年全镇农业和农村工作回顾"),
    (10, "四、年工作打算"),
    (1, "沽东镇年工作总结"),
    (4, "（一）年全镇农业农村工作"),
])
def test_a_heading_or_title_without_its_year_is_found(number: int, text: str) -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={number: text})
    assert marked(check_blocks(blocks, year=2024), blocks) == [("year", "error", number, "年")]


@pytest.mark.parametrize(("number", "text", "spot", "message"), [
    (10, "四、2024年工作打算", "2024", "the plans are for 2024, but a 2024 report plans 2025"),
    (10, "四、2026年工作计划", "2026", "the plans are for 2026, but a 2024 report plans 2025"),
    (10, "四、 ２０２４年工作思路", "２０２４", "the plans are for 2024, but a 2024 report plans 2025"),
    (3, "一、2023年工作回顾", "2023", "the review is of 2023, but the report year is 2024"),
    (3, "一、2023年度全镇农业和农村工作回顾", "2023", "the review is of 2023, but the report year is 2024"),
    (2, "今年以来，全镇经济稳步发展。现将2023年工作总结如下。", "2023",
     "the review is of 2023, but the report year is 2024"),
    (3, "一、2023年主要工作", "2023", "the review is of 2023, but the report year is 2024"),
    (3, "一、2023年各项工作开展情况", "2023", "the review is of 2023, but the report year is 2024"),
    (4, "2023年工作回顾：今年全镇农业稳步发展。", "2023",
     "the review is of 2023, but the report year is 2024"),
])
def test_a_heading_on_the_wrong_year_is_found(number: int, text: str, spot: str, message: str) -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={number: text})
    findings = check_blocks(blocks)
    assert marked(findings, blocks) == [("year", "error", number, spot)]
    assert findings[0].message == message


@pytest.mark.parametrize(("date", "message"), [
    ("2023年11月20日", "the document is dated 2023, but a 2024 report is written in 2024 or 2025"),
    ("2026年1月6日", "the document is dated 2026, but a 2024 report is written in 2024 or 2025")])
def test_a_signature_date_outside_the_report_year_and_the_next_is_found(date: str, message: str) -> None:
    blocks = [*in_skeleton("今年粮食生产稳中有增。"), Block(99, "沽东镇人民政府"), Block(100, date)]
    findings = [f for f in check_blocks(blocks) if f.category == "year"]
    assert [(f.paragraph, f.message, f.snippet) for f in findings] == [
        (100, message, f"【{date[:4]}】{date[4:]}")]
    assert [f for f in check_blocks([*blocks[:-1], Block(100, "2025年1月6日")]) if f.category == "year"] == []


@pytest.mark.parametrize(("text", "spot"), [
    ("展望2024年我们镇的工作，我们还是会继续不断的努力做好。", "2024"),
    ("展望 2026 年，我镇将继续坚持稳中求进。", "2026"),
    ("展望二〇二四年，我们充满信心。", "二〇二四"),
    ("回顾2023年，全镇上下团结一心。", "2023"),
])
def test_a_phrase_on_the_wrong_year_is_found(text: str, spot: str) -> None:
    blocks = in_skeleton(text)
    assert marked(check_blocks(blocks), blocks) == [("year", "error", AT, spot)]


@pytest.mark.parametrize(("text", "spot"), [
    ("围绕2024年工作思路，重点抓好以下工作。", "2024"),
    ("2026年全镇工作计划如下。", "2026"),
])
def test_a_plan_in_the_outlook_part_on_the_wrong_year_is_found(text: str, spot: str) -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={12: text})
    assert marked(check_blocks(blocks), blocks) == [("year", "error", 12, spot)]


@pytest.mark.parametrize("text", [
    "展望2025年，我镇将继续坚持稳中求进工作总基调。",
    "回顾2024年，全镇上下团结一心，攻坚克难。",
    "与2023年相比，各项指标均有较大增长，比2023年同期增长12.5%。",
    "年初以来，年内新发展党员17名，年底前完成全部任务，年均增长8%。",
    "做好年终岁末各项工作，回顾年初确定的目标，展望年度工作。",
    "乡镇年度工作总结是年终工作的重要内容。",
    "全面完成了2024年各项目标任务，为2025年工作打下了坚实基础。",
    "2021—2024年工作回顾显示，全镇经济年均增长7%。",
    "按照年初确定的2024年工作思路，全镇各项工作有序推进，2024年工作计划全面完成。",
    "1.年前完成土地确权，年后启动新项目，年头岁尾抓好安全生产。",
    "2024年工作回顾：全镇经济稳步发展。",
])
def test_years_that_are_right_are_left_alone(text: str) -> None:
    assert check_blocks(in_skeleton(text)) == []


def test_a_heading_on_the_year_s_targets_needs_no_year() -> None:
    assert check_blocks(in_skeleton("今年粮食生产稳中有增。", replace={3: "一、年度目标任务完成情况"})) == []


def test_the_report_year_comes_from_the_title_when_not_given() -> None:
    blocks = [Block(1, "青石乡二〇二三年度工作总结"), Block(2, "展望2025年，我乡将继续努力。")]
    years = [f.message for f in check_blocks(blocks) if f.category == "year"]
    assert years == ["the plans are for 2025, but a 2023 report plans 2024"]


def test_a_year_given_that_differs_from_the_title_is_found() -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。")
    findings = check_blocks(blocks, year=2025)
    assert [(f.paragraph, f.message) for f in findings if f.paragraph == 1] == [
        (1, "the title names 2024, but the report year is 2025")]


def test_without_a_year_in_the_title_the_year_rules_that_need_it_stay_silent_and_say_so() -> None:
    blocks = [Block(1, "工作总结"), Block(2, "展望2024年，我镇将继续努力。")]
    years = [(f.severity, f.paragraph, f.message) for f in check_blocks(blocks) if f.category == "year"]
    assert years == [("warning", None, "no title names the report year, so the years were not checked: "
                                       "give it with --year")]
    assert [f.message for f in check_blocks(blocks, year=2022) if f.category == "year"] == [
        "the plans are for 2024, but a 2022 report plans 2023"]


@pytest.mark.parametrize("opening", [
    ["中共青山镇委员会", "青山镇人民政府", "关于2024年工作情况的报告"],  # a letterhead before the title
    ["青山镇", "2024年工作总结"],                                       # a title set on two lines
])
def test_the_title_is_found_after_a_letterhead_or_on_its_second_line(opening: list[str]) -> None:
    """The year checks went silent, with no word, when the title was not the first paragraph: a
    wrong outlook and a copied date passed as clean."""
    blocks = [*(Block(n, text) for n, text in enumerate(opening, 1)),
              Block(9, "一、工作回顾", style="Heading 1"), Block(10, "展望2024年，继续努力。"),
              Block(11, "2023年12月20日")]
    assert [(f.paragraph, f.message) for f in check_blocks(blocks) if f.category == "year"] == [
        (10, "the plans are for 2024, but a 2024 report plans 2025"),
        (11, "the document is dated 2023, but a 2024 report is written in 2024 or 2025")]


@pytest.mark.parametrize("text", [
    "1.年接待游客12万人次，旅游收入1800万元。",           # 年 as "a year's", after a list's number
    "2.年销售收入500万元以上企业达到8家。",
])
def test_a_years_count_after_a_list_number_is_no_lost_year(text: str) -> None:
    assert [f for f in check_blocks(in_skeleton(text)) if f.category == "year"] == []


@pytest.mark.parametrize(("text", "style"), [
    ("（一）认真落实2023年中央一号文件精神，做好农业农村重点工作", "Heading 2"),
    ("（二）扎实推进2024年为民办实事项目安排", "Heading 2"),
    ("回顾2021年换届以来的工作，我们深刻体会到……", None),
])
def test_a_review_section_naming_another_years_text_or_plan_is_no_outlook(text: str,
                                                                          style: str | None) -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。")
    blocks = [*blocks[:3], Block(90, text, style=style), *blocks[3:]]
    assert [f for f in check_blocks(blocks) if f.category == "year"] == []


@pytest.mark.parametrize("text", [
    "认真梳理2024年工作计划未完成事项，确保2025年一季度全部清零。",
    "展望2035年远景目标，锚定农业农村现代化。",
])
def test_the_outlook_may_name_this_years_plan_or_a_far_goal(text: str) -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={12: text})
    assert blocks[11].text == text
    assert [f for f in check_blocks(blocks) if f.category == "year"] == []


def test_a_section_on_an_earlier_years_matter_is_no_review_of_that_year() -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。")
    titled = [*blocks[:3], Block(90, "（一）2023年度审计反馈问题整改工作情况", style="Heading 2"),
              Block(91, "（二）2023年以来主要工作", style="Heading 2"), *blocks[3:]]
    assert [f for f in check_blocks(titled) if f.category == "year"] == []


def test_a_date_line_without_its_day_is_read() -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={15: "二〇二三年十二月"})
    assert [(f.paragraph, f.message) for f in check_blocks(blocks) if f.category == "year"] == [
        (15, "the document is dated 2023, but a 2024 report is written in 2024 or 2025")]


def test_an_opening_sentence_naming_another_year_is_not_the_title() -> None:
    """'现将我镇2021年换届以来工作情况报告如下。' was taken for the title (it names a year and 情况):
    the report year became 2021."""
    blocks = [Block(1, "青山镇2024年工作回顾及2025年工作打算"),
              Block(2, "根据县委要求，现将我镇2021年换届以来工作情况报告如下。"),
              Block(3, "一、2024年工作回顾", style="Heading 1"), Block(4, "今年粮食生产稳中有增。"),
              Block(5, "二、2025年工作打算", style="Heading 1"), Block(6, "持续推进各项工作。")]
    assert [f for f in check_blocks(blocks) if f.category == "year"] == []
    assert [f for f in check_blocks(blocks, year=2024) if f.category == "year"] == []
    untitled = [Block(1, "中共青山镇委员会"), *blocks[1:]]
    assert [f.message for f in check_blocks(untitled) if f.category == "year"] == [
        "no title names the report year, so the years were not checked: give it with --year"]


def test_a_month_alone_heads_a_chronology_entry_unless_it_ends_the_document() -> None:
    blocks = in_skeleton("2023年12月", "全镇启动农村人居环境整治。")
    assert [f for f in check_blocks(blocks) if f.category == "year"] == []


@pytest.mark.parametrize("text", [
    "做好年关节点安全生产，做好年审工作，做好年节期间值守，做好年老体弱群众的上门服务。",
    "回顾2021年至今的发展历程，我们深刻体会到：发展是第一要务。",
])
def test_words_that_start_with_nian_and_a_look_back_over_years_are_no_slips(text: str) -> None:
    assert [f for f in check_blocks(in_skeleton(text)) if f.category == "year"] == []


def test_looking_out_to_a_long_range_goal_is_no_wrong_outlook() -> None:
    """展望2035年 in a 2024 report looks at the long-range goal; 展望2024年 is still a slip."""
    vision = in_skeleton("今年粮食生产稳中有增。", replace={12: "展望2035年，全镇将基本实现农业农村现代化。"})
    assert [f for f in check_blocks(vision) if f.category == "year"] == []
    slip = in_skeleton("今年粮食生产稳中有增。", replace={12: "展望2024年，全镇将继续努力。"})
    assert [f.message for f in check_blocks(slip) if f.category == "year"] == [
        "the plans are for 2024, but a 2024 report plans 2025"]


def test_a_title_whose_year_fell_out_is_found() -> None:
    """"关于云溪镇年工作情况的报告" only said the years were not checked."""
    blocks = [Block(1, "关于云溪镇年工作情况的报告"), Block(2, "今年粮食生产稳中有增。")]
    assert next((f.paragraph, f.snippet) for f in check_blocks(blocks) if f.category == "year") == \
        (1, "关于云溪镇【年】工作情况的报告")


def test_looking_back_at_last_year_is_still_a_wrong_review() -> None:
    blocks = in_skeleton("回顾2023年一年来，全镇上下团结奋斗。")
    assert [f.message for f in check_blocks(blocks) if f.category == "year"] == [
        "the review is of 2023, but the report year is 2024"]


@pytest.mark.parametrize("text", ["回顾2021年换届三年来，全镇上下团结奋斗。",
                                  "回顾2022年来的工作，成绩来之不易。"])
def test_looking_back_over_the_years_since_is_no_wrong_review(text: str) -> None:
    assert [f for f in check_blocks(in_skeleton(text)) if f.category == "year"] == []


@pytest.mark.parametrize(("text", "spot"), [
    ("2024年，力争实现地区生产总值增长6%。", "2024"),  # last year's outlook copied
    ("2023年，我镇将继续推进农业产业化经营。", "2023"),
])
def test_an_outlook_paragraph_opening_on_a_past_year_is_found(text: str, spot: str) -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={12: text})
    assert marked(check_blocks(blocks), blocks) == [("year", "error", 12, spot)]
    assert check_blocks(blocks)[0].message == f"the plans are for {spot}, but a 2024 report plans 2025"


@pytest.mark.parametrize("text", [
    "2025年，我镇将继续推进农业产业化经营。",
    "2027年，力争全面建成省级示范镇。",                  # a longer goal, from the outlook
    "2024年，全镇实现了较快发展，为明年的工作打下了基础。",  # recalled, not planned
])
def test_an_outlook_paragraph_opening_on_its_year_a_later_one_or_recalling_this_one_passes(
        text: str) -> None:
    assert check_blocks(in_skeleton("今年粮食生产稳中有增。", replace={12: text})) == []


def test_an_opening_year_outside_the_outlook_is_no_plan() -> None:
    assert check_blocks(in_skeleton("2024年，力争实现地区生产总值增长6%。")) == []


@pytest.mark.parametrize("date", ["2024年1月8日", "二〇二四年九月三十日"])
def test_a_date_early_in_the_report_year_is_a_warning(date: str) -> None:
    """A 2024 summary dated January 2024 carries last year's date line with the year changed."""
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={15: date})
    assert marked(check_blocks(blocks), blocks) == [("year", "warning", 15, date)]
    assert check_blocks(blocks)[0].message == (
        f"the document is dated {date}, before the year it reviews is over: a 2024 summary is "
        "written at the end of 2024 or early in 2025")


@pytest.mark.parametrize(("title", "date"), [
    ("沽东镇2024年工作总结", "2024年10月8日"),
    ("沽东镇2024年工作总结", "2025年1月8日"),
    ("沽东镇2024年上半年工作总结", "2024年7月8日"),
    ("沽东镇2024年1—9月工作总结", "2024年9月28日"),
    ("沽东镇2024年第三季度工作总结", "2024年9月28日"),
])
def test_a_date_after_the_period_reviewed_passes(title: str, date: str) -> None:
    assert check_blocks(in_skeleton("今年粮食生产稳中有增。", replace={1: title, 15: date})) == []


@pytest.mark.parametrize("text", [
    # helper-33 and helper-34: 要 and 计划 inside other words; a recap of the year in the outlook
    "2024年，全镇主要经济指标预计全面完成，2025年力争再上新台阶。",
    "2024年，要素保障持续加强，2025年将进一步优化营商环境。",
    "2023年，全镇计划生育工作受到表彰，2025年将巩固成果。",
    "2024年，全镇需要化解的信访积案仍有12件。",
    "2024年是极不平凡的一年，全镇上下团结奋斗。",
    "2025年是“十四五”规划收官之年。",
    # helper-35: a recap in the outlook's first paragraph, past deeds told with 争取, 确保, 将…作为
    "2024年是极不平凡之年，也是全镇发展成效显著之年。2025年，我们将继续努力。",
    "2024年，我镇争取上级项目资金3200万元，为明年打下基础。",
    "2024年，全镇确保了粮食安全，2025年将巩固成果。",
    "2024年，全镇将招商引资作为“一号工程”，引进项目12个。",
])
def test_an_outlook_paragraph_recalling_the_year_passes(text: str) -> None:
    assert check_blocks(in_skeleton("今年粮食生产稳中有增。", replace={12: text})) == []


@pytest.mark.parametrize("text", ["2024年我镇将围绕县委中心工作，持续发力。", "2024年，我将进一步加强学习。"])
def test_a_copied_outlook_opening_without_a_comma_is_found(text: str) -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={12: text})
    assert marked(check_blocks(blocks), blocks) == [("year", "error", 12, "2024")]


def test_a_half_years_summary_plans_the_rest_of_its_year() -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={
        1: "沽东镇2024年上半年工作总结", 3: "一、上半年工作回顾", 10: "四、2024年下半年工作打算",
        12: "2024年，全镇将力争全面完成全年目标任务。", 15: "2024年7月5日"})
    assert check_blocks(blocks) == []


@pytest.mark.parametrize(("title", "date"), [("沽东镇2024年年中工作总结", "2024年7月10日"),
                                             ("关于2024年以来工作情况的汇报", "2024年8月12日")])
def test_a_midyear_report_may_be_dated_midyear(title: str, date: str) -> None:
    assert check_blocks(in_skeleton("今年粮食生产稳中有增。", replace={1: title, 15: date})) == []


def test_a_review_heading_that_uses_plan_words_is_no_outlook() -> None:
    """helper-34: "一、统筹安排、精准施策，…" made its section the outlook, and 2024 a wrong plan."""
    blocks = in_skeleton("2024年，全镇预计实现地区生产总值3.6亿元。",
                         replace={3: "一、统筹安排、精准施策，经济运行稳中向好"})
    assert [f for f in check_blocks(blocks) if f.category == "year"] == []


@pytest.mark.parametrize("heading", ["四、2025年发展思路：", "四、2025年总体思路、奋斗目标和主要举措",
                                     "四、下一步工作计划", "四、2025年工作安排", "四、2025年工作安排部署",
                                     "四、2025年工作计划（草案）", "四、2025年工作思路——谋新篇",
                                     "四、2025年工作思路，主要抓好以下几个方面"])
def test_an_outlook_heading_in_other_words_makes_its_part_the_outlook(heading: str) -> None:
    """helper-35: under "四、2025年发展思路：" a copied "2024年，全镇将…" passed."""
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={10: heading, 12: "2024年，全镇将推进项目建设。"})
    assert marked(check_blocks(blocks), blocks) == [("year", "error", 12, "2024")]


@pytest.mark.parametrize("heading", ["一、创新工作思路，推动经济高质量发展",
                                     "一、对标年初计划、压实责任，经济指标稳中有进",
                                     "一、把握总体思路、稳中求进，经济运行持续向好",
                                     "一、明确发展思路。坚持项目为王，经济实力稳步提升"])
def test_a_review_heading_naming_its_way_of_working_is_no_outlook(heading: str) -> None:
    """helpers 35 and 36: "一、创新工作思路，推动…" made its section the outlook."""
    blocks = in_skeleton("2024年，全镇努力克服自然灾害影响，粮食生产稳中有增。", replace={3: heading})
    assert [f for f in check_blocks(blocks) if f.category == "year"] == []


@pytest.mark.parametrize("text", [
    # helper-37: 是…之年 recaps opening the outlook, 将 taking its object first, 将近, 要求, 力争上游
    "2024年是“十四五”规划攻坚之年，全镇上下将压力转化为动力，圆满完成了各项目标任务。",
    "2024年是“十四五”规划的关键之年，全镇将项目建设作为重中之重，引进项目12个。",
    "2024年是项目建设大干之年，全镇将近30个项目全部开工建设。",
    "2024年是换届之年，全镇要求各村两委班子平稳过渡，目前已圆满完成。",
    "2024年是乡村振兴全面推进之年，全镇力争上游，多项指标位居全区前列。",
    "2024年，全镇计划内项目全部完工。2025年，全镇将继续推进项目建设。",
])
def test_a_recap_of_the_year_opening_the_outlook_passes(text: str) -> None:
    assert check_blocks(in_skeleton("今年粮食生产稳中有增。", replace={12: text})) == []


@pytest.mark.parametrize("heading", ["一、紧扣年度计划，为2025年发展奠定坚实基础",
                                     "一、统筹安排部署，为2025年开好局打下基础",
                                     "一、坚持规划引领，2025年发展思路更加清晰"])
def test_a_review_heading_naming_next_year_is_no_outlook(heading: str) -> None:
    """helper-37: "2025年" anywhere in a heading with 计划/安排/思路 made the review part the outlook."""
    blocks = in_skeleton("2024年，全镇计划投资1.2亿元实施项目12个，已全部完工。", replace={3: heading})
    assert [f for f in check_blocks(blocks) if f.category == "year"] == []
