"""Derived figures: growth, 百分点, share, completion, and half-up rounding."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.errors import FigureError
from docgen.figures import completion, growth, points_change, round_half_up, share


@pytest.mark.parametrize(("value", "expected"), [
    ("0.05", "0.1"), ("0.15", "0.2"), ("0.25", "0.3"), ("2.675", "2.7"), ("-0.05", "-0.1"),
    ("6.04999", "6.0"), ("6.05", "6.1"), ("0", "0.0"), ("99.95", "100.0"),
])
def test_round_half_up_is_sishewuru(value: str, expected: str) -> None:
    assert str(round_half_up(D(value))) == expected


def test_round_half_up_differs_from_python_round() -> None:
    assert round(0.125, 2) == 0.12  # banker's rounding of a binary float
    assert str(round_half_up(D("0.125"), 2)) == "0.13"


@pytest.mark.parametrize(("value", "previous", "expected"), [
    (14500, 13679, "6.0"), (3217, 3154, "2.0"), (8414, 7191, "17.0"), (90, 100, "-10.0"),
    (100, 100, "0.0"), (1, 3, "-66.7"), (2, 1, "100.0"), ("100.05", 100, "0.1"),
])
def test_growth(value: object, previous: object, expected: str) -> None:
    assert str(growth(D(str(value)), D(str(previous)))) == expected


@pytest.mark.parametrize("previous", [D(0), D(-5)])
def test_growth_from_zero_or_negative_names_the_field(previous: D) -> None:
    with pytest.raises(FigureError) as info:
        growth(D(10), previous, field="indicators.gdp.previous")
    assert info.value.place.field == "indicators.gdp.previous"
    assert "above 0" in info.value.message


def test_growth_without_previous_is_an_error() -> None:
    with pytest.raises(FigureError, match="previous"):
        growth(D(10), None, field="indicators.gdp.previous")


def test_points_change_of_a_rate() -> None:
    assert str(points_change(D(90), D(70))) == "20.0"
    assert str(points_change(D("43.8"), D("45.25"))) == "-1.5"
    assert str(points_change(D(0), D(0))) == "0.0"


def test_share_and_completion() -> None:
    assert str(share(D(37665), D(41876))) == "89.9"
    assert str(completion(D(18410), D(17000))) == "108.3"
    with pytest.raises(FigureError):
        share(D(1), D(0))
    with pytest.raises(FigureError):
        completion(D(1), None)
    with pytest.raises(FigureError):
        completion(D(1), D(0))


decimals = st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2, allow_nan=False)


@given(decimals, decimals)
def test_growth_agrees_with_exact_fraction(value: D, previous: D) -> None:
    exact = (value - previous) / previous * 100
    assert abs(growth(value, previous) - exact) <= D("0.05") + D("1e-20")


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_half_up_rounds_every_half_away_from_zero(tenths_times_ten: int) -> None:
    # x.x5 always goes away from zero: the defining property of 四舍五入
    value = D(tenths_times_ten) / 100 + D("0.005") * (1 if tenths_times_ten >= 0 else -1)
    rounded = round_half_up(value, 2)
    assert abs(rounded) > abs(value) or rounded == value


def test_rounding_holds_more_digits_than_the_decimal_context() -> None:
    """A run of 35 digits (a misread figure) is rounded too, not an InvalidOperation."""
    assert round_half_up(D("99999999999999999999999999999999999.45")) == \
        D("99999999999999999999999999999999999.5")
    assert round_half_up(D("-2.25")) == D("-2.3")
