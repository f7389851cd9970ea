"""The follow repository: what each chat follows, and the log of stories sent for them.

Each method is one transaction. A chat has at most ``limit`` follows, counted with its
``chats`` row locked, so two ``/follow`` at once cannot both take the last place. The
send log has one row per (chat, story key), claimed before the story is sent: a story
goes to a chat at most once, across polls, restarts and instances.

A story's key is its earliest item's URL (:class:`bot.briefing.compose.Story`), which
changes when an earlier-dated item joins it or two stories merge. So a claim looks for
any of the story's item URLs among the chat's logged keys: a story already sent under
another key is not sent again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.errors import TooManyFollows
from bot.models import DeactivationReason
from bot.store.database import Database
from bot.store.schema import chats, follow_sends, follows

_CHUNK = 500
"""Story item URLs per ``IN (…)`` list: well under SQLite's variable limit."""


@dataclass(frozen=True, slots=True)
class Follow:
    """One follow of one chat."""

    id: int
    chat_id: int
    query_key: str
    label: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ChatFollow:
    """A follow with what sending to its chat needs."""

    follow: Follow
    chat_type: str
    language: str


def _follow(row: RowMapping) -> Follow:
    return Follow(
        id=row["id"],
        chat_id=row["chat_id"],
        query_key=row["query_key"],
        label=row["label"],
        created_at=row["created_at"],
    )


class FollowStore:
    """Follows and their send log, on a :class:`Database` opened by the caller."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(
        self, chat_id: int, query_key: str, label: str, *, limit: int, now: datetime
    ) -> tuple[Follow, bool]:
        """Follow ``query_key`` in the chat (whose ``chats`` row must exist); returns the
        follow and whether it is new. Following it again changes nothing; a new one past
        ``limit`` raises ``TooManyFollows``.

        A chat that was deactivated as unreachable (blocked, removed) is reachable again:
        someone just wrote to the bot from it, so the mark is cleared.
        """
        async with self._db.transaction() as conn:
            await self._lock_chat(conn, chat_id)
            existing = await self._find(conn, chat_id, query_key)
            if existing is not None:
                return existing, False
            count = await conn.scalar(
                select(func.count()).select_from(follows).where(follows.c.chat_id == chat_id)
            )
            if (count or 0) >= limit:
                raise TooManyFollows(limit)
            row = {"chat_id": chat_id, "query_key": query_key, "label": label, "created_at": now}
            result = await conn.execute(follows.insert().values(**row).returning(follows.c.id))
            await conn.execute(
                update(chats)
                .where(
                    chats.c.chat_id == chat_id,
                    chats.c.deactivated_reason.is_not(None),
                    chats.c.deactivated_reason != DeactivationReason.UNSUBSCRIBED.value,
                )
                .values(deactivated_at=None, deactivated_reason=None, updated_at=now)
            )
            return Follow(result.scalar_one(), chat_id, query_key, label, now), True

    async def remove(self, chat_id: int, query_key: str) -> Follow | None:
        """Stop following ``query_key``; the follow removed, or None if there was none."""
        return await self._remove(follows.c.chat_id == chat_id, follows.c.query_key == query_key)

    async def remove_id(self, chat_id: int, follow_id: int) -> Follow | None:
        """Stop the follow ``follow_id`` of the chat (a button's); None if it is gone."""
        return await self._remove(follows.c.chat_id == chat_id, follows.c.id == follow_id)

    async def of_chat(self, chat_id: int) -> list[Follow]:
        """The chat's follows, oldest first."""
        query = (
            select(follows)
            .where(follows.c.chat_id == chat_id)
            .order_by(follows.c.created_at, follows.c.id)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [_follow(row) for row in result.mappings()]

    async def active(self) -> list[ChatFollow]:
        """Every follow of a chat that can be sent to: not deactivated, or only
        unsubscribed from the briefing (follows are apart from it)."""
        reachable = chats.c.deactivated_reason.is_(None) | (
            chats.c.deactivated_reason == DeactivationReason.UNSUBSCRIBED.value
        )
        query = (
            select(follows, chats.c.chat_type, chats.c.language)
            .join(chats, chats.c.chat_id == follows.c.chat_id)
            .where(reachable)
            .order_by(follows.c.chat_id, follows.c.created_at, follows.c.id)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [
                ChatFollow(_follow(row), row["chat_type"], row["language"])
                for row in result.mappings()
            ]

    # ------------------------------------------------------------------ send log

    async def claim_story(
        self,
        chat_id: int,
        story_key: str,
        item_urls: Collection[str],
        labels: Collection[str],
        now: datetime,
    ) -> bool:
        """Claim the story for the chat before sending it: True if this call did, False
        if it was sent before (under its key or the key of any of ``item_urls``)."""
        urls = list(dict.fromkeys([story_key, *item_urls]))
        async with self._db.transaction() as conn:
            await self._lock_chat(conn, chat_id)
            for start in range(0, len(urls), _CHUNK):
                chunk = urls[start : start + _CHUNK]
                sent = exists().where(
                    follow_sends.c.chat_id == chat_id, follow_sends.c.story_key.in_(chunk)
                )
                if await conn.scalar(select(sent)):
                    return False
            row = {
                "chat_id": chat_id,
                "story_key": story_key,
                "follows": "\n".join(labels),
                "sent_at": now,
            }
            statement = self._insert(follow_sends).values(**row).on_conflict_do_nothing()
            result = await conn.execute(statement.returning(follow_sends.c.story_key))
            return result.first() is not None

    async def release_story(self, chat_id: int, story_key: str) -> None:
        """Undo a claim whose message did not go out (flood control, a network error), so
        the story can be sent when it next has a new matching item."""
        async with self._db.transaction() as conn:
            await conn.execute(
                delete(follow_sends).where(
                    follow_sends.c.chat_id == chat_id, follow_sends.c.story_key == story_key
                )
            )

    async def sent_stories(self, chat_id: int) -> list[str]:
        """Keys of the stories sent to the chat, oldest first (for inspection and tests)."""
        query = (
            select(follow_sends.c.story_key)
            .where(follow_sends.c.chat_id == chat_id)
            .order_by(follow_sends.c.sent_at, follow_sends.c.story_key)
        )
        async with self._db.reading() as conn:
            return list((await conn.execute(query)).scalars())

    async def prune_sent(self, older_than: datetime) -> int:
        """Forget sends older than any story can be (its items are pruned by then)."""
        async with self._db.transaction() as conn:
            result = await conn.execute(
                delete(follow_sends).where(follow_sends.c.sent_at < older_than)
            )
            return result.rowcount

    # ------------------------------------------------------------------ helpers

    async def _remove(self, *where: Any) -> Follow | None:
        async with self._db.transaction() as conn:
            result = await conn.execute(delete(follows).where(*where).returning(*follows.c))
            row = result.mappings().first()
            return _follow(row) if row is not None else None

    async def _find(self, conn: AsyncConnection, chat_id: int, query_key: str) -> Follow | None:
        query = select(follows).where(
            follows.c.chat_id == chat_id, follows.c.query_key == query_key
        )
        row = (await conn.execute(query)).mappings().first()
        return _follow(row) if row is not None else None

    async def _lock_chat(self, conn: AsyncConnection, chat_id: int) -> None:
        """Lock the chat's row (PostgreSQL; SQLite's write transactions are serial already)."""
        await conn.execute(
            select(chats.c.chat_id).where(chats.c.chat_id == chat_id).with_for_update()
        )

    def _insert(self, table: Any) -> Any:
        dialect = postgresql if self._db.dialect == "postgresql" else sqlite
        return dialect.insert(table)
