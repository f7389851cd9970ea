"""Database fixtures for every test that needs storage, on SQLite and PostgreSQL.

Load them from ``tests/conftest.py`` with
``pytest_plugins = ["tests.support.storefixtures"]``.

* ``database_url`` — a URL to an empty database, once per backend: a SQLite file in
  ``tmp_path``, or a fresh PostgreSQL schema (``TEST_DATABASE_URL`` plus
  ``options=-csearch_path=<schema>``, so subprocesses given the URL land in it too),
  dropped afterwards. Tests can therefore run repeatedly and in parallel.
* ``postgres_url`` — the PostgreSQL half alone (several instances on one database).
* ``database`` — an opened :class:`~bot.store.Database` on that URL, migrated to head.

Without ``TEST_DATABASE_URL`` the PostgreSQL half is skipped, unless
``BRIEFBOT_REQUIRE_POSTGRES=1`` (set in CI), which turns the skip into a failure.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.store.database import Database, normalize_database_url

BACKENDS = ["sqlite", "postgresql"]


def postgres_base_url() -> str:
    """``TEST_DATABASE_URL``, or skip (fail when ``BRIEFBOT_REQUIRE_POSTGRES=1``)."""
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url:
        if os.environ.get("BRIEFBOT_REQUIRE_POSTGRES") == "1":
            pytest.fail(
                "BRIEFBOT_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set; set it to a "
                "PostgreSQL database the tests may create schemas in, e.g. "
                "TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test"
            )
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql://…/test)")
    return url


async def _execute(url: str, statement: str) -> None:
    engine = create_async_engine(normalize_database_url(url), poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def with_search_path(url: str, schema: str) -> str:
    """``url`` with libpq ``options`` selecting ``schema`` (bot.store passes it to asyncpg)."""
    parsed = make_url(url)
    query = dict(parsed.query) | {"options": f"-csearch_path={schema}"}
    return parsed.set(query=query).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'briefbot.db'}"
        return
    async with _fresh_schema() as url:
        yield url


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A URL to a fresh PostgreSQL schema alone: for what SQLite does not do, such as
    several instances sharing one database."""
    async with _fresh_schema() as url:
        yield url


@contextlib.asynccontextmanager
async def _fresh_schema() -> AsyncIterator[str]:
    base = postgres_base_url()
    schema = f"briefbot_test_{uuid.uuid4().hex[:12]}"
    await _execute(base, f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(base, schema)
    finally:
        await _execute(base, f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
async def database(database_url: str, tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(database_url, data_dir=tmp_path)
    await db.open()
    try:
        yield db
    finally:
        await db.close()
