"""What the fan-out's sender puts on the wire, through a real PTB bot and the fake Bot API.

:class:`handlers.sender.TelegramSender` sends by PTB's ``Bot._post`` rather than
``send_message`` (it does not read Telegram's answer back into a ``Message``): these tests
pin that every field the briefing needs still arrives as Telegram reads it, and that
Telegram's errors still come back as the dispatcher's kinds.
"""

from __future__ import annotations

import pytest
from telegram.ext import ExtBot

from bot.delivery.sender import ActionButton, BriefingAction, OutgoingMessage, StoryButton
from bot.errors import ChatUnreachable, MessageRejected, ThreadGone
from bot.models import DeactivationReason
from handlers.sender import TelegramSender
from tests.support.fakebotapi import FakeBotAPI

READER = 7_001
FORUM = -1_007_001
TOPIC = 42
BRIEFING = '<b>Peninsula Brief</b> — <a href="https://example.com/a">첫 소식</a> &amp; more'


async def test_a_briefing_arrives_as_html_without_preview_with_its_buttons(
    fake_api: FakeBotAPI, telegram_bot: ExtBot[int]
) -> None:
    fake_api.add_chat(READER)
    message = OutgoingMessage(
        BRIEFING,
        buttons=(ActionButton("⚙️ Settings", BriefingAction.SETTINGS),),
        stories=(StoryButton("🧵 1", "0123456789ab"),),
    )
    await TelegramSender(telegram_bot).send(READER, message)
    [sent] = fake_api.sent_messages(READER)
    assert sent.plain_text == "Peninsula Brief — 첫 소식 & more"
    assert sent.parse_mode == "HTML"
    assert {e["type"] for e in sent.entities} == {"bold", "text_link"}
    assert sent.link_preview_options == {"is_disabled": True}
    assert sent.reply_markup is not None
    rows = [[b["text"] for b in row] for row in sent.reply_markup["inline_keyboard"]]
    assert rows == [["🧵 1"], ["⚙️ Settings"]]
    assert not sent.allow_paid_broadcast and sent.message_thread_id is None


async def test_paid_and_in_a_forum_topic(fake_api: FakeBotAPI, telegram_bot: ExtBot[int]) -> None:
    fake_api.add_forum(FORUM, topics=(TOPIC,))
    sender = TelegramSender(telegram_bot, paid_broadcast=True)
    await sender.send(FORUM, OutgoingMessage("<i>주간 브리핑</i>", thread_id=TOPIC))
    [sent] = fake_api.sent_messages(FORUM)
    assert sent.allow_paid_broadcast and sent.message_thread_id == TOPIC
    assert sent.reply_markup is None and sent.plain_text == "주간 브리핑"


async def test_telegram_errors_come_back_as_the_dispatchers_kinds(
    fake_api: FakeBotAPI, telegram_bot: ExtBot[int]
) -> None:
    sender = TelegramSender(telegram_bot)
    fake_api.add_chat(READER)
    fake_api.block_chat(READER)
    with pytest.raises(ChatUnreachable) as blocked:
        await sender.send(READER, OutgoingMessage("hello"))
    assert blocked.value.deactivation is DeactivationReason.BLOCKED
    fake_api.add_forum(FORUM, topics=(TOPIC,))
    fake_api.delete_forum_topic(FORUM, TOPIC)
    with pytest.raises(ThreadGone):
        await sender.send(FORUM, OutgoingMessage("hello", thread_id=TOPIC))
    with pytest.raises(MessageRejected):
        await sender.send(FORUM, OutgoingMessage("<b>unclosed"))
    assert fake_api.sent_messages(FORUM) == []
