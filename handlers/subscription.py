"""Subscription commands: /subscribe, /unsubscribe, /time, /timezone, /frequency, /topics,
/language, /settings, /status and /forget.

Every command here but /status changes the chat; the command table in ``handlers``
registers them behind the one permission gate (``handlers.permissions.managing``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Message, Update

from bot.errors import InvalidTimezone, SettingsError
from bot.i18n import Catalog, Markup
from bot.models import Frequency, Subscriber
from bot.subscriptions.operations import ChatRef, split_subscribe_arguments, zone_is_settled
from bot.subscriptions.view import (
    clock_text,
    next_delivery_text,
    settings_every,
    status_text,
    zone_text,
)
from handlers import menu
from handlers.common import chat_ref, forum_thread, reply_language
from handlers.context import BotContext


async def subscribe(update: Update, context: BotContext) -> None:
    """Subscribe this chat (idempotent), optionally with a time and a time zone; settings
    chosen before are kept. The answer has buttons to change the time and the zone, and
    asks for the zone when it is only the default."""
    message, chat_id = _command(update)
    time_text, zone_text_given = split_subscribe_arguments(context.args or ())
    user = update.effective_user
    app_language = user.language_code if user else None
    try:
        settings, created = await context.services.subscriptions.subscribe(
            chat_ref(update),
            time_text=time_text,
            timezone_text=zone_text_given,
            added_by=user.id if user else None,
            app_language=app_language,
            thread=forum_thread(update, chat_id),
        )
    except SettingsError as exc:
        await _reply_error(update, context, message, exc)
        return
    catalog = context.services.catalog
    language = settings.language
    ask_zone = not zone_is_settled(settings, app_language)
    keyboard = menu.subscribed_keyboard(chat_id, language, catalog, ask_zone=ask_zone)
    if not created:
        await _send_status(
            update, context, message, chat_id, intro="subscribed_already", keyboard=keyboard
        )
        return
    lines = [catalog.text(language, "subscribed_new", **_when(settings, catalog))]
    if ask_zone:
        zone = zone_text(settings.timezone, language)
        lines.append(catalog.text(language, "subscribe_ask_zone", zone=zone))
    await message.reply_text("\n\n".join(lines), reply_markup=keyboard)


async def unsubscribe(update: Update, context: BotContext) -> None:
    """Stop the daily briefing for this chat."""
    message, chat_id = _command(update)
    was_subscribed = await context.services.subscriptions.unsubscribe(chat_id)
    language = await reply_language(update, context)
    key = "unsubscribed" if was_subscribed else "unsubscribe_not_subscribed"
    await message.reply_text(context.services.catalog.text(language, key))


async def set_time(update: Update, context: BotContext) -> None:
    """``/time 07:30`` (also ``7am``, ``7:30 pm``, ``오후 7시 반``); kept if not subscribed."""
    subscriptions = context.services.subscriptions
    await _change_setting(update, context, "usage_time", subscriptions.set_time, "time_set")


async def set_timezone(update: Update, context: BotContext) -> None:
    """``/timezone London`` (a city in either language, an alias such as KST, an IANA
    name); a typo gets buttons for the plausible zones. Kept if not subscribed."""
    subscriptions = context.services.subscriptions
    await _change_setting(
        update, context, "usage_timezone", subscriptions.set_timezone, "timezone_set"
    )


async def set_frequency(update: Update, context: BotContext) -> None:
    """``/frequency daily|weekdays|weekly [day]`` (also 매일, 평일, 매주 금요일, a day alone);
    kept if not subscribed."""
    subscriptions = context.services.subscriptions
    await _change_setting(
        update, context, "usage_frequency", subscriptions.set_frequency, "frequency_set"
    )


async def _change_setting(
    update: Update,
    context: BotContext,
    usage: str,
    apply: Callable[[ChatRef, str], Awaitable[Subscriber]],
    confirmation: str,
) -> None:
    """A delivery setting from the command's argument. The reply names the next delivery,
    or, before /subscribe, says the setting is kept for it."""
    message, _chat_id = _command(update)
    catalog = context.services.catalog
    if not context.args:
        language = await reply_language(update, context)
        await message.reply_text(catalog.text(language, usage))
        return
    try:
        settings = await apply(chat_ref(update), " ".join(context.args))
    except SettingsError as exc:
        await _reply_error(update, context, message, exc)
        return
    key = confirmation if settings.subscribed else "setting_saved"
    text = catalog.text(settings.language, key, **_when(settings, catalog))
    if settings.frequency is Frequency.WEEKLY and confirmation == "frequency_set":
        text += "\n\n" + catalog.text(settings.language, "frequency_weekly_note")
    await message.reply_text(text)


def _when(settings: Subscriber, catalog: Catalog) -> dict[str, object]:
    """The delivery time, zone and next delivery as the chat's language writes them."""
    language = settings.language
    return {
        "time": clock_text(settings.delivery_time, language),
        "zone": zone_text(settings.timezone, language),
        "next": Markup(next_delivery_text(settings, catalog)),
        "every": settings_every(settings, catalog),
    }


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
    """A keyboard that switches topics on and off (before /subscribe too: kept for it)."""
    message, chat_id = _command(update)
    await context.services.subscriptions.settings_of(chat_ref(update))
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
    update: Update,
    context: BotContext,
    message: Message,
    chat_id: int,
    intro: str | None = None,
    keyboard: InlineKeyboardMarkup | None = None,
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
    await message.reply_text(text, reply_markup=keyboard)


async def _reply_error(
    update: Update, context: BotContext, message: Message, error: SettingsError
) -> None:
    catalog = context.services.catalog
    language = await reply_language(update, context)
    params: dict[str, object] = {}
    keyboard = None
    if isinstance(error, InvalidTimezone):
        params["given"] = error.given
        params["suggestions"] = Markup(
            catalog.text(language, "timezone_suggestions") if error.suggestions else ""
        )
        if error.suggestions:
            # One tap sets the zone: the buttons go through the one parser and the gate.
            rows = menu.zone_rows(message.chat_id, error.suggestions, language)
            keyboard = InlineKeyboardMarkup(rows)
    await message.reply_text(catalog.text(language, error.reason, **params), reply_markup=keyboard)
