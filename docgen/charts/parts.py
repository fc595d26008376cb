"""The Word package side of a chart: the chart part, its embedded workbook, and the inline drawing."""

from __future__ import annotations

import re

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.package import Package
from docx.parts.story import StoryPart
from lxml import etree

from docgen.charts.chartxml import A_NS, C_NS, R_NS, attribute, chart_xml, serialise, workbook_blob
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
    """A chart part (``/word/charts/chartN.xml``) showing ``spec``, related to its embedded ``workbook``.

    Its XML is written when it is made; `element` parses it for whoever wants to read or change it
    (a change then goes into `blob`).
    """

    def __init__(self, partname: PackURI, package: Package, spec: ChartSpec, workbook: Part) -> None:
        super().__init__(partname, CT.DML_CHART, package=package)
        self.spec = spec
        self._element: etree._Element | None = None
        self._xml = chart_xml(spec, self.relate_to(workbook, RT.PACKAGE))

    @property
    def element(self) -> etree._Element:
        """The part's ``c:chartSpace``."""
        if self._element is None:
            self._element = etree.fromstring(self._xml)
        return self._element

    @property
    def blob(self) -> bytes:
        return self._xml if self._element is None else serialise(self._element)

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
    The parts are named as python-docx's ``next_partname`` names them, from one walk
    over the package's relationships (a chart's name and a workbook's cannot clash).
    """
    package = source.package
    if package is None:
        raise ValueError("the part belongs to no package")
    chart_name, workbook_name = next_partnames(package, CHART_PARTNAME, WORKBOOK_PARTNAME)
    workbook = Part(workbook_name, CT.SML_SHEET, workbook_blob(spec), package)
    chart = ChartPart(chart_name, package, spec, workbook)
    return source.relate_to(chart, RT.CHART), chart


def next_partnames(package: Package, *templates: str) -> list[PackURI]:
    """``package.next_partname(template)`` for each of ``templates``, with one walk over the parts (the
    parts ``package.iter_parts()`` finds, without its list of the parts seen)."""
    used: set[str] = set()
    seen = {id(package)}
    sources: list[Package | Part] = [package]
    while sources:
        for rel in sources.pop().rels.values():
            if not rel.is_external and id(part := rel.target_part) not in seen:
                seen.add(id(part))
                used.add(part.partname)
                sources.append(part)
    return [PackURI(next(name for n in range(1, len(used) + 2) if (name := template % n) not in used))
            for template in templates]


def next_drawing_id(source: Part, chart: ChartPart) -> int:
    """A ``wp:docPr`` id unused in ``source``: above every id there, offset by the chart's number.

    While docxtpl renders, the part's XML is still the template's, so its highest id
    stays the same for every chart of one rendering; the chart number keeps them apart.
    """
    if isinstance(source, StoryPart) and type(source).next_id is StoryPart.next_id:
        highest = _next_story_id(source.element)
    else:
        highest = int(getattr(source, "next_id", 1))
    return highest + int(chart.partname.idx or 0)


_IDS = etree.XPath("//@id")


def _next_story_id(element: etree._Element) -> int:
    """python-docx's ``StoryPart.next_id`` of a part whose element is ``element``, by a compiled
    XPath: python-docx's evaluates its XPath with every namespace it knows registered, which costs
    several times the search."""
    found = _IDS(element)
    assert isinstance(found, list)  # an XPath to attributes finds a list of their values
    used = [int(text) for text in found if isinstance(text, str) and text.isdigit()]
    return max(used) + 1 if used else 1


def drawing(r_id: str, drawing_id: int, chart: ChartPart, width: int | None = None,
            height: int | None = None) -> etree._Element:
    """The ``w:drawing`` holding ``chart`` inline, ``width`` × ``height`` EMU, described by its title."""
    return etree.fromstring(drawing_xml(r_id, drawing_id, chart, width, height))


def drawing_xml(r_id: str, drawing_id: int, chart: ChartPart, width: int | None = None,
                height: int | None = None) -> str:
    """`drawing` as lxml writes it."""
    cx = width if width is not None else DEFAULT_WIDTH
    cy = height if height is not None else DEFAULT_HEIGHT
    if cx <= 0 or cy <= 0:
        raise ValueError(f"a chart must have a positive size, not {cx} × {cy} EMU")
    title = chart.spec.title
    if not _ATTRIBUTE_TEXT.fullmatch(title):
        raise ValueError(f"a chart title must be text XML can hold, not {title!r}")
    return (f'<w:drawing xmlns:w="{W_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" xmlns:c="{C_NS}" '
            f'xmlns:r="{R_NS}"><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{drawing_id}" name="图表 {chart.partname.idx}" descr="{attribute(title)}"/>'
            f'<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{CHART_URI}">'
            f'<c:chart r:id="{attribute(r_id)}"/></a:graphicData></a:graphic></wp:inline></w:drawing>')


#: What lxml takes in an attribute (it refuses NUL, other control characters and non-characters).
_ATTRIBUTE_TEXT = re.compile("[^\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*")
