"""Which report heads a story in a reader's briefing, through the fake Bot API: a report
rather than a video page of it; under a headline no invisible lede, and no lede that only
says the headline again."""

from __future__ import annotations

from pathlib import Path

from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import FakeBotAPI
from tests.support.feeds import Feed, first_poll_done, serve_feeds
from tests.support.pageserver import PageServer
from tests.support.waiting import eventually
from tests.test_korean_reader import say_in_korean

MINJI = 8511
RATE = "한국은행, 기준금리 연 2.50% 동결…두 달 연속 숨고르기"
VIDEO = "한은 기준금리 연 2.50% 동결…두 달 연속"
RATE_LEDE = (
    "한국은행 금융통화위원회는 28일 기준금리를 연 2.50%로 동결했다. 가계부채와 수도권 "
    "집값 상승세를 더 지켜봐야 한다는 판단이다."
)
# The video page's description sums up both outlets' reports: it reads most like the
# story's other items, so only the rule that a report comes first keeps it from the top.
YONHAP = [
    ("rate", RATE, RATE_LEDE),
    (
        "rate-video",
        f"[영상] {VIDEO}",
        "한국은행이 28일 기준금리를 연 2.50%로 유지했다. 한국은행 금융통화위원회는 "
        "가계부채와 집값 상승을 우려해 기준금리를 동결했다.",
    ),
]
CHOSUN = [
    (
        "rate",
        "한은, 기준금리 2.50% 동결… 가계부채·집값 부담",
        "한국은행이 28일 기준금리를 연 2.50%로 유지했다. 가계부채와 집값 상승을 우려한 결정이다.",
    ),
    ("sidecar", "코스피 급락에 매도 사이드카 발동", "\u3164"),
    # A flash filed with its own headline as the description.
    ("flash", "[속보] 국힘 인요한, 국회의원직 사퇴", "[속보] 인요한, 국회의원직 사퇴"),
]


async def test_a_story_is_headed_by_a_report_and_an_empty_or_echoed_lede_shows_nothing(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    listing = serve_feeds(
        page_server,
        tmp_path,
        Feed("yna", "Yonhap", YONHAP, "ko", source="연합뉴스"),
        Feed("chosun", "Chosun", CHOSUN, "ko", provenance="newspaper", source="조선일보"),
    )
    settings = make_settings(fake_api, sqlite_url, briefbot_feeds=listing)
    async with running_bot(settings) as application:
        await eventually(lambda: first_poll_done(application), "the first poll")
        brief = await say_in_korean(fake_api, application, MINJI, "/brief")

    [rate] = [block for block in brief.split("\n\n") if "2.50%" in block]
    headline = rate.splitlines()[0]
    assert "동결" in headline and headline != VIDEO  # the display drops the "[영상]" tag
    assert "연합뉴스" in rate and "조선일보" in rate  # one story of both outlets
    [sidecar] = [block for block in brief.split("\n\n") if "사이드카" in block]
    assert "\u3164" not in brief
    assert len(sidecar.splitlines()) == 2  # the headline, then its outlet: no empty lede
    [flash] = [block for block in brief.split("\n\n") if "인요한" in block]
    assert "[속보]" not in flash
    assert len(flash.splitlines()) == 2  # the headline once, then its outlet
