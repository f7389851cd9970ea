"""The scheduled briefing is a delivery: framed as the reader's briefing for the day, with
Settings and Pause under it; /brief on demand stays a plain edition. Through the fake Bot
API, with the real delivery job run at the subscriber's minute on the bot's clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest

from bot.briefing.framing import (
    DELIVERY_ACTIONS,
    DayPeriod,
    action_buttons,
    day_period,
    delivery_header,
    with_buttons,
)
from bot.i18n import Catalog
from bot.models import Subscriber
from bot.store.database import Database
from bot.store.subscribers import SubscriberStore
from handlers.context import BotApplication
from tests.support.app import Clock, make_settings, pause_job, running_bot
from tests.support.fakebotapi import FakeBotAPI, SentMessage

READER = 9101
GROUP = -9102
ADMIN = 9103
MEMBER = 9104
CHANNEL = -1009105
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = "January February March April May June July August September October November December"
KOREAN_WEEKDAYS = "월화수목금토일"


@pytest.fixture
async def database(sqlite_url: str) -> AsyncIterator[Database]:
    db = Database(sqlite_url)
    await db.open()
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def application(
    fake_api: FakeBotAPI, sqlite_url: str, clock: Clock, database: Database
) -> AsyncIterator[BotApplication]:
    async with running_bot(make_settings(fake_api, sqlite_url), clock=clock) as app:
        pause_job(app, "deliver-editions")  # the test runs it
        yield app


async def subscribe(
    api: FakeBotAPI,
    database: Database,
    chat_id: int,
    *,
    at: dt.time,
    zone: str,
    language: str = "en",
    chat_type: str = "private",
) -> Subscriber:
    api.add_chat(chat_id, chat_type, title=None if chat_type == "private" else "Readers")
    settings, _ = await SubscriberStore(database).subscribe(
        chat_id,
        chat_type=chat_type,
        title="Readers",
        language=language,
        timezone=zone,
        delivery_time=at,
        now=dt.datetime.now(dt.UTC),
    )
    return settings


async def deliver(
    api: FakeBotAPI, application: BotApplication, clock: Clock, settings: Subscriber
) -> list[SentMessage]:
    """Run the delivery job at the subscriber's minute; the messages it sent them."""
    assert settings.next_delivery_at is not None
    before = len(api.sent_messages(settings.chat_id))
    clock.set(settings.next_delivery_at)
    assert application.job_queue is not None
    [job] = application.job_queue.get_jobs_by_name("deliver-editions")
    await job.run(application)
    return (await api.wait_for_messages(settings.chat_id, before + 1))[before:]


def labels(message: SentMessage) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]


def data_of(message: SentMessage, label: str) -> str:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    [data] = [b["callback_data"] for row in rows for b in row if label in b["text"]]
    return str(data)


async def tap(
    api: FakeBotAPI, message: SentMessage, label: str, user_id: int | None = None
) -> dict[str, object]:
    """Press a button under ``message``; the callback answer the bot gave."""
    answers = len(api.callback_answers())
    api.user_presses(message.chat_id, message.message_id, data_of(message, label), user_id=user_id)
    await api.wait_for(lambda: len(api.callback_answers()) > answers, what="an answer")
    return api.callback_answers()[answers]


def current(api: FakeBotAPI, message: SentMessage) -> SentMessage:
    [now] = [m for m in api.sent_messages(message.chat_id) if m.message_id == message.message_id]
    return now


# ── the framing ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("hour", "period"),
    [
        (4, DayPeriod.MORNING),
        (7, DayPeriod.MORNING),
        (10, DayPeriod.LATE_MORNING),
        (12, DayPeriod.AFTERNOON),
        (17, DayPeriod.EVENING),
        (21, DayPeriod.EVENING),
        (22, DayPeriod.NIGHT),
        (0, DayPeriod.NIGHT),
        (3, DayPeriod.NIGHT),
    ],
)
def test_the_delivery_time_names_the_part_of_the_day(hour: int, period: DayPeriod) -> None:
    assert day_period(dt.time(hour, 30)) is period


@pytest.mark.parametrize(
    ("hour", "english", "korean"),
    [
        (7, "Your morning briefing for Monday 7 December", "12월 7일(월) 아침 브리핑"),
        (11, "Your morning briefing for Monday 7 December", "12월 7일(월) 오전 브리핑"),
        (19, "Your evening briefing for Monday 7 December", "12월 7일(월) 저녁 브리핑"),
        (23, "Your briefing for Monday 7 December", "12월 7일(월) 브리핑"),
    ],
)
def test_the_framing_line_in_both_languages(hour: int, english: str, korean: str) -> None:
    catalog = Catalog.load()
    day = dt.date(2026, 12, 7)
    assert english in delivery_header(day, dt.time(hour), "en", catalog)
    assert korean in delivery_header(day, dt.time(hour), "ko", catalog)


def test_a_briefing_in_several_messages_has_its_buttons_under_the_last() -> None:
    buttons = action_buttons(DELIVERY_ACTIONS, "en", Catalog.load())
    messages = with_buttons(["one", "two", "three"], buttons)
    assert [m.text for m in messages] == ["one", "two", "three"]
    assert [len(m.buttons) for m in messages] == [0, 0, 2]
    assert [b.action for b in messages[-1].buttons] == ["settings", "pause"]


async def test_a_delivered_briefing_is_framed_with_settings_and_pause_under_it(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    settings = await subscribe(fake_api, database, READER, at=dt.time(7, 30), zone="Europe/London")
    messages = await deliver(fake_api, application, clock, settings)
    assert settings.next_delivery_at is not None
    day = settings.next_delivery_at.astimezone(ZoneInfo("Europe/London")).date()
    date = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS.split()[day.month - 1]}"
    expected = f"🗞 Your morning briefing for {date}"
    assert messages[0].plain_text.splitlines()[0] == expected
    assert "Peninsula Brief —" not in messages[0].plain_text, "the framing replaces the masthead"
    assert labels(messages[-1]) == ["⚙️ Settings", "⏸ Pause"]
    assert all(m.reply_markup is None for m in messages[:-1])


async def test_a_korean_evening_briefing_is_framed_in_korean(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    settings = await subscribe(
        fake_api, database, READER, at=dt.time(19), zone="Asia/Seoul", language="ko"
    )
    messages = await deliver(fake_api, application, clock, settings)
    assert settings.next_delivery_at is not None
    day = settings.next_delivery_at.astimezone(ZoneInfo("Asia/Seoul")).date()
    weekday = KOREAN_WEEKDAYS[day.weekday()]
    expected = f"🗞 {day.month}월 {day.day}일({weekday}) 저녁 브리핑"
    assert messages[0].plain_text.splitlines()[0] == expected
    assert labels(messages[-1]) == ["⚙️ 설정", "⏸ 일시 중지"]


async def test_brief_on_demand_is_not_framed_and_has_no_buttons(
    fake_api: FakeBotAPI, application: BotApplication, database: Database
) -> None:
    await subscribe(fake_api, database, READER, at=dt.time(7, 30), zone="Europe/London")
    fake_api.user_says(READER, "/brief")
    [reply] = await fake_api.wait_for_messages(READER)
    assert reply.plain_text.startswith("🗞 Peninsula Brief —")
    assert "Your" not in reply.plain_text.splitlines()[0]
    assert reply.reply_markup is None


# ── the buttons ──────────────────────────────────────────────────────────────


async def test_pause_keeps_the_settings_and_resume_brings_the_briefing_back(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    store = SubscriberStore(database)
    settings = await subscribe(fake_api, database, READER, at=dt.time(7, 30), zone="Europe/London")
    briefing = (await deliver(fake_api, application, clock, settings))[-1]

    await tap(fake_api, briefing, "Pause")
    [paused] = (await fake_api.wait_for_messages(READER, 2))[1:]
    assert paused.plain_text.startswith("⏸ Paused")
    after = await store.get(READER)
    assert after is not None and not after.subscribed and after.next_delivery_at is None
    assert (after.delivery_time, after.timezone) == (dt.time(7, 30), "Europe/London")
    briefing = current(fake_api, briefing)
    assert labels(briefing) == ["⚙️ Settings", "▶️ Resume"]

    await tap(fake_api, briefing, "Resume")
    [resumed] = (await fake_api.wait_for_messages(READER, 3))[2:]
    assert resumed.plain_text.startswith("▶️ Resumed") and "07:30" in resumed.plain_text
    again = await store.get(READER)
    assert again is not None and again.subscribed and again.timezone == "Europe/London"
    assert labels(current(fake_api, briefing)) == ["⚙️ Settings", "⏸ Pause"]


async def test_settings_under_the_briefing_opens_the_menu(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    settings = await subscribe(fake_api, database, READER, at=dt.time(7, 30), zone="Europe/London")
    briefing = (await deliver(fake_api, application, clock, settings))[-1]
    await tap(fake_api, briefing, "Settings")
    [menu] = (await fake_api.wait_for_messages(READER, 2))[1:]
    assert menu.plain_text.startswith("⚙️ Settings for") and "Unsubscribe" in str(menu.reply_markup)


async def test_a_group_member_cannot_pause_the_groups_briefing(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    settings = await subscribe(
        fake_api, database, GROUP, at=dt.time(18), zone="UTC", chat_type="supergroup"
    )
    fake_api.set_member_status(GROUP, MEMBER, "member")
    fake_api.set_member_status(GROUP, ADMIN, "administrator")
    briefing = (await deliver(fake_api, application, clock, settings))[-1]
    answer = await tap(fake_api, briefing, "Pause", user_id=MEMBER)
    assert "administrators" in str(answer.get("text")) and answer.get("show_alert") is True
    still = await SubscriberStore(database).get(GROUP)
    assert still is not None and still.subscribed

    await tap(fake_api, briefing, "Pause", user_id=ADMIN)
    [paused] = (await fake_api.wait_for_messages(GROUP, 2))[1:]
    assert paused.plain_text.startswith("⏸ Paused")
    gone = await SubscriberStore(database).get(GROUP)
    assert gone is not None and not gone.subscribed


async def test_in_a_channel_the_answers_go_to_the_administrator_not_the_channel(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    settings = await subscribe(
        fake_api, database, CHANNEL, at=dt.time(8), zone="UTC", chat_type="channel"
    )
    fake_api.set_member_status(CHANNEL, ADMIN, "administrator")
    fake_api.add_chat(ADMIN, "private")
    briefing = (await deliver(fake_api, application, clock, settings))[-1]

    answer = await tap(fake_api, briefing, "Settings", user_id=ADMIN)
    assert "private chat" in str(answer.get("text"))
    [menu] = await fake_api.wait_for_messages(ADMIN)
    assert "Settings for Readers" in menu.plain_text

    answer = await tap(fake_api, briefing, "Pause", user_id=ADMIN)
    assert str(answer.get("text")).startswith("⏸ Paused") and answer.get("show_alert") is True
    assert len(fake_api.sent_messages(CHANNEL)) == 1, "nothing posted to the channel's readers"
    paused = await SubscriberStore(database).get(CHANNEL)
    assert paused is not None and not paused.subscribed


async def test_a_channel_administrator_without_a_private_chat_is_told_to_open_one(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    settings = await subscribe(
        fake_api, database, CHANNEL, at=dt.time(8), zone="UTC", chat_type="channel"
    )
    fake_api.set_member_status(CHANNEL, ADMIN, "administrator")
    briefing = (await deliver(fake_api, application, clock, settings))[-1]
    answer = await tap(fake_api, briefing, "Settings", user_id=ADMIN)
    assert "Open a private chat" in str(answer.get("text")) and answer.get("show_alert") is True
    assert len(fake_api.sent_messages(CHANNEL)) == 1, "the menu is not posted to the channel"
