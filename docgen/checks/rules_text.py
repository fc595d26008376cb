"""Rules on the words themselves: unrendered tags, placeholders, and blanks where a number belongs
(rules_blank)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

from docgen.checks.lexicon import DOWN_WORDS, UP_WORDS, scan
from docgen.checks.model import Finding, finding
from docgen.checks.prepared import Prepared
from docgen.checks.rules_blank import blank_numbers
from docgen.i18n import _

# --- unrendered template tags -------------------------------------------------------------

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{\{|\}\}|\{%|%\}")


def template_tags(item: Prepared) -> list[Finding]:
    """``{{ … }}``, ``{% … %}`` or half of one left in the text: the template was not rendered."""
    block, text = item.block, item.text
    if "{" not in text and "}" not in text:  # what every tag holds
        return []
    return [finding(block, "template-tag", "error",
                    _("template tag {tag} was not filled in").format(tag=match.group()),
                    match.start(), match.end())
            for match in _TAG.finditer(text)]


# --- placeholders ------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])[xX×]{2,}(?![A-Za-z])"      # xx村, XX区, ××镇, ＸＸ (folded)
    r"|某某+"                                    # 某某村
    r"|[□○]{2,}|_{3,}"                           # □□ ○○ ___ left for a figure
    r"|[（(【\[]\s*(?:此处|这里|请)\s*(?:填写|填入|补充|输入|插入|待填|待补)[^）)】\]]{0,40}[）)】\]]"
    r"|[（(【\[]\s*(?:填写|填入|输入|插入|待填|待补)[^）)】\]]{0,40}[）)】\]]"  # 【填写2024年数据】
    # 补充 also says what was done, or names a kind: "（补充耕地156亩）", "（补充耕地类）", "（补充
    # 乡村教师）", "（补充说明：…）"; an instruction is 补充 alone, or 补充 what is missing (数据,
    # 村名, 典型案例…)
    r"|[（(【\[]\s*待?补充[:：]?\s*(?:\d{4}年)?(?:[）)】\]]|(?:数据|数字|内容|材料|金额|名称|村名|案例|典型"
    r"|完成情况|各村情况|具体|相关)[^）)】\]\d：:]{0,8}[）)】\]])"
    r"|(?<![A-Za-z])[xX×](?:\.[xX×])+"          # X.X亿元, x.x%
    r"|(?<![A-Za-z\d])[xX×](?=[村组社户月日个家项名人万亿元亩吨%])(?![A-Za-z])"  # X村, 2024年X月
    r"|\*{2,}"                                   # **村, ＊＊ (folded)
    r"|(?:此处|请在此)(?:填写|填入|补充|插入)|请填写|(?<!有)待补充"  # 有待补充: "needs adding to"
    r"|[（(]\s*[）)]"                              # （ ） an empty pair where a figure was to go
)
# The characters a placeholder starts with.
_PLACEHOLDER_START = re.compile(r"[xX×某□○_（(【\[此请待*]")


def placeholders(item: Prepared) -> list[Finding]:
    """xx, 某某, □□, （此处填写…）: a stand-in never replaced by the real name or figure."""
    block = item.block
    return [finding(block, "placeholder", "error",
                    _("placeholder \"{text}\" left where a name or figure belongs")
                    .format(text=block.text[match.start():match.end()]),
                    match.start(), match.end())
            for match in scan(_PLACEHOLDER, _PLACEHOLDER_START, item.text)]


# --- words said twice --------------------------------------------------------------------

# Each pattern below starts with one character class, which the regex engine skips to at C speed;
# one starting with a repeat, a look-behind or a group of words is tried at every character.
_CHANGE_WORD = f"{UP_WORDS}|{DOWN_WORDS}"
_CHANGE_WORD_TWICE = re.compile(rf"(?:{_CHANGE_WORD})了?(?:{_CHANGE_WORD})")
# "比上年同期增长{{ x.growth }}" writes "增长下降6.1%": the figure's words come with it. (Before a
# number only: "提高增长质量" is a phrase.) Its words are matched again by _CHANGE_WORD_TWICE.
_CHANGE_TWICE = re.compile(r"[增提上下减降][长加高升降少低]了?[增提上下减降][长加高升降少低](?=\s*\d)")
# "{{ x }}万元" writes "3.51亿元万元", "{{ cows }}头" "2350头头"
# Every alternative starts with its own character (the engine skips to them at C speed); the
# figure before, and a 万/亿 between, are looked at by `repeated`. Not 元旦, 元宵, 元月, 头部; 户 and
# 亩 twice only before a mark (户厕, 户籍, 亩产 are words: helper-35), 个 and 家 twice never (个性, 家电).
_UNIT_TWICE = re.compile(r"元\s*[万亿]?元(?![旦宵月])|头头(?!部)|吨吨|公里公里|平方米平方米|人次人次"
                         r"|户户(?=[，。；、,;）)]|$)|亩亩(?=[，。；、,;）)]|$)")  # not 户厕, 亩产
# "，，", "。。", and "1——10月" (a range takes one dash); "——" alone is a 破折号
_PUNCTUATION_TWICE = re.compile(r"[，。；：、—][，。；：、—]+")
_DASH = "——"
_DIGITS, _DIGITS_BEFORE = re.compile(r"\d+"), re.compile(r"\d+$")


def repeated(items: Sequence[Prepared]) -> list[Finding]:
    """A change said twice ("增长下降6.1%"), a unit ("3.51亿元万元"), a punctuation mark ("。。"), in
    ``items``: their texts are scanned as one, a pattern at a time (a scan per paragraph cost three
    times as much, in calls rather than in reading)."""
    found = []
    for item, at, end, match in _scan_all(_CHANGE_TWICE, items):
        if _CHANGE_WORD_TWICE.fullmatch(match.group()):
            found.append(finding(item.block, "repeated", "error", _(
                "the change is said twice: \"{text}\" (a figure's growth writes 增长 or 下降 itself)")
                .format(text=item.block.text[at:end]), at, end))
    for item, at, end, _match in _scan_all(_UNIT_TWICE, items):
        text = item.text
        start = at - (text[at - 1:at] in ("万", "亿"))
        if not text[start - 1:start].isdigit():
            continue  # not after a figure
        found.append(finding(item.block, "repeated", "error", _(
            "the unit is said twice: \"{text}\" (a figure writes its unit itself)")
            .format(text=item.block.text[start:end]), start, end))
    for item, at, end, match in _scan_all(_PUNCTUATION_TWICE, items):
        text, marks = item.text, match.group()
        if marks == _DASH:
            before, after = _DIGITS_BEFORE.search(text, 0, at), _DIGITS.match(text, end)
            if before is None or after is None:
                continue  # a 破折号: "后进村——xx村"
            message = _("a range of numbers takes one dash: {one}, not {two}").format(
                one=f"{before.group()}—{after.group()}", two=f"{before.group()}——{after.group()}")
        elif "—" in marks:
            continue  # "。——" and the like: a 破折号 after a mark
        else:
            message = _("punctuation said twice: \"{text}\"").format(text=marks)
        found.append(finding(item.block, "repeated", "warning", message, at, end))
    return found


_APART = "\x00"  # between two texts scanned as one: no pattern reads it, or across it


def _scan_all(pattern: re.Pattern[str], items: Sequence[Prepared]) \
        -> Iterator[tuple[Prepared, int, int, re.Match[str]]]:
    """Each match of ``pattern`` in the texts of ``items``, with its item and its place there."""
    joined = _APART.join(item.text for item in items)
    starts: list[int] = []
    at = 0
    for item in items:
        starts.append(at)
        at += len(item.text) + 1
    for match in pattern.finditer(joined):
        index = bisect.bisect_right(starts, match.start()) - 1
        offset = starts[index]
        yield items[index], match.start() - offset, match.end() - offset, match


_SAME_TEXT = 20  # characters: a shorter paragraph ("一、基本情况") may well be said twice
_NOTE = re.compile(r"(?:注|说明|备注|数据来源|资料来源)\s*[:：]")  # under each table, the same
_MARKED = 12  # characters marked at the start of a paragraph said twice (all of it would be a page)


def repeated_paragraphs(items: Sequence[Prepared]) -> list[Finding]:
    """A paragraph said twice in the body, word for word, or the next one starting with all of it:
    pasted twice, or left from a draft."""
    first: dict[str, int] = {}
    found = []
    previous = ""
    for item in items:
        block = item.block
        text = block.text.strip()
        if not block.is_paragraph or not text:
            continue  # an empty line between the paragraph and its copy changes nothing
        if len(text) < _SAME_TEXT or item.is_heading or _NOTE.match(text):
            previous = ""  # a heading's words may open its first paragraph; a note may recur
            continue
        start = len(block.text) - len(block.text.lstrip())
        if text in first:
            found.append(finding(block, "repeated", "warning", _(
                "this paragraph repeats paragraph {first} word for word").format(first=first[text]),
                start, start + _MARKED))
        elif previous and text.startswith(previous):
            found.append(finding(block, "repeated", "warning", _(
                "this paragraph starts with all of the paragraph before it: pasted twice?"),
                start, start + _MARKED))
        first.setdefault(text, block.index)
        # a paragraph cut short ("…在经济建设和思想建设...") and then pasted whole
        previous = text.rstrip(".…。，,； ")
        if len(previous) < _SAME_TEXT:
            previous = ""
    return found


def check(item: Prepared) -> list[Finding]:
    """Every finding of the word rules in one paragraph or cell."""
    return [*template_tags(item), *placeholders(item), *blank_numbers(item)]
