"""The data model of one township's year: indicators, sections and the texts around them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from docgen.i18n import _

# Names a text expression already uses: an indicator may not take them.
RESERVED_NAMES = frozenset({"year", "next_year", "town", "superior", "share", "author", "date"})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(raw: Any) -> Decimal:
    """Read a figure: a YAML number, or a string of digits ("1,234", full-width "１２３").

    Anything else is refused rather than guessed: "1.2万", "12%", "约300", true/false.
    """
    if isinstance(raw, bool):
        raise ValueError(_("a number is needed, not true/false"))
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError(_("a finite number is needed"))
        return Decimal(repr(raw))
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        if _PLAIN_NUMBER.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
                pass
        if _NO_FIGURE.fullmatch(text):  # "—", "/", "无": how a table says there is no figure
            raise ValueError(_("{raw!r} is not a number: where there is no figure, leave the cell "
                               "empty (in a data file, leave the field out)").format(raw=raw))
        raise ValueError(_("{raw!r} is not a number: write digits only, e.g. 1234 or 1234.5, "
                           "without units or words").format(raw=raw))
    raise ValueError(_("a number is needed"))


_NO_FIGURE = re.compile(r"[-—–―/\\／、…]+|无|空|暂无|不详|N/?A|#N/A|#DIV/0!", re.IGNORECASE)


def _identifier(key: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise ValueError(_("indicator key {key!r} must be letters, digits and _ (not starting "
                           "with a digit), so that texts can name it").format(key=key))
    if key in RESERVED_NAMES:
        raise ValueError(_("indicator key {key!r} is a reserved name; choose another")
                         .format(key=key))
    return key


_OWN_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[）)]|"
                          r"[一二三四五六七八九十]+[、.．]|\d+[、.．)）](?!\d)|"
                          r"[①-⑳⑴-⒇⒈-⒛]|第[一二三四五六七八九十]+[，,、：:]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[、.．])")
# A second item run on inside one: "……；二是……" (一是 is docgen's, before the first).
_NEXT_ITEM = re.compile(r"[；;。]\s*(?:[二三四五六七八九十]+是|第[二三四五六七八九十]+[，,、：:])")


_OWN_LIST = re.compile(r"(?<![单统唯同专划均万之])一是|第一[，,、：:]")  # not 单一是, 统一是, 之一是


def _no_own_ordinal(text: str) -> str:
    """Refuse a title or item that brings its own number, or runs on into the next one: docgen
    numbers them (（一）, 一是)."""
    found = _OWN_ORDINAL.match(text)
    if found:
        raise ValueError(_("starts with its own number '{ordinal}': docgen numbers these itself; "
                           "remove it").format(ordinal=found.group(0).strip()))
    run_on = _NEXT_ITEM.search(text)
    # "…不足，主要表现在：一是…；二是…" lists its own points: only a 二是 with no 一是 before it in
    # the item is the next item run on
    if run_on and not _OWN_LIST.search(text, 0, run_on.start()):
        raise ValueError(_("holds the next item too ('{ordinal}…'): write each as an item of its "
                           "own, without its number").format(ordinal=run_on.group(0)[1:].strip()))
    return text


# A date as a signature writes it (after NFKC: full-width digits read as digits).
_WRITTEN_DATE = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日|"
                           r"([0-9]{4})([./])([0-9]{1,2})\5([0-9]{1,2})")


def parse_date(raw: Any) -> Any:
    """Also read a date as a signature writes it: 2024年11月20日 (full-width digits too), or
    2024.11.20 or 2024/11/20. Anything else goes on to pydantic's own reading of a date."""
    if not isinstance(raw, str):
        return raw
    found = _WRITTEN_DATE.fullmatch(unicodedata.normalize("NFKC", raw).strip())
    if found is None:
        return raw
    parts = found.group(1, 2, 3) if found.group(1) else found.group(4, 6, 7)
    try:
        return dt.date(*(int(part) for part in parts))
    except ValueError:
        raise ValueError(_("there is no such day as {date}").format(date=raw.strip())) from None


Number = Annotated[Decimal, BeforeValidator(parse_number), WithJsonSchema({
    "anyOf": [{"type": "number"},
              {"type": "string", "pattern": "^\\s*[+-]?[0-9０-９][0-9０-９,，]*([.．][0-9０-９]+)?\\s*$"}]})]
_DIGITS = "[0-9０-９]"
WrittenDate = Annotated[dt.date, BeforeValidator(parse_date), WithJsonSchema({
    "anyOf": [{"type": "string", "format": "date"},
              {"type": "string", "pattern": f"^\\s*{_DIGITS}{{4}}\\s*年\\s*{_DIGITS}{{1,2}}\\s*月\\s*"
                                            f"{_DIGITS}{{1,2}}\\s*日\\s*$"},
              {"type": "string", "pattern": f"^\\s*{_DIGITS}{{4}}[./．／]{_DIGITS}{{1,2}}[./．／]"
                                            f"{_DIGITS}{{1,2}}\\s*$"}]})]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Key = Annotated[str, AfterValidator(_identifier)]
Unnumbered = Annotated[Text, AfterValidator(_no_own_ordinal)]


_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _half_width(unit: str) -> str:
    """A unit with its full-width signs and letters half-width: "％" is "%", as a rate's unit is
    compared and summed up in the summary workbook (one column for 森林覆盖率, not two)."""
    return unit.translate(_HALF_WIDTH)


Unit = Annotated[Text, AfterValidator(_half_width)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Indicator(_Strict):
    """One key figure: this year's value and, where known, last year's, the forecast, the target."""

    name: Text = Field(description="The indicator's name as the text writes it, e.g. 国民生产总值")
    unit: Unit = Field(description='Its unit, e.g. 万元, 亩, 元, 人; "%" marks a rate')
    value: Number = Field(description="This year's value, through `through_month`")
    previous: Number | None = Field(None, description="The same period last year")
    forecast: Number | None = Field(None, description="预计全年: the forecast for the whole year")
    target: Number | None = Field(None, description="The year's target")
    additive: bool | None = Field(
        None,
        description="Whether the towns' values add up to a county total (amounts, areas, "
        "counts). Default: true, except for rates (%) and per-person units (元/人, …/人…).",
    )

    @property
    def is_rate(self) -> bool:
        """A rate (unit "%") changes in 百分点, not in %."""
        return self.unit == "%"

    @property
    def adds_up(self) -> bool:
        """Whether a county total of this indicator means something."""
        if self.additive is not None:
            return self.additive
        return not (self.is_rate or "/" in self.unit or "人均" in self.name)


class Section(_Strict):
    """A titled section of 工作回顾 or 工作打算, with its paragraphs."""

    title: Unnumbered = Field(description="The section title, without its ordinal （一）")
    paragraphs: list[Text] = Field(min_length=1, description="Its paragraphs; may use expressions")


class ChartSettings(_Strict):
    """The chart of 二、主要成绩: which indicators it compares with last year, and its title."""

    show: bool = Field(True, description="Whether the summary has the chart")
    title: Text | None = Field(None, description="Its title; default 主要指标与上年(同期)对比")
    indicators: list[Key] | None = Field(
        None, min_length=1,
        description="Indicator keys to show, all with a previous value and one unit; default: "
        "those with a previous value in the commonest unit, rates left out")


class Township(_Strict):
    """One township's year: everything the summary is written from."""

    town: Text = Field(description="The township, e.g. 沽东镇")
    year: int = Field(ge=1949, le=2100, description="The report year")
    through_month: int = Field(12, ge=1, le=12, description="Figures cover January..this month")
    superior: Text | None = Field(None, description="The 上级 named in the opening, e.g. 滨河区")
    author: Text | None = Field(None, description='The signature; default "<town>人民政府"')
    date: WrittenDate | None = Field(
        None, description="The date under the signature: 2024-11-20, or 2024年11月20日")
    indicators: dict[Key, Indicator] = Field(
        default_factory=dict, description="Key figures, in the table's order",
        json_schema_extra={"propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                                             "not": {"enum": [*sorted(RESERVED_NAMES)]}}})
    intro: Text | None = Field(None, description="The opening paragraph; a default is written")
    review: list[Section] = Field(min_length=1, description="Sections of 一、工作回顾")
    achievements: list[Text] = Field(
        default_factory=list, description="Extra paragraphs of 二、主要成绩")
    problems: list[Unnumbered] = Field(min_length=1,
                                       description="Items of 三、存在的问题, without 一是")
    outlook: list[Section] = Field(min_length=1, description="Sections of 四、<year+1>年工作打算")
    chart: ChartSettings = Field(default_factory=ChartSettings,
                                 description="The chart of this year's figures against last year's")

    @field_validator("date")
    @classmethod
    def _date_in_report_year(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        year = info.data.get("year")
        if value is not None and year is not None and value.year not in (year, year + 1):
            raise ValueError(
                _("the date {date} does not belong to the report year {year}: it must fall in "
                  "{year} or {next}").format(date=value.isoformat(), year=year, next=year + 1))
        return value

    @property
    def next_year(self) -> int:
        """The year the outlook plans for."""
        return self.year + 1

    @property
    def signature(self) -> str:
        """Who signs: ``author``, or the town's government."""
        return self.author or f"{self.town}人民政府"

    @property
    def title(self) -> str:
        """The document title: "沽东镇2024年工作总结"."""
        return f"{self.town}{self.year}年工作总结"
