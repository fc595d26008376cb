"""Findings as text for a person and as JSON for a program (the shape is in docs/check-json.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docgen.checks.model import Finding
from docgen.i18n import _

JSON_VERSION = 3  # 2: findings in headers and footers too, with their part; 3: in notes and text boxes too


def place(found: Finding) -> str:
    """Where a finding is, in words: "paragraph 12", "table 1, row 2, column 3", "whole document";
    elsewhere, "footer 1, paragraph 2", "footnote 3, paragraph 1", "text box 1, paragraph 1"."""
    if found.cell is not None:
        table, row, column = found.cell
        where = _("table {table}, row {row}, column {column}").format(table=table, row=row,
                                                                      column=column)
    elif found.paragraph is not None:
        where = _("paragraph {n}").format(n=found.paragraph)
    else:
        return _("whole document")
    if found.part is None:
        return where
    kind, number = found.part
    if kind == "header":
        margin = _("header {n}").format(n=number)
    elif kind == "footer":
        margin = _("footer {n}").format(n=number)
    elif kind == "footnote":
        margin = _("footnote {n}").format(n=number)
    elif kind == "endnote":
        margin = _("endnote {n}").format(n=number)
    else:
        margin = _("text box {n}").format(n=number)
    return _("{part}, {place}").format(part=margin, place=where)


def _severity(found: Finding) -> str:
    return _("error") if found.severity == "error" else _("warning")


def _counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(f.severity == "error" for f in findings)
    return errors, len(findings) - errors


def format_text(results: Mapping[Path, Sequence[Finding]]) -> str:
    """One line per finding (file: place: severity [category] message) with its snippet under it."""
    lines: list[str] = []
    total_errors = total_warnings = 0
    for path, findings in results.items():
        if not findings:
            lines.append(_("{path}: no findings").format(path=path))
        for found in findings:
            lines.append(f"{path}: {place(found)}: {_severity(found)} [{found.category}] {found.message}")
            if found.snippet:
                lines.append(f"    {found.snippet}")
        errors, warnings = _counts(findings)
        total_errors += errors
        total_warnings += warnings
    lines.append(_("checked {files} file(s): {errors} error(s), {warnings} warning(s)")
                 .format(files=len(results), errors=total_errors, warnings=total_warnings))
    return "\n".join(lines) + "\n"


def finding_dict(found: Finding) -> dict[str, Any]:
    """One finding as the JSON report holds it."""
    cell = None
    if found.cell is not None:
        table, row, column = found.cell
        cell = {"table": table, "row": row, "column": column}
    part = None if found.part is None else {"kind": found.part[0], "number": found.part[1]}
    return {"category": found.category, "severity": found.severity, "message": found.message,
            "part": part, "paragraph": found.paragraph, "cell": cell, "start": found.start,
            "end": found.end, "snippet": found.snippet}


def report_dict(results: Mapping[Path, Sequence[Finding]],
                unreadable: Mapping[Path, str] | None = None) -> dict[str, Any]:
    """The whole report as plain data (see docs/check-json.md); ``unreadable``: the files that could
    not be read, each with why, listed after the others."""
    files = []
    for path, findings in results.items():
        errors, warnings = _counts(findings)
        files.append({"path": str(path), "error": None, "errors": errors, "warnings": warnings,
                      "findings": [finding_dict(f) for f in findings]})
    for path, reason in (unreadable or {}).items():
        files.append({"path": str(path), "error": reason, "errors": 0, "warnings": 0, "findings": []})
    return {"version": JSON_VERSION,
            "summary": {"files": len(files), "unreadable": len(unreadable or {}),
                        "errors": sum(f["errors"] for f in files),
                        "warnings": sum(f["warnings"] for f in files)},
            "files": files}


def to_json(results: Mapping[Path, Sequence[Finding]],
            unreadable: Mapping[Path, str] | None = None) -> str:
    """The report as JSON text (UTF-8, Chinese kept as is, indented)."""
    return json.dumps(report_dict(results, unreadable), ensure_ascii=False, indent=2) + "\n"
