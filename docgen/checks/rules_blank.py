"""The blank where a number belongs: a verb of quantity or a figure's name right before its unit.

Every blank ends in a unit, and most text holds few units: each pattern runs only on text holding the
first character of one of the units its matches end with.
"""

from __future__ import annotations

import re

from docgen.checks.lexicon import finditer, scan
from docgen.checks.model import Block, Finding, finding
from docgen.checks.prepared import Prepared
from docgen.i18n import _

# Verbs and prepositions of quantity; those that take 了 ("达到了") list it.
_VERBS = ("达到了?|可达|高达|达|实现了?|完成了?|增长了?|增加了?|减少了?|下降了?|提高了?|降低了?"
          "|新增了?|净增|存栏|出栏|投入了?|投资|共计|合计|累计|总计|共有|共|约|接近|近|为|超过|突破|到")
# Units that cannot start another word: a verb right before them has lost its number.
_STRONG_UNITS = "个百分点|百分点|平方公里|平方米|立方米|公斤|千克|公里|千米|公顷|人次|%"
# Single-character units that also start ordinary words (人民, 元旦, 个体): a blank only when
# the unit ends the phrase.
_WEAK_UNITS = "元|亩|斤|吨|头|只|羽|人|名|户|个|家|所|座|眼|米|株|棵|台|辆|项|套|间|条|次|件|篇|场|批"
_END = r"(?=$|[\s，。；、,.;：:！!？?（）()]|以上|以下|左右|之多|多|余|的)"
# Words that may stand between the verb and its figure: "投入资金120万元", "新增就业320人".
_GAP_NOUNS = "资金|投资|就业|税收|税金|贷款|补贴|党员|岗位|项目|农户|耕地|面积|造林|绿化"
# Names of figures that come right before the figure: "人均纯收入3217元", "面积3000亩".
_FIGURE_NOUNS = ("纯收入|收入|产值|总值|增加值|税金|产量|总产|亩产|单产|效益|利润|总额|金额|资金|经费|收益"
                 "|面积|成本|费用|目标|任务|信贷|贷款|补助|补贴")
_FIGURE_UNITS = "元|公斤|千克|斤|吨|亩|%"  # and 万/亿 with 元, 亩 or 吨
_AFTER_VERB = (rf"\s*(?:(?P<mag>[万亿])(?P<munit>{_STRONG_UNITS}|{_WEAK_UNITS})"
               rf"|(?P<strong>{_STRONG_UNITS})|(?P<weak>{_WEAK_UNITS}){_END})")
_NOT_A_COUNT = "[^0-9零〇一二三四五六七八九十百千万亿两几数余多，。；、,.;：:（）()\\s]"


def _first_characters(units: str) -> frozenset[str]:
    return frozenset(unit[0] for unit in units.split("|"))


# A word followed by spaces (where a blank with spaces left for the figure starts); tried only on
# text holding a space.
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff])[\u4e00-\u9fff](?= )")
# Each pattern with the first characters of the units its matches end with, and, for a pattern the regex
# engine would try at every character, where its matches can start (for lexicon.scan).
_BLANKS: tuple[tuple[frozenset[str], re.Pattern[str], re.Pattern[str] | None], ...] = (
    (_first_characters(f"{_STRONG_UNITS}|{_WEAK_UNITS}"),
     re.compile(rf"(?P<verb>{_VERBS})(?P<noun>{_GAP_NOUNS})?{_AFTER_VERB}"), None),
    (_first_characters(_FIGURE_UNITS),
     re.compile(rf"(?P<verb>{_FIGURE_NOUNS})\s*(?:(?P<mag>[万亿])(?P<munit>元|亩|吨)"
                rf"|(?P<weak>{_FIGURE_UNITS}){_END})"), None),
    # money given or saved: "每头增值元", "户均增收万元"
    (_first_characters("元"),
     re.compile(rf"(?P<verb>增收|增值|补助|奖励|奖补|节约|节省|节支)\s*(?:(?P<mag>[万亿])(?P<munit>元)"
                rf"|(?P<weak>元){_END})"), None),
    # people counted: "外出务工人员人，", "培训棉农人次。"
    (_first_characters("人次|人|名"),
     re.compile(rf"(?P<verb>人员|劳动力|群众|党员|干部|学生|职工|农民|游客|就业|务工|人口)\s*"
                rf"(?:(?P<mag>万)(?P<munit>人次|人)|(?P<weak>人次|人|名){_END})"),
     None),
    # works built, counted with no count: "新建蔬菜大棚座", "打机井眼"
    # (not 处: "在村口桥梁处" is a place)
    (_first_characters("座|眼|栋"),
     re.compile(rf"(?P<verb>大棚|温室|机井|水井|塘坝|水窖|泵站|桥梁|蓄水池|厂房|公厕|厕所)\s*"
                rf"(?P<weak>座|眼|栋){_END}"), None),
    (_first_characters("人次|名"),
     re.compile(rf"(?P<verb>培训|接待|安置|慰问|走访|救助|资助){_NOT_A_COUNT}{{0,6}}?(?P<weak>人次|名){_END}"),
     None),
    # spaces left for a figure between a word and its unit: "引进项目 个", "总产    吨"
    (_first_characters(f"{_STRONG_UNITS}|{_WEAK_UNITS}"),
     # after two characters, and ending the phrase: not text spaced out ("青 山 镇 人 民 政 府",
     # "姓  名", "单位 名称")
     re.compile(rf"(?<=[\u4e00-\u9fff])(?P<verb>[\u4e00-\u9fff]) +(?:(?P<mag>[万亿])(?P<munit>元|亩|吨)"
                rf"|(?P<strong>{_STRONG_UNITS})|(?P<weak>{_WEAK_UNITS}))(?=$|[，。；、,.;：:！!？?）)])"),
     _SPACED),
    # an area with no figure: "种植棉花亩，", "改造中低产田亩、"
    (_first_characters("亩"),
     re.compile(rf"(?P<verb>(?![每按以万亿千百十几余多数半单各平零〇一二三四五六七八九两准])[\u4e00-\u9fff])"
                rf"(?P<weak>亩){_END}"),
     re.compile(r"[\u4e00-\u9fff](?=亩)")),
)
# Pairs that are words, not blanks: 平易近人, 达人, 为人民, 以…为名, 以厂为家, 投资人, 落实到人,
# 精准到户, 服务到家, 及时到场, 实现人、财、物统一调配, 落实到亩.
_NOT_BLANK = {"近": {"人"}, "达": {"人"}, "为": {"人", "名", "家"}, "投资": {"人"}, "投入": {"人"},
              "实现": {"人"},  # 实现人、财、物统一调配
              "到": {"人", "户", "家", "场", "头", "次", "所", "项", "件", "村", "个", "名", "条", "间"}}
# 到 with a unit after these is a precision, not a lost figure: 落实到亩, 精确到米 (but 扩大到亩 is)
_PRECISELY = ("落实", "精确", "精准", "细化", "具体", "明确", "量化", "分解", "责任", "核实", "核定",
              "登记", "统计", "丈量", "测量", "确权")
_NAMED_WITH = re.compile(r"[、和与及]|同比|分别|比上年|比去年|较上年|较去年")
_PRECISE_UNITS = {"亩", "米", "元", "棵", "株", "户", "人"}
# "%" or 个百分点 with neither a number nor a table heading's "（%）" or "单位：%" before it.
_RATE_UNITS = "个百分点|百分点|%"
# (?<!\{)% written after the %: every alternative starts with its own character, which the regex
# engine finds fast.
_BARE_RATE = re.compile(r"个百分点|百分点|%(?<!\{%)(?!\})")  # not the % of a {% tag %}
_BEFORE_A_RATE = re.compile(r"[\d.零〇一二三四五六七八九十两几多数半干A-Za-z}：:（(/个]$")  # 干: 若干
# A list of units: "（单位：万元、%）", "单位：万元，%".
_UNIT_LIST = re.compile(r"单位\s*(?:[:：]|为|是)[^。；;：:\d]{0,24}$")  # "增速单位为%" too
# A table's heading cell names a rate with no number: "增长%", "同比±%", "占比%".
_HEADING_CELL = re.compile(r"[^\d]{1,12}")
_HEADING_BEFORE_A_RATE = re.compile(r"[\u4e00-\u9fff±]$")
_RATE_AT_END = re.compile(r"(?:个百分点|百分点|%)\s*$")
# The unit itself named, no figure due: "注：城镇化率的增减为百分点", "以百分点计", "用百分点表示"
_NAMED_UNIT = re.compile(r"(?:增减|变化|变动|增幅|单位|差值)[^，。；,;]{0,6}?(?:为|是|以|用)\s*$")
_NOTE_START = re.compile(r"\s*(?:注|说明|备注)\s*[:：]")
_UNIT_USED = re.compile(r"\s*(?:计|表示|衡量|为单位)")
# 万/亿 with no number before them: "可达万头". "近万元", "突破亿元大关", "出栏万头的养猪场",
# "亿元以上企业" are idioms; after 达 ("参与群众达万人") it may be one, so only a warning.
_IDIOMATIC = {"近", "接近", "超过", "突破", "共有", "存栏", "出栏"}
# (亿元项目, 万元GDP能耗 too)
_IDIOM_AFTER = re.compile(r"以上|余|多|左右|大关|户|村|级|企业|工程|项目|GDP|生产总值|增加值")
_MAYBE = {"达", "达到", "可达", "高达"}
_PUNCTUATION_OR_END = re.compile(r"$|[\s，。；、,.;：:！!？?（）()]")

# Livestock counted with no count: "年生产优良品种仔猪头的".
_LIVESTOCK_UNITS = "头|只|羽|匹"
_LIVESTOCK = re.compile(
    r"(?:年产|生产|养殖|饲养|繁育|出栏|存栏|引进|新增|销售)"
    r"[^0-9零〇一二三四五六七八九十百千万亿两几数余多，。；、,.;：:（）()\s]{0,8}?"
    r"(?P<animal>[仔母肉奶蛋]?[猪牛羊鸡鸭鹅兔驴马])"
    # 猪只, 牛只, 羊只 are words for the animals ("存栏猪只、牛只口蹄疫免疫"): 只 is a blank's unit
    # only where the phrase ends
    r"(?P<unit>只(?=$|[\s，。；,.;！!？?]|以上|左右)|[头羽](?![数均部骨肉像])|(?<!马)匹)")  # 马匹: horses
_ANIMAL_COUNTED = re.compile(rf"[猪牛羊鸡鸭鹅兔驴马](?:{_LIVESTOCK_UNITS})")

_RATE_START = _first_characters(_RATE_UNITS)
_LIVESTOCK_START = _first_characters(_LIVESTOCK_UNITS)
_UNIT_START = re.compile("[" + re.escape("".join(sorted(
    frozenset.union(_RATE_START, _LIVESTOCK_START, *(starts for starts, _pattern, _at in _BLANKS))))) + "]")


def blank_numbers(item: Prepared) -> list[Finding]:
    """A verb of quantity or a figure's name right before its unit, with no number between."""
    block, text = item.block, item.text
    units = set(_UNIT_START.findall(text))
    if not units:
        return []
    found: list[Finding] = []
    ends: set[int] = set()
    if _heading_cell(block, text):  # "增长%": the rate named, its figures in the cells below
        ends.add(len(text.rstrip()))
    for unit_starts, pattern, starts in _BLANKS:
        if units.isdisjoint(unit_starts) or (starts is _SPACED and " " not in text):
            continue
        for match in finditer(pattern, text) if starts is None else scan(pattern, starts, text):
            if match.end() in ends:
                continue
            blank = _blank(block, match, text)
            if blank is not None and match.end() not in ends:
                ends.add(match.end())
                found.append(blank)
    if not units.isdisjoint(_RATE_START):
        found.extend(_bare_rates(block, text, ends))
    if not units.isdisjoint(_LIVESTOCK_START) and _ANIMAL_COUNTED.search(text):
        found.extend(finding(block, "blank-number", "error",
                             _("a number is missing before \"{unit}\"").format(unit=match.group("unit")),
                             match.start("animal"), match.end())
                     for match in _LIVESTOCK.finditer(text))
    return found


def _named(text: str, at: int) -> bool:
    """Whether the words before ``at`` name an indicator rather than lose its figure: a change
    follows ("游客人次同比增长"), or another name ("游客人次、旅游综合收入较上年大幅增长"). (A blank
    followed by 、 is missed so: "接待游客人次、实现…".)"""
    return bool(_NAMED_WITH.match(text, at))


def _heading_cell(block: Block, text: str) -> bool:
    """Whether ``text`` is a table cell heading a column of rates: a few words and no figure, ending
    in "%" or 百分点 right after a word ("增长%", "同比±%", "提高百分点")."""
    if block.cell is None or not _HEADING_CELL.fullmatch(text):
        return False
    rate = _RATE_AT_END.search(text)
    return rate is not None and bool(_HEADING_BEFORE_A_RATE.match(text, rate.start() - 1, rate.start()))


def _blank(block: Block, match: re.Match[str], text: str) -> Finding | None:
    groups = match.groupdict()
    verb = match.group("verb").rstrip("了")
    noun = groups.get("noun")
    if groups.get("mag"):
        unit = match.group("mag") + match.group("munit")
        after = text[match.end():]
        if (verb in _IDIOMATIC and not noun) or _IDIOM_AFTER.match(after):
            return None
        certain = verb not in _MAYBE and bool(_PUNCTUATION_OR_END.match(after))
        message = (_("a number is missing before \"{unit}\"") if certain else
                   _("a number may be missing before \"{unit}\"")).format(unit=unit)
        return finding(block, "blank-number", "error" if certain else "warning", message,
                       match.start(), match.end())
    unit = groups.get("strong") or groups["weak"]
    if not noun and unit in _NOT_BLANK.get(verb, ()):
        return None
    if _unit_named(text, unit, match.end() - len(unit), match.end()):
        return None
    if unit == "人次" and _named(text, match.end()):
        return None  # "接待游客人次、旅游综合收入分别增长…": an indicator named by its unit
    if verb == "到" and unit in _PRECISE_UNITS and text.endswith(_PRECISELY, 0, match.start()):
        return None
    return finding(block, "blank-number", "error",
                   _("a number is missing before \"{unit}\"").format(unit=unit),
                   match.start(), match.end())


def _unit_named(text: str, unit: str, at: int, end: int) -> bool:
    """Whether the rate unit at ``at``:``end`` is named as a unit, no figure due: in a list of units
    ("单位：万元、%", "增速单位为%"), or 百分点 said to be the unit in a note or with 计/表示 after it
    ("注：城镇化率的增减为百分点", "以百分点计"; not "增幅为个百分点" nor "增幅是百分点", blanks)."""
    if _UNIT_LIST.search(text, max(0, at - 30), at):
        return True
    if unit != "百分点":
        return False
    return _UNIT_USED.match(text, end) is not None or (
        _NOTE_START.match(text) is not None and _NAMED_UNIT.search(text, max(0, at - 16), at) is not None)


def _bare_rates(block: Block, text: str, ends: set[int]) -> list[Finding]:
    """"%" or 个百分点 with no number before it (nor the "（%）" of a table heading, a list of units
    "单位：万元、%", or a heading cell "增长%"), and no blank found there already."""
    found: list[Finding] = []
    for match in finditer(_BARE_RATE, text):
        before = match.start()  # the end of the text before it, spaces left out
        while before and text[before - 1].isspace():
            before -= 1
        if before and not _BEFORE_A_RATE.match(text, before - 1, before) and match.end() not in ends \
                and not _unit_named(text, match.group(), before, match.end()):
            ends.add(match.end())
            start = before - 1 if text[before - 1] in "的、，,和与及到在至+-—～~" else match.start()
            found.append(finding(block, "blank-number", "error",
                                 _("a number is missing before \"{unit}\"").format(unit=match.group()),
                                 start, match.end()))
    return found
