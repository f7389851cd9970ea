"""The one error handler: log what no handler expected, tell the operators (throttled) and
the reader (briefly)."""

from __future__ import annotations

import functools
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.alerts import format_error_report
from bot.logs import RedactingFilter
from bot.models import Language
from handlers.common import language_for, reply_language
from handlers.context import BotContext
from handlers.jobs import notify_admins

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure, tell the operators (the same error at most once per ten minutes);
    apologise in the chat when there is one to apologise in."""
    log.error("unhandled error while processing an update", exc_info=context.error)
    if context.error is not None and worth_reporting(context.error):
        await report_to_admins(context, context.error)
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
    language = await _apology_language(update, context)
    try:
        await context.bot.send_message(
            update.effective_chat.id, context.services.catalog.text(language, "error_generic")
        )
    except TelegramError as exc:
        log.warning("could not send the apology: %s", exc)


async def _apology_language(update: Update, context: BotContext) -> Language:
    """The chat's chosen language; the user's Telegram language when the store cannot say.

    The failure being apologised for may be the database's own, so reading the chat's
    setting may fail too: the apology must still go out.
    """
    try:
        return await reply_language(update, context)
    except Exception:  # any failure here only costs the language
        log.warning("the chat's language is unavailable for the apology", exc_info=True)
        return language_for(update)


def worth_reporting(error: BaseException) -> bool:
    """Not Telegram's passing troubles (timeouts, 5xx, flood control) nor a chat that
    blocked the bot: those are retried or expected. A BadRequest is our bug: reported."""
    if isinstance(error, Forbidden):
        return False
    return not isinstance(error, NetworkError) or isinstance(error, BadRequest)


async def report_to_admins(context: BotContext, error: BaseException) -> None:
    """The traceback to ADMIN_CHAT_IDS, token redacted, unless reported lately."""
    services = context.bot_data.services
    if services is None or not services.settings.admin_chat_ids:
        return
    if not context.bot_data.error_throttle.should_report(error, services.clock()):
        return
    redact = RedactingFilter([context.bot.token]).redact
    await notify_admins(
        context,
        functools.partial(format_error_report, error, services.catalog, redact=redact),
    )
