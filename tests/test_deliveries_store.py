"""The delivery log on SQLite and PostgreSQL: claims, outcomes, advancing, group commit."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.store import Database, SubscriberStore
from bot.store.deliveries import DeliveryStatus, DeliveryStore

NOW = datetime(2025, 6, 2, 6, 0, tzinfo=UTC)
SCHEDULED = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # 07:00 UTC, the reader's time
EDITION = date(2025, 6, 2)
SENT_AT = SCHEDULED + timedelta(seconds=20)
TOMORROW = SCHEDULED + timedelta(days=1)
READER = 5_123_456_789


@pytest.fixture
def subscribers(database: Database) -> SubscriberStore:
    return SubscriberStore(database, clock=lambda: NOW)


@pytest.fixture
def log(database: Database) -> DeliveryStore:
    return DeliveryStore(database)


async def subscribe(subscribers: SubscriberStore, chat_id: int = READER) -> None:
    settings, _ = await subscribers.subscribe(
        chat_id,
        chat_type="private",
        title="Reader",
        language="en",
        timezone="UTC",
        delivery_time=time(7),
        now=NOW,
    )
    assert settings.next_delivery_at == SCHEDULED


async def next_delivery(subscribers: SubscriberStore, chat_id: int = READER) -> datetime | None:
    settings = await subscribers.get(chat_id)
    assert settings is not None
    return settings.next_delivery_at


# ---------------------------------------------------------------------------- claims


async def test_the_first_claim_is_ours_and_later_ones_see_it(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    first = await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    again = await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    assert first.ours and first.delivery is not None
    assert first.delivery.status is DeliveryStatus.SENDING
    assert (first.delivery.attempts, first.delivery.messages_sent) == (1, 0)
    assert first.delivery.scheduled_for == SCHEDULED
    assert not again.ours
    assert again.delivery == first.delivery


async def test_concurrent_claims_of_one_edition_make_one_owner(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    claims = await asyncio.gather(
        *(
            log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
            for _ in range(10)
        )
    )
    assert sum(claim.ours for claim in claims) == 1


async def test_two_instances_claiming_many_chats_at_once_own_each_once(
    database: Database, subscribers: SubscriberStore
) -> None:
    # Each instance's concurrent claims go in one transaction; two instances taking the
    # same chats in opposite orders must neither deadlock nor both own a chat.
    readers = list(range(READER, READER + 12))
    for chat_id in readers:
        await subscribe(subscribers, chat_id)
    other = Database(database.url)
    await other.open(migrate=False)
    try:
        logs = [DeliveryStore(database), DeliveryStore(other)]
        orders = [readers, readers[::-1]]
        claims = await asyncio.gather(
            *(
                log.claim(chat_id, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
                for log, order in zip(logs, orders, strict=True)
                for chat_id in order
            )
        )
    finally:
        await other.close()
    owned = [claim.delivery.chat_id for claim in claims if claim.ours and claim.delivery]
    assert sorted(owned) == readers
    assert all(claim.delivery is not None for claim in claims)


async def test_nothing_is_claimed_for_a_chat_that_stopped_or_never_was(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    await subscribers.unsubscribe(READER, NOW)
    stopped = await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    unknown = await log.claim(42, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    assert (stopped.delivery, stopped.ours) == (None, False)
    assert (unknown.delivery, unknown.ours) == (None, False)
    assert await log.get(READER, EDITION) is None


# ---------------------------------------------------------------------------- outcomes


async def test_mark_sent_records_the_delivery_and_advances_the_chat(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    await log.mark_sent(READER, EDITION, 2, SENT_AT)
    delivery = await log.get(READER, EDITION)
    assert delivery is not None
    assert delivery.status is DeliveryStatus.SENT
    assert (delivery.messages_sent, delivery.sent_at, delivery.error) == (2, SENT_AT, None)
    assert not delivery.unconfirmed
    assert await next_delivery(subscribers) == TOMORROW


async def test_concurrent_mark_sent_calls_all_commit(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    readers = range(1, 31)
    for chat_id in readers:
        await subscribe(subscribers, chat_id)
        await log.claim(chat_id, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    await asyncio.gather(*(log.mark_sent(chat_id, EDITION, 1, SENT_AT) for chat_id in readers))
    assert await log.count_by_status(EDITION) == {"sent": 30}
    assert await subscribers.due(TOMORROW - timedelta(seconds=1)) == []
    assert len(await subscribers.due(TOMORROW)) == 30


async def test_mark_sent_leaves_a_chat_that_stopped_meanwhile_stopped(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    await subscribers.unsubscribe(READER, SENT_AT)
    await log.mark_sent(READER, EDITION, 1, SENT_AT)
    settings = await subscribers.get(READER)
    assert settings is not None
    assert (settings.subscribed, settings.next_delivery_at) == (False, None)


async def test_progress_is_kept_for_a_retry(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    await log.record_progress(READER, EDITION, 1, SENT_AT)
    await log.mark_failed(
        READER, EDITION, messages_sent=1, error="NetworkError: boom", final=False, now=SENT_AT
    )
    retry = await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    assert retry.ours and retry.delivery is not None
    assert (retry.delivery.attempts, retry.delivery.messages_sent) == (2, 1)


async def test_a_failure_with_attempts_left_keeps_the_chat_due_until_they_run_out(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    attempts = []
    for _ in range(4):
        claim = await log.claim(
            READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3
        )
        if not claim.ours:
            break
        assert claim.delivery is not None
        attempts.append(claim.delivery.attempts)
        await log.mark_failed(
            READER, EDITION, messages_sent=0, error="TimedOut", final=False, now=SENT_AT
        )
        assert await next_delivery(subscribers) == SCHEDULED
    assert attempts == [1, 2, 3]
    delivery = await log.get(READER, EDITION)
    assert delivery is not None
    assert (delivery.status, delivery.error) == (DeliveryStatus.FAILED, "TimedOut")


async def test_a_final_failure_advances_the_chat(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    await log.mark_failed(
        READER, EDITION, messages_sent=0, error="BadRequest: x", final=True, now=SENT_AT
    )
    assert await next_delivery(subscribers) == TOMORROW


async def test_a_late_edition_is_skipped_once_and_the_chat_advanced(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    late = SCHEDULED + timedelta(hours=4)
    skip = await log.mark_skipped(
        READER, EDITION, scheduled_for=SCHEDULED, reason="4.0 h late", now=late
    )
    again = await log.mark_skipped(
        READER, EDITION, scheduled_for=SCHEDULED, reason="4.0 h late", now=late
    )
    assert skip.ours and skip.delivery is not None
    assert (skip.delivery.status, skip.delivery.error) == (DeliveryStatus.SKIPPED, "4.0 h late")
    assert not again.ours
    assert await next_delivery(subscribers) == TOMORROW


async def test_a_skip_does_not_overwrite_an_existing_row(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    skip = await log.mark_skipped(
        READER, EDITION, scheduled_for=SCHEDULED, reason="late", now=SENT_AT
    )
    assert not skip.ours and skip.delivery is not None
    assert skip.delivery.status is DeliveryStatus.SENDING
    assert await next_delivery(subscribers) == SCHEDULED


# ---------------------------------------------------------------------------- unconfirmed


async def test_a_stale_sending_row_resolves_as_unconfirmed(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    await log.record_progress(READER, EDITION, 1, SENT_AT)
    later = SENT_AT + timedelta(minutes=10)
    fresh = await log.resolve_unconfirmed(
        READER, EDITION, claimed_before=SENT_AT - timedelta(seconds=1), now=later
    )
    stale = await log.resolve_unconfirmed(READER, EDITION, claimed_before=SENT_AT, now=later)
    assert (fresh, stale) == (False, True)
    delivery = await log.get(READER, EDITION)
    assert delivery is not None
    assert delivery.unconfirmed
    assert (delivery.status, delivery.sent_at, delivery.messages_sent) == (
        DeliveryStatus.SENT,
        None,
        1,
    )
    assert delivery.error is not None and "message 2" in delivery.error
    assert await next_delivery(subscribers) == TOMORROW
    assert await log.count_by_status() == {"unconfirmed": 1}
    assert not await log.resolve_unconfirmed(READER, EDITION, claimed_before=later, now=later)


async def test_only_sending_rows_resolve_as_unconfirmed(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    await log.claim(READER, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=3)
    await log.mark_sent(READER, EDITION, 1, SENT_AT)
    later = SENT_AT + timedelta(hours=1)
    assert not await log.resolve_unconfirmed(READER, EDITION, claimed_before=later, now=later)
    assert await log.count_by_status() == {"sent": 1}


async def test_advance_moves_a_settled_chat_on(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    await subscribe(subscribers)
    await log.advance(READER, SENT_AT)
    assert await next_delivery(subscribers) == TOMORROW


# ---------------------------------------------------------------------------- edition report


async def test_the_outcome_of_a_window_counts_every_chat_due_in_it_once(
    subscribers: SubscriberStore, log: DeliveryStore
) -> None:
    for chat_id in range(1, 8):
        await subscribe(subscribers, chat_id)

    async def claim(chat_id: int) -> None:
        claimed = await log.claim(
            chat_id, EDITION, scheduled_for=SCHEDULED, now=SENT_AT, max_attempts=2
        )
        assert claimed.ours

    for chat_id in range(1, 7):
        await claim(chat_id)
    await log.mark_sent(1, EDITION, 1, SENT_AT)
    await log.mark_failed(2, EDITION, messages_sent=0, error="bad", final=True, now=SENT_AT)
    await log.mark_failed(3, EDITION, messages_sent=0, error="blocked", final=True, now=SENT_AT)
    await subscribers.deactivate(3, "blocked", SENT_AT)
    await log.mark_failed(4, EDITION, messages_sent=0, error="flood", final=False, now=SENT_AT)
    # 5 is still sending; 6 died mid-send; 7 is due and nobody has claimed it yet.
    await log.resolve_unconfirmed(6, EDITION, claimed_before=SENT_AT, now=SENT_AT)

    outcome = await log.outcome(SCHEDULED - timedelta(minutes=1), SCHEDULED)
    assert (outcome.sent, outcome.failed, outcome.deactivated) == (1, 1, 1)
    assert (outcome.skipped, outcome.pending, outcome.in_flight) == (0, 4, 2)
    assert outcome.chats == 7
    assert (await log.outcome(SCHEDULED, SCHEDULED + timedelta(minutes=1))).chats == 0
