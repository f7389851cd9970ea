"""Every instance takes part in the daily fan-out: a due chat is reserved by the
instance about to send it (``fanout_holder`` until ``fanout_until``), so instances
split the due chats instead of racing over the same ones; the delivery log is indexed
by when each edition was due, for the edition report of the whole fan-out.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.store.schema import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs, not a batch copy: on SQLite the copy would cascade-delete the
    # chats' other rows (as in revision 0012).
    op.add_column("chats", sa.Column("fanout_holder", sa.String(length=128), nullable=True))
    op.add_column("chats", sa.Column("fanout_until", UTCDateTime(), nullable=True))
    op.create_index("ix_deliveries_scheduled_for", "deliveries", ["scheduled_for"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_scheduled_for", table_name="deliveries")
    op.drop_column("chats", "fanout_until")
    op.drop_column("chats", "fanout_holder")
