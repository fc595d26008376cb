"""What a chart shows: `ChartSpec`, and the two default specs built from indicator figures."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from docgen.errors import DataError
from docgen.i18n import _

ChartKind = Literal["column", "bar"]
KINDS: tuple[ChartKind, ...] = ("column", "bar")

#: Fonts of the body text (GB/T 9704): 仿宋_GB2312 for Chinese, Times New Roman for digits and Latin.
EAST_ASIAN_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
#: Fill colours of the series, in order: this year dark blue, last year grey, then more.
COLORS = ("2F5597", "A5A5A5", "C55A11", "548235", "7030A0", "BF9000")
#: Names of the two series of the default column chart; the indicator table uses the same headings.
THIS_YEAR = "本年"
LAST_YEAR = "上年同期"
GROWTH = "比上年同期增长"
#: Excel number formats: amounts as given, growth as a percentage with one decimal.
GENERAL = "General"
PERCENT = "0.0%"

Number = float | int | Decimal


@dataclass(frozen=True)
class ChartSpec:
    """A native Word chart: its kind, title, categories, series and text fonts.

    ``kind`` is ``"column"`` (clustered columns, e.g. this year against the same
    period last year) or ``"bar"`` (horizontal bars, e.g. growth rates). Every
    series has one value per category. ``number_format`` is an Excel format code
    used for the values in the chart, its value axis, its data labels and its
    embedded workbook; ``"0.0%"`` shows the fraction 0.06 as 6.0%.
    ``value_axis_title`` (e.g. "单位：万元") is shown by the value axis when not empty.
    """

    kind: ChartKind
    title: str
    categories: Sequence[str]
    series: Sequence[tuple[str, Sequence[float]]]
    number_format: str = GENERAL
    value_axis_title: str = ""
    east_asian_font: str = EAST_ASIAN_FONT
    latin_font: str = LATIN_FONT
    colors: Sequence[str] = field(default=COLORS)
    data_labels: bool = True

    def __post_init__(self) -> None:
        # Accept any sequences (lists from YAML, Decimals from the figures module) and keep tuples
        # of str and float, so that a spec is immutable and compares by value.
        object.__setattr__(self, "categories", tuple(str(c) for c in self.categories))
        object.__setattr__(self, "series", tuple(
            (str(name), tuple(_number(v, str(name)) for v in values)) for name, values in self.series))
        object.__setattr__(self, "colors", tuple(self.colors))
        if self.kind not in KINDS:
            raise DataError(_("unknown chart kind {kind!r}: use one of {kinds}").format(
                kind=self.kind, kinds=", ".join(KINDS)))
        if not self.categories:
            raise DataError(_("the chart {title!r} has no categories to show").format(title=self.title))
        if not self.series:
            raise DataError(_("the chart {title!r} has no series to show").format(title=self.title))
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise DataError(
                    _("the series {name!r} of the chart {title!r} needs one value for each of its {m} "
                      "categories, not {n}")
                    .format(name=name, title=self.title, n=len(values), m=len(self.categories)))
        if not self.colors or any(not _is_rgb(c) for c in self.colors):
            raise DataError(_("chart colours must be RGB hex codes such as 2F5597, not {colors}").format(
                colors=", ".join(self.colors) or "—"))

    @property
    def values(self) -> dict[str, tuple[float, ...]]:
        """The series values by series name."""
        return {name: tuple(values) for name, values in self.series}


def _number(value: Number, series: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise DataError(_("the series {name!r} has the value {value}, which a chart cannot show")
                        .format(name=series, value=value))
    return number


def _is_rgb(color: str) -> bool:
    return len(color) == 6 and all(ch in "0123456789abcdefABCDEF" for ch in color)


def column_spec(title: str, items: Sequence[tuple[str, Number, Number]], unit: str,
                *, this_year: str = THIS_YEAR, last_year: str = LAST_YEAR) -> ChartSpec:
    """A clustered column chart of indicators, this year against the same period last year.

    ``items`` are ``(name, value, previous)``, all in the same ``unit`` (which the
    value axis names: "单位：万元").
    """
    return ChartSpec(
        kind="column",
        title=title,
        categories=tuple(name for name, _value, _previous in items),
        series=((this_year, tuple(float(value) for _name, value, _previous in items)),
                (last_year, tuple(float(previous) for _name, _value, previous in items))),
        number_format=GENERAL,
        value_axis_title=f"单位：{unit}" if unit else "",
    )


def growth_spec(title: str, items: Sequence[tuple[str, Number]], *, series_name: str = GROWTH) -> ChartSpec:
    """A bar chart of growth rates: ``items`` are ``(name, growth in percent)``, e.g. ("国民生产总值", 6.0).

    The chart holds the rates as fractions (0.06) shown with the format ``0.0%``, as
    Excel does, so an editor who types "7%" in "Edit Data" gets what they mean.
    """
    return ChartSpec(
        kind="bar",
        title=title,
        categories=tuple(name for name, _growth in items),
        series=((series_name, tuple(_fraction(growth) for _name, growth in items)),),
        number_format=PERCENT,
    )


def _fraction(percent: Number) -> float:
    # Through Decimal, so that 6.0 % becomes 0.06 and not 0.060000000000000005.
    return float(Decimal(str(percent)) / 100)
