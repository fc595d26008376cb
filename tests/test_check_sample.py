"""The shared hand-typed sample: every known slip found, at its paragraph, and nothing else."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from docgen.checks import check_document, has_errors

from .drafts.docx_drafts import build_docx

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "township-summary-sample.txt"

# (category, severity, paragraph, the marked text)
EXPECTED = [
    ("repeated", "warning", 4, "2024年，我们的工作已"),   # paragraph 3 (cut short) pasted whole
    ("placeholder", "error", 5, "xx"),                    # 在xx区党政的正确领导下
    ("year", "error", 6, "年"),                            # 一、年全镇农业和农村工作回顾
    ("arithmetic", "error", 8, "88%"),                     # 37665 / 41876 = 89.9%, not 88%
    ("blank-number", "error", 8, "达到公斤"),              # 平均产量可达到公斤
    ("blank-number", "warning", 11, "可达万头"),           # 年出栏可达万头
    ("blank-number", "error", 11, "仔猪头"),               # 年生产优良品种仔猪头的
    ("placeholder", "error", 13, "xxxx"),                  # xxxx等村
    ("blank-number", "error", 14, "达到元"),               # 亩效益平均达到元以上
    ("placeholder", "error", 16, "xx"),                    # xx塑料厂
    ("placeholder", "error", 19, "xxx"),                   # 对xxx村的党支部班子
    ("placeholder", "error", 19, "xx"),                    # 后进村——xx村
    ("placeholder", "error", 20, "xxx"),                   # 我镇东xxx村
    ("placeholder", "error", 20, "xx"),                    # 其中东xx投入资金
    ("placeholder", "error", 20, "xx"),                    # xx村已投入资金
    ("placeholder", "error", 20, "xx"),                    # 如xx等村
    ("repeated", "warning", 22, "——"),                     # 1——10月份: a range takes one dash
    ("year", "error", 26, "2024"),                         # 展望2024年 in a 2024 report
    ("structure", "warning", None, ""),                    # no 主要成绩、存在的问题、工作打算 headings
]


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SAMPLE.is_file():
        pytest.skip(f"the shared sample is not at {SAMPLE}")
    # The text export carries a bookmark marker before the title; Word would not show it.
    lines = [line.replace("[bookmark: _Toc1]", "")
             for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return build_docx(lines, tmp_path_factory.mktemp("sample") / "sample.docx")


def test_every_known_slip_of_the_sample_is_found_and_nothing_else(sample_docx: Path) -> None:
    findings = check_document(sample_docx)
    text_of = {n: p.text for n, p in enumerate(docx.Document(str(sample_docx)).paragraphs, 1)}
    got = [(f.category, f.severity, f.paragraph,
            text_of[f.paragraph][f.start:f.end] if f.paragraph else "") for f in findings]
    assert got == EXPECTED
    assert has_errors(findings)
    assert findings[-1].message.startswith("no heading for 主要成绩、存在的问题、工作打算;")


def test_checked_as_a_2023_report_the_outlook_on_2024_is_right(sample_docx: Path) -> None:
    findings = check_document(sample_docx, year=2023)
    years = [(f.paragraph, f.message) for f in findings if f.category == "year"]
    assert years == [(1, "the title names 2024, but the report year is 2023"),
                     (6, "the year is missing before \"年\"")]
