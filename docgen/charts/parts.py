"""The Word package side of a chart: the chart part, its embedded workbook, and the inline drawing."""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.package import Package
from lxml import etree

from docgen.charts.chartxml import A_NS, C_NS, R_NS, chart_space, set_external_data, workbook_blob
from docgen.charts.spec import ChartSpec

CHART_PARTNAME = "/word/charts/chart%d.xml"
WORKBOOK_PARTNAME = "/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

EMU_PER_MM = 36000
#: The text block of GB/T 9704 is 156 mm wide; 90 mm high keeps a chart and its caption on a page.
DEFAULT_WIDTH = 156 * EMU_PER_MM
DEFAULT_HEIGHT = 90 * EMU_PER_MM


class ChartPart(Part):
    """A chart part (``/word/charts/chartN.xml``) whose XML lives as an element until the save."""

    def __init__(self, partname: PackURI, package: Package, element: etree._Element,
                 spec: ChartSpec) -> None:
        super().__init__(partname, CT.DML_CHART, package=package)
        self.element = element
        self.spec = spec

    @property
    def blob(self) -> bytes:
        return etree.tostring(self.element, xml_declaration=True, encoding="UTF-8", standalone=True)

    @property
    def workbook_part(self) -> Part:
        """The embedded workbook that Word's "Edit Data" opens."""
        for rel in self.rels.values():
            if rel.reltype == RT.PACKAGE:
                target: Part = rel.target_part
                return target
        raise LookupError(f"{self.partname} has no embedded workbook")


def add_chart_part(source: Part, spec: ChartSpec) -> tuple[str, ChartPart]:
    """Add a chart part showing ``spec`` and its workbook to ``source``'s package.

    ``source`` is the part whose XML will hold the drawing (the document body, a
    header…); it gets a chart relationship, whose id is returned with the new part.
    Each part is related as soon as it exists, so that the next chart's part names
    (found by walking the relationships) do not clash with it.
    """
    package = source.package
    if package is None:
        raise ValueError("the part belongs to no package")
    chart = ChartPart(package.next_partname(CHART_PARTNAME), package, chart_space(spec), spec)
    r_id = source.relate_to(chart, RT.CHART)
    workbook = Part(package.next_partname(WORKBOOK_PARTNAME), CT.SML_SHEET, workbook_blob(spec), package)
    set_external_data(chart.element, chart.relate_to(workbook, RT.PACKAGE))
    return r_id, chart


def next_drawing_id(source: Part, chart: ChartPart) -> int:
    """A ``wp:docPr`` id unused in ``source``: above every id there, offset by the chart's number.

    While docxtpl renders, the part's XML is still the template's, so its highest id
    stays the same for every chart of one rendering; the chart number keeps them apart.
    """
    highest = int(getattr(source, "next_id", 1))
    return highest + int(chart.partname.idx or 0)


def drawing(r_id: str, drawing_id: int, chart: ChartPart, width: int | None = None,
            height: int | None = None) -> etree._Element:
    """The ``w:drawing`` holding ``chart`` inline, ``width`` × ``height`` EMU, described by its title."""
    cx = width if width is not None else DEFAULT_WIDTH
    cy = height if height is not None else DEFAULT_HEIGHT
    if cx <= 0 or cy <= 0:
        raise ValueError(f"a chart must have a positive size, not {cx} × {cy} EMU")
    nsmap = {"w": W_NS, "wp": WP_NS, "a": A_NS, "c": C_NS, "r": R_NS}
    outer = etree.Element(f"{{{W_NS}}}drawing", nsmap=nsmap)
    inline = etree.SubElement(outer, f"{{{WP_NS}}}inline", distT="0", distB="0", distL="0", distR="0")
    etree.SubElement(inline, f"{{{WP_NS}}}extent", cx=str(cx), cy=str(cy))
    etree.SubElement(inline, f"{{{WP_NS}}}effectExtent", l="0", t="0", r="0", b="0")
    etree.SubElement(inline, f"{{{WP_NS}}}docPr", id=str(drawing_id), name=f"图表 {chart.partname.idx}",
                     descr=chart.spec.title)
    etree.SubElement(inline, f"{{{WP_NS}}}cNvGraphicFramePr")
    graphic = etree.SubElement(inline, f"{{{A_NS}}}graphic")
    data = etree.SubElement(graphic, f"{{{A_NS}}}graphicData", uri=CHART_URI)
    etree.SubElement(data, f"{{{C_NS}}}chart").set(f"{{{R_NS}}}id", r_id)
    return outer
