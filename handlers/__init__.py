"""Telegram-facing handlers: parse the update, call the core, format, reply.

``register`` is the bot's whole surface on one screen.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers import commands, links, membership, menu, news, subscription
from handlers.context import BotApplication, BotContext
from handlers.errors import on_error

# (command, catalogue key of its menu description), in menu order.
MENU: tuple[tuple[str, str], ...] = (
    ("start", "cmd_start"),
    ("help", "cmd_help"),
    ("summarize", "cmd_summarize"),
    ("brief", "cmd_brief"),
    ("latest", "cmd_latest"),
    ("sources", "cmd_sources"),
    ("subscribe", "cmd_subscribe"),
    ("unsubscribe", "cmd_unsubscribe"),
    ("settings", "cmd_settings"),
    ("status", "cmd_status"),
    ("time", "cmd_time"),
    ("timezone", "cmd_timezone"),
    ("topics", "cmd_topics"),
    ("language", "cmd_language"),
    ("forget", "cmd_forget"),
)

HandlerCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

# New messages and channel posts; an edited "/subscribe" is not a second command.
_NEW_POSTS = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


def register(application: BotApplication) -> None:
    def command(name: str, callback: HandlerCallback) -> None:
        application.add_handler(CommandHandler(name, callback, filters=_NEW_POSTS))

    command("start", commands.start)
    command("help", commands.help_command)
    command("summarize", links.summarize_command)
    command("brief", news.brief)
    command("latest", news.latest)
    command("sources", news.sources)
    command("subscribe", subscription.subscribe)
    command("unsubscribe", subscription.unsubscribe)
    command("time", subscription.set_time)
    command("timezone", subscription.set_timezone)
    command("topics", subscription.topics)
    command("language", subscription.set_language)
    command("settings", subscription.settings_menu)
    command("status", subscription.status)
    command("forget", subscription.forget)
    application.add_handler(
        CallbackQueryHandler(menu.on_menu_button, pattern=rf"^{menu.MENU_PREFIX}:")
    )
    application.add_handler(
        CallbackQueryHandler(subscription.on_forget_button, pattern=rf"^{menu.FORGET_PREFIX}:")
    )
    application.add_handler(CallbackQueryHandler(menu.on_menu_button))  # stale/foreign data
    application.add_handler(
        ChatMemberHandler(membership.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, membership.on_migrate))
    # Note: order matters. Unknown commands must not be mistaken for link messages,
    # and in groups only commands are for us: people share links there with each other.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, links.link_message
        )
    )
    application.add_error_handler(on_error)
