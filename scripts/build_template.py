"""Build templates/annual-summary.docx: the GB/T 9704-2012 layout in styles, docxtpl tags in the body.

Run ``python scripts/build_template.py [-o PATH]``. The output depends on nothing but python-docx's
default template and this script, so it can be rebuilt and compared at any time (a test does).
Each part of the document is made by a function of its own; to add a part (a chart paragraph,
another table), write a function like `add_achievements` and call it from `build`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "templates" / "annual-summary.docx"

# Fonts by their Chinese names, as Word and WPS on a Chinese Windows know them.
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"

# Sizes in half-points (w:sz): 2号 22 pt, 3号 16 pt, 4号 14 pt.
SIZE_2HAO, SIZE_3HAO, SIZE_4HAO = 44, 32, 28
LINE = 579  # exact line pitch in twips: 28.95 pt, so 22 lines fill the 225 mm text block
CHAR_SPACING = -5  # twentieths of a point: -0.25 pt, so 28 characters of 16 pt fill 156 mm
INDENT_2CHARS = 640  # twips: two 16 pt characters, the fallback of w:firstLineChars="200"

# The table of 主要指标完成情况: header cells and column widths (mm, 156 mm in all).
TABLE_HEADER = ("指标", "单位", "本年", "{{ previous_label }}", "增减")
TABLE_FIELDS = ("name", "unit", "value", "previous", "change")
TABLE_WIDTHS_MM = (48, 16, 26, 26, 40)  # 增减 holds "+20.0个百分点" on one line

PROBLEMS_LEAD = "在肯定成绩的同时，我们也清醒地认识到，工作中还存在一些困难和问题："
FIXED_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------- XML helpers

def _element(tag: str, **attrs: str) -> etree._Element:
    """``<w:tag w:key="value" …/>``."""
    element = parse_xml(f"<w:{tag} {nsdecls('w')}/>")
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def rfonts(east_asia: str, latin: str = LATIN) -> etree._Element:
    """Explicit fonts for every script: Chinese through ``w:eastAsia``, digits and Latin in ``latin``."""
    return _element("rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin)


def run_properties(east_asia: str, size: int, *, latin: str = LATIN, spacing: int | None = None,
                   not_bold: bool = False) -> etree._Element:
    """A ``w:rPr`` with its children in schema order (rFonts, b, bCs, spacing, sz, szCs, lang)."""
    rpr = _element("rPr")
    rpr.append(rfonts(east_asia, latin))
    if not_bold:
        rpr.append(_element("b", val="0"))
        rpr.append(_element("bCs", val="0"))
    if spacing is not None:
        rpr.append(_element("spacing", val=str(spacing)))
    rpr.append(_element("kern", val="0"))
    rpr.append(_element("sz", val=str(size)))
    rpr.append(_element("szCs", val=str(size)))
    rpr.append(_element("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    return rpr


def paragraph_properties(*children: etree._Element) -> etree._Element:
    """A ``w:pPr`` of the given children (the caller keeps them in schema order)."""
    ppr = _element("pPr")
    for child in children:
        ppr.append(child)
    return ppr


def exact_spacing(line: int = LINE, before: int = 0) -> etree._Element:
    return _element("spacing", before=str(before), beforeLines="0", after="0", afterLines="0",
                    line=str(line), lineRule="exact")


def single_spacing() -> etree._Element:
    return _element("spacing", before="0", beforeLines="0", after="0", afterLines="0",
                    line="240", lineRule="auto")


def no_indent() -> etree._Element:
    return _element("ind", left="0", leftChars="0", right="0", rightChars="0",
                    firstLine="0", firstLineChars="0")


def replace_formatting(style: BaseStyle, ppr: etree._Element | None,
                       rpr: etree._Element | None) -> None:
    """Give ``style`` exactly these paragraph and run properties, dropping what it had."""
    element = style.element
    for old in element.findall(qn("w:pPr")) + element.findall(qn("w:rPr")):
        element.remove(old)
    link = element.find(qn("w:link"))
    if link is not None:  # a linked character style would keep the old fonts and colours
        element.remove(link)
    for new in (ppr, rpr):
        if new is not None:
            element.append(new)


def paragraph_style(document: DocumentObject, name: str, based_on: str = "Normal",
                    next_style: str | None = None) -> BaseStyle:
    """The paragraph style ``name``: the built-in one when it exists, else a new custom one."""
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[based_on] if name != based_on else None
    if next_style is not None:
        style.next_paragraph_style = styles[next_style]
    style.quick_style = True
    return style


# ---------------------------------------------------------------- styles

def set_document_defaults(document: DocumentObject) -> None:
    """Defaults under every style: the body fonts, Chinese language, no spacing after."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    rpr_default = defaults.find(qn("w:rPrDefault"))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    assert rpr_default is not None and ppr_default is not None
    for child in list(rpr_default):
        rpr_default.remove(child)
    rpr = _element("rPr")
    rpr.append(rfonts(FANGSONG))
    rpr.append(_element("kern", val="0"))
    rpr.append(_element("sz", val=str(SIZE_3HAO)))
    rpr.append(_element("szCs", val=str(SIZE_3HAO)))
    rpr.append(_element("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    rpr_default.append(rpr)
    for child in list(ppr_default):
        ppr_default.remove(child)
    ppr_default.append(paragraph_properties(single_spacing()))


def set_normal(document: DocumentObject) -> None:
    """Normal, the body text: 3号 仿宋_GB2312, 22 lines × 28 characters, first line in 2 characters.

    No ``w:docGrid`` character pitch: LibreOffice lays out 14 characters a line with one. The
    −0.25 pt character spacing gives 28 a line in Word and LibreOffice alike. Widow control is off
    so that every full page holds its 22 lines. The automatic space between Chinese text and
    digits (w:autoSpaceDN) stays on, as Word has it by default: LibreOffice ignores the setting
    and always adds that space, so turning it off in Word would make the two break lines apart.
    ``w:overflowPunct`` is written out (on, Word's default): LibreOffice reads it inverted and,
    without it, lets punctuation hang past the margin, where its PDF export drops a final "。".
    """
    ppr = paragraph_properties(
        _element("widowControl", val="0"),
        _element("overflowPunct", val="1"),
        exact_spacing(),
        _element("ind", firstLine=str(INDENT_2CHARS), firstLineChars="200"),
        _element("jc", val="both"),
    )
    style = document.styles["Normal"]
    replace_formatting(style, ppr, run_properties(FANGSONG, SIZE_3HAO, spacing=CHAR_SPACING))


def set_title(document: DocumentObject) -> None:
    """Title: 2号 方正小标宋简体 (digits too), centred, not indented, one blank line below it."""
    style = paragraph_style(document, "Title", next_style="Normal")
    ppr = paragraph_properties(
        _element("keepNext"),
        _element("keepLines"),
        _element("spacing", before="0", beforeLines="0", after=str(LINE), afterLines="0",
                 line=str(LINE), lineRule="exact"),
        no_indent(),
        _element("jc", val="center"),
        _element("outlineLvl", val="9"),
    )
    # The title's digits (the year) in 小标宋 too: Times New Roman beside it looks thin.
    replace_formatting(style, ppr, run_properties(XIAOBIAOSONG, SIZE_2HAO, latin=XIAOBIAOSONG,
                                                  not_bold=True))


HEADINGS = (  # (style, Chinese font, the numbering it carries)
    ("Heading 1", HEITI, "一、"),
    ("Heading 2", KAITI, "（一）"),
    ("Heading 3", FANGSONG, "1."),
    ("Heading 4", FANGSONG, "（1）"),
)


def set_headings(document: DocumentObject) -> None:
    """Heading 1–4: 一、黑体 · （一）楷体_GB2312 · 1. 仿宋 · （1）仿宋; 3号, not bold, outline levels 0–3.

    They keep Normal's line pitch and first-line indent (a heading of an official document sits
    where a paragraph starts), and stay with the paragraph that follows.
    """
    for level, (name, font, _numbering) in enumerate(HEADINGS):
        style = paragraph_style(document, name, next_style="Normal")
        ppr = paragraph_properties(
            _element("keepNext"),
            _element("keepLines"),
            exact_spacing(),
            _element("outlineLvl", val=str(level)),
        )
        replace_formatting(style, ppr,
                           run_properties(font, SIZE_3HAO, spacing=CHAR_SPACING, not_bold=True))


def set_footer_styles(document: DocumentObject) -> None:
    """Footer: 4号 半角宋体 page numbers; Footer Odd right and Footer Even left, one character in."""
    footer = paragraph_style(document, "Footer")
    ppr = paragraph_properties(single_spacing(), no_indent())
    replace_formatting(footer, ppr, run_properties(SONGTI, SIZE_4HAO, latin=SONGTI))
    one_char = str(SIZE_4HAO * 10)  # twips: one 14 pt character
    odd = paragraph_style(document, "Footer Odd", based_on="Footer")
    replace_formatting(odd, paragraph_properties(
        _element("ind", left="0", leftChars="0", right=one_char, rightChars="100",
                 firstLine="0", firstLineChars="0"),
        _element("jc", val="right")), None)
    even = paragraph_style(document, "Footer Even", based_on="Footer")
    replace_formatting(even, paragraph_properties(
        _element("ind", left=one_char, leftChars="100", right="0", rightChars="0",
                 firstLine="0", firstLineChars="0"),
        _element("jc", val="left")), None)


def set_table_styles(document: DocumentObject) -> None:
    """The indicator table: a caption, heading and text styles for its cells, and a table style.

    Cells are 4号 with single line spacing and no first-line indent, so a row stays one line.
    """
    caption = paragraph_style(document, "Caption", next_style="Normal")
    replace_formatting(caption, paragraph_properties(
        _element("keepNext"), _element("keepLines"), exact_spacing(), no_indent(),
        _element("jc", val="center")), run_properties(HEITI, SIZE_3HAO, spacing=CHAR_SPACING,
                                                      not_bold=True))
    hidden = caption.element.find(qn("w:semiHidden"))
    if hidden is not None:  # shown in the style gallery: editors use it for their own tables
        caption.element.remove(hidden)
    # A chart cannot sit in an exact-spacing line (Word and LibreOffice clip it to one line):
    # its paragraph is single-spaced, unindented, centred and kept with its caption.
    chart = paragraph_style(document, "Chart", next_style="Caption")
    replace_formatting(chart, paragraph_properties(
        _element("keepNext"), single_spacing(), no_indent(), _element("jc", val="center")),
        run_properties(FANGSONG, SIZE_3HAO))
    cell = paragraph_style(document, "Table Text")
    replace_formatting(cell, paragraph_properties(single_spacing(), no_indent(),
                                                  _element("jc", val="center")),
                       run_properties(FANGSONG, SIZE_4HAO))
    head = paragraph_style(document, "Table Heading", based_on="Table Text")
    replace_formatting(head, paragraph_properties(_element("keepNext")),
                       run_properties(HEITI, SIZE_4HAO, not_bold=True))

    table = document.styles.add_style("Indicator Table", WD_STYLE_TYPE.TABLE)
    table.base_style = document.styles["Normal Table"]
    table.quick_style = True
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    table.element.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"))
    table.element.append(parse_xml(f'<w:tcPr {nsdecls("w")}><w:vAlign w:val="center"/></w:tcPr>'))


def set_signature_styles(document: DocumentObject) -> None:
    """落款 without a seal: a blank line after the body, the author 2 characters in from the right.

    The date goes on the next line, its first character two characters right of the author's
    (GB/T 9704-2012, 7.3.5.2): for an author as long as the date (沽东镇人民政府, 2024年11月20日)
    that is flush right, which Signature Date does. An editor with a much longer author name
    moves the author (right indent) in Word.
    """
    author = paragraph_style(document, "Signature", next_style="Normal")
    replace_formatting(author, paragraph_properties(
        _element("keepNext"), _element("keepLines"), exact_spacing(before=LINE),
        _element("ind", left="0", leftChars="0", right=str(INDENT_2CHARS), rightChars="200",
                 firstLine="0", firstLineChars="0"),
        _element("jc", val="right")), None)
    date = paragraph_style(document, "Signature Date", based_on="Signature")
    replace_formatting(date, paragraph_properties(
        exact_spacing(),
        _element("ind", left="0", leftChars="0", right="0", rightChars="0",
                 firstLine="0", firstLineChars="0")), None)


def drop_linked_character_styles(document: DocumentObject) -> None:
    """Remove the "… Char" styles linked to the restyled paragraph styles (they keep old fonts)."""
    styles = document.styles.element
    for name in ("Heading1Char", "Heading2Char", "Heading3Char", "Heading4Char", "TitleChar",
                 "FooterChar"):
        for style in styles.findall(qn("w:style")):
            if style.get(qn("w:styleId")) == name:
                styles.remove(style)


# ---------------------------------------------------------------- page, footers, settings

def set_page(document: DocumentObject) -> None:
    """A4; margins top 37, bottom 35, left 28, right 26 mm (text block 156 × 225 mm)."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    section.gutter = Mm(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:  # a line pitch only; a character pitch would break LibreOffice
        grid.attrib.clear()
        grid.set(qn("w:linePitch"), str(LINE))


def _page_number(paragraph: Paragraph) -> None:
    """``— N —`` with N a PAGE field."""
    p = paragraph._p

    def run(inner: str) -> None:
        p.append(parse_xml(f"<w:r {nsdecls('w')}>{inner}</w:r>"))

    run('<w:t xml:space="preserve">— </w:t>')
    run('<w:fldChar w:fldCharType="begin"/>')
    run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
    run('<w:fldChar w:fldCharType="separate"/>')
    run("<w:t>1</w:t>")
    run('<w:fldChar w:fldCharType="end"/>')
    run('<w:t xml:space="preserve"> —</w:t>')


def set_footers(document: DocumentObject) -> None:
    """Page numbers: odd pages (the default footer) right, even pages left."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, style in ((section.footer, "Footer Odd"), (section.even_page_footer, "Footer Even")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles[style]
        _page_number(paragraph)


def set_settings(document: DocumentObject) -> None:
    """Chinese theme language, and Word not stretching a justified line before a line break."""
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    compat = settings.find(qn("w:compat"))
    assert compat is not None
    compat.insert(0, _element("doNotExpandShiftReturn"))
    proof = settings.find(qn("w:proofState"))
    if proof is not None:
        settings.remove(proof)
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:
        settings.remove(rsids)


def set_properties(document: DocumentObject) -> None:
    """Core properties: the title is a tag docxtpl fills in; nothing of python-docx's left."""
    props = document.core_properties
    props.title = "{{ title }}"
    props.author = ""
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.language = "zh-CN"
    props.last_modified_by = ""
    props.revision = 1
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)


def drop_extra_parts(document: DocumentObject) -> None:
    """Remove the thumbnail of a blank page and the stale stylesWithEffects copy of the styles."""
    package_rels = document.part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[r_id]
    for r_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[r_id]


# ---------------------------------------------------------------- body

def paragraph(document: DocumentObject, style: str, *runs: str) -> Paragraph:
    """A paragraph of ``style`` with one run per string: a docxtpl tag is never split."""
    p = document.add_paragraph(style=document.styles[style])
    for text in runs:
        p.add_run(text)
    return p


def add_title(document: DocumentObject) -> None:
    paragraph(document, "Title", "{{ title }}")


def add_intro(document: DocumentObject) -> None:
    paragraph(document, "Normal", "{{ intro }}")


def add_sections(document: DocumentObject, items: str) -> None:
    """（一）（二）… sections of ``items`` (review or outlook): a Heading 2, then its paragraphs."""
    paragraph(document, "Normal", f"{{%p for s in {items} %}}")
    paragraph(document, "Heading 2", "{{ s.ordinal }}", "{{ s.title }}")
    paragraph(document, "Normal", "{%p for p in s.paragraphs %}")
    paragraph(document, "Normal", "{{ p }}")
    paragraph(document, "Normal", "{%p endfor %}")
    paragraph(document, "Normal", "{%p endfor %}")


def add_review(document: DocumentObject) -> None:
    paragraph(document, "Heading 1", "一、", "{{ year }}", "年工作回顾")
    add_sections(document, "review")


def add_achievements(document: DocumentObject) -> None:
    paragraph(document, "Heading 1", "二、主要成绩")
    paragraph(document, "Normal", "{{ achievements_summary }}")
    paragraph(document, "Normal", "{%p for p in achievements %}")
    paragraph(document, "Normal", "{{ p }}")
    paragraph(document, "Normal", "{%p endfor %}")


def add_chart(document: DocumentObject) -> None:
    """A native chart of this year against last, with its caption; absent when there is none."""
    paragraph(document, "Normal", "{%p if chart %}")
    paragraph(document, "Chart", "{{ chart }}")
    paragraph(document, "Caption", "{{ chart_caption }}")
    paragraph(document, "Normal", "{%p endif %}")


def _cell_paragraph(table: Table, row: int, column: int, style: str, text: str) -> None:
    cell = table.cell(row, column)
    cell.width = Mm(TABLE_WIDTHS_MM[column])
    p = cell.paragraphs[0]
    p.style = style
    if text:
        p.add_run(text)


def add_indicator_table(document: DocumentObject) -> None:
    """主要指标完成情况: a caption, a header row repeated on each page, a row per indicator; absent
    for a town without indicators."""
    paragraph(document, "Normal", "{%p if indicator_rows %}")
    paragraph(document, "Caption", "主要指标完成情况")
    table = document.add_table(rows=4, cols=len(TABLE_HEADER))
    table.style = document.styles["Indicator Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, TABLE_WIDTHS_MM, strict=True):
        column.width = Mm(width)
    for i, text in enumerate(TABLE_HEADER):
        _cell_paragraph(table, 0, i, "Table Heading", text)
    for i, field in enumerate(TABLE_FIELDS):
        _cell_paragraph(table, 1, i, "Table Text", "{%tr for r in indicator_rows %}" if i == 0 else "")
        _cell_paragraph(table, 2, i, "Table Text", f"{{{{ r.{field} }}}}")
        _cell_paragraph(table, 3, i, "Table Text", "{%tr endfor %}" if i == 0 else "")
    for index, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(_element("cantSplit"))
        if index == 0:
            tr_pr.append(_element("tblHeader"))
        tr_pr.append(_element("trHeight", val=str(int(Mm(9).twips)), hRule="atLeast"))
    paragraph(document, "Normal", "{%p endif %}")


def add_problems(document: DocumentObject) -> None:
    paragraph(document, "Heading 1", "三、存在的问题")
    paragraph(document, "Normal", PROBLEMS_LEAD, "{{ problems }}")


def add_outlook(document: DocumentObject) -> None:
    paragraph(document, "Heading 1", "四、", "{{ next_year }}", "年工作打算")
    add_sections(document, "outlook")


def add_signature(document: DocumentObject) -> None:
    paragraph(document, "Signature", "{{ author }}")
    paragraph(document, "Normal", "{%p if date %}")
    paragraph(document, "Signature Date", "{{ date }}")
    paragraph(document, "Normal", "{%p endif %}")


# ---------------------------------------------------------------- whole document

def build() -> DocumentObject:
    """The template, built from python-docx's default document."""
    document = Document()
    body = document.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    set_document_defaults(document)
    set_normal(document)
    set_title(document)
    set_headings(document)
    set_footer_styles(document)
    set_table_styles(document)
    set_signature_styles(document)
    drop_linked_character_styles(document)
    set_page(document)
    set_footers(document)
    set_settings(document)
    set_properties(document)
    drop_extra_parts(document)

    add_title(document)
    add_intro(document)
    add_review(document)
    add_achievements(document)
    add_chart(document)
    add_indicator_table(document)
    add_problems(document)
    add_outlook(document)
    add_signature(document)
    return document


def write(path: Path) -> Path:
    """Build the template and write it to ``path`` (atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    build().save(str(partial))
    partial.replace(path)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where to write the template (default {DEFAULT_OUTPUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    print(write(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
