"""Quiet hours (``/alerts quiet 23:00-07:00``): when a chat's alerts wait, in its zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.delivery.schedule import next_occurrence, parse_time
from bot.errors import InvalidQuietHours, InvalidTime

__all__ = ["QuietHours", "parse_quiet_hours"]

_SEPARATOR = re.compile(r"\s*(?:-|–|—|~|〜|∼|\bto\b|부터|에서)\s*")


@dataclass(frozen=True, slots=True)
class QuietHours:
    """From ``start`` to ``end`` on the chat's wall clock; may span midnight."""

    start: time
    end: time

    def covers(self, now: datetime, timezone: str) -> bool:
        """Whether ``now`` (aware) falls in the quiet time of a chat in ``timezone``."""
        local = now.astimezone(ZoneInfo(timezone)).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def ends_after(self, now: datetime, timezone: str) -> datetime:
        """The first end of the quiet time after ``now``, in UTC."""
        return next_occurrence(self.end, timezone, now)

    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def parse_quiet_hours(text: str) -> QuietHours:
    """``23:00-07:00``, ``23-7``, ``11pm to 7am``, ``밤 11시~오전 7시``; raises
    :class:`~bot.errors.InvalidQuietHours`."""
    parts = [part for part in _SEPARATOR.split(text.strip().removesuffix("까지").strip()) if part]
    if len(parts) != 2:
        raise InvalidQuietHours(f"can't read {text.strip()!r} as a start and an end time")
    try:
        start, end = parse_time(parts[0]), parse_time(parts[1])
    except InvalidTime as exc:
        raise InvalidQuietHours(str(exc)) from exc
    if start == end:
        raise InvalidQuietHours(f"{text.strip()!r} starts and ends at the same time")
    return QuietHours(start, end)
