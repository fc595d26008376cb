"""`docgen batch`: many towns in one run, failures isolated, drafts kept, the same result for any -j."""

from __future__ import annotations

import functools
import io
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

import docgen.batch
import docgen.batchpool
from docgen.batch import batch, standard_renderer
from docgen.batchreport import (
    BarProgress,
    BatchResult,
    LineProgress,
    Progress,
    TownResult,
    console_progress,
    report,
)
from docgen.cli import cli
from docgen.loading import DataFile
from docgen.output import Written, remove_abandoned
from docgen.summary import left_out_note
from docgen.templates import default_template

from .conftest import FOUR_PARTS, ROOT, body_texts

TOWNS = Path(__file__).parent / "batch" / "towns"
GOOD = ["白河镇", "青山乡", "柳树镇", "东坡街道"]
ROWS = "{% for r in indicator_rows %}{{ r.name }}：{{ r.value }}{{ r.unit }}，{{ r.change }}；{% endfor %}"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def template(make_template: Callable[..., Path]) -> Path:
    """The four parts of the genre, as the check wants them: drafts with no warning."""
    return make_template("{{ title }}", *FOUR_PARTS, ROWS, "{{ author }}")


@pytest.fixture
def towns(workdir: Path) -> Path:
    """The five fixture towns (石桥镇 has through_month 13) copied into the working folder."""
    shutil.copytree(TOWNS, workdir / "towns")
    return Path("towns")


def document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml")


def test_five_towns_one_broken(runner: CliRunner, towns: Path, template: Path) -> None:
    result = runner.invoke(cli, ["batch", str(towns), "-t", str(template), "-o", "out", "-j", "1"])
    assert result.exit_code == 1
    assert result.stdout == (
        "town      status  output or error\n"
        "白河镇    done    out/白河镇2024年工作总结.docx\n"
        "青山乡    done    out/青山乡2024年工作总结.docx\n"
        "石桥镇    failed  towns/3-shiqiao.yaml:3: through_month: must be at most 12 (got 13)\n"
        "柳树镇    done    out/柳树镇2024年工作总结.docx\n"
        "东坡街道  done    out/东坡街道2024年工作总结.docx\n"
        "4 done, 1 failed, 0 skipped\n"
        "summary workbook: out/汇总表.xlsx\n"
        "  without the towns not done (石桥镇), and so without totals\n")
    assert result.stderr == (
        "[1/5] 白河镇 done\n[2/5] 青山乡 done\n[3/5] 石桥镇 failed\n[4/5] 柳树镇 done\n"
        "[5/5] 东坡街道 done\n"
        "Error: 1 of 5 towns failed\n")
    written = sorted(p.name for p in Path("out").iterdir())
    assert written == sorted([f"{t}2024年工作总结.docx" for t in GOOD] + ["汇总表.xlsx"])
    # the summary says it leaves 石桥镇 out (and so gives no totals: test_batch_summary)
    assert openpyxl.load_workbook("out/汇总表.xlsx")["汇总"]["A10"].value == left_out_note(["石桥镇"])
    texts = body_texts(Path("out/白河镇2024年工作总结.docx"))
    assert texts[0] == "白河镇2024年工作总结"
    assert texts[9] == ("地区生产总值：12000万元，+9.1%；农村居民人均可支配收入：18000元，+5.9%；"
                        "森林覆盖率：35.5%，+1.5个百分点；粮食总产量：20500吨，+2.5%；")


def test_a_folder_with_a_drafts_name_fails_that_town(towns: Path, template: Path) -> None:
    Path("out/白河镇2024年工作总结.docx").mkdir(parents=True)
    result = batch([towns], template, "out", jobs=1)
    statuses = {r.town: (r.status, r.error) for r in result.results}
    assert statuses["白河镇"] == ("failed", "out/白河镇2024年工作总结.docx: the output is a folder")
    assert not list(Path("out/白河镇2024年工作总结.docx").iterdir())
    assert statuses["青山乡"][0] == "done"


def test_no_town_done_is_no_summary_and_says_so(runner: CliRunner, workdir: Path, template: Path) -> None:
    shutil.copy(TOWNS / "3-shiqiao.yaml", "bad.yaml")
    result = runner.invoke(cli, ["batch", "bad.yaml", "-t", str(template), "-o", "out"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "0 done, 1 failed, 0 skipped", "summary workbook not written: no town was done"]
    assert not Path("out/汇总表.xlsx").exists()
    Path("out").mkdir(exist_ok=True)
    Path("out/汇总表.xlsx").write_bytes(b"an earlier run's")
    again = runner.invoke(cli, ["batch", "bad.yaml", "-t", str(template), "-o", "out"])
    assert again.stdout.splitlines()[-1] == (
        "summary workbook not written: no town was done (the 汇总表.xlsx there is from an earlier run)")


def test_a_summary_that_cannot_be_written_is_exit_1(runner: CliRunner, towns: Path, template: Path) -> None:
    (towns / "3-shiqiao.yaml").unlink()
    Path("out/汇总表.xlsx").mkdir(parents=True)  # a folder where the workbook goes
    result = runner.invoke(cli, ["batch", str(towns), "-t", str(template), "-o", "out", "-j", "1"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2].startswith("4 done, 0 failed, 0 skipped")
    assert result.stdout.splitlines()[-1].startswith("summary workbook not written: ")
    assert result.stderr.endswith("Error: the summary workbook was not written\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_table_shows_each_drafts_warnings(runner: CliRunner, towns: Path, jobs: str,
                                              make_template: Callable[..., Path]) -> None:
    """A draft the check warns of is written, and its warnings come under its row, as `render`
    prints them; the counts say how many drafts to look at."""
    (towns / "3-shiqiao.yaml").unlink()
    (towns / "4-liushu.yaml").unlink()
    (towns / "5-dongpo.yaml").unlink()
    no_parts = make_template("{{ title }}", "{{ intro }}", name="no-parts.docx")
    result = runner.invoke(cli, ["batch", str(towns), "-t", str(no_parts), "-o", "out", "-j", jobs])
    warning = ("Warning: whole document: [structure] no heading for 工作回顾、主要成绩、存在的问题、"
               "工作打算; a summary has 工作回顾, 主要成绩, 存在的问题 and 工作打算, in that order")
    assert (result.exit_code, result.stdout) == (0, (
        "town    status  output or error\n"
        "白河镇  done    out/白河镇2024年工作总结.docx\n"
        f"                {warning}\n"
        "青山乡  done    out/青山乡2024年工作总结.docx\n"
        f"                {warning}\n"
        "2 done, 0 failed, 0 skipped\n"
        "2 of the drafts have warnings: read them before the drafts go out\n"
        "summary workbook: out/汇总表.xlsx\n"))
    single = runner.invoke(cli, ["render", str(towns / "1-baihe.yaml"), "-t", str(no_parts), "-o",
                                 "single.docx"])
    assert single.stderr == f"Warning: single.docx: {warning.removeprefix('Warning: ')}\n"


def test_a_draft_without_warnings_has_none(towns: Path, template: Path) -> None:
    result = batch([towns], template, "out", jobs=1)
    assert [r.warnings for r in result.results] == [()] * 5
    assert "warnings" not in report(result)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_same_documents_for_any_jobs(runner: CliRunner, towns: Path, template: Path, method: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The same table and documents on one process and two, the workers forked (Linux) or
    spawned (Windows, macOS)."""
    if method == "fork" and "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here")
    monkeypatch.setattr(docgen.batchpool, "worker_start_method", lambda: method)
    tables = []
    for jobs in ("1", "2"):
        result = runner.invoke(cli, ["batch", str(towns), "-t", str(template), "-o", f"out{jobs}",
                                     "-j", jobs])
        assert result.exit_code == 1, result.output
        tables.append(result.stdout.replace(f"out{jobs}/", "OUT/"))
    assert tables[0] == tables[1]
    one = sorted(p.name for p in Path("out1").glob("*.docx"))
    two = sorted(p.name for p in Path("out2").glob("*.docx"))
    assert one == two
    assert len(one) == 4
    for name in one:
        assert document_xml(Path("out1") / name) == document_xml(Path("out2") / name), name


def test_workers_fork_on_linux_only_without_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert docgen.batchpool.worker_start_method() == "fork"
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert docgen.batchpool.worker_start_method() == "spawn"
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(sys, "platform", platform)
        assert docgen.batchpool.worker_start_method() == "spawn"


@pytest.mark.parametrize(("method", "jobs", "worthwhile", "pools"), [
    ("spawn", None, 200, []),   # a county's few towns: one process, faster than starting workers
    ("spawn", None, 2, [2]),    # enough towns: the workers start after planning
    ("spawn", 2, 200, [2]),     # asked for: started at once
    ("fork", None, 200, [2]),   # forked workers cost nothing to start
])
def test_spawned_workers_start_only_for_enough_towns(
        towns: Path, template: Path, monkeypatch: pytest.MonkeyPatch, method: str, jobs: int | None,
        worthwhile: int, pools: list[int]) -> None:
    """On Windows a spawned worker takes a second or two to start: by default a batch of a
    county's towns ran slower on two CPUs than on one."""
    import docgen.batch

    started: list[int] = []
    real_start_pool = docgen.batch.start_pool

    def start_pool(*args: Any) -> Any:
        started.append(args[-1])
        return real_start_pool(*args)

    monkeypatch.setattr(docgen.batchpool, "worker_start_method", lambda: method)
    monkeypatch.setattr(docgen.batch, "start_pool", start_pool)
    monkeypatch.setattr(docgen.batch, "SPAWN_WORTHWHILE", worthwhile)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    result = docgen.batch.batch([towns / "1-baihe.yaml", towns / "2-qingshan.yaml", towns / "4-liushu.yaml"],
                                template, Path("out"), jobs=jobs)
    assert started == pools
    assert [r.status for r in result.results] == ["done", "done", "done"]


def test_edited_draft_survives_a_rerun(runner: CliRunner, towns: Path, template: Path) -> None:
    args = ["batch", str(towns / "1-baihe.yaml"), str(towns / "2-qingshan.yaml"), "-t",
            str(template), "-o", "out", "-j", "1"]
    assert runner.invoke(cli, args).exit_code == 0
    draft = Path("out/白河镇2024年工作总结.docx")
    document = Document(str(draft))
    document.add_paragraph("编辑补充的一段。")
    document.save(str(draft))
    edited = draft.read_bytes()
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    assert result.stdout == (
        "town    status   output or error\n"
        "白河镇  skipped  out/白河镇2024年工作总结.docx: the file was changed since docgen wrote it "
        "(edited?); it is kept (use --force to replace it, or -o to write elsewhere)\n"
        "青山乡  done     out/青山乡2024年工作总结.docx\n"
        "1 done, 0 failed, 1 skipped\n"
        "summary workbook: out/汇总表.xlsx\n"
        "  with this run's figures for 白河镇, whose drafts were kept: they may say otherwise\n")
    assert draft.read_bytes() == edited
    forced = runner.invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0
    assert "白河镇  done    out/白河镇2024年工作总结.docx\n" in forced.stdout
    assert "编辑补充的一段。" not in body_texts(draft)


def test_two_towns_writing_one_file_is_an_error_before_anything(
        runner: CliRunner, towns: Path, template: Path) -> None:
    shutil.copy(towns / "1-baihe.yaml", towns / "6-baihe-copy.yaml")
    result = runner.invoke(cli, ["batch", str(towns), "-t", str(template), "-o", "out"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: towns/1-baihe.yaml and towns/6-baihe-copy.yaml would both write "
        "out/白河镇2024年工作总结.docx; nothing was written: keep one data file per town and year\n")
    assert not Path("out").exists()


@pytest.mark.parametrize(("name", "message"), [
    ("notes.txt", "Error: notes.txt: not a YAML data file (.yaml), a folder of them, or an .xlsx "
                  "workbook\n"),
    ("old.xls", "Error: old.xls: an old-format .xls workbook; save it as .xlsx\n"),
])
def test_sources_that_are_not_data(runner: CliRunner, workdir: Path, template: Path, name: str,
                                   message: str) -> None:
    (workdir / name).write_text("x", encoding="utf-8")
    result = runner.invoke(cli, ["batch", name, "-t", str(template)])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_an_empty_folder_and_a_missing_source(runner: CliRunner, workdir: Path,
                                              template: Path) -> None:
    (workdir / "empty").mkdir()
    result = runner.invoke(cli, ["batch", "empty", "-t", str(template)])
    assert (result.exit_code, result.stderr) == (1, "Error: no data files found (*.yaml)\n")
    missing = runner.invoke(cli, ["batch", "nowhere", "-t", str(template)])
    assert missing.exit_code == 2
    assert "Path 'nowhere' does not exist." in missing.stderr


def test_a_broken_yaml_is_named_by_its_file(runner: CliRunner, towns: Path, template: Path) -> None:
    (towns / "0-bad.yaml").write_text("town: [\n", encoding="utf-8")
    result = runner.invoke(cli, ["batch", str(towns / "0-bad.yaml"), str(towns / "1-baihe.yaml"),
                                 "-t", str(template), "-o", "out"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1].startswith("0-bad.yaml  failed  towns/0-bad.yaml:2: YAML "
                                                    "syntax error")
    assert result.stdout.splitlines()[2] == "白河镇      done    out/白河镇2024年工作总结.docx"


def test_messages_in_chinese(runner: CliRunner, towns: Path, template: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_LANG", "zh_CN")
    result = runner.invoke(cli, ["batch", str(towns / "3-shiqiao.yaml"), str(towns / "1-baihe.yaml"),
                                 "-t", str(template), "-o", "out", "-j", "1"])
    assert result.exit_code == 1
    assert result.stdout == (
        "乡镇    状态  输出文件或错误\n"
        "石桥镇  失败  towns/3-shiqiao.yaml:3: through_month: 必须不大于12（现为13）\n"
        "白河镇  完成  out/白河镇2024年工作总结.docx\n"
        "完成 1 个，失败 1 个，跳过 0 个\n"
        "汇总表：out/汇总表.xlsx\n"
        "  未包括未生成的乡镇（石桥镇），因此不求合计\n")
    assert result.stderr == "[1/2] 石桥镇 失败\n[2/2] 白河镇 完成\n错误：2 个乡镇中有 1 个失败\n"


# A renderer factory that leaves a mark each time a worker builds its renderer (module level, so
# that spawned workers can import it).
MARKS_ENV = "DOCGEN_TEST_RENDERER_MARKS"


def marking_renderer(template: Path, force: bool) -> Callable[[DataFile, Path], Written]:
    marks = Path(os.environ[MARKS_ENV])
    (marks / f"{os.getpid()}-{len(list(marks.iterdir()))}").touch()
    return standard_renderer(template, force)


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_worker_builds_its_renderer_once(towns: Path, template: Path, jobs: int,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    marks = Path("marks")
    marks.mkdir()
    monkeypatch.setenv(MARKS_ENV, str(marks.resolve()))
    result = batch([towns], template, "out", jobs=jobs, renderer=marking_renderer)
    assert [r.status for r in result.results] == ["done", "done", "failed", "done", "done"]
    built = list(marks.iterdir())  # forked workers start with the renderer this process built
    assert 1 <= len(built) <= jobs
    assert len({m.name.split("-")[0] for m in built}) == len(built)  # one per process
    if jobs == 1:
        assert built[0].name.startswith(f"{os.getpid()}-")  # -j 1 runs in this process


def test_progress_bar_on_a_terminal_and_lines_elsewhere() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = console_progress(screen)
    assert isinstance(bar, BarProgress)
    bar.start(2)
    bar.running(["白河镇", "青山乡"])
    bar.finished(TownResult("白河镇", "done", Path("a.docx")))
    bar.close()
    shown = screen.getvalue()
    assert "白河镇、青山乡" in shown
    assert "1/2" in shown
    assert "<" in shown  # elapsed<remaining: the estimate of time left
    plain = io.StringIO()
    lines = console_progress(plain)
    assert isinstance(lines, LineProgress)
    lines.start(2)
    lines.finished(TownResult("白河镇", "done", Path("a.docx")))
    lines.finished(TownResult("青山乡", "skipped", error="kept"))
    assert plain.getvalue() == "[1/2] 白河镇 done\n[2/2] 青山乡 skipped\n"


def test_exit_codes() -> None:
    done = TownResult("a", "done", Path("a.docx"))
    assert BatchResult([done]).exit_code == 0
    assert BatchResult([done, TownResult("b", "skipped", error="kept")]).exit_code == 0
    assert BatchResult([done, TownResult("b", "failed", error="bad")]).exit_code == 1
    assert BatchResult([done], interrupted=True).exit_code == 130


@pytest.mark.skipif(not (ROOT / "templates" / "annual-summary.docx").is_file(),
                    reason="the shipped template is not built yet")
def test_examples_with_the_county_workbook_and_the_shipped_template(runner: CliRunner,
                                                                    workdir: Path) -> None:
    result = runner.invoke(cli, ["batch", str(ROOT / "data"), str(ROOT / "data" / "county-2024.xlsx"),
                                 "-o", "out"])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("3 done, 0 failed, 0 skipped\nsummary workbook: out/汇总表.xlsx\n")
    assert default_template() == ROOT / "templates" / "annual-summary.docx"
    for town in ("沽东镇", "檀岭镇", "柘岗乡"):
        texts = body_texts(workdir / "out" / f"{town}2024年工作总结.docx")
        assert f"{town}2024年工作总结" in texts
        assert not any("{{" in t or "{%" in t for t in texts)
    gudong = "\n".join(body_texts(workdir / "out" / "沽东镇2024年工作总结.docx"))
    assert "1.45亿元（预计全年达到1.78亿元）" in gudong


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_damaged_template_stops_the_batch(runner: CliRunner, towns: Path, workdir: Path,
                                            jobs: str) -> None:
    with zipfile.ZipFile("damaged.docx", "w") as package:
        package.writestr("word/document.xml", "<not-a-document/>")
    result = runner.invoke(cli, ["batch", str(towns), "-t", "damaged.docx", "-o", "out", "-j", jobs])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: damaged.docx: the .docx cannot be opened: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not Path("out").exists()


def test_parcel_sizes() -> None:
    """A county's few dozen towns go to the workers one by one; thousands go eight at a time,
    while each worker still gets many parcels."""
    assert docgen.batchpool.parcel_size(5, 2) == 1
    assert docgen.batchpool.parcel_size(40, 2) == 1
    assert docgen.batchpool.parcel_size(100, 2) == 3
    assert docgen.batchpool.parcel_size(1000, 2) == 8
    assert docgen.batchpool.parcel_size(38000, 8) == 8


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_towns_sent_in_parcels_give_the_same_run(runner: CliRunner, towns: Path, template: Path,
                                                 method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parcels of two (2, 2, 1): the broken town fails alone, the others of its parcel are done, and
    the table, the progress lines and the documents are those of towns sent one by one."""
    if method == "fork" and "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here")
    monkeypatch.setattr(docgen.batchpool, "worker_start_method", lambda: method)
    one = runner.invoke(cli, ["batch", str(towns), "-t", str(template), "-o", "out", "-j", "2"])
    monkeypatch.setattr(docgen.batchpool, "_PARCELS_EACH", 1)
    assert docgen.batchpool.parcel_size(5, 2) == 2
    parcels = runner.invoke(cli, ["batch", str(towns), "-t", str(template), "-o", "out2", "-j", "2"])
    assert parcels.exit_code == one.exit_code == 1
    assert parcels.stdout.replace("out2/", "out/") == one.stdout
    def lines(stderr: str) -> list[str]:  # [k/5] counts towns as they finish, in any order
        return sorted(line.split("] ", 1)[-1] for line in stderr.splitlines())

    assert lines(parcels.stderr) == lines(one.stderr)
    for name in sorted(p.name for p in Path("out").glob("*.docx")):
        assert document_xml(Path("out") / name) == document_xml(Path("out2") / name), name


def dying_renderer(template: Path, force: bool) -> Callable[[DataFile, Path], Written]:
    """A renderer whose worker process dies at 柳树镇 (module level, for spawned workers)."""
    render = standard_renderer(template, force)

    def dying(data: DataFile, target: Path) -> Written:
        if data.township.town == "柳树镇":
            os._exit(3)
        return render(data, target)
    return dying


STOPPED_ALONE = ("the worker process stopped unexpectedly while rendering this town, also when it was "
                 "rendered alone")


def test_a_town_that_stops_its_worker_fails_alone(towns: Path, template: Path) -> None:
    """The towns lost with the worker go again, one at a time: only the one that stops it fails."""
    result = batch([towns], template, "out", jobs=2, renderer=dying_renderer)
    statuses = {r.town: (r.status, r.error) for r in result.results}
    assert statuses["柳树镇"] == ("failed", STOPPED_ALONE)
    assert statuses["石桥镇"][0] == "failed" and "through_month" in str(statuses["石桥镇"][1])
    others = [town for town in GOOD if town != "柳树镇"]
    assert {town: statuses[town][0] for town in others} == dict.fromkeys(others, "done")
    assert [r.town for r in result.results] == [r.town for r in batch(
        [towns], template, "out2", jobs=1).results]  # in input order, as ever
    assert not result.interrupted and result.exit_code == 1
    assert sorted(p.name for p in Path("out").glob("*.docx")) == \
        sorted(f"{town}2024年工作总结.docx" for town in others)
    assert not list(Path("out").glob(".~docgen-*"))  # nothing half written
    assert result.summary is not None
    sheet = openpyxl.load_workbook(result.summary)["汇总"]
    assert [sheet.cell(row, 1).value for row in range(3, 3 + len(others) + 1)] == [*others, "合计"]


def dying_everywhere(template: Path, force: bool) -> Callable[[DataFile, Path], Written]:
    """A renderer whose worker dies at every town (module level, for spawned workers)."""
    def dying(data: DataFile, target: Path) -> Written:
        os._exit(3)
    return dying


def test_pools_lost_too_often_fail_the_towns_left(towns: Path, template: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docgen.batchpool, "_RESTARTS", 2)
    result = batch([towns], template, "out", jobs=2, renderer=dying_everywhere)
    errors = {r.town: r.error for r in result.results}
    # pool 1, of one worker: 白河镇 alone stops it; pool 2 takes the others in parcels and is lost
    # too; no third pool: the towns left fail as they are
    assert errors.pop("白河镇") == STOPPED_ALONE
    shiqiao = errors.pop("石桥镇")  # its data fails before it is rendered, if it got to a worker
    assert shiqiao == "the worker process stopped unexpectedly" or "through_month" in str(shiqiao)
    assert set(errors.values()) == {"the worker process stopped unexpectedly"}
    assert all(r.status == "failed" for r in result.results) and result.summary is None


def test_a_pool_that_cannot_start_again_fails_the_towns_left(towns: Path, template: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """No memory left to fork another pool: the towns done are kept, the others fail with why."""
    start_pool = docgen.batch.start_pool
    calls = []

    def first_only(*args: Any) -> Any:
        calls.append(args)
        if len(calls) > 1:
            raise OSError(12, "Cannot allocate memory")
        return start_pool(*args)
    monkeypatch.setattr(docgen.batch, "start_pool", first_only)
    result = batch([towns], template, "out", jobs=2, renderer=dying_renderer)
    statuses = {r.town: (r.status, r.error) for r in result.results}
    assert statuses["柳树镇"] == ("failed", "the worker processes could not be started again: "
                                             "[Errno 12] Cannot allocate memory")
    done = [town for town, (status, _error) in statuses.items() if status == "done"]
    written = {p.name for p in Path("out").glob("*.docx")}
    # (a town lost with the pool may have had its document written before it was lost)
    assert done and {f"{town}2024年工作总结.docx" for town in done} <= written
    assert "柳树镇2024年工作总结.docx" not in written
    assert result.summary is not None and not result.interrupted and len(calls) == 2


def test_when_the_towns_lost_all_go_again_a_full_pool_takes_over(
        towns: Path, template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A death no town repeats: the pool of one worker is shut down before a full one starts (its
    manager thread still running, the next pool could not be forked: a second a worker to spawn)."""
    starts: list[tuple[int, int]] = []  # each pool's workers, and the threads running as it starts
    start_pool = docgen.batch.start_pool

    def recorded(*args: Any) -> Any:
        starts.append((args[-1], threading.active_count()))
        return start_pool(*args)
    monkeypatch.setattr(docgen.batch, "start_pool", recorded)
    result = batch([towns], template, "out", jobs=2, renderer=functools.partial(dying_once, town="白河镇"))
    statuses = {r.town: r.status for r in result.results}
    assert Path("died-once").exists()
    assert {town: statuses[town] for town in GOOD} == dict.fromkeys(GOOD, "done")
    assert [workers for workers, _threads in starts] == [2, 1, 2]
    assert {threads for _workers, threads in starts} == {starts[0][1]}  # no pool of ours left running
    assert multiprocessing.active_children() == []


def dying_once(template: Path, force: bool, town: str = "檀岭镇") -> Callable[[DataFile, Path], Written]:
    """A renderer whose worker dies at ``town`` the first time only (module level, for spawned
    workers; another town by `functools.partial`)."""
    render = standard_renderer(template, force)

    def dying(data: DataFile, target: Path) -> Written:
        died = Path("died-once")
        if data.township.town == town and not died.exists():
            died.touch()
            os._exit(3)
        return render(data, target)
    return dying


def test_a_town_that_goes_again_keeps_its_workbook_figures(workdir: Path) -> None:
    """檀岭镇's 茶园面积 comes from the county workbook alone, sent with its task: it goes again with it."""
    shutil.copytree(ROOT / "data", "data")
    tanling = Path("data/tanling-2024.yaml")
    text = tanling.read_text(encoding="utf-8")
    tea = "  tea_area:\n    name: 茶园面积\n    unit: 亩\n    value: 12800\n    previous: 11500\n"
    assert tea in text
    tanling.write_text(text.replace(tea, ""), encoding="utf-8")
    sources = [*sorted(Path("data").glob("*.yaml")), Path("data/county-2024.xlsx")]
    again = batch(sources, None, "out", jobs=2, renderer=dying_once)
    assert Path("died-once").exists()
    assert [r.status for r in again.results] == ["done"] * 3
    plain = batch(sources, None, "out2", jobs=1)
    for result in plain.results:
        assert result.path is not None
        assert document_xml(result.path) == document_xml(Path("out") / result.path.name), result.town


def stalling_renderer(template: Path, force: bool) -> Callable[[DataFile, Path], Written]:
    """`dying_renderer`, whose worker stalls in 白河镇's fsync the first time, with the temporary file
    written."""
    render = dying_renderer(template, force)

    def stalling(data: DataFile, target: Path) -> Written:
        stalled = Path("stalled-once")
        if data.township.town == "白河镇" and not stalled.exists():
            stalled.touch()
            os.fsync = lambda _fd: time.sleep(60)  # this worker's own os module
        return render(data, target)
    return stalling


def test_a_worker_stopped_while_writing_leaves_no_temporary_file(towns: Path, template: Path) -> None:
    """When a worker dies, the pool terminates the others: one stopped in the middle of writing a
    document removes its temporary file (POSIX; Windows ends a process without a signal), and its
    town goes again."""
    if sys.platform == "win32":
        pytest.skip("no SIGTERM handler runs on Windows")
    start = time.monotonic()
    result = batch([towns], template, "out", jobs=2, renderer=stalling_renderer)
    assert time.monotonic() - start < 30
    statuses = {r.town: (r.status, r.error) for r in result.results}
    assert Path("stalled-once").exists()  # 白河镇 was stopped in its fsync once
    assert statuses["白河镇"] == ("done", None)
    assert statuses["柳树镇"] == ("failed", STOPPED_ALONE)
    assert not list(Path("out").glob(".~docgen-*"))


def dying_in_write_renderer(template: Path, force: bool) -> Callable[[DataFile, Path], Written]:
    """A renderer whose worker dies in 柳树镇's fsync, its temporary file written, as a process the
    OOM killer ends does (no handler runs; nor on Windows, where the pool's terminate is a kill)."""
    render = standard_renderer(template, force)

    def dying(data: DataFile, target: Path) -> Written:
        if data.township.town == "柳树镇":
            os.fsync = lambda _fd: os._exit(3)  # this worker's own os module
        return render(data, target)
    return dying


def test_a_worker_killed_while_writing_leaves_no_temporary_file(towns: Path, template: Path) -> None:
    """The temporary files of a worker that ended with no chance to remove them (each time 柳树镇 is
    rendered: in its parcel, then alone) are removed once its pool is shut down."""
    result = batch([towns], template, "out", jobs=2, renderer=dying_in_write_renderer)
    statuses = {r.town: (r.status, r.error) for r in result.results}
    assert statuses["柳树镇"] == ("failed", STOPPED_ALONE)
    assert {statuses[town][0] for town in GOOD if town != "柳树镇"} == {"done"}
    assert not list(Path("out").glob(".~docgen-*"))


def test_only_the_temporary_files_of_the_processes_named_are_removed(tmp_path: Path) -> None:
    for name in (".~docgen-101-a.docx", ".~docgen-101-b.docx", ".~docgen-1010-c.docx",
                 ".~docgen-202-d.docx", "甲镇2024年工作总结.docx"):
        (tmp_path / name).write_bytes(b"")
    remove_abandoned([tmp_path, tmp_path / "none"], [101, 303])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".~docgen-1010-c.docx", ".~docgen-202-d.docx", "甲镇2024年工作总结.docx"]


def test_a_ctrl_c_while_a_parcel_is_taken_in_loses_none_of_its_towns(
        towns: Path, template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C lands after the first town of a finished parcel is on record: the parcel's other
    town, whose document is written too, is still reported done."""
    monkeypatch.setattr(docgen.batchpool, "_PARCELS_EACH", 1)  # five towns, two workers: parcels of 2

    class CtrlCAtTheFirst(Progress):
        def finished(self, result: TownResult) -> None:
            raise KeyboardInterrupt

    result = batch([towns], template, "out", jobs=2, progress=CtrlCAtTheFirst())
    assert result.interrupted
    statuses = {r.town: r.status for r in result.results}
    written = {p.name for p in Path("out").glob("*.docx")}
    for town in GOOD:
        assert (statuses[town] == "done") == (f"{town}2024年工作总结.docx" in written), statuses
    assert statuses["白河镇"] == statuses["青山乡"] == "done"  # the first parcel, both of its towns


def test_on_windows_workers_start_with_ctrl_c_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows' console sends Ctrl-C to every process on it: a worker still importing docgen printed
    a traceback and its towns were reported failed. While workers start, this process ignores
    Ctrl-C, which they inherit (SetConsoleCtrlHandler(NULL, TRUE)); then it handles it again. (The
    calls, not Windows' behaviour, are what this can show here.)"""
    calls: list[tuple[object, bool]] = []

    class Kernel32:
        def SetConsoleCtrlHandler(self, handler: object, ignore: bool) -> int:
            calls.append((handler, ignore))
            return 1

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(signal, "pthread_sigmask")
    monkeypatch.setattr(docgen.batchpool, "kernel32", Kernel32)
    with docgen.batchpool._sigint_held():
        assert calls == [(None, True)]
    assert calls == [(None, True), (None, False)]
    calls.clear()
    with pytest.raises(KeyboardInterrupt), docgen.batchpool._sigint_held():
        raise KeyboardInterrupt
    assert calls == [(None, True), (None, False)]
