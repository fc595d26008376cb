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

from .conftest import FOUR_PARTS, ROOT

TOWN = Path(__file__).parent / "batch" / "towns" / "1-baihe.yaml"
MANY = 200


@pytest.mark.skipif(sys.platform == "win32",
                    reason="CTRL_C_EVENT reaches every process of the console, pytest included")
@pytest.mark.parametrize("whom", ["process", "group"])
def test_interrupted_batch_leaves_no_truncated_docx(tmp_path: Path, whom: str,
                                                   make_template: Callable[..., Path]) -> None:
    """SIGINT to the docgen process alone, or to its whole group as a terminal's Ctrl-C does."""
    template = make_template("{{ title }}", *FOUR_PARTS)
    folder = tmp_path / "towns"
    folder.mkdir()
    text = TOWN.read_text(encoding="utf-8")
    for i in range(MANY):
        (folder / f"t{i:03d}.yaml").write_text(text.replace("town: 白河镇", f"town: 测试{i:03d}镇"),
                                               encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "DOCGEN_LANG": "en", "PYTHONPATH": str(ROOT)}
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
