"""The fast engine against plain docxtpl: the same XML in every part, the same members, the same stamp."""

from __future__ import annotations

import dataclasses
import io
import logging
import zipfile
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate, RichText
from lxml import etree

from docgen.charts import bind_charts, column_spec, growth_spec
from docgen.checks import blocks_from_docx, blocks_from_members, read_blocks
from docgen.context import build_context
from docgen.engine import compile_template, render_document, zipwrite
from docgen.engine.support import context_obstacle
from docgen.errors import TemplateError
from docgen.loading import load
from docgen.output import (
    CUSTOM_PART,
    HASH_PROPERTY,
    declare_custom_part,
    provenance,
    read_members,
    stamp,
    write_members,
)
from docgen.render import jinja_env, render_docx

from .conftest import ROOT
from .engine.builders import feature_context, feature_template

EXAMPLES = sorted((ROOT / "data").glob("*.yaml"))
SHIPPED = ROOT / "templates" / "annual-summary.docx"


def canonical(members: Mapping[str, bytes]) -> dict[str, bytes]:
    """Each member as C14N when it is XML, else its bytes; an embedded workbook by its members.

    A chart's workbook records the second it was made (docProps/core.xml and zip entry dates), so
    that is left out: two renderings a second apart hold the same workbook otherwise.
    """
    result = {}
    for name, data in members.items():
        if name.endswith((".xml", ".rels")):
            result[name] = etree.tostring(etree.fromstring(data), method="c14n")
        elif name.endswith(".xlsx"):
            inner = canonical({n: d for n, d in read_members(data).items() if n != "docProps/core.xml"})
            result[name] = b"\0".join(n.encode() + b"\0" + d for n, d in inner.items())
        else:
            result[name] = data
    return result


def assert_same(reference: bytes, fast: bytes) -> None:
    expected, actual = read_members(reference), read_members(fast)
    assert list(actual) == list(expected)
    expected_xml, actual_xml = canonical(expected), canonical(actual)
    if any(name.endswith(".xlsx") for name in expected):  # the stamp hashes the workbooks' dates
        expected_xml.pop(CUSTOM_PART, None)
        actual_xml.pop(CUSTOM_PART, None)
    for name in expected_xml:
        assert actual_xml[name] == expected_xml[name], name


def texts(docx: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(docx)).paragraphs]


CONTEXTS = {
    "full": {},
    "empty lists, flag off": {"review": [], "indicator_rows": [], "years": [], "groups": [],
                              "flag": False},
    "markup in values": {"town": "A&B<镇>\"'", "title": "</w:t><w:t>", "author": "甲\t乙",
                         "intro": "{{ year }} 不是标签", "date": ""},
    "tags in a footnote value": {"note": "{{ year }}"},  # docxtpl renders footnotes once per section
    "no special characters": {"intro": "平常的一段话。", "listing": "平常", "rich": "平常",
                              "review": [SimpleNamespace(ordinal="（一）", title="农业",
                                                         paragraphs=["一段。"])]},
}


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return feature_template(tmp_path_factory.mktemp("engine") / "features.docx")


@pytest.mark.parametrize("name", CONTEXTS)
def test_feature_template_renders_as_docxtpl_does(features: Path, name: str) -> None:
    context = feature_context(**CONTEXTS[name])
    compiled = compile_template(features)
    reference = render_docx(features, context)
    fast = compiled.render(context)
    assert compiled.fallback is None and compiled.last_note is None
    assert_same(reference, fast)
    fast_stamped = compiled.render_stamped(context)
    assert compiled.last_note is None
    assert_same(stamp(reference), fast_stamped)
    # the stamp hashes the members' bytes: equal hashes, so the very same content
    assert read_members(fast_stamped)[CUSTOM_PART] == read_members(stamp(reference))[CUSTOM_PART]


def test_feature_template_output_is_rendered(features: Path) -> None:
    docx = compile_template(features).render_stamped(feature_context())
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        assert package.testzip() is None
        assert {i.compress_type for i in package.infolist()} == {zipfile.ZIP_DEFLATED}
        document = package.read("word/document.xml").decode("utf-8")
        footnotes = package.read("word/footnotes.xml").decode("utf-8")
        header = package.read("word/header2.xml").decode("utf-8")
    lines = texts(docx)
    assert "沽东镇2024年工作总结" in lines and "（一）农业" in lines and "小麦\n稳产。" in lines
    assert "开头：沽东镇，滨河区。" in lines and "字面 {{ literal }} 与 {% tag %}" in lines
    assert "A&amp;B &lt;公司&gt;" in document and "{%" not in document.replace("{% tag %}", "")
    assert "数据来源：沽东镇统计站（2024年注）" in footnotes and "第2节 沽东镇" in header
    table = Document(io.BytesIO(docx)).tables[1]
    assert [c.text for c in table.rows[1].cells] == ["产值", "4044", "4046", "4048"]
    assert len(table._tbl.tblGrid.findall("{*}gridCol")) == 4  # fix_tables added the columns
    read = [(b.part, b.text) for b in blocks_from_docx(docx) if b.part and b.part[0] != "header"]
    assert read == [(("footer", 1), "沽东镇人民政府 · 2024年11月20日"),
                    (("footnote", 1), " 数据来源：沽东镇统计站（2024年注）"),
                    (("textbox", 1), "沽东镇文本框"), (("textbox", 1), "2025年"),
                    (("textbox", 2), "沽东镇人民政府")]  # the body's box, then the first header's


def test_stamped_output_is_docgens_unedited_draft(features: Path, tmp_path: Path) -> None:
    path = tmp_path / "out.docx"
    path.write_bytes(compile_template(features).render_stamped(feature_context()))
    assert provenance(path) == "unedited"
    document = Document(str(path))
    document.paragraphs[0].text = "改过"
    document.save(str(path))
    assert provenance(path) == "edited"


def test_unchanged_members_are_copied_not_recompressed(features: Path) -> None:
    compiled = compile_template(features)
    first = compiled.render_stamped(feature_context())
    second = compiled.render_stamped(feature_context(town="另一镇"))

    def raw(docx: bytes, name: str) -> bytes:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            info = package.getinfo(name)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        return docx[start:start + info.compress_size]

    assert raw(first, "word/styles.xml") == raw(second, "word/styles.xml")
    assert raw(first, "word/document.xml") != raw(second, "word/document.xml")


def test_compiled_once_per_file_version(tmp_path: Path) -> None:
    path = feature_template(tmp_path / "t.docx", sections=1, footnotes=False, pictures=False)
    first = compile_template(path)
    assert compile_template(path) is first
    feature_template(path, sections=2, footnotes=False, pictures=False)
    again = compile_template(path)
    assert again is not first
    assert_same(render_docx(path, feature_context()), again.render(feature_context()))


def test_render_document_engines_agree(features: Path) -> None:
    context = feature_context()
    assert canonical(read_members(render_document(features, context, "docxtpl"))) == \
        canonical(read_members(render_document(features, context, "fast")))


# -- what the fast engine leaves to docxtpl ------------------------------------------------------------

class Bound:
    """Stands for InlineImage or Subdoc: made with a DocxTemplate, to render into it."""

    def __init__(self, tpl: DocxTemplate) -> None:
        self.tpl = tpl

    def __html__(self) -> str:
        return "图"


def test_objects_made_for_another_template_go_the_plain_way(
        features: Path, caplog: pytest.LogCaptureFixture) -> None:
    linked = RichText("链接", url_id="rId99")
    for value, kind in ((Bound(DocxTemplate(features)), "Bound"), (linked, "RichText")):
        context = feature_context(rich=value)
        compiled = compile_template(features)
        with caplog.at_level(logging.INFO, logger="docgen"):
            fast = compiled.render(context)
        assert compiled.last_note is not None and kind in compiled.last_note
        assert kind in caplog.text
        assert read_members(fast).keys() == read_members(render_docx(features, context)).keys()
        caplog.clear()
    compiled.render(feature_context())
    assert compiled.last_note is None


@dataclasses.dataclass(frozen=True)
class Row:
    name: str
    cells: Any = ()


def test_an_object_made_for_a_template_is_found_wherever_it_is_held(features: Path) -> None:
    bound = Bound(DocxTemplate(features))
    plain = {"rows": [Row("a", ("b", 1.5)), Row("c")], "spec": {"x": SimpleNamespace(y=[Row("d")])},
             "kind": Row}  # a dataclass's class, not an instance
    assert context_obstacle(plain) is None
    for held in ([Row("a"), Row("b", (bound,))],  # a dataclass type seen before, then one holding it
                 {"k": SimpleNamespace(v={bound})}, (Row("a", Row("b", [bound])),)):
        found = context_obstacle({**plain, "held": held})
        assert found is not None and "Bound" in found, held
    assert context_obstacle({"rich": RichText("字")}) is None  # renders as plain XML text


def test_missing_variable_fails_as_docxtpl_path_does(features: Path) -> None:
    context = feature_context()
    del context["superior"]
    with pytest.raises(TemplateError) as plain:
        render_docx(features, context)
    with pytest.raises(TemplateError) as fast:
        compile_template(features).render_stamped(context)
    assert str(fast.value) == str(plain.value) and "superior" in str(fast.value)


def test_template_syntax_error_fails_as_docxtpl_path_does(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    document = Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph("{%p for x in review %}")  # no endfor
    document.save(str(path))
    compiled = compile_template(path)
    assert compiled.fallback is not None
    with pytest.raises(TemplateError) as plain:
        render_docx(path, {"title": "t", "review": []})
    with pytest.raises(TemplateError) as fast:
        compiled.render({"title": "t", "review": []})
    assert str(fast.value) == str(plain.value)


def test_not_a_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateError, match="not a Word"):
        compile_template(path)


def test_shared_header_part_goes_the_plain_way(tmp_path: Path) -> None:
    path = feature_template(tmp_path / "t.docx", sections=1, footnotes=False, pictures=False)
    document = Document(str(path))
    header = document.sections[0].header.part
    r_id = document.part.rels._next_rId
    document.part.rels.add_relationship(RT.HEADER, header, r_id)  # the header related twice
    document.save(str(path))
    compiled = compile_template(path)
    assert compiled.fallback is not None and "shared" in compiled.fallback
    # docxtpl writes the rendered part twice under one name; the fast engine does just the same
    with pytest.warns(UserWarning, match="Duplicate name: 'word/header1.xml'"):
        compiled.render(feature_context())
    assert compiled.last_note == compiled.fallback


# -- charts: parts added while rendering ---------------------------------------------------------------

def docxtpl_with_charts(path: Path, context: dict[str, Any]) -> bytes:
    """docxtpl's documented path with docgen's charts: bind the specs to the template, render, save."""
    tpl = DocxTemplate(path)
    tpl.render(bind_charts(tpl, context), jinja_env(), autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


def test_charts_in_body_and_header(tmp_path: Path) -> None:
    path = tmp_path / "charts.docx"
    document = Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph("{{ chart }}")
    document.add_paragraph("{{ growth }}")
    document.sections[0].header.paragraphs[0].text = "{{ header_chart }}"
    document.save(str(path))
    compiled = compile_template(path)
    for town in ("甲镇", "乙镇"):  # a second rendering adds the same parts again, named the same
        context = {"title": town, "chart": column_spec(town, [("产值", 1, 2), ("收入", 3, 4)], "万元"),
                   "growth": growth_spec("增长", [("产值", 6.0)]),
                   "header_chart": growth_spec("页眉", [("收入", -2.0)])}
        reference = docxtpl_with_charts(path, context)
        fast = compiled.render_stamped(context)
        assert compiled.last_note is None
        assert_same(stamp(reference), fast)
        names = list(read_members(fast))
        assert {"word/charts/chart1.xml", "word/charts/chart3.xml",
                "word/embeddings/Microsoft_Excel_Worksheet2.xlsx"} <= set(names)
    plain = compiled.render({"title": "丙镇", "chart": "", "growth": "", "header_chart": ""})
    assert not any("chart" in name for name in read_members(plain))  # the template is untouched
    with zipfile.ZipFile(io.BytesIO(fast)) as package:  # a workbook is zipped already: stored
        methods = {info.filename: info.compress_type for info in package.infolist()}
        assert package.testzip() is None
    assert {m for name, m in methods.items() if name.endswith(".xlsx")} == {zipfile.ZIP_STORED}
    assert methods["word/document.xml"] == zipfile.ZIP_DEFLATED


def title_and_chart(path: Path) -> Path:
    """A template of two paragraphs: ``{{ title }}`` and ``{{ chart }}``."""
    document = Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph("{{ chart }}")
    document.save(str(path))
    return path


def test_a_document_compresses_only_what_its_data_changes(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The content types and relationships of a chart's parts are the same document after document:
    compressed for the first, copied for the next."""
    path = title_and_chart(tmp_path / "chart.docx")
    compiled = compile_template(path)
    compressed: list[str] = []
    member = zipwrite.member
    monkeypatch.setattr(zipwrite, "member", lambda name, *args, **kwargs: compressed.append(name) or
                        member(name, *args, **kwargs))
    for town in ("甲镇", "乙镇"):
        compressed.clear()
        context = {"title": town, "chart": column_spec(town, [("产值", 1, 2)], "万元")}
        docx = compiled.render_stamped(context)
        assert_same(stamp(docxtpl_with_charts(path, context)), docx)
    assert sorted(compressed) == [CUSTOM_PART, "word/charts/chart1.xml", "word/document.xml"]


def test_chart_shapes_alternate_on_one_compiled_template(tmp_path: Path) -> None:
    """The content types and relationships kept per shape of parts: never those of another shape."""
    path = tmp_path / "charts.docx"
    document = Document()
    document.add_paragraph("{{ chart }}")
    document.add_paragraph("{{ growth }}")
    document.sections[0].header.paragraphs[0].text = "{{ header_chart }}"
    document.save(str(path))
    compiled = compile_template(path)
    chart = column_spec("甲镇", [("产值", 1, 2)], "万元")
    growth = growth_spec("增长", [("产值", 6.0)])
    header = growth_spec("页眉", [("收入", -2.0)])
    for chart_value, growth_value, header_value in [(chart, "", ""), (chart, growth, header),
                                                    ("", growth, ""), (chart, "", ""),
                                                    ("", "", header), (chart, growth, header)]:
        context = {"chart": chart_value, "growth": growth_value, "header_chart": header_value}
        assert_same(stamp(docxtpl_with_charts(path, context)), compiled.render_stamped(context))
        assert_same(docxtpl_with_charts(path, context), compiled.render(context))


# -- the project's template and examples ---------------------------------------------------------------

@pytest.mark.parametrize("data", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_shipped_template_with_examples(data: Path) -> None:
    if not SHIPPED.is_file():
        pytest.skip("templates/annual-summary.docx is not built yet")
    context = build_context(load(data))
    compiled = compile_template(SHIPPED)
    fast = compiled.render_stamped(context)
    assert compiled.last_note is None
    assert compiled._around_body is not None  # the body is parsed in place, not swapped in
    assert_same(stamp(render_docx(SHIPPED, context)), fast)
    members = read_members(fast)
    assert HASH_PROPERTY.encode() in members[CUSTOM_PART]
    assert context["town"] in "".join(texts(fast))


@pytest.mark.parametrize("data", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_document_tree_handed_on_reads_as_the_written_file(data: Path, tmp_path: Path) -> None:
    """The self-check reads the tree the body was parsed into: the blocks python-docx reads from
    the file written, with the tree no more the engine's to change."""
    if not SHIPPED.is_file():
        pytest.skip("templates/annual-summary.docx is not built yet")
    compiled = compile_template(SHIPPED)
    rendered = compiled.render_package(build_context(load(data)))
    assert rendered.document is not None
    path = tmp_path / "draft.docx"
    path.write_bytes(rendered.docx)
    blocks = blocks_from_members(rendered.members, rendered.document)
    assert blocks == blocks_from_members(rendered.members) == read_blocks(path)
    compiled.render_package(build_context(load(EXAMPLES[0])))  # the next document's tree is new
    assert blocks_from_members(rendered.members, rendered.document) == blocks


@pytest.mark.parametrize("name", CONTEXTS)
def test_feature_template_trees_read_as_their_files(features: Path, name: str, tmp_path: Path) -> None:
    rendered = compile_template(features).render_package(feature_context(**CONTEXTS[name]))
    path = tmp_path / "draft.docx"
    path.write_bytes(rendered.docx)
    assert blocks_from_members(rendered.members, rendered.document) == read_blocks(path)


def test_a_body_swapped_in_hands_on_no_tree(features: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tree of a body swapped into the template's document element stays the template's."""
    compiled = compile_template(features)
    monkeypatch.setattr(compiled, "_around_body", None)
    rendered = compiled.render_package(feature_context())
    assert compiled.last_note is None and rendered.document is None
    assert_same(stamp(render_docx(features, feature_context())), rendered.docx)


WPS_CUSTOM = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
              b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
              b'<vt:lpwstr>2052-12.1.0.16929</vt:lpwstr></property></Properties>')


@pytest.mark.parametrize("with_chart", [False, True])
def test_a_template_with_custom_properties_is_stamped(tmp_path: Path, with_chart: bool) -> None:
    """WPS saves a custom property in every document: a template it saved keeps it, and the
    draft still gets docgen's stamp beside it."""
    path = title_and_chart(tmp_path / "wps.docx")
    members = read_members(path)
    members[CUSTOM_PART] = WPS_CUSTOM
    declare_custom_part(members)
    path.write_bytes(write_members(members))
    context = {"title": "甲镇",
               "chart": column_spec("甲镇", [("产值", 1, 2)], "万元") if with_chart else ""}
    fast, unzipped, _document = compile_template(path).render_package(context)
    assert_same(stamp(docxtpl_with_charts(path, context)), fast)
    custom = read_members(fast)[CUSTOM_PART]
    assert b"KSOProductBuildVer" in custom and HASH_PROPERTY.encode() in custom
    assert unzipped == read_members(fast)
    out = tmp_path / "draft.docx"
    out.write_bytes(fast)
    assert provenance(out) == "unedited"
