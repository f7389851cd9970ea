"""Pacing: when each outgoing message may leave, so the whole bot stays under Telegram's
limit per token — one process or several.

Telegram counts a bot's messages over a sliding second, per token. A pacer hands out
send *slots* spaced ``1 / R`` apart (R a little under the configured rate: see
:data:`PACING_HEADROOM`); a message waits for its slot, then goes. That is the generic
cell-rate algorithm: one number, the next free slot, moved on by one spacing per message.

* :class:`LocalPacer` keeps that number in memory: right for one process.
* :class:`SharedPacer` keeps it in the database (:class:`bot.store.pacing.SendSchedule`),
  so every instance draws from one schedule and three instances together send no faster
  than one. Messages waiting at once are claimed together in one statement; the
  database's clock orders the slots, so the instances' clocks need not agree.

A slot is never handed out twice, so a claimed slot that goes unused (its sender was
cancelled or died) only costs throughput, never the limit. Slots are counted in the
pacer's clock; a message leaves at its slot or, when the event loop is busy, slightly
after — :data:`CATCH_UP` bounds how much of that lateness a later slot may make up.
A message that wakes more than :data:`LATE` after its slot (the process stalled: a busy
machine, a long garbage collection) does not go then, bunched with the next slots'
messages into one second of Telegram's count: it takes a new slot, once, and the slots
that passed in the stall go unused.
"""

from __future__ import annotations

import asyncio
import collections
import heapq
import logging
import math
from typing import Protocol

log = logging.getLogger(__name__)

PACING_HEADROOM = 0.03
"""Slots are spaced for a rate 3 % under the one given: 30 ms of every second to spare."""
CATCH_UP = 0.003
"""Seconds a free slot may lie in the past (asyncio timers fire up to a millisecond
late); the rest of the headroom, 27 ms a second, absorbs network jitter, which bunches
requests together before Telegram counts them."""


LATE = 0.025
"""Seconds after its slot a message may still go: within the headroom's 27 ms a second
that :data:`CATCH_UP` leaves, lateness cannot push a second over the rate."""


def slot_spacing(messages_per_second: float) -> float:
    """Seconds between two slots for ``messages_per_second``, headroom included."""
    if messages_per_second <= 0:
        raise ValueError(f"messages_per_second must be positive, got {messages_per_second}")
    return (1 + PACING_HEADROOM) / messages_per_second


class Pacer(Protocol):
    async def wait(self) -> None:
        """Return when the caller may send one message."""
        ...


class LocalPacer:
    """The schedule in this process's memory. A leaky bucket of one message: at most
    ``1 + (T + CATCH_UP) / spacing`` messages leave in any T seconds."""

    def __init__(self, messages_per_second: float) -> None:
        self.spacing = slot_spacing(messages_per_second)
        self._next = 0.0

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        for retake in (False, True):
            now = loop.time()
            slot = max(self._next, now - CATCH_UP)
            self._next = slot + self.spacing
            if slot > now:
                await asyncio.sleep(slot - now)
            if retake or loop.time() - slot <= LATE:
                return


MIN_LEAD = 0.005
MAX_LEAD = 0.25
"""Bounds of a claim's lead (see :class:`SharedPacer`), in seconds."""
MAX_SPARE = 32
"""Slots a claim takes beyond the messages waiting, at most (see :class:`SharedPacer`)."""
MAX_UNCERTAINTY = 0.1
"""Seconds of a claim's round trip that widen the spacing, at most (see
:attr:`SharedPacer.spacing`): a slower database is a failing one, paced locally."""


class SlotSource(Protocol):
    """Where a :class:`SharedPacer` claims its slots (the database, in the bot)."""

    async def claim(self, count: int, spacing: float, lead: float) -> float:
        """Claim the next ``count`` slots ``spacing`` seconds apart, none sooner than
        ``lead`` seconds from now; return the seconds from now until the first."""
        ...


class SharedPacer:
    """Slots from a schedule every instance shares.

    Messages that start waiting while a claim is on its way are claimed together in the
    next one, so a busy fan-out makes a few database round trips a second, not one per
    message. If a claim fails (the database is unreachable), the waiting messages are
    paced here by a :class:`LocalPacer` instead of failing: replies still go out.

    Claims ask for slots a *lead* ahead — twice the recent round trip of a claim, within
    :data:`MIN_LEAD` and :data:`MAX_LEAD` — so the answer arrives before its first slot.
    A slot that had already passed on arrival would send its message late, bunched with
    the next ones, and on a busy machine the bunches overran Telegram's window.

    A claim also takes the slots its lead spans (at most :data:`MAX_SPARE`) beyond the
    messages waiting, kept here for the next messages: at a high rate the next message
    comes before the answer could, and a round trip for each one or two messages cost a
    paid broadcast a fifth of its CPU. A spare slot that passes unused is let go: the
    schedule loses that moment, never more than the rate.
    """

    def __init__(self, source: SlotSource, messages_per_second: float) -> None:
        self._base_spacing = slot_spacing(messages_per_second)
        self._source = source
        self._fallback = LocalPacer(messages_per_second)
        self._waiting: list[asyncio.Future[float | None]] = []
        self._spare: collections.deque[float] = collections.deque()
        """Claimed slots no message has taken yet (loop times, in order)."""
        self._claimer: asyncio.Task[None] | None = None
        self._round_trip = MIN_LEAD / 2
        """A moving average of a claim's round trip, in seconds."""

    @property
    def lead(self) -> float:
        return min(max(2 * self._round_trip, MIN_LEAD), MAX_LEAD)

    @property
    def spacing(self) -> float:
        """The slots' spacing: the headroom's, widened by the claims' round trip.

        A claimed slot is placed on this process's clock as the answer arrives, but the
        database stamped it some time during the round trip: another instance's slots,
        placed the same way, may land up to a round trip nearer. On a quiet network
        that is a millisecond; on a busy machine tens of them, and three instances
        sharing one schedule drew 15–76 429s in 100,000 messages with the headroom
        alone (``benchmarks/failover.py --paid``). A second of slots is therefore spread
        over one second plus the round trip: 2 ms costs 0.2 % of the rate, a stall of
        50 ms five percent, and only then.
        """
        return self._base_spacing * (1 + min(self._round_trip, MAX_UNCERTAINTY))

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        for retake in (False, True):
            at = self._spare_slot(loop.time())
            if at is None:
                slot: asyncio.Future[float | None] = loop.create_future()
                self._waiting.append(slot)
                if self._claimer is None:
                    self._claimer = asyncio.create_task(self._claim_all(), name="send slots")
                at = await slot
            if at is None:  # the claim failed
                await self._fallback.wait()
                return
            delay = at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            if retake or loop.time() - at <= LATE:
                return

    def _spare_slot(self, now: float) -> float | None:
        """The earliest spare slot still usable at ``now``; passed ones are let go."""
        while self._spare and self._spare[0] < now - LATE:
            self._spare.popleft()
        return self._spare.popleft() if self._spare else None

    async def _claim_all(self) -> None:
        loop = asyncio.get_running_loop()
        batch: list[asyncio.Future[float | None]] = []
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                spacing = self.spacing
                spare = min(int(self.lead / spacing), MAX_SPARE)
                asked = loop.time()
                try:
                    ahead: float | None = await self._source.claim(
                        len(batch) + spare, spacing, self.lead
                    )
                except Exception as exc:  # whatever failed, pace locally
                    log.warning("could not claim send slots (%s); pacing locally", exc)
                    ahead = None
                answered = loop.time()
                self._round_trip += (answered - asked - self._round_trip) / 4
                first = None if ahead is None else answered + ahead
                for index, future in enumerate(batch):
                    if not future.done():  # a cancelled waiter's slot goes unused
                        future.set_result(None if first is None else first + index * spacing)
                if first is not None:
                    # Claims are in order, so these come after any spare slot kept before.
                    self._spare.extend(
                        first + (len(batch) + index) * spacing for index in range(spare)
                    )
        except asyncio.CancelledError:
            for future in [*batch, *self._waiting]:
                future.cancel()
            raise
        finally:
            self._claimer = None


FAIRNESS_WINDOW = 10.0
"""Seconds a chat's last message counts against it in :class:`FairPacer`'s order."""


Flow = tuple[bool, int | str]
"""(a chat action, the chat): what :class:`FairPacer` keeps in order."""


class FairPacer:
    """Hands each slot of a pacer to the chat served least recently that has a message
    waiting, instead of to whichever message asked first; chat actions ("typing…") only
    take slots no message is waiting for.

    When the bot is at its rate, every slot is spoken for and a first-come queue makes
    the reader who just typed ``/help`` wait behind every summary and typing action
    already queued for eight busy chats (``benchmarks/responsiveness.py``: p50 450 ms at
    24 requests a second on a quiet machine). Here a chat that got nothing in the last
    :data:`FAIRNESS_WINDOW` seconds goes first, then the chat served longest ago — so a
    chat with many messages waiting (a long briefing) takes turns with the others; a
    chat's own messages keep their order; a fan-out, one message to each of many chats,
    stays first come first served. A chat action is a courtesy that Telegram shows for
    five seconds: it goes after every waiting message, never before one.

    Slots still come from the wrapped pacer, one asked for each request, so the rate is
    the pacer's; whichever slot comes first goes to the best request waiting then. A
    request cancelled while it waits leaves its slot to the others.
    """

    def __init__(self, pacer: Pacer) -> None:
        self.pacer = pacer
        """Where the slots come from; replaceable (the shared schedule once it opens)."""
        self._flows: dict[Flow, collections.deque[tuple[int, asyncio.Future[None]]]] = {}
        """Each chat's waiting messages, and apart its waiting actions, in order of asking."""
        self._turns: list[tuple[bool, float, int, Flow]] = []
        """(an action, the chat's last service, the first request's arrival, the flow): a
        heap with one entry for each flow that has requests waiting."""
        self._served: collections.OrderedDict[int | str, float] = collections.OrderedDict()
        """Chats by the time they were last served, oldest first."""
        self._waiting = 0
        """Requests waiting, not yet served nor cancelled."""
        self._sequence = 0
        self._getters: set[asyncio.Task[None]] = set()

    async def wait(self, chat_id: int | str, *, action: bool = False) -> None:
        """Return when the caller may send one message to ``chat_id`` (a channel's
        ``@name`` too), or one chat action if ``action``."""
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[None] = loop.create_future()
        self._sequence += 1
        flow = (action, chat_id)
        queue = self._flows.get(flow)
        if queue is None:
            queue = self._flows[flow] = collections.deque()
            self._push(flow, self._sequence)
        queue.append((self._sequence, turn))
        self._waiting += 1
        self._keep_getting()
        try:
            await turn
        except asyncio.CancelledError:
            if turn.cancelled():  # cancelled while waiting: its slot serves another
                self._waiting -= 1
            else:  # served and cancelled at once: the slot goes to the next request
                self._hand_out()
            raise

    def _push(self, flow: Flow, first: int) -> None:
        heapq.heappush(self._turns, (*self._rank(flow), first, flow))

    def _rank(self, flow: Flow) -> tuple[bool, float]:
        """A flow's place: messages before actions, then the chat served longest ago."""
        action, chat_id = flow
        now = asyncio.get_running_loop().time()
        while self._served and next(iter(self._served.values())) < now - FAIRNESS_WINDOW:
            self._served.popitem(last=False)
        return action, self._served.get(chat_id, -math.inf)

    def _keep_getting(self) -> None:
        """As many slot requests in flight as requests waiting."""
        while len(self._getters) < self._waiting:
            task = asyncio.create_task(self._get_slot(), name="send slot")
            self._getters.add(task)
            task.add_done_callback(self._getters.discard)

    async def _get_slot(self) -> None:
        try:
            await self.pacer.wait()
        except Exception:  # a pacer that failed: ask again rather than strand a request
            log.exception("could not get a send slot")
            self._getters.discard(asyncio.current_task())
            asyncio.get_running_loop().call_soon(self._keep_getting)
            return
        self._getters.discard(asyncio.current_task())
        self._hand_out()

    def _hand_out(self) -> None:
        """Give one slot to the best flow's next request (none waiting: it goes unused)."""
        while self._turns:
            *_, flow = heapq.heappop(self._turns)
            queue = self._flows[flow]
            while queue and queue[0][1].done():  # cancelled while waiting
                queue.popleft()
            if not queue:
                del self._flows[flow]
                continue
            _, turn = queue.popleft()
            turn.set_result(None)
            self._waiting -= 1
            self._served[flow[1]] = asyncio.get_running_loop().time()
            self._served.move_to_end(flow[1])
            if queue:
                self._push(flow, queue[0][0])
            else:
                del self._flows[flow]
            break
        self._keep_getting()
