"""What the operators' edition report covers when several instances share the fan-out.

Every instance sends a share of each edition (:mod:`bot.delivery.dispatcher`), so no
single run's :class:`~bot.delivery.dispatcher.DeliveryReport` tells the whole story: the
lease holder's share may be a third of it, or nothing at all when another instance took
every due chat of a small edition. The report is therefore read from the delivery log,
which every instance writes: the chats due since the last report, however each of them
ended, whoever sent it. Each due time falls in exactly one report.

The report waits while any of its chats is still in flight on some instance (claimed
and sending, or due and not claimed yet), so it is written once the edition is done —
but no longer than ``wait``: a stream of chats due minute after minute, or a chat whose
briefing could not be composed, must not hold it back forever; whatever is unsettled by
then is counted as pending.

The covered window is kept in memory: a new lease holder (after a takeover or a restart)
starts ``lookback`` back, so an edition its predecessor died before reporting is still
reported — and, rarely, one it had reported already is reported again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.deliveries import DeliveryStore, EditionOutcome


class EditionReports:
    """Hands the lease holder each stretch of due chats' outcome once, when it is done."""

    def __init__(
        self,
        deliveries: DeliveryStore,
        *,
        wait: timedelta = timedelta(minutes=5),
        lookback: timedelta = timedelta(minutes=10),
    ) -> None:
        self._deliveries = deliveries
        self._wait = wait
        self._lookback = lookback
        self._since: datetime | None = None
        """Chats due up to this time have been reported."""

    async def ready(self, now: datetime) -> EditionOutcome | None:
        """The outcome of the chats due since the last report up to ``now``, if any were
        due and none is in flight any more (or ``wait`` has passed); else None."""
        since = self._since if self._since is not None else now - self._lookback
        if now <= since:
            return None
        outcome = await self._deliveries.outcome(since, now)
        if outcome.chats and outcome.in_flight and now - since < self._wait:
            return None  # the instances are still sending it
        self._since = now
        return outcome if outcome.chats else None

    def forget(self) -> None:
        """This instance lost the lease: whoever holds it next reports from its own start."""
        self._since = None
