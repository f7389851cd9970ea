"""Counts agree with their nouns in what readers see: /sources for a feed with one item and
one with two, in English and in Korean (counter words), through the fake Bot API."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.news.feedlist import load_feed_list
from bot.store.database import Database
from bot.store.items import ItemStore
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.paths import FIXTURES

READER = 9301
FEEDS = """
[[feeds]]
name = "Single Wire"
url = "file:single.xml"
language = "en"
provenance = "wire"

[[feeds]]
name = "Double Wire"
url = "file:double.xml"
language = "en"
provenance = "wire"
"""


@pytest.fixture
def feed_list(tmp_path: Path) -> Path:
    """Two item-less feeds (the bot's own poll adds nothing to their counts)."""
    for name in ("single.xml", "double.xml"):
        shutil.copy(FIXTURES / "bot" / "quiet.xml", tmp_path / name)
    path = tmp_path / "feeds.toml"
    path.write_text(FEEDS, encoding="utf-8")
    return path


@pytest.fixture
async def sources_bot(
    fake_api: FakeBotAPI, sqlite_url: str, feed_list: Path
) -> AsyncIterator[FakeBotAPI]:
    database = Database(sqlite_url)
    await database.open()
    try:
        items = ItemStore(database)
        now = dt.datetime.now(dt.UTC)
        for feed, count in zip(load_feed_list(feed_list), (1, 2), strict=True):
            await items.record_success(
                feed.url, feed.name, etag=None, last_modified=None, new_items=count, now=now
            )
        async with running_bot(make_settings(fake_api, sqlite_url, briefbot_feeds=feed_list)):
            yield fake_api
    finally:
        await database.close()


@pytest.mark.parametrize(
    ("language_code", "one", "two"),
    [("en", "; 1 item", "; 2 items"), ("ko", "기사 1건", "기사 2건")],
)
async def test_sources_count_one_item_and_two_items(
    sources_bot: FakeBotAPI, language_code: str, one: str, two: str
) -> None:
    sources_bot.user_says(READER, "/sources", language_code=language_code)
    [reply] = await sources_bot.wait_for_messages(READER)
    lines = reply.plain_text.splitlines()
    [single] = [line for line in lines if "Single Wire" in line]
    [double] = [line for line in lines if "Double Wire" in line]
    assert single.endswith(one) and double.endswith(two)
