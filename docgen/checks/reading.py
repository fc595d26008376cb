"""Reading a .docx into blocks: body paragraphs and table cells, in the order the body holds them."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from docgen.checks.model import Block
from docgen.errors import CheckError, Place
from docgen.i18n import _

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_blocks(path: Path) -> list[Block]:
    """The paragraphs and table cells of the .docx at ``path``.

    :raises CheckError: naming the file when it is missing or not a readable .docx.
    """
    document = _open(path)
    blocks: list[Block] = []
    paragraphs = tables = 0
    for element in _body_elements(document.element.body):
        if element.tag == f"{_W}p":
            paragraphs += 1
            paragraph = Paragraph(element, document)
            blocks.append(Block(paragraphs, paragraph.text, "paragraph", _style_name(paragraph), None))
        elif element.tag == f"{_W}tbl":
            tables += 1
            blocks.extend(_cells(Table(element, document), paragraphs, tables))
    return blocks


def _open(path: Path) -> Any:
    if not path.is_file():
        raise CheckError(_("no such file"), Place(path))
    try:
        with zipfile.ZipFile(path) as package:
            package.getinfo("word/document.xml")
        return docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, PackageNotFoundError):
        reason = _("not a Word .docx file (save it from Word or WPS as .docx)")
    except (OSError, ValueError, etree.LxmlError) as exc:
        reason = str(exc)
    raise CheckError(_("cannot read the document: {reason}").format(reason=reason), Place(path))


def _body_elements(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_elements(content)


def _style_name(paragraph: Paragraph) -> str | None:
    try:
        style = paragraph.style
    except (KeyError, ValueError):
        return None
    return style.name if style is not None else None


def _cells(table: Table, before: int, number: int) -> Iterator[Block]:
    """One block per cell; a merged cell is read once, at its first row and column."""
    seen: set[Any] = set()  # the w:tc elements read; holding them keeps their proxies alive
    for r, row in enumerate(table.rows, 1):
        for c, cell in enumerate(row.cells, 1):
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            text = "\n".join(p.text for p in cell.paragraphs)
            yield Block(before, text, "cell", None, (number, r, c))
