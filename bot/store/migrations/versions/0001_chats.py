"""Chats: one row per chat the bot keeps settings for.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chats",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_type", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("delivery_time", sa.Time(), nullable=False),
        sa.Column("topics", sa.Integer(), nullable=False),
        sa.Column("summary_length", sa.String(16), nullable=False),
        sa.Column("subscribed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("next_delivery_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deactivated_reason", sa.String(32), nullable=True),
        sa.CheckConstraint(
            "chat_type IN ('private', 'group', 'supergroup', 'channel')",
            name="ck_chats_chat_type",
        ),
        sa.CheckConstraint(
            "summary_length IN ('short', 'standard')", name="ck_chats_summary_length"
        ),
        sa.CheckConstraint(
            "subscribed = (next_delivery_at IS NOT NULL)", name="ck_chats_next_delivery"
        ),
        sa.PrimaryKeyConstraint("chat_id", name="pk_chats"),
    )
    op.create_index(
        "ix_chats_due",
        "chats",
        ["next_delivery_at", "chat_id"],
        postgresql_where=sa.text("subscribed"),
    )


def downgrade() -> None:
    op.drop_index("ix_chats_due", table_name="chats")
    op.drop_table("chats")
