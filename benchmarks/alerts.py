"""Confirmed breaking alerts replayed over real days of news: what would have alerted, how
fast, and whether anything alerted twice.

    python -m benchmarks.alerts [../shared/data/realnews/items.jsonl] [--day 2025-11-04]
        [--every 5] [--min-outlets 3] [--window 60]

Each item "arrives" at its publication time (the items were captured from live feeds,
``../shared/data/realnews/README.md``). Every ``--every`` minutes of simulated time, as
the bot does after a feed poll, the day's stories are rebuilt from the relevant items of
the 24 hours before (:func:`bot.briefing.compose.build_stories`, the items prepared as
``benchmarks.briefing_real`` prepares them) and the real
:class:`~bot.breaking.notifier.BreakingNotifier` runs on them, with its send log in a
throw-away SQLite database and one opted-in chat. Without ``--day`` the replayed day is
the KST day with the most relevant Security and Inter-Korean items.

Prints each alert (poll time in KST, minutes from the first item and from the confirming
item to the alert, the outlets, the headline) for a human to judge, then checks that no
story alerted twice: no two alerts share an item, and the send log has one row each.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.briefing_real import news_items
from benchmarks.realnews_sets import KST, load
from bot.breaking.confirm import AlertRule, Confirmation
from bot.breaking.notifier import BreakingNotifier
from bot.briefing.compose import WINDOW, Story, build_stories
from bot.delivery.sender import OutgoingMessage
from bot.i18n import Catalog
from bot.models import DeactivationReason, NewsItem, Topic
from bot.store import Database, SubscriberStore
from bot.store.breaking import BreakingStore

DEFAULT_ITEMS = Path("/work/shared/data/realnews/items.jsonl")
CHAT = 1
ALERT_TOPICS = frozenset({Topic.SECURITY, Topic.INTER_KOREAN})


class Recorder:
    """A sender that keeps what it was given."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []

    async def send(self, chat_id: int, message: OutgoingMessage) -> None:
        self.sent.append(message)


class Replay:
    """The day's stories at a simulated "now": the items published by then."""

    def __init__(self, items: list[NewsItem]) -> None:
        self._items = sorted(items, key=lambda item: item.published)
        self._built: tuple[int, list[Story]] | None = None
        self.builds = 0
        self.build_seconds = 0.0

    async def stories(self, now: dt.datetime) -> list[Story]:
        arrived = [i for i in self._items if now - WINDOW < i.published <= now]
        if self._built is None or self._built[0] != len(arrived):  # nothing new: as cached
            started = time.perf_counter()
            self._built = (len(arrived), build_stories(arrived, now=now))
            self.build_seconds += time.perf_counter() - started
            self.builds += 1
        return self._built[1]


def busiest_day(items: list[NewsItem]) -> dt.date:
    days = Counter(
        item.published.astimezone(KST).date()
        for item in items
        if item.topics and item.topics[0] in ALERT_TOPICS
    )
    return days.most_common(1)[0][0]


async def replay_day(
    items: list[NewsItem], day: dt.date, rule: AlertRule, every: dt.timedelta
) -> list[tuple[dt.datetime, Confirmation, str]]:
    """The alerts of one KST day: (poll time, confirmation, send-log key) each."""
    start = dt.datetime.combine(day, dt.time(0), KST).astimezone(dt.UTC)
    replay = Replay(
        [i for i in items if start - WINDOW < i.published <= start + dt.timedelta(days=1)]
    )
    with tempfile.TemporaryDirectory() as tmp:
        database = Database(f"sqlite+aiosqlite:///{tmp}/alerts.db")
        await database.open()
        try:
            subscribers = SubscriberStore(database, clock=lambda: start)
            await subscribers.ensure_chat(CHAT, chat_type="private", title="", language="en")
            store = BreakingStore(database)
            await store.set_enabled(CHAT, True, thread_id=None, now=start)

            async def deactivate(chat_id: int, reason: DeactivationReason) -> None:
                raise AssertionError("nobody blocks the benchmark")

            sender = Recorder()
            notifier = BreakingNotifier(
                store, replay.stories, sender, deactivate, Catalog.load(), rule
            )
            alerts = []
            now = start
            while now <= start + dt.timedelta(days=1):
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
                now += every
            sends = await store.sends(CHAT)
        finally:
            await database.close()
    print(
        f"  {replay.builds} story builds, {replay.build_seconds:.1f} s clustering; "
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


def summary(items: list[NewsItem], rule: AlertRule, every: dt.timedelta) -> None:
    """Every capture day: how many alerts, how late after the confirming item, repeats."""
    days = sorted({item.published.astimezone(KST).date() for item in items})
    total, lags, twice = 0, [], 0
    for day in days:
        print(f"{day}:", end="")
        alerts = asyncio.run(replay_day(items, day, rule, every))
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
    items = news_items(load(args.items))
    print(f"{len(items)} relevant items of {args.items} ({time.perf_counter() - started:.0f} s)")
    rule = AlertRule(ALERT_TOPICS, args.min_outlets, dt.timedelta(minutes=args.window))
    every = dt.timedelta(minutes=args.every)
    if args.all_days:
        summary(items, rule, every)
        return
    for day in args.day or [busiest_day(items)]:
        print(
            f"\n{day} (KST), polls every {args.every:g} min, {args.min_outlets} outlets "
            f"within {args.window:g} min:"
        )
        alerts = asyncio.run(replay_day(items, day, rule, every))
        report(alerts)


if __name__ == "__main__":
    main()
