"""Small helpers shared by handlers: the reader's language, the typing indicator."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import Chat, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError

from bot.formatting import plain_text
from bot.i18n import pick_language
from bot.models import DEFAULT_LANGUAGE, ForumThread, Language, ReaderPrefs
from bot.subscriptions.operations import ChatRef
from handlers.context import BotContext

log = logging.getLogger(__name__)
# Telegram shows a chat action for about five seconds; renew it a little sooner.
_TYPING_RENEW_SECONDS = 4.5


def alert_text(markup: str) -> str:
    """Catalogue HTML as plain text, for callback answers (no markup, at most 200 chars)."""
    return plain_text(markup)[:200]


def forum_thread(update: Update, chat_id: int) -> ForumThread | None:
    """Where in ``chat_id`` the update was sent: a forum topic, or the chat itself (a
    forum's General topic, or any chat without topics); None when it was sent elsewhere
    (a channel's settings from a private chat), which leaves the chat's topic alone."""
    message = update.effective_message
    if not isinstance(message, Message) or message.chat_id != chat_id:
        return None
    return ForumThread(message.message_thread_id if message.is_topic_message else None)


def language_for(update: Update) -> Language:
    user = update.effective_user
    return pick_language(user.language_code if user else None)


@contextlib.asynccontextmanager
async def typing(context: BotContext, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat for as long as the block runs; failures only warn."""

    async def keep_typing() -> None:
        while True:
            try:
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:
                log.warning("sendChatAction failed in chat %s: %s", chat_id, exc)
                return
            await asyncio.sleep(_TYPING_RENEW_SECONDS)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def chat_title(chat: Chat) -> str:
    """A display name for the chat: group/channel title or the person's name."""
    if chat.title:
        return chat.title
    name = " ".join(part for part in (chat.first_name, chat.last_name) if part)
    return name or (f"@{chat.username}" if chat.username else str(chat.id))


def chat_ref(update: Update) -> ChatRef:
    """The chat an update comes from, with the language a new row should start in."""
    chat = update.effective_chat
    assert chat is not None
    # New private chats start in Korean when Telegram says the user's app is in Korean.
    language = language_for(update) if chat.type == ChatType.PRIVATE else DEFAULT_LANGUAGE
    return ChatRef(chat.id, chat.type, chat_title(chat), language)


async def reader_prefs(update: Update, context: BotContext) -> ReaderPrefs:
    """The chat's own settings, or the defaults for a chat that has none."""
    chat = update.effective_chat
    language = language_for(update)  # a chat with settings has its own
    if chat is None:
        return ReaderPrefs.default(language, context.services.subscriptions.default_timezone)
    return await context.services.subscriptions.reader_prefs(chat.id, language)


async def reply_language(update: Update, context: BotContext) -> Language:
    """The chat's chosen language, else the user's Telegram language."""
    chat = update.effective_chat
    fallback = language_for(update)
    if chat is None:
        return fallback
    return await context.services.subscriptions.language_of(chat.id, fallback)
