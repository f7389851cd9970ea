"""Long-lived clients of the running bot, opened at start-up and closed at shutdown."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import httpx
from sqlalchemy.exc import SQLAlchemyError

from bot.articles.cache import TTLCache
from bot.articles.fetch import Fetcher, FetchLimits, build_client
from bot.articles.quota import LinkQuota
from bot.articles.service import ArticleSummarizer
from bot.breaking.confirm import AlertRule
from bot.breaking.notifier import BreakingNotifier
from bot.breaking.operations import BreakingAlerts
from bot.briefing.editions import Editions
from bot.delivery.dispatcher import DeliveryPolicy, Dispatcher
from bot.delivery.reporting import EditionReports
from bot.delivery.sender import Sender
from bot.follows.aliases import other_names
from bot.follows.notifier import FollowNotifier
from bot.follows.operations import Follows
from bot.i18n import Catalog
from bot.metrics import Metrics
from bot.models import Summary
from bot.news.feedlist import FeedSpec, load_feed_list
from bot.news.ingest import FeedPoller, PollReport
from bot.settings import Settings
from bot.store.breaking import BreakingStore
from bot.store.database import Database
from bot.store.deliveries import DeliveryStore
from bot.store.follows import FollowStore
from bot.store.items import ItemStore
from bot.store.leases import JOBS, Lease, instance_id
from bot.store.pacing import SendSchedule
from bot.store.search import SearchIndex
from bot.store.subscribers import SubscriberStore
from bot.store.threads import ThreadStore
from bot.store.updates import UpdateLedger
from bot.subscriptions.operations import Subscriptions
from bot.workers import WorkerPool

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    catalog: Catalog
    http: httpx.AsyncClient
    workers: WorkerPool
    summarizer: ArticleSummarizer
    link_quota: LinkQuota
    database: Database
    subscriptions: Subscriptions
    feeds: list[FeedSpec]
    items: ItemStore
    poller: FeedPoller
    editions: Editions
    dispatcher: Dispatcher
    clock: Callable[[], dt.datetime]
    """What the scheduled jobs take as "now" (UTC); tests pass their own."""
    updates: UpdateLedger
    """Which updates are taken, so each is handled once across instances."""
    lease: Lease
    """Whether this instance runs feed polling, breaking alerts and the operators'
    reports (one at a time); every instance sends its share of the editions."""
    follows: Follows
    follow_alerts: FollowNotifier
    """Sends each chat the new stories it follows, after every poll (lease holder)."""
    search: SearchIndex
    threads: ThreadStore
    """Which story thread each item belongs to (/story)."""
    breaking: BreakingAlerts
    """A chat's /alerts settings."""
    breaking_alerts: BreakingNotifier
    """Sends confirmed breaking stories after every poll; releases held ones (lease holder)."""
    edition_reports: EditionReports
    """Which due chats' outcome the operators were told about (lease holder)."""
    send_schedule: SendSchedule | None = None
    """On PostgreSQL: the send slots every instance of this bot shares (None on SQLite)."""
    last_poll: PollReport | None = field(default=None)
    metrics: Metrics = field(default_factory=Metrics)
    """What the operator sees at /metrics; the jobs and handlers count into it."""

    @classmethod
    async def open(
        cls,
        settings: Settings,
        sender: Sender,
        *,
        clock: Callable[[], dt.datetime] | None = None,
        metrics: Metrics | None = None,
    ) -> Services:
        """Open the database (migrating it), the HTTP client and the worker pool (its
        workers started).

        The feed list is read first: a malformed file stops the start-up with a
        ConfigError naming the line, before anything is opened.
        """
        feeds = load_feed_list(settings.briefbot_feeds)
        catalog = Catalog.load()
        database = Database(settings.database_url)
        await database.open(exclusive=True)
        store = SubscriberStore(
            database,
            default_timezone=settings.default_timezone,
            default_time=settings.default_briefing_time,
        )
        subscriptions = Subscriptions(
            store,
            default_timezone=settings.default_timezone,
            default_time=settings.default_briefing_time,
        )
        limits = FetchLimits.from_settings(settings)
        http = build_client(limits)
        workers = WorkerPool.from_settings(settings)
        cache: TTLCache[Summary] = TTLCache(
            settings.summary_cache_size, settings.summary_cache_ttl_hours * 3600
        )
        fetcher = Fetcher(http, limits)
        summarizer = ArticleSummarizer(fetcher, workers, cache)
        clock = clock or _utcnow
        link_quota = LinkQuota(
            settings.links_per_chat_per_minute,
            settings.link_queue_max,
            # One chat's links use at most half the workers; other chats get the rest.
            lane_width=max(1, workers.workers // 2),
            clock=clock,
        )
        items = ItemStore(database)
        poller = FeedPoller(fetcher, workers, items, summarizer, feeds)
        threads = ThreadStore(database)
        editions = Editions(items, workers, catalog, feeds, threads=threads)
        lease_period = dt.timedelta(seconds=settings.lease_seconds)
        holder = instance_id()
        deliveries = DeliveryStore(database)
        policy = DeliveryPolicy.for_rate(settings.telegram_max_messages_per_second)
        dispatcher = Dispatcher(
            sender,
            store,
            deliveries,
            editions.delivery,
            replace(policy, reservation=lease_period),
            # Only PostgreSQL is shared by several instances; SQLite keeps to one.
            holder=holder if database.dialect == "postgresql" else None,
        )
        follow_store = FollowStore(database)
        follows = Follows(
            follow_store,
            subscriptions,
            editions.stories,
            per_chat=settings.follows_per_chat,
            max_stories_per_day=settings.follow_max_stories_per_day,
            clock=clock,
        )
        follow_alerts = FollowNotifier(
            follow_store, items, editions.stories, sender, subscriptions.deactivate, catalog
        )
        breaking_store = BreakingStore(database)
        rule = AlertRule(
            settings.alert_topics,
            settings.alert_min_outlets,
            dt.timedelta(minutes=settings.alert_window_minutes),
        )
        breaking = BreakingAlerts(breaking_store, subscriptions, rule, clock=clock)
        breaking_alerts = BreakingNotifier(
            breaking_store, editions.stories, sender, subscriptions.deactivate, catalog, rule
        )
        try:
            # Now, before the first update: started on first use, the workers' imports
            # would hold up the first reader's reply (measured: 5.5 s on a busy machine).
            await workers.start()
        except BaseException:
            await http.aclose()
            await database.close()
            await asyncio.to_thread(workers.close)
            raise
        return cls(
            settings,
            catalog,
            http,
            workers,
            summarizer,
            link_quota,
            database,
            subscriptions,
            feeds,
            items,
            poller,
            editions,
            dispatcher,
            clock,
            updates=UpdateLedger(database),
            lease=Lease(database, name=JOBS, holder=holder, period=lease_period),
            follows=follows,
            follow_alerts=follow_alerts,
            search=SearchIndex(database, expand=other_names),
            threads=threads,
            breaking=breaking,
            breaking_alerts=breaking_alerts,
            edition_reports=EditionReports(deliveries),
            send_schedule=(
                SendSchedule(database, f"bot:{settings.require_token().partition(':')[0]}")
                if database.dialect == "postgresql"
                else None
            ),
            metrics=metrics or Metrics(),
        )

    async def close(self) -> None:
        await self.dispatcher.stop()
        try:  # another instance takes over now instead of after the lease runs out
            await self.lease.release(self.clock())
        except (SQLAlchemyError, OSError) as exc:
            log.warning("could not release the jobs lease (it will expire): %s", exc)
        await self.http.aclose()
        if self.send_schedule is not None:
            await self.send_schedule.close()
        await self.database.close()
        # joining worker processes blocks; keep the loop free while they exit
        await asyncio.to_thread(self.workers.close)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
