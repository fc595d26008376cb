"""Every shipped example renders with the shipped template into a complete, correct draft."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from docx import Document

from docgen import api

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "data").glob("*.yaml"))
TEMPLATE = ROOT / "templates" / "annual-summary.docx"


def half_up_one_decimal(x: Fraction) -> str:
    """An oracle independent of docgen's Decimal code: 四舍五入 on exact fractions."""
    sign = "-" if x < 0 else ""
    tenths = (abs(x) * 10 + Fraction(1, 2)).__floor__()
    return f"{sign}{tenths // 10}.{tenths % 10}"


def expected_change(item: dict[str, object]) -> str:
    value, previous = Fraction(str(item["value"])), Fraction(str(item["previous"]))
    if item["unit"] == "%":
        delta, suffix = value - previous, "个百分点"
    else:
        delta, suffix = (value - previous) / previous * 100, "%"
    text = half_up_one_decimal(delta)
    if text in ("0.0", "-0.0"):
        return "0.0" + suffix
    return ("+" + text if not text.startswith("-") else text) + suffix


@pytest.fixture(scope="module", params=EXAMPLES, ids=[p.stem for p in EXAMPLES])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> \
        tuple[dict[str, object], Path]:
    source: Path = request.param
    if not TEMPLATE.is_file():
        pytest.fail("templates/annual-summary.docx is missing: run python scripts/build_template.py")
    out = api.render(source, TEMPLATE, tmp_path_factory.mktemp("out") / "draft.docx")
    return yaml.safe_load(source.read_text(encoding="utf-8")), out


def test_title_parts_and_signature(rendered: tuple[dict[str, object], Path]) -> None:
    data, out = rendered
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    year = int(str(data["year"]))
    assert texts[0] == f"{data['town']}{year}年工作总结"
    headings = [p.text for p in document.paragraphs if p.style is not None
                and p.style.name == "Heading 1"]
    assert headings == [f"一、{year}年工作回顾", "二、主要成绩", "三、存在的问题",
                        f"四、{year + 1}年工作打算"]
    sections = [p.text for p in document.paragraphs if p.style is not None
                and p.style.name == "Heading 2"]
    review, outlook = data["review"], data["outlook"]
    assert isinstance(review, list) and isinstance(outlook, list)
    assert len(sections) == len(review) + len(outlook)
    assert sections[0].startswith("（一）") and sections[len(review)].startswith("（一）")
    author = data.get("author") or f"{data['town']}人民政府"
    assert author in texts[-2:]
    if data.get("date"):
        date = data["date"]
        assert texts[-1] == f"{date.year}年{date.month}月{date.day}日"  # type: ignore[attr-defined]


def test_no_tag_is_left_and_no_placeholder(rendered: tuple[dict[str, object], Path]) -> None:
    _, out = rendered
    document = Document(str(out))
    everything = "\n".join([p.text for p in document.paragraphs] +
                           [c.text for t in document.tables for r in t.rows for c in r.cells])
    for leftover in ("{{", "}}", "{%", "%}", "xx", "XX", "None", "inf"):
        assert leftover not in everything


def test_indicator_table_figures(rendered: tuple[dict[str, object], Path]) -> None:
    data, out = rendered
    indicators = data["indicators"]
    assert isinstance(indicators, dict)
    table = Document(str(out)).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    previous = "上年同期" if int(str(data.get("through_month", 12))) < 12 else "上年"
    assert rows[0] == ["指标", "单位", "本年", previous, "增减"]
    assert len(rows) == len(indicators) + 1
    for row, item in zip(rows[1:], indicators.values(), strict=True):
        assert row[0] == item["name"] and row[1] == item["unit"]
        assert Fraction(row[2]) == Fraction(str(item["value"]))
        if item.get("previous") is not None:
            assert row[4] == expected_change(item)
        else:
            assert row[3:] == ["—", "—"]


def test_the_oracle() -> None:
    assert half_up_one_decimal(Fraction(1, 20)) == "0.1"
    assert half_up_one_decimal(Fraction(-1, 20)) == "-0.1"
    assert expected_change({"value": 14500, "previous": 13679, "unit": "万元"}) == "+6.0%"
    assert expected_change({"value": 90, "previous": 70, "unit": "%"}) == "+20.0个百分点"
