"""Structure rules: heading ordinals in sequence at each level, no empty section, the genre's four parts."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from docgen.checks.lexicon import DATE_LINE, OUTLOOK_WORDS, chinese_number, ordinal_label
from docgen.checks.model import Block, Finding, document_finding, finding
from docgen.checks.prepared import Prepared
from docgen.cnformat import chinese_numeral
from docgen.i18n import _

LEVELS = (1, 2, 3, 4)


def ordinals(items: Sequence[Prepared]) -> Iterator[Finding]:
    """一、二、四、 (skipped), （一）（一） (repeated), 3. after 4. (out of order), per level and parent."""
    last = dict.fromkeys(LEVELS, 0)
    for item in items:
        ordinal = item.ordinal  # None for a table cell
        if ordinal is None:
            continue
        block = item.block
        level, number, before = ordinal.level, ordinal.number, last[ordinal.level]
        at = len(block.text) - len(block.text.lstrip())
        label = ordinal.label
        message = None
        if number == before:
            message = _("heading number {label} is repeated").format(label=label)
        elif number > before + 1:
            missing = "".join(ordinal_label(level, n) for n in range(before + 1, number))
            message = _("heading numbers jump to {label}: {missing} is missing").format(
                label=label, missing=missing)
        elif number < before and number != 1:
            message = _("heading number {label} comes after {previous}").format(
                label=label, previous=ordinal_label(level, before))
        if message is not None:
            yield finding(block, "structure", "error", message, at, ordinal.end)
        last[level] = number
        for deeper in LEVELS[level:]:
            last[deeper] = 0


# 一是、二是…: the items of a paragraph, each at its start or after punctuation (统一是 is no item).
_ITEM = re.compile(r"(?:^|(?<=[，,；;。：:、\s（(“\"‘'—《]))(?P<n>[一二三四五六七八九十]{1,3})是")


def items_in_order(items: Sequence[Prepared]) -> Iterator[Finding]:
    """一是…；三是… (skipped), 二是 twice (repeated), 二是 before 一是, in the body's paragraphs.

    The count runs on to a later paragraph of the section that starts with an item (一是…。 and
    二是…。 as paragraphs of their own, perhaps with others between: （1）（2） under 二是, say), and
    starts again at a heading 一、 or （一）, or at a paragraph that opens with 一是 (after a list
    run into a sentence: "总体思路是：一是稳增长；二是惠民生。" then "一是抓产业发展。"). Inside a
    paragraph, a 一是 after other items begins a list of its own (三是…，重点做到：一是…；二是…),
    which the paragraphs after do not count on from.
    Table cells are left alone: a list across cells has no order to read.
    """
    before = 0
    for item in items:
        text = item.text
        if item.heading_level is not None and item.heading_level <= 2:
            before = 0  # a new section; a heading with text run in may begin a list of its own
        if not item.block.is_paragraph or "是" not in text:
            continue
        found = list(_ITEM.finditer(text))
        if not found:
            continue
        count = 0 if text[:found[0].start()].strip() else before  # a list inside the text: its own
        outer: int | None = None  # the count of the paragraph's first list, once a list inside began
        since = 0  # where the text not yet read for items starts
        for position, match in enumerate(found):
            number = chinese_number(match.group("n"))
            if number is None:
                continue
            if position == 0 and number == 1:
                count = 0  # a paragraph opening with 一是 begins a list, after any list before it
            # "主要表现在一是…，二是…", "做到一是…、二是…": a 一是 with no punctuation before it is
            # not read as an item, but a list starts there all the same
            unread = "一是" in text[since:match.start()]
            since = match.end()
            if (number == 1 or unread) and count:  # a list inside an item (一是…，做到：一是…；二是…)
                outer = count if outer is None else outer
                count = 0
            elif outer is not None and number == outer + 1 and number != count + 1:
                count, outer = outer, None  # the list inside ended: the item's own list goes on
            if unread and number > 1 and count == 0:
                count = 1
            message = _item_slip(match.group(0), number, count)
            if message is not None:
                yield finding(item.block, "structure", "error", message, match.start(), match.end())
            count = number
        before = count if outer is None else outer


def _item_slip(label: str, number: int, before: int) -> str | None:
    if number == before:
        return _("item {label} is repeated").format(label=label)
    if number > before + 1:
        missing = "、".join(f"{chinese_numeral(n)}是" for n in range(before + 1, number))
        return _("items jump to {label}: {missing} is missing").format(label=label, missing=missing)
    if number < before and number != 1:
        return _("item {label} comes after {previous}").format(
            label=label, previous=f"{chinese_numeral(before)}是")
    return None


_SIGNATURE = re.compile(r"(?:人民政府|政府|委员会|党委|办公室|办事处)\s*$")


def _is_sign_off(item: Prepared) -> bool:
    text = item.text.strip()
    return bool(DATE_LINE.fullmatch(text)) or (len(text) <= 24 and bool(_SIGNATURE.search(text)))


def empty_sections(items: Sequence[Prepared]) -> Iterator[Finding]:
    """A heading followed by another heading of its level or higher, or by nothing but the sign-off.

    Short lines numbered 1. 2. or （1）（2） one after another, unstyled, are a list ("1.产业结构单一",
    "2.基础设施薄弱"), not headings of sections left empty.
    """
    content = [i for i in items if i.block.text.strip()]
    for position, item in enumerate(content):
        if not item.bare_heading:
            continue
        level = item.heading_level
        if level is None or _listed(content, position):
            continue
        rest = content[position + 1:]
        following = rest[0] if rest else None
        empty = (following is None or all(_is_sign_off(i) for i in rest)
                 or (following.bare_heading and (following.heading_level or 99) <= level))
        if empty:
            block = item.block
            text = block.text.strip()
            yield finding(block, "structure", "warning",
                          _("the section \"{title}\" has no text").format(title=text),
                          block.text.index(text), block.text.index(text) + len(text))


def _listed(content: Sequence[Prepared], position: int) -> bool:
    """Whether the line at ``position`` is an item of a list typed as short numbered lines: an
    unstyled line with an ordinal below the second level, beside another of its level."""
    def item_of(item: Prepared, level: int) -> bool:
        return item.bare_heading and item.style_level is None and item.heading_level == level

    item = content[position]
    level = item.heading_level
    if level is None or level <= 2 or not item_of(item, level):
        return False
    return any(item_of(content[n], level) for n in (position - 1, position + 1) if 0 <= n < len(content))


PARTS = ("工作回顾", "主要成绩", "存在的问题", "工作打算")
_REVIEWS = re.compile(r"回顾|总结")
_PART_WORDS = (
    re.compile(r"回顾|主要工作|工作开展|开展情况|完成情况|工作情况|做法|总体情况|进展|工作总结"),
    re.compile(r"成绩|成效|成果|亮点|主要指标|经验"),
    re.compile(r"问题|不足|困难|短板|差距"),
    OUTLOOK_WORDS,
)


def parts(items: Sequence[Prepared], year: int | None) -> Iterator[Finding]:
    """The four parts of the genre as first-level headings, in order: missing or out of order."""
    first: dict[int, Block] = {}
    order: dict[int, int] = {}
    position = 0
    for item in items:
        if item.heading_level != 1:
            continue
        position += 1
        text = item.text
        named = [part for part, words in enumerate(_PART_WORDS) if words.search(text)]
        # a heading on next year's work is the outlook ("四、2025年主要工作", 主要工作 being a review's
        # words too), unless it names another part ("二、主要成绩及2025年预期目标") or says it reviews
        # (with --year one less than the draft's, "一、2024年工作回顾" names the year after)
        next_year = year is not None and f"{year + 1}年" in text and not _REVIEWS.search(text) \
            and all(part == 0 for part in named)
        for part in range(len(_PART_WORDS)):
            hit = part in named or (part == 3 and next_year)
            if hit and part not in first:
                first[part], order[part] = item.block, position
    missing = [name for part, name in enumerate(PARTS) if part not in first]
    if missing:
        yield document_finding("structure", "warning",
                               _("no heading for {parts}; a summary has 工作回顾, 主要成绩, 存在的问题 "
                                 "and 工作打算, in that order").format(parts="、".join(missing)))
    latest: int | None = None  # the part met last in the genre's order so far, by its place
    for part in sorted(first):
        if latest is not None and order[part] < order[latest]:
            block = first[part]
            text = block.text.strip()
            yield finding(block, "structure", "warning",
                          _("the part \"{part}\" comes before \"{other}\"; the genre puts it after")
                          .format(part=PARTS[part], other=PARTS[latest]),
                          block.text.index(text), block.text.index(text) + len(text))
        if latest is None or order[part] > order[latest]:
            latest = part


def check(items: Sequence[Prepared], year: int | None) -> list[Finding]:
    """Every structure finding of a document."""
    return [*ordinals(items), *items_in_order(items), *empty_sections(items), *parts(items, year)]
