"""Builds the PTB Application: Bot API endpoint, defaults, handlers, services."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import ssl
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults, TypeHandler

import handlers
from bot.delivery.pacing import SharedPacer
from bot.metrics import Metrics
from bot.services import Services
from bot.settings import Settings
from handlers import jobs, observe
from handlers.context import BotApplication, BotContext, BotData
from handlers.profile import register_profile
from handlers.sender import PacedRateLimiter, TelegramSender, make_rate_limiter
from handlers.transport import AiohttpRequest

log = logging.getLogger(__name__)


def build_application(
    settings: Settings, *, clock: Callable[[], dt.datetime] | None = None
) -> BotApplication:
    """The application for ``settings``; services open in post_init, close in post_shutdown.

    ``clock`` is the jobs' "now" (tests run the delivery job at a chosen instant).
    """
    token = settings.require_token()
    api = settings.telegram_api_url
    metrics = Metrics()
    application: BotApplication = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .rate_limiter(
            make_rate_limiter(
                settings.telegram_max_messages_per_second,
                on_rate_limited=metrics.rate_limited.inc,
            )
        )
        # aiohttp on the wire (handlers.transport: a tenth of httpx's CPU a request), with
        # PTB's own pool sizes (256 connections; 1 for getUpdates) and one TLS context.
        .request(AiohttpRequest(connection_pool_size=256, ssl_context=_bot_api_tls()))
        .get_updates_request(AiohttpRequest(connection_pool_size=1, ssl_context=_bot_api_tls()))
        # Summaries take seconds; other chats must not wait behind them.
        .concurrent_updates(64)
        .post_init(_post_init(settings, clock, metrics))
        .post_shutdown(_post_shutdown)
        .build()
    )
    handlers.register(application)
    application.add_handler(TypeHandler(Update, observe.count_update), group=observe.GROUP)
    return application


def _post_init(
    settings: Settings, clock: Callable[[], dt.datetime] | None, metrics: Metrics
) -> Callable[[BotApplication], Coroutine[Any, Any, None]]:
    async def post_init(application: BotApplication) -> None:
        # First, so /healthz answers (and /readyz says why not) while the database migrates.
        application.bot_data.health = await observe.start_health_server(
            application, settings, metrics
        )
        services = await Services.open(
            settings,
            TelegramSender(application.bot, paid_broadcast=settings.telegram_paid_broadcast),
            clock=clock,
            metrics=metrics,
        )
        application.bot_data.services = services
        share_send_schedule(application, services, settings)
        await register_profile(application.bot, services.catalog)
        schedule_jobs(application, settings)

    return post_init


def share_send_schedule(
    application: BotApplication, services: Services, settings: Settings
) -> None:
    """On PostgreSQL, where several instances may run, pace every message by the schedule
    they share (:mod:`bot.store.pacing`): Telegram's limit is per token, not per process."""
    limiter = application.bot.rate_limiter
    if services.send_schedule is not None and isinstance(limiter, PacedRateLimiter):
        pacer = SharedPacer(services.send_schedule, settings.telegram_max_messages_per_second)
        limiter.pace_with(pacer)


async def _post_shutdown(application: BotApplication) -> None:
    services = application.bot_data.services
    if services is not None:
        application.bot_data.services = None
        await services.close()
    health = application.bot_data.health
    if health is not None:
        application.bot_data.health = None
        await health.close()


def schedule_jobs(application: BotApplication, settings: Settings) -> None:
    """Feed polling right after start-up, then every FEED_POLL_MINUTES; a delivery tick
    every minute (the first one soon after start-up sends what downtime delayed); handled
    update ids, and items past RETENTION_DAYS, pruned hourly; the jobs lease renewed (or
    taken over) three times a period. Every instance sends its share of the due editions;
    polling, alerts, edition reports and pruning items run only while this instance holds
    the lease."""
    job_queue = application.job_queue
    assert job_queue is not None
    job_queue.run_repeating(
        jobs.poll_feeds,
        interval=dt.timedelta(minutes=settings.feed_poll_minutes),
        first=dt.timedelta(seconds=1),
        name="poll-feeds",
        job_kwargs={"max_instances": 1, "coalesce": True},
    )
    job_queue.run_repeating(
        jobs.deliver_editions,
        interval=dt.timedelta(minutes=1),
        first=dt.timedelta(seconds=5),
        name="deliver-editions",
        job_kwargs={"max_instances": 1, "coalesce": True},
    )
    job_queue.run_repeating(
        jobs.forget_old_records,
        interval=dt.timedelta(hours=1),
        first=dt.timedelta(minutes=1),
        name="forget-old-records",
        job_kwargs={"max_instances": 1, "coalesce": True},
    )
    job_queue.run_repeating(
        jobs.keep_lease,
        interval=dt.timedelta(seconds=settings.lease_seconds) / 3,
        first=dt.timedelta(0),
        name="keep-lease",
        job_kwargs={"max_instances": 1, "coalesce": True},
    )


@functools.cache
def _bot_api_tls() -> ssl.SSLContext:
    """One TLS context for the Bot API clients: loading the CA bundle costs ~25 ms a client."""
    return httpx.create_ssl_context()
