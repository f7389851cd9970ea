"""Follows through the fake Bot API, with feeds served locally that change between polls:
a follow in Korean gets the English report once, a second outlet on the same story adds
nothing, /follows removes with a button, and a follow too broad is refused."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from pathlib import Path

from bot.store.database import Database
from bot.store.follows import FollowStore
from handlers.context import BotApplication
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import PATIENCE, FakeBotAPI, SentMessage
from tests.support.feeds import first_poll_done, rss
from tests.support.pageserver import PageServer
from tests.support.waiting import eventually
from tests.test_group_conversation import GROUP, MEMBER, say_in_group
from tests.test_subscription_conversation import press

READER = 8301
ADMIN = 6103

LAUNCH = (
    "North Korea fires ballistic missile into East Sea, JCS says",
    "North Korea fired a short-range ballistic missile toward the East Sea on Saturday "
    "morning, South Korea's Joint Chiefs of Staff said, its first launch in two months.",
)
SATELLITE = (
    "North Korea says it will launch a military reconnaissance satellite",
    "North Korea told Japan's coast guard it plans to launch a military reconnaissance "
    "satellite between next week and the end of the month.",
)
KIM_YONHAP = (
    "Kim Yo Jong slams South Korea over propaganda leaflets, warns of countermeasures",
    "Kim Yo Jong, the powerful sister of North Korean leader Kim Jong Un, denounced "
    "propaganda leaflets flown across the border by South Korean activists and warned "
    "of countermeasures.",
)
KIM_NKNEWS = (
    "Kim Yo Jong warns of countermeasures over South Korean propaganda leaflets",
    "Kim Jong Un's sister Kim Yo Jong denounced the propaganda leaflets South Korean "
    "activists flew across the border and warned Seoul of countermeasures.",
)


class Feeds:
    """Two outlets' feeds on the local server, changed by the test between polls."""

    def __init__(self, server: PageServer, tmp_path: Path) -> None:
        self._server = server
        self._prefix = f"/follows-{uuid.uuid4().hex[:8]}"
        self._now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.listing = tmp_path / "feeds.toml"
        entries = [
            f'[[feeds]]\nname = "{name}"\nurl = "{server.url_for(self._path(name))}"\n'
            f'language = "en"\nprovenance = "{kind}"\ntopical = true\nsource = "{name}"\n'
            for name, kind in (("Yonhap", "wire"), ("NK News", "monitor"))
        ]
        self.listing.write_text("\n".join(entries), encoding="utf-8")

    def _path(self, name: str) -> str:
        return f"{self._prefix}/{name.replace(' ', '').lower()}.xml"

    def serve(self, name: str, items: list[tuple[str, str, str]]) -> None:
        slug = name.replace(" ", "").lower()
        self._server.add_page(self._path(name), rss(slug, items, self._now), "application/rss+xml")


async def say(api: FakeBotAPI, application: BotApplication, text: str) -> SentMessage:
    before = len(api.sent_messages(READER))
    api.user_says(READER, text)
    messages = await api.wait_for_messages(READER, count=before + 1)
    await asyncio.wait_for(application.update_queue.join(), PATIENCE)
    return messages[before]


async def poll(application: BotApplication) -> None:
    """The bot's own poll job, run to its end (follows are sent inside it)."""
    assert application.job_queue is not None
    [job] = application.job_queue.get_jobs_by_name("poll-feeds")
    await job.run(application)


async def test_a_follow_gets_a_new_story_once_across_languages_and_outlets(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    feeds = Feeds(page_server, tmp_path)
    feeds.serve("Yonhap", [("launch", *LAUNCH), ("satellite", *SATELLITE)])
    feeds.serve("NK News", [])
    settings = make_settings(
        fake_api, sqlite_url, briefbot_feeds=feeds.listing, follow_max_stories_per_day=1
    )
    database = Database(sqlite_url)
    async with running_bot(settings) as application:
        await database.open()
        try:
            follows = FollowStore(database)
            await eventually(lambda: first_poll_done(application), "the first poll")
            # "launch" is in both stories of the day: more than the one a day allowed here.
            broad = await say(fake_api, application, "/follow launch")
            the = await say(fake_api, application, "/follow the")
            added = await say(fake_api, application, "/follow 김여정")
            assert [f.label for f in await follows.of_chat(READER)] == ["김여정"]

            feeds.serve("Yonhap", [("kim", *KIM_YONHAP), ("launch", *LAUNCH)])
            await poll(application)
            after_first = fake_api.sent_messages(READER)[3:]

            feeds.serve("NK News", [("kim-yo-jong", *KIM_NKNEWS)])
            await poll(application)
            after_second = fake_api.sent_messages(READER)[3:]
            latest = await say(fake_api, application, "/latest")
            services = application.bot_data.services
            assert services is not None
            metrics = services.metrics.exposition()

            listing = await say(fake_api, application, "/follows")
            emptied = await press(fake_api, listing, "김여정")
            left = await follows.of_chat(READER)
            await say(fake_api, application, '/follow "Kim Yo-Jong"')
            unfollowed = await say(fake_api, application, "/unfollow kim yo jong")
            finally_left = await follows.of_chat(READER)
        finally:
            await database.close()

    assert "launch" in broad.plain_text and "2 stories in the last 24 hours" in broad.plain_text
    assert "would match almost every story" in the.plain_text
    assert added.plain_text.startswith("👁 Following 김여정")
    [alert] = after_first
    assert alert.plain_text.startswith("👁 New on 김여정")
    assert "Kim Yo Jong slams South Korea" in alert.plain_text
    assert after_second == after_first, "the second outlet's report adds nothing new"
    assert b'briefbot_follow_alerts_total{outcome="sent"} 1.0' in metrics
    # It was one story: the second outlet joined it (else it would have been sent too).
    [kim_line] = [line for line in latest.plain_text.splitlines() if "Kim Yo Jong" in line]
    assert "2 sources" in kim_line
    assert "김여정" in listing.plain_text
    assert emptied.plain_text.startswith("This chat doesn't follow anything yet")
    assert left == []
    assert unfollowed.plain_text == 'Stopped following "Kim Yo-Jong".'
    assert finally_left == []


async def test_in_a_group_only_administrators_follow(fake_api: FakeBotAPI, sqlite_url: str) -> None:
    fake_api.add_chat(GROUP, "supergroup", title="Korea watchers")
    fake_api.set_member_status(GROUP, MEMBER, "member")
    fake_api.set_member_status(GROUP, ADMIN, "administrator")
    async with running_bot(make_settings(fake_api, sqlite_url)) as application:
        refused = await say_in_group(fake_api, "/follow 김여정", user_id=MEMBER)
        await asyncio.wait_for(application.update_queue.join(), PATIENCE)
        followed = await say_in_group(fake_api, "/follow 김여정", user_id=ADMIN)
        listed = await say_in_group(fake_api, "/follows", user_id=MEMBER)
    assert "administrators" in refused.plain_text
    assert followed.plain_text.startswith("👁 Following 김여정")
    assert "김여정" in listed.plain_text  # anyone may look; the buttons check who presses
