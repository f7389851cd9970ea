"""Confirmed breaking alerts: each chat's /alerts settings, the stories that alerted and
the per-chat send log.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.schema import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "breaking_chats",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("quiet_start", sa.Time(), nullable=True),
        sa.Column("quiet_end", sa.Time(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "(quiet_start IS NULL) = (quiet_end IS NULL)", name="ck_breaking_chats_quiet_hours"
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.chat_id"],
            name="fk_breaking_chats_chat_id_chats",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chat_id", name="pk_breaking_chats"),
    )
    op.create_table(
        "breaking_stories",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("story_key", sa.Text(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("url", name="pk_breaking_stories"),
    )
    op.create_index("ix_breaking_stories_confirmed_at", "breaking_stories", ["confirmed_at"])
    op.create_table(
        "breaking_sends",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("story_key", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("release_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('held', 'sent', 'dropped')", name="ck_breaking_sends_status"
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.chat_id"],
            name="fk_breaking_sends_chat_id_chats",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chat_id", "story_key", name="pk_breaking_sends"),
    )
    op.create_index("ix_breaking_sends_status", "breaking_sends", ["status", "release_at"])
    op.create_index("ix_breaking_sends_created_at", "breaking_sends", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_breaking_sends_created_at", table_name="breaking_sends")
    op.drop_index("ix_breaking_sends_status", table_name="breaking_sends")
    op.drop_table("breaking_sends")
    op.drop_index("ix_breaking_stories_confirmed_at", table_name="breaking_stories")
    op.drop_table("breaking_stories")
    op.drop_table("breaking_chats")
