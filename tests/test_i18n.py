"""Messages: every msgid in the code has a Chinese translation, chosen by DOCGEN_LANG or the locale."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from docgen import i18n
from docgen.errors import DataError
from docgen.loading import YAML_WORDS, load

from .conftest import ROOT

PO_FILE = ROOT / "docgen" / "locale" / "zh_CN" / "LC_MESSAGES" / "docgen.po"


def code_msgids() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "docgen", method_map=[("**.py", "python")], keywords={"_": None}):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def clicks_msgids() -> set[str]:
    """The texts click marks for translation, in the click installed."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            Path(click.__file__).parent, method_map=[("**.py", "python")],
            keywords={"_": None, "ngettext": (1, 2)}):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def catalog() -> dict[str, str]:
    with PO_FILE.open("rb") as handle:
        po = read_po(handle)
    return {str(m.id): str(m.string) for m in po if m.id and isinstance(m.id, str)}


def test_every_message_is_translated() -> None:
    translations = catalog()
    missing = sorted(m for m in code_msgids() if not translations.get(m))
    assert missing == []


def test_clicks_texts_in_the_catalog_are_still_clicks() -> None:
    """The entries marked "click" translate texts of the click installed: one click changed is
    found here, not by a secretary reading English among Chinese."""
    with PO_FILE.open("rb") as handle:
        po = read_po(handle)
    marked = [m.id for m in po if m.id and "click" in m.auto_comments]
    ids = {i for m in marked for i in ([m] if isinstance(m, str) else m)}
    assert len(ids) > 40
    assert sorted(ids - clicks_msgids()) == []


def test_translations_keep_their_placeholders() -> None:
    for msgid, msgstr in catalog().items():
        placeholder = r"\{\w*(?:![rs])?\}"
        assert sorted(re.findall(placeholder, msgid)) == sorted(re.findall(placeholder, msgstr)), msgid


@pytest.mark.parametrize(("env", "expected"), [
    ({"DOCGEN_LANG": "zh"}, "zh_CN"), ({"DOCGEN_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"), ({"LC_ALL": "zh_TW.UTF-8"}, "zh_CN"),
    ({"LANG": "en_US.UTF-8"}, "en"), ({}, "en"),
])
def test_language_choice(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for name in ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected


@pytest.mark.parametrize(("chinese", "expected"), [(True, "zh_CN"), (False, "en")])
def test_without_locale_variables_the_interface_language(monkeypatch: pytest.MonkeyPatch,
                                                         chinese: bool, expected: str) -> None:
    """Windows sets no LANG: a secretary on a Chinese Windows reads Chinese, as the README says."""
    for name in ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(i18n, "_interface_is_chinese", lambda: chinese)
    assert i18n.language() == expected
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert i18n.language() == "en"


def test_chinese_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_LANG", "zh_CN")
    assert i18n._("required field is missing") == "缺少必填字段"


def test_libyamls_words_for_common_slips_are_translated(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    translations = catalog()
    assert [w for w in YAML_WORDS if not translations.get(w)] == []
    monkeypatch.setenv("DOCGEN_LANG", "zh_CN")
    data = tmp_path / "town.yaml"
    data.write_text("town: 沽东镇\nyear: 2024\n  problems: x\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(data)
    assert str(caught.value) == f"{data}:3: YAML 语法错误：此处不能出现“键: 值”"
