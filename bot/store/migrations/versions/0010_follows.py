"""Follows: what each chat follows, and the log of stories sent for them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.schema import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("query_key", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.chat_id"],
            name="fk_follows_chat_id_chats",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_follows"),
        sa.UniqueConstraint("chat_id", "query_key", name="uq_follows_chat_id_query_key"),
    )
    op.create_table(
        "follow_sends",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("story_key", sa.Text(), nullable=False),
        sa.Column("follows", sa.Text(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.chat_id"],
            name="fk_follow_sends_chat_id_chats",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chat_id", "story_key", name="pk_follow_sends"),
    )
    op.create_index("ix_follow_sends_sent_at", "follow_sends", ["sent_at"])


def downgrade() -> None:
    op.drop_index("ix_follow_sends_sent_at", table_name="follow_sends")
    op.drop_table("follow_sends")
    op.drop_table("follows")
