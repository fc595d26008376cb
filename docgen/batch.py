"""Batch runs: every town of a county in one go, over processes, one broken town never stopping the rest."""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import signal
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from docgen import api
from docgen.batchreport import BatchResult, Progress, TownResult
from docgen.engine import DEFAULT_ENGINE, Engine, compile_template
from docgen.errors import DataError, DocgenError, EditedOutputError, OutputError, Place
from docgen.i18n import _
from docgen.loading import DataFile, load, read_yaml
from docgen.model import Township
from docgen.output import resolve_output
from docgen.render import default_template, open_template
from docgen.summary import write_summary
from docgen.workbook import TownFigures, merge, read_workbooks

Renderer = Callable[[DataFile, Path], Path]
RendererFactory = Callable[[Path, bool], Renderer]

YAML_SUFFIXES = (".yaml", ".yml")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_MAX_WORKERS = 61  # the most ProcessPoolExecutor allows on Windows


def standard_renderer(template: Path, force: bool, engine: Engine = DEFAULT_ENGINE) -> Renderer:
    """The renderer each worker builds once: `api.render_loaded` with the batch's template and force.

    On the fast engine the template is compiled here, once per worker; every document still goes
    through `api.render_loaded`, so the edit protection and the self-check hold in a batch too.
    """
    if engine == "fast":
        compile_template(template)

    def render(data: DataFile, target: Path) -> Path:
        return api.render_loaded(data, template, target, force=force, engine=engine)
    return render


@dataclass
class _Job:
    """One town of the run, in input order: its data once loaded, its output, its result."""

    label: str
    source: Path | None
    data: DataFile | None = None
    target: Path | None = None
    result: TownResult | None = None
    figures: Township | None = None  # what the summary needs, kept once the data is handed over

    def release(self) -> None:
        """Keep only the figures once the town is rendered or sent to a worker.

        The summary workbook needs each town's indicators, not its texts or line maps; dropping
        those keeps the main process's memory from growing with the number of towns.
        """
        if self.data is not None:
            self.figures = self.data.township.model_copy(update={
                "review": [], "outlook": [], "problems": [], "achievements": [], "intro": None})
            self.data = None

    def fail(self, error: str) -> None:
        self.result = TownResult(self.label, "failed", error=error, source=self.source)


def batch(sources: Iterable[Path | str], template: Path | str | None = None,
          output_dir: Path | str = Path("output"), *, jobs: int | None = None, force: bool = False,
          progress: Progress | None = None, engine: Engine = DEFAULT_ENGINE,
          renderer: RendererFactory | None = None) -> BatchResult:
    """Write the summary of every town in ``sources`` into ``output_dir``, and 汇总表.xlsx.

    :param sources: YAML data files, folders of them, and .xlsx workbooks with a 指标 sheet.
    :param jobs: worker processes (default: the number of CPUs); 1 renders in this process.
    :param force: replace documents an editor changed (else they are kept and the town skipped).
    :param engine: "fast" or "docxtpl", as for `docgen.api.render`.
    :param renderer: a factory of the per-worker renderer (default: `standard_renderer` on
        ``engine``); a module-level function or partial, so spawned workers can import it.
    :raises DocgenError: before anything is written, for a source that cannot be used, an unusable
        template, or two towns that would write the same file.
    :returns: every town's result in input order; a town's failure is in its result, not raised.
    """
    output_dir = Path(output_dir)
    renderer = renderer or functools.partial(standard_renderer, engine=engine)
    template_path = Path(template) if template is not None else default_template()
    open_template(template_path)
    data_paths, books = collect(sources)
    # the workers start (import docgen, compile the template) while this process loads the data
    workers = min(jobs or os.cpu_count() or 1, len(data_paths) + len(books), _MAX_WORKERS)
    pool = _start_pool(renderer, template_path, force, workers) if workers > 1 else None
    try:
        planned = _plan(data_paths, books, output_dir)
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
                interrupted = _run_pool(todo, pool, min(workers, len(todo)), progress)
                pool = None  # _run_pool shut it down
        finally:
            progress.close()
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    for job in planned:
        if job.result is None:
            job.result = TownResult(job.label, "skipped", error=_("not done: the run was interrupted"),
                                    source=job.source)
    results = [job.result for job in planned if job.result is not None]
    if interrupted:
        return BatchResult(results, interrupted=True)
    towns = [job.figures for job in planned if job.figures is not None and job.result is not None
             and job.result.status != "failed"]
    if not towns:
        return BatchResult(results)
    try:
        return BatchResult(results, summary=write_summary(output_dir, towns, force=force))
    except DocgenError as exc:
        return BatchResult(results, summary_error=str(exc))
    except KeyboardInterrupt:
        return BatchResult(results, interrupted=True)


def collect(sources: Iterable[Path | str]) -> tuple[list[Path], list[Path]]:
    """The YAML files (folders expanded, by name) and the workbooks among ``sources``, each once."""
    data: list[Path] = []
    books: list[Path] = []
    seen: set[str] = set()

    def add(path: Path, into: list[Path]) -> None:
        key = os.path.normcase(str(path.resolve()))
        if key not in seen:
            seen.add(key)
            into.append(path)

    for source in map(Path, sources):
        suffix = source.suffix.lower()
        if source.is_dir():
            for path in sorted(source.iterdir(), key=lambda p: p.name):
                if path.suffix.lower() in YAML_SUFFIXES and path.is_file() and \
                        not path.name.startswith((".", "~$")):
                    add(path, data)
        elif not source.exists():
            raise DataError(_("no such file or folder"), Place(source))
        elif suffix in YAML_SUFFIXES:
            add(source, data)
        elif suffix in WORKBOOK_SUFFIXES:
            add(source, books)
        elif suffix == ".xls":
            raise DataError(_("an old-format .xls workbook; save it as .xlsx"), Place(source))
        else:
            raise DataError(_("not a YAML data file (.yaml), a folder of them, or an .xlsx "
                               "workbook"), Place(source))
    return data, books


def plan(sources: Iterable[Path | str], output_dir: Path) -> list[_Job]:
    """Every town to do, in input order, loaded, merged with its figures, with its output path.

    Towns whose data is wrong come back with a failed result; two towns that would write the same
    file raise `OutputError`, since nothing may be written then.
    """
    data_paths, books = collect(sources)
    return _plan(data_paths, books, output_dir)


def _plan(data_paths: Sequence[Path], books: Sequence[Path], output_dir: Path) -> list[_Job]:
    figures = read_workbooks(books)
    if not data_paths and not figures:
        raise DataError(_("no data files found (*.yaml)"))
    planned = [_load(path) for path in data_paths]
    claimed = Counter(job.label for job in planned)
    for job in planned:
        found = figures.get(job.label)
        if found is not None and job.data is not None and job.result is None:
            _merge(job, found, claimed[job.label])
    for town, found in figures.items():
        if town not in claimed:
            job = _Job(town, None)
            job.fail(str(Place(found.place.file, field=found.place.field)) + ": " + _(
                "the workbook has figures for {town} but no data file gives its text; add a YAML "
                "file with 'town: {town}'").format(town=town))
            planned.append(job)
    _assign_outputs(planned, output_dir)
    return planned


def _load(path: Path) -> _Job:
    try:
        data = load(path)
    except DocgenError as exc:
        job = _Job(_town_name(path) or path.name, path)
        job.fail(str(exc))
        return job
    return _Job(data.township.town, path, data)


def _town_name(path: Path) -> str | None:
    """The ``town`` of a data file that does not validate, when it can be read at all."""
    try:
        data, _lines = read_yaml(path)
    except DocgenError:
        return None
    town = data.get("town") if isinstance(data, dict) else None
    return town.strip() if isinstance(town, str) and town.strip() else None


def _merge(job: _Job, found: TownFigures, files: int) -> None:
    assert job.data is not None
    if files > 1:
        job.fail(f"{found.place}: " + _("the workbook's figures for {town} match {n} data files; "
                                        "give the batch one data file per town").format(
                                            town=job.label, n=files))
        return
    try:
        job.data = merge(job.data, found)
    except DocgenError as exc:
        job.fail(str(exc))


def _assign_outputs(planned: Sequence[_Job], output_dir: Path) -> None:
    owners: dict[str, _Job] = {}
    clashes: list[str] = []
    for job in planned:
        if job.data is None or job.result is not None:
            continue
        township = job.data.township
        try:
            job.target = resolve_output(None, output_dir, township.town, township.year)
        except DocgenError as exc:
            job.fail(str(exc))
            continue
        key = os.path.normcase(str(job.target.resolve()))
        if key in owners:
            clashes.append(_("{first} and {second} would both write {path}").format(
                first=owners[key].source, second=job.source, path=job.target))
        else:
            owners[key] = job
    if clashes:
        raise OutputError(_("{clashes}; nothing was written: keep one data file per town and "
                            "year").format(clashes="; ".join(clashes)))


def _outcome(label: str, source: Path | None, render: Renderer, data: DataFile,
             target: Path) -> TownResult:
    try:
        return TownResult(label, "done", path=render(data, target), source=source)
    except EditedOutputError as exc:
        return TownResult(label, "skipped", path=Path(exc.place.file or ""), error=str(exc),
                          source=source)
    except DocgenError as exc:
        return TownResult(label, "failed", error=str(exc), source=source)
    except Exception as exc:  # a bug in docgen must not cost the other towns their documents
        return TownResult(label, "failed", source=source, error=_(
            "unexpected error (a bug in docgen; please report it): {error}").format(error=repr(exc)))


def _run_here(todo: Sequence[_Job], render: Renderer, progress: Progress) -> bool:
    """Render one town after another in this process; whether Ctrl-C stopped it."""
    for job in todo:
        assert job.data is not None and job.target is not None
        progress.running([job.label])
        try:
            job.result = _outcome(job.label, job.source, render, job.data, job.target)
            job.release()
        except KeyboardInterrupt:
            return True  # write_atomic has removed its temporary file
        progress.finished(job.result)
    return False


# The worker's state, kept from one town to the next: set once by _start_worker.
_worker_render: Renderer | None = None


def _start_worker(factory: RendererFactory, template: Path, force: bool) -> None:
    """Each worker's initializer: Ctrl-C is the parent's to handle; the renderer is built once."""
    global _worker_render
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held by _sigint_held
    _worker_render = factory(template, force)


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT held back from this thread while it may start a worker (the pool starts them as towns
    are submitted). A worker starts with this thread's signal mask, so a Ctrl-C cannot stop it
    half-started, before `_start_worker` makes it ignore SIGINT; this process gets the signal when it
    is released. Where there are no signal masks (Windows), nothing changes.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _work(label: str, source: Path | None, data: DataFile, target: Path) -> TownResult:
    render = _worker_render
    assert render is not None, "the worker was not started by _start_worker"
    return _outcome(label, source, render, data, target)


def _start_pool(factory: RendererFactory, template: Path, force: bool,
                workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes, all of them starting now (the pool would start each
    one only when a town is submitted)."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(factory, template, force))
    try:
        with _sigint_held():
            for _worker in range(workers):
                pool.submit(_started)
    except BrokenProcessPool:
        pass  # the towns submitted next fail with it
    return pool


def _started() -> None:
    """The task that makes the pool start a worker: nothing to do once it has started."""


def _run_pool(todo: Sequence[_Job], pool: ProcessPoolExecutor, workers: int,
              progress: Progress) -> bool:
    """Render in the pool's processes, at most ``workers`` towns at a time; whether Ctrl-C stopped it.

    On Ctrl-C no further town starts; those being rendered finish (their writes are atomic). The
    pool is shut down when this returns.
    """
    waiting = deque(todo)
    order = {id(job): i for i, job in enumerate(todo)}
    running: dict[Future[TownResult], _Job] = {}
    interrupted = False
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                job = waiting.popleft()
                assert job.data is not None and job.target is not None
                try:
                    with _sigint_held():
                        future = pool.submit(_work, job.label, job.source, job.data, job.target)
                    running[future] = job
                    job.release()
                except BrokenProcessPool:
                    job.result = _broken(job)
                    progress.finished(job.result)
            progress.running([job.label for job in running.values()])
            finished, _pending = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: order[id(running[f])]):
                job = running.pop(future)
                job.result = _result_of(future, job)
                progress.finished(job.result)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        except KeyboardInterrupt:  # a second Ctrl-C: the workers still finish their current file
            pool.shutdown(wait=False, cancel_futures=True)
            interrupted = True
    for future, job in running.items():
        if future.done() and not future.cancelled():
            job.result = _result_of(future, job)
    return interrupted


def _result_of(future: Future[TownResult], job: _Job) -> TownResult:
    try:
        return future.result()
    except BrokenProcessPool:
        return _broken(job)
    except Exception as exc:  # e.g. a town that cannot be sent to a worker: that town fails
        return TownResult(job.label, "failed", source=job.source, error=_(
            "unexpected error (a bug in docgen; please report it): {error}").format(error=repr(exc)))


def _broken(job: _Job) -> TownResult:
    return TownResult(job.label, "failed", error=_("the worker process stopped unexpectedly"),
                      source=job.source)
