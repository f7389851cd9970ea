"""Feed ingestion against a local server serving the briefing fixtures (tests/fixtures/briefing).

The fixture feeds link to the outlets' real hosts; ``FeedSite`` serves them with every
``https://host/…`` rewritten to ``http://127.0.0.1:port/host/…``, so articles are
fetched from the same local server. "Now" is 2026-11-27T21:00Z throughout.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ParamSpec, TypeVar, cast

import httpx
import pytest
from aiohttp import web

from bot.articles.cache import TTLCache
from bot.articles.fetch import Fetcher, FetchLimits, build_client
from bot.articles.service import ArticleSummarizer
from bot.articles.urls import canonical_url, find_links, validate_url
from bot.errors import (
    BlockedAddress,
    ConfigError,
    ConnectFailure,
    DNSFailure,
    FeedParseError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    TooLarge,
    UnsupportedContent,
    WorkerCrashed,
    WorkTimeout,
)
from bot.models import Language, Provenance, Summary, Topic
from bot.news.feedlist import FeedSpec, load_feed_list, local_feed_path, parse_feed_list
from bot.news.ingest import (
    TOPICAL_PRIOR,
    FailureKind,
    FeedPoller,
    PollReport,
    check_feeds,
    classify_failure,
    collect_items,
    retry_delay,
)
from bot.news.relevance import assess
from bot.store.database import Database
from bot.store.items import ItemStore
from bot.workers import WorkerPool
from tests.support import jobs
from tests.support.pageserver import PageServer
from tests.support.relevance import MARKETS, POLITICS, use_section_model

P = ParamSpec("P")
R = TypeVar("R")

BRIEFING = Path(__file__).parent / "fixtures" / "briefing"
FEEDS_TOML = BRIEFING / "feeds.toml"
NOW = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
DAY_BEFORE = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
# Generous: local fixtures load in milliseconds, unless the machine is busy.
LOCAL = FetchLimits(deadline=30, connect_timeout=10, read_timeout=30, allow_private=True)
GUARDED = FetchLimits(deadline=30, connect_timeout=10, read_timeout=30)
LAST_MODIFIED = "Fri, 27 Nov 2026 12:00:00 GMT"

MISSILE_EN = "https://en.yna.co.kr/view/AEN20261127000351315"
KIM_YO_JONG_KO = "https://www.yna.co.kr/view/AKR20261127152100504?input=rss"
ENVOYS_EN = "https://en.yna.co.kr/view/AEN20261127004100315"
NKNEWS_MISSILE = "https://www.nknews.org/2026/11/north-korea-launches-short-range-ballistic-missile-toward-east-sea/"
THIRTY_EIGHT_NORTH = (
    "https://www.38north.org/2026/11/north-koreas-november-missile-launch-a-first-look/"
)
MUNITIONS_EN = "https://en.yna.co.kr/view/AEN20261125000500315"
OFF_TOPIC = {
    "https://en.yna.co.kr/view/AEN20261127008500315": "K-pop (BTS)",
    "https://en.yna.co.kr/view/AEN20261127008100315": "sport (Son Heung-min)",
    "https://en.yna.co.kr/view/AEN20261127005300320": "product (Galaxy S27)",
    "https://en.yna.co.kr/view/AEN20261127000900315": "world news (Pakistan)",
    "https://www.koreaherald.com/article/10624410": "K-pop (aespa)",
    "https://www.koreaherald.com/article/10624301": "product (Galaxy S27)",
    "https://www.koreaherald.com/article/10624288": "food",
}
UNIQUE_ITEMS = 27
"""Items in the fixture feeds, the missile story shared by two Yonhap feeds counted once."""
RELEVANT_ITEMS = UNIQUE_ITEMS - len(OFF_TOPIC)
RELEVANT_IN_WINDOW = RELEVANT_ITEMS - 2
"""Two relevant items were published before 2026-11-26T20:00Z."""


class FeedSite:
    """The fixture feeds and articles on a ``PageServer``, links pointing back at it."""

    def __init__(self, server: PageServer) -> None:
        self.server = server

    def local(self, url: str) -> str:
        """Where a fixture link points once served: ``https://host/p`` → ``base/host/p``."""
        return canonical_url(url.replace("https://", f"{self.server.base_url}/", 1))

    def serve_feed(self, filename: str, *, conditional: bool = True) -> str:
        """Serve ``filename`` at ``/feeds/<filename>``, answering validators with 304."""
        body = (BRIEFING / filename).read_bytes()
        body = body.replace(b"https://", f"{self.server.base_url}/".encode())
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

        async def handler(request: web.Request) -> web.StreamResponse:
            if conditional and (
                request.headers.get("If-None-Match") == etag
                or request.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                return web.Response(status=304, headers={"ETag": etag})
            headers = {"Content-Type": "application/rss+xml; charset=utf-8"}
            if conditional:
                headers |= {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            return web.Response(body=body, headers=headers)

        path = f"/feeds/{filename}"
        self.server.add_route(path, handler)
        return self.server.url_for(path)

    def serve_article(self, url: str, filename: str) -> None:
        path = httpx.URL(self.local(url)).path
        self.server.add_page(path, (BRIEFING / "articles" / filename).read_bytes(), "text/html")

    def specs(self, *, conditional: bool = True) -> list[FeedSpec]:
        """The fixture feed list, each feed served over HTTP instead of read from disk."""
        specs = []
        for spec in load_feed_list(FEEDS_TOML):
            path = local_feed_path(spec.url)
            assert path is not None
            specs.append(replace(spec, url=self.serve_feed(path.name, conditional=conditional)))
        return specs

    def requests_for(self, url: str) -> list[dict[str, str]]:
        path = httpx.URL(url).path
        return [
            {name.lower(): value for name, value in request.headers.items()}
            for request in self.server.requests
            if request.path == path
        ]


@pytest.fixture(scope="module")
def workers() -> Iterator[WorkerPool]:
    pool = WorkerPool(2)
    yield pool
    pool.close()


@pytest.fixture
def site() -> Iterator[FeedSite]:
    with PageServer() as server:
        yield FeedSite(server)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with build_client(LOCAL) as http:
        yield http


@pytest.fixture
def fetcher(client: httpx.AsyncClient) -> Fetcher:
    return Fetcher(client, LOCAL)


@pytest.fixture
def store(database: Database) -> ItemStore:
    return ItemStore(database)


def summarizer_for(fetcher: Fetcher, workers: WorkerPool) -> ArticleSummarizer:
    cache: TTLCache[Summary] = TTLCache(100, 3600)
    return ArticleSummarizer(fetcher, workers, cache)


def poller(
    fetcher: Fetcher,
    workers: WorkerPool,
    store: ItemStore,
    feeds: list[FeedSpec],
    *,
    summarize_limit: int = 0,
) -> FeedPoller:
    summarizer = summarizer_for(fetcher, workers)
    return FeedPoller(fetcher, workers, store, summarizer, feeds, summarize_limit=summarize_limit)


def failure_kinds(report: PollReport) -> dict[str, FailureKind]:
    return {failure.name: failure.kind for failure in report.failed}


def bad_feed(name: str, url: str) -> FeedSpec:
    return FeedSpec(name=name, url=url, language=Language.EN, provenance=Provenance.NEWSPAPER)


# ── Storing each story once ───────────────────────────────────────────────────


async def test_first_poll_stores_every_story_once(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    feeds = site.specs()

    report = await poller(fetcher, workers, store, feeds).poll_all(NOW)

    assert (report.new_items, report.new_relevant) == (UNIQUE_ITEMS, RELEVANT_ITEMS)
    assert sorted(report.fetched) == sorted(spec.name for spec in feeds)
    assert report.failed == ()
    assert report.skipped == report.not_modified == ()
    assert len(await store.latest_relevant(100)) == RELEVANT_ITEMS


async def test_a_story_in_two_feeds_with_different_tracking_parameters_is_stored_once(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    # "Yonhap — All news" lists the missile story with ?utm_source=rss&utm_medium=feed.
    await poller(fetcher, workers, store, site.specs()).poll_all(NOW)

    items = await store.latest_relevant(100)
    urls = [news.url for news in items]
    assert urls.count(site.local(MISSILE_EN)) == 1
    [missile] = [news for news in items if news.url == site.local(MISSILE_EN)]
    assert missile.feed_name == "Yonhap — North Korea", "credited to the feed listed first"
    assert site.local(NKNEWS_MISSILE) in urls, "NK News' utm parameters are dropped too"
    assert not [url for url in urls if "utm_" in url]


async def test_a_second_poll_stores_nothing_again(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    # No validators: the feeds are downloaded and parsed again in full.
    ingest = poller(fetcher, workers, store, site.specs(conditional=False))
    await ingest.poll_all(NOW)

    again = await ingest.poll_all(NOW + timedelta(minutes=15))

    assert len(again.fetched) == 7
    assert (again.new_items, again.new_relevant) == (0, 0)
    assert len(await store.latest_relevant(100)) == RELEVANT_ITEMS


async def test_second_poll_is_conditional_and_304_stores_nothing(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    feeds = site.specs()
    ingest = poller(fetcher, workers, store, feeds)
    await ingest.poll_all(NOW)

    again = await ingest.poll_all(NOW + timedelta(minutes=15))

    assert sorted(again.not_modified) == sorted(spec.name for spec in feeds)
    assert (again.fetched, again.new_items) == ((), 0)
    first, second = site.requests_for(feeds[0].url)
    assert "if-none-match" not in first and "if-modified-since" not in first
    assert second["if-none-match"].startswith('"')
    assert second["if-modified-since"] == LAST_MODIFIED
    assert "application/rss+xml" in second["accept"]
    health = {h.name: h for h in await store.feed_health()}
    assert health[feeds[0].name].last_success_at == NOW + timedelta(minutes=15)
    state = (await store.feed_states())[feeds[0].url]
    assert state.etag == second["if-none-match"], "validators kept through a 304"


async def test_items_older_than_the_retention_are_ignored(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    # Two weeks on, the munitions factory story (25 Nov) is past the 14-day horizon.
    later = datetime(2026, 12, 9, 0, 0, tzinfo=UTC)

    await poller(fetcher, workers, store, site.specs()).poll_all(later)

    assert await store.known_urls([site.local(MUNITIONS_EN)]) == set()
    assert await store.known_urls([site.local(MISSILE_EN)]) == {site.local(MISSILE_EN)}


async def test_an_item_without_a_date_is_dated_at_the_poll(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    # A story no model could doubt: this test is about the date, not the relevance call.
    article = "https://www.rfa.example/korean/nk-missile.html"
    body = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>RFA</title>
        <link>https://www.rfa.example/</link><item><title>북한, 동해상으로 탄도미사일 발사</title>
        <link>{article}</link>
        <description>합참은 27일 북한이 동해상으로 탄도미사일을 발사했다고 밝혔다.</description>
        </item></channel></rss>""".encode()
    site.server.add_page("/dateless.xml", body, "application/rss+xml")
    url = site.server.url_for("/dateless.xml")
    feed = FeedSpec(name="RFA", url=url, language=Language.KO, provenance=Provenance.BROADCASTER)

    await poller(fetcher, workers, store, [feed]).poll_all(NOW)

    [news] = await store.latest_relevant(10)
    assert (news.url, news.published) == (article, NOW)


# ── Failing feeds ─────────────────────────────────────────────────────────────


async def test_a_500_feed_and_a_garbage_feed_fail_alone_with_their_kinds(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    site.server.add_page("/garbage", b"<html><body><h1>Welcome!</h1></body></html>", "text/html")
    site.server.add_page("/binary-feed", bytes(range(256)) * 8, "application/octet-stream")
    feeds = [
        *site.specs(),
        bad_feed("Broken server", site.server.url_for("/status/500")),
        bad_feed("Gone", site.server.url_for("/status/404")),
        bad_feed("Garbage", site.server.url_for("/garbage")),
        bad_feed("Binary", site.server.url_for("/binary-feed")),
    ]

    report = await poller(fetcher, workers, store, feeds).poll_all(NOW)

    assert failure_kinds(report) == {
        "Broken server": FailureKind.HTTP_5XX,
        "Gone": FailureKind.HTTP_4XX,
        "Garbage": FailureKind.NOT_A_FEED,
        "Binary": FailureKind.NOT_A_FEED,
    }
    assert len(report.fetched) == 7
    assert report.new_items == UNIQUE_ITEMS
    for failure in report.failed:
        assert failure.consecutive_failures == 1
        assert failure.retry_at == NOW + timedelta(minutes=15)
    health = {h.name: h for h in await store.feed_health()}
    assert health["Broken server"].error_kind == "http_5xx"
    assert health["Broken server"].last_error == "HTTP 500"
    assert health["Garbage"].last_error is not None
    assert "not an RSS or Atom feed" in health["Garbage"].last_error
    assert not health["Yonhap — North Korea"].failing


async def test_a_failing_feed_backs_off_exponentially_and_is_skipped_meanwhile(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    broken = bad_feed("Broken server", site.server.url_for("/status/503"))
    ingest = poller(fetcher, workers, store, [broken])

    def retry_at() -> datetime | None:
        return states[broken.url].next_attempt_at

    await ingest.poll_all(NOW)
    states = await store.feed_states()
    assert retry_at() == NOW + timedelta(minutes=15)

    early = await ingest.poll_all(NOW + timedelta(minutes=5))
    assert early.skipped == ("Broken server",)
    assert len(site.requests_for(broken.url)) == 1, "not fetched while backing off"

    # The tick that ends the back-off may run a few seconds early; it still retries.
    second = await ingest.poll_all(NOW + timedelta(minutes=15) - timedelta(seconds=3))
    assert second.failed[0].consecutive_failures == 2
    states = await store.feed_states()
    assert retry_at() == NOW + timedelta(minutes=15, seconds=-3) + timedelta(minutes=30)
    assert len(site.requests_for(broken.url)) == 2


async def test_a_recovered_feed_is_healthy_again(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    feed = bad_feed("Flaky", site.server.url_for("/flaky.xml"))
    site.server.add_page("/flaky.xml", b"", "text/html", status=502)
    ingest = poller(fetcher, workers, store, [feed])
    failed = await ingest.poll_all(NOW)

    site.server.add_page("/flaky.xml", (BRIEFING / "nknews_en.xml").read_bytes(), "text/xml")
    report = await ingest.poll_all(NOW + timedelta(minutes=15))

    assert failed.recovered == ()
    assert (report.fetched, report.new_items, report.recovered) == (("Flaky",), 2, ("Flaky",))
    [health] = await store.feed_health()
    assert (health.consecutive_failures, health.error_kind, health.last_error) == (0, None, None)
    assert health.items_total == 2


class CrashingWorkers(WorkerPool):
    """Runs jobs in this process; parsing the feed named ``victim`` raises a bug."""

    def __init__(self, victim: str) -> None:  # no process pool
        self._victim = victim

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        feed = getattr(fn, "keywords", {}).get("feed")
        if isinstance(feed, FeedSpec) and feed.name == self._victim:
            raise IndexError("list index out of range")
        return fn(*args, **kwargs)


async def test_a_parser_crash_fails_only_that_feed(
    site: FeedSite, fetcher: Fetcher, store: ItemStore
) -> None:
    feeds = site.specs()
    workers = CrashingWorkers(victim="NK News")

    report = await poller(fetcher, workers, store, feeds).poll_all(NOW)

    assert failure_kinds(report) == {"NK News": FailureKind.PARSER}
    assert report.failed[0].message == "IndexError: list index out of range"
    assert len(report.fetched) == 6


def generated_feed(items: int) -> bytes:
    """An RSS feed of ``items`` entries, about a kilobyte each."""
    text = "Seoul called the launch a grave provocation. " * 20
    entries = "".join(
        f"<item><title>Missile launch report {n}</title><link>https://news.example/{n}</link>"
        f"<description>{text}</description></item>"
        for n in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Generated'
        f"</title><link>https://news.example/</link>{entries}</channel></rss>"
    ).encode()


async def test_a_feed_above_the_feed_cap_fails_as_too_large_and_the_rest_goes_on(
    site: FeedSite, workers: WorkerPool, store: ItemStore
) -> None:
    # Feeds have a cap of their own: the medium feed is above the page cap but stays in.
    limits = replace(LOCAL, max_bytes=50_000, feed_max_bytes=200_000)
    site.server.add_page("/medium.xml", generated_feed(100), "application/rss+xml")
    site.server.add_page("/huge.xml", generated_feed(300), "application/rss+xml")
    feeds = [
        *site.specs(),
        bad_feed("Medium", site.server.url_for("/medium.xml")),
        bad_feed("Huge", site.server.url_for("/huge.xml")),
    ]

    async with build_client(limits) as client:
        report = await poller(Fetcher(client, limits), workers, store, feeds).poll_all(NOW)

    assert failure_kinds(report) == {"Huge": FailureKind.TOO_LARGE}
    assert len(report.fetched) == 8
    health = {h.name: h for h in await store.feed_health()}
    assert health["Huge"].error_kind == "too_large"
    assert "above 200000 bytes" in (health["Huge"].last_error or "")
    assert health["Medium"].items_total == 100


class StallingWorkers(WorkerPool):
    """Real worker processes; parsing the feed named ``victim`` never ends."""

    def __init__(self, victim: str, deadline: float) -> None:
        super().__init__(2, deadline=deadline)
        self._victim = victim

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        feed = getattr(fn, "keywords", {}).get("feed")
        if isinstance(feed, FeedSpec) and feed.name == self._victim:
            return await super().run(cast(Callable[[], R], jobs.spin_forever))
        return await super().run(fn, *args, **kwargs)


@pytest.fixture
async def stalling_workers() -> AsyncIterator[WorkerPool]:
    pool = StallingWorkers(victim="NK News", deadline=2.0)
    yield pool
    await asyncio.to_thread(pool.close)


async def test_a_feed_parsed_past_the_deadline_fails_as_timeout_and_the_rest_goes_on(
    site: FeedSite, fetcher: Fetcher, store: ItemStore, stalling_workers: WorkerPool
) -> None:
    async with asyncio.timeout(60):
        report = await poller(fetcher, stalling_workers, store, site.specs()).poll_all(NOW)

    assert failure_kinds(report) == {"NK News": FailureKind.TIMEOUT}
    assert "ran past 2 s" in report.failed[0].message
    assert len(report.fetched) == 6
    health = {h.name: h for h in await store.feed_health()}
    assert (health["NK News"].error_kind, health["NK News"].consecutive_failures) == ("timeout", 1)


async def test_a_big_feed_over_a_tiny_deadline_is_stopped(
    site: FeedSite, fetcher: Fetcher, store: ItemStore
) -> None:
    # Four megabytes take feedparser most of a second; the deadline is a hundredth of one.
    site.server.add_page("/big.xml", generated_feed(4_000), "application/rss+xml")
    feed = bad_feed("Big", site.server.url_for("/big.xml"))
    impatient = WorkerPool(1, deadline=0.01)
    try:
        report = await poller(fetcher, impatient, store, [feed]).poll_all(NOW)
    finally:
        await asyncio.to_thread(impatient.close)

    assert failure_kinds(report) == {"Big": FailureKind.TIMEOUT}
    [health] = await store.feed_health()
    assert health.error_kind == "timeout"


def test_back_off_doubles_from_15_minutes_up_to_6_hours() -> None:
    delays = [retry_delay(n) for n in range(1, 8)]

    assert delays == [timedelta(minutes=m) for m in (15, 30, 60, 120, 240, 360, 360)]
    assert retry_delay(10_000) == timedelta(hours=6)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (BlockedAddress("127.0.0.1"), FailureKind.BLOCKED),
        (DNSFailure("nx"), FailureKind.DNS),
        (ConnectFailure("refused"), FailureKind.NETWORK),
        (FetchTimeout("slow"), FailureKind.TIMEOUT),
        (HTTPStatusError(403), FailureKind.HTTP_4XX),
        (HTTPStatusError(429), FailureKind.HTTP_4XX),
        (HTTPStatusError(502), FailureKind.HTTP_5XX),
        (HTTPStatusError(304), FailureKind.HTTP_OTHER),
        (TooLarge("big"), FailureKind.TOO_LARGE),
        (UnsupportedContent("application/pdf"), FailureKind.NOT_A_FEED),
        (FeedParseError("html"), FailureKind.NOT_A_FEED),
        (InvalidURL("bad"), FailureKind.INVALID_URL),
        (FileNotFoundError("gone.xml"), FailureKind.FILE),
        (WorkTimeout("slow"), FailureKind.TIMEOUT),
        (WorkerCrashed("died"), FailureKind.PARSER),
    ],
)
def test_failures_are_sorted_into_kinds(error: Exception, kind: FailureKind) -> None:
    assert classify_failure(error) is kind


async def test_a_feed_on_a_private_address_is_refused(
    site: FeedSite, workers: WorkerPool, store: ItemStore
) -> None:
    [feed, *_] = site.specs()
    async with build_client(GUARDED) as guarded_client:
        guarded = Fetcher(guarded_client, GUARDED)
        report = await poller(guarded, workers, store, [feed]).poll_all(NOW)

    assert failure_kinds(report) == {feed.name: FailureKind.BLOCKED}
    assert site.requests_for(feed.url) == []


# ── Relevance ─────────────────────────────────────────────────────────────────


async def test_off_topic_items_are_stored_but_not_relevant(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    await poller(fetcher, workers, store, site.specs()).poll_all(NOW)

    off_topic = {site.local(url) for url in OFF_TOPIC}
    assert await store.known_urls(off_topic) == off_topic, "stored, so never scored again"
    relevant = {news.url for news in await store.latest_relevant(100)}
    assert not relevant & off_topic


async def test_the_topical_prior_does_not_admit_kpop_sport_or_products(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    # The packaged feed list marks Yonhap's all-news feed topical: the worst case.
    feeds = [replace(spec, topical=True) for spec in site.specs()]

    await poller(fetcher, workers, store, feeds).poll_all(NOW)

    relevant = {news.url for news in await store.latest_relevant(100)}
    admitted = [what for url, what in OFF_TOPIC.items() if site.local(url) in relevant]
    assert admitted == []


def test_topical_prior_is_measured_below_what_admits_world_news() -> None:
    title = "Pakistan test-fires nuclear-capable ballistic missile"
    assert not assess(title, "", "en", prior=TOPICAL_PRIOR).relevant
    assert assess(title, "", "en", prior=1.5).relevant, "why the prior is not higher"


async def test_items_carry_topics_source_and_weight(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    await poller(fetcher, workers, store, site.specs()).poll_all(NOW)

    items = {news.url: news for news in await store.latest_relevant(100)}
    envoys = items[site.local(ENVOYS_EN)]
    assert set(envoys.topics) == {Topic.DIPLOMACY, Topic.SECURITY}
    assert (envoys.source, envoys.feed_name, envoys.weight) == (
        "Yonhap",
        "Yonhap — North Korea",
        1.2,
    )
    assert envoys.published == datetime(2026, 11, 27, 2, 40, tzinfo=UTC)
    korean = items[site.local(KIM_YO_JONG_KO)]
    assert (korean.language, korean.source) == ("ko", "연합뉴스")


def chosun_feed(site: FeedSite) -> FeedSpec:
    """A Korean feed of one headline filed twice: under politics and under markets."""
    items = "".join(
        f"<item><title>여야, 예산안 처리 합의</title><link>{url}</link>"
        "<pubDate>Fri, 27 Nov 2026 16:40:00 +0900</pubDate></item>"
        for url in (POLITICS, MARKETS)
    )
    body = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
    body += f"<title>조선일보</title><link>https://www.chosun.com/</link>{items}</channel></rss>"
    site.server.add_page("/feeds/chosun.xml", body.encode(), "application/rss+xml")
    url = site.server.url_for("/feeds/chosun.xml")
    return FeedSpec(name="Chosun", url=url, language=Language.KO, source="chosun")


async def test_a_polled_items_address_reaches_the_relevance_model(
    site: FeedSite,
    fetcher: Fetcher,
    workers: WorkerPool,
    store: ItemStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_section_model(monkeypatch, "politics")

    await poller(fetcher, workers, store, [chosun_feed(site)]).poll_all(NOW)

    assert await store.known_urls([POLITICS, MARKETS]) == {POLITICS, MARKETS}
    assert [news.url for news in await store.latest_relevant(10)] == [POLITICS]


async def test_check_feeds_scores_items_with_their_address(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_section_model(monkeypatch, "politics")

    [check] = await check_feeds(fetcher, workers, [chosun_feed(site)], now=NOW)

    assert (check.items, check.relevant) == (2, 1)


# ── Summaries of excerpt items ────────────────────────────────────────────────


async def test_relevant_excerpt_items_get_their_article_summarized(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    site.serve_article(MISSILE_EN, "yonhap_missile_en.html")
    site.serve_article(KIM_YO_JONG_KO, "yna_kimyojong_ko.html")

    report = await poller(fetcher, workers, store, site.specs(), summarize_limit=30).poll_all(NOW)

    # 38 North is a full-text feed: its one relevant item needs no fetch.
    assert (report.summaries_done, report.summaries_failed) == (2, RELEVANT_ITEMS - 3)
    items = {news.url: news for news in await store.latest_relevant(100)}
    missile = items[site.local(MISSILE_EN)].summary
    assert missile.startswith("SEOUL, Nov. 27 (Yonhap) -- North Korea fired")
    assert missile.endswith("the JCS said in a text message sent to reporters.")
    assert items[site.local(KIM_YO_JONG_KO)].summary.startswith("북한 김정은 국무위원장의 여동생")
    assert "조선중앙통신을 통해" in items[site.local(KIM_YO_JONG_KO)].summary


async def test_an_article_that_cannot_be_fetched_keeps_its_excerpt(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    ingest = poller(fetcher, workers, store, site.specs(), summarize_limit=30)
    await ingest.poll_all(NOW)  # no article pages are served: every fetch is a 404

    items = {news.url: news for news in await store.latest_relevant(100)}
    assert items[site.local(ENVOYS_EN)].summary.startswith(
        "The top nuclear envoys of South Korea, the United States and Japan"
    )
    assert await store.pending_summaries(100) == []
    again = await ingest.poll_all(NOW + timedelta(minutes=15))
    assert (again.summaries_done, again.summaries_failed) == (0, 0), "a failure is not retried"


async def test_summaries_are_limited_per_poll_newest_first(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    report = await poller(fetcher, workers, store, site.specs(), summarize_limit=2).poll_all(NOW)

    assert report.summaries_done + report.summaries_failed == 2
    pending = await store.pending_summaries(100)
    assert len(pending) == RELEVANT_ITEMS - 3
    newest_left = max(item.published_at for item in pending)
    assert newest_left <= datetime(2026, 11, 27, 11, 47, tzinfo=UTC)


async def test_full_text_items_are_not_fetched(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    await poller(fetcher, workers, store, site.specs(), summarize_limit=30).poll_all(NOW)

    items = {news.url: news for news in await store.latest_relevant(100)}
    assert items[site.local(THIRTY_EIGHT_NORTH)].summary.startswith("Friday's short-range")
    assert site.requests_for(site.local(THIRTY_EIGHT_NORTH)) == []


# ── The briefing's window and the operator's view ─────────────────────────────


async def test_recent_relevant_is_the_last_day_of_relevant_items(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    await poller(fetcher, workers, store, site.specs()).poll_all(NOW)

    recent = await store.recent_relevant(DAY_BEFORE, NOW)

    assert len(recent) == RELEVANT_IN_WINDOW
    assert all(DAY_BEFORE < news.published <= NOW for news in recent)
    assert site.local(MUNITIONS_EN) not in {news.url for news in recent}
    sources = {news.source for news in recent}
    assert sources == {"Yonhap", "NK News", "Korea Herald", "38 North", "연합뉴스", "한겨레"}


async def test_feed_health_reports_every_feed(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool, store: ItemStore
) -> None:
    feeds = [*site.specs(), bad_feed("Broken server", site.server.url_for("/status/500"))]
    await poller(fetcher, workers, store, feeds).poll_all(NOW)

    health = {h.name: h for h in await store.feed_health()}

    assert set(health) == {spec.name for spec in feeds}
    assert health["Yonhap — North Korea"].items_total == 5
    assert health["Yonhap — All news"].items_total == 7, "the shared story counts once"
    assert health["연합뉴스 — 북한"].last_success_at == NOW
    broken = health["Broken server"]
    assert (broken.error_kind, broken.consecutive_failures, broken.last_success_at) == (
        "http_5xx",
        1,
        None,
    )
    assert broken.next_attempt_at == NOW + timedelta(minutes=15)
    assert sum(h.items_total for h in health.values()) == UNIQUE_ITEMS


async def test_check_feeds_counts_items_and_reports_failures(
    site: FeedSite, fetcher: Fetcher, workers: WorkerPool
) -> None:
    site.server.add_page("/garbage", b"<html><body>Moved</body></html>", "text/html")
    feeds = [
        *site.specs(),
        bad_feed("Broken server", site.server.url_for("/status/500")),
        bad_feed("Garbage", site.server.url_for("/garbage")),
    ]

    checks = await check_feeds(fetcher, workers, feeds, now=NOW)

    by_name = {check.name: check for check in checks}
    assert [check.name for check in checks] == [spec.name for spec in feeds]
    assert (by_name["Yonhap — All news"].items, by_name["Yonhap — All news"].relevant) == (8, 4)
    assert by_name["Korea Herald"].title == "The Korea Herald - All News"
    assert by_name["Broken server"].kind is FailureKind.HTTP_5XX
    assert by_name["Garbage"].kind is FailureKind.NOT_A_FEED
    assert [check.ok for check in checks].count(True) == 7


# ── The offline demo: file: feeds ─────────────────────────────────────────────


async def test_file_feeds_are_read_from_disk_for_the_offline_demo(
    fetcher: Fetcher, workers: WorkerPool
) -> None:
    feeds = load_feed_list(FEEDS_TOML)
    database = Database("sqlite+aiosqlite:///:memory:")
    await database.open()
    try:
        collected = await collect_items(
            fetcher,
            workers,
            summarizer_for(fetcher, workers),
            feeds,
            ItemStore(database),
            now=NOW,
            window=NOW - DAY_BEFORE,
            summarize_limit=0,
        )
    finally:
        await database.close()

    assert len(collected.report.fetched) == 7
    assert collected.report.failed == ()
    assert len(collected.items) == RELEVANT_IN_WINDOW
    assert MISSILE_EN in {news.url for news in collected.items}


def test_file_urls_in_the_feed_list_resolve_next_to_it(tmp_path: Path) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "demo.xml").write_text("<rss/>", encoding="utf-8")
    listing = tmp_path / "feeds.toml"
    listing.write_text(
        '[[feeds]]\nname = "Demo"\nurl = "file:feeds/demo.xml"\nlanguage = "en"\n'
        'provenance = "wire"\n',
        encoding="utf-8",
    )

    [spec] = load_feed_list(listing)

    assert spec.url == (tmp_path / "feeds" / "demo.xml").resolve().as_uri()
    assert local_feed_path(spec.url) == (tmp_path / "feeds" / "demo.xml").resolve()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("file:missing.xml", "not found"),
        ("file://fileserver/share/feed.xml", "expected file:path"),
    ],
)
def test_bad_file_urls_fail_at_start_up(tmp_path: Path, url: str, problem: str) -> None:
    listing = tmp_path / "feeds.toml"
    listing.write_text(
        f'[[feeds]]\nname = "Demo"\nurl = "{url}"\nlanguage = "en"\nprovenance = "wire"\n',
        encoding="utf-8",
    )

    with pytest.raises(ConfigError, match=problem):
        load_feed_list(listing)


def test_relative_file_url_needs_a_feed_list_file() -> None:
    text = '[[feeds]]\nname = "Demo"\nurl = "file:demo.xml"\nlanguage = "en"\nprovenance = "wire"\n'

    with pytest.raises(ConfigError, match="needs a feed list file"):
        parse_feed_list(text)


async def test_links_from_readers_can_never_be_file_urls(
    fetcher: Fetcher, workers: WorkerPool
) -> None:
    secret = (BRIEFING / "feeds.toml").resolve().as_uri()

    with pytest.raises(InvalidURL):
        validate_url(secret)
    assert find_links(f"look at {secret} and file:///etc/passwd") == []
    with pytest.raises(InvalidURL):
        await summarizer_for(fetcher, workers).summarize_url(secret)
    with pytest.raises(InvalidURL):
        await fetcher.fetch_conditional(secret, etag=None, last_modified=None)


# ── Conditional fetching (bot.articles.fetch) ──────────────────────────────────────────


async def test_fetch_conditional_accepts_feed_types_that_fetch_refuses(
    site: FeedSite, fetcher: Fetcher
) -> None:
    url = site.serve_feed("nknews_en.xml")

    result = await fetcher.fetch_conditional(url, etag=None, last_modified=None)

    assert result.page is not None and result.page.content_type == "application/rss+xml"
    assert result.last_modified == LAST_MODIFIED and result.etag
    with pytest.raises(UnsupportedContent):
        await fetcher.fetch(url)


async def test_fetch_conditional_reports_not_modified(site: FeedSite, fetcher: Fetcher) -> None:
    url = site.serve_feed("nknews_en.xml")
    first = await fetcher.fetch_conditional(url, etag=None, last_modified=None)

    second = await fetcher.fetch_conditional(url, etag=first.etag, last_modified=None)

    assert second.not_modified and second.etag == first.etag


async def test_an_unasked_304_is_an_error(site: FeedSite, fetcher: Fetcher) -> None:
    site.server.add_page("/stale", b"", "text/html", status=304)

    with pytest.raises(HTTPStatusError):
        await fetcher.fetch_conditional(
            site.server.url_for("/stale"), etag=None, last_modified=None
        )
