"""Summaries of article links: fetch safely, summarize off the event loop, cache.

The same article is often sent by many readers at once (a breaking story);
it is fetched and summarized once, keyed by its canonical URL, and callers
waiting on the same URL share the result.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from bot.articles.cache import TTLCache
from bot.articles.fetch import Fetcher
from bot.articles.pipeline import summarize_page
from bot.articles.urls import Link, canonical_url, validate_url
from bot.errors import BrokenLink, ConnectFailure
from bot.models import Summary, SummaryLength
from bot.workers import WorkerPool

log = logging.getLogger(__name__)
QUEUE_SECONDS = 5.0
"""Allowed for waiting for a free worker, on top of the fetch's and the job's deadlines."""


class ArticleSummarizer:
    """Summarizes URLs; one fetch and one summary per canonical URL and length."""

    def __init__(self, fetcher: Fetcher, workers: WorkerPool, cache: TTLCache[Summary]) -> None:
        self._fetcher = fetcher
        self._workers = workers
        self._cache = cache
        self._inflight: dict[str, asyncio.Task[Summary]] = {}

    @property
    def deadline(self) -> float:
        """How long to wait for ``summarize_url`` at most: the fetch's deadline, the
        worker's, and ``QUEUE_SECONDS`` (20 + 30 + 5 s with the default settings)."""
        return self._fetcher.limits.deadline + self._workers.deadline + QUEUE_SECONDS

    async def summarize_url(
        self,
        url: str,
        max_sentences: int | None = None,
        length: SummaryLength = SummaryLength.STANDARD,
    ) -> Summary:
        """Summary of the article at ``url`` (``length``: the reader's preference, which
        sets the count unless ``max_sentences`` does); raises a ``BriefbotError`` subclass
        on failure."""
        url = validate_url(url)
        key = _cache_key(url, max_sentences, length)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.create_task(self._produce(url, key, max_sentences, length))
            self._inflight[key] = task
            task.add_done_callback(lambda _t: self._inflight.pop(key, None))
        # shield: one impatient reader must not cancel the work others wait for
        return await asyncio.shield(task)

    async def summarize_link(
        self,
        link: Link,
        max_sentences: int | None = None,
        length: SummaryLength = SummaryLength.STANDARD,
    ) -> Summary:
        """Summary of a link as a person sent it: ``BrokenLink`` if it is broken, and for an
        address written without a scheme, ``http://`` when ``https://`` cannot connect (a
        site without TLS). A site that answers over https, even with 4xx, is not retried."""
        if link.url is None:
            raise BrokenLink(f"broken link: {link.written[:100]!r}")
        try:
            return await self.summarize_url(link.url, max_sentences, length)
        except ConnectFailure as exc:
            if link.fallback is None:
                raise
            log.info("https failed to connect, trying http: %s", exc)
            return await self.summarize_url(link.fallback, max_sentences, length)

    async def _produce(
        self, url: str, key: str, max_sentences: int | None, length: SummaryLength
    ) -> Summary:
        page = await self._fetcher.fetch(url)
        summary = await self._workers.run(summarize_page, page, max_sentences, length)
        self._cache.put(key, summary)
        final_key = _cache_key(page.url, max_sentences, length)
        if final_key != key:  # a redirect: the target's own URL finds it too
            self._cache.put(final_key, summary)
        log.info(
            "summarized a page on %s with %s (%d sentences)",
            urlsplit(page.url).hostname,
            summary.article.extractor,
            len(summary.sentences),
        )
        return summary


def _cache_key(url: str, max_sentences: int | None, length: SummaryLength) -> str:
    """One cached summary per canonical URL and count: a fixed count, or a preference."""
    return f"{canonical_url(url)}#{max_sentences or length}"
