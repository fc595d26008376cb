"""Reading a .docx into blocks: body paragraphs and table cells, in the order the body holds them."""

from __future__ import annotations

import dataclasses
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

import docx
import docx.exceptions
import docx.oxml.exceptions
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from docgen.checks.model import Block, Margin, NoteKind, Part
from docgen.checks.wordxml import (
    PARSER,
    Styles,
    body_blocks,
    body_elements,
    notes,
    paragraph_text,
    part_blocks,
    text_boxes,
)
from docgen.errors import CheckError, Place
from docgen.i18n import _
from docgen.output import ZipMembers, not_a_docx

DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
_RELS = "word/_rels/document.xml.rels"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADER_REFERENCE, _FOOTER_REFERENCE = f"{_W}headerReference", f"{_W}footerReference"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
#: What a document that cannot be read raises on the way (python-docx's two InvalidXmlError: a
#: required attribute missing, as lxml's reading of a part reports it too).
UNREADABLE = (OSError, zipfile.BadZipFile, ValueError, etree.LxmlError,
              docx.exceptions.InvalidXmlError, docx.oxml.exceptions.InvalidXmlError)


def read_blocks(path: Path) -> list[Block]:
    """The paragraphs and table cells of the .docx at ``path``, read through python-docx, then those
    of its headers, footers, notes and text boxes (`margin_blocks`).

    :raises CheckError: naming the file when it is missing or not a readable .docx.
    """
    document = _open(path)
    blocks: list[Block] = []
    paragraphs = tables = 0
    try:
        for is_paragraph, element in body_elements(document.element.body):
            if is_paragraph:
                paragraphs += 1
                paragraph = Paragraph(element, document)
                blocks.append(Block(paragraphs, paragraph_text(element), "paragraph",
                                    _style_name(paragraph), None))
            else:
                tables += 1
                blocks.extend(_docx_cells(Table(element, document), paragraphs, tables))
        with zipfile.ZipFile(path) as package:
            blocks.extend(margin_blocks(ZipMembers(package), document.element))
    except UNREADABLE as exc:
        raise CheckError(_("cannot read the document: {reason}").format(reason=exc), Place(path)) \
            from None
    return blocks


def blocks_from_members(members: Mapping[str, bytes], document: Any = None) -> list[Block]:
    """The blocks of a .docx given as its members already unzipped (member name → bytes, e.g.
    ``"word/document.xml"``): `read_blocks`' blocks, read with lxml alone from the body and the style
    names, as the renderer holds the document before zipping it.

    ``document``: the ``w:document`` element that ``word/document.xml`` was serialised from, when the
    renderer has it (`docgen.engine.Rendered`): read instead of parsing the part again. The text is
    the same: the blank text python-docx's parser drops lies between elements, where none is read.

    :raises KeyError: when there is no ``word/document.xml``.
    """
    root = document if document is not None else etree.fromstring(members[DOCUMENT], PARSER)
    styles = _styles(members)
    return body_blocks(root, styles) + margin_blocks(members, root, styles)


def margin_blocks(members: Mapping[str, bytes], root: Any, styles: Styles | None = None) -> list[Block]:
    """The blocks `read_blocks` and `blocks_from_members` both end with, read with lxml as the body
    is (`docgen.checks.wordxml`): the paragraphs and table cells of the headers, then of the footers,
    that the sections of the document ``root`` (its ``w:document``) use; of the footnotes, then of
    the endnotes; then those of the text boxes of the body, then of those parts, numbered in that
    order."""
    found = text_boxes(root)
    rels = members.get(_RELS)
    targets = _targets(rels) if rels is not None else _Targets({}, {})
    names = {name.lower(): name for name in members}  # part names are case-insensitive
    margins = _margin_parts(targets, names, root)
    notes_parts = [(kind, names[targets.notes[kind]]) for kind in _NOTE_KINDS
                   if targets.notes.get(kind) in names]
    if not (found or margins or notes_parts):
        return []
    styles = styles if styles is not None else _styles(members)
    blocks: list[Block] = []
    boxes = _box_blocks(found, styles)
    for own, inner in [*(_part_blocks(members[name], styles, part) for part, name in margins),
                       *(_note_blocks(members[name], styles, kind) for kind, name in notes_parts)]:
        blocks.extend(own)
        boxes.extend(inner)
    return _numbered(blocks, boxes)


def _box_blocks(boxes: list[Any], styles: Styles) -> list[list[Block]]:
    """Each text box's blocks, not yet numbered (`_numbered` numbers them in the document's order)."""
    return [part_blocks(box, styles, _BOX) for box in boxes]


def _numbered(blocks: list[Block], boxes: list[list[Block]]) -> list[Block]:
    """``blocks``, then the text boxes' blocks, each box numbered in turn."""
    for number, box_blocks in enumerate(boxes, 1):
        blocks.extend(dataclasses.replace(block, part=("textbox", number)) for block in box_blocks)
    return blocks


_BOX: Part = ("textbox", 0)  # a text box's blocks before `margin_blocks` numbers it


def _margin_parts(targets: _Targets, names: Mapping[str, str], root: Any) -> list[tuple[Part, str]]:
    """The header and footer parts the document's sections refer to (``w:headerReference``,
    ``w:footerReference``, through ``word/_rels/document.xml.rels``), each once, with its part: the
    headers, then the footers, each numbered in the order the document first refers to it (a part
    no section uses is not shown by Word, nor read here)."""
    used: dict[Margin, list[str]] = {"header": [], "footer": []}
    for reference in root.iter(_HEADER_REFERENCE, _FOOTER_REFERENCE):
        target = targets.by_id.get(reference.get(_R_ID))
        name = names.get(target) if target is not None else None
        kind: Margin = "header" if reference.tag == _HEADER_REFERENCE else "footer"
        if name is not None and name not in used[kind]:
            used[kind].append(name)
    return [((kind, number), name) for kind in ("header", "footer")
            for number, name in enumerate(used[kind], 1)]


class _Targets(NamedTuple):
    """What ``word/_rels/document.xml.rels`` points to, as member names in lower case: each
    relationship to a part of the package by its id, and the footnotes and endnotes parts."""

    by_id: dict[str, str]
    notes: dict[NoteKind, str]


_NOTE_KINDS: tuple[NoteKind, ...] = ("footnote", "endnote")
_NOTE_TYPES = {f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s": kind
               for kind in _NOTE_KINDS}


def _targets(rels: bytes) -> _Targets:
    """The relationships of ``word/_rels/document.xml.rels``, read once per distinct part: a
    template's documents share it."""
    def read() -> _Targets:
        targets = _Targets({}, {})
        for rel in etree.fromstring(rels, PARSER):
            if rel.tag != _REL or rel.get("TargetMode") == "External":
                continue
            name = _member_name(rel.get("Target", "")).lower()
            targets.by_id[rel.get("Id", "")] = name
            kind = _NOTE_TYPES.get(rel.get("Type", ""))
            if kind is not None:
                targets.notes.setdefault(kind, name)
        return targets
    return _TARGETS.get(rels, read)


def _member_name(target: str) -> str:
    """The member a relationship of ``word/document.xml`` points to: its target taken from ``word/``,
    or from the package's root when it starts with a slash."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("word", target))


def _part_blocks(data: bytes, styles: Styles, part: Part) -> tuple[list[Block], list[list[Block]]]:
    """`part_blocks` of a header or footer given as bytes, and of each of its text boxes (not yet
    numbered), read once per distinct part with its styles: a template's footer of page numbers is
    the same in every document of a run. (Blocks are frozen; a footer naming the town differs from
    town to town, and is read each time.)"""
    def read() -> tuple[list[Block], list[list[Block]]]:
        element = etree.fromstring(data, PARSER)
        return part_blocks(element, styles, part), _box_blocks(text_boxes(element), styles)
    return _PARTS.get((data, styles, part), read)


def _note_blocks(data: bytes, styles: Styles, kind: NoteKind) -> tuple[list[Block], list[list[Block]]]:
    """The blocks of each footnote (or endnote) of a notes part given as bytes, numbered from 1 in
    the part's order (the separators Word keeps there are not notes), and of their text boxes (not
    yet numbered); read once per distinct part, as `_part_blocks` reads a header."""
    def read() -> tuple[list[Block], list[list[Block]]]:
        element = etree.fromstring(data, PARSER)
        blocks: list[Block] = []
        boxes: list[list[Block]] = []
        for number, note in enumerate(notes(element), 1):
            blocks.extend(part_blocks(note, styles, (kind, number)))
            boxes.extend(_box_blocks(text_boxes(note), styles))
        return blocks, boxes
    return _PARTS.get((data, styles, kind), read)


def blocks_from_docx(data: bytes) -> list[Block]:
    """The blocks of a .docx held in memory: `blocks_from_members` of its members.

    :raises CheckError: when it is not a readable .docx.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return blocks_from_members(ZipMembers(package))
    except (*UNREADABLE, KeyError) as exc:
        raise CheckError(_("cannot read the document: {reason}").format(reason=exc)) from None


# -- the parts a run's documents share, read once ---------------------------------------------------

V = TypeVar("V")


class _Recent(Generic[V]):
    """What was read from the last few distinct parts (eight kept, the latest last), found again by
    comparing what each part is known by (compared, not hashed: the renderer may hand the same part
    as a new object each time, and comparing stops at the first difference, or at once for the same
    object)."""

    def __init__(self) -> None:
        self._items: list[tuple[object, V]] = []

    def get(self, key: object, read: Callable[[], V]) -> V:
        """What ``read`` gave for a part known by ``key``, reading it if it is not kept."""
        for known, value in self._items:
            if known == key:
                return value
        value = read()
        self._items.append((key, value))
        del self._items[:-8]
        return value


_STYLES: _Recent[Styles] = _Recent()  # by the styles part's bytes, or its CRC-32 and size
_TARGETS: _Recent[_Targets] = _Recent()  # by the relationships part's bytes
# by a header's, footer's or notes part's bytes, its styles and part (or kind of notes)
_PARTS: _Recent[tuple[list[Block], list[list[Block]]]] = _Recent()


def _styles(members: Mapping[str, bytes]) -> Styles:
    """The styles of the package's styles part, parsed once per distinct part: the same styles.xml
    (350 kB in the template) is in every document of a run. A zipped part is known by its CRC-32 and
    size, so it is not unzipped again; a part given as bytes by its bytes."""
    if isinstance(members, ZipMembers):
        try:
            info = members.package.getinfo(STYLES)
        except KeyError:
            return Styles(None)
        key: object = (info.CRC, info.file_size)
    else:
        data = members.get(STYLES)
        if data is None:
            return Styles(None)
        key = data
    return _STYLES.get(key, lambda: Styles(members[STYLES]))


# -- python-docx's reading, for read_blocks --------------------------------------------------------

def _open(path: Path) -> Any:
    if not path.is_file():
        raise CheckError(_("no such file"), Place(path))
    problem = not_a_docx(path)
    if problem:
        raise CheckError(_("cannot read the document: {reason}").format(reason=problem), Place(path))
    try:
        return docx.Document(str(path))
    except PackageNotFoundError:
        reason = _("not a Word .docx file (save it from Word or WPS as .docx)")
    except (*UNREADABLE, KeyError, TypeError) as exc:  # python-docx on a part missing or unnamed
        reason = str(exc)
    raise CheckError(_("cannot read the document: {reason}").format(reason=reason), Place(path))


def _style_name(paragraph: Paragraph) -> str | None:
    try:
        style = paragraph.style
    except (KeyError, ValueError):
        return None
    return style.name if style is not None else None


def _docx_cells(table: Table, before: int, number: int) -> Iterator[Block]:
    """One block per cell; a merged cell is read once, at its first row and column."""
    seen: set[Any] = set()  # the w:tc elements read; holding them keeps their proxies alive
    for r, row in enumerate(table.rows, 1):
        for c, cell in enumerate(row.cells, 1):
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            text = "\n".join(paragraph_text(p._p) for p in cell.paragraphs)
            yield Block(before, text, "cell", None, (number, r, c))
