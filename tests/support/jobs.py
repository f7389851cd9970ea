"""Jobs for worker-pool tests: module-level, so worker processes can import them."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def echo(value: object) -> object:
    return value


def worker_pid() -> int:
    return os.getpid()


def spin_forever(started: Path | None = None) -> None:
    """Burn CPU until stopped, like a page or feed that hits a quadratic path.

    ``started``, if given, is created first: the test knows the job is running."""
    if started is not None:
        started.touch()
    while True:
        pass


def fail(message: str) -> None:
    raise ValueError(message)


def die() -> None:
    """The worker process is killed under the job (as by the out-of-memory killer)."""
    os.kill(os.getpid(), signal.SIGKILL)


def niceness() -> int:
    """The calling process's niceness (``os.nice(0)`` changes nothing and returns it)."""
    return os.nice(0)
