"""Arithmetic rules: a share that contradicts the figures it divides, a 分别 list that does not pair up."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from docgen.checks.lexicon import NUMBER
from docgen.checks.model import Finding, finding
from docgen.checks.prepared import Prepared
from docgen.cnformat import one_decimal
from docgen.i18n import _

# Units a share can be stated in, each with its family and its size in the family's base unit.
_SCALE: dict[str, tuple[str, Decimal]] = {
    "亩": ("亩", Decimal(1)), "万亩": ("亩", Decimal(10000)), "公顷": ("公顷", Decimal(1)),
    "元": ("元", Decimal(1)), "万元": ("元", Decimal(10000)), "亿元": ("元", Decimal(10) ** 8),
    "人": ("人", Decimal(1)), "万人": ("人", Decimal(10000)), "户": ("户", Decimal(1)),
    "头": ("头", Decimal(1)), "万头": ("头", Decimal(10000)), "只": ("只", Decimal(1)),
    "万只": ("只", Decimal(10000)), "吨": ("吨", Decimal(1)), "万吨": ("吨", Decimal(10000)),
    "公斤": ("公斤", Decimal(1)), "个": ("个", Decimal(1)), "家": ("家", Decimal(1)),
    "名": ("人", Decimal(1)), "人次": ("人次", Decimal(1)), "万人次": ("人次", Decimal(10000)),
}
UNIT = "|".join(sorted(_SCALE, key=len, reverse=True))
_FIGURE = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>{UNIT})")
_SHARE = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>{UNIT})[^，。；;\d]{{0,6}}?[，,]?\s*(?:约|已|仅)?占(?:了)?"
    rf"(?P<base>[^，。；;%]{{1,24}}?)的?\s*(?P<pct>{NUMBER})\s*%")
_BASE_PREFIX = re.compile(r"^(?:全镇|全乡|全村|全县|全区|全街道|我镇|我乡|本镇|本乡|全部|现有|总|全)+")
# A whole of another scope than the town's, which the document's figures do not give: a village's
# ("马庄村…占全村耕地面积的62.4%"), or the district's ("占全区奶牛存栏的18.6%").
# (a village's with or without 全; a larger one only with it: 国民生产总值, 市场主体 are names)
_OTHER_SCOPE = re.compile(r"(?:全|该|本|各)?(?:村|组|社区)|(?:全|该|本|各)(?:区|县|市|省|国)")
_BASE_SUFFIX = re.compile(r"(?:总面积|面积|总数|总量|总人数|人数|总额|总)$")


@dataclass(frozen=True)
class Amount:
    """A figure as written, in its family's base unit; ``margin``: half a unit of its last written
    digit (1.46亿元 may stand for anything from 1.455亿 to 1.465亿)."""

    family: str
    value: Decimal
    text: str
    margin: Decimal


def written(number: str) -> tuple[Decimal, int] | None:
    """A number as written ("1,234.5", a thousands separator allowed): its value and how many
    decimals it has; None when it is no number ("1.2.3")."""
    plain = number.replace(",", "")
    try:
        return Decimal(plain), len(plain.partition(".")[2])
    except InvalidOperation:
        return None


def half_unit(decimals: int) -> Decimal:
    """Half a unit of the last digit of a number written with ``decimals``: 0.05 for one."""
    return Decimal(5).scaleb(-decimals - 1)


def amount(number: str, unit: str) -> Amount | None:
    found = written(number)
    if found is None:
        return None
    value, decimals = found
    family, size = _SCALE[unit]
    return Amount(family, value * size, number + unit, half_unit(decimals) * size)


def _core(base: str) -> str:
    core = _BASE_PREFIX.sub("", base.strip())
    return _BASE_SUFFIX.sub("", core)


def _bases(texts: Sequence[str], core: str, family: str) -> list[Amount]:
    """Every figure of ``family`` the document gives for ``core`` ("41876亩耕地", "耕地面积41876亩")."""
    name = re.escape(core)
    patterns = (
        re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>{UNIT})的?总?{name}"),
        re.compile(rf"{name}(?:总面积|面积|总数|总量|总人数|人数|总额)?"
                   rf"(?:为|是|达|达到|共|共有|有|约|计|共计|合计)?\s*(?P<num>{NUMBER})\s*(?P<unit>{UNIT})"),
    )
    found = []
    for text in texts:
        if core not in text:  # the cheap test first: most paragraphs never name the whole
            continue
        for pattern in patterns:
            for match in pattern.finditer(text):
                figure = amount(match.group("num"), match.group("unit"))
                if figure is not None and figure.family == family:
                    found.append(figure)
    return found


def close(part: Amount, whole: Amount, stated: str) -> bool:
    """Whether ``stated`` (a percentage) is ``part`` of ``whole``, rounded (half up) or truncated to
    its decimals, for some exact figures the written ``part`` and ``whole`` may stand for: a
    document writes amounts rounded (1.46亿元, 10.5万元) and their share from the exact ones.

    A percentage written "1,200" has a thousands separator; one that is not a number at all
    ("1.2.3") is not compared: True, no finding.
    """
    found = written(stated)
    if found is None:
        return True
    value, decimals = found
    return within_step(part, whole, value / 100, Decimal(10) ** -decimals / 100)


def within_step(part: Amount, whole: Amount, ratio: Decimal, step: Decimal) -> bool:
    """Whether ``ratio`` (``part`` / ``whole``), written to a last digit of ``step`` (rounded or
    truncated), fits some exact figures the written ``part`` and ``whole`` may stand for."""
    least = (part.value - part.margin) / (whole.value + whole.margin)
    most = (part.value + part.margin) / max(whole.value - whole.margin, whole.margin)
    return least < ratio + step and most > ratio - step


def shares(items: Sequence[Prepared]) -> Iterator[Finding]:
    """"X亩，占…耕地的Z%" where the document's own figure for the whole gives another share."""
    texts = [i.text for i in items]
    bases: dict[tuple[str, str], list[Amount]] = {}  # one scan per whole, not one per share
    for block, text in zip((i.block for i in items), texts, strict=True):
        if "占" not in text:  # what every share holds
            continue
        for match in _SHARE.finditer(text):
            part = amount(match.group("num"), match.group("unit"))
            if part is None or part.value <= 0:
                continue
            inner = _FIGURE.search(match.group("base"))
            if inner is not None:
                whole = amount(inner.group("num"), inner.group("unit"))
                candidates = [whole] if whole is not None and whole.family == part.family else []
            elif _OTHER_SCOPE.match(match.group("base").strip()):
                candidates = []  # "占全村耕地面积的", "占全区奶牛存栏的": not the town's whole
            else:
                core = _core(match.group("base"))
                if len(core) >= 2 and (core, part.family) not in bases:
                    bases[(core, part.family)] = _bases(texts, core, part.family)
                candidates = bases.get((core, part.family), [])
            # the whole is larger than the part; the part itself may match the pattern too
            candidates = [c for c in candidates if c.value > part.value]
            stated = match.group("pct")
            if not candidates or any(close(part, whole, stated) for whole in candidates):
                continue
            computed = [part.value / c.value * 100 for c in candidates]
            yield finding(block, "arithmetic", "error",
                          _("{part} is {share}% of {whole}, not {stated}%")
                          .format(part=part.text, whole=candidates[0].text, stated=stated,
                                  share=one_decimal(computed[0])),
                          match.start("pct"), match.end())


# --- 分别…增长a%、b%: as many rates as items ---------------------------------------------------

_RATE = rf"{NUMBER}\s*(?:%|个百分点|百分点)"
_CHANGE = r"(?:增长|下降|提高|增加|减少|降低|上升|回落)了?"
_RESPECTIVELY = re.compile(
    rf"分别(?:(?:比|较|与|同)[^，。；;、\d%]{{0,10}}?)?\s*{_CHANGE}\s*"
    # the rates, each perhaps with its own direction: "分别增长10.2%、下降3.5%"
    rf"(?P<list>{_RATE}(?:\s*(?:[、，,]|和|及|与)\s*(?:{_CHANGE})?\s*{_RATE})*)")
# The units a figure of a 分别 list is counted by (with 万 and 亿 before any of them).
_ITEM_UNITS = (rf"{UNIT}|元|%|人次|吨|平方米|平方公里|公里|米|亩|公顷|千瓦时|床|张|辆|台|套|间|座|所|处|"
               r"条|项|件|株|棵|只|羽|批|场|次|期")
_ITEM_FIGURE = re.compile(rf"{NUMBER}\s*(?:[万亿]\s*(?:{_ITEM_UNITS})?|{_ITEM_UNITS})")
# A clause that is an item: a name and its figure, the figure and its unit ending it ("村集体经济
# 收入156万元", "接待游客36.5万人次"), not a figure in passing ("全镇12个村"). (· masks a parenthesis.)
_ITEM_CLAUSE = re.compile(rf"{NUMBER}\s*[万亿]?(?:{_ITEM_UNITS})[\s·]*$")
PARENS = re.compile(r"（[^（）]*）|\([^()]*\)")  # a parenthesis, of either width
_RATES = re.compile(_RATE)
_CLAUSES = re.compile(r"[，；,;：:]")  # what parts a sentence
_NAMES = re.compile(r"[、和及与]")  # what joins the names of a list
_COMMAS = re.compile(r"[、,，]")
_LAST_JOIN = re.compile(r"[和及与](?=[^和及与]*$)")  # the last 和, 及 or 与


def _mask_parentheses(text: str) -> str:
    return PARENS.sub(lambda m: "·" * len(m.group()), text)


def _item_lists(before: str) -> tuple[list[str], ...]:
    """The items a 分别 sentence may list before 分别, each as written: figures in a row, or names
    joined by 、和.

    Figures in a row are clauses of one figure each. Listed up to three times, when they differ:
    every such clause ("全镇12个村，…收入21350元，…收入156万元"); those that end in their figure and
    a unit (not "12个村"), since a unit the data names (万人次, 张) may be any word; and those from
    one opening with 其中 on (the parts of a whole, without the whole). Any list pairing up is enough.
    """
    segments = _CLAUSES.split(_mask_parentheses(before))
    own = segments[-1].strip()
    if own:
        figures = _ITEM_FIGURE.findall(own)
        if figures:
            return ([f.strip() for f in figures],)
        # 和 may join a list's last name, or be part of a name ("住宿和餐饮业营业额、批发和零售业
        # 销售额"): the names split at 、 alone are another reading
        readings = [[n.strip() for n in pattern.split(own) if n.strip()] for pattern in (_NAMES, _COMMAS)]
        # "…营业额、批发和零售业销售额和交通运输业收入": 和 joining the last name only
        *head, last = readings[1] or [""]
        readings.append([*head, *(n.strip() for n in _LAST_JOIN.split(last, maxsplit=1) if n.strip())])
        return _distinct([names for names in readings if len(names) >= 2])
    every: list[str] = []
    ending: list[str] = []
    parts: list[str] | None = None  # the clauses from one opening with 其中 on
    for segment in reversed(segments[:-1]):
        figures = [match.group() for match in _ITEM_FIGURE.finditer(segment)]
        if not figures:
            break
        if len(figures) > 1:  # "甲3.2万吨、乙1.5万吨，分别…": the items of the clause before
            return (figures,) if not every and len(_NAMES.split(segment)) == len(figures) else ()
        every.insert(0, figures[0])
        if len(ending) == len(every) - 1 and _ITEM_CLAUSE.search(segment):
            ending.insert(0, figures[0])
        if parts is None and segment.lstrip().startswith("其中"):
            # "总值12.5亿元，其中一产3.2亿元，二产5.1亿元，分别…": the parts; "总值12.5亿元，其中
            # 工业5.2亿元，分别…": the whole and its part
            parts = list(every)
    return _distinct([every, ending, parts or []])


def _distinct(lists: list[list[str]]) -> tuple[list[str], ...]:
    """The lists that are not empty, each once, in order."""
    return tuple(items for n, items in enumerate(lists) if items and items not in lists[:n])


def respectively(item: Prepared) -> list[Finding]:
    """"A、B、C…分别增长a%、b%": the counts of items and rates differ; the message lists the items
    it counted."""
    block, text = item.block, item.text
    if "分别" not in text:
        return []
    found: list[Finding] = []
    for match in _RESPECTIVELY.finditer(text):
        rates = len(_RATES.findall(match.group("list")))
        start_of_sentence = max(text.rfind(c, 0, match.start()) for c in "。！？!?") + 1
        lists = _item_lists(text[start_of_sentence:match.start()])
        if not lists or any(len(items) == rates for items in lists) or max(len(lists[0]), rates) < 2:
            continue
        message = _("\"分别\" pairs {items} items ({listed}) with {rates} rates").format(
            items=len(lists[0]), listed="、".join(lists[0]), rates=rates)
        found.append(finding(block, "arithmetic", "error", message, match.start(), match.end()))
    return found


def check(items: Sequence[Prepared]) -> list[Finding]:
    """Every arithmetic finding of a document."""
    found = list(shares(items))
    for item in items:
        if "分别" in item.text:
            found.extend(respectively(item))
    return found
