"""/search and its page buttons: the words → the search index → a page of stories."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.models import ReaderPrefs
from bot.searchview import format_search_page, search_usage
from bot.store.searchterms import parse_query
from handlers.buttons import ButtonPress, search_page, search_page_data
from handlers.common import alert_text, reader_prefs
from handlers.context import BotContext


async def search(update: Update, context: BotContext) -> None:
    """Stored stories matching every word, newest first, five a page."""
    message = update.effective_message
    if message is None:
        return
    services = context.services
    prefs = await reader_prefs(update, context)
    words = " ".join(context.args or [])
    if parse_query(words).empty:
        days = services.settings.retention_days
        await message.reply_text(search_usage(services.catalog, prefs.language, days))
        return
    key = await services.search.save_query(words, services.clock())
    text, keyboard = await _page(context, prefs, message.chat_id, words, key, 0)
    await message.reply_text(text, reply_markup=keyboard)


async def on_search_press(update: Update, context: BotContext, press: ButtonPress) -> None:
    """◀ or ▶ under results: the same message shows the page asked for."""
    query = update.callback_query
    assert query is not None
    services = context.services
    prefs = await reader_prefs(update, context)
    key, page = search_page(press)
    words = await services.search.saved_query(key)
    if words is None:  # unused for a month and forgotten
        expired = services.catalog.text(prefs.language, "search_expired")
        await query.answer(alert_text(expired), show_alert=True)
        return
    await query.answer()
    text, keyboard = await _page(context, prefs, press.chat_id, words, key, page)
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # a double tap changes nothing
            raise


async def _page(
    context: BotContext, prefs: ReaderPrefs, chat_id: int, words: str, key: str, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    services = context.services
    found = await services.search.search(words, page)
    text = format_search_page(found, words, services.catalog, prefs.language, prefs.timezone)
    buttons = []
    if found.has_previous:
        label = services.catalog.text(prefs.language, "button_search_previous")
        buttons.append(
            InlineKeyboardButton(label, callback_data=search_page_data(chat_id, key, page - 1))
        )
    if found.has_next:
        label = services.catalog.text(prefs.language, "button_search_next")
        buttons.append(
            InlineKeyboardButton(label, callback_data=search_page_data(chat_id, key, page + 1))
        )
    return text, InlineKeyboardMarkup([buttons]) if buttons else None
