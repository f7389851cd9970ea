"""Today's edition for a reader: stored items → stories → the reader's briefing → messages.

Building stories clusters a whole day of items (CPU work, run in the worker pool), and
at a busy minute thousands of readers need them; they are built once per minute and
shared, then composed and rendered per reader (cheap).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from bot.briefing.compose import WINDOW, Briefing, Story, build_stories, compose
from bot.briefing.framing import DELIVERY_ACTIONS, action_buttons, delivery_header, with_buttons
from bot.briefing.render import render_briefing, render_story_list
from bot.delivery.sender import OutgoingMessage
from bot.i18n import Catalog
from bot.models import NewsItem, ReaderPrefs, Subscriber
from bot.news.feedlist import FeedSpec, identify
from bot.store.items import ItemStore
from bot.workers import WorkerPool

_STORIES_TTL = dt.timedelta(seconds=60)


class Editions:
    """Briefings for readers; the same stories for everyone within a minute."""

    def __init__(
        self,
        items: ItemStore,
        workers: WorkerPool,
        catalog: Catalog,
        feeds: Sequence[FeedSpec] = (),
    ) -> None:
        self._items = items
        self._feeds = tuple(feeds)  # the items' outlets and their Korean names
        self._workers = workers
        self._catalog = catalog
        self._lock = asyncio.Lock()
        self._built_at: dt.datetime | None = None
        self._stories: list[Story] = []

    async def stories(self, now: dt.datetime) -> list[Story]:
        """Ranked stories of the 24 hours before ``now`` (cached for a minute)."""
        async with self._lock:
            fresh = self._built_at is not None and abs(now - self._built_at) < _STORIES_TTL
            if not fresh:
                stored = await self._items.recent_relevant(now - WINDOW, now)
                items = identify(stored, self._feeds)
                self._stories = await self._workers.run(_build, items, now)
                self._built_at = now
            return self._stories

    def invalidate(self) -> None:
        """New items arrived: the next request rebuilds the stories."""
        self._built_at = None

    async def briefing(self, prefs: ReaderPrefs, now: dt.datetime) -> Briefing:
        return compose(await self.stories(now), prefs, now=now)

    async def messages(self, prefs: ReaderPrefs, now: dt.datetime) -> list[str]:
        """The reader's briefing as Telegram HTML messages (several only when needed)."""
        briefing = await self.briefing(prefs, now)
        return render_briefing(briefing, self._catalog, summary_length=prefs.summary_length)

    async def delivery(self, settings: Subscriber, scheduled: dt.datetime) -> list[OutgoingMessage]:
        """The subscriber's scheduled briefing: framed as theirs for the day, with buttons
        to open the settings or pause under its last message."""
        prefs = ReaderPrefs.of(settings)
        briefing = await self.briefing(prefs, scheduled)
        header = delivery_header(
            briefing.edition_date, settings.delivery_time, prefs.language, self._catalog
        )
        texts = render_briefing(
            briefing, self._catalog, summary_length=prefs.summary_length, header=header
        )
        return with_buttons(texts, action_buttons(DELIVERY_ACTIONS, prefs.language, self._catalog))

    async def latest(self, prefs: ReaderPrefs, now: dt.datetime, limit: int = 10) -> str:
        """The newest relevant stories in the reader's topics, one line each."""
        stories = [s for s in await self.stories(now) if set(s.topics) & prefs.topics]
        stories.sort(key=lambda story: story.last_updated, reverse=True)
        return render_story_list(stories, self._catalog, prefs.language, limit=limit)


def _build(items: Sequence[NewsItem], now: dt.datetime) -> list[Story]:
    """Module-level, so the worker process can import it."""
    return build_stories(items, now=now)
