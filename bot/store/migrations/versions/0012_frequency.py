"""Delivery frequency (daily, weekdays, weekly on a day) and the forum topic of a chat's
briefing.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing chats keep getting the briefing every day. Plain ADD COLUMNs, not a batch
    # copy: on SQLite the copy would cascade-delete the chats' other rows.
    op.add_column(
        "chats",
        sa.Column("frequency", sa.String(length=16), server_default="daily", nullable=False),
    )
    op.add_column(
        "chats",
        sa.Column("delivery_weekday", sa.SmallInteger(), server_default="0", nullable=False),
    )
    op.add_column("chats", sa.Column("message_thread_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("chats", "message_thread_id")
    op.drop_column("chats", "delivery_weekday")
    op.drop_column("chats", "frequency")
