"""Chat lifecycle: the bot added to or removed from chats, groups becoming supergroups.

A group the bot joins hears once what it does there, in the language of whoever added
it, which is also the chat's starting language; a channel starts in its adder's language
too, without a greeting (a post there would reach every subscriber of the channel).
"""

from __future__ import annotations

import logging

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.i18n import pick_language
from bot.models import DeactivationReason
from bot.subscriptions.operations import ChatRef
from handlers.common import chat_title
from handlers.context import BotContext

log = logging.getLogger(__name__)
_GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}
_ADMIN = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
_PRESENT = {ChatMemberStatus.MEMBER, *_ADMIN}
_GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    """Greet a group the bot joins; record who made it a channel admin; stop deliveries
    where it was removed."""
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
    adder = change.from_user
    ref = ChatRef(
        chat.id, chat.type, chat_title(chat), pick_language(adder.language_code if adder else None)
    )
    if chat.type == ChatType.CHANNEL and new_status in _ADMIN and adder:
        # The person who made the bot an admin may manage the channel from a private chat.
        await subscriptions.add_channel_manager(ref, adder.id)
    elif chat.type in _GROUPS and just_added(change):
        await _greet(context, ref)


async def _greet(context: BotContext, group: ChatRef) -> None:
    """Say once what the bot does in a group, in the group's language (its adder's if new)."""
    settings = await context.services.subscriptions.joined(group)
    greeting = context.services.catalog.text(settings.language, "group_greeting")
    try:
        await context.bot.send_message(group.chat_id, greeting)
    except TelegramError as exc:  # e.g. a group where members may not post
        log.warning("could not greet chat %s: %s", group.chat_id, exc)


def just_added(change: ChatMemberUpdated) -> bool:
    """The bot has just arrived in the chat (not promoted, demoted or restricted there)."""
    was = change.old_chat_member.status
    return was in _GONE and change.new_chat_member.status in _PRESENT


async def on_migrate(update: Update, context: BotContext) -> None:
    """A group became a supergroup: its subscription follows to the new chat id."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    await context.services.subscriptions.migrate(message.chat_id, message.migrate_to_chat_id)
    log.info("moved chat %s to %s", message.chat_id, message.migrate_to_chat_id)
