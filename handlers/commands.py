"""/start and /help."""

from __future__ import annotations

from telegram import Update

from bot.subscriptions.view import hhmm
from handlers.common import reply_language
from handlers.context import BotContext


async def start(update: Update, context: BotContext) -> None:
    """Welcome: what the bot does and how to use it."""
    if update.effective_message is None:
        return
    catalog = context.services.catalog
    language = await reply_language(update, context)
    await update.effective_message.reply_text(catalog.text(language, "start"))


async def help_command(update: Update, context: BotContext) -> None:
    """Every command, one line each."""
    if update.effective_message is None:
        return
    services = context.services
    language = await reply_language(update, context)
    subscriptions = services.catalog.text(
        language,
        "help_subscriptions",
        time=hhmm(services.subscriptions.default_time),
        zone=services.subscriptions.default_timezone,
    )
    await update.effective_message.reply_text(
        "\n".join(
            [
                services.catalog.text(language, "help"),
                services.catalog.text(language, "help_briefing"),
                subscriptions,
            ]
        )
    )
