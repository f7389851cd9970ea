"""The buttons under a delivered briefing: open the settings, pause, resume.

The core describes them as plain data (``bot.delivery.sender.ActionButton``);
:func:`briefing_keyboard` makes them Telegram's, and presses arrive here through
``handlers.presses``, parsed and past the permission gate. Pausing keeps the settings (an
unsubscribe), and the briefing's Pause button becomes Resume.

In a channel, whatever the bot posts reaches every subscriber of the channel, so there
the answers go to the administrator who pressed: an alert, or the settings menu in their
private chat with the bot.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden

from bot.briefing.framing import action_buttons
from bot.delivery.sender import ActionButton, BriefingAction, StoryButton
from bot.i18n import Markup
from bot.models import Subscriber
from bot.subscriptions.operations import ChatRef
from bot.subscriptions.view import next_delivery_text
from handlers import menu
from handlers.buttons import ButtonPress, button_data, parse_button, story_data
from handlers.common import alert_text, language_for
from handlers.context import BotContext


def briefing_keyboard(
    chat_id: int, buttons: Sequence[ActionButton], stories: Sequence[StoryButton] = ()
) -> InlineKeyboardMarkup:
    """A row for each story's thread, then one row of the briefing's buttons, their data
    naming the chat they are about."""
    rows = [
        [InlineKeyboardButton(story.label, callback_data=story_data(chat_id, story.thread_id))]
        for story in stories
    ]
    if buttons:
        rows.append(
            [
                InlineKeyboardButton(
                    button.label, callback_data=button_data("briefing", chat_id, button.action)
                )
                for button in buttons
            ]
        )
    return InlineKeyboardMarkup(rows)


async def on_briefing_press(update: Update, context: BotContext, press: ButtonPress) -> None:
    """A tap on Settings, Pause or Resume under a delivered briefing."""
    query = update.callback_query
    assert query is not None
    if press.action == BriefingAction.SETTINGS:
        await _open_settings(update, context, press.chat_id)
        return
    subscriptions = context.services.subscriptions
    settings = await subscriptions.get(press.chat_id)
    if settings is None:  # forgotten since: nothing to pause or resume
        language = language_for(update)
        text = context.services.catalog.text(language, "button_expired")
        await query.answer(alert_text(text), show_alert=True)
        return
    if press.action == BriefingAction.PAUSE:
        if settings.subscribed:
            await subscriptions.unsubscribe(press.chat_id)
        await _answer(update, context, settings, "briefing_paused", BriefingAction.RESUME)
        return
    ref = ChatRef(settings.chat_id, settings.chat_type, settings.title, settings.language)
    resumed, _ = await subscriptions.subscribe(ref, added_by=query.from_user.id)
    next_delivery = Markup(next_delivery_text(resumed, context.services.catalog))
    await _answer(
        update, context, resumed, "briefing_resumed", BriefingAction.PAUSE, next=next_delivery
    )


async def _answer(
    update: Update,
    context: BotContext,
    settings: Subscriber,
    key: str,
    toggle: BriefingAction,
    **params: object,
) -> None:
    """Say what changed, and show the button that undoes it."""
    query = update.callback_query
    assert query is not None and query.message is not None
    catalog = context.services.catalog
    text = catalog.text(settings.language, key, **params)
    buttons = action_buttons((BriefingAction.SETTINGS, toggle), settings.language, catalog)
    stories = _story_buttons(
        query.message.reply_markup if isinstance(query.message, Message) else None
    )
    try:
        await query.edit_message_reply_markup(briefing_keyboard(settings.chat_id, buttons, stories))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # a double tap changes nothing
            raise
    if settings.chat_type == ChatType.CHANNEL:
        await query.answer(alert_text(text), show_alert=True)
        return
    await query.answer()
    await context.bot.send_message(settings.chat_id, text)


def _story_buttons(keyboard: InlineKeyboardMarkup | None) -> list[StoryButton]:
    """The story buttons already under a briefing message, kept when Pause becomes Resume."""
    found = []
    for row in keyboard.inline_keyboard if keyboard else ():
        for button in row:
            press = parse_button(str(button.callback_data or ""))
            if press is not None and press.kind == "story" and press.argument:
                found.append(StoryButton(button.text, press.argument))
    return found


async def _open_settings(update: Update, context: BotContext, chat_id: int) -> None:
    """The settings menu: in the chat, or for a channel in the presser's private chat."""
    query = update.callback_query
    assert query is not None
    settings = await context.services.subscriptions.get(chat_id)
    if settings is None or settings.chat_type != ChatType.CHANNEL:
        await query.answer()
        text, keyboard = await menu.render(context, update, chat_id)
        await context.bot.send_message(chat_id, text, reply_markup=keyboard)
        return
    catalog = context.services.catalog
    text, keyboard = await menu.render(context, update, chat_id)
    try:
        await context.bot.send_message(query.from_user.id, text, reply_markup=keyboard)
    except (Forbidden, BadRequest):  # the administrator never started a chat with the bot
        key = "briefing_settings_start_chat"
    else:
        key = "briefing_settings_sent"
    await query.answer(alert_text(catalog.text(settings.language, key)), show_alert=True)
