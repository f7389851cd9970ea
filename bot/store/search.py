"""Search over stored items, newest first, one result per story: SQLite FTS5 or
PostgreSQL text search behind one interface.

Both backends index the terms of :mod:`bot.store.searchterms` in ``search_docs``: on
SQLite the FTS5 table ``search_fts`` (external content, kept by triggers, so a pruned
item leaves the index with it); on PostgreSQL a ``tsvector`` column with a GIN index,
written from the terms as a literal so no text search configuration or locale can
change them. Neither needs an extension.

The row id is the item's publication time (seconds << 20) plus a hash of its URL, so
the newest matches are read straight off the index in descending id order and a page
costs a few index reads, however common the word. Matching items are then grouped into
stories: items with the same headline, wire tags aside (``(LEAD)``, ``(종합)``), within
two days of the story's newest item. Items carry no story key of their own — stories
are built at briefing time — so the headline stands in.
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.news.headlines import strip_wire_tags
from bot.store.database import Database
from bot.store.schema import items, search_docs, search_queries
from bot.store.searchterms import (
    AnyOf,
    Clause,
    Expand,
    Phrase,
    SearchQuery,
    document_terms,
    parse_query,
)

__all__ = [
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "SearchResult",
    "doc_id",
    "index_in",
    "query_id",
    "query_share",
    "story_key",
    "tsvector_literal",
]

PAGE_SIZE = 5
MAX_PAGE = 49
"""Pages are counted from the newest match on every press: fifty is deep enough."""
STORY_WINDOW = timedelta(days=2)
"""Items with the same headline this much older than the story's newest start another."""
_ID_SHIFT = 20
_MAX_ID = 2**63 - 1
_FIRST_BATCH = 16
"""Matches read for the first page: five stories are seldom more than a dozen items."""
_MAX_BATCH = 2048
_RECENT_WINDOW = 4000
"""PostgreSQL: documents read newest first before the GIN index is asked (see _matching)."""
_FTS5_MATCHES = text(
    "SELECT rowid FROM search_fts WHERE search_fts MATCH :query"
    " AND rowid < :below ORDER BY rowid DESC LIMIT :limit"
)
_RECENT_MATCHES = text(
    "SELECT id FROM (SELECT id, terms FROM search_docs WHERE id < :below"
    " ORDER BY id DESC LIMIT :window) AS recent"
    " WHERE terms @@ CAST(:query AS tsquery) ORDER BY id DESC LIMIT :limit"
)
_TERM_STATS = text(
    "SELECT most_common_elems::text::text[] AS terms, most_common_elem_freqs AS shares"
    " FROM pg_stats WHERE schemaname = current_schema()"
    " AND tablename = 'search_docs' AND attname = 'terms'"
)
_STATS_TTL = 3600.0
"""Seconds the term frequencies are reused (autovacuum's ANALYZE refreshes them)."""
_GIN_MATCHES = text(
    "SELECT id FROM search_docs WHERE terms @@ CAST(:query AS tsquery)"
    " AND id < :below ORDER BY id DESC LIMIT :limit"
)
_MAX_POSITION = 16383
"""PostgreSQL's largest tsvector position; later terms share it (phrases there may miss)."""
_NOT_WORD = re.compile(r"[\W_]+")


class Searchable(Protocol):
    """What indexing needs of an item (``ItemRow`` has it)."""

    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def excerpt(self) -> str: ...
    @property
    def published_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching item."""

    url: str
    title: str
    source: str
    published_at: datetime


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One story: its matching items, newest first."""

    hits: tuple[SearchHit, ...]

    @property
    def newest(self) -> SearchHit:
        return self.hits[0]

    @property
    def outlets(self) -> tuple[str, ...]:
        """Each outlet once, in the order of its newest item."""
        return tuple(dict.fromkeys(hit.source for hit in self.hits))


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results (``page`` counts from 0)."""

    page: int
    results: tuple[SearchResult, ...]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 0


def doc_id(url: str, published_at: datetime) -> int:
    """The index id: publication order first, the URL's hash to tell apart one second's
    items (a clash is moved to the next free id)."""
    seconds = max(0, int(published_at.timestamp()))
    return (seconds << _ID_SHIFT) | (zlib.crc32(url.encode()) & ((1 << _ID_SHIFT) - 1))


def tsvector_literal(terms: str) -> str:
    """``terms`` as a PostgreSQL tsvector literal, positions and all."""
    positions: dict[str, list[str]] = {}
    for position, term in enumerate(terms.split(), start=1):
        positions.setdefault(term, []).append(str(min(position, _MAX_POSITION)))
    return " ".join(f"'{term}':{','.join(spots)}" for term, spots in positions.items())


def story_key(headline: str) -> str:
    """Headlines equal but for wire tags, case, spacing and punctuation share a key."""
    plain = unicodedata.normalize("NFKC", strip_wire_tags(headline)).casefold()
    return _NOT_WORD.sub("", plain) or plain


def query_id(query: str) -> str:
    """A short, stable id for a search's words (the same words, the same id)."""
    return hashlib.sha256(" ".join(query.split()).encode()).hexdigest()[:12]


async def index_in(connection: AsyncConnection, dialect: str, rows: Sequence[Searchable]) -> None:
    """Index ``rows`` (stored items not yet indexed) inside the caller's transaction."""
    if not rows:
        return
    wanted = {row.url: doc_id(row.url, row.published_at) for row in rows}
    ids = await _free_ids(connection, wanted)
    postgres = dialect == "postgresql"
    values = []
    for row in rows:
        terms = document_terms(row.title, row.excerpt)
        literal = tsvector_literal(terms) if postgres else terms
        values.append({"id": ids[row.url], "url": row.url, "terms": literal})
    if postgres:
        statement = text(
            "INSERT INTO search_docs (id, url, terms) VALUES (:id, :url, CAST(:terms AS tsvector))"
            " ON CONFLICT (url) DO NOTHING"
        )
    else:
        statement = text(
            "INSERT INTO search_docs (id, url, terms) VALUES (:id, :url, :terms)"
            " ON CONFLICT (url) DO NOTHING"
        )
    for start in range(0, len(values), 500):
        await connection.execute(statement, values[start : start + 500])


async def _free_ids(connection: AsyncConnection, wanted: dict[str, int]) -> dict[str, int]:
    """Each URL's id, moved up past ids already taken (in the table or by another URL)."""
    assigned: dict[str, int] = {}
    taken: set[int] = set()
    pending = dict(wanted)
    while pending:
        candidates = list(set(pending.values()))
        for start in range(0, len(candidates), 500):
            result = await connection.execute(
                select(search_docs.c.id).where(
                    search_docs.c.id.in_(candidates[start : start + 500])
                )
            )
            taken.update(result.scalars())
        clashing: dict[str, int] = {}
        for url, candidate in pending.items():
            if candidate in taken:
                clashing[url] = candidate + 1
            else:
                assigned[url] = candidate
                taken.add(candidate)
        pending = clashing
    return assigned


class SearchIndex:
    """Search over the items of an :class:`~bot.store.items.ItemStore`'s database.

    ``expand`` gives a name's aliases in other languages (see
    :func:`~bot.store.searchterms.parse_query`); the bot passes the alias table that
    follows use, so the store itself knows no names.
    """

    def __init__(self, database: Database, expand: Expand | None = None) -> None:
        self._db = database
        self._expand = expand
        self._frequencies: dict[str, float] = {}
        self._frequencies_read_at: float | None = None

    async def index(self, rows: Sequence[Searchable]) -> None:
        """Index stored items (``ItemStore.add_items`` does it for the items it adds)."""
        async with self._db.transaction() as connection:
            await index_in(connection, self._db.dialect, rows)

    async def search(self, query: str, page: int = 0, page_size: int = PAGE_SIZE) -> SearchPage:
        """Page ``page`` of the stories matching every word of ``query``, newest first."""
        page = max(0, min(page, MAX_PAGE))
        parsed = parse_query(query, self._expand)
        if parsed.empty:
            return SearchPage(page, (), has_next=False)
        wanted = (page + 1) * page_size + 1  # one more tells whether a next page exists
        stories: list[list[SearchHit]] = []
        latest: dict[str, list[SearchHit]] = {}
        cursor, batch = _MAX_ID, _FIRST_BATCH
        async with self._db.reading() as connection:
            while len(stories) < wanted:
                ids = await self._matching(connection, parsed, cursor, batch)
                for hit in await _hits(connection, ids):
                    key = story_key(hit.title)
                    story = latest.get(key)
                    if story is not None and hit.published_at >= story[0].published_at - (
                        STORY_WINDOW
                    ):
                        story.append(hit)
                    elif len(stories) < wanted:
                        latest[key] = [hit]
                        stories.append(latest[key])
                if len(ids) < batch:
                    break
                cursor, batch = ids[-1], min(batch * 2, _MAX_BATCH)
        shown = stories[page * page_size : (page + 1) * page_size]
        return SearchPage(
            page,
            tuple(SearchResult(tuple(story)) for story in shown),
            has_next=len(stories) > (page + 1) * page_size and page < MAX_PAGE,
        )

    async def _matching(
        self, connection: AsyncConnection, query: SearchQuery, below: int, limit: int
    ) -> list[int]:
        """Ids of matching items below ``below``, highest (newest) first."""
        values: dict[str, object] = {"below": below, "limit": limit}
        if self._db.dialect != "postgresql":
            result = await connection.execute(_FTS5_MATCHES, values | {"query": query.fts5()})
            return list(result.scalars())
        values["query"] = query.tsquery()
        # PostgreSQL's GIN index cannot return rows in id order, and the planner's guess
        # of how common a term is decides between reading it all and walking the id index
        # backwards — for a term rarer than it guesses, through the whole table. So we
        # decide: a common word is looked for in the newest documents (it fills the batch
        # there); a rare one, or one the newest documents lack, in the GIN index.
        window = min(_RECENT_WINDOW * max(1, limit // _FIRST_BATCH), 4 * _RECENT_WINDOW)
        if await self._share(connection, query) * window >= limit:
            found = await connection.execute(_RECENT_MATCHES, values | {"window": window})
            ids = list(found.scalars())
            if len(ids) == limit:
                return ids
        await connection.execute(text("SET LOCAL enable_indexscan = off"))
        await connection.execute(text("SET LOCAL enable_seqscan = off"))
        try:
            result = await connection.execute(_GIN_MATCHES, values)
            return list(result.scalars())
        finally:
            await connection.execute(text("SET LOCAL enable_indexscan = on"))
            await connection.execute(text("SET LOCAL enable_seqscan = on"))

    async def _share(self, connection: AsyncConnection, query: SearchQuery) -> float:
        """At most the share of documents matching ``query``, by ANALYZE's most common
        terms (re-read hourly); a term not among them is rare, a prefix may be common."""
        now = time.monotonic()
        if self._frequencies_read_at is None or now - self._frequencies_read_at > _STATS_TTL:
            row = (await connection.execute(_TERM_STATS)).first()
            terms, shares = (row.terms, row.shares) if row and row.terms else ([], [])
            self._frequencies = dict(zip(terms, shares, strict=False))  # shares has 3 more
            self._frequencies_read_at = now
        return query_share(query, self._frequencies)

    # ------------------------------------------------------------ saved queries

    async def save_query(self, query: str, now: datetime) -> str:
        """Keep ``query`` under its short id (for page buttons); returns the id."""
        key = query_id(query)
        row = {"id": key, "query": " ".join(query.split()), "saved_at": now}
        dialect = postgresql if self._db.dialect == "postgresql" else sqlite
        statement = dialect.insert(search_queries).values(**row)
        async with self._db.transaction() as connection:
            await connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["id"], set_={"saved_at": statement.excluded.saved_at}
                )
            )
        return key

    async def saved_query(self, key: str) -> str | None:
        """The words saved under ``key``, or None once forgotten."""
        async with self._db.reading() as connection:
            result = await connection.execute(
                select(search_queries.c.query).where(search_queries.c.id == key)
            )
            return result.scalar_one_or_none()

    async def forget_queries(self, older_than: datetime) -> int:
        """Drop queries saved (or last used) before ``older_than``; returns how many."""
        async with self._db.transaction() as connection:
            result = await connection.execute(
                delete(search_queries).where(search_queries.c.saved_at < older_than)
            )
            return result.rowcount


def query_share(query: SearchQuery, frequencies: Mapping[str, float]) -> float:
    """At most the share of documents matching ``query``, given the shares of common
    terms (a term not among them is rare): every clause must match, so the rarest."""
    return min([1.0, *(_clause_share(clause, frequencies) for clause in query.clauses)])


def _clause_share(clause: Clause, frequencies: Mapping[str, float]) -> float:
    """A phrase is no commoner than its rarest term, a prefix may be anything, and an
    any-of is no commoner than its ways together (each as common as its rarest clause)."""
    if isinstance(clause, Phrase):
        return min([1.0, *(frequencies.get(term, 0.0) for term in clause.terms)])
    if isinstance(clause, AnyOf):
        ways = (min([1.0, *(_clause_share(c, frequencies) for c in way)]) for way in clause.ways)
        return min(1.0, sum(ways))
    return 1.0


async def _hits(connection: AsyncConnection, ids: list[int]) -> list[SearchHit]:
    """The items behind ``ids``, in the same (newest first) order."""
    if not ids:
        return []
    result = await connection.execute(
        select(search_docs.c.id, items.c.url, items.c.title, items.c.source, items.c.published_at)
        .join(items, items.c.url == search_docs.c.url)
        .where(search_docs.c.id.in_(ids))
    )
    found = {row.id: SearchHit(row.url, row.title, row.source, row.published_at) for row in result}
    return [found[key] for key in ids if key in found]
