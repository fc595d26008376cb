"""A minimal zip writer that copies precompressed members and deflates only the new ones."""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

_fast_deflate: ModuleType
try:  # ISA-L's deflate (the "speed" extra): five times zlib's speed at its fastest level
    from isal import isal_zlib as _fast_deflate
except ImportError:  # not installed (no wheel for 32-bit Windows, Windows on ARM): zlib's fastest
    _fast_deflate = zlib

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_VERSION = 20  # deflate, as zipfile writes it
_UTF8_FLAG = 0x800
_STORED, _DEFLATED = 0, 8
_LIMIT = 0xFFFFFFFF  # beyond this a member would need zip64: not written here
LEVEL = 6  # zlib's default, as zipfile uses it: for members compressed once
# For the members compressed in every document: ISA-L's level 1 (zlib's level 1 where ISA-L is
# not installed), seven times as fast as zlib's level 6 on a draft's document part, 15 % larger.
FAST: tuple[ModuleType, int] = (_fast_deflate, 1)


@dataclass(frozen=True)
class Member:
    """One member ready to be written: its local header and compressed data, and its directory entry.

    ``entry`` is the central directory record without the trailing offset field. ``data``, when
    given, follows ``local`` (a header alone): a large member's data is then not copied to be joined.
    """

    name: str
    local: bytes
    entry: bytes
    data: bytes = b""


@dataclass(frozen=True)
class Deflated:
    """A member's data deflated as it came, a piece at a time, with its CRC-32 and size."""

    data: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, pieces: Iterable[bytes], *, fast: bool = False) -> Deflated:
        """``pieces`` one after the other, deflated with zlib at zipfile's level, or ``fast``
        (`FAST`): a large member is never whole in memory."""
        deflate, level = FAST if fast else (zlib, LEVEL)
        packer = deflate.compressobj(level, zlib.DEFLATED, -15)  # raw deflate (compress's wbits: 3.11+)
        crc = size = 0
        out: list[bytes] = []
        for piece in pieces:
            crc = _fast_deflate.crc32(piece, crc)
            size += len(piece)
            out.append(packer.compress(piece))
        out.append(packer.flush())
        return cls(b"".join(out), crc, size)


def _dos_time(stamp: float) -> tuple[int, int]:
    t = time.localtime(stamp)
    year = max(t.tm_year, 1980)
    return (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2), \
        ((year - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday


def fits(data: bytes) -> bool:
    """Whether ``data`` is small enough for a member without zip64 extensions."""
    return len(data) < _LIMIT


def member(name: str, data: bytes, stamp: float, *, fast: bool = False) -> Member:
    """Deflate ``data`` into a member called ``name`` dated ``stamp``: with zlib at zipfile's level,
    or ``fast`` (`FAST`) for a member that every document compresses anew."""
    return _member(name, Deflated.of((data,), fast=fast), _DEFLATED, stamp)


def stored(name: str, data: bytes, stamp: float) -> Member:
    """``data`` as a member kept as it is: for data already compressed (an embedded workbook)."""
    return _member(name, Deflated(data, _fast_deflate.crc32(data), len(data)), _STORED, stamp)


def _member(name: str, data: Deflated, method: int, stamp: float) -> Member:
    """The member of ``data`` (its bytes as written, its CRC-32 and size as read back)."""
    encoded = name.encode("utf-8")
    flags = 0 if name.isascii() else _UTF8_FLAG
    dos_time, dos_date = _dos_time(stamp)
    local = _LOCAL.pack(_LOCAL_SIG, _VERSION, flags, method, dos_time, dos_date, data.crc,
                        len(data.data), data.size, len(encoded), 0) + encoded
    entry = _CENTRAL.pack(_CENTRAL_SIG, _VERSION, _VERSION, flags, method, dos_time, dos_date,
                          data.crc, len(data.data), data.size, len(encoded), 0, 0, 0, 0, 0, 0)[:-4]
    return Member(name, local, entry + encoded, data.data)


def package(members: list[Member]) -> bytes:
    """The zip file of ``members`` in their order."""
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for item in members:
        # the offset is the entry's last fixed field, before the name
        fixed = _CENTRAL.size - 4
        directory.append(item.entry[:fixed] + struct.pack("<I", offset) + item.entry[fixed:])
        chunks += (item.local, item.data)
        offset += len(item.local) + len(item.data)
    central = b"".join(directory)
    if offset >= _LIMIT or len(members) > 0xFFFF:
        raise ValueError("package too large for a zip without zip64")
    end = _END.pack(_END_SIG, 0, 0, len(members), len(members), len(central), offset, 0)
    return b"".join(chunks) + central + end
