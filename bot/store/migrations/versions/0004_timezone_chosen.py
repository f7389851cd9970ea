"""Whether a chat's time zone was chosen by the reader or is the default/a guess.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing chats count as not chosen: nothing recorded says they were. A plain ADD
    # COLUMN, not a batch copy: on SQLite the copy would cascade-delete channel_managers.
    op.add_column(
        "chats",
        sa.Column("timezone_chosen", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("chats", "timezone_chosen")
