"""Native, editable Word charts (DrawingML chart part + embedded workbook) for docxtpl templates."""

from __future__ import annotations

from docgen.charts.chartxml import chart_space, series_values, workbook_blob
from docgen.charts.parts import (
    DEFAULT_HEIGHT,
    DEFAULT_WIDTH,
    ChartPart,
    add_chart_part,
    drawing,
    next_drawing_id,
)
from docgen.charts.spec import ChartSpec, column_spec, growth_spec
from docgen.charts.tag import ChartTag, add_chart, bind_charts, format_chart_paragraph

__all__ = [
    "DEFAULT_HEIGHT",
    "DEFAULT_WIDTH",
    "ChartPart",
    "ChartSpec",
    "ChartTag",
    "add_chart",
    "add_chart_part",
    "bind_charts",
    "chart_space",
    "column_spec",
    "drawing",
    "format_chart_paragraph",
    "growth_spec",
    "next_drawing_id",
    "series_values",
    "workbook_blob",
]
