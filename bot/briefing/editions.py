"""Today's edition for a reader: stored items → stories → the reader's briefing → messages.

Building stories clusters a whole day of items (CPU work, run in the worker pool), and
at a busy minute thousands of readers need them; they are built once per minute and
shared, then composed and rendered per reader (cheap). Each build of the day's stories
links them to their threads (:mod:`bot.briefing.threads`): a lookup of the day's item URLs,
the new links written, and what each thread had before the window read back. Weekly
readers' stories are built the same way from the week's items
(:data:`~bot.briefing.compose.WEEK`), without threads: a week's clusters are not the
day-to-day stories threads follow.

Every instance builds its own, from the database alone: all of them send a share of the
editions, not only the lease holder that polls the feeds. Nothing here needs the lease.
Two instances building at once link the same new items to the same threads (a new
thread's id is a hash of its first item's URL) and the store keeps the first link;
where their builds differ (one saw an item the other did not yet), each keeps its own
answer for that minute. An instance that does not poll is not told of new items, so its
stories may be up to the cache's minute older than the holder's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

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
from bot.briefing.framing import (
    DELIVERY_ACTIONS,
    action_buttons,
    delivery_header,
    story_buttons,
    with_buttons,
)
from bot.briefing.render import BriefingPage, render_briefing_pages, render_story_list
from bot.briefing.threads import ThreadMark, assign
from bot.briefing.weekly import render_weekly
from bot.delivery.sender import ActionButton, OutgoingMessage
from bot.i18n import Catalog
from bot.models import Frequency, NewsItem, ReaderPrefs, Subscriber
from bot.news.feedlist import FeedSpec, identify
from bot.store.items import ItemStore
from bot.store.threads import EarlierCoverage, ThreadStore
from bot.workers import WorkerPool

_STORIES_TTL = dt.timedelta(seconds=60)
_COMPOSED_KEPT = 512
"""Composed deliveries kept (readers' distinct settings in one minute, most days far fewer)."""


class Editions:
    """Briefings for readers; the same stories for everyone within a minute."""

    def __init__(
        self,
        items: ItemStore,
        workers: WorkerPool,
        catalog: Catalog,
        feeds: Sequence[FeedSpec] = (),
        *,
        threads: ThreadStore | None = None,
    ) -> None:
        self._items = items
        self._threads = threads
        self._feeds = tuple(feeds)  # the items' outlets and their Korean names
        self._workers = workers
        self._catalog = catalog
        self._lock = asyncio.Lock()
        self._built: dict[dt.timedelta, tuple[dt.datetime, list[Story]]] = {}
        """Window → when its stories were built, and the stories."""
        self._composed: dict[tuple[object, ...], tuple[list[Story], list[OutgoingMessage]]] = {}
        """A delivery's messages by what they depend on; the stories they were made from
        are kept beside them, so a rebuild (a new list) never serves stale messages."""

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
                if window == WINDOW:
                    stories = await self._threaded(stories, now)
                built = self._built[window] = (now, stories)
            return built[1]

    def invalidate(self) -> None:
        """New items arrived: the next request rebuilds the stories."""
        self._built.clear()

    async def briefing(self, prefs: ReaderPrefs, now: dt.datetime) -> Briefing:
        return compose(await self.stories(now), prefs, now=now)

    async def messages(self, prefs: ReaderPrefs, now: dt.datetime) -> list[OutgoingMessage]:
        """The reader's briefing as Telegram HTML messages (several only when needed),
        each with a button for the thread of each of its stories."""
        briefing = await self.briefing(prefs, now)
        pages = render_briefing_pages(briefing, self._catalog, summary_length=prefs.summary_length)
        return self._framed(pages, (), prefs.language)

    async def delivery(self, settings: Subscriber, scheduled: dt.datetime) -> list[OutgoingMessage]:
        """The subscriber's scheduled briefing: framed as theirs for the day (or, weekly,
        the week's top stories in one message), with buttons to open the settings or pause
        under its last message, in their forum topic if they have one.

        Readers with the same settings due at the same minute get the same messages, so
        they are composed once per build of the stories: most readers keep the defaults,
        and a paid broadcast composing for each of 1,000 readers a second spent CPU the
        sending needs.
        """
        prefs = ReaderPrefs.of(settings)
        window = WEEK if settings.frequency is Frequency.WEEKLY else WINDOW
        stories = await self.stories(scheduled, window)
        key = (
            id(stories),
            prefs,
            settings.delivery_time,
            settings.message_thread_id,
            scheduled,
        )
        cached = self._composed.get(key)
        if cached is None or cached[0] is not stories:
            if len(self._composed) >= _COMPOSED_KEPT:
                self._composed.clear()
            cached = (stories, self._delivery(settings, prefs, scheduled, stories))
            self._composed[key] = cached
        return list(cached[1])

    def _delivery(
        self,
        settings: Subscriber,
        prefs: ReaderPrefs,
        scheduled: dt.datetime,
        stories: list[Story],
    ) -> list[OutgoingMessage]:
        """The messages, from the stories of the reader's window (the day's or the week's)."""
        if settings.frequency is Frequency.WEEKLY:
            texts = [render_weekly(stories, prefs, scheduled, self._catalog)]
            actions = action_buttons(DELIVERY_ACTIONS, prefs.language, self._catalog)
            return with_buttons(texts, actions, thread_id=settings.message_thread_id)
        briefing = compose(stories, prefs, now=scheduled)
        header = delivery_header(
            briefing.edition_date, settings.delivery_time, prefs.language, self._catalog
        )
        pages = render_briefing_pages(
            briefing, self._catalog, summary_length=prefs.summary_length, header=header
        )
        actions = action_buttons(DELIVERY_ACTIONS, prefs.language, self._catalog)
        return self._framed(pages, actions, prefs.language, settings.message_thread_id)

    def _framed(
        self,
        pages: Sequence[BriefingPage],
        actions: tuple[ActionButton, ...],
        language: str,
        thread_id: int | None = None,
    ) -> list[OutgoingMessage]:
        stories = [story_buttons(page.stories, language, self._catalog) for page in pages]
        return with_buttons([page.text for page in pages], actions, stories, thread_id=thread_id)

    async def latest(self, prefs: ReaderPrefs, now: dt.datetime, limit: int = 10) -> str:
        """The newest relevant stories in the reader's topics, one line each."""
        stories = [s for s in await self.stories(now) if set(s.topics) & prefs.topics]
        stories.sort(key=lambda story: story.last_updated, reverse=True)
        return render_story_list(stories, self._catalog, prefs.language, limit=limit)

    async def _threaded(self, stories: list[Story], now: dt.datetime) -> list[Story]:
        if self._threads is None:
            return stories
        return await link_threads(stories, self._threads, now, self._feeds)


async def link_threads(
    stories: list[Story], threads: ThreadStore, now: dt.datetime, feeds: Sequence[FeedSpec] = ()
) -> list[Story]:
    """``stories`` (of the window before ``now``) linked to their threads, each told what
    its thread had before the window."""
    if not stories:
        return stories
    links = await threads.links(i.url for story in stories for i in story.items)
    assigned = assign([story.items for story in stories], links)
    await threads.link(assigned, now)
    ids = {link.thread_id for link in assigned if link.thread_id is not None}
    earlier = thread_history(await threads.earlier(ids, now - WINDOW), feeds)
    threaded = []
    for story, link in zip(stories, assigned, strict=True):
        if link.thread_id is not None:
            first, outlets, count = earlier.get(link.thread_id, (story.first_seen, set(), 0))
            mark = ThreadMark(
                link.thread_id, min(first, story.first_seen), frozenset(outlets), count
            )
            story = replace(story, thread=mark)
        threaded.append(story)
    return threaded


def thread_history(
    coverage: Sequence[EarlierCoverage], feeds: Sequence[FeedSpec]
) -> dict[str, tuple[dt.datetime, set[str], int]]:
    """Per thread: its first item's time, its outlets (by outlet identity, as
    ``NewsItem.outlet_key``) and its item count."""
    outlet_of = {feed.name: feed.outlet for feed in feeds}
    history: dict[str, tuple[dt.datetime, set[str], int]] = {}
    outlets: dict[str, set[str]] = defaultdict(set)
    for row in coverage:
        outlets[row.thread_id].add(outlet_of.get(row.feed_name) or row.source)
        first, _, count = history.get(row.thread_id, (row.first, set(), 0))
        history[row.thread_id] = (min(first, row.first), outlets[row.thread_id], count + row.items)
    return history


def _build(
    items: Sequence[NewsItem],
    now: dt.datetime,
    window: dt.timedelta = WINDOW,
    half_life: dt.timedelta = RECENCY_HALF_LIFE,
) -> list[Story]:
    """Module-level, so the worker process can import it."""
    return build_stories(items, now=now, window=window, half_life=half_life)
