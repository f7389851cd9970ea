"""Time linking a day's stories to their threads, beside building them, on SQLite and
PostgreSQL.

    python -m benchmarks.threads [--items 5000] [--database URL ...] [--data PATH]

A day of items: ``--items`` real captures from ``../shared/data/realnews/items.jsonl``
(headlines and leads, two thirds Korean), drawn at random (seeded), each given its own URL
and a publication time in the 24 hours before the run's "now", stored through
``ItemStore.add_items`` as the poller stores them. Then, each timed once:

* **build** — ``build_stories`` over the day's items (the clustering the bot already does
  every minute it is asked, in a worker process): the reference;
* **link, first** — :func:`bot.briefing.editions.link_threads` on those stories with no
  thread yet: every item URL looked up, every link written, the threads' earlier coverage
  read;
* **link, again** — the same stories a minute later: lookups only, nothing to write;
* **link, next hour** — an hour later with 200 more items (the window slid an hour):
  stories rebuilt, then linked; most items already linked.

Without ``--database``, SQLite alone runs (add ``TEST_DATABASE_URL`` for PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.scratch import postgres_schema
from bot.briefing.compose import WINDOW, Story, build_stories
from bot.briefing.editions import link_threads
from bot.models import Provenance, Topic
from bot.store import Database
from bot.store.items import ItemRow, ItemStore, SummaryStatus
from bot.store.threads import ThreadStore

NOW = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
DEFAULT_DATA = Path("../shared/data/realnews/items.jsonl")
LATER_ITEMS = 200
T = TypeVar("T")


def _rows(captures: list[dict[str, Any]], count: int, now: datetime, seed: int) -> list[ItemRow]:
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        capture = rng.choice(captures)
        published = now - timedelta(seconds=rng.uniform(0, WINDOW.total_seconds() - 1))
        rows.append(
            ItemRow(
                url=f"{capture['url']}#copy{seed}-{n}",
                feed_url=f"https://feeds.example/{capture['source']}",
                feed_name=capture["source"],
                source=capture["source"],
                language=capture["language"],
                provenance=Provenance.WIRE,
                weight=1.0,
                title=capture["title"],
                excerpt=capture.get("summary") or "",
                published_at=published,
                fetched_at=now,
                relevance=5.0,
                relevant=True,
                topics=(Topic.SECURITY,),
                summary_status=SummaryStatus.SKIPPED,
            )
        )
    return rows


async def _timed(work: Callable[[], Awaitable[T]]) -> tuple[T, float]:
    start = time.perf_counter()
    result = await work()
    return result, (time.perf_counter() - start) * 1000


async def _run(url: str, captures: list[dict[str, Any]], count: int) -> dict[str, float]:
    database = Database(url)
    await database.open()
    try:
        items, threads = ItemStore(database), ThreadStore(database)
        await items.add_items(_rows(captures, count, NOW, seed=1))
        day = await items.recent_relevant(NOW - WINDOW, NOW)
        start = time.perf_counter()
        stories = build_stories(day, now=NOW)
        build_ms = (time.perf_counter() - start) * 1000

        async def link(stories: list[Story], now: datetime) -> list[Story]:
            return await link_threads(stories, threads, now)

        _, first_ms = await _timed(lambda: link(stories, NOW))
        _, again_ms = await _timed(lambda: link(stories, NOW + timedelta(minutes=1)))
        later = NOW + timedelta(hours=1)
        await items.add_items(_rows(captures, LATER_ITEMS, later, seed=2))
        window = await items.recent_relevant(later - WINDOW, later)
        rebuilt = build_stories(window, now=later)
        _, later_ms = await _timed(lambda: link(rebuilt, later))
        return {
            "items": len(day),
            "stories": len(stories),
            "build": build_ms,
            "first": first_ms,
            "again": again_ms,
            "later": later_ms,
        }
    finally:
        await database.close()


async def _main(args: argparse.Namespace) -> None:
    captures = [json.loads(line) for line in args.data.read_text("utf-8").splitlines()]
    targets: list[tuple[str, str | None]] = [("SQLite", None)]
    urls = args.database or (
        [os.environ["TEST_DATABASE_URL"]] if "TEST_DATABASE_URL" in os.environ else []
    )
    targets += [("PostgreSQL", url) for url in urls]
    print(
        f"| database | items | stories | build (ms) | link, first (ms) | link, again (ms) "
        f"| link, next hour +{LATER_ITEMS} (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, base in targets:
        if base is None:
            with tempfile.TemporaryDirectory() as tmp:
                result = await _run(f"sqlite:///{tmp}/threads.db", captures, args.items)
        else:
            async with postgres_schema(base, "bench_threads") as url:
                result = await _run(url, captures, args.items)
        print(
            f"| {name} | {result['items']:.0f} | {result['stories']:.0f} "
            f"| {result['build']:.0f} | {result['first']:.0f} | {result['again']:.0f} "
            f"| {result['later']:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--database", action="append", help="a PostgreSQL URL (repeatable)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
