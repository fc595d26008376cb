"""Rules on years: a year fallen out before 年, an outlook not on next year, a review of another year."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from docgen.checks.lexicon import (
    DATE_LINE,
    OUTLOOK_WORDS,
    PLANS,
    YEAR,
    YEAR_PATTERN,
    chinese_number,
    year_value,
)
from docgen.checks.model import Finding, finding
from docgen.checks.prepared import Prepared
from docgen.i18n import _

# 年 starting a heading after its ordinal, or right after a word that needs a year, or after the
# town's name in a title: "一、年全镇…", "展望年", "现将年工作总结如下", "沽东镇年工作总结".
# 年底, 年内, 年度, 年轻…: no year is due before these
_NOT_A_YEAR_AFTER = "(?![底内初中末终均产轻龄份来度检报货会前后头年薪假限关审节老])"  # 年关, 年审, 年节, 年老
# After an ordinal only where a year's work follows: "1.年接待游客12万人次" counts a year's visitors.
_AFTER_ORDINAL = re.compile(r"\s*年(?=(?:的)?(?:全[镇乡县区市]|我[镇乡县区市]|工作|主要|各项|以来|重点|"
                            r"[上下]半年|经济|目标任务|是))")
_NEEDS_YEAR = re.compile(rf"(?:展望|回顾|现将|做好|谋划|部署)\s*(?P<gap>)年{_NOT_A_YEAR_AFTER}"
                         r"|[镇乡](?P<gap2>)年(?:工作)?(?:总结|打算|计划|回顾|要点|情况|报告)")
# What a text holds where _NEEDS_YEAR matches; found at once where _NEEDS_YEAR is tried at every place.
_NEEDS_YEAR_HINT = re.compile(r"[望顾将好划署镇乡]\s*年")

_OUTLOOK = re.compile(rf"展望\s*{YEAR}(?!\s*远景)")  # not "展望2035年远景目标"
_VISION = 3  # years ahead from which 展望 looks at a long-range goal ("展望2035年，基本实现…")
# In the outlook part only: a review may well recall "按照2024年工作思路".
_PLAN = r"(?:度)?(?:的)?(?:全[镇乡]|我[镇乡])?(?:工作)?(?:打算|思路|展望|计划|安排)"
# not the plan of this year looked back on: "梳理2024年工作计划未完成事项"
_OUTLOOK_PLAN = re.compile(rf"{YEAR}{_PLAN}(?!未|中|的?(?:完成|执行|落实)情况)")
_OUTLOOK_PLAN_HINT = re.compile(rf"年{_PLAN}")  # YEAR ends in 年
_OUTLOOK_HEADING = re.compile(rf"{YEAR}(?:度)?[^，。；、,;]{{0,8}}?"
                              r"(?:打算|计划|思路|安排|要点|重点工作|展望)")
_NOT_OUTLOOK = re.compile(r"完成|回顾|情况|总结|成绩|成效")
# An outlook paragraph opening on the year it plans: "2025年，我镇将…", "2024年，力争…" (copied), with
# its subject or none; not a word holding 要 or 计划 ("主要经济指标", "要素保障", "计划生育": helper-33).
_SUBJECT = r"(?:(?:全|我|本)[镇乡](?:上下)?|我们|我|本人|全?街道|[镇乡](?:党委|政府))?"  # 我: a 述职报告
# (not 确保, 争取: "2024年，全镇确保了…", "争取上级资金3200万元" tell what was done; nor 将 taking its
# object first, "将招商引资作为'一号工程'" — helper-35)
_OUTLOOK_OPENING = re.compile(
    rf"\s*{YEAR}[，,]?\s*{_SUBJECT}\s*(?:将(?!近)(?![^，。；;]{{0,20}}?(?:作为|列为|纳入|摆在|放在))"
    r"|要(?![素求])|力争(?!上游)|计划(?![生内外])|拟)")
# A first-level heading naming next year's plan: "四、2025年工作安排部署", "四、2025年工作思路，主要抓好…";
# not "一、坚持规划引领，2025年发展思路更加清晰" (helper-37)
_NEXT_YEARS_PLAN = r"年度?[^，。；、]{0,4}?" + PLANS + r"(?:部署)?(?=[，,（(—和及与：:。、]|\s*$)"
# not "回顾2021年换届以来…", "回顾2021年至今", "回顾2021年换届三年来" (but "回顾2023年一年来" is)
_REVIEW_PHRASES = (("回顾", re.compile(rf"回顾\s*{YEAR}(?!来|[^，。；]{{0,8}}(?:以来|至今|(?<!一)年来))")),
                   ("回顾", re.compile(rf"^\s*{YEAR}(?:度)?(?:的)?(?:工作)?回顾")),  # "2023年工作回顾：…"
                   ("现将", re.compile(rf"现将\s*{YEAR}(?:度)?[^，。；]{{0,12}}?总结如下")))
_REVIEW_HEADING = re.compile(rf"{YEAR}(?:度)?[^，。；]{{0,16}}?(?:回顾|总结)")
# A first-level heading of the year's work ("一、2023年主要工作"), not in the outlook; a heading
# with a subject of its own ("2023年度审计反馈问题整改工作情况", "2023年以来主要工作") is not one.
_WORK_HEADING = re.compile(rf"{YEAR}(?:度)?(?:的)?(?:全[镇乡]|我[镇乡])?(?:各项)?"
                           r"(?:主要工作|工作开展情况|工作情况)")

_RANGE_BEFORE = re.compile(r"[—\-~～至到]\s*$")
_YEAR_END = 10  # a summary dated before October is not of the whole year
_PART_OF_YEAR = re.compile(r"半年|年中|季度|以来|[\d一二三四五六七八九十]\s*月|月份")


# A title naming the report's year: "沽东镇2024年工作总结", "关于2024年工作情况的报告".
_TITLE = re.compile(rf"{YEAR}(?:度)?[^，。；]{{0,16}}?(?:总结|情况|报告|述职)")
_TITLE_LINES = 6  # a letterhead's lines ("中共青山镇委员会", "青山镇人民政府") come before it
_TITLE_LENGTH = 40  # a title is a line, not "现将我镇2021年换届以来工作情况报告如下。"
_SENTENCE_END = re.compile(r"[。；，！？]")


def report_year(items: Sequence[Prepared]) -> int | None:
    """The report year named in the title (`_title`), or None."""
    title = _title(items)
    if title is None:
        return None
    match = YEAR_PATTERN.search(title.text)
    return year_value(match.group("year")) if match else None


def _title(items: Sequence[Prepared]) -> Prepared | None:
    """The title: the first non-empty paragraph when it names a year; else the first of the next
    short lines, before any heading, that names a year and a summary or report (after a
    letterhead, or a title set on two lines, "青山镇" then "2024年工作总结"); else the first."""
    first = [i for i in items[:_TITLE_LINES * 2] if i.block.is_paragraph and i.block.text.strip()]
    opening = first[:_TITLE_LINES]
    if not opening or YEAR_PATTERN.search(opening[0].text):
        return opening[0] if opening else None
    for item in opening[1:]:
        if item.heading_level is not None:
            break
        text = item.text.strip()
        if len(text) <= _TITLE_LENGTH and not _SENTENCE_END.search(text) and _TITLE.search(text):
            return item
    return opening[0]


def missing_years(item: Prepared) -> Iterator[Finding]:
    """年 with its year fallen out: "一、年全镇…", "展望年…", "沽东镇年工作总结"."""
    block, text, ordinal = item.block, item.text, item.ordinal
    if ordinal is not None:
        match = _AFTER_ORDINAL.match(text, ordinal.end)
        if match:
            at = match.end() - 1
            yield finding(block, "year", "error", _("the year is missing before \"年\""), at, at + 1)
    if not _NEEDS_YEAR_HINT.search(text):
        return
    for match in _NEEDS_YEAR.finditer(text):
        at = match.start("gap") if match.group("gap") is not None else match.start("gap2")
        yield finding(block, "year", "error", _("the year is missing before \"年\""), at, at + 1)


def wrong_years(item: Prepared, year: int, in_outlook: bool = False,
                running_head: bool = False, part_year: bool = False) -> Iterator[Finding]:
    """An outlook on a year other than ``year`` + 1, a review of a year other than ``year``.

    ``in_outlook``: the block is in the outlook part, where any plan names the next year.
    ``running_head``: a header's or footer's text, read as a heading is ("沽东镇2023年工作总结");
    not a note's or a text box's, read as sentences are.
    ``part_year``: the report is of part of the year (上半年…): its plans may be for the rest of it.
    """
    block, text = item.block, item.text
    heading = item.is_heading or running_head
    outlook = list(_OUTLOOK.finditer(text)) if "展望" in text else []
    if in_outlook and _OUTLOOK_PLAN_HINT.search(text):
        outlook += list(_OUTLOOK_PLAN.finditer(text))
    # a part's heading ("四、2025年工作打算"); a section of the review may well be on a plan
    # ("（二）扎实推进2024年为民办实事项目安排")
    if (item.heading_level == 1 or running_head) and not _NOT_OUTLOOK.search(text):
        outlook += list(_OUTLOOK_HEADING.finditer(text))
    done: set[int] = set()
    # a past year only: a later one may open a paragraph on a longer goal ("2027年，力争…")
    opening = _OUTLOOK_OPENING.match(text) if in_outlook else None
    if opening is not None and year_value(opening.group("year")) <= year:
        outlook.append(opening)
    visions = {m.start("year") for m in outlook if m.re is _OUTLOOK}
    for start, end, said in _years_said(outlook, text, done):
        if said != year + 1 and not (start in visions and said >= year + _VISION) and \
                not (part_year and said == year):
            yield finding(block, "year", "error",
                          _("the plans are for {said}, but a {year} report plans {next}")
                          .format(said=said, year=year, next=year + 1), start, end)
    review = [m for word, pattern in _REVIEW_PHRASES if word in text for m in pattern.finditer(text)]
    if heading:
        review += list(_REVIEW_HEADING.finditer(text))
        if not in_outlook and item.heading_level == 1:  # "四、2025年主要工作": the outlook
            review += [m for m in _WORK_HEADING.finditer(text)
                       if year_value(m.group("year")) != year + 1]
    for start, end, said in _years_said(review, text, done):
        if said != year:
            yield finding(block, "year", "error",
                          _("the review is of {said}, but the report year is {year}")
                          .format(said=said, year=year), start, end)


def _years_said(matches: Sequence[re.Match[str]], text: str, done: set[int]) \
        -> Iterator[tuple[int, int, int]]:
    """The year of each match — its start, end and value — once per place (``done``), and not the
    second year of a range (2023—2024年)."""
    for match in matches:
        start = match.start("year")
        if start in done or _RANGE_BEFORE.search(text, 0, start):
            continue
        done.add(start)
        yield start, match.end("year"), year_value(match.group("year"))


def date_year(item: Prepared, year: int, last: bool = True, written_from: int = _YEAR_END) \
        -> Iterator[Finding]:
    """A date alone in its paragraph (the date under the signature) in neither the report year nor
    the next: a 2024 summary is written in 2024, or early in 2025; and (a warning) one in the report
    year before the month ``written_from``. A date without its day (二〇二三年十二月) is the
    signature's only as the ``last`` paragraph: elsewhere "2023年12月" alone may head an entry of a
    chronology."""
    match = DATE_LINE.fullmatch(item.text)
    if match and match.group("day") is None and not last:
        return
    if not match or not item.block.is_paragraph:
        return
    said = year_value(match.group("year"))
    if said not in (year, year + 1):
        yield finding(item.block, "year", "error",
                      _("the document is dated {said}, but a {year} report is written in {year} or "
                        "{next}").format(said=said, year=year, next=year + 1),
                      match.start("year"), match.end("year"))
    elif said == year:
        month = _month(match.group("month"))
        if month is not None and month < written_from:  # "2024年1月8日" under a 2024 report: last year's
            yield finding(item.block, "year", "warning", _(
                "the document is dated {date}, before the year it reviews is over: a {year} summary "
                "is written at the end of {year} or early in {next}").format(
                    date=match.group().strip(), year=year, next=year + 1),
                match.start("year"), match.end())


def _month(token: str) -> int | None:
    return int(token) if token.isdigit() else chinese_number(token)


def _whole_year(title: Prepared | None) -> bool:
    """Whether the title is of a whole year's work: not "2024年上半年工作总结", "1—9月…"."""
    return title is None or _PART_OF_YEAR.search(title.text) is None


def title_year(title: Prepared | None, year: int) -> Iterator[Finding]:
    """The title (`_title`) names a year other than the one the report was asked to be checked for."""
    if title is None:
        return
    match = YEAR_PATTERN.search(title.text)
    if match and year_value(match.group("year")) != year:
        yield finding(title.block, "year", "error",
                      _("the title names {said}, but the report year is {year}")
                      .format(said=year_value(match.group("year")), year=year),
                      match.start("year"), match.end("year"))


def check(items: Sequence[Prepared], year: int | None, last_month: int | None = None) -> list[Finding]:
    """Every year finding of a document whose report year is ``year`` (None: unknown).

    ``last_month``: the last month the report's figures cover, when its data says so (a date before
    it was refused with the data): else the title tells a whole year's report from a part's.
    """
    found: list[Finding] = []
    in_outlook = False
    last = next((item for item in reversed(items) if item.block.is_paragraph and item.text.strip()), None)
    title = _title(items) if year is not None else None
    part_year = year is not None and not _whole_year(title)
    written_from = last_month if last_month is not None else 1 if part_year else _YEAR_END
    next_plan = re.compile(f"{year + 1}{_NEXT_YEARS_PLAN}") if year is not None else None
    for item in items:
        if item.heading_level == 1:  # "四、2025年工作安排部署", "四、2025年工作思路，主要抓好…"
            in_outlook = bool(OUTLOOK_WORDS.search(item.text)) or (
                next_plan is not None and next_plan.search(item.text) is not None)
        if "年" not in item.text:  # what every year rule reads
            continue
        found.extend(missing_years(item))
        if year is not None:
            found.extend(wrong_years(item, year, in_outlook, part_year=part_year))
            found.extend(date_year(item, year, item is last, written_from))
    if year is not None:
        found.extend(title_year(title, year))
    return found


def check_margin(item: Prepared, year: int | None) -> list[Finding]:
    """The year findings of a paragraph or cell outside the body: a year fallen out before 年, and a
    review or an outlook naming another year than the report's. A header's or footer's text is a
    running head, read as a heading is; a note's or a text box's is read as sentences are."""
    if "年" not in item.text:
        return []
    part = item.block.part
    running_head = part is not None and part[0] in ("header", "footer")
    return [*missing_years(item),
            *(wrong_years(item, year, running_head=running_head) if year is not None else ())]
