"""Sending follows: after each poll, every new story a chat follows, once.

The feed poll job (on the jobs lease holder) calls :meth:`FollowNotifier.run` with the
poll's time; the items that poll stored carry it as their fetch time. The notifier

1. reads the relevant items fetched since then, and stops if there are none;
2. takes the day's stories (:class:`bot.briefing.editions.Editions`, rebuilt after the
   poll), so items are grouped into stories exactly as the briefing groups them;
3. works out the alerts (:func:`.alerts.story_alerts`);
4. for each, claims (chat, story) in the send log, then sends through the same
   :class:`~bot.delivery.sender.Sender` as the briefing (and so the same rate limiter).

Errors, as :mod:`bot.delivery.notices` reads them (breaking alerts too): a chat that
blocked the bot or is gone is deactivated (its follows stop until someone there follows
something again); flood control and network errors release the claim, so the story goes
out if a later poll brings it another matching item; a rejected message stays claimed
(it would be rejected again); a broken sender (revoked token) releases the claim and is
raised.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.briefing.compose import Story
from bot.delivery.notices import NoticeTally, send_notice
from bot.delivery.sender import OutgoingMessage, Sender
from bot.errors import SenderBroken
from bot.follows.alerts import StoryAlert, render_alert, story_alerts
from bot.i18n import Catalog
from bot.models import DeactivationReason
from bot.store.follows import FollowStore
from bot.store.items import ItemStore

log = logging.getLogger(__name__)

SEND_CONCURRENCY = 8
"""Alerts in flight at once; the rate limiter, not this, sets the pace."""
STORY_WINDOW = timedelta(hours=24)
SENDS_KEPT = timedelta(days=15)
"""The send log outlives the items (kept 14 days, ``bot.news.ingest.MAX_AGE``): a story
key cannot come back once its items are gone."""


@dataclass
class FollowReport(NoticeTally):
    """What one run did, for the log and the metrics."""

    alerts: int = 0
    """Alerts the new items called for, before the send log."""
    already_sent: int = 0

    def outcomes(self) -> dict[str, int]:
        """How the alerts ended, by outcome (the metrics' labels)."""
        return {
            "sent": self.sent,
            "already_sent": self.already_sent,
            "failed": self.failed,
            "deactivated": sum(self.deactivated.values()),
        }

    def describe(self) -> str:
        gone = sum(self.deactivated.values())
        return (
            f"{self.alerts} matched, {self.sent} sent, {self.already_sent} already sent, "
            f"{self.failed} failed, {gone} chats deactivated"
        )


class FollowNotifier:
    """Sends each chat the new stories it follows; see the module docstring."""

    def __init__(
        self,
        store: FollowStore,
        items: ItemStore,
        stories: Callable[[datetime], Awaitable[list[Story]]],
        sender: Sender,
        deactivate: Callable[[int, DeactivationReason], Awaitable[None]],
        catalog: Catalog,
    ) -> None:
        self._store = store
        self._items = items
        self._stories = stories
        self._sender = sender
        self._deactivate = deactivate
        self._catalog = catalog

    async def run(self, now: datetime, fetched_since: datetime) -> FollowReport:
        """Send the alerts for the relevant items fetched at or after ``fetched_since``."""
        report = FollowReport()
        new_urls = await self._items.relevant_urls_fetched_since(
            fetched_since, published_after=now - STORY_WINDOW
        )
        if not new_urls:
            return report
        follows = await self._store.active()
        if not follows:
            return report
        alerts = story_alerts(await self._stories(now), new_urls, follows)
        report.alerts = len(alerts)
        slots = asyncio.Semaphore(SEND_CONCURRENCY)

        async def send(alert: StoryAlert) -> None:
            async with slots:
                await self._send(alert, now, report)

        try:
            async with asyncio.TaskGroup() as group:
                for alert in alerts:
                    group.create_task(send(alert))
        except* SenderBroken as broken:  # nothing more can be sent: say so, plainly
            raise broken.exceptions[0] from None
        return report

    async def forget_old(self, now: datetime) -> int:
        """Drop send-log rows older than :data:`SENDS_KEPT`; returns how many."""
        return await self._store.prune_sent(now - SENDS_KEPT)

    async def _send(self, alert: StoryAlert, now: datetime, report: FollowReport) -> None:
        story, chat_id = alert.story, alert.chat_id
        urls = [item.url for item in story.items]
        if not await self._store.claim_story(chat_id, story.key, urls, alert.labels, now):
            report.already_sent += 1
            return
        message = OutgoingMessage(render_alert(alert, self._catalog))
        outcome = await send_notice(
            self._sender, chat_id, alert.chat_type, message, self._deactivate, kind="follow"
        )
        if outcome.release is not None:
            await self._store.release_story(chat_id, story.key)
            if isinstance(outcome.release, SenderBroken):
                raise outcome.release
        report.count(outcome)
