"""The batch plan: towns named from their top-level lines, loaded only where they are rendered."""

from __future__ import annotations

import multiprocessing
import re
import shutil
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import docgen.batch
import docgen.batchpool
from docgen import batchplan
from docgen.batch import batch
from docgen.batchplan import Task, collect, plan, run_town, unpack_figures
from docgen.errors import DataError, OutputError, TemplateError
from docgen.loading import _TOP_FIELD, DataFile, _top_fields, load, peek
from docgen.output import Written

from .conftest import ROOT

TOWNS = Path(__file__).parent / "batch" / "towns"


@pytest.mark.parametrize(("text", "named"), [
    ("town: 沽东镇\nyear: 2024\n", ("沽东镇", 2024)),
    ("town: 沽东镇  # 镇名\nyear: 2024 # 年度\n", ("沽东镇", 2024)),
    ("town: \"沽东镇 \"\nyear: 2024\n", ("沽东镇", 2024)),
    ("town: '沽东 镇'\nyear: 2024\n", ("沽东 镇", 2024)),
    ("\ufefftown: 沽东镇\nyear: 2024\n", ("沽东镇", 2024)),
    # anything YAML might read otherwise is left to the full load
    ("town: Gudong\nyear: 2024\n", None),          # ASCII: could be a number, a date, true…
    ("town: >\n  沽东镇\nyear: 2024\n", None),      # a block scalar
    ("town: 沽东镇\ntown: 沽西镇\nyear: 2024\n", None),  # twice: the load names both lines
    ("town: 沽东镇\nyear: '2024'\n", None),
    ("town: 沽东镇\nyear: 02024\n", None),
    ("town: \"沽\\t东镇\"\nyear: 2024\n", None),       # an escape
    ("town: \"沽 #东镇\"\nyear: 2024\n", None),
    ("town: 沽东镇: 北\nyear: 2024\n", None),
    ("{town: 沽东镇, year: 2024}\n", None),
    ("  town: 沽东镇\nyear: 2024\n", None),
    ("year: 2024\n", None),
    ("town: \u3000沽东镇\nyear: 2024\n", None),      # a full-width space the model strips
    ("town: 沽东镇\u00a0\nyear: 2024\n", None),
    ("town: 沽东\n  镇\nyear: 2024\n", None),          # the value goes on: YAML reads 沽东 镇
    ("town: 沽东\n\n  镇\nyear: 2024\n", None),
    ("town: 沽东镇\nyear: 2024\n  5\n", None),
    ("town: 沽东镇\n  # 镇名\nyear: 2024\n", ("沽东镇", 2024)),  # a comment, not more value
])
def test_peek_names_a_plainly_written_town(tmp_path: Path, text: str,
                                           named: tuple[str, int] | None) -> None:
    path = tmp_path / "town.yaml"
    path.write_text(text, encoding="utf-8")
    assert peek(path) == named


def test_peek_agrees_with_the_full_load_on_every_shipped_file() -> None:
    files = sorted((ROOT / "data").glob("*.yaml")) + sorted((ROOT / "tests").rglob("*.yaml"))
    agreed = 0
    for path in files:
        try:
            named = peek(path)
        except DataError:
            continue
        try:
            township = load(path).township
        except DataError:
            continue
        if named is not None:
            assert named == (township.town, township.year), path
            agreed += 1
    assert agreed >= 10


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["town", "year", ":", " ", "\t", "\n", "#", "沽东镇", "2024", "'", "x"]),
                max_size=30).map("".join))
def test_peek_finds_the_lines_the_pattern_finds(text: str) -> None:
    """The top-level lines are found by `str.find`, as `_TOP_FIELD` finds them trying every position."""
    def lines(matches: Iterable[re.Match[str]]) -> list[tuple[str, int, str | None]]:
        return sorted((m.group(1), m.start(), m.group(2)) for m in matches)
    assert lines(_top_fields(text)) == lines(_TOP_FIELD.finditer(text))


def test_collect_takes_each_file_once_however_it_is_named(tmp_path: Path) -> None:
    towns = tmp_path / "towns"
    towns.mkdir()
    for name in ("a.yaml", "b.YML", ".hidden.yaml", "~$lock.yaml", "notes.txt"):
        (towns / name).write_text("town: 沽东镇\n", encoding="utf-8")
    (tmp_path / "county.xlsx").write_bytes(b"")
    try:
        (tmp_path / "link.yaml").symlink_to(towns / "a.yaml")
    except OSError:  # Windows without the right to make links
        link = []
    else:
        link = [tmp_path / "link.yaml"]
    data, books = collect([towns, towns / "a.yaml", towns / ".." / "towns" / "b.YML", *link,
                           tmp_path / "county.xlsx", tmp_path / "county.xlsx"])
    assert data == [towns / "a.yaml", towns / "b.YML"]
    assert books == [tmp_path / "county.xlsx"]


def test_peek_names_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("town: 沽东镇\nyear: 2024\n".encode("gbk"))
    with pytest.raises(DataError, match="GBK"):
        peek(path)


def test_the_plan_loads_no_plainly_named_town(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process that plans a county's thousands of towns reads only their town and year."""
    def no_load(path: Path) -> DataFile:
        raise AssertionError(f"{path} was loaded while planning")
    monkeypatch.setattr(batchplan, "load", no_load)
    planned = plan(sorted(TOWNS.glob("*.yaml")), [], tmp_path / "out")
    assert [(job.label, job.year, job.result) for job in planned] == [
        ("白河镇", 2024, None), ("青山乡", 2024, None), ("石桥镇", 2024, None), ("柳树镇", 2024, None),
        ("东坡街道", 2024, None)]
    assert planned[0].target == tmp_path / "out" / "白河镇2024年工作总结.docx"


def test_a_town_the_quick_read_cannot_name_is_loaded_to_name_it(tmp_path: Path) -> None:
    text = (TOWNS / "1-baihe.yaml").read_text(encoding="utf-8")
    folded = tmp_path / "folded.yaml"
    folded.write_text(text.replace("town: 白河镇", "town: >-\n  白河镇"), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("town: 白河镇", "town: >-\n  黑河镇").replace("year: 2024",
                                                                                 "year: 1800"),
                      encoding="utf-8")
    planned = plan([folded, broken], [], tmp_path / "out")
    assert (planned[0].label, planned[0].year, planned[0].result) == ("白河镇", 2024, None)
    assert planned[1].label == "黑河镇"
    assert planned[1].result is not None and planned[1].result.status == "failed"
    assert "year: must be at least 1949 (got 1800)" in (planned[1].result.error or "")


def test_a_clash_found_by_the_quick_read_stops_the_plan(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    shutil.copy(TOWNS / "1-baihe.yaml", copy)
    with pytest.raises(OutputError, match="would both write"):
        plan([TOWNS / "1-baihe.yaml", copy], [], tmp_path / "out")


def test_run_town_validates_where_it_renders(tmp_path: Path) -> None:
    rendered: list[str] = []

    def render(data: DataFile, target: Path) -> Written:
        rendered.append(data.township.town)
        return Written(target)

    task = Task("石桥镇", TOWNS / "3-shiqiao.yaml", 2024, tmp_path / "石桥镇.docx")
    outcome = run_town(task, render)
    assert outcome.result.status == "failed" and outcome.summary is None
    assert outcome.result.error == f"{TOWNS / '3-shiqiao.yaml'}:3: through_month: must be at most 12 (got 13)"
    good = run_town(Task("白河镇", TOWNS / "1-baihe.yaml", 2024, tmp_path / "白河镇.docx"), render)
    assert good.result.status == "done" and rendered == ["白河镇"]
    assert good.summary is not None
    kept = unpack_figures(good.summary)
    assert kept.town == "白河镇" and kept.year == 2024 and kept.indicators["gdp"].value == Decimal(12000)


def test_run_town_reports_a_plan_that_does_not_match_the_data(tmp_path: Path) -> None:
    task = Task("青山乡", TOWNS / "1-baihe.yaml", 2024, tmp_path / "x.docx")
    outcome = run_town(task, lambda data, target: target)
    assert outcome.result.status == "failed"
    assert "a bug in docgen" in (outcome.result.error or "")


def test_a_batch_of_towns_checked_only_by_the_workers(tmp_path: Path) -> None:
    """Validation errors found in a worker reach the result as they do on -j 1."""
    results = {jobs: [(r.town, r.status, r.error) for r in batch(
        [TOWNS], output_dir=tmp_path / f"out{jobs}", jobs=jobs).results] for jobs in (1, 2)}
    assert results[1] == results[2]
    assert [status for _town, status, _error in results[1]] == ["done", "done", "failed", "done", "done"]


@pytest.mark.parametrize(("jobs", "method"), [(1, None), (2, "fork"), (2, "spawn")])
def test_a_template_only_python_docx_refuses(tmp_path: Path, jobs: int, method: str | None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The planning process checks cheaply that the template is a Word package; the template
    python-docx cannot open still stops the run before anything is written, on any -j."""
    if method == "fork" and "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here")
    if method is not None:
        monkeypatch.setattr(docgen.batchpool, "worker_start_method", lambda: method)
    template = tmp_path / "damaged.docx"
    with zipfile.ZipFile(template, "w") as package:
        package.writestr("word/document.xml", "<not-a-document/>")
    sources = [TOWNS / "1-baihe.yaml", TOWNS / "2-qingshan.yaml"]
    with pytest.raises(TemplateError, match="cannot be opened"):
        batch(sources, template, tmp_path / "out", jobs=jobs)
    assert not (tmp_path / "out").exists()


def test_a_second_file_for_a_town_stops_the_run_even_if_it_is_broken(tmp_path: Path) -> None:
    """Two files name one town: which is the real one is the user's to say, even when one of them
    would not validate (a half-edited copy beside the original)."""
    copy = tmp_path / "1-baihe - 副本.yaml"
    copy.write_text((TOWNS / "1-baihe.yaml").read_text(encoding="utf-8").replace(
        "year: 2024", "year: 2024\nthrough_month: 13"), encoding="utf-8")
    with pytest.raises(OutputError, match="would both write"):
        batch([TOWNS / "1-baihe.yaml", copy], output_dir=tmp_path / "out", jobs=1)
    assert not (tmp_path / "out").exists()


def test_a_renderer_giving_back_a_bare_path_still_works(tmp_path: Path) -> None:
    """A renderer made before renderers gave their warnings back (`batch(renderer=...)`)."""
    def render(data: DataFile, target: Path) -> Path:
        target.write_bytes(b"a draft")
        return target

    task = Task("白河镇", TOWNS / "1-baihe.yaml", 2024, tmp_path / "白河镇.docx")
    outcome = run_town(task, render)
    assert (outcome.result.status, outcome.result.path, outcome.result.warnings) == \
        ("done", tmp_path / "白河镇.docx", ())


def test_a_folders_workbooks_are_named_not_read(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """helper-31: `docgen batch data-folder` left out the county-2024.xlsx beside the YAML files,
    and said nothing. Reading it (helper-33) stopped a county whose folder held a list of contacts
    or last year's workbook: it is named instead, unless it is named on the command line too."""
    for name in ("county.xlsx", "extra.XLSM", "汇总表.xlsx", "~$county.xlsx", ".hidden.xlsx", "old.xls"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "a.yaml").write_text("town: 沽东镇\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="docgen"):
        data, books = collect([tmp_path, tmp_path / "county.xlsx"])
    assert (data, books) == ([tmp_path / "a.yaml"], [tmp_path / "county.xlsx"])
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / 'extra.XLSM'} was not read: a folder gives its YAML files only; name a statistics "
        "workbook on the command line to use its figures"]
