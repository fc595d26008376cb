"""Rendering through docxtpl: the template checked first, autoescape and StrictUndefined on."""

from __future__ import annotations

import io
import re
import traceback
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

from docgen.charts import bind_charts
from docgen.errors import DocgenError, Place, TemplateError
from docgen.i18n import _

_PARAGRAPH = re.compile(r"<w:p[ >]")
_TAG = re.compile(r"<[^>]+>")
_HEADER_FOOTER = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
                  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer")


def jinja_env() -> jinja2.Environment:
    """The environment templates render in: sandboxed, escaping XML, failing on any unknown name."""
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def default_template() -> Path:
    """The shipped template: inside the installed package, or templates/ of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates" / "annual-summary.docx",
                      here.parent / "templates" / "annual-summary.docx"):
        if candidate.is_file():
            return candidate
    raise TemplateError(_("the default template annual-summary.docx is missing from this "
                          "installation; give one with --template"))


def open_template(path: Path) -> DocxTemplate:
    """Open a .docx template, refusing anything that is not one with a clear message."""
    if not path.is_file():
        raise TemplateError(_("no such template file"), Place(path))
    try:
        with zipfile.ZipFile(path) as package:
            package.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise TemplateError(_("not a Word .docx file (save it from Word or WPS as .docx)"),
                            Place(path)) from None
    template = DocxTemplate(path)
    try:
        template.init_docx()
    except Exception as exc:  # python-docx refuses a damaged package in many ways
        raise TemplateError(_("the .docx cannot be opened: {reason}").format(reason=exc),
                            Place(path)) from None
    return template


def templated_parts(template: DocxTemplate) -> Iterator[tuple[str, str]]:
    """Each part docxtpl renders (body, headers, footers), as (name, XML prepared for Jinja)."""
    docx = template.docx
    body = template.patch_xml(template.xml_to_string(docx._element.body))
    yield "body", body
    for rel in docx.part.rels.values():
        if rel.reltype in _HEADER_FOOTER and not rel.is_external:
            xml = template.patch_xml(template.get_part_xml(rel.target_part))
            yield str(rel.target_part.partname).lstrip("/"), xml


def _lines(xml: str) -> list[str]:
    # The same split docxtpl makes before rendering, so a Jinja line is a paragraph.
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml).splitlines()


def _where(lines: list[str], lineno: int) -> tuple[int, str]:
    paragraph = sum(1 for line in lines[:lineno] if _PARAGRAPH.match(line))
    text = _TAG.sub("", lines[lineno - 1]) if 0 < lineno <= len(lines) else ""
    return paragraph, text.strip()[:60]


def _template_error(path: Path, part: str, lines: list[str], lineno: int, message: str) -> \
        TemplateError:
    paragraph, text = _where(lines, lineno)
    where = "" if part == "body" else f" ({part})"
    return TemplateError(f"«{text}»{where}: {message}", Place(path, paragraph=paragraph))


def check_template(template: DocxTemplate, path: Path, context: Mapping[str, Any]) -> None:
    """Refuse a template with a syntax error or a variable the context does not supply.

    The error names the template paragraph and shows its text.
    """
    env = jinja_env()
    for part, xml in templated_parts(template):
        lines = _lines(xml)
        try:
            parsed = env.parse("\n".join(lines))
        except jinja2.TemplateSyntaxError as exc:
            raise _template_error(path, part, lines, exc.lineno or 0,
                                  _("template syntax error: {reason}").format(
                                      reason=exc.message)) from None
        for name in sorted(meta.find_undeclared_variables(parsed) - set(context)):
            found = next((i for i, line in enumerate(lines, 1)
                          if re.search(r"[{%][^}%]*\b" + re.escape(name) + r"\b", line)), 0)
            raise _template_error(path, part, lines, found, _(
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
        lineno = _template_lineno(exc)
        body = next(xml for part, xml in templated_parts(open_template(path)) if part == "body")
        raise _template_error(path, "body", _lines(body), lineno,
                              _("the template failed: {reason}").format(reason=exc)) from None
    return buffer.getvalue()


def _template_lineno(exc: BaseException) -> int:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno or 0 if frames else 0
