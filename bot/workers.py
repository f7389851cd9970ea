"""Worker processes for CPU work (decoding, extraction, summarizing, feed parsing).

Threads would not do: extraction is pure-Python work that holds the GIL, and
the event loop must keep answering other chats while a long article is read.

Every job has a deadline. ``ProcessPoolExecutor`` cannot keep one: its workers take
jobs from a shared queue, so a timeout only stops the waiting while the worker burns
on, and killing a worker breaks the whole pool with every job in it. Here each worker
runs one job at a time, sent over its own pipe: a job past its deadline is stopped by
killing its worker alone (the caller gets ``WorkTimeout``), and the jobs on the other
workers go on. A killed or crashed worker is replaced when the next job needs one,
forked from a server that has imported the pipeline already, so it starts warm.

The bot calls ``start`` before it takes its first update: starting the fork server
imports the whole pipeline (seconds on a busy machine), and done on first use it would
make that first reader wait. Workers lower their own CPU priority, so on a small machine
the event loop (and with it every chat's reply) runs first and summaries take what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import traceback
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from bot.errors import WorkerCrashed, WorkTimeout

if TYPE_CHECKING:
    from bot.settings import Settings

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)
# Modules a worker needs; the fork server imports them once so workers start warm.
_PRELOAD = ["bot.articles.pipeline", "bot.briefing.editions", "bot.news.feeds"]
DEFAULT_DEADLINE = 30.0
"""Seconds a job may run (WORKER_JOB_DEADLINE_SECONDS)."""
_EXIT_GRACE = 5.0
"""Seconds an idle worker has to exit at ``close`` before it is killed."""
WORKER_NICENESS = 10
"""Added to a worker's niceness (WORKER_NICENESS): the scheduler weighs it ~10x below the
loop; 19 makes that ~70x, and on a machine shared with busy programs starves summaries."""


def default_worker_count() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class WorkerPool:
    """Runs functions in worker processes, each call within ``deadline`` seconds.

    Safe to use from one event loop at a time (tests use one pool across their loops).
    """

    def __init__(
        self,
        workers: int = 0,
        *,
        deadline: float = DEFAULT_DEADLINE,
        niceness: int = WORKER_NICENESS,
    ) -> None:
        if deadline <= 0:
            raise ValueError("deadline must be positive")
        self._size = workers or default_worker_count()
        self._deadline = deadline
        self._niceness = niceness
        # numpy's BLAS starts threads of its own in every worker; on a small machine they
        # fight the other workers and the event loop (measured: 9k-word summaries went from
        # ~60 ms to up to 185 ms with one core busy). Workers inherit this from the server.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        # forkserver: workers fork from a clean single-threaded server process,
        # never from the bot's process with its loop and threads.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(_PRELOAD)
        self._idle: list[_Worker] = []
        self._live: set[_Worker] = set()
        self._starting = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._dead: list[BaseProcess] = []
        self._closed = False

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerPool:
        return cls(
            settings.worker_processes,
            deadline=settings.worker_job_deadline_seconds,
            niceness=settings.worker_niceness,
        )

    @property
    def workers(self) -> int:
        return self._size

    @property
    def deadline(self) -> float:
        return self._deadline

    @property
    def niceness(self) -> int:
        """Added to each worker's niceness when it starts."""
        return self._niceness

    @property
    def running(self) -> int:
        """Worker processes alive now (idle or busy)."""
        return len(self._live)

    async def start(self) -> None:
        """Start every worker now, off the event loop, so no job waits for one to start."""
        missing = self._size - len(self._live) - self._starting
        if missing <= 0 or self._closed:
            return
        self._starting += missing
        try:
            dead, self._dead = self._dead, []
            started = await asyncio.to_thread(self._spawn_many, dead, missing)
        finally:
            self._starting -= missing
        if self._closed:
            self._dead.extend(worker.kill() for worker in started)
            return
        self._live.update(started)
        self._idle.extend(started)
        for _ in started:
            self._wake_one()

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """``fn(*args)`` in a worker process: its result, or what it raised.

        ``fn`` must be importable by the worker (a module-level function, or a
        ``functools.partial`` of one); arguments and result must pickle. Raises
        ``WorkTimeout`` once the job has run ``deadline`` seconds (time spent waiting
        for a free worker does not count) and ``WorkerCrashed`` if the worker died;
        either way that worker is replaced. Cancelling the call stops the job too.
        """
        if kwargs:
            raise TypeError("WorkerPool.run takes positional arguments only")
        job = ForkingPickler.dumps((fn, args))  # a job that does not pickle fails here, alone
        worker = await self._acquire()
        healthy = False
        try:
            ok, value = await worker.call(job, self._deadline)
        except TimeoutError:
            log.warning("%s ran past %g s; stopping its worker", _describe(fn), self._deadline)
            raise WorkTimeout(f"{_describe(fn)} ran past {self._deadline:g} s") from None
        except (EOFError, OSError) as exc:
            log.warning("a worker process died running %s; starting a new one", _describe(fn))
            raise WorkerCrashed(f"the worker running {_describe(fn)} died") from exc
        else:
            healthy = True
        finally:
            self._release(worker, healthy)
        if ok:
            return cast(R, value)
        raise value  # as raised in the worker, with the worker's traceback as its cause

    def close(self) -> None:
        """Stop every worker (blocking: call it in a thread from async code)."""
        self._closed = True
        idle, self._idle = self._idle, []
        for worker in self._live - set(idle):  # jobs still running: nobody will want them
            self._dead.append(worker.kill())
        self._live.clear()
        for worker in idle:
            worker.conn.close()  # the worker sees the end of its input and exits
        for worker in idle:
            worker.process.join(_EXIT_GRACE)
            if worker.process.exitcode is None:
                self._dead.append(worker.kill())
        dead, self._dead = self._dead, []
        _reap(dead)

    async def _acquire(self) -> _Worker:
        while True:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            while self._idle:
                worker = self._idle.pop()
                if worker.process.is_alive():
                    return worker
                self._live.discard(worker)  # died while idle (out of memory, killed)
                self._dead.append(worker.kill())
            if len(self._live) + self._starting < self._size:
                return await self._start_worker()
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake_one()  # our turn came as we were cancelled: pass it on
                raise
            finally:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)

    async def _start_worker(self) -> _Worker:
        self._starting += 1
        try:
            # Starting a process blocks (the first start also starts the fork server).
            dead, self._dead = self._dead, []
            worker = await asyncio.to_thread(self._spawn, dead)
        finally:
            self._starting -= 1
            self._wake_one()  # on failure, a waiter may try in our stead
        if self._closed:
            self._dead.append(worker.kill())
            raise RuntimeError("the worker pool is closed")
        self._live.add(worker)
        return worker

    def _spawn_many(self, dead: list[BaseProcess], count: int) -> list[_Worker]:
        started: list[_Worker] = []
        try:
            for _ in range(count):
                started.append(self._spawn(dead if not started else []))
        except BaseException:
            _reap([worker.kill() for worker in started])
            raise
        return started

    def _spawn(self, dead: list[BaseProcess]) -> _Worker:
        _reap(dead)
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(theirs, self._niceness), name="briefbot-worker", daemon=True
        )
        process.start()
        theirs.close()  # the worker's end lives in the worker only: its death reads as EOF
        return _Worker(process, ours)

    def _release(self, worker: _Worker, healthy: bool) -> None:
        if healthy and not self._closed:
            self._idle.append(worker)
        else:
            self._live.discard(worker)
            self._dead.append(worker.kill())
        self._wake_one()

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return


def _reap(processes: list[BaseProcess]) -> None:
    """Collect the exit status of killed workers (gone already, or about to be)."""
    for process in processes:
        process.join(_EXIT_GRACE)


class _Worker:
    """The parent's side of one worker process: the process and its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    async def call(self, job: memoryview, deadline: float) -> tuple[bool, Any]:
        """``(True, result)`` or ``(False, exception)`` of the pickled ``(fn, args)``; raises
        ``TimeoutError`` past ``deadline``, ``EOFError``/``OSError`` if the worker died."""
        loop = asyncio.get_running_loop()
        self.conn.send_bytes(job)  # the worker is idle, reading: this does not wait long
        answered = loop.create_future()
        loop.add_reader(self.conn.fileno(), _set_done, answered)
        try:
            async with asyncio.timeout(deadline):
                await answered
        finally:
            loop.remove_reader(self.conn.fileno())
        ok, value, remote_traceback = self.conn.recv()
        if not ok:
            value.__cause__ = _RemoteTraceback(remote_traceback)
        return ok, value

    def kill(self) -> BaseProcess:
        """Stop the worker at once, whatever it is doing; returns the process to reap."""
        with contextlib.suppress(ValueError):  # already closed
            self.process.kill()
        self.conn.close()
        return self.process


def _set_done(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class _RemoteTraceback(Exception):
    """Where in the worker the job's exception was raised (shown as its cause)."""

    def __str__(self) -> str:
        return str(self.args[0])


def _describe(fn: Callable[..., Any]) -> str:
    inner = getattr(fn, "func", fn)  # functools.partial
    return f"{getattr(inner, '__module__', '?')}.{getattr(inner, '__qualname__', repr(inner))}"


# ── In the worker process ─────────────────────────────────────────────────────


def _serve(conn: Connection, niceness: int) -> None:
    """A worker's life: run each job that arrives on ``conn`` and send back its outcome."""
    # Ctrl-C in a terminal reaches the whole process group; the bot decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Replies first: the event loop outranks summarizing whenever both want a core.
    if niceness:
        with contextlib.suppress(OSError):  # a system that refuses: full speed, same results
            os.nice(niceness)
    while True:
        try:
            job = conn.recv_bytes()
        except EOFError:
            return
        try:
            fn, args = ForkingPickler.loads(job)
            outcome: tuple[bool, Any, str] = (True, fn(*args), "")
        except BaseException as exc:  # the caller's to handle, as if raised in its process
            outcome = (False, exc, "".join(traceback.format_exception(exc)))
        try:
            conn.send(outcome)
        except Exception as exc:  # the result or the exception does not pickle
            problem = TypeError(f"the job's outcome could not be sent back: {exc!r}")
            conn.send((False, problem, "".join(traceback.format_exception(exc))))
