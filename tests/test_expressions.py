"""Text expressions: figures inside the narrative, unknown names and sandbox escapes refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import expressions
from docgen.context import build_context
from docgen.errors import DataError
from docgen.loading import load

from .conftest import DATA_DIR as DATA

WriteTown = Callable[..., Path]
FIRST = "今年种植棉花{{ cotton }}，占耕地面积的{{ share('cotton', 'farmland') }}。"


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def paragraph(town_file: WriteTown, text: str) -> str:
    context = build_context(load(town_file(**{FIRST: quoted(text)})))
    return str(context["review"][0].paragraphs[0])


@pytest.mark.parametrize(("text", "expected"), [
    (FIRST, "今年种植棉花37665亩，占耕地面积的89.9%。"),
    ("{{ gdp }}，{{ gdp.growth }}", "1.45亿元，增长6.0%"),
    ("{{ gdp.previous }}→{{ gdp.forecast }}", "1.37亿元→1.78亿元"),
    ("{{ party }}，{{ party.growth }}", "70%，提高20.0个百分点"),
    ("{{ income.name }}{{ income.value }}", "农民人均纯收入3217元"),
    ("{{ year }}年{{ town }}，{{ next_year }}年，{{ superior }}", "2024年沽东镇，2025年，滨河区"),
    ("A&B<镇>", "A&B<镇>"),
])
def test_expressions(town_file: WriteTown, text: str, expected: str) -> None:
    assert paragraph(town_file, text) == expected


def error_of(town_file: WriteTown, text: str) -> str:
    with pytest.raises(DataError) as info:
        build_context(load(town_file(**{FIRST: quoted(text)})))
    return str(info.value)


def test_unknown_name_names_file_line_field_and_name(town_file: WriteTown) -> None:
    message = error_of(town_file, "平均产量可达到{{ yield_per_mu }}公斤")
    assert message.endswith(
        ":34: review[0].paragraphs[0]: unknown name 'yield_per_mu'; known names: cotton, farmland, "
        "gdp, income, next_year, party, share, superior, town, year")


def test_unknown_attribute(town_file: WriteTown) -> None:
    assert error_of(town_file, "{{ gdp.grwoth }}").endswith(
        "review[0].paragraphs[0]: an indicator has no attribute 'grwoth'; use one of: name, value, "
        "previous, forecast, target, growth, completion")


@pytest.mark.parametrize("text", [
    "{{ ''.__class__ }}", "{{ gdp.__init__.__globals__ }}", "{{ share.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ cycler.__init__.__globals__.os }}",
])
def test_sandbox_escape_is_refused(town_file: WriteTown, text: str) -> None:
    assert "review[0].paragraphs[0]: unsafe expression refused: access to attribute" in \
        error_of(town_file, text)


def test_growth_from_zero_names_the_indicator(town_file: WriteTown) -> None:
    path = town_file(**{"previous: 3154": "previous: 0"})
    with pytest.raises(DataError) as info:
        build_context(load(path))
    assert str(info.value) == (
        f"{path}:17: indicators.income.previous: growth cannot be computed from a previous value "
        "of 0: it must be above 0")


def test_missing_previous_in_a_text(town_file: WriteTown) -> None:
    assert error_of(town_file, "{{ cotton.growth }}").endswith(
        "review[0].paragraphs[0]: growth needs the previous value (field 'previous' is missing) "
        "(indicators.cotton.previous)")


def test_superior_unset(town_file: WriteTown) -> None:
    path = town_file(**{"superior: 滨河区\n": "", FIRST: quoted("在{{ superior }}的领导下")})
    with pytest.raises(DataError, match="'superior' is used in the text but not set in the data"):
        build_context(load(path))


def test_syntax_error_in_a_text(town_file: WriteTown) -> None:
    assert "review[0].paragraphs[0]: expression syntax error" in error_of(town_file, "{{ gdp ")


def test_all_problems_are_listed(town_file: WriteTown) -> None:
    path = town_file(**{FIRST: quoted("{{ a }}"), "{{ next_year }}年": "{{ b }}年"})
    with pytest.raises(DataError) as info:
        build_context(load(path))
    assert [p.place.field for p in info.value.problems] == [
        "review[0].paragraphs[0]", "outlook[0].paragraphs[0]"]


def test_a_text_starting_with_braces_must_be_quoted(town_file: WriteTown) -> None:
    path = town_file(**{FIRST: "{{ gdp }}，{{ gdp.growth }}"})
    with pytest.raises(DataError) as info:
        load(path)
    assert str(info.value).endswith(
        "(a text that starts with {{ must be in quotes: \"{{ … }}…\")")


# --- each {{ … }} compiled on its own: the same result as the whole text compiled ---------------

_EXPRESSIONS = ["{{ gdp }}", "{{ gdp.growth }}", "{{gdp.name}}", "{{ year + 1 }}", "{{ town ~ '镇' }}",
                "{{ share('cotton', 'farmland') }}", "{{- gdp -}}", "{{ nobody }}", "{{ gdp.nothing }}",
                "{{ '}}' }}", "{{ gdp", "}}", "{% if year %}是{% endif %}", "{# 注 #}", "{{ 1/0 }}",
                "{{ gdp.__class__ }}", "{{ none }}", "\r\n", "\n", "  ", "增长", "{", "}"]


def _outcome(render: Callable[[], str]) -> tuple[str, str]:
    try:
        return "ok", render()
    except Exception as exc:  # the kind and message of the failure must be the same too
        return type(exc).__name__, str(exc)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_EXPRESSIONS), max_size=6))
def test_rendering_by_pieces_is_rendering_the_whole(parts: list[str]) -> None:
    text = "".join(parts)
    names = expressions.namespace(load(DATA / "minimal.yaml").township)
    whole = _outcome(lambda: expressions._ENV.from_string(text).render(names))
    assert _outcome(lambda: expressions._render(text, names)) == whole


def test_a_county_compiles_each_expression_once(town_file: WriteTown) -> None:
    """Texts differ from town to town; the expressions in them repeat, and are compiled once."""
    expressions._compile_output.cache_clear()
    paragraph(town_file, "第0段：{{ gdp }}，{{ gdp.growth }}。")
    first = expressions._compile_output.cache_info()
    for n in range(1, 5):
        assert paragraph(town_file, f"第{n}段：{{{{ gdp }}}}，{{{{ gdp.growth }}}}。") == \
            f"第{n}段：1.45亿元，增长6.0%。"
    again = expressions._compile_output.cache_info()
    assert again.misses == first.misses and again.hits > first.hits


def test_the_sandboxs_kept_answers_are_jinjas() -> None:
    """The sandbox keeps Jinja's answer per type and attribute: the same answers, every time."""
    from jinja2.sandbox import SandboxedEnvironment

    from docgen.sandbox import BoundedSandbox

    def function() -> None: ...

    class Disguised:
        __class__ = type(function)  # type: ignore[assignment]

    jinja, ours = SandboxedEnvironment(), BoundedSandbox()
    cases = [(function, "__code__"), (function, "__globals__"), (function, "name"), (str, "mro"),
             ("x", "upper"), ("x", "_private"), (Disguised(), "__code__"), (Disguised(), "__globals__"),
             ((i for i in ()), "gi_frame"), (print, "__self__")]
    for _round in range(2):
        assert [ours.is_safe_attribute(o, a, None) for o, a in cases] == \
            [jinja.is_safe_attribute(o, a, None) for o, a in cases]


@pytest.mark.parametrize(("text", "message"), [
    # helper-32: the draft read "比上年同期增长下降6.1%" and "3.51亿元万元", and every check passed
    ("地区生产总值{{ gdp }}，比上年同期增长{{ gdp.growth }}。",
     "'{{ gdp.growth }}' writes 增长 or 下降 itself: remove the \"增长\" before it"),
    ("优秀党支部比率{{ party }}，比上年提高了 {{party.growth}}。",
     "'{{ party.growth }}' writes 增长 or 下降 itself: remove the \"提高\" before it"),
    ("地区生产总值{{ gdp }}万元，比上年{{ gdp.growth }}。",
     "'{{ gdp }}' writes its unit itself (1.45亿元): remove the \"万元\" after it"),
    ("上年为{{ gdp.previous }} 亿元。", "'{{ gdp.previous }}' writes its unit itself (1.37亿元): remove the "
     "\"亿元\" after it"),
    ("棉花种植{{ cotton }}亩。",
     "'{{ cotton }}' writes its unit itself (37665亩): remove the \"亩\" after it"),
])
def test_a_word_the_expression_writes_itself_is_refused_at_its_line(town_file: WriteTown, text: str,
                                                                   message: str) -> None:
    assert error_of(town_file, text).endswith(":34: review[0].paragraphs[0]: " + message)


def test_words_beside_an_expression_that_it_does_not_write_pass(town_file: WriteTown) -> None:
    assert paragraph(town_file, "{{ gdp }}，同比{{ gdp.growth }}，{{ year }}年，共{{ town }}元宝山") == \
        "1.45亿元，同比增长6.0%，2024年，共沽东镇元宝山"
