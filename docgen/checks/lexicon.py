"""Shared vocabulary of the rules: width folding, numbers, units, years and heading ordinals."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from docgen.cnformat import chinese_numeral

# Full-width ASCII (digits, letters, ％ ． ｛ ｝…) and odd spaces folded one character for one,
# so that offsets into the folded text are offsets into the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
# Keep the Chinese punctuation the rules read as such.
for _keep in "（），：；！？【】":
    _FOLD.pop(ord(_keep), None)


# One character at a time: a pattern that is one character class is scanned fast.
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]")


def fold(text: str) -> str:
    """``text`` with full-width digits, letters and signs made half-width, same length.

    Most paragraphs have nothing to fold, and ``str.translate`` with a table costs more than every
    rule's scan of a paragraph: only the characters that need it are translated.
    """
    return _FOLDABLE.sub(_fold_one, text)


def _fold_one(match: re.Match[str]) -> str:
    return match.group().translate(_FOLD)


def finditer(pattern: re.Pattern[str], text: str) -> Iterable[re.Match[str]]:
    """``pattern.finditer(text)``, cheaper where there is no match (most text): one search, and a scan
    only from where it found one."""
    first = pattern.search(text)
    return () if first is None else pattern.finditer(text, first.start())


def scan(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` gives, for a pattern whose every match is non-empty and starts
    with a character ``starts`` matches: ``pattern`` is tried only where ``starts`` finds one.

    For a pattern of many alternatives that the regex engine would try at every character.
    """
    found: list[re.Match[str]] = []
    at = 0
    while (start := starts.search(text, at)) is not None:
        match = pattern.match(text, start.start())
        if match is None:
            at = start.start() + 1
        else:
            found.append(match)
            at = match.end()
    return found


_DIGIT_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
CN_NUMERAL = "零〇一二三四五六七八九十百千万亿两"
NUMBER = r"\d+(?:[.,]\d+)*"
# A Chinese or Arabic number, with the approximations the genre uses after it.
ANY_NUMBER_CHAR = "0-9" + CN_NUMERAL + "几数余多半"

# The words of a change, up and down: "增长6.0%", "下降3.2%" (docgen's own growth phrases among them).
UP_WORDS, DOWN_WORDS = "增长|增加|提高|上升", "下降|减少|降低"

YEAR = r"(?P<year>(?<!\d)\d{4}|[零〇一二三四五六七八九]{4})\s*年"
YEAR_PATTERN = re.compile(YEAR)
_DAY = r"[\d一二三四五六七八九十]{1,3}"
#: A paragraph that is a date alone (the date under the signature, perhaps with no day: 二〇二三年
#: 十二月), its year in the group "year".
DATE_LINE = re.compile(rf"\s*{YEAR}\s*(?P<month>{_DAY})\s*月(?:\s*(?P<day>{_DAY})\s*日)?\s*")


def year_value(token: str) -> int:
    """2024 from "2024" or "二〇二四"."""
    if token.isdigit():
        return int(token)
    return int("".join(str(_DIGIT_VALUE[c]) for c in token))


def chinese_number(token: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20; None for anything else (up to 99)."""
    digits = "一二三四五六七八九"
    if not token or any(c not in digits + "十" for c in token):
        return None
    if "十" not in token:
        return digits.index(token) + 1 if len(token) == 1 else None
    tens, _sep, ones = token.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    value = (digits.index(tens) + 1 if tens else 1) * 10
    return value + (digits.index(ones) + 1 if ones else 0)


class Ordinal(NamedTuple):
    """A heading ordinal at the start of a paragraph: its level (1 一、 · 2 （一） · 3 1. · 4 （1））."""

    level: int
    number: int
    end: int  # offset just after the ordinal

    @property
    def label(self) -> str:
        """The ordinal as written in the genre's standard form."""
        return ordinal_label(self.level, self.number)


_CN = "[一二三四五六七八九十]{1,3}"
_ORDINALS: tuple[tuple[int, re.Pattern[str]], ...] = (
    # 一、 (not 一、二季度 or 二、三产业, where the numerals are a range)
    (1, re.compile(rf"\s*(?P<n>{_CN})\s*[、.，](?![一二三四五六七八九十])")),
    (2, re.compile(rf"\s*[（(]\s*(?P<n>{_CN})\s*[）)]")),
    (3, re.compile(r"\s*(?P<n>\d{1,2})\s*[、.](?!\d)")),
    (4, re.compile(r"\s*[（(]\s*(?P<n>\d{1,2})\s*[）)]")),
)
_CN_HEADS = frozenset("一二三四五六七八九十")


def leading_ordinal(folded: str) -> Ordinal | None:
    """The heading ordinal that opens ``folded`` (a paragraph's text as `fold` gives it), if any."""
    head = folded[:1]
    if head in _CN_HEADS:  # each level's ordinal starts with its own kind of character (after \s*)
        patterns = _ORDINALS[:1]
    elif head in ("（", "("):
        patterns = _ORDINALS[1::2]
    elif head.isdecimal():  # what \d matches
        patterns = _ORDINALS[2:3]
    elif head.isspace():
        patterns = _ORDINALS
    else:
        return None
    for level, pattern in patterns:
        match = pattern.match(folded)
        if match:
            raw = match.group("n")
            number = int(raw) if raw.isdigit() else chinese_number(raw)
            if number:
                return Ordinal(level, number, match.end())
    return None


def ordinal_label(level: int, number: int) -> str:
    """How the genre writes ordinal ``number`` at ``level``: 三、 （三） 3. （3）."""
    if level in (1, 2):
        word = chinese_numeral(number)
        return f"{word}、" if level == 1 else f"（{word}）"
    return f"{number}." if level == 3 else f"（{number}）"


# What names the outlook part of a summary (四、2025年工作打算, 下一步工作思路…).
# A heading on the coming year's work. 计划, 思路 and 安排 only as the heading's subject, said last or
# before 和/及/与/：/: ("2025年工作思路", "四、2025年发展思路：", "发展思路和主要任务"): a review's
# heading may use them as verbs or objects ("一、统筹安排、精准施策，…", "一、创新工作思路，推动…",
# "一、明确发展思路。坚持…") — helpers 34 to 36. A heading naming next year with one of them is the
# outlook too (`rules_year`, `rules_structure`).
PLANS = r"(?:计划(?![生内外])|思路|安排|要点)"
OUTLOOK_WORDS = re.compile(rf"打算|展望|下一步|下步|明年|今后|{PLANS}(?=和|及|与|[：:]|。?\s*$)")

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(?P<level>\d)$", re.IGNORECASE)


def style_level(style: str | None) -> int | None:
    """The outline level of a heading style ("Heading 2", "标题 2" → 2), else None."""
    if style is None:
        return None
    match = _HEADING_STYLE.match(style.strip())
    return int(match.group("level")) if match else None
