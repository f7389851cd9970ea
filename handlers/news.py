"""On-demand news: /brief, /latest and /sources."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot.reports import format_sources
from handlers.briefing_buttons import briefing_keyboard
from handlers.common import reader_prefs, reply_language, typing
from handlers.context import BotContext


async def brief(update: Update, context: BotContext) -> None:
    """The current briefing, with the reader's topics, language and time zone."""
    message = update.effective_message
    if message is None:
        return
    async with typing(context, message.chat_id):
        prefs = await reader_prefs(update, context)
        now = dt.datetime.now(dt.UTC)
        messages = await context.services.editions.messages(prefs, now)
    for outgoing in messages:
        keyboard = (
            briefing_keyboard(message.chat_id, (), outgoing.stories) if outgoing.stories else None
        )
        await message.reply_text(outgoing.text, reply_markup=keyboard)


async def latest(update: Update, context: BotContext) -> None:
    """The newest relevant stories in the reader's topics, one line each."""
    message = update.effective_message
    if message is None:
        return
    prefs = await reader_prefs(update, context)
    now = dt.datetime.now(dt.UTC)
    await message.reply_text(await context.services.editions.latest(prefs, now))


async def sources(update: Update, context: BotContext) -> None:
    """Where the news comes from and whether each feed is working."""
    message = update.effective_message
    if message is None:
        return
    services = context.services
    language = await reply_language(update, context)
    health = await services.items.feed_health([feed.url for feed in services.feeds])
    now = dt.datetime.now(dt.UTC)
    await message.reply_text(
        format_sources(services.feeds, health, services.catalog, language, now)
    )
