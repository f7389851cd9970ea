"""``briefbot briefing`` and ``briefbot feeds check``: the briefing without Telegram.

Both read the configured feed list (``BRIEFBOT_FEEDS`` or the packaged default) and
never touch the bot's database: items go into an in-memory SQLite database.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.articles.cache import TTLCache
from bot.articles.fetch import Fetcher, FetchLimits, build_client
from bot.articles.service import ArticleSummarizer
from bot.briefing.compose import Briefing, Story, build_stories, compose
from bot.briefing.render import render_briefing
from bot.formatting import plain_text
from bot.i18n import Catalog
from bot.models import Language, ReaderPrefs, Summary, SummaryLength, Topic
from bot.news.feedlist import identify, load_feed_list
from bot.news.ingest import FeedCheck, PollReport, check_feeds, collect_items
from bot.settings import Settings
from bot.store.database import Database
from bot.store.items import ItemStore
from bot.workers import WorkerPool

IN_MEMORY = "sqlite+aiosqlite:///:memory:"


async def build_briefing(
    settings: Settings,
    prefs: ReaderPrefs,
    *,
    now: dt.datetime,
    fetch_articles: bool = True,
) -> tuple[Briefing, PollReport]:
    """Poll every configured feed once and compose the reader's briefing for ``now``."""
    feeds = load_feed_list(settings.briefbot_feeds)
    limits = FetchLimits.from_settings(settings)
    workers = WorkerPool.from_settings(settings)
    database = Database(IN_MEMORY)
    try:
        await database.open()
        async with build_client(limits) as client:
            fetcher = Fetcher(client, limits)
            summarizer = ArticleSummarizer(fetcher, workers, TTLCache[Summary](100, 3600))
            collected = await collect_items(
                fetcher,
                workers,
                summarizer,
                feeds,
                ItemStore(database),
                now=now,
                summarize_limit=30 if fetch_articles else 0,
            )
    finally:
        await database.close()
        workers.close()
    items = identify(collected.items, feeds)
    return compose(build_stories(items, now=now), prefs, now=now), collected.report


async def feed_checks(settings: Settings, now: dt.datetime) -> list[FeedCheck]:
    feeds = load_feed_list(settings.briefbot_feeds)
    limits = FetchLimits.from_settings(settings)
    workers = WorkerPool.from_settings(settings)
    try:
        async with build_client(limits) as client:
            return await check_feeds(Fetcher(client, limits), workers, feeds, now=now)
    finally:
        workers.close()


def briefing_text(briefing: Briefing, summary_length: SummaryLength) -> str:
    """The Telegram messages as the reader would see them (tags removed)."""
    messages = render_briefing(briefing, Catalog.load(), summary_length=summary_length)
    return "\n\n".join(plain_text(message) for message in messages)


def briefing_json(briefing: Briefing, report: PollReport) -> str:
    data: dict[str, Any] = {
        "edition_date": briefing.edition_date.isoformat(),
        "language": briefing.language,
        "quiet": briefing.quiet,
        "filtered_out": briefing.filtered_out,
        "sections": [
            {"topic": section.topic.value, "stories": [_story(s) for s in section.stories]}
            for section in briefing.sections
        ],
        "feeds": {
            "fetched": list(report.fetched),
            "failed": [
                {"name": f.name, "kind": f.kind, "message": f.message} for f in report.failed
            ],
            "new_items": report.new_items,
            "relevant_items": report.new_relevant,
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def checks_text(checks: list[FeedCheck]) -> str:
    lines = []
    for check in checks:
        if check.kind is None:
            lines.append(
                f"ok      {check.name}: {check.items} items, {check.relevant} relevant "
                f"({check.seconds:.1f} s)"
            )
        else:
            lines.append(f"FAILED  {check.name}: {check.kind}: {check.message}")
    failed = sum(check.kind is not None for check in checks)
    lines.append(f"{len(checks) - failed} of {len(checks)} feeds working")
    return "\n".join(lines)


def parse_topics(text: str | None) -> frozenset[Topic]:
    if not text:
        return frozenset(Topic)
    return frozenset(Topic(part.strip()) for part in text.split(",") if part.strip())


def _story(story: Story) -> dict[str, Any]:
    lead = story.items[0]
    return {
        "headline": lead.title,
        "summary": lead.summary,
        "topics": [t.value for t in story.topics],
        "first_seen": story.first_seen.isoformat(),
        "sources": [
            {
                "outlet": outlet,
                "name": story.source_item(outlet).source,
                "name_ko": story.source_item(outlet).source_name(Language.KO),
                "url": story.source_item(outlet).url,
                "state_media": story.is_state_media(outlet),
            }
            for outlet in story.sources
        ],
    }
