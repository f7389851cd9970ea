"""Sending breaking alerts on SQLite and PostgreSQL: once per chat and story however the
story grows or its key changes, held in quiet hours and released after them (or dropped
when the briefing went out first), a blocked chat deactivated, a deferred send retried."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.breaking.confirm import AlertRule
from bot.breaking.notifier import BreakingNotifier
from bot.briefing.compose import Story
from bot.delivery.sender import OutgoingMessage
from bot.errors import ChatUnreachable, SendDeferred, SendError
from bot.i18n import Catalog
from bot.models import DeactivationReason, Topic
from bot.store import Database, SubscriberStore
from bot.store.breaking import BreakingStore
from bot.store.deliveries import DeliveryStore
from bot.store.schema import deliveries
from tests.test_breaking import T0, one_story, report

RULE = AlertRule(frozenset({Topic.SECURITY, Topic.INTER_KOREAN}), 3, timedelta(minutes=60))
MINJI, JOHN, QUIET, OFF, BLOCKER = 9401, 9402, 9403, 9404, 9405
AT_45 = T0 + timedelta(minutes=46)  # 07:27 KST: a poll just after the third outlet's item


@dataclass
class FakeSender:
    failing: dict[int, SendError] = field(default_factory=dict)
    sent: list[tuple[int, OutgoingMessage]] = field(default_factory=list)

    async def send(self, chat_id: int, message: OutgoingMessage) -> None:
        if chat_id in self.failing:
            raise self.failing[chat_id]
        self.sent.append((chat_id, message))

    def chats(self) -> list[int]:
        return sorted(chat for chat, _ in self.sent)


@dataclass
class Day:
    """The stories the notifier sees; the test changes them between runs."""

    stories: list[Story] = field(default_factory=list)

    async def __call__(self, now: datetime) -> list[Story]:
        return self.stories


THREE = [report("Yonhap", 0), report("Reuters", 20), report("NK News", 45)]


@pytest.fixture
async def store(database: Database) -> BreakingStore:
    subscribers = SubscriberStore(database, clock=lambda: T0)
    store = BreakingStore(database)
    for chat_id in (MINJI, JOHN, QUIET, OFF, BLOCKER):
        await subscribers.ensure_chat(chat_id, chat_type="private", title="", language="en")
        await store.set_enabled(chat_id, chat_id != OFF, thread_id=None, now=T0)
    await store.set_quiet_hours(QUIET, (time(23), time(8)), now=T0)  # Seoul: 07:27 is quiet
    return store


def notifier(
    database: Database, store: BreakingStore, day: Day, sender: FakeSender
) -> BreakingNotifier:
    subscribers = SubscriberStore(database, clock=lambda: T0)

    async def deactivate(chat_id: int, reason: DeactivationReason) -> None:
        await subscribers.deactivate(chat_id, reason, T0)

    return BreakingNotifier(store, day, sender, deactivate, Catalog.load(), RULE)


async def test_opted_in_chats_get_one_alert_and_a_fourth_outlet_adds_none(
    database: Database, store: BreakingStore
) -> None:
    blocked = ChatUnreachable(DeactivationReason.KICKED, "Forbidden: bot was blocked by the user")
    sender = FakeSender(failing={BLOCKER: blocked})
    day = Day([one_story(*THREE[:2])])
    early = await notifier(database, store, day, sender).run(T0 + timedelta(minutes=21))
    day.stories = [one_story(*THREE)]
    first = await notifier(database, store, day, sender).run(AT_45)
    # A fourth outlet, and an item dated earlier than all: the story's key changes.
    earlier = report("AP", -5)
    day.stories = [one_story(*THREE, report("KBS", 50), earlier)]
    assert day.stories[0].key == earlier.url
    again = await notifier(database, store, day, sender).run(AT_45 + timedelta(minutes=5))
    assert early.confirmed == 0
    assert sender.chats() == [MINJI, JOHN]
    assert first.sent == 2 and first.held == 1 and first.deactivated[DeactivationReason.BLOCKED]
    assert again.sent == 0 and again.already_sent == 3  # MINJI, JOHN and QUIET's held one
    assert await store.sends(MINJI) == [(THREE[0].url, "sent")]


async def test_a_story_split_by_a_new_clustering_is_still_the_one_that_alerted(
    database: Database, store: BreakingStore
) -> None:
    sender = FakeSender()
    day = Day([one_story(*THREE)])
    await notifier(database, store, day, sender).run(AT_45)
    # Re-clustered: the first report fell out, the rest with two more outlets stay.
    day.stories = [one_story(*THREE[1:], report("AP", 47), report("KBS", 48))]
    later = await notifier(database, store, day, sender).run(AT_45 + timedelta(minutes=5))
    assert later.sent == 0 and later.already_sent == 4
    assert sender.chats() == [MINJI, JOHN, BLOCKER]


async def test_a_held_alert_goes_out_when_the_quiet_hours_end(
    database: Database, store: BreakingStore
) -> None:
    sender = FakeSender()
    day = Day([one_story(*THREE)])
    alerts = notifier(database, store, day, sender)
    await alerts.run(AT_45)
    before = await alerts.release_held(datetime(2026, 12, 5, 22, 59, tzinfo=UTC))  # 07:59 KST
    after = await alerts.release_held(datetime(2026, 12, 5, 23, 0, tzinfo=UTC))  # 08:00 KST
    assert before.sent == 0 and after.sent == 1
    assert sender.chats() == [MINJI, JOHN, QUIET, BLOCKER]
    [(_, message)] = [sent for sent in sender.sent if sent[0] == QUIET]
    assert "first: Yonhap 06:41 KST" in message.text
    assert await store.sends(QUIET) == [(THREE[0].url, "sent")]
    assert (await alerts.release_held(datetime(2026, 12, 5, 23, 1, tzinfo=UTC))).sent == 0


async def test_a_held_alert_is_dropped_when_the_morning_briefing_went_out_first(
    database: Database, store: BreakingStore
) -> None:
    sender = FakeSender()
    alerts = notifier(database, store, Day([one_story(*THREE)]), sender)
    await alerts.run(AT_45)
    briefing = datetime(2026, 12, 5, 22, 50, tzinfo=UTC)  # 07:50 KST, still quiet
    async with database.transaction() as conn:
        await conn.execute(
            deliveries.insert().values(
                chat_id=QUIET,
                edition_date=briefing.date(),
                status="sent",
                scheduled_for=briefing,
                sent_at=briefing,
                updated_at=briefing,
            )
        )
    released = await alerts.release_held(datetime(2026, 12, 5, 23, 0, tzinfo=UTC))
    assert released.dropped == 1 and released.sent == 0
    assert QUIET not in sender.chats()
    assert await store.sends(QUIET) == [(THREE[0].url, "dropped")]


async def test_a_held_alert_waits_while_the_chats_briefing_is_still_going_out(
    database: Database, store: BreakingStore
) -> None:
    # Quiet hours and briefing both end at 08:00 KST; another instance sends the briefing.
    sender = FakeSender()
    alerts = notifier(database, store, Day([one_story(*THREE)]), sender)
    await alerts.run(AT_45)
    eight = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
    await SubscriberStore(database).subscribe(
        QUIET, chat_type="private", title="", language="en", delivery_time=time(8), now=T0
    )
    waiting = await alerts.release_held(eight)
    assert (waiting.sent, waiting.dropped) == (0, 0)
    log = DeliveryStore(database)
    edition = date(2026, 12, 6)  # in Seoul
    claim = await log.claim(QUIET, edition, scheduled_for=eight, now=eight, max_attempts=3)
    assert claim.ours
    await log.mark_sent(QUIET, edition, 1, eight)
    released = await alerts.release_held(eight + timedelta(minutes=1))
    assert (released.sent, released.dropped) == (0, 1)
    assert QUIET not in sender.chats()


async def test_a_deferred_alert_is_released_and_sent_at_the_next_poll(
    database: Database, store: BreakingStore
) -> None:
    sender = FakeSender(failing={MINJI: SendDeferred("RetryAfter: flood control")})
    day = Day([one_story(*THREE)])
    first = await notifier(database, store, day, sender).run(AT_45)
    del sender.failing[MINJI]
    second = await notifier(database, store, day, sender).run(AT_45 + timedelta(minutes=5))
    assert first.failed == 1 and second.sent == 1
    assert sender.chats() == [MINJI, JOHN, BLOCKER]


async def test_a_story_confirmed_over_an_hour_ago_is_not_breaking_any_more(
    database: Database, store: BreakingStore
) -> None:
    sender = FakeSender()
    late = T0 + timedelta(minutes=45) + timedelta(hours=1, seconds=1)
    report_ = await notifier(database, store, Day([one_story(*THREE)]), sender).run(late)
    assert report_.confirmed == 0 and sender.sent == []


async def test_settings_keep_the_quiet_hours_through_off_and_on(store: BreakingStore) -> None:
    await store.set_enabled(QUIET, False, thread_id=None, now=T0)
    settings = await store.set_enabled(QUIET, True, thread_id=42, now=T0)
    assert settings.enabled and settings.thread_id == 42
    assert (settings.quiet_start, settings.quiet_end) == (time(23), time(8))
    cleared = await store.set_quiet_hours(QUIET, None, now=T0)
    assert cleared.quiet_start is None and cleared.quiet_end is None
    assert {chat.chat_id for chat in await store.opted_in()} == {MINJI, JOHN, QUIET, BLOCKER}
