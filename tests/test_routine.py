"""Routine listings ([인사], [게시판], [부고]…) stay out of the briefing, whatever their words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.news.relevance import assess
from bot.news.routine import routine_tag
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.feeds import Feed, first_poll_done, serve_feeds
from tests.support.pageserver import PageServer
from tests.support.waiting import eventually
from tests.test_korean_reader import say_in_korean

MINJI = 8401

LAUNCH = (
    "launch",
    '합참 "북한, 동해상으로 단거리 탄도미사일 발사"',
    "북한이 27일 오전 동해상으로 단거리 탄도미사일 1발을 발사했다고 합동참모본부가 밝혔다.",
)
# Both would pass on their words alone (checked below): the format keeps them out.
APPOINTMENTS = ("appointments", "[인사] 통일부 남북회담본부장", "")
NOTICE = (
    "notice",
    "[게시판] 통일부·북한학회, 남북관계 세미나 개최",
    "통일부와 북한학회는 다음 달 3일 서울에서 남북 관계의 방향을 논의하는 세미나를 연다.",
)
FEED_ITEM = "https://yna.example/notice"


@pytest.mark.parametrize(
    ("title", "tag"),
    [
        ("[인사] 외교부", "인사"),
        ("[부고] 김철수(전 국방부 차관)씨 별세", "부고"),
        ("【 게시판 】 통일부 세미나", "게시판"),
        ("[내일날씨] 전국 흐리고 비", "내일날씨"),
        ("[북한날씨] 평양 맑음", "북한날씨"),
        ("[오늘의 운세] 11월 27일", "오늘의 운세"),
        ("[부산소식] 해운대구, 겨울 축제", "부산소식"),
        ("[주요 신문 사설](27일 조간)", "주요 신문 사설"),
        ("[특징주] 방산주 급등", "특징주"),
    ],
)
def test_routine_formats_are_named(title: str, tag: str) -> None:
    assert routine_tag(title) == tag


@pytest.mark.parametrize(
    "title",
    [
        "[속보] 北, 동해상으로 탄도미사일 발사",  # a wire tag: news
        "[단독] 軍 재조사 보고서 외압 의혹",
        "[북한단신] 김정은, 알제리 대통령에 축전",  # KCNA round-ups: often relevant
        "통일부 인사 발표",  # the word, not the format
        "北 인사 숙청설",
        "[한미정상회담] 李대통령, 워싱턴 도착",  # a topic banner
        "",
    ],
)
def test_news_is_not_routine(title: str) -> None:
    assert routine_tag(title) is None


@pytest.mark.parametrize("item", [APPOINTMENTS, NOTICE])
def test_a_routine_listing_is_out_though_its_words_would_be_in(
    item: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, title, lede = item
    verdict = assess(title, lede, "ko", outlet="korean", url=FEED_ITEM, explain=True)
    assert not verdict.relevant and verdict.topics == ()
    assert verdict.reasons[0][0] == f"routine:[{routine_tag(title)}]"
    monkeypatch.setattr("bot.news.relevance.routine_tag", lambda title: None)
    assert assess(title, lede, "ko", outlet="korean", url=FEED_ITEM).relevant
    # The lexicon's path (an English feed from another outlet) honours it too.
    assert not assess("[인사] 외교부", "", "en", outlet="foreign").relevant


async def test_a_korean_reader_gets_the_launch_not_the_listings(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    yonhap = Feed("yna", "Yonhap", [LAUNCH, APPOINTMENTS, NOTICE], "ko", source="연합뉴스")
    listing = serve_feeds(page_server, tmp_path, yonhap)
    settings = make_settings(fake_api, sqlite_url, briefbot_feeds=listing)
    async with running_bot(settings) as application:
        await eventually(lambda: first_poll_done(application), "the first poll")
        brief = await say_in_korean(fake_api, application, MINJI, "/brief")
    assert "단거리 탄도미사일" in brief
    assert "통일부" not in brief and "세미나" not in brief
