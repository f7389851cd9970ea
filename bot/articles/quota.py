"""Fair use of link summaries: no chat can take the bot's reading for itself.

Each link costs a fetch and CPU in the worker pool, and a stranger can paste links as
fast as they like. :class:`LinkQuota` admits at most ``per_minute`` links per chat in
any sliding minute and at most ``queue_max`` summaries pending across all chats; past
either, the caller is told to ask the chat to wait (once per minute, not once per link),
while what was already admitted is still answered. Admitted work then runs in the
chat's own lane: at most ``lane_width`` summaries of one chat at a time, so a flood
from one chat never holds every worker while other chats wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from enum import StrEnum

WINDOW_SECONDS = 60.0


class Refusal(StrEnum):
    """Why some links were not admitted (a catalogue key names each)."""

    CHAT_LIMIT = "links_slow_down"
    """This chat sent more than its share in the last minute."""
    BUSY = "links_busy"
    """The bot has as many summaries pending as it will queue."""


@dataclass(frozen=True, slots=True)
class Admission:
    accepted: int
    """How many of the links, from the first, may be summarized now."""
    refusal: Refusal | None = None
    """Set when some were refused and the chat has not been told in this minute."""


class LinkQuota:
    """Per-chat sliding-window limit, a bound on pending work, and per-chat lanes."""

    def __init__(
        self,
        per_minute: int,
        queue_max: int,
        lane_width: int = 1,
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        if per_minute < 1 or queue_max < 1 or lane_width < 1:
            raise ValueError("per_minute, queue_max and lane_width must be at least 1")
        self._per_minute = per_minute
        self._queue_max = queue_max
        self._lane_width = lane_width
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}
        self._told_until: dict[int, float] = {}
        self._lanes: dict[int, tuple[asyncio.Semaphore, int]] = {}
        self._pending = 0
        self._sweep_at = 1024

    @property
    def pending(self) -> int:
        """Admitted summaries not yet finished, all chats together."""
        return self._pending

    def admit(self, chat_id: int, links: int) -> Admission:
        """Admit up to ``links`` links of one message; each admitted one must then run
        inside :meth:`lane` (which ends its pending count)."""
        now = self._clock().timestamp()
        if len(self._recent) >= self._sweep_at:
            self._sweep(now)
        recent = self._recent.setdefault(chat_id, deque())
        while recent and recent[0] <= now - WINDOW_SECONDS:
            recent.popleft()
        chat_room = self._per_minute - len(recent)
        queue_room = self._queue_max - self._pending
        accepted = max(0, min(links, chat_room, queue_room))
        recent.extend([now] * accepted)
        self._pending += accepted
        if not recent:
            del self._recent[chat_id]
        if accepted == links:
            return Admission(accepted)
        refusal = Refusal.CHAT_LIMIT if chat_room < links else Refusal.BUSY
        if self._told_until.get(chat_id, 0.0) > now:
            return Admission(accepted)
        self._told_until[chat_id] = now + WINDOW_SECONDS
        self._forget_old_notices(now)
        return Admission(accepted, refusal)

    @contextlib.asynccontextmanager
    async def lane(self, chat_id: int) -> AsyncIterator[None]:
        """Run one admitted summary in the chat's lane; always ends its pending count."""
        semaphore, users = self._lanes.get(chat_id) or (asyncio.Semaphore(self._lane_width), 0)
        self._lanes[chat_id] = (semaphore, users + 1)
        try:
            async with semaphore:
                yield
        finally:
            self._pending -= 1
            semaphore, users = self._lanes[chat_id]
            if users == 1:
                del self._lanes[chat_id]
            else:
                self._lanes[chat_id] = (semaphore, users - 1)

    def _forget_old_notices(self, now: float) -> None:
        for chat_id in [c for c, until in self._told_until.items() if until <= now]:
            del self._told_until[chat_id]

    def _sweep(self, now: float) -> None:
        """Drop chats whose links are all older than the window (memory stays bounded)."""
        for chat_id in [
            c for c, times in self._recent.items() if times[-1] <= now - WINDOW_SECONDS
        ]:
            del self._recent[chat_id]
        self._sweep_at = 2 * len(self._recent) + 1024
