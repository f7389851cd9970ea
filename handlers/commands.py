"""/start and /help."""

from __future__ import annotations

from telegram import Update

from handlers.common import language_for
from handlers.context import BotContext


async def start(update: Update, context: BotContext) -> None:
    """Welcome: what the bot does and how to use it."""
    if update.effective_message is None:
        return
    catalog = context.services.catalog
    await update.effective_message.reply_text(catalog.text(language_for(update), "start"))


async def help_command(update: Update, context: BotContext) -> None:
    """Every command, one line each."""
    if update.effective_message is None:
        return
    catalog = context.services.catalog
    await update.effective_message.reply_text(catalog.text(language_for(update), "help"))
