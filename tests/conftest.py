"""Shared fixtures: the fake Bot API, the local page server, and the running bot."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fakebotapi import FakeBotAPI
from pageserver import PageServer

from bot.settings import Settings
from handlers.app import build_application
from handlers.runner import serve

# PTB warns when it builds RetryAfter with an int unless told to use timedeltas; warnings
# are errors in this suite, and 429 handling is under test.
os.environ.setdefault("PTB_TIMEDELTA", "true")

pytest_plugins = ["storefixtures"]

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"


@pytest.fixture
def fake_api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as api:
        yield api


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    with PageServer(PAGES) as server:
        yield server


def make_settings(api: FakeBotAPI, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        # Never the packaged feed list in tests: its feeds are on the internet.
        "briefbot_feeds": FIXTURES / "briefing" / "feeds.toml",
        "telegram_bot_token": api.token,
        "telegram_api_url": api.url,
        "fetch_allow_private_networks": True,
        "fetch_deadline_seconds": 3.0,
        "worker_processes": 2,
        "log_level": "DEBUG",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[None]:
    """Run the real application (long polling against the fake) for the block's duration."""
    application = build_application(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(application, stop))
    try:
        # Started once the bot has registered its command menu (post_init done).
        for _ in range(500):
            if application.running or task.done():
                break
            await asyncio.sleep(0.01)
        if task.done():
            task.result()
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'briefbot.db'}"


@pytest.fixture
async def bot(fake_api: FakeBotAPI, sqlite_url: str) -> AsyncIterator[FakeBotAPI]:
    """The bot (on SQLite) running against the fake Bot API; tests talk to it through it."""
    async with running_bot(make_settings(fake_api, sqlite_url)):
        yield fake_api


@pytest.fixture
async def bot_on_each_database(
    fake_api: FakeBotAPI, database_url: str
) -> AsyncIterator[FakeBotAPI]:
    """The bot on SQLite and on PostgreSQL (``database_url`` is parametrized over both)."""
    async with running_bot(make_settings(fake_api, database_url)):
        yield fake_api
