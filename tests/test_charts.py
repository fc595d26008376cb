"""Native Word charts: the chart part, its workbook, the package wiring, docxtpl rendering, LibreOffice."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import openpyxl
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate
from lxml import etree

from docgen.charts import (
    ChartSpec,
    ChartTag,
    add_chart,
    bind_charts,
    column_spec,
    format_chart_paragraph,
    growth_spec,
)
from docgen.errors import DataError, TemplateError

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ITEMS = [("国民生产总值", 14500, 13679), ("工业产值", 8414, 8250), ("A&B<农业>产值", 5200.5, 4700)]
GROWTHS = [("国民生产总值", 6.0), ("工业产值", 2.0), ("农业产值", -3.2), ("财政收入", 17.0)]


def column() -> ChartSpec:
    return column_spec("沽东镇2024年主要指标完成情况", ITEMS, "万元")


def growth() -> ChartSpec:
    return growth_spec("主要指标比上年同期增长情况", GROWTHS)


def docgen_env() -> jinja2.Environment:
    """The environment docgen renders templates in (as docgen.render.jinja_env makes it)."""
    return jinja2.sandbox.SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


def render(tmp_path: Path, specs: dict[str, ChartSpec], *, autoescape: bool = True,
           name: str = "out.docx") -> Path:
    """Render a small template with one ``{{ <key> }}`` paragraph per chart, and save it."""
    source = Document()
    source.add_paragraph("{{ heading }}")
    for key in specs:
        source.add_paragraph("{{ " + key + " }}")
        source.add_paragraph(f"图 {key}")
    template_path = tmp_path / "template.docx"
    source.save(str(template_path))
    tpl = DocxTemplate(str(template_path))
    context: dict[str, Any] = {key: ChartTag(tpl, spec) for key, spec in specs.items()}
    context["heading"] = "二、主要成绩 A&B <镇>"
    env = docgen_env() if autoescape else jinja2.Environment(undefined=jinja2.StrictUndefined)
    tpl.render(context, jinja_env=env)
    out = tmp_path / name
    tpl.save(str(out))
    return out


def chart_parts(path: Path) -> list[Any]:
    """The chart parts the document body relates to, in the order of their drawings."""
    document = Document(str(path))
    rels = document.part.rels
    r_ids = xp(document.element.body, ".//c:chart/@r:id")
    parts = [rels[r_id].target_part for r_id in r_ids]
    assert all(rels[r_id].reltype == RT.CHART for r_id in r_ids)
    return parts


def xp(element: Any, path: str) -> Any:
    """XPath with this file's prefixes, on lxml and python-docx elements alike."""
    return etree.XPath(path, namespaces=NS)(element)


def chart_root(part: Any) -> etree._Element:
    return etree.fromstring(part.blob)


def read_series(root: etree._Element) -> list[tuple[str, list[str], list[float]]]:
    result = []
    for ser in xp(root, "//c:ser"):
        name = "".join(xp(ser, "c:tx//c:v/text()"))
        cats = [str(v) for v in xp(ser, "c:cat//c:pt/c:v/text()")]
        vals = [float(v) for v in xp(ser, "c:val//c:pt/c:v/text()")]
        result.append((name, cats, vals))
    return result


def one(root: etree._Element, path: str) -> str:
    found = xp(root, path)
    assert len(found) == 1, f"{path}: {found}"
    return str(found[0])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("charts"), {"chart": column(), "growth": growth()})


# --- the document as a whole ---------------------------------------------------------------------

def test_rendered_document_reopens_with_two_inline_charts(rendered: Path) -> None:
    document = Document(str(rendered))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "二、主要成绩 A&B <镇>"
    assert not any("{{" in t or "}}" in t for t in texts)
    drawings = xp(document.element.body, ".//w:drawing")
    assert len(drawings) == 2
    # each chart alone in its paragraph, where the tag was, with the caption after it
    for index, caption in ((1, "图 chart"), (3, "图 growth")):
        paragraph = document.paragraphs[index]
        assert xp(paragraph._p, ".//c:chart")
        assert paragraph.text == ""
        assert document.paragraphs[index + 1].text == caption
    ids = xp(document.element.body, ".//wp:docPr/@id")
    assert len(set(ids)) == 2
    extent = xp(drawings[0], ".//wp:extent")[0]
    assert (int(extent.get("cx")), int(extent.get("cy"))) == (Mm(156), Mm(90))
    assert one(drawings[0], ".//wp:docPr/@descr") == "沽东镇2024年主要指标完成情况"
    assert [one(d, ".//wp:docPr/@name") for d in drawings] == ["图表 1", "图表 2"]
    assert one(drawings[0], ".//a:graphicData/@uri") == NS["c"]


@pytest.mark.parametrize(("index", "spec", "direction"), [(0, column(), "col"), (1, growth(), "bar")])
def test_chart_part_holds_the_spec(rendered: Path, index: int, spec: ChartSpec, direction: str) -> None:
    root = chart_root(chart_parts(rendered)[index])
    assert one(root, "//c:plotArea/c:barChart/c:barDir/@val") == direction
    assert one(root, "//c:barChart/c:grouping/@val") == "clustered"
    assert read_series(root) == [(name, list(spec.categories), list(values)) for name, values in spec.series]
    assert one(root, "/c:chartSpace/c:chart/c:title/c:tx//a:t/text()") == spec.title
    assert set(xp(root, "//c:numCache/c:formatCode/text()")) == {spec.number_format}


def test_column_chart_compares_this_year_with_last_year(rendered: Path) -> None:
    root = chart_root(chart_parts(rendered)[0])
    assert read_series(root) == [
        ("本年", ["国民生产总值", "工业产值", "A&B<农业>产值"], [14500.0, 8414.0, 5200.5]),
        ("上年同期", ["国民生产总值", "工业产值", "A&B<农业>产值"], [13679.0, 8250.0, 4700.0]),
    ]
    assert one(root, "//c:legend/c:legendPos/@val") == "b"
    assert one(root, "//c:valAx/c:title//a:t/text()") == "单位：万元"


def test_growth_chart_shows_rates_as_percentages(rendered: Path) -> None:
    root = chart_root(chart_parts(rendered)[1])
    assert read_series(root) == [("比上年同期增长", ["国民生产总值", "工业产值", "农业产值", "财政收入"],
                                  [0.06, 0.02, -0.032, 0.17])]
    assert one(root, "//c:valAx/c:numFmt/@formatCode") == "0.0%"
    assert one(root, "//c:dLbls/c:numFmt/@formatCode") == "0.0%"
    assert xp(root, "//c:legend") == []  # one series: the title says it all
    # first indicator on top, the value axis at the bottom, labels clear of negative bars
    assert one(root, "//c:catAx/c:scaling/c:orientation/@val") == "maxMin"
    assert one(root, "//c:valAx/c:crosses/@val") == "max"
    assert one(root, "//c:catAx/c:tickLblPos/@val") == "low"


def test_chart_carries_what_word_expects(rendered: Path) -> None:
    root = chart_root(chart_parts(rendered)[0])
    assert one(root, "/c:chartSpace/c:date1904/@val") == "0"
    assert one(root, "/c:chartSpace/c:lang/@val") == "zh-CN"
    assert one(root, "/c:chartSpace/c:roundedCorners/@val") == "0"
    assert one(root, "/c:chartSpace/c:chart/c:autoTitleDeleted/@val") == "0"
    assert one(root, "//c:barChart/c:varyColors/@val") == "0"
    children = [etree.QName(child).localname for child in root]
    assert children == ["date1904", "lang", "roundedCorners", "chart", "spPr", "txPr", "externalData"]
    chart = [etree.QName(child).localname for child in root.find("c:chart", NS)]
    assert chart == ["title", "autoTitleDeleted", "plotArea", "legend", "plotVisOnly", "dispBlanksAs"]


def test_every_text_has_the_chinese_font(rendered: Path) -> None:
    for part in chart_parts(rendered):
        root = chart_root(part)
        # title, legend (if any), both axes, data labels and the chart default each set their text
        owners = xp(root, "//c:txPr/.. | //c:rich/../..")
        names = {etree.QName(owner).localname for owner in owners}
        assert {"chartSpace", "title", "catAx", "valAx", "dLbls"} <= names
        runs = xp(root, "//a:defRPr | //a:rPr")
        assert runs
        for props in runs:
            assert props.get("lang") == "zh-CN"
            assert xp(props, "a:ea/@typeface") == ["仿宋_GB2312"]
            assert xp(props, "a:latin/@typeface") == ["Times New Roman"]
        # the part is UTF-8 text, the Chinese title written as such
        assert part.blob.startswith(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>")
        assert one(root, "/c:chartSpace/c:chart/c:title/c:tx//a:t/text()").encode("utf-8") in part.blob


def test_fonts_follow_the_spec(tmp_path: Path) -> None:
    spec = ChartSpec(kind="column", title="标题", categories=["甲"], series=[("本年", [1.0])],
                     east_asian_font="楷体_GB2312", latin_font="Arial")
    root = chart_root(chart_parts(render(tmp_path, {"chart": spec}))[0])
    assert set(xp(root, "//a:ea/@typeface")) == {"楷体_GB2312"}
    assert set(xp(root, "//a:latin/@typeface")) == {"Arial"}


# --- the embedded workbook and the package wiring ------------------------------------------------

@pytest.mark.parametrize(("index", "spec"), [(0, column()), (1, growth())])
def test_embedded_workbook_holds_the_same_numbers(rendered: Path, index: int, spec: ChartSpec) -> None:
    part = chart_parts(rendered)[index]
    root = chart_root(part)
    r_id = one(root, "/c:chartSpace/c:externalData/@r:id")
    assert one(root, "/c:chartSpace/c:externalData/c:autoUpdate/@val") == "0"
    workbook_rel = part.rels[r_id]
    assert workbook_rel.reltype == RT.PACKAGE
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_rel.target_part.blob)).active
    assert sheet.title == "Sheet1"
    n = len(spec.categories)
    assert [sheet.cell(row, 1).value for row in range(2, n + 2)] == list(spec.categories)
    for column_index, (name, values) in enumerate(spec.series, start=2):
        assert sheet.cell(1, column_index).value == name
        assert [sheet.cell(row, column_index).value for row in range(2, n + 2)] == list(values)
        assert sheet.cell(2, column_index).number_format == spec.number_format
    assert sheet.cell(n + 2, 1).value is None
    # the chart's formulas name exactly those cells
    formulas = xp(root, "//c:ser/*/c:strRef/c:f/text() | //c:ser/*/c:numRef/c:f/text()")
    assert formulas[:3] == ["Sheet1!$B$1", f"Sheet1!$A$2:$A${n + 1}", f"Sheet1!$B$2:$B${n + 1}"]


def test_content_types_and_relationships(rendered: Path) -> None:
    with zipfile.ZipFile(rendered) as package:
        names = set(package.namelist())
        types = etree.fromstring(package.read("[Content_Types].xml"))
        document_rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        chart_rels = [etree.fromstring(package.read(f"word/charts/_rels/chart{n}.xml.rels")) for n in (1, 2)]
    assert {"word/charts/chart1.xml", "word/charts/chart2.xml",
            "word/embeddings/Microsoft_Excel_Worksheet1.xlsx",
            "word/embeddings/Microsoft_Excel_Worksheet2.xlsx"} <= names
    for n in (1, 2):
        assert xp(types, f"ct:Override[@PartName='/word/charts/chart{n}.xml']/@ContentType") == [CHART_CT]
    xlsx = xp(types, "ct:Default[@Extension='xlsx']/@ContentType") + xp(
        types, "ct:Override[@PartName='/word/embeddings/Microsoft_Excel_Worksheet1.xlsx']/@ContentType")
    assert xlsx == [XLSX_CT]
    targets = xp(document_rels, f"rel:Relationship[@Type='{RT.CHART}']/@Target")
    assert sorted(targets) == ["charts/chart1.xml", "charts/chart2.xml"]
    for n, rels in enumerate(chart_rels, start=1):
        assert xp(rels, "rel:Relationship/@Type") == [RT.PACKAGE]
        assert xp(rels, "rel:Relationship/@Target") == [
            f"../embeddings/Microsoft_Excel_Worksheet{n}.xlsx"]


def test_add_chart_to_a_python_docx_document(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("正文")
    chart = add_chart(document, document.add_paragraph(), growth(), width=Mm(120), height=Mm(70))
    second = add_chart(document, document.add_paragraph(), column())
    assert [str(chart.partname), str(second.partname)] == ["/word/charts/chart1.xml",
                                                           "/word/charts/chart2.xml"]
    assert str(chart.workbook_part.partname) == "/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"
    path = tmp_path / "added.docx"
    document.save(str(path))
    parts = chart_parts(path)
    assert [read_series(chart_root(p))[0][1] for p in parts] == [list(growth().categories),
                                                                  list(column().categories)]
    reopened = Document(str(path))
    extents = xp(reopened.element.body, ".//wp:extent")
    assert [(int(e.get("cx")), int(e.get("cy"))) for e in extents] == [(Mm(120), Mm(70)), (Mm(156), Mm(90))]
    ids = xp(reopened.element.body, ".//wp:docPr/@id")
    assert len(set(ids)) == 2


def test_chart_in_a_header_belongs_to_the_header(tmp_path: Path) -> None:
    source = Document()
    source.add_paragraph("正文")
    source.sections[0].header.paragraphs[0].text = "{{ chart }}"
    source.save(str(tmp_path / "t.docx"))
    tpl = DocxTemplate(str(tmp_path / "t.docx"))
    tpl.render({"chart": ChartTag(tpl, growth())}, jinja_env=docgen_env())
    tpl.save(str(tmp_path / "out.docx"))
    header = Document(str(tmp_path / "out.docx")).sections[0].header
    r_id = one(header._element, ".//c:chart/@r:id")
    rel = header.part.rels[r_id]
    assert (rel.reltype, str(rel.target_part.partname)) == (RT.CHART, "/word/charts/chart1.xml")
    assert read_series(chart_root(rel.target_part))[0][2] == [0.06, 0.02, -0.032, 0.17]


def test_tag_renders_without_autoescape_too(tmp_path: Path) -> None:
    path = render(tmp_path, {"chart": growth()}, autoescape=False)
    assert read_series(chart_root(chart_parts(path)[0]))[0][2] == [0.06, 0.02, -0.032, 0.17]


def test_bind_charts_turns_specs_into_tags(tmp_path: Path) -> None:
    Document().save(str(tmp_path / "t.docx"))
    tpl = DocxTemplate(str(tmp_path / "t.docx"))
    spec = growth()
    bound = bind_charts(tpl, {"title": "标题", "chart": spec, "rows": [spec]})
    assert bound["title"] == "标题"
    assert bound["rows"] == [spec]
    assert isinstance(bound["chart"], ChartTag)
    assert (bound["chart"].tpl, bound["chart"].spec) == (tpl, spec)


def test_chart_paragraph_format_keeps_the_chart_whole() -> None:
    document = Document()
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(28)  # the body's exact 28 pt would crop a chart
    paragraph.paragraph_format.first_line_indent = Pt(32)
    format_chart_paragraph(paragraph)
    fmt = paragraph.paragraph_format
    assert (fmt.line_spacing_rule, fmt.line_spacing) == (WD_LINE_SPACING.SINGLE, 1.0)
    assert (fmt.first_line_indent, fmt.left_indent, fmt.right_indent) == (0, 0, 0)
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert fmt.keep_with_next is True


def test_untitled_chart_tells_word_not_to_invent_a_title(tmp_path: Path) -> None:
    spec = growth_spec("", GROWTHS)
    root = chart_root(chart_parts(render(tmp_path, {"chart": spec}))[0])
    assert xp(root, "//c:chart/c:title") == []
    assert one(root, "//c:chart/c:autoTitleDeleted/@val") == "1"


def test_tag_outside_a_rendering_is_refused(tmp_path: Path) -> None:
    Document().save(str(tmp_path / "t.docx"))
    tag = ChartTag(DocxTemplate(str(tmp_path / "t.docx")), growth())
    with pytest.raises(TemplateError, match=r"'主要指标比上年同期增长情况' can only be placed while"):
        str(tag)


# --- specs ---------------------------------------------------------------------------------------

def test_column_spec_from_indicator_figures() -> None:
    spec = column()
    assert spec.kind == "column"
    assert spec.categories == ("国民生产总值", "工业产值", "A&B<农业>产值")
    assert spec.values == {"本年": (14500.0, 8414.0, 5200.5), "上年同期": (13679.0, 8250.0, 4700.0)}
    assert spec.number_format == "General"
    assert spec.value_axis_title == "单位：万元"
    assert (spec.east_asian_font, spec.latin_font) == ("仿宋_GB2312", "Times New Roman")


def test_growth_spec_holds_rates_as_exact_fractions() -> None:
    spec = growth()
    assert spec.kind == "bar"
    assert spec.values == {"比上年同期增长": (0.06, 0.02, -0.032, 0.17)}
    assert spec.number_format == "0.0%"
    assert growth_spec("t", [("x", 0.1), ("y", 33.3)]).series[0][1] == (0.001, 0.333)


def test_spec_is_immutable_and_compares_by_value() -> None:
    first = ChartSpec(kind="bar", title="t", categories=["a", "b"], series=[("s", [1, 2])])
    second = ChartSpec(kind="bar", title="t", categories=("a", "b"), series=(("s", (1.0, 2.0)),))
    assert first == second
    assert hash(first) == hash(second)
    with pytest.raises(AttributeError):
        first.title = "other"  # type: ignore[misc]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"categories": []}, "the chart 'T' has no categories to show"),
    ({"series": []}, "the chart 'T' has no series to show"),
    ({"series": [("本年", [1.0])]},
     "the series '本年' of the chart 'T' needs one value for each of its 2 categories, not 1"),
    ({"series": [("本年", [1.0, math.nan])]},
     "the series '本年' has the value nan, which a chart cannot show"),
    ({"kind": "pie"}, "unknown chart kind 'pie': use one of column, bar"),
    ({"colors": ["blue"]}, "chart colours must be RGB hex codes such as 2F5597, not blue"),
])
def test_bad_spec_is_a_data_error(kwargs: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {"kind": "column", "title": "T", "categories": ["a", "b"],
                              "series": [("本年", [1.0, 2.0])]}
    fields.update(kwargs)
    with pytest.raises(DataError) as caught:
        ChartSpec(**fields)
    assert caught.value.message == message


# --- LibreOffice lays the charts out -------------------------------------------------------------

@pytest.mark.libreoffice
def test_libreoffice_shows_title_and_category_labels(rendered: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pdfplumber = pytest.importorskip("pdfplumber")
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(rendered)],
                   check=True, capture_output=True, timeout=300)
    with pdfplumber.open(tmp_path / f"{rendered.stem}.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    flat = re.sub(r"\s+", "", text)
    for spec in (column(), growth()):
        assert spec.title in flat
        for label in spec.categories:
            assert label in flat
    for label in ("本年", "上年同期", "14500", "13679", "6.0%", "-3.2%", "17.0%"):
        assert label in flat
