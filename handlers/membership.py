"""Chat lifecycle: the bot added to or removed from chats, groups becoming supergroups."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.models import DEFAULT_LANGUAGE, DeactivationReason
from bot.subscriptions.operations import ChatRef
from handlers.common import chat_title
from handlers.context import BotContext

log = logging.getLogger(__name__)
_GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}
_ADMIN = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    """Record who made the bot a channel admin; stop deliveries where the bot was removed."""
    change = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    subscriptions = context.services.subscriptions
    new_status = change.new_chat_member.status
    if new_status in _GONE:
        reason = (
            DeactivationReason.BLOCKED
            if chat.type == ChatType.PRIVATE
            else DeactivationReason.KICKED
        )
        await subscriptions.deactivate(chat.id, reason)
        log.info("deactivated chat %s: %s", chat.id, reason.value)
        return
    if chat.type == ChatType.CHANNEL and new_status in _ADMIN and change.from_user:
        # The person who made the bot an admin may manage the channel from a private chat.
        channel = ChatRef(chat.id, chat.type, chat_title(chat), DEFAULT_LANGUAGE)
        await subscriptions.add_channel_manager(channel, change.from_user.id)


async def on_migrate(update: Update, context: BotContext) -> None:
    """A group became a supergroup: its subscription follows to the new chat id."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    await context.services.subscriptions.migrate(message.chat_id, message.migrate_to_chat_id)
    log.info("moved chat %s to %s", message.chat_id, message.migrate_to_chat_id)
