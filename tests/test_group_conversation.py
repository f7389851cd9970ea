"""Groups and channels through the fake Bot API: the greeting when the bot is added, the
chat's starting language, /start and /help there, and what a refused member is told."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest

from bot.store.database import Database
from bot.store.subscribers import SubscriberStore
from handlers.context import BotApplication
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import PATIENCE, FakeBotAPI, SentMessage
from tests.support.waiting import eventually

GROUP = -4101
ADDER = 6101
MEMBER = 6102
CHANNEL = -1004445556667


@pytest.fixture
async def application(fake_api: FakeBotAPI, sqlite_url: str) -> AsyncIterator[BotApplication]:
    async with running_bot(make_settings(fake_api, sqlite_url)) as app:
        yield app


@pytest.fixture
async def store(sqlite_url: str, application: BotApplication) -> AsyncIterator[SubscriberStore]:
    """A second view of the bot's database (opened after the bot migrated it)."""
    database = Database(sqlite_url)
    await database.open()
    try:
        yield SubscriberStore(database)
    finally:
        await database.close()


def korean(text: str) -> bool:
    """Mostly Hangul (other helpers may reword a Korean string; its language stays)."""
    letters: list[str] = re.findall(r"[A-Za-z가-힣]", text)
    return sum("가" <= c <= "힣" for c in letters) > len(letters) / 2


async def settled(api: FakeBotAPI, application: BotApplication) -> None:
    """Every queued update has reached the bot and its handlers have returned."""
    await api.wait_for(lambda: api.pending_updates == 0, what="the updates taken")
    await asyncio.wait_for(application.update_queue.join(), PATIENCE)


async def say_in_group(
    api: FakeBotAPI, text: str, *, user_id: int = MEMBER, language_code: str = "en"
) -> SentMessage:
    before = len(api.sent_messages(GROUP))
    api.user_says(
        GROUP,
        text,
        user_id=user_id,
        chat_type="supergroup",
        title="Korea watchers",
        language_code=language_code,
    )
    return (await api.wait_for_messages(GROUP, count=before + 1))[before]


@pytest.mark.parametrize(
    ("language_code", "expected"),
    [
        ("en", ["Hello", "reply /summarize", "administrators", "/subscribe"]),
        ("ko", ["안녕하세요", "/summarize 로 답장", "관리자", "/subscribe"]),
    ],
)
async def test_added_to_a_group_the_bot_greets_once_in_the_adders_language(
    fake_api: FakeBotAPI,
    application: BotApplication,
    store: SubscriberStore,
    language_code: str,
    expected: list[str],
) -> None:
    fake_api.user_adds_bot(
        GROUP,
        user_id=ADDER,
        chat_type="supergroup",
        title="Korea watchers",
        language_code=language_code,
    )
    [greeting] = await fake_api.wait_for_messages(GROUP)
    await settled(fake_api, application)
    assert len(fake_api.sent_messages(GROUP)) == 1, "the service message adds no second greeting"
    for phrase in expected:
        assert phrase in greeting.plain_text
    settings = await store.get(GROUP)
    assert settings is not None and settings.language == language_code
    assert not settings.subscribed, "joining is not subscribing"


async def test_the_adders_language_is_the_groups_language_afterwards(
    fake_api: FakeBotAPI, application: BotApplication, store: SubscriberStore
) -> None:
    fake_api.user_adds_bot(
        GROUP, user_id=ADDER, chat_type="supergroup", title="Korea watchers", language_code="ko"
    )
    await fake_api.wait_for_messages(GROUP)
    # A member whose Telegram app is in English reads the group's language.
    reply = await say_in_group(fake_api, "/status", language_code="en")
    assert korean(reply.plain_text)


async def test_a_promotion_to_administrator_is_not_a_second_arrival(
    fake_api: FakeBotAPI, application: BotApplication
) -> None:
    fake_api.user_adds_bot(GROUP, user_id=ADDER, chat_type="supergroup", title="Korea watchers")
    await fake_api.wait_for_messages(GROUP)
    bot = fake_api.bot_user
    fake_api.push_update(
        {
            "my_chat_member": {
                "chat": {"id": GROUP, "type": "supergroup", "title": "Korea watchers"},
                "from": {"id": ADDER, "is_bot": False, "first_name": "Admin"},
                "date": 0,
                "old_chat_member": {"status": "member", "user": bot},
                "new_chat_member": {
                    "status": "administrator",
                    "user": bot,
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": False,
                    "can_manage_video_chats": False,
                    "can_restrict_members": False,
                    "can_promote_members": False,
                    "can_change_info": False,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                },
            }
        }
    )
    await settled(fake_api, application)
    assert len(fake_api.sent_messages(GROUP)) == 1


async def test_a_channel_starts_in_its_adders_language_without_a_post(
    fake_api: FakeBotAPI, application: BotApplication, store: SubscriberStore
) -> None:
    fake_api.user_adds_bot(
        CHANNEL, user_id=ADDER, chat_type="channel", title="한반도 브리핑", language_code="ko"
    )

    async def known() -> bool:
        return await store.get(CHANNEL) is not None

    await eventually(known, "the channel row")
    await settled(fake_api, application)
    settings = await store.get(CHANNEL)
    assert settings is not None and settings.language == "ko"
    assert fake_api.sent_messages(CHANNEL) == [], "a channel post would reach every subscriber"
    fake_api.channel_posts(CHANNEL, "/subscribe", title="한반도 브리핑")
    [reply] = await fake_api.wait_for_messages(CHANNEL)
    assert korean(reply.plain_text)


@pytest.mark.parametrize(
    ("command", "language_code", "expected", "absent"),
    [
        ("/start", "en", ["reply /summarize", "administrators", "/subscribe"], "paste a link"),
        ("/help", "en", ["/summarize — in reply", "/status"], "just send me"),
        ("/start", "ko", ["/summarize 로 답장", "그룹 관리자"], "붙여 넣거나"),
        ("/help", "ko", ["답장으로", "/status"], "최대 3개"),
    ],
)
async def test_start_and_help_in_a_group_say_what_works_there(
    fake_api: FakeBotAPI,
    application: BotApplication,
    command: str,
    language_code: str,
    expected: list[str],
    absent: str,
) -> None:
    reply = await say_in_group(fake_api, command, language_code=language_code)
    for phrase in expected:
        assert phrase in reply.plain_text
    assert absent not in reply.plain_text


async def test_a_refused_member_is_told_what_a_member_can_do(
    fake_api: FakeBotAPI, application: BotApplication
) -> None:
    fake_api.add_chat(GROUP, "supergroup", title="Korea watchers")
    fake_api.set_member_status(GROUP, MEMBER, "member")
    reply = await say_in_group(fake_api, "/subscribe")
    assert "administrators" in reply.plain_text
    assert "/status" in reply.plain_text and "ask an administrator" in reply.plain_text
    korean = await say_in_group(fake_api, "/time 8:00", language_code="ko")
    assert "/status" in korean.plain_text and "관리자에게 요청" in korean.plain_text
