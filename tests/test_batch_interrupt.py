"""Ctrl-C during a batch: the run stops, what was done is listed, and no .docx is left half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from docgen.batch import standard_renderer
from docgen.loading import DataFile
from docgen.output import Written

from .conftest import FOUR_PARTS, ROOT

TOWN = Path(__file__).parent / "batch" / "towns" / "1-baihe.yaml"
MANY = 200


def many_towns(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """``MANY`` towns (测试000镇…) in tmp_path/towns, the output folder, and the environment to run in."""
    folder = tmp_path / "towns"
    folder.mkdir()
    text = TOWN.read_text(encoding="utf-8")
    for i in range(MANY):
        (folder / f"t{i:03d}.yaml").write_text(text.replace("town: 白河镇", f"town: 测试{i:03d}镇"),
                                               encoding="utf-8")
    return folder, tmp_path / "out", {**os.environ, "DOCGEN_LANG": "en", "PYTHONPATH": str(ROOT)}


@pytest.mark.skipif(sys.platform == "win32",
                    reason="CTRL_C_EVENT reaches every process of the console, pytest included")
@pytest.mark.parametrize("whom", ["process", "group"])
def test_interrupted_batch_leaves_no_truncated_docx(tmp_path: Path, whom: str,
                                                   make_template: Callable[..., Path]) -> None:
    """SIGINT to the docgen process alone, or to its whole group as a terminal's Ctrl-C does."""
    template = make_template("{{ title }}", *FOUR_PARTS)
    folder, out, env = many_towns(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "batch", str(folder), "-t", str(template), "-o", str(out),
         "-j", "2"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", start_new_session=True)
    deadline = time.monotonic() + 120  # a guard against a hang, not a timing assertion
    while not (out.is_dir() and len(list(out.glob("*.docx"))) >= 3):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the batch wrote nothing"
        time.sleep(0.02)
    if whom == "group":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    lines = stdout.splitlines()
    assert lines[0] == "town       status   output or error"
    done = [line for line in lines[1:MANY + 1] if "  done  " in line]
    interrupted = [line for line in lines if line.endswith("skipped  not done: the run was interrupted")]
    assert done and interrupted
    assert len(done) + len(interrupted) == MANY
    assert lines[MANY + 1] == f"{len(done)} done, 0 failed, {len(interrupted)} skipped"
    assert lines[-1] == ("interrupted: the towns not done were left as they were; run the batch "
                         "again to do them")
    assert "Traceback" not in stderr
    documents = sorted(out.glob("*.docx"))
    assert len(documents) == len(done)
    for path in documents:
        Document(str(path))  # opens: not truncated
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in documents)  # no temp file
    assert not (out / "汇总表.xlsx").exists()


def dies_at_twenty(template: Path, force: bool) -> Callable[[DataFile, Path], Written]:
    """A renderer whose worker dies at 测试020镇 (module level: the subprocess below imports it)."""
    render = standard_renderer(template, force)

    def dying(data: DataFile, target: Path) -> Written:
        if data.township.town == "测试020镇":
            Path("died").touch()  # in the test's folder: the test waits for it
            os._exit(3)
        return render(data, target)
    return dying


DRIVER = """
import multiprocessing, sys
from pathlib import Path
from docgen.batch import batch
from tests.test_batch_interrupt import dies_at_twenty
result = batch([Path(sys.argv[1])], Path(sys.argv[2]), Path(sys.argv[3]), jobs=2, renderer=dies_at_twenty)
statuses = [r.status for r in result.results]
print(result.interrupted, len(statuses), statuses.count("done"), len(multiprocessing.active_children()))
"""


@pytest.mark.skipif(sys.platform == "win32",
                    reason="CTRL_C_EVENT reaches every process of the console, pytest included")
def test_ctrl_c_after_a_worker_died_stops_the_run_cleanly(tmp_path: Path,
                                                          make_template: Callable[..., Path]) -> None:
    """Ctrl-C while the towns lost with a dead worker go again, or after: every town is reported, no
    worker is left running, and no document is left half-written."""
    template = make_template("{{ title }}", *FOUR_PARTS)
    folder, out, env = many_towns(tmp_path)
    process = subprocess.Popen([sys.executable, "-c", DRIVER, str(folder), str(template), str(out)],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8", start_new_session=True)
    deadline = time.monotonic() + 120  # a guard against a hang, not a timing assertion
    while not (tmp_path / "died").exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no worker died"
        time.sleep(0.005)
    written = len(list(out.glob("*.docx")))
    while len(list(out.glob("*.docx"))) < written + 3:  # the towns lost going again, or after them
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the batch wrote nothing after the worker died"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0 and "Traceback" not in stderr, stderr
    interrupted, reported, done, children = stdout.split()
    assert (interrupted, int(reported), int(children)) == ("True", MANY, 0)
    documents = sorted(out.glob("*.docx"))
    # a town lost with the dead worker may be written and, interrupted before it went again, not done
    assert int(done) <= len(documents) < MANY
    for path in documents:
        Document(str(path))  # opens: not truncated
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in documents)  # no temp file
