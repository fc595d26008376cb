"""Chinese number, amount, percentage, ordinal and date formatting as official texts write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from docgen.figures import round_half_up

_DIGITS = "零一二三四五六七八九"
YI_IN_WAN = Decimal(10000)      # 1亿 = 10000万
SHIWAN = Decimal(100000)        # 10万: from here on 元 are written in 万元


def plain(value: Decimal) -> str:
    """A number without exponent or trailing zeros: 14500 → "14500", 62.150 → "62.15"."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def one_decimal(value: Decimal) -> str:
    """A rate to one decimal place, rounded half up: 6 → "6.0", 0.05 → "0.1"."""
    text = format(round_half_up(value), "f")
    return "0.0" if text == "-0.0" else text


def quantity(value: Decimal, unit: str) -> str:
    """A value with its unit, scaled as the genre writes amounts.

    万元 from 1亿 up is written in 亿元 with at most two decimals (14500万元 →
    "1.45亿元"); 元 from 1亿 up likewise, and from 10万 up in 万元 (90000000元 → "9000万元",
    1500000元 → "150万元"; a per-person income of 21480元 stays); everything else keeps its unit.
    """
    if unit == "元" and abs(value) >= SHIWAN:
        wan = round_half_up(value / YI_IN_WAN, 2)
        # 1亿 or more, in 亿元 (99999999元 rounds up to it)
        return plain(wan) + "万元" if abs(wan) < YI_IN_WAN else _yi(value / YI_IN_WAN)
    if unit == "万元" and abs(value) >= YI_IN_WAN:
        return _yi(value)
    return plain(value) + unit


def _yi(wan: Decimal) -> str:
    """An amount of ``wan`` 万元 in 亿元, with at most two decimals: 14500 → "1.45亿元"."""
    return plain(round_half_up(wan / YI_IN_WAN, 2)) + "亿元"


def percent(value: Decimal) -> str:
    """A percentage to one decimal: "89.9%"."""
    return one_decimal(value) + "%"


def growth_phrase(rate: Decimal) -> str:
    """Growth as text: "增长6.0%", "下降3.2%", or "持平" when it rounds to zero."""
    rounded = round_half_up(rate)
    if rounded > 0:
        return "增长" + percent(rounded)
    if rounded < 0:
        return "下降" + percent(-rounded)
    return "持平"


def points_phrase(points: Decimal) -> str:
    """A rate's change: "提高20.0个百分点", "下降1.5个百分点", or "持平"."""
    rounded = round_half_up(points)
    if rounded > 0:
        return f"提高{one_decimal(rounded)}个百分点"
    if rounded < 0:
        return f"下降{one_decimal(-rounded)}个百分点"
    return "持平"


def signed_change(change: Decimal, *, is_rate: bool) -> str:
    """A change for a table cell: "+6.0%", "-3.2%", "+20.0个百分点", "0.0%"."""
    rounded = round_half_up(change)
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    return sign + one_decimal(abs(rounded)) + ("个百分点" if is_rate else "%")


def chinese_numeral(n: int) -> str:
    """1–99 in Chinese numerals: 1 → "一", 10 → "十", 12 → "十二", 20 → "二十"."""
    if not 1 <= n <= 99:
        raise ValueError(f"chinese_numeral covers 1 to 99, not {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def ordinal(n: int) -> str:
    """A second-level heading ordinal: 1 → "（一）"."""
    return f"（{chinese_numeral(n)}）"


def enumerate_points(items: Sequence[str]) -> str:
    """Items as the genre lists problems: "一是……；二是……。" (trailing punctuation dropped)."""
    parts = [f"{chinese_numeral(i)}是{item.rstrip('。；;，,.!！ ')}" for i, item in enumerate(items, 1)]
    return "；".join(parts) + "。" if parts else ""


def join_items(items: Sequence[str]) -> str:
    """Join items as Chinese prose does: "a", "a和b", "a、b和c"."""
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def date(day: dt.date) -> str:
    """A date with Arabic digits, full year, no zero padding: "2024年11月20日"."""
    return f"{day.year}年{day.month}月{day.day}日"


def period(through_month: int) -> str:
    """The period figures cover: "1—10月份", "1月份" for January alone, or "全年" for the whole year."""
    if through_month == 12:
        return "全年"
    return "1月份" if through_month == 1 else f"1—{through_month}月份"
