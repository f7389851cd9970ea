"""Korean particles follow the sound of the word before them (bot.particles), and the
catalogue's particle fields use them."""

from __future__ import annotations

import pytest

from bot.i18n import Catalog, Markup, placeholders, plural_fields
from bot.particles import attach, final_consonant, particle


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("연합뉴스", "연합뉴스는"),  # no final
        ("한겨레", "한겨레는"),
        ("조선중앙통신", "조선중앙통신은"),  # ㄴ
        ("서울", "서울은"),  # ㄹ is a final for 은/는
        ("북한", "북한은"),
    ],
)
def test_topic_particle_follows_the_final(word: str, expected: str) -> None:
    assert attach(word, "은") == expected
    assert attach(word, "는") == expected  # either form names the pair


@pytest.mark.parametrize(
    ("word", "name", "expected"),
    [
        ("브리핑", "을", "을"),
        ("시간대", "을", "를"),
        ("주제", "이", "가"),
        ("언론사", "이", "가"),
        ("설정", "이", "이"),
        ("경제", "과", "와"),
        ("안보", "와", "와"),
        ("외교", "이라", "라"),
        ("인권", "이라", "이라"),
    ],
)
def test_subject_object_and_copula_pairs(word: str, name: str, expected: str) -> None:
    assert particle(word, name) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("서울", "서울로"),  # ㄹ takes 로, not 으로
        ("짧게", "짧게로"),
        ("도쿄", "도쿄로"),
        ("런던", "런던으로"),
        ("한국 시간", "한국 시간으로"),
        ("오전 7시", "오전 7시로"),
    ],
)
def test_direction_particle_and_rieul(word: str, expected: str) -> None:
    assert attach(word, "으로") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("1", "로"),  # 일: ㄹ
        ("2", "로"),  # 이
        ("3", "으로"),  # 삼
        ("6", "으로"),  # 육
        ("7", "로"),  # 칠
        ("10", "으로"),  # 십
        ("100", "으로"),  # 백
        ("1,000", "으로"),  # 천
        ("2.5", "로"),  # 이 점 오
        ("0", "으로"),  # 영
        ("07:30", "으로"),  # 일곱 시 삼십 분
        ("19:00", "로"),  # 열아홉 시
    ],
)
def test_digits_are_read_as_numbers_are_read_aloud(word: str, expected: str) -> None:
    assert particle(word, "로") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("KBS", "는"),  # 케이비에스
        ("VOA", "는"),  # 브이오에이
        ("NHK", "는"),  # 엔에이치케이
        ("UN", "은"),  # 유엔
        ("CNN", "은"),  # 시엔엔
        ("Seoul", "은"),  # 서울
        ("Yonhap", "은"),  # 연합
        ("Trump", "는"),  # 트럼프
        ("NK News", "는"),  # 뉴스
        ("Asia/Seoul", "은"),
    ],
)
def test_latin_is_read_by_letter_names_or_transcription(word: str, expected: str) -> None:
    assert particle(word, "은") == expected


def test_rieul_from_latin_takes_ro() -> None:
    assert attach("Asia/Seoul", "으로") == "Asia/Seoul로"
    assert attach("XL", "으로") == "XL로"  # 엑스엘


def test_a_closing_parenthetical_and_quotes_are_skipped() -> None:
    assert attach("자유아시아방송(RFA)", "은") == "자유아시아방송(RFA)은"
    assert attach("“짧게”", "으로") == "“짧게”로"
    assert attach("미국의소리(VOA)", "이") == "미국의소리(VOA)가"


def test_an_unreadable_end_takes_the_form_after_a_consonant() -> None:
    assert final_consonant("🙂") is None
    assert particle("🙂", "를") == "을"


def _catalog(ko: dict[str, str]) -> Catalog:
    return Catalog({"en": dict.fromkeys(ko, "{word}"), "ko": ko})


def test_a_particle_field_attaches_the_particle_to_the_value() -> None:
    catalog = _catalog({"set": "시간대를 {zone:으로} 바꿨습니다.", "subject": "{name:이} 보도"})
    assert catalog.text("ko", "set", zone="서울") == "시간대를 서울로 바꿨습니다."
    assert catalog.text("ko", "set", zone="런던") == "시간대를 런던으로 바꿨습니다."
    assert catalog.text("ko", "subject", name="연합뉴스") == "연합뉴스가 보도"


def test_a_particle_only_field_follows_the_markup_around_the_value() -> None:
    catalog = _catalog({"set": "<b>{length}</b>{length:-으로} 바꿨습니다."})
    assert catalog.text("ko", "set", length="짧게(2문장)") == "<b>짧게(2문장)</b>로 바꿨습니다."
    assert catalog.text("ko", "set", length="보통") == "<b>보통</b>으로 바꿨습니다."


def test_a_particle_is_chosen_by_the_visible_text_of_markup_and_escapes() -> None:
    catalog = _catalog({"of": "{name:은} 보도했습니다."})
    assert catalog.text("ko", "of", name=Markup('<a href="x">한겨레</a>')) == (
        '<a href="x">한겨레</a>는 보도했습니다.'
    )
    assert catalog.text("ko", "of", name="R&D") == "R&amp;D는 보도했습니다."


def test_particle_fields_are_placeholders_but_not_counts() -> None:
    template = "<b>{time}</b>{time:-으로} · {zone:은} · {items:# item|# items}"
    assert placeholders(template) == {"time", "zone", "items"}
    assert plural_fields(template) == {"items"}
