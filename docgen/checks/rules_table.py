"""A table's rows of figures: each row's change against its this-year and last-year cells.

A table headed "指标 | 单位 | 本年 | 上年同期 | 增减" (or "2024年 | 2023年 | 增长%") gives on each row
both figures and their change; "14500 | 13679 | +16.0%" is reported (it is +6.0%). A table whose
columns are not told apart by its header, and a row whose cells do not line up with it, are left
alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from docgen.checks.lexicon import DOWN_WORDS, NUMBER, UP_WORDS, YEAR_PATTERN, year_value
from docgen.checks.model import Block, Finding, finding
from docgen.checks.prepared import Prepared
from docgen.checks.rules_arith import UNIT, Amount, amount, half_unit, within_step, written
from docgen.cnformat import one_decimal
from docgen.i18n import _

_CHANGE_HEAD = re.compile(r"增减|增长|增幅|增速|同比|变化|变动|±")
_LAST_HEAD = re.compile(r"上年|去年|上期|同期")
_THIS_HEAD = re.compile(r"本年|今年|本期|当年|实绩|实际|完成|\d+\s*[—\-～~至]\s*\d+\s*月|累计")
_UNIT_HEAD = re.compile(r"^\s*(?:计量)?单位\s*$")
_HEADER_ROWS = 3  # a title row, or a header on two rows, may come first
_FIGURE = re.compile(rf"\s*(?P<num>{NUMBER})\s*(?P<unit>{UNIT}|%)?\s*")
_CHANGE_CELL = re.compile(rf"\s*(?:(?P<up>[+＋]|{UP_WORDS})|(?P<down>[-−－]|{DOWN_WORDS}))?\s*"
                          rf"(?P<pct>{NUMBER})\s*(?P<unit>%|个百分点|百分点)?\s*")
_RATE_UNIT = re.compile(r"^\s*%\s*$|^\s*百分比\s*$")
_RATE_NAME = re.compile(r"率|比重|占比|比例")
_STEPS = [Decimal(10) ** -decimals / 100 for decimals in range(4)]  # a change's last digit, as a ratio


@dataclass(frozen=True)
class _Columns:
    """The columns of a table's header: this year's figure, last year's, the change, the unit."""

    row: int
    now: int
    before: int
    change: int
    unit: int | None
    in_points: bool  # the header gives the change in 百分点
    in_percent: bool  # the header gives the change in %


def check(items: Sequence[Prepared]) -> list[Finding]:
    """Every finding of the body's tables."""
    tables: dict[int, dict[int, dict[int, Prepared]]] = {}
    for item in items:
        cell = item.block.cell
        if cell is not None and item.block.part is None:
            tables.setdefault(cell[0], {}).setdefault(cell[1], {})[cell[2]] = item
    found: list[Finding] = []
    for rows in tables.values():
        columns = _header(rows)
        if columns is not None:
            found.extend(_rows(rows, columns))
    return found


def _header(rows: dict[int, dict[int, Prepared]]) -> _Columns | None:
    """The table's columns, from the first of its first rows that tells them apart."""
    for number in sorted(rows)[:_HEADER_ROWS]:
        cells = {col: item.text for col, item in rows[number].items()}
        change = [col for col, text in cells.items() if _CHANGE_HEAD.search(text)]
        rest = {col: text for col, text in cells.items() if col not in change}
        years = {col: YEAR_PATTERN.search(text) for col, text in rest.items()}
        dated = {col: year_value(m.group("year")) for col, m in years.items() if m is not None}
        if len(dated) == 2 and len(set(dated.values())) == 2:
            # "2024年 | 2023年", "2024年完成 | 2023年完成": the later year is this year's
            first, second = sorted(dated, key=dated.__getitem__)
            before, now = [first], [second]
        else:
            before = [col for col, text in rest.items() if _LAST_HEAD.search(text)]
            now = [col for col, text in rest.items() if col not in before and _THIS_HEAD.search(text)]
        if len(change) == 1 and len(before) == 1 and len(now) == 1:
            units = [col for col, text in cells.items() if _UNIT_HEAD.match(text)]
            head = cells[change[0]]
            return _Columns(number, now[0], before[0], change[0], units[0] if len(units) == 1 else None,
                            "百分点" in head, "%" in head or "％" in head)
    return None


def _rows(rows: dict[int, dict[int, Prepared]], columns: _Columns) -> Iterator[Finding]:
    width = len(rows[columns.row])
    for number in sorted(rows):
        cells = rows[number]
        if number <= columns.row or len(cells) != width:
            continue
        now, before, change = (cells.get(col) for col in (columns.now, columns.before, columns.change))
        if now is None or before is None or change is None:
            continue
        read_now, read_before = _FIGURE.fullmatch(now.text), _FIGURE.fullmatch(before.text)
        stated = _CHANGE_CELL.fullmatch(change.text)
        if read_now is None or read_before is None or stated is None:
            continue
        rate = _is_rate(cells, columns)
        unit = stated.group("unit")
        if unit is None:  # the header's; "增减（%/百分点）": 百分点 for a rate, % for the others
            unit = "个百分点" if columns.in_points and (rate or not columns.in_percent) else \
                "%" if columns.in_percent else None
            rate = rate or unit == "个百分点"  # a column of 百分点 alone is one of rates
        first, second = _amount(read_now), _amount(read_before)
        if first is None or second is None or first.family != second.family:
            continue  # "1.02亿元 | 9800吨", or one cell with its unit and the other without
        if unit in ("个百分点", "百分点"):  # only rates change in 百分点
            if rate:
                yield from _points(change.block, stated, first, second)
        elif unit == "%" and second.value > 0 and not rate:
            yield from _row_growth(change.block, stated, first, second)  # a rate's change in %: ambiguous


def _is_rate(cells: dict[int, Prepared], columns: _Columns) -> bool:
    """A row of rates: % in its figures, its unit, or its name ("森林覆盖率（%）"), or a name of a
    rate ("城镇化率", "第三产业比重")."""
    unit = cells.get(columns.unit) if columns.unit is not None else None
    if unit is not None and _RATE_UNIT.match(unit.text) is not None:
        return True
    return any("%" in item.text or (_RATE_NAME.search(item.text) and col not in (columns.now, columns.before))
               for col, item in cells.items() if col != columns.change)


def _amount(figure: re.Match[str]) -> Amount | None:
    """A cell's figure, in its unit's base ("1.02亿元" is 102000000 元) when it has one."""
    number, unit = figure.group("num"), figure.group("unit")
    if unit is not None and unit != "%":
        return amount(number, unit)
    found = written(number)
    if found is None:
        return None
    value, decimals = found
    return Amount("", value, number, half_unit(decimals))


def _row_growth(block: Block, stated: re.Match[str], now: Amount, before: Amount) -> Iterator[Finding]:
    """A change in %: ``now`` against ``before``; a change written without its sign may be either."""
    read = written(stated.group("pct"))
    if read is None:
        return
    signs = [stated.group("down") is not None] if stated.group("up") or stated.group("down") \
        else [False, True]
    value, decimals = read
    step = _STEPS[decimals] if decimals < len(_STEPS) else Decimal(10) ** -decimals / 100
    if any(within_step(now, before, 1 - value / 100 if down else 1 + value / 100, step) for down in signs):
        return
    computed = (now.value - before.value) / before.value * 100
    said = ("-" if stated.group("down") else "+" if stated.group("up") else "") + stated.group("pct")
    yield finding(block, "arithmetic", "error", _(
        "this row's {now} against {before} is a change of {computed}%, not {stated}%").format(
            now=now.text, before=before.text,
            computed=("+" if computed >= 0 else "-") + one_decimal(abs(computed)), stated=said),
        _start(stated), stated.end())


def _start(stated: re.Match[str]) -> int:
    """Where the change starts: at its sign or word, if it has one."""
    sign = "up" if stated.group("up") else "down" if stated.group("down") else "pct"
    return stated.start(sign)


def _points(block: Block, stated: re.Match[str], now: Amount, before: Amount) -> Iterator[Finding]:
    """A rate's change in 百分点: the difference of the row's two rates."""
    read = written(stated.group("pct"))
    if read is None:
        return
    difference = now.value - before.value
    margin = now.margin + before.margin + half_unit(read[1])
    values = [-read[0]] if stated.group("down") else [read[0]] if stated.group("up") else \
        [read[0], -read[0]]
    if any(abs(value - difference) <= margin for value in values):
        return
    yield finding(block, "arithmetic", "error", _(
        "this row's {now}% against {before}% is a change of {difference} 百分点, not {stated}").format(
            now=now.text, before=before.text, difference=f"{difference:+}", stated=stated.group().strip()),
        _start(stated), stated.end())
