"""Today's edition for a reader: stored items → stories → the reader's briefing → messages.

Building stories clusters a whole day of items (CPU work, run in the worker pool), and
at a busy minute thousands of readers need them; they are built once per minute and
shared, then composed and rendered per reader (cheap). Weekly readers' stories are built
the same way from the week's items (:data:`~bot.briefing.compose.WEEK`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from bot.briefing.compose import (
    RECENCY_HALF_LIFE,
    WEEK,
    WEEK_HALF_LIFE,
    WINDOW,
    Briefing,
    Story,
    build_stories,
    compose,
)
from bot.briefing.framing import DELIVERY_ACTIONS, action_buttons, delivery_header, with_buttons
from bot.briefing.render import render_briefing, render_story_list
from bot.briefing.weekly import render_weekly
from bot.delivery.sender import OutgoingMessage
from bot.i18n import Catalog
from bot.models import Frequency, NewsItem, ReaderPrefs, Subscriber
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
        self._built: dict[dt.timedelta, tuple[dt.datetime, list[Story]]] = {}
        """Window → when its stories were built, and the stories."""

    async def stories(self, now: dt.datetime, window: dt.timedelta = WINDOW) -> list[Story]:
        """Ranked stories of the ``window`` before ``now``: the day's, or the week's
        (:data:`WEEK`, ranked with its slower recency). Cached for a minute."""
        async with self._lock:
            built = self._built.get(window)
            if built is None or abs(now - built[0]) >= _STORIES_TTL:
                stored = await self._items.recent_relevant(now - window, now)
                items = identify(stored, self._feeds)
                half_life = WEEK_HALF_LIFE if window >= WEEK else RECENCY_HALF_LIFE
                stories = await self._workers.run(_build, items, now, window, half_life)
                built = self._built[window] = (now, stories)
            return built[1]

    def invalidate(self) -> None:
        """New items arrived: the next request rebuilds the stories."""
        self._built.clear()

    async def briefing(self, prefs: ReaderPrefs, now: dt.datetime) -> Briefing:
        return compose(await self.stories(now), prefs, now=now)

    async def messages(self, prefs: ReaderPrefs, now: dt.datetime) -> list[str]:
        """The reader's briefing as Telegram HTML messages (several only when needed)."""
        briefing = await self.briefing(prefs, now)
        return render_briefing(briefing, self._catalog, summary_length=prefs.summary_length)

    async def delivery(self, settings: Subscriber, scheduled: dt.datetime) -> list[OutgoingMessage]:
        """The subscriber's scheduled briefing: framed as theirs for the day (or, weekly,
        the week's top stories in one message), with buttons to open the settings or pause
        under its last message, in their forum topic if they have one."""
        prefs = ReaderPrefs.of(settings)
        if settings.frequency is Frequency.WEEKLY:
            stories = await self.stories(scheduled, WEEK)
            texts = [render_weekly(stories, prefs, scheduled, self._catalog)]
        else:
            briefing = await self.briefing(prefs, scheduled)
            header = delivery_header(
                briefing.edition_date, settings.delivery_time, prefs.language, self._catalog
            )
            texts = render_briefing(
                briefing, self._catalog, summary_length=prefs.summary_length, header=header
            )
        buttons = action_buttons(DELIVERY_ACTIONS, prefs.language, self._catalog)
        return with_buttons(texts, buttons, thread_id=settings.message_thread_id)

    async def latest(self, prefs: ReaderPrefs, now: dt.datetime, limit: int = 10) -> str:
        """The newest relevant stories in the reader's topics, one line each."""
        stories = [s for s in await self.stories(now) if set(s.topics) & prefs.topics]
        stories.sort(key=lambda story: story.last_updated, reverse=True)
        return render_story_list(stories, self._catalog, prefs.language, limit=limit)


def _build(
    items: Sequence[NewsItem],
    now: dt.datetime,
    window: dt.timedelta = WINDOW,
    half_life: dt.timedelta = RECENCY_HALF_LIFE,
) -> list[Story]:
    """Module-level, so the worker process can import it."""
    return build_stories(items, now=now, window=window, half_life=half_life)
