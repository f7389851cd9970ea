"""Story threads: one event followed from day to day, across the 24-hour window. Pure.

Stories are rebuilt from the last 24 hours of items, and a story's key (its earliest
item's URL) changes as that item leaves the window. A thread does not: every item is
linked to one thread when the stories it is part of are first built, and a story takes
the thread most of its already linked items belong to. Since the window slides, the
story of tomorrow morning shares items with the one built this evening, and so with
its thread; the lookup is by item URL, no clustering across days.

The rules, which :func:`assign` applies to one build of the day's stories:

* a story takes the thread most of its linked items belong to; a thread goes to one
  story only (the one with most of its items — an event that split in two keeps its
  thread on its bigger half), the other tries its next thread;
* a story with no thread left starts one, named after its earliest item not yet linked
  (:func:`thread_id`): an item links once, so two stories never start the same thread,
  and two instances building the same stories name it alike;
* a story's items not yet linked join its thread; a linked item never moves.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.models import NewsItem

__all__ = ["Link", "ThreadMark", "assign", "thread_id"]

ID_LENGTH = 12
"""Hex digits of a thread id: short enough for a button's 64 bytes of data."""


def thread_id(seed_url: str) -> str:
    """The id of the thread started by the item at ``seed_url``."""
    return hashlib.sha256(seed_url.encode()).hexdigest()[:ID_LENGTH]


@dataclass(frozen=True, slots=True)
class Link:
    """One story's thread in a build, and its items to link to it."""

    thread_id: str | None
    """None only for a story whose every item belongs to a thread another story took."""
    new_urls: tuple[str, ...]


def assign(stories: Sequence[Sequence[NewsItem]], links: Mapping[str, str]) -> list[Link]:
    """Each story's thread (in the order given), from ``links``: item URL → thread id."""
    votes = [Counter(links[i.url] for i in items if i.url in links) for items in stories]
    candidates = sorted(
        (-count, n, thread) for n, counts in enumerate(votes) for thread, count in counts.items()
    )
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    for _, n, thread in candidates:
        if n not in chosen and thread not in taken:
            chosen[n] = thread
            taken.add(thread)
    result = []
    for n, items in enumerate(stories):
        unlinked = sorted(
            (i for i in items if i.url not in links), key=lambda i: (i.published, i.url)
        )
        started = thread_id(unlinked[0].url) if unlinked else None
        own = chosen.get(n, started)
        new = tuple(dict.fromkeys(i.url for i in unlinked)) if own else ()
        result.append(Link(own, new))
    return result


@dataclass(frozen=True, slots=True)
class ThreadMark:
    """A story's thread, and what the thread had before the story's window."""

    id: str
    started: datetime
    """Publication time of the thread's first item."""
    earlier_outlets: frozenset[str] = frozenset()
    """Outlets (``NewsItem.outlet_key``) that reported before the window."""
    earlier_items: int = 0
    """Items published before the window: 0 for a thread that started in it."""

    @property
    def continues(self) -> bool:
        """Whether an earlier edition already had this thread."""
        return self.earlier_items > 0

    def day(self, edition: date, timezone: str) -> int:
        """Which day of the thread ``edition`` is, counted in the reader's calendar (≥ 2
        for a continuation: it began before this edition's window)."""
        first = self.started.astimezone(ZoneInfo(timezone)).date()
        return max((edition - first).days + 1, 2 if self.continues else 1)

    def new_outlets(self, sources: Sequence[str]) -> tuple[str, ...]:
        """Those of ``sources`` that had not reported before the window."""
        return tuple(source for source in sources if source not in self.earlier_outlets)
