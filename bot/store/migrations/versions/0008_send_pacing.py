"""The send schedule instances share, so the whole bot stays under Telegram's limit.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_pacing",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("next_slot", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_send_pacing"),
    )


def downgrade() -> None:
    op.drop_table("send_pacing")
