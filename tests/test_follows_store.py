"""The follow repository on SQLite and PostgreSQL: the limit per chat, removal, and the send
log that sends a story to a chat once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import TooManyFollows
from bot.models import DeactivationReason
from bot.store import Database, SubscriberStore
from bot.store.follows import FollowStore

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
READER = 5_123_456_789
OTHER = 5_123_456_790
LIMIT = 20


@pytest.fixture
async def store(database: Database) -> FollowStore:
    subscribers = SubscriberStore(database, clock=lambda: NOW)
    for chat_id in (READER, OTHER):
        await subscribers.ensure_chat(chat_id, chat_type="private", title="", language="ko")
    return FollowStore(database)


async def test_a_chat_follows_at_most_twenty_things(store: FollowStore) -> None:
    for n in range(LIMIT):
        _, created = await store.add(READER, f"term{n}", f"Term {n}", limit=LIMIT, now=NOW)
        assert created
    with pytest.raises(TooManyFollows):
        await store.add(READER, "one more", "one more", limit=LIMIT, now=NOW)
    # Following one of them again is not a new follow; another chat has its own twenty.
    again, created = await store.add(READER, "term3", "TERM 3", limit=LIMIT, now=NOW)
    assert not created and again.label == "Term 3"
    _, created = await store.add(OTHER, "term0", "term0", limit=LIMIT, now=NOW)
    assert created
    assert len(await store.of_chat(READER)) == LIMIT


async def test_concurrent_follows_cannot_pass_the_limit(store: FollowStore) -> None:
    for n in range(LIMIT - 1):
        await store.add(READER, f"term{n}", f"term{n}", limit=LIMIT, now=NOW)
    results = await asyncio.gather(
        *(store.add(READER, f"last{n}", f"last{n}", limit=LIMIT, now=NOW) for n in range(4)),
        return_exceptions=True,
    )
    assert sum(not isinstance(result, BaseException) for result in results) == 1
    assert all(isinstance(r, TooManyFollows) for r in results if isinstance(r, BaseException))
    assert len(await store.of_chat(READER)) == LIMIT


async def test_removing_by_key_or_by_id(store: FollowStore) -> None:
    first, _ = await store.add(READER, "김여정", "김여정", limit=LIMIT, now=NOW)
    second, _ = await store.add(READER, '"kim jong un"', "Kim Jong Un", limit=LIMIT, now=NOW)
    assert await store.remove_id(OTHER, first.id) is None  # not that chat's
    removed = await store.remove_id(READER, first.id)
    assert removed is not None and removed.label == "김여정"
    assert await store.remove(READER, "김여정") is None
    assert await store.remove(READER, '"kim jong un"') == second
    assert await store.of_chat(READER) == []


async def test_a_story_is_claimed_once_per_chat(store: FollowStore) -> None:
    urls = ["https://a.example/1", "https://b.example/2"]
    assert await store.claim_story(READER, urls[0], urls, ["김여정"], NOW)
    assert not await store.claim_story(READER, urls[0], urls, ["김여정"], NOW)
    assert await store.claim_story(OTHER, urls[0], urls, ["김여정"], NOW)
    assert await store.sent_stories(READER) == [urls[0]]


async def test_a_story_whose_key_changed_is_still_recognised(store: FollowStore) -> None:
    # An earlier-dated item joined the story: its key is now that item's URL.
    assert await store.claim_story(READER, "https://b.example/2", ["https://b.example/2"], [], NOW)
    later = ["https://a.example/0", "https://b.example/2", "https://c.example/3"]
    assert not await store.claim_story(READER, "https://a.example/0", later, [], NOW)


async def test_a_released_claim_can_be_claimed_again(store: FollowStore) -> None:
    assert await store.claim_story(READER, "https://a.example/1", [], [], NOW)
    await store.release_story(READER, "https://a.example/1")
    assert await store.claim_story(READER, "https://a.example/1", [], [], NOW)


async def test_old_sends_are_pruned(store: FollowStore) -> None:
    await store.claim_story(READER, "https://a.example/old", [], [], NOW - timedelta(days=20))
    await store.claim_story(READER, "https://a.example/new", [], [], NOW)
    assert await store.prune_sent(NOW - timedelta(days=15)) == 1
    assert await store.sent_stories(READER) == ["https://a.example/new"]


async def test_unreachable_chats_get_no_follows_until_they_follow_again(
    database: Database, store: FollowStore
) -> None:
    subscribers = SubscriberStore(database, clock=lambda: NOW)
    await store.add(READER, "김여정", "김여정", limit=LIMIT, now=NOW)
    await store.add(OTHER, "합참", "합참", limit=LIMIT, now=NOW)
    await subscribers.deactivate(READER, DeactivationReason.BLOCKED, NOW)
    await subscribers.deactivate(OTHER, DeactivationReason.UNSUBSCRIBED, NOW)
    assert [f.follow.chat_id for f in await store.active()] == [OTHER]
    await store.add(READER, "jcs", "JCS", limit=LIMIT, now=NOW)  # they are back
    assert {f.follow.chat_id for f in await store.active()} == {READER, OTHER}


async def test_forgetting_a_chat_deletes_its_follows_and_sends(
    database: Database, store: FollowStore
) -> None:
    await store.add(READER, "김여정", "김여정", limit=LIMIT, now=NOW)
    await store.claim_story(READER, "https://a.example/1", [], ["김여정"], NOW)
    assert await SubscriberStore(database).forget(READER)
    assert await store.of_chat(READER) == []
    assert await store.sent_stories(READER) == []
