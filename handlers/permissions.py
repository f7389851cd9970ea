"""Who may change a chat's briefing settings: its administrators (and anyone in private).

One gate for every command and button that changes a chat: :func:`managing` wraps a
command handler, :func:`may_manage` judges a button press once its data is parsed. A
button press is judged by who pressed it: in a channel every viewer can press the
buttons under a post, although only administrators can post.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from handlers.common import reply_language
from handlers.context import BotContext

log = logging.getLogger(__name__)
_ADMIN_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}

Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


async def is_admin(context: BotContext, chat_id: int, user_id: int) -> bool:
    """getChatMember, cached briefly: settings menus trigger many checks in a row."""
    cache = context.bot_data.admin_cache
    key = f"{chat_id}:{user_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.warning("getChatMember failed for chat %s: %s", chat_id, exc)
        return False
    allowed = member.status in _ADMIN_STATUSES
    cache.put(key, allowed)
    return allowed


async def may_manage(update: Update, context: BotContext, chat_id: int) -> bool:
    """True when whoever sent ``update`` may change the settings of ``chat_id``."""
    chat = update.effective_chat
    if chat is not None and chat.id == chat_id:
        if chat.type == ChatType.PRIVATE:
            return True
        if update.callback_query is None:  # a message or a channel post
            if chat.type == ChatType.CHANNEL:
                return True  # only a channel's administrators can post in it
            message = update.effective_message
            if message is not None and message.sender_chat is not None:
                # An anonymous administrator writes as the group itself.
                return message.sender_chat.id == chat_id
    user = update.effective_user
    return user is not None and await is_admin(context, chat_id, user.id)


def refusal_key(update: Update) -> str:
    """The catalogue key that tells a non-administrator no."""
    chat = update.effective_chat
    return "admins_only_channel" if chat and chat.type == ChatType.CHANNEL else "admins_only"


def managing(handler: Handler) -> Handler:
    """Run ``handler`` only for someone who may change this chat; politely refuse others."""

    @functools.wraps(handler)
    async def gated(update: Update, context: BotContext) -> None:
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        if await may_manage(update, context, chat.id):
            await handler(update, context)
            return
        language = await reply_language(update, context)
        await message.reply_text(context.services.catalog.text(language, refusal_key(update)))

    return gated
