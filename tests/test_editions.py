"""Editions compose a delivery once for readers with the same settings due at the same
minute (a paid broadcast composes for a thousand readers a second), and never serve
messages composed from stories that were rebuilt since."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.briefing.editions import Editions
from bot.briefing.render import render_briefing_pages
from bot.i18n import Catalog
from bot.models import ALL_TOPICS, Language, Subscriber, SummaryLength
from bot.store.database import Database
from bot.store.items import ItemStore
from tests.support.newsitems import stored_item
from tests.support.workers import InlineWorkers

NOW = datetime(2026, 12, 5, 22, 30, tzinfo=UTC)  # 07:30 in Seoul


def reader(chat_id: int, language: Language = Language.EN) -> Subscriber:
    return Subscriber(
        chat_id=chat_id,
        chat_type="private",
        title="",
        language=language,
        timezone="Asia/Seoul",
        delivery_time=time(7, 30),
        topics=ALL_TOPICS,
        summary_length=SummaryLength.STANDARD,
        subscribed=True,
        next_delivery_at=NOW,
        added_by=None,
        created_at=NOW,
        updated_at=NOW,
        deactivated_at=None,
        deactivated_reason=None,
    )


def launch(name: str, at: datetime, title: str) -> Any:
    return stored_item(
        f"https://yna.example/{name}",
        title,
        published_at=at,
        fetched_at=at,
        source="Yonhap",
        excerpt=f"{title}, officials said on Saturday.",
    )


async def test_readers_with_the_same_settings_share_one_composition(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = ItemStore(database)
    await items.add_items(
        [launch("1", NOW - timedelta(hours=1), "North Korea fires ballistic missile")]
    )
    editions = Editions(items, InlineWorkers(), Catalog.load())
    renders: list[str] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        renders.append(args[0].language)
        return render_briefing_pages(*args, **kwargs)

    monkeypatch.setattr("bot.briefing.editions.render_briefing_pages", counting)

    first = await editions.delivery(reader(1), NOW)
    second = await editions.delivery(reader(2), NOW)
    korean = await editions.delivery(reader(3, Language.KO), NOW)

    assert first == second and "North Korea fires ballistic missile" in first[0].text
    assert korean != first
    assert renders == ["en", "ko"]


async def test_a_rebuild_of_the_stories_is_never_served_stale(database: Database) -> None:
    items = ItemStore(database)
    await items.add_items(
        [launch("1", NOW - timedelta(hours=2), "North Korea fires ballistic missile")]
    )
    editions = Editions(items, InlineWorkers(), Catalog.load())
    before = await editions.delivery(reader(1), NOW)

    await items.add_items(
        [launch("2", NOW - timedelta(hours=1), "Kim Yo Jong warns Seoul over leaflets")]
    )
    editions.invalidate()
    after = await editions.delivery(dataclasses.replace(reader(2)), NOW)

    assert "Kim Yo Jong" not in before[0].text
    assert "Kim Yo Jong" in after[0].text
