"""Reading a .docx into blocks: body paragraphs and table cells, in the order the body holds them."""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from docgen.checks.model import Block
from docgen.errors import CheckError, Place
from docgen.i18n import _

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_R, _W_HYPERLINK = f"{_W}r", f"{_W}hyperlink"
_DEFAULT = ""  # the key of the default paragraph style, for paragraphs that name none


def read_blocks(path: Path) -> list[Block]:
    """The paragraphs and table cells of the .docx at ``path``.

    :raises CheckError: naming the file when it is missing or not a readable .docx.
    """
    document = _open(path)
    return _blocks(document.element.body, document, lambda p: _style_name(Paragraph(p, document)))


def blocks_from_docx(data: bytes) -> list[Block]:
    """The blocks of a .docx held in memory (what render just made), reading only the parts needed.

    Opening the whole package with python-docx costs more than rendering it; the body and the
    style names are all the rules use.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = parse_xml(package.read("word/document.xml")).body  # type: ignore[attr-defined]
        names = _style_names(package.read("word/styles.xml")) if "word/styles.xml" in \
            package.namelist() else {}
    return _blocks(body, None, lambda p: names.get(p.style or _DEFAULT), _paragraph_text)


_RUN_TEXT = frozenset(qn(f"w:{tag}") for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def _paragraph_text(p: Any) -> str:
    """What python-docx's ``Paragraph.text`` gives, without an XPath query per run."""
    parts: list[str] = []
    for child in p.iterchildren(_W_R, _W_HYPERLINK):
        runs = [child] if child.tag == _W_R else child.iterchildren(_W_R)
        parts.extend(str(e) for run in runs for e in run.iterchildren() if e.tag in _RUN_TEXT)
    return "".join(parts)


@functools.lru_cache(maxsize=8)
def _style_names(styles_xml: bytes) -> dict[str, str]:
    """Style id → the name python-docx shows (built-in names as Word's UI spells them)."""
    root = etree.fromstring(styles_xml)
    names = {}
    for style in root.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        if name is not None:
            ui_name = BabelFish.internal2ui(str(name.get(f"{_W}val")))
            names[str(style.get(f"{_W}styleId"))] = ui_name
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true"):
                names[_DEFAULT] = ui_name
    return names


def _blocks(body: Any, parent: Any, style_of: Callable[[Any], str | None],
            text_of: Callable[[Any], str] | None = None) -> list[Block]:
    blocks: list[Block] = []
    paragraphs = tables = 0
    for element in _body_elements(body):
        if element.tag == f"{_W}p":
            paragraphs += 1
            text = text_of(element) if text_of else Paragraph(element, parent).text
            blocks.append(Block(paragraphs, text, "paragraph", style_of(element), None))
        elif element.tag == f"{_W}tbl":
            tables += 1
            blocks.extend(_cells(Table(element, parent), paragraphs, tables))
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
