"""Loading a data file: YAML with line numbers, refused duplicate keys, and validation errors with places."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from docgen.errors import DataError, DataErrors, Place, Problem
from docgen.i18n import _
from docgen.model import Indicator, Section, Township

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# the space YAML puts where it joins a text's lines, beside a Chinese character or mark, unless
# a Latin letter stands on the other side ("达到 1.45亿元", "， “四议两公开”", not "亿元 and")
_FOLDED_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) (?![A-Za-z])|(?<![A-Za-z]) (?=[{_CJK}])")
_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_DECIMAL = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?$|^[-+]?\.[0-9]+$|"
                            r"^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")
# The C loader is ~7× faster; fall back to the pure-Python one where PyYAML was built without it.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KNOWN_FIELDS = sorted({*Township.model_fields, *Indicator.model_fields, *Section.model_fields})


def field_path(loc: Loc) -> str:
    """A field's path as a user reads it: ``review[0].paragraphs[1]``, ``indicators.gdp.value``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class DataFile:
    """A validated township with where it came from, so later errors can name the line."""

    township: Township
    path: Path
    lines: Mapping[Loc, int] = field(default_factory=dict)

    def place(self, loc: Loc) -> Place:
        """The place of the field at ``loc``: this file, its line, its path."""
        return Place(self.path, line_of(self.lines, loc), field_path(loc) or None)


def line_of(lines: Mapping[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, or of its nearest ancestor the file has (for a missing field)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def read_yaml(path: Path, text: str | None = None) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML text into plain data and a map from each field's location to its line.

    Two equal keys in one mapping are an error naming both lines (PyYAML would keep the last).
    """
    if text is None:
        text = read_text(path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Loc, int] = {}
        data = _build(loader, node, (), lines, path) if node is not None else None
        if node is not None and _COMMENT_IN_TEXT.search(text):
            _refuse_cut_texts(node, text.splitlines(), path, lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # LibYAML's words, in the user's language where the catalog has them (`YAML_WORDS`)
        words = [_(str(p)) for p in (exc.context, exc.problem) if p]
        reason = _("{context} {problem}").format(context=words[0], problem=words[1]) \
            if len(words) == 2 else "".join(words)
        if _unquoted_braces(text, exc):
            reason += " " + _("(a text that starts with {{ must be in quotes: \"{{ … }}…\")")
        hints = _keyboard_hints(text, mark.line if mark else None)
        reason += "".join(f" ({hint})" for _line, hint in hints)
        # the line a hint names, where the slip is (YAML stumbles on the line after it): the error's
        # own line when a hint names it
        at = mark.line + 1 if mark else None
        named = [n for n, _hint in hints]
        line = at if at in named else named[0] if named else at
        raise DataError(_("YAML syntax error: {reason}").format(reason=reason), Place(path, line)) from None
    except yaml.YAMLError as exc:
        raise DataError(_("YAML syntax error: {reason}").format(reason=exc), Place(path)) from None
    finally:
        loader.dispose()
    return data, lines


# "- 新打机井10眼 #2号井已投用，…": YAML ends a plain text at " #", and the rest is a comment; a
# comment proper has a space after its # ("value: 15600  # 万元").
_COMMENT_IN_TEXT = re.compile(r"#(?<=[ \t]#)[^\s#]")  # starting at "#": a file is mostly spaces
_CUT = re.compile(r"[ \t]+#(?P<rest>[^\s#].*)")
_TEXTS = ("intro", "review", "achievements", "problems", "outlook")  # the fields of sentences


def _refuse_cut_texts(node: yaml.Node, lines: list[str], path: Path, fields: dict[Loc, int]) -> None:
    """A `DataError` for a text cut short by a " #" YAML took for the start of a comment."""
    where = {line: loc for loc, line in fields.items()}  # a line's field, for the message
    nodes = [node]
    while nodes:
        item = nodes.pop()
        if isinstance(item, yaml.MappingNode):
            nodes.extend(value for _key, value in item.value)
        elif isinstance(item, yaml.SequenceNode):
            nodes.extend(item.value)
        elif isinstance(item, yaml.ScalarNode) and not item.style and item.tag == _STR_TAG:
            end = item.end_mark
            cut = _CUT.match(lines[end.line], end.column) if end.line < len(lines) else None
            loc = where.get(item.start_mark.line + 1) if cut is not None else None
            # in a text of the summary: after a short value ("superior: 滨河区 #区名") it is a comment
            if cut is not None and loc and loc[0] in _TEXTS:
                raise DataError(_(
                    "the text ends at \" #\": YAML reads \"#{rest}\" as a comment and leaves it out; put "
                    "the whole text in quotes, or write ＃").format(rest=cut.group("rest").strip()),
                    Place(path, end.line + 1, field_path(loc) if loc else None))


def _keyboard_hints(text: str, line: int | None) -> list[tuple[int, str]]:
    """Hints for the slips a Chinese keyboard makes in YAML, near the line of a syntax error: each
    with the line it is about."""
    if line is None:
        return []
    lines = text.splitlines()
    hints: dict[str, int] = {}
    for number in range(max(line - 1, 0), min(line + 1, len(lines))):
        content = lines[number]
        n = number + 1
        if _FULL_WIDTH_KEY.match(content):  # "town：沽东镇"; not a list's text "- 一是：…"
            hints[_("line {n} has a full-width colon '：' where YAML needs ': '").format(n=n)] = n
        if content.startswith(("\t", "　")) or "\t" in content[:len(content) - len(content.lstrip())]:
            hints[_("line {n} is indented with a tab or a full-width space; indent with "
                    "spaces").format(n=n)] = n
        if _KEY_WITHOUT_SPACE.match(content):
            hints[_("line {n} needs a space after the ':' (key: value)").format(n=n)] = n
        value = content.split(": ", 1)[-1].strip() if ": " in content else \
            content.strip()[2:].strip() if content.strip().startswith("- ") else ""
        if value.startswith(("%", "@", "`", "*", "&", "!")):
            hints[_("on line {n} the value {value} must be in quotes: \"{value}\"")
                  .format(n=n, value=value)] = n
        elif _QUOTE_INSIDE.match(value):
            hints[_("on line {n} the text in quotes holds a \" of its own: write Chinese quotes “ ” "
                    "inside it, or put the whole text in single quotes '…'").format(n=n)] = n
        previous = lines[number - 1] if number else ""
        if previous.strip().startswith("- ") and content.strip() and \
                not content.strip().startswith(("- ", "#")) and ":" not in content and \
                "\t" not in content + previous and \
                len(content) - len(content.lstrip()) <= len(previous) - len(previous.lstrip()):
            hints[_("line {n} is a text among the list's lines without the '- ' that starts each")
                  .format(n=n)] = n
    return [(n, hint) for hint, n in hints.items()]


_FULL_WIDTH_KEY = re.compile(r"\s*(?:-\s+)?[A-Za-z_]\w*\s*：")
_KEY_WITHOUT_SPACE = re.compile(r"\s*(?:-\s+)?[A-Za-z_]\w*:[^\s/]")  # "value:15600", not "http://"
_QUOTE_INSIDE = re.compile(r'"[^"]*"\s*[^\s#,\]}]')  # '"注册"沽东"商标"': the text goes on after its quote


def _unquoted_braces(text: str, exc: yaml.MarkedYAMLError) -> bool:
    """Whether the error comes from a value starting with ``{{`` (YAML reads it as a mapping)."""
    lines = text.splitlines()
    marks = (m for m in (exc.context_mark, exc.problem_mark) if m is not None)
    for mark in marks:
        for line in lines[max(mark.line - 1, 0):mark.line + 1]:
            value = line.split(": ", 1)[-1].lstrip(" -")
            if value.startswith("{{"):
                return True
    return False


def _build(loader: yaml.SafeLoader, node: yaml.Node, loc: Loc, lines: dict[Loc, int],
           path: Path) -> Any:
    lines[loc] = node.start_mark.line + 1
    if len(loc) > _DEEPEST:
        raise DataError(_("nested more than {n} levels deep: no field of a data file is")
                        .format(n=_DEEPEST), Place(path, node.start_mark.line + 1,
                                                   field_path(loc[:3]) + "…"))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR_TAG \
                else loader.construct_object(key_node)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise DataError(_("a key must be a name, not {key!r}").format(key=key),
                                Place(path, key_line, field_path(loc) or None))
            if key in first_line:
                raise DataError(
                    _("the key '{key}' appears twice (lines {first} and {second}); keep one")
                    .format(key=key, first=first_line[key], second=key_line),
                    Place(path, key_line, field_path((*loc, key))))
            first_line[key] = key_line
            result[key] = _build(loader, value_node, (*loc, key), lines, path)
            lines[(*loc, key)] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*loc, i), lines, path) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG and node.style != ">" and \
            (node.style == "|" or node.start_mark.line == node.end_mark.line):
        return node.value  # what SafeConstructor gives for a string, without its dispatch
    if node.tag in (_INT_TAG, _FLOAT_TAG) and not _PLAIN_DECIMAL.match(str(node.value)):
        # YAML 1.1 reads 010 as octal 8, 1:30 as 90 and 0x10 as 16: never what a secretary meant.
        raise DataError(_("'{raw}' is not a plain number: write it without a leading 0, ':', '_' "
                          "or '0x' (e.g. 10), or in quotes if it is text").format(raw=node.value),
                        Place(path, node.start_mark.line + 1, field_path(loc) or None))
    try:
        value = loader.construct_object(node)
    except ValueError as exc:  # 2024-02-30: a date that does not exist
        raise DataError(_("'{raw}' cannot be read: {reason}").format(raw=node.value, reason=_(str(exc))),
                        Place(path, node.start_mark.line + 1, field_path(loc) or None)) from None
    if isinstance(value, str) and getattr(node, "style", None) != "|":
        # A text over several lines (a > block, or a plain or quoted one) has them joined with a
        # space, right for English and wrong between Chinese characters.
        value = _FOLDED_CJK_SPACE.sub("", value)
    return value


#: What LibYAML says of the syntax errors a data file commonly has, and Python of a date that does not
#: exist (2024-02-30); the catalog translates them.
YAML_WORDS = (
    "mapping values are not allowed in this context", "while scanning a simple key",
    "could not find expected ':'", "while scanning for the next token",
    "found character that cannot start any token", "while scanning a quoted scalar",
    "found unexpected end of stream", "while parsing a block mapping", "did not find expected key",
    "while parsing a flow sequence", "did not find expected ',' or ']'", "while parsing a flow mapping",
    "did not find expected ',' or '}'", "while parsing a block collection",
    "did not find expected '-' indicator", "while parsing a quoted scalar",
    "found unknown escape character", "found undefined alias", "day is out of range for month",
    "month must be in 1..12", "while scanning a plain scalar",
    "found a tab character that violates indentation", "while scanning a block scalar",
    "found a tab character where an indentation space is expected", "while scanning an alias",
    "while scanning an anchor", "did not find expected alphabetic or numeric character")

_DEEPEST = 32  # levels of nesting: the model's deepest field is 4 down; Python's stack is not endless


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a BOM is allowed), or fail with a message naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(_("no such file"), Place(path)) from None
    except IsADirectoryError:
        raise DataError(_("this is a folder, not a data file"), Place(path)) from None
    except UnicodeDecodeError as exc:
        raw = path.read_bytes()
        if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # a zip (.docx, .xlsx), an old .doc/.xls
            raise DataError(_("this is a Word or Excel file, not a data file: give the town's .yaml "
                              "file (a statistics workbook goes to docgen batch, with the .yaml "
                              "files)"), Place(path)) from None
        line = raw[:exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            reason = _("the file is not UTF-8 text; save it as UTF-8")
        else:  # what Notepad or WPS save as "ANSI" on a Chinese Windows
            reason = _("the file is in GBK (ANSI) encoding; save it as UTF-8 (in Notepad: "
                       "File > Save As > Encoding: UTF-8)")
        raise DataError(reason, Place(path, line)) from None
    except OSError as exc:
        raise DataError(_("cannot read the file: {reason}").format(reason=exc.strerror),
                        Place(path)) from None


# A top-level ``town:`` or ``year:`` line (column 0), its value and an optional comment.
_TOP_FIELD = re.compile(r"^(town|year)[ \t]*:(?:[ \t]+(.*?))?(?:[ \t]+#.*)?[ \t]*$", re.MULTILINE)
# A value that YAML reads as this very text: plain with a non-ASCII character (no YAML 1.1 number,
# date or true/false has one) and none of YAML's indicators, or quoted without escapes.
_PLAIN_NAME = re.compile(r"[^\x00-\x20\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#\[\]{},]*[^\s:#\[\]{},])?")
_QUOTED_NAME = re.compile(r"'([^'\n]+)'|\"([^\"\\\n]+)\"")
_PLAIN_YEAR = re.compile(r"[1-9][0-9]{3}")
_CONTINUED = re.compile(r"\n(?:[ \t]*\n)*[ \t]+[^\s#]")  # an indented line after: the value goes on


def peek(path: Path) -> tuple[str, int] | None:
    """The town and year of a data file from its top-level lines, without parsing the file.

    A batch names every town's output this way before any is rendered, so that two files
    claiming one town are found up front at a small cost; the workers parse and validate. None
    when either is not written plainly (once, as a simple value): the file must then be loaded.
    Raises `DataError` when the file cannot be read as UTF-8 text.
    """
    text = read_text(path)
    found: dict[str, list[str | None]] = {}
    for match in _top_fields(text):
        continued = _CONTINUED.match(text, match.end()) is not None  # a value on more lines
        found.setdefault(match.group(1), []).append(None if continued else match.group(2) or "")
    towns, years = found.get("town", []), found.get("year", [])
    if len(towns) != 1 or len(years) != 1 or towns[0] is None or years[0] is None or \
            not _PLAIN_YEAR.fullmatch(years[0]):
        return None
    quoted = _QUOTED_NAME.fullmatch(towns[0])
    if quoted:
        town = (quoted.group(1) or quoted.group(2)).strip()
    elif _PLAIN_NAME.fullmatch(towns[0]) and not towns[0].isascii() and \
            towns[0] == towns[0].strip():  # no full-width or no-break space to strip: pydantic would
        town = towns[0]
    else:
        return None
    return (town, int(years[0])) if town else None


def _top_fields(text: str) -> Iterator[re.Match[str]]:
    """`_TOP_FIELD`'s matches in ``text``: its lines that start with ``town`` or ``year`` found by
    `str.find`, several times as fast as the pattern trying every position of a long file."""
    for name in ("town", "year"):
        at = 0 if text.startswith(name) else text.find("\n" + name) + 1 or -1
        while at >= 0:
            match = _TOP_FIELD.match(text, at)
            if match:
                yield match
            found = text.find("\n" + name, at)
            at = found + 1 if found >= 0 else -1


def load(path: Path | str, text: str | None = None) -> DataFile:
    """Load and validate one township's data file.

    Raises `DataErrors` listing every problem with its line and field path.
    """
    path = Path(path)
    data, lines = read_yaml(path, text)
    if data is None:
        raise DataError(_("the file is empty: it needs the fields town, year, review, problems "
                          "and outlook"), Place(path))
    if not isinstance(data, dict):
        kind = _("a list") if isinstance(data, list) else _("a single value")
        raise DataError(_("the file must be a mapping of fields (town: …, year: …), not {kind}")
                        .format(kind=kind), Place(path, 1))
    return DataFile(validate_mapping(Township, data, path, lines), path, lines)


def validate_mapping(model: type[M], data: dict[str, Any], path: Path,
                     lines: Mapping[Loc, int]) -> M:
    """Validate ``data`` as ``model``; every error becomes a `Problem` with its place."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(error, path, lines) for error in exc.errors(include_url=False)]
        raise DataErrors(problems) from None


def _problem(error: ErrorDetails, path: Path, lines: Mapping[Loc, int]) -> Problem:
    loc: Loc = tuple(error["loc"])
    return Problem(Place(path, line_of(lines, loc), field_path(loc) or None), _message(error))


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    loc = error["loc"]
    if kind == "missing":
        return _("required field is missing")
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else ""
        close = difflib.get_close_matches(name, _KNOWN_FIELDS, n=1)
        if close:
            return _("unknown field '{name}' (did you mean '{close}'?)").format(
                name=name, close=close[0])
        return _("unknown field '{name}'").format(name=name)
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("must be a whole number")
    if kind in ("greater_than_equal", "less_than_equal"):
        low, high = ctx.get("ge"), ctx.get("le")
        bound = _("at least {n}").format(n=low) if low is not None else \
            _("at most {n}").format(n=high)
        return _("must be {bound} (got {value!r})").format(bound=bound, value=error["input"])
    if kind in ("string_type",):
        given = error.get("input")
        if given is None:  # "title:" with nothing after it
            return _("must not be empty")
        if isinstance(given, dict) and len(given) == 1:  # "- 主要做法: 一是…": ": " made a key of it
            return _("must be text, but the \": \" after \"{key}\" made YAML read a key: write a full-width "
                     "\"：\", or put the whole text in quotes").format(key=next(iter(given)))
        return _("must be text")
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "too_short":
        return _("needs at least one item")
    if kind == "list_type":
        return _("must be a list (lines starting with '- ')")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("must be a mapping (lines of 'key: value')")
    if kind.startswith(("date_", "datetime_")):
        return _("must be a date such as 2024-11-20")
    if kind.startswith("bool_"):
        return _("must be true or false")
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])
