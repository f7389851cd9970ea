"""The breaking-alert repository: each chat's /alerts settings, the stories that alerted
and the per-chat send log.

Each method is one transaction. A story goes to a chat at most once, across polls,
restarts and instances: the (chat, story key) row is claimed before sending and never
claimed again, whatever became of the message.

A story's key is its earliest item's URL (:class:`bot.briefing.compose.Story`), which
changes as the story grows: an item dated earlier joins it, two stories merge, a
re-clustering splits one. So the first alert records every item URL of the story under
the key it alerted with (``breaking_stories``), and a story later found with any of those
URLs is that story (:meth:`BreakingStore.story_key`): a fourth outlet, or the same event
clustered differently at the next poll, alerts nobody twice.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import RowMapping, and_, delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.models import DeactivationReason
from bot.store.database import Database
from bot.store.schema import breaking_chats, breaking_sends, breaking_stories, chats, deliveries

_CHUNK = 500
"""URLs per ``IN (…)`` list: well under SQLite's variable limit."""


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """A chat's /alerts settings (off, no quiet hours, for a chat that never set them)."""

    enabled: bool = False
    thread_id: int | None = None
    quiet_start: time | None = None
    quiet_end: time | None = None


@dataclass(frozen=True, slots=True)
class AlertChat:
    """An opted-in chat with what sending to it needs."""

    chat_id: int
    chat_type: str
    language: str
    timezone: str
    settings: AlertSettings


@dataclass(frozen=True, slots=True)
class HeldAlert:
    """An alert waiting for the end of its chat's quiet hours."""

    chat_id: int
    story_key: str
    text: str
    created_at: datetime


def _settings(row: RowMapping) -> AlertSettings:
    return AlertSettings(row["enabled"], row["thread_id"], row["quiet_start"], row["quiet_end"])


class BreakingStore:
    """Alert settings and the send log, on a :class:`Database` opened by the caller."""

    def __init__(self, database: Database) -> None:
        self._db = database

    # ------------------------------------------------------------------ settings

    async def settings(self, chat_id: int) -> AlertSettings:
        query = select(breaking_chats).where(breaking_chats.c.chat_id == chat_id)
        async with self._db.reading() as conn:
            row = (await conn.execute(query)).mappings().first()
        return _settings(row) if row is not None else AlertSettings()

    async def set_enabled(
        self, chat_id: int, enabled: bool, *, thread_id: int | None, now: datetime
    ) -> AlertSettings:
        """Turn the chat's alerts on (to ``thread_id``, its forum topic) or off; quiet
        hours stay. Turning them on clears a blocked or removed chat's deactivation:
        someone just wrote to the bot from it."""
        changes: dict[str, Any] = {"enabled": enabled, "updated_at": now}
        if enabled:
            changes["thread_id"] = thread_id
        async with self._db.transaction() as conn:
            await self._upsert(conn, chat_id, changes)
            if enabled:
                await conn.execute(
                    update(chats)
                    .where(
                        chats.c.chat_id == chat_id,
                        chats.c.deactivated_reason.is_not(None),
                        chats.c.deactivated_reason != DeactivationReason.UNSUBSCRIBED.value,
                    )
                    .values(deactivated_at=None, deactivated_reason=None, updated_at=now)
                )
        return await self.settings(chat_id)

    async def set_quiet_hours(
        self, chat_id: int, hours: tuple[time, time] | None, *, now: datetime
    ) -> AlertSettings:
        """Set the chat's quiet hours (start, end), or clear them with None."""
        start, end = hours if hours is not None else (None, None)
        async with self._db.transaction() as conn:
            changes = {"quiet_start": start, "quiet_end": end, "updated_at": now}
            await self._upsert(conn, chat_id, changes)
        return await self.settings(chat_id)

    async def forget_thread(self, chat_id: int, now: datetime) -> None:
        """The chat's alert topic is gone (deleted or closed): alerts go to the chat."""
        async with self._db.transaction() as conn:
            await conn.execute(
                update(breaking_chats)
                .where(breaking_chats.c.chat_id == chat_id)
                .values(thread_id=None, updated_at=now)
            )

    async def opted_in(self) -> list[AlertChat]:
        """Every chat with alerts on that can be sent to: not deactivated, or only
        unsubscribed from the briefing (alerts are apart from it)."""
        reachable = chats.c.deactivated_reason.is_(None) | (
            chats.c.deactivated_reason == DeactivationReason.UNSUBSCRIBED.value
        )
        query = (
            select(breaking_chats, chats.c.chat_type, chats.c.language, chats.c.timezone)
            .join(chats, chats.c.chat_id == breaking_chats.c.chat_id)
            .where(breaking_chats.c.enabled, reachable)
            .order_by(breaking_chats.c.chat_id)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [
                AlertChat(
                    row["chat_id"],
                    row["chat_type"],
                    row["language"],
                    row["timezone"],
                    _settings(row),
                )
                for row in result.mappings()
            ]

    # ------------------------------------------------------------------ stories

    async def story_key(
        self, story_key: str, item_urls: Collection[str], confirmed_at: datetime
    ) -> str:
        """The key the story alerts under: the key it first alerted with if any of its
        items belonged to a story that alerted, else ``story_key``. Records its item
        URLs under that key, so later shapes of the story are found too."""
        urls = list(dict.fromkeys([story_key, *item_urls]))
        async with self._db.transaction() as conn:
            known: list[tuple[datetime, str]] = []
            for start in range(0, len(urls), _CHUNK):
                chunk = urls[start : start + _CHUNK]
                query = select(breaking_stories.c.confirmed_at, breaking_stories.c.story_key)
                result = await conn.execute(query.where(breaking_stories.c.url.in_(chunk)))
                known += [(row[0], row[1]) for row in result]
            key = min(known)[1] if known else story_key
            rows = [{"url": url, "story_key": key, "confirmed_at": confirmed_at} for url in urls]
            await conn.execute(self._insert(breaking_stories).values(rows).on_conflict_do_nothing())
            return key

    # ------------------------------------------------------------------ send log

    async def claim(
        self,
        chat_id: int,
        story_key: str,
        text: str,
        now: datetime,
        *,
        release_at: datetime | None = None,
    ) -> bool:
        """Claim the story for the chat: sent now, or held until ``release_at``. True if
        this call claimed it, False if the chat had it (or has it waiting) already."""
        row = {
            "chat_id": chat_id,
            "story_key": story_key,
            "status": "held" if release_at is not None else "sent",
            "text": text,
            "created_at": now,
            "release_at": release_at,
            "sent_at": None if release_at is not None else now,
        }
        async with self._db.transaction() as conn:
            statement = self._insert(breaking_sends).values(**row).on_conflict_do_nothing()
            result = await conn.execute(statement.returning(breaking_sends.c.story_key))
            return result.first() is not None

    async def release(self, chat_id: int, story_key: str) -> None:
        """Undo a claim whose message did not go out (flood control, a network error):
        the story may go at the next poll, while it is still breaking."""
        async with self._db.transaction() as conn:
            await conn.execute(
                delete(breaking_sends).where(
                    breaking_sends.c.chat_id == chat_id, breaking_sends.c.story_key == story_key
                )
            )

    async def due(self, now: datetime) -> list[HeldAlert]:
        """Held alerts whose quiet hours are over, oldest first — except in chats whose
        briefing is due: it may be on its way from another instance, and an alert it
        covers is dropped, so they wait for a run after it went out."""
        briefing_due = exists().where(
            chats.c.chat_id == breaking_sends.c.chat_id,
            chats.c.subscribed,
            chats.c.next_delivery_at <= now,
        )
        query = (
            select(breaking_sends)
            .where(
                breaking_sends.c.status == "held",
                breaking_sends.c.release_at <= now,
                ~briefing_due,
            )
            .order_by(breaking_sends.c.created_at, breaking_sends.c.chat_id)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [
                HeldAlert(row["chat_id"], row["story_key"], row["text"], row["created_at"])
                for row in result.mappings()
            ]

    async def settle(self, chat_id: int, story_key: str, status: str, now: datetime) -> bool:
        """Move a held alert to ``sent`` or ``dropped``; False if it was not held any more
        (another instance took it)."""
        async with self._db.transaction() as conn:
            result = await conn.execute(
                update(breaking_sends)
                .where(
                    breaking_sends.c.chat_id == chat_id,
                    breaking_sends.c.story_key == story_key,
                    breaking_sends.c.status == "held",
                )
                .values(status=status, sent_at=now if status == "sent" else None)
            )
            return result.rowcount == 1

    async def hold_again(self, chat_id: int, story_key: str, release_at: datetime) -> None:
        """A held alert whose send was deferred waits until ``release_at``."""
        async with self._db.transaction() as conn:
            await conn.execute(
                update(breaking_sends)
                .where(breaking_sends.c.chat_id == chat_id, breaking_sends.c.story_key == story_key)
                .values(status="held", release_at=release_at, sent_at=None)
            )

    async def briefing_sent_since(self, chat_id: int, since: datetime) -> bool:
        """Whether the chat's briefing went out at or after ``since``."""
        delivered = and_(
            deliveries.c.chat_id == chat_id,
            deliveries.c.status == "sent",
            func.coalesce(deliveries.c.sent_at, deliveries.c.updated_at) >= since,
        )
        async with self._db.reading() as conn:
            return bool(await conn.scalar(select(exists().where(delivered))))

    async def sends(self, chat_id: int) -> list[tuple[str, str]]:
        """(story key, status) of the chat's alerts, oldest first (inspection and tests)."""
        query = (
            select(breaking_sends.c.story_key, breaking_sends.c.status)
            .where(breaking_sends.c.chat_id == chat_id)
            .order_by(breaking_sends.c.created_at, breaking_sends.c.story_key)
        )
        async with self._db.reading() as conn:
            return [(row[0], row[1]) for row in await conn.execute(query)]

    async def prune(self, older_than: datetime) -> int:
        """Forget alerts and alerted stories older than any story can be (its items are
        pruned by then); held ones wait at most a day, so they are gone too."""
        async with self._db.transaction() as conn:
            sent = await conn.execute(
                delete(breaking_sends).where(breaking_sends.c.created_at < older_than)
            )
            await conn.execute(
                delete(breaking_stories).where(breaking_stories.c.confirmed_at < older_than)
            )
            return sent.rowcount

    # ------------------------------------------------------------------ helpers

    async def _upsert(self, conn: Any, chat_id: int, changes: dict[str, Any]) -> None:
        statement = self._insert(breaking_chats).values(chat_id=chat_id, **changes)
        await conn.execute(
            statement.on_conflict_do_update(index_elements=["chat_id"], set_=changes)
        )

    def _insert(self, table: Any) -> Any:
        dialect = postgresql if self._db.dialect == "postgresql" else sqlite
        return dialect.insert(table)
