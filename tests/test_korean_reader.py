"""A Korean reader's briefing, /latest and /sources, and a Korean operator's alerts (and
the English reader's mirror image),
through the fake Bot API with the fixture feeds served locally (see test_briefing_e2e).

Korean readers see outlets by the names Korean newsrooms use (the feed list's
``source_ko``/``name_ko``, or a known outlet's), an English-only story marked [영문], a
story that a Korean outlet also reported under its Korean headline, and feed failures in
words.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from pathlib import Path

from bot.store.database import Database
from bot.store.subscribers import SubscriberStore
from handlers.context import BotApplication
from tests.support.app import Clock, make_settings, running_bot
from tests.support.fakebotapi import PATIENCE, FakeBotAPI
from tests.support.pageserver import PageServer
from tests.support.paths import FIXTURES
from tests.support.waiting import eventually
from tests.test_briefing_e2e import database, live_feeds, polled

__all__ = ["database", "live_feeds"]  # fixtures, shared with test_briefing_e2e

MINJI = 8201
OPERATOR = 8299


async def say_in_korean(
    api: FakeBotAPI, application: BotApplication, chat_id: int, text: str
) -> str:
    """Everything the bot answers to ``text`` from a user whose Telegram is in Korean."""
    before = len(api.sent_messages(chat_id))
    api.user_says(chat_id, text, language_code="ko")
    await api.wait_for_messages(chat_id, count=before + 1)
    await asyncio.wait_for(application.update_queue.join(), PATIENCE)
    return "\n".join(m.plain_text for m in api.sent_messages(chat_id)[before:])


def _block(text: str, words: str) -> str:
    [block] = [b for b in text.split("\n\n") if words in b]
    return block


async def test_a_korean_reader_sees_korean_outlet_names_and_marked_english_stories(
    fake_api: FakeBotAPI, sqlite_url: str, live_feeds: Path, database: Database
) -> None:
    settings = make_settings(fake_api, sqlite_url, briefbot_feeds=live_feeds)
    async with running_bot(settings) as application:
        await eventually(lambda: polled(database), "the first poll")
        brief = await say_in_korean(fake_api, application, MINJI, "/brief")
        latest = await say_in_korean(fake_api, application, MINJI, "/latest")

    # The launch: reported by 연합뉴스 in Korean, so its Korean headline, unmarked.
    launch = _block(brief, "단거리 탄도미사일")
    assert launch.startswith('합참 "북한, 동해상으로 단거리 탄도미사일 발사"')
    assert "\n연합뉴스 · NK뉴스 외 2곳" in launch
    # Only Yonhap's English service reported the envoys' call: marked, named in Korean.
    envoys = _line(brief, "nuclear envoys")
    assert "[영문] Top nuclear envoys" in envoys and envoys.endswith(" 연합뉴스")
    rate = _block(brief, "BOK freezes rate")
    assert rate.startswith("[영문] BOK freezes rate")
    assert rate.endswith("\n연합뉴스 · 코리아헤럴드")
    for english in ("Yonhap", "Korea Herald", "NK News", "38 North"):
        assert english not in brief
    assert "[영문] " in latest and "[영문]" not in _line(latest, "탄도미사일")


def _line(text: str, words: str) -> str:
    [line] = [line for line in text.splitlines() if words in line]
    return line


async def test_korean_sources_name_feeds_in_korean_and_failures_in_words(
    fake_api: FakeBotAPI, sqlite_url: str, live_feeds: Path, database: Database
) -> None:
    settings = make_settings(fake_api, sqlite_url, briefbot_feeds=live_feeds)
    async with running_bot(settings) as application:
        await eventually(lambda: polled(database), "the first poll")
        sources = await say_in_korean(fake_api, application, MINJI, "/sources")

    assert "전체 8개 중 7개 정상" in sources
    assert "✅ 연합뉴스 영문판 — 북한 — " in sources  # the feed list's name_ko
    assert "✅ NK뉴스 — " in sources and "✅ 38노스 — " in sources  # known outlets
    assert "✅ 한겨레 — 정치 — " in sources  # a Korean feed's own name
    failing = _line(sources, "Broken Times")
    assert "오류: 사이트 서버 오류(HTTP 5xx)" in failing
    assert "http_5xx" not in sources


async def test_an_operator_who_chose_korean_gets_alerts_in_korean(
    fake_api: FakeBotAPI, sqlite_url: str, live_feeds: Path, database: Database
) -> None:
    fake_api.add_chat(OPERATOR, "private", first_name="운영자")
    # As if the operator had sent /language ko in the admin chat before this start.
    await SubscriberStore(database).ensure_chat(
        OPERATOR, chat_type="private", title="운영자", language="ko"
    )
    settings = make_settings(
        fake_api, sqlite_url, briefbot_feeds=live_feeds, admin_chat_ids=[OPERATOR]
    )
    async with running_bot(settings):
        [alert] = await fake_api.wait_for_messages(OPERATOR)
    assert alert.plain_text.startswith("⚠️ 피드 Broken Times 오류: 사이트 서버 오류(HTTP 5xx)")
    assert "다음 시도는" in alert.plain_text


async def test_a_korean_operator_hears_when_a_feed_works_again(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    path = f"/flaky-{uuid.uuid4().hex[:8]}.xml"
    page_server.add_page(path, b"", "text/html", status=502)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[feeds]]\nname = "NK News"\nurl = "{page_server.url_for(path)}"\nlanguage = "en"\n',
        encoding="utf-8",
    )
    fake_api.add_chat(OPERATOR, "private", first_name="운영자")
    database = Database(sqlite_url)
    await database.open()
    try:
        await SubscriberStore(database).ensure_chat(
            OPERATOR, chat_type="private", title="운영자", language="ko"
        )
    finally:
        await database.close()
    clock = Clock()
    clock.set(dt.datetime.now(dt.UTC))
    settings = make_settings(fake_api, sqlite_url, briefbot_feeds=feeds, admin_chat_ids=[OPERATOR])
    async with running_bot(settings, clock=clock) as application:
        [failed] = await fake_api.wait_for_messages(OPERATOR)
        body = (FIXTURES / "briefing" / "nknews_en.xml").read_bytes()
        page_server.add_page(path, body, "text/xml")
        clock.set(clock() + dt.timedelta(minutes=16))  # past the first back-off
        assert application.job_queue is not None
        [poll] = application.job_queue.get_jobs_by_name("poll-feeds")
        await poll.run(application)
        [_, recovered] = await fake_api.wait_for_messages(OPERATOR, count=2)
    assert failed.plain_text.startswith("⚠️ 피드 NK뉴스 오류: 사이트 서버 오류(HTTP 5xx)")
    assert recovered.plain_text == "✅ 피드 NK뉴스가 다시 정상 작동합니다."


async def test_an_english_reader_sees_korean_outlets_in_english_and_korean_stories_marked(
    fake_api: FakeBotAPI, sqlite_url: str, live_feeds: Path, database: Database
) -> None:
    settings = make_settings(fake_api, sqlite_url, briefbot_feeds=live_feeds)
    async with running_bot(settings) as application:
        await eventually(lambda: polled(database), "the first poll")
        before = len(fake_api.sent_messages(MINJI))
        fake_api.user_says(MINJI, "/brief", language_code="en")
        await fake_api.wait_for_messages(MINJI, count=before + 1)
        await asyncio.wait_for(application.update_queue.join(), PATIENCE)
        brief = "\n".join(m.plain_text for m in fake_api.sent_messages(MINJI)[before:])

    # Only the Hankyoreh's Korean service reported the special-counsel row.
    row = _block(brief, "특검법 재표결")
    assert row.startswith("[Korean] 여야, 특검법 재표결 놓고 정면충돌")
    assert row.endswith("\nHankyoreh")
    assert "연합뉴스" not in brief and "한겨레" not in brief
