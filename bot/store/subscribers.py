"""The subscriber repository: every read and write of chat settings goes through here.

Each method is one transaction. Times are aware UTC datetimes; ``now`` is passed in
(or taken from the store's clock) so callers and tests control it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    BigInteger,
    RowMapping,
    Select,
    delete,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.delivery.schedule import next_delivery
from bot.errors import LastTopic
from bot.models import (
    ALL_TOPICS,
    DEFAULT_DELIVERY_TIME,
    DEFAULT_TIMEZONE,
    DeactivationReason,
    ForumThread,
    Frequency,
    Language,
    Subscriber,
    SummaryLength,
    Topic,
)
from bot.store.database import Database
from bot.store.schema import (
    TOPIC_BITS,
    channel_managers,
    chats,
    deliveries,
    follow_sends,
    follows,
    mask_to_topics,
    topics_to_mask,
)

CHAT_TYPES = frozenset({"private", "group", "supergroup", "channel"})
LANGUAGES = frozenset(Language)
SUMMARY_LENGTHS = frozenset(SummaryLength)
FREQUENCIES = frozenset(Frequency)


_FANOUT_COLUMNS = ("fanout_holder", "fanout_until")
"""The fan-out's reservation (:meth:`SubscriberStore.reserve_due`): not a chat setting."""


def _subscriber_from_row(row: RowMapping) -> Subscriber:
    values = dict(row)
    for name in _FANOUT_COLUMNS:
        values.pop(name, None)
    values["topics"] = mask_to_topics(values["topics"])
    values["subscribed"] = bool(values["subscribed"])
    values["timezone_chosen"] = bool(values["timezone_chosen"])
    values["language"] = Language(values["language"])
    values["summary_length"] = SummaryLength(values["summary_length"])
    values["frequency"] = Frequency(values["frequency"])
    return Subscriber(**values)


def _upcoming(
    settings: Subscriber,
    now: datetime,
    *,
    local_time: time | None = None,
    tz: str | None = None,
    frequency: Frequency | None = None,
    weekday: int | None = None,
) -> datetime:
    """The chat's next delivery after ``now``, with the given settings changed."""
    return next_delivery(
        settings.delivery_time if local_time is None else local_time,
        settings.timezone if tz is None else tz,
        now,
        settings.frequency if frequency is None else frequency,
        settings.delivery_weekday if weekday is None else weekday,
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Zone:
    """A zone for a subscription: named by the reader (``chosen``) or a guess."""

    name: str | None
    chosen: bool = False


def _zone_for(current: Subscriber, given: str | None, guess: str | None) -> _Zone:
    """A named zone always applies; a guess only to a chat coming back whose zone
    nobody chose (an active subscription is not moved by a guess)."""
    if given is not None:
        return _Zone(given, chosen=True)
    if guess is not None and not current.subscribed and not current.timezone_chosen:
        return _Zone(guess)
    return _Zone(None)


class SubscriberStore:
    """Chat settings and subscriptions, on a :class:`Database` opened by the caller."""

    def __init__(
        self,
        database: Database,
        *,
        default_timezone: str = DEFAULT_TIMEZONE,
        default_time: time = DEFAULT_DELIVERY_TIME,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._db = database
        self._default_timezone = _valid_timezone(default_timezone)
        self._default_time = default_time
        self._clock = clock

    # ------------------------------------------------------------------ reads

    async def get(self, chat_id: int) -> Subscriber | None:
        async with self._db.reading() as conn:
            return await _fetch_one(conn, select(chats).where(chats.c.chat_id == chat_id))

    async def due(self, now: datetime, limit: int = 1000) -> list[Subscriber]:
        """Subscribed chats whose briefing is due at ``now``, most overdue first."""
        query = (
            select(chats)
            .where(chats.c.subscribed, chats.c.next_delivery_at <= now)
            .order_by(chats.c.next_delivery_at, chats.c.chat_id)
            .limit(limit)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [_subscriber_from_row(row) for row in result.mappings()]

    async def reserve_due(
        self,
        now: datetime,
        limit: int,
        *,
        holder: str,
        until: datetime,
        due_by: datetime | None = None,
        own_before: datetime | None = None,
    ) -> list[Subscriber]:
        """Take up to ``limit`` chats due by ``due_by`` (default ``now``) for ``holder``
        until ``until``, most overdue first: those nobody holds, those whose reservation
        ran out by ``now``, and ``holder``'s own — with ``own_before``, only those of its
        own that would run out before then (reserved by an earlier run, not by the one
        asking, which has them in hand). Instances fanning out at once get disjoint chats.

        On PostgreSQL rows another transaction has locked (another instance reserving
        or settling them) are skipped, not waited for; SQLite has a single writer.
        """
        own = chats.c.fanout_holder == holder
        if own_before is not None:
            own &= chats.c.fanout_until < own_before
        free = chats.c.fanout_until.is_(None) | (chats.c.fanout_until <= now) | own
        picked = (
            select(chats.c.chat_id)
            .where(chats.c.subscribed, chats.c.next_delivery_at <= (due_by or now), free)
            .order_by(chats.c.next_delivery_at, chats.c.chat_id)
            .limit(limit)
        )
        if self._db.dialect == "postgresql":
            picked = picked.with_for_update(skip_locked=True)
        statement = (
            update(chats)
            .where(chats.c.chat_id.in_(picked.scalar_subquery()))
            .values(fanout_holder=holder, fanout_until=until)
            .returning(*chats.c)
        )
        async with self._db.transaction() as conn:
            rows = (await conn.execute(statement)).mappings().all()
        reserved = [_subscriber_from_row(row) for row in rows]
        # RETURNING keeps no order.
        reserved.sort(key=lambda chat: (chat.next_delivery_at, chat.chat_id))
        return reserved

    async def channels_managed_by(self, user_id: int) -> list[Subscriber]:
        """Channels whose settings ``user_id`` may change from a private chat."""
        query = (
            select(chats)
            .join(channel_managers, channel_managers.c.channel_id == chats.c.chat_id)
            .where(channel_managers.c.user_id == user_id, chats.c.chat_type == "channel")
            .order_by(chats.c.title, chats.c.chat_id)
        )
        async with self._db.reading() as conn:
            result = await conn.execute(query)
            return [_subscriber_from_row(row) for row in result.mappings()]

    async def count_subscribed(self) -> int:
        """Subscribed chats. For inspection (tests, benchmarks, an operator's shell);
        the bot itself never needs the number."""
        async with self._db.reading() as conn:
            count = await conn.scalar(select(func.count()).where(chats.c.subscribed))
            return int(count or 0)

    async def count_by_state(self) -> dict[str, int]:
        """Chats that are ``subscribed``, ``unsubscribed`` (known, not receiving) or
        ``inactive`` (blocked the bot, removed it, gone): what the operator's gauge shows."""
        # Grouped by plain columns: a CASE with string parameters is a different expression
        # in SELECT and GROUP BY to PostgreSQL ($1 vs $4), which refuses it.
        reason = chats.c.deactivated_reason
        query = select(chats.c.subscribed, reason, func.count()).group_by(
            chats.c.subscribed, reason
        )
        counts = dict.fromkeys(("subscribed", "unsubscribed", "inactive"), 0)
        async with self._db.reading() as conn:
            for receiving, why, count in await conn.execute(query):
                if receiving:
                    state = "subscribed"
                elif why is None or why == DeactivationReason.UNSUBSCRIBED:
                    state = "unsubscribed"
                else:
                    state = "inactive"
                counts[state] += int(count)
        return counts

    # ------------------------------------------------------------------ subscription

    async def subscribe(
        self,
        chat_id: int,
        *,
        chat_type: str,
        title: str,
        language: str,
        timezone: str | None = None,
        timezone_guess: str | None = None,
        delivery_time: time | None = None,
        added_by: int | None = None,
        thread: ForumThread | None = None,
        now: datetime,
    ) -> tuple[Subscriber, bool]:
        """Create or re-activate the chat's subscription; ``(settings, newly_subscribed)``.

        Idempotent: an active subscription keeps its settings (the title and chat type
        are refreshed; a given time or zone is applied). Settings stored while the chat
        was not subscribed are kept. ``timezone_guess`` replaces a zone nobody chose
        (it stays not chosen). For a channel, ``added_by`` is also recorded as one of
        its managers. ``thread`` is where the briefing goes from now on (the topic
        ``/subscribe`` was sent in); None keeps the current one.
        """
        _check(chat_type, CHAT_TYPES, "chat type")
        _check(language, LANGUAGES, "language")
        for zone in (timezone, timezone_guess):
            if zone is not None:
                _valid_timezone(zone)
        tz = timezone or timezone_guess or self._default_timezone
        at = delivery_time if delivery_time is not None else self._default_time
        row = self._new_row(chat_id, chat_type, title, language, now) | {
            "timezone": tz,
            "timezone_chosen": timezone is not None,
            "delivery_time": at,
            "subscribed": True,
            "next_delivery_at": next_delivery(at, tz, now),
            "added_by": added_by,
            "message_thread_id": thread.thread_id if thread else None,
        }
        insert = self._insert(row).on_conflict_do_nothing(index_elements=["chat_id"])
        async with self._db.transaction() as conn:
            # Twice at most: a row that conflicts can be forgotten before we lock it.
            for _ in range(2):
                created = (await conn.execute(insert.returning(*chats.c))).mappings().first()
                if created:
                    settings, newly = _subscriber_from_row(created), True
                    break
                current = await _locked(conn, chat_id)
                if current:
                    settings, newly = await self._resubscribe(
                        conn,
                        current,
                        chat_type,
                        title,
                        _zone_for(current, timezone, timezone_guess),
                        delivery_time,
                        added_by,
                        thread,
                        now,
                    )
                    break
            else:
                raise RuntimeError(f"chat {chat_id} kept vanishing while subscribing")
            if chat_type == "channel" and added_by is not None:
                await self._record_manager(conn, chat_id, added_by)
            return settings, newly

    async def _resubscribe(
        self,
        conn: AsyncConnection,
        current: Subscriber,
        chat_type: str,
        title: str,
        zone: _Zone,
        delivery_time: time | None,
        added_by: int | None,
        thread: ForumThread | None,
        now: datetime,
    ) -> tuple[Subscriber, bool]:
        changes: dict[str, Any] = {"title": title or current.title, "chat_type": chat_type}
        if thread is not None:
            changes["message_thread_id"] = thread.thread_id
        if not current.subscribed:
            changes |= {"subscribed": True, "deactivated_at": None, "deactivated_reason": None}
            if added_by is not None:
                changes["added_by"] = added_by
        new_zone = zone.name is not None and zone.name != current.timezone
        if not current.subscribed or new_zone or zone.chosen or delivery_time is not None:
            tz = zone.name or current.timezone
            at = delivery_time if delivery_time is not None else current.delivery_time
            changes |= {"timezone": tz, "delivery_time": at}
            changes["timezone_chosen"] = current.timezone_chosen or zone.chosen
            changes["next_delivery_at"] = _upcoming(current, now, local_time=at, tz=tz)
        if all(getattr(current, name) == value for name, value in changes.items()):
            return current, False
        updated = await _update(conn, current.chat_id, changes | {"updated_at": now})
        assert updated is not None, "the row is locked"
        return updated, not current.subscribed

    async def ensure_chat(
        self, chat_id: int, *, chat_type: str, title: str, language: str
    ) -> Subscriber:
        """The chat's settings, creating an unsubscribed row with defaults if missing."""
        _check(chat_type, CHAT_TYPES, "chat type")
        _check(language, LANGUAGES, "language")
        row = self._new_row(chat_id, chat_type, title, language, self._clock())
        async with self._db.transaction() as conn:
            await conn.execute(self._insert(row).on_conflict_do_nothing(index_elements=["chat_id"]))
            settings = await _locked(conn, chat_id)
            assert settings is not None
            return settings

    async def unsubscribe(self, chat_id: int, now: datetime) -> Subscriber | None:
        return await self.deactivate(chat_id, DeactivationReason.UNSUBSCRIBED, now)

    async def deactivate(
        self, chat_id: int, reason: DeactivationReason | str, now: datetime
    ) -> Subscriber | None:
        """Stop deliveries to the chat, keeping its settings for a later /start."""
        changes = {
            "subscribed": False,
            "next_delivery_at": None,
            "deactivated_at": now,
            "deactivated_reason": str(reason),
            "updated_at": now,
        }
        async with self._db.transaction() as conn:
            return await _update(conn, chat_id, changes)

    async def advance(self, chat_id: int, now: datetime) -> Subscriber | None:
        """After an edition went out: the next delivery is the next occurrence after now."""
        async with self._db.transaction() as conn:
            current = await _locked(conn, chat_id)
            if current is None or not current.subscribed:
                return current
            return await _update(conn, chat_id, {"next_delivery_at": _upcoming(current, now)})

    # ------------------------------------------------------------------ settings

    async def set_time(self, chat_id: int, delivery_time: time, now: datetime) -> Subscriber | None:
        """Change the local delivery time; it applies from the next occurrence after now."""
        async with self._db.transaction() as conn:
            current = await _locked(conn, chat_id)
            if current is None:
                return None
            changes: dict[str, Any] = {"delivery_time": delivery_time, "updated_at": now}
            if current.subscribed:
                changes["next_delivery_at"] = _upcoming(current, now, local_time=delivery_time)
            return await _update(conn, chat_id, changes)

    async def set_timezone(self, chat_id: int, timezone: str, now: datetime) -> Subscriber | None:
        """Change the IANA zone (resolve readers' text with ``bot.delivery.schedule`` first)."""
        _valid_timezone(timezone)
        async with self._db.transaction() as conn:
            current = await _locked(conn, chat_id)
            if current is None:
                return None
            changes: dict[str, Any] = {
                "timezone": timezone,
                "timezone_chosen": True,
                "updated_at": now,
            }
            if current.subscribed:
                changes["next_delivery_at"] = _upcoming(current, now, tz=timezone)
            return await _update(conn, chat_id, changes)

    async def set_frequency(
        self, chat_id: int, frequency: Frequency, weekday: int | None, now: datetime
    ) -> Subscriber | None:
        """Change how often the briefing comes (``weekday``: a weekly reader's day; None
        keeps the chosen one). It applies from the next delivery due after now, so an
        edition already sent today is not sent again, and no missed day is made up."""
        _check(frequency, FREQUENCIES, "frequency")
        if weekday is not None and not 0 <= weekday <= 6:
            raise ValueError(f"weekday {weekday} is not 0 (Monday) to 6 (Sunday)")
        async with self._db.transaction() as conn:
            current = await _locked(conn, chat_id)
            if current is None:
                return None
            day = current.delivery_weekday if weekday is None else weekday
            changes: dict[str, Any] = {
                "frequency": frequency,
                "delivery_weekday": day,
                "updated_at": now,
            }
            if current.subscribed:
                changes["next_delivery_at"] = _upcoming(
                    current, now, frequency=Frequency(frequency), weekday=day
                )
            return await _update(conn, chat_id, changes)

    async def forget_thread(self, chat_id: int, thread_id: int) -> Subscriber | None:
        """The forum topic ``thread_id`` is gone: the briefing goes to the chat itself
        (its General topic). A chat since moved to another topic keeps that one."""
        statement = (
            update(chats)
            .where(chats.c.chat_id == chat_id, chats.c.message_thread_id == thread_id)
            .values(message_thread_id=None, updated_at=self._clock())
            .returning(*chats.c)
        )
        async with self._db.transaction() as conn:
            row = (await conn.execute(statement)).mappings().first()
            return _subscriber_from_row(row) if row else None

    async def set_language(
        self, chat_id: int, language: str, *, now: datetime | None = None
    ) -> Subscriber | None:
        _check(language, LANGUAGES, "language")
        return await self._set(chat_id, {"language": language}, now)

    async def set_summary_length(
        self, chat_id: int, length: str, *, now: datetime | None = None
    ) -> Subscriber | None:
        _check(length, SUMMARY_LENGTHS, "summary length")
        return await self._set(chat_id, {"summary_length": length}, now)

    async def toggle_topic(
        self, chat_id: int, topic: Topic, *, now: datetime | None = None
    ) -> Subscriber | None:
        """Flip one topic in a single UPDATE, so concurrent toggles never undo each other,
        and never switch off the chat's last topic (the UPDATE's condition sees the row
        as it is when the write happens, so two quick taps cannot both pass).

        None for an unknown chat; raises :class:`~bot.errors.LastTopic` instead of
        leaving a chat with no topics.
        """
        bit = TOPIC_BITS[topic]
        # XOR spelled with operators both SQLite and PostgreSQL have.
        flipped = chats.c.topics.op("|")(bit) - chats.c.topics.op("&")(bit)
        statement = (
            update(chats)
            .where(chats.c.chat_id == chat_id, flipped != 0)
            .values(topics=flipped, updated_at=now or self._clock())
            .returning(*chats.c)
        )
        async with self._db.transaction() as conn:
            row = (await conn.execute(statement)).mappings().first()
            if row is not None:
                return _subscriber_from_row(row)
            known = await conn.scalar(select(chats.c.chat_id).where(chats.c.chat_id == chat_id))
        if known is None:
            return None
        raise LastTopic(f"chat {chat_id} keeps at least one topic")

    async def _set(
        self, chat_id: int, changes: dict[str, Any], now: datetime | None
    ) -> Subscriber | None:
        async with self._db.transaction() as conn:
            return await _update(conn, chat_id, changes | {"updated_at": now or self._clock()})

    # ------------------------------------------------------------------ identity

    async def migrate_chat(
        self, old_id: int, new_id: int, *, now: datetime | None = None
    ) -> Subscriber | None:
        """A group became a supergroup: move its row to the new id, settings and all.

        A row already at the new id (e.g. from a message that raced the migration) is
        replaced by the old chat's settings. None if the old id has no row.
        """
        async with self._db.transaction() as conn:
            if await _locked(conn, old_id) is None:
                return None
            await conn.execute(delete(chats).where(chats.c.chat_id == new_id))
            changes = {
                "chat_id": new_id,
                "chat_type": "supergroup",
                "updated_at": now or self._clock(),
            }
            return await _update(conn, old_id, changes)

    async def forget(self, chat_id: int) -> bool:
        """Delete everything stored about the chat; True if there was anything.

        The one place that erases a chat: new per-chat tables add their delete here.
        """
        async with self._db.transaction() as conn:
            await conn.execute(
                delete(channel_managers).where(channel_managers.c.channel_id == chat_id)
            )
            await conn.execute(delete(deliveries).where(deliveries.c.chat_id == chat_id))
            await conn.execute(delete(follow_sends).where(follow_sends.c.chat_id == chat_id))
            await conn.execute(delete(follows).where(follows.c.chat_id == chat_id))
            result = await conn.execute(delete(chats).where(chats.c.chat_id == chat_id))
            return result.rowcount > 0

    async def add_channel_manager(self, channel_id: int, user_id: int) -> bool:
        """Record that ``user_id`` administers the channel; False if the channel has no row."""
        async with self._db.transaction() as conn:
            return await self._record_manager(conn, channel_id, user_id)

    # ------------------------------------------------------------------ helpers

    async def _record_manager(self, conn: AsyncConnection, channel_id: int, user_id: int) -> bool:
        known = select(chats.c.chat_id, literal(user_id, BigInteger)).where(
            chats.c.chat_id == channel_id
        )
        insert = self._insert_into(channel_managers)
        statement = insert.from_select(["channel_id", "user_id"], known).on_conflict_do_nothing()
        await conn.execute(statement)
        exists = await conn.scalar(select(chats.c.chat_id).where(chats.c.chat_id == channel_id))
        return exists is not None

    def _new_row(
        self, chat_id: int, chat_type: str, title: str, language: str, now: datetime
    ) -> dict[str, Any]:
        return {
            "chat_id": chat_id,
            "chat_type": chat_type,
            "title": title,
            "language": language,
            "timezone": self._default_timezone,
            "delivery_time": self._default_time,
            "topics": topics_to_mask(ALL_TOPICS),
            "summary_length": SummaryLength.STANDARD,
            "subscribed": False,
            "next_delivery_at": None,
            "created_at": now,
            "updated_at": now,
        }

    def _insert(self, row: dict[str, Any]) -> Any:
        return self._insert_into(chats).values(**row)

    def _insert_into(self, table: Any) -> Any:
        """The dialect's INSERT, which has ``on_conflict_do_nothing``."""
        dialect = postgresql if self._db.dialect == "postgresql" else sqlite
        return dialect.insert(table)


async def _fetch_one(conn: AsyncConnection, query: Select[Any]) -> Subscriber | None:
    row = (await conn.execute(query)).mappings().first()
    return _subscriber_from_row(row) if row else None


async def _locked(conn: AsyncConnection, chat_id: int) -> Subscriber | None:
    """The row, locked until commit (FOR UPDATE on PostgreSQL; SQLite holds the write
    lock from BEGIN IMMEDIATE)."""
    return await _fetch_one(conn, select(chats).where(chats.c.chat_id == chat_id).with_for_update())


async def _update(
    conn: AsyncConnection, chat_id: int, changes: dict[str, Any]
) -> Subscriber | None:
    statement = (
        update(chats).where(chats.c.chat_id == chat_id).values(**changes).returning(*chats.c)
    )
    row = (await conn.execute(statement)).mappings().first()
    return _subscriber_from_row(row) if row else None


def _check(value: str, allowed: frozenset[str], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(sorted(allowed))}")


def _valid_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{name!r} is not an IANA time zone name") from exc
    return name
