"""/story and the 🧵 buttons under briefing stories: a thread → its reports, day by day.

Looking at a thread changes nothing, so anyone may press. In a channel the thread goes to
the presser's private chat (a post would reach every subscriber of the channel).
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden

from bot.models import ReaderPrefs
from bot.news.feedlist import identify
from bot.store.searchterms import parse_query
from bot.threadview import format_thread
from handlers.buttons import ButtonPress
from handlers.common import alert_text, reader_prefs
from handlers.context import BotContext


async def story(update: Update, context: BotContext) -> None:
    """``/story satellite launch``: the thread of the newest matching story; alone, how to
    use it."""
    message = update.effective_message
    if message is None:
        return
    services = context.services
    prefs = await reader_prefs(update, context)
    words = " ".join(context.args or [])
    if parse_query(words).empty:
        await message.reply_text(services.catalog.text(prefs.language, "story_usage"))
        return
    found = await services.search.search(words)
    urls = [hit.url for result in found.results for hit in result.hits]
    thread = await services.threads.thread_of(urls)
    if thread is None:
        query = " ".join(words.split())
        text = services.catalog.text(prefs.language, "story_not_found", query=query)
    else:
        text = await _thread_text(context, prefs, thread)
    await message.reply_text(text)


async def on_story_press(update: Update, context: BotContext, press: ButtonPress) -> None:
    """🧵 under a briefing story: its thread, in the chat (a channel's: privately)."""
    query = update.callback_query
    assert query is not None and press.argument is not None
    services = context.services
    prefs = await reader_prefs(update, context)
    text = await _thread_text(context, prefs, press.argument)
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.CHANNEL:
        await query.answer()
        await context.bot.send_message(press.chat_id, text)
        return
    try:
        await context.bot.send_message(query.from_user.id, text)
    except (Forbidden, BadRequest):  # the presser never started a chat with the bot
        key = "story_start_chat"
    else:
        key = "story_sent_privately"
    await query.answer(alert_text(services.catalog.text(prefs.language, key)), show_alert=True)


async def _thread_text(context: BotContext, prefs: ReaderPrefs, thread_id: str) -> str:
    services = context.services
    items = await services.threads.thread_items(thread_id)
    if not items:  # pruned with its items
        days = services.settings.retention_days
        return services.catalog.text(prefs.language, "story_gone", days=days)
    return format_thread(
        identify(items, services.feeds), services.catalog, prefs.language, prefs.timezone
    )
