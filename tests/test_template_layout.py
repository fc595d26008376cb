"""The default template's layout (GB/T 9704-2012) read back from the .docx XML, template and rendered."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from lxml import etree

from .layout import ROOT, TEMPLATE, render, rich_context

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_template", ROOT / "scripts" / "build_template.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rendered_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(rich_context(), tmp_path_factory.mktemp("layout") / "rendered.docx")


@pytest.fixture(params=["template", "rendered"])
def document(request: pytest.FixtureRequest, rendered_path: Path) -> DocumentObject:
    """The shipped template, and a document rendered from it: both carry the layout."""
    return Document(str(TEMPLATE if request.param == "template" else rendered_path))


def own(style: BaseStyle, path: str) -> Any:
    """The element at ``path`` (``w:pPr/w:ind``) in the style's own XML, or None."""
    return style.element.find(path.replace("w:", W))


def effective(style: BaseStyle | None, path: str, attribute: str) -> str | None:
    """An attribute as Word resolves it: the style's own, else the nearest base style's."""
    while style is not None:
        element = own(style, path)
        if element is not None and element.get(qn(attribute)) is not None:
            return str(element.get(qn(attribute)))
        style = style.base_style
    return None


def fonts(style: BaseStyle) -> dict[str, str | None]:
    return {a: effective(style, "w:rPr/w:rFonts", f"w:{a}") for a in ("ascii", "hAnsi", "eastAsia")}


def size_pt(style: BaseStyle) -> float:
    value = effective(style, "w:rPr/w:sz", "w:val")
    assert value is not None
    return int(value) / 2


def bold(style: BaseStyle) -> bool:
    value = effective(style, "w:rPr/w:b", "w:val")
    return value is not None and value not in ("0", "false")


# ---------------------------------------------------------------- the script and the shipped file

def test_the_shipped_template_is_what_the_script_builds(tmp_path: Path) -> None:
    built = _load_builder().write(tmp_path / "built.docx")
    with zipfile.ZipFile(TEMPLATE) as shipped, zipfile.ZipFile(built) as fresh:
        assert sorted(shipped.namelist()) == sorted(fresh.namelist())
        for name in shipped.namelist():
            assert shipped.read(name) == fresh.read(name), f"{name} differs: run scripts/build_template.py"


def test_the_script_writes_where_told(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "sub" / "t.docx"
    assert _load_builder().main(["-o", str(target)]) == 0
    assert capsys.readouterr().out.strip() == str(target)
    assert Document(str(target)).styles["Normal"] is not None
    assert not list(target.parent.glob("*.partial"))


# ---------------------------------------------------------------- page

def test_a4_and_the_margins(document: DocumentObject) -> None:
    section = document.sections[0]
    assert len(document.sections) == 1
    expected = {"page_width": 210, "page_height": 297, "top_margin": 37, "bottom_margin": 35,
                "left_margin": 28, "right_margin": 26}
    for name, mm in expected.items():
        assert getattr(section, name).mm == pytest.approx(mm, abs=0.05), name
    assert section.gutter.mm == 0


def test_no_character_grid(document: DocumentObject) -> None:
    """A w:docGrid with a character pitch makes LibreOffice lay out 14 characters a line."""
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid is None or (grid.get(qn("w:charSpace")) is None
                            and grid.get(qn("w:type")) not in ("linesAndChars", "snapToChars"))


def test_22_lines_of_28_characters_fit_the_text_block(document: DocumentObject) -> None:
    """The arithmetic of the measure, from the XML: exactly 22 lines and exactly 28 characters."""
    section = document.sections[0]
    normal = document.styles["Normal"]
    assert effective(normal, "w:pPr/w:spacing", "w:lineRule") == "exact"
    line = int(effective(normal, "w:pPr/w:spacing", "w:line") or 0)
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    assert 22 * line <= height < 23 * line
    advance = size_pt(normal) * 20 + int(effective(normal, "w:rPr/w:spacing", "w:val") or 0)
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    assert 28 * advance <= width < 29 * advance


# ---------------------------------------------------------------- styles

def test_normal_is_the_official_body_text(document: DocumentObject) -> None:
    normal = document.styles["Normal"]
    assert fonts(normal) == {"ascii": "Times New Roman", "hAnsi": "Times New Roman",
                             "eastAsia": "仿宋_GB2312"}
    assert size_pt(normal) == 16
    assert effective(normal, "w:pPr/w:spacing", "w:line") == "579"  # 28.95 pt
    assert effective(normal, "w:pPr/w:spacing", "w:before") == "0"
    assert effective(normal, "w:pPr/w:spacing", "w:after") == "0"
    assert effective(normal, "w:pPr/w:ind", "w:firstLineChars") == "200"
    assert effective(normal, "w:pPr/w:ind", "w:firstLine") == "640"  # 2 × 16 pt, where Chars is ignored
    assert effective(normal, "w:pPr/w:jc", "w:val") == "both"
    assert effective(normal, "w:pPr/w:widowControl", "w:val") == "0"
    assert effective(normal, "w:pPr/w:overflowPunct", "w:val") == "1"
    assert effective(normal, "w:rPr/w:lang", "w:eastAsia") == "zh-CN"
    assert not bold(normal)


def test_character_spacing_is_in_schema_order(document: DocumentObject) -> None:
    rpr = own(document.styles["Normal"], "w:rPr")
    tags = [etree.QName(child).localname for child in rpr]
    assert rpr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert tags.index("rFonts") < tags.index("spacing") < tags.index("sz") < tags.index("szCs") \
        < tags.index("lang")


def test_document_defaults_are_chinese_and_have_no_theme_fonts(document: DocumentObject) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rfonts = defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts")
    assert rfonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert not [a for a in rfonts.attrib if "Theme" in a or "theme" in a]
    assert defaults.find(f"{W}rPrDefault/{W}rPr/{W}lang").get(qn("w:eastAsia")) == "zh-CN"


def test_title(document: DocumentObject) -> None:
    title = document.styles["Title"]
    assert fonts(title)["eastAsia"] == "方正小标宋简体"
    assert size_pt(title) == 22
    assert effective(title, "w:pPr/w:jc", "w:val") == "center"
    assert effective(title, "w:pPr/w:ind", "w:firstLineChars") == "0"
    assert effective(title, "w:pPr/w:ind", "w:firstLine") == "0"
    assert effective(title, "w:pPr/w:spacing", "w:after") == "579"  # the blank line below it
    assert own(title, "w:pPr/w:pBdr") is None  # python-docx's blue rule is gone
    assert own(title, "w:rPr/w:color") is None
    assert not bold(title)


@pytest.mark.parametrize(("name", "font", "level"), [
    ("Heading 1", "黑体", 0), ("Heading 2", "楷体_GB2312", 1),
    ("Heading 3", "仿宋_GB2312", 2), ("Heading 4", "仿宋_GB2312", 3)])
def test_headings(document: DocumentObject, name: str, font: str, level: int) -> None:
    style = document.styles[name]
    assert style.element.get(qn("w:styleId")) == name.replace(" ", "")
    assert fonts(style) == {"ascii": "Times New Roman", "hAnsi": "Times New Roman", "eastAsia": font}
    assert size_pt(style) == 16
    assert effective(style, "w:pPr/w:outlineLvl", "w:val") == str(level)
    assert not bold(style)
    assert own(style, "w:rPr/w:color") is None
    assert effective(style, "w:pPr/w:spacing", "w:line") == "579"
    assert effective(style, "w:pPr/w:spacing", "w:before") == "0"
    assert effective(style, "w:pPr/w:ind", "w:firstLineChars") == "200"  # official headings indent
    assert own(style, "w:pPr/w:keepNext") is not None
    assert style.element.find(qn("w:link")) is None
    assert effective(style, "w:rPr/w:lang", "w:eastAsia") == "zh-CN"


def test_footer_styles(document: DocumentObject) -> None:
    footer = document.styles["Footer"]
    assert fonts(footer) == {"ascii": "宋体", "hAnsi": "宋体", "eastAsia": "宋体"}  # 半角宋体 digits
    assert size_pt(footer) == 14
    assert effective(footer, "w:pPr/w:ind", "w:firstLine") == "0"
    odd, even = document.styles["Footer Odd"], document.styles["Footer Even"]
    assert odd.base_style is not None and odd.base_style.name == "Footer"
    assert even.base_style is not None and even.base_style.name == "Footer"
    assert effective(odd, "w:pPr/w:jc", "w:val") == "right"
    assert effective(odd, "w:pPr/w:ind", "w:rightChars") == "100"
    assert effective(odd, "w:pPr/w:ind", "w:right") == "280"  # one 14 pt character
    assert effective(even, "w:pPr/w:jc", "w:val") == "left"
    assert effective(even, "w:pPr/w:ind", "w:leftChars") == "100"
    assert effective(even, "w:pPr/w:ind", "w:left") == "280"
    assert size_pt(odd) == size_pt(even) == 14


def test_table_styles(document: DocumentObject) -> None:
    for name, font in (("Table Text", "仿宋_GB2312"), ("Table Heading", "黑体")):
        style = document.styles[name]
        assert fonts(style)["eastAsia"] == font
        assert size_pt(style) == 14
        assert effective(style, "w:pPr/w:spacing", "w:lineRule") == "auto"
        assert effective(style, "w:pPr/w:spacing", "w:line") == "240"
        assert effective(style, "w:pPr/w:ind", "w:firstLineChars") == "0"
        assert effective(style, "w:pPr/w:ind", "w:firstLine") == "0"
        assert effective(style, "w:pPr/w:jc", "w:val") == "center"
    caption = document.styles["Caption"]
    assert fonts(caption)["eastAsia"] == "黑体"
    assert effective(caption, "w:pPr/w:jc", "w:val") == "center"
    assert own(caption, "w:pPr/w:keepNext") is not None
    table = document.styles["Indicator Table"]
    borders = own(table, "w:tblPr/w:tblBorders")
    assert {etree.QName(b).localname for b in borders} == {"top", "left", "bottom", "right",
                                                           "insideH", "insideV"}


def test_signature_styles(document: DocumentObject) -> None:
    author, date = document.styles["Signature"], document.styles["Signature Date"]
    assert effective(author, "w:pPr/w:jc", "w:val") == "right"
    assert effective(author, "w:pPr/w:ind", "w:rightChars") == "200"
    assert effective(author, "w:pPr/w:ind", "w:right") == "640"
    assert effective(author, "w:pPr/w:spacing", "w:before") == "579"  # a blank line after the body
    assert effective(date, "w:pPr/w:jc", "w:val") == "right"
    assert effective(date, "w:pPr/w:spacing", "w:before") == "0"
    assert effective(date, "w:pPr/w:ind", "w:right") == "0"
    assert fonts(author)["eastAsia"] == fonts(date)["eastAsia"] == "仿宋_GB2312"


# ---------------------------------------------------------------- footers and settings

def _footer_runs(paragraph: Any) -> list[str]:
    out = []
    for run in paragraph._p.iter(qn("w:r")):
        for child in run:
            tag = etree.QName(child).localname
            if tag == "t":
                out.append(child.text)
            elif tag == "instrText":
                out.append(f"[{child.text.strip()}]")
            elif tag == "fldChar":
                out.append(f"<{child.get(qn('w:fldCharType'))}>")
    return out


def test_odd_and_even_footers(document: DocumentObject) -> None:
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    assert not section.different_first_page_header_footer
    for footer, style in ((section.footer, "Footer Odd"), (section.even_page_footer, "Footer Even")):
        assert not footer.is_linked_to_previous
        (paragraph,) = footer.paragraphs
        assert paragraph.style is not None and paragraph.style.name == style
        assert _footer_runs(paragraph) == ["— ", "<begin>", "[PAGE]", "<separate>", "1", "<end>", " —"]


def test_settings(document: DocumentObject) -> None:
    settings = document.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    assert settings.find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"
    assert settings.find(f"{W}compat/{W}doNotExpandShiftReturn") is not None


# ---------------------------------------------------------------- the template's tags

def test_every_tag_is_in_one_run() -> None:
    document = Document(str(TEMPLATE))
    runs = [r.text for p in document.paragraphs for r in p.runs]
    runs += [r.text for t in document.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs]
    tags = [r for r in runs if "{" in r or "}" in r]
    assert len(tags) > 20
    for text in tags:
        assert re.fullmatch(r"(\{\{ [^{}]+ \}\}|\{%(p|tr)? [^{}]+ %\})", text), text


def test_the_template_body_in_order() -> None:
    document = Document(str(TEMPLATE))
    styled = [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]
    assert styled[:3] == [("Title", "{{ title }}"), ("Normal", "{{ intro }}"),
                          ("Heading 1", "一、{{ year }}年工作回顾")]
    headings = [t for s, t in styled if s == "Heading 1"]
    assert headings == ["一、{{ year }}年工作回顾", "二、主要成绩", "三、存在的问题",
                        "四、{{ next_year }}年工作打算"]
    assert ("Heading 2", "{{ s.ordinal }}{{ s.title }}") in styled
    assert ("Caption", "主要指标完成情况") in styled
    chart = styled.index(("Chart", "{{ chart }}"))
    assert styled[chart - 1:chart + 3] == [("Normal", "{%p if chart %}"), ("Chart", "{{ chart }}"),
                                           ("Caption", "{{ chart_caption }}"), ("Normal", "{%p endif %}")]
    assert styled[-4:] == [("Signature", "{{ author }}"), ("Normal", "{%p if date %}"),
                           ("Signature Date", "{{ date }}"), ("Normal", "{%p endif %}")]
    problems = next(t for s, t in styled if "{{ problems }}" in t)
    assert problems.endswith("：{{ problems }}")
    assert document.core_properties.title == "{{ title }}"
    assert document.core_properties.language == "zh-CN"
    assert document.core_properties.author == ""


def test_the_table_in_the_template() -> None:
    (table,) = Document(str(TEMPLATE)).tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["指标", "单位", "本年", "{{ previous_label }}", "增减"]
    assert rows[1][0] == "{%tr for r in indicator_rows %}"
    assert rows[2] == ["{{ r.name }}", "{{ r.unit }}", "{{ r.value }}", "{{ r.previous }}",
                       "{{ r.change }}"]
    assert rows[3][0] == "{%tr endfor %}"
    assert sum(c.width.mm for c in table.rows[0].cells) == pytest.approx(156, abs=0.1)


# ---------------------------------------------------------------- a rendered document

def test_rendered_paragraphs_keep_their_styles(rendered_path: Path) -> None:
    document = Document(str(rendered_path))
    context = rich_context()
    styled = [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", context["title"])
    assert [t for s, t in styled if s == "Heading 1"] == [
        "一、2024年工作回顾", "二、主要成绩", "三、存在的问题", "四、2025年工作打算"]
    sections = [t for s, t in styled if s == "Heading 2"]
    assert sections[0] == "（一）" + context["review"][0].title
    assert len(sections) == len(context["review"]) + len(context["outlook"])
    assert styled[-2:] == [("Signature", context["author"]), ("Signature Date", context["date"])]
    assert not [t for _, t in styled if "{" in t or "}" in t]
    caption_index = next(i for i, (s, _) in enumerate(styled) if s == "Caption")
    body = document.element.body
    caption = document.paragraphs[caption_index]._p
    assert caption.getnext() is body.find(qn("w:tbl"))  # the caption sits right above the table
    assert document.core_properties.title == context["title"]


def test_rendered_table(rendered_path: Path) -> None:
    (table,) = Document(str(rendered_path)).tables
    context = rich_context()
    assert len(table.rows) == 1 + len(context["indicator_rows"])
    assert table.style is not None and table.style.name == "Indicator Table"
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None
    for row in table.rows[1:]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                assert paragraph.style is not None and paragraph.style.name == "Table Text"
    assert [c.text for c in table.rows[1].cells] == ["地区生产总值", "万元", "36200", "33674", "+7.5%"]


def test_no_date_leaves_no_empty_paragraph(tmp_path: Path) -> None:
    out = render(rich_context(date=""), tmp_path / "nodate.docx")
    paragraphs = Document(str(out)).paragraphs
    assert paragraphs[-1].text == "清河镇人民政府"
    assert paragraphs[-1].style is not None and paragraphs[-1].style.name == "Signature"


def test_the_chart_paragraph_is_not_clipped() -> None:
    """A chart in an exact-spacing line is cut to one line in Word and LibreOffice alike."""
    style = Document(str(TEMPLATE)).styles["Chart"]
    fmt = style.paragraph_format
    assert fmt.line_spacing_rule is not None and fmt.line_spacing_rule != WD_LINE_SPACING.EXACTLY
    assert fmt.first_line_indent in (None, 0)
    assert fmt.keep_with_next is True
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.CENTER
