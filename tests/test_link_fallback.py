"""An address written without a scheme: https first, http only when https cannot connect.

The successful fallback runs end to end in tests/test_link_conversation.py; here, with an
``httpx.MockTransport``, the cases where http must not be tried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from bot.articles.cache import TTLCache
from bot.articles.fetch import Fetcher, FetchLimits
from bot.articles.service import ArticleSummarizer
from bot.articles.urls import Link
from bot.errors import BrokenLink, ConnectFailure, HTTPStatusError
from bot.models import Summary
from bot.workers import WorkerPool

SCHEMELESS = Link("example.com/a", 0, "https://example.com/a", "http://example.com/a")


@pytest.fixture
def workers() -> Iterator[WorkerPool]:
    pool = WorkerPool(1)  # never started: none of these links gets as far as a summary
    yield pool
    pool.close()


async def requested_by(
    workers: WorkerPool, link: Link, answer: Callable[[httpx.Request], httpx.Response]
) -> list[str]:
    """Summarize ``link`` against ``answer``; the URLs requested on the way."""
    requested: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return answer(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        cache: TTLCache[Summary] = TTLCache(10, 60)
        summarizer = ArticleSummarizer(Fetcher(client, FetchLimits()), workers, cache)
        with pytest.raises((HTTPStatusError, ConnectFailure, BrokenLink)) as raised:
            await summarizer.summarize_link(link)
    requested.append(type(raised.value).__name__)
    return requested


def refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def test_an_https_answer_with_an_error_status_is_not_retried_over_http(
    workers: WorkerPool,
) -> None:
    requested = await requested_by(workers, SCHEMELESS, lambda _r: httpx.Response(404))
    assert requested == ["https://example.com/a", "HTTPStatusError"]


async def test_https_that_cannot_connect_is_retried_over_http(workers: WorkerPool) -> None:
    requested = await requested_by(workers, SCHEMELESS, refuse)
    assert requested == ["https://example.com/a", "http://example.com/a", "ConnectFailure"]


async def test_a_link_written_with_https_is_never_downgraded(workers: WorkerPool) -> None:
    written = Link("https://example.com/a", 0, "https://example.com/a")
    requested = await requested_by(workers, written, refuse)
    assert requested == ["https://example.com/a", "ConnectFailure"]


async def test_a_broken_link_is_not_fetched(workers: WorkerPool) -> None:
    broken = Link("https://exa mple.com", 0, None)
    requested = await requested_by(workers, broken, lambda _r: httpx.Response(200))
    assert requested == ["BrokenLink"]
