"""A new reader's first steps never end in silence or a thrown-away setting, through the
fake Bot API: a mistyped command, settings sent before /subscribe, the zone buttons under
the /subscribe answer, zone typos answered with buttons, and times written the Korean way.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import time

import pytest

from bot.models import Topic
from bot.store.database import Database
from bot.store.subscribers import SubscriberStore
from handlers.context import BotApplication
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import PATIENCE, FakeBotAPI, SentMessage
from tests.test_subscription_conversation import press, say

ALICE = 5101
MINSU = 5102
GROUP = -4201
ADMIN = 6201


@pytest.fixture
async def application(fake_api: FakeBotAPI, database_url: str) -> AsyncIterator[BotApplication]:
    """The bot on SQLite and on PostgreSQL (``database_url`` is parametrized over both)."""
    async with running_bot(make_settings(fake_api, database_url)) as app:
        yield app


@pytest.fixture
async def store(database_url: str, application: BotApplication) -> AsyncIterator[SubscriberStore]:
    """A second view of the bot's database (opened after the bot migrated it)."""
    database = Database(database_url)
    await database.open()
    try:
        yield SubscriberStore(database)
    finally:
        await database.close()


async def settled(api: FakeBotAPI, application: BotApplication) -> None:
    """Every queued update has reached the bot and its handlers have returned."""
    await api.wait_for(lambda: api.pending_updates == 0, what="the updates taken")
    await asyncio.wait_for(application.update_queue.join(), PATIENCE)


def labels(message: SentMessage) -> list[str]:
    markup = message.reply_markup or {"inline_keyboard": []}
    return [key["text"] for row in markup["inline_keyboard"] for key in row]


# ── a mistyped command ───────────────────────────────────────────────────────


async def test_a_mistyped_command_in_private_names_the_nearest_and_help(
    fake_api: FakeBotAPI, application: BotApplication
) -> None:
    english = await say(fake_api, ALICE, "/subscrbe")
    assert english.plain_text == (
        "I don't know /subscrbe. Did you mean /subscribe? /help lists every command."
    )
    korean = await say(fake_api, MINSU, "/setings", language_code="ko")
    assert "/setings 명령어는 없습니다" in korean.plain_text
    assert "혹시 /settings" in korean.plain_text and "/help" in korean.plain_text
    nothing_near = await say(fake_api, ALICE, "/weather")
    assert nothing_near.plain_text == "I don't know /weather. /help lists every command."
    # Telegram marks no command in "/구독", but the reader meant one, not a link.
    hangul = await say(fake_api, MINSU, "/구독 오전 7시", language_code="ko")
    assert "/구독 명령어는 없습니다" in hangul.plain_text and "/subscribe" in hangul.plain_text


async def test_unknown_commands_in_a_group_and_other_bots_commands_get_silence(
    fake_api: FakeBotAPI, application: BotApplication
) -> None:
    group = {"user_id": ADMIN, "chat_type": "supergroup", "title": "Korea watchers"}
    fake_api.user_says(GROUP, "/subscrbe", **group)  # type: ignore[arg-type]
    fake_api.user_says(GROUP, "/weather@otherbot", **group)  # type: ignore[arg-type]
    fake_api.user_says(GROUP, "/구독", **group)  # type: ignore[arg-type]
    fake_api.user_says(ALICE, "/weather@otherbot")  # another bot's, even in private
    await settled(fake_api, application)
    assert fake_api.sent_messages(GROUP) == []
    assert fake_api.sent_messages(ALICE) == []
    # Our own commands still work, addressed to us or not.
    reply = await say(fake_api, ALICE, f"/subscrbe@{fake_api.bot_user['username']}")
    assert "Did you mean /subscribe?" in reply.plain_text


# ── settings before /subscribe ───────────────────────────────────────────────


async def test_settings_sent_before_subscribing_are_kept_and_used(
    fake_api: FakeBotAPI, store: SubscriberStore
) -> None:
    saved_time = await say(fake_api, ALICE, "/time 7am")
    assert "Saved" in saved_time.plain_text
    assert "/subscribe will send the briefing every day at 07:00 (Seoul time)" in (
        saved_time.plain_text
    )
    saved_zone = await say(fake_api, ALICE, "/timezone London")
    assert "every day at 07:00 (London time)" in saved_zone.plain_text
    topics = await say(fake_api, ALICE, "/topics")
    assert "Not subscribed yet" in topics.plain_text
    await press(fake_api, topics, "Security")
    status = await say(fake_api, ALICE, "/status")
    assert "Not subscribed" in status.plain_text and "07:00 (London time)" in status.plain_text

    subscribed = await say(fake_api, ALICE, "/subscribe")
    assert "Subscribed" in subscribed.plain_text
    assert "every day at 07:00 (London time)" in subscribed.plain_text
    assert "Which time zone" not in subscribed.plain_text, "the reader named it"
    settings = await store.get(ALICE)
    assert settings is not None and settings.subscribed
    assert (settings.delivery_time, settings.timezone) == (time(7), "Europe/London")
    assert Topic.SECURITY not in settings.topics


# ── the /subscribe answer's buttons ──────────────────────────────────────────


async def test_subscribe_asks_an_english_reader_for_the_zone_with_buttons(
    fake_api: FakeBotAPI, store: SubscriberStore
) -> None:
    answer = await say(fake_api, ALICE, "/subscribe")
    assert "Which time zone are you in? For now it's Seoul time." in answer.plain_text
    assert {"Seoul", "London", "New York", "⏰ Change time"} <= set(labels(answer))
    menu = await press(fake_api, answer, "London")
    assert "07:30 (London time)" in menu.plain_text
    settings = await store.get(ALICE)
    assert settings is not None and settings.timezone == "Europe/London"
    assert settings.timezone_chosen
    again = await say(fake_api, ALICE, "/subscribe")
    assert "already subscribed" in again.plain_text
    picker = await press(fake_api, again, "Change time zone")
    assert "Pick a time zone" in picker.plain_text
    assert "• London" in labels(picker)


async def test_a_korean_reader_is_not_asked_and_changes_the_time_by_button(
    fake_api: FakeBotAPI, store: SubscriberStore
) -> None:
    answer = await say(fake_api, MINSU, "/subscribe", language_code="ko")
    assert "매일 오전 7:30(한국 시간)에 브리핑을 보내 드립니다" in answer.plain_text
    assert "시간대를 확인해" not in answer.plain_text
    assert labels(answer) == ["⏰ 시각 변경", "🌐 시간대 변경"]
    picker = await press(fake_api, answer, "시각 변경")
    assert "오전 6:00" in labels(picker) and "오후 6:00" in labels(picker)
    menu = await press(fake_api, picker, "오후 9:00")
    assert "매일 오후 9:00(한국 시간)" in menu.plain_text
    settings = await store.get(MINSU)
    assert settings is not None and settings.delivery_time == time(21)


# ── zone typos ───────────────────────────────────────────────────────────────


async def test_a_zone_typo_gets_buttons_for_the_zones_meant(
    fake_api: FakeBotAPI, store: SubscriberStore
) -> None:
    typo = await say(fake_api, ALICE, "/timezone Londn")
    assert "don't know the time zone “Londn”" in typo.plain_text
    assert "Did you mean one of these?" in typo.plain_text
    assert labels(typo) == ["London"]
    menu = await press(fake_api, typo, "London")
    assert "London time" in menu.plain_text
    settings = await store.get(ALICE)
    assert settings is not None and settings.timezone == "Europe/London"

    # A /subscribe whose zone is mistyped keeps its time for the zone buttons.
    subscribe_typo = await say(fake_api, MINSU, "/subscribe 6:45 Tokio")
    menu = await press(fake_api, subscribe_typo, "Tokyo")
    assert "Not subscribed" in menu.plain_text and "06:45 (Tokyo time)" in menu.plain_text
    subscribed = await press(fake_api, menu, "Subscribe")
    kept = await store.get(MINSU)
    assert "Subscribed" in subscribed.plain_text and kept is not None and kept.subscribed
    assert (kept.delivery_time, kept.timezone) == (time(6, 45), "Asia/Tokyo")

    nowhere = await say(fake_api, ALICE, "/timezone Mars/Olympus")
    assert "don't know the time zone" in nowhere.plain_text
    assert nowhere.reply_markup is None, "no unrelated zones such as Asia/Omsk"
    assert "Did you mean" not in nowhere.plain_text


async def test_a_korean_zone_typo_gets_korean_city_buttons(
    fake_api: FakeBotAPI, store: SubscriberStore
) -> None:
    typo = await say(fake_api, MINSU, "/timezone 런돈", language_code="ko")
    assert "“런돈” 시간대를 찾지 못했습니다" in typo.plain_text
    assert labels(typo) == ["런던"]
    await press(fake_api, typo, "런던")
    settings = await store.get(MINSU)
    assert settings is not None and settings.timezone == "Europe/London"
    city = await say(fake_api, MINSU, "/timezone 뉴욕", language_code="ko")
    assert "(뉴욕 시간)" in city.plain_text


async def test_a_group_member_cannot_press_a_zone_suggestion(
    fake_api: FakeBotAPI, store: SubscriberStore
) -> None:
    member = 6202
    fake_api.add_chat(GROUP, "supergroup", title="Korea watchers")
    fake_api.set_member_status(GROUP, ADMIN, "administrator")
    fake_api.set_member_status(GROUP, member, "member")
    typo = await say(
        fake_api,
        GROUP,
        "/timezone Tokio",
        user_id=ADMIN,
        chat_type="supergroup",
        title="Korea watchers",
    )
    await press(fake_api, typo, "Tokyo", user_id=member, edits=False)
    assert "administrators" in fake_api.callback_answers()[-1].get("text", "")
    assert await store.get(GROUP) is None, "nothing stored: the typo changed nothing either"


# ── Korean times ─────────────────────────────────────────────────────────────


async def test_korean_subscribe_with_a_three_word_time_and_a_korean_city(
    fake_api: FakeBotAPI, store: SubscriberStore
) -> None:
    answer = await say(fake_api, MINSU, "/subscribe 오후 7시 30분 서울", language_code="ko")
    assert "매일 오후 7:30(한국 시간)에 브리핑을 보내 드립니다" in answer.plain_text
    assert "19:30" not in answer.plain_text and "Asia/Seoul" not in answer.plain_text
    settings = await store.get(MINSU)
    assert settings is not None
    assert (settings.delivery_time, settings.timezone) == (time(19, 30), "Asia/Seoul")
    changed = await say(fake_api, MINSU, "/time 오전 7시 반", language_code="ko")
    assert "이제 매일 오전 7:30(한국 시간)에" in changed.plain_text
    status = await say(fake_api, MINSU, "/status", language_code="ko")
    assert "매일 오전 7:30(한국 시간)" in status.plain_text
    help_text = await say(fake_api, MINSU, "/help", language_code="ko")
    assert "/subscribe 오후 7시 30분 서울" in help_text.plain_text
