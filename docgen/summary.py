"""The county summary workbook 汇总表.xlsx: every town's key figures, growth and rank side by side."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from docgen import cnformat, figures
from docgen.errors import FigureError
from docgen.model import Indicator, Township
from docgen.output import guard_existing, stamp, write_atomic

SUMMARY_NAME = "汇总表.xlsx"
SHEET = "汇总"
CHART_SHEET = "增长图"
GROWTH_CHART_TITLE = "各乡镇主要指标比上年增长情况"
TOTAL_LABEL = "合计"
NOTE = ("说明：合计只对可以相加的指标给出（金额、面积、人数等），"
        "且要求各乡镇年度和统计期相同、都填报了该指标；"
        "比率（%）、人均及“/人”等单位的指标不求合计（数据文件中指标的 additive 字段可改变这一默认）。"
        "增长为比上年同期增长的百分比，比率指标为增减的百分点；位次按增长（百分点）由高到低排列，相同者并列。")
_GROWTH_FORMAT = "0.0%"
_POINTS_FORMAT = "0.0"
_RANK_FORMAT = "0"
_BOLD = Font(bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Group:
    """One indicator (code and unit) across the towns: its columns in the summary."""

    code: str
    unit: str
    name: str
    rate: bool
    additive: bool
    with_previous: bool

    @property
    def headings(self) -> list[str]:
        """The second heading row of the group's columns."""
        if not self.with_previous:
            return ["本年"]
        return ["本年", "上年同期", "增减（百分点）" if self.rate else "增长", "位次"]


def groups_of(towns: Sequence[Township]) -> list[Group]:
    """The indicator groups in order of first appearance; one per code and unit, a code's together."""
    found: dict[tuple[str, str], list[Indicator]] = {}
    codes: dict[str, int] = {}
    for town in towns:
        for code, indicator in town.indicators.items():
            codes.setdefault(code, len(codes))
            found.setdefault((code, indicator.unit), []).append(indicator)
    ordered = sorted(found.items(), key=lambda item: codes[item[0][0]])
    return [Group(code, unit, items[0].name, items[0].is_rate, all(i.adds_up for i in items),
                  any(i.previous is not None for i in items))
            for (code, unit), items in ordered]


def change_of(indicator: Indicator) -> Decimal | None:
    """Growth in % (or the change in 百分点 of a rate), or ``None`` where it cannot be computed."""
    if indicator.previous is None:
        return None
    try:
        if indicator.is_rate:
            return figures.points_change(indicator.value, indicator.previous)
        return figures.growth(indicator.value, indicator.previous)
    except FigureError:
        return None


def ranks(changes: Sequence[Decimal | None]) -> list[int | None]:
    """Rank by change, highest first; equal changes share a rank (1, 2, 2, 4)."""
    known = [c for c in changes if c is not None]
    return [None if c is None else 1 + sum(1 for other in known if other > c) for c in changes]


def totals(group: Group, towns: Sequence[Township]) -> tuple[Decimal | None, Decimal | None]:
    """The county total of value and previous, where a total means something; else ``None``."""
    items = [t.indicators.get(group.code) for t in towns]
    periods = {(t.year, t.through_month) for t in towns}
    if not group.additive or len(periods) != 1 or \
            any(i is None or i.unit != group.unit for i in items):
        return None, None
    present = [i for i in items if i is not None]
    value = sum((i.value for i in present), Decimal(0))
    previous = sum((i.previous for i in present if i.previous is not None), Decimal(0)) \
        if all(i.previous is not None for i in present) else None
    return value, previous


def build_summary(towns: Sequence[Township]) -> bytes:
    """The summary workbook of ``towns`` (one row each, in the order given), as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    groups = groups_of(towns)
    for col, heading in enumerate(("乡镇", "年度", "统计期"), start=1):
        sheet.cell(1, col, heading)
        sheet.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
    col = 4
    starts: list[int] = []
    for group in groups:
        starts.append(col)
        width = len(group.headings)
        sheet.cell(1, col, f"{group.name}（{group.unit}）")
        if width > 1:
            sheet.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + width - 1)
        for offset, heading in enumerate(group.headings):
            sheet.cell(2, col + offset, heading)
        col += width
    for row, town in enumerate(towns, start=3):
        sheet.cell(row, 1, town.town)
        sheet.cell(row, 2, town.year).number_format = "0"
        sheet.cell(row, 3, cnformat.period(town.through_month).removesuffix("份"))
    for group, start in zip(groups, starts, strict=True):
        _fill_group(sheet, group, start, towns)
    total_row = len(towns) + 3
    sheet.cell(total_row, 1, TOTAL_LABEL).font = _BOLD
    sheet.cell(total_row + 2, 1, NOTE)
    _style(sheet, col - 1)
    _growth_chart(book, sheet, groups, starts, len(towns))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill_group(sheet: Worksheet, group: Group, start: int, towns: Sequence[Township]) -> None:
    indicators = [t.indicators.get(group.code) for t in towns]
    items = [i if i is not None and i.unit == group.unit else None for i in indicators]
    value_format = _number_format([i.value for i in items if i is not None] +
                                  [i.previous for i in items if i is not None and i.previous is not None])
    changes = [change_of(i) if i is not None else None for i in items]
    for row, (item, change, rank) in enumerate(zip(items, changes, ranks(changes), strict=True),
                                               start=3):
        if item is None:
            continue
        _put(sheet, row, start, item.value, value_format)
        if group.with_previous:
            _put(sheet, row, start + 1, item.previous, value_format)
            _put_change(sheet, row, start + 2, change, group.rate)
            _put(sheet, row, start + 3, rank, _RANK_FORMAT)
    value, previous = totals(group, towns)
    total_row = len(towns) + 3
    _put(sheet, total_row, start, value, value_format)
    if group.with_previous and value is not None and previous is not None:
        _put(sheet, total_row, start + 1, previous, value_format)
        total_change = None
        if previous > 0:
            total_change = figures.growth(value, previous)
        _put_change(sheet, total_row, start + 2, total_change, group.rate)


def _growth_chart(book: Workbook, sheet: Worksheet, groups: Sequence[Group], starts: Sequence[int],
                  count: int) -> None:
    """A sheet 增长图 with a bar chart of each town's growth, one series per amount indicator.

    The series refer to the growth columns of the summary sheet, so the chart follows any
    correction an editor makes there. Rates (changes in 百分点) are left out: another scale.
    """
    series = [(g, start + 2) for g, start in zip(groups, starts, strict=True)
              if g.with_previous and not g.rate]
    if not series or count == 0:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = GROWTH_CHART_TITLE
    chart.y_axis.title = "增长"
    chart.y_axis.number_format = _GROWTH_FORMAT
    chart.y_axis.majorGridlines = None
    chart.x_axis.title = None
    towns = Reference(sheet, min_col=1, min_row=3, max_row=count + 2)
    for group, col in series:
        values = Reference(sheet, min_col=col, min_row=3, max_row=count + 2)
        item = Series(values, title=f"{group.name}（{group.unit}）")
        item.cat = AxDataSource(strRef=StrRef(f=str(towns)))  # town names are text, not numbers
        chart.series.append(item)
    chart.height = max(8.0, 1.2 * count * max(1, len(series)) / 2 + 3)
    chart.width = 18.0
    charts = book.create_sheet(CHART_SHEET)
    charts.add_chart(chart, "A1")


def _put(sheet: Worksheet, row: int, col: int, value: Decimal | int | None, number_format: str) -> None:
    if value is None:
        return
    number: int | float = int(value) if value == int(value) else float(value)
    cell = sheet.cell(row, col, number)
    cell.number_format = number_format


def _put_change(sheet: Worksheet, row: int, col: int, change: Decimal | None, rate: bool) -> None:
    if change is None:
        return
    if rate:
        _put(sheet, row, col, change, _POINTS_FORMAT)
    else:
        cell = sheet.cell(row, col, float(change / 100))
        cell.number_format = _GROWTH_FORMAT


def _number_format(values: Sequence[Decimal]) -> str:
    """Enough decimals for every value (at most four): ``0`` or ``0.0`` or ``0.00``…"""
    places = max((max(0, -int(v.normalize().as_tuple().exponent)) for v in values), default=0)
    places = min(places, 4)
    return "0" if places == 0 else "0." + "0" * places


def _style(sheet: Worksheet, last_col: int) -> None:
    for row in (1, 2):
        for col in range(1, last_col + 1):
            cell = sheet.cell(row, col)
            cell.font = _BOLD
            cell.alignment = _CENTER
    dimensions = sheet.column_dimensions
    dimensions["A"].width = 12
    dimensions["C"].width = 10
    for col in range(4, last_col + 1):
        dimensions[get_column_letter(col)].width = 11
    sheet.freeze_panes = "D3"


def write_summary(folder: Path, towns: Sequence[Township], *, force: bool = False) -> Path:
    """Write ``folder/汇总表.xlsx`` for ``towns``, atomically and never over an edited copy.

    :raises EditedOutputError: when the existing summary was changed since docgen wrote it.
    """
    target = folder / SUMMARY_NAME
    guard_existing(target, force=force)
    write_atomic(target, stamp(build_summary(towns)))
    return target
