"""Text expressions in the data — ``{{ gdp.growth }}``, ``{{ share('a', 'b') }}`` — evaluated in a sandbox."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import jinja2

from docgen import cnformat, figures
from docgen.errors import DocgenError, ExpressionError, FigureError, Place
from docgen.i18n import _
from docgen.model import Indicator, Township
from docgen.sandbox import BoundedSandbox

INDICATOR_ATTRIBUTES = ("name", "value", "previous", "forecast", "target", "growth", "completion")


def _only_text(value: Any) -> Any:
    """What ``{{ … }}`` may write into a draft: text and numbers, never a Python value's repr.

    An undefined name passes, for StrictUndefined to report it by name.
    """
    if isinstance(value, (str, IndicatorView, jinja2.Undefined)) or (isinstance(value, (int, Decimal))
                                                    and not isinstance(value, bool)):
        return value
    raise ExpressionError(_("the expression gives {kind}, not a text or a number").format(
        kind="None" if value is None else type(value).__name__))


_ENV = BoundedSandbox(undefined=jinja2.StrictUndefined, autoescape=False,
                      keep_trailing_newline=True, finalize=_only_text)
_ENV.globals.clear()  # no range(), lipsum(), dict(), cycler(): texts need none of them


@dataclass(frozen=True)
class IndicatorView:
    """An indicator as texts see it: ``{{ gdp }}`` is its value with unit, attributes give the rest."""

    key: str
    indicator: Indicator

    def __str__(self) -> str:
        return cnformat.quantity(self.indicator.value, self.indicator.unit)

    def _field(self, name: str) -> str:
        return f"indicators.{self.key}.{name}"

    def _optional(self, name: str) -> str:
        value: Decimal | None = getattr(self.indicator, name)
        if value is None:
            raise FigureError(_("'{key}' has no {name}: add it to the data, or leave it out of "
                                "the text").format(key=self.key, name=name),
                              Place(field=self._field(name)))
        return cnformat.quantity(value, self.indicator.unit)

    @property
    def name(self) -> str:
        """The indicator's name."""
        return self.indicator.name

    @property
    def value(self) -> str:
        """The value with unit (the same as the bare name)."""
        return str(self)

    @property
    def previous(self) -> str:
        """Last year's value with unit."""
        return self._optional("previous")

    @property
    def forecast(self) -> str:
        """The forecast for the whole year with unit."""
        return self._optional("forecast")

    @property
    def target(self) -> str:
        """The year's target with unit."""
        return self._optional("target")

    @property
    def growth(self) -> str:
        """"增长6.0%" / "下降3.2%" / "持平"; for a rate, the change in 百分点."""
        return change_phrase(self.key, self.indicator)

    @property
    def completion(self) -> str:
        """The value as a percentage of the target: "108.3%"."""
        ind = self.indicator
        return cnformat.percent(figures.completion(ind.value, ind.target,
                                                   field=self._field("target")))


def change_phrase(key: str, indicator: Indicator) -> str:
    """The change over last year as text, in % for amounts and in 百分点 for rates."""
    field = f"indicators.{key}.previous"
    if indicator.is_rate:
        return cnformat.points_phrase(
            figures.points_change(indicator.value, indicator.previous, field=field))
    return cnformat.growth_phrase(figures.growth(indicator.value, indicator.previous, field=field))


def namespace(township: Township) -> dict[str, Any]:
    """The names a text expression can use."""
    names: dict[str, Any] = {key: IndicatorView(key, ind)
                             for key, ind in township.indicators.items()}
    names.update(year=township.year, next_year=township.next_year, town=township.town,
                 share=_share_function(township.indicators))
    if township.superior is not None:
        names["superior"] = township.superior
    return names


def _share_function(indicators: Mapping[str, Indicator]) -> Any:
    def share(part: str, whole: str) -> str:
        for key in (part, whole):
            if not isinstance(key, str):
                raise FigureError(_("share() takes two indicator keys in quotes: "
                                    "share('cotton_area', 'farmland')"))
            if key not in indicators:
                raise FigureError(_("share(): there is no indicator '{key}'").format(key=key))
        a, b = indicators[part], indicators[whole]
        if a.unit != b.unit:
            raise FigureError(_("share(): '{a}' is in {ua} and '{b}' in {ub}; a share needs one "
                                "unit").format(a=part, ua=a.unit, b=whole, ub=b.unit))
        return cnformat.percent(figures.share(a.value, b.value, field=f"indicators.{whole}.value"))
    return share


# ``{{ … }}`` in a text; anything else Jinja reads makes the text a template of its own.
_OUTPUT = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_OTHER_SYNTAX = ("{%", "{#", "\r")  # statements, comments, newlines Jinja would normalise


def _pieces(text: str) -> list[str | jinja2.Template] | None:
    """``text`` as its literal parts and its ``{{ … }}`` outputs, each output compiled on its own;
    None when it needs compiling whole (statements, comments, whitespace control, an error).

    Compiling a text costs about a millisecond and every town's texts are its own, while a
    county's towns write the same few expressions (``{{ gdp.growth }}``): those are compiled once
    a process. Rendering the pieces gives what rendering the whole text gives.
    """
    if any(mark in text for mark in _OTHER_SYNTAX):
        return None
    pieces: list[str | jinja2.Template] = []
    end = 0
    for match in _OUTPUT.finditer(text):
        expression = match.group(1)
        if expression.startswith(("-", "+")) or expression.endswith(("-", "+")):
            return None
        pieces.append(text[end:match.start()])
        try:
            pieces.append(_compile_output(expression))
        except jinja2.TemplateSyntaxError:
            return None  # compiled whole, the error names what is wrong in the text
        end = match.end()
    pieces.append(text[end:])
    if any("{{" in piece for piece in pieces if isinstance(piece, str)):
        return None
    return pieces


@lru_cache(maxsize=1024)
def _compile_output(expression: str) -> jinja2.Template:
    return _ENV.from_string("{{" + expression + "}}")


def _render(text: str, names: Mapping[str, Any]) -> str:
    pieces = _pieces(text)
    if pieces is None:
        return _ENV.from_string(text).render(names)
    return "".join(p if isinstance(p, str) else p.render(names) for p in pieces)


# "比上年增长{{ gdp.growth }}" writes "增长下降6.1%"; "{{ gdp }}万元" writes "1.45亿元万元"
_WORD_BEFORE_GROWTH = re.compile(r"(?P<word>增长|增加|提高|上升|下降|减少|降低)了?\s*"
                                 r"\{\{\s*(?P<expr>[A-Za-z_]\w*\.growth)\s*\}\}")
_UNIT_AFTER_VALUE = re.compile(r"\{\{\s*(?P<expr>(?P<key>[A-Za-z_]\w*)"
                               r"(?:\.(?:value|previous|forecast|target))?)\s*\}\}\s*(?P<unit>[万亿]?元|[万]?亩|[万]?头|[万]?吨|[万]?人次|公斤|平方米|公里|%)")


# what each holds, found at the speed of a scan for one character: most texts hold neither
_WORD_HINT = re.compile(r"[长加高升降少低]了?\s*\{\{")
_UNIT_HINT = re.compile(r"\}\}\s*[万亿元亩头吨人公平%]")


def _said_twice(text: str, names: Mapping[str, Any], place: Place) -> None:
    """An `ExpressionError` for a word the expression beside it writes itself."""
    found = _WORD_BEFORE_GROWTH.search(text) if _WORD_HINT.search(text) else None
    if found is not None:
        raise ExpressionError(_("'{{{{ {expr} }}}}' writes 增长 or 下降 itself: remove the \"{word}\" "
                                "before it").format(expr=found.group("expr"), word=found.group("word")),
                              place)
    for found in _UNIT_AFTER_VALUE.finditer(text) if _UNIT_HINT.search(text) else ():
        view = names.get(found.group("key"))
        if isinstance(view, IndicatorView) and view.indicator.unit:
            attribute = found.group("expr").partition(".")[2] or "value"
            written = getattr(view.indicator, attribute)
            example = cnformat.quantity(written if written is not None else view.indicator.value,
                                        view.indicator.unit)
            raise ExpressionError(_("'{{{{ {expr} }}}}' writes its unit itself ({example}): remove the "
                                    "\"{unit}\" after it").format(expr=found.group("expr"), example=example,
                                                                   unit=found.group("unit")), place)


def evaluate(text: str, names: Mapping[str, Any], place: Place) -> str:
    """Evaluate the expressions in ``text``; any problem is an `ExpressionError` at ``place``."""
    if "{" not in text:
        return text
    _said_twice(text, names, place)
    try:
        return _render(text, names)
    except jinja2.TemplateSyntaxError as exc:
        raise ExpressionError(_("expression syntax error: {reason}").format(reason=exc.message),
                              place) from None
    except jinja2.UndefinedError as exc:
        raise ExpressionError(_undefined_message(str(exc.message), names), place) from None
    except jinja2.exceptions.SecurityError as exc:
        raise ExpressionError(_("unsafe expression refused: {reason}").format(reason=exc),
                              place) from None
    except (FigureError, ExpressionError) as exc:
        where = f" ({exc.place.field})" if exc.place.field else ""
        raise ExpressionError(f"{exc.message}{where}", place) from None
    except TypeError as exc:
        if "share()" in str(exc):
            raise ExpressionError(_("share() takes two indicator keys in quotes: "
                                    "share('cotton_area', 'farmland')"), place) from None
        raise ExpressionError(_("the expression failed: {reason}").format(reason=exc),
                              place) from None
    except DocgenError:
        raise
    except Exception as exc:  # a text can call share() wrongly, divide by zero, …
        raise ExpressionError(_("the expression failed: {reason}").format(reason=exc),
                              place) from None


def _undefined_message(message: str, names: Mapping[str, Any]) -> str:
    if "unsafe" in message:
        return _("unsafe expression refused: {reason}").format(reason=message)
    name = message.split("'")[1] if message.count("'") >= 2 else message
    if message.endswith("is undefined") and name == "superior":
        return _("'superior' is used in the text but not set in the data: add superior: …")
    if message.endswith("is undefined"):
        close = difflib.get_close_matches(name, list(names), n=1)
        hint = _(" (did you mean '{close}'?)").format(close=close[0]) if close else ""
        return _("unknown name '{name}'{hint}; known names: {known}").format(
            name=name, hint=hint, known=", ".join(sorted(names)))
    attribute = message.rsplit("'", 2)[-2] if message.count("'") >= 2 else message
    if "IndicatorView" in message:
        return _("an indicator has no attribute '{name}'; use one of: {known}").format(
            name=attribute, known=", ".join(INDICATOR_ATTRIBUTES))
    return _("unknown attribute: {reason}").format(reason=message)
