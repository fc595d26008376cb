"""The county summary workbook 汇总表.xlsx: every town's key figures, growth and rank side by side."""

from __future__ import annotations

import bisect
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

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
    known = sorted(c for c in changes if c is not None)
    return [None if c is None else 1 + len(known) - bisect.bisect_right(known, c) for c in changes]


@dataclass
class Column:
    """One group's figures gathered over the towns: what its columns, ranks and total need."""

    code: str
    unit: str
    name: str
    rate: bool
    additive: bool = True
    with_previous: bool = False
    places: int = 0  # decimals the values need
    present: int = 0  # towns that have it
    changes: dict[int, Decimal] = field(default_factory=dict)  # by town number
    value: Decimal = Decimal(0)
    previous: Decimal | None = Decimal(0)  # None once a town lacks it

    def add(self, number: int, indicator: Indicator) -> None:
        """Count town ``number``'s indicator in."""
        self.additive = self.additive and indicator.adds_up
        self.present += 1
        self.value += indicator.value
        self.places = max(self.places, _places(indicator.value))
        if indicator.previous is None:
            self.previous = None
        else:
            self.with_previous = True
            self.places = max(self.places, _places(indicator.previous))
            if self.previous is not None:
                self.previous += indicator.previous
        change = change_of(indicator)
        if change is not None:
            self.changes[number] = change

    @property
    def group(self) -> Group:
        return Group(self.code, self.unit, self.name, self.rate, self.additive, self.with_previous)

    @property
    def value_format(self) -> str:
        """Enough decimals for every value (at most four): ``0`` or ``0.0`` or ``0.00``…"""
        places = min(self.places, 4)
        return "0" if places == 0 else "0." + "0" * places

    def ranks(self) -> dict[int, int]:
        """Each town's rank by change, by town number."""
        numbers = sorted(self.changes)
        return {n: r for n, r in zip(numbers, ranks([self.changes[n] for n in numbers]), strict=True)
                if r is not None}


@dataclass
class Survey:
    """What one pass over the towns finds: the groups in column order, the towns' periods, their count."""

    columns: list[Column]
    periods: set[tuple[int, int]]
    count: int

    def totals(self, column: Column) -> tuple[Decimal | None, Decimal | None]:
        """The county total of value and previous: for amounts every town has, over one period."""
        if not column.additive or len(self.periods) != 1 or column.present != self.count:
            return None, None
        return column.value, column.previous


def survey(towns: Iterable[Township]) -> Survey:
    """Gather the groups' figures in one pass, keeping no town."""
    found: dict[tuple[str, str], Column] = {}
    codes: dict[str, int] = {}
    periods: set[tuple[int, int]] = set()
    count = 0
    for number, town in enumerate(towns):
        count += 1
        periods.add((town.year, town.through_month))
        for code, indicator in town.indicators.items():
            codes.setdefault(code, len(codes))
            column = found.get((code, indicator.unit))
            if column is None:
                column = found[code, indicator.unit] = Column(code, indicator.unit, indicator.name,
                                                              indicator.is_rate)
            column.add(number, indicator)
    return Survey(sorted(found.values(), key=lambda c: codes[c.code]), periods, count)


def build_summary(towns: Sequence[Township]) -> bytes:
    """The summary workbook of ``towns`` (one row each, in the order given), as .xlsx bytes.

    Two passes over ``towns`` — one to gather the groups, ranks and totals, one to write the rows —
    with the sheet written as it goes: ``towns`` may hand out one town at a time, so a county of
    thousands of towns needs little memory.
    """
    found = survey(towns)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    starts: list[int] = []
    col = 4
    for column in found.columns:
        starts.append(col)
        col += len(column.group.headings)
    last_col = col - 1
    _layout(sheet, last_col)
    _headings(sheet, found.columns, starts, last_col)
    ranked = [column.ranks() for column in found.columns]
    for number, town in enumerate(towns):
        row: list[Any] = [town.town, _cell(sheet, town.year, "0"),
                          cnformat.period(town.through_month).removesuffix("份")]
        for column, group_ranks in zip(found.columns, ranked, strict=True):
            indicator = town.indicators.get(column.code)
            if indicator is None or indicator.unit != column.unit:
                row += [None] * len(column.group.headings)
                continue
            row.append(_cell(sheet, indicator.value, column.value_format))
            if column.with_previous:
                row += [_cell(sheet, indicator.previous, column.value_format),
                        _change(sheet, column.changes.get(number), column.rate),
                        _cell(sheet, group_ranks.get(number), _RANK_FORMAT)]
        sheet.append(row)
    total = WriteOnlyCell(sheet, TOTAL_LABEL)
    total.font = _BOLD
    total_row: list[Any] = [total, None, None]
    for column in found.columns:
        value, previous = found.totals(column)
        cells: list[Any] = [_cell(sheet, value, column.value_format)]
        if column.with_previous:
            change = None
            if value is not None and previous is not None:
                cells.append(_cell(sheet, previous, column.value_format))
                change = figures.growth(value, previous) if previous > 0 else None
            else:
                cells.append(None)
            cells += [_change(sheet, change, column.rate), None]
        total_row += cells
    sheet.append(total_row)
    sheet.append([])
    sheet.append([NOTE])
    _growth_chart(book, sheet, [c.group for c in found.columns], starts, found.count)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _layout(sheet: WriteOnlyWorksheet, last_col: int) -> None:
    """Column widths and the frozen headings: set before any row is written."""
    dimensions = sheet.column_dimensions
    dimensions["A"].width = 12
    dimensions["C"].width = 10
    for col in range(4, last_col + 1):
        dimensions[get_column_letter(col)].width = 11
    sheet.freeze_panes = "D3"


def _headings(sheet: WriteOnlyWorksheet, columns: Sequence[Column], starts: Sequence[int],
              last_col: int) -> None:
    """The two heading rows, bold and centred, the fixed columns and each group's heading merged."""
    first: list[Any] = ["乡镇", "年度", "统计期"] + [None] * (last_col - 3)
    second: list[Any] = [None] * last_col
    for col in (1, 2, 3):
        sheet.merged_cells.add(CellRange(min_col=col, min_row=1, max_col=col, max_row=2))
    for column, start in zip(columns, starts, strict=True):
        headings = column.group.headings
        first[start - 1] = f"{column.name}（{column.unit}）"
        if len(headings) > 1:
            sheet.merged_cells.add(CellRange(min_col=start, min_row=1, max_col=start + len(headings) - 1,
                                             max_row=1))
        second[start - 1:start - 1 + len(headings)] = headings
    for values in (first, second):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value)
            cell.font = _BOLD
            cell.alignment = _CENTER
            cells.append(cell)
        sheet.append(cells)


def _growth_chart(book: Workbook, sheet: WriteOnlyWorksheet, groups: Sequence[Group],
                  starts: Sequence[int], count: int) -> None:
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


def _cell(sheet: WriteOnlyWorksheet, value: Decimal | int | None, number_format: str) -> WriteOnlyCell | None:
    """A number cell (a whole number stays whole), or nothing for no value."""
    if value is None:
        return None
    number: int | float = int(value) if value == int(value) else float(value)
    cell = WriteOnlyCell(sheet, number)
    cell.number_format = number_format
    return cell


def _change(sheet: WriteOnlyWorksheet, change: Decimal | None, rate: bool) -> WriteOnlyCell | None:
    """Growth as a percentage cell, or a rate's change in 百分点."""
    if change is None:
        return None
    if rate:
        return _cell(sheet, change, _POINTS_FORMAT)
    cell = WriteOnlyCell(sheet, float(change / 100))
    cell.number_format = _GROWTH_FORMAT
    return cell


def _places(value: Decimal) -> int:
    return max(0, -int(value.normalize().as_tuple().exponent))


def write_summary(folder: Path, towns: Sequence[Township], *, force: bool = False) -> Path:
    """Write ``folder/汇总表.xlsx`` for ``towns``, atomically and never over an edited copy.

    :raises EditedOutputError: when the existing summary was changed since docgen wrote it.
    """
    target = folder / SUMMARY_NAME
    guard_existing(target, force=force)
    write_atomic(target, stamp(build_summary(towns)))
    return target
