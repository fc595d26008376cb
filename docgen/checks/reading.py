"""Reading a .docx into blocks: body paragraphs and table cells, in the order the body holds them."""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
from docx.exceptions import InvalidXmlError
from docx.opc.exceptions import PackageNotFoundError
from docx.styles import BabelFish
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from docgen.checks.model import Block
from docgen.errors import CheckError, Place
from docgen.i18n import _
from docgen.output import not_a_docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}sdt"
_R, _HYPERLINK, _VAL = f"{_W}r", f"{_W}hyperlink", f"{_W}val"
#: python-docx's parser options (docx.oxml.parser): the same tree, so the same text.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
#: The style types python-docx knows (WD_STYLE_TYPE); another w:type is an error it reports.
_STYLE_TYPES = frozenset(("paragraph", "character", "table", "numbering"))


def read_blocks(path: Path) -> list[Block]:
    """The paragraphs and table cells of the .docx at ``path``, read through python-docx.

    :raises CheckError: naming the file when it is missing or not a readable .docx.
    """
    document = _open(path)
    blocks: list[Block] = []
    paragraphs = tables = 0
    for element in _body_elements(document.element.body):
        if element.tag == _P:
            paragraphs += 1
            paragraph = Paragraph(element, document)
            blocks.append(Block(paragraphs, paragraph.text, "paragraph", _style_name(paragraph),
                                None))
        else:
            tables += 1
            blocks.extend(_docx_cells(Table(element, document), paragraphs, tables))
    return blocks


def blocks_from_docx(data: bytes) -> list[Block]:
    """The blocks of a .docx held in memory (what render just made): `read_blocks`' blocks, read
    with lxml alone from the body and the style names.

    python-docx's proxies (a Table, its rows and cells, each paragraph's style) cost more than
    rendering the document; this reads the same elements the same way python-docx does.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"), _PARSER)
        try:
            info = package.getinfo("word/styles.xml")
        except KeyError:
            styles = _Styles(None)
        else:  # the same styles.xml (350 kB in the template) in every document of a run: once
            styles = _styles(info.CRC, info.file_size, functools.partial(package.read, info))
    body = root.find(f"{_W}body")
    blocks: list[Block] = []
    if body is None:
        return blocks
    paragraphs = tables = 0
    for element in _body_elements(body):
        if element.tag == _P:
            paragraphs += 1
            blocks.append(Block(paragraphs, _text(element), "paragraph", styles.name_of(element),
                                None))
        else:
            tables += 1
            blocks.extend(_cells(element, paragraphs, tables))
    return blocks


# -- text, as python-docx's Paragraph.text gives it ------------------------------------------------

def _break(e: Any) -> str:
    return "\n" if e.get(f"{_W}type", "textWrapping") == "textWrapping" else ""


#: python-docx's text of each run child it reads (CT_Text, CT_Br, CT_Cr, CT_NoBreakHyphen, CT_PTab,
#: CT_TabStop), by tag.
_RUN_TEXT: dict[str, Callable[[Any], str]] = {
    f"{_W}t": lambda e: e.text or "",
    f"{_W}br": _break,
    f"{_W}cr": lambda e: "\n",
    f"{_W}noBreakHyphen": lambda e: "-",
    f"{_W}ptab": lambda e: "\t",
    f"{_W}tab": lambda e: "\t",
}


def _text(p: Any) -> str:
    """``Paragraph.text``: the runs' text, and the runs' of the hyperlinks, in order."""
    parts: list[str] = []
    for child in p.iterchildren(_R, _HYPERLINK):
        runs = [child] if child.tag == _R else child.iterchildren(_R)
        for run in runs:
            for e in run.iterchildren(*_RUN_TEXT):
                parts.append(_RUN_TEXT[e.tag](e))
    return "".join(parts)


# -- style names, as python-docx's Paragraph.style.name gives them ---------------------------------

class _Styles:
    """A styles part's paragraph style names by the ``w:pStyle`` of a paragraph, resolved as
    python-docx's ``Styles.get_by_id(id, PARAGRAPH)`` does: an unknown id, or the id of a style of
    another type, gives the default paragraph style (the last one marked default)."""

    def __init__(self, xml: bytes | None) -> None:
        root = etree.fromstring(xml, _PARSER) if xml is not None else None
        self._styles = list(root.iterchildren(f"{_W}style")) if root is not None else []
        self._by_id: dict[str, Any] = {}
        for style in self._styles:
            self._by_id.setdefault(style.get(f"{_W}styleId"), style)  # the first, as its XPath
        self._names: dict[str | None, str | None] = {}

    def name_of(self, p: Any) -> str | None:
        """The style name of paragraph ``p``; None where python-docx's lookup fails (_style_name)."""
        style_id = _style_id(p)
        try:
            return self._names[style_id]
        except KeyError:
            pass
        try:
            name = self._name(style_id)
        except ValueError:
            return None
        self._names[style_id] = name
        return name

    def _name(self, style_id: str | None) -> str | None:
        style = self._by_id.get(style_id) if style_id else None
        if style is None or _style_type(style) != "paragraph":
            style = self._default()
        if style is None:
            return None
        name = style.find(f"{_W}name")
        if name is None:
            return None
        return BabelFish.internal2ui(_required(name, _VAL))

    def _default(self) -> Any:
        defaults = [s for s in self._styles if _style_type(s) == "paragraph" and _on(s, f"{_W}default")]
        return defaults[-1] if defaults else None


_STYLES: dict[tuple[int, int], _Styles] = {}


def _styles(crc: int, size: int, read: Callable[[], bytes]) -> _Styles:
    """The styles of a styles part known by its CRC-32 and size, parsed once (eight kept)."""
    key = (crc, size)
    styles = _STYLES.get(key)
    if styles is None:
        styles = _Styles(read())
        if len(_STYLES) >= 8:
            _STYLES.pop(next(iter(_STYLES)))
        _STYLES[key] = styles
    return styles


def _style_id(p: Any) -> str | None:
    """``CT_P.style``: the ``w:val`` of ``w:pPr/w:pStyle``, None without one."""
    ppr = p.find(f"{_W}pPr")
    if ppr is None:
        return None
    pstyle = ppr.find(f"{_W}pStyle")
    return None if pstyle is None else _required(pstyle, _VAL)


def _style_type(style: Any) -> str | None:
    value = style.get(f"{_W}type")
    if value is not None and value not in _STYLE_TYPES:
        raise ValueError(f"WD_STYLE_TYPE has no XML mapping for '{value}'")
    return value  # type: ignore[no-any-return]


def _on(element: Any, attribute: str) -> bool:
    """An ST_OnOff attribute, as python-docx reads it (absent: false)."""
    value = element.get(attribute)
    if value is None:
        return False
    if value not in ("1", "0", "true", "false", "on", "off"):
        raise InvalidXmlError(f"value must be one of '1', '0', 'true', 'false', 'on', or 'off', "
                              f"got '{value}'")
    return value in ("1", "true", "on")


def _required(element: Any, attribute: str) -> str:
    value = element.get(attribute)
    if value is None:
        raise InvalidXmlError(f"required '{attribute}' attribute not present on element "
                              f"{element.tag}")
    return value  # type: ignore[no-any-return]


# -- table cells, as python-docx's Table.rows and _Row.cells give them ------------------------------

def _cells(tbl: Any, before: int, number: int) -> Iterator[Block]:
    """One block per cell; a merged cell is read once, at its first row and column.

    Each row's cells are python-docx's ``_Row.cells``: one per grid column a ``w:tc`` spans
    (``w:gridSpan``), and a ``w:vMerge`` continuation is the cell above it in its grid column.
    """
    seen: set[Any] = set()
    for r, tr in enumerate(tbl.iterchildren(_TR), 1):
        c = 0
        for tc in tr.iterchildren(_TC):
            tc = _merge_root(tc)
            for _column in range(_grid_span(tc)):
                c += 1
                if tc in seen:
                    continue
                seen.add(tc)
                text = "\n".join(_text(p) for p in tc.iterchildren(_P))
                yield Block(before, text, "cell", None, (number, r, c))


def _merge_root(tc: Any) -> Any:
    """The ``w:tc`` holding the content of ``tc``: itself, or, for a ``w:vMerge`` continuation, the
    one above it in its grid column, and so on up (python-docx's ``_tc_above``)."""
    while True:
        tc_pr = tc.find(f"{_W}tcPr")
        merge = tc_pr.find(f"{_W}vMerge") if tc_pr is not None else None
        if merge is None or merge.get(_VAL, "continue") != "continue":
            return tc
        tr = tc.getparent()
        above = next(tr.itersiblings(_TR, preceding=True), None)
        if above is None:
            raise ValueError("no tr above topmost tr in w:tbl")
        offset = _grid_before(tr) + sum(_grid_span(t) for t in tc.itersiblings(_TC, preceding=True))
        tc = _tc_at_grid_offset(above, offset)


def _tc_at_grid_offset(tr: Any, offset: int) -> Any:
    remaining = offset - _grid_before(tr)
    for tc in tr.iterchildren(_TC):
        if remaining < 0:
            break
        if remaining == 0:
            return tc
        remaining -= _grid_span(tc)
    raise ValueError(f"no `tc` element at grid_offset={offset}")


def _grid_span(tc: Any) -> int:
    tc_pr = tc.find(f"{_W}tcPr")
    span = tc_pr.find(f"{_W}gridSpan") if tc_pr is not None else None
    return 1 if span is None else int(_required(span, _VAL))


def _grid_before(tr: Any) -> int:
    tr_pr = tr.find(f"{_W}trPr")
    before = tr_pr.find(f"{_W}gridBefore") if tr_pr is not None else None
    return 0 if before is None else int(_required(before, _VAL))


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


def _body_elements(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_elements(content)


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
