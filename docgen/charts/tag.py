"""Placing a chart: `ChartTag` for docxtpl templates, `add_chart` for python-docx documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.parser import parse_xml
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from docgen.charts.parts import ChartPart, add_chart_part, drawing_xml, next_drawing_id
from docgen.charts.spec import ChartSpec
from docgen.errors import TemplateError
from docgen.i18n import _


class ChartTag:
    """A native chart for a docxtpl template, the way docxtpl's ``InlineImage`` places a picture.

    Put it in the context (``{"chart": ChartTag(tpl, spec)}``) and write ``{{ chart }}``
    alone in a paragraph of the template. Each time the tag is rendered, a chart part
    and its workbook are added to the part being rendered, and the tag becomes a run
    holding the drawing. Works with autoescape on (``__html__``) and off (``__str__``).
    The paragraph should have automatic line spacing and no first-line indent (see
    `format_chart_paragraph`): an exact line height of 28 pt would crop the chart.
    """

    def __init__(self, tpl: Any, spec: ChartSpec, width: int | None = None,
                 height: int | None = None) -> None:
        self.tpl = tpl
        self.spec = spec
        self.width = width
        self.height = height
        self.parts: list[ChartPart] = []

    def _insert(self) -> str:
        part = getattr(self.tpl, "current_rendering_part", None)
        if part is None:
            raise TemplateError(_("the chart {title!r} can only be placed while a template is rendered")
                                .format(title=self.spec.title))
        r_id, chart = add_chart_part(part, self.spec)
        self.parts.append(chart)
        markup = drawing_xml(r_id, next_drawing_id(part, chart), chart, self.width, self.height)
        return f'</w:t></w:r><w:r>{markup}</w:r><w:r><w:t xml:space="preserve">'

    def __html__(self) -> str:
        return self._insert()

    def __str__(self) -> str:
        return self._insert()


def add_chart(document: Document, paragraph: Paragraph, spec: ChartSpec, width: int | None = None,
              height: int | None = None) -> ChartPart:
    """Append a native chart of ``spec`` to ``paragraph`` (of ``document``) in a run of its own.

    ``width`` and ``height`` are EMU (``docx.shared.Mm(156)``); the default fills the
    156 mm text block, 90 mm high. Returns the new chart part.
    """
    part = paragraph.part
    if part.package is not document.part.package:
        raise ValueError("the paragraph belongs to another document")
    r_id, chart = add_chart_part(part, spec)
    markup = drawing_xml(r_id, next_drawing_id(part, chart), chart, width, height)
    run = paragraph.add_run()
    run._r.append(parse_xml(markup))
    return chart


def format_chart_paragraph(paragraph: Paragraph) -> None:
    """Make ``paragraph`` fit to hold a chart: centred, no indents, single line spacing, kept with
    the next paragraph (its caption)."""
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Pt(0)
    fmt.left_indent = Pt(0)
    fmt.right_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.keep_with_next = True


def bind_charts(tpl: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    """The context for rendering ``tpl``, with every `ChartSpec` value turned into a `ChartTag`.

    The context docgen builds stays plain data (a spec is a frozen dataclass); this binds
    the charts to the template just before ``tpl.render``.
    """
    return {key: ChartTag(tpl, value) if isinstance(value, ChartSpec) else value
            for key, value in context.items()}
