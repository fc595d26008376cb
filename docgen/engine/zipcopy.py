"""A zip file written again with some members replaced: byte for byte as `zipfile` would write it, or
with members deflated elsewhere (`zipwrite.Deflated`)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from docgen.engine import zipwrite

_LOCAL = struct.Struct("<IHHHHHIIIHH")  # a local file header, without its name and extra field
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")  # a central directory record, likewise
_END = struct.Struct("<IHHHHIIH")  # the end of central directory record, without its comment
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_DEFLATED = 8
_DATA_DESCRIPTOR = 0x08
_SIZES = struct.Struct("<III")  # crc-32, compressed size, size: at 14 in a local header, 16 in a record
#: zipfile writes a member with zip64 extensions once its size × 1.05 passes this: not copied here.
_ZIP64_LIMIT = (1 << 31) - 1


@dataclass(frozen=True)
class _Member:
    name: str
    head: bytes  # the local header with its name and extra field
    data: bytes  # the compressed data
    entry: bytes  # the central directory record with its name, extra field and comment


class ZipCopy:
    """The members of a zip file written by `zipfile` (deflated, no data descriptors, no zip64), ready
    to be written again: `write` copies the unchanged ones compressed and deflates the replaced ones
    as zipfile deflates them (zlib's default level), giving the bytes zipfile would write."""

    def __init__(self, blob: bytes) -> None:
        """Read ``blob``; :raises ValueError: for a zip that `write` could not write again."""
        try:
            self._read(blob)
        except struct.error as exc:
            raise ValueError(f"not a whole zip file: {exc}") from exc

    def _read(self, blob: bytes) -> None:
        end = blob[-_END.size:]
        sig, disk, start, count, total, size, offset, comment = _END.unpack(end)
        if sig != _END_SIG or disk or start or comment or count != total or \
                offset + size + _END.size != len(blob):
            raise ValueError("not a plain zip file")
        self._members: list[_Member] = []
        at, position = offset, 0
        for _index in range(count):
            fields = _CENTRAL.unpack_from(blob, at)
            flags, method, local_at = fields[3], fields[4], fields[16]
            compressed, name_size, extra_size, comment_size = fields[8], fields[10], fields[11], fields[12]
            entry = blob[at:at + _CENTRAL.size + name_size + extra_size + comment_size]
            local = _LOCAL.unpack_from(blob, local_at)
            head = blob[local_at:local_at + _LOCAL.size + local[9] + local[10]]
            if fields[0] != _CENTRAL_SIG or local[0] != _LOCAL_SIG or local_at != position or \
                    flags & _DATA_DESCRIPTOR or method != _DEFLATED or extra_size or local[10]:
                raise ValueError("a zip member zipfile would not write again as it is")
            encoding = "utf-8" if flags & 0x800 else "cp437"
            name = entry[_CENTRAL.size:_CENTRAL.size + name_size].decode(encoding)
            data = blob[local_at + len(head):local_at + len(head) + compressed]
            self._members.append(_Member(name, head, data, entry))
            at += len(entry)
            position = local_at + len(head) + compressed
        if position != offset or at != offset + size:
            raise ValueError("a zip file with gaps between its parts")

    def read(self, name: str) -> bytes:
        """The data of the member ``name``, inflated; :raises KeyError: when there is none."""
        for member in self._members:
            if member.name == name:
                return zlib.decompress(member.data, -15)
        raise KeyError(name)

    def write(self, replaced: Mapping[str, bytes | zipwrite.Deflated]) -> bytes:
        """The zip file with the data of the members named in ``replaced`` replaced: deflated here
        as zipfile deflates, or as they come (`zipwrite.Deflated`)."""
        members: list[zipwrite.Member] = []
        for member in self._members:
            new = replaced.get(member.name)
            head, data, entry = member.head, member.data, member.entry
            if new is not None:
                deflated = new if isinstance(new, zipwrite.Deflated) else zipwrite.Deflated.of((new,))
                data, crc, size = deflated.data, deflated.crc, deflated.size
                if size * 1.05 > _ZIP64_LIMIT:
                    raise ValueError(f"{member.name} is too large to write without zip64")
                sizes = _SIZES.pack(crc, len(data), size)
                head = head[:14] + sizes + head[26:]
                entry = entry[:16] + sizes + entry[28:]
            # zipwrite.package puts each record's local header offset back in (bytes 42-46)
            members.append(zipwrite.Member(member.name, head, entry[:42] + entry[46:], data))
        return zipwrite.package(members)
