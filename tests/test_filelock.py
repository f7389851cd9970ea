"""One bot per SQLite file: a second one, in another process or this one, is refused
with a clear error instead of sharing the file."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.errors import DatabaseInUse
from bot.store.database import Database


async def test_a_second_exclusive_open_of_the_file_is_refused_until_the_first_closes(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'briefbot.db'}"
    first, second = Database(url), Database(url)
    await first.open(exclusive=True)
    try:
        with pytest.raises(DatabaseInUse, match="SQLite serves one instance"):
            await second.open(exclusive=True)
    finally:
        await first.close()
    await second.open(exclusive=True)  # the first one's lock went with it
    await second.close()


async def test_tools_that_open_the_file_without_exclusive_still_work(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'briefbot.db'}"
    async with Database(url) as running:
        await running.close()
        await running.open(exclusive=True)
        async with Database(url) as tool:  # e.g. `briefbot db upgrade` or `briefbot briefing`
            assert await tool.revision() == await running.revision()


def test_a_bot_in_another_process_is_named_in_the_refusal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'briefbot.db'}"
    holder = textwrap.dedent(
        f"""
        import asyncio, sys
        from bot.store.database import Database

        async def main() -> None:
            database = Database({url!r})
            await database.open(exclusive=True)
            print("holding", flush=True)
            sys.stdin.readline()
            await database.close()

        asyncio.run(main())
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        try:
            assert process.stdout.readline().strip() == "holding"
            with pytest.raises(DatabaseInUse, match=rf"pid {process.pid}\b"):
                asyncio.run(open_exclusively(url))
        finally:
            process.stdin.close()
            process.wait(timeout=60)
    asyncio.run(open_exclusively(url))  # free again once that process has gone


async def open_exclusively(url: str) -> None:
    database = Database(url)
    await database.open(exclusive=True)
    await database.close()
