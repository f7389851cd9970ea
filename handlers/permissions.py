"""Who may change a chat's briefing settings: its administrators (and anyone in private)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from handlers.context import BotContext

log = logging.getLogger(__name__)
_ADMIN_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}


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
    """True when the sender of ``update`` may change the settings of ``chat_id``."""
    chat = update.effective_chat
    if chat is not None and chat.id == chat_id:
        if chat.type == ChatType.PRIVATE:
            return True
        if chat.type == ChatType.CHANNEL:
            return True  # only a channel's administrators can post in it
        message = update.effective_message
        if message is not None and message.sender_chat is not None:
            # An anonymous administrator writes as the group itself.
            return message.sender_chat.id == chat_id
    user = update.effective_user
    return user is not None and await is_admin(context, chat_id, user.id)
