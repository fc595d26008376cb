"""Output safety: an editor's draft is never overwritten, writes are atomic, names stay put."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from docgen import api, output
from docgen.errors import EditedOutputError, OutputError
from docgen.output import (
    CUSTOM_PART,
    content_hash,
    declare_custom_part,
    default_output,
    digests,
    provenance,
    read_members,
    resolve_output,
    safe_file_name,
    stamp,
    stamp_zipped,
    write_atomic,
    write_members,
)

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
    with pytest.raises(OutputError, match=r"is it open in Word, Excel or WPS\?\): Permission denied"):
        write_atomic(tmp_path / "a.docx", b"new")
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_file_that_cannot_be_replaced_is_named_read_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to replace a read-only file: the message said to close Word, which was not
    the cause. The temporary file, read-only like the old one, is deleted all the same (Windows
    refuses that too unless it is made writable first)."""
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")
    target.chmod(0o444)
    discarded: list[int] = []
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        discarded.append(self.stat().st_mode & 0o200)  # writable when it is deleted
        real_unlink(self, missing_ok=missing_ok)

    def denied(src: object, dst: object) -> None:
        raise PermissionError(13, "Access is denied")

    monkeypatch.setattr(os, "replace", denied)
    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(OutputError) as caught:
        write_atomic(target, b"new")
    assert caught.value.message == ('cannot replace the file: it is read-only (clear "Read-only" in its '
                                    'Properties to let docgen replace it): Access is denied')
    assert discarded == [0o200]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx"]


def test_output_names(tmp_path: Path) -> None:
    assert safe_file_name("沽东镇2024年工作总结") == "沽东镇2024年工作总结.docx"
    assert resolve_output(None, tmp_path, "沽东镇", 2024) == tmp_path / "沽东镇2024年工作总结.docx"
    assert resolve_output(tmp_path, Path("x"), "沽东镇", 2024) == tmp_path / "沽东镇2024年工作总结.docx"
    assert resolve_output(tmp_path / "a.docx", Path("x"), "../", 2024) == tmp_path / "a.docx"
    for bad in ("..", "a/b", "a\\b", "a:b", "x.", "NUL", "LPT1"):
        with pytest.raises(OutputError):
            safe_file_name(bad)


def test_an_output_without_a_suffix_is_a_folder_and_one_with_another_is_refused(tmp_path: Path) -> None:
    assert resolve_output(tmp_path / "初稿", Path("x"), "沽东镇", 2024) == \
        tmp_path / "初稿" / "沽东镇2024年工作总结.docx"  # made when the draft is written
    assert resolve_output(tmp_path / "A.DOCX", Path("x"), "沽东镇", 2024) == tmp_path / "A.DOCX"
    with pytest.raises(OutputError) as caught:
        resolve_output(tmp_path / "out.txt", Path("x"), "沽东镇", 2024)
    assert str(caught.value) == f"{tmp_path / 'out.txt'}: the output must be a .docx file or a folder, " \
        "not 'out.txt'"
    (tmp_path / "v1.0").mkdir()  # a folder whose name looks like a suffix is still a folder
    assert resolve_output(tmp_path / "v1.0", Path("x"), "沽东镇", 2024) == \
        tmp_path / "v1.0" / "沽东镇2024年工作总结.docx"


def test_a_default_output_linked_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    folder, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    target, real = default_output(folder, "沽东镇", 2024)
    assert target == folder / "沽东镇2024年工作总结.docx" and real == target.resolve()
    assert default_output(folder, "沽东镇", 2024, folder.resolve()) == (target, real)
    try:
        target.symlink_to(elsewhere / "draft.docx")
    except OSError:
        pytest.skip("no symbolic links here")
    for attempt in (lambda: default_output(folder, "沽东镇", 2024),
                    lambda: resolve_output(None, folder, "沽东镇", 2024)):
        with pytest.raises(OutputError, match="would leave the folder"):
            attempt()


def _restamp_the_old_way(path: Path, edit: bool = False) -> None:
    """Rewrite ``path`` as docgen stamped documents before the members' digests: the SHA-256 of
    the members' bytes, under the property docgen-sha256."""
    members = read_members(path)
    digest = hashlib.sha256()
    for name in sorted(members):
        if name != CUSTOM_PART:
            data = members[name]
            digest.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    members[CUSTOM_PART] = re.sub(rb'name="docgen-members-sha256"><vt:lpwstr>[0-9a-f]+',
                                  b'name="docgen-sha256"><vt:lpwstr>' + digest.hexdigest().encode(),
                                  members[CUSTOM_PART])
    if edit:  # an editor's change after the stamp
        members["word/document.xml"] = members["word/document.xml"].replace(
            "沽东镇".encode(), "沽西镇".encode())
    path.write_bytes(write_members(members))


def test_a_draft_stamped_by_an_earlier_docgen_is_still_known(town_file: WriteTown, template: Path,
                                                              tmp_path: Path) -> None:
    out = api.render(town_file(), template, tmp_path / "draft.docx")
    _restamp_the_old_way(out)
    assert b"docgen-members-sha256" not in read_members(out)[CUSTOM_PART]
    assert provenance(out) == "unedited"
    api.render(town_file(), template, out)  # replaced: unedited
    assert provenance(out) == "unedited"
    custom = read_members(out)[CUSTOM_PART]
    assert b"docgen-members-sha256" in custom and b'"docgen-sha256"' not in custom
    _restamp_the_old_way(out, edit=True)
    assert provenance(out) == "edited"
    with pytest.raises(EditedOutputError):
        api.render(town_file(), template, out)


def test_known_digests_give_the_same_hash() -> None:
    members = {"a.xml": b"<a/>", "b.xml": b"<b/>" * 1000, CUSTOM_PART: b"<x/>"}
    known = digests(members)
    assert content_hash(members, known) == content_hash(members)
    changed = {**members, "b.xml": b"<c/>"}
    assert content_hash(changed, known) == content_hash(changed) != content_hash(members)
    # a member with equal bytes but another object is hashed, not looked up
    assert content_hash({**members, "a.xml": bytes(bytearray(b"<a/>"))}, known) == content_hash(members)


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas'
                 b'.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType='
                 b'"application/xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas'
        b'.openxmlformats.org/package/2006/relationships"/>')


def _package(declared: bool) -> bytes:
    members = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
               "xl/big.xml": b"<a>" + b"<b>figure</b>" * 5000 + b"</a>", "xl/small.xml": b"<c/>"}
    if declared:
        members[CUSTOM_PART] = (b'<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats'
                                b'.org/officeDocument/2006/custom-properties"/>')
        declare_custom_part(members)
    buffer = io.BytesIO()  # deflated faster than stamp deflates: a member zipped again shows
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_a_package_declaring_its_stamp_part_is_stamped_without_rezipping(tmp_path: Path) -> None:
    """The same stamp as `stamp` gives, the other members copied as they were zipped."""
    package = _package(declared=True)
    stamped = stamp_zipped(package)
    assert read_members(stamped) == read_members(stamp(package))
    path = tmp_path / "summary.xlsx"
    path.write_bytes(stamped)
    assert provenance(path) == "unedited"
    with zipfile.ZipFile(io.BytesIO(package)) as before, zipfile.ZipFile(io.BytesIO(stamped)) as after:
        assert [i.filename for i in after.infolist()] == [i.filename for i in before.infolist()]
        for info in before.infolist():
            if info.filename != CUSTOM_PART:
                assert after.getinfo(info.filename).CRC == info.CRC
                assert after.getinfo(info.filename).compress_size == info.compress_size


def test_any_other_package_is_stamped_as_stamp_does(monkeypatch: pytest.MonkeyPatch) -> None:
    # the clock stopped: the part each call adds is dated when it is zipped, maybe two seconds apart
    monkeypatch.setattr(time, "time", lambda: 1_732_000_000.0)
    undeclared = _package(declared=False)
    assert stamp_zipped(undeclared) == stamp(undeclared)
    stored = io.BytesIO()  # not as zipfile deflates: ZipCopy cannot copy it
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as package:
        for name, data in read_members(_package(declared=True)).items():
            package.writestr(name, data)
    assert stamp_zipped(stored.getvalue()) == stamp(stored.getvalue())


def test_a_process_stopped_just_after_making_its_temporary_file_leaves_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """abandon_writes (a batch worker's SIGTERM handler) finds a temporary file write_atomic has
    not yet got the name of: it goes by the folder and this process's id."""
    made = tempfile.mkstemp

    def made_then_stopped(*args: Any, **kwargs: Any) -> tuple[int, str]:
        handle, _name = made(*args, **kwargs)
        os.close(handle)
        output.abandon_writes()  # as the handler would, before mkstemp returns
        raise SystemExit(143)

    other = tmp_path / ".~docgen-1-other.docx"  # another process's: not this one's to remove
    other.write_bytes(b"")
    monkeypatch.setattr(output.tempfile, "mkstemp", made_then_stopped)
    with pytest.raises(SystemExit):
        write_atomic(tmp_path / "a.docx", b"data")
    assert list(tmp_path.iterdir()) == [other]


def test_a_package_naming_a_member_twice_is_stamped_as_stamp_does() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package, \
            pytest.warns(UserWarning, match="Duplicate name"):
        for name, data in read_members(_package(declared=True)).items():
            package.writestr(name, data)
        package.writestr("xl/small.xml", b"<c>again</c>")
    assert stamp_zipped(buffer.getvalue()) == stamp(buffer.getvalue())
