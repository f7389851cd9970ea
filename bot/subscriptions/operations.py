"""What readers can do with their subscription, as plain operations over the store.

Handlers call these with already-parsed Telegram facts (``ChatRef``) and get
``Subscriber`` back or a ``SettingsError`` to explain; nothing here knows
about updates or messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.delivery.frequency import parse_frequency
from bot.delivery.schedule import MAX_TIME_WORDS, parse_time, resolve_timezone
from bot.delivery.zonenames import guess_zone
from bot.errors import InvalidLanguage, InvalidTime, InvalidTimezone, NotSubscribed
from bot.models import (
    ForumThread,
    Frequency,
    Language,
    ReaderPrefs,
    Subscriber,
    SummaryLength,
    Topic,
)
from bot.store.subscribers import SubscriberStore


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class ChatRef:
    """The chat a command is about, as Telegram describes it."""

    chat_id: int
    chat_type: str
    title: str
    language: Language
    """Language for a chat the bot has no row for yet (from Telegram's language_code)."""


def split_subscribe_arguments(args: Sequence[str]) -> tuple[str | None, str | None]:
    """``["7:30", "Europe/London"]`` → ("7:30", "Europe/London"); either part may be absent.

    The time comes first and may be several words ("7 am", "오후 7시 30분"), the
    longest reading that is a time winning; whatever follows is the time zone
    ("New York", "서울").
    """
    words = [w for w in args if w]
    for count in range(MAX_TIME_WORDS, 0, -1):
        if len(words) >= count:
            candidate = " ".join(words[:count])
            try:
                parse_time(candidate)
            except InvalidTime:
                continue
            rest = " ".join(words[count:])
            return candidate, rest or None
    return None, " ".join(words) or None


def zone_is_settled(settings: Subscriber, app_language: str | None) -> bool:
    """True when the reader named the zone or it is the one their app's language points
    to (Korean → Seoul); otherwise the zone is only the default, and /subscribe asks."""
    return settings.timezone_chosen or settings.timezone == guess_zone(app_language)


class Subscriptions:
    """Subscribe, change settings, forget — each one atomic in the store."""

    def __init__(
        self,
        store: SubscriberStore,
        *,
        default_timezone: str,
        default_time: dt.time,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._store = store
        self.default_timezone = default_timezone
        self.default_time = default_time
        self._clock = clock

    async def get(self, chat_id: int) -> Subscriber | None:
        return await self._store.get(chat_id)

    async def count_by_state(self) -> dict[str, int]:
        """Chats by state (subscribed, unsubscribed, inactive), for the operator's metrics."""
        return await self._store.count_by_state()

    async def reader_prefs(self, chat_id: int, fallback_language: Language) -> ReaderPrefs:
        """The chat's briefing preferences, or the defaults for a chat without settings."""
        settings = await self._store.get(chat_id)
        if settings is not None:
            return ReaderPrefs.of(settings)
        return ReaderPrefs.default(fallback_language, self.default_timezone)

    async def language_of(self, chat_id: int, fallback: Language) -> Language:
        settings = await self._store.get(chat_id)
        return settings.language if settings is not None else fallback

    async def subscribe(
        self,
        chat: ChatRef,
        *,
        time_text: str | None = None,
        timezone_text: str | None = None,
        added_by: int | None = None,
        app_language: str | None = None,
        thread: ForumThread | None = None,
    ) -> tuple[Subscriber, bool]:
        """Subscribe (idempotent); returns the settings and whether this call subscribed.

        Settings stored before subscribing are kept. A zone nobody chose is guessed from
        ``app_language`` (the language of the subscriber's app: Korean → Seoul) when it
        can be; ``Subscriber.timezone_chosen`` tells the caller whether to ask.
        """
        delivery_time = parse_time(time_text) if time_text else None
        try:
            timezone = resolve_timezone(timezone_text) if timezone_text else None
        except InvalidTimezone:
            # The time is kept for a chat not yet subscribed, so the zone buttons of the
            # answer ("did you mean London?") and then /subscribe finish what was asked.
            if delivery_time is not None:
                await self._keep_time_before_subscribing(chat, delivery_time)
            raise
        return await self._store.subscribe(
            chat.chat_id,
            chat_type=chat.chat_type,
            title=chat.title,
            language=chat.language,
            timezone=timezone,
            timezone_guess=guess_zone(app_language),
            delivery_time=delivery_time,
            added_by=added_by,
            thread=thread,
            now=self._clock(),
        )

    async def unsubscribe(self, chat_id: int) -> bool:
        """True when the chat was subscribed."""
        settings = await self._store.get(chat_id)
        if settings is None or not settings.subscribed:
            return False
        await self._store.unsubscribe(chat_id, self._clock())
        return True

    async def settings_of(self, chat: ChatRef) -> Subscriber:
        """The chat's settings, stored unsubscribed with the defaults if it had none, so
        that choices made before /subscribe are kept for it."""
        return await self._store.ensure_chat(
            chat.chat_id, chat_type=chat.chat_type, title=chat.title, language=chat.language
        )

    async def _keep_time_before_subscribing(self, chat: ChatRef, delivery_time: dt.time) -> None:
        settings = await self.settings_of(chat)
        if not settings.subscribed:
            await self._store.set_time(chat.chat_id, delivery_time, self._clock())

    async def set_time(self, chat: ChatRef, text: str) -> Subscriber:
        """A new delivery time; a chat not subscribed keeps it for its /subscribe."""
        delivery_time = parse_time(text)
        await self.settings_of(chat)
        return _found(await self._store.set_time(chat.chat_id, delivery_time, self._clock()))

    async def set_timezone(self, chat: ChatRef, text: str) -> Subscriber:
        """A new time zone (as readers type it); kept for /subscribe like the time."""
        timezone = resolve_timezone(text)
        await self.settings_of(chat)
        return _found(await self._store.set_timezone(chat.chat_id, timezone, self._clock()))

    async def set_frequency(self, chat: ChatRef, text: str) -> Subscriber:
        """How often, as readers type it (``weekly fri``, ``평일``); kept for /subscribe."""
        frequency, weekday = parse_frequency(text)
        return await self.choose_frequency(chat, frequency, weekday)

    async def choose_frequency(
        self, chat: ChatRef, frequency: Frequency, weekday: int | None = None
    ) -> Subscriber:
        """How often (a weekly reader's day: None keeps the one chosen before, Monday at
        first)."""
        await self.settings_of(chat)
        return _found(
            await self._store.set_frequency(chat.chat_id, frequency, weekday, self._clock())
        )

    async def toggle_topic(self, chat_id: int, topic: Topic) -> Subscriber:
        """Switch a topic on or off (before subscribing too: /topics stores the chat)."""
        return _found(await self._store.toggle_topic(chat_id, topic))

    async def set_summary_length(self, chat: ChatRef, length: SummaryLength) -> Subscriber:
        """The summary length; link summaries follow it too, so a chat need not subscribe."""
        await self.settings_of(chat)
        return _found(await self._store.set_summary_length(chat.chat_id, length))

    async def set_language(self, chat: ChatRef, language: str) -> Subscriber:
        language = language.strip().lower()
        if language not in set(Language):
            raise InvalidLanguage(language)
        await self._store.ensure_chat(
            chat.chat_id, chat_type=chat.chat_type, title=chat.title, language=language
        )
        return _found(await self._store.set_language(chat.chat_id, language))

    async def forget(self, chat_id: int) -> bool:
        return await self._store.forget(chat_id)

    async def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        await self._store.migrate_chat(old_chat_id, new_chat_id)

    async def add_channel_manager(self, channel: ChatRef, user_id: int) -> None:
        """Remember who may manage a channel from a private chat (the row must exist first)."""
        await self.joined(channel)
        await self._store.add_channel_manager(channel.chat_id, user_id)

    async def joined(self, chat: ChatRef) -> Subscriber:
        """The bot was added to ``chat``: a new chat starts unsubscribed in ``chat.language``
        (its adder's); a chat the bot knew keeps the settings it had."""
        return await self._store.ensure_chat(
            chat.chat_id, chat_type=chat.chat_type, title=chat.title, language=chat.language
        )

    async def deactivate(self, chat_id: int, reason: str) -> None:
        """Stop deliveries the reader did not ask to stop (blocked, kicked, chat gone)."""
        await self._store.deactivate(chat_id, reason, self._clock())

    async def channels_managed_by(self, user_id: int) -> list[Subscriber]:
        return await self._store.channels_managed_by(user_id)

    async def _subscribed(self, chat_id: int) -> Subscriber:
        settings = await self._store.get(chat_id)
        if settings is None or not settings.subscribed:
            raise NotSubscribed(str(chat_id))
        return settings


def _found(settings: Subscriber | None) -> Subscriber:
    if settings is None:  # forgotten between the check and the update
        raise NotSubscribed("the chat has no settings")
    return settings
