"""python-docx's reading of a document body, done with lxml alone: each paragraph's text (``Paragraph.text``)
and style name (``Paragraph.style.name``), and each table's cells (``Table.rows``, ``_Row.cells``).

python-docx's proxies cost more than rendering the document; this walks the same elements and reads
them the same way, touching each element of the body once. Children are found by going through them:
lxml's ``find`` goes through a path parser written in Python, and ``iterchildren(tag)`` parses its
tag into a matcher each call, each costing more than going through a paragraph's few children.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docx.exceptions import InvalidXmlError
from docx.styles import BabelFish
from lxml import etree

from docgen.checks.model import Block, Part, new_block

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}sdt",
                                          f"{_W}sdtContent")
_R, _PPR, _PSTYLE, _VAL = f"{_W}r", f"{_W}pPr", f"{_W}pStyle", f"{_W}val"
_T, _BR, _CR, _NO_BREAK_HYPHEN, _PTAB, _TAB = (f"{_W}t", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen",
                                               f"{_W}ptab", f"{_W}tab")
_TYPE = f"{_W}type"
_TEXT_BOX = f"{_W}txbxContent"
_NOTES = (f"{_W}footnote", f"{_W}endnote")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TC_PR, _TR_PR, _V_MERGE, _GRID_SPAN, _GRID_BEFORE = (f"{_W}tcPr", f"{_W}trPr", f"{_W}vMerge",
                                                      f"{_W}gridSpan", f"{_W}gridBefore")
#: python-docx's parser options (docx.oxml.parser): the same tree, so the same text.
PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
#: The style types python-docx knows (WD_STYLE_TYPE); another w:type is an error it reports.
_STYLE_TYPES = frozenset(("paragraph", "character", "table", "numbering"))


def body_blocks(root: Any, styles: Styles) -> list[Block]:
    """The blocks of the ``w:document`` element ``root``: body paragraphs and table cells in order."""
    body = _child(root, f"{_W}body")
    return [] if body is None else part_blocks(body, styles)


def part_blocks(container: Any, styles: Styles, part: Part | None = None) -> list[Block]:
    """The paragraphs and table cells of ``container`` in order: the body, or a header's or footer's
    root (``w:hdr``, ``w:ftr``, which hold what a body holds), with ``part`` naming it."""
    blocks: list[Block] = []
    paragraphs = tables = 0
    for is_paragraph, element in body_elements(container):
        if is_paragraph:
            paragraphs += 1
            text, ppr = _paragraph(element)
            blocks.append(new_block(paragraphs, text, "paragraph", styles.name_of(_style_id(ppr)),
                                    None, part))
        else:
            tables += 1
            blocks.extend(_cells(element, paragraphs, tables, part))
    return blocks


def text_boxes(container: Any) -> list[Any]:
    """The text boxes (``w:txbxContent``) inside ``container``, in document order, each once: Word
    writes a text box twice, as a DrawingML shape and in ``mc:Fallback`` as VML for older readers,
    and the fallback is not read. (``Paragraph.text`` leaves a text box out of the paragraph it is
    anchored in, so no text is read twice.)"""
    return [box for box in container.iter(_TEXT_BOX)
            if next(box.iterancestors(_FALLBACK), None) is None]


def notes(container: Any) -> list[Any]:
    """The footnotes (``w:footnote``) or endnotes (``w:endnote``) of a notes part's root, without the
    separators Word keeps among them (``w:type`` other than ``normal``)."""
    return [note for note in container if note.tag in _NOTES and note.get(_TYPE, "normal") == "normal"]


def _child(element: Any, tag: str) -> Any:
    """The first child of ``element`` with ``tag`` (``find``'s answer), or None."""
    for child in element:
        if child.tag == tag:
            return child
    return None


def _children(element: Any, tag: str) -> list[Any]:
    """The children of ``element`` with ``tag``, in order."""
    return [child for child in element if child.tag == tag]


def body_elements(parent: Any) -> Iterator[tuple[bool, Any]]:
    """Paragraphs and tables of the body, looking inside content controls (w:sdt), each with whether
    it is a paragraph (an element's tag is a new string each time it is asked for)."""
    for child in parent:
        tag = child.tag
        if tag == _P:
            yield True, child
        elif tag == _TBL:
            yield False, child
        elif tag == _SDT:
            content = _child(child, _SDT_CONTENT)
            if content is not None:
                yield from body_elements(content)


# -- text, as python-docx's Paragraph.text gives it, and what Word shows inside runs' containers --

#: What holds runs inside a paragraph, shown as its runs: a tracked insertion or move, a smart tag
#: (Chinese Word wraps figures with units in one), custom XML, a simple field's result, a hyperlink,
#: an inline content control, bidirectional embeddings. python-docx reads runs and hyperlinks only,
#: which left a blank where Word shows "37665亩". A deletion (w:del, w:moveFrom) is not shown.
_RUN_HOLDERS = frozenset(f"{_W}{name}" for name in (
    "ins", "moveTo", "smartTag", "customXml", "fldSimple", "hyperlink", "dir", "bdo"))


def _paragraph(p: Any) -> tuple[str, Any]:
    """The text of paragraph ``p``: python-docx's ``Paragraph.text`` (its runs' text, and its
    hyperlinks'), with the runs inside the other containers of `_RUN_HOLDERS` and inline content
    controls, in order; and its first ``w:pPr`` (None without one)."""
    parts: list[str] = []
    ppr = None
    for child in p:
        tag = child.tag
        if tag == _R:
            _run_text(child, parts)
        elif tag == _PPR:
            if ppr is None:
                ppr = child
        else:
            _held_runs(child, tag, parts)
    return "".join(parts), ppr


def paragraph_text(p: Any) -> str:
    """The text of paragraph ``p`` as `body_blocks` reads it."""
    return _paragraph(p)[0]


def _held_runs(element: Any, tag: Any, parts: list[str]) -> None:
    """The text of the runs ``element`` holds, when it is one of `_RUN_HOLDERS` or an inline
    content control, added to ``parts``."""
    if tag == _SDT:
        element = _child(element, _SDT_CONTENT)
        if element is None:
            return
    elif tag not in _RUN_HOLDERS:
        return
    for child in element:
        if child.tag == _R:
            _run_text(child, parts)
        else:
            _held_runs(child, child.tag, parts)


def _style_id(ppr: Any) -> str | None:
    """``CT_P.style`` of the paragraph whose ``w:pPr`` is ``ppr``: its ``w:pStyle``, None without one."""
    if ppr is None:
        return None
    pstyle = _child(ppr, _PSTYLE)
    return None if pstyle is None else _required(pstyle, _VAL)


def _run_text(run: Any, parts: list[str]) -> None:
    """python-docx's text of each run child it reads (CT_Text, CT_Br, CT_Cr, CT_NoBreakHyphen, CT_PTab,
    CT_TabStop), added to ``parts``."""
    for e in run:
        tag = e.tag
        if tag == _T:
            parts.append(e.text or "")
        elif tag == _BR:
            parts.append("\n" if e.get(_TYPE, "textWrapping") == "textWrapping" else "")
        elif tag == _CR:
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag in (_PTAB, _TAB):
            parts.append("\t")


# -- style names, as python-docx's Paragraph.style.name gives them ---------------------------------

class Styles:
    """A styles part's paragraph style names by a paragraph's ``w:pStyle``, resolved as python-docx's
    ``Styles.get_by_id(id, PARAGRAPH)`` does: an unknown id, or the id of a style of another type,
    gives the default paragraph style (the last one marked default)."""

    def __init__(self, xml: bytes | None) -> None:
        root = etree.fromstring(xml, PARSER) if xml is not None else None
        self._styles = list(root.iterchildren(f"{_W}style")) if root is not None else []
        self._by_id: dict[str, Any] = {}
        for style in self._styles:
            self._by_id.setdefault(style.get(f"{_W}styleId"), style)  # the first, as its XPath
        self._names: dict[str | None, str | None] = {}

    def name_of(self, style_id: str | None) -> str | None:
        """The name of the style a paragraph with ``style_id`` has; None where python-docx's lookup
        fails (reading._style_name)."""
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
        name = _child(style, f"{_W}name")
        if name is None:
            return None
        return BabelFish.internal2ui(_required(name, _VAL))

    def _default(self) -> Any:
        defaults = [s for s in self._styles if _style_type(s) == "paragraph" and _on(s, f"{_W}default")]
        return defaults[-1] if defaults else None


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

def _cells(tbl: Any, before: int, number: int, part: Part | None) -> list[Block]:
    """One block per cell; a merged cell is read once, at its first row and column.

    Each row's cells are python-docx's ``_Row.cells``: one per grid column a ``w:tc`` spans
    (``w:gridSpan``), and a ``w:vMerge`` continuation is the cell above it in its grid column.
    """
    blocks: list[Block] = []
    seen: set[Any] = set()
    for r, tr in enumerate(_children(tbl, _TR), 1):
        c = 0
        for tc in _children(tr, _TC):
            tc, span, paragraphs = _merge_root(tc)
            for _column in range(span):
                c += 1
                if tc in seen:
                    continue
                seen.add(tc)
                text = "\n".join([paragraph_text(p) for p in paragraphs])
                blocks.append(new_block(before, text, "cell", None, (number, r, c), part))
    return blocks


def _merge_root(tc: Any) -> tuple[Any, int, list[Any]]:
    """The ``w:tc`` holding the content of ``tc``, with its grid span and paragraphs: ``tc`` itself, or,
    for a ``w:vMerge`` continuation, the one above it in its grid column, and so on up (python-docx's
    ``_tc_above``)."""
    while True:
        merge, span, paragraphs = _cell(tc)
        if merge is None or merge.get(_VAL, "continue") != "continue":
            return tc, 1 if span is None else int(_required(span, _VAL)), paragraphs
        tr = tc.getparent()
        above = next(tr.itersiblings(_TR, preceding=True), None)
        if above is None:
            raise ValueError("no tr above topmost tr in w:tbl")
        offset = _grid_before(tr) + sum(_grid_span(t) for t in tc.itersiblings(_TC, preceding=True))
        tc = _tc_at_grid_offset(above, offset)


def _cell(tc: Any) -> tuple[Any, Any, list[Any]]:
    """The ``w:vMerge`` and the ``w:gridSpan`` of ``tc``'s first ``w:tcPr``, each None where there is
    none, and the paragraphs of ``tc`` (``_Cell.paragraphs``)."""
    tc_pr = None
    paragraphs = []
    for child in tc:
        tag = child.tag
        if tag == _P:
            paragraphs.append(child)
        elif tag == _TC_PR and tc_pr is None:
            tc_pr = child
    merge = span = None
    for e in () if tc_pr is None else tc_pr:
        tag = e.tag
        if tag == _V_MERGE:
            merge = e if merge is None else merge
        elif tag == _GRID_SPAN and span is None:
            span = e
    return merge, span, paragraphs


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
    span = _cell(tc)[1]
    return 1 if span is None else int(_required(span, _VAL))


def _grid_before(tr: Any) -> int:
    tr_pr = _child(tr, _TR_PR)
    before = _child(tr_pr, _GRID_BEFORE) if tr_pr is not None else None
    return 0 if before is None else int(_required(before, _VAL))
