"""/start and /help: in a private chat, links and the daily briefing; in a group or a
channel, what works there (reply /summarize to a link, admins set up the briefing)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.subscriptions.view import clock_text, zone_text
from handlers.common import reply_language
from handlers.context import BotContext


async def start(update: Update, context: BotContext) -> None:
    """Welcome: what the bot does and how to use it."""
    if update.effective_message is None:
        return
    catalog = context.services.catalog
    language = await reply_language(update, context)
    await update.effective_message.reply_text(catalog.text(language, _for_chat(update, "start")))


async def help_command(update: Update, context: BotContext) -> None:
    """Every command, one line each."""
    if update.effective_message is None:
        return
    services = context.services
    language = await reply_language(update, context)
    subscriptions = services.catalog.text(
        language,
        "help_subscriptions",
        time=clock_text(services.subscriptions.default_time, language),
        zone=zone_text(services.subscriptions.default_timezone, language),
    )
    await update.effective_message.reply_text(
        "\n".join(
            [
                services.catalog.text(language, _for_chat(update, "help")),
                services.catalog.text(language, "help_briefing"),
                services.catalog.text(language, "help_follows", limit=services.follows.per_chat),
                services.catalog.text(language, "help_alerts"),
                subscriptions,
            ]
        )
    )


def _for_chat(update: Update, key: str) -> str:
    """The catalogue key for this kind of chat: ``start``, ``start_group``, ``start_channel``."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return key
    return f"{key}_channel" if chat.type == ChatType.CHANNEL else f"{key}_group"
