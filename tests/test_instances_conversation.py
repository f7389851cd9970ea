"""Several instances, one bot: an update delivered twice (a webhook retry, or to two
instances behind a load balancer sharing one PostgreSQL database) is answered once; the
feeds are polled by one instance, and another takes over when it stops; every instance
sends editions, and the operators hear about each edition once, all of it."""

from __future__ import annotations

import contextlib
import datetime as dt

from bot.services import Services
from bot.store import Database, SubscriberStore
from handlers.context import BotApplication
from tests.support.app import Clock, pause_job, run_job, running_bot, webhook_settings
from tests.support.fakebotapi import FakeBotAPI
from tests.support.ports import free_port

CHAT = 5202
READER = 5203
OPERATOR = 5299
T0 = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)


async def test_an_update_posted_to_every_instance_and_again_is_answered_once(
    fake_api: FakeBotAPI, database_url: str
) -> None:
    # Two instances on PostgreSQL; SQLite serves one process, which gets the retry.
    count = 2 if database_url.startswith("postgresql") else 1
    ports = [free_port() for _ in range(count)]
    backends = [f"http://127.0.0.1:{port}" for port in ports]
    async with contextlib.AsyncExitStack() as stack:
        for port in ports:
            await stack.enter_async_context(
                running_bot(webhook_settings(fake_api, database_url, port, worker_processes=1))
            )
        fake_api.route_webhook(*backends)
        update = fake_api.user_says(CHAT, "/help")
        await fake_api.wait_for_messages(CHAT)
        for backend in [*backends, backends[0]]:  # every instance, then a retry to the first
            assert await fake_api.post_update(update, backend) == 200
        # A later update is answered: by now the repeats have been handled (and dropped).
        fake_api.user_says(CHAT, "/start")
        await fake_api.wait_for(
            lambda: any(
                m.plain_text.startswith("Peninsula Brief") for m in fake_api.sent_messages(CHAT)
            ),
            what="the reply to /start",
        )
    helps = [m for m in fake_api.sent_messages(CHAT) if m.plain_text.startswith("Commands")]
    assert len(helps) == 1
    expected = count + 1 + 1 + 1  # help, the repeats, start
    await fake_api.wait_for(lambda: len(fake_api.deliveries) >= expected, what="deliveries")
    assert len(fake_api.deliveries) == expected


async def test_one_instance_polls_and_delivers_and_another_takes_over_when_it_stops(
    fake_api: FakeBotAPI, postgres_url: str
) -> None:
    # A lease so long that the scheduled heartbeats stay out of the way: the test drives
    # each instance's jobs, and each instance's clock, itself.
    clocks = [Clock(), Clock()]
    for clock in clocks:
        clock.set(T0)
    settings = [
        webhook_settings(fake_api, postgres_url, free_port(), worker_processes=1, lease_seconds=600)
        for _ in clocks
    ]
    # Due five minutes after T0, a minute inside the takeover.
    await subscribe_due(fake_api, postgres_url, [READER], T0 + dt.timedelta(minutes=5))
    async with contextlib.AsyncExitStack() as stack:
        a, b = [
            await stack.enter_async_context(running_bot(one, clock=clock))
            for one, clock in zip(settings, clocks, strict=True)
        ]
        for app in (a, b):
            pause_job(app, "deliver-editions")  # only a takeover may deliver in this test
            await run_job(app, "keep-lease")
        holds = [services_of(app).lease.held(T0) for app in (a, b)]
        assert sorted(holds) == [False, True]
        holder, other = (a, b) if holds[0] else (b, a)
        assert b"briefbot_lease_holder 1.0" in services_of(holder).metrics.exposition()
        assert b"briefbot_lease_holder 0.0" in services_of(other).metrics.exposition()
        for app in (a, b):
            await run_job(app, "poll-feeds")
        assert services_of(holder).last_poll is not None
        assert services_of(other).last_poll is None  # the feeds were polled once

        # The holder stops renewing (a hung or dead instance); the other keeps trying
        # every heartbeat and has the jobs within two lease periods.
        lease = services_of(other).lease
        now = T0
        while not lease.held(now):
            now += lease.heartbeat
            assert now - T0 <= 2 * lease.period, "no takeover within two lease periods"
            clocks[[a, b].index(other)].set(now)
            await run_job(other, "keep-lease")
        await run_job(other, "poll-feeds")
        assert services_of(other).last_poll is not None
        # Taking over, it sent the edition that fell due while the holder was silent.
        [briefing] = await fake_api.wait_for_messages(READER)
        assert briefing.plain_text.startswith("🗞 Your briefing for Monday 7 December")


async def test_any_instance_sends_the_edition_and_the_lease_holder_reports_all_of_it(
    fake_api: FakeBotAPI, postgres_url: str
) -> None:
    clocks = [Clock(), Clock()]
    for clock in clocks:
        clock.set(T0)
    fake_api.add_chat(OPERATOR, "private", first_name="Operator")
    settings = [
        webhook_settings(
            fake_api,
            postgres_url,
            free_port(),
            worker_processes=1,
            lease_seconds=600,
            admin_chat_ids=[OPERATOR],
        )
        for _ in clocks
    ]
    readers = [READER + 10 + n for n in range(4)]
    due = T0 + dt.timedelta(minutes=5)
    await subscribe_due(fake_api, postgres_url, readers, due)
    async with contextlib.AsyncExitStack() as stack:
        a, b = [
            await stack.enter_async_context(running_bot(one, clock=clock))
            for one, clock in zip(settings, clocks, strict=True)
        ]
        for app in (a, b):
            pause_job(app, "deliver-editions")
            await run_job(app, "keep-lease")
        holder, other = (a, b) if services_of(a).lease.held(T0) else (b, a)
        for clock in clocks:
            clock.set(due)
        # The instance without the lease ticks first and sends the whole edition; it
        # reports nothing: that is the lease holder's job.
        await run_job(other, "deliver-editions")
        for reader in readers:
            [briefing] = await fake_api.wait_for_messages(reader)
            assert briefing.plain_text.startswith("🗞 Your briefing for Monday 7 December")
        assert fake_api.sent_messages(OPERATOR) == []
        # The holder had nothing left to send, yet reports the edition, whoever sent it.
        await run_job(holder, "deliver-editions")
        [report] = await fake_api.wait_for_messages(OPERATOR)
        assert "Edition report" in report.plain_text
        assert "4 sent, 0 failed, 0 pending" in report.plain_text
        for clock in clocks:
            clock.set(due + dt.timedelta(minutes=1))
        for app in (other, holder):
            await run_job(app, "deliver-editions")
    # Nothing was sent twice, nor reported twice.
    assert [len(fake_api.sent_messages(reader)) for reader in readers] == [1] * len(readers)
    assert len(fake_api.sent_messages(OPERATOR)) == 1


async def subscribe_due(
    fake_api: FakeBotAPI, postgres_url: str, readers: list[int], due: dt.datetime
) -> None:
    """Private chats subscribed at T0 (UTC), their briefing due at ``due``."""
    database = Database(postgres_url)
    await database.open()
    try:
        for reader in readers:
            fake_api.add_chat(reader, "private")
            await SubscriberStore(database).subscribe(
                reader,
                chat_type="private",
                title="",
                language="en",
                timezone="UTC",
                delivery_time=due.time(),
                now=T0,
            )
    finally:
        await database.close()


def services_of(application: BotApplication) -> Services:
    services = application.bot_data.services
    assert services is not None
    return services


async def test_instances_share_one_send_rate(fake_api: FakeBotAPI, postgres_url: str) -> None:
    # Telegram's limit is per token: two instances answering at once must together stay
    # under it, so each takes its send slots from the schedule they share.
    # The fake allows half as much again as the bot's rate: it stamps requests as its
    # thread handles them, and on a busy machine a stall of that thread (it shares the
    # process with both bots) bunches a few paced requests into one second. Two
    # instances pacing apart would send twice the rate, well over it.
    rate, readers = 8, 24
    fake_api.set_rate_limit(rate * 3 // 2)
    ports = [free_port() for _ in range(2)]
    overrides = {"telegram_max_messages_per_second": rate}
    async with contextlib.AsyncExitStack() as stack:
        for port in ports:
            await stack.enter_async_context(
                running_bot(
                    webhook_settings(fake_api, postgres_url, port, worker_processes=1, **overrides)
                )
            )
        fake_api.route_webhook(*(f"http://127.0.0.1:{port}" for port in ports))
        chats = [CHAT + 100 + index for index in range(readers)]
        for chat in chats:
            fake_api.user_says(chat, "/help")
        for chat in chats:
            await fake_api.wait_for_messages(chat)
    served = {delivery.backend for delivery in fake_api.deliveries}
    assert len(served) == 2  # both instances answered
    assert fake_api.rate_limit_hits == 0
