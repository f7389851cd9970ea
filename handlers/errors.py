"""The one error handler: log what no handler expected, tell the reader briefly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from handlers.common import language_for
from handlers.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure; apologise in the chat when there is one to apologise in."""
    log.error("unhandled error while processing an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.callback_query is not None:
        # A button press must always be answered, or the reader's button keeps spinning.
        try:
            await update.callback_query.answer()
        except TelegramError as exc:
            log.warning("could not answer the callback query: %s", exc)
    if isinstance(context.error, Forbidden):
        return  # the bot cannot write to this chat anyway
    try:
        await context.bot.send_message(
            update.effective_chat.id,
            context.services.catalog.text(language_for(update), "error_generic"),
        )
    except TelegramError as exc:
        log.warning("could not send the apology: %s", exc)
