"""Text helpers: what counts as Hangul, Korean ending stripping, the light English stemmer."""

from __future__ import annotations

import pytest

from bot.text import (
    Endings,
    hangul_runs,
    hangul_share,
    has_hangul,
    is_hangul_syllable,
    light_stem,
    strip_josa,
)


def test_only_single_hangul_syllables_are_syllables() -> None:
    assert is_hangul_syllable("가") and is_hangul_syllable("힣")
    assert not is_hangul_syllable("ㅋ")  # a compatibility jamo, not a syllable
    assert not is_hangul_syllable("北")
    assert not is_hangul_syllable("a")
    assert not is_hangul_syllable("")
    assert not is_hangul_syllable("가나")


def test_text_with_one_syllable_has_hangul() -> None:
    assert has_hangul("Kim Jong-un (김정은) said")
    assert not has_hangul("North Korea 北韓 ㅋㅋ")


def test_hangul_runs_are_the_korean_words_between_other_characters() -> None:
    assert hangul_runs("북한이 9일 ICBM을 발사했다.") == ["북한이", "일", "을", "발사했다"]


def test_hangul_share_counts_jamo_and_ignores_digits_and_punctuation() -> None:
    assert hangul_share("북한 ICBM") == pytest.approx(2 / 6)
    assert hangul_share("ㅋㅋㅋ") == 1.0
    assert hangul_share("2026. 3. 9.") == 0.0
    assert hangul_share("") == 0.0


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("북한이", "북한"),
        ("북한은", "북한"),
        ("북한의", "북한"),
        ("미사일을", "미사일"),
        ("합참에서", "합참"),
        ("발사했다", "발사"),
        ("전문가들", "전문가"),
        ("것을", "것"),
        ("국가", "국가"),
        ("회의", "회의"),
        ("사과", "사과"),
    ],
)
def test_josa_is_stripped_but_short_nouns_are_kept(word: str, stem: str) -> None:
    assert strip_josa(word) == stem


def test_the_longest_ending_that_leaves_enough_of_the_word_is_stripped_once() -> None:
    endings = Endings({"는": 2, "에서는": 2, "서": 2})
    assert endings.strip("회의에서는") == "회의"
    assert endings.strip("집에서는") == "집에서"  # 에서는 would leave one syllable
    assert endings.strip("나는") == "나는"
    assert endings.strip("") == ""


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("fires", "fir"),
        ("fired", "fir"),
        ("firing", "fir"),
        ("launches", "launch"),
        ("missiles", "missil"),
        ("sanctions", "sanction"),
        ("agreement", "agre"),
        ("us", "us"),
        ("icbm2", "icbm2"),
    ],
)
def test_light_stem_maps_inflections_onto_one_form(word: str, stem: str) -> None:
    assert light_stem(word) == stem
