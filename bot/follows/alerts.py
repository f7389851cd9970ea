"""Which chat gets which story after a poll: the pure part of sending follows.

A story is a candidate when the poll brought it a new item; a chat gets it when the new
items match one of its follows (headline or lede, :mod:`.matching`). A story that matches
several follows of one chat is one alert naming them all. Whether the chat already had
the story is the send log's business (:mod:`bot.store.follows`), not this module's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.briefing.compose import Story
from bot.briefing.render import story_block
from bot.follows.matching import Haystack, matcher_for
from bot.i18n import Catalog
from bot.store.follows import ChatFollow

__all__ = ["StoryAlert", "render_alert", "story_alerts"]

ALERT_SENTENCES = 1
"""Sentences of the story's lede in an alert: it says what happened; the link says more."""


@dataclass(frozen=True, slots=True)
class StoryAlert:
    """One story for one chat, with the follows it matched (in the chat's order)."""

    chat_id: int
    chat_type: str
    language: str
    story: Story
    labels: tuple[str, ...]


def story_alerts(
    stories: Sequence[Story], new_urls: Collection[str], follows: Sequence[ChatFollow]
) -> list[StoryAlert]:
    """The alerts the new items of ``stories`` call for: oldest story first, then by chat."""
    fresh = []
    for story in sorted(stories, key=lambda s: (s.first_seen, s.key)):
        new = [Haystack.of(i.title, i.summary) for i in story.items if i.url in new_urls]
        if new:
            fresh.append((story, new))
    if not fresh:
        return []
    keys = {chat_follow.follow.query_key for chat_follow in follows}
    matched: dict[str, set[str]] = defaultdict(set)  # story key → follow keys
    for story, haystacks in fresh:
        for key in keys:
            if matcher_for(key).matches_any(haystacks):
                matched[story.key].add(key)
    alerts = []
    for story, _ in fresh:
        labels: dict[tuple[int, str, str], list[str]] = defaultdict(list)
        for chat_follow in follows:
            if chat_follow.follow.query_key in matched[story.key]:
                chat = (chat_follow.follow.chat_id, chat_follow.chat_type, chat_follow.language)
                labels[chat].append(chat_follow.follow.label)
        alerts += [
            StoryAlert(chat_id, chat_type, language, story, tuple(names))
            for (chat_id, chat_type, language), names in labels.items()
        ]
    return alerts


def render_alert(alert: StoryAlert, catalog: Catalog) -> str:
    """The follows it matched, then the story as the briefing shows it, in the chat's
    language."""
    language = alert.language
    follows = catalog.text(language, "follow_alert_separator").join(alert.labels)
    title = catalog.text(language, "follow_alert_title", follows=follows)
    return f"{title}\n\n{story_block(alert.story, catalog, language, ALERT_SENTENCES)}"
