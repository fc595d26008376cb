"""Rendering through docxtpl: the template checked first, autoescape and StrictUndefined on."""

from __future__ import annotations

import io
import re
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import meta

from docgen.charts import bind_charts
from docgen.errors import DocgenError, Place, TemplateError
from docgen.i18n import _
from docgen.sandbox import BoundedSandbox
from docgen.templates import check_template_file

_PARAGRAPH = re.compile(r"<w:p[ >]")
_TAG = re.compile(r"<[^>]+>")
_HEADER_FOOTER = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
                  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer")


def jinja_env() -> jinja2.Environment:
    """The environment templates render in: sandboxed, escaping XML, failing on any unknown name."""
    return BoundedSandbox(autoescape=True, undefined=jinja2.StrictUndefined)


def open_template(path: Path) -> DocxTemplate:
    """Open a .docx template, refusing anything that is not one with a clear message."""
    check_template_file(path)
    template = DocxTemplate(path)
    try:
        template.init_docx()
    except Exception as exc:  # python-docx refuses a damaged package in many ways
        raise TemplateError(_("the .docx cannot be opened: {reason}").format(reason=exc),
                            Place(path)) from None
    return template


@dataclass(frozen=True)
class TemplatedPart:
    """A part docxtpl renders: its name, its XML prepared for Jinja, its paragraphs' own text."""

    name: str
    xml: str
    paragraphs: list[str]

    def error(self, path: Path, lineno: int, message: str) -> TemplateError:
        """A `TemplateError` for Jinja line ``lineno`` of this part: its paragraph and text."""
        lines = _lines(self.xml)
        before = sum(1 for line in lines[:lineno] if _PARAGRAPH.match(line))
        text = _TAG.sub("", lines[lineno - 1]).strip() if 0 < lineno <= len(lines) else ""
        # docxtpl drops the paragraph of every {%p …%} tag, so counting the prepared XML's
        # paragraphs can fall short: find the line's text among the template's own paragraphs.
        prefix = text[:12]
        number = next((i for i, own in enumerate(self.paragraphs, 1)
                       if i >= before and prefix and prefix in own), before)
        where = "" if self.name == "body" else f" ({self.name})"
        return TemplateError(f"«{text[:60]}»{where}: {message}", Place(path, paragraph=number))


def _paragraph_texts(element: Any) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in element.iter(qn("w:p"))]


def templated_parts(template: DocxTemplate) -> Iterator[TemplatedPart]:
    """Each part docxtpl renders (body, headers, footers), prepared for Jinja."""
    docx = template.docx
    body = docx._element.body
    yield TemplatedPart("body", template.patch_xml(template.xml_to_string(body)),
                        _paragraph_texts(body))
    for rel in docx.part.rels.values():
        if rel.reltype in _HEADER_FOOTER and not rel.is_external:
            element = parse_xml(rel.target_part.blob)
            yield TemplatedPart(str(rel.target_part.partname).lstrip("/"),
                                template.patch_xml(template.xml_to_string(element)),
                                _paragraph_texts(element))


def _lines(xml: str) -> list[str]:
    # The same split docxtpl makes before rendering, so a Jinja line is a paragraph.
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml).splitlines()


def check_template(template: DocxTemplate, path: Path, context: Mapping[str, Any]) -> None:
    """Refuse a template with a syntax error or a variable the context does not supply.

    The error names the template paragraph and shows its text.
    """
    env = jinja_env()
    for part in templated_parts(template):
        lines = _lines(part.xml)
        try:
            parsed = env.parse("\n".join(lines))
        except jinja2.TemplateSyntaxError as exc:
            raise part.error(path, exc.lineno or 0, _("template syntax error: {reason}").format(
                reason=exc.message)) from None
        try:
            undeclared = meta.find_undeclared_variables(parsed)
        except jinja2.TemplateSyntaxError as exc:  # an unknown filter or test: found at compile
            raise part.error(path, exc.lineno or 0, _("template syntax error: {reason}").format(
                reason=exc.message)) from None
        for name in sorted(undeclared - set(context)):
            found = next((i for i, line in enumerate(lines, 1)
                          if re.search(r"[{%][^}%]*\b" + re.escape(name) + r"\b", line)), 0)
            raise part.error(path, found, _(
                "the template asks for '{name}', which docgen does not supply; supplied: "
                "{known}").format(name=name, known=", ".join(sorted(context))))


def render_docx(path: Path, context: Mapping[str, Any]) -> bytes:
    """Render the template at ``path`` with ``context`` and return the .docx bytes."""
    template = open_template(path)
    check_template(template, path, context)
    try:
        template.render(bind_charts(template, context), jinja_env=jinja_env(), autoescape=True)
        buffer = io.BytesIO()
        template.save(buffer)
    except DocgenError:
        raise
    except jinja2.TemplateError as exc:
        body = next(templated_parts(open_template(path)))
        raise body.error(path, _template_lineno(exc),
                         _("the template failed: {reason}").format(reason=exc)) from None
    return buffer.getvalue()


def _template_lineno(exc: BaseException) -> int:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno or 0 if frames else 0
