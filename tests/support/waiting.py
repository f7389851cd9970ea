"""Waiting for what the bot does concurrently: a condition, polled until it holds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from tests.support.fakebotapi import PATIENCE


async def eventually(
    check: Callable[[], Awaitable[bool]],
    what: str,
    timeout: float = PATIENCE,  # noqa: ASYNC109 - a plain timeout keeps test code short
) -> None:
    """Await until the async ``check()`` holds; AssertionError naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        if await check():
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.05)
