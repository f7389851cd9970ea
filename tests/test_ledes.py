"""Ledes from real feeds, cleaned of the wire's paperwork (examples quoted from real items)."""

from __future__ import annotations

import pytest

from bot.news.ledes import clean_lede


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "(서울=연합뉴스) 홍국기 기자 = 다음 주에는 비규제지역을 중심으로 전국 4천500여가구가 "
            "청약에 나선다.",
            "다음 주에는 비규제지역을 중심으로 전국 4천500여가구가 청약에 나선다.",
        ),
        (
            "(로스앤젤레스=연합뉴스) 임미나 특파원 = "
            "할리우드 스타 톰 크루즈(63)가 공로상을 받았다.",
            "할리우드 스타 톰 크루즈(63)가 공로상을 받았다.",
        ),
        (
            "(서울=연합뉴스) 이밝음 김다혜 기자 = 특검팀이 19일 합참 작전본부장을 다시 불렀다.",
            "특검팀이 19일 합참 작전본부장을 다시 불렀다.",
        ),
        (
            "WASHINGTON, Aug. 13 (Yonhap) -- South Korea and the United States will hold talks.",
            "South Korea and the United States will hold talks.",
        ),
        (
            "Pyongyang, November 5 (KCNA) -- A ceremony was held at the Pyongyang Indoor Stadium.",
            "A ceremony was held at the Pyongyang Indoor Stadium.",
        ),
        (
            "SEOUL, Sept. 6 (Yonhap) -- North Korea fired a missile. It flew 300 km.",
            "North Korea fired a missile. It flew 300 km.",
        ),
    ],
)
def test_datelines_and_bylines_go(raw: str, expected: str) -> None:
    assert clean_lede(raw) == expected


def test_a_lede_cut_mid_sentence_keeps_its_whole_sentences() -> None:
    raw = (
        "(서울=연합뉴스) 김효정 기자 = 김정은 위원장이 공안기관을 방문했다. "
        "조선중앙통신은 20일 김 위원장이 체..."
    )
    assert clean_lede(raw) == "김정은 위원장이 공안기관을 방문했다."


def test_a_lede_that_is_one_cut_sentence_is_dropped() -> None:
    raw = "(서울=연합뉴스) 이밝음 기자 = 12·3 비상계엄 사태 관련 내란 사건을 수사 중인 조은석 특..."
    assert clean_lede(raw) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "/사진=JTBC 방송 캡쳐·오종찬 기자, 그래픽=조선디자인랩 김영재 /사진=JTBC 방송 캡쳐·"
            "오종찬 기자, 그래픽=조선디자인랩 김영재 국정자원관리원 화재 후 정치적 공방이 "
            "벌어졌다.",
            "국정자원관리원 화재 후 정치적 공방이 벌어졌다.",
        ),
        (
            "사진=조선DB·아산정주영닷컴, 그래픽=조선디자인랩 김영재 사진=조선DB·아산정주영닷컴, "
            "그래픽=조선디자인랩 김영재 일본과 경쟁해야 하는 상황이었다.",
            "일본과 경쟁해야 하는 상황이었다.",
        ),
        ("북한이 미사일을 발사했다. jhcho@yna.co.kr (끝)", "북한이 미사일을 발사했다."),
        # Words that only look like a credit stay.
        ("사진을 찍은 사람=홍길동 기자는 말했다.", "사진을 찍은 사람=홍길동 기자는 말했다."),
    ],
)
def test_picture_credits_and_sign_offs_go(raw: str, expected: str) -> None:
    assert clean_lede(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "(",
        " [ ] ",
        "...",
        "",
        None,
        "—",
        "그래픽=조선디자인랩 권혜인 그래픽=조선디자인랩 권혜인",
        "jhcho@yna.co.kr (끝)",
        "(09:00)",
        "\u3164",  # a Hangul filler: a captured Chosun description, invisible but a "letter"
        "\u200b\ufeff",
    ],
)
def test_nothing_usable_means_headline_alone(raw: str | None) -> None:
    assert clean_lede(raw) == ""


@pytest.mark.parametrize(
    ("lede", "headline"),
    [
        ("[속보] 인요한, 국회의원직 사퇴", "[속보] 국힘 인요한, 국회의원직 사퇴"),  # Chosun
        ("China's CPI unchanged in July", "China's CPI unchanged in July"),  # CGTN
        ("China opposes U.S.", "China opposes U.S. politicizing, weaponizing of trade"),
        ("北, 미사일 발사(종합)", "[속보] 北 미사일 발사"),
    ],
)
def test_a_lede_that_only_repeats_the_headline_is_dropped(lede: str, headline: str) -> None:
    assert clean_lede(lede, headline) == ""


def test_a_lede_that_tells_more_than_the_headline_stays() -> None:
    lede = "국민의힘 인요한 의원이 10일 국회의원직에서 사퇴했다."
    assert clean_lede(lede, "野 인요한 의원직 사퇴") == lede
    assert clean_lede("Seoul.", "") == "Seoul."  # no headline, nothing to repeat


def test_a_silent_cut_goes_even_when_the_source_mismatches_its_quotation_marks() -> None:
    raw = (
        "중국 관영 언론이 “한국은 ‘선택의 여지가 없다”는 말로 전략적 나태를 합리화한다“며 "
        "비판했다. 그러면서 독립적이지 않은 선택이라고 했다. 중국"
    )
    assert clean_lede(raw).endswith("선택이라고 했다.")


def test_invisible_characters_leave_a_lede() -> None:
    assert clean_lede("\ufeff코스피가 급락하자\u200b 매도 사이드카가 발동됐다.\u3164") == (
        "코스피가 급락하자 매도 사이드카가 발동됐다."
    )


def test_an_ordinary_lede_is_left_as_it_is() -> None:
    raw = "Shanghai is sinking while the world's sea levels are rising fast, scientists warn."
    assert clean_lede(raw) == raw


def test_a_parenthesis_that_is_not_a_dateline_stays() -> None:
    raw = "(Update) The Bank of Korea held its key rate at 2.5 percent on Thursday."
    assert clean_lede(raw) == raw


def test_a_lede_cut_without_an_ellipsis_keeps_its_whole_sentences() -> None:
    raw = (
        "중국 외교부가 다카이치 총리의 발언이 공분을 샀다고 강조했다. 마오닝 대변인은 "
        "19일 정례 브리핑에서 “일본은 앞서 약속을 했다”며 “이는 일본"
    )
    assert clean_lede(raw) == "중국 외교부가 다카이치 총리의 발언이 공분을 샀다고 강조했다."


def test_a_one_sentence_lede_without_a_full_stop_stays() -> None:
    raw = "Donald Trump also doubted that the US is going to war against Venezuela"
    assert clean_lede(raw) == raw


def test_a_lede_cut_inside_quoted_speech_ends_before_the_quote() -> None:
    # Chosun, 2025-10-29: the feed cut the lede inside a two-sentence quotation.
    raw = (
        "도널드 트럼프 미국 대통령이 김정은 국무위원장과의 만남 의지를 재차 밝혔다. "
        "트럼프 대통령은 전용기에서 기자들과 만나 “모르겠다. 그는 수십년간 미사일을..."
    )
    assert (
        clean_lede(raw)
        == "도널드 트럼프 미국 대통령이 김정은 국무위원장과의 만남 의지를 재차 밝혔다."
    )


def test_a_quotation_closed_in_the_lede_keeps_its_sentences() -> None:
    raw = '정부는 "대응에 만전을 기하겠다. 피해는 없다"고 밝혔다. 이어 대책을 논의했다. 그'
    assert clean_lede(raw) == (
        '정부는 "대응에 만전을 기하겠다. 피해는 없다"고 밝혔다. 이어 대책을 논의했다.'
    )


def test_a_notice_boards_opening_bullet_goes() -> None:
    # Yonhap's [게시판] and [동정] items (2026-03-03).
    raw = "▲ 이창용 한국은행 총재가 국제결제은행(BIS) 총재 회의에 참석하기 위해 4일 출국한다."
    assert clean_lede(raw) == raw.removeprefix("▲ ")
