"""A third summary length, ``long``: the chats check constraint allows it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# 0001 passed a full name through the naming convention, so the constraint it made is
# named twice over; the new one is named as ``bot.store.schema`` names it.
_OLD = "ck_chats_ck_chats_summary_length"
_NEW = "ck_chats_summary_length"
# Tables whose rows cascade from chats: SQLite can change a check constraint only by
# copying the table, and dropping the old copy would cascade-delete their rows.
_CHILDREN = ("channel_managers", "deliveries")


def upgrade() -> None:
    _replace_check(_OLD, _NEW, "summary_length IN ('short', 'standard', 'long')")


def downgrade() -> None:
    op.execute("UPDATE chats SET summary_length = 'standard' WHERE summary_length = 'long'")
    _replace_check(_NEW, _OLD, "summary_length IN ('short', 'standard')")


def _replace_check(old: str, new: str, condition: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f(old), "chats", type_="check")
        op.create_check_constraint(op.f(new), "chats", condition)
        return
    # Plain SQL, not reflected tables: the same columns in the same order come back.
    for name in _CHILDREN:
        op.execute(f"CREATE TEMP TABLE kept_{name} AS SELECT * FROM {name}")
    with op.batch_alter_table("chats", recreate="always") as batch:
        batch.drop_constraint(op.f(old), type_="check")
        batch.create_check_constraint(op.f(new), condition)
    for name in _CHILDREN:
        op.execute(f"DELETE FROM {name}")
        op.execute(f"INSERT INTO {name} SELECT * FROM kept_{name}")
        op.execute(f"DROP TABLE kept_{name}")
