"""Fair use of link summaries: per chat per minute, a bound on pending work, lanes."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.articles.quota import Admission, LinkQuota, Refusal

T0 = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


async def finish(quota: LinkQuota, chat_id: int, count: int) -> None:
    for _ in range(count):
        async with quota.lane(chat_id):
            pass


def test_a_chat_gets_its_share_then_one_notice_a_minute() -> None:
    clock = Clock()
    quota = LinkQuota(per_minute=20, queue_max=1000, clock=clock)
    admitted = [quota.admit(7, 3) for _ in range(20)]
    assert sum(a.accepted for a in admitted) == 20
    assert [a.refusal for a in admitted if a.refusal] == [Refusal.CHAT_LIMIT]
    assert admitted[6] == Admission(2, Refusal.CHAT_LIMIT)  # 18 + 2, then the notice
    clock.advance(59)
    assert quota.admit(7, 3) == Admission(0)  # still the same minute: no second notice
    clock.advance(1)
    assert quota.admit(7, 3) == Admission(3)  # the window has slid


def test_the_window_slides_link_by_link() -> None:
    clock = Clock()
    quota = LinkQuota(per_minute=2, queue_max=100, clock=clock)
    assert quota.admit(1, 1).accepted == 1
    clock.advance(30)
    assert quota.admit(1, 1).accepted == 1
    clock.advance(31)  # the first link is more than a minute old
    assert quota.admit(1, 2) == Admission(1, Refusal.CHAT_LIMIT)


def test_one_chats_flood_leaves_another_chat_its_own_share() -> None:
    quota = LinkQuota(per_minute=20, queue_max=1000, clock=Clock())
    for _ in range(30):
        quota.admit(1, 3)
    assert quota.admit(2, 3) == Admission(3)


async def test_a_full_queue_refuses_everyone_until_work_finishes() -> None:
    quota = LinkQuota(per_minute=100, queue_max=4, clock=Clock())
    assert quota.admit(1, 3) == Admission(3)
    assert quota.admit(2, 3) == Admission(1, Refusal.BUSY)
    assert quota.pending == 4
    await finish(quota, 1, 3)
    await finish(quota, 2, 1)
    assert quota.pending == 0
    assert quota.admit(2, 3) == Admission(3)


async def test_a_chats_lane_runs_its_summaries_one_at_a_time() -> None:
    quota = LinkQuota(per_minute=100, queue_max=100, lane_width=1, clock=Clock())
    quota.admit(1, 2)
    quota.admit(2, 1)
    release, two_running = asyncio.Event(), asyncio.Event()
    running: list[int] = []

    async def job(chat_id: int) -> None:
        async with quota.lane(chat_id):
            running.append(chat_id)
            if len(running) == 2:
                two_running.set()
            await release.wait()

    tasks = [asyncio.create_task(job(chat)) for chat in (1, 1, 2)]
    await two_running.wait()
    for _ in range(10):  # let the third task try its lane
        await asyncio.sleep(0)
    assert sorted(running) == [1, 2], "chat 1's second link waits; chat 2 does not"
    release.set()
    await asyncio.gather(*tasks)
    assert running == [1, 2, 1] and quota.pending == 0


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError):
        LinkQuota(per_minute=0, queue_max=1)
