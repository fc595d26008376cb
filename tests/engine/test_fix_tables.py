"""The fast engine's table check against docxtpl's fix_tables: the same tree for every table shape."""

from __future__ import annotations

import pytest
from docx.oxml.ns import nsdecls
from docxtpl import DocxTemplate
from lxml import etree

from docgen.engine import compiled
from docgen.templates import default_template


def body(*tables: str) -> str:
    return f'<w:document {nsdecls("w")}><w:body>{"".join(tables)}</w:body></w:document>'


def table(grid: int | None, *rows: int | str) -> str:
    """A table with ``grid`` gridCol (None: no tblGrid) and rows of that many cells (or raw XML)."""
    cols = "" if grid is None else \
        "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{1000 + 10 * i}"/>' for i in range(grid)) + \
        "</w:tblGrid>"
    cells = "".join(f"<w:tr>{'<w:tc><w:p/></w:tc>' * r}</w:tr>" if isinstance(r, int) else r
                    for r in rows)
    return f"<w:tbl>{cols}{cells}</w:tbl>"


SPAN = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>'
NESTED = ('<w:tr><w:tc>' + table(2, 2, 3) + '<w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>')


@pytest.fixture(scope="module")
def tpl() -> DocxTemplate:
    return DocxTemplate(default_template())


@pytest.mark.parametrize(("xml", "checked_here"), [
    (body(table(3, 3, 3, 3)), True),                 # fits: most tables
    (body(table(3, 3, 2, 3)), True),                 # a short row, another fills the grid
    (body(), True),
    (body(table(3, 3, 4)), False),                   # a row outgrew the grid ({%tc %} loop)
    (body(table(3, 2, 2)), False),                   # no row fills it: columns removed
    (body(table(3)), False),                         # no rows
    (body(table(3, SPAN, 3)), False),                # spans: left to docxtpl
    (body(table(2, NESTED, 2)), False),              # a nested table outgrew its grid
    (body(table(3, 3), table(2, 2, 3)), False),      # the second of two tables
    (body(table(2, 2)).replace("</w:body>", "<w:p></w:body>"), False),  # not well-formed: recovered
])
def test_same_tree_as_docxtpl(tpl: DocxTemplate, xml: str, checked_here: bool,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    expected = etree.tostring(tpl.fix_tables(xml), method="c14n")
    handed: list[str] = []
    original = DocxTemplate.fix_tables

    def spy(self: DocxTemplate, source: str) -> object:
        handed.append(source)
        return original(self, source)
    monkeypatch.setattr(DocxTemplate, "fix_tables", spy)
    assert etree.tostring(compiled._fix_tables(tpl, xml), method="c14n") == expected
    assert handed == ([] if checked_here else [xml])


def test_a_table_without_a_grid_fails_as_in_docxtpl(tpl: DocxTemplate) -> None:
    xml = body(table(None, 2))
    with pytest.raises(AttributeError):
        tpl.fix_tables(xml)
    with pytest.raises(AttributeError):
        compiled._fix_tables(tpl, xml)


def test_declarations_the_document_element_makes_are_left_out() -> None:
    """A chart's drawing declares w, wp and r again: the body parsed in place leaves them out, as
    moving it into the document element does; anything else goes the way docxtpl goes."""
    from docgen.engine import compile_template

    compiled_template = compile_template(default_template())
    assert compiled_template._around_body is not None
    start = compiled_template._around_body[1]
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    drawing = f'<w:p><w:r><w:drawing xmlns:w="{w}" xmlns:a="{a}"><a:x/></w:drawing></w:r></w:p>'
    inner = compiled_template._inner_body(start + drawing + "</w:body>")
    assert inner == f'<w:p><w:r><w:drawing xmlns:a="{a}"><a:x/></w:drawing></w:r></w:p></w:body>'
    text = '<w:p><w:r><w:t>xmlns:w="elsewhere"</w:t></w:r></w:p></w:body>'  # words, not a tag
    assert compiled_template._inner_body(start + text) == text
    assert compiled_template._inner_body(start + '<w:p xmlns:w="urn:other"/></w:body>') is None
    assert compiled_template._inner_body(start + '<x xmlns="urn:x"/></w:body>') is None
    assert compiled_template._inner_body("<w:body>" + drawing) is None
