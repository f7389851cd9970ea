"""Scheduled work: poll the feeds, deliver the due editions, tell the operators, forget
old update ids.

With several instances on one database every instance sends its share of the due
editions (:mod:`bot.delivery.dispatcher`: they split the due chats between them, so the
fan-out is not held to one process). Everything else — polling the feeds, breaking
alerts, the operators' edition report, pruning old items — runs only on the holder of
the jobs lease (:mod:`bot.store.leases`); every instance keeps trying to hold it, so
another takes over when the holder stops.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

from telegram.error import TelegramError
from telegram.ext import JobQueue

from bot.metrics import Metrics
from bot.models import DEFAULT_LANGUAGE, Language
from bot.reports import format_edition_report, format_feed_failure, format_feed_recovery
from handlers.context import BotContext

log = logging.getLogger(__name__)

SAVED_QUERY_AGE = dt.timedelta(days=30)
"""A search's page buttons work this long after it was last used."""


async def poll_feeds(context: BotContext) -> None:
    """Every FEED_POLL_MINUTES, on the lease holder: fetch the feeds, store new items,
    send the new stories chats follow and the newly confirmed breaking stories, report
    new failures."""
    services = context.services
    if not await services.lease.hold(services.clock()):
        return
    now = services.clock()
    report = await services.poller.poll_all(now)
    services.last_poll = report
    services.metrics.feed_poll(
        fetched=len(report.fetched),
        not_modified=len(report.not_modified),
        skipped=len(report.skipped),
        failed_kinds=[str(failure.kind) for failure in report.failed],
        new_items=report.new_items,
    )
    log.info("feeds polled: %s", report.describe())
    if report.new_items:
        services.editions.invalidate()
    if report.new_relevant:
        # Built now rather than at the next edition: each build links the stories to their
        # threads, and a thread carries on only through builds whose windows overlap.
        await services.editions.stories(now)
    if report.new_relevant:
        # The items this poll stored carry its time as their fetch time.
        follows = await services.follow_alerts.run(now, fetched_since=now)
        for outcome, count in follows.outcomes().items():
            services.metrics.follow_alerts.labels(outcome).inc(count)
        log.info("follows after the poll: %s", follows.describe())
        breaking = await services.breaking_alerts.run(now)
        count_breaking(services.metrics, breaking.outcomes())
        log.info("breaking alerts after the poll: %s", breaking.describe())
    for name in report.recovered:
        log.info("feed %s works again", name)
        await notify_admins(
            context,
            functools.partial(format_feed_recovery, name, services.catalog, feeds=services.feeds),
        )
    for failure in report.failed:
        log.warning("feed %s failed (%s): %s", failure.name, failure.kind, failure.message)
        if failure.consecutive_failures == 1:  # just started failing: worth a message
            await notify_admins(
                context,
                functools.partial(
                    format_feed_failure, failure, services.catalog, feeds=services.feeds
                ),
            )


async def deliver_editions(context: BotContext) -> None:
    """Every minute, on every instance: send its share of the editions that are due. On
    the lease holder, then: the breaking alerts whose quiet hours ended, and the report
    of the editions every instance sent, once they are done."""
    services = context.services
    now = services.clock()
    report = await services.dispatcher.run_due(now)
    if report.busy:  # the run in progress does the rest when it ends (or we are stopping)
        return
    if report.due:
        services.metrics.edition(report.statuses(), report.duration)
        log.info("edition delivered (this instance's share): %s", report.summary())
    if not await services.lease.hold(services.clock()):
        services.edition_reports.forget()
        return
    # After the editions: a held alert the chat's briefing just covered is dropped.
    released = await services.breaking_alerts.release_held(now)
    if any(released.outcomes().values()):
        count_breaking(services.metrics, released.outcomes())
        log.info("held breaking alerts: %s", released.describe())
    services.metrics.set_subscribers(await services.subscriptions.count_by_state())
    outcome = await services.edition_reports.ready(now)
    if outcome is None:
        return
    stories = len(await services.editions.stories(now))
    await notify_admins(
        context,
        functools.partial(
            format_edition_report, outcome, services.last_poll, stories, services.catalog, now
        ),
    )


async def keep_lease(context: BotContext) -> None:
    """Every third of LEASE_SECONDS: renew the jobs lease, or take it over once its holder
    stopped renewing (and deliver what is due at once: on SQLite nobody else sends it);
    say when this instance starts or stops running the jobs."""
    services = context.services
    now = services.clock()
    had = services.lease.held(now)
    holds = await services.lease.hold(now)
    services.metrics.lease_holder.set(1 if holds else 0)
    if holds != had:
        log.info(
            "this instance %s feed polling, alerts and edition reports",
            "stops running" if had else "now runs",
        )
    queue: JobQueue[Any] | None = context.job_queue
    if holds and not had and queue is not None:
        # Taking over (the holder died mid-edition, say): send what is due, release the
        # held alerts and report now rather than at the next minute's tick (or as soon as
        # this instance's own run in progress ends).
        queue.run_once(deliver_editions, 0, name="deliver-editions-now")


async def forget_old_records(context: BotContext) -> None:
    """Every hour: drop the ids of updates handled more than a day ago; on the lease
    holder, also items older than RETENTION_DAYS (their search entries and story-thread
    links go with them) and searches last sent a month ago (their page buttons then say
    so)."""
    services = context.services
    now = services.clock()
    forgotten = await services.updates.prune(now)
    log.debug("forgot %d handled update ids", forgotten)
    sends = await services.follow_alerts.forget_old(now)
    log.debug("forgot %d old follow sends", sends)
    alerts = await services.breaking_alerts.forget_old(now)
    log.debug("forgot %d old breaking alerts", alerts)
    if not await services.lease.hold(now):
        return
    retention = dt.timedelta(days=services.settings.retention_days)
    pruned = await services.items.prune(now - retention)
    queries = await services.search.forget_queries(now - SAVED_QUERY_AGE)
    if pruned or queries:
        log.info("pruned %d items older than %s and %d saved searches", pruned, retention, queries)


def count_breaking(metrics: Metrics, outcomes: dict[str, int]) -> None:
    for outcome, count in outcomes.items():
        metrics.breaking_alerts.labels(outcome).inc(count)


async def notify_admins(context: BotContext, message: Callable[[Language], str]) -> None:
    """Operator messages go to ADMIN_CHAT_IDS (never to subscribers), each in its chat's
    language (``/language ko`` there; English until then); failures only warn."""
    services = context.services
    for chat_id in services.settings.admin_chat_ids:
        language = await services.subscriptions.language_of(chat_id, DEFAULT_LANGUAGE)
        try:
            await context.bot.send_message(chat_id, message(language))
        except TelegramError as exc:
            log.warning("could not notify admin chat %s: %s", chat_id, exc)
