"""Sending follows: which chat gets which story, one message naming every follow it
matched, in the chat's language; a blocked chat deactivated, a deferred send released."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.briefing.compose import Story, build_stories
from bot.delivery.sender import OutgoingMessage
from bot.errors import ChatUnreachable, SendDeferred, SendError
from bot.follows.alerts import render_alert, story_alerts
from bot.follows.notifier import FollowNotifier
from bot.follows.query import parse_follow
from bot.formatting import plain_text
from bot.i18n import Catalog
from bot.models import DeactivationReason, NewsItem, Provenance, Topic
from bot.store import Database, SubscriberStore
from bot.store.follows import ChatFollow, Follow, FollowStore
from bot.store.items import ItemRow, ItemStore
from tests.support.newsitems import stored_item

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
MINJI, JOHN, BLOCKER = 8401, 8402, 8403
KIM = ("https://yna.example/kim", "Kim Yo Jong slams leaflets, warns of countermeasures")
LAUNCH = ("https://yna.example/launch", "North Korea fires ballistic missile into East Sea")


def item(url: str, title: str, hours_ago: float = 1.0) -> NewsItem:
    return NewsItem(
        url=url,
        title=title,
        summary=f"{title}, officials said on Sunday.",
        published=NOW - timedelta(hours=hours_ago),
        source="Yonhap",
        feed_name="Yonhap",
        language="en",
        provenance=Provenance.WIRE,
        topics=(Topic.SECURITY,),
        relevance=6.0,
    )


def chat_follow(chat_id: int, text: str, language: str = "en") -> ChatFollow:
    query = parse_follow(text)
    return ChatFollow(Follow(chat_id, chat_id, query.key, query.label, NOW), "private", language)


def stories() -> list[Story]:
    return build_stories([item(*KIM), item(*LAUNCH, hours_ago=2)], now=NOW)


def test_a_story_matching_several_follows_of_a_chat_is_one_alert_naming_them() -> None:
    follows = [
        chat_follow(MINJI, "김여정"),
        chat_follow(MINJI, "leaflets"),
        chat_follow(MINJI, "합참"),
        chat_follow(JOHN, "satellite"),
    ]
    [alert] = story_alerts(stories(), {KIM[0], LAUNCH[0]}, follows)
    assert alert.chat_id == MINJI and alert.labels == ("김여정", "leaflets")


def test_only_stories_with_new_items_are_sent() -> None:
    follows = [chat_follow(MINJI, "김여정"), chat_follow(MINJI, "missile")]
    [alert] = story_alerts(stories(), {LAUNCH[0]}, follows)
    assert alert.labels == ("missile",)
    assert story_alerts(stories(), set(), follows) == []


def test_an_alert_is_written_in_the_chats_language() -> None:
    catalog = Catalog.load()
    [alert] = story_alerts(stories(), {KIM[0]}, [chat_follow(MINJI, "김여정", "ko")])
    text = plain_text(render_alert(alert, catalog))
    assert text.startswith("👁 김여정 관련 새 뉴스\n\n[영문] Kim Yo Jong slams leaflets")


# ---------------------------------------------------------------------------- sending


@dataclass
class FakeSender:
    """Records what it sends; chats in ``failing`` raise their error instead."""

    failing: dict[int, SendError] = field(default_factory=dict)
    sent: list[tuple[int, OutgoingMessage]] = field(default_factory=list)

    async def send(self, chat_id: int, message: OutgoingMessage) -> None:
        if chat_id in self.failing:
            raise self.failing[chat_id]
        self.sent.append((chat_id, message))


@pytest.fixture
async def follows(database: Database) -> FollowStore:
    subscribers = SubscriberStore(database, clock=lambda: NOW)
    for chat_id in (MINJI, JOHN, BLOCKER):
        await subscribers.ensure_chat(chat_id, chat_type="private", title="", language="en")
    store = FollowStore(database)
    for chat_id in (MINJI, JOHN, BLOCKER):
        await store.add(chat_id, "김여정", "김여정", limit=20, now=NOW)
    items = ItemStore(database)
    await items.add_items([_row(*KIM)])
    return store


def _row(url: str, title: str) -> ItemRow:
    return stored_item(
        url,
        title,
        published_at=NOW - timedelta(hours=1),
        fetched_at=NOW,
        feed_url="https://yna.example/feed",
        feed_name="Yonhap",
        relevance=6.0,
    )


def notifier(database: Database, store: FollowStore, sender: FakeSender) -> FollowNotifier:
    subscribers = SubscriberStore(database, clock=lambda: NOW)

    async def day(now: datetime) -> list[Story]:
        return stories()

    async def deactivate(chat_id: int, reason: DeactivationReason) -> None:
        await subscribers.deactivate(chat_id, reason, NOW)

    return FollowNotifier(store, ItemStore(database), day, sender, deactivate, Catalog.load())


async def test_a_blocked_chat_is_deactivated_and_the_others_get_the_story_once(
    database: Database, follows: FollowStore
) -> None:
    blocked = ChatUnreachable(DeactivationReason.KICKED, "Forbidden: bot was blocked by the user")
    sender = FakeSender(failing={BLOCKER: blocked})
    report = await notifier(database, follows, sender).run(NOW, fetched_since=NOW)
    again = await notifier(database, follows, sender).run(NOW, fetched_since=NOW)
    assert sorted(chat for chat, _ in sender.sent) == [MINJI, JOHN]
    assert report.sent == 2 and report.deactivated == {DeactivationReason.BLOCKED: 1}
    assert again.sent == 0 and again.already_sent == 2
    blocker = await SubscriberStore(database).get(BLOCKER)
    assert blocker is not None and blocker.deactivated_reason == DeactivationReason.BLOCKED
    assert {f.follow.chat_id for f in await follows.active()} == {MINJI, JOHN}


async def test_a_deferred_send_releases_its_claim(database: Database, follows: FollowStore) -> None:
    sender = FakeSender(failing={MINJI: SendDeferred("RetryAfter: flood control")})
    report = await notifier(database, follows, sender).run(NOW, fetched_since=NOW)
    assert report.failed == 1
    assert await follows.sent_stories(MINJI) == []
    assert await follows.sent_stories(JOHN) == [KIM[0]]


async def test_items_of_earlier_polls_are_not_sent_again(
    database: Database, follows: FollowStore
) -> None:
    sender = FakeSender()
    later = NOW + timedelta(minutes=15)
    report = await notifier(database, follows, sender).run(later, fetched_since=later)
    assert report.alerts == 0 and sender.sent == []
