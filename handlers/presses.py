"""Every button press: read its data, check the presser's rights, then act.

One handler for all inline buttons, so no press reaches a settings change without
passing :func:`handlers.buttons.parse_button` and the permission gate.
"""

from __future__ import annotations

from telegram import Update

from handlers import briefing_buttons, follows, forget, menu, search, story
from handlers.buttons import parse_button
from handlers.common import alert_text, language_for
from handlers.context import BotContext
from handlers.permissions import may_manage, refusal_key


async def on_button(update: Update, context: BotContext) -> None:
    """A tap on any of the bot's buttons."""
    query = update.callback_query
    assert query is not None
    catalog = context.services.catalog
    language = language_for(update)
    press = parse_button(query.data or "")
    if press is None:
        await query.answer(alert_text(catalog.text(language, "button_expired")), show_alert=True)
        return
    if press.kind == "search":  # turning a page changes nothing: anyone may
        await search.on_search_press(update, context, press)
        return
    if press.kind == "story":  # reading a story's thread changes nothing either
        await story.on_story_press(update, context, press)
        return
    if not await may_manage(update, context, press.chat_id):
        refusal = catalog.text(language, refusal_key(update))
        await query.answer(alert_text(refusal), show_alert=True)
        return
    if press.kind == "forget":
        await forget.on_forget_press(update, context, press)
    elif press.kind == "briefing":
        await briefing_buttons.on_briefing_press(update, context, press)
    elif press.kind == "follow":
        await follows.on_follow_press(update, context, press)
    else:
        await menu.on_menu_press(update, context, press)
