"""Sending confirmed breaking alerts: after each poll, on the jobs lease holder.

:meth:`BreakingNotifier.run` takes the day's stories (:class:`bot.briefing.editions.Editions`,
rebuilt after the poll, so stories are the briefing's own), finds those confirmed in the
last :data:`FRESH_FOR` (:func:`.confirm.confirmed_stories`), and for each opted-in chat
claims (chat, story) in the send log (:class:`bot.store.breaking.BreakingStore`), then

* in the chat's quiet hours: holds the alert, its text ready, until they end;
* otherwise: sends it through the same :class:`~bot.delivery.sender.Sender` as the
  briefing (and so the same rate limiter), to the forum topic where /alerts was turned on.

:meth:`BreakingNotifier.release_held` (every minute, after the due editions) sends the
held alerts whose quiet hours are over, unless the chat's briefing went out meanwhile
(it tells the story better) or the chat turned alerts off: those are dropped.

Errors, as :mod:`bot.delivery.notices` reads them for follows too: a chat that blocked
the bot or is gone is deactivated; flood control and network errors release the claim
(the next poll tries again while the story is fresh; a held alert waits for the next
minute); a rejected message stays claimed; a broken sender (revoked token) releases the
claim and is raised.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.breaking.confirm import AlertRule, Confirmation, confirmed_stories
from bot.breaking.quiet import QuietHours
from bot.breaking.render import render_alert
from bot.briefing.compose import Story
from bot.delivery.notices import NoticeTally, send_notice
from bot.delivery.sender import OutgoingMessage, Sender
from bot.errors import (
    SendDeferred,
    SenderBroken,
)
from bot.i18n import Catalog
from bot.models import DeactivationReason
from bot.store.breaking import AlertChat, AlertSettings, BreakingStore

log = logging.getLogger(__name__)

SEND_CONCURRENCY = 8
"""Alerts in flight at once; the rate limiter, not this, sets the pace."""
FRESH_FOR = timedelta(hours=1)
"""A story confirmed longer ago than this is no longer breaking news: not alerted (the
bot was down, or the feeds brought the confirming item late)."""
SENDS_KEPT = timedelta(days=15)
"""The send log outlives the items (kept 14 days): a story cannot come back once gone."""


@dataclass
class BreakingReport(NoticeTally):
    """What one run did, for the log and the metrics."""

    confirmed: int = 0
    held: int = 0
    dropped: int = 0
    already_sent: int = 0

    def outcomes(self) -> dict[str, int]:
        """How the alerts ended, by outcome (the metrics' labels)."""
        return {
            "sent": self.sent,
            "held": self.held,
            "dropped": self.dropped,
            "already_sent": self.already_sent,
            "failed": self.failed,
            "deactivated": sum(self.deactivated.values()),
        }

    def describe(self) -> str:
        return (
            f"{self.confirmed} confirmed stories, {self.sent} sent, {self.held} held, "
            f"{self.dropped} dropped, {self.already_sent} already sent, {self.failed} failed, "
            f"{sum(self.deactivated.values())} chats deactivated"
        )


def quiet_hours(settings: AlertSettings) -> QuietHours | None:
    if settings.quiet_start is None or settings.quiet_end is None:
        return None
    return QuietHours(settings.quiet_start, settings.quiet_end)


class BreakingNotifier:
    """Sends confirmed breaking stories to the chats that opted in; see the module."""

    def __init__(
        self,
        store: BreakingStore,
        stories: Callable[[datetime], Awaitable[list[Story]]],
        sender: Sender,
        deactivate: Callable[[int, DeactivationReason], Awaitable[None]],
        catalog: Catalog,
        rule: AlertRule,
    ) -> None:
        self._store = store
        self._stories = stories
        self._sender = sender
        self._deactivate = deactivate
        self._catalog = catalog
        self.rule = rule

    async def confirmations(self, now: datetime) -> list[Confirmation]:
        """The stories confirmed in the last :data:`FRESH_FOR`, earliest first."""
        return confirmed_stories(await self._stories(now), self.rule, since=now - FRESH_FOR)

    async def run(self, now: datetime) -> BreakingReport:
        """Alert the opted-in chats of every fresh confirmed story they did not have."""
        report = BreakingReport()
        confirmed = await self.confirmations(now)
        report.confirmed = len(confirmed)
        if not confirmed:
            return report
        chats = await self._store.opted_in()
        if not chats:
            return report
        slots = asyncio.Semaphore(SEND_CONCURRENCY)

        async def alert(confirmation: Confirmation, key: str, chat: AlertChat) -> None:
            async with slots:
                await self._alert(confirmation, key, chat, now, report)

        for confirmation in confirmed:
            story = confirmation.story
            key = await self._store.story_key(
                story.key, [item.url for item in story.items], confirmation.confirmed_at
            )
            try:
                async with asyncio.TaskGroup() as group:
                    for chat in chats:
                        group.create_task(alert(confirmation, key, chat))
            except* SenderBroken as broken:  # nothing more can be sent: say so, plainly
                raise broken.exceptions[0] from None
        return report

    async def release_held(self, now: datetime) -> BreakingReport:
        """Send the held alerts whose quiet hours are over; drop those the briefing
        covered or whose chat turned alerts off."""
        report = BreakingReport()
        due = await self._store.due(now)
        if not due:
            return report
        chats = {chat.chat_id: chat for chat in await self._store.opted_in()}
        for held in due:
            chat = chats.get(held.chat_id)
            covered = chat is None or await self._store.briefing_sent_since(
                held.chat_id, held.created_at
            )
            if covered or chat is None:
                if await self._store.settle(held.chat_id, held.story_key, "dropped", now):
                    report.dropped += 1
                continue
            if not await self._store.settle(held.chat_id, held.story_key, "sent", now):
                continue
            outcome = await self._send(chat, held.text, now, report)
            if outcome is not None:  # deferred: try again at the next run
                await self._store.hold_again(held.chat_id, held.story_key, now)
                if isinstance(outcome, SenderBroken):
                    raise outcome
        return report

    async def forget_old(self, now: datetime) -> int:
        """Drop send-log rows older than :data:`SENDS_KEPT`; returns how many."""
        return await self._store.prune(now - SENDS_KEPT)

    async def _alert(
        self,
        confirmation: Confirmation,
        key: str,
        chat: AlertChat,
        now: datetime,
        report: BreakingReport,
    ) -> None:
        text = render_alert(confirmation, self._catalog, chat.language, chat.timezone)
        quiet = quiet_hours(chat.settings)
        if quiet is not None and quiet.covers(now, chat.timezone):
            release_at = quiet.ends_after(now, chat.timezone)
            if await self._store.claim(chat.chat_id, key, text, now, release_at=release_at):
                report.held += 1
            else:
                report.already_sent += 1
            return
        if not await self._store.claim(chat.chat_id, key, text, now):
            report.already_sent += 1
            return
        outcome = await self._send(chat, text, now, report)
        if outcome is not None:
            await self._store.release(chat.chat_id, key)
            if isinstance(outcome, SenderBroken):
                raise outcome

    async def _send(
        self, chat: AlertChat, text: str, now: datetime, report: BreakingReport
    ) -> SendDeferred | SenderBroken | None:
        """Send one claimed alert; the error that should undo the claim, if any."""

        async def topic_gone() -> None:
            await self._store.forget_thread(chat.chat_id, now)

        outcome = await send_notice(
            self._sender,
            chat.chat_id,
            chat.chat_type,
            OutgoingMessage(text, thread_id=chat.settings.thread_id),
            self._deactivate,
            kind="breaking alert",
            topic_gone=topic_gone,
        )
        report.count(outcome)
        return outcome.release
