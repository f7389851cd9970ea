"""The delivery log: one row per (chat, edition date), the record that makes each daily
edition go out at most once, and the place its outcome is written down.

Each method is one transaction. Rows move like this::

    (none) ──claim──▶ sending ──mark_sent──────────▶ sent
                        │ ▲ └──mark_failed(final)──▶ failed   (gave up; chat advanced)
                        │ └──claim (retry)────────── failed   (attempts < max: next tick)
                        └──resolve_unconfirmed─────▶ sent, sent_at NULL  ("unconfirmed")
    (none) ──mark_skipped──────────────────────────▶ skipped  (too late after downtime)

``sending`` means "a message to this chat may be in flight". Nobody but the claimant
sends for a ``sending`` row; if the claimant died, the row is resolved as *unconfirmed*:
status ``sent`` with ``sent_at`` NULL and the reason in ``error`` — treated as delivered,
because re-sending could duplicate (see :mod:`bot.delivery.dispatcher` for when).

Whenever a row reaches a final state the chat's ``next_delivery_at`` is advanced to the
next occurrence of its local time in the same transaction, so a crash can never leave
an edition recorded as done but still due, or advanced but unrecorded.

Lock order is chats → deliveries, as in :class:`~bot.store.subscribers.SubscriberStore`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import RowMapping, Select, bindparam, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.delivery.schedule import next_delivery
from bot.models import DeactivationReason, Frequency
from bot.store.database import Database
from bot.store.schema import chats, deliveries

UNCONFIRMED_PREFIX = "unconfirmed: "

Request = TypeVar("Request")
Result = TypeVar("Result")


class DeliveryStatus(StrEnum):
    SENDING = "sending"
    """Claimed: messages may be in flight."""
    SENT = "sent"
    FAILED = "failed"
    """The last attempt failed; retried at a later tick while attempts remain."""
    SKIPPED = "skipped"
    """Not sent: more than the allowed lateness after downtime."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One row of the delivery log."""

    chat_id: int
    edition_date: date
    status: DeliveryStatus
    scheduled_for: datetime
    attempts: int
    """Claims so far (the first send and each later retry)."""
    messages_sent: int
    """Messages of the briefing confirmed by Telegram; a retry resumes after them."""
    sent_at: datetime | None
    updated_at: datetime
    error: str | None

    @property
    def unconfirmed(self) -> bool:
        """Resolved after its sender died: maybe delivered, never re-sent."""
        return self.status is DeliveryStatus.SENT and self.sent_at is None

    @classmethod
    def from_row(cls, row: RowMapping) -> Delivery:
        values = dict(row)
        values["status"] = DeliveryStatus(values["status"])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Claim:
    """What :meth:`DeliveryStore.claim` (or :meth:`~DeliveryStore.mark_skipped`) found."""

    delivery: Delivery | None
    """The row now; None if the chat is gone or no longer subscribed (nothing to do)."""
    ours: bool
    """True if this call wrote the row (a fresh claim, a retry claim, or the skip)."""


@dataclass(frozen=True, slots=True)
class EditionOutcome:
    """Where the editions of the chats due in a window stand, whichever instance sent
    them: what the operators' edition report shows."""

    sent: int = 0
    failed: int = 0
    """Given up: a rejected message, or transient errors for every attempt."""
    deactivated: int = 0
    """The chat blocked the bot, removed it or is gone."""
    skipped: int = 0
    """Too late after downtime."""
    pending: int = 0
    """Not settled: to retry at a later tick, unconfirmed, or still in flight."""
    in_flight: int = 0
    """Of ``pending``: claimed and sending, or due and not claimed yet."""

    @property
    def chats(self) -> int:
        return self.sent + self.failed + self.deactivated + self.skipped + self.pending


class DeliveryStore:
    """The ``deliveries`` table, on a :class:`Database` opened by the caller."""

    def __init__(self, database: Database) -> None:
        self._db = database
        # SQLite has one writer at a time. Concurrent senders queue here rather than in
        # SQLite's busy handler, whose sleeps (up to 100 ms) would cap the send rate.
        self._sqlite_writer = asyncio.Lock() if database.dialect == "sqlite" else None
        self._dialect = postgresql if database.dialect == "postgresql" else sqlite
        self._claims = _GroupCommit(self._claim_batch)
        self._sends = _GroupCommit(self._write_batch)

    async def get(self, chat_id: int, edition_date: date) -> Delivery | None:
        async with self._db.reading() as conn:
            return await _fetch(conn, chat_id, edition_date)

    async def count_by_status(self, edition_date: date | None = None) -> dict[str, int]:
        """Rows per status (``unconfirmed`` counted apart from ``sent``), for reports."""
        unconfirmed = (deliveries.c.status == DeliveryStatus.SENT) & deliveries.c.sent_at.is_(None)
        query = select(deliveries.c.status, unconfirmed.label("unconfirmed"), func.count())
        if edition_date is not None:
            query = query.where(deliveries.c.edition_date == edition_date)
        query = query.group_by(deliveries.c.status, unconfirmed)
        async with self._db.reading() as conn:
            rows = (await conn.execute(query)).all()
        return {("unconfirmed" if flag else str(status)): count for status, flag, count in rows}

    async def outcome(self, after: datetime, until: datetime) -> EditionOutcome:
        """The editions of the chats that were due in (``after``, ``until``], as the log
        has them now: each row by its status (a failed one as pending while its chat is
        still due for it, as deactivated if the chat has been), plus the chats due then
        that have no row yet (in flight: in some instance's hands, or not taken yet)."""
        window = (deliveries.c.scheduled_for > after, deliveries.c.scheduled_for <= until)
        # Grouped by plain columns and parameter-free expressions: PostgreSQL tells a
        # bound parameter in SELECT from the same one in GROUP BY (as in count_by_state).
        unconfirmed = deliveries.c.sent_at.is_(None)
        still_due = chats.c.subscribed & (chats.c.next_delivery_at <= deliveries.c.scheduled_for)
        columns = (deliveries.c.status, unconfirmed, still_due, chats.c.deactivated_reason)
        rows = (
            select(*columns, func.count())
            .join(chats, chats.c.chat_id == deliveries.c.chat_id)
            .where(*window)
            .group_by(*columns)
        )
        claimed = select(literal(1)).where(
            deliveries.c.chat_id == chats.c.chat_id,
            deliveries.c.scheduled_for == chats.c.next_delivery_at,
        )
        unclaimed = select(func.count()).where(
            chats.c.subscribed,
            chats.c.next_delivery_at > after,
            chats.c.next_delivery_at <= until,
            ~claimed.exists(),
        )
        counts: dict[str, int] = dict.fromkeys(
            ("sent", "failed", "deactivated", "skipped", "pending", "in_flight"), 0
        )
        async with self._db.reading() as conn:
            for status, no_sent_at, due, reason, count in await conn.execute(rows):
                kind = _outcome_kind(DeliveryStatus(status), bool(no_sent_at), bool(due), reason)
                counts[kind] += int(count)
                if status == DeliveryStatus.SENDING:
                    counts["in_flight"] += int(count)
            waiting = int(await conn.scalar(unclaimed) or 0)
        counts["pending"] += waiting
        counts["in_flight"] += waiting
        return EditionOutcome(**counts)

    async def claim(
        self,
        chat_id: int,
        edition_date: date,
        *,
        scheduled_for: datetime,
        now: datetime,
        max_attempts: int,
    ) -> Claim:
        """Take the edition for sending, before any message goes out.

        Inserts a ``sending`` row, or re-claims a ``failed`` one with attempts left
        (``attempts + 1``). Otherwise the existing row is returned, not ours. Nothing is
        claimed for a chat that is no longer subscribed (e.g. /stop since ``due()``).

        Group commit, as :meth:`mark_sent`: claims that arrive while a batch is being
        written go together in the next transaction (in chat order, so two instances'
        batches cannot deadlock); a broadcast's workers then share one round of BEGIN,
        connection check and COMMIT. Each call returns once its own claim is committed.
        """
        request = _ClaimRequest(chat_id, edition_date, scheduled_for, now, max_attempts)
        return await self._claims.submit(request)

    async def _claim_batch(self, requests: list[_ClaimRequest]) -> list[Claim]:
        """One transaction for the batch, its chats in order; the claims in ``requests``'
        order."""
        order = sorted(range(len(requests)), key=lambda index: requests[index].chat_id)
        async with self._transaction() as conn:
            claims = await self._claim_all(conn, [requests[index] for index in order])
        by_index = dict(zip(order, claims, strict=True))
        return [by_index[index] for index in range(len(requests))]

    async def _claim_all(self, conn: AsyncConnection, requests: list[_ClaimRequest]) -> list[Claim]:
        """The batch's claims (``requests`` in chat order), in three round trips for the
        usual case: lock the chats that are still subscribed (so none can stop before we
        commit), insert every fresh ``sending`` row at once, and only for the rest — a
        retry of a failed edition, or a row someone else wrote — go chat by chat."""
        ids = sorted({request.chat_id for request in requests})
        subscribed = set(
            (
                await conn.execute(
                    select(chats.c.chat_id)
                    .where(chats.c.chat_id.in_(ids), chats.c.subscribed)
                    .order_by(chats.c.chat_id)
                    .with_for_update(read=True)
                )
            ).scalars()
        )
        rows = [
            {
                "chat_id": request.chat_id,
                "edition_date": request.edition_date,
                "status": DeliveryStatus.SENDING,
                "scheduled_for": request.scheduled_for,
                "attempts": 1,
                "messages_sent": 0,
                "updated_at": request.now,
            }
            for request in requests
            if request.chat_id in subscribed
        ]
        inserted: dict[tuple[int, date], Delivery] = {}
        if rows:
            # Rows as parameters, not ``.values(rows)``: a statement with the rows inlined
            # is compiled anew for every batch (a tenth of a paid broadcast's CPU);
            # SQLAlchemy's "insert many values" still sends it as one multi-row INSERT.
            statement = (
                self._dialect.insert(deliveries)
                .on_conflict_do_nothing(index_elements=["chat_id", "edition_date"])
                .returning(*deliveries.c)
            )
            for written in (await conn.execute(statement, rows)).mappings():
                delivery = Delivery.from_row(written)
                inserted[(delivery.chat_id, delivery.edition_date)] = delivery
        claims: list[Claim] = []
        for request in requests:
            key = (request.chat_id, request.edition_date)
            if request.chat_id not in subscribed:
                claims.append(Claim(None, ours=False))
            elif key in inserted:
                claims.append(Claim(inserted.pop(key), ours=True))
            else:
                claims.append(await self._reclaim(conn, request))
        return claims

    async def _reclaim(self, conn: AsyncConnection, request: _ClaimRequest) -> Claim:
        """A subscribed chat whose edition has a row already: take it again if it failed
        with attempts left; otherwise it is not ours."""
        chat_id, edition_date = request.chat_id, request.edition_date
        retry = (
            update(deliveries)
            .where(
                *_key(chat_id, edition_date),
                deliveries.c.status == DeliveryStatus.FAILED,
                deliveries.c.attempts < request.max_attempts,
            )
            .values(
                status=DeliveryStatus.SENDING,
                attempts=deliveries.c.attempts + 1,
                updated_at=request.now,
            )
            .returning(*deliveries.c)
        )
        written = (await conn.execute(retry)).mappings().first()
        if written:
            return Claim(Delivery.from_row(written), ours=True)
        return Claim(await _fetch(conn, chat_id, edition_date), ours=False)

    async def mark_skipped(
        self,
        chat_id: int,
        edition_date: date,
        *,
        scheduled_for: datetime,
        reason: str,
        now: datetime,
    ) -> Claim:
        """Record the edition as skipped and advance the chat, unless a row exists
        already (then it is returned, not ours, and nothing changes)."""
        row = {
            "chat_id": chat_id,
            "edition_date": edition_date,
            "status": DeliveryStatus.SKIPPED,
            "scheduled_for": scheduled_for,
            "attempts": 0,
            "messages_sent": 0,
            "updated_at": now,
            "error": reason,
        }
        async with self._transaction() as conn:
            written = (await conn.execute(self._insert_if_subscribed(row))).mappings().first()
            if written:
                await _advance(conn, [(chat_id, now)])
                return Claim(Delivery.from_row(written), ours=True)
            return await self._existing(conn, chat_id, edition_date)

    async def record_progress(
        self, chat_id: int, edition_date: date, messages_sent: int, now: datetime
    ) -> None:
        """Between the messages of one briefing: how many Telegram has confirmed."""
        await self._set(chat_id, edition_date, {"messages_sent": messages_sent}, now)

    async def mark_sent(
        self, chat_id: int, edition_date: date, messages_sent: int, now: datetime
    ) -> None:
        """The whole briefing went out: record it and advance the chat, together.

        Group commit: calls that arrive while a batch is being written go together in
        the next transaction, so a broadcast's workers share one commit (on SQLite, with
        its single writer, this is what lets the send rate go past ~100/s). Each call
        returns once its own row is committed.
        """
        await self._sends.submit(_Sent(chat_id, edition_date, messages_sent, now))

    async def mark_failed(
        self,
        chat_id: int,
        edition_date: date,
        *,
        messages_sent: int,
        error: str,
        final: bool,
        now: datetime,
    ) -> None:
        """The attempt failed. ``final``: give the edition up and advance the chat;
        otherwise the chat stays due and a later tick re-claims the row."""
        changes = {"status": DeliveryStatus.FAILED, "messages_sent": messages_sent, "error": error}
        await self._set(chat_id, edition_date, changes, now, advance=final)

    async def give_up(self, chat_id: int, edition_date: date, error: str, now: datetime) -> None:
        """Stop retrying a ``failed`` edition (e.g. it became too late) and advance."""
        await self._set(chat_id, edition_date, {"error": error}, now, advance=True)

    async def resolve_unconfirmed(
        self, chat_id: int, edition_date: date, *, claimed_before: datetime, now: datetime
    ) -> bool:
        """Settle a ``sending`` row untouched since ``claimed_before`` — its sender is
        gone — as unconfirmed (``sent`` without ``sent_at``) and advance the chat.

        False if the row is not such a row (any more).
        """
        async with self._transaction() as conn:
            await conn.execute(  # chats first: the lock order
                select(chats.c.chat_id).where(chats.c.chat_id == chat_id).with_for_update()
            )
            current = await _fetch(conn, chat_id, edition_date)
            if current is None or current.status is not DeliveryStatus.SENDING:
                return False
            in_flight = current.messages_sent + 1
            statement = (
                update(deliveries)
                .where(
                    *_key(chat_id, edition_date),
                    deliveries.c.status == DeliveryStatus.SENDING,
                    deliveries.c.updated_at <= claimed_before,
                )
                .values(
                    status=DeliveryStatus.SENT,
                    error=f"{UNCONFIRMED_PREFIX}the sender stopped while message {in_flight} "
                    "may have been in flight; not re-sent",
                    updated_at=now,
                )
            )
            if (await conn.execute(statement)).rowcount == 0:
                return False
            await _advance(conn, [(chat_id, now)])
            return True

    async def advance(self, chat_id: int, now: datetime) -> None:
        """Move a chat whose edition is already settled on to its next occurrence."""
        async with self._transaction() as conn:
            await _advance(conn, [(chat_id, now)])

    # ------------------------------------------------------------------ helpers

    async def _set(
        self,
        chat_id: int,
        edition_date: date,
        changes: dict[str, Any],
        now: datetime,
        *,
        advance: bool = False,
    ) -> None:
        statement = (
            update(deliveries).where(*_key(chat_id, edition_date)).values(**changes, updated_at=now)
        )
        async with self._transaction() as conn:
            if advance:  # chats first: the lock order
                await _advance(conn, [(chat_id, now)])
            await conn.execute(statement)

    async def _write_batch(self, rows: list[_Sent]) -> list[None]:
        record = (
            update(deliveries)
            .where(
                deliveries.c.chat_id == bindparam("k_chat"),
                deliveries.c.edition_date == bindparam("k_edition"),
            )
            .values(
                status=DeliveryStatus.SENT,
                messages_sent=bindparam("v_messages"),
                sent_at=bindparam("v_now"),
                updated_at=bindparam("v_now"),
                error=None,
            )
        )
        parameters = [
            {
                "k_chat": sent.chat_id,
                "k_edition": sent.edition_date,
                "v_messages": sent.messages_sent,
                "v_now": sent.now,
            }
            for sent in rows
        ]
        async with self._transaction() as conn:
            await _advance(conn, [(sent.chat_id, sent.now) for sent in rows])
            await conn.execute(record, parameters)
        return [None] * len(rows)

    async def _existing(self, conn: AsyncConnection, chat_id: int, edition_date: date) -> Claim:
        """The row that kept an insert from happening (None if the chat is unsubscribed)."""
        if not await conn.scalar(_subscribed(chat_id)):
            return Claim(None, ours=False)
        return Claim(await _fetch(conn, chat_id, edition_date), ours=False)

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        async with self._sqlite_writer or contextlib.nullcontext(), self._db.transaction() as conn:
            yield conn

    def _insert_if_subscribed(self, row: dict[str, Any]) -> Any:
        """INSERT … SELECT from the chat's row if it is subscribed, ON CONFLICT DO NOTHING."""
        names = [name for name in row if name != "chat_id"]
        values = [literal(row[name], deliveries.c[name].type) for name in names]
        source = select(chats.c.chat_id, *values).where(
            chats.c.chat_id == row["chat_id"], chats.c.subscribed
        )
        dialect = postgresql if self._db.dialect == "postgresql" else sqlite
        return (
            dialect.insert(deliveries)
            .from_select(["chat_id", *names], source)
            .on_conflict_do_nothing(index_elements=["chat_id", "edition_date"])
            .returning(*deliveries.c)
        )


def _outcome_kind(
    status: DeliveryStatus, unconfirmed: bool, still_due: bool, reason: str | None
) -> str:
    """Which :class:`EditionOutcome` count a row of the log goes to."""
    if status is DeliveryStatus.SENT:
        return "pending" if unconfirmed else "sent"
    if status is DeliveryStatus.SKIPPED:
        return "skipped"
    if status is DeliveryStatus.SENDING or still_due:
        return "pending"
    if reason is not None and reason != DeactivationReason.UNSUBSCRIBED:
        return "deactivated"
    return "failed"


def _key(chat_id: int, edition_date: date) -> tuple[Any, Any]:
    return deliveries.c.chat_id == chat_id, deliveries.c.edition_date == edition_date


async def _fetch(conn: AsyncConnection, chat_id: int, edition_date: date) -> Delivery | None:
    query = select(deliveries).where(*_key(chat_id, edition_date))
    row = (await conn.execute(query)).mappings().first()
    return Delivery.from_row(row) if row else None


def _subscribed(chat_id: int) -> Select[int]:
    """1 if the chat is subscribed (else no row)."""
    return select(literal(1)).where(chats.c.chat_id == chat_id, chats.c.subscribed)


async def _advance(conn: AsyncConnection, moves: list[tuple[int, datetime]]) -> None:
    """As :meth:`SubscriberStore.advance` for each (chat, now), in the caller's transaction:
    the chat's next delivery after ``now`` (its time, zone and frequency), if still
    subscribed."""
    ids = [chat_id for chat_id, _ in moves]
    query = (
        select(
            chats.c.chat_id,
            chats.c.delivery_time,
            chats.c.timezone,
            chats.c.frequency,
            chats.c.delivery_weekday,
        )
        .where(chats.c.chat_id.in_(ids), chats.c.subscribed)
        .order_by(chats.c.chat_id)
        .with_for_update()
    )
    current = {row.chat_id: row for row in await conn.execute(query)}
    parameters = [
        {
            "k_chat": chat_id,
            "v_next": next_delivery(
                row.delivery_time,
                row.timezone,
                now,
                Frequency(row.frequency),
                row.delivery_weekday,
            ),
        }
        for chat_id, now in moves
        if (row := current.get(chat_id)) is not None
    ]
    if parameters:
        statement = (
            update(chats)
            .where(chats.c.chat_id == bindparam("k_chat"))
            .values(next_delivery_at=bindparam("v_next"))
        )
        await conn.execute(statement, parameters)


@dataclass(frozen=True, slots=True)
class _ClaimRequest:
    chat_id: int
    edition_date: date
    scheduled_for: datetime
    now: datetime
    max_attempts: int


@dataclass(frozen=True, slots=True)
class _Sent:
    chat_id: int
    edition_date: date
    messages_sent: int
    now: datetime


class _GroupCommit(Generic[Request, Result]):
    """Group commit: calls that arrive while a batch is being written go together in the
    next one. ``write`` turns a batch of requests into their results, in order, in one
    transaction; each :meth:`submit` returns its own result once that is committed, or
    raises what the batch raised.
    """

    def __init__(self, write: Callable[[list[Request]], Awaitable[list[Result]]]) -> None:
        self._write = write
        self._writer = asyncio.Lock()
        self._queue: list[tuple[Request, asyncio.Future[Result]]] = []

    async def submit(self, request: Request) -> Result:
        done: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((request, done))
        try:
            async with self._writer:
                if not done.done():  # nobody wrote it yet: write everything queued
                    batch, self._queue = self._queue, []
                    await self._run(batch)
            return await done
        except asyncio.CancelledError:
            if not done.cancel() and not done.cancelled():
                done.exception()  # settled by the batch: mark its outcome as seen
            raise

    async def _run(self, batch: list[tuple[Request, asyncio.Future[Result]]]) -> None:
        waiters = [waiter for _, waiter in batch]
        try:
            results = await self._write([request for request, _ in batch])
        except Exception as exc:
            _fail(waiters, exc)
        except BaseException:  # cancelled mid-write: the rest of the batch learns it failed
            _fail(waiters, RuntimeError("the delivery log write was cancelled"))
            raise
        else:
            for waiter, result in zip(waiters, results, strict=True):
                if not waiter.done():  # its caller was cancelled
                    waiter.set_result(result)


def _fail(waiters: list[asyncio.Future[Any]], error: BaseException) -> None:
    for waiter in waiters:
        if not waiter.done():  # its caller was cancelled
            waiter.set_exception(error)
