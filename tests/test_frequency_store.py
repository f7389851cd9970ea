"""Frequency and forum topic on the subscriber store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.models import ForumThread, Frequency, Subscriber
from bot.store import Database, SubscriberStore
from bot.store.deliveries import DeliveryStore

NOW = datetime(2026, 12, 11, 0, 0, tzinfo=UTC)  # Friday 09:00 in Seoul
SEOUL = ZoneInfo("Asia/Seoul")
GROUP = -1_001_234_567_890
FRI, SAT, MON = 4, 5, 0


@pytest.fixture
def store(database: Database) -> SubscriberStore:
    return SubscriberStore(database, clock=lambda: NOW)


async def subscribe(store: SubscriberStore, **kwargs: object) -> Subscriber:
    values: dict[str, object] = {"chat_type": "supergroup", "title": "Desk", "language": "ko"}
    values.update(kwargs)
    settings, _ = await store.subscribe(GROUP, now=NOW, **values)  # type: ignore[arg-type]
    return settings


def local(instant: datetime | None) -> datetime:
    assert instant is not None
    return instant.astimezone(SEOUL)


async def test_a_new_subscriber_gets_it_daily_on_the_general_topic(store: SubscriberStore) -> None:
    settings = await subscribe(store)
    assert (settings.frequency, settings.delivery_weekday) == (Frequency.DAILY, MON)
    assert settings.message_thread_id is None
    assert await store.get(GROUP) == settings


async def test_weekly_with_a_day_round_trips_and_moves_the_next_delivery(
    store: SubscriberStore,
) -> None:
    await subscribe(store, timezone="Asia/Seoul", delivery_time=time(7, 30))
    settings = await store.set_frequency(GROUP, Frequency.WEEKLY, SAT, NOW)
    assert settings is not None
    assert (settings.frequency, settings.delivery_weekday) == (Frequency.WEEKLY, SAT)
    assert local(settings.next_delivery_at) == datetime(2026, 12, 12, 7, 30, tzinfo=SEOUL)
    assert await store.get(GROUP) == settings


async def test_weekly_without_a_day_keeps_the_chosen_one(store: SubscriberStore) -> None:
    await subscribe(store)
    await store.set_frequency(GROUP, Frequency.WEEKLY, FRI, NOW)
    await store.set_frequency(GROUP, Frequency.DAILY, None, NOW)
    settings = await store.set_frequency(GROUP, Frequency.WEEKLY, None, NOW)
    assert settings is not None and settings.delivery_weekday == FRI
    # Friday 09:00 in Seoul: this Friday's 07:30 is past, so next Friday.
    assert local(settings.next_delivery_at).date() == date(2026, 12, 18)


async def test_weekdays_skip_the_weekend_after_a_time_or_zone_change(
    store: SubscriberStore,
) -> None:
    await subscribe(store, timezone="Asia/Seoul", delivery_time=time(7, 30))
    await store.set_frequency(GROUP, Frequency.WEEKDAYS, None, NOW)
    moved = await store.set_time(GROUP, time(8), NOW)
    assert moved is not None
    assert local(moved.next_delivery_at) == datetime(2026, 12, 14, 8, 0, tzinfo=SEOUL)  # Mon
    rezoned = await store.set_timezone(GROUP, "Europe/London", NOW)
    assert rezoned is not None
    # Friday 00:00 in London: Friday 08:00 is still to come.
    assert rezoned.next_delivery_at == datetime(2026, 12, 11, 8, 0, tzinfo=UTC)


async def test_advancing_a_weekly_reader_goes_a_week_on(store: SubscriberStore) -> None:
    await subscribe(store, timezone="Asia/Seoul", delivery_time=time(7, 30))
    first = await store.set_frequency(GROUP, Frequency.WEEKLY, SAT, NOW)
    assert first is not None and first.next_delivery_at is not None
    advanced = await store.advance(GROUP, first.next_delivery_at)
    assert advanced is not None
    assert local(advanced.next_delivery_at).date() == date(2026, 12, 19)


async def test_the_delivery_log_advances_by_frequency_too(
    store: SubscriberStore, database: Database
) -> None:
    """The dispatcher's sent records advance the chat in the same transaction."""
    await subscribe(store, timezone="Asia/Seoul", delivery_time=time(7, 30))
    settings = await store.set_frequency(GROUP, Frequency.WEEKDAYS, None, NOW)
    assert settings is not None and settings.next_delivery_at is not None
    deliveries = DeliveryStore(database)
    scheduled = settings.next_delivery_at  # Monday 14 Dec 07:30
    edition = local(scheduled).date()
    claim = await deliveries.claim(
        GROUP, edition, scheduled_for=scheduled, now=scheduled, max_attempts=3
    )
    assert claim.ours
    await deliveries.mark_sent(GROUP, edition, 1, scheduled)
    after = await store.get(GROUP)
    assert after is not None
    assert local(after.next_delivery_at) == datetime(2026, 12, 15, 7, 30, tzinfo=SEOUL)


async def test_subscribing_from_a_topic_stores_it_and_another_topic_moves_it(
    store: SubscriberStore,
) -> None:
    settings = await subscribe(store, thread=ForumThread(42))
    assert settings.message_thread_id == 42
    again, newly = await store.subscribe(
        GROUP,
        chat_type="supergroup",
        title="Desk",
        language="ko",
        thread=ForumThread(7),
        now=NOW,
    )
    assert not newly
    assert again.message_thread_id == 7
    kept = await subscribe(store)  # no thread given (a settings button): kept
    assert kept.message_thread_id == 7
    general = await subscribe(store, thread=ForumThread(None))
    assert general.message_thread_id is None


async def test_forgetting_a_deleted_topic_only_clears_that_topic(store: SubscriberStore) -> None:
    await subscribe(store, thread=ForumThread(42))
    assert await store.forget_thread(GROUP, 7) is None  # moved on since: untouched
    assert (await store.get(GROUP)).message_thread_id == 42  # type: ignore[union-attr]
    cleared = await store.forget_thread(GROUP, 42)
    assert cleared is not None and cleared.message_thread_id is None


async def test_an_unknown_frequency_is_refused(store: SubscriberStore) -> None:
    await subscribe(store)
    with pytest.raises(ValueError, match="frequency"):
        await store.set_frequency(GROUP, "hourly", None, NOW)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="weekday"):
        await store.set_frequency(GROUP, Frequency.WEEKLY, 7, NOW)
