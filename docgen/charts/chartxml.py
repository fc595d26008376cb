"""The chart part's XML and its workbook, made by python-pptx's chart writers and finished for Word."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import threading
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

import xlsxwriter
from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.xmlwriter import ChartXmlWriter
from pptx.enum.chart import XL_CHART_TYPE

from docgen.charts.spec import ChartSpec
from docgen.engine.zipcopy import ZipCopy

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LANG = "zh-CN"

#: Text sizes in hundredths of a point: the title 14 pt (四号), all other text 10.5 pt (五号), labels 9 pt.
TITLE_SIZE = 1400
TEXT_SIZE = 1050
LABEL_SIZE = 900
TEXT_COLOR = "000000"
GRID_COLOR = "D9D9D9"
AXIS_COLOR = "808080"

_CHART_TYPES = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED}

# Child order of the elements we add to (ECMA-376 Part 1, dml-chart.xsd): a new child goes before
# the first existing sibling that the schema puts after it.
_AX_HEAD = ("axId", "scaling", "delete", "axPos", "majorGridlines", "minorGridlines", "title", "numFmt",
            "majorTickMark", "minorTickMark", "tickLblPos", "spPr", "txPr", "crossAx", "crosses", "crossesAt")
_ORDER: dict[str, tuple[str, ...]] = {
    "chartSpace": ("date1904", "lang", "roundedCorners", "AlternateContent", "style", "clrMapOvr",
                   "pivotSource", "protection", "chart", "spPr", "txPr", "externalData", "printSettings",
                   "userShapes", "extLst"),
    "chart": ("title", "autoTitleDeleted", "pivotFmts", "view3D", "floor", "sideWall", "backWall",
              "plotArea", "legend", "plotVisOnly", "dispBlanksAs", "showDLblsOverMax", "extLst"),
    "barChart": ("barDir", "grouping", "varyColors", "ser", "dLbls", "gapWidth", "overlap", "serLines",
                 "axId", "extLst"),
    "ser": ("idx", "order", "tx", "spPr", "invertIfNegative", "pictureOptions", "dPt", "dLbls",
            "trendline", "errBars", "cat", "val", "shape", "extLst"),
    "catAx": (*_AX_HEAD, "auto", "lblAlgn", "lblOffset", "tickLblSkip", "tickMarkSkip", "noMultiLvlLbl",
              "extLst"),
    "valAx": (*_AX_HEAD, "crossBetween", "majorUnit", "minorUnit", "dispUnits", "extLst"),
    "scaling": ("logBase", "orientation", "max", "min", "extLst"),
}


def c(name: str) -> str:
    """The Clark name of a chart-namespace element: ``c("barChart")``."""
    return f"{{{C_NS}}}{name}"


def a(name: str) -> str:
    """The Clark name of a DrawingML-namespace element: ``a("latin")``."""
    return f"{{{A_NS}}}{name}"


def chart_data(spec: ChartSpec) -> CategoryChartData:
    """python-pptx's chart data for ``spec``: one category per label, one series per name."""
    data = CategoryChartData(number_format=spec.number_format)  # type: ignore[no-untyped-call]
    data.categories = list(spec.categories)
    for name, values in spec.series:
        data.add_series(name, list(values))  # type: ignore[no-untyped-call]
    return data


FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def workbook_blob(spec: ChartSpec) -> bytes:
    """The embedded workbook (.xlsx) holding the chart's numbers, as "Edit Data" opens it.

    Categories are in column A from row 2, each series in the next column with its name in row 1.
    Workbooks of the same shape differ only in their sheet's cells and shared strings: XlsxWriter
    writes the first of a shape (`build_workbook_blob`), later ones get its other members copied
    compressed and those two parts written here as XlsxWriter writes them, deflated as zipfile
    deflates them: the same bytes as XlsxWriter's workbook.
    """
    key = _book_shape(spec)
    if key is None:
        return build_workbook_blob(spec)
    with _SHAPES_LOCK:
        known = key in _BOOKS
        book = _BOOKS.get(key)
    if not known:
        blob = build_workbook_blob(spec)
        book = _WorkbookShape.learn(spec, blob)
        with _SHAPES_LOCK:
            if len(_BOOKS) >= _SHAPES_SIZE:
                _BOOKS.pop(next(iter(_BOOKS)))
            _BOOKS[key] = book
        return blob
    if book is not None:
        try:
            return book.write(spec)
        except ValueError:  # a sheet too large to zip without zip64: as XlsxWriter zips it
            pass
    return build_workbook_blob(spec)


_SHEET = "xl/worksheets/sheet1.xml"
_STRINGS = "xl/sharedStrings.xml"
_CELL_VALUE = re.compile("<v>[^<]*</v>")
_SST = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" '
        'uniqueCount="{unique}">')


class _WorkbookShape:
    """The members of a shape's workbook, with its sheet split around the cell values."""

    def __init__(self, package: ZipCopy, sheet: list[str], head: str) -> None:
        self.package = package
        self.sheet = sheet
        self.head = head

    @classmethod
    def learn(cls, spec: ChartSpec, blob: bytes) -> _WorkbookShape | None:
        """The shape of ``blob`` (XlsxWriter's workbook of ``spec``), or None when writing ``spec``
        from it would not give ``blob`` again (another XlsxWriter, another layout)."""
        try:
            package = ZipCopy(blob)
        except ValueError:
            return None
        with zipfile.ZipFile(io.BytesIO(blob)) as written:
            found = {info.filename: written.read(info) for info in written.infolist()}
        if _SHEET not in found or _STRINGS not in found:
            return None
        strings = found[_STRINGS].decode("utf-8")
        cells = 1 + len(spec.categories)
        sheet = _CELL_VALUE.split(found[_SHEET].decode("utf-8"))
        if len(sheet) != len(spec.series) * cells + len(spec.categories) + 1 or "<sst" not in strings:
            return None
        shape = cls(package, sheet, strings[:strings.index("<sst")])
        return shape if shape.write(spec) == blob else None

    def write(self, spec: ChartSpec) -> bytes:
        """The workbook of ``spec``: the cells python-pptx's writer fills (categories, then each
        series' name and values), strings shared in the order written."""
        index: dict[str, int] = {}
        for text in (*spec.categories, *(name for name, _values in spec.series)):
            index.setdefault(text, len(index))
        values = [f"{index[name]}" for name, _values in spec.series]
        for row, label in enumerate(spec.categories):
            values.append(f"{index[label]}")
            values.extend(f"{series[row]:.16G}" for _name, series in spec.series)  # XlsxWriter: %.16G
        sheet = self.sheet[0] + "".join(f"<v>{v}</v>{rest}" for v, rest in zip(values, self.sheet[1:],
                                                                                strict=True))
        strings = self.head + _SST.format(count=len(spec.categories) + len(spec.series),
                                          unique=len(index)) + \
            "".join(f"<si><t>{escape(text)}</t></si>" for text in index) + "</sst>"
        return self.package.write({_SHEET: sheet.encode("utf-8"), _STRINGS: strings.encode("utf-8")})


_BOOKS: dict[tuple[object, ...], _WorkbookShape | None] = {}


def _book_shape(spec: ChartSpec) -> tuple[object, ...] | None:
    """What a chart's workbook depends on besides its cells; None for text XlsxWriter writes
    otherwise than plainly (empty, control characters, _xHHHH_, edge whitespace, too long)."""
    texts = (*spec.categories, *(name for name, _values in spec.series))
    if not all(text and len(text) <= 32767 and text == text.strip() and "_x" not in text and
               "\t" not in text and "\n" not in text and _PLAIN_TEXT.fullmatch(text) for text in texts):
        return None
    return (spec.number_format, len(spec.categories), len(spec.series))


def build_workbook_blob(spec: ChartSpec) -> bytes:
    """The embedded workbook (.xlsx) holding the chart's numbers, written afresh by XlsxWriter.

    Categories are in column A from row 2, each series in the next column with its
    name in row 1 — the ranges the chart XML refers to (``Sheet1!$B$2:$B$5``).
    """
    # python-pptx's own writer fills the sheet; the workbook is opened here so that its
    # creation time is fixed: the same figures then give the same bytes on every run.
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"created": FIXED_CREATED})
    worksheet = workbook.add_worksheet()
    chart_data(spec)._workbook_writer._populate_worksheet(workbook, worksheet)
    workbook.close()
    return buffer.getvalue()


#: Text that goes through python-pptx's XML and lxml's parser unchanged (no carriage return, which
#: the parser reads as a line feed, and nothing XML cannot hold): the text a shape's copy can take.
_PLAIN_TEXT = re.compile("[^\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]*")
_SHAPES: dict[tuple[object, ...], etree._Element] = {}
_SHAPES_SIZE = 32
_SHAPES_LOCK = threading.Lock()


def chart_space(spec: ChartSpec) -> etree._Element:
    """The ``c:chartSpace`` element of a Word chart part showing ``spec``.

    Charts of the same shape (kind, title, number of categories and series, formats, fonts,
    colours) differ only in the category labels, series names and values of their caches: the
    element is built once per shape (`build_chart_space`) and copied with those filled in.
    """
    key = _shape(spec)
    if key is None:
        return build_chart_space(spec)
    with _SHAPES_LOCK:
        cached = _SHAPES.get(key)
    if cached is None:
        root = build_chart_space(spec)
        with _SHAPES_LOCK:
            if len(_SHAPES) >= _SHAPES_SIZE:
                _SHAPES.pop(next(iter(_SHAPES)))
            _SHAPES[key] = copy.deepcopy(root)
        return root
    root = copy.deepcopy(cached)
    _fill_caches(root, [(name, [f"{value}" for value in values]) for name, values in spec.series],
          spec.categories)
    return root


def _fill_caches(root: etree._Element, series: Sequence[tuple[str, Sequence[str]]], labels: Sequence[str]) \
        -> None:
    """Put each series' name and values (as text) and the category labels into ``root``'s caches."""
    for ser, (name, values) in zip(root.iter(c("ser")), series, strict=True):
        ser.find(f"{c('tx')}//{c('v')}").text = name  # type: ignore[union-attr]
        for v, label in zip(ser.iterfind(f"{c('cat')}//{c('pt')}/{c('v')}"), labels, strict=True):
            v.text = label
        for v, value in zip(ser.iterfind(f"{c('val')}//{c('pt')}/{c('v')}"), values, strict=True):
            v.text = value


def chart_xml(spec: ChartSpec, r_id: str) -> bytes:
    """The XML of a Word chart part showing ``spec``, its workbook related as ``r_id``: `chart_space`
    with `set_external_data`, serialised.

    A chart of a known shape is written from its shape's XML, split around the texts that charts
    of the shape fill in (`_ChartShape`), without an element to copy, fill and serialise.
    """
    key = _shape(spec)
    known = False
    if key is not None:
        with _SHAPES_LOCK:
            known = key in _XML
            written = _XML.get(key)
        if written is not None:
            return written.write(spec, r_id)
    root = chart_space(spec)
    if key is not None and not known:
        shape = _ChartShape.learn(spec, root)
        with _SHAPES_LOCK:
            if len(_XML) >= _SHAPES_SIZE:
                _XML.pop(next(iter(_XML)))
            _XML[key] = shape
        if shape is not None:
            return shape.write(spec, r_id)  # the same bytes for the same chart, first of its shape or not
    set_external_data(root, r_id)
    return serialise(root)


def serialise(root: etree._Element) -> bytes:
    """A part's XML as python-docx writes it: UTF-8, declared standalone."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_XML: dict[tuple[object, ...], _ChartShape | None] = {}
#: What stands for the text of slot N while a shape's XML is learned: a chart's text never holds it
#: where a slot is (that is checked), and the title, fonts or formats holding it only make the
#: shape unknown.
_SLOT = re.compile("\ue000([0-9]+)\ue001")


def _slot(index: int) -> str:
    return f"\ue000{index}\ue001"


class _ChartShape:
    """A shape's chart part XML split around its texts: ``pieces`` between ``slots``, which number
    the texts a chart fills in as `_texts` lists them."""

    def __init__(self, pieces: list[str], slots: list[int]) -> None:
        self.pieces = pieces
        self.slots = slots

    @classmethod
    def learn(cls, spec: ChartSpec, root: etree._Element) -> _ChartShape | None:
        """The shape of ``root`` (``spec``'s ``c:chartSpace``, without its external data), or None
        when writing ``spec`` from it would not give the XML of ``root`` filled in with ``spec``."""
        names, labels = len(spec.series), len(spec.categories)
        marked = copy.deepcopy(root)
        _fill_caches(marked, [(_slot(k), [_slot(names + labels + k * labels + j) for j in range(labels)])
                       for k in range(names)], [_slot(names + j) for j in range(labels)])
        set_external_data(marked, _slot(names + labels + names * labels))
        split = _SLOT.split(serialise(marked).decode("utf-8"))
        slots = [int(index) for index in split[1::2]]
        if sorted(set(slots)) != list(range(names + labels + names * labels + 1)) or \
                len(slots) != names + names * labels * 2 + 1:
            return None
        shape = cls(split[::2], slots)
        expected = copy.deepcopy(root)
        _fill_caches(expected, [(name, [f"{value}" for value in values]) for name, values in spec.series],
              spec.categories)
        set_external_data(expected, "rId1")
        return shape if shape.write(spec, "rId1") == serialise(expected) else None

    def write(self, spec: ChartSpec, r_id: str) -> bytes:
        """The chart part's XML for ``spec`` (of this shape), its workbook related as ``r_id``."""
        texts = _texts(spec, r_id)
        chunks = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            chunks += (texts[slot], piece)
        return "".join(chunks).encode("utf-8")


def _texts(spec: ChartSpec, r_id: str) -> list[str]:
    """The texts of a chart's slots, escaped as lxml writes them: the series names, the category
    labels, each series' values, the workbook's relationship id."""
    return [*(escape(name) for name, _values in spec.series), *(escape(label) for label in spec.categories),
            *(f"{value}" for _name, values in spec.series for value in values),  # as python-pptx writes them
            attribute(r_id)]


def attribute(text: str) -> str:
    """``text`` escaped for an attribute value in double quotes, as lxml writes it."""
    return escape(text, _ATTRIBUTE_ENTITIES)


_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def _shape(spec: ChartSpec) -> tuple[object, ...] | None:
    """What a chart's XML depends on besides its labels, names and values; None when a label or
    name is not plain text (then it is built afresh)."""
    texts = (*spec.categories, *(name for name, _values in spec.series))
    if not all(_PLAIN_TEXT.fullmatch(text) for text in texts):
        return None
    return (spec.kind, spec.title, spec.value_axis_title, spec.number_format, spec.east_asian_font,
            spec.latin_font, tuple(spec.colors), spec.data_labels, len(spec.categories),
            len(spec.series))


def build_chart_space(spec: ChartSpec) -> etree._Element:
    """The ``c:chartSpace`` element of a Word chart part showing ``spec``, built afresh.

    python-pptx writes the series, categories, caches and axes; this adds what
    a Word chart carries and PowerPoint's does not need: the editing language,
    square corners, the title (or ``autoTitleDeleted``, or Word titles a one-series
    chart with the series name), the legend, data labels, number formats, series
    colours and the East Asian font of every text. The ``c:externalData`` link to
    the workbook is added by `set_external_data` once the relationship exists.
    """
    xml = ChartXmlWriter(_CHART_TYPES[spec.kind], chart_data(spec)).xml  # type: ignore[no-untyped-call]
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
    root = etree.fromstring(xml.encode("utf-8"), parser)
    _set(root, "lang", LANG)
    _set(root, "roundedCorners", "0")
    chart = _child(root, "chart")
    if spec.title:
        _insert(chart, _title(spec, spec.title, TITLE_SIZE))
    _set(chart, "autoTitleDeleted", "0" if spec.title else "1")
    if len(spec.series) > 1:
        _insert(chart, _legend(spec))
    _set(chart, "plotVisOnly", "1")
    _finish_bar_chart(spec, _child(_child(chart, "plotArea"), "barChart"))
    _finish_axes(spec, _child(chart, "plotArea"))
    _insert(root, _shape_properties(fill="FFFFFF"))
    _insert(root, _text_properties(spec, TEXT_SIZE))
    return root


def set_external_data(root: etree._Element, r_id: str) -> None:
    """Point ``c:externalData`` at the embedded workbook (relationship ``r_id``), so Word can edit it."""
    for old in root.findall(c("externalData")):
        root.remove(old)
    external = etree.Element(c("externalData"))
    external.set(f"{{{R_NS}}}id", r_id)
    etree.SubElement(external, c("autoUpdate")).set("val", "0")
    _insert(root, external)


def _finish_bar_chart(spec: ChartSpec, bar_chart: etree._Element) -> None:
    _set(bar_chart, "varyColors", "0")
    for index, series in enumerate(bar_chart.findall(c("ser"))):
        color = spec.colors[index % len(spec.colors)]
        _insert(series, _shape_properties(fill=color))
        _set(series, "invertIfNegative", "0")
    if spec.data_labels:
        _insert(bar_chart, _data_labels(spec))
    _set(bar_chart, "gapWidth", "80" if spec.kind == "column" else "60")


def _finish_axes(spec: ChartSpec, plot_area: etree._Element) -> None:
    category_axis = _child(plot_area, "catAx")
    value_axis = _child(plot_area, "valAx")
    for axis in (category_axis, value_axis):
        _insert(axis, _shape_properties(line=AXIS_COLOR))
        _insert(axis, _text_properties(spec, TEXT_SIZE))
    _set(_child(value_axis, "scaling"), "orientation", "minMax")
    gridlines = etree.Element(c("majorGridlines"))
    gridlines.append(_shape_properties(line=GRID_COLOR))
    _insert(value_axis, gridlines)
    number_format = etree.Element(c("numFmt"), formatCode=spec.number_format, sourceLinked="0")
    _insert(value_axis, number_format)
    _set(value_axis, "crossBetween", "between")
    if spec.value_axis_title:
        # Chinese reads top to bottom beside a vertical axis ("eaVert"), left to right under a
        # horizontal one.
        vertical = "eaVert" if spec.kind == "column" else "horz"
        _insert(value_axis, _title(spec, spec.value_axis_title, TEXT_SIZE, vert=vertical))
    if spec.kind == "bar":
        # The first indicator on top, as in the table: categories run top to bottom, the value axis
        # stays at the bottom ("crosses at the maximum category"), and the labels stay left of the
        # plot so that a negative bar does not run through them.
        _set(_child(category_axis, "scaling"), "orientation", "maxMin")
        _set(category_axis, "tickLblPos", "low")
        _set(value_axis, "crosses", "max")


def _title(spec: ChartSpec, text: str, size: int, *, vert: str = "horz") -> etree._Element:
    title = etree.Element(c("title"))
    rich = etree.SubElement(etree.SubElement(title, c("tx")), c("rich"))
    etree.SubElement(rich, a("bodyPr"), rot="0", vert=vert, anchor="ctr", anchorCtr="1")
    etree.SubElement(rich, a("lstStyle"))
    for line in text.splitlines() or [""]:
        paragraph = etree.SubElement(rich, a("p"))
        etree.SubElement(paragraph, a("pPr")).append(_run_properties(spec, "defRPr", size))
        run = etree.SubElement(paragraph, a("r"))
        run.append(_run_properties(spec, "rPr", size))
        etree.SubElement(run, a("t")).text = line
    etree.SubElement(title, c("overlay"), val="0")
    return title


def _legend(spec: ChartSpec) -> etree._Element:
    legend = etree.Element(c("legend"))
    etree.SubElement(legend, c("legendPos"), val="b")
    etree.SubElement(legend, c("overlay"), val="0")
    legend.append(_text_properties(spec, TEXT_SIZE))
    return legend


def _data_labels(spec: ChartSpec) -> etree._Element:
    labels = etree.Element(c("dLbls"))
    etree.SubElement(labels, c("numFmt"), formatCode=spec.number_format, sourceLinked="0")
    labels.append(_shape_properties())
    labels.append(_text_properties(spec, LABEL_SIZE))
    etree.SubElement(labels, c("dLblPos"), val="outEnd")
    for flag, value in (("showLegendKey", "0"), ("showVal", "1"), ("showCatName", "0"),
                        ("showSerName", "0"), ("showPercent", "0"), ("showBubbleSize", "0")):
        etree.SubElement(labels, c(flag), val=value)
    return labels


def _text_properties(spec: ChartSpec, size: int) -> etree._Element:
    """A ``c:txPr``: the default run properties of an element's text (fonts, size, language)."""
    text = etree.Element(c("txPr"))
    etree.SubElement(text, a("bodyPr"))
    etree.SubElement(text, a("lstStyle"))
    paragraph = etree.SubElement(text, a("p"))
    etree.SubElement(paragraph, a("pPr")).append(_run_properties(spec, "defRPr", size))
    etree.SubElement(paragraph, a("endParaRPr"), lang=LANG)
    return text


def _run_properties(spec: ChartSpec, tag: str, size: int) -> etree._Element:
    """``a:defRPr`` or ``a:rPr``: Latin and East Asian typefaces, size, colour, zh-CN, not bold."""
    props = etree.Element(a(tag), lang=LANG, sz=str(size), b="0")
    fill = etree.SubElement(props, a("solidFill"))
    etree.SubElement(fill, a("srgbClr"), val=TEXT_COLOR)
    etree.SubElement(props, a("latin"), typeface=spec.latin_font)
    etree.SubElement(props, a("ea"), typeface=spec.east_asian_font)
    etree.SubElement(props, a("cs"), typeface=spec.latin_font)
    return props


def _shape_properties(*, fill: str | None = None, line: str | None = None) -> etree._Element:
    """A ``c:spPr`` with a solid fill (or none) and a thin line (or none)."""
    shape = etree.Element(c("spPr"))
    _fill(shape, fill)
    _fill(etree.SubElement(shape, a("ln"), w="9525"), line)
    return shape


def _fill(parent: etree._Element, color: str | None) -> None:
    if color is None:
        etree.SubElement(parent, a("noFill"))
    else:
        etree.SubElement(etree.SubElement(parent, a("solidFill")), a("srgbClr"), val=color)


def _child(parent: etree._Element, name: str) -> etree._Element:
    found = parent.find(c(name))
    if found is None:
        raise LookupError(f"python-pptx wrote no c:{name} in c:{etree.QName(parent).localname}")
    return found


def _set(parent: etree._Element, name: str, value: str) -> None:
    """Give ``parent`` exactly one ``c:<name val=value/>`` child, in schema order."""
    _insert(parent, etree.Element(c(name), val=value))


def _insert(parent: etree._Element, child: etree._Element) -> None:
    """Put ``child`` into ``parent`` where the schema orders it, replacing a child of the same name.

    ``c:ser`` repeats and is never replaced here: only single children go through this.
    """
    name = etree.QName(child).localname
    order = _ORDER[etree.QName(parent).localname]
    for old in parent.findall(child.tag):
        parent.remove(old)
    later = set(order[order.index(name) + 1:])
    for index, sibling in enumerate(parent):
        if etree.QName(sibling).localname in later:
            parent.insert(index, child)
            return
    parent.append(child)


def series_values(root: etree._Element) -> list[tuple[str, list[str], list[float]]]:
    """Read a chart part back: each series' name, category labels and values, from its caches."""
    result = []
    for series in root.iter(c("ser")):
        name = "".join(v.text or "" for v in series.iterfind(f"{c('tx')}//{c('v')}"))
        labels = [v.text or "" for v in series.iterfind(f"{c('cat')}//{c('pt')}/{c('v')}")]
        values = [float(v.text or "nan") for v in series.iterfind(f"{c('val')}//{c('pt')}/{c('v')}")]
        result.append((name, labels, values))
    return result
