"""Changes stated beside both their figures: a growth rate, the completion of a target, a rate's change.

"1.78亿元，比上年的1.45亿元增长12.3%" is checked against its own figures (22.8%); so is "3218万元，为
全年目标1600万元的105%" (201%), and "由70%提高到90%，提高了20%", which names a change of rates in %
where the genre writes 百分点. A figure the sentence does not give is not looked for elsewhere.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from decimal import Decimal

from docgen.checks.lexicon import DOWN_WORDS, NUMBER, UP_WORDS
from docgen.checks.model import Block, Finding, finding
from docgen.checks.prepared import Prepared
from docgen.checks.rules_arith import PARENS, UNIT, Amount, amount, close, half_unit, within_step, written
from docgen.cnformat import one_decimal, plain
from docgen.figures import round_half_up
from docgen.i18n import _

_AGO = r"(?:比|较)(?:上年|去年|\d{4}年)(?:同期)?(?:的)?"  # "比2023年的988万元"
_SINCE_A_YEAR = re.compile(r"[比较]\d{4}年")
_LAST = r"(?:(?:上年|去年)(?:同期)?|\d{4}年同期)"  # last year; by its number only with 同期
# Each pattern starts at its words, which the regex engine finds fast, and the figure they follow
# is read back from there (`_BEFORE`): a pattern starting with a number is tried at every digit.
# "1.78亿元，比上年的1.45亿元增长12.3%", "收入3950元，较去年同期3217元增加22.8%"
# and "1186万元，上年同期为988万元，同比增长20.0%"
_CHANGE = (rf"(?:(?P<up>{UP_WORDS})|(?P<down>{DOWN_WORDS}))了?\s*(?P<rate>(?P<pct>{NUMBER})\s*"
           rf"(?:(?P<points>个百分点|百分点)|(?P<times>倍)|%)(?P<about>以上|多|余|左右|以下)?)")
_GROWTH = re.compile(
    rf"(?:{_AGO}|(?:上年|去年)(?:同期)?(?:为|是))\s*(?P<bnum>{NUMBER})\s*(?P<bunit>{UNIT})\s*[，,]?\s*"
    rf"(?:同比)?{_CHANGE}")
# last year's figure after the growth: "1186万元，同比增长20.0%（上年同期988万元）", "…，上年为988万元"
_GROWTH_THEN_BEFORE = re.compile(
    rf"(?:同比|{_AGO})?{_CHANGE}\s*(?:[（(]\s*{_LAST}(?:为|是|[:：])?"
    rf"|[，,；;]\s*{_LAST}(?:为|是|[:：]))"
    rf"\s*(?P<bnum>{NUMBER})\s*(?P<bunit>{UNIT})(?=\s*[）)，,。；;]|\s*$)")
_THEN_BEFORE_HINT = re.compile(rf"[（(，,；;]\s*{_LAST}")  # what _GROWTH_THEN_BEFORE holds, found fast
# what is said between a figure and the growth after it when that figure is the change, not this
# year's: "比上年增收198万元，增长20.0%（上年同期988万元）", "净增386户，增长15.6%"
_CHANGED_BY = "增加|增收|提高|净增|净减|多|减少|减收|下降|降低|少"  # "比上年增收198万元"
_AMOUNT_OF_CHANGE = re.compile(rf"(?:{_CHANGED_BY}|增长)了?\s*$")
# this year's figure before such a change: "1186万元，比上年增收198万元，增长2.0%"
_BEFORE_A_CHANGE = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>{UNIT})[^，。；;\d%]{{0,4}}?[，,]\s*[^，。；;\d%]{{0,5}}?"  # 比上年, 当年
    rf"(?:{_CHANGED_BY}|新增)了?\s*{NUMBER}\s*(?:{UNIT})[，,]?\s*$")
_NEW = re.compile(r"新增了?\s*$")  # "新增386户": a change after the figure, or the figure itself
# growth at comparable prices ("增速按可比价格计算") is not the ratio of the figures written
_COMPARABLE = "可比价"
# "是上年的2.6亿元的1.5倍": this year's figure a multiple of last year's
_MULTIPLE = re.compile(
    rf"(?:是|为|相当于)(?:上年|去年|\d{{4}}年)(?:同期)?的?\s*(?P<bnum>{NUMBER})\s*(?P<bunit>{UNIT})\s*的\s*"
    rf"(?P<rate>(?P<pct>{NUMBER})\s*倍(?P<about>以上|多|余|左右|以下)?)")
# "1.2万亩，比上年的0.4万亩翻了一番" (2 times; 翻两番 4 times); not "近/接近/基本翻一番", "翻一番以上"
_DOUBLING = re.compile(
    rf"{_AGO}\s*(?P<bnum>{NUMBER})\s*(?P<bunit>{UNIT})\s*(?:实现)?"
    rf"(?P<rate>翻了?(?P<times>一|两|三)?番)(?!以上|多)")
_TWOFOLD = {None: 1, "一": 1, "两": 2, "三": 3}
# "3218万元，为全年目标1600万元的105%", "完成年度计划1500万元的112.5%"
_TARGET = re.compile(
    rf"(?:为|是|完成|达到|占)了?[^，。；;\d%]{{0,8}}?(?:目标|计划)(?:任务)?的?\s*"  # 全县下达目标
    rf"(?P<bnum>{NUMBER})\s*(?P<bunit>{UNIT})\s*的\s*(?P<pct>{NUMBER})\s*%")
# The figure right before those words: "1.78亿元，", "3218万元"
_BEFORE = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>{UNIT})[^，。；;\d%]{{0,4}}?[，,]?\s*$")
# or before a growth said in between: "286亿元，比上年的251亿元增长13.9%，为全年目标…"
_BEFORE_A_GROWTH = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>{UNIT})[^，。；;\d%]{{0,4}}?[，,]\s*"
                              rf"(?:比|较|同比)[^，。；;]{{0,30}}?%[，,]\s*$")
_LOOK_BACK = 60  # characters
_PART_OF = re.compile(r"其中")
# "由70%提高到90%，提高了20%"
_RATES = re.compile(
    rf"由(?:去年|上年)?的?\s*(?P<from>{NUMBER})\s*%\s*(?:(?P<rise>{UP_WORDS})|{DOWN_WORDS})(?:到|至)\s*(?P<to>{NUMBER})\s*%"
    rf"[，,]?\s*(?:{UP_WORDS}|{DOWN_WORDS})了?\s*(?P<by>{NUMBER})\s*(?P<unit>%|个百分点|百分点)")


def growths(item: Prepared) -> Iterator[Finding]:
    """A growth (or fall) in % or in 倍 that its two figures, this year's and last year's, contradict."""
    block, text = item.block, item.text
    seen: set[int] = set()
    patterns = (_GROWTH, _GROWTH_THEN_BEFORE) if _THEN_BEFORE_HINT.search(text) else (_GROWTH,)
    for pattern in patterns:
        for match, now, before in _pairs(pattern, text):
            if match.start("pct") in seen:  # "比上年的988万元增长20%（上年同期988万元）": said twice
                continue
            seen.add(match.start("pct"))
            if match.group("times"):
                if match.group("up"):
                    yield from _multiple(block, match, now, before, grown=True)
                continue
            yield from _growth(block, match, now, before)


def _growth(block: Block, match: re.Match[str], now: Amount, before: Amount) -> Iterator[Finding]:
    down = match.group("down") is not None
    if match.group("points"):  # "比上年的2.38万吨增长3.4个百分点": an amount changes in %
        yield finding(block, "arithmetic", "error", _(
            "{now} against {before} changes in %, not in 百分点 (百分点 are for rates)").format(
                now=now.text, before=before.text), match.start("pct"), match.end("rate"))
        return
    share = _share_after(match.group("pct"), down)
    if share is None or close(now, before, share):
        return
    computed = (now.value - before.value) / before.value * 100
    if _within(computed if not down else -computed, match.group("pct"), match.group("about")):
        return
    if computed < 0:
        message = _("{now} against {before} is a fall of {computed}%, not {stated}%") if down else \
            _("{now} against {before} is a fall of {computed}%, not a growth of {stated}%")
    else:
        message = _("{now} against {before} is a growth of {computed}%, not {stated}%") \
            if not down else _("{now} against {before} is a growth of {computed}%, not a fall of "
                               "{stated}%")
    yield finding(block, "arithmetic", "error", message.format(
        now=now.text, before=before.text, computed=one_decimal(abs(computed)),
        stated=match.group("pct")), match.start("pct"), match.end("rate"))


def multiples(item: Prepared) -> Iterator[Finding]:
    """"是上年2.6亿元的1.5倍" where this year's figure is another multiple of last year's."""
    for match, now, before in _pairs(_MULTIPLE, item.text):
        yield from _multiple(item.block, match, now, before, grown=False)


def doublings(item: Prepared) -> Iterator[Finding]:
    """"比上年的0.4万亩翻了一番" where this year's figure is not twice last year's (翻两番: 4 times)."""
    for match, now, before in _pairs(_DOUBLING, item.text):
        if _ROUGHLY.search(item.text, max(0, match.start("rate") - 3), match.start("rate")):
            continue  # "接近翻一番": said of less
        times = 2 ** _TWOFOLD[match.group("times")]
        if within_step(now, before, Decimal(times), Decimal("0.5")):
            continue
        yield finding(item.block, "arithmetic", "error", _(
            "{now} against {before} is {ratio} times as much, not {times} times ({said})").format(
                now=now.text, before=before.text, ratio=_two_places(now.value / before.value), times=times,
                said=match.group("rate")), match.start("rate"), match.end("rate"))


_ROUGHLY = re.compile(r"近|接近|基本|将近|几乎|超过")


def _multiple(block: Block, match: re.Match[str], now: Amount, before: Amount, *, grown: bool) \
        -> Iterator[Finding]:
    """A multiple ``now`` is not of ``before``: "增长1.5倍" (``grown``) is 2.5 times, but is often
    written for 1.5 times, and either reading is taken; "是…的1.5倍" is 1.5 times."""
    found = written(match.group("pct"))
    if found is None:
        return
    stated, decimals = found
    times = (stated + 1, stated) if grown else (stated,)
    ratio = now.value / before.value
    about = match.group("about")
    if about == "左右" or (about in ("以上", "多", "余") and ratio >= min(times)) or \
            (about == "以下" and ratio <= max(times)):
        return
    # "2.5倍" may be rounded or cut from 2.54; "3倍" is said of 2.5 to 3.5 at most
    step = Decimal(10) ** -decimals if decimals else Decimal("0.5")
    if about is None and any(within_step(now, before, value, step) for value in times):
        return
    message = _("{now} against {before} is {ratio} times as much, a growth of {grown} times, "
                "not of {stated} times") if grown else \
        _("{now} against {before} is {ratio} times as much, not {stated} times")
    yield finding(block, "arithmetic", "error", message.format(
        now=now.text, before=before.text, ratio=_two_places(ratio), grown=_two_places(ratio - 1),
        stated=match.group("pct")), match.start("pct"), match.end("rate"))


def _two_places(value: Decimal) -> str:
    """A multiple as a message gives it: 2.48, 3 (not 3.00), however many digits it has."""
    return plain(round_half_up(value, 2))


def targets(item: Prepared) -> Iterator[Finding]:
    """"X，为全年目标Y的Z%" where X of Y is not Z%."""
    block, text = item.block, item.text
    for match, done, target in _pairs(_TARGET, text):
        # a target is set as written ("全年目标2亿元" is 2亿, not anything from 1.5亿 to 2.5亿)
        if close(done, dataclasses.replace(target, margin=Decimal(0)), match.group("pct")):
            continue
        yield finding(block, "arithmetic", "error", _(
            "{done} of the target {target} is {computed}%, not {stated}%").format(
                done=done.text, target=target.text, computed=one_decimal(done.value / target.value * 100),
                stated=match.group("pct")), match.start("pct"), match.end())


def rate_changes(item: Prepared) -> Iterator[Finding]:
    """"由70%提高到90%，提高了20%": a change of rates given in %, where it is 20个百分点; or a
    number of 百分点 that is not the difference."""
    block, text = item.block, item.text
    for match in _RATES.finditer(text):
        read_from, read_to, read_by = (written(match.group(g)) for g in ("from", "to", "by"))
        if read_from is None or read_to is None or read_by is None:
            continue
        (start, from_decimals), (end, to_decimals), (by, by_decimals) = read_from, read_to, read_by
        if (match.group("rise") is not None) != (end >= start) and end != start:
            yield finding(block, "arithmetic", "error", _(
                "from {start}% to {end}% is a fall, not a rise").format(
                    start=match.group("from"), end=match.group("to")) if end < start else _(
                "from {start}% to {end}% is a rise, not a fall").format(
                    start=match.group("from"), end=match.group("to")),
                match.start("from"), match.end("to") + 1)
            continue
        difference = abs(end - start)
        # each figure may be rounded to its last digit: 70.04% → 70.0%, 90.06% → 90.1%, their
        # difference 20.02 → 20.0个百分点
        margin = _rounding(from_decimals) + _rounding(to_decimals) + half_unit(by_decimals)
        agrees = abs(by - difference) <= margin
        if match.group("unit") == "%":
            if agrees:
                yield finding(block, "arithmetic", "error", _(
                    "a change between rates is written in 百分点: {by}个百分点, not {by}%").format(
                        by=match.group("by")), match.start("by"), match.end())
        elif not agrees:
            yield finding(block, "arithmetic", "error", _(
                "from {start}% to {end}% is {difference} 百分点, not {by}").format(
                    start=match.group("from"), end=match.group("to"), difference=difference,
                    by=match.group("by")), match.start("by"), match.end())


def _rounding(decimals: int) -> Decimal:
    """How far a rate written with ``decimals`` may be from the exact one: half a unit of its last
    digit, 0.05 for "70.0%"; a whole rate ("70%") is taken as it is. (A change, "提高5个百分点",
    may be rounded to a whole number: `half_unit`.)"""
    return half_unit(decimals) if decimals else Decimal(0)


def check(item: Prepared) -> list[Finding]:
    """Every change finding of one paragraph or cell."""
    text = item.text
    if "%" not in text and "百分点" not in text and "倍" not in text and "番" not in text:  # every change
        return []
    found: list[Finding] = []
    if ("上年" in text or "去年" in text or _SINCE_A_YEAR.search(text) or "同期" in text) and \
            _COMPARABLE not in text:
        found.extend(growths(item))
    if "倍" in text:
        found.extend(multiples(item))
    if "番" in text:
        found.extend(doublings(item))
    if "目标" in text or "计划" in text:
        found.extend(targets(item))
    if "由" in text:
        found.extend(rate_changes(item))
    return found


def _pairs(pattern: re.Pattern[str], text: str) -> Iterator[tuple[re.Match[str], Amount, Amount]]:
    """Each match of ``pattern``, with the figure right before it and its own, when they are of
    one family (元 and 万元, not 元 and 亩) and its own is above 0."""
    for match in pattern.finditer(text):
        # a parenthesis between the figure and its change is an aside: "1186万元（预计全年
        # 1500万元），比…"
        window = PARENS.sub("", text[max(0, match.start() - _LOOK_BACK):match.start()])
        found = _BEFORE.search(window) or _BEFORE_A_GROWTH.search(window)
        if found is not None and _PART_OF.search(window, 0, found.start()):
            continue  # "1.2亿元，其中省级资金0.8亿元，为年度计划…": whose figure it is, is not said
        if found is not None and _AMOUNT_OF_CHANGE.search(window, 0, found.start()):
            found = _BEFORE_A_CHANGE.search(window)  # the change's own amount: the figure before it
        elif found is not None and _NEW.search(window, 0, found.start()):
            found = _BEFORE_A_CHANGE.search(window) or found  # "达2860户，新增386户，": 2860户
        if found is None:
            continue  # no figure ("净增386户，增长15.6%": whose, is not said)
        first = amount(found.group("num"), found.group("unit"))
        second = amount(match.group("bnum"), match.group("bunit"))
        if first is not None and second is not None and first.family == second.family \
                and second.value > 0:
            yield match, first, second


def _within(change: Decimal, stated: str, about: str | None) -> bool:
    """Whether ``change`` (in %) is what "``stated``% ``about``" says: 以上, 多 and 余 give a least,
    以下 a most, 左右 any figure near it (not checked); plain, the figure itself (for `close`)."""
    if about is None:
        return False
    if about == "左右":
        return True
    found = written(stated)
    if found is None:
        return True
    return change >= found[0] if about != "以下" else change <= found[0]


def _share_after(stated: str, down: bool) -> str | None:
    """What this year's figure is, in % of last year's, after a growth (or a fall) of ``stated``%,
    written with the decimals of ``stated`` (None when it is not a number)."""
    found = written(stated)
    if found is None:
        return None
    value, decimals = found
    return f"{Decimal(100) - value if down else Decimal(100) + value:.{decimals}f}"
