"""The handled-updates ledger: the first claim of an update id wins, on both backends."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from bot.store.database import Database
from bot.store.updates import KEEP, UpdateLedger

NOW = dt.datetime(2026, 12, 6, 7, 30, tzinfo=dt.UTC)


async def test_an_update_is_claimed_once(database: Database) -> None:
    ledger = UpdateLedger(database)
    assert await ledger.claim(1001, NOW) is True
    assert await ledger.claim(1001, NOW) is False
    assert await ledger.claim(1002, NOW) is True


async def test_concurrent_claims_from_two_engines_give_one_winner(
    database_url: str, tmp_path: Path
) -> None:
    async with (
        Database(database_url, data_dir=tmp_path) as one,
        Database(database_url, data_dir=tmp_path) as two,
    ):
        ledgers = [UpdateLedger(one), UpdateLedger(two)] * 4
        wins = await asyncio.gather(*(ledger.claim(77, NOW) for ledger in ledgers))
    assert sorted(wins) == [False] * 7 + [True]


async def test_ids_older_than_a_day_are_pruned_and_newer_ones_kept(database: Database) -> None:
    ledger = UpdateLedger(database)
    await ledger.claim(1, NOW - KEEP - dt.timedelta(seconds=1))
    await ledger.claim(2, NOW - KEEP + dt.timedelta(seconds=1))
    assert await ledger.prune(NOW) == 1
    assert await ledger.claim(1, NOW) is True  # forgotten: a new claim succeeds
    assert await ledger.claim(2, NOW) is False
