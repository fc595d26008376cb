"""Writing the summary's town rows directly gives the workbook XlsxWriter writes cell by cell."""

from __future__ import annotations

import io
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import summary
from docgen.batchplan import SummaryIndicator, SummaryTown
from docgen.engine.zipwrite import Deflated
from docgen.errors import OutputError
from docgen.loading import load
from docgen.sheetrows import SheetRows
from docgen.summary import SHEET_PART, build_summary

from .conftest import ROOT

TOWNS = Path(__file__).parent / "batch" / "towns"


def members(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        assert package.testzip() is None
        return {info.filename: package.read(info) for info in package.infolist()}


def assert_same_workbook(towns: list[SummaryTown]) -> None:
    direct, reference = build_summary(towns), build_summary(towns, direct_rows=False)
    got, expected = members(direct), members(reference)
    assert list(got) == list(expected)
    for name, data in expected.items():
        assert got[name] == data, name


def indicator(value: str, previous: str | None = None, *, unit: str = "万元", rate: bool = False,
              name: str = "地区生产总值") -> SummaryIndicator:
    return SummaryIndicator(name, unit, Decimal(value), None if previous is None else Decimal(previous),
                            rate, not rate)


def test_the_example_towns_give_the_workbook_xlsxwriter_writes() -> None:
    paths = [*sorted((ROOT / "data").glob("*.yaml")), *sorted(TOWNS.glob("*.yaml"))]
    towns = [load(path).township for path in paths if "shiqiao" not in path.name]  # 石桥镇 is broken
    assert len(towns) >= 7
    assert_same_workbook(towns)  # type: ignore[arg-type]  # the model is a TownLike too


def test_odd_texts_numbers_and_gaps_give_the_workbook_xlsxwriter_writes() -> None:
    towns = [
        SummaryTown("沽东镇", 2024, 12, {
            "gdp": indicator("12000.5", "11000"),
            "rate": indicator("35.5", "34", unit="%", rate=True, name="覆盖率")}),
        # text Excel would read as its own escape, characters XML cannot hold, markup, spaces at the ends
        SummaryTown(" A&B<镇>_x0041_\x01\x1f\ufffe\uffff ", 2023, 6, {"gdp": indicator("-5", "0")}),
        SummaryTown("大数镇", 2024, 9, {"gdp": indicator("12345678901234567890", "0.0001"),
                                        "other": indicator("1E+3", unit="亩", name="面积")}),
        SummaryTown("无指标镇", 2024, 12, {}),
        SummaryTown("单位镇", 2024, 12, {"gdp": indicator("7", "7", unit="元")}),  # another unit: a column
    ]
    assert_same_workbook(towns)


def test_no_towns_and_one_town() -> None:
    assert_same_workbook([])
    assert_same_workbook([SummaryTown("沽东镇", 2024, 12, {"gdp": indicator("1", "2")})])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=8),
                          st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False),
                          st.none() | st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)),
                min_size=1, max_size=6))
def test_any_towns_give_the_workbook_xlsxwriter_writes(
        rows: list[tuple[str, Decimal, Decimal | None]]) -> None:
    # (XlsxWriter writes a text "<r>…</r>" as raw XML, as rich text: docgen's rows escape it)
    towns = [SummaryTown(name, 2024, 12, {"gdp": SummaryIndicator("地区生产总值", "万元", value, previous,
                                                                  False, True)})
             for name, value, previous in rows if not (name.startswith("<r>") and name.endswith("</r>"))]
    assert_same_workbook(towns)


def test_rows_go_into_the_sheet_before_the_row_named(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"constant_memory": True}) as book:
        sheet = book.add_worksheet()
        sheet.write_string(0, 0, "head")
        sheet.write_string(3, 0, "total")
    with (tmp_path / "rows").open("w+b") as spill:
        rows = SheetRows(spill)
        assert rows.write_string(1, 0, "a") == 0
        assert rows.write_number(2, 1, 2.5) == 0
        assert rows.write_number(2, 16_384, 1) == -1  # beyond the sheet, left out as XlsxWriter does
        spliced = rows.splice(buffer.getvalue(), SHEET_PART, 3)
    sheet_xml = members(spliced)[SHEET_PART].decode()
    assert ('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>head</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c></row>'
            '<row r="3"><c r="B3"><v>2.5</v></c></row>'
            '<row r="4"><c r="A4" t="inlineStr"><is><t>total</t></is></c></row></sheetData>') in sheet_xml


def test_misuse_is_refused(tmp_path: Path) -> None:
    with (tmp_path / "rows").open("w+b") as spill:
        rows = SheetRows(spill)
        rows.write_number(5, 0, 1)
        with pytest.raises(ValueError, match="row 5 after row 6"):
            rows.write_number(4, 0, 1)
        with pytest.raises(TypeError, match="NaN"):
            rows.write_number(5, 1, float("nan"))
        with pytest.raises(TypeError, match="NaN"):
            rows.write_number(5, 1, float("-inf"))
        buffer = io.BytesIO()
        with xlsxwriter.Workbook(buffer, {"constant_memory": True}) as book:
            book.add_worksheet().write_string(0, 0, "only")
        with pytest.raises(ValueError, match="no row 9"):
            rows.splice(buffer.getvalue(), SHEET_PART, 8)
        rows.close()  # again: nothing more
        for row in (5, 7):  # the last row, or a later one
            with pytest.raises(ValueError, match="after close"):
                rows.write_string(row, 0, "late")
        assert rows.write_number(1_048_576, 0, 1) == -1  # beyond the sheet: left out, as ever
    assert (tmp_path / "rows").read_bytes() == b'<row r="6"><c r="A6"><v>1</v></c></row>'


def test_a_cell_beyond_the_sheet_starts_no_row(tmp_path: Path) -> None:
    with (tmp_path / "rows").open("w+b") as spill:
        rows = SheetRows(spill)
        rows.write_string(1, 0, "a")
        assert rows.write_number(2, 16_384, 1) == -1
        assert rows.write_string(-1, 0, "x") == -1
        rows.close()
    assert (tmp_path / "rows").read_bytes() == \
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c></row>'


def test_more_towns_than_a_sheet_holds_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summary, "MOST_TOWNS", 2)
    towns = [SummaryTown(name, 2024, 12, {"gdp": indicator("1", "2")}) for name in ("甲镇", "乙镇", "丙镇")]
    build_summary(towns[:2])
    with pytest.raises(OutputError) as refused:
        build_summary(towns)
    assert refused.value.message == "3 towns do not fit in one sheet of 汇总表.xlsx: it holds 2 at most"


@pytest.mark.parametrize("fast", [False, True])
def test_a_member_deflated_a_piece_at_a_time_reads_back_whole(fast: bool) -> None:
    pieces = [b"<row>" * 1000, b"", "镇".encode() * 5000]
    deflated = Deflated.of(iter(pieces), fast=fast)
    assert zlib.decompress(deflated.data, -15) == b"".join(pieces)
    assert deflated.crc == zlib.crc32(b"".join(pieces))
    assert deflated.size == sum(map(len, pieces))
    if not fast:  # zipfile's level, as the member would be zipped whole
        packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        assert len(deflated.data) == len(packer.compress(b"".join(pieces)) + packer.flush())
