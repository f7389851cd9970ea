"""A story's thread as the reader sees it (/story): its latest headline, the first report
(outlet and time), then each day's reports — time, outlet, linked headline — grouped by
day in the reader's time zone, in one message.

A long thread does not fit in 4,096 characters: each day shows its first
:data:`ITEMS_PER_DAY` reports and counts the rest, and when the days still do not fit,
the first day and the latest ones stay and the days between are counted — how it began
and where it stands are what a reader asks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import groupby
from zoneinfo import ZoneInfo

from bot.briefing.render import format_edition_date
from bot.formatting import MESSAGE_LIMIT, link, truncate_text, visible_length
from bot.i18n import Catalog, Markup
from bot.models import NewsItem
from bot.news.headlines import strip_wire_tags

ITEMS_PER_DAY = 8
HEADLINE_LIMIT = 120
SOURCE_LIMIT = 30


def format_thread(items: Sequence[NewsItem], catalog: Catalog, language: str, timezone: str) -> str:
    """The thread of ``items`` (its linked items, any order; at least one)."""
    zone = ZoneInfo(timezone)
    ordered = sorted(items, key=lambda i: (i.published, i.url))
    first = ordered[0]
    latest = next((i for i in reversed(ordered) if i.language == language), ordered[-1])
    started = first.published.astimezone(zone).date()
    days = [
        (day, list(group))
        for day, group in groupby(ordered, key=lambda i: i.published.astimezone(zone).date())
    ]
    outlets = {item.outlet_key for item in ordered}
    when = catalog.text(
        language,
        "story_when",
        date=format_edition_date(started, language, catalog),
        time=first.published.astimezone(zone).strftime("%H:%M"),
    )
    head = "\n".join(
        [
            catalog.text(
                language,
                "story_title",
                headline=truncate_text(strip_wire_tags(latest.title), HEADLINE_LIMIT * 2),
            ),
            catalog.text(language, "story_first", source=_source(first, language), when=when),
            catalog.text(
                language,
                "story_totals",
                outlets=len(outlets),
                items=len(ordered),
                days=(days[-1][0] - started).days + 1,
            ),
        ]
    )
    blocks = [_day(day, group, started, catalog, language, zone) for day, group in days]
    return _fitted(head, blocks, [len(group) for _, group in days], catalog, language)


def _day(
    day: date,
    items: list[NewsItem],
    started: date,
    catalog: Catalog,
    language: str,
    zone: ZoneInfo,
) -> str:
    lines = [
        catalog.text(
            language,
            "story_day",
            day=(day - started).days + 1,
            date=format_edition_date(day, language, catalog),
        )
    ]
    for item in items[:ITEMS_PER_DAY]:
        headline = link(item.url, truncate_text(strip_wire_tags(item.title), HEADLINE_LIMIT))
        lines.append(
            catalog.text(
                language,
                "story_item",
                time=item.published.astimezone(zone).strftime("%H:%M"),
                source=_source(item, language),
                headline=Markup(headline),
            )
        )
    if len(items) > ITEMS_PER_DAY:
        more = len(items) - ITEMS_PER_DAY
        lines.append(catalog.text(language, "story_more_items", count=more))
    return "\n".join(lines)


def _fitted(head: str, days: list[str], counts: list[int], catalog: Catalog, language: str) -> str:
    """Head and days in one message: the days after the first dropped, oldest first,
    until the rest fit (a note counts them)."""
    kept = list(range(len(days)))
    while True:
        dropped = [n for n in range(len(days)) if n not in kept]
        blocks = [head, *(days[n] for n in kept)]
        if dropped:
            note = catalog.text(
                language,
                "story_days_left_out",
                count=len(dropped),
                items=sum(counts[n] for n in dropped),
            )
            blocks.insert(2, note)
        text = "\n\n".join(blocks)
        if visible_length(text) <= MESSAGE_LIMIT:
            return text
        if len(kept) <= 1:
            return head
        kept.pop(1 if len(kept) > 2 else 0)


def _source(item: NewsItem, language: str) -> str:
    return truncate_text(item.source_name(language), SOURCE_LIMIT)
