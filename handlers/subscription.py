"""Subscription commands: /subscribe, /unsubscribe, /time, /timezone, /topics, /language,
/settings, /status and /forget.

Every command here but /status changes the chat; the command table in ``handlers``
registers them behind the one permission gate (``handlers.permissions.managing``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Message, Update

from bot.errors import InvalidTimezone, SettingsError
from bot.i18n import Markup
from bot.models import Subscriber
from bot.subscriptions.operations import split_subscribe_arguments
from bot.subscriptions.view import hhmm, next_delivery_text, status_text
from handlers import menu
from handlers.common import chat_ref, reply_language
from handlers.context import BotContext


async def subscribe(update: Update, context: BotContext) -> None:
    """Subscribe this chat (idempotent), optionally with a time and a time zone."""
    message, chat_id = _command(update)
    time_text, zone_text = split_subscribe_arguments(context.args or ())
    user = update.effective_user
    try:
        settings, created = await context.services.subscriptions.subscribe(
            chat_ref(update),
            time_text=time_text,
            timezone_text=zone_text,
            added_by=user.id if user else None,
        )
    except SettingsError as exc:
        await _reply_error(update, context, message, exc)
        return
    catalog = context.services.catalog
    if created:
        await message.reply_text(
            catalog.text(
                settings.language,
                "subscribed_new",
                time=hhmm(settings.delivery_time),
                zone=settings.timezone,
                next=Markup(next_delivery_text(settings, catalog)),
            )
        )
        return
    await _send_status(update, context, message, chat_id, intro="subscribed_already")


async def unsubscribe(update: Update, context: BotContext) -> None:
    """Stop the daily briefing for this chat."""
    message, chat_id = _command(update)
    was_subscribed = await context.services.subscriptions.unsubscribe(chat_id)
    language = await reply_language(update, context)
    key = "unsubscribed" if was_subscribed else "unsubscribe_not_subscribed"
    await message.reply_text(context.services.catalog.text(language, key))


async def set_time(update: Update, context: BotContext) -> None:
    """``/time HH:MM`` (also ``7``, ``7am``, ``19:30``)."""
    await _change_setting(
        update,
        context,
        usage="usage_time",
        apply=context.services.subscriptions.set_time,
        confirm=lambda s: ("time_set", {"time": hhmm(s.delivery_time)}),
    )


async def set_timezone(update: Update, context: BotContext) -> None:
    """``/timezone Area/City`` (or an alias such as KST, Seoul, UTC)."""
    await _change_setting(
        update,
        context,
        usage="usage_timezone",
        apply=context.services.subscriptions.set_timezone,
        confirm=lambda s: ("timezone_set", {"zone": s.timezone}),
    )


async def _change_setting(
    update: Update,
    context: BotContext,
    *,
    usage: str,
    apply: Callable[[int, str], Awaitable[Subscriber]],
    confirm: Callable[[Subscriber], tuple[str, dict[str, object]]],
) -> None:
    """A delivery setting from the command's argument; the reply names the next delivery."""
    message, chat_id = _command(update)
    catalog = context.services.catalog
    if not context.args:
        language = await reply_language(update, context)
        await message.reply_text(catalog.text(language, usage))
        return
    try:
        settings = await apply(chat_id, " ".join(context.args))
    except SettingsError as exc:
        await _reply_error(update, context, message, exc)
        return
    key, params = confirm(settings)
    next_delivery = Markup(next_delivery_text(settings, catalog))
    await message.reply_text(catalog.text(settings.language, key, next=next_delivery, **params))


async def set_language(update: Update, context: BotContext) -> None:
    """``/language en|ko``: every message of the bot in that language for this chat."""
    message, _chat_id = _command(update)
    catalog = context.services.catalog
    if not context.args:
        language = await reply_language(update, context)
        await message.reply_text(catalog.text(language, "usage_language"))
        return
    try:
        settings = await context.services.subscriptions.set_language(
            chat_ref(update), context.args[0]
        )
    except SettingsError as exc:
        await _reply_error(update, context, message, exc)
        return
    await message.reply_text(catalog.text(settings.language, "language_set"))


async def topics(update: Update, context: BotContext) -> None:
    """A keyboard that switches topics on and off."""
    message, chat_id = _command(update)
    settings = await context.services.subscriptions.get(chat_id)
    if settings is None or not settings.subscribed:
        language = await reply_language(update, context)
        await message.reply_text(context.services.catalog.text(language, "error_not_subscribed"))
        return
    text, keyboard = await menu.render(context, update, chat_id, "topics")
    await message.reply_text(text, reply_markup=keyboard)


async def settings_menu(update: Update, context: BotContext) -> None:
    """Every setting in one message with buttons (and, in private, the channels one manages)."""
    message, chat_id = _command(update)
    text, keyboard = await menu.render(context, update, chat_id)
    await message.reply_text(text, reply_markup=keyboard)


async def status(update: Update, context: BotContext) -> None:
    """Subscribed or not, next delivery in local time with zone, topics, language."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    await _send_status(update, context, message, chat.id)


def _command(update: Update) -> tuple[Message, int]:
    """The command's message and chat (the permission gate has checked both exist)."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    return message, chat.id


async def _send_status(
    update: Update, context: BotContext, message: Message, chat_id: int, intro: str | None = None
) -> None:
    subscriptions = context.services.subscriptions
    catalog = context.services.catalog
    settings = await subscriptions.get(chat_id)
    language = settings.language if settings else await reply_language(update, context)
    text = status_text(
        settings,
        language,
        catalog,
        default_time=subscriptions.default_time,
        default_timezone=subscriptions.default_timezone,
    )
    if intro:
        text = f"{catalog.text(language, intro)}\n\n{text}"
    await message.reply_text(text)


async def _reply_error(
    update: Update, context: BotContext, message: Message, error: SettingsError
) -> None:
    catalog = context.services.catalog
    language = await reply_language(update, context)
    params: dict[str, object] = {}
    if isinstance(error, InvalidTimezone):
        params["given"] = error.given
        params["suggestions"] = Markup(
            catalog.text(language, "timezone_suggestions", names=", ".join(error.suggestions))
            if error.suggestions
            else ""
        )
    await message.reply_text(catalog.text(language, error.reason, **params))
