"""Headlines for display: wire tags and outlet suffixes go, the headline's own words stay."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.news.headlines import is_format_item, strip_wire_tags
from tests.support.app import make_settings, running_bot
from tests.support.fakebotapi import PATIENCE, FakeBotAPI
from tests.support.feeds import Feed, first_poll_done, serve_feeds
from tests.support.pageserver import PageServer
from tests.support.waiting import eventually

READER = 8403


@pytest.mark.parametrize(
    ("headline", "shown"),
    [
        ("(LEAD) N. Korea fires ballistic missile", "N. Korea fires ballistic missile"),
        ("(2nd LD) N. Korea fires ballistic missile", "N. Korea fires ballistic missile"),
        ("(3rd LEAD) Lee, Trump hold summit", "Lee, Trump hold summit"),
        ("(URGENT) N. Korea fires ballistic missile", "N. Korea fires ballistic missile"),
        ("(News Focus) Why Pyongyang tests now", "Why Pyongyang tests now"),
        ("(Yonhap Interview) Envoy sees talks in spring", "Envoy sees talks in spring"),
        ("[속보] 북한, 탄도미사일 발사", "북한, 탄도미사일 발사"),
        ("[1보] 北, 동해상으로 미사일 발사", "北, 동해상으로 미사일 발사"),
        ("[단독] 특검, 김건희 추가 소환", "특검, 김건희 추가 소환"),
        ("[영상] '정상국가 지도자' 변신 김정은", "'정상국가 지도자' 변신 김정은"),
        ("[쇼츠] 北 열병식 현장", "北 열병식 현장"),
        ("[포토] 판문점 견학 재개", "판문점 견학 재개"),
        ("[북한단신] 베네수엘라 외무상, 최선희에 축전", "베네수엘라 외무상, 최선희에 축전"),
    ],
)
def test_a_tag_before_the_headline_is_removed(headline: str, shown: str) -> None:
    assert strip_wire_tags(headline) == shown


@pytest.mark.parametrize(
    ("headline", "shown"),
    [
        ("北, 동해상으로 탄도미사일 발사(종합)", "北, 동해상으로 탄도미사일 발사"),
        ("北, 동해상으로 탄도미사일 발사(종합2보)", "北, 동해상으로 탄도미사일 발사"),
        ("北, 동해상으로 탄도미사일 발사 (종합 3보)", "北, 동해상으로 탄도미사일 발사"),
        ("北, 동해상으로 탄도미사일 발사(2보)", "北, 동해상으로 탄도미사일 발사"),
        ("N. Korea fires missile (LEAD)", "N. Korea fires missile"),
        ("김정은, 딸과 신형 구축함 시찰 [영상]", "김정은, 딸과 신형 구축함 시찰"),
        # KCNA's date in its own calendar, after a run of whitespace as its feed has it.
        (
            "Lunar New Year's Day Greeted in DPRK\r\n\t\t\n\n[Juche113.2.11.]",
            "Lunar New Year's Day Greeted in DPRK",
        ),
        ("Noble Ideal of Kim Jong Un [Juche113.1.17.]", "Noble Ideal of Kim Jong Un"),
    ],
)
def test_a_tag_after_the_headline_is_removed(headline: str, shown: str) -> None:
    assert strip_wire_tags(headline) == shown


@pytest.mark.parametrize(
    ("headline", "shown"),
    [
        ("Kim visits Russia | Yonhap", "Kim visits Russia"),
        ("Kim visits Russia | Yonhap News Agency", "Kim visits Russia"),
        ("Kim visits Russia - The Korea Times", "Kim visits Russia"),
        ("Kim visits Russia - Korea JoongAng Daily", "Kim visits Russia"),
        ("北 김정은 방러 - 연합뉴스", "北 김정은 방러"),
    ],
)
def test_an_outlet_named_after_the_headline_is_removed(headline: str, shown: str) -> None:
    assert strip_wire_tags(headline) == shown


def test_runs_of_spaces_are_one_space() -> None:
    assert (
        strip_wire_tags("조국, SNS 정치 시작…  ‘중도·평등’ 책 올려 ")
        == "조국, SNS 정치 시작… ‘중도·평등’ 책 올려"
    )


def test_tags_and_suffix_together_all_go() -> None:
    headline = "(LEAD) (URGENT) Kim visits Russia (2nd LD) | Yonhap"
    assert strip_wire_tags(headline) == "Kim visits Russia"
    assert strip_wire_tags("[속보] 北 미사일 발사(종합2보)") == "北 미사일 발사"


@pytest.mark.parametrize(
    "headline",
    [
        "Parliament (LEAD) vote",  # a tag inside the headline is its own text
        "Russia will respond to any provocation — Lavrov",  # a speaker, not an outlet
        "US weighs new chip tariffs — WSJ",  # the outlet quoted: the reader should see it
        "N. Korea fires missiles: JCS",
        "李대통령 국정지지율 51.4%[리얼미터]",  # who polled is news
        "[르포] 연평도 주민들 “포성에 잠 못 자”",  # a genre the reader may want to know
        "영상 메시지로 본 김여정 담화",  # the word, not a tag
        "Kim Jong-un inspects Nampho shipyard",
    ],
)
def test_words_that_belong_to_the_headline_stay(headline: str) -> None:
    assert strip_wire_tags(headline) == headline


def test_a_headline_that_is_only_a_tag_is_kept() -> None:
    assert strip_wire_tags(" [속보] ") == "[속보]"


async def test_a_reader_sees_headlines_and_ledes_without_the_wires_paperwork(
    fake_api: FakeBotAPI, sqlite_url: str, page_server: PageServer, tmp_path: Path
) -> None:
    kcna = Feed(
        "kcna",
        "KCNA",
        [
            (
                "cement",
                "Kim Jong Un Inspects Sunchon Cement Complex [Juche114.11.20.]",
                "Pyongyang, November 20 (KCNA) -- Kim Jong Un, general secretary of the "
                "Workers' Party of Korea, inspected the Sunchon Cement Complex.",
            )
        ],
        provenance="nk_state_media",
        topical=True,
    )
    yonhap = Feed(
        "yonhap",
        "Yonhap",
        [
            (
                "launch",
                "(2nd LD) N. Korea fires ballistic missile into East Sea | Yonhap",
                "North Korea fired a short-range ballistic missile into the East Sea on "
                "Thursday, the Joint Chiefs of Staff said.",
            )
        ],
        topical=True,
    )
    listing = serve_feeds(page_server, tmp_path, kcna, yonhap)
    settings = make_settings(fake_api, sqlite_url, briefbot_feeds=listing)
    async with running_bot(settings) as application:
        await eventually(lambda: first_poll_done(application), "the first poll")
        fake_api.user_says(READER, "/brief")
        await fake_api.wait_for_messages(READER, count=1)
        await asyncio.wait_for(application.update_queue.join(), PATIENCE)
    brief = "\n".join(m.plain_text for m in fake_api.sent_messages(READER))
    assert "Kim Jong Un Inspects Sunchon Cement Complex" in brief
    assert "N. Korea fires ballistic missile into East Sea" in brief
    assert "Juche" not in brief and "2nd LD" not in brief and "| Yonhap" not in brief
    assert "Kim Jong Un, general secretary of the Workers" in brief
    assert "(KCNA) --" not in brief


@pytest.mark.parametrize(
    "headline",
    [
        "[영상] 트럼프 '북한과 제재 논의' 첫 거론…김정은과 전격 회동할까?",
        "[전문] 이재명 대통령 제80주년 광복절 경축사",
        "[포토] 국회 본회의장 들어서는 의원들",
        "김정은, 평양종합병원 방문 (사진)",
        "WATCH: Kim Jong Un inspects missile factory",
        "In pictures: Pyongyang marks party anniversary",
    ],
)
def test_a_video_photo_or_full_text_item_is_a_format_item(headline: str) -> None:
    assert is_format_item(headline)


@pytest.mark.parametrize(
    "headline",
    [
        "[속보] 北, 동해상으로 탄도미사일 발사",
        "北 미사일 발사(종합2보)",
        "李 대통령 “남과 북 원수 아냐” [광복절 경축사 전문]",  # a report quoting it
        "영상 속 김정은, 전사자 유족 포옹",
        "Video shows Kim Jong Un at the launch site",
    ],
)
def test_a_report_is_not_a_format_item(headline: str) -> None:
    assert not is_format_item(headline)
