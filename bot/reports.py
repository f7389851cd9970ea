"""Operator-facing and on-demand status texts: feed health, feed failures, edition reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.briefing.render import state_media_label
from bot.formatting import MESSAGE_LIMIT, escape, fit_lines, truncate_text
from bot.i18n import Catalog, Markup
from bot.models import DEFAULT_LANGUAGE, FeedHealth, Language
from bot.news.feedlist import FeedSpec
from bot.news.ingest import FailureKind, FeedFailure, PollReport
from bot.store.deliveries import EditionOutcome


def ago(instant: dt.datetime, now: dt.datetime, language: str, catalog: Catalog) -> str:
    """``a moment ago`` / ``12 min ago`` / ``3 h ago`` / ``2 d ago`` (localized)."""
    minutes = max(0, int((now - instant).total_seconds() // 60))
    if minutes == 0:  # "0 min ago" / "0분 전" reads as a glitch
        return catalog.text(language, "ago_now")
    if minutes < 120:
        return catalog.text(language, "ago_minutes", n=minutes)
    if minutes < 48 * 60:
        return catalog.text(language, "ago_hours", n=minutes // 60)
    return catalog.text(language, "ago_days", n=minutes // (24 * 60))


def format_sources(
    feeds: Sequence[FeedSpec],
    health: Sequence[FeedHealth],
    catalog: Catalog,
    language: str,
    now: dt.datetime,
) -> str:
    """/sources: every configured feed with its last success, failure kind and item count."""
    by_url = {h.url: h for h in health}
    lines = []
    working = 0
    for feed in feeds:
        state = by_url.get(feed.url)
        if state is None or (state.last_success_at is None and not state.failing):
            line = catalog.text(language, "sources_never", name=feed.display_name(language))
        elif state.failing:
            since = state.last_attempt_at or now
            line = catalog.text(
                language,
                "sources_failing",
                name=feed.display_name(language),
                when=ago(since, now, language, catalog),
                reason=failure_reason(state.error_kind, catalog, language),
                items=state.items_total,
            )
        else:
            working += 1
            assert state.last_success_at is not None
            line = catalog.text(
                language,
                "sources_ok",
                name=feed.display_name(language),
                when=ago(state.last_success_at, now, language, catalog),
                items=state.items_total,
            )
        if feed.provenance.state_media_of is not None:
            label = Markup(state_media_label(feed.provenance, catalog, language))
            line += catalog.text(language, "sources_state_media", label=label)
        lines.append(line)
    title = catalog.text(language, "sources_title", ok=working, total=len(feeds))
    return fit_lines([title, ""], lines, [], MESSAGE_LIMIT)


def failure_reason(kind: str | None, catalog: Catalog, language: str) -> str:
    """A feed failure's kind (``http_5xx``) in the reader's words ("server error (HTTP 5xx)")."""
    known = kind in set(FailureKind)
    return catalog.text(language, f"feed_error_{kind if known else 'unknown'}")


def format_feed_failure(
    failure: FeedFailure,
    catalog: Catalog,
    language: Language = DEFAULT_LANGUAGE,
    feeds: Sequence[FeedSpec] = (),
) -> str:
    """One admin message about a feed that has just started failing; ``feeds`` give
    the feed's name in the admin's language."""
    names = {feed.name: feed.display_name(language) for feed in feeds}
    return catalog.text(
        language,
        "admin_feed_failed",
        name=names.get(failure.name, failure.name),
        reason=failure_reason(failure.kind, catalog, language),
        message=truncate_text(failure.message, 300),
        retry=failure.retry_at.strftime("%Y-%m-%d %H:%M UTC"),
    )


def format_feed_recovery(
    name: str,
    catalog: Catalog,
    language: Language = DEFAULT_LANGUAGE,
    feeds: Sequence[FeedSpec] = (),
) -> str:
    """One admin message about a feed that answers again after failing."""
    names = {feed.name: feed.display_name(language) for feed in feeds}
    return catalog.text(language, "admin_feed_recovered", name=names.get(name, name))


def format_edition_report(
    delivery: EditionOutcome,
    poll: PollReport | None,
    stories: int,
    catalog: Catalog,
    now: dt.datetime,
    language: Language = DEFAULT_LANGUAGE,
) -> str:
    """The one-message report the admin chat gets after each edition: every instance's
    sends (:mod:`bot.delivery.reporting`)."""
    return catalog.text(
        language,
        "admin_edition_report",
        when=Markup(escape(now.strftime("%Y-%m-%d %H:%M UTC"))),
        feeds_ok=len(poll.fetched) + len(poll.not_modified) if poll else 0,
        feeds_failed=len(poll.failed) if poll else 0,
        items_new=poll.new_items if poll else 0,
        items_relevant=poll.new_relevant if poll else 0,
        stories=stories,
        sent=delivery.sent,
        failed=delivery.failed,
        pending=delivery.pending,
        skipped=delivery.skipped,
        deactivated=delivery.deactivated,
    )
