"""Long-lived clients of the running bot, opened at start-up and closed at shutdown."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from bot.articles import ArticleSummarizer
from bot.cache import TTLCache
from bot.fetch import Fetcher, FetchLimits, build_client
from bot.i18n import Catalog
from bot.models import Summary
from bot.settings import Settings
from bot.store.database import Database
from bot.store.subscribers import SubscriberStore
from bot.subscriptions import Subscriptions
from bot.workers import WorkerPool


@dataclass
class Services:
    settings: Settings
    catalog: Catalog
    http: httpx.AsyncClient
    workers: WorkerPool
    summarizer: ArticleSummarizer
    database: Database
    subscriptions: Subscriptions

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        """Open the database (migrating it), the HTTP client and the worker pool."""
        database = Database(settings.database_url)
        await database.open()
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
        workers = WorkerPool(settings.worker_processes)
        cache: TTLCache[Summary] = TTLCache(
            settings.summary_cache_size, settings.summary_cache_ttl_hours * 3600
        )
        summarizer = ArticleSummarizer(Fetcher(http, limits), workers, cache)
        return cls(settings, Catalog.load(), http, workers, summarizer, database, subscriptions)

    async def close(self) -> None:
        await self.http.aclose()
        await self.database.close()
        # joining worker processes blocks; keep the loop free while they exit
        await asyncio.to_thread(self.workers.close)
