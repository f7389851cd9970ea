"""Alembic environment: runs on the connection ``bot.store.database`` hands in."""

from __future__ import annotations

from alembic import context

from bot.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "briefbot migrations run through bot.store.database (Database.open or "
        "`briefbot db upgrade`), which supplies the connection"
    )
context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
