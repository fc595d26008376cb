"""User-facing messages through gettext: English msgids, a zh_CN catalog, DOCGEN_LANG to choose."""

from __future__ import annotations

import gettext
import io
import os
from functools import lru_cache
from pathlib import Path

from docgen.windows import kernel32

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "docgen"
_LOCALE_VARIABLES = ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language() -> str:
    """The language for messages: ``zh_CN`` under a Chinese locale (or DOCGEN_LANG=zh), else ``en``.

    DOCGEN_LANG wins over the locale variables, which are read in gettext's order; without any
    (as on Windows, whose environment has none), the language of the system's user interface.
    """
    for name in _LOCALE_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    return "zh_CN" if _interface_is_chinese() else "en"


@lru_cache(maxsize=1)
def _interface_is_chinese() -> bool:
    """Whether Windows shows its user interface in Chinese (a primary language id of 4); elsewhere
    the locale variables say it."""
    windows = kernel32()
    if windows is None:
        return False
    try:
        language_id = int(windows.GetUserDefaultUILanguage())
    except (AttributeError, OSError):
        return False
    return language_id & 0x3FF == 0x04  # LANG_CHINESE: zh-CN 0x0804, zh-TW 0x0404, zh-HK 0x0C04…


@lru_cache(maxsize=4)
def _translations(lang: str) -> gettext.NullTranslations:
    po_file = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not po_file.is_file():
        return gettext.NullTranslations()
    # The catalog ships as its .po source; babel compiles it in memory, so no
    # generated .mo file lives in the repository.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """Translate ``message`` (an English msgid) into the user's language."""
    return _translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate the form of ``singular``/``plural`` for ``n`` into the user's language."""
    return _translations(language()).ngettext(singular, plural, n)


# The modules of click whose texts a docgen user sees: help ("Usage:", "Show this message and
# exit."), usage errors ("Missing argument", "No such option") and the values its types refuse.
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def translate_click() -> None:
    """Give click's own texts the user's language, from docgen's catalog.

    click looks its texts up through gettext's global domain, which only a compiled .mo file on
    disk can serve; it binds ``gettext`` as ``_`` (and ``ngettext``) in each module, and these are
    bound to docgen's translations instead. Under English they return click's texts unchanged.
    """
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]

