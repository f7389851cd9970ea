"""Items keep their topics' order (strongest first), beside the mask of which they are.

The mask kept no ranking, so an item read back had its topics in the enum's order: a
Security or Inter-Korean topic became its primary one whenever it had one, and stories
were filed and alerted by that rather than by what the relevance model ranked first.
Items stored before this revision have no order and are read as before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(sa.Column("topic_order", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_column("topic_order")
