"""Korean particles (josa) chosen by the word they follow, for message templates.

Korean writes 연합뉴스는 but 한겨레는, 북한은 but 서울로 (not 서울으로): the particle's form
depends on whether the last syllable read aloud ends in a consonant (받침), and for
으로/로 on whether that consonant is ㄹ. A template that cannot know its word must not
hedge with "(으)로" or "을(를)"; it names the particle in the placeholder instead
(``{time:으로}``, see :mod:`bot.i18n`) and :func:`attach` picks the form.

How the end of a word is read, since values are not always Hangul:

* Hangul: the last syllable's 받침, decomposed arithmetically (가 = U+AC00, 28 finals).
* Digits, read in Sino-Korean as numbers are read aloud: 1 일, 3 삼, 7 칠, 2 이 …; trailing
  zeros name the unit, so 10 십, 100 백, 1,000 천, 10000 만, 10^8 억. Decimals read their
  last digit (2.5 → 오). A clock time is read in 시 and 분: 7:00 (일곱 시) takes 로,
  7:30 (삼십 분) 으로.
* Latin in capitals (an acronym: KBS, NK, VOA) by the Korean name of its last letter:
  L 엘, M 엠, N 엔 end in a consonant (L in ㄹ); every other letter name (에스, 에이,
  아르 …) ends in a vowel. So KBS는, NHK는, VOA는, UN은.
* Other Latin words (Seoul, Yonhap) by how Korean transcribes the final sound, roughly:
  a final l is ㄹ (Seoul로), m, n, ng a consonant, and p, t, k after a single vowel
  letter a consonant too (Yonhap은); everything else a vowel (Trump는, Tokyo는).
* A closing parenthetical is skipped, as Korean attaches the particle to the word before
  it: 자유아시아방송(RFA)은. So are trailing quotes, brackets and punctuation.
* A word whose end cannot be read (an emoji, nothing) takes the form written after a
  consonant, the one readers most often see hedged first.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.text import is_hangul_syllable

__all__ = ["PARTICLES", "attach", "final_consonant", "particle"]


class _Pair(NamedTuple):
    after_consonant: str
    after_vowel: str
    rieul_as_vowel: bool = False
    """ㄹ takes the after-vowel form (서울로, not 서울으로)."""


_PAIRS = (
    _Pair("은", "는"),
    _Pair("이", "가"),
    _Pair("을", "를"),
    _Pair("과", "와"),
    _Pair("으로", "로", rieul_as_vowel=True),
    _Pair("으로서", "로서", rieul_as_vowel=True),
    _Pair("으로써", "로써", rieul_as_vowel=True),
    _Pair("이라", "라"),
    _Pair("이라고", "라고"),
    _Pair("이라는", "라는"),
    _Pair("이며", "며"),
    _Pair("이나", "나"),
    _Pair("이고", "고"),
)
PARTICLES: dict[str, _Pair] = {
    form: pair for pair in _PAIRS for form in (pair.after_consonant, pair.after_vowel)
}
"""Either form names the pair: ``{x:을}`` and ``{x:를}`` mean the same."""

_NO_FINAL = 0
_RIEUL = 8  # index of ㄹ among the 28 finals (0 = none)
_SOME_FINAL = 1  # ㄱ: any consonant but ㄹ, for readings that only need "a consonant"

# Sino-Korean readings' finals: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_FINALS = {
    "0": 21, "1": _RIEUL, "2": _NO_FINAL, "3": 16, "4": _NO_FINAL,
    "5": _NO_FINAL, "6": 1, "7": _RIEUL, "8": _RIEUL, "9": _NO_FINAL,
}  # fmt: skip
# Trailing zeros name the unit read last: 십 백 천 만 (십만 백만 천만) 억 … 조 … 경.
_UNIT_FINALS = (17, 1, 4, 4, 4, 4, 4, 1, 1, 1, 1, 0, 0, 0, 0)
_BEYOND_UNITS = 21
_LETTERS_WITH_FINAL = {"L": _RIEUL, "M": _SOME_FINAL, "N": _SOME_FINAL}
_TRAILING = re.compile(r"""[\s.,!?;:'"“”‘’»」』》〉\]…·-]+$""")
_PARENTHETICAL = re.compile(r"\s*[(（][^()（）]*[)）]$")
_CLOCK = re.compile(r"\d{1,2}:(\d{2})$")
_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?$")
_LATIN_WORD = re.compile(r"[A-Za-z]+$")
_VOWEL_LETTERS = frozenset("aeiouy")


def final_consonant(word: str) -> int | None:
    """The final (받침) of ``word`` read aloud: 0 none, 8 ㄹ, another index for the rest.

    None when the end cannot be read. Indices are those of Unicode's 28 Hangul finals.
    """
    text = word
    while True:
        stripped = _PARENTHETICAL.sub("", _TRAILING.sub("", text))
        if stripped == text or not stripped:
            break
        text = stripped
    if not text:
        return None
    last = text[-1]
    if is_hangul_syllable(last):
        return (ord(last) - 0xAC00) % 28
    clock = _CLOCK.search(text)
    if clock:  # 7:00 is read 일곱 시, 7:30 일곱 시 삼십 분
        return _NO_FINAL if clock.group(1) == "00" else _SOME_FINAL
    number = _NUMBER.search(text)
    if number:
        return _number_final(number.group(1).replace(",", ""), number.group(2))
    latin = _LATIN_WORD.search(text)
    if latin:
        return _latin_final(latin.group(0))
    return None


def particle(word: str, name: str) -> str:
    """The form of particle ``name`` (either form: 은 or 는) that follows ``word``."""
    pair = PARTICLES[name]
    final = final_consonant(word)
    if final == _NO_FINAL or (final == _RIEUL and pair.rieul_as_vowel):
        return pair.after_vowel
    return pair.after_consonant


def attach(word: str, name: str) -> str:
    """``word`` followed by the right form of particle ``name``: 연합뉴스 + 은 → 연합뉴스는."""
    return word + particle(word, name)


def _number_final(whole: str, decimals: str | None) -> int:
    if decimals:
        return _DIGIT_FINALS[decimals[-1]]
    digits = whole.lstrip("0") or "0"
    if digits == "0":
        return _DIGIT_FINALS["0"]
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0:
        return _DIGIT_FINALS[digits[-1]]
    return _UNIT_FINALS[zeros - 1] if zeros <= len(_UNIT_FINALS) else _BEYOND_UNITS


def _latin_final(word: str) -> int:
    if word.isupper():
        return _LETTERS_WITH_FINAL.get(word[-1], _NO_FINAL)
    lower = word.lower()
    if lower.endswith("l"):
        return _RIEUL
    if lower.endswith(("m", "n")):
        return _SOME_FINAL
    closed = (
        len(lower) >= 3
        and lower[-1] in "ptk"
        and lower[-2] in _VOWEL_LETTERS
        and lower[-3] not in _VOWEL_LETTERS
    )
    return _SOME_FINAL if closed else _NO_FINAL
