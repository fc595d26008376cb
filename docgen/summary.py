"""The county summary workbook 汇总表.xlsx: every town's key figures, growth and rank side by side."""

from __future__ import annotations

import bisect
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Protocol

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from docgen import cnformat, figures
from docgen.batchreport import SUMMARY_NAME
from docgen.errors import EditedOutputError, FigureError, OutputError, Place
from docgen.i18n import _
from docgen.output import HASH_PROPERTY, custom_property, guard_existing, stamp_zipped, write_atomic
from docgen.sheetrows import SheetRows

SHEET = "汇总"
SHEET_PART = "xl/worksheets/sheet1.xml"  # the sheet 汇总, the workbook's first
CHART_SHEET = "增长图"
GROWTH_CHART_TITLE = "各乡镇主要指标比上年增长情况"
TOTAL_LABEL = "合计"
NOTE = ("说明：合计只对可以相加的指标给出（金额、面积、人数等），"
        "且要求各乡镇年度和统计期相同、都填报了该指标；"
        "比率（%）、人均及“/人”等单位的指标不求合计（数据文件中指标的 additive 字段可改变这一默认）。"
        "增长为比上年同期增长的百分比，比率指标为增减的百分点；位次按增长（百分点）由高到低排列，相同者并列，"
        "只在年度和统计期相同的乡镇之间排列。")
# The workbook's creation date, fixed as in the charts' embedded workbooks: equal towns, equal bytes.
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
TOWNS_PROPERTY = "docgen-towns"  # how many towns the summary covers
_GROWTH_FORMAT = "0.0%"
_POINTS_FORMAT = "0.0"
_RANK_FORMAT = "0"
_HEADING = {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True}
_FIGURE_WIDTH = 11  # characters, the width of the figures' columns
_DIGIT_PIXELS = 7  # the width of a digit of Calibri 11, the unit of a stored column width
_MOVE_DONT_SIZE = 2  # a chart that keeps its size when the columns under it are resized
_CM_PIXELS = 96 / 2.54  # a chart's size is given in pixels at 96 dpi
_NO_TICKS = {"major_tick_mark": "none", "minor_tick_mark": "none"}
_SHEET_SETUP = (0.75, 0.75, 1.0, 1.0, 0.5)  # margins in inches: left, right, top, bottom, header/footer
# A sheet's rows (Excel's limit) less the two heading rows, the total, an empty row and two notes.
MOST_TOWNS = 1_048_576 - 6


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


class IndicatorLike(Protocol):
    """What the summary reads of an indicator: a `docgen.model.Indicator`, or the lighter record a
    batch keeps of it (`docgen.batchplan.SummaryIndicator`)."""

    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def value(self) -> Decimal: ...
    @property
    def previous(self) -> Decimal | None: ...
    @property
    def is_rate(self) -> bool: ...
    @property
    def adds_up(self) -> bool: ...


class TownLike(Protocol):
    """What the summary reads of a town: a `docgen.model.Township`, or a batch's lighter record."""

    @property
    def town(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def through_month(self) -> int: ...
    @property
    def indicators(self) -> Mapping[str, IndicatorLike]: ...


def change_of(indicator: IndicatorLike) -> Decimal | None:
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
    # each town's change in tenths (changes are rounded to one decimal), by town number: about 8 bytes
    # a town (Python keeps one object of each small int), where a dict of Decimals took 200 and made
    # the summary's memory grow with the county
    changes: list[int | None] = field(default_factory=list)
    value: Decimal = Decimal(0)
    previous: Decimal | None = Decimal(0)  # None once a town lacks it

    def add(self, number: int, indicator: IndicatorLike) -> None:
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
            self.changes.extend([None] * (number + 1 - len(self.changes)))
            self.changes[number] = _tenths(change)

    def _tenths_of(self, number: int) -> int | None:
        return self.changes[number] if number < len(self.changes) else None

    def change(self, number: int) -> Decimal | None:
        """Town ``number``'s change, as `change_of` gave it (None where it has none)."""
        tenths = self._tenths_of(number)
        return None if tenths is None else Decimal(tenths).scaleb(-1)

    @property
    def group(self) -> Group:
        return Group(self.code, self.unit, self.name, self.rate, self.additive, self.with_previous)

    @property
    def value_format(self) -> str:
        """Enough decimals for every value (at most four): ``0`` or ``0.0`` or ``0.00``…"""
        places = min(self.places, 4)
        return "0" if places == 0 else "0." + "0" * places

    def ranking(self, groups: Sequence[int] = ()) -> Callable[[int], int | None]:
        """Town number → its rank by change, as `ranks` gives it (None without a change), among
        the towns of its group (``groups[number]``; without ``groups``, all the towns are one)."""
        known: dict[int, list[int]] = {}
        for number, tenths in enumerate(self.changes):
            if tenths is not None:
                known.setdefault(groups[number] if groups else 0, []).append(tenths)
        for changes in known.values():
            changes.sort()

        def rank(number: int) -> int | None:
            tenths = self._tenths_of(number)
            if tenths is None:
                return None
            among = known[groups[number] if groups else 0]
            return 1 + len(among) - bisect.bisect_right(among, tenths)
        return rank


def _tenths(change: Decimal) -> int:
    tenths = change.scaleb(1)
    if tenths != tenths.to_integral_value():
        raise ValueError(f"a change of {change} is not rounded to one decimal")
    return int(tenths)


@dataclass
class Survey:
    """What one pass over the towns finds: the groups in column order, the towns' periods, their count."""

    columns: list[Column]
    periods: set[tuple[int, int]]
    count: int
    # each town's period (year and months), numbered: towns are ranked among those of theirs
    town_periods: list[int] = field(default_factory=list)

    def totals(self, column: Column) -> tuple[Decimal | None, Decimal | None]:
        """The county total of value and previous: for amounts every town has, over one period."""
        if not column.additive or len(self.periods) != 1 or column.present != self.count:
            return None, None
        return column.value, column.previous


def survey(towns: Iterable[TownLike]) -> Survey:
    """Gather the groups' figures in one pass, keeping no town."""
    found: dict[tuple[str, str], Column] = {}
    codes: dict[str, int] = {}
    periods: dict[tuple[int, int], int] = {}
    town_periods: list[int] = []
    count = 0
    for number, town in enumerate(towns):
        count += 1
        town_periods.append(periods.setdefault((town.year, town.through_month), len(periods)))
        for code, indicator in town.indicators.items():
            codes.setdefault(code, len(codes))
            column = found.get((code, indicator.unit))
            if column is None:
                column = found[code, indicator.unit] = Column(code, indicator.unit, indicator.name,
                                                              indicator.is_rate)
            column.add(number, indicator)
    return Survey(sorted(found.values(), key=lambda c: codes[c.code]), set(periods), count, town_periods)


def left_out_note(left_out: Sequence[str]) -> str:
    """The note under the summary naming the towns of the run it leaves out."""
    return (f"未列入本表的乡镇（本次未能生成，见运行结果）：{'、'.join(left_out)}。"
            "本表未包括全部乡镇，故不求合计。")


def build_summary(towns: Sequence[TownLike], *, direct_rows: bool = True,
                  left_out: Sequence[str] = (), covers: int | None = None) -> bytes:
    """The summary workbook of ``towns`` (one row each, in the order given), as .xlsx bytes.

    ``left_out``: the towns of the run that are not in ``towns`` (they failed): a note under the
    table names them, and the table gives no total, which would not be the county's.

    Two passes over ``towns`` — one to gather the groups, ranks and totals, one to write the rows —
    with the rows written as they go, into a temporary file: ``towns`` may hand out one town at a
    time, so a county of thousands of towns needs little memory. Equal towns give equal bytes.
    The towns' rows are written directly (`docgen.sheetrows`), the rest by XlsxWriter; with
    ``direct_rows`` False every cell goes through XlsxWriter, to the same workbook (slower: the
    reference the tests compare with; a name written as rich-text markup, ``<r>…</r>``, XlsxWriter
    puts into the sheet as XML, where the direct rows escape it as text).

    :raises OutputError: when the temporary folder the rows pass through cannot be written, or for
        more towns than a sheet has rows.
    """
    found = survey(towns)
    if found.count > MOST_TOWNS:  # XlsxWriter would leave the rows beyond the sheet out, silently
        raise OutputError(_("{count} towns do not fit in one sheet of {name}: it holds {most} at most")
                          .format(count=found.count, name=SUMMARY_NAME, most=MOST_TOWNS))
    buffer = io.BytesIO()
    try:
        # XlsxWriter's temporary files go in a folder of their own, removed with what XlsxWriter leaves
        # there (the file of a sheet without rows, 增长图's); the towns' rows go there too.
        with tempfile.TemporaryDirectory(prefix="docgen-summary-", ignore_cleanup_errors=True) as scratch, \
                tempfile.TemporaryFile(dir=scratch) as spill:
            rows = SheetRows(spill) if direct_rows else None
            with xlsxwriter.Workbook(buffer, {"constant_memory": True, "tmpdir": scratch}) as book:
                book.set_properties({"created": FIXED_CREATED})
                # the part the stamp goes in, declared here: stamping then copies the other parts as
                # they are zipped (`stamp_zipped`), not unzipped and zipped again
                book.set_custom_property(HASH_PROPERTY, "-")
                book.set_custom_property(TOWNS_PROPERTY, covers if covers is not None
                                         else found.count + len(left_out))
                _write(book, found, towns, rows, left_out)
            if rows is None:
                return buffer.getvalue()
            return rows.splice(buffer.getvalue(), SHEET_PART, found.count + 2)
    except (OSError, FileCreateError) as exc:
        raise OutputError(_("cannot write here: {reason}").format(reason=_reason(exc)),
                          Place(Path(tempfile.gettempdir()))) from None


class _Cells(Protocol):
    """Where the towns' cells go: the sheet itself, or `SheetRows`."""

    def write_string(self, row: int, col: int, string: str, cell_format: Format | None = None) -> int: ...
    def write_number(self, row: int, col: int, number: float, cell_format: Format | None = None) -> int: ...


def _write(book: Workbook, found: Survey, towns: Sequence[TownLike], rows: SheetRows | None,
           left_out: Sequence[str]) -> None:
    """The sheet 汇总 of ``towns``, row after row, and the chart of their growth after it; the
    towns' rows go to ``rows`` when given (they are put into the sheet once it is written)."""
    sheet = book.add_worksheet(SHEET)
    cells: _Cells = rows if rows is not None else sheet
    _setup(sheet)
    starts: list[int] = []  # each group's first column, counted from 0
    col = 3
    for column in found.columns:
        starts.append(col)
        col += len(column.group.headings)
    last_col = col - 1
    _layout(sheet, last_col)
    formats = _Formats(book)
    _headings(sheet, formats.heading, found.columns, starts, last_col)
    groups = [(column, column.ranking(found.town_periods), start, formats.number(column.value_format))
              for column, start in zip(found.columns, starts, strict=True)]
    rank_format = formats.number(_RANK_FORMAT)
    series = [(column, start + 2) for column, start in zip(found.columns, starts, strict=True)
              if column.with_previous and not column.rate]
    names: list[str] = []  # the chart's cached categories
    year_format = formats.number("0")
    for number, town in enumerate(towns):
        row = number + 2
        cells.write_string(row, 0, town.town)
        _number(cells, row, 1, town.year, year_format)
        cells.write_string(row, 2, cnformat.period(town.through_month).removesuffix("份"))
        if series:
            names.append(town.town)
        for column, rank, start, value_format in groups:
            indicator = town.indicators.get(column.code)
            if indicator is None or indicator.unit != column.unit:
                continue
            _number(cells, row, start, indicator.value, value_format)
            if column.with_previous:
                _number(cells, row, start + 1, indicator.previous, value_format)
                _change(cells, row, start + 2, column.change(number), column.rate, formats)
                _number(cells, row, start + 3, rank(number), rank_format)
    total = found.count + 2
    sheet.write_string(total, 0, TOTAL_LABEL, formats.bold)
    for column, _rank, start, value_format in groups if not left_out else ():
        value, previous = found.totals(column)
        _number(sheet, total, start, value, value_format)
        if column.with_previous and value is not None and previous is not None:
            _number(sheet, total, start + 1, previous, value_format)
            _change(sheet, total, start + 2, _total_change(column, value, previous), column.rate,
                    formats)
    sheet.write_string(total + 2, 0, NOTE)  # after an empty row
    if left_out:
        sheet.write_string(total + 3, 0, left_out_note(left_out))
    if series and found.count:
        _growth_chart(book, series, names, found.count)


class _Formats:
    """The workbook's cell formats: the headings', the total's, and one a number format."""

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self._numbers: dict[str, Format] = {}
        self.heading: Format = book.add_format(_HEADING)
        self.bold: Format = book.add_format({"bold": True})

    def number(self, number_format: str) -> Format:
        known = self._numbers.get(number_format)
        if known is None:
            known = self._numbers[number_format] = self._book.add_format({"num_format": number_format})
        return known


def _setup(sheet: Worksheet) -> None:
    """The page margins openpyxl gave (XlsxWriter's are narrower): the same sheet on paper."""
    left, right, top, bottom, header = _SHEET_SETUP
    sheet.set_margins(left, right, top, bottom)
    sheet.set_header("", margin=header)
    sheet.set_footer("", margin=header)


def _layout(sheet: Worksheet, last_col: int) -> None:
    """Column widths and the frozen headings: set before any row is written."""
    sheet.set_column_pixels(0, 0, _width(12))
    sheet.set_column_pixels(2, 2, _width(10))
    if last_col >= 3:
        sheet.set_column_pixels(3, last_col, _width(_FIGURE_WIDTH))
    sheet.freeze_panes(2, 3)


def _width(characters: int) -> int:
    """The pixels that store a column width of ``characters``, as openpyxl stored it.

    XlsxWriter's set_column adds the padding Excel puts around a cell's text (12 is stored as
    12.71); in pixels, at 7 a digit, the stored width is the one given.
    """
    return characters * _DIGIT_PIXELS


def _headings(sheet: Worksheet, heading: Format, columns: Sequence[Column], starts: Sequence[int],
              last_col: int) -> None:
    """The two heading rows, bold and centred, the fixed columns and each group's heading merged."""
    first: list[str | None] = ["乡镇", "年度", "统计期"] + [None] * (last_col - 2)
    second: list[str | None] = [None] * (last_col + 1)
    merges = [(0, col, 1, col) for col in (0, 1, 2)]
    for column, start in zip(columns, starts, strict=True):
        headings = column.group.headings
        first[start] = f"{column.name}（{column.unit}）"
        second[start:start + len(headings)] = headings
        if len(headings) > 1:
            merges.append((0, start, 0, start + len(headings) - 1))
    # The merges first, with no value nor format: merge_range then writes no cell, and so no cell of
    # row 2 that would send row 1 to the file before the other merges over both rows are made
    # (constant-memory mode cannot go back to a row).
    for first_row, first_col, last_row, end_col in merges:
        sheet.merge_range(first_row, first_col, last_row, end_col, None)
    for row, values in enumerate((first, second)):
        for col, value in enumerate(values):
            if value is None:
                sheet.write_blank(row, col, None, heading)
            else:
                sheet.write_string(row, col, value, heading)


def _growth_chart(book: Workbook, series: Sequence[tuple[Column, int]], names: list[str], count: int) -> None:
    """A sheet 增长图 with a bar chart of each town's growth, one series per amount indicator.

    The series refer to the growth columns of the summary sheet, so the chart follows any
    correction an editor makes there. Rates (changes in 百分点) are left out: another scale.
    """
    chart = book.add_chart({"type": "bar", "subtype": "clustered"})
    chart.set_title({"name": GROWTH_CHART_TITLE})
    # In XlsxWriter a bar chart's x axis is its value axis, drawn across (openpyxl's y axis).
    chart.set_x_axis({"name": "增长", "num_format": _GROWTH_FORMAT, "major_gridlines": {"visible": False},
                      **_NO_TICKS})
    chart.set_y_axis(_NO_TICKS)
    towns = _column_range(0, count)
    for column, col in series:
        chart.add_series({
            "name": f"{column.name}（{column.unit}）",
            "categories": towns,
            "values": _column_range(col, count),
            # The names, which constant-memory mode cannot read back from the sheet: XlsxWriter
            # caches them in the chart, and refers to the towns as text (c:strRef) for being text.
            "categories_data": names,
        })
    height = max(8.0, 1.2 * count * max(1, len(series)) / 2 + 3)  # centimetres
    chart.set_size({"width": round(18.0 * _CM_PIXELS), "height": round(height * _CM_PIXELS)})
    charts = book.add_worksheet(CHART_SHEET)
    _setup(charts)
    charts.insert_chart("A1", chart, {"object_position": _MOVE_DONT_SIZE})


def _total_change(column: Column, value: Decimal, previous: Decimal) -> Decimal | None:
    """The change of a column's totals, as its towns' changes are given: in 百分点 for a rate (one
    made additive), else growth in % (none from a total of 0 or below)."""
    if column.rate:
        return figures.points_change(value, previous)
    return figures.growth(value, previous) if previous > 0 else None


def _column_range(col: int, count: int) -> str:
    """The towns' rows of column ``col`` of the summary sheet: ``'汇总'!$F$3:$F$5`` (``$F$3`` for one)."""
    letter = xl_col_to_name(col)
    cells = f"${letter}$3" + (f":${letter}${count + 2}" if count > 1 else "")
    return f"'{SHEET}'!{cells}"


def _number(sheet: _Cells, row: int, col: int, value: Decimal | int | None, cell_format: Format) -> None:
    """A number cell (a whole number stays whole), or nothing for no value."""
    if value is not None:
        whole = int(value)
        sheet.write_number(row, col, whole if whole == value else float(value), cell_format)


def _change(sheet: _Cells, row: int, col: int, change: Decimal | None, rate: bool,
            formats: _Formats) -> None:
    """Growth as a percentage cell, or a rate's change in 百分点."""
    if change is None:
        return
    if rate:
        _number(sheet, row, col, change, formats.number(_POINTS_FORMAT))
    else:
        sheet.write_number(row, col, float(change / 100), formats.number(_GROWTH_FORMAT))


def _reason(exc: OSError | FileCreateError) -> str:
    """Why the temporary files could not be written (XlsxWriter wraps the OSError)."""
    cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
    return (cause.strerror if isinstance(cause, OSError) else None) or str(cause)


def _places(value: Decimal) -> int:
    return max(0, -int(value.normalize().as_tuple().exponent))


def write_summary(folder: Path, towns: Sequence[TownLike], *, force: bool = False,
                  left_out: Sequence[str] = (), covers: int | None = None) -> Path:
    """Write ``folder/汇总表.xlsx`` for ``towns``, atomically and never over an edited copy;
    ``left_out`` as for `build_summary`; ``covers``: how many towns the run had (default: ``towns``
    and ``left_out``), recorded in the workbook.

    :raises EditedOutputError: when the existing summary was changed since docgen wrote it, or
        covers more towns than this run (a run for one town again keeps the county's).
    """
    target = folder / SUMMARY_NAME
    guard_existing(target, force=force)
    count = covers if covers is not None else len(towns) + len(left_out)
    covered = custom_property(target, TOWNS_PROPERTY) if not force and target.exists() else None
    if covered is not None and covered.isdigit() and count < int(covered):
        raise EditedOutputError(_(
            "it covers {covered} towns and this run {count}: it is kept (run the whole county again to "
            "update it, or use --force to replace it)").format(covered=covered, count=count),
            Place(target))
    write_atomic(target, stamp_zipped(build_summary(towns, left_out=left_out, covers=count)))
    return target
