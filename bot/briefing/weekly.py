"""The weekly edition: the week's top stories by importance, in one message.

A weekly reader gets one message a week, so the edition is composed from the week's
stories (:data:`~bot.briefing.compose.WEEK`) with one-sentence summaries, and trimmed a
story at a time until it fits Telegram's one-message limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.briefing.compose import WEEK, Story, compose
from bot.briefing.framing import weekly_header
from bot.briefing.render import render_briefing
from bot.i18n import Catalog
from bot.models import ReaderPrefs, SummaryLength

WEEKLY_STORIES = 10
"""The most stories a weekly edition shows (fewer when they would not fit one message)."""


def render_weekly(
    stories: Sequence[Story], prefs: ReaderPrefs, scheduled: dt.datetime, catalog: Catalog
) -> str:
    """The weekly edition for ``prefs`` at ``scheduled``, as one Telegram HTML message."""
    zone = ZoneInfo(prefs.timezone)
    last = scheduled.astimezone(zone).date()
    first = (scheduled - WEEK).astimezone(zone).date()
    header = weekly_header(first, last, prefs.language, catalog)
    for limit in range(WEEKLY_STORIES, 0, -1):
        briefing = compose(stories, prefs, now=scheduled, max_stories=limit)
        if briefing.quiet:
            return _quiet_week(header, briefing.filtered_out, prefs.language, catalog)
        texts = render_briefing(
            briefing, catalog, summary_length=SummaryLength.SHORT, header=header
        )
        if len(texts) == 1:
            return texts[0]
    raise AssertionError("one story with its header always fits a message")


def _quiet_week(header: str, filtered_out: int, language: str, catalog: Catalog) -> str:
    key = "weekly_no_topic_stories" if filtered_out else "weekly_quiet"
    body = catalog.text(language, key, count=filtered_out)
    return f"{header}\n\n{body}\n\n{catalog.text(language, 'briefing_footer')}"
