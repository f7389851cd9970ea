"""The send schedule every instance shares: the next free send slot of one bot token, in
the database (see :mod:`bot.delivery.pacing`).

One statement claims slots: it moves the row's ``next_slot`` on by ``count × spacing``
from wherever it was (or from ``lead`` ahead of now, if that is later) and returns how
far ahead the claimed slots start. The database's own clock (``clock_timestamp()``) is
the only clock involved, so instances whose clocks disagree still share one schedule;
the row lock of the update orders concurrent claims. PostgreSQL only: with SQLite there
is one instance, which paces in memory.
"""

from __future__ import annotations

from sqlalchemy import text

from bot.store.database import Database

_CLAIM = text(
    """
    INSERT INTO send_pacing AS pacing (name, next_slot)
    VALUES (:name, extract(epoch FROM clock_timestamp())::float8 + :lead + :width)
    ON CONFLICT (name) DO UPDATE
    SET next_slot = greatest(pacing.next_slot + :width, excluded.next_slot)
    RETURNING pacing.next_slot - extract(epoch FROM clock_timestamp())::float8
    """
)


class SendSchedule:
    """One bot's shared schedule (``name``: the bot's id, public, unlike its token)."""

    def __init__(self, database: Database, name: str) -> None:
        if database.dialect != "postgresql":
            raise ValueError("a shared send schedule needs PostgreSQL; SQLite paces in memory")
        self._db = database
        self.name = name

    async def claim(self, count: int, spacing: float, lead: float = 0.0) -> float:
        """Claim ``count`` slots, none sooner than ``lead`` seconds from now; the seconds
        from now until the first of them."""
        if count < 1:
            raise ValueError("claim at least one slot")
        width = count * spacing
        async with self._db.transaction() as connection:
            end = (
                await connection.execute(_CLAIM, {"name": self.name, "width": width, "lead": lead})
            ).scalar_one()
        return float(end) - width
