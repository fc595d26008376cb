"""The self-check's lxml reading gives python-docx's blocks: merged cells, run text, style lookups."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from docgen.checks import Block, blocks_from_docx, read_blocks


def _both(document: docx.document.Document, path: Path) -> list[Block]:
    document.save(str(path))
    fast = blocks_from_docx(path.read_bytes())
    assert fast == read_blocks(path)
    return fast


def test_merged_cells_across_columns_and_rows(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("表前")
    table = document.add_table(rows=4, cols=4)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"{r}{c}"
    table.cell(0, 0).merge(table.cell(0, 2))  # a gridSpan of 3
    table.cell(1, 0).merge(table.cell(3, 0))  # a vMerge over three rows
    table.cell(1, 2).merge(table.cell(2, 3))  # both: two columns, two rows
    cells = [(b.cell, b.text) for b in _both(document, tmp_path / "merged.docx") if b.kind == "cell"]
    assert cells == [
        ((1, 1, 1), "00\n01\n02"), ((1, 1, 4), "03"),
        ((1, 2, 1), "10\n20\n30"), ((1, 2, 2), "11"), ((1, 2, 3), "12\n13\n22\n23"),
        ((1, 3, 2), "21"),
        ((1, 4, 2), "31"), ((1, 4, 3), "32"), ((1, 4, 4), "33"),
    ]


def test_a_row_starting_late_and_a_continuation_under_it(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"{r}{c}"
    # row 2 leaves its first grid column empty (w:gridBefore) and has only two cells
    second = table.rows[1]._tr
    second.remove(second.tc_lst[0])
    second.get_or_add_trPr().append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="1"/>'))
    # row 3's middle cell continues the one above it: grid column 2, which row 2 starts with
    third = table.rows[2]._tr.tc_lst[1]
    third.get_or_add_tcPr().append(parse_xml(f'<w:vMerge {nsdecls("w")}/>'))
    table.rows[1]._tr.tc_lst[0].get_or_add_tcPr().append(
        parse_xml(f'<w:vMerge {nsdecls("w")} w:val="restart"/>'))
    cells = [(b.cell, b.text) for b in _both(document, tmp_path / "late.docx")]
    assert cells == [((1, 1, 1), "00"), ((1, 1, 2), "01"), ((1, 1, 3), "02"),
                     ((1, 2, 1), "11"), ((1, 2, 2), "12"),  # the continuation's own text is not read
                     ((1, 3, 1), "20"), ((1, 3, 3), "22")]


def test_what_word_shows_inside_runs_containers_is_read(tmp_path: Path) -> None:
    """Word shows the runs of a tracked insertion, a smart tag (Chinese Word wraps "37665亩" in
    one), a field's result and an inline content control; python-docx's Paragraph.text reads none,
    which made a figure look blank ("种植棉花亩"). A tracked deletion is not shown, nor read."""
    document = docx.Document()
    paragraph = document.add_paragraph("全镇共种植棉花")
    w = nsdecls("w")
    for xml in (f'<w:smartTag {w} w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="chmetcnv">'
                '<w:r><w:t>37665</w:t></w:r></w:smartTag>',
                f'<w:r {w}><w:t>亩，</w:t></w:r>',
                f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>约</w:delText></w:r></w:del>',
                f'<w:ins {w} w:id="2" w:author="a"><w:r><w:t>占</w:t></w:r></w:ins>',
                f'<w:fldSimple {w} w:instr=" MERGEFIELD 比重 "><w:r><w:t>89.9%</w:t></w:r></w:fldSimple>',
                f'<w:sdt {w}><w:sdtPr/><w:sdtContent><w:customXml w:element="x"><w:r><w:t>。</w:t></w:r>'
                '</w:customXml></w:sdtContent></w:sdt>',
                f'<w:moveFrom {w} w:id="3" w:author="a"><w:r><w:t>（移走）</w:t></w:r></w:moveFrom>'):
        paragraph._p.append(parse_xml(xml))
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0]._p.append(parse_xml(
        f'<w:ins {w} w:id="4" w:author="a"><w:r><w:t>4000万元</w:t></w:r></w:ins>'))
    blocks = _both(document, tmp_path / "held.docx")
    assert [b.text for b in blocks] == ["全镇共种植棉花37665亩，占89.9%。", "4000万元"]


def test_run_text_hyperlinks_and_breaks(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("甲")
    run = paragraph.add_run("乙")
    run.add_break()  # a line break: "\n"
    run.add_tab()
    p = paragraph._p
    p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:t>丙</w:t><w:br w:type="page"/><w:cr/><w:noBreakHyphen/>'
        '<w:ptab w:relativeTo="margin" w:alignment="left" w:leader="none"/>'
        '<w:t xml:space="preserve"> 丁 </w:t>'
        '<w:instrText>PAGE</w:instrText><w:t/></w:r>'))
    p.append(parse_xml(f'<w:hyperlink {nsdecls("w")} w:anchor="x"><w:r><w:t>戊</w:t></w:r></w:hyperlink>'))
    blocks = _both(document, tmp_path / "runs.docx")
    assert blocks[0].text == "甲乙\n\t丙\n-\t 丁 戊"


def test_style_lookups_as_python_docx_does_them(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("标题", style="Heading 1")
    document.add_paragraph("无样式")
    unknown = document.add_paragraph("未知样式")
    unknown._p.get_or_add_pPr().append(parse_xml(f'<w:pStyle {nsdecls("w")} w:val="NoSuchStyle"/>'))
    character = document.add_paragraph("字符样式")
    character._p.get_or_add_pPr().append(
        parse_xml(f'<w:pStyle {nsdecls("w")} w:val="DefaultParagraphFont"/>'))
    inside = document.add_paragraph("内容控件里", style="Title")
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent/></w:sdt>')
    inside._p.addprevious(sdt)
    sdt[0].append(copy.deepcopy(inside._p))
    styles = [(b.text, b.style) for b in _both(document, tmp_path / "styles.docx")]
    assert styles == [("标题", "Heading 1"), ("无样式", "Normal"), ("未知样式", "Normal"),
                      ("字符样式", "Normal"), ("内容控件里", "Title"), ("内容控件里", "Title")]


def test_a_styles_part_without_a_default_paragraph_style(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("正文")
    document.add_paragraph("一级标题", style="Heading 1")
    for style in document.styles.element.iterchildren(qn("w:style")):
        if style.get(qn("w:default")) is not None:
            del style.attrib[qn("w:default")]
    styles = [(b.text, b.style) for b in _both(document, tmp_path / "nodefault.docx")]
    assert styles == [("正文", None), ("一级标题", "Heading 1")]
