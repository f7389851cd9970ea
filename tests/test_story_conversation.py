"""Story threads through the fake Bot API: a story in the morning briefing continues the
next morning as "Day 2 · +N outlets since yesterday", its 🧵 button shows the thread day
by day, and /story finds it by words. Time is the bot's injected clock; the items are
stored as the poller stores them."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.formatting import MESSAGE_LIMIT, utf16_length
from bot.models import Subscriber
from bot.services import Services
from bot.store.items import ItemRow, ItemStore
from bot.store.subscribers import SubscriberStore
from handlers.context import BotApplication
from tests.support.app import Clock, make_settings, pause_job, running_bot
from tests.support.fakebotapi import FakeBotAPI, SentMessage
from tests.support.newsitems import stored_item
from tests.support.pageserver import PageServer
from tests.support.waiting import eventually
from tests.test_follows_conversation import LAUNCH as FOLLOWED_LAUNCH
from tests.test_follows_conversation import Feeds
from tests.test_subscription_conversation import button, say

READER = 9301
CHANNEL = -1009302
ADMIN = 9303
SEOUL = ZoneInfo("Asia/Seoul")
LAUNCH = "North Korea fires ballistic missile into East Sea, JCS says"
EXCERPT = "North Korea fired a ballistic missile into the East Sea, the JCS said."


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def application(
    fake_api: FakeBotAPI, sqlite_url: str, clock: Clock
) -> AsyncIterator[BotApplication]:
    async with running_bot(make_settings(fake_api, sqlite_url), clock=clock) as app:
        pause_job(app, "deliver-editions")  # the test runs it
        yield app


def services_of(application: BotApplication) -> Services:
    services = application.bot_data.services
    assert services is not None
    return services


def report(
    name: str, source: str, at: dt.datetime, title: str = LAUNCH, excerpt: str = EXCERPT
) -> ItemRow:
    return stored_item(
        f"https://{source.lower().replace(' ', '')}.example/{name}",
        title,
        published_at=at,
        fetched_at=at,
        source=source,
        excerpt=excerpt,
    )


async def subscribe(
    api: FakeBotAPI,
    services: Services,
    language: str,
    chat_id: int = READER,
    chat_type: str = "private",
) -> Subscriber:
    api.add_chat(chat_id, chat_type, title=None if chat_type == "private" else "Readers")
    store = SubscriberStore(services.database)
    settings, _ = await store.subscribe(
        chat_id,
        chat_type=chat_type,
        title="Reader",
        language=language,
        timezone="Asia/Seoul",
        delivery_time=dt.time(7, 0),
        now=dt.datetime.now(dt.UTC),
    )
    return settings


async def deliver(
    api: FakeBotAPI,
    application: BotApplication,
    clock: Clock,
    at: dt.datetime,
    chat_id: int = READER,
) -> list[SentMessage]:
    """Run the delivery job at ``at``; the messages it sent the chat."""
    before = len(api.sent_messages(chat_id))
    clock.set(at)
    assert application.job_queue is not None
    [job] = application.job_queue.get_jobs_by_name("deliver-editions")
    await job.run(application)
    return (await api.wait_for_messages(chat_id, before + 1))[before:]


async def tap(api: FakeBotAPI, message: SentMessage, label: str) -> SentMessage:
    """Press a button under ``message``; the message the bot sent in answer."""
    before = len(api.sent_messages(READER))
    api.user_presses(READER, message.message_id, button(message, label))
    return (await api.wait_for_messages(READER, before + 1))[before]


async def two_mornings(
    api: FakeBotAPI, application: BotApplication, clock: Clock, language: str
) -> tuple[list[SentMessage], list[SentMessage]]:
    """A launch reported by Yonhap and NK News before the first morning's briefing, a
    follow-up by Korea Herald that evening, Reuters and AP before the second morning."""
    services = services_of(application)
    settings = await subscribe(api, services, language)
    assert settings.next_delivery_at is not None
    day_one = settings.next_delivery_at
    items = ItemStore(services.database)
    await items.add_items(
        [
            report("1", "Yonhap", day_one - dt.timedelta(hours=3)),
            report("2", "NK News", day_one - dt.timedelta(hours=2)),
        ]
    )
    first = await deliver(api, application, clock, day_one)

    # That evening a poll brings a follow-up, and the stories are built again (a poll
    # that stores relevant items builds them: the link between the two windows).
    evening = day_one + dt.timedelta(hours=11)
    await items.add_items([report("3", "Korea Herald", evening - dt.timedelta(minutes=30))])
    services.editions.invalidate()
    await services.editions.stories(evening)

    day_two = day_one + dt.timedelta(days=1)
    await items.add_items(
        [
            report("4", "Reuters", day_two - dt.timedelta(hours=2)),
            report("5", "AP", day_two - dt.timedelta(hours=1)),
        ]
    )
    services.editions.invalidate()
    second = await deliver(api, application, clock, day_two)
    return first, second


async def test_a_story_continues_across_two_editions_and_its_button_shows_the_thread(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock
) -> None:
    first, second = await two_mornings(fake_api, application, clock, "en")

    [day_one] = first
    assert "North Korea fires ballistic missile" in day_one.plain_text
    assert "Day " not in day_one.plain_text, "a new story is not a continuation"
    thread_button = button(day_one, "🧵 North Korea fires")

    [day_two] = second
    lines = day_two.plain_text.splitlines()
    at = lines.index("🧵 Day 2 · +3 outlets since yesterday")
    assert lines[at + 1].startswith("North Korea fires ballistic missile")
    sources = lines[at + 3]
    assert "Reuters" in sources and "Yonhap" not in sources, "only the new outlets"
    assert button(day_two, "🧵 North Korea fires") == thread_button, "the same thread"
    # The delivery's own buttons are still under the last message.
    assert button(day_two, "Settings") and button(day_two, "Pause")

    thread = await tap(fake_api, day_two, "🧵 North Korea fires")
    text = thread.plain_text
    assert text.startswith("🧵 North Korea fires ballistic missile")
    assert "First report: Yonhap, " in text
    assert "5 outlets · 5 reports · 2 days" in text
    day_1, day_2 = text.index("Day 1 · "), text.index("Day 2 · ")
    assert day_1 < text.index("Yonhap — North Korea fires") < day_2
    assert day_2 < text.index("AP — North Korea fires")
    assert "https://ap.example/5" in str(thread.entities)
    assert utf16_length(text) <= MESSAGE_LIMIT


async def test_a_korean_reader_sees_the_continuation_in_korean(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock
) -> None:
    _, second = await two_mornings(fake_api, application, clock, "ko")
    [day_two] = second
    assert "🧵 2일째 · 어제보다 언론사 3곳 추가" in day_two.plain_text
    thread = await tap(fake_api, day_two, "🧵 ")
    assert "첫 보도: " in thread.plain_text
    assert "언론사 5곳 · 기사 5건 · 2일째" in thread.plain_text


async def test_story_alone_explains_itself_and_with_words_finds_the_thread(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock
) -> None:
    await two_mornings(fake_api, application, clock, "en")
    usage = await say(fake_api, READER, "/story")
    assert "Tap 🧵 under a story" in usage.plain_text
    found = await say(fake_api, READER, "/story ballistic missile")
    assert found.plain_text.startswith("🧵 North Korea fires ballistic missile")
    assert "Day 2 · " in found.plain_text
    nothing = await say(fake_api, READER, "/story plutonium")
    assert nothing.plain_text.startswith("I found no story about “plutonium”")


async def test_in_a_channel_the_thread_goes_to_the_presser_and_pause_keeps_the_buttons(
    fake_api: FakeBotAPI, application: BotApplication, clock: Clock
) -> None:
    services = services_of(application)
    settings = await subscribe(fake_api, services, "en", CHANNEL, "channel")
    assert settings.next_delivery_at is not None
    fake_api.set_member_status(CHANNEL, ADMIN, "administrator")
    morning = settings.next_delivery_at
    await ItemStore(services.database).add_items(
        [
            report("1", "Yonhap", morning - dt.timedelta(hours=3)),
            report("2", "NK News", morning - dt.timedelta(hours=2)),
        ]
    )
    [briefing] = await deliver(fake_api, application, clock, morning, CHANNEL)

    # Without a private chat with the bot, the presser is told to open one.
    answers = len(fake_api.callback_answers())
    fake_api.user_presses(CHANNEL, briefing.message_id, button(briefing, "🧵"), user_id=ADMIN)
    await fake_api.wait_for(lambda: len(fake_api.callback_answers()) > answers, what="an answer")
    assert "Open a private chat" in str(fake_api.callback_answers()[answers].get("text"))

    fake_api.add_chat(ADMIN, "private")
    fake_api.user_presses(CHANNEL, briefing.message_id, button(briefing, "🧵"), user_id=ADMIN)
    [thread] = await fake_api.wait_for_messages(ADMIN)
    assert thread.plain_text.startswith("🧵 North Korea fires ballistic missile")
    assert len(fake_api.sent_messages(CHANNEL)) == 1, "nothing posted to the channel's readers"

    # Pause turns into Resume; the story's button stays.
    edits = len(briefing.edits)
    fake_api.user_presses(CHANNEL, briefing.message_id, button(briefing, "Pause"), user_id=ADMIN)
    edited = await fake_api.wait_for(
        lambda: next((m for m in fake_api.sent_messages(CHANNEL) if len(m.edits) > edits), None),
        what="the buttons edited",
    )
    assert button(edited, "Resume") and button(edited, "🧵") == button(briefing, "🧵")


async def test_brief_has_a_story_button_for_each_story(
    fake_api: FakeBotAPI, application: BotApplication
) -> None:
    services = services_of(application)
    now = dt.datetime.now(dt.UTC)  # /brief reads the wall clock
    await ItemStore(services.database).add_items(
        [
            report("1", "Yonhap", now - dt.timedelta(hours=2)),
            report(
                "rate",
                "Korea Herald",
                now - dt.timedelta(hours=1),
                title="Bank of Korea holds base rate steady at 2.50 percent",
                excerpt="The central bank kept its policy rate unchanged for a third time.",
            ),
        ]
    )
    briefing = await say(fake_api, READER, "/brief")
    labels = [b["text"] for row in (briefing.reply_markup or {})["inline_keyboard"] for b in row]
    assert len(labels) == 2, labels
    bank, launch = sorted(labels)
    assert bank.startswith("🧵 Bank of Korea") and launch.startswith("🧵 North Korea fires")
    thread = await tap(fake_api, briefing, "🧵 Bank of Korea")
    assert thread.plain_text.startswith("🧵 Bank of Korea holds base rate steady")
    assert "First report: Korea Herald" in thread.plain_text


async def test_a_poll_that_brings_relevant_items_links_them_to_a_thread(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    """No briefing, no follow: the poll itself builds the stories, so the windows of
    consecutive builds overlap and a thread carries on between editions."""
    feeds = Feeds(page_server, tmp_path)
    feeds.serve("Yonhap", [("launch", *FOLLOWED_LAUNCH)])
    feeds.serve("NK News", [])
    settings = make_settings(fake_api, sqlite_url, briefbot_feeds=feeds.listing)
    async with running_bot(settings) as application:
        threads = services_of(application).threads

        async def linked() -> bool:
            return bool(await threads.links(["https://yonhap.example/launch"]))

        await eventually(linked, "the polled item linked to a thread")
