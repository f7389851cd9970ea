"""A lease row: which instance runs the scheduled jobs (feed polling, edition building).

Several instances share one database; the jobs should run on one of them at a time.
The holder renews the lease (a heartbeat, every third of :attr:`Lease.period`) and
keeps it; when it stops renewing — it died, hangs, or lost the database — the lease
expires and the next instance to try takes it, within two lease periods of the last
renewal. Taking and renewing is one ``INSERT … ON CONFLICT DO UPDATE … WHERE`` (the
row is free, expired, or already ours), atomic on PostgreSQL and SQLite alike; no
session advisory locks, which break behind connection poolers such as pgbouncer.

Instances compare their clocks with the stored expiry, so their clocks must agree to
well within a lease period (NTP does). A graceful shutdown releases the lease at once.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from bot.store.database import Database
from bot.store.schema import leases

JOBS = "jobs"
"""The lease of feed polling and edition building."""


def instance_id() -> str:
    """A name for this process that no other instance shares: host, pid, random suffix."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease:
    """One named lease as seen by one instance (``holder``)."""

    def __init__(self, database: Database, *, name: str, holder: str, period: dt.timedelta) -> None:
        if period <= dt.timedelta(0):
            raise ValueError("a lease period must be positive")
        self._db = database
        self._insert = postgresql.insert if database.dialect == "postgresql" else sqlite.insert
        self.name = name
        self.holder = holder
        self.period = period
        self._expires_at: dt.datetime | None = None

    @property
    def heartbeat(self) -> dt.timedelta:
        """How often the holder renews (and others try): a third of the period, so one
        missed renewal does not lose the lease."""
        return self.period / 3

    def held(self, now: dt.datetime) -> bool:
        """Whether this instance held the lease at its last :meth:`hold` and it has not
        run out since (no database round trip)."""
        return self._expires_at is not None and now < self._expires_at

    async def hold(self, now: dt.datetime) -> bool:
        """Take the lease if it is free or expired, renew it if it is ours; True if this
        instance holds it now."""
        expires_at = now + self.period
        insert = self._insert(leases).values(
            name=self.name, holder=self.holder, expires_at=expires_at, renewed_at=now
        )
        statement = insert.on_conflict_do_update(
            index_elements=["name"],
            set_={
                "holder": insert.excluded.holder,
                "expires_at": insert.excluded.expires_at,
                "renewed_at": insert.excluded.renewed_at,
            },
            where=(leases.c.holder == self.holder) | (leases.c.expires_at <= now),
        ).returning(leases.c.holder)
        async with self._db.transaction() as connection:
            won = (await connection.execute(statement)).first() is not None
        self._expires_at = expires_at if won else None
        return won

    async def release(self, now: dt.datetime) -> None:
        """Give the lease up now (at shutdown), so another instance need not wait."""
        self._expires_at = None
        async with self._db.transaction() as connection:
            await connection.execute(
                update(leases)
                .where(leases.c.name == self.name, leases.c.holder == self.holder)
                .values(expires_at=now)
            )

    async def current_holder(self, now: dt.datetime) -> str | None:
        """Who holds the lease at ``now`` (None: nobody, or it has expired)."""
        async with self._db.reading() as connection:
            row = (
                await connection.execute(
                    leases.select().where(leases.c.name == self.name, leases.c.expires_at > now)
                )
            ).first()
        return None if row is None else str(row.holder)
