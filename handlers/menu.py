"""Inline keyboards for settings: one message that edits itself in place.

The buttons' data is written and read by ``handlers.buttons``; presses arrive here
through ``handlers.presses``, parsed and past the permission gate.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.errors import NotSubscribed, SettingsError
from bot.i18n import Catalog
from bot.models import Frequency, Language, Subscriber, SummaryLength
from bot.subscriptions.operations import ChatRef
from bot.subscriptions.view import (
    TOPIC_ORDER,
    clock_text,
    hhmm,
    settings_every,
    status_text,
    weekday_button_label,
    zone_button_label,
)
from handlers.buttons import TIME_CHOICES, ZONE_CHOICES, ButtonPress, menu_data
from handlers.common import alert_text, chat_ref, forum_thread, language_for
from handlers.context import BotContext
from handlers.permissions import is_admin


async def render(
    context: BotContext,
    update: Update,
    chat_id: int,
    view: str = "home",
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Text and keyboard of one view of a chat's settings menu."""
    services = context.services
    catalog = services.catalog
    subscriptions = services.subscriptions
    settings = await subscriptions.get(chat_id)
    language = settings.language if settings else language_for(update)
    text = functools.partial(catalog.text, language)
    if view == "time" and settings is not None:
        rows = _grid(
            [
                Button(
                    ("• " if t == hhmm(settings.delivery_time) else "")
                    + clock_text(dt.time.fromisoformat(t), language),
                    callback_data=menu_data(chat_id, "t", t.replace(":", "")),
                )
                for t in TIME_CHOICES
            ],
            per_row=4 if language != Language.KO else 3,
        )
        return text("time_prompt"), _keyboard(rows, _back(chat_id, text))
    if view == "zone" and settings is not None:
        rows = zone_rows(chat_id, ZONE_CHOICES, language, current=settings.timezone)
        return text("timezone_prompt"), _keyboard(rows, _back(chat_id, text))
    if view == "topics" and settings is not None:
        rows = [
            [
                Button(
                    ("✅ " if topic in settings.topics else "⬜ ") + text(f"topic_{topic.value}"),
                    callback_data=menu_data(chat_id, "tt", str(i)),
                )
            ]
            for i, topic in enumerate(TOPIC_ORDER)
        ]
        prompt = text("topics_prompt")
        if not settings.subscribed:
            prompt += "\n\n" + text("topics_saved_note")
        return prompt, _keyboard(rows, _back(chat_id, text))
    if view == "freq" and settings is not None:
        return text("frequency_prompt"), _keyboard(
            frequency_rows(chat_id, settings, catalog), _back(chat_id, text)
        )
    if view == "length":
        current = settings.summary_length if settings else SummaryLength.STANDARD
        rows = [
            [
                Button(
                    ("• " if length is current else "") + text(f"length_{length}"),
                    callback_data=menu_data(chat_id, "len", length),
                )
            ]
            for length in SummaryLength
        ]
        return text("length_prompt"), _keyboard(rows, _back(chat_id, text))
    return await _home(context, update, chat_id, settings, language)


async def _home(
    context: BotContext,
    update: Update,
    chat_id: int,
    settings: Subscriber | None,
    language: str,
) -> tuple[str, InlineKeyboardMarkup]:
    services = context.services
    catalog = services.catalog
    text = functools.partial(catalog.text, language)
    chat = update.effective_chat
    title = settings.title if settings else (chat_ref(update).title if chat else str(chat_id))
    body = status_text(
        settings,
        language,
        catalog,
        default_time=services.subscriptions.default_time,
        default_timezone=services.subscriptions.default_timezone,
    )
    rows: list[list[Button]] = []
    if settings is not None and settings.subscribed:
        rows.append([Button(text("button_unsubscribe"), callback_data=menu_data(chat_id, "unsub"))])
        rows.append(
            [
                Button(
                    text("button_time", time=clock_text(settings.delivery_time, language)),
                    callback_data=menu_data(chat_id, "time"),
                ),
                Button(
                    text("button_timezone", zone=zone_button_label(settings.timezone, language)),
                    callback_data=menu_data(chat_id, "zone"),
                ),
            ]
        )
        rows.append(
            [
                Button(
                    text("button_frequency", every=settings_every(settings, catalog)),
                    callback_data=menu_data(chat_id, "freq"),
                )
            ]
        )
        rows.append(
            [
                Button(text("button_topics"), callback_data=menu_data(chat_id, "topics")),
                Button(
                    text("button_length", length=text(f"length_{settings.summary_length}")),
                    callback_data=menu_data(chat_id, "length"),
                ),
            ]
        )
    else:
        # Link summaries follow the length, so it is there before subscribing too.
        length = settings.summary_length if settings else SummaryLength.STANDARD
        rows.append([Button(text("button_subscribe"), callback_data=menu_data(chat_id, "sub"))])
        rows.append(
            [
                Button(
                    text("button_length", length=text(f"length_{length}")),
                    callback_data=menu_data(chat_id, "length"),
                )
            ]
        )
    other_language = Language.EN if language == Language.KO else Language.KO
    rows.append(
        [Button(text("button_language"), callback_data=menu_data(chat_id, "lang", other_language))]
    )
    extra = ""
    if (
        chat is not None
        and chat.type == ChatType.PRIVATE
        and chat.id == chat_id
        and update.effective_user
    ):
        channels = await _managed_channels(context, update.effective_user.id)
        if channels:
            extra = "\n\n" + text("settings_your_channels")
            rows += [
                [Button(f"📢 {c.title}", callback_data=menu_data(c.chat_id, "home"))]
                for c in channels
            ]
    rows.append([Button(text("button_done"), callback_data=menu_data(chat_id, "done"))])
    header = text("settings_title", chat=title)
    return f"{header}\n\n{body}{extra}", InlineKeyboardMarkup(rows)


async def _managed_channels(context: BotContext, user_id: int) -> list[Subscriber]:
    channels = await context.services.subscriptions.channels_managed_by(user_id)
    return [c for c in channels if await is_admin(context, c.chat_id, user_id)]


def frequency_rows(chat_id: int, settings: Subscriber, catalog: Catalog) -> list[list[Button]]:
    """Every day, weekdays, and weekly on each day of the week; the current one marked."""
    language = settings.language

    def choice(label: str, argument: str, chosen: bool) -> Button:
        return Button(
            ("• " if chosen else "") + label, callback_data=menu_data(chat_id, "fq", argument)
        )

    frequency, weekday = settings.frequency, settings.delivery_weekday
    days = [
        choice(
            weekday_button_label(day, language, catalog),
            f"w{day}",
            frequency is Frequency.WEEKLY and day == weekday,
        )
        for day in range(7)
    ]
    return [
        [
            choice(
                catalog.text(language, "button_frequency_daily"),
                "daily",
                frequency is Frequency.DAILY,
            ),
            choice(
                catalog.text(language, "button_frequency_weekdays"),
                "weekdays",
                frequency is Frequency.WEEKDAYS,
            ),
        ],
        *_grid(days, per_row=4 if language != Language.KO else 3),
    ]


def zone_rows(
    chat_id: int, zones: Sequence[str], language: str, *, current: str | None = None
) -> list[list[Button]]:
    """Buttons that set the chat's zone, labelled by city in the reader's language."""
    buttons = [
        Button(
            ("• " if zone == current else "") + zone_button_label(zone, language),
            callback_data=menu_data(chat_id, "z", zone),
        )
        for zone in zones
    ]
    return _grid(buttons, per_row=2)


def subscribed_keyboard(
    chat_id: int, language: str, catalog: Catalog, *, ask_zone: bool
) -> InlineKeyboardMarkup:
    """Under the /subscribe answer: change the time and the zone; when the zone is only
    the default, the zones themselves, one tap each."""
    text = functools.partial(catalog.text, language)
    change_time = Button(text("button_change_time"), callback_data=menu_data(chat_id, "time"))
    if ask_zone:
        return InlineKeyboardMarkup([*zone_rows(chat_id, ZONE_CHOICES, language), [change_time]])
    change_zone = Button(text("button_change_zone"), callback_data=menu_data(chat_id, "zone"))
    return InlineKeyboardMarkup([[change_time, change_zone]])


def _grid(buttons: list[Button], per_row: int) -> list[list[Button]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def _back(chat_id: int, text: Callable[..., str]) -> list[Button]:
    return [Button(text("button_back"), callback_data=menu_data(chat_id, "home"))]


def _keyboard(rows: list[list[Button]], last: list[Button]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([*rows, last])


async def apply_action(context: BotContext, update: Update, press: ButtonPress) -> str:
    """Carry out a menu action; returns the view to show next."""
    chat_id, action, argument = press.chat_id, press.action, press.argument
    subscriptions = context.services.subscriptions
    settings = await subscriptions.get(chat_id)
    if action in ("home", "time", "zone", "topics", "length", "freq"):
        return action
    if action == "sub":
        ref = (
            ChatRef(settings.chat_id, settings.chat_type, settings.title, settings.language)
            if settings is not None
            else chat_ref(update)
        )
        user = update.effective_user
        await subscriptions.subscribe(
            ref,
            added_by=user.id if user else None,
            app_language=user.language_code if user else None,
            thread=forum_thread(update, chat_id),
        )
        return "home"
    if action == "unsub":
        await subscriptions.unsubscribe(chat_id)
        return "home"
    if action == "t" and argument:
        await subscriptions.set_time(
            _settings_ref(update, chat_id, settings), f"{argument[:2]}:{argument[2:]}"
        )
        return "home"
    if action == "z" and argument:
        await subscriptions.set_timezone(_settings_ref(update, chat_id, settings), argument)
        return "home"
    if action == "fq" and argument:
        ref = _settings_ref(update, chat_id, settings)
        if argument in set(Frequency):
            await subscriptions.choose_frequency(ref, Frequency(argument))
        else:  # w0 … w6: weekly on that day
            await subscriptions.choose_frequency(ref, Frequency.WEEKLY, int(argument[1:]))
        return "home"
    if action == "tt" and argument:
        await subscriptions.toggle_topic(chat_id, TOPIC_ORDER[int(argument)])
        return "topics"
    if action == "len" and argument:
        await subscriptions.set_summary_length(
            _settings_ref(update, chat_id, settings), SummaryLength(argument)
        )
        return "home"
    if action == "lang" and argument:
        ref = (
            chat_ref(update)
            if settings is None
            else ChatRef(settings.chat_id, settings.chat_type, settings.title, settings.language)
        )
        await subscriptions.set_language(ref, argument)
        return "home"
    raise AssertionError(f"parse_button let an unknown action through: {action!r}")


def _settings_ref(update: Update, chat_id: int, settings: Subscriber | None) -> ChatRef:
    """The chat a settings button is about. Without a row it can only be the chat the
    button is in (a zone suggestion before /subscribe): a channel managed from a private
    chat always has its row."""
    if settings is not None:
        return ChatRef(settings.chat_id, settings.chat_type, settings.title, settings.language)
    chat = update.effective_chat
    if chat is None or chat.id != chat_id:
        raise NotSubscribed(str(chat_id))
    return chat_ref(update)


async def on_menu_press(update: Update, context: BotContext, press: ButtonPress) -> None:
    """A tap on a settings button: apply it, then redraw the menu in place."""
    query = update.callback_query
    assert query is not None
    catalog = context.services.catalog
    language = language_for(update)
    if press.action == "done":
        await query.answer()
        settings = await context.services.subscriptions.get(press.chat_id)
        chat_language = settings.language if settings else language
        await _edit(
            update,
            status_text(
                settings,
                chat_language,
                catalog,
                default_time=context.services.subscriptions.default_time,
                default_timezone=context.services.subscriptions.default_timezone,
            ),
            None,
        )
        return
    try:
        view = await apply_action(context, update, press)
    except SettingsError as exc:
        settings = await context.services.subscriptions.get(press.chat_id)
        chat_language = settings.language if settings else language
        await query.answer(alert_text(catalog.text(chat_language, exc.reason)), show_alert=True)
        return
    await query.answer()
    text, keyboard = await render(context, update, press.chat_id, view)
    await _edit(update, text, keyboard)


async def _edit(update: Update, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # a double tap changes nothing
            raise
