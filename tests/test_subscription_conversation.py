"""Subscriptions and settings, end to end through the fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from bot.models import Topic
from bot.store.database import Database
from bot.store.subscribers import SubscriberStore
from tests.support.fakebotapi import FakeBotAPI, SentMessage
from tests.support.waiting import eventually

ALICE = 5001
GROUP = -4001
ADMIN = 6001
MEMBER = 6002
CHANNEL = -1009876543210
OWNER = 7001


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SubscriberStore]:
    """A second view of the bot's database, to check what it stored."""
    database = Database(database_url)
    await database.open()
    try:
        yield SubscriberStore(database)
    finally:
        await database.close()


def button(message: SentMessage, label: str) -> str:
    """callback_data of the button whose label contains ``label``."""
    assert message.reply_markup is not None, message.plain_text
    for row in message.reply_markup["inline_keyboard"]:
        for key in row:
            if label in key["text"]:
                return str(key["callback_data"])
    labels = [k["text"] for row in message.reply_markup["inline_keyboard"] for k in row]
    raise AssertionError(f"no button {label!r} in {labels}")


async def say(api: FakeBotAPI, chat_id: int, text: str, **kwargs: object) -> SentMessage:
    """Send ``text`` and return the bot's next message in that chat."""
    before = len(api.sent_messages(chat_id))
    api.user_says(chat_id, text, **kwargs)  # type: ignore[arg-type]
    messages = await api.wait_for_messages(chat_id, count=before + 1)
    return messages[before]


async def press(
    api: FakeBotAPI,
    message: SentMessage,
    label: str,
    user_id: int | None = None,
    *,
    edits: bool = True,
) -> SentMessage:
    """Tap a button and wait for the answer, then (if ``edits``) for the message's edit."""
    answers = len(api.callback_answers())
    edits_before = len(message.edits)
    api.user_presses(message.chat_id, message.message_id, button(message, label), user_id=user_id)
    await api.wait_for(lambda: len(api.callback_answers()) > answers, what="an answer")

    def current() -> SentMessage:
        [now] = [
            m for m in api.sent_messages(message.chat_id) if m.message_id == message.message_id
        ]
        return now

    if not edits:
        return current()
    return await api.wait_for(
        lambda: current() if len(current().edits) > edits_before else None, what="the edit"
    )


async def has_row(store: SubscriberStore, chat_id: int) -> bool:
    return await store.get(chat_id) is not None


# ── private chat ─────────────────────────────────────────────────────────────


async def test_subscribe_names_the_next_delivery_and_is_idempotent(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    reply = await say(api, ALICE, "/subscribe")
    assert "Subscribed" in reply.plain_text and "07:30 (Seoul time)" in reply.plain_text
    assert "the next one on" in reply.plain_text  # the next delivery, in local time
    again = await say(api, ALICE, "/subscribe")
    assert "already subscribed" in again.plain_text
    assert "Next briefing" in again.plain_text
    assert await store.count_subscribed() == 1


async def test_subscribe_with_a_time_and_a_zone(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    reply = await say(bot_on_each_database, ALICE, "/subscribe 6:45 Europe/London")
    assert "06:45 (London time)" in reply.plain_text
    settings = await store.get(ALICE)
    assert settings is not None and settings.timezone == "Europe/London"
    assert settings.delivery_time.hour == 6 and settings.delivery_time.minute == 45


async def test_time_accepts_friendly_forms_and_explains_bad_ones(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    await say(api, ALICE, "/subscribe")
    assert "07:00" in (await say(api, ALICE, "/time 7am")).plain_text
    assert "19:30" in (await say(api, ALICE, "/time 19:30")).plain_text
    bad = await say(api, ALICE, "/time 25:00")
    assert "couldn't read that time" in bad.plain_text and "/time 07:30" in bad.plain_text
    settings = await store.get(ALICE)
    assert settings is not None and settings.delivery_time.hour == 19


async def test_timezone_accepts_aliases_and_suggests_on_typos(
    bot_on_each_database: FakeBotAPI,
) -> None:
    api = bot_on_each_database
    await say(api, ALICE, "/subscribe 8:00 UTC")
    assert "Seoul time" in (await say(api, ALICE, "/timezone KST")).plain_text
    typo = await say(api, ALICE, "/timezone Asia/Seol")
    assert "don't know the time zone" in typo.plain_text
    assert button(typo, "Seoul") == f"m:{ALICE}:z:Asia/Seoul"
    mars = await say(api, ALICE, "/timezone Mars/Base")
    assert "/timezone Asia/Seoul" in mars.plain_text


async def test_topics_keyboard_toggles_in_place(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    await say(api, ALICE, "/subscribe")
    menu = await say(api, ALICE, "/topics")
    assert button(menu, "✅ Security")
    edited = await press(api, menu, "Security")
    assert edited.message_id == menu.message_id
    assert len(api.sent_messages(ALICE)) == 2  # edited in place, no new message
    assert button(edited, "⬜ Security")
    settings = await store.get(ALICE)
    assert settings is not None and Topic.SECURITY not in settings.topics
    assert Topic.DIPLOMACY in settings.topics


async def test_language_switches_every_reply_to_korean(bot_on_each_database: FakeBotAPI) -> None:
    api = bot_on_each_database
    assert "한국어" in (await say(api, ALICE, "/language ko")).plain_text
    assert "명령어" in (await say(api, ALICE, "/help")).plain_text
    assert "구독" in (await say(api, ALICE, "/status")).plain_text
    bad = await say(api, ALICE, "/language fr")
    assert "/language en" in bad.plain_text


async def test_settings_menu_edits_itself_to_change_the_time(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    await say(api, ALICE, "/subscribe")
    menu = await say(api, ALICE, "/settings")
    assert "Settings for" in menu.plain_text
    picker = await press(api, menu, "Time: 07:30")
    assert "Pick a delivery time" in picker.plain_text
    home = await press(api, picker, "08:00")
    assert "08:00" in home.plain_text
    assert len(api.sent_messages(ALICE)) == 2
    settings = await store.get(ALICE)
    assert settings is not None and settings.delivery_time.hour == 8
    assert all(a.get("callback_query_id") for a in api.callback_answers())


async def test_unsubscribe_then_status(bot_on_each_database: FakeBotAPI) -> None:
    api = bot_on_each_database
    await say(api, ALICE, "/subscribe")
    assert "Unsubscribed" in (await say(api, ALICE, "/unsubscribe")).plain_text
    assert "Not subscribed" in (await say(api, ALICE, "/status")).plain_text
    assert "nothing to stop" in (await say(api, ALICE, "/unsubscribe")).plain_text


async def test_forget_asks_first_then_deletes_everything(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    await say(api, ALICE, "/subscribe")
    question = await say(api, ALICE, "/forget")
    assert "can't be undone" in question.plain_text
    cancelled = await press(api, question, "Cancel")
    assert "nothing was deleted" in cancelled.plain_text
    assert await store.get(ALICE) is not None
    question = await say(api, ALICE, "/forget")
    done = await press(api, question, "Yes, delete")
    assert "nothing about this chat is stored" in done.plain_text
    assert await store.get(ALICE) is None


async def test_new_korean_private_chat_starts_in_korean(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    reply = await say(bot_on_each_database, ALICE, "/subscribe", language_code="ko")
    assert "구독했습니다" in reply.plain_text
    settings = await store.get(ALICE)
    assert settings is not None and settings.language == "ko"


# ── groups ───────────────────────────────────────────────────────────────────


async def test_only_group_admins_may_subscribe(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    api.add_chat(GROUP, "group", title="Korea watchers")
    api.set_member_status(GROUP, ADMIN, "administrator")
    api.set_member_status(GROUP, MEMBER, "member")
    refused = await say(
        api, GROUP, "/subscribe", user_id=MEMBER, chat_type="group", title="Korea watchers"
    )
    assert "administrators" in refused.plain_text
    assert await store.get(GROUP) is None
    ok = await say(
        api, GROUP, "/subscribe", user_id=ADMIN, chat_type="group", title="Korea watchers"
    )
    assert "Subscribed" in ok.plain_text
    settings = await store.get(GROUP)
    assert (
        settings is not None
        and settings.chat_type == "group"
        and settings.title == "Korea watchers"
    )


async def test_group_member_cannot_press_settings_buttons(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    api.add_chat(GROUP, "supergroup", title="Korea watchers")
    api.set_member_status(GROUP, ADMIN, "administrator")
    api.set_member_status(GROUP, MEMBER, "member")
    await say(
        api, GROUP, "/subscribe", user_id=ADMIN, chat_type="supergroup", title="Korea watchers"
    )
    menu = await say(
        api, GROUP, "/settings", user_id=ADMIN, chat_type="supergroup", title="Korea watchers"
    )
    await press(api, menu, "Unsubscribe", user_id=MEMBER, edits=False)
    answer = api.callback_answers()[-1]
    assert "administrators" in answer.get("text", "") and answer.get("show_alert") is True
    settings = await store.get(GROUP)
    assert settings is not None and settings.subscribed


async def test_group_subscription_follows_a_migration_to_supergroup(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    api.add_chat(GROUP, "group", title="Korea watchers")
    api.set_member_status(GROUP, ADMIN, "administrator")
    await say(
        api, GROUP, "/subscribe 9:00", user_id=ADMIN, chat_type="group", title="Korea watchers"
    )
    new_id = -1001112223334
    api.push_update(
        {
            "message": {
                "message_id": 99,
                "date": int(time.time()),
                "chat": {"id": GROUP, "type": "group", "title": "Korea watchers"},
                "from": {"id": ADMIN, "is_bot": False, "first_name": "Admin"},
                "migrate_to_chat_id": new_id,
            }
        }
    )
    await eventually(lambda: has_row(store, new_id), "the migrated row")
    moved = await store.get(new_id)
    assert moved is not None and moved.subscribed and moved.delivery_time.hour == 9
    assert await store.get(GROUP) is None


# ── channels ─────────────────────────────────────────────────────────────────


async def test_subscribe_posted_in_a_channel_subscribes_it(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    api.channel_posts(CHANNEL, "/subscribe 08:00", title="Peninsula Daily")
    [reply] = await api.wait_for_messages(CHANNEL)
    assert "Subscribed" in reply.plain_text and "08:00" in reply.plain_text
    settings = await store.get(CHANNEL)
    assert settings is not None and settings.chat_type == "channel" and settings.subscribed


async def test_channel_admin_manages_the_channel_from_a_private_chat(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    api.add_chat(CHANNEL, "channel", title="Peninsula Daily")
    api.set_member_status(CHANNEL, OWNER, "creator")
    api.push_update(
        {
            "my_chat_member": {
                "chat": {"id": CHANNEL, "type": "channel", "title": "Peninsula Daily"},
                "from": {"id": OWNER, "is_bot": False, "first_name": "Owner"},
                "date": int(time.time()),
                "old_chat_member": {"status": "left", "user": api.bot_user},
                "new_chat_member": {
                    "status": "administrator",
                    "user": api.bot_user,
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_messages": True,
                    "can_edit_messages": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                },
            }
        }
    )
    await eventually(lambda: has_row(store, CHANNEL), "the channel row")
    menu = await say(api, OWNER, "/settings")
    assert "Peninsula Daily" in str(menu.reply_markup)
    channel_menu = await press(api, menu, "Peninsula Daily", user_id=OWNER)
    assert "Settings for Peninsula Daily" in channel_menu.plain_text
    subscribed = await press(api, channel_menu, "Subscribe", user_id=OWNER)
    assert "Subscribed" in subscribed.plain_text
    settings = await store.get(CHANNEL)
    assert settings is not None and settings.subscribed and settings.chat_type == "channel"


async def test_blocking_the_bot_deactivates_the_subscription(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    await say(api, ALICE, "/subscribe")
    api.push_update(
        {
            "my_chat_member": {
                "chat": {"id": ALICE, "type": "private", "first_name": "Test"},
                "from": {"id": ALICE, "is_bot": False, "first_name": "Test"},
                "date": int(time.time()),
                "old_chat_member": {"status": "member", "user": api.bot_user},
                "new_chat_member": {"status": "kicked", "user": api.bot_user, "until_date": 0},
            }
        }
    )

    async def deactivated() -> bool:
        settings = await store.get(ALICE)
        return settings is not None and not settings.subscribed

    await eventually(deactivated, "the deactivation")
    settings = await store.get(ALICE)
    assert settings is not None and settings.deactivated_reason == "blocked"


# ── every command in every kind of chat ──────────────────────────────────────

COMMANDS = [
    ("/time 8:00", "08:00"),
    ("/timezone UTC", "UTC"),
    ("/topics", "Choose the topics"),
    ("/language ko", "한국어"),
    ("/settings", "Settings for"),
    ("/status", "Subscribed"),
    ("/unsubscribe", "Unsubscribed"),
    ("/forget", "can't be undone"),
]


@pytest.mark.parametrize(("command", "expected"), COMMANDS)
async def test_every_command_works_for_a_group_admin(
    bot_on_each_database: FakeBotAPI, command: str, expected: str
) -> None:
    api = bot_on_each_database
    api.add_chat(GROUP, "supergroup", title="Korea watchers")
    api.set_member_status(GROUP, ADMIN, "administrator")
    group = {"user_id": ADMIN, "chat_type": "supergroup", "title": "Korea watchers"}
    await say(api, GROUP, "/subscribe", **group)
    assert expected in (await say(api, GROUP, command, **group)).plain_text


@pytest.mark.parametrize(("command", "_expected"), [c for c in COMMANDS if c[0] != "/status"])
async def test_every_settings_command_is_refused_to_a_group_member(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore, command: str, _expected: str
) -> None:
    api = bot_on_each_database
    api.add_chat(GROUP, "supergroup", title="Korea watchers")
    api.set_member_status(GROUP, ADMIN, "administrator")
    api.set_member_status(GROUP, MEMBER, "member")
    await say(api, GROUP, "/subscribe", user_id=ADMIN, chat_type="supergroup", title="K")
    refused = await say(api, GROUP, command, user_id=MEMBER, chat_type="supergroup", title="K")
    assert "administrators" in refused.plain_text
    settings = await store.get(GROUP)
    assert settings is not None and settings.subscribed and settings.language == "en"


@pytest.mark.parametrize(("command", "expected"), COMMANDS)
async def test_every_command_works_posted_in_a_channel(
    bot_on_each_database: FakeBotAPI, command: str, expected: str
) -> None:
    api = bot_on_each_database
    api.channel_posts(CHANNEL, "/subscribe", title="Peninsula Daily")
    await api.wait_for_messages(CHANNEL, count=1)
    api.channel_posts(CHANNEL, command, title="Peninsula Daily")
    replies = await api.wait_for_messages(CHANNEL, count=2)
    assert expected in replies[1].plain_text


# ── button rights ────────────────────────────────────────────────────────────

VIEWER = 7002


async def test_a_channel_viewer_cannot_press_settings_or_forget_buttons(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    """In a channel every viewer can press the buttons under a post: the presser counts."""
    api = bot_on_each_database
    api.add_chat(CHANNEL, "channel", title="Peninsula Daily")
    api.set_member_status(CHANNEL, VIEWER, "member")
    api.set_member_status(CHANNEL, OWNER, "administrator")
    api.channel_posts(CHANNEL, "/subscribe", title="Peninsula Daily")
    await api.wait_for_messages(CHANNEL, count=1)
    api.channel_posts(CHANNEL, "/settings", title="Peninsula Daily")
    menu = (await api.wait_for_messages(CHANNEL, count=2))[1]
    api.channel_posts(CHANNEL, "/forget", title="Peninsula Daily")
    question = (await api.wait_for_messages(CHANNEL, count=3))[2]

    for message, label in ((menu, "Unsubscribe"), (question, "Yes, delete")):
        await press(api, message, label, user_id=VIEWER, edits=False)
        answer = api.callback_answers()[-1]
        assert "channel's administrators" in answer.get("text", "")
        assert answer.get("show_alert") is True
    settings = await store.get(CHANNEL)
    assert settings is not None and settings.subscribed, "nothing changed"

    await press(api, menu, "Unsubscribe", user_id=OWNER)
    settings = await store.get(CHANNEL)
    assert settings is not None and not settings.subscribed, "an administrator's press works"
    await press(api, question, "Yes, delete", user_id=OWNER)
    assert await store.get(CHANNEL) is None


async def test_a_forged_button_is_out_of_date_and_changes_nothing(
    bot_on_each_database: FakeBotAPI, store: SubscriberStore
) -> None:
    api = bot_on_each_database
    menu = await say(api, ALICE, "/subscribe")
    before = await store.get(ALICE)
    answers = len(api.callback_answers())
    for forged in (f"m:{ALICE}:tt:²", f"m:{ALICE}:tt:99", f"m:{ALICE}:nuke", "f:x:yes", "m:1:"):
        api.user_presses(ALICE, menu.message_id, forged, forged=True)
    await api.wait_for(lambda: len(api.callback_answers()) >= answers + 5, what="five answers")
    for answer in api.callback_answers()[answers:]:
        assert "out of date" in answer.get("text", "")
    assert await store.get(ALICE) == before
