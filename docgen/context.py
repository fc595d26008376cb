"""The template context: a township's data turned into the texts and rows the Word template shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docgen import cnformat, figures
from docgen.charting import chart_context
from docgen.errors import DataErrors, DocgenError, Problem
from docgen.expressions import change_phrase, evaluate, namespace
from docgen.i18n import _
from docgen.loading import DataFile, Loc
from docgen.model import Indicator, Section

DASH = "—"


@dataclass(frozen=True)
class SectionView:
    """A section as the template shows it: ``（一）`` + title, then paragraphs."""

    ordinal: str
    title: str
    paragraphs: list[str]


@dataclass(frozen=True)
class IndicatorRow:
    """A row of the 主要指标完成情况 table; every cell already formatted."""

    name: str
    unit: str
    value: str
    previous: str
    change: str


def town_scope(town: str) -> str:
    """How the town calls itself as a whole: 全镇, 全乡, 全街道."""
    for suffix in ("街道", "镇", "乡"):
        if town.endswith(suffix):
            return "全" + suffix
    return "全镇"


def build_context(data: DataFile) -> dict[str, Any]:
    """Everything the template needs, with every expression evaluated and every figure computed.

    Problems are gathered, not stopped at: a `DataErrors` lists all of them.
    """
    t = data.township
    names = namespace(t)
    problems: list[Problem] = []
    for key, ind in t.indicators.items():
        compared = [name for name, base in (("previous", ind.previous), ("target", ind.target))
                    if base is not None and not (name == "previous" and ind.is_rate)]
        if ind.value < 0 and compared:
            problems.append(Problem(data.place(("indicators", key, "value")), _(
                "a value below 0 ({value}) has no growth or completion to write (下降600%, 完成-500%); "
                "leave out {fields}, or give the figure in the text").format(
                    value=ind.value, fields=" / ".join(f"'{name}'" for name in compared))))
    if t.date is not None and t.date < dt.date(t.year, t.through_month, 1):
        problems.append(Problem(data.place(("date",)), _(
            "the date {date} comes before the last month the figures cover ({year}-{month:02}, "
            "through_month {month}): the summary cannot be signed before its figures are in").format(
                date=t.date.isoformat(), year=t.year, month=t.through_month)))

    def text(value: str, loc: Loc) -> str:
        if "{" not in value:
            return value  # nothing to evaluate: no need to work out its place
        try:
            return evaluate(value, names, data.place(loc))
        except DocgenError as exc:
            problems.extend(exc.problems)
            return ""

    def sections(items: Sequence[Section], key: str) -> list[SectionView]:
        return [SectionView(cnformat.ordinal(i + 1), text(s.title, (key, i, "title")),
                            [text(p, (key, i, "paragraphs", j)) for j, p in enumerate(s.paragraphs)])
                for i, s in enumerate(items)]

    intro = text(t.intro, ("intro",)) if t.intro else default_intro(t.town, t.year, t.superior)
    review = sections(t.review, "review")
    achievements = [text(p, ("achievements", i)) for i, p in enumerate(t.achievements)]
    problem_items = [text(p, ("problems", i)) for i, p in enumerate(t.problems)]
    outlook = sections(t.outlook, "outlook")
    summary = rows = None
    charts: dict[str, Any] = {}
    try:
        summary = achievements_summary(t.indicators, t.through_month, t.town, t.year)
        rows = indicator_rows(t.indicators)
        charts = chart_context(data)
    except DataErrors as exc:
        problems.extend(exc.problems)
    except DocgenError as exc:
        problems.append(Problem(data.place(_loc_of(exc.place.field)), exc.message))
    if problems:
        raise DataErrors(problems)
    return {
        "title": t.title, "town": t.town, "superior": t.superior or "",
        "year": t.year, "next_year": t.next_year, "through_month": t.through_month,
        "previous_label": "上年同期" if t.through_month < 12 else "上年",
        "intro": intro, "review": review, "achievements_summary": summary,
        "achievements": achievements, "indicator_rows": rows,
        "problems": cnformat.enumerate_points(problem_items), "outlook": outlook,
        "author": t.signature, "date": cnformat.date(t.date) if t.date else "",
        **charts,
    }


def _loc_of(field: str | None) -> Loc:
    return tuple(field.split(".")) if field else ()


def leadership(superior: str | None) -> str:
    """How the opening names the superior's leadership: 滨河区委、区政府; 云岫县委、县政府; a superior
    written as its organs already (滨河县委、县政府, 滨河县人民政府, 某开发区管委会) as it is written."""
    if not superior:
        return "上级党委、政府"
    if "、" in superior or superior.endswith(("委", "政府", "会")):
        return superior
    level = superior[-1]
    if level in "区县市旗":
        return f"{superior}委、{level}政府"
    return f"{superior}党委、政府"


def default_intro(town: str, year: int, superior: str | None) -> str:
    """The opening written when the data has none, in the genre's words."""
    leader = leadership(superior)
    return (f"{year}年，在{leader}的正确领导下，{town}党委、政府团结带领{town_scope(town)}干部群众，"
            f"坚持稳中求进工作总基调，扎实推进经济发展和各项社会事业，较好地完成了全年各项目标任务。"
            f"现将{year}年工作总结如下。")


def achievements_summary(indicators: dict[str, Indicator], through_month: int, town: str,
                         year: int) -> str:
    """The generated paragraph of 二、主要成绩: each figure with last year's change.

    Money figures (实现…) come first, then physical quantities; within each, figures that grew,
    fell or held share one "分别比上年同期增长a%、b%和c%". Rates change in 百分点; targets give
    completion.
    """
    period = f"{year}年" if through_month == 12 else cnformat.period(through_month)
    since = "比上年同期" if through_month < 12 else "比上年"
    comparable = [(k, i) for k, i in indicators.items() if i.previous is not None]
    money = [(k, i) for k, i in comparable if not i.is_rate and "元" in i.unit]
    quantities = [(k, i) for k, i in comparable if not i.is_rate and "元" not in i.unit]
    clauses = _grouped(money, through_month, since, "实现") + \
        _grouped(quantities, through_month, since, "")
    for key, ind in comparable:
        if ind.is_rate:
            clauses.append(f"{ind.name}达到{cnformat.quantity(ind.value, ind.unit)}，"
                           f"{since}{change_phrase(key, ind)}")
    targets = [(k, i) for k, i in indicators.items() if i.target is not None]
    if targets:
        done = [cnformat.percent(figures.completion(i.value, i.target,
                                                    field=f"indicators.{k}.target"))
                for k, i in targets]
        names = cnformat.join_items([i.name for _, i in targets])
        clauses.append(f"{names}{'分别' if len(targets) > 1 else ''}完成全年目标的"
                       + cnformat.join_items(done))
    if not clauses and not indicators:  # no table follows (the template leaves it out)
        return f"{period}，{town_scope(town)}各项工作稳步推进。"
    if not clauses:
        return f"{period}，{town_scope(town)}各项工作稳步推进，主要指标完成情况见下表。"
    return f"{period}，{town_scope(town)}" + "；".join(clauses) + "。"


def _grouped(items: list[tuple[str, Indicator]], through_month: int, since: str,
             verb: str) -> list[str]:
    """Clauses for figures of one kind: those that grew, fell and held, each group together."""
    groups: dict[int, list[tuple[Indicator, Decimal]]] = {1: [], -1: [], 0: []}
    for key, ind in items:
        rate = figures.growth(ind.value, ind.previous, field=f"indicators.{key}.previous")
        groups[(rate > 0) - (rate < 0)].append((ind, rate))  # already rounded: 0.04% holds
    clauses: list[str] = []
    for sign, group in groups.items():
        if not group:
            continue
        texts = [_figure(ind, through_month) for ind, _ in group]
        if not clauses:
            texts[0] = verb + texts[0]
        if sign == 0:
            level = "与上年同期持平" if through_month < 12 else "与上年持平"
            clauses.append("，".join(texts) + ("，均" if len(texts) > 1 else "，") + level)
            continue
        numbers = cnformat.join_items([cnformat.percent(abs(rate)) for _, rate in group])
        direction = "增长" if sign > 0 else "下降"
        both = "分别" if len(group) > 1 else ""
        clauses.append("，".join(texts) + f"，{both}{since}{direction}{numbers}")
    return clauses


def _figure(ind: Indicator, through_month: int) -> str:
    text = ind.name + cnformat.quantity(ind.value, ind.unit)
    if through_month < 12 and ind.forecast is not None:
        text += f"（预计全年达到{cnformat.quantity(ind.forecast, ind.unit)}）"
    return text


def indicator_rows(indicators: dict[str, Indicator]) -> list[IndicatorRow]:
    """The table rows: name, unit, this year, last year, and the signed change."""
    rows = []
    for key, ind in indicators.items():
        change = DASH
        if ind.previous is not None:
            field = f"indicators.{key}.previous"
            delta: Decimal = (figures.points_change(ind.value, ind.previous, field=field)
                              if ind.is_rate else
                              figures.growth(ind.value, ind.previous, field=field))
            change = cnformat.signed_change(delta, is_rate=ind.is_rate)
        rows.append(IndicatorRow(ind.name, ind.unit, cnformat.plain(ind.value),
                                 cnformat.plain(ind.previous) if ind.previous is not None else DASH,
                                 change))
    return rows
