"""The jobs lease: one holder at a time on a shared database; expiry hands it over within
two lease periods. Time is an injected ``now``: no sleeps."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.database import Database
from bot.store.leases import JOBS, Lease

T0 = dt.datetime(2026, 12, 6, 7, 0, tzinfo=dt.UTC)
PERIOD = dt.timedelta(seconds=30)


@pytest.fixture
async def two_engines(database_url: str, tmp_path: Path) -> AsyncIterator[list[Database]]:
    """Two instances' own connections to one database."""
    async with (
        Database(database_url, data_dir=tmp_path) as one,
        Database(database_url, data_dir=tmp_path) as two,
    ):
        yield [one, two]


def leases_of(databases: list[Database]) -> tuple[Lease, Lease]:
    a, b = (
        Lease(database, name=JOBS, holder=f"instance-{n}", period=PERIOD)
        for n, database in enumerate(databases)
    )
    return a, b


async def test_of_two_instances_trying_at_once_exactly_one_holds(
    two_engines: list[Database],
) -> None:
    a, b = leases_of(two_engines)
    results = await asyncio.gather(*(lease.hold(T0) for lease in [a, b, a, b]))
    assert results.count(True) == 2  # the winner took it, then renewed it
    holders = {lease.holder for lease, won in zip([a, b, a, b], results, strict=True) if won}
    assert len(holders) == 1
    assert await a.current_holder(T0) in holders
    assert a.held(T0) != b.held(T0)


async def test_the_holder_keeps_the_lease_while_it_renews(two_engines: list[Database]) -> None:
    a, b = leases_of(two_engines)
    assert await a.hold(T0)
    now = T0
    for _ in range(10):  # renewing every heartbeat, far past the first expiry
        now += a.heartbeat
        assert await a.hold(now)
        assert not await b.hold(now)
    assert a.held(now) and not b.held(now)


async def test_a_holder_that_stops_renewing_is_replaced_within_two_periods(
    two_engines: list[Database],
) -> None:
    a, b = leases_of(two_engines)
    assert await a.hold(T0)  # then a dies: no more renewals
    now = T0
    while not await b.hold(now):  # b tries at every heartbeat, as its job does
        now += b.heartbeat
        assert now - T0 <= 2 * PERIOD, "no takeover within two lease periods"
    assert now - T0 >= PERIOD  # not before a's lease ran out
    assert await b.current_holder(now) == "instance-1"
    assert not a.held(now + PERIOD) and not await a.hold(now)  # a, back, does not steal it


async def test_release_hands_the_lease_over_at_once(two_engines: list[Database]) -> None:
    a, b = leases_of(two_engines)
    assert await a.hold(T0)
    assert not await b.hold(T0 + dt.timedelta(seconds=1))
    await a.release(T0 + dt.timedelta(seconds=2))
    assert await b.hold(T0 + dt.timedelta(seconds=2))
    assert not a.held(T0 + dt.timedelta(seconds=2))
