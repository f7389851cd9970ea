"""The daily fan-out: each subscriber gets each edition once, at their own local time.

A JobQueue job ticks once a minute and calls :meth:`Dispatcher.run_due`, which pages
through :meth:`SubscriberStore.due` and, for each due chat, in a small pool of workers:

1. works out the edition date — the reader's local date of ``next_delivery_at``;
2. more than ``max_lateness`` (3 h) late, e.g. after downtime: records ``skipped`` and
   advances; otherwise composes the messages;
3. claims the (chat, edition date) row in the delivery log — just before sending, one
   chat at a time, so few claims are ever open at once;
4. sends the messages, resuming after those a previous attempt got through;
5. records ``sent`` and advances ``next_delivery_at``, in one transaction (shared
   with the other workers' records: group commit).

Several instances on one PostgreSQL database all run the fan-out, so it is not held to
one process's core. Each dispatcher then takes due chats with
:meth:`SubscriberStore.reserve_due` instead — a few at a time (``reserve_batch``),
marked as its own for ``reservation`` (the jobs lease period), skipping rows another
instance holds — so the instances split the due chats rather than all walking the same
list and losing the claims to each other. The split is only an optimisation: the claim
(step 3) alone keeps each edition to one send, whatever the reservations say. A chat
left reserved — its instance died, or left it for the next tick — is free again once
the reservation runs out. The send rate they share is kept by
:mod:`bot.delivery.pacing`.

Messages go out through a :class:`~bot.delivery.sender.Sender`; its errors, by kind::

    SendError
    ├── ChatUnreachable (blocked, kicked, gone)     deactivate, record why
    ├── MessageRejected                             a bad message: failed, no retry
    ├── ThreadGone (its forum topic was deleted)    forget the topic, send to the chat
    ├── SendDeferred (flood control after the       left for the next tick;
    │   │   rate limiter's own retries, migrated)   failed after ``max_attempts`` ticks
    │   └── NetworkTrouble (timeouts, 5xx)          first retried in the tick with back-off
    └── SenderBroken (token revoked, …)             stops the run and is raised

A timed-out request may have reached Telegram, which has no idempotency key, so that
one retry can in rare cases duplicate a message; every other path is exactly once.

Ambiguous ``sending`` rows
--------------------------
A ``sending`` row means a message may be in flight. Its own worker always settles it
(sent, failed, or deactivated) — even on :meth:`Dispatcher.stop` or cancellation, which
finish the chats in hand before returning. Only a hard crash (SIGKILL, power loss) or
a stop that overruns ``stop_timeout`` leaves one behind, and then nobody knows if
Telegram got the message. The rule: a ``sending`` row untouched for ``claim_timeout``
(5 minutes; every confirmed message refreshes it) is resolved as **unconfirmed** —
recorded as ``sent`` with no ``sent_at``, never re-sent, counted apart in the report.
A younger one is left alone for that tick (``claimed_elsewhere``: maybe another
process is still sending). So a crash can lose at most ``concurrency`` briefings, and
never duplicates one.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from bot.delivery.schedule import local_date_of
from bot.delivery.sender import OutgoingMessage, Sender
from bot.errors import (
    ChatUnreachable,
    MessageRejected,
    NetworkTrouble,
    SendDeferred,
    SendError,
    ThreadGone,
)
from bot.models import DeactivationReason, Subscriber
from bot.store.deliveries import Claim, Delivery, DeliveryStatus, DeliveryStore
from bot.store.subscribers import SubscriberStore

log = logging.getLogger(__name__)

Compose = Callable[[Subscriber, datetime], Awaitable[list[OutgoingMessage]]]
"""``compose(settings, scheduled_for)`` → the reader's briefing as messages. It should give
the same messages for the same edition, as a retry resumes part-way through."""


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How the dispatcher paces, retries and gives up."""

    concurrency: int = 8
    """Chats in hand at once. Each holds a claim, so this bounds what a crash can leave
    unconfirmed; the rate limiter, not this, sets the pace as long as concurrency is
    above rate × Bot API round trip (25/s × 150 ms ≈ 4)."""
    page_size: int = 1000
    max_lateness: timedelta = timedelta(hours=3)
    """Later than this (after downtime), an edition is skipped: no stale briefings."""
    max_attempts: int = 5
    """Ticks that try an edition failing with transient errors before it is failed."""
    retry_delays: tuple[float, ...] = (1.0, 4.0)
    """Pauses before re-sending a message after a network error or 5xx, within a tick."""
    claim_timeout: timedelta = timedelta(minutes=5)
    """A ``sending`` row untouched this long has lost its sender (module docstring)."""
    stop_timeout: float = 30.0
    """Seconds a stop waits for the chats in hand before abandoning them."""
    reservation: timedelta = timedelta(seconds=30)
    """How long due chats a sharing dispatcher reserved stay its own (module docstring):
    the jobs lease period, so a dead instance's chats pass to the others as soon as its
    other jobs do; far longer than a reserved batch waits to be sent."""

    @property
    def reserve_batch(self) -> int:
        """Chats a sharing dispatcher reserves at a time: enough to keep its workers busy
        until the next batch, few enough that the others still find chats to take."""
        return 2 * self.concurrency

    @classmethod
    def for_rate(cls, messages_per_second: float) -> DeliveryPolicy:
        """Enough chats in hand for the send rate: each takes a briefing's round trips
        (claim, slot, send, record; ~64 ms on a busy machine), so at a paid broadcast's
        1,000 a second 8 in hand would hold the rate to a third of that (0.43 of R with
        16). More than 64 buys rate and costs 429s: three real instances
        (``benchmarks/failover.py --paid``) reached 0.76 of R with 64 in hand and 0.87
        with 256, but one sender with 256 (``benchmarks/broadcast.py``) drew 38 and 83
        429s where 64 drew none — released on time by the pacer, 256 requests queue in
        the event loop and reach Telegram bunched. Those figures are from when only the
        lease holder sent; now every instance sends with this many in hand, each paced
        by the shared schedule, so the event-loop work is spread over their cores. At
        least 8; a crash may leave this many unconfirmed (per instance)."""
        return cls(concurrency=max(8, math.ceil(messages_per_second * 0.064)))


@dataclass
class DeliveryReport:
    """What one run did, for the admin chat and the log."""

    due: int = 0
    """Due chats this run took in hand."""
    sent: int = 0
    already_done: int = 0
    """Chats whose edition was settled earlier (sent, skipped, failed): only advanced."""
    skipped_late: int = 0
    failed: int = 0
    """Gave up: a rejected message, or transient errors for ``max_attempts`` ticks."""
    deactivated: Counter[DeactivationReason] = field(default_factory=Counter)
    retried: int = 0
    """Left due for the next tick after transient errors."""
    unconfirmed: int = 0
    claimed_elsewhere: int = 0
    """Left alone: a recent ``sending`` row another sender may still hold."""
    messages: int = 0
    duration: float = 0.0
    """Seconds."""
    busy: bool = False
    """True if another run was in progress (or the dispatcher stopped): nothing done."""
    stopped: bool = False
    """True if a stop ended the run early; the rest stays due for the next start."""

    def statuses(self) -> dict[str, int]:
        """How the chats this run took in hand ended, by status (the metrics' labels)."""
        return {
            "sent": self.sent,
            "failed": self.failed,
            "skipped_late": self.skipped_late,
            "retried": self.retried,
            "unconfirmed": self.unconfirmed,
            "deactivated": sum(self.deactivated.values()),
        }

    def summary(self) -> str:
        parts = [
            f"{self.due} due",
            f"{self.sent} sent ({self.messages} messages)",
            f"{self.already_done} already done",
            f"{self.skipped_late} skipped (late)",
            f"{self.failed} failed",
            f"{self.retried} to retry",
            f"{self.unconfirmed} unconfirmed",
        ]
        if self.claimed_elsewhere:
            parts.append(f"{self.claimed_elsewhere} claimed elsewhere")
        if self.deactivated:
            reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(self.deactivated.items()))
            parts.append(f"deactivated: {reasons}")
        ending = " (stopped early)" if self.stopped else ""
        return "; ".join(parts) + f" in {self.duration:.1f}s{ending}"


def deactivation_reason(chat_type: str, error: ChatUnreachable) -> DeactivationReason:
    """Why the chat takes no more messages: in a private chat, any refusal means the
    reader blocked the bot (Telegram words it several ways)."""
    if chat_type == "private" and error.deactivation is DeactivationReason.KICKED:
        return DeactivationReason.BLOCKED
    return error.deactivation


@dataclass
class _Run:
    """One run's state, shared by its feeder and workers."""

    now: datetime
    report: DeliveryReport = field(default_factory=DeliveryReport)
    halt: asyncio.Event = field(default_factory=asyncio.Event)
    started: float = field(default_factory=time.monotonic)
    seen: set[int] = field(default_factory=set)
    """Chats handed to a worker this run."""
    holdback: set[int] = field(default_factory=set)
    """Of those, the ones still due (in hand, or left for a later tick)."""
    left: set[int] = field(default_factory=set)
    """Of those, the ones left for a later tick."""
    error: Exception | None = None

    def clock(self) -> datetime:
        """The run's ``now``, moving on with the wall clock as the run goes."""
        return self.now + timedelta(seconds=time.monotonic() - self.started)


class Dispatcher:
    """Sends the due editions; one run at a time. Call :meth:`stop` before the
    application stops, so a running edition winds down instead of running to the end."""

    def __init__(
        self,
        sender: Sender,
        subscribers: SubscriberStore,
        deliveries: DeliveryStore,
        compose: Compose,
        policy: DeliveryPolicy | None = None,
        *,
        holder: str | None = None,
    ) -> None:
        """``holder``: this instance's name, when other instances share the fan-out (on
        PostgreSQL): due chats are then reserved under it in small batches rather than
        read page by page."""
        self._sender = sender
        self._holder = holder
        self._subscribers = subscribers
        self._deliveries = deliveries
        self._compose = compose
        self._policy = policy or DeliveryPolicy()
        self._current: tuple[asyncio.Task[DeliveryReport], _Run] | None = None
        self._stopped = False

    async def run_due(self, now: datetime) -> DeliveryReport:
        """Deliver every edition due at ``now``, page by page, until nobody is due.

        Returns at once (``busy``) while another run is going or after :meth:`stop`.
        Cancelled, it finishes and records the chats in hand (up to ``stop_timeout``),
        then re-raises.
        """
        if self._current is not None or self._stopped:
            return DeliveryReport(busy=True)
        run = _Run(now)
        task = asyncio.create_task(self._run(run), name="briefing delivery")
        self._current = (task, run)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                await self._wind_down(task, run)
                raise
            return run.report  # stop() abandoned the run after stop_timeout
        finally:
            self._current = None

    async def stop(self) -> None:
        """Take no new chats; finish and record those in hand; refuse later runs."""
        self._stopped = True
        if self._current is not None:
            await self._wind_down(*self._current)

    async def _wind_down(self, task: asyncio.Task[DeliveryReport], run: _Run) -> None:
        run.halt.set()
        run.report.stopped = True
        done, _ = await asyncio.wait({task}, timeout=self._policy.stop_timeout)
        if not done:
            log.warning(
                "stop: abandoning the deliveries in hand after %.0fs; their claims will "
                "be resolved as unconfirmed",
                self._policy.stop_timeout,
            )
            task.cancel()
            await asyncio.wait({task})

    # ------------------------------------------------------------------ the run

    async def _run(self, run: _Run) -> DeliveryReport:
        queue: asyncio.Queue[Subscriber] = asyncio.Queue(maxsize=self._policy.concurrency)
        workers = [
            asyncio.create_task(self._work(queue, run)) for _ in range(self._policy.concurrency)
        ]
        try:
            await self._feed(queue, run)
            await queue.join()
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            run.report.duration = time.monotonic() - run.started
        if run.error is not None:
            raise run.error
        log.debug("briefing delivery: %s", run.report.summary())
        return run.report

    async def _feed(self, queue: asyncio.Queue[Subscriber], run: _Run) -> None:
        """Hand out due chats until none is left that this run has not seen (sharing:
        none left that another instance has not reserved).

        Chats in hand or left for a later tick are still due, so each page asks for
        that many more rows than it needs and skips them.
        """
        while not run.halt.is_set():
            page = await self._next_page(run)
            fresh = [chat for chat in page if chat.chat_id not in run.seen]
            if not fresh:
                return
            for chat in fresh:
                if run.halt.is_set():
                    return
                run.seen.add(chat.chat_id)
                run.holdback.add(chat.chat_id)
                await queue.put(chat)

    async def _next_page(self, run: _Run) -> list[Subscriber]:
        if self._holder is None:
            return await self._subscribers.due(run.now, self._policy.page_size + len(run.holdback))
        # The chats in hand stay reserved by this run and are not returned; those it left
        # may be, once their reservation ran out during a long run: ask for that many more.
        now = run.clock()
        return await self._subscribers.reserve_due(
            now,
            self._policy.reserve_batch + len(run.left),
            holder=self._holder,
            until=now + self._policy.reservation,
            due_by=run.now,
            own_before=run.now + self._policy.reservation,
        )

    async def _work(self, queue: asyncio.Queue[Subscriber], run: _Run) -> None:
        while True:
            chat = await queue.get()
            try:
                if not run.halt.is_set() and await self._deliver(chat, run):
                    run.holdback.discard(chat.chat_id)
                else:
                    run.left.add(chat.chat_id)
            except Exception as exc:  # the database or a bug: end the run, raise it
                run.error = run.error or exc
                run.halt.set()
            finally:
                queue.task_done()

    # ------------------------------------------------------------------ one chat

    async def _deliver(self, chat: Subscriber, run: _Run) -> bool:
        """Deliver the chat's due edition; True once it is settled (no longer due)."""
        scheduled = chat.next_delivery_at
        assert scheduled is not None, "due() returns subscribed chats"
        edition = local_date_of(scheduled, chat.timezone)
        run.report.due += 1
        lateness = run.clock() - scheduled
        if lateness > self._policy.max_lateness:
            reason = f"{lateness.total_seconds() / 3600:.1f} h late"
            skip = await self._deliveries.mark_skipped(
                chat.chat_id, edition, scheduled_for=scheduled, reason=reason, now=run.clock()
            )
            if skip.ours:
                run.report.skipped_late += 1
                return True
            return await self._settle(chat, edition, skip, run, late=True)
        messages = await self._messages_for(chat, scheduled)
        if messages is None:
            run.report.retried += 1
            return False
        claim = await self._deliveries.claim(
            chat.chat_id,
            edition,
            scheduled_for=scheduled,
            now=run.clock(),
            max_attempts=self._policy.max_attempts,
        )
        if not claim.ours or claim.delivery is None:
            return await self._settle(chat, edition, claim, run, late=False)
        return await self._send_briefing(chat, claim.delivery, messages, run)

    async def _messages_for(
        self, chat: Subscriber, scheduled: datetime
    ) -> list[OutgoingMessage] | None:
        """The briefing, or None (logged) if the composer failed: the chat stays due."""
        try:
            messages = await self._compose(chat, scheduled)
        except Exception:  # one reader's briefing must not stop everyone else's
            log.exception("could not compose the briefing for chat %s", chat.chat_id)
            return None
        if not messages:
            log.error("the composer returned no messages for chat %s", chat.chat_id)
            return None
        return messages

    async def _settle(
        self, chat: Subscriber, edition: date, claim: Claim, run: _Run, *, late: bool
    ) -> bool:
        """The edition has a row we did not write: act on what it says."""
        delivery = claim.delivery
        if delivery is None:  # unsubscribed or forgotten since due() read it
            return True
        now = run.clock()
        if delivery.status is DeliveryStatus.SENDING:
            stale = now - self._policy.claim_timeout
            if await self._deliveries.resolve_unconfirmed(
                chat.chat_id, edition, claimed_before=stale, now=now
            ):
                log.warning(
                    "chat %s, edition %s: its sender stopped mid-send; recorded as "
                    "unconfirmed, not re-sent",
                    chat.chat_id,
                    edition,
                )
                run.report.unconfirmed += 1
                return True
            run.report.claimed_elsewhere += 1
            return False
        if delivery.status is DeliveryStatus.FAILED and not self._final(delivery):
            if not late:  # another sender just recorded a failure: next tick
                run.report.retried += 1
                return False
            hours = self._policy.max_lateness.total_seconds() / 3600
            error = f"{delivery.error}; gave up: more than {hours:g} h late"
            await self._deliveries.give_up(chat.chat_id, edition, error, now)
            run.report.skipped_late += 1
            return True
        await self._deliveries.advance(chat.chat_id, now)
        run.report.already_done += 1
        return True

    async def _send_briefing(
        self, chat: Subscriber, delivery: Delivery, messages: list[OutgoingMessage], run: _Run
    ) -> bool:
        chat_id, edition = chat.chat_id, delivery.edition_date
        sent = delivery.messages_sent
        thread_gone = False
        try:
            for message in messages[sent:]:
                if thread_gone:
                    message = replace(message, thread_id=None)
                try:
                    await self._send(chat_id, message, run)
                except ThreadGone as exc:
                    if message.thread_id is None:  # not about a topic after all
                        raise MessageRejected(str(exc)) from exc
                    # The topic was deleted: the briefing goes to the chat (its General
                    # topic) from now on rather than being lost.
                    log.info("chat %s: topic %s is gone (%s)", chat_id, message.thread_id, exc)
                    await self._subscribers.forget_thread(chat_id, message.thread_id)
                    thread_gone = True
                    await self._send(chat_id, replace(message, thread_id=None), run)
                sent += 1
                run.report.messages += 1
                if sent < len(messages):
                    await self._deliveries.record_progress(chat_id, edition, sent, run.clock())
        except SendError as exc:
            return await self._record_failure(chat, delivery, sent, exc, run)
        await self._deliveries.mark_sent(chat_id, edition, sent, run.clock())
        run.report.sent += 1
        return True

    async def _send(self, chat_id: int, message: OutgoingMessage, run: _Run) -> None:
        """One message, re-sent after network errors and 5xx with back-off."""
        for delay in (*self._policy.retry_delays, None):
            try:
                await self._sender.send(chat_id, message)
                return
            except NetworkTrouble as exc:
                if delay is None or run.halt.is_set():
                    raise
                log.info("chat %s: %s; sending again in %.0fs", chat_id, exc, delay)
                await asyncio.sleep(delay)

    async def _record_failure(
        self, chat: Subscriber, delivery: Delivery, sent: int, exc: SendError, run: _Run
    ) -> bool:
        chat_id, edition, now = chat.chat_id, delivery.edition_date, run.clock()
        if isinstance(exc, ChatUnreachable):
            reason = deactivation_reason(chat.chat_type, exc)
            await self._deliveries.mark_failed(
                chat_id,
                edition,
                messages_sent=sent,
                error=f"{reason}: {exc}",
                final=True,
                now=now,
            )
            await self._subscribers.deactivate(chat_id, reason, now)
            log.info("chat %s deactivated (%s): %s", chat_id, reason, exc)
            run.report.deactivated[reason] += 1
            return True
        error = str(exc)
        fatal = not isinstance(exc, SendDeferred | MessageRejected)
        final = isinstance(exc, MessageRejected) or (not fatal and self._final(delivery))
        await self._deliveries.mark_failed(
            chat_id, edition, messages_sent=sent, error=error, final=final, now=now
        )
        if fatal:  # SenderBroken (a revoked token…): nothing more can be sent; next tick
            raise exc
        if final:
            log.warning("chat %s, edition %s failed: %s", chat_id, edition, error)
            run.report.failed += 1
            return True
        run.report.retried += 1
        return False

    def _final(self, delivery: Delivery) -> bool:
        """No ticks left for this failing edition."""
        return delivery.attempts >= self._policy.max_attempts
