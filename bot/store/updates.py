"""Which Telegram updates have been taken, so each is handled once however many instances
receive it (Telegram retries a webhook delivery; a load balancer may hand it to two).

The first instance to insert an update's id wins; the rest see the row and drop the
update. Claiming before handling makes it at most once: an instance that dies mid-way
loses that update rather than letting another repeat it. Ids are kept for a day
(:data:`KEEP`), far longer than Telegram retries a delivery.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.database import Database
from bot.store.schema import handled_updates

KEEP = dt.timedelta(days=1)


class UpdateLedger:
    """The handled_updates table: ``claim`` an update before handling it."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._insert = postgresql.insert if database.dialect == "postgresql" else sqlite.insert

    async def claim(self, update_id: int, now: dt.datetime) -> bool:
        """True if this caller is the first to take ``update_id`` (and should handle it)."""
        statement = (
            self._insert(handled_updates)
            .values(update_id=update_id, handled_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
        async with self._db.transaction() as connection:
            result = await connection.execute(statement)
        return bool(result.rowcount)

    async def prune(self, now: dt.datetime) -> int:
        """Forget ids taken more than :data:`KEEP` before ``now``; returns how many."""
        async with self._db.transaction() as connection:
            result = await connection.execute(
                delete(handled_updates).where(handled_updates.c.handled_at < now - KEEP)
            )
        return int(result.rowcount)
