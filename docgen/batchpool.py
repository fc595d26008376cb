"""A batch's worker processes: started once, handed parcels of towns, and started again after one dies."""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from docgen.batchplan import Job, Outcome, Renderer, Task, run_town
from docgen.batchreport import Progress, TownResult
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.output import abandon_writes, remove_abandoned
from docgen.windows import kernel32

RendererFactory = Callable[[Path, bool], Renderer]

MAX_WORKERS = 61  # the most ProcessPoolExecutor allows on Windows
_IN_FLIGHT = 2  # parcels of towns handed to each worker at a time: the one it renders, and its next
_PARCEL = 8  # towns sent to a worker at once, at most: each sending costs both processes ~0.1 ms
_PARCELS_EACH = 16  # parcels each worker gets at least: parcels shrink rather than leave one idle


def finish(job: Job, outcome: Outcome) -> None:
    """Keep a town's outcome: its result holds the job's own paths, not the worker's copies of
    them (a county's thousands of results then hold each path once)."""
    path = outcome.result.path
    job.result = dataclasses.replace(outcome.result, source=job.source,
                                     path=job.target if path == job.target else path)
    job.summary = outcome.summary


# The worker's state, kept from one town to the next: set once by _start_worker.
_worker_render: Renderer | None = None
_worker_error: DocgenError | None = None  # why the renderer could not be built (the template)


def _start_worker(factory: RendererFactory, template: Path, force: bool, built: bool) -> None:
    """Each worker's initializer: Ctrl-C is the parent's to handle; the renderer is built once
    (``built``: by the parent, before forking)."""
    global _worker_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held by _sigint_held
    atexit.register(_exit_at_once)
    signal.signal(signal.SIGTERM, _terminated)
    if not built:
        try:
            _build_renderer(factory, template, force)
        except DocgenError as exc:  # each town fails with it: a broken worker would say nothing
            _worker_error = exc


def _terminated(signum: int, _frame: object) -> None:
    """A worker's end when the pool terminates it (another worker died): the document it is
    writing is left as it was, not half written. (Windows ends a process without a signal.)"""
    abandon_writes()
    os._exit(128 + signum)


def forget_renderer() -> None:
    """Drop the renderer built for forked workers: the next batch may have another template."""
    global _worker_render, _worker_error
    _worker_render, _worker_error = None, None


def _build_renderer(factory: RendererFactory, template: Path, force: bool) -> None:
    """Build the renderer the towns of this process (a worker, or a parent about to fork) use."""
    global _worker_render
    forget_renderer()
    _worker_render = factory(template, force)


def _exit_at_once() -> None:
    """A worker's last act: leave without tearing down its interpreter.

    A spawned worker ends with ``sys.exit``, and Python then frees every module and object it
    made, lxml's and pydantic's included: half a second that the pool's shutdown, and so the
    batch, waits for. The pool has its results by then and the worker writes nothing more; the
    operating system frees the memory at once.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT held back from this thread while it may start a worker (the pool starts them as towns
    are submitted). A worker starts with this thread's signal mask, so a Ctrl-C cannot stop it
    half-started, before `_start_worker` makes it ignore SIGINT; this process gets the signal when it
    is released.

    Windows has no signal masks, and its console sends Ctrl-C to every process attached to it: a
    worker still importing docgen printed a traceback, and its towns were reported failed. There
    this process ignores Ctrl-C while it starts workers, which makes them ignore it for good (an
    attribute processes inherit, SetConsoleCtrlHandler(NULL, TRUE)); a Ctrl-C in those moments is
    lost, the next one stops the run.
    """
    if not hasattr(signal, "pthread_sigmask"):
        console = kernel32()
        if console is None or not console.SetConsoleCtrlHandler(None, True):
            yield
            return
        try:
            yield
        finally:
            console.SetConsoleCtrlHandler(None, False)
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _work(tasks: Sequence[Task]) -> list[Outcome]:
    """A worker's job: render a parcel of towns, one after the other."""
    render = _worker_render
    if _worker_error is not None:
        return [Outcome(TownResult(task.label, "failed", error=str(_worker_error), source=task.source))
                for task in tasks]
    assert render is not None, "the worker was not started by _start_worker"
    return [run_town(task, render) for task in tasks]


def parcel_size(towns: int, workers: int) -> int:
    """How many of ``towns`` still to do to send a worker at once: up to `_PARCEL`, while each worker
    gets `_PARCELS_EACH` parcels or more of them. A county's few dozen towns go one by one, and a
    larger batch's parcels shrink as it ends, so that the workers finish together."""
    return max(1, min(_PARCEL, towns // (workers * _PARCELS_EACH)))


def start_pool(factory: RendererFactory, template: Path, force: bool,
                workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, all of them starting now (the pool would start each one
    only when a town is submitted).

    On Linux, while this process runs no other thread, the workers are forked from it once it has
    built the renderer (imported docxtpl, compiled the template): they start with all of it, in
    milliseconds. Elsewhere (Windows, macOS), or with threads about, each worker is a fresh
    interpreter that imports and compiles for itself: about a second of each worker's start.
    """
    method = worker_start_method()
    if method == "fork":  # built here, once, the forked workers start with it; or the run stops
        _build_renderer(factory, template, force)
        method = worker_start_method()  # unless building it started a thread
    else:  # the template opens, or the run stops here rather than in every worker
        from docgen.render import open_template

        open_template(template)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=_start_worker,
                               initargs=(factory, template, force, method == "fork"))
    try:
        with _sigint_held():
            for _worker in range(workers):
                pool.submit(_started)
    except BrokenProcessPool:
        pass  # the towns submitted next fail with it
    except BaseException:  # a Ctrl-C held meanwhile: no pool left running
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return pool


def worker_start_method() -> str:
    """"fork" where it is safe and cheap (Linux, this process single-threaded), else "spawn"."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _started() -> None:
    """The task that makes the pool start a worker: nothing to do once it has started."""


def run_pool(todo: Sequence[Job], pool: ProcessPoolExecutor, workers: int, progress: Progress,
              restart: Callable[[int], ProcessPoolExecutor]) -> bool:
    """Render in the pool's processes, ``workers`` parcels of towns at a time (`parcel_size`);
    whether Ctrl-C stopped it. The pool, or the last one ``restart(workers)`` started after it, is
    shut down when this returns.

    Each worker has its next parcel handed over before it finishes the one it renders, so that it
    does not wait for this process between parcels. On Ctrl-C nothing more is handed over; the
    towns handed over finish (their writes are atomic).

    A worker that dies (a crash, the OOM killer) takes the pool down with the parcels in it. A
    parcel's towns are reported when it is done, so the towns of the parcels lost go again, one at a
    time in a pool of one worker, until one stops it again: that town fails, and the others go on in
    parcels in a full pool. A document of theirs written before the pool was lost is written anew
    (whole: writes are atomic); if Ctrl-C comes before, such a town is reported not done though its
    document is there. A temporary file a worker of the lost pool was writing is removed.
    """
    return _PoolRun(todo, pool, workers, progress, restart).run()


_RESTARTS = 16  # pools started after a worker died, at most: then the towns left fail


class _PoolRun:
    """The state of `run_pool`: the towns waiting, the parcels in the pool, the towns lost with a
    worker that died."""

    def __init__(self, todo: Sequence[Job], pool: ProcessPoolExecutor, workers: int,
                 progress: Progress, restart: Callable[[int], ProcessPoolExecutor]) -> None:
        self.pool, self.workers, self.progress, self.restart = pool, workers, progress, restart
        # each town with its task once it has one (a task takes the workbook's figures along: a town
        # that goes again needs its own)
        self.waiting: deque[tuple[Job, Task | None]] = deque((job, None) for job in todo)
        self.order = {id(job): i for i, job in enumerate(todo)}
        self.running: dict[Future[list[Outcome]], list[tuple[Job, Task]]] = {}
        self.handed: dict[Future[list[Outcome]], list[Job]] = {}  # for a Ctrl-C's count
        self.suspects: deque[tuple[Job, Task]] = deque()  # towns lost with a worker, to go alone
        self.probing = False  # whether the pool is one worker, rendering the suspects one by one
        self.starts = 0

    def run(self) -> bool:
        interrupted = False
        try:
            while self.waiting or self.suspects or self.running:
                self._hand_over()
                if not self.running:
                    continue  # the pool was lost as the towns were handed over
                # each worker's parcel, by its first town (the one it renders is not known here)
                self.progress.running([parcel[0][0].label for parcel in
                                       list(self.running.values())[:self.workers]])
                finished, _pending = wait(self.running, return_when=FIRST_COMPLETED)
                self._take(finished)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            try:
                self.pool.shutdown(wait=True, cancel_futures=True)
            except KeyboardInterrupt:  # a second Ctrl-C: the workers still finish their current file
                self.pool.shutdown(wait=False, cancel_futures=True)
                interrupted = True
        # a Ctrl-C may have come while a finished parcel's towns were being taken in: every town
        # whose document was written is on record as done, whatever it interrupted
        for future, jobs in self.handed.items():
            if future.done() and not future.cancelled():
                _take_in(future, jobs)
        return interrupted

    def _hand_over(self) -> None:
        """Fill the pool: parcels of the towns waiting, or the next suspect alone."""
        try:
            if self.probing:
                if self.suspects:
                    if not self.running:
                        self._submit([self.suspects.popleft()])
                    return
                # every suspect rendered alone: the worker's death was not theirs
                self.probing = False
                self.pool.shutdown(wait=True)  # its one worker: a full pool takes over
                if not self._new_pool(self.workers):
                    return
            while self.waiting and len(self.running) < _IN_FLIGHT * self.workers:
                size = parcel_size(len(self.waiting), self.workers)
                pairs = [self.waiting.popleft() for _job in range(min(size, len(self.waiting)))]
                self._submit([(job, task or job.task()) for job, task in pairs])
        except BrokenProcessPool:
            self._lost([])

    def _submit(self, parcel: list[tuple[Job, Task]]) -> None:
        try:
            with _sigint_held():  # a Ctrl-C meanwhile comes once the towns are on record
                future = self.pool.submit(_work, [task for _job, task in parcel])
                self.running[future] = parcel
                self.handed[future] = [job for job, _task in parcel]
        except BrokenProcessPool:
            (self.suspects if self.probing else self.waiting).extendleft(reversed(parcel))
            raise

    def _take(self, finished: set[Future[list[Outcome]]]) -> None:
        """Put the finished parcels' towns on record, in input order, or note the pool lost."""
        lost: list[tuple[Job, Task]] = []
        for future in sorted(finished, key=lambda f: self.order[id(self.running[f][0][0])]):
            parcel = self.running.pop(future)
            if isinstance(future.exception(), BrokenProcessPool):
                del self.handed[future]
                lost += parcel
                continue
            for job in _take_in(future, [job for job, _task in parcel]):
                assert job.result is not None
                self.progress.finished(job.result)
        if lost:
            self._lost(lost)

    def _lost(self, lost: list[tuple[Job, Task]]) -> None:
        """A worker died: the pool is broken, and every parcel in it lost."""
        for future, parcel in self.running.items():
            del self.handed[future]
            lost += parcel
        self.running.clear()
        lost.sort(key=lambda pair: self.order[id(pair[0])])
        # every process the pool started, the dead one too (a broken pool keeps them on record)
        pids = list(getattr(self.pool, "_processes", None) or ())
        self.pool.shutdown(wait=True, cancel_futures=True)
        remove_abandoned({job.target.parent for job, _task in lost if job.target is not None}, pids)
        if self.probing and len(lost) == 1:  # the pool's one worker died rendering this town alone
            self._fail(lost, _("the worker process stopped unexpectedly while rendering this town, "
                               "also when it was rendered alone"))
            self.waiting.extendleft(reversed(self.suspects))  # the others go on in parcels
            self.suspects.clear()
            self.probing = False
            self._new_pool(self.workers)
            return
        self.suspects.extendleft(reversed(lost))
        self.probing = True
        self._new_pool(1)

    def _new_pool(self, workers: int) -> bool:
        """Start a pool of ``workers`` and wait until each has started; whether they have (else the
        towns left fail, with why)."""
        self.starts += 1
        if self.starts > _RESTARTS:
            self._give_up(_stopped())
            return False
        try:
            self.pool = self.restart(workers)
            for started in [self.pool.submit(_started) for _worker in range(workers)]:
                started.result()
        except BrokenProcessPool:  # a worker of the new pool died as it started
            self._give_up(_stopped())
            return False
        except Exception as exc:  # no memory left to fork, the template gone meanwhile…
            self._give_up(_("the worker processes could not be started again: {reason}")
                          .format(reason=exc))
            return False
        return True

    def _give_up(self, error: str) -> None:
        """Fail the towns not done: the pool cannot be started again."""
        self._fail([*self.suspects, *self.waiting], error)
        self.suspects.clear()
        self.waiting.clear()

    def _fail(self, towns: Sequence[tuple[Job, Task | None]], error: str) -> None:
        for job, _task in sorted(towns, key=lambda pair: self.order[id(pair[0])]):
            self.progress.finished(job.fail(error))


def _take_in(future: Future[list[Outcome]], jobs: Sequence[Job]) -> list[Job]:
    """Put on record the outcomes of a finished parcel's towns not yet on record; return those towns."""
    taken = [(job, outcome) for job, outcome in zip(jobs, _results_of(future, jobs), strict=True)
             if job.result is None]
    for job, outcome in taken:
        finish(job, outcome)
    return [job for job, _outcome in taken]


def _results_of(future: Future[list[Outcome]], jobs: Sequence[Job]) -> list[Outcome]:
    try:
        return future.result()
    except BrokenProcessPool:
        return [Outcome(TownResult(job.label, "failed", error=_stopped(), source=job.source))
                for job in jobs]
    except Exception as exc:  # e.g. a town that cannot be sent to a worker: its parcel fails
        return [Outcome(TownResult(job.label, "failed", source=job.source, error=_(
            "unexpected error (a bug in docgen; please report it): {error}").format(error=repr(exc))))
            for job in jobs]


def _stopped() -> str:
    """Why a town lost with a worker that died fails, when it cannot go again."""
    return _("the worker process stopped unexpectedly")
