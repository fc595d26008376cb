"""Structure rules: ordinals in sequence per level, no empty section, the four parts in order."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from docgen.checks import Block, check_blocks, check_document

from .drafts.docx_drafts import build_docx, draft_blocks, draft_lines, in_skeleton, marked


def _marked_in(name: str, tmp_path: Path) -> list[tuple[str, str, int | None, str]]:
    path = build_docx(draft_lines(name), tmp_path / "draft.docx")
    findings = check_document(path)
    text = {n: p.text for n, p in enumerate(docx.Document(str(path)).paragraphs, 1)}
    return [(f.category, f.severity, f.paragraph, text[f.paragraph][f.start:f.end] if f.paragraph else "")
            for f in findings]


def test_skipped_and_repeated_ordinals_at_every_level(tmp_path: Path) -> None:
    assert _marked_in("slipped-ordinals.txt", tmp_path) == [
        ("structure", "error", 7, "4."),
        ("structure", "error", 10, "（3）"),
        ("structure", "error", 11, "（二）"),
        ("structure", "error", 15, "四、"),
        ("structure", "error", 20, "（三）"),
    ]


def test_the_messages_name_what_is_missing() -> None:
    findings = check_blocks([Block(1, "沽东镇2024年工作总结"), Block(2, "一、工作回顾"), Block(3, "今年…。"),
                             Block(4, "四、存在的问题"), Block(5, "一是……。")])
    assert [f.message for f in findings if f.paragraph == 4] == [
        "heading numbers jump to 四、: 二、三、 is missing"]


def _item_slips(*texts: str) -> list[tuple[int | None, str, str]]:
    blocks = [Block(1, "沽东镇2024年工作总结"), *(Block(n, t) for n, t in enumerate(texts, 2))]
    return [(f.paragraph, f.message, f.snippet) for f in check_blocks(blocks, 2024)
            if f.category == "structure" and f.severity == "error"]


def test_items_skipped_repeated_or_out_of_order() -> None:
    assert _item_slips("存在问题：一是结构单一；三是技术落后。") == [
        (2, "items jump to 三是: 二是 is missing", "存在问题：一是结构单一；【三是】技术落后。")]
    assert _item_slips("一是甲；二是乙；二是丙。") == [
        (2, "item 二是 is repeated", "一是甲；二是乙；【二是】丙。")]
    assert _item_slips("一是加强。", "三是推进。") == [
        (3, "items jump to 三是: 二是 is missing", "【三是】推进。")]
    assert _item_slips("一是甲，二是乙，三是丙；一是丁。") == []  # a second list


def test_items_run_on_over_paragraphs_and_sub_items_and_start_again_in_a_section() -> None:
    assert _item_slips("一、工作回顾", "（一）农业。", "一是种植业。", "二是养殖业。", "（1）奶牛。",
                       "（2）养猪。", "三是合同鸡。", "（二）社会事业。一是文明创建。", "二是教育。") == []
    assert _item_slips("统一是关键。", "问题：一是甲；二是乙。", "打算：一是丙；二是丁。") == []
    assert _item_slips("一、工作回顾", "一是甲。", "二、主要成绩", "二是乙。") == [
        (5, "items jump to 二是: 一是 is missing", "【二是】乙。")]
    # a list run into a sentence, then one of paragraphs: the second begins at its 一是 (it read
    # "二是 is repeated")
    assert _item_slips("一、2025年工作打算", "总体思路是：一是稳增长；二是惠民生。", "一是抓产业发展。",
                       "二是抓民生保障。", "三是抓生态。") == []
    assert _item_slips("一、2025年工作打算", "总体思路是：一是稳；二是惠；三是美。", "一是抓产业。",
                       "二是抓民生。") == []
    assert _item_slips("一、工作回顾", "问题：一是甲；二是乙。", "一是丙。", "三是丁。") == [
        (5, "items jump to 三是: 二是 is missing", "【三是】丁。")]


@pytest.mark.parametrize("texts", [
    ("一是抓粮食，重点做到：一是稳面积；二是提单产；三是保收购。",),  # a list inside the first item
    ("一是抓粮食，做到一是稳面积、二是提单产、三是保收购；二是抓生产。",),
    ("一、工作回顾", "（一）农业。", "一是抓粮食。", "二是抓生产。",
     "三是抓民生，重点做到：一是保就业；二是保教育。", "四是抓安全。"),  # a list inside an item
    ("一、工作回顾", "一是甲。", "二是乙，做到：一是快；二是好；三是省。", "三是丙。"),
    ("一、工作回顾", "全镇实施两个提升工程（一是提升基础设施，二是提升服务水平），成效明显。"),
    ("——一是加强，二是推进。",), ("“一是甲、二是乙”",),
    ("主要表现在一是甲，二是乙。",),  # 一是 with no punctuation before it: not read, not missing
])
def test_lists_inside_items_and_items_after_brackets_or_quotes_are_in_order(texts: tuple[str, ...]) -> None:
    assert _item_slips(*texts) == []


def test_items_in_table_cells_are_left_alone() -> None:
    blocks = [Block(1, "沽东镇2024年工作总结"), Block(1, "一是甲。", "cell", cell=(1, 1, 1)),
              Block(1, "二是乙。", "cell", cell=(1, 2, 1)), Block(2, "三是丙。")]
    slips = [f.snippet for f in check_blocks(blocks, 2024)
             if f.category == "structure" and f.severity == "error"]
    assert slips == ["【三是】丙。"]  # the cells' items are not counted; the paragraph counts on its own


def _four_parts(outlook: str) -> list[Block]:
    """A 2024 draft of the four parts, each a first-level heading and a paragraph."""
    texts = ["一、2024年工作回顾", "今年…", "二、主要成绩", "…", "三、存在的问题", "…", outlook, "…"]
    return [Block(1, "沽东镇2024年工作总结"),
            *(Block(n, text, style="Heading 1" if n % 2 == 0 else None) for n, text in enumerate(texts, 2))]


def test_a_heading_on_next_years_main_work_is_the_outlook() -> None:
    assert check_blocks(_four_parts("四、2025年主要工作"), 2024) == []
    achievements = _four_parts("四、2025年工作打算")
    achievements[3] = Block(4, "二、主要成绩及2025年预期目标", style="Heading 1")
    assert check_blocks(achievements, 2024) == []  # 主要成绩, with next year's targets: not the outlook


def test_a_review_heading_of_the_year_after_the_one_given_is_no_outlook() -> None:
    """Checked with --year 2023, a 2024 draft's "一、2024年工作回顾" is a review on the wrong year
    (the year rules say so), not a 工作打算 out of place."""
    assert [f.category for f in check_blocks(_four_parts("四、2025年工作打算"), 2023)] == ["year"] * 3


def test_empty_sections_and_parts_out_of_order(tmp_path: Path) -> None:
    assert _marked_in("slipped-sections.txt", tmp_path) == [
        ("structure", "warning", 6, "（二）社会事业"),
        ("structure", "warning", 9, "二、存在的问题"),
        ("structure", "warning", 13, "（一）稳住农业基本盘"),
    ]


def test_the_out_of_order_part_names_the_part_it_precedes() -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={6: "二、存在的问题", 8: "三、主要成绩"})
    assert [f.message for f in check_blocks(blocks)] == [
        "the part \"存在的问题\" comes before \"主要成绩\"; the genre puts it after"]


@pytest.mark.parametrize(("number", "text", "part"), [
    (10, "四、抓好以下重点", "工作打算"),
    (6, "二、经济指标", "主要成绩"),
    (8, "三、其他", "存在的问题"),
])
def test_a_missing_part_is_a_warning_about_the_document(number: int, text: str, part: str) -> None:
    findings = check_blocks(in_skeleton("今年粮食生产稳中有增。", replace={number: text}))
    assert [(f.category, f.severity, f.paragraph, f.cell) for f in findings] == [
        ("structure", "warning", None, None)]
    assert findings[0].message.startswith(f"no heading for {part};")


def test_an_ordinal_out_of_order_is_found() -> None:
    blocks = in_skeleton("1.粮食生产稳中有增。", "3.特色产业加快发展。", "2.人居环境持续改善。")
    assert [(f.paragraph, f.message) for f in check_blocks(blocks)] == [
        (6, "heading numbers jump to 3.: 2. is missing"), (7, "heading number 2. comes after 3.")]


@pytest.mark.parametrize("paragraphs", [
    ["1、粮食生产稳中有增。", "2、特色产业加快发展。", "1、另起一组要点。", "2、第二点。"],   # a new list
    ["二、三产业从业人员达到3975人。", "一、二季度经济运行平稳。"],                     # ranges, not ordinals
    ["（1）教育方面稳步推进。", "（2）卫生方面持续改善。"],
    ["1. 粮食生产稳中有增。", "2． 特色产业加快发展。", "3 、人居环境持续改善。"],       # typed spacing
    ["10.5万元用于村级道路维修。"],                                                      # a number, not 10.
])
def test_ordinals_in_sequence_are_left_alone(paragraphs: list[str]) -> None:
    assert check_blocks(in_skeleton(*paragraphs)) == []


def test_short_items_ending_a_sentence_are_not_empty_sections() -> None:
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={
        9: "（一）农业种植结构单一，技术含量较低。", 10: "（二）村级管理规范化程度不高。"})
    # 三、 then its items as （一）（二）; 四、 is replaced, so only the missing outlook is found
    assert [f.paragraph for f in check_blocks(blocks)] == [None]


def test_short_numbered_lines_one_after_another_are_a_list_not_empty_sections() -> None:
    """"1.产业结构单一" "2.基础设施薄弱" under 三、存在的问题 gave three "has no text" warnings."""
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={9: "1.产业结构单一"})
    blocks = [*blocks[:9], Block(9, "2.基础设施薄弱"), Block(9, "（1）人才支撑不足"),
              Block(9, "（2）资金不足"), *blocks[9:]]
    assert check_blocks(blocks) == []
    # a lone one, or a styled one, is still a section left empty
    alone = in_skeleton("今年粮食生产稳中有增。", replace={9: "1.产业结构单一"})
    assert [f.snippet for f in check_blocks(alone)] == ["【1.产业结构单一】"]
    styled = [*alone[:8], Block(9, "1.产业结构单一", style="Heading 3"),
              Block(9, "2.基础设施薄弱", style="Heading 3"), *alone[9:]]
    assert [f.snippet for f in check_blocks(styled)] == ["【1.产业结构单一】", "【2.基础设施薄弱】"]


def test_headings_numbered_by_word_are_read_by_their_style() -> None:
    lines = ["[Title] 沽东镇2024年工作总结", "[Heading 1] 2024年工作回顾", "今年粮食生产稳中有增。",
             "[Heading 1] 主要成绩", "全年实现地区生产总值3.62亿元。", "[Heading 1] 存在的问题",
             "一是结构单一。", "[Heading 1] 2025年工作打算", "[Heading 2] 推进农业产业化经营"]
    blocks = draft_blocks(lines)
    assert marked(check_blocks(blocks), blocks) == [("structure", "warning", 9, "推进农业产业化经营")]


def test_a_part_headed_with_the_years_work_summary_is_the_review() -> None:
    """"一、2024年工作总结" heads the review in many drafts: it was "no heading for 工作回顾"."""
    blocks = in_skeleton("今年粮食生产稳中有增。", replace={3: "一、2024年工作总结"})
    assert check_blocks(blocks) == []
