"""The briefing's filter: Korean Peninsula news in, Korea-adjacent noise out.

The examples here are written for these tests and are not in the labelled set; the set is
checked as a whole at the end, as a regression guard.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.models import Topic
from bot.news.relevance import THRESHOLD, Relevance, assess, is_relevant

LABELLED_SET = Path(__file__).parent / "data" / "relevance.jsonl"
TARGET_PRECISION = 0.95
TARGET_RECALL = 0.90


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "North Korea fires two short-range missiles off east coast",
            "The launches came a day after the allies wrapped up joint drills, Seoul said.",
        ),
        (
            "Inter-Korean hotline restored after two years, unification ministry says",
            "The line rang at 9 a.m. and North Korean officials answered.",
        ),
        (
            "National Assembly votes to impeach interior minister",
            "The Democratic Party and smaller opposition parties backed the motion.",
        ),
        (
            "Bank of Korea cuts base rate to 2.25%",
            "The central bank said slowing exports and weak consumption called for support.",
        ),
        (
            "Seoul and Tokyo agree to expand defence intelligence sharing",
            "The foreign ministers met on the sidelines of the ASEAN meetings.",
        ),
    ],
)
def test_english_peninsula_news_is_relevant(title: str, text: str) -> None:
    assert assess(title, text, "en").relevant


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "북, 서해상으로 단거리 탄도미사일 여러 발 발사",
            "합참은 한미 정보당국이 정밀 분석 중이라고 밝혔다.",
        ),
        (
            '통일부 "남북 연락채널 복원 제안"',
            "정부는 판문점 연락관 채널을 통해 북측에 통지문을 보냈다.",
        ),
        ("국민의힘 새 원내대표 선출", "의원총회에서 재선 의원이 과반 득표로 당선됐다."),
        (
            "한은, 기준금리 0.25%p 인하",
            "금융통화위원회는 내수 부진과 수출 둔화를 이유로 금리를 내렸다.",
        ),
        ('한중 정상회담…"북 비핵화 위해 협력"', "두 정상은 경주에서 만나 한반도 문제를 논의했다."),
    ],
)
def test_korean_peninsula_news_is_relevant(title: str, text: str) -> None:
    assert assess(title, text, "ko").relevant


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Pyongyang test-fires cruise missiles, state media says", ""),
        ("Seoul's spy agency says Kim Jong Un's daughter is likely successor", ""),
        ("USFK commander visits frontline units", "Gen. Brunson toured positions near the DMZ."),
        ("Kim Yo Jong slams 'provocative' leaflet launches", ""),
    ],
)
def test_items_that_never_say_korea_are_relevant(title: str, text: str) -> None:
    assert assess(title, text).relevant


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("BTS member begins military service", "The K-pop star entered an army boot camp."),
        ("Korean girl group tops Billboard chart", "The idols' new album sold 1 million copies."),
        (
            "Son Heung-min scores twice for LAFC",
            "The South Korea captain's goals sealed a 3-1 win.",
        ),
        ("Samsung unveils new Galaxy foldable in Seoul", "Pre-orders open next week."),
        ("Hyundai launches hybrid SUV in Korea", "The new model goes on sale on Monday."),
        ("Ten Korean barbecue spots in London", "Our critic tried the pork belly and kimchi stew."),
        ("Korean Air flight diverted by storm", "The weather forced the plane to land in Fukuoka."),
        ("Heavy rain warnings across South Korea", "The weather agency expects up to 200 mm."),
        ("Japan's ruling party picks new leader", "The winner is set to become prime minister."),
        ("Kim Kardashian launches new skincare line", ""),
    ],
)
def test_english_korea_adjacent_noise_is_not_relevant(title: str, text: str) -> None:
    assert not assess(title, text, "en").relevant


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("아이돌 그룹, 정규 앨범으로 컴백", "소속사는 타이틀곡 뮤직비디오를 공개했다."),
        ("프로야구 LG, 한국시리즈 1차전 승리", "선발 투수가 7이닝 무실점으로 호투했다."),
        ("삼성전자, 신형 갤럭시 출시", "사전판매는 다음 주부터 시작된다."),
        ("주말 전국 비…기온 뚝", "기상청은 강원 산지에 최대 50㎜의 비가 오겠다고 예보했다."),
        ("서울 을지로 노포 맛집 탐방", "50년 된 냉면집 앞에 점심마다 줄이 선다."),
        ("日 총리, 중의원 해산 시사", "일본 정치권이 조기 총선 가능성에 술렁이고 있다."),
        ("배우 김모씨 결혼 발표", "두 사람은 드라마 촬영장에서 만났다."),
    ],
)
def test_korean_korea_adjacent_noise_is_not_relevant(title: str, text: str) -> None:
    assert not assess(title, text, "ko").relevant


def test_entertainment_words_do_not_hide_a_human_rights_story() -> None:
    result = assess("North Korea bans K-pop, executes listeners", "", "en")
    assert result.relevant
    assert Topic.HUMAN_RIGHTS in result.topics


def test_a_north_korea_sports_result_stays_out() -> None:
    assert not assess("북한 여자축구, 아시안컵 결승 진출", "승부차기 끝에 일본을 꺾었다.").relevant


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("North Korea launches ICBM toward Sea of Japan", Topic.SECURITY),
        ("South Korea resumes propaganda loudspeakers at border with North", Topic.INTER_KOREAN),
        ("Lee and Ishiba hold summit, pledge cooperation on North Korea", Topic.DIPLOMACY),
        ("Constitutional Court begins impeachment trial of Yoon Suk Yeol", Topic.POLITICS),
        ("South Korea's fertility rate hits record low of 0.72", Topic.ECONOMY),
        ("China forcibly repatriates North Korean defectors", Topic.HUMAN_RIGHTS),
        ("북, 초대형 방사포 사격…김정은 참관", Topic.SECURITY),
        ("더불어민주당, 검찰개혁 법안 본회의 상정", Topic.POLITICS),
        ("9월 수출 7% 증가…무역수지 흑자", Topic.ECONOMY),
    ],
)
def test_topics_follow_the_story(title: str, topic: Topic) -> None:
    result = assess(title)
    assert result.relevant
    assert topic in result.topics


def test_relevant_items_get_one_to_three_topics_and_others_none() -> None:
    relevant = assess("Kim Jong Un visits Pyongyang factory", "")
    assert relevant.relevant
    assert 1 <= len(relevant.topics) <= 3
    assert assess("Kimchi fried rice recipe", "").topics == ()


def test_a_feed_prior_lifts_an_item_over_the_threshold() -> None:
    title, text = "Exports rise for sixth month", "Chip shipments led the gains."
    assert not assess(title, text, "en").relevant
    lifted = assess(title, text, "en", prior=THRESHOLD)
    assert lifted.relevant
    assert lifted.score == pytest.approx(assess(title, text, "en").score + THRESHOLD)


def test_korean_text_is_read_as_about_korea_unless_it_names_another_country() -> None:
    assert assess("출산율 반등…저출생 대책 효과", "", "ko").relevant
    assert not assess("中 출산율 또 하락…저출생 심화", "", "ko").relevant


def test_language_is_guessed_from_the_script() -> None:
    assert assess("최저임금 1만원 돌파…노사 합의") == assess(
        "최저임금 1만원 돌파…노사 합의", "", "ko"
    )


def test_korean_terms_inside_other_words_do_not_count() -> None:
    # 배우자 is "spouse", not 배우 ("actor"); 권한은 contains 한은 (the Bank of Korea).
    assert assess("윤 전 대통령 배우자, 특검 출석").relevant
    assert assess("권한은 구청장에게 있다").score < THRESHOLD


def test_only_the_lede_is_read() -> None:
    filler = "A long feature about autumn in the countryside. " * 20
    assert not assess("Weekend reading", filler + "North Korea fired a missile.").relevant


def test_assessing_is_deterministic_and_returns_the_dataclass() -> None:
    first = assess("Seoul's spy agency briefs lawmakers on North Korea", "")
    assert isinstance(first, Relevance)
    assert first == assess("Seoul's spy agency briefs lawmakers on North Korea", "")
    assert is_relevant("Seoul's spy agency briefs lawmakers on North Korea") is first.relevant


# --- the labelled set -----------------------------------------------------------------


def _labelled() -> list[dict[str, object]]:
    with LABELLED_SET.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def test_labelled_set_is_well_formed_and_balanced() -> None:
    rows = _labelled()
    assert len(rows) >= 300
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["language"] in ("en", "ko")
        assert row["split"] in ("dev", "test")
        assert isinstance(row["title"], str) and row["title"]
        assert isinstance(row["text"], str) and row["text"]
        assert isinstance(row["source"], str) and "briefbot" in row["source"]
        topics = row["topics"]
        assert isinstance(topics, list)
        assert all(Topic(topic) for topic in topics)
        assert bool(topics) == row["relevant"]
    korean = sum(row["language"] == "ko" for row in rows) / len(rows)
    positive = sum(bool(row["relevant"]) for row in rows) / len(rows)
    assert 0.4 <= korean <= 0.6
    assert 0.35 <= positive <= 0.55


def test_test_split_precision_and_recall_stay_above_target() -> None:
    tp = fp = fn = 0
    for row in _labelled():
        if row["split"] != "test":
            continue
        predicted = assess(str(row["title"]), str(row["text"]), str(row["language"])).relevant
        tp += predicted and bool(row["relevant"])
        fp += predicted and not row["relevant"]
        fn += not predicted and bool(row["relevant"])
    assert tp / (tp + fp) >= TARGET_PRECISION
    assert tp / (tp + fn) >= TARGET_RECALL
