"""Search: an index of every stored item (FTS5 on SQLite, a tsvector on PostgreSQL), and
the saved words behind search page buttons; items already stored are indexed here.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

from bot.store.schema import UTCDateTime
from bot.store.search import doc_id, tsvector_literal
from bot.store.searchterms import document_terms

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_BATCH = 2000
_SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_docs', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    # External content: the triggers keep the FTS index in step with search_docs, which
    # follows items through its foreign key (a pruned item leaves the index too).
    "CREATE TRIGGER search_docs_insert AFTER INSERT ON search_docs BEGIN "
    "INSERT INTO search_fts (rowid, terms) VALUES (new.id, new.terms); END",
    "CREATE TRIGGER search_docs_delete AFTER DELETE ON search_docs BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "END",
    "CREATE TRIGGER search_docs_update AFTER UPDATE ON search_docs BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, terms) VALUES ('delete', old.id, old.terms); "
    "INSERT INTO search_fts (rowid, terms) VALUES (new.id, new.terms); END",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "search_docs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text().with_variant(TSVECTOR(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_docs"),
        sa.UniqueConstraint("url", name="uq_search_docs_url"),
        sa.ForeignKeyConstraint(
            ["url"],
            ["items.url"],
            name="fk_search_docs_url_items",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
    )
    if postgres:
        op.create_index("ix_search_docs_terms", "search_docs", ["terms"], postgresql_using="gin")
        # ANALYZE keeps 5,000 most common terms (not 1,000): bot.store.search reads them to
        # tell common words from rare ones.
        op.execute("ALTER TABLE search_docs ALTER COLUMN terms SET STATISTICS 500")
    else:
        for statement in _SQLITE_INDEX:
            op.execute(statement)
    op.create_table(
        "search_queries",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("saved_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_queries"),
    )
    # Items are now kept RETENTION_DAYS and pruned hourly by publication time alone.
    op.create_index("ix_items_published_at", "items", ["published_at"])
    _index_stored_items(postgres)


def _index_stored_items(postgres: bool) -> None:
    """Index the items stored before this revision, a batch at a time."""
    bind = op.get_bind()
    items = sa.table(
        "items",
        sa.column("url", sa.Text()),
        sa.column("title", sa.Text()),
        sa.column("excerpt", sa.Text()),
        sa.column("published_at", UTCDateTime()),
    )
    insert = sa.text(
        "INSERT INTO search_docs (id, url, terms) VALUES (:id, :url, CAST(:terms AS tsvector))"
        if postgres
        else "INSERT INTO search_docs (id, url, terms) VALUES (:id, :url, :terms)"
    )
    taken: set[int] = set()
    after = ""
    while True:
        rows = bind.execute(
            sa.select(items).where(items.c.url > after).order_by(items.c.url).limit(_BATCH)
        ).all()
        if not rows:
            return
        values: list[dict[str, Any]] = []
        for row in rows:
            key = doc_id(row.url, row.published_at)
            while key in taken:
                key += 1
            taken.add(key)
            terms = document_terms(row.title, row.excerpt)
            values.append(
                {"id": key, "url": row.url, "terms": tsvector_literal(terms) if postgres else terms}
            )
        bind.execute(insert, values)
        after = rows[-1].url


def downgrade() -> None:
    op.drop_index("ix_items_published_at", table_name="items")
    op.drop_table("search_queries")
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE search_fts")
    op.drop_table("search_docs")
