"""Migrations on SQLite and PostgreSQL: fresh, repeated, concurrent, and data-preserving."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from bot.models import ALL_TOPICS
from bot.store import Database, SubscriberStore
from bot.store.database import alembic_config, head_revision, upgrade, upgrade_engine
from bot.store.schema import (
    SEARCH_TEXT_TABLES,
    channel_managers,
    chats,
    metadata,
    topics_to_mask,
)

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def _modelled(name: str | None, kind: str, dialect: str) -> bool:
    """SQLite's FTS5 search table stands in for the GIN index; neither is compared there."""
    if dialect != "sqlite":
        return True
    if kind == "table":
        return name not in SEARCH_TEXT_TABLES
    return not (kind == "index" and name == "ix_search_docs_terms")


def _schema_diff(connection: Connection) -> list[Any]:
    dialect = connection.dialect.name
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_object": lambda _obj, name, kind, _reflected, _other: _modelled(
                name, kind, dialect
            ),
        },
    )
    return list(compare_metadata(context, metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _chat_row(chat_id: int, chat_type: str, added_by: int | None) -> dict[str, Any]:
    return {
        "chat_id": chat_id,
        "chat_type": chat_type,
        "title": f"chat {chat_id}",
        "language": "ko",
        "timezone": "Asia/Seoul",
        "delivery_time": time(7, 30),
        "topics": topics_to_mask(ALL_TOPICS),
        "summary_length": "short",
        "subscribed": True,
        "next_delivery_at": datetime(2024, 1, 1, 22, 30, tzinfo=UTC),
        "added_by": added_by,
        "created_at": NOW,
        "updated_at": NOW,
    }


async def test_fresh_database_is_migrated_to_head(database: Database) -> None:
    assert await database.revision() == head_revision()
    async with database.reading() as connection:
        tables = await connection.run_sync(_tables)
    assert {"chats", "channel_managers", "alembic_version"} <= tables


async def test_migrations_match_the_models(database: Database) -> None:
    async with database.reading() as connection:
        assert await connection.run_sync(_schema_diff) == []


async def test_reopening_is_idempotent_and_keeps_rows(database_url: str, tmp_path: Path) -> None:
    for _ in range(3):
        async with Database(database_url, data_dir=tmp_path) as database:
            store = SubscriberStore(database)
            await store.subscribe(1, chat_type="private", title="", language="en", now=NOW)
            assert await store.count_subscribed() == 1
            assert await database.revision() == head_revision()


async def test_concurrent_start_ups_migrate_once(database_url: str, tmp_path: Path) -> None:
    databases = [Database(database_url, data_dir=tmp_path) for _ in range(4)]
    await asyncio.gather(*(database.open() for database in databases))
    try:
        assert {await database.revision() for database in databases} == {head_revision()}
    finally:
        await asyncio.gather(*(database.close() for database in databases))


async def test_a_start_up_meeting_a_new_file_locked_by_another_still_opens(tmp_path: Path) -> None:
    # Another start-up holds the new file's write lock: SQLite answers the journal-mode
    # pragma "locked" at once, without waiting on busy_timeout; the migration waits instead.
    path = tmp_path / "briefbot.db"
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        database = Database(f"sqlite:///{path}")
        await database.open(migrate=False)
        try:
            async with database.engine.connect():  # connecting runs the pragmas
                other.execute("COMMIT")
            await upgrade_engine(database.engine)
            assert await database.revision() == head_revision()
        finally:
            await database.close()
    finally:
        other.close()


async def test_upgrade_from_0001_keeps_every_row(database_url: str, tmp_path: Path) -> None:
    database = Database(database_url, data_dir=tmp_path)
    await database.open(migrate=False)
    try:
        await upgrade_engine(database.engine, "0001")
        rows = [
            _chat_row(-1_001_234_567_890, "channel", 5_123_456_789),
            _chat_row(-1_001_234_567_891, "channel", None),
            _chat_row(42, "private", 42),
        ]
        async with database.transaction() as connection:
            assert "channel_managers" not in await connection.run_sync(_tables)
            await connection.execute(insert(chats), rows)

        await upgrade_engine(database.engine)

        assert await database.revision() == head_revision()
        async with database.reading() as connection:
            kept = (await connection.execute(select(chats).order_by(chats.c.chat_id))).mappings()
            assert [dict(row) for row in kept] == sorted(
                (
                    # 0004: nothing recorded says a zone was chosen.
                    {**row, "deactivated_at": None, "deactivated_reason": None}
                    | {"timezone_chosen": False}
                    # 0012: every day, as before; no forum topic.
                    | {"frequency": "daily", "delivery_weekday": 0, "message_thread_id": None}
                    # 0015: reserved for no instance's fan-out.
                    | {"fanout_holder": None, "fanout_until": None}
                    for row in rows
                ),
                key=lambda row: row["chat_id"],
            )
            managers = (await connection.execute(select(channel_managers))).all()
            # 0002 backfills: whoever subscribed a channel manages it.
            assert [tuple(row) for row in managers] == [(-1_001_234_567_890, 5_123_456_789)]
    finally:
        await database.close()


async def test_downgrade_to_0001_and_back(database: Database) -> None:
    def downgrade(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), "0001")

    async with database.transaction() as connection:
        await connection.run_sync(downgrade)
        assert "channel_managers" not in await connection.run_sync(_tables)
    await upgrade_engine(database.engine)
    assert await database.revision() == head_revision()


async def test_upgrade_function_reports_the_revision(database_url: str, tmp_path: Path) -> None:
    assert await upgrade(database_url, data_dir=tmp_path) == head_revision()


def test_upgrade_runs_in_another_process_on_the_same_url(database_url: str) -> None:
    # The URL alone (schema included, for PostgreSQL) is enough for a subprocess.
    script = (
        "import asyncio, sys\n"
        "from bot.store.database import upgrade\n"
        "print(asyncio.run(upgrade(sys.argv[1])))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, database_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == head_revision()


def test_migrations_ship_inside_the_package() -> None:
    from importlib.resources import files

    versions = files("bot.store.migrations") / "versions"
    names = {entry.name for entry in versions.iterdir()}
    assert {"0001_chats.py", "0002_channel_managers.py"} <= names
    assert (files("bot.store.migrations") / "env.py").is_file()


async def test_long_summaries_arrive_in_0005_and_keep_every_managers_row(
    database_url: str, tmp_path: Path
) -> None:
    # On SQLite the check constraint changes by copying the chats table, which would
    # cascade-delete the rows that hang off it if the migration did not keep them.
    database = Database(database_url, data_dir=tmp_path)
    await database.open(migrate=False)
    try:
        await upgrade_engine(database.engine, "0004")
        async with database.transaction() as connection:
            await connection.execute(
                insert(chats), [_chat_row(-1_001_234_567_890, "channel", 5_123_456_789)]
            )
            await connection.execute(
                insert(channel_managers), [{"channel_id": -1_001_234_567_890, "user_id": 7}]
            )

        await upgrade_engine(database.engine)

        async with database.transaction() as connection:
            managers = (await connection.execute(select(channel_managers))).all()
            assert [tuple(row) for row in managers] == [(-1_001_234_567_890, 7)]
            await connection.execute(chats.update().values(summary_length="long"))
        with pytest.raises(IntegrityError):
            async with database.transaction() as connection:
                await connection.execute(chats.update().values(summary_length="huge"))
    finally:
        await database.close()
