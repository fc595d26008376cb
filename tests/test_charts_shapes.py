"""A chart built from its shape's cached XML is the chart built afresh, whatever its labels and values."""

from __future__ import annotations

import io
import random
import zipfile

import openpyxl
import pytest
from lxml import etree

from docgen.charts import ChartSpec, chartxml, column_spec, growth_spec
from docgen.charts.chartxml import build_chart_space, build_workbook_blob, chart_space, workbook_blob


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n")


def _specs() -> list[ChartSpec]:
    rng = random.Random(7)
    names = ["地区生产总值", "一般公共预算收入", "A&B <c>", "  空格  ", "\t制表", "1e5", "同名", "同名"]
    specs = []
    for _round in range(12):
        count = rng.choice([1, 3, 4])
        chosen = rng.sample(names, count)
        items = [(n, rng.choice([0, -3.5, 1e-05, 0.1 + 0.2, 123456789.123, rng.uniform(-1e6, 1e6)]),
                  rng.uniform(0, 1e4)) for n in chosen]
        specs.append(column_spec("主要指标与上年同期对比", items, "万元",
                                 this_year=rng.choice(["2024年", "2024年1-9月", "同名"])))
        specs.append(growth_spec("增长情况", [(n, v) for n, v, _p in items]))
    return specs


@pytest.mark.parametrize("index", range(24))
def test_a_chart_of_a_known_shape_is_the_chart_built_afresh(index: int) -> None:
    specs = _specs()
    for spec in specs[:index]:
        chart_space(spec)  # the shapes seen before
    spec = specs[index]
    assert _c14n(chart_space(spec)) == _c14n(build_chart_space(spec))
    assert _c14n(chart_space(spec)) == _c14n(build_chart_space(spec))  # its own shape seen


def test_text_the_parser_would_change_is_built_afresh() -> None:
    first = ChartSpec("column", "图", ["甲", "乙"], [("本年", [1, 2])])
    chart_space(first)
    carriage = ChartSpec("column", "图", ["甲\r乙", "丙"], [("本年", [1, 2])])
    built = chart_space(carriage)
    assert _c14n(built) == _c14n(build_chart_space(carriage))
    labels = [v.text for v in built.iter("{http://schemas.openxmlformats.org/drawingml/2006/chart}v")]
    assert "甲\n乙" in labels  # what python-pptx's XML gives after parsing, not "甲\r乙"


def test_filled_copies_do_not_change_the_cached_shape() -> None:
    one = ChartSpec("bar", "形状", ["甲", "乙"], [("增长", [0.1, 0.2])], number_format="0.0%")
    two = ChartSpec("bar", "形状", ["丙", "丁"], [("增长", [0.3, 0.4])], number_format="0.0%")
    first = _c14n(chart_space(one))
    chart_space(two)
    assert _c14n(chart_space(one)) == first == _c14n(build_chart_space(one))


@pytest.mark.parametrize("index", range(24))
def test_a_workbook_of_a_known_shape_is_the_one_xlsxwriter_writes(index: int) -> None:
    specs = _specs()
    for spec in specs[:index]:
        workbook_blob(spec)
    spec = specs[index]
    assert workbook_blob(spec) == build_workbook_blob(spec)
    assert workbook_blob(spec) == build_workbook_blob(spec)


def test_workbook_shapes_are_learned_and_reused() -> None:
    one = ChartSpec("column", "图", ["甲", "乙&<>", "丙"], [("本年", [1, 2.5, -3e-7]), ("甲", [4, 5, 6])])
    two = ChartSpec("column", "图", ["丁", "丁", "戊"], [("丁", [7, 8, 9]), ("上年", [1e20, 0, 1])])
    assert workbook_blob(one) == build_workbook_blob(one)
    assert chartxml._BOOKS[chartxml._book_shape(two)] is not None  # type: ignore[index]
    assert workbook_blob(two) == build_workbook_blob(two)
    with zipfile.ZipFile(io.BytesIO(workbook_blob(two))) as package:
        sheet = openpyxl.load_workbook(io.BytesIO(workbook_blob(two))).active
        assert package.namelist()[3] == "xl/worksheets/sheet1.xml"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [None, "丁", "上年"], ["丁", 7, 1e20], ["丁", 8, 0], ["戊", 9, 1]]
