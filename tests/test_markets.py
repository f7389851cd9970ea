"""A record or a crash of the national market is news; the market's ordinary day is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.models import Topic
from bot.news.markets import market_record
from bot.news.relevance import assess
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.feeds import Feed, first_poll_done, serve_feeds
from tests.support.pageserver import PageServer
from tests.support.waiting import eventually
from tests.test_korean_reader import say_in_korean

MINJI = 8402
YONHAP = "https://www.yna.co.kr/view/AKR20260303000100008"

CRASH = (
    "crash",
    "[속보] 코스피 5% 폭락…매도 사이드카 발동",
    "중동 전쟁 확전 우려에 코스피가 장중 5% 넘게 떨어지며 유가증권시장에 매도 사이드카가 발동됐다.",
)
WON = (
    "won",
    "원/달러 환율 1,480원 돌파…금융위기 이후 최고치",
    "원/달러 환율이 16년 만의 최고 수준으로 올랐다.",
)
QUOTE = ("quote", "[특징주] 방산주 일제히 급등", "방산주가 장 초반 일제히 올랐다.")


@pytest.mark.parametrize(
    ("title", "mark"),
    [
        ("[속보] 코스피 5% 폭락…매도 사이드카 발동", "폭락"),
        ("코스피, 사상 첫 4,100선 돌파", "사상 첫"),
        ("코스닥 서킷브레이커 발동…2020년 3월 이후 처음", "서킷브레이커"),
        ("원/달러 환율 1,480원 돌파…금융위기 이후 최고치", "최고치"),
        ("KOSPI hits record high on chip rally", "record high"),
        ("Seoul shares plunge 8%, trading halted", "plunge"),
    ],
)
def test_records_and_crashes_of_the_national_market_are_named(title: str, mark: str) -> None:
    assert market_record(title) == mark


@pytest.mark.parametrize(
    "title",
    [
        "코스피, 2%대 급락 출발…4,050선",  # a fall at the open: an ordinary day
        "뉴욕증시 3대 지수, 또 사상 최고치 경신",  # another country's market
        "日닛케이지수, 이틀만에 장중 최고치",
        "서울 전월세 전환율 7년7개월來 최고",  # 전환율 is not the exchange rate
        "비트코인 사상 최고가 경신",
        "삼성전자, 역대 최고 실적",  # a company's record, not the market's
        "北, 동해상으로 탄도미사일 발사",
    ],
)
def test_other_records_and_ordinary_days_are_not(title: str) -> None:
    assert market_record(title) is None


def test_a_crash_is_in_though_the_model_reads_it_as_a_quote(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, title, lede = CRASH
    verdict = assess(title, lede, "ko", outlet="korean", url=YONHAP, explain=True)
    assert verdict.relevant and verdict.topics == (Topic.ECONOMY,)
    assert verdict.reasons[0][0] == "market:폭락"
    monkeypatch.setattr("bot.news.relevance.market_record", lambda title: None)
    assert not assess(title, lede, "ko", outlet="korean", url=YONHAP).relevant


def test_a_record_the_model_already_takes_keeps_the_models_verdict() -> None:
    title = "코스피, 사상 첫 4,100선 돌파"
    lede = "코스피가 한미 관세 협상 타결 소식에 사상 처음으로 4,100선을 넘어섰다."
    verdict = assess(title, lede, "ko", outlet="korean", url=YONHAP, explain=True)
    assert verdict.relevant
    assert not any(name.startswith("market:") for name, _ in verdict.reasons)


def test_a_routine_tag_still_wins() -> None:
    assert not assess("[마켓뷰] 코스피, 사상 최고치 경신", "", "ko", outlet="korean").relevant


async def test_a_korean_reader_gets_the_crash_and_the_won_not_the_quotes(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    yonhap = Feed("yna", "Yonhap", [CRASH, WON, QUOTE], "ko", source="연합뉴스")
    listing = serve_feeds(page_server, tmp_path, yonhap)
    settings = make_settings(fake_api, sqlite_url, briefbot_feeds=listing)
    async with running_bot(settings) as application:
        await eventually(lambda: first_poll_done(application), "the first poll")
        brief = await say_in_korean(fake_api, application, MINJI, "/brief")
    assert "사이드카" in brief and "1,480원" in brief
    assert "방산주" not in brief
