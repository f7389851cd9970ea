"""Is a follow too broad? A follow that would send dozens of stories a day is a firehose,
not a follow: it is refused with a hint to narrow it.

Two checks, before the follow is stored:

* by its words alone: every term a stop word ("the", "said", "North Korea" — the words
  every peninsula story has, :func:`bot.news.clustering.datafiles.english_stop_words`)
  or a single character. This holds on a fresh bot with no stories stored yet;
* by the last 24 hours: how many of that day's stories it would have matched, against a
  limit (``FOLLOW_MAX_STORIES_PER_DAY``, 50).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.briefing.compose import Story
from bot.follows.matching import FollowMatcher, Haystack
from bot.follows.query import FollowQuery
from bot.news.clustering.datafiles import english_stop_words

__all__ = ["broad_by_words", "stories_matching"]


def broad_by_words(query: FollowQuery) -> bool:
    """Every term is a stop word or one character: it would match nearly everything."""
    stop = english_stop_words()
    return all(
        term in stop or all(word in stop for word in term.split()) or len(term) < 2
        for term in query.terms
    )


def stories_matching(matcher: FollowMatcher, stories: Iterable[Story]) -> int:
    """How many of ``stories`` have an item (headline or lede) the follow matches."""
    return sum(
        matcher.matches_any(Haystack.of(item.title, item.summary) for item in story.items)
        for story in stories
    )
