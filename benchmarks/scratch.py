"""Scratch databases for benchmarks: a PostgreSQL schema made for one run and dropped after,
so a benchmark never touches what else lives in the database it is given."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

from sqlalchemy import make_url, text

from bot.store import Database


@contextlib.asynccontextmanager
async def postgres_schema(base_url: str, prefix: str) -> AsyncIterator[str]:
    """``base_url`` pointed at a new, empty schema (``<prefix>_<random>``) for the block."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = Database(base_url)
    await admin.open(migrate=False)
    try:
        async with admin.transaction() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        parsed = make_url(base_url)
        in_schema = parsed.set(query=dict(parsed.query) | {"options": f"-csearch_path={schema}"})
        yield in_schema.render_as_string(hide_password=False)
    finally:
        async with admin.transaction() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.close()
