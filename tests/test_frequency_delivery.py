"""The fan-out with frequencies and forum topics, on SQLite and PostgreSQL: a weekdays
reader is not due on the weekend, a skipped Friday is not made up on Saturday, and a
briefing whose topic was deleted goes to the chat itself, every part of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest
from telegram.ext import ExtBot

from bot.delivery.dispatcher import DeliveryPolicy, Dispatcher
from bot.delivery.schedule import local_date_of
from bot.delivery.sender import OutgoingMessage
from bot.errors import ThreadGone
from bot.models import ForumThread, Frequency, Subscriber
from bot.store import Database, SubscriberStore
from bot.store.deliveries import DeliveryStore
from handlers.sender import TelegramSender, make_rate_limiter
from tests.support.fakebotapi import FakeBotAPI

FRIDAY = datetime(2026, 12, 11, 6, 0, tzinfo=UTC)  # 06:00 in London
READER = 5_123_456_789
FORUM = -1_001_234_567_890
FAST = DeliveryPolicy(retry_delays=(0.01,), max_attempts=3, stop_timeout=0.5)


@pytest.fixture
async def telegram_bot(fake_api: FakeBotAPI) -> AsyncIterator[ExtBot[int]]:
    bot: ExtBot[int] = ExtBot(
        fake_api.token, base_url=f"{fake_api.url}/bot", rate_limiter=make_rate_limiter(500)
    )
    async with bot:
        yield bot


async def compose(settings: Subscriber, scheduled: datetime) -> list[OutgoingMessage]:
    """Two parts, to the chat's topic, like ``Editions.delivery``."""
    day = local_date_of(scheduled, settings.timezone)
    return [
        OutgoingMessage(f"Briefing {day} ({n}/2)", thread_id=settings.message_thread_id)
        for n in (1, 2)
    ]


def dispatcher(bot: ExtBot[int], database: Database) -> Dispatcher:
    return Dispatcher(
        TelegramSender(bot), SubscriberStore(database), DeliveryStore(database), compose, FAST
    )


async def weekdays_reader(fake_api: FakeBotAPI, database: Database) -> SubscriberStore:
    """READER in London, subscribed for 07:00 on weekdays as of Friday morning."""
    store = SubscriberStore(database)
    fake_api.add_chat(READER, "private")
    await store.subscribe(
        READER, chat_type="private", title="", language="en", timezone="Europe/London",
        delivery_time=time(7), now=FRIDAY,
    )  # fmt: skip
    await store.set_frequency(READER, Frequency.WEEKDAYS, None, FRIDAY)
    return store


async def test_a_weekdays_reader_is_due_monday_after_friday(
    fake_api: FakeBotAPI, telegram_bot: ExtBot[int], database: Database
) -> None:
    await weekdays_reader(fake_api, database)
    fan_out = dispatcher(telegram_bot, database)
    friday = FRIDAY + timedelta(hours=1)
    assert (await fan_out.run_due(friday)).sent == 1
    for hours in range(24, 72, 6):  # Saturday and Sunday: nobody due
        assert (await fan_out.run_due(friday + timedelta(hours=hours))).due == 0
    monday = friday + timedelta(days=3)
    assert (await fan_out.run_due(monday)).sent == 1
    assert [m.text for m in fake_api.sent_messages(READER)][::2] == [
        "Briefing 2026-12-11 (1/2)",
        "Briefing 2026-12-14 (1/2)",
    ]


async def test_a_weekdays_reader_skipped_on_friday_is_next_due_on_monday(
    fake_api: FakeBotAPI, telegram_bot: ExtBot[int], database: Database
) -> None:
    store = await weekdays_reader(fake_api, database)
    # The bot was down from Friday morning until Saturday noon: Friday's is too late.
    report = await dispatcher(telegram_bot, database).run_due(FRIDAY + timedelta(hours=30))
    assert (report.skipped_late, report.sent) == (1, 0)
    settings = await store.get(READER)
    assert settings is not None and settings.next_delivery_at == datetime(
        2026, 12, 14, 7, 0, tzinfo=UTC
    )
    assert fake_api.sent_messages(READER) == []


async def test_a_deleted_topic_sends_every_part_to_the_chat_and_is_forgotten(
    fake_api: FakeBotAPI, telegram_bot: ExtBot[int], database: Database
) -> None:
    store = SubscriberStore(database)
    fake_api.add_forum(FORUM, topics=(42,))
    await store.subscribe(
        FORUM, chat_type="supergroup", title="Desk", language="en", timezone="Europe/London",
        delivery_time=time(7), thread=ForumThread(42), now=FRIDAY,
    )  # fmt: skip
    fan_out = dispatcher(telegram_bot, database)
    assert (await fan_out.run_due(FRIDAY + timedelta(hours=1))).sent == 1
    assert {m.message_thread_id for m in fake_api.sent_messages(FORUM)} == {42}

    fake_api.delete_forum_topic(FORUM, 42)
    report = await fan_out.run_due(FRIDAY + timedelta(days=1, hours=1))
    assert (report.sent, report.failed) == (1, 0)
    saturday = fake_api.sent_messages(FORUM)[2:]
    assert [(m.text, m.message_thread_id) for m in saturday] == [
        ("Briefing 2026-12-12 (1/2)", None),
        ("Briefing 2026-12-12 (2/2)", None),
    ]
    assert [e.description for e in fake_api.errors] == ["Bad Request: message thread not found"]
    settings = await store.get(FORUM)
    assert settings is not None and settings.message_thread_id is None


async def test_a_thread_in_a_chat_without_topics_is_not_found(
    fake_api: FakeBotAPI, telegram_bot: ExtBot[int]
) -> None:
    """The fake is as strict as Telegram: a thread id only exists in a forum."""
    fake_api.add_chat(FORUM, "supergroup", title="Desk")
    sender = TelegramSender(telegram_bot)
    with pytest.raises(ThreadGone):
        await sender.send(FORUM, OutgoingMessage("hello", thread_id=42))
    await sender.send(FORUM, OutgoingMessage("hello"))
    assert [m.message_thread_id for m in fake_api.sent_messages(FORUM)] == [None]
