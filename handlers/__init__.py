"""Telegram-facing handlers: parse the update, call the core, format, reply.

``register`` is the bot's whole surface on one screen.
"""

from __future__ import annotations

from telegram.ext import CommandHandler, MessageHandler, filters

from handlers import commands, links
from handlers.context import BotApplication
from handlers.errors import on_error

# (command, catalogue key of its menu description), in menu order.
MENU: tuple[tuple[str, str], ...] = (
    ("start", "cmd_start"),
    ("help", "cmd_help"),
    ("summarize", "cmd_summarize"),
)


def register(application: BotApplication) -> None:
    application.add_handler(CommandHandler("start", commands.start))
    application.add_handler(CommandHandler("help", commands.help_command))
    application.add_handler(CommandHandler("summarize", links.summarize_command))
    # Note: order matters. Unknown commands must not be mistaken for link messages,
    # and in groups only commands are for us: people share links there with each other.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, links.link_message
        )
    )
    application.add_error_handler(on_error)
