"""The thread repository: which story thread each item belongs to (``thread_items``).

Each method is one transaction. A link is written once (``ON CONFLICT DO NOTHING``):
when two instances link the same new item at once, the first write wins and the other
build keeps its own answer only for that minute. Links go with their items when old
items are pruned (the foreign key cascades), so threads live as long as their items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.briefing.threads import Link
from bot.models import NewsItem
from bot.store.database import Database
from bot.store.items import news_item
from bot.store.schema import items, thread_items

_CHUNK = 500
"""URLs or ids per ``IN (…)`` list: well under SQLite's variable limit."""


@dataclass(frozen=True, slots=True)
class EarlierCoverage:
    """What one thread's items published before a time add up to, per feed."""

    thread_id: str
    feed_name: str
    source: str
    first: datetime
    items: int


class ThreadStore:
    """Item → thread links, on a :class:`Database` opened by the caller."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def links(self, urls: Iterable[str]) -> dict[str, str]:
        """The thread of each of ``urls`` that has one."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, str] = {}
        async with self._db.reading() as conn:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                result = await conn.execute(
                    select(thread_items.c.url, thread_items.c.thread_id).where(
                        thread_items.c.url.in_(chunk)
                    )
                )
                found.update({row.url: row.thread_id for row in result})
        return found

    async def link(self, links: Sequence[Link], now: datetime) -> int:
        """Write the new links of one build; an item already linked stays where it is.
        Returns how many were written."""
        values = [
            {"url": url, "thread_id": link.thread_id, "linked_at": now}
            for link in links
            if link.thread_id is not None
            for url in link.new_urls
        ]
        if not values:
            return 0
        dialect = postgresql if self._db.dialect == "postgresql" else sqlite
        written = 0
        async with self._db.transaction() as conn:
            for start in range(0, len(values), _CHUNK):
                statement = dialect.insert(thread_items).on_conflict_do_nothing(
                    index_elements=["url"]
                )
                result = await conn.execute(
                    statement.returning(thread_items.c.url), values[start : start + _CHUNK]
                )
                written += len(result.all())
        return written

    async def earlier(self, thread_ids: Iterable[str], before: datetime) -> list[EarlierCoverage]:
        """Per thread and feed: the items published at or before ``before`` (an earlier
        edition's), counted, with the first one's time."""
        wanted = list(dict.fromkeys(thread_ids))
        found: list[EarlierCoverage] = []
        async with self._db.reading() as conn:
            for start in range(0, len(wanted), _CHUNK):
                query = (
                    select(
                        thread_items.c.thread_id,
                        items.c.feed_name,
                        items.c.source,
                        func.min(items.c.published_at).label("first"),
                        func.count().label("items"),
                    )
                    .join(items, items.c.url == thread_items.c.url)
                    .where(
                        thread_items.c.thread_id.in_(wanted[start : start + _CHUNK]),
                        items.c.published_at <= before,
                    )
                    .group_by(thread_items.c.thread_id, items.c.feed_name, items.c.source)
                )
                result = await conn.execute(query)
                found += [EarlierCoverage(**row) for row in result.mappings()]
        return found

    async def thread_items(self, thread_id: str, limit: int = 500) -> list[NewsItem]:
        """The thread's items, oldest first (at most ``limit``: the first ones)."""
        query = (
            select(items)
            .join(thread_items, items.c.url == thread_items.c.url)
            .where(thread_items.c.thread_id == thread_id)
            .order_by(items.c.published_at, items.c.url)
            .limit(limit)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [news_item(row) for row in result.mappings()]

    async def thread_of(self, urls: Sequence[str]) -> str | None:
        """The thread of the first of ``urls`` that has one (search hits, newest first)."""
        links = await self.links(urls)
        return next((links[url] for url in urls if url in links), None)
