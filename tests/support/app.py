"""The real application against the fake Bot API: test settings, a running bot, a clock."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

from bot.settings import Settings
from handlers.app import build_application
from handlers.context import BotApplication
from handlers.runner import serve
from tests.support.fakebotapi import FakeBotAPI
from tests.support.paths import FIXTURES

STARTUP_TIMEOUT = 60.0
"""Seconds a bot may take to start (database migrations, worker processes) on a busy machine."""


def make_settings(api: FakeBotAPI, database_url: str, **overrides: object) -> Settings:
    """Settings for a bot talking to ``api``; ``overrides`` replace any of them."""
    values: dict[str, Any] = {
        "database_url": database_url,
        # Never the packaged feed list in tests: its feeds are on the internet. Nor the
        # briefing fixtures: their links go to the outlets' real hosts.
        "briefbot_feeds": FIXTURES / "bot" / "feeds.toml",
        "telegram_bot_token": api.token,
        "telegram_api_url": api.url,
        "fetch_allow_private_networks": True,
        # The longest allowed: local pages load in milliseconds, unless the machine is busy.
        # Tests of pages that never finish set a short one.
        "fetch_deadline_seconds": 20.0,
        "worker_processes": 2,
        "log_level": "DEBUG",
        # Off: the default port would clash between bots of tests running side by side.
        # Tests of the health server pass a free port.
        "health_port": 0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


WEBHOOK_URL = "https://bot.example.test/telegram/updates"
WEBHOOK_SECRET = "Webhook-Secret_for_tests_0123456789"


def webhook_settings(
    api: FakeBotAPI, database_url: str, port: int, **overrides: object
) -> Settings:
    """Settings for one instance in webhook mode, listening on ``port`` of 127.0.0.1 where
    the fake routes Telegram's POSTs (the reverse proxy of a real deployment)."""
    return make_settings(
        api,
        database_url,
        webhook_url=WEBHOOK_URL,
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret=WEBHOOK_SECRET,
        **overrides,
    )


@contextlib.asynccontextmanager
async def running_bot(
    settings: Settings, *, clock: Callable[[], dt.datetime] | None = None
) -> AsyncIterator[BotApplication]:
    """Run the real application (long polling against the fake, or its webhook server when
    the settings say so) for the block's duration.

    ``clock`` is the scheduled jobs' "now" (see :class:`Clock`); the application is yielded
    so a test can run a job itself.
    """
    application = build_application(settings, clock=clock)
    stop, started = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        serve(application, stop, webhook=settings.webhook(), started=started)
    )
    try:
        # Started once updates are taken: post_init done, polling or the webhook set.
        waiter = asyncio.create_task(started.wait())
        try:
            async with asyncio.timeout(STARTUP_TIMEOUT):
                await asyncio.wait([task, waiter], return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        if task.done():
            task.result()
        yield application
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=60)


def pause_job(application: BotApplication, name: str) -> None:
    """Switch off the bot's own schedule for the job ``name``: the test runs it itself
    (:func:`run_job`), at the moment it chooses on the bot's clock."""
    assert application.job_queue is not None
    for job in application.job_queue.get_jobs_by_name(name):
        job.enabled = False


class Clock:
    """A settable "now" for the bot's jobs: the wall clock until a test sets it."""

    def __init__(self) -> None:
        self._now: dt.datetime | None = None

    def __call__(self) -> dt.datetime:
        return self._now or dt.datetime.now(dt.UTC)

    def set(self, now: dt.datetime) -> None:
        self._now = now


async def run_job(application: BotApplication, name: str) -> None:
    """Run the application's scheduled job ``name`` now, as its tick would."""
    [job] = application.job_queue.get_jobs_by_name(name) if application.job_queue else []
    await job.run(application)
