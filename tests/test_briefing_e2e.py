"""The daily briefing end to end: local feed server → polling → stories → delivery through
the fake Bot API, with the bot's real jobs; the delivery job runs on an injected clock.

The fixture feeds are dated around 2026-11-27T21:00Z; they are served with every date
shifted so that moment is "now", whatever day the tests run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator
from email.utils import format_datetime
from pathlib import Path

import pytest

from bot.store.database import Database
from bot.store.deliveries import DeliveryStore
from bot.store.items import ItemStore
from bot.store.subscribers import SubscriberStore
from handlers.context import BotApplication
from tests.support.app import Clock, make_settings, running_bot
from tests.support.fakebotapi import PATIENCE, FakeBotAPI
from tests.support.pageserver import PageServer
from tests.support.paths import FIXTURES
from tests.support.waiting import eventually

BRIEFING = FIXTURES / "briefing"
FIXTURE_NOW = dt.datetime(2026, 11, 27, 21, 0, tzinfo=dt.UTC)
OFF_TOPIC = ("BTS", "aespa", "Galaxy", "Son Heung-min", "street food", "Pakistan")
_RFC822 = re.compile(r"\w{3}, \d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{2}:?\d{2}")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})")
ALICE = 8101
BOB = 8102
OPERATOR = 8199


def _shift(xml: str, delta: dt.timedelta) -> str:
    def rfc822(match: re.Match[str]) -> str:
        text = re.sub(r"([+-]\d{2}):(\d{2})$", r"\1\2", match.group(0))
        moment = dt.datetime.strptime(text, "%a, %d %b %Y %H:%M:%S %z")
        return format_datetime((moment + delta).astimezone(dt.UTC))

    def iso(match: re.Match[str]) -> str:
        moment = dt.datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        return (moment + delta).astimezone(dt.UTC).isoformat().replace("+00:00", "Z")

    return _ISO.sub(iso, _RFC822.sub(rfc822, xml))


@pytest.fixture
def live_feeds(page_server: PageServer, tmp_path: Path) -> Path:
    """A feed list of the fixture feeds served over HTTP, dated as if now were the demo's now.

    Their links to the outlets' real hosts point at the local server instead (where the
    article pages are missing: the items keep their excerpts), so no test reaches the internet.
    """
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    delta = now - FIXTURE_NOW
    prefix = f"/e2e-{uuid.uuid4().hex[:8]}"
    listing = (BRIEFING / "feeds.toml").read_text(encoding="utf-8")
    for feed in sorted(BRIEFING.glob("*.xml")):
        xml = feed.read_text(encoding="utf-8").replace(
            "https://", page_server.url_for(f"{prefix}/")
        )
        body = _shift(xml, delta).encode("utf-8")
        page_server.add_page(f"{prefix}/{feed.name}", body, "application/xml")
        listing = listing.replace(
            f'"file:{feed.name}"', f'"{page_server.url_for(f"{prefix}/{feed.name}")}"'
        )
    # One feed that is down, for the operator's eyes only.
    listing += (
        '\n[[feeds]]\nname = "Broken Times"\n'
        f'url = "{page_server.url_for(f"/status/500?feed={prefix}")}"\n'
        'language = "en"\nprovenance = "newspaper"\n'
    )
    path = tmp_path / "feeds.toml"
    path.write_text(listing, encoding="utf-8")
    return path


@pytest.fixture
async def database(sqlite_url: str) -> AsyncIterator[Database]:
    db = Database(sqlite_url)
    await db.open()
    try:
        yield db
    finally:
        await db.close()


async def polled(database: Database) -> bool:
    health = await ItemStore(database).feed_health()
    return len(health) == 8 and all(h.last_attempt_at is not None for h in health)


async def say(api: FakeBotAPI, application: BotApplication, chat_id: int, text: str) -> list[str]:
    """Every message the bot sends in reply to ``text`` (a briefing may take several)."""
    before = len(api.sent_messages(chat_id))
    api.user_says(chat_id, text)
    await api.wait_for_messages(chat_id, count=before + 1)
    # The reply has begun; the update's queue entry is done once its handler has returned.
    await asyncio.wait_for(application.update_queue.join(), PATIENCE)
    return [m.plain_text for m in api.sent_messages(chat_id)[before:]]


def a_minute_ahead(minutes: int) -> dt.datetime:
    """The whole minute ``minutes`` from now: a subscription made now is due then."""
    now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes)
    return now.replace(second=0, microsecond=0)


async def test_brief_latest_and_sources_on_demand(
    fake_api: FakeBotAPI, sqlite_url: str, live_feeds: Path, database: Database
) -> None:
    fake_api.add_chat(OPERATOR, "private", first_name="Operator")
    settings = make_settings(
        fake_api, sqlite_url, briefbot_feeds=live_feeds, admin_chat_ids=[OPERATOR]
    )
    async with running_bot(settings) as application:
        await eventually(lambda: polled(database), "the first poll")
        [alert] = await fake_api.wait_for_messages(OPERATOR)
        brief = "\n".join(await say(fake_api, application, ALICE, "/brief"))
        latest = "\n".join(await say(fake_api, application, ALICE, "/latest"))
        sources = "\n".join(await say(fake_api, application, ALICE, "/sources"))
    assert "Peninsula Brief" in brief
    assert "East Sea" in brief and "Kim Yo" in brief
    assert not any(word in brief for word in OFF_TOPIC)
    # Four outlets reported the launch: one story, its sources listed once each.
    [launch] = [
        block
        for block in brief.split("\n\n")
        if "ballistic missile" in block.splitlines()[0] and "East Sea" in block.splitlines()[0]
    ]
    assert re.search(r"\+\d", launch)
    assert "East Sea" in latest and not any(word in latest for word in OFF_TOPIC)
    assert "7 of 8 working" in sources
    assert "⚠️ Broken Times" in sources and "server error (HTTP 5xx)" in sources
    # The operator hears about the broken feed; the subscriber's briefing doesn't mention it.
    assert "Broken Times" in alert.plain_text and "server error (HTTP 5xx)" in alert.plain_text
    assert "Broken" not in brief


async def test_a_subscriber_gets_exactly_one_briefing_at_their_minute(
    fake_api: FakeBotAPI, sqlite_url: str, live_feeds: Path, database: Database
) -> None:
    """The real delivery job, run at the subscriber's minute on the bot's injected clock."""
    fake_api.add_chat(BOB, "private", first_name="Bob")
    fake_api.block_chat(BOB)
    fake_api.add_chat(OPERATOR, "private", first_name="Operator")
    settings = make_settings(
        fake_api, sqlite_url, briefbot_feeds=live_feeds, admin_chat_ids=[OPERATOR]
    )
    clock = Clock()
    async with running_bot(settings, clock=clock) as application:
        assert application.job_queue is not None
        [deliver] = application.job_queue.get_jobs_by_name("deliver-editions")
        deliver.enabled = False  # this test runs it, at the instants it chooses
        await eventually(lambda: polled(database), "the first poll")
        due = a_minute_ahead(10)
        await say(fake_api, application, ALICE, f"/subscribe {due:%H:%M} UTC")
        subscribers = SubscriberStore(database)
        await subscribers.subscribe(
            BOB,
            chat_type="private",
            title="Bob",
            language="en",
            timezone="UTC",
            delivery_time=due.time(),
            now=dt.datetime.now(dt.UTC),
        )
        clock.set(due - dt.timedelta(minutes=1))
        await deliver.run(application)
        assert len(fake_api.sent_messages(ALICE)) == 1, "only the /subscribe reply, a minute early"

        clock.set(due)
        await deliver.run(application)

        async def bob_deactivated() -> bool:
            bob = await subscribers.get(BOB)
            return bob is not None and not bob.subscribed

        await eventually(bob_deactivated, "the blocked subscriber's deactivation")

        def reported() -> bool:
            return any("Edition report" in m.plain_text for m in fake_api.sent_messages(OPERATOR))

        await fake_api.wait_for(reported, what="the edition report")
        clock.set(due + dt.timedelta(minutes=1))
        await deliver.run(application)  # the next tick has nothing left to send
        messages = fake_api.sent_messages(ALICE)[1:]
    [report] = [m for m in fake_api.sent_messages(OPERATOR) if "Edition report" in m.plain_text]
    assert "1 sent" in report.plain_text and "1 deactivated" in report.plain_text
    text = "\n".join(m.plain_text for m in messages)
    assert messages[0].plain_text.startswith("🗞 Your ") and "briefing for" in messages[0].plain_text
    assert text.count("🗞 ") == 1, "exactly one briefing"
    assert messages[-1].reply_markup is not None, "Settings and Pause under the last message"
    assert "East Sea" in text and not any(word in text for word in OFF_TOPIC)
    assert all(m.link_preview_options == {"is_disabled": True} for m in messages)
    alice = await SubscriberStore(database).get(ALICE)
    assert alice is not None and alice.next_delivery_at is not None
    assert alice.next_delivery_at - due == dt.timedelta(days=1)
    delivery = await DeliveryStore(database).get(ALICE, due.date())
    assert delivery is not None and delivery.status == "sent"
    bob = await SubscriberStore(database).get(BOB)
    assert bob is not None and bob.deactivated_reason == "blocked"
