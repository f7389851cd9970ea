"""A worker pool that runs its work in the calling process, for store and edition tests
that need the stories built but no worker processes."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from bot.workers import WorkerPool

P = ParamSpec("P")
R = TypeVar("R")


class InlineWorkers(WorkerPool):
    """Runs the stories' build in this process: no worker processes in a store test."""

    def __init__(self) -> None:  # no process pool
        pass

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        return fn(*args, **kwargs)
