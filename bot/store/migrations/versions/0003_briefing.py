"""The daily briefing: feed state, items, and the delivery log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.schema import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
        sa.Column("last_attempt_at", UTCDateTime()),
        sa.Column("last_success_at", UTCDateTime()),
        sa.Column("last_error", sa.Text()),
        sa.Column("error_kind", sa.String(32)),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", UTCDateTime()),
        sa.Column("last_new_items", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("items_total", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("url", name="pk_feeds"),
    )
    op.create_table(
        "items",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("feed_url", sa.Text(), nullable=False),
        sa.Column("feed_name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("provenance", sa.String(32), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False, server_default="1.0"),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False, server_default=""),
        sa.Column("summary", sa.Text()),
        sa.Column("summary_status", sa.String(16), nullable=False, server_default="skipped"),
        sa.Column("published_at", UTCDateTime(), nullable=False),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.Column("relevance", sa.Float(), nullable=False, server_default="0"),
        sa.Column("relevant", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("topics", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("url", name="pk_items"),
    )
    op.create_index("ix_items_relevant_published_at", "items", ["relevant", "published_at"])
    op.create_index("ix_items_summary_status", "items", ["summary_status"])
    op.create_table(
        "deliveries",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("edition_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("scheduled_for", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("messages_sent", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("sent_at", UTCDateTime()),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("error", sa.Text()),
        sa.CheckConstraint(
            "status IN ('sending', 'sent', 'failed', 'skipped')", name="ck_deliveries_status"
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.chat_id"],
            name="fk_deliveries_chat_id_chats",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chat_id", "edition_date", name="pk_deliveries"),
    )
    op.create_index("ix_deliveries_status", "deliveries", ["status", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_status", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index("ix_items_summary_status", table_name="items")
    op.drop_index("ix_items_relevant_published_at", table_name="items")
    op.drop_table("items")
    op.drop_table("feeds")
