"""Search results as the reader sees them: each story's headline as a link, its outlets
(by the names readers of their language know), and the date in their time zone, written
the way the briefing writes dates."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.briefing.render import format_edition_date
from bot.formatting import escape, link, truncate_text
from bot.i18n import Catalog, Markup
from bot.models import Language
from bot.news.outlets import korean_name
from bot.store.search import PAGE_SIZE, SearchHit, SearchPage, SearchResult

MAX_HEADLINE = 200
MAX_OUTLETS = 5
"""Outlets named under a story; more are counted ("+3")."""


def search_usage(catalog: Catalog, language: str, days: int) -> str:
    """What /search alone answers: how to use it, with examples."""
    return catalog.text(language, "search_usage", days=days)


def format_search_page(
    page: SearchPage, query: str, catalog: Catalog, language: str, timezone: str
) -> str:
    """One page of results, or the note that nothing was found."""
    shown = " ".join(query.split())
    if not page.results:
        key = "search_empty" if page.page == 0 else "search_no_more"
        return catalog.text(language, key, query=shown)
    blocks = [catalog.text(language, "search_title", query=shown, page=page.page + 1)]
    # Pages before this one are full: numbering carries on from them.
    first = page.page * PAGE_SIZE + 1
    for number, result in enumerate(page.results, start=first):
        blocks.append(_result(number, result, catalog, language, timezone))
    return "\n\n".join(blocks)


def _result(number: int, result: SearchResult, catalog: Catalog, language: str, zone: str) -> str:
    newest = result.newest
    headline = link(newest.url, truncate_text(newest.title, MAX_HEADLINE))
    names = [_outlet(hit, language) for hit in result.hits]
    outlets = list(dict.fromkeys(names))
    shown = ", ".join(escape(name) for name in outlets[:MAX_OUTLETS])
    if len(outlets) > MAX_OUTLETS:
        more = catalog.text(language, "briefing_more_sources", count=len(outlets) - MAX_OUTLETS)
        shown = f"{shown} {more}"
    day = newest.published_at.astimezone(ZoneInfo(zone)).date()
    date = format_edition_date(day, language, catalog)
    return catalog.text(
        language,
        "search_result",
        number=number,
        headline=Markup(headline),
        outlets=Markup(shown),
        date=date,
    )


def _outlet(hit: SearchHit, language: str) -> str:
    if language == Language.KO:
        return korean_name(hit.url, hit.source) or hit.source
    return hit.source
