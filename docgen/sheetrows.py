"""The summary sheet's town rows as SpreadsheetML, written directly and spliced into XlsxWriter's sheet.

XlsxWriter checks, stores and writes each cell in Python, a few microseconds each: for 1000 towns,
nearly half the time the summary took. `SheetRows` takes the same ``write_string`` and ``write_number``
calls and writes the cells as XlsxWriter writes them in constant-memory mode (in-line strings,
numbers as ``%.16G``), a row at a time, into a temporary file; `SheetRows.splice` then puts them
into the sheet XlsxWriter wrote without them. The workbook is the one XlsxWriter writes cell by
cell (tests/test_sheetrows.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name

from docgen.engine.zipcopy import ZipCopy
from docgen.engine.zipwrite import Deflated

_ROWS, _COLUMNS = 1_048_576, 16_384  # a sheet's bounds: XlsxWriter leaves out a cell beyond them
_STRING_UNITS = 32_767  # the UTF-16 units a cell's text may have; XlsxWriter cuts a longer one
_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")  # text that reads as Excel's escape: escaped
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")  # characters XML cannot hold: _xHHHH_
_SPACE_AT_ENDS = re.compile(r"^\s|\s$")
_FLUSH = 1 << 16  # characters of rows gathered before they are written out
_PIECE = 1 << 20  # bytes of rows read back at a time


class SheetRows:
    """Rows written in order, each one's cells in column order, into ``out`` (a binary file).

    Cell formats get their style numbers as they are first used, as when XlsxWriter writes the
    cells: the styles come out numbered alike. A cell without a format gets none (XlsxWriter would
    give it its row's or column's: the summary sets none).
    """

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._row = -1
        self._closed = False
        self._number = ""  # the row's number as a cell reference has it
        self._pending: list[str] = []
        self._size = 0
        self._letters: list[str] = []
        self._styles: dict[Format, str] = {}

    def write_string(self, row: int, col: int, string: str, cell_format: Format | None = None) -> int:
        """A text cell, as `xlsxwriter.worksheet.Worksheet.write_string` writes it."""
        if not (0 <= row < _ROWS and 0 <= col < _COLUMNS):
            return -1  # outside the sheet: left out, as XlsxWriter leaves it out
        if row != self._row or self._closed:
            self._next_row(row)
        if len(string) > _STRING_UNITS // 2 and len(string.encode("utf-16-le")) > 2 * _STRING_UNITS:
            string = string.encode("utf-16-le")[:2 * _STRING_UNITS].decode("utf-16-le", "ignore")
        string = _ESCAPED_ESCAPE.sub(r"_x005F\1", string)
        string = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", string)
        space = ' xml:space="preserve"' if _SPACE_AT_ENDS.search(string) else ""
        string = string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self._add(f'<c r="{self._letter(col)}{self._number}"{self._style(cell_format)} t="inlineStr">'
                  f"<is><t{space}>{string}</t></is></c>")
        return 0

    def write_number(self, row: int, col: int, number: float, cell_format: Format | None = None) -> int:
        """A number cell, as `xlsxwriter.worksheet.Worksheet.write_number` writes it."""
        if number - number:  # not 0: NaN or an infinity
            raise TypeError("NaN and INF are not supported in a summary cell")
        if not (0 <= row < _ROWS and 0 <= col < _COLUMNS):
            return -1
        if row != self._row or self._closed:
            self._next_row(row)
        self._add(f'<c r="{self._letter(col)}{self._number}"{self._style(cell_format)}>'
                  f"<v>{number:.16G}</v></c>")
        return 0

    def _next_row(self, row: int) -> None:
        """Move on to ``row``, a later one (refused once closed)."""
        if self._closed:
            raise ValueError(f"row {row + 1} written after close")
        if row < self._row:
            raise ValueError(f"row {row + 1} after row {self._row + 1}: rows are written in order")
        self._end_row()
        self._row, self._number = row, str(row + 1)
        self._add(f'<row r="{self._number}">')

    def _letter(self, col: int) -> str:
        try:
            return self._letters[col]
        except IndexError:
            self._letters.extend(xl_col_to_name(c) for c in range(len(self._letters), col + 1))
            return self._letters[col]

    def _style(self, cell_format: Format | None) -> str:
        if cell_format is None:
            return ""
        style = self._styles.get(cell_format)
        if style is None:  # XlsxWriter numbers a format the first time a cell of it is written
            style = self._styles[cell_format] = f' s="{cell_format._get_xf_index()}"'
        return style

    def _add(self, xml: str) -> None:
        self._pending.append(xml)
        self._size += len(xml)
        if self._size >= _FLUSH:
            self._write()

    def _end_row(self) -> None:
        if self._row >= 0:
            self._pending.append("</row>")

    def _write(self) -> None:
        self._out.write("".join(self._pending).encode("utf-8"))
        self._pending.clear()
        self._size = 0

    def close(self) -> None:
        """End the last row and write out what is gathered; no row can follow."""
        if not self._closed:
            self._end_row()
            self._closed = True
            self._write()

    def splice(self, package: bytes, member: str, before_row: int) -> bytes:
        """``package`` with the rows put into the sheet ``member``, before its row ``before_row``
        (counted from 0), which XlsxWriter wrote without them.

        :raises ValueError: when the sheet has no such row (a bug in docgen).
        """
        self.close()
        copy = ZipCopy(package)
        sheet = copy.read(member)
        at = sheet.find(f'<row r="{before_row + 1}"'.encode())
        if at < 0:
            raise ValueError(f"{member} has no row {before_row + 1} to put the rows before")
        return copy.write({member: Deflated.of(self._pieces(sheet[:at], sheet[at:]))})

    def _pieces(self, head: bytes, tail: bytes) -> Iterator[bytes]:
        yield head
        self._out.flush()
        self._out.seek(0)
        while piece := self._out.read(_PIECE):
            yield piece
        yield tail

