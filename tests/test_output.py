"""Output safety: an editor's draft is never overwritten, writes are atomic, names stay put."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from docgen import api
from docgen.errors import EditedOutputError, OutputError
from docgen.output import provenance, resolve_output, safe_file_name, write_atomic

WriteTown = Callable[..., Path]


@pytest.fixture
def template(make_template: Callable[..., Path]) -> Path:
    return make_template("{{ title }}", "{{ intro }}", "{{ author }}")


def test_an_edited_draft_is_kept_byte_for_byte(town_file: WriteTown, template: Path,
                                                tmp_path: Path) -> None:
    out = api.render(town_file(), template, tmp_path / "draft.docx")
    assert provenance(out) == "unedited"
    document = Document(str(out))
    document.paragraphs[1].text = "编辑改写的开头。"
    document.save(str(out))
    edited = out.read_bytes()
    assert provenance(out) == "edited"
    with pytest.raises(EditedOutputError) as info:
        api.render(town_file(), template, out)
    assert str(info.value) == (f"{out}: the file was changed since docgen wrote it (edited?); it is "
                               "kept (use --force to replace it, or -o to write elsewhere)")
    assert out.read_bytes() == edited
    api.render(town_file(), template, out, force=True)
    assert provenance(out) == "unedited"


def test_an_unedited_draft_is_replaced(town_file: WriteTown, template: Path, tmp_path: Path) -> None:
    out = api.render(town_file(), template, tmp_path / "draft.docx")
    api.render(town_file(**{"滨河区": "滨海区"}), template, out)
    assert "滨海区" in Document(str(out)).paragraphs[1].text


def test_a_foreign_file_is_kept(town_file: WriteTown, template: Path, tmp_path: Path) -> None:
    out = tmp_path / "draft.docx"
    Document().save(str(out))
    before = out.read_bytes()
    with pytest.raises(EditedOutputError, match="exists and was not written by docgen"):
        api.render(town_file(), template, out)
    assert out.read_bytes() == before
    assert provenance(tmp_path / "nothing.docx") == "foreign"


def test_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")

    def broken_replace(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_write_failure_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(OutputError, match=r"is it open in Word or WPS\?\): Permission denied"):
        write_atomic(tmp_path / "a.docx", b"new")
    assert list(tmp_path.iterdir()) == []


def test_output_names(tmp_path: Path) -> None:
    assert safe_file_name("沽东镇2024年工作总结") == "沽东镇2024年工作总结.docx"
    assert resolve_output(None, tmp_path, "沽东镇", 2024) == tmp_path / "沽东镇2024年工作总结.docx"
    assert resolve_output(tmp_path, Path("x"), "沽东镇", 2024) == tmp_path / "沽东镇2024年工作总结.docx"
    assert resolve_output(tmp_path / "a.docx", Path("x"), "../", 2024) == tmp_path / "a.docx"
    for bad in ("..", "a/b", "a\\b", "a:b", "x.", "NUL", "LPT1"):
        with pytest.raises(OutputError):
            safe_file_name(bad)
