"""The daily fan-out through the fake Bot API, on SQLite and PostgreSQL: each reader gets
each edition once, at their time, whatever Telegram answers and however the bot stops."""

from __future__ import annotations

import asyncio
import gc
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from telegram import Bot
from telegram.error import InvalidToken, NetworkError
from telegram.ext import AIORateLimiter, ExtBot

from bot.delivery.dispatcher import (
    Compose,
    DeliveryPolicy,
    DeliveryReport,
    Dispatcher,
)
from bot.delivery.schedule import local_date_of
from bot.delivery.sender import OutgoingMessage
from bot.errors import SenderBroken
from bot.models import DeactivationReason, Subscriber
from bot.store import Database, SubscriberStore
from bot.store.deliveries import DeliveryStatus, DeliveryStore
from handlers.sender import TelegramSender, make_rate_limiter
from tests.support.fakebotapi import FakeBotAPI

T0 = datetime(2025, 6, 2, 6, 59, tzinfo=UTC)
SEVEN = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
READER = 5_123_456_789
GROUP = -1_001_234_567_890
FAST = DeliveryPolicy(retry_delays=(0.01, 0.01), max_attempts=3, stop_timeout=0.5)


@pytest.fixture
def subscribers(database: Database) -> SubscriberStore:
    return SubscriberStore(database, clock=lambda: T0)


def briefing(parts: int = 1) -> Compose:
    async def compose(settings: Subscriber, scheduled: datetime) -> list[OutgoingMessage]:
        day = local_date_of(scheduled, settings.timezone)
        return [
            OutgoingMessage(f"<b>Peninsula Brief</b> {day} ({n}/{parts})")
            for n in range(1, parts + 1)
        ]

    return compose


def dispatcher(
    bot: Any,
    database: Database,
    *,
    parts: int = 1,
    policy: DeliveryPolicy = FAST,
    compose: Compose | None = None,
    holder: str | None = None,
) -> Dispatcher:
    return Dispatcher(
        TelegramSender(bot),
        SubscriberStore(database),
        DeliveryStore(database),
        compose or briefing(parts),
        policy,
        holder=holder,
    )


async def subscribe(
    fake: FakeBotAPI,
    store: SubscriberStore,
    chat_id: int = READER,
    *,
    at: time = time(7),
    tz: str = "UTC",
    chat_type: str = "private",
    now: datetime = T0,
) -> Subscriber:
    fake.add_chat(chat_id, chat_type, title=None if chat_type == "private" else "Readers")
    settings, _ = await store.subscribe(
        chat_id,
        chat_type=chat_type,
        title="Readers",
        language="en",
        timezone=tz,
        delivery_time=at,
        now=now,
    )
    return settings


def texts(fake: FakeBotAPI, chat_id: int = READER) -> list[str]:
    return [message.text for message in fake.sent_messages(chat_id)]


async def settings_of(store: SubscriberStore, chat_id: int = READER) -> Subscriber:
    settings = await store.get(chat_id)
    assert settings is not None
    return settings


# ---------------------------------------------------------------------------- timing


async def test_a_reader_due_in_a_minute_gets_one_briefing_after_that_minute(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    sender = dispatcher(telegram_bot, database)

    before = await sender.run_due(T0 + timedelta(seconds=30))
    assert (before.due, texts(fake_api)) == (0, [])

    report = await sender.run_due(SEVEN + timedelta(seconds=30))
    await sender.run_due(SEVEN + timedelta(seconds=90))
    assert texts(fake_api) == ["<b>Peninsula Brief</b> 2025-06-02 (1/1)"]
    assert (report.due, report.sent, report.messages) == (1, 1, 1)
    message = fake_api.sent_messages(READER)[0]
    assert message.parse_mode == "HTML"
    assert message.link_preview_options == {"is_disabled": True}
    assert (await settings_of(subscribers)).next_delivery_at == SEVEN + timedelta(days=1)


async def test_two_ticks_at_once_send_once(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    sender = dispatcher(telegram_bot, database)
    first, second = await asyncio.gather(sender.run_due(SEVEN), sender.run_due(SEVEN))
    assert sorted([first.busy, second.busy]) == [False, True]
    assert len(texts(fake_api)) == 1


async def test_two_processes_ticking_at_once_send_once(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    readers = range(1, 21)
    for chat_id in readers:
        await subscribe(fake_api, subscribers, chat_id)
    reports = await asyncio.gather(
        dispatcher(telegram_bot, database).run_due(SEVEN),
        dispatcher(telegram_bot, database).run_due(SEVEN),
    )
    assert [len(texts(fake_api, chat_id)) for chat_id in readers] == [1] * 20
    assert sum(report.sent for report in reports) == 20


async def test_two_instances_share_one_edition_and_send_each_briefing_once(
    fake_api: FakeBotAPI, telegram_bot: ExtBot[int], postgres_url: str
) -> None:
    database = Database(postgres_url)
    await database.open()
    try:
        store = SubscriberStore(database, clock=lambda: T0)
        readers = range(1, 41)
        for chat_id in readers:
            await subscribe(fake_api, store, chat_id)
        policy = replace(FAST, concurrency=2)  # reserving 4 at a time: both get some
        reports = await asyncio.gather(
            dispatcher(telegram_bot, database, policy=policy, holder="a").run_due(SEVEN),
            dispatcher(telegram_bot, database, policy=policy, holder="b").run_due(SEVEN),
        )
        log = await DeliveryStore(database).count_by_status(SEVEN.date())
    finally:
        await database.close()
    assert [len(texts(fake_api, chat_id)) for chat_id in readers] == [1] * 40
    assert [report.sent > 0 for report in reports] == [True, True]
    assert sum(report.sent for report in reports) == 40
    assert sum(report.claimed_elsewhere + report.already_done for report in reports) == 0
    assert log == {"sent": 40}


async def test_chats_another_instance_reserved_wait_until_its_reservation_runs_out(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    readers = range(1, 6)
    for chat_id in readers:
        await subscribe(fake_api, subscribers, chat_id)
    period = timedelta(seconds=30)
    # An instance reserved two chats and died before sending them.
    await subscribers.reserve_due(SEVEN, 2, holder="gone", until=SEVEN + period)
    policy = replace(FAST, reservation=period)
    survivor = dispatcher(telegram_bot, database, policy=policy, holder="here")
    first = await survivor.run_due(SEVEN)
    assert [len(texts(fake_api, chat_id)) for chat_id in readers] == [0, 0, 1, 1, 1]
    later = await survivor.run_due(SEVEN + period)
    assert [len(texts(fake_api, chat_id)) for chat_id in readers] == [1] * 5
    assert (first.sent, later.sent) == (3, 2)


async def test_a_new_time_later_the_same_day_brings_no_second_edition(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    sender = dispatcher(telegram_bot, database)
    await sender.run_due(SEVEN)
    await subscribers.set_time(READER, time(20), SEVEN + timedelta(minutes=5))

    evening = datetime(2025, 6, 2, 20, 0, 30, tzinfo=UTC)
    report = await sender.run_due(evening)
    assert (report.due, report.already_done, report.sent) == (1, 1, 0)
    assert len(texts(fake_api)) == 1
    tomorrow_evening = datetime(2025, 6, 3, 20, 0, tzinfo=UTC)
    assert (await settings_of(subscribers)).next_delivery_at == tomorrow_evening


async def test_new_york_keeps_its_local_time_across_the_spring_change(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    saturday = datetime(2025, 3, 8, 5, 0, tzinfo=UTC)  # 00:00 EST; clocks go forward Sunday
    await subscribe(fake_api, subscribers, at=time(7, 30), tz="America/New_York", now=saturday)
    sender = dispatcher(telegram_bot, database)

    await sender.run_due(datetime(2025, 3, 8, 12, 31, tzinfo=UTC))  # 07:31 EST
    sunday = (await settings_of(subscribers)).next_delivery_at
    assert sunday == datetime(2025, 3, 9, 11, 30, tzinfo=UTC)  # 07:30 EDT

    await sender.run_due(datetime(2025, 3, 9, 11, 31, tzinfo=UTC))
    monday = (await settings_of(subscribers)).next_delivery_at
    assert monday == datetime(2025, 3, 10, 11, 30, tzinfo=UTC)
    assert texts(fake_api) == [
        "<b>Peninsula Brief</b> 2025-03-08 (1/1)",
        "<b>Peninsula Brief</b> 2025-03-09 (1/1)",
    ]


async def test_after_downtime_2_hours_late_is_sent_and_4_hours_late_skipped(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    early, late = 1, 2
    midnight = datetime(2025, 6, 2, tzinfo=UTC)
    await subscribe(fake_api, subscribers, early, at=time(5), now=midnight)
    await subscribe(fake_api, subscribers, late, at=time(3), now=midnight)
    start_up = datetime(2025, 6, 2, 7, 0, 10, tzinfo=UTC)

    report = await dispatcher(telegram_bot, database).run_due(start_up)
    assert (report.sent, report.skipped_late) == (1, 1)
    assert len(texts(fake_api, early)) == 1
    assert texts(fake_api, late) == []
    log = DeliveryStore(database)
    skipped = await log.get(late, date(2025, 6, 2))
    assert skipped is not None and skipped.status is DeliveryStatus.SKIPPED
    assert (await settings_of(subscribers, late)).next_delivery_at == datetime(
        2025, 6, 3, 3, 0, tzinfo=UTC
    )


@pytest.mark.parametrize("holder", [None, "sharing"], ids=["pages", "reserved batches"])
async def test_every_page_of_due_readers_is_delivered(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
    holder: str | None,
) -> None:
    readers = range(1, 12)
    for chat_id in readers:
        await subscribe(fake_api, subscribers, chat_id)
    failing = FlakyBot(telegram_bot, fail_chats={3, 7})  # left due: the pages must skip them
    policy = DeliveryPolicy(page_size=3, concurrency=2, retry_delays=(), max_attempts=5)
    report = await dispatcher(failing, database, policy=policy, holder=holder).run_due(SEVEN)
    assert (report.due, report.sent, report.retried) == (11, 9, 2)
    assert [len(texts(fake_api, chat_id)) for chat_id in readers] == [
        0 if chat_id in (3, 7) else 1 for chat_id in readers
    ]


# ---------------------------------------------------------------------------- Telegram says no


async def test_a_reader_who_blocked_the_bot_is_deactivated(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    fake_api.block_chat(READER)
    report = await dispatcher(telegram_bot, database).run_due(SEVEN)
    assert report.deactivated == {DeactivationReason.BLOCKED: 1}
    settings = await settings_of(subscribers)
    assert (settings.subscribed, settings.deactivated_reason) == (False, "blocked")
    delivery = await DeliveryStore(database).get(READER, SEVEN.date())
    assert delivery is not None and delivery.status is DeliveryStatus.FAILED
    assert delivery.error == "blocked: Forbidden: bot was blocked by the user"
    assert "deactivated: blocked 1" in report.summary()


async def test_a_chat_telegram_does_not_know_is_deactivated(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    fake_api.forget_chat(READER)
    report = await dispatcher(telegram_bot, database).run_due(SEVEN)
    assert report.deactivated == {DeactivationReason.CHAT_NOT_FOUND: 1}
    assert (await settings_of(subscribers)).deactivated_reason == "chat_not_found"


async def test_a_group_that_removed_the_bot_is_deactivated(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers, GROUP, chat_type="supergroup")
    fake_api.block_chat(GROUP)
    report = await dispatcher(telegram_bot, database).run_due(SEVEN)
    assert report.deactivated == {DeactivationReason.KICKED: 1}
    assert (await settings_of(subscribers, GROUP)).deactivated_reason == "kicked"


async def test_flood_control_is_waited_out_and_the_briefing_arrives_once(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    fake_api.fail_next("sendMessage", status=429, retry_after=1)
    report = await dispatcher(telegram_bot, database).run_due(SEVEN)
    assert (report.sent, report.retried) == (1, 0)
    assert len(texts(fake_api)) == 1
    first, second = fake_api.calls_to("sendMessage")
    assert second.at - first.at >= 1.0  # the retry waited retry_after


async def test_a_server_error_then_success_sends_one_message(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    fake_api.fail_next("sendMessage", status=500)
    report = await dispatcher(telegram_bot, database).run_due(SEVEN)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    assert len(texts(fake_api)) == 1


async def test_persistent_server_errors_are_retried_later_then_failed(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    fake_api.fail_next("sendMessage", times=100, status=502)
    sender = dispatcher(telegram_bot, database)
    reports = [await sender.run_due(SEVEN + timedelta(minutes=n)) for n in range(4)]

    assert [r.retried for r in reports] == [1, 1, 0, 0]
    assert [r.failed for r in reports] == [0, 0, 1, 0]
    assert len(fake_api.calls_to("sendMessage")) == 3 * 3  # 3 ticks × (1 + 2 retries)
    delivery = await DeliveryStore(database).get(READER, SEVEN.date())
    assert delivery is not None
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery.error == "NetworkError: Bad Gateway"
    assert (await settings_of(subscribers)).next_delivery_at == SEVEN + timedelta(days=1)
    assert texts(fake_api) == []


async def test_a_rejected_message_fails_at_once(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)

    async def broken(settings: Subscriber, scheduled: datetime) -> list[OutgoingMessage]:
        return [OutgoingMessage("<b>unclosed")]

    report = await dispatcher(telegram_bot, database, compose=broken).run_due(SEVEN)
    assert (report.failed, report.retried) == (1, 0)
    assert (await settings_of(subscribers)).next_delivery_at == SEVEN + timedelta(days=1)


async def test_a_composer_error_leaves_the_reader_due_and_others_served(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await subscribe(fake_api, subscribers, 1)
    await subscribe(fake_api, subscribers, 2)

    async def compose(settings: Subscriber, scheduled: datetime) -> list[OutgoingMessage]:
        if settings.chat_id == 1:
            raise RuntimeError("no stories")
        return [OutgoingMessage("<b>Brief</b>")]

    report = await dispatcher(telegram_bot, database, compose=compose).run_due(SEVEN)
    assert (report.sent, report.retried) == (1, 1)
    assert "could not compose the briefing for chat 1" in caplog.text
    assert (await settings_of(subscribers, 1)).next_delivery_at == SEVEN


async def test_an_invalid_token_stops_the_run(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    revoked = FlakyBot(telegram_bot, error=InvalidToken("Unauthorized"), fail_chats={READER})
    with pytest.raises(SenderBroken):
        await dispatcher(revoked, database).run_due(SEVEN)
    assert (await settings_of(subscribers)).next_delivery_at == SEVEN  # retried next tick


# ---------------------------------------------------------------------------- multi-message


async def test_a_second_message_that_failed_is_sent_later_without_the_first_again(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    await subscribe(fake_api, subscribers)
    second_fails = FlakyBot(telegram_bot, fail_calls={2, 3, 4})  # with its 2 retries
    first = await dispatcher(second_fails, database, parts=2).run_due(SEVEN)
    assert (first.retried, first.messages) == (1, 1)

    second = await dispatcher(telegram_bot, database, parts=2).run_due(SEVEN + timedelta(minutes=1))
    assert (second.sent, second.messages) == (1, 1)
    assert texts(fake_api) == [
        "<b>Peninsula Brief</b> 2025-06-02 (1/2)",
        "<b>Peninsula Brief</b> 2025-06-02 (2/2)",
    ]
    delivery = await DeliveryStore(database).get(READER, SEVEN.date())
    assert delivery is not None
    assert (delivery.status, delivery.messages_sent, delivery.attempts) == (
        DeliveryStatus.SENT,
        2,
        2,
    )


# ---------------------------------------------------------------------------- stop, crash


async def test_a_graceful_stop_then_restart_loses_and_repeats_nothing(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    readers = range(1, 21)
    for chat_id in readers:
        await subscribe(fake_api, subscribers, chat_id)
    slow = FlakyBot(telegram_bot, delay=0.05)
    first = dispatcher(slow, database, parts=2, policy=DeliveryPolicy(concurrency=3))
    run = asyncio.create_task(first.run_due(SEVEN))
    await fake_api.wait_for(lambda: len(fake_api.calls_to("sendMessage")) >= 10)
    await first.stop()
    stopped = await run
    assert stopped.stopped
    assert 0 < stopped.sent < 20
    assert (await first.run_due(SEVEN)).busy  # a stopped dispatcher starts nothing

    restarted = await dispatcher(telegram_bot, database, parts=2).run_due(SEVEN)
    assert stopped.sent + restarted.sent == 20
    assert (restarted.unconfirmed, restarted.already_done) == (0, 0)
    assert [len(texts(fake_api, chat_id)) for chat_id in readers] == [2] * 20


async def test_a_cancelled_run_finishes_the_chats_in_hand(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    readers = range(1, 11)
    for chat_id in readers:
        await subscribe(fake_api, subscribers, chat_id)
    slow = FlakyBot(telegram_bot, delay=0.05)
    run = asyncio.create_task(dispatcher(slow, database).run_due(SEVEN))
    await fake_api.wait_for(lambda: len(fake_api.calls_to("sendMessage")) >= 3)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    log = DeliveryStore(database)
    assert "sending" not in await log.count_by_status(SEVEN.date())

    await dispatcher(telegram_bot, database).run_due(SEVEN)
    assert [len(texts(fake_api, chat_id)) for chat_id in readers] == [1] * 10


async def test_a_crash_mid_broadcast_duplicates_nothing(
    fake_api: FakeBotAPI,
    telegram_bot: ExtBot[int],
    database: Database,
    subscribers: SubscriberStore,
) -> None:
    readers = range(1, 9)
    for chat_id in readers:
        await subscribe(fake_api, subscribers, chat_id)
    hangs = FlakyBot(telegram_bot, hang_chats={5})  # its request never comes back
    crashing = dispatcher(hangs, database, policy=DeliveryPolicy(concurrency=1, stop_timeout=0))
    run = asyncio.create_task(crashing.run_due(SEVEN))
    await hangs.hung.wait()
    run.cancel()  # the stop overruns stop_timeout: the claim in hand is abandoned
    with pytest.raises(asyncio.CancelledError):
        await run
    log = DeliveryStore(database)
    assert (await log.count_by_status(SEVEN.date())) == {"sent": 4, "sending": 1}

    soon = await dispatcher(telegram_bot, database).run_due(SEVEN + timedelta(minutes=1))
    assert (soon.sent, soon.claimed_elsewhere, soon.unconfirmed) == (3, 1, 0)
    later = await dispatcher(telegram_bot, database).run_due(SEVEN + timedelta(minutes=10))
    assert (later.sent, later.unconfirmed) == (0, 1)

    assert [len(texts(fake_api, chat_id)) for chat_id in readers] == [1, 1, 1, 1, 0, 1, 1, 1]
    delivery = await log.get(5, SEVEN.date())
    assert delivery is not None and delivery.unconfirmed
    assert (await settings_of(subscribers, 5)).next_delivery_at == SEVEN + timedelta(days=1)


# ---------------------------------------------------------------------------- rate limiter


async def send_burst(fake: FakeBotAPI, limiter: AIORateLimiter, count: int) -> None:
    for chat_id in range(1, count + 1):
        fake.add_chat(chat_id)
    bot: ExtBot[int] = ExtBot(fake.token, base_url=f"{fake.url}/bot", rate_limiter=limiter)
    async with bot:
        await asyncio.gather(
            *(bot.send_message(chat_id, "hello") for chat_id in range(1, count + 1))
        )


async def test_the_rate_limiter_paces_under_telegrams_window(fake_api: FakeBotAPI) -> None:
    rate = 20
    fake_api.set_rate_limit(rate)
    # The fake shares this process: a full garbage collection would stall its thread and
    # make it count queued requests as arriving together, which Telegram does not do.
    gc.collect()
    gc.disable()
    try:
        await send_burst(fake_api, make_rate_limiter(rate), 3 * rate)
    finally:
        gc.enable()
    assert fake_api.rate_limit_hits == 0
    assert len(fake_api.calls_to("sendMessage")) == 3 * rate


async def test_ptbs_stock_limiter_at_the_same_rate_bursts_into_429s(
    fake_api: FakeBotAPI,
) -> None:
    rate = 20
    fake_api.set_rate_limit(rate)
    await send_burst(fake_api, AIORateLimiter(overall_max_rate=rate, max_retries=3), 3 * rate)
    assert fake_api.rate_limit_hits > 0  # why make_rate_limiter exists


def test_the_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        make_rate_limiter(0)


def test_an_empty_report_says_so() -> None:
    assert DeliveryReport().summary().startswith("0 due; 0 sent (0 messages)")


# ---------------------------------------------------------------------------- helpers


class FlakyBot:
    """Wraps the real bot: fails, slows or hangs chosen sends; the rest go to the fake."""

    def __init__(
        self,
        bot: Bot,
        *,
        fail_chats: set[int] | None = None,
        fail_calls: set[int] | None = None,
        error: Exception | None = None,
        hang_chats: set[int] | None = None,
        delay: float = 0.0,
    ) -> None:
        self._bot = bot
        self._fail_chats = fail_chats or set()
        self._fail_calls = fail_calls or set()
        self._error = error or NetworkError("Bad Gateway")
        self._hang_chats = hang_chats or set()
        self._delay = delay
        self._calls = 0
        self.hung = asyncio.Event()

    async def _post(self, endpoint: str, data: dict[str, Any]) -> Any:
        """``TelegramSender`` sends by PTB's ``Bot._post`` (see its ``send``)."""
        assert endpoint == "sendMessage"
        chat_id = data["chat_id"]
        self._calls += 1
        if chat_id in self._fail_chats or self._calls in self._fail_calls:
            raise self._error
        if chat_id in self._hang_chats:
            self.hung.set()
            await asyncio.Event().wait()
        await asyncio.sleep(self._delay)
        return await self._bot._post(endpoint, data)


def test_chats_in_hand_grow_with_the_send_rate() -> None:
    # Free broadcasts keep the small default; a paid broadcast at 1,000 a second needs
    # enough briefings in flight that their round trips do not cap the rate.
    assert DeliveryPolicy.for_rate(25).concurrency == DeliveryPolicy().concurrency == 8
    assert DeliveryPolicy.for_rate(1000).concurrency == 64
