"""Derived figures — growth, change in 百分点, share, completion — as pure Decimal functions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from docgen.errors import FigureError, Place
from docgen.i18n import _

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    """Round ``value`` to ``places`` decimals the way 四舍五入 does (half away from zero), however
    many digits it has (the default context holds 28)."""
    exponent = Decimal(1).scaleb(-places)
    try:
        return value.quantize(exponent, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds: with as many as it takes
        digits = max(value.adjusted(), 0) + places + 2
        return value.quantize(exponent, rounding=ROUND_HALF_UP, context=Context(prec=digits))


def growth(value: Decimal, previous: Decimal | None, *, field: str = "") -> Decimal:
    """Percentage growth of ``value`` over ``previous``, rounded to one decimal.

    ``previous`` must be a positive number: growth from nothing, from 0 or from
    a negative amount has no meaning, and is a `FigureError` naming ``field``.
    """
    if previous is None:
        raise FigureError(_("growth needs the previous value (field 'previous' is missing)"),
                          Place(field=field))
    if previous <= 0:
        raise FigureError(
            _("growth cannot be computed from a previous value of {previous}: it must be above 0")
            .format(previous=previous), Place(field=field))
    return round_half_up((value - previous) / previous * HUNDRED)


def points_change(value: Decimal, previous: Decimal | None, *, field: str = "") -> Decimal:
    """Change of a rate (in %) in 百分点, rounded to one decimal: 70 → 90 is 20.0."""
    if previous is None:
        raise FigureError(_("the change needs the previous value (field 'previous' is missing)"),
                          Place(field=field))
    return round_half_up(value - previous)


def share(part: Decimal, whole: Decimal, *, field: str = "") -> Decimal:
    """``part`` as a percentage of ``whole``, rounded to one decimal."""
    if whole <= 0:
        raise FigureError(
            _("a share of {whole} cannot be computed: the whole must be above 0").format(whole=whole),
            Place(field=field))
    return round_half_up(part / whole * HUNDRED)


def completion(value: Decimal, target: Decimal | None, *, field: str = "") -> Decimal:
    """``value`` as a percentage of the year's ``target``, rounded to one decimal."""
    if target is None:
        raise FigureError(_("completion needs the year's target (field 'target' is missing)"),
                          Place(field=field))
    if target <= 0:
        raise FigureError(
            _("completion cannot be computed against a target of {target}: it must be above 0")
            .format(target=target), Place(field=field))
    return round_half_up(value / target * HUNDRED)
