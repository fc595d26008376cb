"""The minimal zip writer: what it deflates, with ISA-L or zlib, reads back as written."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.engine import zipwrite

_TEXTS = st.text(alphabet=st.sampled_from("<w:t>镇乡增长12.5%。 \n"), max_size=3000).map(
    lambda text: text.encode("utf-8"))


def _read_back(members: list[zipwrite.Member]) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(zipwrite.package(members))) as package:
        assert package.testzip() is None  # every member's CRC checks out
        return {name: package.read(name) for name in package.namelist()}


@pytest.fixture(params=["isal", "zlib"])
def fast_deflate(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The fast members deflated by ISA-L (where installed), or by zlib as where it is missing."""
    if request.param == "isal":
        isal_zlib = pytest.importorskip("isal.isal_zlib")
        monkeypatch.setattr(zipwrite, "FAST", (isal_zlib, 1))
    else:
        monkeypatch.setattr(zipwrite, "FAST", (zlib, 1))
        monkeypatch.setattr(zipwrite, "_fast_deflate", zlib)
    return str(request.param)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # it sets the same each time
@given(document=_TEXTS, chart=_TEXTS)
def test_fast_and_default_members_read_back_as_written(fast_deflate: str, document: bytes,
                                                      chart: bytes) -> None:
    members = [zipwrite.member("word/document.xml", document, 0.0, fast=True),
               zipwrite.member("word/charts/chart1.xml", chart, 0.0),
               zipwrite.stored("word/embeddings/Microsoft_Excel_Worksheet1.xlsx", chart, 0.0)]
    assert _read_back(members) == {"word/document.xml": document, "word/charts/chart1.xml": chart,
                                   "word/embeddings/Microsoft_Excel_Worksheet1.xlsx": chart}


def test_members_compressed_once_are_deflated_as_zipfile_deflates_them() -> None:
    """A template's members, compressed once, get zipfile's own level: the same bytes."""
    data = "<w:document>各乡镇主要指标比上年增长情况</w:document>".encode() * 50
    ours = zipwrite.member("word/styles.xml", data, 0.0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/styles.xml", data)
    with zipfile.ZipFile(buffer) as package:
        info = package.getinfo("word/styles.xml")
        raw = buffer.getvalue()[info.header_offset + 30 + len(info.filename.encode()) + len(info.extra):]
        assert ours.data == raw[:info.compress_size]


def test_each_member_goes_to_the_deflate_it_is_meant_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """A member every document compresses anew goes to `FAST`'s deflate at its level; a member
    compressed once goes to zlib at zipfile's level."""
    used: list[tuple[str, int]] = []

    class Recording:
        __name__ = "recording"
        DEFLATED = zlib.DEFLATED

        def __init__(self, name: str) -> None:
            self.name = name

        def compressobj(self, level: int, method: int, wbits: int) -> object:
            assert (method, wbits) == (zlib.DEFLATED, -15)  # raw deflate, as zip members are
            used.append((self.name, level))
            return zlib.compressobj(level, method, wbits)

        def crc32(self, data: bytes) -> int:
            return zlib.crc32(data)

    monkeypatch.setattr(zipwrite, "FAST", (Recording("fast"), 1))
    monkeypatch.setattr(zipwrite, "zlib", Recording("zlib"))
    zipwrite.member("word/document.xml", b"<w:document/>", 0.0, fast=True)
    zipwrite.member("word/styles.xml", b"<w:styles/>", 0.0)
    assert used == [("fast", 1), ("zlib", zipwrite.LEVEL)]
