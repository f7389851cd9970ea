"""Telegram-facing handlers: parse the update, call the core, format, reply.

``COMMANDS`` and ``register`` are the bot's whole surface on one screen: the table
drives both the handlers and the command menus Telegram shows (``handlers.profile``):
one for private chats, one for group members, one for group administrators.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import (
    breaking,
    commands,
    follows,
    forget,
    links,
    membership,
    news,
    once,
    presses,
    search,
    story,
    subscription,
    unknown,
)
from handlers.context import BotApplication, BotContext
from handlers.errors import on_error
from handlers.permissions import managing

HandlerCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


class CommandMenu(StrEnum):
    """A command menu Telegram shows, by who is looking; values are BotCommandScope types."""

    PRIVATE = "all_private_chats"
    GROUP = "all_group_chats"
    """Group members; Telegram shows administrators their own menu instead."""
    GROUP_ADMIN = "all_chat_administrators"


EVERYWHERE: Final = frozenset(CommandMenu)
MANAGERS: Final = frozenset({CommandMenu.PRIVATE, CommandMenu.GROUP_ADMIN})
"""Where people may change the chat's settings: their own chat, or a group they run."""


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    callback: HandlerCallback
    description: str
    """Catalogue key of the command's line in Telegram's command menu."""
    changes_chat: bool = False
    """Only people who may manage the chat can use it (``handlers.permissions``)."""
    menus: frozenset[CommandMenu] = EVERYWHERE
    """The menus that list it; a command works wherever it is sent, listed or not."""
    group_description: str | None = None
    """Catalogue key of its line in the group menus, when it is used differently there."""


def _setting(name: str, callback: HandlerCallback, description: str) -> Command:
    """A command that changes the chat: its managers' alone, listed in their menus only."""
    return Command(name, callback, description, changes_chat=True, menus=MANAGERS)


# In menu order.
COMMANDS: tuple[Command, ...] = (
    Command("start", commands.start, "cmd_start"),
    Command("help", commands.help_command, "cmd_help"),
    Command(
        "summarize",
        links.summarize_command,
        "cmd_summarize",
        group_description="cmd_summarize_group",
    ),
    Command("brief", news.brief, "cmd_brief"),
    Command("latest", news.latest, "cmd_latest"),
    Command("sources", news.sources, "cmd_sources"),
    _setting("follow", follows.follow, "cmd_follow"),
    Command("follows", follows.list_follows, "cmd_follows"),
    _setting("unfollow", follows.unfollow, "cmd_unfollow"),
    _setting("alerts", breaking.alerts, "cmd_alerts"),
    Command("search", search.search, "cmd_search"),
    Command("story", story.story, "cmd_story"),
    _setting("subscribe", subscription.subscribe, "cmd_subscribe"),
    _setting("unsubscribe", subscription.unsubscribe, "cmd_unsubscribe"),
    _setting("settings", subscription.settings_menu, "cmd_settings"),
    Command("status", subscription.status, "cmd_status"),
    _setting("time", subscription.set_time, "cmd_time"),
    _setting("timezone", subscription.set_timezone, "cmd_timezone"),
    _setting("frequency", subscription.set_frequency, "cmd_frequency"),
    _setting("topics", subscription.topics, "cmd_topics"),
    _setting("language", subscription.set_language, "cmd_language"),
    _setting("forget", forget.forget, "cmd_forget"),
)

# New messages and channel posts; an edited "/subscribe" is not a second command.
_NEW_POSTS = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


def register(application: BotApplication) -> None:
    # Note: first of all, in a group of its own: an update this or another instance
    # already took (a webhook retry, a second delivery) goes no further.
    application.add_handler(TypeHandler(Update, once.drop_if_taken), group=once.GROUP)
    for command in COMMANDS:
        callback = managing(command.callback) if command.changes_chat else command.callback
        application.add_handler(CommandHandler(command.name, callback, filters=_NEW_POSTS))
    # Every button, the bot's own and stale or forged ones alike.
    application.add_handler(CallbackQueryHandler(presses.on_button))
    application.add_handler(
        ChatMemberHandler(membership.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, membership.on_migrate))
    # Note: order matters. After every known command: an unknown one in a private chat
    # gets the nearest commands (in groups it may be another bot's, so silence), and so
    # does a Korean word typed as one ("/구독"), before it could read as a link message.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE
            & (filters.COMMAND | filters.Regex(unknown.KOREAN_WORD))
            & _NEW_POSTS,
            unknown.reply_to_unknown([command.name for command in COMMANDS]),
        )
    )
    # Unknown commands must not be mistaken for link messages,
    # and in groups only commands are for us: people share links there with each other.
    # A photo's caption can carry the link too.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND,
            links.link_message,
        )
    )
    application.add_error_handler(on_error)
