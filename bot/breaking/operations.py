"""/alerts as the core sees it: a chat's alert settings, read and changed.

Handlers call these with the chat; a bad quiet-hours text raises
:class:`~bot.errors.InvalidQuietHours` (its ``reason`` is the reply's catalogue key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.breaking.confirm import AlertRule
from bot.breaking.quiet import parse_quiet_hours
from bot.store.breaking import AlertSettings, BreakingStore
from bot.subscriptions.operations import ChatRef, Subscriptions

__all__ = ["AlertState", "BreakingAlerts"]


@dataclass(frozen=True, slots=True)
class AlertState:
    """A chat's alert settings with the zone its quiet hours are in."""

    settings: AlertSettings
    timezone: str


class BreakingAlerts:
    """A chat's /alerts settings."""

    def __init__(
        self,
        store: BreakingStore,
        subscriptions: Subscriptions,
        rule: AlertRule,
        *,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._store = store
        self._subscriptions = subscriptions
        self.rule = rule
        self._clock = clock

    async def state(self, chat: ChatRef) -> AlertState:
        """The chat's settings (off, for a chat new to the bot: nothing is stored)."""
        known = await self._subscriptions.get(chat.chat_id)
        timezone = known.timezone if known else self._subscriptions.default_timezone
        return AlertState(await self._store.settings(chat.chat_id), timezone)

    async def turn_on(self, chat: ChatRef, thread_id: int | None) -> AlertState:
        """Alerts on, to the forum topic ``thread_id`` (None: the chat itself)."""
        timezone = await self._timezone_of(chat)
        now = self._clock()
        settings = await self._store.set_enabled(chat.chat_id, True, thread_id=thread_id, now=now)
        return AlertState(settings, timezone)

    async def turn_off(self, chat: ChatRef) -> AlertState:
        timezone = await self._timezone_of(chat)
        now = self._clock()
        settings = await self._store.set_enabled(chat.chat_id, False, thread_id=None, now=now)
        return AlertState(settings, timezone)

    async def set_quiet_hours(self, chat: ChatRef, text: str | None) -> AlertState:
        """Quiet hours from ``23:00-07:00`` and the like, in the chat's zone; None clears
        them."""
        hours = parse_quiet_hours(text) if text is not None else None
        timezone = await self._timezone_of(chat)
        span = (hours.start, hours.end) if hours is not None else None
        settings = await self._store.set_quiet_hours(chat.chat_id, span, now=self._clock())
        return AlertState(settings, timezone)

    async def _timezone_of(self, chat: ChatRef) -> str:
        """The chat's zone, its row stored with the defaults if it is new to the bot."""
        return (await self._subscriptions.settings_of(chat)).timezone
