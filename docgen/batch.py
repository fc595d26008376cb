"""Batch runs: every town of a county in one go, over processes, one broken town never stopping the rest."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import overload

from docgen import batchpool
from docgen.batchplan import Job, Renderer, SummaryTown, collect, plan, run_town, unpack_figures
from docgen.batchpool import MAX_WORKERS, RendererFactory, finish, forget_renderer, run_pool, start_pool
from docgen.batchreport import SUMMARY_NAME, BatchResult, Progress, TownResult
from docgen.engine import DEFAULT_ENGINE, Engine
from docgen.errors import DocgenError, EditedOutputError, OutputError, Place
from docgen.i18n import _
from docgen.loading import DataFile
from docgen.output import Written
from docgen.templates import check_template_file, default_template

__all__ = ["Renderer", "RendererFactory", "batch", "collect", "plan", "standard_renderer"]

# Below this many towns a batch whose workers would be spawned (Windows, macOS) runs in this
# process: spawned on Linux, two workers started and compiled the template for 1.5–2 s, and made
# 30 towns take 3.1 s against 1.3 s, 100 towns 3.2 s against 2.0 s; 200 towns were about even.
SPAWN_WORTHWHILE = 200


def standard_renderer(template: Path, force: bool, engine: Engine = DEFAULT_ENGINE) -> Renderer:
    """The renderer each worker builds once: `api.render_written` with the batch's template and force.

    On the fast engine the template is compiled here, once per worker; every document still goes
    through `api.render_written`, so the edit protection and the self-check hold in a batch too.
    The rendering stack is imported here too: the process that plans a batch does without it.
    """
    from docgen import api
    from docgen.engine import compile_template
    from docgen.render import open_template

    if engine == "fast":
        compile_template(template)
    else:
        open_template(template)

    def render(data: DataFile, target: Path) -> Written:
        if target.is_dir():  # render_written would write into it, as `render -o FOLDER` does
            raise OutputError(_("the output is a folder"), Place(target))
        return api.render_written(data, template, target, force=force, engine=engine)
    return render


def batch(sources: Iterable[Path | str], template: Path | str | None = None,
          output_dir: Path | str = Path("output"), *, jobs: int | None = None, force: bool = False,
          progress: Progress | None = None, engine: Engine = DEFAULT_ENGINE,
          renderer: RendererFactory | None = None) -> BatchResult:
    """Write the summary of every town in ``sources`` into ``output_dir``, and 汇总表.xlsx.

    :param sources: YAML data files, folders of them, and .xlsx workbooks with a 指标 sheet (a
        folder's workbooks are named in a warning, not read).
    :param jobs: worker processes (default: the number of CPUs, where workers are forked; where
        they are spawned, as on Windows, this process alone below `SPAWN_WORTHWHILE` towns);
        1 renders in this process.
    :param force: replace documents an editor changed (else they are kept and the town skipped).
    :param engine: "fast" or "docxtpl", as for `docgen.api.render`.
    :param renderer: a factory of the per-worker renderer (default: `standard_renderer` on
        ``engine``); a module-level function or partial, so spawned workers can import it.
    :raises DocgenError: before anything is written, for a source that cannot be used, an unusable
        template, or two towns that would write the same file.
    :returns: every town's result in input order; a town's failure is in its result, not raised.

    This process only plans (each file's town and year) and gathers what the summary needs; each
    town is loaded, validated and rendered where it is rendered, in a worker when ``jobs`` > 1.
    """
    output_dir = Path(output_dir)
    renderer = renderer or functools.partial(standard_renderer, engine=engine)
    template_path = Path(template) if template is not None else default_template()
    check_template_file(template_path)
    data_paths, books = collect(sources)
    workers = min(jobs or os.cpu_count() or 1, len(data_paths) + len(books), MAX_WORKERS)
    # the workers start (forked, or spawned and importing docgen) before this process plans; but
    # a spawned worker takes a second or two to start (Windows, macOS): unless -j asks for them,
    # they are started after planning, only for enough towns to repay it
    spawned = workers > 1 and jobs is None and batchpool.worker_start_method() == "spawn"
    pool = start_pool(renderer, template_path, force, workers) if workers > 1 and not spawned else None
    try:
        planned = plan(data_paths, books, output_dir)
        if spawned and sum(job.result is None for job in planned) >= SPAWN_WORTHWHILE:
            pool = start_pool(renderer, template_path, force, workers)
        progress = progress or Progress()
        progress.start(len(planned))
        for job in planned:
            if job.result is not None:
                progress.finished(job.result)
        todo = [job for job in planned if job.result is None]
        try:
            if pool is None or len(todo) <= 1:
                interrupted = _run_here(todo, renderer(template_path, force), progress)
            else:
                restart = functools.partial(start_pool, renderer, template_path, force)
                interrupted = run_pool(todo, pool, min(workers, len(todo)), progress, restart)
                pool = None  # run_pool shut it down
        finally:
            progress.close()
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        forget_renderer()
    for job in planned:
        if job.result is None:
            job.result = TownResult(job.label, "skipped", error=_("not done: the run was interrupted"),
                                    source=job.source)
    results = [job.result for job in planned if job.result is not None]
    if interrupted:
        return BatchResult(results, interrupted=True)
    kept = [job for job in planned if job.summary is not None and job.result is not None
            and job.result.status != "failed"]
    if not kept:
        stale = (output_dir / SUMMARY_NAME).is_file()
        return BatchResult(results, summary_error=_(
            "no town was done (the {name} there is from an earlier run)").format(name=SUMMARY_NAME)
            if stale else _("no town was done"))
    towns = _Kept([job.summary for job in kept if job.summary is not None])
    in_summary = {id(job) for job in kept}
    left_out = tuple(job.label for job in planned if id(job) not in in_summary)
    from docgen.summary import write_summary  # XlsxWriter: imported once the workers have started

    try:
        # the run's towns: its data files, each once (a workbook's town without one is no town of the
        # run; a broken file fails for itself and again for its workbook figures; files that cannot
        # be read are labelled by their name, which two towns' folders may share)
        covers = len({job.source for job in planned if job.source is not None})
        summary = write_summary(output_dir, towns, force=force, left_out=left_out, covers=covers)
    except EditedOutputError as exc:
        return BatchResult(results, summary_error=str(exc), summary_kept=True)
    except DocgenError as exc:
        return BatchResult(results, summary_error=str(exc))
    except KeyboardInterrupt:
        return BatchResult(results, interrupted=True)
    return BatchResult(results, summary=summary, summary_left_out=left_out)


class _Kept(Sequence[SummaryTown]):
    """The towns the summary covers, unpacked one at a time as it reads them."""

    def __init__(self, packed: list[bytes]) -> None:
        self._packed = packed

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, index: int) -> SummaryTown: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[SummaryTown]: ...

    def __getitem__(self, index: int | slice) -> SummaryTown | Sequence[SummaryTown]:
        if isinstance(index, slice):
            return _Kept(self._packed[index])
        return unpack_figures(self._packed[index])


def _run_here(todo: Sequence[Job], render: Renderer, progress: Progress) -> bool:
    """Render one town after another in this process; whether Ctrl-C stopped it."""
    for job in todo:
        progress.running([job.label])
        try:
            finish(job, run_town(job.task(), render))
        except KeyboardInterrupt:
            return True  # write_atomic has removed its temporary file
        assert job.result is not None
        progress.finished(job.result)
    return False
