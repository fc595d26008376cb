"""The statistics office's workbook: the 指标 sheet read cell by cell and merged into a town's data."""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from docgen import figures
from docgen.errors import DataError, DataErrors, FigureError, Place, Problem
from docgen.i18n import _
from docgen.loading import DataFile
from docgen.model import Indicator, Key, parse_number

SHEET = "指标"
# Column heading → the field it fills. The first five are required, the last three may be left out.
COLUMNS = {"乡镇": "town", "指标代码": "code", "指标名称": "name", "单位": "unit", "本年": "value",
           "上年同期": "previous", "预计全年": "forecast", "全年目标": "target"}
REQUIRED = ("乡镇", "指标代码", "指标名称", "单位", "本年")
HEADING = {name: heading for heading, name in COLUMNS.items()}
_NUMBERS = ("value", "previous", "forecast", "target")
_KEY: TypeAdapter[str] = TypeAdapter(Key)
# a year in a title line ("2024年10月各乡镇主要经济指标"), not in a date ("填报日期：2025年1月5日")
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
                         r"(?P<month>\s*\d{1,2}\s*月)?")
# a line of when the sheet was made ("报送时间：2025年1月", "（2025年1月编制）"): its month is no period
_DATED = re.compile(r"报送|填报|编制|制表|日期|时间")
_HEADINGS_FOUND = 3  # a row naming this many headings is the headings' row
# a row of totals, not a town: 合计, 全县合计, 全县, 合计：
_TOTAL = re.compile(r"(?:全[县区市旗](?:合计|总计|小计|汇总)?|合计|总计|小计|汇总)[:：]?")


@dataclass(frozen=True)
class Figure:
    """One cell's figure (a number, or the name/unit text) and where it is."""

    value: Decimal | str
    place: Place


@dataclass
class IndicatorFigures:
    """One workbook row: an indicator of one town, field by field."""

    code: str
    place: Place
    fields: dict[str, Figure] = field(default_factory=dict)


@dataclass
class TownFigures:
    """Everything the workbooks say about one town, and what is wrong in it."""

    town: str
    place: Place
    indicators: dict[str, IndicatorFigures] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    year: Figure | None = None  # the year a title above the headings names ("2024年各乡镇主要指标")


def read_workbooks(paths: Iterable[Path]) -> dict[str, TownFigures]:
    """The towns of every workbook, in order of first appearance.

    A problem with a whole sheet (no 指标 sheet, an unknown or missing column) raises `DataErrors`;
    a problem in a row belongs to that row's town and is kept in `TownFigures.problems`.
    """
    towns: dict[str, TownFigures] = {}
    for path in paths:
        for name, found in read_workbook(path).items():
            if name not in towns:
                towns[name] = found
                continue
            known = towns[name]
            known.problems.extend(found.problems)
            for code, row in found.indicators.items():
                if code in known.indicators:
                    known.problems.append(_twice(name, code, known.indicators[code].place, row.place))
                else:
                    known.indicators[code] = row
    return towns


def read_workbook(path: Path) -> dict[str, TownFigures]:
    """The towns of one workbook's 指标 sheet (see `read_workbooks`)."""
    book = _open(path, data_only=False)
    # "指标 " with a space typed after it is the sheet too: the space does not show on its tab
    name = next((n for n in book.sheetnames if "".join(n.split()) == SHEET), None)
    if name is None:
        raise DataError(_("the workbook has no sheet named '{sheet}' (its sheets: {sheets})")
                        .format(sheet=SHEET, sheets=", ".join(f"'{n}'" for n in book.sheetnames)),
                        Place(path))
    sheet = book[name]
    formulas = {cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"}
    if formulas:
        # The values of formulas are those Excel or WPS saved with the file.
        sheet = _open(path, data_only=True)[name]
    return _SheetReader(path, sheet, formulas).read()


def _open(path: Path, *, data_only: bool) -> Any:
    # openpyxl is imported here: the batch workers merge figures and never read a workbook
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it does not read (data validation, slicers…)
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=data_only)
    except zipfile.BadZipFile:  # a .csv, an .xls or a damaged file renamed .xlsx
        raise DataError(_("not an Excel .xlsx workbook; save it from Excel or WPS as .xlsx"),
                        Place(path)) from None
    except (InvalidFileException, KeyError, ValueError) as exc:
        raise DataError(_("not an Excel .xlsx workbook ({reason}); save it from Excel or WPS "
                          "as .xlsx").format(reason=exc), Place(path)) from None
    except PermissionError:  # Windows refuses a workbook Excel or WPS has open
        raise DataError(_("cannot read the file: it is open in another program (Excel or WPS?), or "
                          "you may not read it; close it and run again"), Place(path)) from None
    except OSError as exc:
        raise DataError(_("cannot read the file: {reason}").format(reason=exc.strerror),
                        Place(path)) from None


class _SheetReader:
    def __init__(self, path: Path, sheet: Any, formulas: set[str]) -> None:
        self.path = path
        self.sheet = sheet
        self.formulas = formulas
        self.book_problems: list[Problem] = []
        self.towns: dict[str, TownFigures] = {}
        self.row_towns: dict[int, str] = {}  # the town of each row read, by row number
        self.year: Figure | None = None

    def place(self, ref: str) -> Place:
        return Place(self.path, field=f"{SHEET}!{ref}")

    def read(self) -> dict[str, TownFigures]:
        rows = list(self.sheet.iter_rows())
        # the headings' row: not a "单位 | 万元" line above it, which names one heading
        counts = [sum(_heading(c.value) in COLUMNS for c in row) for row in rows]
        header = next((i for i, count in enumerate(counts) if count >= _HEADINGS_FOUND), None)
        if header is None:
            header = next((i for i, count in enumerate(counts) if count), None)
        if header is None:
            raise DataError(_("no heading row: the sheet needs a row of the headings {columns} and "
                              "a row per town and indicator").format(columns=", ".join(COLUMNS)),
                            Place(self.path, field=SHEET))
        self.year = self._title_year(rows[:header])
        columns = self._columns(rows[header])
        merged = [r for r in self.sheet.merged_cells.ranges if r.max_row > header]
        for area in merged:
            if area.min_row <= header + 1:
                self.book_problems.append(Problem(self.place(area.coord), _(
                    "merged cells in the heading row; unmerge them")))
        if self.book_problems:
            raise DataErrors(self.book_problems)
        for row in rows[header + 1:]:
            self._row(row, columns, merged)
        if self.book_problems:
            raise DataErrors(self.book_problems)
        town_column = next(c for c, name in columns.items() if name == "town")
        rows = sorted(self.row_towns)
        for area in merged:
            if area.min_col <= town_column <= area.max_col and area.max_row > area.min_row:
                self._merged_above(area, rows)
        return self.towns

    def _title_year(self, rows: list[Any]) -> Figure | None:
        """The one year the lines above the headings name, and its cell; None for none or several."""
        found = {(int(m.group(1)), cell.coordinate) for row in rows for cell in row
                 if isinstance(cell.value, str) for m in _TITLE_YEAR.finditer(cell.value)
                 if not (m.group("month") and _DATED.search(cell.value))}
        years = {year for year, _cell in found}
        if len(years) != 1:
            return None
        year, cell = min(found)
        return Figure(Decimal(year), self.place(cell))

    def _merged_above(self, area: Any, rows: list[int]) -> None:
        """Fail the town whose rows follow a merge down the 乡镇 column, if it is another town than
        the one the merge shows: merging keeps the first row's name only, so a row of this town may
        be hidden in it (the town shown fails already, for the merge). ``rows``: the rows read, in
        order."""
        shown = self.row_towns.get(area.min_row)
        at = bisect.bisect_right(rows, area.max_row)
        after = self.row_towns[rows[at]] if at < len(rows) else None
        if after is None or after == shown:
            return
        problem = Problem(self.place(area.coord), _(
            "merged cells just above this town's rows keep the name of the first row only: a row of "
            "{town} may be hidden in them; unmerge them and write the town in every row").format(
                town=after))
        problems = self.towns[after].problems
        if problem not in problems:
            problems.append(problem)

    def _columns(self, cells: Iterable[Any]) -> dict[int, str]:
        columns: dict[int, str] = {}
        seen: dict[str, str] = {}
        for cell in cells:
            text = _blank(cell.value)
            if text is None:
                continue
            heading = _heading(text)
            if heading not in COLUMNS:
                self.book_problems.append(Problem(self.place(cell.coordinate), _(
                    "unknown column '{heading}'; the columns are: {columns}").format(
                        heading=text, columns=", ".join(COLUMNS))))
            elif heading in seen:
                self.book_problems.append(Problem(self.place(cell.coordinate), _(
                    "the column '{heading}' appears twice ({first} and {second}); keep one").format(
                        heading=heading, first=seen[heading], second=cell.coordinate)))
            else:
                seen[heading] = cell.coordinate
                columns[cell.column] = COLUMNS[heading]
        row = next(iter(cells)).row if cells else 1
        missing = [h for h in REQUIRED if h not in seen]
        if missing:
            self.book_problems.append(Problem(self.place(f"{row}:{row}"), _(
                "the heading row lacks the column(s) {missing}").format(missing=", ".join(missing))))
        return columns

    def _row(self, cells: tuple[Any, ...], columns: dict[int, str], merged: list[Any]) -> None:
        row_no = cells[0].row
        by_field = {columns[c.column]: c for c in cells if c.column in columns}
        in_row = [a for a in merged if a.min_row <= row_no <= a.max_row]
        if all(_blank(c.value) is None for c in cells) and not in_row:
            return
        town_cell = by_field["town"]
        town_value = _merged_value(self.sheet, town_cell, in_row)
        town = _blank(town_value)
        code = _blank(by_field["code"].value) if "code" in by_field else None
        figures = [_blank(by_field[name].value) for name in _NUMBERS if name in by_field]
        if code is None and (town is None or all(value is None for value in figures)):
            return  # a note, a units row ("单位：万元", in any column) or an unnamed sum, not an indicator's
        if not isinstance(town, str):
            message = _("a town name is needed here") if town is None else _("must be text")
            problem = Problem(self.place(town_cell.coordinate), message)
            above = self.row_towns.get(max(self.row_towns, default=0))
            if above is None:
                self.book_problems.append(problem)
            else:  # most likely a row of the town above: it fails, the others go on
                self.towns[above].problems.append(problem)
            return
        town = "".join(town.split())  # "乙　镇", padded to line up with three-character names
        if _TOTAL.fullmatch(town):
            return  # the county's total: the summary workbook adds it up itself
        self.row_towns[row_no] = town
        figures_of = self.towns.setdefault(
            town, TownFigures(town, self.place(town_cell.coordinate), year=self.year))
        problems = figures_of.problems
        for area in in_row:
            problem = Problem(self.place(area.coord), _(
                "merged cells: unmerge them and write the value in every row"))
            if problem not in problems:
                problems.append(problem)
        for cell in cells:
            if cell.column not in columns and _blank(cell.value) is not None:
                from openpyxl.utils import get_column_letter

                problems.append(Problem(self.place(cell.coordinate), _(
                    "a value in a column without a heading (column {column})").format(
                        column=get_column_letter(cell.column))))
        code_cell = by_field["code"]
        code = self._code(code_cell, problems)
        if code is None:
            return
        indicator = IndicatorFigures(code, self.place(code_cell.coordinate))
        known = len(problems)
        for name, cell in by_field.items():
            if name in ("town", "code"):
                continue
            value = self._value(name, cell, problems)
            if value is not None:
                indicator.fields[name] = Figure(value, self.place(cell.coordinate))
        if len(problems) > known:
            return  # the row's problems are reported; the town fails
        if code in figures_of.indicators:
            problems.append(_twice(town, code, figures_of.indicators[code].place, indicator.place))
        else:
            figures_of.indicators[code] = indicator

    def _code(self, cell: Any, problems: list[Problem]) -> str | None:
        raw = _blank(cell.value)
        where = self.place(cell.coordinate)
        if raw is None:
            problems.append(Problem(where, _("an indicator code is needed here (e.g. gdp)")))
            return None
        try:
            return _KEY.validate_python(str(raw).strip())
        except ValidationError as exc:
            message = str(exc.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ")
            problems.append(Problem(where, message))
            return None

    def _value(self, name: str, cell: Any, problems: list[Problem]) -> Decimal | str | None:
        raw = _blank(cell.value)
        where = self.place(cell.coordinate)
        if raw is None:
            # a formula whose saved result is an empty text (=IFERROR(…,"")) is a blank cell
            if cell.coordinate in self.formulas and cell.data_type != "str":
                problems.append(Problem(where, _("a formula without a saved result; open the "
                                                 "workbook in Excel or WPS and save it")))
            elif name in ("name", "unit", "value"):
                problems.append(Problem(where, _("the column {heading} needs a value in every row")
                                        .format(heading=HEADING[name])))
            return None
        if name in _NUMBERS:
            try:
                number = cell_number(raw)
            except ValueError as exc:
                problems.append(Problem(where, _("{heading}: {reason}").format(
                    heading=HEADING[name], reason=exc)))
                return None
            scale = display_scale(cell.number_format) if isinstance(raw, (int, float)) else 1
            if scale is None:
                problems.append(Problem(where, _(
                    "{heading}: the cell's number format '{format}' writes a point of its own among "
                    "the digits, so what it shows is not the figure; give the cell a plain number "
                    "format (e.g. 0.0) and the figure in the 单位 of the row").format(
                        heading=HEADING[name], format=cell.number_format)))
                return None
            return number if scale == 1 else _plain(number * scale)
        if not isinstance(raw, str):
            problems.append(Problem(where, _("{heading}: must be text").format(heading=HEADING[name])))
            return None
        return raw.strip()


def cell_number(raw: Any) -> Decimal:
    """A number cell's value as `Decimal`: a float as the 15 digits Excel shows, text as `parse_number`."""
    if isinstance(raw, float) and math.isfinite(raw):
        return Decimal(f"{raw:.15g}")
    return parse_number(raw)


_QUOTED = re.compile(r'"[^"]*"|[\\!].|\[[^\]]*\]|_.|\*.')  # literal text, colours, conditions, padding
_SCALING = re.compile(r"[0#?](,+)[^0#?]*$")  # commas after the last digit: each shows it /1000
_OWN_POINT = re.compile(r'(?:[\\!]\.|"[^"]*\.[^"]*")(?=.*[0#?])')  # a written point before a digit


def display_scale(number_format: str) -> Decimal | None:
    """What Excel and WPS multiply a number by to show it in ``number_format`` (of a positive
    number): 100 for each ``%`` (``0.0%`` shows 0.965 as 96.5%), 1/1000 for each comma after the
    last digit (``0.0,`` shows 14500 as 14.5). A figure is read as the office reads it on screen.

    None for a format that writes a point of its own among the digits (``0!.0,`` and ``0\\.0,``
    show 145000 as 14.5, 万 at a glance): what it shows is not a multiple docgen reads.
    """
    if _OWN_POINT.search((number_format or "").split(";", 1)[0]):
        return None
    section = _QUOTED.sub("", number_format or "").split(";", 1)[0]
    scale = Decimal(100) ** section.count("%")
    scaling = _SCALING.search(section)
    if scaling is not None:
        scale /= Decimal(1000) ** len(scaling.group(1))
    return scale


def _plain(number: Decimal) -> Decimal:
    """``number`` without trailing zeros, nor an exponent: 96.500 → 96.5, 1.00E+2 → 100."""
    number = number.normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def _blank(value: Any) -> Any:
    """``None`` for an empty cell or one holding only spaces, else the value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _heading(value: Any) -> str:
    """A heading cell's text as compared with `COLUMNS`: without spaces, full-width folded."""
    return unicodedata.normalize("NFKC", str(value)).replace(" ", "") if value is not None else ""


def _merged_value(sheet: Any, cell: Any, areas: list[Any]) -> Any:
    for area in areas:
        if cell.coordinate in area:
            return sheet.cell(area.min_row, area.min_col).value
    return cell.value


def _twice(town: str, code: str, first: Place, second: Place) -> Problem:
    return Problem(second, _("the indicator '{code}' of {town} appears twice ({first} and here); "
                             "keep one row").format(code=code, town=town, first=_short(first)))


def _short(place: Place) -> str:
    """A place as ``file:line`` or ``file: 指标!E3`` without the field path of a YAML place."""
    if place.line is not None:
        return f"{place.file}:{place.line}"
    return str(place)


def merge(data_file: DataFile, found: TownFigures) -> DataFile:
    """The town's data with the workbook's figures added; refused where they disagree.

    The YAML order of indicators comes first, then those only the workbook has, in its row order.
    Raises `DataErrors` naming the cell and the YAML line of every disagreement.
    """
    problems = list(found.problems)
    township = data_file.township
    if found.year is not None and found.year.value != township.year:
        problems.append(Problem(found.year.place, _(
            "the workbook's title is of {said}, but {there} is a {year} report: give the workbook of "
            "{year}, or correct the year").format(said=found.year.value, there=_short(data_file.place(
                ("year",))), year=township.year)))
    merged: dict[str, Indicator] = {}
    codes = [*township.indicators, *(c for c in found.indicators if c not in township.indicators)]
    for code in codes:
        ours = township.indicators.get(code)
        theirs = found.indicators.get(code)
        if theirs is None:
            assert ours is not None
            merged[code] = ours
            continue
        values: dict[str, Any] = ours.model_dump(exclude_none=True) if ours is not None else {}
        from_book: set[str] = set()
        for name, figure in theirs.fields.items():
            given = values.get(name)
            if given is None:
                values[name] = figure.value
                from_book.add(name)
            elif not _same(given, figure.value):
                yaml_place = data_file.place(("indicators", code, name))
                problems.append(Problem(figure.place, _(
                    "the workbook gives {heading} of '{code}' as {here}, but {there} gives "
                    "{other}; correct one of them").format(
                        heading=HEADING[name], code=code, here=figure.value,
                        there=_short(yaml_place), other=given)))
        try:
            indicator = Indicator.model_validate(values)
        except ValidationError as exc:
            problems.extend(Problem(theirs.place, str(e["msg"]))
                            for e in exc.errors(include_url=False))
            continue
        problems.extend(_figure_problems(indicator, theirs, from_book))
        merged[code] = indicator
    if problems:
        raise DataErrors(problems)
    return dataclasses.replace(data_file,
                               township=township.model_copy(update={"indicators": merged}))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)
    return bool(a == b)


def _figure_problems(indicator: Indicator, row: IndicatorFigures, from_book: set[str]) -> \
        list[Problem]:
    """Growth and completion checked where the workbook supplied their base, naming its cell."""
    problems = []
    checks: list[tuple[str, Callable[[], Decimal]]] = []
    if "previous" in from_book and not indicator.is_rate:
        checks.append(("previous", partial(figures.growth, indicator.value, indicator.previous)))
    if "target" in from_book:
        checks.append(("target", partial(figures.completion, indicator.value, indicator.target)))
    for name, check in checks:
        try:
            check()
        except FigureError as exc:
            problems.append(Problem(row.fields[name].place, exc.message))
    return problems
