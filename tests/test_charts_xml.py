"""Chart XML written from text is the XML lxml writes: the chart part, the drawing, the ids and names."""

from __future__ import annotations

import copy
import random

import pytest
from docx import Document
from docx.opc.packuri import PackURI
from docx.oxml.parser import parse_xml
from lxml import etree

from docgen.charts import ChartSpec, add_chart, chartxml, column_spec, drawing, growth_spec
from docgen.charts.chartxml import build_chart_space, chart_xml, serialise, set_external_data
from docgen.charts.parts import (
    A_NS,
    C_NS,
    CHART_PARTNAME,
    CHART_URI,
    R_NS,
    W_NS,
    WORKBOOK_PARTNAME,
    WP_NS,
    ChartPart,
    add_chart_part,
    drawing_xml,
    next_drawing_id,
    next_partnames,
)

#: Text lxml writes escaped, or raw but unusual: markup characters, quotes, whitespace, characters
#: beyond the BMP and beyond Latin-1, a lone C1 control, line separators, what stands for a slot.
TRICKY = ["&", "<", ">", '"', "'", "\t", "\n", " ", "]]>", "&amp;", "𠀀", "😀", "\x85", "\u2028", "\xa0",
          "\ue000", "\ue0000\ue001", "\ue0011\ue001", "{x}", "%s", "\\", "数据", ""]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 4)))


def _specs(seed: int) -> list[ChartSpec]:
    """Charts of three shapes with random texts and values."""
    rng = random.Random(seed)
    specs = []
    for _round in range(15):
        labels = [_text(rng) for _ in range(3)]
        values = [rng.choice([0.0, -1.5, 1e-7, 0.1 + 0.2, 123456789.125, 1e21, rng.uniform(-1e6, 1e6)])
                  for _ in range(6)]
        specs.append(ChartSpec("column", "标题 & <图>", labels,
                               [(_text(rng), values[:3]), (_text(rng), values[3:])]))
        specs.append(ChartSpec("bar", "增长", labels[:2], [(_text(rng), values[:2])], number_format="0.0%"))
        specs.append(ChartSpec("column", "", labels, [(_text(rng), values[3:])], data_labels=False))
    return specs


def _reference(spec: ChartSpec, r_id: str) -> bytes:
    """The chart part's XML as lxml writes it: the element built afresh, its texts set as `chart_space`
    sets them in a copy of its shape's element."""
    root = build_chart_space(spec)
    chartxml._fill_caches(root, [(name, [f"{value}" for value in values]) for name, values in spec.series],
                          spec.categories)
    set_external_data(root, r_id)
    return serialise(root)


@pytest.mark.parametrize("seed", range(4))
def test_chart_xml_of_a_known_shape_is_the_xml_lxml_writes(seed: int) -> None:
    chartxml._XML.clear()
    chartxml._SHAPES.clear()
    for spec in _specs(seed):
        r_id = f"rId{seed + 1}"
        written = chart_xml(spec, r_id)
        assert written == _reference(spec, r_id)
        fresh = build_chart_space(spec)
        set_external_data(fresh, r_id)
        assert etree.tostring(etree.fromstring(written), method="c14n") == \
            etree.tostring(fresh, method="c14n")
    assert chartxml._XML and all(shape is not None for shape in chartxml._XML.values())


def test_a_shape_whose_fixed_text_holds_a_slot_mark_is_written_by_lxml() -> None:
    spec = ChartSpec("column", "标题\ue0000\ue001", ["甲", "乙"], [("本年", [1, 2])])
    assert chart_xml(spec, "rId1") == _reference(spec, "rId1")
    assert chartxml._XML[chartxml._shape(spec)] is None  # type: ignore[index]
    other = ChartSpec("column", "标题\ue0000\ue001", ["丙", "丁"], [("上年", [3, 4])])
    assert chart_xml(other, "rId1") == _reference(other, "rId1")


@pytest.mark.parametrize(("title", "label"), [("图", "甲\x01"), ("图\x01", "甲")])
def test_text_xml_cannot_hold_is_refused(title: str, label: str) -> None:
    spec = ChartSpec("column", title, [label, "乙"], [("本年", [1, 2])])
    with pytest.raises((ValueError, etree.XMLSyntaxError)):
        chart_xml(spec, "rId1")


def _lxml_drawing(r_id: str, drawing_id: int, chart: ChartPart, cx: int, cy: int) -> etree._Element:
    """The drawing as it was built with lxml, element by element."""
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


class _Chart:
    """What `drawing_xml` reads of a chart part."""

    def __init__(self, title: str, number: int) -> None:
        self.spec = column_spec(title, [("甲", 1, 2)], "万元")
        self.partname = PackURI(CHART_PARTNAME % number)


@pytest.mark.parametrize("title", [*TRICKY, "\r", "a\tb\nc\rd", "".join(TRICKY), "\x01", "\ufffe", "\x0b"])
def test_drawing_xml_is_the_drawing_lxml_writes(title: str) -> None:
    chart = _Chart(title, 12)
    try:
        expected = etree.tostring(_lxml_drawing("rId7", 1003, chart, 5616000, 3240000), encoding="unicode")
    except ValueError:
        with pytest.raises(ValueError):
            drawing_xml("rId7", 1003, chart, 5616000, 3240000)  # type: ignore[arg-type]
        return
    assert drawing_xml("rId7", 1003, chart, 5616000, 3240000) == expected  # type: ignore[arg-type]
    assert etree.tostring(drawing("rId7", 1003, chart, 5616000, 3240000)) == \
        etree.tostring(_lxml_drawing("rId7", 1003, chart, 5616000, 3240000))  # type: ignore[arg-type]


def test_next_partnames_are_python_docx_names() -> None:
    document = Document()
    section = document.sections[0]
    section.header.is_linked_to_previous = False  # parts related from the body's part
    section.footer.add_paragraph("页脚")
    add_chart(document, section.header.add_paragraph(), growth_spec("页眉", [("甲", 1.0)]))
    paragraph = document.add_paragraph()
    for _chart in range(3):
        package = document.part.package
        expected = [package.next_partname(CHART_PARTNAME), package.next_partname(WORKBOOK_PARTNAME)]
        assert next_partnames(package, CHART_PARTNAME, WORKBOOK_PARTNAME) == expected
        add_chart(document, paragraph, growth_spec("增长", [("甲", 1.0)]))


def test_drawing_ids_are_above_every_id_of_the_part() -> None:
    document = Document()
    body = document.element.body
    for xml_id in ("7", "x12", "", "40", "٣"):  # python-docx counts ASCII and other decimal digits
        body.append(parse_xml(f'<w:p xmlns:w="{W_NS}"><w:bookmarkStart id="{xml_id}"/></w:p>'))
    _r_id, chart = add_chart_part(document.part, growth_spec("增长", [("甲", 1.0)]))
    assert next_drawing_id(document.part, chart) == document.part.next_id + 1 == 42


def test_a_changed_element_is_what_the_part_saves() -> None:
    document = Document()
    spec = growth_spec("增长", [("甲", 1.0)])
    chart = add_chart(document, document.add_paragraph(), spec)
    assert chart.blob == _reference(spec, "rId1")
    before = copy.deepcopy(chart.element)
    chart.element.find(f"{{{C_NS}}}roundedCorners").set("val", "1")  # type: ignore[union-attr]
    assert chart.blob == serialise(chart.element) != serialise(before)
