"""What the fast engine cannot reproduce: context objects that change the package while they render."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from docgen.i18n import _

# docxtpl objects that render as plain XML text: the fast engine renders them as docxtpl does.
_PURE = {"RichText", "RichTextParagraph", "Listing"}
_SCALARS = {str, int, float, bool, type(None), Decimal, dt.date, dt.datetime}
_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass type's field names, looked up once


def context_obstacle(context: Mapping[str, Any]) -> str | None:
    """Why ``context`` needs docxtpl's own rendering, or None when the fast engine reproduces it.

    InlineImage and Subdoc add parts and relationships to the document being rendered (through the
    ``DocxTemplate`` they were made with), and a RichText hyperlink refers to a relationship made the
    same way; the fast engine writes the template's relationships, so it leaves those to docxtpl.
    """
    seen: set[int] = set()
    stack: list[Any] = list(context.values())
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind in _SCALARS or id(value) in seen:
            continue
        seen.add(id(value))
        if kind is list or kind is tuple:
            stack.extend(value)
            continue
        names = _FIELDS.get(kind)
        if names is not None and not hasattr(value, "tpl"):  # a dataclass seen before, not docxtpl's
            stack.extend(getattr(value, name) for name in names)
            continue
        if kind.__module__.startswith("docxtpl"):
            if kind.__name__ not in _PURE or "r:id=" in str(getattr(value, "xml", "")):
                return _("the data holds a {kind}, which docxtpl renders into the document itself"
                         ).format(kind=kind.__name__)
            continue
        if hasattr(value, "tpl"):  # made with a DocxTemplate to render into it
            return _("the data holds a {kind}, which docxtpl renders into the document itself"
                     ).format(kind=kind.__name__)
        if isinstance(value, Mapping):
            stack.extend(value.values())
        elif isinstance(value, list | tuple | set | frozenset):
            stack.extend(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
            stack.extend(getattr(value, name) for name in names)
        elif isinstance(value, SimpleNamespace):
            stack.extend(vars(value).values())
    return None
