"""Follow commands as the core sees them: follow (parsed, judged, stored), unfollow, list.

Handlers call these with the chat; what goes wrong is a :class:`~bot.errors.FollowError`
whose ``reason`` is the catalogue key of the reply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.briefing.compose import Story
from bot.errors import FollowTooBroad, NotFollowing
from bot.follows.breadth import broad_by_words, stories_matching
from bot.follows.matching import FollowMatcher
from bot.follows.query import normalize, parse_follow
from bot.store.follows import Follow, FollowStore
from bot.subscriptions.operations import ChatRef, Subscriptions

__all__ = ["FollowAdded", "Follows"]


@dataclass(frozen=True, slots=True)
class FollowAdded:
    follow: Follow
    created: bool
    """False when the chat already followed it."""
    stories_today: int
    """Stories of the last 24 hours it matches: what a day of it looks like."""


class Follows:
    """A chat's follows, within the limits of the settings."""

    def __init__(
        self,
        store: FollowStore,
        subscriptions: Subscriptions,
        stories: Callable[[dt.datetime], Awaitable[list[Story]]],
        *,
        per_chat: int,
        max_stories_per_day: int,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self._store = store
        self._subscriptions = subscriptions
        self._stories = stories
        self.per_chat = per_chat
        self.max_stories_per_day = max_stories_per_day
        self._clock = clock

    async def follow(self, chat: ChatRef, text: str) -> FollowAdded:
        """Follow ``text`` in the chat (stored with default settings if new to the bot).

        Raises ``EmptyFollow``, ``FollowTooLong``, ``FollowTooBroad`` (by its words, or
        more than ``max_stories_per_day`` of the last 24 hours' stories) or
        ``TooManyFollows``.
        """
        query = parse_follow(text)
        if broad_by_words(query):
            raise FollowTooBroad(query.label)
        now = self._clock()
        matched = stories_matching(FollowMatcher.of(query), await self._stories(now))
        if matched > self.max_stories_per_day:
            raise FollowTooBroad(query.label, matched)
        await self._subscriptions.settings_of(chat)
        follow, created = await self._store.add(
            chat.chat_id, query.key, query.label, limit=self.per_chat, now=now
        )
        return FollowAdded(follow, created, matched)

    async def unfollow(self, chat_id: int, text: str) -> Follow:
        """Stop following ``text``: the same follow in any order, case or punctuation, or
        its words with or without the quotes it was followed with (``/unfollow kim yo
        jong`` for ``/follow "Kim Yo Jong"``). Raises ``NotFollowing`` when the chat
        follows no such thing."""
        query = parse_follow(text)
        removed = await self._store.remove(chat_id, query.key)
        if removed is not None:
            return removed
        words = normalize(query.label)
        for follow in await self._store.of_chat(chat_id):
            if normalize(follow.label) == words:
                removed = await self._store.remove_id(chat_id, follow.id)
                if removed is not None:
                    return removed
        raise NotFollowing(query.label)

    async def remove(self, chat_id: int, follow_id: int) -> Follow | None:
        """The follow a button names, removed; None if it was removed before."""
        return await self._store.remove_id(chat_id, follow_id)

    async def of_chat(self, chat_id: int) -> list[Follow]:
        return await self._store.of_chat(chat_id)
