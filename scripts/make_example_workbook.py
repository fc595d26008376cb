"""Build data/county-2024.xlsx, the example statistics workbook, from the figures in data/*.yaml.

Run ``python scripts/make_example_workbook.py [-o PATH] [DATA.yaml ...]``. The workbook holds the
sheet 指标 in the layout `docgen batch` reads (one row per town and indicator) and a sheet 说明
explaining it. Its figures are those of the YAML files, so ``docgen batch data data/county-2024.xlsx``
merges them without a conflict. The bytes depend only on the data files and this script.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.loading import load  # noqa: E402 - after the path of a source checkout is known
from docgen.workbook import COLUMNS, SHEET  # noqa: E402

DEFAULT_OUTPUT = ROOT / "data" / "county-2024.xlsx"
FIXED_TIME = "2024-11-20T00:00:00Z"
EXPLANATION = [
    ("工作表“指标”的格式", ""),
    ("乡镇", "乡镇名称，与数据文件（YAML）中的 town 相同"),
    ("指标代码", "指标的代码（字母、数字、下划线），与数据文件 indicators 下的键相同，"
             "文字中用 {{ 代码 }} 引用"),
    ("指标名称", "如：地区生产总值"),
    ("单位", "如：万元、亩、元；“%”表示比率，其增减以百分点计"),
    ("本年", "本年（截至统计月份）的数值，必填"),
    ("上年同期", "可空"),
    ("预计全年", "可空"),
    ("全年目标", "可空"),
    ("", ""),
    ("规则", "每个乡镇的每个指标一行；不要合并单元格；数字列只填数字（不带单位和文字）；"
             "与数据文件中同一数字不一致时，docgen 报错并指出单元格和文件行号。"),
]


def number(value: Decimal | None) -> int | float | None:
    """A figure as the cell stores it: a whole number as an integer."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def build(data_files: Sequence[Path]) -> bytes:
    """The workbook of the indicators of ``data_files``, in file and indicator order."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for path in data_files:
        township = load(path).township
        for code, ind in township.indicators.items():
            sheet.append([township.town, code, ind.name, ind.unit, number(ind.value),
                          number(ind.previous), number(ind.forecast), number(ind.target)])
    for letter, width in zip("ABCDEFGH", (10, 18, 26, 8, 11, 11, 11, 11), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    for row in EXPLANATION:
        notes.append(list(row))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue())


def _reproducible(xlsx: bytes) -> bytes:
    """The same package with fixed times: the zip entries' and the document properties'."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" +
                              FIXED_TIME.encode(), data)
            target.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data,
                            zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("data", nargs="*", type=Path,
                        help="the data files (default: data/*.yaml, by name)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"where to write (default: {DEFAULT_OUTPUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    files = args.data or sorted((ROOT / "data").glob("*.yaml"))
    args.output.write_bytes(build(files))
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
