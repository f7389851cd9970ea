"""The item repository: feed items by canonical URL, and each feed's polling state.

Every method is one transaction. Items are keyed by canonical URL, so a story seen
again (next poll, another feed, another tracking parameter) is stored once and never
scored or summarized twice. Times are aware UTC datetimes passed in by the caller.

Summary status of an item (``items.summary_status``):

    pending   relevant, the feed gave an excerpt: the article is still to be summarized
    done      ``summary`` holds the article's own summary sentences
    failed    the article could not be fetched or summarized; the excerpt stands
    skipped   full-text feed, or not relevant: nothing to fetch
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import RowMapping, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.models import FeedHealth, NewsItem, Provenance, Topic
from bot.store.database import Database
from bot.store.schema import feeds, items, mask_to_topics, topics_to_mask
from bot.store.search import index_in

_CHUNK = 500
"""URLs per ``IN (…)`` list and rows per INSERT: well under SQLite's variable limit."""
MAX_ERROR_CHARS = 500


class SummaryStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemRow:
    """One scored feed item, as stored."""

    url: str
    """Canonical URL: the identity."""
    feed_url: str
    feed_name: str
    source: str
    language: str
    provenance: Provenance
    weight: float
    title: str
    excerpt: str
    published_at: datetime
    fetched_at: datetime
    relevance: float
    relevant: bool
    topics: tuple[Topic, ...]
    summary_status: SummaryStatus

    def values(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "feed_url": self.feed_url,
            "feed_name": self.feed_name,
            "source": self.source,
            "language": self.language,
            "provenance": self.provenance.value,
            "weight": self.weight,
            "title": self.title,
            "excerpt": self.excerpt,
            "summary": None,
            "summary_status": self.summary_status.value,
            "published_at": self.published_at,
            "fetched_at": self.fetched_at,
            "relevance": self.relevance,
            "relevant": self.relevant,
            "topics": topics_to_mask(set(self.topics)),
            "topic_order": ",".join(topic.value for topic in self.topics),
        }


@dataclass(frozen=True, slots=True)
class PendingSummary:
    """A relevant item whose article is still to be summarized."""

    url: str
    title: str
    language: str
    published_at: datetime


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the poller needs to know about a feed before fetching it."""

    url: str
    etag: str | None
    last_modified: str | None
    consecutive_failures: int
    next_attempt_at: datetime | None
    """While in back-off, the earliest time to try again; None when healthy."""


class ItemStore:
    """Feed items and feed state, on a :class:`Database` opened by the caller."""

    def __init__(self, database: Database) -> None:
        self._db = database

    # ------------------------------------------------------------------ items

    async def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` that are already stored."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        async with self._db.reading() as conn:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                result = await conn.execute(select(items.c.url).where(items.c.url.in_(chunk)))
                found.update(result.scalars())
        return found

    async def add_items(self, rows: Sequence[ItemRow]) -> int:
        """Store new items, and index them for search in the same transaction; URLs
        already stored are left alone. Returns how many were new."""
        added: set[str] = set()
        async with self._db.transaction() as conn:
            for start in range(0, len(rows), _CHUNK):
                values = [row.values() for row in rows[start : start + _CHUNK]]
                statement = self._insert(items).on_conflict_do_nothing(index_elements=["url"])
                result = await conn.execute(statement.returning(items.c.url), values)
                added.update(result.scalars())
            new: dict[str, ItemRow] = {}
            for row in rows:  # the first of a URL's rows is the one stored
                if row.url in added:
                    new.setdefault(row.url, row)
            await index_in(conn, self._db.dialect, list(new.values()))
        return len(added)

    async def pending_summaries(self, limit: int) -> list[PendingSummary]:
        """Relevant items whose article is still to be summarized, newest first."""
        query = (
            select(items.c.url, items.c.title, items.c.language, items.c.published_at)
            .where(items.c.summary_status == SummaryStatus.PENDING.value, items.c.relevant)
            .order_by(items.c.published_at.desc(), items.c.url)
            .limit(limit)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [PendingSummary(**row) for row in result.mappings()]

    async def set_summary(self, url: str, text: str | None, status: SummaryStatus) -> None:
        """Record the outcome of summarizing ``url``'s article (``done`` with text, or not)."""
        if status is SummaryStatus.DONE and not text:
            raise ValueError("a done summary needs its text")
        statement = (
            update(items).where(items.c.url == url).values(summary=text, summary_status=status)
        )
        async with self._db.transaction() as conn:
            await conn.execute(statement)

    async def recent_relevant(self, since: datetime, until: datetime) -> list[NewsItem]:
        """Relevant items published in (``since``, ``until``], newest first (the briefing's
        input)."""
        query = (
            select(items)
            .where(items.c.relevant, items.c.published_at > since, items.c.published_at <= until)
            .order_by(items.c.published_at.desc(), items.c.url)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [news_item(row) for row in result.mappings()]

    async def relevant_urls_fetched_since(
        self, since: datetime, *, published_after: datetime
    ) -> set[str]:
        """URLs of the relevant items stored at or after ``since`` (a poll's time) and
        published after ``published_after``: what a poll brought to the day's stories."""
        query = select(items.c.url).where(
            items.c.relevant,
            items.c.published_at > published_after,
            items.c.fetched_at >= since,
        )
        async with self._db.reading() as conn:
            return set((await conn.execute(query)).scalars())

    async def latest_relevant(self, limit: int) -> list[NewsItem]:
        """The ``limit`` most recently published relevant items, newest first.

        For inspection (tests, an operator's shell): the bot reads items by window
        (:meth:`recent_relevant`) and ranks stories, not single items.
        """
        query = (
            select(items)
            .where(items.c.relevant)
            .order_by(items.c.published_at.desc(), items.c.url)
            .limit(limit)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [news_item(row) for row in result.mappings()]

    async def prune(self, older_than: datetime, batch: int = 5000) -> int:
        """Delete items published before ``older_than`` (and so their search entries);
        returns how many.

        A ``batch`` per transaction: a shortened ``RETENTION_DAYS`` can free months at
        once, and one long write would hold up the poller's (on SQLite, every writer)."""
        pruned = 0
        while True:
            old = select(items.c.url).where(items.c.published_at < older_than).limit(batch)
            async with self._db.transaction() as conn:
                result = await conn.execute(
                    delete(items).where(items.c.url.in_(old.scalar_subquery()))
                )
            pruned += result.rowcount
            if result.rowcount < batch:
                return pruned

    # ------------------------------------------------------------------ feeds

    async def feed_states(self) -> dict[str, FeedState]:
        """Polling state of every feed that has been polled, by URL."""
        query = select(
            feeds.c.url,
            feeds.c.etag,
            feeds.c.last_modified,
            feeds.c.consecutive_failures,
            feeds.c.next_attempt_at,
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return {row["url"]: FeedState(**row) for row in result.mappings()}

    async def record_success(
        self,
        url: str,
        name: str,
        *,
        etag: str | None,
        last_modified: str | None,
        new_items: int,
        now: datetime,
    ) -> None:
        """The feed answered (a document or 304): clear its failure state."""
        row = {
            "url": url,
            "name": name,
            "etag": etag,
            "last_modified": last_modified,
            "last_attempt_at": now,
            "last_success_at": now,
            "last_error": None,
            "error_kind": None,
            "consecutive_failures": 0,
            "next_attempt_at": None,
            "last_new_items": new_items,
            "items_total": new_items,
        }
        statement = self._insert(feeds).values(**row)
        changes = {key: statement.excluded[key] for key in row if key != "url"}
        changes["items_total"] = feeds.c.items_total + statement.excluded.items_total
        async with self._db.transaction() as conn:
            await conn.execute(
                statement.on_conflict_do_update(index_elements=["url"], set_=changes)
            )

    async def record_failure(
        self,
        url: str,
        name: str,
        *,
        kind: str,
        message: str,
        now: datetime,
        retry_at: datetime,
    ) -> None:
        """The feed failed: count it, keep why, and do not try again before ``retry_at``."""
        if len(message) > MAX_ERROR_CHARS:
            message = message[: MAX_ERROR_CHARS - 1] + "…"
        row = {
            "url": url,
            "name": name,
            "last_attempt_at": now,
            "last_error": message,
            "error_kind": kind,
            "consecutive_failures": 1,
            "next_attempt_at": retry_at,
        }
        statement = self._insert(feeds).values(**row)
        changes = {key: statement.excluded[key] for key in row if key != "url"}
        changes["consecutive_failures"] = feeds.c.consecutive_failures + 1
        async with self._db.transaction() as conn:
            await conn.execute(
                statement.on_conflict_do_update(index_elements=["url"], set_=changes)
            )

    async def feed_health(self, urls: Collection[str] | None = None) -> list[FeedHealth]:
        """Every polled feed's record (only those in ``urls`` if given), by name."""
        query = select(
            feeds.c.name,
            feeds.c.url,
            feeds.c.last_attempt_at,
            feeds.c.last_success_at,
            feeds.c.last_error,
            feeds.c.error_kind,
            feeds.c.consecutive_failures,
            feeds.c.next_attempt_at,
            feeds.c.last_new_items,
            feeds.c.items_total,
        ).order_by(feeds.c.name, feeds.c.url)
        if urls is not None:
            query = query.where(feeds.c.url.in_(list(urls)))
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [FeedHealth(**row) for row in result.mappings()]

    # ------------------------------------------------------------------ helpers

    def _insert(self, table: Any) -> Any:
        """The dialect's INSERT, which has ``on_conflict_do_nothing/update``."""
        dialect = postgresql if self._db.dialect == "postgresql" else sqlite
        return dialect.insert(table)


def news_item(row: RowMapping) -> NewsItem:
    """A stored ``items`` row as the briefing reads it (the thread view too)."""
    done = row["summary_status"] == SummaryStatus.DONE.value and row["summary"]
    return NewsItem(
        url=row["url"],
        title=row["title"],
        summary=row["summary"] if done else row["excerpt"],
        published=row["published_at"],
        source=row["source"],
        feed_name=row["feed_name"],
        language=row["language"],
        provenance=Provenance(row["provenance"]),
        topics=_topics(row),
        relevance=row["relevance"],
        weight=row["weight"],
    )


def _topics(row: RowMapping) -> tuple[Topic, ...]:
    """The item's topics strongest first; an item stored before the order was kept
    (revision 0014) has its topics in the enum's order."""
    order = row.get("topic_order")
    if order:
        return tuple(Topic(value) for value in order.split(","))
    return tuple(topic for topic in Topic if topic in mask_to_topics(row["topics"]))
