"""Shared fixtures: the fake Bot API, the local page server, the running bot, and a PTB
bot for the fan-out's sender.

The helpers behind them live in ``tests/support``; database fixtures come from its
``storefixtures`` plugin.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram.ext import ExtBot

from handlers.sender import make_rate_limiter
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.pageserver import PageServer
from tests.support.paths import PAGES

# PTB warns when it builds RetryAfter with an int unless told to use timedeltas; warnings
# are errors in this suite, and 429 handling is under test.
os.environ.setdefault("PTB_TIMEDELTA", "true")

pytest_plugins = ["tests.support.storefixtures"]


@pytest.fixture
def fake_api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as api:
        yield api


@pytest.fixture(scope="session")
def page_server() -> Iterator[PageServer]:
    with PageServer(PAGES) as server:
        yield server


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


@pytest.fixture
async def telegram_bot(fake_api: FakeBotAPI) -> AsyncIterator[ExtBot[int]]:
    """A PTB bot on the fake Bot API, behind the delivery rate limiter."""
    bot: ExtBot[int] = ExtBot(
        fake_api.token, base_url=f"{fake_api.url}/bot", rate_limiter=make_rate_limiter(500)
    )
    async with bot:
        yield bot
