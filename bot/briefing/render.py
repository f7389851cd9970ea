"""Briefing → Telegram HTML messages, in the reader's language.

A briefing is a header, then one block per story (a section's heading travels with its
first story, the footer with the last), packed by :func:`bot.formatting.join_blocks`
into as few messages as fit: a story never straddles two messages. Every piece of feed
text is escaped and bounded, so a story block always fits in one message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.articles.sentences import split_sentences
from bot.briefing.compose import Briefing, Story
from bot.formatting import (
    MESSAGE_LIMIT,
    bold,
    escape,
    fit_lines,
    link,
    pack_blocks,
    truncate_text,
)
from bot.i18n import Catalog, Markup
from bot.models import Provenance, SummaryLength
from bot.news.headlines import strip_wire_tags

__all__ = [
    "SUMMARY_LIMIT",
    "BriefingPage",
    "render_briefing",
    "render_briefing_pages",
    "render_story_list",
    "story_block",
]

HEADLINE_LIMIT = 250
SUMMARY_LIMIT = 400
"""Visible characters of a story's summary, at most."""
SOURCE_NAME_LIMIT = 40
SHOWN_SOURCES = 2
"""Source names linked under a story; the rest are counted ("+2")."""
_SENTENCES = {SummaryLength.SHORT: 1, SummaryLength.STANDARD: 2, SummaryLength.LONG: 3}
"""Sentences of a story's summary in a briefing, for each reader preference (a link's
own summary is longer: ``bot.articles.summarize.SENTENCES_FOR``)."""
_SOURCE_SEPARATOR = " · "


@dataclass(frozen=True, slots=True)
class BriefingPage:
    """One message of a briefing, and the stories it shows (for their buttons)."""

    text: str
    stories: tuple[Story, ...]


def render_briefing(
    briefing: Briefing,
    catalog: Catalog,
    *,
    summary_length: SummaryLength,
    header: str | None = None,
) -> list[str]:
    """The briefing as one or more messages, each within Telegram's 4096-character limit.

    ``header`` replaces the edition's dated masthead (a delivery's framing line).
    """
    pages = render_briefing_pages(briefing, catalog, summary_length=summary_length, header=header)
    return [page.text for page in pages]


def render_briefing_pages(
    briefing: Briefing,
    catalog: Catalog,
    *,
    summary_length: SummaryLength,
    header: str | None = None,
) -> list[BriefingPage]:
    """:func:`render_briefing`, each message with the stories it holds."""
    language = briefing.language
    if header is None:
        header = catalog.text(
            language,
            "briefing_header",
            date=format_edition_date(briefing.edition_date, language, catalog),
        )
    footer = catalog.text(language, "briefing_footer")
    if briefing.quiet:
        key = "briefing_no_topic_stories" if briefing.filtered_out else "briefing_quiet"
        body = catalog.text(language, key, count=briefing.filtered_out)
        return [BriefingPage(f"{header}\n\n{body}\n\n{footer}", ())]

    sentences = _SENTENCES[summary_length]
    blocks = [header]
    shown: list[Story | None] = [None]
    for section in briefing.sections:
        heading = catalog.text(
            language,
            "briefing_section",
            topic=catalog.text(language, f"topic_{section.topic.value}"),
        )
        for i, story in enumerate(section.stories):
            day = _thread_day(story, briefing)
            block = story_block(story, catalog, language, sentences, day=day)
            blocks.append(f"{heading}\n\n{block}" if i == 0 else block)
            shown.append(story)
    if briefing.filtered_out:
        footer = catalog.text(language, "briefing_filtered_note", count=briefing.filtered_out)
        footer += "\n" + catalog.text(language, "briefing_footer")
    blocks[-1] = f"{blocks[-1]}\n\n{footer}"
    return [
        BriefingPage(
            "\n\n".join(blocks[n] for n in message),
            tuple(shown_story for n in message if (shown_story := shown[n]) is not None),
        )
        for message in pack_blocks(blocks)
    ]


def _thread_day(story: Story, briefing: Briefing) -> int | None:
    """The day of the story's thread, for a story that continues one; else None."""
    if story.thread is None or not story.thread.continues:
        return None
    return story.thread.day(briefing.edition_date, briefing.timezone)


def render_story_list(
    stories: Sequence[Story], catalog: Catalog, language: str, limit: int = 10
) -> str:
    """Newest stories first, one line each with its source count (the /latest reply)."""
    title = catalog.text(language, "latest_title")
    if not stories:
        return f"{title}\n\n{catalog.text(language, 'latest_empty')}"
    newest = sorted(stories, key=lambda s: (s.last_updated, s.key), reverse=True)[:limit]
    lines = []
    for story in newest:
        item = story.item_in(language)
        headline = link(item.url, truncate_text(item.title.strip(), HEADLINE_LIMIT))
        if story.state_media_only:
            headline = _claim(story, headline, catalog, language)
        headline = _language_marked(headline, item.language, catalog, language)
        sources = catalog.text(language, "latest_sources", count=len(story.sources))
        lines.append(f"• {headline} · {sources}")
    return fit_lines([title, ""], lines, [], MESSAGE_LIMIT)


def format_edition_date(day: date, language: str, catalog: Catalog) -> str:
    """``Sat 28 Nov 2026`` / ``2026년 11월 28일 (토)``."""
    weekdays = catalog.text(language, "briefing_weekdays").split()
    months = catalog.text(language, "briefing_months").split()
    return catalog.text(
        language,
        "briefing_date",
        weekday=weekdays[day.weekday()],
        day=day.day,
        month=months[day.month - 1],
        year=day.year,
    )


def summary_text(text: str, language: str, sentences: int) -> str:
    """Up to ``sentences`` whole sentences within :data:`SUMMARY_LIMIT` characters.

    A first sentence longer than the limit is cut at a word and marked with an ellipsis.
    """
    parts = split_sentences(text, language)
    if not parts:
        return ""
    kept = parts[0]
    for sentence in parts[1:sentences]:
        longer = f"{kept} {sentence}"
        if len(longer) > SUMMARY_LIMIT:
            break
        kept = longer
    return truncate_text(kept, SUMMARY_LIMIT)


def story_block(
    story: Story, catalog: Catalog, language: str, sentences: int, *, day: int | None = None
) -> str:
    """One story as the briefing shows it: headline, lede, sources (and related stories).

    ``day`` marks a story that continues a thread from earlier editions ("Day 3 · +4
    outlets since yesterday"): its sources are then only the outlets new since (its
    headline and lede are already today's: the story holds only the window's items).
    Also the body of a follow's message (:mod:`bot.follows.render`)."""
    item = story.item_in(language)
    headline = bold(truncate_text(strip_wire_tags(item.title), HEADLINE_LIMIT))
    if story.state_media_only:
        headline = _claim(story, headline, catalog, language)
    lines = [_language_marked(headline, item.language, catalog, language)]
    new_outlets: tuple[str, ...] = ()
    if day is not None and story.thread is not None:
        new_outlets = story.thread.new_outlets(story.sources)
        lines.insert(0, _continuation_line(story, day, len(new_outlets), catalog, language))
    summary = summary_text(item.summary, item.language, sentences)
    if summary:
        lines.append(escape(summary))
    lines.append(_sources_line(story, catalog, language, new_outlets or story.sources))
    lines += [_also_line(related, catalog, language) for related in story.also]
    return "\n".join(lines)


def _continuation_line(
    story: Story, day: int, new_outlets: int, catalog: Catalog, language: str
) -> str:
    """ "🧵 Day 3 · +4 outlets since yesterday", or its new reports when no outlet is new."""
    if new_outlets:
        return catalog.text(language, "briefing_thread_outlets", day=day, count=new_outlets)
    return catalog.text(language, "briefing_thread_reports", day=day, count=len(story.items))


def _also_line(story: Story, catalog: Catalog, language: str) -> str:
    """A related story listed under the one it belongs with: its headline and sources,
    no lede — the event is told once, its other angles one line each."""
    item = story.item_in(language)
    headline = escape(truncate_text(strip_wire_tags(item.title), HEADLINE_LIMIT))
    if story.state_media_only:
        headline = _claim(story, headline, catalog, language)
    marked = _language_marked(headline, item.language, catalog, language)
    return f"↳ {marked} — {_sources_line(story, catalog, language, story.sources)}"


def _sources_line(story: Story, catalog: Catalog, language: str, sources: Sequence[str]) -> str:
    """``Yonhap · NK News +2``, names linked in the reader's language (연합뉴스 · NK뉴스
    외 2곳), state media labelled: ``sources``, the story's or some of them.

    Outlets that reported in the reader's language come first, each group in order of
    first report.
    """
    items = [story.source_item(outlet, language) for outlet in sources]
    items.sort(key=lambda item: item.language != language)  # stable
    shown = []
    for item in items[:SHOWN_SOURCES]:
        name = link(item.url, truncate_text(item.source_name(language), SOURCE_NAME_LIMIT))
        state = story.state_media_of(item.outlet_key)
        if state is not None:
            label = Markup(state_media_label(state, catalog, language))
            name = catalog.text(
                language, "briefing_state_media_source", source=Markup(name), label=label
            )
        shown.append(name)
    line = _SOURCE_SEPARATOR.join(shown)
    more = len(sources) - SHOWN_SOURCES
    if more > 0:
        line += " " + catalog.text(language, "briefing_more_sources", count=more)
    return line


def _language_marked(headline: str, written_in: str, catalog: Catalog, language: str) -> str:
    """A headline in the other language says so ("[영문]"): a story no outlet reported in
    the reader's language is shown as it was reported, and the link opens that language."""
    if written_in == language:
        return headline
    return catalog.text(language, "briefing_other_language", headline=Markup(headline))


def state_media_label(provenance: Provenance, catalog: Catalog, language: str) -> str:
    """ "🇷🇺 Russian state media": whose state speaks, in the reader's language."""
    return catalog.text(language, f"state_media_{provenance.state_media_of}")


def _claim(story: Story, headline: str, catalog: Catalog, language: str) -> str:
    """A story only state media report is framed as that state's claim."""
    states = {item.provenance for item in story.items}
    label = (
        state_media_label(states.pop(), catalog, language)
        if len(states) == 1
        else catalog.text(language, "state_media_mixed")
    )
    return catalog.text(
        language, "briefing_state_media_claim", headline=Markup(headline), label=Markup(label)
    )
