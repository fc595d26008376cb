"""Reading a .docx into blocks: body paragraphs and table cells, in the order the body holds them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from docgen.checks.model import Block, Part
from docgen.checks.wordxml import PARSER, Styles, body_blocks, body_elements, part_blocks
from docgen.errors import CheckError, Place
from docgen.i18n import _
from docgen.output import ZipMembers, not_a_docx

DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
_MARGIN_PART = re.compile(r"word/(header|footer)([0-9]+)\.xml")


def read_blocks(path: Path) -> list[Block]:
    """The paragraphs and table cells of the .docx at ``path``, read through python-docx, then those
    of its headers and footers (`margin_blocks`).

    :raises CheckError: naming the file when it is missing or not a readable .docx.
    """
    document = _open(path)
    blocks: list[Block] = []
    paragraphs = tables = 0
    for is_paragraph, element in body_elements(document.element.body):
        if is_paragraph:
            paragraphs += 1
            paragraph = Paragraph(element, document)
            blocks.append(Block(paragraphs, paragraph.text, "paragraph", _style_name(paragraph),
                                None))
        else:
            tables += 1
            blocks.extend(_docx_cells(Table(element, document), paragraphs, tables))
    try:
        with zipfile.ZipFile(path) as package:
            blocks.extend(margin_blocks(ZipMembers(package)))
    except (OSError, zipfile.BadZipFile, etree.LxmlError, ValueError) as exc:
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
    return body_blocks(root, styles) + margin_blocks(members, styles)


def margin_blocks(members: Mapping[str, bytes], styles: Styles | None = None) -> list[Block]:
    """The paragraphs and table cells of the package's headers, then of its footers, each part in
    the order of its number (``word/header1.xml``, ``word/header2.xml``…), read with lxml as the body
    is (`docgen.checks.wordxml`): the blocks `read_blocks` and `blocks_from_members` both end with."""
    parts: list[tuple[bool, int, str]] = []  # (a footer, its number, its name): headers first
    for name in members:
        found = _MARGIN_PART.fullmatch(name)
        if found:
            parts.append((found.group(1) == "footer", int(found.group(2)), name))
    blocks: list[Block] = []
    for footer, number, name in sorted(parts):
        styles = styles if styles is not None else _styles(members)
        part: Part = ("footer", number) if footer else ("header", number)
        blocks.extend(_part_blocks(members[name], styles, part))
    return blocks


#: (a header's or footer's bytes, its styles, its part, its blocks), the latest last.
_PARTS: list[tuple[bytes, Styles, Part, list[Block]]] = []


def _part_blocks(data: bytes, styles: Styles, part: Part) -> list[Block]:
    """`part_blocks` of a header or footer given as bytes, read once per distinct part (eight kept):
    a template's footer of page numbers is the same in every document of a run. (Blocks are frozen;
    a footer naming the town differs from town to town, and is read each time.)"""
    for known, known_styles, known_part, blocks in _PARTS:
        if known_styles is styles and known_part == part and known == data:
            return list(blocks)
    blocks = part_blocks(etree.fromstring(data, PARSER), styles, part)
    _PARTS.append((data, styles, part, blocks))
    del _PARTS[:-8]
    return list(blocks)


def blocks_from_docx(data: bytes) -> list[Block]:
    """The blocks of a .docx held in memory: `blocks_from_members` of its members."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return blocks_from_members(ZipMembers(package))


# -- the styles part, parsed once for all the documents that share it ------------------------------

#: (what a styles part is known by, its styles), the latest last.
_STYLES: list[tuple[object, Styles]] = []


def _styles(members: Mapping[str, bytes]) -> Styles:
    """The styles of the package's styles part, parsed once per distinct part (eight kept): the same
    styles.xml (350 kB in the template) is in every document of a run.

    A zipped part is known by its CRC-32 and size, so it is not unzipped again; a part given as bytes
    by its bytes, compared (not hashed: the renderer may hand the same part as a new object each time,
    and comparing stops at the first difference, or at once for the same object).
    """
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
    for known, styles in _STYLES:
        if known == key:
            return styles
    styles = Styles(members[STYLES])
    _STYLES.append((key, styles))
    del _STYLES[:-8]
    return styles


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
    except (OSError, ValueError, etree.LxmlError) as exc:
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
            text = "\n".join(p.text for p in cell.paragraphs)
            yield Block(before, text, "cell", None, (number, r, c))
