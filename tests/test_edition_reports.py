"""The operators' edition report when instances share the fan-out: each due chat's
outcome is reported once, after the edition is done, from the delivery log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.delivery.reporting import EditionReports
from bot.store import Database, SubscriberStore
from bot.store.deliveries import DeliveryStore
from tests.test_deliveries_store import NOW, subscribe

SEVEN = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
EDITION = date(2025, 6, 2)
MINUTE = timedelta(minutes=1)


@pytest.fixture
async def log(database: Database) -> DeliveryStore:
    subscribers = SubscriberStore(database, clock=lambda: NOW)
    for chat_id in (1, 2):
        await subscribe(subscribers, chat_id)
    return DeliveryStore(database)


async def send(log: DeliveryStore, chat_id: int) -> None:
    claim = await log.claim(chat_id, EDITION, scheduled_for=SEVEN, now=SEVEN, max_attempts=3)
    assert claim.ours
    await log.mark_sent(chat_id, EDITION, 1, SEVEN)


async def test_an_edition_still_in_flight_is_reported_once_it_is_done(
    log: DeliveryStore,
) -> None:
    reports = EditionReports(log)
    assert await reports.ready(SEVEN - MINUTE) is None  # nobody due yet
    await send(log, 1)  # chat 2 is still in another instance's hands
    assert await reports.ready(SEVEN) is None
    await send(log, 2)
    done = await reports.ready(SEVEN + MINUTE)
    assert done is not None and (done.sent, done.pending) == (2, 0)
    assert await reports.ready(SEVEN + 2 * MINUTE) is None  # reported once


async def test_an_edition_that_stays_in_flight_is_reported_after_the_wait(
    log: DeliveryStore,
) -> None:
    reports = EditionReports(log, wait=5 * MINUTE)
    assert await reports.ready(SEVEN - MINUTE) is None
    await send(log, 1)
    assert await reports.ready(SEVEN + 3 * MINUTE) is None
    late = await reports.ready(SEVEN + 4 * MINUTE)
    assert late is not None and (late.sent, late.pending, late.in_flight) == (1, 1, 1)


async def test_a_new_holder_reports_what_was_due_shortly_before_it_took_over(
    log: DeliveryStore,
) -> None:
    await send(log, 1)
    await send(log, 2)
    taken_over = await EditionReports(log, lookback=10 * MINUTE).ready(SEVEN + 2 * MINUTE)
    assert taken_over is not None and taken_over.sent == 2
    assert await EditionReports(log, lookback=MINUTE).ready(SEVEN + 2 * MINUTE) is None
