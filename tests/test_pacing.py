"""Send pacing: slots spaced under the rate, claimed together from a schedule that several
instances share in PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import select

from bot.delivery.pacing import (
    CATCH_UP,
    MAX_LEAD,
    MAX_SPARE,
    MAX_UNCERTAINTY,
    MIN_LEAD,
    PACING_HEADROOM,
    LocalPacer,
    SharedPacer,
    slot_spacing,
)
from bot.store import Database
from bot.store.pacing import SendSchedule
from bot.store.schema import send_pacing


class RecordingSource:
    """A slot source in memory: records each claim, answers ``ahead`` seconds."""

    def __init__(self, ahead: float = 0.0, *, fail: bool = False) -> None:
        self.claims: list[int] = []
        self.leads: list[float] = []
        self.ahead = ahead
        self.fail = fail

    async def claim(self, count: int, spacing: float, lead: float) -> float:
        self.claims.append(count)
        self.leads.append(lead)
        if self.fail:
            raise ConnectionError("database unreachable")
        return self.ahead


def test_slots_leave_headroom_under_the_rate() -> None:
    assert slot_spacing(25) == pytest.approx((1 + PACING_HEADROOM) / 25)
    with pytest.raises(ValueError):
        slot_spacing(0)


async def test_messages_waiting_together_are_claimed_in_one_round_trip() -> None:
    source = RecordingSource()
    pacer = SharedPacer(source, messages_per_second=10)  # no spare slot: its lead < spacing
    await asyncio.gather(*(pacer.wait() for _ in range(3)))
    assert source.claims == [3]
    await pacer.wait()  # a later message: its own claim
    assert source.claims == [3, 1]
    assert all(MIN_LEAD <= lead <= MAX_LEAD for lead in source.leads)


async def test_a_claim_takes_the_slots_its_lead_spans_for_the_next_messages() -> None:
    source = RecordingSource()
    pacer = SharedPacer(source, messages_per_second=1000)
    spare = int(pacer.lead / pacer.spacing)
    assert 0 < spare <= MAX_SPARE

    await asyncio.gather(*(pacer.wait() for _ in range(10)))
    for _ in range(spare):  # the next messages take the spare slots: no round trip
        await pacer.wait()
    assert source.claims == [10 + spare]
    await pacer.wait()  # spares used up: a claim again
    assert len(source.claims) == 2


async def test_a_slow_round_trip_spreads_the_slots_wider() -> None:
    """Slots are placed as the answer arrives; a slower round trip, more uncertainty."""
    spacings: list[float] = []

    class Slow:
        async def claim(self, count: int, spacing: float, lead: float) -> float:
            spacings.append(spacing)
            await asyncio.sleep(0.05)
            return 0.0

    pacer = SharedPacer(Slow(), messages_per_second=10)  # no spare slots at this rate
    for _ in range(3):
        await pacer.wait()
    base = slot_spacing(10)
    assert spacings[0] == pytest.approx(base * (1 + MIN_LEAD / 2))
    assert spacings[0] < spacings[1] < spacings[2] <= base * (1 + MAX_UNCERTAINTY)


async def test_a_spare_slot_that_passed_is_let_go() -> None:
    source = RecordingSource(ahead=-1.0)  # every slot it hands out passed a second ago
    pacer = SharedPacer(source, messages_per_second=1000)
    await pacer.wait()  # late: retakes once, by a new claim, not by a passed spare slot
    assert len(source.claims) == 2
    await pacer.wait()
    assert len(source.claims) == 4


async def test_a_claim_that_fails_falls_back_to_pacing_locally() -> None:
    source = RecordingSource(fail=True)
    pacer = SharedPacer(source, messages_per_second=10)
    await asyncio.gather(*(pacer.wait() for _ in range(3)))
    assert source.claims == [3]  # tried, failed, and every message still went


async def test_waiters_are_released_when_the_claim_is_cancelled() -> None:
    started = asyncio.Event()

    class Hanging:
        async def claim(self, count: int, spacing: float, lead: float) -> float:
            started.set()
            await asyncio.Event().wait()
            return 0.0

    pacer = SharedPacer(Hanging(), messages_per_second=10)
    waiter = asyncio.create_task(pacer.wait())
    await started.wait()
    claimer = pacer._claimer
    assert claimer is not None
    claimer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter


async def test_the_local_pacer_lets_no_more_than_the_rate_through_any_window() -> None:
    pacer = LocalPacer(messages_per_second=200)
    loop = asyncio.get_running_loop()
    times = []
    for _ in range(20):
        await pacer.wait()
        times.append(loop.time())
    # A leaky bucket of one message: however late the loop wakes the sender, k messages
    # need at least (k - 1) spacings, less CATCH_UP, between the first and the last.
    for i, earlier in enumerate(times):
        for k in range(i + 1, len(times)):
            assert k - i <= 1 + (times[k] - earlier + CATCH_UP) / pacer.spacing + 1e-9


async def sends_after_a_stall(pacer: LocalPacer | SharedPacer) -> list[float]:
    """Four messages wait for their slots; the process stalls past all of them (blocking
    the loop, as a long collection or a busy machine does); when each one went."""
    loop = asyncio.get_running_loop()
    sent: list[float] = []

    async def send() -> None:
        await pacer.wait()
        sent.append(loop.time())

    senders = [asyncio.create_task(send()) for _ in range(4)]
    for _ in range(5):  # every sender has its slot (a shared pacer's claim included)
        await asyncio.sleep(0)
    time.sleep(0.5)  # noqa: ASYNC251 — the stall itself: holding the loop is the point
    await asyncio.gather(*senders)
    return sorted(sent)


@pytest.mark.parametrize("kind", ["local", "shared"])
async def test_after_a_stall_messages_take_new_slots_instead_of_going_at_once(kind: str) -> None:
    # R = 10: slots 103 ms apart, all four inside the stall. Sent when they woke, they
    # would go together, four in one instant of Telegram's count.
    pacer = LocalPacer(10) if kind == "local" else SharedPacer(RecordingSource(), 10)
    sent = await sends_after_a_stall(pacer)
    gaps = [later - earlier for earlier, later in itertools.pairwise(sent)]
    assert sum(gap < 0.05 for gap in gaps) <= 1, gaps


# ---------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
async def instances(postgres_url: str) -> AsyncIterator[list[Database]]:
    """Two instances' databases: two engines on one PostgreSQL schema."""
    databases = [Database(postgres_url) for _ in range(2)]
    for database in databases:
        await database.open()
    try:
        yield databases
    finally:
        for database in databases:
            await database.close()


Schedules = Callable[[Database, str], SendSchedule]


@pytest.fixture
async def schedules() -> AsyncIterator[Schedules]:
    """Opens schedules (each keeps a connection) and closes them at the end."""
    opened: list[SendSchedule] = []

    def schedule(database: Database, name: str) -> SendSchedule:
        opened.append(SendSchedule(database, name))
        return opened[-1]

    yield schedule
    for one in opened:
        await one.close()


async def next_slot(database: Database) -> float:
    async with database.reading() as connection:
        return float((await connection.execute(select(send_pacing.c.next_slot))).scalar_one())


async def test_a_schedule_hands_out_consecutive_slots(
    instances: list[Database], schedules: Schedules
) -> None:
    schedule = schedules(instances[0], "bot:1")
    first = await schedule.claim(5, 10.0)
    second = await schedule.claim(1, 10.0)
    assert first <= 0.0  # an idle schedule: the first slot is now
    # The second claim starts where the first five slots end, 50 s on (less the time
    # between the two claims, which is far under 10 s).
    assert 40.0 < second <= 50.0


async def test_slots_of_an_idle_schedule_start_a_lead_ahead(
    instances: list[Database], schedules: Schedules
) -> None:
    # The claimant asks for slots far enough ahead that its answer arrives before them.
    first = await schedules(instances[0], "bot:1").claim(2, 1.0, lead=30.0)
    assert 20.0 < first <= 30.0


async def test_instances_claiming_at_once_never_share_a_slot(
    instances: list[Database], schedules: Schedules
) -> None:
    pair = [schedules(database, "bot:1") for database in instances]
    await pair[0].claim(1, 100.0)
    start = await next_slot(instances[0])
    counts = [1, 2, 3, 4, 5, 6, 7, 8]
    await asyncio.gather(*(pair[i % 2].claim(count, 100.0) for i, count in enumerate(counts)))
    # The schedule stayed ahead of the clock throughout, so every claim moved it on by
    # exactly its own width: no two claims overlapped.
    assert await next_slot(instances[1]) - start == pytest.approx(100.0 * sum(counts))


async def test_bots_on_one_database_have_schedules_of_their_own(
    instances: list[Database], schedules: Schedules
) -> None:
    await schedules(instances[0], "bot:1").claim(3, 100.0)
    assert await schedules(instances[0], "bot:2").claim(1, 100.0) <= 0.0


async def test_sqlite_has_no_shared_schedule(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    with pytest.raises(ValueError, match="PostgreSQL"):
        SendSchedule(database, "bot:1")
