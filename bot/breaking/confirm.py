"""When a story counts as confirmed breaking news: the pure rule, no I/O.

A story is confirmed when, within :attr:`AlertRule.window` of one of its items, at least
:attr:`AlertRule.min_outlets` independent outlets report it:

* an outlet is its identity (``NewsItem.outlet_key``): its several feeds and its
  English and Korean editions count once;
* state media count, but never alone: all state media of any country together count as
  one outlet at most. So ``min_outlets - 1`` non-state outlets are always needed (two at
  the default of three): KCNA plus Rodong Sinmun plus one wire is not a confirmation,
  KCNA plus two wires is. State outlets echo one another (Xinhua relays KCNA), so they
  confirm nothing to each other;
* the window is anchored at an item of the story, not only its first one: a story that
  began as yesterday's background (the briefing's stories span 24 hours) still alerts
  when today's launch brings three outlets within the hour. The window that confirms
  first is the one reported: its first item is the alert's "first" source.

Only stories whose primary topic is in :attr:`AlertRule.topics` can alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.briefing.compose import Story
from bot.models import NewsItem, Topic

__all__ = ["AlertRule", "Confirmation", "confirm", "confirmed_stories"]

STATE_MEDIA = "\x00state media"
"""The one outlet all state media count as (no real outlet key starts with NUL)."""


@dataclass(frozen=True, slots=True)
class AlertRule:
    """The settings' ALERT_TOPICS, ALERT_MIN_OUTLETS and ALERT_WINDOW_MINUTES."""

    topics: frozenset[Topic]
    min_outlets: int = 3
    window: timedelta = timedelta(minutes=60)


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A confirmed story and the items that confirmed it."""

    story: Story
    first: NewsItem
    """The window's first item: who broke it, and when."""
    confirming: NewsItem
    """The item that brought the last outlet needed."""
    outlets: tuple[NewsItem, ...]
    """Each outlet's first item in the window, in order of report (state media too)."""

    @property
    def confirmed_at(self) -> datetime:
        return self.confirming.published


def _voice(item: NewsItem) -> str:
    return STATE_MEDIA if item.provenance.state_media_of is not None else item.outlet_key


def confirm(story: Story, rule: AlertRule) -> Confirmation | None:
    """The story's earliest confirmation under ``rule``, or None."""
    if not story.topics or story.topics[0] not in rule.topics:
        return None
    items = sorted(story.items, key=lambda item: (item.published, item.url))
    best: Confirmation | None = None
    for start, first in enumerate(items):
        voices: set[str] = set()
        for item in items[start:]:
            if item.published - first.published > rule.window:
                break
            voices.add(_voice(item))
            if len(voices) >= rule.min_outlets:
                if best is None or item.published < best.confirmed_at:
                    window = [i for i in items[start:] if i.published <= item.published]
                    best = Confirmation(story, first, item, _first_of_each_outlet(window))
                break
    return best


def _first_of_each_outlet(items: Iterable[NewsItem]) -> tuple[NewsItem, ...]:
    seen: dict[str, NewsItem] = {}
    for item in items:
        seen.setdefault(item.outlet_key, item)
    return tuple(seen.values())


def confirmed_stories(
    stories: Sequence[Story], rule: AlertRule, *, since: datetime
) -> list[Confirmation]:
    """The stories confirmed at or after ``since`` (older ones are no longer breaking),
    earliest confirmation first."""
    found = [c for story in stories if (c := confirm(story, rule)) is not None]
    fresh = [c for c in found if c.confirmed_at >= since]
    return sorted(fresh, key=lambda c: (c.confirmed_at, c.story.key))
