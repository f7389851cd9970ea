"""A confirmed story as a short alert, in the reader's language and on their clock:
headline, one sentence, the outlets, and who was first and when ("first: Yonhap
06:41 KST")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.breaking.confirm import Confirmation
from bot.briefing.render import HEADLINE_LIMIT, state_media_label, summary_text
from bot.formatting import bold, escape, link, truncate_text
from bot.i18n import Catalog, Markup
from bot.models import NewsItem
from bot.news.headlines import strip_wire_tags

__all__ = ["render_alert", "wall_clock"]

ALERT_SENTENCES = 1
SOURCE_NAME_LIMIT = 40
_SEPARATOR = " · "


def wall_clock(instant: datetime, timezone: str) -> str:
    """``06:41 KST`` (the zone's abbreviation, or its UTC offset where it has none)."""
    local = instant.astimezone(ZoneInfo(timezone))
    return f"{local:%H:%M} {local.tzname() or ''}".strip()


def render_alert(confirmation: Confirmation, catalog: Catalog, language: str, timezone: str) -> str:
    """The alert's Telegram HTML."""
    story = confirmation.story
    item = story.item_in(language)
    headline = bold(truncate_text(strip_wire_tags(item.title), HEADLINE_LIMIT))
    if item.language != language:
        headline = catalog.text(language, "briefing_other_language", headline=Markup(headline))
    lines = [
        catalog.text(language, "breaking_alert_title", count=len(confirmation.outlets)),
        headline,
    ]
    summary = summary_text(item.summary, item.language, ALERT_SENTENCES)
    if summary:
        lines.append(escape(summary))
    sources = _SEPARATOR.join(_source(i, catalog, language) for i in confirmation.outlets)
    first = confirmation.first
    lines.append(
        catalog.text(
            language,
            "breaking_alert_sources",
            sources=Markup(sources),
            first=first.source_name(language),
            time=wall_clock(first.published, timezone),
        )
    )
    return "\n".join(lines)


def _source(item: NewsItem, catalog: Catalog, language: str) -> str:
    name = link(item.url, truncate_text(item.source_name(language), SOURCE_NAME_LIMIT))
    if item.provenance.state_media_of is None:
        return name
    label = Markup(state_media_label(item.provenance, catalog, language))
    return catalog.text(language, "briefing_state_media_source", source=Markup(name), label=label)
