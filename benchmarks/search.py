"""Time /search at scale on SQLite (FTS5) and PostgreSQL (tsvector + GIN), against a
``LIKE '%…%'`` scan of the same items in the same run.

    python -m benchmarks.search [--items 1000000] [--database URL ...] [--data PATH] [--no-aliases]

Items are the real captures in ``../shared/data/realnews/items.jsonl`` (34,526 headlines
and leads, two thirds Korean), drawn at random (seeded) until there are ``--items``: each
copy gets its own URL and a publication time in the 180 days before the run's "now", so
the archive looks like a full retention window; they are stored oldest first, as the bot
stores them. Each ``--database`` is loaded in a
fresh place (SQLite: a temporary file; PostgreSQL: a temporary schema, dropped after);
without any, SQLite alone runs (add ``TEST_DATABASE_URL`` for PostgreSQL).

Loading goes straight to the tables (items, then search_docs with the bot's own terms
and ids; on PostgreSQL the GIN index is built after the load, then both tables are
vacuumed and analyzed, as autovacuum leaves a table written over months; SQLite's FTS
index is optimized and analyzed); the timing is of reads:

* **search** — ``SearchIndex.search(query)``: the first page of five stories as the
  reader gets it (matching, newest first, items joined and grouped), and the third page;
  names match their aliases as in the bot (북한 also finds "North Korea", "missile"
  also 미사일), unless ``--no-aliases``; the first page is also timed with names matched
  only as typed, just before, for what aliases cost;
* **LIKE scan** — what a store without the index does: every word as
  ``title LIKE '%w%' OR excerpt LIKE '%w%'`` (ILIKE on PostgreSQL; a quoted phrase as
  one pattern), newest first, the first 30 items.

50 queries — single English words, quoted English phrases, Korean words to be found
inside compounds — each run once untimed, then three times; a query's time is its
median, and the table gives the p50/p95 over queries.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.exc import OperationalError

from benchmarks.scratch import postgres_schema
from bot.follows.aliases import other_names
from bot.store import Database
from bot.store.schema import items
from bot.store.search import SearchIndex, doc_id, tsvector_literal
from bot.store.searchterms import Expand, document_terms

NOW = datetime(2026, 12, 6, tzinfo=UTC)
WINDOW = timedelta(days=180)
BATCH = 5000
DEFAULT_DATA = Path("../shared/data/realnews/items.jsonl")
ENGLISH_WORDS = [
    "missile", "sanctions", "satellite", "launched", "nuclear", "drone", "uranium",
    "Russia", "election", "tariffs", "typhoon", "Pyongyang", "Ukraine", "Putin",
    "semiconductor", "earthquake", "defectors",
]  # fmt: skip
ENGLISH_PHRASES = [
    '"Kim Jong Un"', '"ballistic missile"', '"Korean Peninsula"', '"Kim Yo Jong"',
    '"Xi Jinping"', '"nuclear weapons"', '"joint military drills"', '"South Korea"',
    "missile launch", "Trump tariffs", '"interest rate"', '"Lee Jae-myung"',
    "nuclear submarine",
]  # fmt: skip
KOREAN = [
    "북한", "김여정", "미사일", "국방", "통일", "합참", "농축", "정상회담", "한미",
    "탄도미사일", "북한군", "위성", "반도체", "관세", "국정감사", "탈북", "비핵화",
    "우크라이나", "북러", "장마",
]  # fmt: skip
QUERIES = ENGLISH_WORDS + ENGLISH_PHRASES + KOREAN
KINDS = {
    "English words": ENGLISH_WORDS,
    "English phrases, word pairs": ENGLISH_PHRASES,
    "Korean (inside compounds)": KOREAN,
}


@dataclass
class Result:
    backend: str
    items: int
    load_seconds: float = 0.0
    index_bytes: int | None = None
    items_bytes: int | None = None
    search_ms: dict[str, float] = field(default_factory=dict)
    page3_ms: dict[str, float] = field(default_factory=dict)
    like_ms: dict[str, float] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    """Stories on the first page, per query."""
    like_found: dict[str, int] = field(default_factory=dict)
    as_typed_ms: dict[str, float] = field(default_factory=dict)
    """The first page again without aliases (names matched only as typed), for their cost."""


def base_items(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as file:
        return [json.loads(line) for line in file if line.strip()]


def replicated(base: list[dict[str, Any]], count: int, seed: int = 15) -> Iterator[dict[str, Any]]:
    """``count`` item rows: the captures drawn at random, each copy its own URL and time,
    oldest first — as the bot stores them, so the tables' physical order follows time."""
    rng = random.Random(seed)
    window = int(WINDOW.total_seconds())
    offsets = sorted((rng.randrange(window) for _ in range(count)), reverse=True)
    for n, offset in enumerate(offsets):
        source = base[rng.randrange(len(base))]
        published = NOW - timedelta(seconds=offset)
        yield {
            # The captures repeat some URLs (one story in two feeds): every row its own.
            "url": f"{source['url']}{'&' if '?' in source['url'] else '?'}copy={n}",
            "feed_url": "https://feeds.example/" + source.get("origin", "news"),
            "feed_name": source["source"],
            "source": source["source"],
            "language": source["language"],
            "provenance": "newspaper",
            "weight": 1.0,
            "title": source["title"],
            "excerpt": source.get("summary") or "",
            "summary": None,
            "summary_status": "skipped",
            "published_at": published,
            "fetched_at": published,
            "relevance": 1.0,
            "relevant": True,
            "topics": 1,
        }


async def load(database: Database, rows: Iterator[dict[str, Any]]) -> None:
    postgres = database.dialect == "postgresql"
    statement = text(
        "INSERT INTO search_docs (id, url, terms) VALUES (:id, :url, CAST(:terms AS tsvector))"
        if postgres
        else "INSERT INTO search_docs (id, url, terms) VALUES (:id, :url, :terms)"
    )
    taken: set[int] = set()
    if postgres:
        async with database.transaction() as connection:
            await connection.execute(text("DROP INDEX ix_search_docs_terms"))
    batch: list[dict[str, Any]] = []

    async def flush() -> None:
        docs = []
        for row in batch:
            key = doc_id(row["url"], row["published_at"])
            while key in taken:
                key += 1
            taken.add(key)
            terms = document_terms(row["title"], row["excerpt"])
            docs.append(
                {
                    "id": key,
                    "url": row["url"],
                    "terms": tsvector_literal(terms) if postgres else terms,
                }
            )
        async with database.transaction() as connection:
            await connection.execute(insert(items), batch)
            await connection.execute(statement, docs)
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            await flush()
    if batch:
        await flush()
    if postgres:
        async with database.transaction() as connection:
            await connection.execute(
                text("CREATE INDEX ix_search_docs_terms ON search_docs USING gin (terms)")
            )
        # As autovacuum leaves a table that has been written for a while: visibility map,
        # hint bits and statistics done, none of it competing with the timed queries.
        async with database.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE items"))
            await autocommit.execute(text("VACUUM ANALYZE search_docs"))
        return
    async with database.transaction() as connection:
        await connection.execute(text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))
        await connection.execute(text("ANALYZE"))


async def sizes(database: Database) -> tuple[int | None, int | None]:
    """Bytes of the search index (table and index) and of the items table."""
    async with database.reading() as connection:
        if database.dialect == "postgresql":
            index = await connection.scalar(text("SELECT pg_total_relation_size('search_docs')"))
            stored = await connection.scalar(text("SELECT pg_total_relation_size('items')"))
            return int(index), int(stored)
        try:
            result = await connection.execute(
                text("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
            )
        except OperationalError:  # SQLite built without the dbstat table
            return None, None
        by_name: dict[str, int] = {name: int(size) for name, size in result.tuples().all()}
        index = sum(size for name, size in by_name.items() if "search" in name)
        stored = sum(size for name, size in by_name.items() if "items" in name)
        return index, stored


def like_statement(postgres: bool, patterns: int) -> Any:
    operator = "ILIKE" if postgres else "LIKE"
    where = " AND ".join(
        f"(title {operator} :p{n} OR excerpt {operator} :p{n})" for n in range(patterns)
    )
    return text(
        f"SELECT url, title, source, published_at FROM items WHERE {where} "
        "ORDER BY published_at DESC LIMIT 30"
    )


def like_patterns(query: str) -> list[str]:
    if query.startswith('"'):
        return [f"%{query.strip(chr(34))}%"]
    return [f"%{word}%" for word in query.split()]


async def like_scan(database: Database, query: str) -> int:
    patterns = like_patterns(query)
    statement = like_statement(database.dialect == "postgresql", len(patterns))
    async with database.reading() as connection:
        result = await connection.execute(
            statement, {f"p{n}": pattern for n, pattern in enumerate(patterns)}
        )
        return len(result.all())


async def timed_median(work: Any, repeats: int = 3) -> tuple[float, Any]:
    await work()
    times = []
    value = None
    for _ in range(repeats):
        started = time.perf_counter()
        value = await work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), value


async def run(
    database: Database, backend: str, rows: list[dict[str, Any]], count: int, expand: Expand | None
) -> Result:
    result = Result(backend, count)
    started = time.perf_counter()
    await load(database, replicated(rows, count))
    result.load_seconds = time.perf_counter() - started
    result.index_bytes, result.items_bytes = await sizes(database)
    search = SearchIndex(database, expand)
    as_typed = SearchIndex(database)
    for query in QUERIES:
        if expand is not None:
            ms, _ = await timed_median(lambda q=query: as_typed.search(q))
            result.as_typed_ms[query] = ms
        ms, page = await timed_median(lambda q=query: search.search(q))
        result.search_ms[query], result.found[query] = ms, len(page.results)
        result.page3_ms[query], _ = await timed_median(lambda q=query: search.search(q, page=2))
        ms, found = await timed_median(lambda q=query: like_scan(database, q), repeats=1)
        result.like_ms[query], result.like_found[query] = ms, found
        print(f"  {backend} {query!r}: {result.search_ms[query]:.1f} ms, LIKE {ms:.0f} ms")
    return result


async def sqlite_run(rows: list[dict[str, Any]], count: int, expand: Expand | None) -> Result:
    with tempfile.TemporaryDirectory() as directory:
        async with Database(f"sqlite:///{Path(directory) / 'search.db'}") as database:
            return await run(database, "SQLite (FTS5)", rows, count, expand)


async def postgres_run(
    url: str, rows: list[dict[str, Any]], count: int, expand: Expand | None
) -> Result:
    async with (
        postgres_schema(url, "bench_search") as scoped,
        Database(scoped) as database,
    ):
        return await run(database, "PostgreSQL (tsvector, GIN)", rows, count, expand)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def megabytes(size: int | None) -> str:
    return "n/a" if size is None else f"{size / 1e6:,.0f} MB"


def report(results: list[Result]) -> None:
    print()
    print(
        "| backend | items | queries | search p50 | p95 | page 3 p50 | p95 | LIKE scan p50 | p95 |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for result in results:
        for kind, queries in [("all 50", QUERIES), *KINDS.items()]:
            search = [result.search_ms[q] for q in queries]
            page3 = [result.page3_ms[q] for q in queries]
            like = [result.like_ms[q] for q in queries]
            print(
                f"| {result.backend} | {result.items:,} | {kind} "
                f"| {statistics.median(search):.1f} ms | {p95(search):.1f} ms "
                f"| {statistics.median(page3):.1f} ms | {p95(page3):.1f} ms "
                f"| {statistics.median(like):,.0f} ms | {p95(like):,.0f} ms |"
            )
    print()
    print(
        "| backend | items | load | search index size | items table "
        "| queries with results (search / LIKE) |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for result in results:
        hits = sum(1 for q in QUERIES if result.found[q])
        like_hits = sum(1 for q in QUERIES if result.like_found[q])
        print(
            f"| {result.backend} | {result.items:,} | {result.load_seconds:,.0f} s "
            f"| {megabytes(result.index_bytes)} | {megabytes(result.items_bytes)} "
            f"| {hits} / {like_hits} of {len(QUERIES)} |"
        )
    with_aliases = [result for result in results if result.as_typed_ms]
    if with_aliases:
        print()
        print("| backend | items | queries | search p50 | p95 | names only as typed p50 | p95 |")
        print("|---|---:|---|---:|---:|---:|---:|")
    for result in with_aliases:
        for kind, queries in [("all 50", QUERIES), *KINDS.items()]:
            search = [result.search_ms[q] for q in queries]
            as_typed = [result.as_typed_ms[q] for q in queries]
            print(
                f"| {result.backend} | {result.items:,} | {kind} "
                f"| {statistics.median(search):.1f} ms | {p95(search):.1f} ms "
                f"| {statistics.median(as_typed):.1f} ms | {p95(as_typed):.1f} ms |"
            )
    slowest = max(results[0].search_ms, key=lambda q: results[0].search_ms[q])
    print(f"\nSlowest query on {results[0].backend}: {slowest!r}.")


async def main_async(args: argparse.Namespace) -> None:
    rows = base_items(args.data)
    urls = args.database or [None]
    if not args.database and os.environ.get("TEST_DATABASE_URL"):
        urls.append(os.environ["TEST_DATABASE_URL"])
    expand = None if args.no_aliases else other_names
    results = []
    for url in urls:
        if url is None or url.startswith("sqlite"):
            results.append(await sqlite_run(rows, args.items, expand))
        else:
            results.append(await postgres_run(url, rows, args.items, expand))
    report(results)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000, help="items to store")
    parser.add_argument(
        "--database",
        action="append",
        metavar="URL",
        help="sqlite (a temporary file) or a PostgreSQL URL (a temporary schema); repeatable",
    )
    parser.add_argument(
        "--no-aliases",
        action="store_true",
        help="search without the alias table (names match only as typed)",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="items.jsonl to replicate")
    asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
