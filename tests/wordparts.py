"""Text boxes and notes as Word and WPS write them, put into python-docx documents for the tests."""

from __future__ import annotations

from typing import Literal
from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"')


def _content(paragraphs: tuple[str, ...]) -> str:
    return "<w:txbxContent>" + "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"
                                       for text in paragraphs) + "</w:txbxContent>"


def _vml(paragraphs: tuple[str, ...]) -> str:
    return (f'<w:pict><v:shape style="width:200pt;height:60pt"><v:textbox>{_content(paragraphs)}'
            "</v:textbox></v:shape></w:pict>")


def add_text_box(paragraph: Paragraph, *paragraphs: str, legacy: bool = False) -> None:
    """Anchor a text box holding ``paragraphs`` in ``paragraph``: as Word writes one (a DrawingML
    shape, and the same box as VML in ``mc:Fallback``), or ``legacy``, as VML alone (older Word, WPS)."""
    if legacy:
        run = f"<w:r {_NAMESPACES}>{_vml(paragraphs)}</w:r>"
    else:
        run = (f'<w:r {_NAMESPACES}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
               '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
               'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
               '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
               '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
               '</wp:posOffset></wp:positionV><wp:extent cx="2540000" cy="762000"/>'
               '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
               '<wp:docPr id="901" name="文本框 1"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
               'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
               '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2540000" '
               'cy="762000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
               f'<wps:txbx>{_content(paragraphs)}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData>'
               "</a:graphic></wp:anchor></w:drawing></mc:Choice>"
               f"<mc:Fallback>{_vml(paragraphs)}</mc:Fallback></mc:AlternateContent></w:r>")
    paragraph._p.append(parse_xml(run))


def add_notes(document: Document, kind: Literal["footnote", "endnote"], *texts: str) -> None:
    """Give ``document`` a footnotes (or endnotes) part holding Word's two separators and a note of
    each of ``texts``, each referred to from a paragraph of its own at the end of the body."""
    notes = [f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
             f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
             f"</w:r></w:p></w:{kind}>"]
    for number, text in enumerate(texts, 1):
        notes.append(f'<w:{kind} w:id="{number}"><w:p><w:r><w:{kind}Ref/></w:r><w:r>'
                     f'<w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:{kind}>')
        reference = document.add_paragraph(f"注{number}")
        reference._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:{kind}Reference w:id="{number}"/></w:r>'))
    xml = f'<w:{kind}s {nsdecls("w")}>{"".join(notes)}</w:{kind}s>'
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    part = Part(PackURI(f"/word/{kind}s.xml"), f"{main}.{kind}s+xml", xml.encode("utf-8"),
                document.part.package)
    document.part.relate_to(part, f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s")
