"""Reading a .docx into blocks: body paragraphs and table cells, in the order the body holds them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from docgen.checks.model import Block
from docgen.checks.wordxml import PARSER, Styles, body_blocks, body_elements
from docgen.errors import CheckError, Place
from docgen.i18n import _
from docgen.output import ZipMembers, not_a_docx

DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"


def read_blocks(path: Path) -> list[Block]:
    """The paragraphs and table cells of the .docx at ``path``, read through python-docx.

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
    return body_blocks(root, _styles(members))


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
