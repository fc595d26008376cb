"""Reading a .docx for the check: body order, tables, content controls; a bad file is a clear error."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import docx.shared
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from docgen import api
from docgen.checks import Block, blocks_from_docx, blocks_from_members, check_document, read_blocks
from docgen.checks.jsonshape import ReportModel
from docgen.checks.report import place, report_dict
from docgen.errors import CheckError

from .conftest import ROOT
from .wordparts import add_notes, add_text_box


def test_paragraphs_and_cells_are_read_in_body_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("沽东镇2024年工作总结", style="Title")
    document.add_paragraph("二、主要成绩", style="Heading 1")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "本年"
    table.cell(1, 0).text = "地区生产总值"
    table.cell(1, 1).text = "3.62亿元"
    document.add_paragraph("三、存在的问题")
    path = tmp_path / "d.docx"
    document.save(str(path))
    assert read_blocks(path) == [
        Block(1, "沽东镇2024年工作总结", "paragraph", "Title", None),
        Block(2, "二、主要成绩", "paragraph", "Heading 1", None),
        Block(2, "指标", "cell", None, (1, 1, 1)), Block(2, "本年", "cell", None, (1, 1, 2)),
        Block(2, "地区生产总值", "cell", None, (1, 2, 1)), Block(2, "3.62亿元", "cell", None, (1, 2, 2)),
        Block(3, "三、存在的问题", "paragraph", "Normal", None),
    ]


def test_a_merged_cell_is_read_once_and_a_line_break_kept(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "主要指标完成情况"
    table.cell(1, 0).paragraphs[0].add_run("第一行").add_break()
    table.cell(1, 0).paragraphs[0].add_run("第二行")
    path = tmp_path / "d.docx"
    document.save(str(path))
    cells = [(b.cell, b.text) for b in read_blocks(path)]
    assert cells == [((1, 1, 1), "主要指标完成情况"), ((1, 2, 1), "第一行\n第二行"),
                     ((1, 2, 2), ""), ((1, 2, 3), "")]


def _in_content_control(paragraph: Paragraph) -> None:
    """Put a copy of ``paragraph`` inside a content control (w:sdt) just before it."""
    sdt = paragraph._p.makeelement(qn("w:sdt"), {})
    content = sdt.makeelement(qn("w:sdtContent"), {})
    sdt.append(content)
    paragraph._p.addprevious(sdt)
    content.append(copy.deepcopy(paragraph._p))


def test_paragraphs_inside_a_content_control_are_read(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("沽东镇2024年工作总结")
    inner = document.add_paragraph("今年以来，在xx区党政的正确领导下。")
    _in_content_control(inner)
    inner._p.getparent().remove(inner._p)
    path = tmp_path / "d.docx"
    document.save(str(path))
    found = [f for f in check_document(path) if f.category == "placeholder"]
    assert [(f.paragraph, f.snippet) for f in found] == [(2, "今年以来，在【xx】区党政的正确领导下。")]


def _not_a_docx(tmp_path: Path) -> Path:
    path = tmp_path / "draft.docx"
    path.write_text("沽东镇2024年工作总结", encoding="utf-8")
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "draft.docx"
    path.write_bytes(b"")
    return path


def _zip_without_document(tmp_path: Path) -> Path:
    path = tmp_path / "draft.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "hi")
    return path


def _folder(tmp_path: Path) -> Path:
    path = tmp_path / "draft.docx"
    path.mkdir()
    return path


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "draft.docx"


def _broken_xml(tmp_path: Path) -> Path:
    good = tmp_path / "good.docx"
    docx.Document().save(str(good))
    path = tmp_path / "draft.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"<w:document>" if item.filename == "word/document.xml" else data)
    return path


@pytest.mark.parametrize(("make", "reason"), [
    (_not_a_docx, "not a Word .docx file"),
    (_empty, "not a Word .docx file"),
    (_zip_without_document, "not a Word .docx file"),
    (_folder, "no such file"),
    (_missing, "no such file"),
    (_broken_xml, "cannot read the document"),
])
def test_a_bad_file_is_a_check_error_naming_it(make: Callable[[Path], Path], reason: str,
                                                tmp_path: Path) -> None:
    path = make(tmp_path)
    with pytest.raises(CheckError) as caught:
        check_document(path)
    assert str(path) in str(caught.value)
    assert reason in str(caught.value)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_a_rendered_document_reads_the_same_from_its_members(tmp_path: Path) -> None:
    from docgen.context import build_context
    from docgen.engine import render_document
    from docgen.loading import load
    from docgen.templates import default_template

    data = render_document(default_template(), build_context(load(ROOT / "data" / "gudong-2024.yaml")),
                           "fast")
    blocks = blocks_from_docx(data)
    assert any(b.kind == "cell" for b in blocks) and any(b.style == "Heading 1" for b in blocks)
    members = _members(data)
    assert blocks_from_members(members) == blocks
    # the same parts as other bytes objects (the styles part is known by its bytes, not by identity)
    assert blocks_from_members({name: bytes(bytearray(part)) for name, part in members.items()}) == blocks
    path = tmp_path / "rendered.docx"
    path.write_bytes(data)
    assert read_blocks(path) == blocks


def test_members_without_a_styles_part_read_as_a_package_without_one(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("沽东镇2024年工作总结", style="Title")
    path = tmp_path / "d.docx"
    document.save(str(path))
    members = _members(path.read_bytes())
    del members["word/styles.xml"]
    package = tmp_path / "nostyles.docx"
    with zipfile.ZipFile(package, "w") as target:
        for name, part in members.items():
            target.writestr(name, part)
    assert blocks_from_members(members) == blocks_from_docx(package.read_bytes()) == [
        Block(1, "沽东镇2024年工作总结", "paragraph", None, None)]
    del members["word/document.xml"]
    with pytest.raises(KeyError):
        blocks_from_members(members)


def test_a_parsed_tree_handed_on_reads_as_the_python_docx_reading(tmp_path: Path) -> None:
    """Merged cells, breaks, tabs, hyperlinks and content controls read the same from a ``w:document``
    tree the renderer hands on (parsed without dropping blank text) as from the saved file."""
    from lxml import etree

    document = docx.Document()
    document.add_paragraph("沽东镇2024年工作总结", style="Title")
    run = document.add_paragraph("一、", style="Heading 1").add_run("工作回顾")
    run.add_break()
    run.add_tab()
    run.add_text("下一行")
    link = document.paragraphs[1]._p.makeelement(qn("w:hyperlink"), {})
    link.append(copy.deepcopy(run._r))
    document.paragraphs[1]._p.append(link)
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "主要指标"
    table.cell(1, 1).merge(table.cell(2, 1)).text = "纵向合并"
    table.cell(2, 2).add_paragraph("第二段")
    _in_content_control(document.add_paragraph("三、存在的问题"))
    path = tmp_path / "d.docx"
    document.save(str(path))
    members = _members(path.read_bytes())
    blocks = read_blocks(path)
    assert len(blocks) == 10 and blocks == blocks_from_docx(path.read_bytes())
    for tree in (etree.fromstring(members["word/document.xml"]),
                 etree.fromstring(etree.tostring(etree.fromstring(members["word/document.xml"]),
                                                 pretty_print=True))):
        assert blocks_from_members(members, tree) == blocks
    assert [repr(b) for b in blocks_from_members(members)] == [repr(b) for b in blocks]


def margins_document(path: Path) -> Path:
    """A document whose header holds a paragraph and a one-cell table, and whose two sections'
    footers (the second section's own) each hold a paragraph."""
    document = docx.Document()
    document.add_paragraph("沽东镇2024年工作总结", style="Title")
    header = document.sections[0].header
    header.paragraphs[0].text = "xx镇人民政府"
    header.add_table(rows=1, cols=1, width=docx.shared.Cm(10)).cell(0, 0).text = "文件"
    document.sections[0].footer.paragraphs[0].text = "— 1 —"
    second = document.add_section()
    second.footer.is_linked_to_previous = False
    second.footer.paragraphs[0].text = "展望2024年"
    document.save(str(path))
    return path


def test_headers_and_footers_are_read_after_the_body_each_part_in_its_order(tmp_path: Path) -> None:
    path = margins_document(tmp_path / "m.docx")
    blocks = read_blocks(path)
    assert [(b.part, b.index, b.text, b.kind, b.cell) for b in blocks if b.part is not None] == [
        (("header", 1), 1, "xx镇人民政府", "paragraph", None),
        (("header", 1), 1, "文件", "cell", (1, 1, 1)),
        (("footer", 1), 1, "— 1 —", "paragraph", None),
        (("footer", 2), 1, "展望2024年", "paragraph", None),
    ]
    assert blocks[0] == Block(1, "沽东镇2024年工作总结", "paragraph", "Title", None)
    assert blocks_from_docx(path.read_bytes()) == blocks  # the self-check's reading


def test_a_slip_in_a_header_or_footer_is_found_and_placed(tmp_path: Path) -> None:
    *findings, whole = check_document(margins_document(tmp_path / "m.docx"))
    assert [(f.part, f.paragraph, f.cell, f.category, f.snippet) for f in findings] == [
        (("header", 1), 1, None, "placeholder", "【xx】镇人民政府"),
        (("footer", 2), 1, None, "year", "展望【2024】年"),
    ]
    assert (whole.part, whole.category) == (None, "structure")  # the body's parts missing: last
    assert [place(f) for f in findings] == ["header 1, paragraph 1", "footer 2, paragraph 1"]
    shown = report_dict({Path("m.docx"): findings})["files"][0]["findings"]
    assert [(f["part"], f["paragraph"], f["cell"]) for f in shown] == [
        ({"kind": "header", "number": 1}, 1, None), ({"kind": "footer", "number": 2}, 1, None)]
    ReportModel.model_validate(report_dict({Path("m.docx"): findings}))


def test_a_header_part_that_is_not_xml_is_a_check_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(margins_document(tmp_path / "m.docx")) as good, \
            zipfile.ZipFile(path, "w") as broken:
        for info in good.infolist():
            data = good.read(info) if info.filename != "word/footer2.xml" else b"<w:ftr"
            broken.writestr(info, data)
    with pytest.raises(CheckError, match="cannot read the document"):
        read_blocks(path)


def repackage(source: Path, target: Path, *, rename: dict[str, str] | None = None,
              replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> Path:
    """``source`` zipped again as ``target``: members renamed (the relationships' targets too),
    replaced or added."""
    rename, replace, add = rename or {}, replace or {}, add or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = replace.get(name, old.read(name))
            for before, after in rename.items():
                data = data.replace(before.removeprefix("word/").encode(),
                                    after.removeprefix("word/").encode())
            new.writestr(rename.get(name, name), data)
        for name, data in add.items():
            new.writestr(name, data)
    return target


def test_the_headers_read_are_those_the_sections_use_whatever_their_names(tmp_path: Path) -> None:
    """Word shows the parts the sections refer to: a renamed part is read, one no section uses is
    not, and they are numbered in the order the document refers to them."""
    source = margins_document(tmp_path / "m.docx")
    with zipfile.ZipFile(source) as package:
        unused = package.read("word/header1.xml").replace("xx镇".encode(), "某某村".encode())
    path = repackage(source, tmp_path / "renamed.docx",
                     rename={"word/header1.xml": "word/Header.xml", "word/footer1.xml": "word/footer7.xml"},
                     add={"word/header9.xml": unused})
    margins = [(b.part, b.text) for b in read_blocks(path) if b.part is not None]
    assert margins == [(("header", 1), "xx镇人民政府"), (("header", 1), "文件"),
                       (("footer", 1), "— 1 —"), (("footer", 2), "展望2024年")]
    assert [b for b in blocks_from_docx(path.read_bytes()) if b.part is not None] == \
        [b for b in read_blocks(path) if b.part is not None]


def test_a_header_that_breaks_the_rules_of_word_xml_is_a_check_error(tmp_path: Path) -> None:
    """A required attribute missing (w:pStyle without w:val): an error naming the file, for the
    check and for the self-check alike — not a traceback."""
    source = margins_document(tmp_path / "m.docx")
    with zipfile.ZipFile(source) as package:
        header = package.read("word/header1.xml").replace(b"<w:p>", b"<w:p><w:pPr><w:pStyle/></w:pPr>", 1)
    path = repackage(source, tmp_path / "bad.docx", replace={"word/header1.xml": header})
    with pytest.raises(CheckError, match=f"^{re.escape(str(path))}: cannot read the document: required"):
        read_blocks(path)
    with pytest.raises(CheckError, match="nothing was written: the template's XML cannot be read: "
                                         "required"):
        api.self_check(_unzipped(path), tmp_path / "out.docx", 2024)
    with pytest.raises(CheckError, match=r"^cannot read the document: required"):
        blocks_from_docx(path.read_bytes())


@pytest.mark.parametrize("target", [None, "footer9.xml", "Footer1.XML"])
def test_a_reference_to_a_part_that_is_not_there_is_a_check_error(tmp_path: Path,
                                                                  target: str | None) -> None:
    """python-docx refuses such a package; the check says so, naming the file."""
    source = margins_document(tmp_path / "m.docx")
    with zipfile.ZipFile(source) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    changed = rels.replace('Target="footer1.xml"', "" if target is None else f'Target="{target}"')
    assert changed != rels
    path = repackage(source, tmp_path / "missing.docx",
                     replace={"word/_rels/document.xml.rels": changed.encode()})
    with pytest.raises(CheckError, match=f"^{re.escape(str(path))}: cannot read the document"):
        read_blocks(path)


def _unzipped(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_a_ruled_line_in_a_footer_is_no_placeholder_and_a_running_head_has_its_year(
        tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("沽东镇2024年工作总结", style="Title")
    document.add_paragraph("联系人：____")  # in the body, still a blank to fill
    document.sections[0].header.paragraphs[0].text = "沽东镇2023年工作总结"
    document.sections[0].footer.paragraphs[0].text = "________________________"
    document.sections[0].footer.add_paragraph("沽东镇人民政府办公室　2024年12月印发")
    path = tmp_path / "d.docx"
    document.save(str(path))
    found = [(f.part, f.paragraph, f.category, f.snippet) for f in check_document(path)
             if f.category != "structure"]
    assert found == [(None, 2, "placeholder", "联系人：【____】"),
                     (("header", 1), 1, "year", "沽东镇【2023】年工作总结")]


def text_boxes_document(path: Path) -> Path:
    """A body paragraph anchoring a text box as Word writes it (with its VML fallback), a table cell
    anchoring one, and a header holding a legacy VML text box."""
    document = docx.Document()
    document.add_paragraph("沽东镇2024年工作总结", style="Title")
    anchor = document.add_paragraph("一、工作回顾")
    add_text_box(anchor, "xx镇人民政府", "展望2024年")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "表内"
    add_text_box(cell.paragraphs[0], "2024年")
    header = document.sections[0].header.paragraphs[0]
    header.text = "沽东镇"
    add_text_box(header, "某某村", legacy=True)
    document.save(str(path))
    return path


def test_text_boxes_are_read_once_each_after_the_headers_and_footers(tmp_path: Path) -> None:
    path = text_boxes_document(tmp_path / "t.docx")
    blocks = read_blocks(path)
    assert [(b.part, b.index, b.text, b.kind) for b in blocks] == [
        (None, 1, "沽东镇2024年工作总结", "paragraph"),
        (None, 2, "一、工作回顾", "paragraph"),  # the box's text is not the anchor's
        (None, 2, "表内", "cell"),
        (("header", 1), 1, "沽东镇", "paragraph"),
        (("textbox", 1), 1, "xx镇人民政府", "paragraph"),  # the DrawingML box; its fallback not again
        (("textbox", 1), 2, "展望2024年", "paragraph"),
        (("textbox", 2), 1, "2024年", "paragraph"),  # in a table cell
        (("textbox", 3), 1, "某某村", "paragraph"),  # the header's, VML alone
    ]
    assert blocks_from_docx(path.read_bytes()) == blocks  # the self-check's reading


def test_a_slip_in_a_text_box_is_found_and_placed(tmp_path: Path) -> None:
    findings = [f for f in check_document(text_boxes_document(tmp_path / "t.docx"))
                if f.part is not None]
    assert [(f.part, f.paragraph, f.category, f.snippet) for f in findings] == [
        (("textbox", 1), 1, "placeholder", "【xx】镇人民政府"),
        (("textbox", 1), 2, "year", "展望【2024】年"),
        (("textbox", 3), 1, "placeholder", "【某某】村"),
    ]
    assert [place(f) for f in findings] == ["text box 1, paragraph 1", "text box 1, paragraph 2",
                                            "text box 3, paragraph 1"]
    report = report_dict({Path("t.docx"): findings})
    assert [f["part"] for f in report["files"][0]["findings"]] == [
        {"kind": "textbox", "number": 1}, {"kind": "textbox", "number": 1},
        {"kind": "textbox", "number": 3}]
    ReportModel.model_validate(report)


def test_footnotes_and_endnotes_are_read_each_a_part_and_their_slips_placed(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("沽东镇2024年工作总结", style="Title")
    add_notes(document, "footnote", "数据来源：县统计局。", "xx年数据为快报数。")
    add_notes(document, "endnote", "本文所称", )
    add_text_box(document.add_paragraph("其他"), "某某乡")
    path = tmp_path / "n.docx"
    document.save(str(path))
    blocks = read_blocks(path)
    assert [(b.part, b.index, b.text) for b in blocks if b.part is not None] == [
        (("footnote", 1), 1, " 数据来源：县统计局。"),
        (("footnote", 2), 1, " xx年数据为快报数。"),
        (("endnote", 1), 1, " 本文所称"),
        (("textbox", 1), 1, "某某乡"),
    ]
    assert blocks_from_docx(path.read_bytes()) == blocks
    findings = [f for f in check_document(path) if f.part is not None]
    assert [(place(f), f.category, f.snippet) for f in findings] == [
        ("footnote 2, paragraph 1", "placeholder", " 【xx】年数据为快报数。"),
        ("text box 1, paragraph 1", "placeholder", "【某某】乡"),
    ]
    ReportModel.model_validate(report_dict({path: findings}))


def test_a_note_is_read_as_sentences_not_as_a_running_head(tmp_path: Path) -> None:
    """A footnote quoting last year's summary or the year's plan figures is no review or outlook."""
    document = docx.Document()
    document.add_paragraph("沽东镇2024年工作总结", style="Title")
    add_notes(document, "footnote", "上年数据引自《沽东镇2023年工作总结》。",
              "2024年计划数为镇人代会确定的目标数。", "本表2023年工作情况数据来自区统计局。")
    path = tmp_path / "n.docx"
    document.save(str(path))
    assert [f for f in check_document(path) if f.part is not None] == []
