"""The Korean catalogue keeps its own rules (the glossary and conventions in the header of
bot/locales/ko.toml): one term per concept, no hedged particles, 합니다체, destructive
questions in 하시겠습니까 form, particles after commands that match how they are read."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

from bot.particles import PARTICLES, particle

KOREAN = tomllib.loads((resources.files("bot") / "locales" / "ko.toml").read_text("utf-8"))

# Variants the glossary rules out, with the term to use instead.
BANNED = {
    "발송 시각": "받는 시각",
    "수신 시간": "받는 시각",
    "최신 기사": "최신 뉴스",
    "출처": "언론사 (or 피드)",
    "웹사이트": "사이트",
    "구독 취소": "구독 해지",
    "타임존": "시간대",
    "커맨드": "명령어",
    "스토리": "뉴스",
    "이야기": "뉴스",
}
HEDGED_PARTICLE = re.compile(r"\((?:으|을|를|이|가|은|는|과|와)\)")
# 해요체 endings; requests end in 주세요, which the catalogue allows.
HAEYO = re.compile(r"(?:네요|게요|어요|아요|해요|예요|에요|나요|가요|죠)(?:[.!?]|$)")
# A particle written after a placeholder cannot know the value: it must be a particle field.
FIXED_PARTICLE = re.compile(
    r"\}(?:</b>|</i>|”|\))?(?:은|는|이|가|을|를|과|와|으로|로|이라|라)(?=[\s.,?!:]|$)"
)
COMMAND_PARTICLE = re.compile(r"/([a-z_]+)(?:</code>)? (으로|로|을|를|은|는|이|가)(?=[\s,.])")
# How each command reads aloud in Korean, which decides its particle.
COMMAND_READINGS = {
    "start": "스타트", "help": "헬프", "summarize": "서머라이즈", "brief": "브리프",
    "latest": "레이티스트", "sources": "소시스", "subscribe": "서브스크라이브",
    "unsubscribe": "언서브스크라이브", "settings": "세팅스", "status": "스테이터스",
    "time": "타임", "timezone": "타임존", "topics": "토픽스", "language": "랭귀지",
    "forget": "포겟", "length": "렝스", "follow": "팔로", "follows": "팔로스",
    "unfollow": "언팔로", "search": "서치",
}  # fmt: skip


def _entries() -> list[tuple[str, str]]:
    return sorted(KOREAN.items())


@pytest.mark.parametrize(("key", "text"), _entries())
def test_one_term_per_concept(key: str, text: str) -> None:
    found = {term: use for term, use in BANNED.items() if term in text}
    assert not found, f"{key}: use {found}"
    assert "매체" not in text.replace("관영매체", ""), f"{key}: 매체 → 언론사"


@pytest.mark.parametrize(("key", "text"), _entries())
def test_no_hedged_particles(key: str, text: str) -> None:
    assert not HEDGED_PARTICLE.search(text), f"{key}: choose the particle with {{x:으로}}"


@pytest.mark.parametrize(("key", "text"), _entries())
def test_written_in_hamnida_style(key: str, text: str) -> None:
    assert not HAEYO.search(text), f"{key}: 합니다체, not 해요체"


@pytest.mark.parametrize(("key", "text"), _entries())
def test_particles_after_values_are_chosen_by_the_value(key: str, text: str) -> None:
    assert not FIXED_PARTICLE.search(text), f"{key}: write {{x:을}}, not {{x}}을"


def test_the_particle_check_sees_a_fixed_particle() -> None:
    assert FIXED_PARTICLE.search("시간대를 <b>{zone}</b>으로 바꿨습니다.")
    assert not FIXED_PARTICLE.search("시간대를 <b>{zone}</b>{zone:-으로} 바꿨습니다.")


def test_destructive_questions_ask_hasigessseumnikka() -> None:
    confirms = {key: text for key, text in KOREAN.items() if key.endswith("_confirm")}
    assert confirms, "the /forget dialog has a *_confirm key"
    for key, text in confirms.items():
        assert "하시겠습니까?" in text, key


@pytest.mark.parametrize(("key", "text"), _entries())
def test_particles_after_commands_match_their_reading(key: str, text: str) -> None:
    for command, written in COMMAND_PARTICLE.findall(text):
        reading = COMMAND_READINGS.get(command)
        if reading is None or written not in PARTICLES:
            continue
        assert particle(reading, written) == written, f"{key}: /{command} {written}"


def test_the_command_check_sees_a_wrong_particle() -> None:
    [(command, written)] = COMMAND_PARTICLE.findall("/time 로 보내 주세요")
    assert particle(COMMAND_READINGS[command], written) != written
