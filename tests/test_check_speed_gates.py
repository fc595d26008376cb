"""The shortcuts that keep the check fast find what the plain scans find.

A rule skips a pattern when a cheaper test says the text cannot hold a match, or tries it only where a
match can start: on text holding a match of the pattern, the cheaper test never skips it, and on text
holding matches of the rules' patterns, each shortcut gives the plain scan's matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from docgen.checks import lexicon, rules_arith, rules_blank, rules_text, rules_year

#: The plain pattern _BARE_RATE is written for the regex engine's fast scan.
_PLAIN_BARE_RATE = re.compile(r"个百分点|百分点|(?<!\{)%(?!\})")


def _units(text: str) -> set[str]:
    return set(rules_blank._UNIT_START.findall(text))


# (a pattern a rule scans for, the test the rule makes first: True where the text may hold a match)
_GATES: list[tuple[re.Pattern[str], Callable[[str], object]]] = [
    *((pattern, lambda text, starts=starts: not _units(text).isdisjoint(starts))
      for starts, pattern, _at in rules_blank._BLANKS),
    (_PLAIN_BARE_RATE, lambda text: not _units(text).isdisjoint(rules_blank._RATE_START)),
    (rules_blank._LIVESTOCK, lambda text: not _units(text).isdisjoint(rules_blank._LIVESTOCK_START)
     and rules_blank._ANIMAL_COUNTED.search(text)),
    (rules_text._TAG, lambda text: "{" in text or "}" in text),
    (rules_text._PLACEHOLDER, rules_text._PLACEHOLDER_START.search),
    (rules_year._NEEDS_YEAR, rules_year._NEEDS_YEAR_HINT.search),
    (rules_year._OUTLOOK_PLAN, rules_year._OUTLOOK_PLAN_HINT.search),
    *((pattern, lambda text, word=word: word in text) for word, pattern in rules_year._REVIEW_PHRASES),
    *((pattern, lambda text: "年" in text)
      for pattern in (rules_year._AFTER_ORDINAL, rules_year._NEEDS_YEAR, rules_year._OUTLOOK,
                      rules_year._OUTLOOK_PLAN, rules_year._OUTLOOK_HEADING, rules_year._REVIEW_HEADING,
                      *(p for _w, p in rules_year._REVIEW_PHRASES))),
    (rules_year._OUTLOOK, lambda text: "展望" in text),
    (rules_arith._SHARE, lambda text: "占" in text),
    (rules_arith._RESPECTIVELY, lambda text: "分别" in text),
]


def _holding(pattern: re.Pattern[str]) -> st.SearchStrategy[str]:
    """Text holding a match of ``pattern``."""
    return st.from_regex(pattern)


@pytest.mark.parametrize(("pattern", "may_match"), _GATES, ids=[f"gate{n}" for n in range(len(_GATES))])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_rule_skips_no_text_holding_a_match(pattern: re.Pattern[str], may_match: Callable[[str], object],
                                              data: st.DataObject) -> None:
    text = data.draw(_holding(pattern))
    assert pattern.search(text)
    assert may_match(text)
    assert may_match(lexicon.fold(text)) or not pattern.search(lexicon.fold(text))


# Text holding matches of the rules' patterns, and other words they read.
_PATTERNS = [pattern for pattern, _test in _GATES]
_WORDS = ["一、", "（二）", "3.", "（4）", " 十一、", "１．", "年", "：", "的", "，", "2024", "（", "x", "　"]
texts = st.lists(st.one_of(*(_holding(p) for p in _PATTERNS), st.sampled_from(_WORDS)),
                 max_size=5).map("".join)


def _spans(matches: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@settings(max_examples=60, deadline=None)
@given(texts)
def test_fold_is_the_table_translation(text: str) -> None:
    assert lexicon.fold(text) == text.translate(lexicon._FOLD)


_ORDINAL_WORDS = [*_WORDS, "二、", "十二", "（十）", "(3)", "( 3 )", "12.", "\n1、", "一二三", "四、五",
                  "1.5", "（1）"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ORDINAL_WORDS), max_size=4).map("".join), st.sampled_from(_ORDINAL_WORDS))
@example("(3)", "").via("a parenthesis")
@example("\u3000（十）", "").via("a space first")
def test_the_leading_ordinal_is_the_first_level_whose_pattern_matches(head: str, rest: str) -> None:
    folded = lexicon.fold(head + rest)
    expected = None
    for level, pattern in lexicon._ORDINALS:
        match = pattern.match(folded)
        if match:
            raw = match.group("n")
            number = int(raw) if raw.isdigit() else lexicon.chinese_number(raw)
            if number:
                expected = lexicon.Ordinal(level, number, match.end())
                break
    assert lexicon.leading_ordinal(folded) == expected


@settings(max_examples=60, deadline=None)
@given(texts)
def test_scans_from_the_first_match_and_from_the_starts_find_every_match(text: str) -> None:
    text = lexicon.fold(text)
    placeholder = rules_text._PLACEHOLDER
    assert _spans(lexicon.scan(placeholder, rules_text._PLACEHOLDER_START, text)) == \
        _spans(placeholder.finditer(text))
    for _units, pattern, starts in rules_blank._BLANKS:
        if starts is not None:
            assert _spans(lexicon.scan(pattern, starts, text)) == _spans(pattern.finditer(text))
    for pattern in _PATTERNS:
        assert _spans(lexicon.finditer(pattern, text)) == _spans(pattern.finditer(text))


@settings(max_examples=60, deadline=None)
@given(texts)
@example("{%}").via("a tag")
@example("增长{% 5%, 提高 个百分点，（%）百分点").via("every kind of rate")
def test_the_bare_rate_pattern_and_the_looks_before_it_are_the_plain_ones(text: str) -> None:
    text = lexicon.fold(text)
    assert _spans(rules_blank._BARE_RATE.finditer(text)) == _spans(_PLAIN_BARE_RATE.finditer(text))
    for match in _PLAIN_BARE_RATE.finditer(text):
        before = text[:match.start()].rstrip()
        end = match.start()
        while end and text[end - 1].isspace():
            end -= 1
        assert end == len(before)
        if before:
            assert bool(rules_blank._BEFORE_A_RATE.match(text, end - 1, end)) == \
                bool(rules_blank._BEFORE_A_RATE.search(before))
    for match in rules_year._OUTLOOK_PLAN.finditer(text):
        start = match.start("year")
        assert bool(rules_year._RANGE_BEFORE.search(text[:start])) == \
            bool(rules_year._RANGE_BEFORE.search(text, 0, start))
