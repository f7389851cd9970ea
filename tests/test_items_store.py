"""The item repository, on SQLite and PostgreSQL: items stored once, windows, feed state."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.models import Provenance, Topic
from bot.store.database import Database
from bot.store.items import ItemRow, ItemStore, SummaryStatus
from bot.store.schema import items

NOW = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
FEED = "https://en.yna.co.kr/RSS/nk.xml"


def item(url: str, *, hours_ago: float = 1.0, **changes: object) -> ItemRow:
    row = ItemRow(
        url=url,
        feed_url=FEED,
        feed_name="Yonhap — North Korea",
        source="Yonhap",
        language="en",
        provenance=Provenance.WIRE,
        weight=1.2,
        title=f"Title of {url}",
        excerpt=f"Excerpt of {url}.",
        published_at=NOW - timedelta(hours=hours_ago),
        fetched_at=NOW,
        relevance=8.5,
        relevant=True,
        topics=(Topic.SECURITY, Topic.DIPLOMACY),
        summary_status=SummaryStatus.PENDING,
    )
    return replace(row, **changes)  # type: ignore[arg-type]


@pytest.fixture
def store(database: Database) -> ItemStore:
    return ItemStore(database)


# ── Items ─────────────────────────────────────────────────────────────────────


async def test_add_items_counts_only_new_urls(store: ItemStore) -> None:
    first = await store.add_items([item("https://a.example/1"), item("https://a.example/2")])
    again = await store.add_items([item("https://a.example/2"), item("https://a.example/3")])

    assert (first, again) == (2, 1)
    known = await store.known_urls(["https://a.example/1", "https://a.example/3", "https://x/"])
    assert known == {"https://a.example/1", "https://a.example/3"}


async def test_an_item_stored_again_keeps_its_first_version(store: ItemStore) -> None:
    await store.add_items([item("https://a.example/1", title="First")])
    await store.add_items([item("https://a.example/1", title="Second")])

    [news] = await store.latest_relevant(10)
    assert news.title == "First"


async def test_many_items_at_once(store: ItemStore) -> None:
    rows = [item(f"https://a.example/{n}", hours_ago=n / 100) for n in range(1_200)]

    assert await store.add_items(rows) == 1_200
    assert len(await store.known_urls(row.url for row in rows)) == 1_200


async def test_recent_relevant_is_the_window_since_exclusive_until_inclusive(
    store: ItemStore,
) -> None:
    await store.add_items(
        [
            item("https://a.example/at-since", hours_ago=24),
            item("https://a.example/inside", hours_ago=23),
            item("https://a.example/at-until", hours_ago=0),
            item("https://a.example/noise", hours_ago=2, relevant=False, topics=()),
            item("https://a.example/old", hours_ago=30),
        ]
    )

    recent = await store.recent_relevant(NOW - timedelta(hours=24), NOW)

    assert [news.url for news in recent] == [
        "https://a.example/at-until",
        "https://a.example/inside",
    ]


async def test_news_item_carries_the_stored_fields(store: ItemStore) -> None:
    await store.add_items([item("https://a.example/1", hours_ago=3)])

    [news] = await store.recent_relevant(NOW - timedelta(days=1), NOW)

    assert news.published == NOW - timedelta(hours=3)
    assert news.published.tzinfo is not None and news.published.utcoffset() == timedelta(0)
    assert news.topics == (Topic.SECURITY, Topic.DIPLOMACY)
    assert news.provenance is Provenance.WIRE
    assert (news.source, news.feed_name, news.language) == ("Yonhap", "Yonhap — North Korea", "en")
    assert (news.relevance, news.weight) == (8.5, 1.2)


async def test_an_item_keeps_its_topics_strongest_first(
    store: ItemStore, database: Database
) -> None:
    # The relevance model ranked Politics above Security: the story is filed by that, so
    # reading the item back must not put Security first because the enum lists it first.
    ranked = (Topic.POLITICS, Topic.SECURITY, Topic.DIPLOMACY)
    await store.add_items([item("https://a.example/ranked", topics=ranked)])
    # An item stored before the order was kept: its topics in the enum's order, as before.
    await store.add_items([item("https://a.example/old", topics=ranked)])
    async with database.transaction() as connection:
        await connection.execute(
            update(items).where(items.c.url == "https://a.example/old").values(topic_order=None)
        )

    found = {news.url: news.topics for news in await store.latest_relevant(10)}

    assert found["https://a.example/ranked"] == ranked
    assert found["https://a.example/old"] == (Topic.SECURITY, Topic.DIPLOMACY, Topic.POLITICS)


async def test_summary_is_the_article_summary_when_done_else_the_excerpt(
    store: ItemStore,
) -> None:
    await store.add_items([item("https://a.example/done"), item("https://a.example/failed")])
    await store.set_summary("https://a.example/done", "One. Two.", SummaryStatus.DONE)
    await store.set_summary("https://a.example/failed", None, SummaryStatus.FAILED)

    summaries = {news.url: news.summary for news in await store.latest_relevant(10)}

    assert summaries == {
        "https://a.example/done": "One. Two.",
        "https://a.example/failed": "Excerpt of https://a.example/failed.",
    }


async def test_pending_summaries_are_relevant_pending_items_newest_first(
    store: ItemStore,
) -> None:
    await store.add_items(
        [
            item("https://a.example/older", hours_ago=5),
            item("https://a.example/newer", hours_ago=1),
            item("https://a.example/newest-done", hours_ago=0.5),
            item("https://a.example/full-text", summary_status=SummaryStatus.SKIPPED),
            item("https://a.example/noise", relevant=False, summary_status=SummaryStatus.SKIPPED),
        ]
    )
    await store.set_summary("https://a.example/newest-done", "Done.", SummaryStatus.DONE)

    pending = await store.pending_summaries(limit=10)
    assert [p.url for p in pending] == ["https://a.example/newer", "https://a.example/older"]
    assert [p.url for p in await store.pending_summaries(limit=1)] == ["https://a.example/newer"]


async def test_latest_relevant_is_limited_and_newest_first(store: ItemStore) -> None:
    await store.add_items([item(f"https://a.example/{n}", hours_ago=n) for n in range(5)])

    latest = await store.latest_relevant(2)

    assert [news.url for news in latest] == ["https://a.example/0", "https://a.example/1"]


async def test_prune_deletes_items_published_before_the_horizon(store: ItemStore) -> None:
    await store.add_items(
        [
            item("https://a.example/old", hours_ago=15 * 24),
            item("https://a.example/recent", hours_ago=2),
            item("https://a.example/old-noise", hours_ago=20 * 24, relevant=False),
        ]
    )

    assert await store.prune(NOW - timedelta(days=14)) == 2
    assert await store.known_urls(["https://a.example/old", "https://a.example/recent"]) == {
        "https://a.example/recent"
    }


# ── Feed state ────────────────────────────────────────────────────────────────


async def test_success_records_validators_and_counts_items(store: ItemStore) -> None:
    modified = "Fri, 27 Nov 2026 12:00:00 GMT"
    await store.record_success(
        FEED, "Yonhap", etag='"v1"', last_modified=modified, new_items=5, now=NOW
    )
    later = NOW + timedelta(minutes=15)
    await store.record_success(
        FEED, "Yonhap", etag='"v2"', last_modified=None, new_items=3, now=later
    )

    state = (await store.feed_states())[FEED]
    assert (state.etag, state.last_modified) == ('"v2"', None)
    assert (state.consecutive_failures, state.next_attempt_at) == (0, None)
    [health] = await store.feed_health()
    assert (health.items_total, health.last_new_items) == (8, 3)
    assert health.last_success_at == later
    assert not health.failing


async def test_failures_are_counted_with_kind_and_retry_time(store: ItemStore) -> None:
    await store.record_success(
        FEED, "Yonhap", etag='"v1"', last_modified=None, new_items=4, now=NOW
    )
    for n in (1, 2):
        await store.record_failure(
            FEED,
            "Yonhap",
            kind="http_5xx",
            message=f"HTTP 50{n}",
            now=NOW + timedelta(hours=n),
            retry_at=NOW + timedelta(hours=n, minutes=15 * n),
        )

    [health] = await store.feed_health()
    assert health.failing
    assert (health.consecutive_failures, health.error_kind, health.last_error) == (
        2,
        "http_5xx",
        "HTTP 502",
    )
    assert health.next_attempt_at == NOW + timedelta(hours=2, minutes=30)
    assert health.last_success_at == NOW
    assert health.items_total == 4
    assert (await store.feed_states())[FEED].etag == '"v1"', "validators survive a failure"


async def test_success_after_failures_clears_the_error(store: ItemStore) -> None:
    await store.record_failure(
        FEED, "Yonhap", kind="timeout", message="timed out", now=NOW, retry_at=NOW + timedelta(1)
    )
    await store.record_success(FEED, "Yonhap", etag=None, last_modified=None, new_items=0, now=NOW)

    [health] = await store.feed_health()
    assert (health.consecutive_failures, health.error_kind, health.last_error) == (0, None, None)
    assert health.next_attempt_at is None


async def test_first_failure_creates_the_feed_row(store: ItemStore) -> None:
    await store.record_failure(
        FEED, "Yonhap", kind="dns", message="x" * 2_000, now=NOW, retry_at=NOW
    )

    [health] = await store.feed_health()
    assert (health.name, health.consecutive_failures, health.last_success_at) == ("Yonhap", 1, None)
    assert health.last_error is not None and len(health.last_error) <= 500


async def test_feed_health_can_be_limited_to_configured_feeds(store: ItemStore) -> None:
    for url, name in ((FEED, "B feed"), ("https://gone.example/rss", "A gone")):
        await store.record_success(url, name, etag=None, last_modified=None, new_items=1, now=NOW)

    assert [h.name for h in await store.feed_health()] == ["A gone", "B feed"]
    assert [h.name for h in await store.feed_health([FEED])] == ["B feed"]
