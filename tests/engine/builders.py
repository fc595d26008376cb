"""Templates for the engine tests, built with python-docx: each uses docxtpl features docgen relies on."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor
from docx.table import Table
from docxtpl import Listing, RichText

from ..wordparts import add_text_box

_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    f'<w:footnotes {nsdecls("w")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve"> 数据来源：{{ town }}统计站'
    '（{{ year }}年{{ note }}）</w:t></w:r></w:p></w:footnote>'
    '</w:footnotes>')


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (grey pixels), for pictures in templates."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _runs(paragraph: Any, *texts: str) -> None:
    for i, text in enumerate(texts):
        run = paragraph.add_run(text)
        if i % 2:  # alternate formatting, so Word would keep the runs apart
            run.bold = True


def _rows(table: Table, *rows: list[str]) -> None:
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text


def feature_template(path: Path, *, sections: int = 2, footnotes: bool = True,
                     pictures: bool = True) -> Path:
    """A template using every docxtpl feature docgen supports, in the body, headers and footers."""
    doc = Document()
    core = doc.core_properties
    core.title, core.subject, core.author = "{{ title }}", "{{ town }}", "{{ author }}"
    core.comments, core.keywords = "写于{{ year }}年", "工作总结"
    section = doc.sections[0]
    section.header.paragraphs[0].text = "{{ town }}{{ year }}年工作总结"
    section.footer.paragraphs[0].text = "{{ author }} · {{ date }}"
    doc.add_heading("{{ title }}", level=0)
    doc.add_paragraph("{{ intro }}")
    _runs(doc.add_paragraph(), "开头：{{ to", "wn }}", "，", "{{ superior }}。")  # a tag split over runs
    for text in ("{%p for s in review %}", "{{ s.ordinal }}{{ s.title }}",
                 "{%p for p in s.paragraphs %}", "{{ p }}", "{%p endfor %}", "{%p endfor %}",
                 "{#p a comment the output drops #}"):
        doc.add_paragraph(text)
    _runs(doc.add_paragraph(), "情况", "{%r if flag %}", "良好", "{%r else %}", "一般", "{%r endif %}",
          "。")
    doc.add_paragraph("{{r rich }}")
    doc.add_paragraph("{{ listing }}")
    doc.add_paragraph("字面 {_{ literal }_} 与 {_% tag %_}")
    doc.add_paragraph("“引号”：{{ “甲” ~ town }}")  # curly quotes inside a tag become straight ones
    doc.add_paragraph("前文 {%- if flag %}合并{% endif -%}")
    add_text_box(doc.add_paragraph("后文"), "{{ town }}文本框", "{{ next_year }}年")
    indicators = doc.add_table(rows=3, cols=5)
    _rows(indicators, ["指标", "单位", "本年", "上年同期", "增减"],
          ["{%tr for row in indicator_rows %}", "", "", "", ""],
          ["{{ row.name }}", "{{ row.unit }}", "{{ row.value }}", "{{ row.previous }}",
           "{{ row.change }}"])
    indicators.add_row()
    _rows(indicators, *[[c.text for c in r.cells] for r in indicators.rows[:3]],
          ["{%tr endfor %}", "", "", "", ""])
    years = doc.add_table(rows=2, cols=4)
    _rows(years, ["年份", "{%tc for y in years %}", "{{ y }}", "{%tc endfor %}"],
          ["产值", "{%tc for y in years %}", "{{ y * 2 }}", "{%tc endfor %}"])
    cells = doc.add_table(rows=4, cols=3)
    _rows(cells, ["{% colspan span %}合并标题", "", ""],
          ["{%tr for g in groups %}", "", ""],
          ["{% vm %}{{ g.kind }}", "{% cellbg g.color %}{{ g.name }}", "{% hm %}{{ g.value }}"],
          ["{%tr endfor %}", "", ""])
    if pictures:
        doc.add_picture(io.BytesIO(png()))
        doc.add_picture(io.BytesIO(png(3, 1)))
        section.header.add_paragraph().add_run().add_picture(io.BytesIO(png()))
    add_text_box(section.header.add_paragraph(), "{{ author }}", legacy=True)
    last = doc.add_paragraph("{{ author }}")
    last.runs[0].font.size = Pt(16)
    last.runs[0].font.color.rgb = RGBColor(0x11, 0x22, 0x33)
    doc.add_paragraph("{{ date }}")
    if footnotes:
        reference = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                              '<w:footnoteReference w:id="1"/></w:r>')
        doc.paragraphs[1]._p.append(reference)
        part = Part(PackURI("/word/footnotes.xml"), _FOOTNOTES_CT, _FOOTNOTES_XML.encode("utf-8"),
                    doc.part.package)
        doc.part.relate_to(part, RT.FOOTNOTES)
    for n in range(1, sections):
        new = doc.add_section()
        new.header.is_linked_to_previous = False
        new.header.paragraphs[0].text = "第{{ " + str(n) + " + 1 }}节 {{ town }}"
        doc.add_paragraph(f"第{n + 1}节：{{{{ next_year }}}}年工作打算")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def feature_context(**changes: Any) -> dict[str, Any]:
    """A context for `feature_template`: the docgen contract plus the test's own names."""
    rich = RichText("加粗", bold=True)
    rich.add("红色\n换行", color="FF0000")
    context: dict[str, Any] = {
        "title": "沽东镇2024年工作总结", "town": "沽东镇", "superior": "滨河区", "year": 2024,
        "next_year": 2025, "author": "沽东镇人民政府", "date": "2024年11月20日",
        "intro": "今年以来，A&B <公司> 入驻。\n第二行\t制表\a新段落\f分页后",
        "review": [SimpleNamespace(ordinal="（一）", title="农业", paragraphs=["棉花增产。", "小麦\n稳产。"]),
                   SimpleNamespace(ordinal="（二）", title="工业", paragraphs=[])],
        "indicator_rows": [SimpleNamespace(name="国民生产总值", unit="万元", value="1.45亿元",
                                           previous="1.37亿元", change="增长6.0%"),
                           SimpleNamespace(name="优秀党支部比率", unit="%", value="70%", previous="50%",
                                           change="提高20.0个百分点")],
        "flag": True, "rich": rich, "listing": Listing("清单一\n清单二\a清单三"),
        "years": [2022, 2023, 2024], "span": 3, "note": "注",
        "groups": [SimpleNamespace(kind="农业", name="棉花", color="FFFF00", value="1"),
                   SimpleNamespace(kind="农业", name="小麦", color="00FF00", value="2"),
                   SimpleNamespace(kind="工业", name="纺织", color="0000FF", value="3")],
    }
    context.update(changes)
    return context
