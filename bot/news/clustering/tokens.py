"""Items as tokens: what two reports of one event have in common, in either language.

Each text gives two lists of tokens:

* *lexical* — English words, lightly stemmed, without stop words and the words every
  peninsula story has ("north", "korea", "said"); character bigrams of each Hangul word,
  its trailing particle stripped first (미사일을 → 미사일: 미사, 사일), since bigrams
  match across compounds and spellings where whole Korean words would not; numbers.
* *entity* — what reads the same in both languages: concepts from the gazetteer
  (:mod:`.concepts`), numbers with units (:mod:`.numbers`), Latin acronyms and code
  names (``@icbm``, ``@hwasong19``).

Wire tags such as "(2nd LEAD)" and "[속보]" are dropped first; text is NFKC-normalised
(㎞ → km, full-width digits) and stripped of accents.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import chain

from bot.news.clustering.concepts import english_concepts, korean_concepts
from bot.news.clustering.datafiles import (
    english_stop_words,
    korean_particles,
    korean_stop_bigrams,
)
from bot.news.clustering.numbers import NUMBER_WORDS, UNITS, english_numbers, korean_numbers
from bot.news.headlines import strip_wire_tags
from bot.text import Endings, hangul_runs, light_stem

__all__ = ["english_tokens", "korean_tokens"]

PARTICLE_MIN_STEM = 2
"""Syllables a Hangul word must keep when its particle goes: 북한이 → 북한, but 국가 stays."""

_ACCENTED = re.compile("[\u00c0-\u024f]")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*")
_USA = re.compile(r"\bU\.S\.(?=\W|$)|\bUS\b")
_UN = re.compile(r"\bU\.N\.(?=\W|$)")
_CODE_NAME = re.compile(r"\b([A-Za-z]{2,})-?(\d+[A-Za-z]?)\b")
_LATIN_IN_KO = re.compile(r"[A-Za-z][A-Za-z0-9]+")


@functools.cache
def _english_stop() -> frozenset[str]:
    """English stop words, also as the stemmer leaves them ("according" → "accord")."""
    words = english_stop_words()
    return words | {light_stem(word) for word in words}


@functools.cache
def _particles() -> Endings:
    return Endings(dict.fromkeys(korean_particles(), PARTICLE_MIN_STEM))


def _normalise(text: str) -> str:
    """NFKC (㎞ → km, full-width digits) without accents (Salmón → Salmon); case kept."""
    text = strip_wire_tags(unicodedata.normalize("NFKC", text))
    if not _ACCENTED.search(text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


@functools.lru_cache(maxsize=65536)
def _hangul_bigrams(run: str) -> tuple[str, ...]:
    """Bigrams of one Hangul run (an eojeol), its trailing particle stripped."""
    run = _particles().strip(run)
    stop = korean_stop_bigrams()
    bigrams = (run[i : i + 2] for i in range(len(run) - 1))
    return tuple(bigram for bigram in bigrams if bigram not in stop)


def english_tokens(text: str, gazetteer: bool) -> tuple[list[str], list[str]]:
    """(lexical tokens, entity tokens) of English text."""
    stop = _english_stop()
    text = _UN.sub("UN", _USA.sub("USA", _normalise(text)))
    entities = [f"@{a.lower()}{b.lower()}" for a, b in _CODE_NAME.findall(text)]
    words: list[str] = []
    for raw in _EN_WORD.findall(text.replace("-", " ")):
        lower = raw.lower().removesuffix("'s").strip("'")
        if len(raw) >= 2 and raw.isupper() and lower not in stop:
            entities.append(f"@{lower}")
        words.append(light_stem(lower))
    lexical = [NUMBER_WORDS.get(w, w) for w in words if w not in stop]
    if gazetteer:
        entities.extend(english_concepts(words))
    for token, is_entity in english_numbers(text):
        lexical.append(token)
        if is_entity:
            entities.append(token)
    return lexical, entities


# Headlines abbreviate with one Hanja what ledes spell out: 美 법인 is 미국 법인.
_HANJA_WORDS = str.maketrans(
    {
        "美": "미국", "中": "중국", "日": "일본", "北": "북한", "韓": "한국", "露": "러시아",
        "英": "영국", "獨": "독일", "佛": "프랑스", "與": "여당", "野": "야당", "李": "이재명",
        "尹": "윤석열", "檢": "검찰", "靑": "청와대", "軍": "군",
    }
)  # fmt: skip


_HANJA_ABBREVIATION = re.compile("[" + "".join(map(chr, _HANJA_WORDS)) + "]")


def korean_tokens(text: str, gazetteer: bool) -> tuple[list[str], list[str]]:
    """(lexical tokens, entity tokens) of Korean text."""
    text = _normalise(text)
    if _HANJA_ABBREVIATION.search(text):  # rare, and translate() with words is slow
        text = text.translate(_HANJA_WORDS)
    lexical = list(chain.from_iterable(map(_hangul_bigrams, hangul_runs(text))))
    entities = [f"@{w.lower()}" for w in _LATIN_IN_KO.findall(text) if w.lower() not in UNITS]
    entities += [f"@{a.lower()}{b.lower()}" for a, b in _CODE_NAME.findall(text)]
    if gazetteer:
        entities.extend(korean_concepts(text))
    for token, is_entity in korean_numbers(text):
        lexical.append(token)
        if is_entity:
            entities.append(token)
    return lexical, entities
