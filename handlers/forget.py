"""/forget: delete everything stored about a chat, after a question with two buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from handlers.buttons import ButtonPress, button_data
from handlers.common import reply_language
from handlers.context import BotContext


async def forget(update: Update, context: BotContext) -> None:
    """Ask for confirmation before deleting everything stored about this chat."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None  # the permission gate checked
    language = await reply_language(update, context)
    catalog = context.services.catalog
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    catalog.text(language, "button_forget_yes"),
                    callback_data=button_data("forget", chat.id, "yes"),
                ),
                InlineKeyboardButton(
                    catalog.text(language, "button_cancel"),
                    callback_data=button_data("forget", chat.id, "no"),
                ),
            ]
        ]
    )
    await message.reply_text(catalog.text(language, "forget_confirm"), reply_markup=keyboard)


async def on_forget_press(update: Update, context: BotContext, press: ButtonPress) -> None:
    """The answer to /forget's question (the press has passed the permission gate)."""
    query = update.callback_query
    assert query is not None
    catalog = context.services.catalog
    language = await reply_language(update, context)
    await query.answer()
    if press.action != "yes":
        await query.edit_message_text(catalog.text(language, "forget_cancelled"))
        return
    deleted = await context.services.subscriptions.forget(press.chat_id)
    await query.edit_message_text(
        catalog.text(language, "forget_done" if deleted else "forget_nothing")
    )
