"""A docxtpl template prepared once and rendered many times, writing what docxtpl writes."""

from __future__ import annotations

import copy
import io
import logging
import re
import threading
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.oxml import serialize_part_xml
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

from docgen.charts import bind_charts
from docgen.engine import Rendered, zipwrite
from docgen.engine.support import context_obstacle
from docgen.i18n import _
from docgen.output import CUSTOM_PART, custom_part, declare_custom_part, digests, read_members, stamp
from docgen.render import jinja_env, open_template, render_docx

log = logging.getLogger("docgen.engine")

_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
# The core properties docxtpl's render_properties renders, in its order.
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_SPLIT = re.compile(r"<w:p([ >])")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # resolve_listing's paragraphs
_LISTING = re.compile("[\t\a\n\f]")  # what resolve_listing turns into tabs, paragraphs, breaks
_TEMPLATE_SYNTAX = ("{{", "{%", "{#")  # Jinja's delimiters: a part without them renders as is
_INERT = re.compile("[{}\r\n\t\a\f]")  # without these, docxtpl's patch and render change nothing


@dataclass
class _Part:
    """One templated XML part (body, header, footer or footnotes) and how to render it."""

    member: str
    part: Any  # the python-docx part: docxtpl's current_rendering_part while it renders
    template: jinja2.Template  # docxtpl's patched XML, split into lines as render_xml_part does
    passes: int = 1  # docxtpl renders the footnotes once per section
    static: bool = False  # no Jinja tag: the same XML for every document


class CompiledTemplate:
    """A template prepared once — docxtpl's preprocessing and the Jinja compile done — to render many
    documents fast. `render` returns what `docgen.render.render_docx` returns for the same context
    (the same XML in every part, the same members in the same order); unchanged members are copied
    already compressed. A template or context the fast path cannot reproduce is rendered by
    `render_docx` itself: `fallback` (template) or `last_note` (last context) says why.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fallback: str | None = None
        self.last_note: str | None = None
        self.variables: frozenset[str] = frozenset()
        self._lock = threading.Lock()
        self._tpl = open_template(path)
        try:
            self._prepare()
        except jinja2.TemplateError as exc:
            # render_docx reports it with the paragraph and the text; nothing to prepare
            self.fallback = _("the template has an error: {reason}").format(reason=exc)
        if self.fallback:
            log.info(_("{path}: rendered by docxtpl: {reason}").format(path=path, reason=self.fallback))

    # -- preparing ---------------------------------------------------------------------------------

    def _prepare(self) -> None:
        tpl = self._tpl
        docx = tpl.docx
        self._env = jinja_env()
        obstacle = _template_obstacle(tpl)
        if obstacle:
            self.fallback = obstacle
            return
        core = docx.core_properties  # creates the part if the template has none, as docxtpl does
        self._core = core
        self._core_part = next(p for p in docx.part.package.parts if p.content_type == _CORE)
        self._properties: list[tuple[str, jinja2.Template]] = []
        for name in _PROPERTIES:
            template = self._env.from_string(getattr(core, name))
            if "{" in getattr(core, name):
                self._properties.append((name, template))
            else:  # the same text for every document: set once, in docxtpl's order
                setattr(core, name, template.render({}))
        # docxtpl's build_xml, build_headers_footers_xml and render_footnotes, up to the compile
        checked: set[str] = set()

        def prepared(part: Any, xml: str, passes: int = 1, check: bool = True) -> _Part:
            source = _SPLIT.sub(r"\n<w:p\1", tpl.patch_xml(xml))
            if check:
                checked.update(jinja2.meta.find_undeclared_variables(self._env.parse(source)))
            static = not any(mark in source for mark in _TEMPLATE_SYNTAX)
            return _Part(part.partname.membername, part, self._env.from_string(source), passes,
                         static)

        self._body = prepared(docx.part, tpl.get_xml())
        self._root = copy.deepcopy(docx.element)
        self._shown_body = self._root.find(qn("w:body"))
        self._body_index = self._root.index(self._shown_body)
        self._around_body = _around_body(self._root, self._body_index, tpl.get_xml())
        headers_footers = [prepared(part, tpl.get_part_xml(part))
                           for uri in (tpl.HEADER_URI, tpl.FOOTER_URI)
                           for _key, part in tpl.get_headers_footers(uri)]
        sections = len(docx.sections)
        footnotes = [prepared(part, part.blob.decode("utf-8"), sections, check=False)
                     for part in docx.part.package.parts
                     if part.content_type == _FOOTNOTES and sections]
        self.variables = frozenset(checked)
        # parts without a tag render the same for every document: rendered once, here
        static = {item.member: self._render_header_footer(item, {})
                  for item in headers_footers if item.static}
        static.update({item.member: self._render_footnotes(item, {})
                       for item in footnotes if item.static})
        self._headers_footers = [item for item in headers_footers if not item.static]
        self._footnotes = [item for item in footnotes if not item.static]
        self._tpl.current_rendering_part = None

        self._rendering = [docx.part, *(p.part for p in self._headers_footers),
                           *(p.part for p in self._footnotes)]
        self._rel_counts = [len(part.rels) for part in self._rendering]

        buffer = io.BytesIO()
        docx.save(buffer)  # python-docx's serialisation of every member, as docxtpl's save writes it
        with zipfile.ZipFile(buffer) as package:
            base = {info.filename: package.read(info) for info in package.infolist()}
        base.update(static)
        if not all(map(zipwrite.fits, base.values())):
            self.fallback = _("the template is too large for the fast engine")
            return
        self._now = time.time()
        self._base = base
        stamped = dict(base)
        self._custom_properties = declare_custom_part(stamped)
        self._stamped_base = stamped  # with the custom part declared: stamp's content types and rels
        self._digests = digests(stamped)  # the stamp hashes each unchanged member once, here
        self._shapes: dict[tuple[Any, ...], bytes] = {}  # content types and rels, by the parts' shape
        # each member compressed once, found again by identity: (its data, the member)
        self._ready = [{name: (blob, zipwrite.member(name, blob, self._now))
                        for name, blob in data.items()} for data in (base, stamped)]
        # the content types and relationships last compressed, by member name: made from the parts'
        # shape (`_content_types`, `_rels_xml`), they are the same bytes document after document
        self._packed: dict[str, tuple[bytes, zipwrite.Member]] = {}

    # -- rendering ---------------------------------------------------------------------------------

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The .docx of the template rendered with ``context``, as `render_docx` makes it."""
        rendered = self._render_fast(context)
        if rendered is None:
            return render_docx(self.path, context)
        return self._package(rendered[0])

    def render_stamped(self, context: Mapping[str, Any]) -> bytes:
        """`render` stamped with docgen's content hash: the members ``docgen.output.stamp(render(
        context))`` has, without recompressing the unchanged ones."""
        return self.render_package(context).docx

    def render_package(self, context: Mapping[str, Any]) -> Rendered:
        """`render_stamped`, with the package's members as they are zipped in it and the document
        part's tree when rendering parsed it (for reading the document without unzipping or parsing
        it again)."""
        rendered = self._render_fast(context, stamped=True)
        if rendered is None:
            docx = stamp(render_docx(self.path, context))
            return Rendered(docx, read_members(docx))
        members, document = rendered
        members[CUSTOM_PART] = custom_part(self._custom_properties, members, self._digests)
        return Rendered(self._package(members), members, document)

    def _render_fast(self, context: Mapping[str, Any], *, stamped: bool = False) \
            -> tuple[dict[str, bytes], Any] | None:
        """Every member of the rendered package, in order, and the document part's tree when it was
        parsed in place (else None); None for the plain path."""
        self.last_note = self.fallback
        if self.fallback:
            return None
        missing = self.variables - context.keys()
        if missing:
            note: str | None = _("the template asks for {names}, which the context does not supply"
                                 ).format(names=", ".join(sorted(missing)))
        else:
            note = context_obstacle(context)
        if note is None:
            try:
                with self._lock:
                    return self._render_members(context, stamped)
            except Exception as exc:  # the plain path raises it as docgen reports it, or renders it
                note = _("the fast engine failed: {reason}").format(reason=exc)
        log.info(_("{path}: rendered by docxtpl: {reason}").format(path=self.path, reason=note))
        self.last_note = note
        return None

    def _render_members(self, context: Mapping[str, Any], stamped: bool) \
            -> tuple[dict[str, bytes], Any]:
        changed, document = self._render_parts(bind_charts(self._tpl, context))
        added = [len(part.rels) - count for part, count in zip(self._rendering, self._rel_counts,
                                                                strict=True)]
        if not any(added):
            base = self._stamped_base if stamped else self._base
            return {name: changed.get(name, data) for name, data in base.items()}, document
        # charts placed while rendering: new parts, relationships and content types
        try:
            members = self._package_members(changed, stamped)
        finally:
            for part, count in zip(self._rendering, self._rel_counts, strict=True):
                for r_id in list(part.rels)[count:]:
                    part.rels.pop(r_id)
                    part.rels.related_parts.pop(r_id, None)
        return members, document

    def _package_members(self, changed: dict[str, bytes], stamped: bool) -> dict[str, bytes]:
        """The members python-docx's PackageWriter writes for the package as rendering left it
        (with the custom properties part declared, when ``stamped``, as `stamp_members` does).

        The content types and the relationships depend only on the parts' names and links: each
        shape of them (the template with one chart, say) is written once and kept.
        """
        package = self._tpl.docx.part.package
        parts = _iter_parts(package)
        base = self._stamped_base if stamped else self._base
        members = {"[Content_Types].xml": self._content_types(parts, stamped),
                   "_rels/.rels": base["_rels/.rels"]}
        for part in parts:
            name = part.partname.membername
            members[name] = changed.get(name) or self._base.get(name) or part.blob
            if len(part.rels):
                rels = part.partname.rels_uri.membername
                members[rels] = self._rels_xml(part) if part in self._rendering or \
                    rels not in self._base else self._base[rels]
        return members

    def _content_types(self, parts: list[Any], stamped: bool) -> bytes:
        key = (stamped, *((str(part.partname), part.content_type) for part in parts))
        found = self._shapes.get(key)
        if found is None:
            found = _ContentTypesItem.from_parts(parts).blob  # type: ignore[no-untyped-call]
            if stamped:
                declared = {"[Content_Types].xml": found, "_rels/.rels": self._base["_rels/.rels"]}
                declare_custom_part(declared)
                found = declared["[Content_Types].xml"]
            self._keep(key, found)
        return found

    def _rels_xml(self, part: Any) -> bytes:
        key = (str(part.partname), *((rel.rId, rel.reltype, rel.is_external, rel.target_ref
                                      if rel.is_external else str(rel.target_part.partname))
                                     for rel in part.rels.values()))
        found = self._shapes.get(key)
        if found is None:
            found = part.rels.xml
            self._keep(key, found)
        return found

    def _keep(self, key: tuple[Any, ...], xml: bytes) -> None:
        if len(self._shapes) >= _SHAPES:
            self._shapes.pop(next(iter(self._shapes)))
        self._shapes[key] = xml

    def _package(self, members: dict[str, bytes]) -> bytes:
        """The zip of ``members``."""
        return zipwrite.package([self._member(name, data) for name, data in members.items()])

    def _member(self, name: str, data: bytes) -> zipwrite.Member:
        """``data`` ready to be zipped: a member the template already had (the same bytes), or the
        same content types or relationships as the document before, is copied compressed; an
        embedded package (a chart's workbook) is stored, being compressed already."""
        for known in (*self._ready, self._packed):
            hit = known.get(name)
            if hit is not None and (hit[0] is data or hit[0] == data):
                return hit[1]
        if name.endswith(_PACKAGES):
            return zipwrite.stored(name, data, self._now)
        item = zipwrite.member(name, data, self._now, fast=True)
        if name.endswith(_SHAPED):
            self._packed[name] = (data, item)
        return item

    def _render_parts(self, context: dict[str, Any]) -> tuple[dict[str, bytes], Any]:
        """The rendered parts' members, and the document part's tree if it is one of its own."""
        tpl = self._tpl
        members: dict[str, bytes] = {}
        # the body: docxtpl's build_xml, fix_tables, fix_docpr_ids, map_tree
        tpl.current_rendering_part = self._body.part
        members[self._body.member], document = self._render_body(context)
        for item in self._headers_footers:
            members[item.member] = self._render_header_footer(item, context)
        # render_properties
        for name, template in self._properties:
            setattr(self._core, name, template.render(context))
        if self._properties:
            members[self._core_part.partname.membername] = self._core_part.blob
        for item in self._footnotes:
            members[item.member] = self._render_footnotes(item, context)
        tpl.current_rendering_part = None
        return members, document

    def _render_body(self, context: dict[str, Any]) -> tuple[bytes, Any]:
        """docxtpl's build_xml, fix_tables, fix_docpr_ids and map_tree: the document part's XML,
        and its tree when that is this document's own (else None).

        The rendered body is parsed inside the template's document element, written around it as
        text, when that parses and its tables fit their grids (almost always); else it goes through
        docxtpl's fix_tables and replaces the body of a copy of the document element.
        """
        tpl = self._tpl
        xml = self._render_xml_part(self._body.template, context)
        tpl.docx_ids_index = 1000
        inner = self._inner_body(xml)
        if inner is not None and self._around_body is not None:
            head, _start, tail = self._around_body
            try:
                document = etree.fromstring((head + _BARE_BODY + inner + tail).encode())
            except etree.XMLSyntaxError:
                document = None
            body = document.find(_BODY) if document is not None else None
            if document is not None and body is not None and \
                    all(_grid_fits(table) for table in body.iter(_TBL)):
                tpl.fix_docpr_ids(body)
                return serialize_part_xml(document), document
        tree = _fix_tables(tpl, xml)
        tpl.fix_docpr_ids(tree)
        # in a copy of the document element: python-docx's stays the template's (chart ids read it)
        self._root.remove(self._shown_body)
        self._root.insert(self._body_index, tree)
        self._shown_body = tree
        return serialize_part_xml(self._root), None

    def _inner_body(self, xml: str) -> str | None:
        """The rendered body's content without the namespace declarations that the document
        element makes alike — on the body's start tag, and on elements written into it (a chart's
        drawing) — as moving the body into the document element leaves it; None when it declares
        anything else, for the swap to handle."""
        if self._around_body is None or not xml.startswith(self._around_body[1]):
            return None
        inner = xml[len(self._around_body[1]):]
        if "xmlns" not in inner:
            return inner
        declared = self._root.nsmap
        pieces: list[str] = []
        end = at = 0
        while (at := inner.find(" xmlns", at)) >= 0:
            if inner.rfind(">", end, at) > inner.rfind("<", end, at):
                at += 1  # in a text, not a tag
                continue
            start = at
            kept = []
            while (found := _DECLARATION.match(inner, at)) is not None:
                prefix, uri = found.groups()
                if declared.get(prefix, uri) != uri:
                    return None  # a prefix bound elsewhere: not a plain repetition
                if prefix not in declared:
                    kept.append(found.group())
                at = found.end()
            if at == start:
                return None  # xmlns= (a default namespace) or something unforeseen
            pieces += [inner[end:start], *kept]
            end = at
        pieces.append(inner[end:])
        return "".join(pieces)

    def _render_header_footer(self, item: _Part, context: dict[str, Any]) -> bytes:
        """docxtpl's build_headers_footers_xml and map_headers_footers_xml for one part."""
        self._tpl.current_rendering_part = item.part
        xml = self._render_xml_part(item.template, context)
        encoding = self._tpl.get_headers_footers_encoding(xml)
        return serialize_part_xml(parse_xml(xml.encode(encoding)))

    def _render_footnotes(self, item: _Part, context: dict[str, Any]) -> bytes:
        """docxtpl's render_footnotes for one part: once per section, each pass over the last one."""
        self._tpl.current_rendering_part = item.part
        xml = self._render_xml_part(item.template, context)
        for _pass in range(1, item.passes):
            if not _INERT.search(xml):
                break  # patch_xml and render_xml_part would return it unchanged
            source = _SPLIT.sub(r"\n<w:p\1", self._tpl.patch_xml(xml))
            xml = self._render_xml_part(self._env.from_string(source), context)
        return xml.encode("utf-8")

    def _render_xml_part(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """docxtpl's render_xml_part after its compile: render, rejoin, unescape, resolve_listing."""
        # (two replaces do what docxtpl's re.sub(r"\n<w:p([ >])", r"<w:p\1", ...) does, faster)
        xml = template.render(context).replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if not _LISTING.search(xml):
            return xml  # resolve_listing only rewrites these characters
        # resolve_listing rewrites each paragraph on its own: only those holding the characters
        resolve = self._tpl.resolve_listing
        return _PARAGRAPH.sub(lambda m: resolve(m.group(0)) if _LISTING.search(m.group(0))
                              else m.group(0), xml)


_TBL, _TBL_GRID, _GRID_COL, _TR, _TC = (qn(t) for t in ("w:tbl", "w:tblGrid", "w:gridCol", "w:tr", "w:tc"))
_GRID_SPAN = qn("w:gridSpan")
_PACKAGES = (".xlsx", ".xlsm", ".docx", ".pptx", ".zip")
_SHAPES = 64  # content types and relationship parts kept per template
_SHAPED = (".rels", "[Content_Types].xml")  # members made from the parts' shape, not from the data


_BODY = qn("w:body")
_BODY_MARK = "docgen-body"
_BARE_BODY = "<w:body>"
_DECLARATION = re.compile(r' xmlns:([A-Za-z_][\w.-]*)="([^"<]*)"')  # a prefix's declaration


def _around_body(root: Any, index: int, body: str) -> tuple[str, str, str] | None:
    """The document element as text before and after its body (at ``index``), and the body's
    start tag as docxtpl writes it (``body``, its XML), which declares only namespaces the document
    element declares alike; None when the text cannot be split there or the tag does more."""
    copied = copy.deepcopy(root)
    copied[index] = etree.Comment(_BODY_MARK)
    text = etree.tostring(copied, encoding="unicode")
    mark = f"<!--{_BODY_MARK}-->"
    if text.count(mark) != 1 or not body.startswith("<w:body"):
        return None
    start = body[:body.index(">") + 1]
    try:
        declared = etree.fromstring(start + "</w:body>")
    except etree.XMLSyntaxError:
        return None
    if declared.attrib or any(root.nsmap.get(prefix) != uri for prefix, uri in declared.nsmap.items()):
        return None
    head, tail = text.split(mark)
    return head, start, tail


def _iter_parts(package: Any) -> list[Any]:
    """python-docx's ``package.iter_parts()``, the same parts in the same depth-first order, with
    the parts seen kept in a set rather than a list."""
    seen: set[int] = set()
    found: list[Any] = []

    def walk(source: Any) -> None:
        for rel in source.rels.values():
            if rel.is_external or id(rel.target_part) in seen:
                continue
            seen.add(id(rel.target_part))
            found.append(rel.target_part)
            walk(rel.target_part)

    walk(package)
    return found


def _fix_tables(tpl: DocxTemplate, xml: str) -> Any:
    """docxtpl's ``fix_tables(xml)``: the body's tree, with any table grid fixed that its rows
    outgrew or fall short of (after a ``{%tc %}`` loop).

    Most tables fit their grid; that is checked here, and the tree parsed as docxtpl parses it is
    returned as it is. A table that may need fixing goes to docxtpl's own ``fix_tables``.
    """
    try:  # docxtpl parses with recover=True: the same tree for well-formed XML, at twice the cost
        tree = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return tpl.fix_tables(xml)
    if all(_grid_fits(table) for table in tree.iter(_TBL)):
        return tree
    return tpl.fix_tables(xml)


def _grid_fits(table: Any) -> bool:
    """Whether docxtpl's fix_tables leaves ``table`` as it is: no row has more cells than the grid
    has columns, one row fills it, and no cell spans columns (spans are left to docxtpl)."""
    grid = table.find(_TBL_GRID)
    if grid is None:
        return False
    columns = len(grid.findall(_GRID_COL))
    widest = 0
    for row in table.iter(_TR):
        cells = row.findall(_TC)
        if len(cells) > columns:
            return False
        widest = max(widest, len(cells))
    return widest >= columns and next(table.iter(_GRID_SPAN), None) is None


def _template_obstacle(tpl: DocxTemplate) -> str | None:
    """Why docxtpl's rendering of this template cannot be reproduced part by part, if it cannot."""
    seen: set[str] = set()
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            name = str(part.partname)
            if name in seen:  # docxtpl would write the shared part twice
                return _("a header or footer part is shared by two relationships")
            seen.add(name)
    return None

