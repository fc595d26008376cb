"""The summary workbook 汇总表.xlsx read back: figures, growth, ranks, and totals only where they add up."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

from docgen.batch import batch
from docgen.batchplan import pack_figures, unpack_figures
from docgen.batchreport import report
from docgen.errors import OutputError
from docgen.loading import load
from docgen.model import Indicator, Township
from docgen.output import provenance
from docgen.summary import (
    CHART_SHEET,
    FIXED_CREATED,
    GROWTH_CHART_TITLE,
    NOTE,
    Column,
    build_summary,
    change_of,
    ranks,
    survey,
)

from .conftest import ROOT

TOWNS = Path(__file__).parent / "batch" / "towns"


@pytest.fixture
def template(make_template: Callable[..., Path]) -> Path:
    return make_template("{{ title }}", "{{ achievements_summary }}")


def township(name: str, **changes: Any) -> Township:
    return load(TOWNS / name).township.model_copy(update=changes)


def with_indicator(town: Township, key: str, **fields: Any) -> Township:
    indicators = dict(town.indicators)
    indicators[key] = indicators[key].model_copy(update=fields)
    return town.model_copy(update={"indicators": indicators})


def sheet_of(path: Path) -> Any:
    return openpyxl.load_workbook(path)["汇总"]


def test_summary_of_a_batch(workdir: Path, template: Path) -> None:
    shutil.copytree(TOWNS, "towns")
    result = batch(["towns"], template, "out", jobs=1)
    assert result.summary == Path("out/汇总表.xlsx")
    assert provenance(result.summary) == "unedited"
    ws = sheet_of(result.summary)
    assert [c.value for c in ws[1]][:8] == ["乡镇", "年度", "统计期", "地区生产总值（万元）", None, None,
                                            None, "农村居民人均可支配收入（元）"]
    assert ws["L1"].value == "森林覆盖率（%）"
    assert ws["P1"].value == "粮食总产量（吨）"
    assert [c.value for c in ws[2]][3:] == ["本年", "上年同期", "增长", "位次"] * 2 + \
        ["本年", "上年同期", "增减（百分点）", "位次", "本年", "上年同期", "增长", "位次"]
    # The broken 石桥镇 has no row; the others in input order, then the county total.
    assert [ws.cell(r, 1).value for r in range(3, 8)] == ["白河镇", "青山乡", "柳树镇", "东坡街道", "合计"]
    assert [ws.cell(3, c).value for c in (2, 3)] == [2024, "全年"]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(4, 20)] for r in range(3, 8)}
    assert rows["白河镇"] == [12000, 11000, 0.091, 1, 18000, 17000, 0.059, 1,
                              35.5, 34, 1.5, 2, 20500, 20000, 0.025, 2]
    assert rows["青山乡"] == [8000, 8400, -0.048, 4, 16500, 15800, 0.044, 4, 52, 52, 0, 3,
                              9800, 9600, 0.021, 3]
    assert rows["柳树镇"] == [9500, 8800, 0.08, 2, 17200, 16300, 0.055, 3, 40.5, 38, 2.5, 1,
                              15000, 14200, 0.056, 1]
    assert rows["东坡街道"] == [21000, 19500, 0.077, 3, 22000, 20800, 0.058, 2, 20, 20.3, -0.3, 4,
                                4000, 4100, -0.024, 4]
    # No totals: 石桥镇 is left out, so they would not be the county's; a note names it.
    assert rows["合计"] == [None] * 16
    assert (ws["D3"].number_format, ws["F3"].number_format, ws["G3"].number_format) == \
        ("0", "0.0%", "0")
    assert (ws["L3"].number_format, ws["N3"].number_format) == ("0.0", "0.0")
    assert all(ws.cell(r, c).data_type == "n" for r in range(3, 7) for c in range(4, 20))
    assert ws["A9"].value.startswith("说明：合计只对可以相加的指标给出")
    assert ws["A10"].value == ("未列入本表的乡镇（本次未能生成，见运行结果）：石桥镇。"
                               "本表未包括全部乡镇，故不求合计。")
    assert result.summary_left_out == ("石桥镇",)
    # Every town of the run in it: totals for amounts; none for the per-person income or the rate.
    Path("towns/3-shiqiao.yaml").unlink()
    whole = sheet_of(batch(["towns"], template, "whole", jobs=1).summary or Path())
    assert [whole.cell(7, c).value for c in range(1, 20)] == [
        "合计", None, None, 50500, 47700, 0.059, None, None, None, None, None,
        None, None, None, None, 49300, 47900, 0.029, None]
    assert whole["A10"].value is None


def test_an_edited_summary_is_kept(workdir: Path, template: Path) -> None:
    shutil.copytree(TOWNS, "towns")
    first = batch(["towns/1-baihe.yaml"], template, "out", jobs=1)
    assert first.summary is not None
    book = openpyxl.load_workbook(first.summary)
    book["汇总"]["A20"] = "审核：张三"
    book.save(first.summary)
    edited = first.summary.read_bytes()
    again = batch(["towns/1-baihe.yaml"], template, "out", jobs=1)
    assert again.summary is None
    assert first.summary.read_bytes() == edited
    assert report(again).splitlines()[-1].startswith(
        "summary workbook not written: out/汇总表.xlsx: the file ")
    assert again.exit_code == 0
    forced = batch(["towns/1-baihe.yaml"], template, "out", jobs=1, force=True)
    assert forced.summary == first.summary
    assert sheet_of(first.summary)["A20"].value is None


def test_a_run_of_fewer_towns_keeps_the_countys_summary(workdir: Path, template: Path) -> None:
    """helper-31: a run for one town again rewrote the county's 汇总表 with that town alone, ranked 1."""
    shutil.copytree(TOWNS, "towns")
    Path("towns/3-shiqiao.yaml").unlink()
    county = batch(["towns"], template, "out", jobs=1)
    assert county.summary is not None
    whole = county.summary.read_bytes()
    one = batch(["towns/1-baihe.yaml"], template, "out", jobs=1)
    assert (one.summary, one.summary_kept, one.exit_code) == (None, True, 0)
    assert county.summary.read_bytes() == whole
    assert report(one).splitlines()[-1] == (
        "summary workbook not written: out/汇总表.xlsx: it covers 4 towns and this run 1: it is kept "
        "(run the whole county again to update it, or use --force to replace it)")
    assert batch(["towns"], template, "out", jobs=1).summary == county.summary  # the county again
    forced = batch(["towns/1-baihe.yaml"], template, "out", jobs=1, force=True)
    assert forced.summary == county.summary
    assert sheet_of(county.summary).cell(4, 1).value == "合计"


def test_ranks_share_equal_places() -> None:
    values = [Decimal("5.0"), Decimal("3.0"), None, Decimal("5.0"), Decimal("-1.0")]
    assert ranks(values) == [1, 3, None, 1, 4]
    assert ranks([]) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.tuples(st.integers(0, 10**6), st.integers(1, 10**6)),
                          st.tuples(st.integers(0, 1000), st.integers(0, 1000)),
                          st.tuples(st.integers(0, 10**24), st.integers(1, 10))), max_size=40))
def test_a_columns_changes_and_ranks_are_change_of_and_ranks(pairs: list[Any]) -> None:
    """Kept as tenths in an array, a column's changes give back `change_of` exactly, and the
    ranks `ranks` gives: amounts (growth in %) and rates (百分点, the second kind of pair), and
    changes too large for 64 bits."""
    for unit in ("万元", "%"):
        column = Column("x", unit, "产值", unit == "%")
        expected: list[Decimal | None] = []
        for number, pair in enumerate(pairs):
            if pair is None:
                expected.append(None)
                continue
            value, previous = (Decimal(n).scaleb(-1) for n in pair)
            indicator = Indicator(name="产值", unit=unit, value=value, previous=previous)
            column.add(number, indicator)
            expected.append(change_of(indicator))
        rank = column.ranking()
        assert [column.change(n) for n in range(len(pairs))] == expected
        assert [rank(n) for n in range(len(pairs))] == ranks(expected)


def test_towns_are_ranked_among_those_of_their_year_and_period(tmp_path: Path) -> None:
    """柳树镇 and 东坡街道 report 1—10月: their growth is ranked between the two of them, and the
    full-year towns' among theirs; so are a year's towns apart from another year's."""
    names = ("1-baihe.yaml", "2-qingshan.yaml", "4-liushu.yaml", "5-dongpo.yaml")
    towns = [township(name, **({"through_month": 10} if name[0] in "45" else {})) for name in names]
    path = tmp_path / "s.xlsx"
    path.write_bytes(build_summary(towns))
    ws = sheet_of(path)
    # gdp growth: 白河镇 9.1%, 青山乡 -4.8% (full year); 柳树镇 8.0%, 东坡街道 7.7% (1—10月)
    assert [ws.cell(row, 7).value for row in range(3, 7)] == [1, 2, 1, 2]
    last_year = [t.model_copy(update={"year": 2023}) for t in towns[:2]]
    path.write_bytes(build_summary([*towns[:2], *last_year]))
    assert [sheet_of(path).cell(row, 7).value for row in range(3, 7)] == [1, 2, 1, 2]


def groups_of(towns: list[Township]) -> list[Column]:
    """The summary's column groups, in order: one per indicator code and unit."""
    return survey(towns).columns


def totals(group: Column, towns: list[Township]) -> tuple[Decimal | None, Decimal | None]:
    """The county total of ``group``'s indicator over ``towns`` (its value and previous)."""
    found = survey(towns)
    return found.totals(next(c for c in found.columns if (c.code, c.unit) == (group.code, group.unit)))


def test_totals_only_where_they_mean_something() -> None:
    a, b = township("1-baihe.yaml"), township("2-qingshan.yaml")
    gdp, income, forest, _grain = groups_of([a, b])
    assert (gdp.additive, income.additive, forest.additive) == (True, False, False)
    assert totals(gdp, [a, b]) == (Decimal(20000), Decimal(19400))
    assert totals(income, [a, b]) == (None, None)
    assert totals(forest, [a, b]) == (None, None)
    # Different periods do not add up, nor do towns that lack the indicator.
    assert totals(gdp, [a, b.model_copy(update={"through_month": 10})]) == (None, None)
    assert totals(gdp, [a, b.model_copy(update={"year": 2023})]) == (None, None)
    without = b.model_copy(update={"indicators": {k: v for k, v in b.indicators.items() if k != "gdp"}})
    assert totals(groups_of([a, without])[0], [a, without]) == (None, None)
    # A previous missing in one town: the total of this year only.
    no_previous = with_indicator(b, "gdp", previous=None)
    assert totals(groups_of([a, no_previous])[0], [a, no_previous]) == (Decimal(20000), None)
    # The data's additive field overrides the default by unit.
    forced = [with_indicator(t, "income", additive=True) for t in (a, b)]
    assert totals(groups_of(forced)[1], forced) == (Decimal(34500), Decimal(32800))
    refused = [with_indicator(a, "gdp", additive=False), b]
    assert groups_of(refused)[0].additive is False


def test_the_total_of_a_rate_made_additive_changes_in_points(tmp_path: Path) -> None:
    """A rate the data makes additive is totalled; its change, as its towns', is in 百分点."""
    towns = [with_indicator(township(name), "forest", value=Decimal(value), previous=Decimal(previous),
                            additive=True)
             for name, value, previous in (("1-baihe.yaml", 50, 40), ("2-qingshan.yaml", 60, 58))]
    path = tmp_path / "s.xlsx"
    path.write_bytes(build_summary(towns))
    ws = sheet_of(path)
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value == "森林覆盖率（%）")
    assert [ws.cell(5, column + i).value for i in range(3)] == [110, 98, 12]  # not 12.2% growth
    assert ws.cell(5, column + 2).number_format == "0.0"


def test_adds_up_default_by_unit() -> None:
    def adds(name: str, unit: str, **extra: Any) -> bool:
        return Indicator(name=name, unit=unit, value=Decimal(1), **extra).adds_up

    assert adds("地区生产总值", "万元") and adds("耕地面积", "亩") and adds("常住人口", "人")
    assert not adds("森林覆盖率", "%")
    assert not adds("农村居民人均可支配收入", "元")
    assert not adds("亩均产值", "元/亩")
    assert adds("森林覆盖率", "%", additive=True)
    assert not adds("地区生产总值", "万元", additive=False)


def test_the_same_code_in_other_units_is_another_column(workdir: Path) -> None:
    a = township("1-baihe.yaml")
    b = with_indicator(township("2-qingshan.yaml"), "gdp", unit="亿元", value=Decimal("0.8"),
                       previous=Decimal("0.84"))
    path = Path("s.xlsx")
    path.write_bytes(build_summary([a, b]))
    ws = sheet_of(path)
    headings = [c.value for c in ws[1] if c.value]
    assert headings[3:5] == ["地区生产总值（万元）", "地区生产总值（亿元）"]
    assert (ws["D3"].value, ws["D4"].value) == (12000, None)
    assert ws["H4"].value == 0.8
    assert ws["H4"].number_format == "0.00"
    assert (ws["D5"].value, ws["H5"].value) == (None, None)  # no total of a column only one town has


def test_the_summary_has_a_chart_of_the_towns_growth(tmp_path: Path) -> None:
    towns = [load(p).township for p in sorted((ROOT / "data").glob("*.yaml"))]
    path = tmp_path / "s.xlsx"
    path.write_bytes(build_summary(towns))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["汇总", CHART_SHEET]
    (chart,) = book[CHART_SHEET]._charts
    assert chart.type == "bar" and chart.grouping == "clustered"
    assert "".join(r.t for p in chart.title.tx.rich.p for r in p.r) == GROWTH_CHART_TITLE
    sheet = book["汇总"]
    assert chart.series, "one series per amount indicator with a previous value"
    for series in chart.series:
        ref = series.val.numRef.f  # e.g. '汇总'!$F$3:$F$5
        column = ref.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
        assert sheet[f"{column}2"].value == "增长"
        assert ref.endswith(f"$3:${column}${len(towns) + 2}")
    assert chart.series[0].cat.strRef.f == "'汇总'!$A$3:$A$5"


def widths(ws: Any) -> dict[int, float]:
    """The sheet's set column widths by column number (a <col> may cover several columns)."""
    found: dict[int, float] = {}
    for dimension in ws.column_dimensions.values():
        if dimension.customWidth:
            for col in range(dimension.min, dimension.max + 1):
                found[col] = dimension.width
    return found


def test_the_summary_sheet_layout(tmp_path: Path) -> None:
    towns = [township(name) for name in ("1-baihe.yaml", "2-qingshan.yaml", "4-liushu.yaml")]
    path = tmp_path / "s.xlsx"
    path.write_bytes(build_summary(towns))
    ws = sheet_of(path)
    last = ws.max_column
    assert last == 19  # three fixed columns and four indicators of four columns each
    # Two heading rows, bold and centred; the fixed columns merged over both, each group across its own.
    assert sorted(map(str, ws.merged_cells.ranges)) == sorted(
        ["A1:A2", "B1:B2", "C1:C2", "D1:G1", "H1:K1", "L1:O1", "P1:S1"])
    headings = [ws.cell(row, col) for row in (1, 2) for col in range(1, last + 1)]
    assert len([c for c in headings if not isinstance(c, MergedCell)]) == 3 + 4 + 16  # openpyxl styles these
    for cell in headings:
        if isinstance(cell, MergedCell):
            continue
        assert cell.font.b, cell.coordinate
        assert (cell.alignment.horizontal, cell.alignment.vertical, cell.alignment.wrap_text) == \
            ("center", "center", True), cell.coordinate
    # Figures are not bold; whole numbers stay whole, growth is a fraction shown as a percentage.
    assert not ws["D3"].font.b
    assert (type(ws["B3"].value), ws["B3"].number_format) == (int, "0")
    assert (type(ws["D3"].value), type(ws["F3"].value), type(ws["G3"].value)) == (int, float, int)
    assert [ws.cell(3, c).number_format for c in range(4, 20)] == \
        ["0", "0", "0.0%", "0"] * 2 + ["0.0", "0.0", "0.0", "0"] + ["0", "0", "0.0%", "0"]
    # The total row, bold, then an empty row and the note.
    assert (ws["A6"].value, ws["A6"].font.b) == ("合计", True)
    assert (ws["D6"].value, ws["D6"].number_format, ws["F6"].number_format) == (29500, "0", "0.0%")
    assert all(ws.cell(7, c).value is None for c in range(1, last + 1))
    assert ws["A8"].value == NOTE
    assert ws.max_row == 8
    assert widths(ws) == {1: 12, 3: 10} | {col: 11 for col in range(4, last + 1)}
    assert ws.freeze_panes == "D3"


def test_the_growth_chart_axes_and_series(tmp_path: Path) -> None:
    towns = [township(name) for name in ("1-baihe.yaml", "2-qingshan.yaml", "4-liushu.yaml", "5-dongpo.yaml")]
    path = tmp_path / "s.xlsx"
    path.write_bytes(build_summary(towns))
    (chart,) = openpyxl.load_workbook(path)[CHART_SHEET]._charts
    values = chart.y_axis
    assert "".join(r.t for p in values.title.tx.rich.p for r in p.r) == "增长"
    assert values.numFmt.formatCode == "0.0%"
    assert values.majorGridlines is None
    # The amounts with a previous value (not the rate 森林覆盖率): GDP, income, grain.
    assert [s.tx.v for s in chart.series] == \
        ["地区生产总值（万元）", "农村居民人均可支配收入（元）", "粮食总产量（吨）"]
    assert [s.val.numRef.f for s in chart.series] == \
        ["'汇总'!$F$3:$F$6", "'汇总'!$J$3:$J$6", "'汇总'!$R$3:$R$6"]
    # The towns are text: a string reference in every series, not a number reference.
    for series in chart.series:
        assert series.cat.numRef is None
        assert series.cat.strRef.f == "'汇总'!$A$3:$A$6"


def test_no_chart_without_growth(tmp_path: Path) -> None:
    town = township("1-baihe.yaml")
    gdp = town.indicators["gdp"].model_copy(update={"previous": None})
    path = tmp_path / "s.xlsx"
    path.write_bytes(build_summary([town.model_copy(update={"indicators": {"gdp": gdp}})]))
    assert openpyxl.load_workbook(path).sheetnames == ["汇总"]
    path.write_bytes(build_summary([]))
    assert openpyxl.load_workbook(path).sheetnames == ["汇总"]
    ws = sheet_of(path)
    assert [ws.cell(r, 1).value for r in (1, 3, 4, 5)] == ["乡镇", "合计", None, NOTE]


class Counted(Sequence[Township]):
    """Towns handed out one at a time, as the batch's pickled towns are, counting the reads.

    The read number ``interrupt`` is a Ctrl-C instead.
    """

    def __init__(self, towns: list[Township], interrupt: int = 0) -> None:
        self._towns = towns
        self._interrupt = interrupt
        self.reads = [0] * len(towns)

    def __len__(self) -> int:
        return len(self._towns)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            raise AssertionError("the summary takes no slice of the towns")
        town = self._towns[index]
        self.reads[index] += 1
        if sum(self.reads) == self._interrupt:
            raise KeyboardInterrupt
        return town


def test_both_passes_read_each_town_once(tmp_path: Path) -> None:
    towns = Counted([township(name) for name in ("1-baihe.yaml", "2-qingshan.yaml", "4-liushu.yaml")])
    path = tmp_path / "s.xlsx"
    path.write_bytes(build_summary(towns))
    assert towns.reads == [2, 2, 2]
    assert [sheet_of(path).cell(r, 1).value for r in (3, 4, 5)] == ["白河镇", "青山乡", "柳树镇"]


def test_equal_towns_give_equal_bytes(tmp_path: Path) -> None:
    towns = [load(p).township for p in sorted((ROOT / "data").glob("*.yaml"))]
    first = build_summary(towns)
    assert build_summary(towns) == first
    path = tmp_path / "s.xlsx"
    path.write_bytes(first)
    assert openpyxl.load_workbook(path).properties.created == FIXED_CREATED.replace(tzinfo=None)


def test_the_chart_caches_the_town_names_and_keeps_its_size(tmp_path: Path) -> None:
    towns = [township(name) for name in ("1-baihe.yaml", "2-qingshan.yaml", "4-liushu.yaml", "5-dongpo.yaml")]
    path = tmp_path / "s.xlsx"
    bottoms = []
    for county in (towns, towns * 2):
        path.write_bytes(build_summary(county))
        book = openpyxl.load_workbook(path)
        (chart,) = book[CHART_SHEET]._charts
        cache = chart.series[0].cat.strRef.strCache
        names = [book["汇总"].cell(row, 1).value for row in range(3, len(county) + 3)]
        assert [point.v for point in cache.pt] == names
        # Anchored at A1, moved but not sized with the cells under it, and taller for more towns.
        assert (chart.anchor._from.col, chart.anchor._from.row, chart.anchor.editAs) == (0, 0, "oneCell")
        bottoms.append(chart.anchor.to.row)
    assert bottoms[1] > bottoms[0]


def test_a_name_like_a_formula_stays_text(tmp_path: Path) -> None:
    towns = [township("1-baihe.yaml", town="=1+1"), township("2-qingshan.yaml", town="http://example.cn")]
    path = tmp_path / "s.xlsx"
    path.write_bytes(build_summary(towns))
    ws = sheet_of(path)
    assert [(ws.cell(r, 1).value, ws.cell(r, 1).data_type) for r in (3, 4)] == \
        [("=1+1", "s"), ("http://example.cn", "s")]
    assert not ws._hyperlinks


def test_the_rows_pass_through_a_temporary_folder_that_goes(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    towns = [township("1-baihe.yaml"), township("2-qingshan.yaml")]
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    build_summary(towns)
    assert list(scratch.iterdir()) == []
    with pytest.raises(KeyboardInterrupt):
        build_summary(Counted(towns, interrupt=4))  # in the second pass, the rows begun
    assert list(scratch.iterdir()) == []
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(OutputError, match="cannot write here: ") as caught:
        build_summary(towns)
    assert caught.value.place.file == tmp_path / "missing"


def test_the_summary_module_does_without_openpyxl() -> None:
    code = "import sys, docgen.summary; print('openpyxl' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def test_the_batchs_light_records_give_the_same_workbook() -> None:
    """A batch keeps each town packed (`pack_figures`) and reads it back as a `SummaryTown`: the
    workbook is the one the towns themselves give, byte for byte."""
    towns = [load(path).township for path in sorted(TOWNS.glob("*.yaml")) if "shiqiao" not in path.name]
    towns += [load(path).township for path in sorted((ROOT / "data").glob("*.yaml"))]
    records = [unpack_figures(pack_figures(town)) for town in towns]
    assert [r.town for r in records] == [t.town for t in towns]
    assert build_summary(records) == build_summary(towns)


def test_the_whole_county_again_with_a_town_failing_replaces_the_summary(workdir: Path,
                                                                         template: Path) -> None:
    """helper-33: the county run again with one town broken kept the old summary ("it covers 3 towns
    and this run 2"), though the run was the whole county: a town that failed counts."""
    shutil.copytree(TOWNS, "towns")
    Path("towns/3-shiqiao.yaml").unlink()
    assert batch(["towns"], template, "out", jobs=1).summary is not None
    broken = Path("towns/1-baihe.yaml")
    broken.write_text(broken.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    again = batch(["towns"], template, "out", jobs=1)
    assert (again.summary, again.summary_left_out) == (Path("out/汇总表.xlsx"), ("白河镇",))


def test_a_town_counts_once_and_a_workbook_town_without_text_not_at_all(workdir: Path) -> None:
    """helper-35: a broken data file failed twice (as itself and as its workbook's town), the summary
    recorded 4 towns for 3, and the county run again, mended, kept it; a run of one town with the
    county's workbook counted the workbook's other towns and replaced the county's summary."""
    shutil.copytree(ROOT / "data", "data")
    book = Path("data/county-2024.xlsx")
    broken = Path("data/tanling-2024.yaml")
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("town: ", "town：", 1), encoding="utf-8")
    first = batch(["data", book], None, "out", jobs=1)
    assert first.count("failed") == 2 and first.summary is not None
    broken.write_text(text, encoding="utf-8")
    again = batch(["data", book], None, "out", jobs=1)
    assert (again.count("done"), again.summary) == (3, Path("out/汇总表.xlsx"))
    one = batch(["data/gudong-2024.yaml", book], None, "out", jobs=1)
    assert (one.summary, one.summary_kept) == (None, True)
