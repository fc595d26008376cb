"""`docgen new`: a commented data file to fill in, optionally carrying last year's figures over."""

from __future__ import annotations

import json
import os
from pathlib import Path

from docgen.cnformat import plain
from docgen.errors import DataError, OutputError, Place
from docgen.i18n import _
from docgen.loading import load
from docgen.model import Township
from docgen.output import resolve_named, safe_file_name, write_atomic

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "township.schema.json"


def _q(text: str) -> str:
    """A YAML scalar for any text: a JSON string is valid YAML and needs no escaping rules of its own."""
    return json.dumps(text, ensure_ascii=False)


def schema_comment(target: Path) -> str:
    """The yaml-language-server line that points editors at the schema, relative where possible."""
    if not SCHEMA_FILE.is_file():
        return ""
    try:
        ref = Path(os.path.relpath(SCHEMA_FILE, target.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        ref = SCHEMA_FILE.as_uri()
    return f"# yaml-language-server: $schema={ref}\n"


def scaffold(town: str, year: int, last: Township | None = None, *, target: Path) -> str:
    """The text of a new data file for ``town`` and ``year``; ``last`` gives last year's figures.
    Its comments are in the user's language: a secretary fills the file in."""
    lines = [*filter(None, [schema_comment(target).rstrip("\n")]),
             "# " + _("{town}{year}年工作总结 — docgen data. Fill in every empty field, then run:").format(
                 town=town, year=year),
             f"#   docgen render {target.name}",
             f"town: {_q(town)}",
             f"year: {year}",
             f"through_month: {last.through_month if last else 12}     "
             + "  # " + _("the figures cover January to this month (1-12)"),
             f"superior: {_q(last.superior) if last and last.superior else ''}    "
             + "  # " + _("the 上级 named in the opening, e.g. 滨河区 (optional)"),
             f"author: {_q(last.signature if last else town + '人民政府')} " + "  # " + _("the signature"),
             "date:                 " + "  # " + _("the date under the signature, e.g. {example}").format(
                 example=f"{year}-12-20"),
             "indicators:           " + "  # " + _("key figures, in the order of the table")]
    this_year = "  # " + _("this year's figure")
    if last and last.indicators:
        if last.through_month != 12:  # through_month above is the same: like compared with like
            lines.append("  # " + _("note: last year's figures cover months 1-{month}, and so does "
                                    "through_month; for the whole year, change both").format(
                                        month=last.through_month))
        for key, ind in last.indicators.items():
            lines += [f"  {key}:", f"    name: {_q(ind.name)}", f"    unit: {_q(ind.unit)}",
                      "    value:            " + this_year,
                      f"    previous: {plain(ind.value)}   # {last.year}"]
            if ind.additive is not None:
                lines.append(f"    additive: {'true' if ind.additive else 'false'}")
    else:
        lines += ["  gdp:                " + "  # " + _("a key: letters, digits, _ — texts use {{ gdp }}"),
                  f"    name: {_q('地区生产总值')}", f"    unit: {_q('万元')}",
                  "    value:            " + this_year,
                  "    previous:         " + "  # " + _("the same period last year (optional)"),
                  "    forecast:         " + "  # " + _("预计全年 (optional)"),
                  "    target:           " + "  # " + _("the year's target (optional)")]
    lines += ["intro:                " + "  # " + _("the opening paragraph (optional; a default is written)"),
              "review:               " + "  # " + _("一、工作回顾: sections with paragraphs"),
              "  - title: ", "    paragraphs:", "      - \"\"",
              "achievements: []      " + "  # " + _("extra paragraphs for 二、主要成绩 (optional)"),
              "problems:             " + "  # " + _("三、存在的问题, one item each"), "  - \"\"",
              "outlook:              " + "  # " + _("四、{year}年工作打算: sections with paragraphs").format(
                  year=year + 1),
              "  - title: ", "    paragraphs:", "      - \"\"", ""]
    return "\n".join(lines)


def new_data_file(town: str, year: int, *, last_year: Path | None = None,
                  output: Path | None = None, force: bool = False) -> Path:
    """Write a data file to fill in for ``town`` and ``year``; return its path.

    :param last_year: last year's data file: its values become this year's ``previous``.
    :param output: where to write: a .yaml file, or a folder; default ``<town><year>.yaml`` in the
        current folder.
    :param force: replace an existing file (never the default: it holds someone's work).
    """
    town = town.strip()
    if not town:
        raise DataError(_("the town's name is empty"))
    last = load(last_year).township if last_year is not None else None
    if last is not None and last.year != year - 1:
        raise DataError(_("--from is the data of {last}, not of the year before {year}: its values "
                          "cannot be this year's 'previous'").format(last=last.year, year=year),
                        Place(last_year))
    if last is not None and last.town != town:
        raise DataError(_("--from is the data of {other}, not of {town}: its values cannot be "
                          "{town}'s 'previous', nor its signature {town}'s").format(
                              other=last.town, town=town), Place(last_year))
    target = resolve_named(output, Path(), safe_file_name(f"{town}{year}", ".yaml"), (".yml",))
    if target.exists() and not force:
        raise OutputError(_("the file exists; it is kept (use --force to replace it)"), Place(target))
    write_atomic(target, scaffold(town, year, last, target=target).encode("utf-8"))
    return target
