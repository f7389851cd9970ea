"""TELEGRAM_PAID_BROADCAST: the daily fan-out goes out with allow_paid_broadcast, at rates
past Telegram's free 30 a second, while replies to readers stay free. Through the fake
Bot API, which enforces 30 a second for free messages and 1,000 for paid ones."""

from __future__ import annotations

import datetime as dt

from bot.store.database import Database
from bot.store.subscribers import SubscriberStore
from tests.support.app import Clock, make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI

READERS = range(7001, 7061)  # 60 readers: two seconds' worth at the free rate
AT = dt.datetime(2026, 12, 7, 22, 30, tzinfo=dt.UTC)


async def test_the_fan_out_is_a_paid_broadcast_past_the_free_rate(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    fake_api.set_rate_limit(30)
    async with Database(sqlite_url) as database:
        store = SubscriberStore(database)
        for chat_id in READERS:
            fake_api.add_chat(chat_id)
            await store.subscribe(
                chat_id,
                chat_type="private",
                title="",
                language="en",
                timezone="Asia/Seoul",
                delivery_time=dt.time(7, 30),
                now=AT - dt.timedelta(days=1),
            )
    clock = Clock()
    clock.set(AT)
    settings = make_settings(
        fake_api,
        sqlite_url,
        telegram_paid_broadcast=True,
        telegram_max_messages_per_second=300,
    )
    async with running_bot(settings, clock=clock) as application:
        assert application.job_queue is not None
        [job] = application.job_queue.get_jobs_by_name("deliver-editions")
        await job.run(application)
        await fake_api.wait_for(
            lambda: all(fake_api.sent_messages(chat_id) for chat_id in READERS),
            what="a briefing for every reader",
        )
        briefings = [m for chat_id in READERS for m in fake_api.sent_messages(chat_id)]
        fake_api.user_says(READERS[0], "/help")
        await fake_api.wait_for_messages(READERS[0], len(fake_api.sent_messages(READERS[0])) + 1)
    assert all(m.allow_paid_broadcast for m in briefings)
    assert fake_api.rate_limit_hits == 0  # 60 messages in well under two seconds
    [*_, help_reply] = fake_api.sent_messages(READERS[0])
    assert help_reply.plain_text.startswith("Commands")
    assert not help_reply.allow_paid_broadcast
