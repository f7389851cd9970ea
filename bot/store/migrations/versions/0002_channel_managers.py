"""Channel managers: users seen as admins of a channel, so a private chat can list them.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_managers",
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["chats.chat_id"],
            name="fk_channel_managers_channel_id_chats",
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", "user_id", name="pk_channel_managers"),
    )
    op.create_index("ix_channel_managers_user_id", "channel_managers", ["user_id"])
    # Whoever subscribed a channel manages it.
    op.execute(
        "INSERT INTO channel_managers (channel_id, user_id) "
        "SELECT chat_id, added_by FROM chats "
        "WHERE chat_type = 'channel' AND added_by IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_channel_managers_user_id", table_name="channel_managers")
    op.drop_table("channel_managers")
