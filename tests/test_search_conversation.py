"""/search through the fake Bot API: results a page at a time, ▶ turns the page in place,
a Korean reader's answer is in Korean; /search alone explains itself; the hourly job
keeps RETENTION_DAYS."""

from __future__ import annotations

import datetime as dt

from bot.store.database import Database
from bot.store.items import ItemRow, ItemStore
from tests.support.app import make_settings, run_job, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.newsitems import stored_item
from tests.test_subscription_conversation import button, press, say

ALICE = 8301
MINJI = 8302


def _item(n: int, title: str, source: str, now: dt.datetime) -> ItemRow:
    return stored_item(
        f"https://news.example/uranium/{n}",
        title,
        published_at=now - dt.timedelta(hours=n + 1),
        fetched_at=now,
        source=source,
        language="ko",
    )


async def _store_stories(url: str) -> None:
    """Seven stories about enrichment, the newest told by two outlets."""
    now = dt.datetime.now(dt.UTC)
    rows = [_item(n, f"북한, 우라늄농축시설 {n + 1}곳째 공개", "Yonhap", now) for n in range(7)]
    rows.append(_item(7, "북한, 우라늄농축시설 1곳째 공개", "KBS", now))
    async with Database(url) as database:
        await ItemStore(database).add_items(rows)


async def test_a_korean_reader_pages_through_results_in_korean(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    await _store_stories(sqlite_url)
    async with running_bot(make_settings(fake_api, sqlite_url)):
        first = await say(fake_api, MINJI, "/search 농축", language_code="ko")
        second = await press(fake_api, first, "다음 쪽")

    # "농축" is found inside the compound 우라늄농축시설; the newest story comes first,
    # its two outlets under one headline.
    assert first.plain_text.startswith("🔎 ‘농축’ 검색 결과 · 1쪽")
    assert "1. 북한, 우라늄농축시설 1곳째 공개\n연합뉴스, KBS · " in first.plain_text
    assert "5. 북한, 우라늄농축시설 5곳째 공개" in first.plain_text
    assert "6." not in first.plain_text
    assert "년" in first.plain_text  # the date, written the Korean way
    assert first.reply_markup == {
        "inline_keyboard": [[{"text": "다음 쪽 ▶", "callback_data": button(first, "다음 쪽")}]]
    }
    # ▶ edits the same message into page 2.
    assert second.message_id == first.message_id
    assert second.plain_text.startswith("🔎 ‘농축’ 검색 결과 · 2쪽")
    assert "6. 북한, 우라늄농축시설 6곳째 공개" in second.plain_text
    assert "7. 북한, 우라늄농축시설 7곳째 공개" in second.plain_text
    assert button(second, "이전 쪽")
    assert "다음 쪽" not in str(second.reply_markup)


async def test_search_alone_explains_itself_and_nothing_found_says_so(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    await _store_stories(sqlite_url)
    async with running_bot(make_settings(fake_api, sqlite_url)):
        usage = await say(fake_api, ALICE, "/search")
        nothing = await say(fake_api, ALICE, "/search plutonium reactor")

    assert "/search Kim Yo Jong" in usage.plain_text
    assert "180 days" in usage.plain_text
    assert nothing.plain_text.startswith("Nothing found for “plutonium reactor”")
    assert "fewer words" in nothing.plain_text
    assert nothing.reply_markup is None


async def test_the_hourly_job_forgets_items_past_the_retention_days(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    old = _item(1, "우라늄 옛 기사", "Yonhap", now - dt.timedelta(days=40))
    recent = _item(2, "우라늄 새 기사", "Yonhap", now - dt.timedelta(days=20))
    async with Database(sqlite_url) as database:
        await ItemStore(database).add_items([old, recent])
    settings = make_settings(fake_api, sqlite_url, retention_days=30)
    async with running_bot(settings) as application:
        await run_job(application, "forget-old-records")
        found = await say(fake_api, MINJI, "/search 우라늄", language_code="ko")

    assert "우라늄 새 기사" in found.plain_text
    assert "옛 기사" not in found.plain_text


async def test_an_english_reader_finds_korean_items_by_an_english_name(
    fake_api: FakeBotAPI, sqlite_url: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    rows = [
        _item(1, "김여정 “대북전단 살포 계속되면 대응”", "Yonhap", now),
        _item(2, "김정은, 미사일 발사 참관", "KBS", now),
    ]
    async with Database(sqlite_url) as database:
        await ItemStore(database).add_items(rows)
    async with running_bot(make_settings(fake_api, sqlite_url)):
        by_name = await say(fake_api, ALICE, "/search Kim Yo Jong")
        with_particle = await say(fake_api, MINJI, "/search 김여정이", language_code="ko")

    # The unquoted words are one name, found as 김여정; 김여정이 finds it without the 이.
    assert by_name.plain_text.startswith("🔎 Kim Yo Jong · page 1")
    assert "1. 김여정 “대북전단 살포 계속되면 대응”" in by_name.plain_text
    assert "김정은" not in by_name.plain_text
    assert "1. 김여정 “대북전단 살포 계속되면 대응”" in with_particle.plain_text
    assert "2." not in with_particle.plain_text
