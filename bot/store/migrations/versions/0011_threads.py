"""Story threads: each item's thread, so a story keeps its thread from day to day.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.schema import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "thread_items",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("thread_id", sa.String(length=16), nullable=False),
        sa.Column("linked_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["url"],
            ["items.url"],
            name="fk_thread_items_url_items",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("url", name="pk_thread_items"),
    )
    op.create_index("ix_thread_items_thread_id", "thread_items", ["thread_id"])


def downgrade() -> None:
    op.drop_index("ix_thread_items_thread_id", table_name="thread_items")
    op.drop_table("thread_items")
