"""A process pool for CPU work (decoding, extraction, summarizing).

Threads would not do: extraction is pure-Python work that holds the GIL, and
the event loop must keep answering other chats while a long article is read.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)
# Modules a worker needs; the fork server imports them once so workers start warm.
_PRELOAD = ["bot.articles.pipeline", "bot.briefing.editions", "bot.news.feeds"]


def default_worker_count() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class WorkerPool:
    """Runs functions in worker processes; replaces the pool if a worker dies."""

    def __init__(self, workers: int = 0) -> None:
        self._workers = workers or default_worker_count()
        # numpy's BLAS starts threads of its own in every worker; on a small machine they
        # fight the other workers and the event loop (measured: 9k-word summaries went from
        # ~60 ms to up to 185 ms with one core busy). Workers inherit this from the server.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        # forkserver: workers fork from a clean single-threaded server process,
        # never from the bot's process with its loop and threads.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(_PRELOAD)
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self._workers, mp_context=self._context)

    @property
    def workers(self) -> int:
        return self._workers

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs:
            raise TypeError("WorkerPool.run takes positional arguments only")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, fn, *args)
        except BrokenProcessPool:
            log.warning("a worker process died; starting a new pool")
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()
            raise

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
