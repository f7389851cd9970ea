"""Confirmed breaking alerts through the fake Bot API, with feeds served locally that
change between polls and the bot's clock set by the test: two outlets alert nobody, the
third alerts the chats that opted in (a forum group in its topic) once, a fourth outlet
or a restart on the same database alerts nobody again; state media do not confirm; an
alert in quiet hours waits for their end."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from bot.models import Language
from bot.settings import Settings
from bot.subscriptions.operations import ChatRef
from handlers.context import BotApplication
from tests.support.app import Clock, make_settings, run_job, running_bot
from tests.support.fakebotapi import PATIENCE, FakeBotAPI, SentMessage
from tests.support.feeds import first_poll_done
from tests.support.pageserver import PageServer
from tests.support.waiting import eventually

READER, BYSTANDER = 8501, 8502
GROUP, ADMIN, TOPIC = -100_8503, 8504, 77
# Two hours before now: the items' dates must be in the past of the real clock as well.
BASE = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) - dt.timedelta(hours=2)

LEDE = (
    "North Korea fired a short-range ballistic missile toward the East Sea on Sunday "
    "morning, South Korea's Joint Chiefs of Staff said, its first launch in two months."
)
REPORTS = {
    "Yonhap": "North Korea fires ballistic missile into East Sea, JCS says",
    "Reuters": "North Korea fires ballistic missile toward East Sea, South Korea's JCS says",
    "NK News": "North Korea launches ballistic missile into East Sea, JCS says",
    "AP": "North Korea test-fires ballistic missile into East Sea, JCS says",
    "KCNA": "DPRK fires ballistic missile into East Sea, JCS says",
    "Rodong Sinmun": "DPRK launches ballistic missile into the East Sea, JCS says",
}
STATE = {"KCNA", "Rodong Sinmun"}
GROUP_REF = ChatRef(GROUP, "supergroup", "Korea watchers", Language.EN)


class Feeds:
    """One feed per outlet on the local server; the test publishes into them."""

    def __init__(self, server: PageServer, tmp_path: Path) -> None:
        self._server = server
        self._prefix = f"/breaking-{uuid.uuid4().hex[:8]}"
        self.listing = tmp_path / "feeds.toml"
        entries = []
        for name in REPORTS:
            kind = "nk_state_media" if name in STATE else "wire"
            entries.append(
                f'[[feeds]]\nname = "{name}"\nurl = "{server.url_for(self._path(name))}"\n'
                f'language = "en"\nprovenance = "{kind}"\ntopical = true\nfull_text = true\n'
                f'source = "{name}"\n'
            )
            self._serve(name, None)
        self.listing.write_text("\n".join(entries), encoding="utf-8")

    def _path(self, name: str) -> str:
        return f"{self._prefix}/{name.replace(' ', '').lower()}.xml"

    def publish(self, name: str, minutes: float) -> None:
        """The outlet's report of the launch, published ``minutes`` after BASE."""
        self._serve(name, BASE + dt.timedelta(minutes=minutes))

    def _serve(self, name: str, published: dt.datetime | None) -> None:
        slug = name.replace(" ", "").lower()
        entry = (
            f"<item><title>{escape(REPORTS[name])}</title>"
            f"<link>https://{slug}.example/launch</link>"
            f"<pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{escape(LEDE)}</description></item>"
            if published is not None
            else ""
        )
        channel = f"<title>{name}</title><link>https://{slug}.example/</link>{entry}"
        body = f'<?xml version="1.0"?><rss version="2.0"><channel>{channel}</channel></rss>'
        self._server.add_page(self._path(name), body.encode(), "application/rss+xml")


async def say(
    api: FakeBotAPI,
    application: BotApplication,
    chat_id: int,
    text: str,
    **where: object,
) -> SentMessage:
    before = len(api.sent_messages(chat_id))
    api.user_says(chat_id, text, **where)  # type: ignore[arg-type]
    messages = await api.wait_for_messages(chat_id, count=before + 1)
    await asyncio.wait_for(application.update_queue.join(), PATIENCE)
    return messages[before]


async def poll_at(application: BotApplication, clock: Clock, minutes: float) -> None:
    """The bot's own poll job at BASE + ``minutes`` (alerts are sent inside it)."""
    clock.set(BASE + dt.timedelta(minutes=minutes))
    await run_job(application, "poll-feeds")


async def started(application: BotApplication) -> None:
    await eventually(lambda: first_poll_done(application), "the first poll")


def alerts(api: FakeBotAPI, chat_id: int) -> list[SentMessage]:
    return [m for m in api.sent_messages(chat_id) if m.plain_text.startswith("🚨 Breaking")]


def forum_group(api: FakeBotAPI) -> dict[str, object]:
    """GROUP as a forum with topic TOPIC and ADMIN its administrator; what ``say`` needs
    to speak there as ADMIN."""
    api.add_forum(GROUP, title="Korea watchers", topics=(TOPIC,))
    api.set_member_status(GROUP, ADMIN, "administrator")
    return {"user_id": ADMIN, "chat_type": "supergroup", "title": "Korea watchers"}


def settings_for(api: FakeBotAPI, url: str, feeds: Feeds) -> Settings:
    return make_settings(api, url, briefbot_feeds=feeds.listing)


async def test_three_outlets_alert_opted_in_chats_once_across_a_fourth_and_a_restart(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    feeds = Feeds(page_server, tmp_path)
    in_group = forum_group(fake_api)
    clock = Clock()
    clock.set(BASE)
    async with running_bot(settings_for(fake_api, sqlite_url, feeds), clock=clock) as app:
        await started(app)
        shown = await say(fake_api, app, READER, "/alerts")
        turned_on = await say(fake_api, app, READER, "/alerts on")
        await say(fake_api, app, BYSTANDER, "/alerts")
        await say(fake_api, app, GROUP, "/alerts on", thread_id=TOPIC, **in_group)
        feeds.publish("Yonhap", 0)
        await poll_at(app, clock, 1)
        feeds.publish("Reuters", 20)
        await poll_at(app, clock, 21)
        after_two = alerts(fake_api, READER)
        feeds.publish("NK News", 45)
        await poll_at(app, clock, 46)
        after_three = alerts(fake_api, READER)
        feeds.publish("AP", 50)
        await poll_at(app, clock, 51)
        after_four = alerts(fake_api, READER)
        services = app.bot_data.services
        assert services is not None
        metrics = services.metrics.exposition()
    # A new application on the same database; AP updates its report.
    async with running_bot(settings_for(fake_api, sqlite_url, feeds), clock=clock) as app:
        await started(app)
        feeds.publish("AP", 55)
        await poll_at(app, clock, 56)
        after_restart = alerts(fake_api, READER)

    assert "Breaking alerts are off here" in shown.plain_text
    assert turned_on.plain_text.startswith("Done: breaking alerts will come here.")
    assert "Security or Inter-Korean story" in turned_on.plain_text
    assert after_two == []
    [alert] = after_three
    lines = alert.plain_text.splitlines()
    assert lines[0] == "🚨 Breaking · confirmed by 3 outlets"
    first = BASE.astimezone(ZoneInfo("Asia/Seoul"))
    assert lines[-1] == f"Yonhap · Reuters · NK News — first: Yonhap {first:%H:%M} KST"
    assert after_four == after_restart == after_three
    [group_alert] = alerts(fake_api, GROUP)
    assert group_alert.message_thread_id == TOPIC
    assert alerts(fake_api, BYSTANDER) == []
    assert b'briefbot_breaking_alerts_total{outcome="sent"} 2.0' in metrics


async def test_state_media_do_not_confirm_and_quiet_hours_hold_the_alert(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    feeds = Feeds(page_server, tmp_path)
    clock = Clock()
    clock.set(BASE)
    seoul = ZoneInfo("Asia/Seoul")
    quiet_from = (BASE - dt.timedelta(hours=1)).astimezone(seoul)
    quiet_to = (BASE + dt.timedelta(minutes=90)).astimezone(seoul)
    async with running_bot(settings_for(fake_api, sqlite_url, feeds), clock=clock) as app:
        await started(app)
        await say(fake_api, app, READER, "/alerts on")
        quiet = await say(
            fake_api, app, READER, f"/alerts quiet {quiet_from:%H:%M}-{quiet_to:%H:%M}"
        )
        feeds.publish("KCNA", 0)
        feeds.publish("Rodong Sinmun", 5)
        feeds.publish("Yonhap", 10)
        await poll_at(app, clock, 11)
        state_media_and_one = alerts(fake_api, READER)
        feeds.publish("Reuters", 30)
        await poll_at(app, clock, 31)
        during_quiet = alerts(fake_api, READER)
        clock.set(BASE + dt.timedelta(minutes=89))
        await run_job(app, "deliver-editions")
        before_the_end = alerts(fake_api, READER)
        clock.set(BASE + dt.timedelta(minutes=90))
        await run_job(app, "deliver-editions")
        released = await fake_api.wait_for_messages(
            READER, count=len(fake_api.sent_messages(READER))
        )
        cleared = await say(fake_api, app, READER, "/alerts quiet off")

    assert quiet.plain_text.startswith("Quiet hours set.")
    assert f"Quiet hours: {quiet_from:%H:%M}–{quiet_to:%H:%M}, Seoul time" in quiet.plain_text
    assert state_media_and_one == during_quiet == before_the_end == []
    [alert] = [m for m in released if m.plain_text.startswith("🚨 Breaking")]
    assert "confirmed by 4 outlets" in alert.plain_text
    assert "first: KCNA" in alert.plain_text and "North Korean state media" in alert.plain_text
    assert "No quiet hours" in cleared.plain_text


async def test_in_a_group_only_administrators_turn_alerts_on_and_help_lists_them(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    fake_api.add_chat(GROUP, "supergroup", title="Korea watchers")
    fake_api.set_member_status(GROUP, BYSTANDER, "member")
    fake_api.set_member_status(GROUP, ADMIN, "administrator")
    group = {"chat_type": "supergroup", "title": "Korea watchers"}
    async with running_bot(make_settings(fake_api, sqlite_url)) as app:
        refused = await say(fake_api, app, GROUP, "/alerts on", user_id=BYSTANDER, **group)
        allowed = await say(fake_api, app, GROUP, "/alerts on", user_id=ADMIN, **group)
        korean = await say(fake_api, app, READER, "/alerts", language_code="ko")
        bad = await say(fake_api, app, READER, "/alerts quiet 7-7", language_code="ko")
        help_text = await say(fake_api, app, READER, "/help")
        services = app.bot_data.services
        assert services is not None
        settings = await services.breaking.state(GROUP_REF)
    assert "administrators" in refused.plain_text
    assert allowed.plain_text.startswith("Done: breaking alerts will come here.")
    assert settings.settings.enabled and settings.settings.thread_id is None
    assert korean.plain_text.startswith("🔕 이 채팅방은 속보 알림을 받지 않습니다.")
    assert "안보·남북관계 뉴스를 독립 언론사 3곳이 60분 안에" in korean.plain_text
    assert bad.plain_text.startswith("방해 금지 시간을 알아보지 못했습니다.")
    assert "/alerts on — a short alert" in help_text.plain_text


async def test_an_alert_whose_topic_was_deleted_goes_to_the_group_itself(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    feeds = Feeds(page_server, tmp_path)
    in_group = forum_group(fake_api)
    clock = Clock()
    clock.set(BASE)
    async with running_bot(settings_for(fake_api, sqlite_url, feeds), clock=clock) as app:
        await started(app)
        await say(fake_api, app, GROUP, "/alerts on", thread_id=TOPIC, **in_group)
        fake_api.delete_forum_topic(GROUP, TOPIC)
        for minutes, outlet in ((0, "Yonhap"), (10, "Reuters"), (20, "NK News")):
            feeds.publish(outlet, minutes)
            await poll_at(app, clock, minutes + 1)
        services = app.bot_data.services
        assert services is not None
        settings = await services.breaking.state(GROUP_REF)

    [alert] = alerts(fake_api, GROUP)
    assert alert.message_thread_id is None  # the group's General topic
    assert settings.settings.enabled and settings.settings.thread_id is None
