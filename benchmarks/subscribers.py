"""Time the subscriber store at scale on SQLite and PostgreSQL, against the naive scan.

    python -m benchmarks.subscribers [--count 100000] [--postgres URL] [--samples 150]

Populates ``--count`` chats (seeded): half in Asia/Seoul, the rest over 40 other zones;
30% at the default 07:30, the rest every 5 minutes across the day (a tenth at any
minute); 10% unsubscribed. SQLite runs in a temporary file, PostgreSQL (``--postgres``
or ``TEST_DATABASE_URL``) in a temporary schema dropped afterwards.

The day is then replayed minute by sampled minute, as the delivery job would: deliveries
due before the sampled minute are advanced (untimed), then we time

* **indexed** — ``SubscriberStore.due(now)``: ``next_delivery_at <= now`` on the index,
  at most 1000 rows (the sender pages through a busy minute);
* **naive** — what a store without ``next_delivery_at`` must do: load every subscribed
  row and work out in Python whose local wall clock shows their delivery time now;

and the latency of settings changes (``set_time``, ``toggle_topic``) on random chats.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, insert, select, text, update

from benchmarks.scratch import postgres_schema
from bot.delivery.schedule import next_occurrence
from bot.errors import LastTopic
from bot.models import Topic
from bot.store import Database, SubscriberStore
from bot.store.schema import chats

T = TypeVar("T")
START = datetime(2025, 6, 10, tzinfo=UTC)  # no DST change anywhere within the next day
DUE_LIMIT = 1000
OTHER_ZONES = [
    "America/New_York", "America/Los_Angeles", "America/Chicago", "America/Denver",
    "America/Toronto", "America/Vancouver", "America/Sao_Paulo", "America/Mexico_City",
    "America/Anchorage", "Pacific/Honolulu", "Europe/London", "Europe/Berlin",
    "Europe/Paris", "Europe/Brussels", "Europe/Zurich", "Europe/Moscow", "Europe/Stockholm",
    "Europe/Warsaw", "Europe/Kyiv", "Europe/Istanbul", "Asia/Tokyo", "Asia/Shanghai",
    "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Manila", "Asia/Bangkok",
    "Asia/Ho_Chi_Minh", "Asia/Jakarta", "Asia/Kolkata", "Asia/Dubai", "Asia/Ulaanbaatar",
    "Asia/Vladivostok", "Asia/Kathmandu", "Australia/Sydney", "Australia/Adelaide",
    "Australia/Lord_Howe", "Pacific/Auckland", "Africa/Nairobi", "Etc/GMT-9",
]  # fmt: skip


@dataclass
class Result:
    backend: str
    load_seconds: float = 0.0
    rss_after_load: float = 0.0
    rss_after_naive: float = 0.0
    indexed_ms: list[float] = field(default_factory=list)
    indexed_rows: list[int] = field(default_factory=list)
    naive_ms: list[float] = field(default_factory=list)
    naive_rows: list[int] = field(default_factory=list)
    agreement: list[bool] = field(default_factory=list)
    speedups: list[float] = field(default_factory=list)
    """naive ÷ indexed, at the minutes where both ran."""
    set_time_ms: list[float] = field(default_factory=list)
    toggle_ms: list[float] = field(default_factory=list)
    plan: str = ""


def population(count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """The chats rows, deterministic for a seed."""
    rng = random.Random(seed)
    cache: dict[tuple[clock_time, str], datetime] = {}
    all_bits = (1 << len(Topic)) - 1
    for index in range(count):
        zone = "Asia/Seoul" if rng.random() < 0.5 else rng.choice(OTHER_ZONES)
        pick = rng.random()
        if pick < 0.3:
            at = clock_time(7, 30)
        else:
            minute = rng.randrange(1440) if pick > 0.93 else rng.randrange(288) * 5
            at = clock_time(minute // 60, minute % 60)
        subscribed = rng.random() < 0.9
        if subscribed and (at, zone) not in cache:
            cache[at, zone] = next_occurrence(at, zone, START)
        chat_id = index + 1 if index % 5 else -1_000_000_000_000 - index
        yield {
            "chat_id": chat_id,
            "chat_type": "private" if chat_id > 0 else "channel",
            "title": f"chat {index}",
            "language": "ko" if rng.random() < 0.6 else "en",
            "timezone": zone,
            "delivery_time": at,
            "topics": rng.randrange(1, all_bits + 1),
            "summary_length": "standard",
            "subscribed": subscribed,
            "next_delivery_at": cache[at, zone] if subscribed else None,
            "added_by": abs(chat_id),
            "created_at": START,
            "updated_at": START,
            "deactivated_at": None if subscribed else START,
            "deactivated_reason": None if subscribed else "unsubscribed",
        }


async def load(database: Database, count: int) -> float:
    started = time.perf_counter()
    batch: list[dict[str, Any]] = []
    for row in population(count):
        batch.append(row)
        if len(batch) == 10_000:
            async with database.transaction() as connection:
                await connection.execute(insert(chats), batch)
            batch = []
    if batch:
        async with database.transaction() as connection:
            await connection.execute(insert(chats), batch)
    async with database.transaction() as connection:
        await connection.execute(text("ANALYZE"))
    return time.perf_counter() - started


async def deliver_everything_before(database: Database, now: datetime) -> None:
    """Untimed: what the delivery job did before ``now`` (advance the due rows a day)."""
    async with database.transaction() as connection:
        result = await connection.execute(
            select(chats.c.chat_id, chats.c.next_delivery_at).where(
                chats.c.subscribed, chats.c.next_delivery_at < now
            )
        )
        advanced = [
            {"id": chat_id, "next": when + timedelta(days=1)} for chat_id, when in result.all()
        ]
        if advanced:
            statement = (
                update(chats)
                .where(chats.c.chat_id == bindparam("id"))
                .values(next_delivery_at=bindparam("next"))
            )
            await connection.execute(statement, advanced)


async def naive_due(database: Database, now: datetime) -> list[int]:
    """Load every subscribed chat and compute in Python who is due this minute."""
    async with database.reading() as connection:
        result = await connection.execute(
            select(chats.c.chat_id, chats.c.timezone, chats.c.delivery_time).where(
                chats.c.subscribed
            )
        )
        rows = result.all()
    wall: dict[str, tuple[int, int]] = {}
    due = []
    for chat_id, zone, at in rows:
        if zone not in wall:
            local = now.astimezone(ZoneInfo(zone))
            wall[zone] = (local.hour, local.minute)
        if (at.hour, at.minute) == wall[zone]:
            due.append(chat_id)
    return due


async def timed(work: Awaitable[T]) -> tuple[float, T]:
    started = time.perf_counter()  # a coroutine only starts running when awaited
    value = await work
    return (time.perf_counter() - started) * 1000, value


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def query_plan(database: Database, now: datetime) -> str:
    """EXPLAIN of exactly the statement ``due()`` sends."""
    query = (
        select(chats)
        .where(chats.c.subscribed, chats.c.next_delivery_at <= now)
        .order_by(chats.c.next_delivery_at, chats.c.chat_id)
        .limit(DUE_LIMIT)
    )
    sqlite = database.dialect == "sqlite"
    async with database.reading() as connection:
        compiled = query.compile(connection.sync_connection)
        values = compiled.construct_params()
        params = tuple(
            value.replace(tzinfo=None).isoformat(" ") if sqlite and isinstance(value, datetime)
            else value
            for value in (values[name] for name in compiled.positiontup or ())
        )  # fmt: skip
        explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        rows = (await connection.exec_driver_sql(explain + str(compiled), params)).all()
    return " / ".join(" ".join(str(part) for part in row[-1:]).strip() for row in rows)


async def run(database: Database, backend: str, count: int, samples: int, naive: int) -> Result:
    result = Result(backend)
    store = SubscriberStore(database)
    result.load_seconds = await load(database, count)
    gc.collect()
    result.rss_after_load = rss_mb()

    # Sampled minutes through the day, plus the busiest one (07:30 in Seoul).
    step = max(1, 1440 // samples)
    minutes = sorted(set(range(7, 1440, step)) | {22 * 60 + 30})
    naive_at = set(minutes[:: max(1, len(minutes) // naive)]) | {22 * 60 + 30}
    for minute in minutes:
        now = START + timedelta(minutes=minute)
        await deliver_everything_before(database, now)
        elapsed, due = await timed(store.due(now, DUE_LIMIT))
        result.indexed_ms.append(elapsed)
        result.indexed_rows.append(len(due))
        if minute in naive_at:
            elapsed, naive_ids = await timed(naive_due(database, now))
            result.naive_ms.append(elapsed)
            result.naive_rows.append(len(naive_ids))
            result.speedups.append(elapsed / result.indexed_ms[-1])
            if len(due) < DUE_LIMIT:
                result.agreement.append({chat.chat_id for chat in due} == set(naive_ids))
        if minute == 22 * 60 + 30:
            result.plan = await query_plan(database, now)
    result.rss_after_naive = rss_mb()

    rng = random.Random(2)
    subscribed = [row["chat_id"] for row in population(count) if row["subscribed"]]
    now = START + timedelta(days=1)
    for _ in range(200):
        chat_id = rng.choice(subscribed)
        at = clock_time(rng.randrange(24), rng.randrange(0, 60, 5))
        elapsed, _ = await timed(store.set_time(chat_id, at, now))
        result.set_time_ms.append(elapsed)
        topic = rng.choice(list(Topic))
        try:
            elapsed, _ = await timed(store.toggle_topic(chat_id, topic))
        except LastTopic:  # the chat's only topic: refused, as the store should
            continue
        result.toggle_ms.append(elapsed)
    return result


async def sqlite_run(args: argparse.Namespace) -> Result:
    with tempfile.TemporaryDirectory() as directory:
        database = Database(f"sqlite:///{Path(directory) / 'bench.db'}")
        await database.open()
        try:
            return await run(database, "SQLite", args.count, args.samples, args.naive)
        finally:
            await database.close()


async def postgres_run(args: argparse.Namespace, url: str) -> Result:
    async with postgres_schema(url, "bench") as scoped:
        database = Database(scoped)
        await database.open()
        try:
            return await run(database, "PostgreSQL", args.count, args.samples, args.naive)
        finally:
            await database.close()


def p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def report(results: list[Result], count: int) -> None:
    print(f"{count:,} chats (90% subscribed); due queries at sampled minutes of one day.\n")
    print("| backend | due query | median ms | p95 ms | max ms | rows/query median (max) |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        for name, times, rows in (
            ("indexed `due(now)`", r.indexed_ms, r.indexed_rows),
            ("naive scan", r.naive_ms, r.naive_rows),
        ):
            print(
                f"| {r.backend} | {name} ({len(times)} minutes) | {statistics.median(times):.2f} "
                f"| {p95(times):.2f} | {max(times):.2f} "
                f"| {statistics.median(rows):.0f} ({max(rows)}) |"
            )
    print()
    print(
        "| backend | speed-up (median, same minutes) | results agree | load s | "
        "set_time median / p95 ms | toggle_topic median / p95 ms | RSS after load MB "
        "| RSS after naive MB |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for r in results:
        speedup = statistics.median(r.speedups)
        agree = f"{sum(r.agreement)}/{len(r.agreement)} minutes"
        print(
            f"| {r.backend} | {speedup:.0f}× | {agree} | {r.load_seconds:.1f} "
            f"| {statistics.median(r.set_time_ms):.2f} / {p95(r.set_time_ms):.2f} "
            f"| {statistics.median(r.toggle_ms):.2f} / {p95(r.toggle_ms):.2f} "
            f"| {r.rss_after_load:.0f} | {r.rss_after_naive:.0f} |"
        )
    print()
    for r in results:
        print(f"{r.backend} plan for the due query: {r.plan}")


async def main_async(args: argparse.Namespace) -> None:
    results = [await sqlite_run(args)]
    url = args.postgres or os.environ.get("TEST_DATABASE_URL")
    if url:
        results.append(await postgres_run(args, url))
    else:
        print("(no --postgres URL or TEST_DATABASE_URL: SQLite only)\n")
    report(results, args.count)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="chats to populate")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL database to use")
    parser.add_argument("--samples", type=int, default=150, help="minutes to time due() at")
    parser.add_argument("--naive", type=int, default=15, help="minutes to time the scan at")
    asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
