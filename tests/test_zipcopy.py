"""A zip written again with members replaced is the zip `zipfile` writes with those members."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from docgen.engine import zipwrite
from docgen.engine.zipcopy import ZipCopy


def _zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED,
         comment: bytes = b"") -> bytes:
    """What XlsxWriter's in-memory workbook does: ZipInfo members dated 1980, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as package:
        for name, data in members:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = compression
            package.writestr(info, data)
        package.comment = comment
    return buffer.getvalue()


def _members() -> list[tuple[str, bytes]]:
    rng = random.Random(3)
    return [("[Content_Types].xml", b"<Types/>" * 40), ("xl/worksheets/sheet1.xml", b""),
            ("xl/表.xml", "<t>数据</t>".encode() * 9), ("big.bin", rng.randbytes(70_000)),
            ("xl/sharedStrings.xml", b"<sst/>")]


def test_written_again_unchanged_it_is_the_same_bytes() -> None:
    blob = _zip(_members())
    assert ZipCopy(blob).write({}) == blob


@pytest.mark.parametrize("names", [["xl/worksheets/sheet1.xml"], ["xl/表.xml", "big.bin"],
                                   ["[Content_Types].xml", "xl/sharedStrings.xml"]])
def test_replaced_members_are_zipped_as_zipfile_zips_them(names: list[str]) -> None:
    rng = random.Random(len(names))
    new = {name: rng.choice([b"", "<c>单元格</c>".encode() * rng.randint(1, 300), rng.randbytes(5000)])
           for name in names}
    copy = ZipCopy(_zip(_members()))
    expected = _zip([(name, new.get(name, data)) for name, data in _members()])
    assert copy.write(new) == expected
    assert copy.write(new) == expected  # the copy is not changed by writing
    with zipfile.ZipFile(io.BytesIO(expected)) as package:
        assert package.testzip() is None


@pytest.mark.parametrize("blob", [_zip(_members(), zipfile.ZIP_STORED), _zip(_members(), comment=b"note"),
                                  b"PK\x05\x06" + bytes(4) + bytes([1, 0, 1, 0]) + bytes(10),
                                  b"not a zip at all, not a zip at all"])
def test_a_zip_it_could_not_write_again_is_refused(blob: bytes) -> None:
    with pytest.raises(ValueError):
        ZipCopy(blob)


def test_a_member_is_read_back_inflated() -> None:
    copy = ZipCopy(_zip(_members()))
    for name, data in _members():
        assert copy.read(name) == data
    with pytest.raises(KeyError):
        copy.read("missing.xml")


@pytest.mark.parametrize("fast", [False, True])
def test_a_member_deflated_elsewhere_goes_in_as_it_is(fast: bool) -> None:
    new = "<row>行</row>".encode() * 5000
    copy = ZipCopy(_zip(_members()))
    deflated = zipwrite.Deflated.of([new[:7], new[7:]], fast=fast)
    written = copy.write({"xl/worksheets/sheet1.xml": deflated})
    with zipfile.ZipFile(io.BytesIO(written)) as package:
        assert package.testzip() is None
        assert [i.filename for i in package.infolist()] == [name for name, _data in _members()]
        assert package.read("xl/worksheets/sheet1.xml") == new
        assert package.getinfo("xl/worksheets/sheet1.xml").compress_size == len(deflated.data)
    if not fast:  # deflated at zipfile's level: the bytes zipfile writes
        assert written == copy.write({"xl/worksheets/sheet1.xml": new})
