"""What the running bot counts for its operator, in Prometheus' text format.

Every metric lives in one :class:`Metrics` with a registry of its own (not
prometheus-client's process-wide default), created once per bot and passed to whoever
counts: the core's jobs and the Telegram handlers alike. Names start with ``briefbot_``;
labels take few values (outcomes and error kinds, never chat ids or URLs), so the
series stay few however many readers there are.
"""

from __future__ import annotations

import re
from collections import Counter as Tally
from collections.abc import Iterable, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.errors import FetchError

CONTENT_TYPE = CONTENT_TYPE_LATEST
SUBSCRIBER_STATES = ("subscribed", "unsubscribed", "inactive")
# Seconds: a link's summary takes a fraction of a second to the fetch deadline (20 s).
_SUMMARY_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30)
# Seconds: an edition to a few chats takes a second, to 100,000 chats about an hour.
_EDITION_BUCKETS = (1, 5, 15, 60, 300, 900, 1800, 3600, 7200)
# Where a new word starts in a class name: "FetchTimeout", "HTTPStatus", "DNSFailure".
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_LAG_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)


class Metrics:
    """The bot's counters, gauges and histograms, on their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter(
            "briefbot_updates", "Updates received, by kind.", ["kind"], registry=r
        )
        self.link_summaries = Counter(
            "briefbot_link_summaries",
            "Links answered, by outcome (ok, or the error kind).",
            ["outcome"],
            registry=r,
        )
        self.summary_seconds = Histogram(
            "briefbot_summary_seconds",
            "Time to summarize a link, fetch included, whatever the outcome.",
            buckets=_SUMMARY_BUCKETS,
            registry=r,
        )
        self.fetch_failures = Counter(
            "briefbot_fetch_failures",
            "Pages and feeds that could not be fetched or read, by source and kind.",
            ["source", "kind"],
            registry=r,
        )
        self.feed_polls = Counter(
            "briefbot_feed_polls",
            "Feeds polled, by outcome (fetched, not_modified, failed, skipped).",
            ["outcome"],
            registry=r,
        )
        self.items_ingested = Counter(
            "briefbot_items_ingested", "New feed items stored.", registry=r
        )
        self.deliveries = Counter(
            "briefbot_deliveries",
            "Daily briefings by status (sent, failed, skipped_late, retried, unconfirmed, "
            "deactivated).",
            ["status"],
            registry=r,
        )
        self.follow_alerts = Counter(
            "briefbot_follow_alerts",
            "Stories sent for follows, by outcome (sent, already_sent, failed, deactivated).",
            ["outcome"],
            registry=r,
        )
        self.breaking_alerts = Counter(
            "briefbot_breaking_alerts",
            "Confirmed breaking alerts, by outcome (sent, held, dropped, already_sent, "
            "failed, deactivated).",
            ["outcome"],
            registry=r,
        )
        self.edition_seconds = Histogram(
            "briefbot_edition_seconds",
            "Time one delivery run took, from the first due chat to the last.",
            buckets=_EDITION_BUCKETS,
            registry=r,
        )
        self.rate_limited = Counter(
            "briefbot_telegram_429",
            "Requests Telegram answered with 429 Too Many Requests (flood control).",
            registry=r,
        )
        self.subscribers = Gauge(
            "briefbot_subscribers",
            "Chats by state, as of the last delivery tick.",
            ["state"],
            registry=r,
        )
        self.lease_holder = Gauge(
            "briefbot_lease_holder",
            "1 while this instance holds the jobs lease (polls feeds, reports editions), else 0.",
            registry=r,
        )
        self.loop_lag = Histogram(
            "briefbot_event_loop_lag_seconds",
            "How late the event loop ran a callback it was asked to run on time.",
            buckets=_LAG_BUCKETS,
            registry=r,
        )

    def link_summary(self, outcome: str, seconds: float) -> None:
        """A link answered: ``outcome`` is ``ok`` or an error's kind (see :func:`kind_of`)."""
        self.link_summaries.labels(outcome).inc()
        self.summary_seconds.observe(seconds)

    def link_failure(self, error: BaseException, seconds: float) -> None:
        """A link answered with an error: counted by kind, and as a fetch failure if it was
        the fetch that failed."""
        kind = kind_of(error)
        self.link_summary(kind, seconds)
        if isinstance(error, FetchError):
            self.fetch_failures.labels("link", kind).inc()

    def feed_poll(
        self,
        *,
        fetched: int,
        not_modified: int,
        skipped: int,
        failed_kinds: Iterable[str],
        new_items: int,
    ) -> None:
        """One poll of every feed: how each feed fared, and the items it brought."""
        failed = Tally(failed_kinds)
        for outcome, count in (
            ("fetched", fetched),
            ("not_modified", not_modified),
            ("skipped", skipped),
            ("failed", sum(failed.values())),
        ):
            self.feed_polls.labels(outcome).inc(count)
        for kind, count in failed.items():
            self.fetch_failures.labels("feed", kind).inc(count)
        self.items_ingested.inc(new_items)

    def edition(self, statuses: Mapping[str, int], seconds: float) -> None:
        """One delivery run: how many chats ended in each status, and how long it took."""
        for status, count in statuses.items():
            self.deliveries.labels(status).inc(count)
        self.edition_seconds.observe(seconds)

    def set_subscribers(self, counts: Mapping[str, int]) -> None:
        for state in SUBSCRIBER_STATES:
            self.subscribers.labels(state).set(counts.get(state, 0))

    def exposition(self) -> bytes:
        """Every metric in Prometheus' text format (served at ``/metrics``)."""
        return generate_latest(self.registry)


def kind_of(error: BaseException) -> str:
    """An error's kind as a label: ``FetchTimeout`` → ``fetch_timeout``, ``HTTPStatusError``
    → ``http_status_error``."""
    return _WORD_START.sub("_", type(error).__name__).lower()
