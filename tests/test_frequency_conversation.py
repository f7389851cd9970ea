"""Delivery frequency and forum topics through the fake Bot API, with the real delivery job
run on the bot's clock (no sleeps): /frequency weekly → one message a week with the week's
stories; weekdays → nothing on Saturday or Sunday; /settings shows and changes it with
buttons; in a forum the briefing goes to the topic /subscribe was sent in."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest

from bot.models import Frequency, Subscriber
from bot.store.database import Database
from bot.store.items import ItemRow, ItemStore
from bot.store.subscribers import SubscriberStore
from handlers.context import BotApplication
from tests.support.app import Clock, make_settings, pause_job, run_job, running_bot
from tests.support.fakebotapi import FakeBotAPI, SentMessage
from tests.support.newsitems import stored_item
from tests.test_subscription_conversation import press, say

READER = 9201
KOREAN_READER = 9202
FORUM = -1009203
ADMIN = 9204
LONDON = ZoneInfo("Europe/London")


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


async def settings_of(database: Database, chat_id: int) -> Subscriber:
    settings = await SubscriberStore(database).get(chat_id)
    assert settings is not None and settings.next_delivery_at is not None
    return settings


async def deliver_at(
    api: FakeBotAPI, application: BotApplication, clock: Clock, chat_id: int, at: dt.datetime
) -> list[SentMessage]:
    """Run the delivery job at ``at``; what it sent the chat (the job awaits its sends)."""
    before = len(api.sent_messages(chat_id))
    clock.set(at)
    await run_job(application, "deliver-editions")
    return api.sent_messages(chat_id)[before:]


def local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(LONDON)


async def test_a_weekly_reader_gets_one_message_a_week_with_the_weeks_stories(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    await say(fake_api, READER, "/subscribe 07:30 London")
    reply = await say(fake_api, READER, "/frequency weekly mon")
    assert "every Monday at 07:30 (London time)" in reply.plain_text
    assert "the week's top stories in one message" in reply.plain_text
    settings = await settings_of(database, READER)
    assert (settings.frequency, settings.delivery_weekday) == (Frequency.WEEKLY, 0)
    first = settings.next_delivery_at
    assert first is not None and local(first).weekday() == 0
    assert local(first).time() == dt.time(7, 30)

    def item(slug: str, title: str, days_ago: float) -> ItemRow:
        published = first - dt.timedelta(days=days_ago)
        return stored_item(
            f"https://news.example/{slug}", title, published_at=published, fetched_at=published
        )

    await ItemStore(database).add_items(
        [
            item("tuesday", "North Korea fires cruise missiles off west coast", 6),
            item("sunday", "Seoul and Tokyo hold talks on missile warning data", 0.5),
            item("old", "Pyongyang parade shows new launcher vehicles", 8),
        ]
    )

    [weekly] = await deliver_at(fake_api, application, clock, READER, first)
    text = weekly.plain_text
    assert text.startswith("🗞 Your weekly briefing: Monday")
    assert "North Korea fires cruise missiles" in text, "six days ago is this week"
    assert "Seoul and Tokyo hold talks" in text
    assert "Pyongyang parade" not in text, "eight days ago is last week"
    assert len(text) <= 4096

    for day in range(1, 7):  # Tuesday to Sunday: nothing
        assert (
            await deliver_at(fake_api, application, clock, READER, first + dt.timedelta(days=day))
            == []
        ), f"day {day}"
    [next_week] = await deliver_at(
        fake_api, application, clock, READER, first + dt.timedelta(days=7)
    )
    assert "A quiet week" in next_week.plain_text


async def test_a_weekdays_reader_gets_nothing_on_saturday_or_sunday(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    await say(fake_api, READER, "/subscribe 07:30 London")
    reply = await say(fake_api, READER, "/frequency weekdays")
    assert "on weekdays at 07:30 (London time)" in reply.plain_text
    at = (await settings_of(database, READER)).next_delivery_at
    assert at is not None
    delivered_on = []
    for day in range(7):  # a week of mornings, from the next one due
        sent = await deliver_at(fake_api, application, clock, READER, at + dt.timedelta(days=day))
        if sent:
            delivered_on.append(local(at + dt.timedelta(days=day)).weekday())
    assert sorted(delivered_on) == [0, 1, 2, 3, 4]


async def test_settings_show_and_change_the_frequency_with_buttons(
    fake_api: FakeBotAPI, application: BotApplication, database: Database
) -> None:
    await say(fake_api, READER, "/subscribe 07:30 London")
    menu = await say(fake_api, READER, "/settings")
    assert "Delivery: every day at 07:30 (London time)" in menu.plain_text
    choices = await press(fake_api, menu, "How often: every day")
    assert "How often should the briefing come?" in choices.plain_text
    home = await press(fake_api, choices, "Weekly · Fri")
    assert "Delivery: every Friday at 07:30 (London time)" in home.plain_text
    settings = await settings_of(database, READER)
    assert (settings.frequency, settings.delivery_weekday) == (Frequency.WEEKLY, 4)
    assert settings.next_delivery_at is not None
    assert local(settings.next_delivery_at).weekday() == 4
    choices = await press(fake_api, home, "How often: every Friday")
    home = await press(fake_api, choices, "Weekdays")
    assert "Delivery: on weekdays at 07:30" in home.plain_text


async def test_frequency_in_korean(fake_api: FakeBotAPI, application: BotApplication) -> None:
    await say(fake_api, KOREAN_READER, "/subscribe 오전 7시 서울", language_code="ko")
    reply = await say(fake_api, KOREAN_READER, "/frequency 매주 금요일", language_code="ko")
    assert "이제 매주 금요일 오전 7:00(한국 시간)에 브리핑을 보내 드립니다" in reply.plain_text
    status = await say(fake_api, KOREAN_READER, "/status", language_code="ko")
    assert "받는 시각: 매주 금요일 오전 7:00(한국 시간)" in status.plain_text
    weekdays = await say(fake_api, KOREAN_READER, "/frequency 평일", language_code="ko")
    assert "이제 평일 오전 7:00(한국 시간)에" in weekdays.plain_text
    wrong = await say(fake_api, KOREAN_READER, "/frequency 매시간", language_code="ko")
    assert "받는 주기를 알아보지 못했습니다" in wrong.plain_text


async def test_frequency_is_for_group_administrators(
    fake_api: FakeBotAPI, application: BotApplication
) -> None:
    fake_api.add_forum(FORUM, topics=(42,))
    fake_api.set_member_status(FORUM, 9299, "member")
    reply = await say(
        fake_api, FORUM, "/frequency weekly", user_id=9299, chat_type="supergroup", thread_id=42
    )
    assert "Only this chat's administrators" in reply.plain_text
    assert reply.message_thread_id == 42, "the reply stays in the topic"


# ── forum topics ─────────────────────────────────────────────────────────────


async def subscribe_in_topic(
    api: FakeBotAPI, thread_id: int, command: str = "/subscribe 07:30 London"
) -> SentMessage:
    return await say(
        api, FORUM, command, user_id=ADMIN, chat_type="supergroup", thread_id=thread_id
    )


async def test_the_briefing_goes_to_the_topic_subscribe_was_sent_in(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    fake_api.add_forum(FORUM, topics=(42, 7))
    fake_api.set_member_status(FORUM, ADMIN, "administrator")
    reply = await subscribe_in_topic(fake_api, 42)
    assert reply.message_thread_id == 42
    settings = await settings_of(database, FORUM)
    assert settings.message_thread_id == 42
    assert settings.next_delivery_at is not None
    briefing = await deliver_at(fake_api, application, clock, FORUM, settings.next_delivery_at)
    assert briefing and {m.message_thread_id for m in briefing} == {42}

    await subscribe_in_topic(fake_api, 7, "/subscribe")  # moving it to another topic
    settings = await settings_of(database, FORUM)
    assert settings.message_thread_id == 7
    assert settings.next_delivery_at is not None
    moved = await deliver_at(fake_api, application, clock, FORUM, settings.next_delivery_at)
    assert moved and {m.message_thread_id for m in moved} == {7}


async def test_a_deleted_topic_sends_the_briefing_to_the_general_topic(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock, database: Database
) -> None:
    fake_api.add_forum(FORUM, topics=(42,))
    fake_api.set_member_status(FORUM, ADMIN, "administrator")
    await subscribe_in_topic(fake_api, 42)
    fake_api.delete_forum_topic(FORUM, 42)
    settings = await settings_of(database, FORUM)
    assert settings.next_delivery_at is not None
    briefing = await deliver_at(fake_api, application, clock, FORUM, settings.next_delivery_at)
    assert briefing, "not lost"
    assert {m.message_thread_id for m in briefing} == {None}
    assert "briefing" in briefing[0].plain_text.lower()
    after = await settings_of(database, FORUM)
    assert after.message_thread_id is None, "the topic is forgotten"
    assert after.subscribed
    failed = [call for call in fake_api.errors if "thread not found" in call.description]
    assert len(failed) == 1, "one try at the deleted topic, then the General topic"


async def test_subscribing_with_the_settings_button_in_a_topic_uses_that_topic(
    fake_api: FakeBotAPI, application: BotApplication, database: Database
) -> None:
    fake_api.add_forum(FORUM, topics=(42,))
    fake_api.set_member_status(FORUM, ADMIN, "administrator")
    menu = await subscribe_in_topic(fake_api, 42, "/settings")
    assert menu.message_thread_id == 42
    await press(fake_api, menu, "Subscribe", user_id=ADMIN)
    settings = await settings_of(database, FORUM)
    assert settings.subscribed and settings.message_thread_id == 42


async def test_frequency_without_words_explains_itself(
    fake_api: FakeBotAPI, application: BotApplication, database: Database
) -> None:
    reply = await say(fake_api, READER, "/frequency")
    assert "/frequency weekdays" in reply.plain_text and "Mondays" in reply.plain_text
    saved = await say(fake_api, READER, "/frequency friday")
    assert "/subscribe will send the briefing every Friday at" in saved.plain_text
    settings = await SubscriberStore(database).get(READER)
    assert settings is not None and not settings.subscribed
    assert (settings.frequency, settings.delivery_weekday) == (Frequency.WEEKLY, 4)
