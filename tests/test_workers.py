"""Worker processes: every job within its deadline, a stuck or dead worker replaced alone.

The jobs live in ``tests.support.jobs`` so that worker processes can import them.
Nothing here measures time: a stuck job is one that never ends (``spin_forever``),
and each test has a generous overall timeout instead.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.articles.fetch import FetchLimits
from bot.errors import WorkerCrashed, WorkTimeout
from bot.settings import Settings
from bot.workers import WORKER_NICENESS, WorkerPool
from tests.support import jobs
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI

DEADLINE = 2.0
"""Long enough for any quick job on a busy machine; ``spin_forever`` never ends anyway."""
OVERALL = 60.0


@pytest.fixture
async def one_worker() -> AsyncIterator[WorkerPool]:
    pool = WorkerPool(1, deadline=DEADLINE)
    yield pool
    await asyncio.to_thread(pool.close)


@pytest.fixture
async def two_workers() -> AsyncIterator[WorkerPool]:
    pool = WorkerPool(2, deadline=DEADLINE)
    yield pool
    await asyncio.to_thread(pool.close)


@pytest.fixture
async def patient_worker() -> AsyncIterator[WorkerPool]:
    pool = WorkerPool(1, deadline=600)
    yield pool
    await asyncio.to_thread(pool.close)


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_job_past_the_deadline_is_stopped_and_the_next_job_runs(
    one_worker: WorkerPool,
) -> None:
    stuck_pid = await one_worker.run(jobs.worker_pid)
    outcomes: list[str] = []

    async def stuck() -> None:
        with pytest.raises(WorkTimeout, match="spin_forever ran past 2 s"):
            await one_worker.run(jobs.spin_forever)
        outcomes.append("stopped")

    async def next_job() -> None:
        outcomes.append(str(await one_worker.run(jobs.echo, "done")))

    async with asyncio.timeout(OVERALL):
        await asyncio.gather(stuck(), next_job())

    # One worker: the second job could only run once the stuck one had been stopped.
    assert outcomes == ["stopped", "done"]
    assert await one_worker.run(jobs.worker_pid) != stuck_pid, "a fresh worker"
    assert not process_exists(stuck_pid), "the stuck worker no longer burns CPU"


async def test_jobs_on_other_workers_are_not_lost_when_one_is_stopped(
    two_workers: WorkerPool,
) -> None:
    async def stuck() -> str:
        try:
            await two_workers.run(jobs.spin_forever)
        except WorkTimeout:
            return "stopped"
        return "finished?"

    async with asyncio.timeout(OVERALL):
        results = await asyncio.gather(stuck(), *(two_workers.run(jobs.echo, n) for n in range(20)))

    assert results == ["stopped", *range(20)]


async def test_a_worker_that_dies_is_replaced(one_worker: WorkerPool) -> None:
    with pytest.raises(WorkerCrashed):
        await one_worker.run(jobs.die)

    assert await one_worker.run(jobs.echo, "still working") == "still working"


async def test_a_jobs_exception_reaches_the_caller_with_the_workers_traceback(
    one_worker: WorkerPool,
) -> None:
    with pytest.raises(ValueError, match="bad input") as raised:
        await one_worker.run(jobs.fail, "bad input")

    assert "in fail" in str(raised.value.__cause__)
    assert await one_worker.run(jobs.echo, 1) == 1, "the worker itself was fine"


async def test_a_job_that_cannot_be_sent_fails_alone(one_worker: WorkerPool) -> None:
    pid = await one_worker.run(jobs.worker_pid)

    with pytest.raises((AttributeError, TypeError)):  # a local function does not pickle
        await one_worker.run(jobs.echo, lambda: None)

    assert await one_worker.run(jobs.worker_pid) == pid


async def test_cancelling_a_call_stops_its_job(patient_worker: WorkerPool, tmp_path: Path) -> None:
    started = tmp_path / "started"
    async with asyncio.timeout(OVERALL):
        call = asyncio.create_task(patient_worker.run(jobs.spin_forever, started))
        # The job touches the file once it runs, in another process: nothing to await.
        while not started.exists():  # noqa: ASYNC110
            await asyncio.sleep(0.01)

        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call

        # One worker and a 600 s deadline: this answers only because the job was stopped.
        assert await patient_worker.run(jobs.echo, "next") == "next"


async def test_started_workers_are_ready_before_the_first_job(two_workers: WorkerPool) -> None:
    async with asyncio.timeout(OVERALL):
        await two_workers.start()
        assert two_workers.running == 2

        pids = await asyncio.gather(two_workers.run(jobs.worker_pid), two_workers.run(jobs.echo, 1))

    assert pids[0] != os.getpid()
    assert two_workers.running == 2  # the jobs ran on the started workers, none was added


async def test_workers_run_at_a_lower_cpu_priority_than_the_bot(one_worker: WorkerPool) -> None:
    async with asyncio.timeout(OVERALL):
        worker_niceness = await one_worker.run(jobs.niceness)

    assert worker_niceness == min(19, os.nice(0) + WORKER_NICENESS)


async def test_the_running_bot_has_its_workers_before_any_update(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    settings = make_settings(fake_api, sqlite_url, worker_processes=2)

    async with running_bot(settings) as application:
        services = application.bot_data.services
        assert services is not None
        assert services.workers.running == 2
        assert fake_api.calls_to("sendMessage") == []


def test_the_pool_and_the_feed_cap_come_from_the_settings() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        worker_processes=3,
        worker_job_deadline_seconds=2.5,
        feed_max_bytes=1234,
        worker_niceness=19,
    )

    pool = WorkerPool.from_settings(settings)

    assert (pool.workers, pool.deadline, pool.niceness) == (3, 2.5, 19)
    assert Settings(_env_file=None).worker_niceness == WORKER_NICENESS  # type: ignore[call-arg]
    assert FetchLimits.from_settings(settings).feed_max_bytes == 1234
    assert Settings(_env_file=None).worker_job_deadline_seconds == 30  # type: ignore[call-arg]
