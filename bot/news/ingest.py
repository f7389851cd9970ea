"""Feed ingestion: poll every feed, keep each new item once, score it, summarize excerpts.

The poll job calls :meth:`FeedPoller.poll_all` every ``FEED_POLL_MINUTES``:

1. every feed not in back-off is fetched concurrently (bounded per host and overall)
   with a conditional GET through the same guarded :class:`~bot.articles.fetch.Fetcher` as
   readers' links; ``file:`` feeds of the offline demo are read from disk instead;
2. the document (at most ``FEED_MAX_BYTES``) is parsed in a worker process
   (:func:`bot.news.feeds.parse_feed`), stopped at ``WORKER_JOB_DEADLINE_SECONDS``;
3. feed by feed, in the list's order: items already stored (by canonical URL), met
   in a feed listed earlier, or older than ``max_age`` are dropped; the new ones are
   scored with :func:`bot.news.relevance.assess` (a prior only for feeds marked
   ``topical``) and stored; the feed's success or failure (with back-off) is recorded;
4. relevant items that came with an excerpt only are summarized from their article
   (``summarize_limit`` per poll, newest first); a failure keeps the excerpt.

Feed problems are the operator's business, never the readers': each failing feed is
logged with a :class:`FailureKind`, retried after an exponential back-off, and listed
in the :class:`PollReport`. One bad feed or article never stops the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

import httpx

from bot.articles.fetch import ConditionalResult, Fetcher
from bot.articles.service import ArticleSummarizer
from bot.errors import (
    BlockedAddress,
    BriefbotError,
    DNSFailure,
    FeedParseError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    ParserCrash,
    TooLarge,
    TooManyRedirects,
    UnsupportedContent,
    WorkerCrashed,
    WorkTimeout,
)
from bot.models import FetchedPage, NewsItem
from bot.news.feedlist import FeedSpec, local_feed_path
from bot.news.feeds import ParsedFeed, parse_feed
from bot.news.outlets import outlet_kind
from bot.news.relevance import assess
from bot.store.items import FeedState, ItemRow, ItemStore, PendingSummary, SummaryStatus
from bot.workers import WorkerPool

log = logging.getLogger(__name__)

TOPICAL_PRIOR = 1.0
"""Added to the relevance score of items from feeds marked ``topical``.

Measured on tests/data/relevance.jsonl (360 labelled items): +1.0 gains one relevant
item and admits one more off-topic one (a film about a defector); +1.5 also admits
world news ("Pakistan test-fires ballistic missile", Japan's LDP leadership vote),
which a general feed wrongly marked topical would carry. K-pop, sport and product
items stay out at either value."""
RETRY_BASE = timedelta(minutes=15)
RETRY_CAP = timedelta(hours=6)
MAX_AGE = timedelta(days=14)
"""Items published earlier are not stored: too old to be news on arrival. Stored items
are kept for ``RETENTION_DAYS`` (pruned hourly by ``handlers.jobs``), for search."""
SUMMARY_SENTENCES = 2
DUE_SLACK = timedelta(minutes=1)
"""A feed whose back-off ends this close after a poll starts is tried in that poll:
job ticks drift by a few seconds, and a retry should not wait a whole extra interval."""


class FailureKind(StrEnum):
    """Why a feed failed, for the operator (stored in ``feeds.error_kind``)."""

    NETWORK = "network"
    """Connection refused, reset or unreachable; a corrupt response body."""
    DNS = "dns"
    TIMEOUT = "timeout"
    """No complete answer within the fetch deadline, or parsing ran past the worker's."""
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    HTTP_OTHER = "http_other"
    """Another status that is not a document, e.g. a redirect without a Location."""
    REDIRECTS = "redirects"
    BLOCKED = "blocked"
    """The host resolves to a private or otherwise non-public address."""
    TOO_LARGE = "too_large"
    """The document is above ``FEED_MAX_BYTES`` (as received or decompressed)."""
    NOT_A_FEED = "not_a_feed"
    """An HTML page, an error page, garbage, or a PDF or image instead of a feed."""
    INVALID_URL = "invalid_url"
    FILE = "file"
    """A ``file:`` feed could not be read."""
    PARSER = "parser"
    """The parser crashed (a bug or a worker that died), not the feed's fault alone."""


_FEED_ERRORS = (FetchError, FeedParseError, WorkTimeout, ParserCrash, OSError)
"""What one feed can fail with; anything else is a bug and propagates."""


def classify_failure(error: BaseException) -> FailureKind:
    """The operator-facing kind of a feed failure."""
    match error:
        case BlockedAddress():
            return FailureKind.BLOCKED
        case DNSFailure():
            return FailureKind.DNS
        case FetchTimeout() | WorkTimeout():
            return FailureKind.TIMEOUT
        case HTTPStatusError(status=status) if 400 <= status < 500:
            return FailureKind.HTTP_4XX
        case HTTPStatusError(status=status) if status >= 500:
            return FailureKind.HTTP_5XX
        case HTTPStatusError():
            return FailureKind.HTTP_OTHER
        case TooManyRedirects():
            return FailureKind.REDIRECTS
        case TooLarge():
            return FailureKind.TOO_LARGE
        case UnsupportedContent() | FeedParseError():
            return FailureKind.NOT_A_FEED
        case InvalidURL():
            return FailureKind.INVALID_URL
        case FetchError():
            return FailureKind.NETWORK
        case OSError():
            return FailureKind.FILE
        case _:
            return FailureKind.PARSER


def retry_delay(
    failures: int, base: timedelta = RETRY_BASE, cap: timedelta = RETRY_CAP
) -> timedelta:
    """Back-off after ``failures`` consecutive failures: base × 2^(failures-1), at most cap."""
    if failures < 1:
        return timedelta(0)
    return min(cap, base * (1 << min(failures - 1, 30)))


@dataclass(frozen=True, slots=True)
class FeedFailure:
    """One feed that failed in a poll, for the operator."""

    name: str
    url: str
    kind: FailureKind
    message: str
    consecutive_failures: int
    """1 when the feed has just started failing: worth telling the admin chat about."""
    retry_at: datetime


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll did."""

    fetched: tuple[str, ...] = ()
    """Feeds that sent a document (names)."""
    not_modified: tuple[str, ...] = ()
    failed: tuple[FeedFailure, ...] = ()
    skipped: tuple[str, ...] = ()
    """Feeds still in back-off, not tried."""
    recovered: tuple[str, ...] = ()
    """Feeds that answered again after failing (names): the operator heard of the failure."""
    new_items: int = 0
    new_relevant: int = 0
    summaries_done: int = 0
    summaries_failed: int = 0
    duration: float = 0.0
    """Seconds."""

    def describe(self) -> str:
        """One line for the log."""
        failed = ", ".join(f"{f.name} ({f.kind})" for f in self.failed) or "none"
        return (
            f"{len(self.fetched)} feeds fetched, {len(self.not_modified)} not modified, "
            f"{len(self.skipped)} in back-off, failed: {failed}; "
            f"{self.new_items} new items ({self.new_relevant} relevant); "
            f"summaries {self.summaries_done} done, {self.summaries_failed} failed; "
            f"{self.duration:.1f} s"
        )


@dataclass(frozen=True, slots=True)
class FeedCheck:
    """One feed fetched and parsed once, for ``briefbot feeds check``."""

    name: str
    url: str
    kind: FailureKind | None
    """None when the feed is fine."""
    message: str = ""
    title: str | None = None
    items: int = 0
    relevant: int = 0
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.kind is None


@dataclass(frozen=True, slots=True)
class Collected:
    """The briefing's input from a one-off poll, and how the poll went."""

    items: list[NewsItem]
    report: PollReport


@dataclass(frozen=True, slots=True)
class _Download:
    """One feed's download: a document or not-modified (``result``), or an ``error``."""

    spec: FeedSpec
    state: FeedState | None
    result: ConditionalResult | None = None
    parsed: ParsedFeed | None = None
    """None when not modified (or failed)."""
    error: Exception | None = None


@dataclass(slots=True)
class _Outcome:
    name: str
    fetched: bool = False
    not_modified: bool = False
    failure: FeedFailure | None = None
    recovered: bool = False
    new_items: int = 0
    new_relevant: int = 0


class _FeedReader:
    """Fetches (or reads) and parses feeds, within the per-host and overall bounds."""

    def __init__(
        self, fetcher: Fetcher, workers: WorkerPool, *, per_host: int, max_concurrency: int
    ) -> None:
        self.fetcher = fetcher
        self._workers = workers
        self._per_host = per_host
        self._overall = asyncio.Semaphore(max_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @contextlib.asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """A turn to talk to ``url``'s host: at most ``per_host`` at once, and the overall cap.

        The host's slot is taken first, so a task waiting for a busy host holds no
        overall slot that a task for another host could use.
        """
        host = httpx.URL(url).host
        semaphore = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        async with semaphore, self._overall:
            yield

    async def download(self, spec: FeedSpec, state: FeedState | None) -> ConditionalResult:
        """The feed's document, or not-modified; raises one of ``_FEED_ERRORS``."""
        path = local_feed_path(spec.url)
        if path is not None:
            body = await asyncio.to_thread(_read_file, path, self.fetcher.limits.feed_max_bytes)
            return ConditionalResult(FetchedPage(spec.url, "application/xml", body), None, None)
        async with self.slot(spec.url):
            return await self.fetcher.fetch_conditional(
                spec.url,
                etag=state.etag if state else None,
                last_modified=state.last_modified if state else None,
            )

    async def parse(self, spec: FeedSpec, page: FetchedPage, now: datetime) -> ParsedFeed:
        """``page`` parsed in a worker process; raises ``FeedParseError``, ``WorkTimeout``
        (past the worker's deadline) or ``ParserCrash``."""
        parse = functools.partial(
            parse_feed, feed=spec, content_type_charset=page.charset, fetched_at=now
        )
        try:
            return await self._workers.run(parse, page.body)
        except (FeedParseError, WorkTimeout):
            raise
        except WorkerCrashed as exc:
            raise ParserCrash("a worker process died while parsing") from exc
        except Exception as exc:
            # feedparser on a hostile document: a bug to fix, but only this feed fails.
            log.exception("parsing feed %s crashed", spec.name)
            raise ParserCrash(f"{type(exc).__name__}: {exc}") from exc


def _read_file(path: Path, cap: int) -> bytes:
    with path.open("rb") as file:
        body = file.read(cap + 1)
    if len(body) > cap:
        raise TooLarge(f"{path} is above {cap} bytes")
    return body


class FeedPoller:
    """Polls the feed list into an :class:`ItemStore`; see the module docstring."""

    def __init__(
        self,
        fetcher: Fetcher,
        workers: WorkerPool,
        items: ItemStore,
        summarizer: ArticleSummarizer,
        feeds: Sequence[FeedSpec],
        *,
        per_host: int = 2,
        max_concurrency: int = 8,
        summarize_limit: int = 30,
        topical_prior: float = TOPICAL_PRIOR,
        retry_base: timedelta = RETRY_BASE,
        retry_cap: timedelta = RETRY_CAP,
        max_age: timedelta = MAX_AGE,
    ) -> None:
        self._reader = _FeedReader(
            fetcher, workers, per_host=per_host, max_concurrency=max_concurrency
        )
        self._items = items
        self._summarizer = summarizer
        self._feeds = tuple(feeds)
        self._summarize_limit = summarize_limit
        self._topical_prior = topical_prior
        self._retry_base = retry_base
        self._retry_cap = retry_cap
        self._max_age = max_age

    @property
    def feeds(self) -> tuple[FeedSpec, ...]:
        return self._feeds

    async def poll_all(self, now: datetime) -> PollReport:
        """Poll every feed that is due, store new items, summarize pending ones.

        ``now`` (aware) is the poll's time: fetch time of items without a date, and
        the reference for back-off and ``max_age``. Feed and article failures are
        reported, not raised; only bugs and a failing database propagate.
        """
        started = time.monotonic()
        states = await self._items.feed_states()
        due: list[FeedSpec] = []
        skipped: list[str] = []
        for spec in self._feeds:
            state = states.get(spec.url)
            retry_at = state.next_attempt_at if state else None
            if retry_at is not None and retry_at > now + DUE_SLACK:
                skipped.append(spec.name)
            else:
                due.append(spec)

        # Downloads run concurrently; storing follows the feed list's order, so a story
        # in two feeds is always credited to the one listed first.
        async with asyncio.TaskGroup() as group:
            tasks = [
                group.create_task(self._download(spec, states.get(spec.url), now)) for spec in due
            ]
        claimed: set[str] = set()
        outcomes = [await self._store(task.result(), now, claimed) for task in tasks]
        done, failed = await self.summarize_pending()

        report = PollReport(
            fetched=tuple(o.name for o in outcomes if o.fetched),
            not_modified=tuple(o.name for o in outcomes if o.not_modified),
            failed=tuple(o.failure for o in outcomes if o.failure),
            recovered=tuple(o.name for o in outcomes if o.recovered),
            skipped=tuple(skipped),
            new_items=sum(o.new_items for o in outcomes),
            new_relevant=sum(o.new_relevant for o in outcomes),
            summaries_done=done,
            summaries_failed=failed,
            duration=time.monotonic() - started,
        )
        log.info("feed poll: %s", report.describe())
        return report

    async def _download(self, spec: FeedSpec, state: FeedState | None, now: datetime) -> _Download:
        try:
            result = await self._reader.download(spec, state)
            parsed = None
            if result.page is not None:
                parsed = await self._reader.parse(spec, result.page, now)
        except _FEED_ERRORS as exc:
            return _Download(spec, state, error=exc)
        return _Download(spec, state, result, parsed)

    async def _store(self, download: _Download, now: datetime, claimed: set[str]) -> _Outcome:
        spec, state, result = download.spec, download.state, download.result
        outcome = _Outcome(spec.name)
        if result is None:
            assert download.error is not None
            outcome.failure = await self._record_failure(spec, state, download.error, now)
            return outcome

        outcome.recovered = state is not None and state.consecutive_failures > 0
        etag, last_modified = result.etag, result.last_modified
        if download.parsed is None:
            outcome.not_modified = True
            # A 304 need not repeat the validators; keep the ones that got it.
            etag = etag or (state.etag if state else None)
            last_modified = last_modified or (state.last_modified if state else None)
        else:
            outcome.fetched = True
            for warning in download.parsed.warnings:
                log.info("feed %s: %s", spec.name, warning)
            rows = await self._new_rows(spec, download.parsed, now, claimed)
            outcome.new_items = await self._items.add_items(rows)
            outcome.new_relevant = sum(row.relevant for row in rows)
        await self._items.record_success(
            spec.url,
            spec.name,
            etag=etag,
            last_modified=last_modified,
            new_items=outcome.new_items,
            now=now,
        )
        return outcome

    async def _new_rows(
        self, spec: FeedSpec, parsed: ParsedFeed, now: datetime, claimed: set[str]
    ) -> list[ItemRow]:
        """Scored rows for the items no other feed or poll has brought in."""
        horizon = now - self._max_age
        fresh = [
            item
            for item in parsed.items
            if item.url not in claimed and (item.published or now) >= horizon
        ]
        claimed.update(item.url for item in fresh)
        known = await self._items.known_urls(item.url for item in fresh)
        prior = self._topical_prior if spec.topical else 0.0
        rows: list[ItemRow] = []
        outlet = _outlet(spec)
        for item in fresh:
            if item.url in known:
                continue
            relevance = assess(
                item.title, item.summary, item.language, prior, outlet=outlet, url=item.url
            )
            pending = relevance.relevant and not item.full_text
            rows.append(
                ItemRow(
                    url=item.url,
                    feed_url=spec.url,
                    feed_name=spec.name,
                    source=item.source,
                    language=item.language,
                    provenance=item.provenance,
                    weight=spec.weight,
                    title=item.title,
                    excerpt=item.summary,
                    published_at=item.published or now,
                    fetched_at=now,
                    relevance=relevance.score,
                    relevant=relevance.relevant,
                    topics=relevance.topics,
                    summary_status=SummaryStatus.PENDING if pending else SummaryStatus.SKIPPED,
                )
            )
        return rows

    async def _record_failure(
        self, spec: FeedSpec, state: FeedState | None, error: BaseException, now: datetime
    ) -> FeedFailure:
        kind = classify_failure(error)
        failures = (state.consecutive_failures if state else 0) + 1
        retry_at = now + retry_delay(failures, self._retry_base, self._retry_cap)
        message = str(error) or type(error).__name__
        await self._items.record_failure(
            spec.url, spec.name, kind=kind, message=message, now=now, retry_at=retry_at
        )
        log.warning(
            "feed %s failed (%s, %d in a row): %s; next attempt after %s",
            spec.name,
            kind,
            failures,
            message,
            retry_at.isoformat(timespec="minutes"),
        )
        return FeedFailure(spec.name, spec.url, kind, message, failures, retry_at)

    async def summarize_pending(self) -> tuple[int, int]:
        """Summarize up to ``summarize_limit`` pending articles; returns (done, failed)."""
        if self._summarize_limit <= 0:
            return 0, 0
        pending = await self._items.pending_summaries(self._summarize_limit)
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(self._summarize(item)) for item in pending]
        done = sum(task.result() for task in tasks)
        return done, len(tasks) - done

    async def _summarize(self, item: PendingSummary) -> bool:
        try:
            async with self._reader.slot(item.url):
                summary = await self._summarizer.summarize_url(
                    item.url, max_sentences=SUMMARY_SENTENCES
                )
        except BriefbotError as exc:
            log.info("article %s not summarized: %s", item.url, exc)
            await self._items.set_summary(item.url, None, SummaryStatus.FAILED)
            return False
        except Exception:
            # Extraction of a hostile page: a bug to fix, but only this article fails.
            log.exception("summarizing article %s crashed", item.url)
            await self._items.set_summary(item.url, None, SummaryStatus.FAILED)
            return False
        await self._items.set_summary(item.url, " ".join(summary.sentences), SummaryStatus.DONE)
        return True


async def check_feeds(
    fetcher: Fetcher,
    workers: WorkerPool,
    feeds: Sequence[FeedSpec],
    *,
    now: datetime,
    per_host: int = 2,
    max_concurrency: int = 8,
    topical_prior: float = TOPICAL_PRIOR,
) -> list[FeedCheck]:
    """Fetch and parse every feed once (no back-off, no conditional GET, nothing stored).

    Returns one :class:`FeedCheck` per feed, in the order given: its item count, how
    many items would be relevant, and the failure kind if it failed.
    """
    reader = _FeedReader(fetcher, workers, per_host=per_host, max_concurrency=max_concurrency)

    async def check(spec: FeedSpec) -> FeedCheck:
        started = time.monotonic()
        try:
            result = await reader.download(spec, None)
            assert result.page is not None  # unconditional, so never "not modified"
            parsed = await reader.parse(spec, result.page, now)
        except _FEED_ERRORS as exc:
            kind = classify_failure(exc)
            message = str(exc) or type(exc).__name__
            return FeedCheck(spec.name, spec.url, kind, message, seconds=time.monotonic() - started)
        prior = topical_prior if spec.topical else 0.0
        outlet = _outlet(spec)
        relevant = sum(
            assess(
                item.title, item.summary, item.language, prior, outlet=outlet, url=item.url
            ).relevant
            for item in parsed.items
        )
        return FeedCheck(
            spec.name,
            spec.url,
            None,
            title=parsed.title,
            items=len(parsed.items),
            relevant=relevant,
            warnings=parsed.warnings,
            seconds=time.monotonic() - started,
        )

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(check(spec)) for spec in feeds]
    return [task.result() for task in tasks]


async def collect_items(
    fetcher: Fetcher,
    workers: WorkerPool,
    summarizer: ArticleSummarizer,
    feeds: Sequence[FeedSpec],
    items: ItemStore,
    *,
    now: datetime,
    window: timedelta = timedelta(hours=24),
    summarize_limit: int = 30,
) -> Collected:
    """Poll every feed once into ``items`` and return the relevant items of the last
    ``window`` before ``now``, for ``briefbot briefing``.

    Give it a throw-away store (e.g. on ``Database("sqlite+aiosqlite:///:memory:")``),
    not the bot's: the poll records feed state and items as the bot's job would.
    """
    poller = FeedPoller(fetcher, workers, items, summarizer, feeds, summarize_limit=summarize_limit)
    report = await poller.poll_all(now)
    return Collected(await items.recent_relevant(now - window, now), report)


def _outlet(spec: FeedSpec) -> str:
    """The kind of outlet an item of ``spec`` comes from, for the relevance model."""
    return outlet_kind(
        url=spec.url,
        source=spec.source,
        language=spec.language,
        provenance=spec.provenance,
        topical=spec.topical,
    )
