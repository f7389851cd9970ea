"""Confirmed breaking alerts replayed over real days of news, through the feed poller: what
would have alerted, how fast, and whether anything alerted twice.

    python -m benchmarks.alerts [../shared/data/realnews/items.jsonl] [--day 2025-11-04]
        [--every 5] [--min-outlets 3] [--window 60] [--all-days]

Each item "arrives" at its publication time (the items were captured from live feeds,
``../shared/data/realnews/README.md``). Each outlet of the captures is one RSS 2.0 file in a
temporary directory, listed as a ``file:`` :class:`~bot.news.feedlist.FeedSpec` with its
language, ``full_text`` (nothing is fetched: no network, no article summarized) and the
provenance the bot knows for it (KCNA is North Korean state media, TASS and CGTN state
media: :func:`bot.news.outlets.known_provenance`). Every ``--every`` minutes of simulated
time each file is rewritten with the outlet's items published by then (its newest 200, of
the replayed day and the 24 hours before; title, link, ``pubDate``, the lede as
description), and the bot's :class:`~bot.news.ingest.FeedPoller` polls them into an
:class:`~bot.store.items.ItemStore` on a throw-away SQLite database: parsed, scored for
relevance, deduplicated and stored as in the bot. Then, as the bot's poll job does, the
stories are invalidated if the poll stored items, and the real
:class:`~bot.breaking.notifier.BreakingNotifier` runs on
:meth:`bot.briefing.editions.Editions.stories` (stories linked to their threads), with one
opted-in chat. The worker pool runs in this process (``tests.support.workers``). Without
``--day`` the replayed day is the KST day with the most relevant Security and
Inter-Korean items.

Prints each alert (poll time in KST, minutes from the first item and from the confirming
item to the alert, the outlets, the headline) for a human to judge, then checks that no
story alerted twice: no two alerts share an item, and the send log has one row each.

Time: each poll re-reads and parses every outlet's whole feed, as the bot does a ``file:``
feed; that dominates: 2–4 minutes a simulated day on the busy 2-core machine (measured
111 s for 2025-10-22 alone, 4.6 min for 2025-08-15 beside another replay), so
``--all-days`` (219 days) takes some 8–15 hours. Replay single days with ``--day``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import html
import tempfile
import time
from collections import Counter, defaultdict
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from benchmarks.briefing_real import OUTLETS, news_items
from benchmarks.realnews_sets import KST, load
from bot.articles.cache import TTLCache
from bot.articles.fetch import Fetcher, FetchLimits, build_client
from bot.articles.service import ArticleSummarizer
from bot.breaking.confirm import AlertRule, Confirmation
from bot.breaking.notifier import BreakingNotifier
from bot.briefing.compose import WINDOW
from bot.briefing.editions import Editions
from bot.delivery.sender import OutgoingMessage
from bot.i18n import Catalog
from bot.models import DeactivationReason, NewsItem, Provenance, Summary, Topic
from bot.news.feedlist import FeedSpec
from bot.news.feeds import MAX_ITEMS
from bot.news.ingest import FeedPoller
from bot.news.outlets import known_provenance
from bot.store import Database, SubscriberStore
from bot.store.breaking import BreakingStore
from bot.store.items import ItemStore
from bot.store.threads import ThreadStore
from tests.support.workers import InlineWorkers

DEFAULT_ITEMS = Path("/work/shared/data/realnews/items.jsonl")
CHAT = 1
ALERT_TOPICS = frozenset({Topic.SECURITY, Topic.INTER_KOREAN})

Row = dict[str, Any]


class Recorder:
    """A sender that keeps what it was given."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []

    async def send(self, chat_id: int, message: OutgoingMessage) -> None:
        self.sent.append(message)


def published_at(row: Row) -> dt.datetime:
    """The row's publication time in UTC (a date alone, as some KCNA rows give: its midnight)."""
    moment = dt.datetime.fromisoformat(str(row["published"]))
    return moment.replace(tzinfo=moment.tzinfo or dt.UTC).astimezone(dt.UTC)


class Outlets:
    """One RSS file per outlet in ``folder``, and the feed list the bot would have for them."""

    def __init__(self, rows: list[tuple[dt.datetime, Row]], folder: Path) -> None:
        self._rows: dict[str, list[tuple[dt.datetime, Row]]] = defaultdict(list)
        for moment, row in sorted(rows, key=lambda pair: pair[0]):
            self._rows[str(row["source"])].append((moment, row))
        self.feeds: list[FeedSpec] = []
        self._paths: dict[str, Path] = {}
        for source, items in sorted(self._rows.items()):
            name = OUTLETS.get(source, source)
            path = self._paths[source] = folder / f"{source}.xml"
            provenance = known_provenance(str(items[0][1]["url"]), name)
            self.feeds.append(
                FeedSpec(
                    name=name,
                    url=path.as_uri(),
                    language=items[0][1]["language"],
                    provenance=provenance or Provenance.UNSTATED,
                    full_text=True,
                )
            )

    def publish(self, now: dt.datetime) -> None:
        """Each outlet's feed as it stood at ``now``: its newest items published by then."""
        for source, items in self._rows.items():
            out = [row for moment, row in items if moment <= now][-MAX_ITEMS:]
            self._paths[source].write_text(rss(OUTLETS.get(source, source), out), "utf-8")


def rss(title: str, rows: list[Row]) -> str:
    entries = "".join(
        f"<item><title>{escape(html.unescape(str(row['title'])))}</title>"
        f"<link>{escape(str(row['url']))}</link>"
        f"<pubDate>{format_datetime(published_at(row), usegmt=True)}</pubDate>"
        f"<description>{escape(str(row.get('summary') or ''))}</description></item>\n"
        for row in reversed(rows)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title>\n{entries}</channel></rss>\n"
    )


def busiest_day(items: list[NewsItem]) -> dt.date:
    days = Counter(
        item.published.astimezone(KST).date()
        for item in items
        if item.topics and item.topics[0] in ALERT_TOPICS
    )
    return days.most_common(1)[0][0]


async def replay_day(
    rows: list[tuple[dt.datetime, Row]], day: dt.date, rule: AlertRule, every: dt.timedelta
) -> list[tuple[dt.datetime, Confirmation, str]]:
    """The alerts of one KST day: (poll time, confirmation, send-log key) each."""
    start = dt.datetime.combine(day, dt.time(0), KST).astimezone(dt.UTC)
    end = start + dt.timedelta(days=1)
    with tempfile.TemporaryDirectory() as tmp:
        outlets = Outlets([(m, r) for m, r in rows if start - WINDOW < m <= end], Path(tmp))
        database = Database(f"sqlite+aiosqlite:///{tmp}/alerts.db")
        await database.open()
        # As bot.services builds them; the summarizer stays idle: every feed is full_text.
        limits = FetchLimits()
        http = build_client(limits)
        workers = InlineWorkers()
        fetcher = Fetcher(http, limits)
        summarizer = ArticleSummarizer(fetcher, workers, TTLCache[Summary](16, 3600))
        try:
            subscribers = SubscriberStore(database, clock=lambda: start)
            await subscribers.ensure_chat(CHAT, chat_type="private", title="", language="en")
            store = BreakingStore(database)
            await store.set_enabled(CHAT, True, thread_id=None, now=start)
            items = ItemStore(database)
            poller = FeedPoller(fetcher, workers, items, summarizer, outlets.feeds)
            editions = Editions(
                items, workers, Catalog.load(), outlets.feeds, threads=ThreadStore(database)
            )

            async def deactivate(chat_id: int, reason: DeactivationReason) -> None:
                raise AssertionError("nobody blocks the benchmark")

            sender = Recorder()
            notifier = BreakingNotifier(
                store, editions.stories, sender, deactivate, Catalog.load(), rule
            )
            alerts = []
            stored = polls = 0
            poll_seconds = alert_seconds = 0.0
            now = start
            while now <= end:
                started = time.perf_counter()
                outlets.publish(now)
                polled = await poller.poll_all(now)
                assert not polled.failed, polled.describe()
                assert polled.summaries_done == polled.summaries_failed == 0, "nothing fetched"
                if polled.new_items:
                    editions.invalidate()
                stored += polled.new_items
                polls += 1
                poll_seconds += time.perf_counter() - started
                started = time.perf_counter()
                before = {key for key, _ in await store.sends(CHAT)}
                confirmations = await notifier.confirmations(now)
                await notifier.run(now)
                new = {key for key, _ in await store.sends(CHAT)} - before
                for confirmation in confirmations:
                    story = confirmation.story
                    key = await store.story_key(
                        story.key, [i.url for i in story.items], confirmation.confirmed_at
                    )
                    if key in new:
                        alerts.append((now, confirmation, key))
                        new.discard(key)
                alert_seconds += time.perf_counter() - started
                now += every
            sends = await store.sends(CHAT)
        finally:
            await http.aclose()
            await database.close()
    print(
        f"  {polls} polls of {len(outlets.feeds)} feeds storing {stored} items "
        f"({poll_seconds:.1f} s), stories and alerts {alert_seconds:.1f} s; "
        f"{len(sender.sent)} messages sent, {len(sends)} send-log rows"
    )
    assert len(sender.sent) == len(sends) == len(alerts), "every send is one logged alert"
    return alerts


def report(alerts: list[tuple[dt.datetime, Confirmation, str]]) -> None:
    print("  | poll (KST) | from first item | from confirming item | outlets | headline |")
    print("  |---|---|---|---|---|")
    for polled, confirmation, _ in alerts:
        first = (polled - confirmation.first.published).total_seconds() / 60
        confirming = (polled - confirmation.confirmed_at).total_seconds() / 60
        outlets = ", ".join(
            f"{item.source} {item.published.astimezone(KST):%H:%M}" for item in confirmation.outlets
        )
        headline = confirmation.story.items[0].title.replace("|", "/")
        print(
            f"  | {polled.astimezone(KST):%H:%M} | {first:.0f} min | {confirming:.0f} min "
            f"| {outlets} | {headline[:90]} |"
        )
    urls = [{i.url for i in confirmation.story.items} for _, confirmation, _ in alerts]
    shared = sum(1 for a in range(len(urls)) for b in range(a) if urls[a] & urls[b])
    keys = Counter(key for _, _, key in alerts)
    twice = sum(1 for count in keys.values() if count > 1)
    print(f"  stories alerted twice: {twice} by key, {shared} pairs of alerts sharing an item")


def summary(
    rows: list[tuple[dt.datetime, Row]],
    items: list[NewsItem],
    rule: AlertRule,
    every: dt.timedelta,
) -> None:
    """Every day with relevant items: how many alerts, how late after the confirming item,
    repeats."""
    days = sorted({item.published.astimezone(KST).date() for item in items})
    total, lags, twice = 0, [], 0
    for day in days:
        print(f"{day}:", end="")
        alerts = asyncio.run(replay_day(rows, day, rule, every))
        total += len(alerts)
        lags += [(polled - c.confirmed_at).total_seconds() / 60 for polled, c, _ in alerts]
        keys = Counter(key for _, _, key in alerts)
        twice += sum(1 for count in keys.values() if count > 1)
    lags.sort()
    worst = f"{lags[-1]:.0f}" if lags else "–"
    median = f"{lags[len(lags) // 2]:.0f}" if lags else "–"
    print(
        f"\n| days | alerts | median min from confirming item | max | alerted twice |\n"
        f"|---:|---:|---:|---:|---:|\n| {len(days)} | {total} | {median} | {worst} | {twice} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("items", nargs="?", type=Path, default=DEFAULT_ITEMS)
    parser.add_argument("--day", action="append", type=dt.date.fromisoformat, default=[])
    parser.add_argument("--every", type=float, default=5.0, help="minutes between polls")
    parser.add_argument("--min-outlets", type=int, default=3)
    parser.add_argument("--window", type=float, default=60.0, help="minutes")
    parser.add_argument(
        "--all-days", action="store_true", help="every day of the captures, one summary line each"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    rows = [(published_at(row), row) for row in load(args.items)]
    items = news_items([row for _, row in rows])
    print(
        f"{len(rows)} items of {args.items}, {len(items)} relevant as briefing_real prepares "
        f"them ({time.perf_counter() - started:.0f} s)"
    )
    rule = AlertRule(ALERT_TOPICS, args.min_outlets, dt.timedelta(minutes=args.window))
    every = dt.timedelta(minutes=args.every)
    if args.all_days:
        summary(rows, items, rule, every)
        return
    for day in args.day or [busiest_day(items)]:
        print(
            f"\n{day} (KST), polls every {args.every:g} min, {args.min_outlets} outlets "
            f"within {args.window:g} min:"
        )
        alerts = asyncio.run(replay_day(rows, day, rule, every))
        report(alerts)


if __name__ == "__main__":
    main()
