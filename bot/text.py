"""Script and word helpers shared by every module that reads English or Korean text.

One definition each of what counts as Hangul, of Korean ending stripping and of the light
English stemmer, so that sentence splitting, summarizing, relevance and clustering agree on
them. Two character classes are kept apart on purpose:

* Hangul *syllables* (가–힣, U+AC00–U+D7A3) are what news text is written in; words,
  particles and sentence ends are found on them.
* Hangul *letters* add the conjoining and compatibility jamo (ᄀ, ㅋ): a text of ㅋㅋㅋ is
  still Korean, so they count when deciding a text's language.

Korean attaches particles (josa) and verb endings to words without a space (북한이, 북한의,
발사했다). There is no Korean stemmer short of a morphological analyser (konlpy needs
Java), so callers strip one frequent ending with a table of their own (:class:`Endings`);
:func:`strip_josa` is the summarizer's table.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

__all__ = [
    "HANGUL_LETTERS",
    "HANGUL_SYLLABLES",
    "JOSA",
    "Endings",
    "hangul_runs",
    "hangul_share",
    "has_hangul",
    "is_hangul_syllable",
    "light_stem",
    "strip_josa",
]

HANGUL_SYLLABLES = "\uac00-\ud7a3"
"""The precomposed syllables 가–힣, as a range for a regex character class."""

HANGUL_LETTERS = HANGUL_SYLLABLES + "\u1100-\u11ff\u3130-\u318f"
"""Syllables plus conjoining (ᄀ) and compatibility (ㅋ) jamo, as a character-class range."""

_SYLLABLE = re.compile(f"[{HANGUL_SYLLABLES}]")
_SYLLABLE_RUN = re.compile(f"[{HANGUL_SYLLABLES}]+")
_LETTER_HANGUL = re.compile(f"[{HANGUL_LETTERS}]")
_LETTER = re.compile(r"[^\W\d_]")

_SHARE_SAMPLE_CHARS = 20_000
"""Counting a prefix is enough to decide and keeps a very long article cheap."""


def is_hangul_syllable(char: str) -> bool:
    """Whether ``char`` (one character, or empty) is a Hangul syllable."""
    return len(char) == 1 and "\uac00" <= char <= "\ud7a3"


def has_hangul(text: str) -> bool:
    """Whether ``text`` contains a Hangul syllable."""
    return _SYLLABLE.search(text) is not None


def hangul_runs(text: str) -> list[str]:
    """The maximal runs of Hangul syllables in ``text``: roughly its Korean words (eojeol)."""
    return _SYLLABLE_RUN.findall(text)


def hangul_share(text: str) -> float:
    """Fraction of the letters in ``text`` (a prefix of it, if long) that are Hangul letters."""
    sample = text[:_SHARE_SAMPLE_CHARS]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return 0.0
    return len(_LETTER_HANGUL.findall(sample)) / letters


class Endings:
    """A table of Korean endings, each with the syllables that must remain when stripped.

    ``strip`` removes the longest listed ending that leaves enough of the word, and only
    one: 북한이 → 북한, but 국가 stays when 가 needs two syllables left.
    """

    __slots__ = ("_longest", "_min_stem")

    def __init__(self, min_stem: Mapping[str, int]) -> None:
        self._min_stem = dict(min_stem)
        self._longest = max(map(len, self._min_stem), default=0)

    def strip(self, word: str) -> str:
        """``word`` without its longest listed ending that leaves the required stem."""
        for size in range(min(self._longest, len(word) - 1), 0, -1):
            min_stem = self._min_stem.get(word[-size:])
            if min_stem is not None and len(word) - size >= min_stem:
                return word[:-size]
        return word


# Particles (josa) and light-verb endings, with the number of syllables that must remain.
# One-syllable particles that also end common nouns (국가, 회의, 제도, 사과) need two
# syllables left; the rest may leave one (것을 → 것).
JOSA = Endings(
    {
        **dict.fromkeys("은는을를에", 1),
        **dict.fromkeys("이가의도로과와만들", 2),
        **dict.fromkeys(
            """에서 에게 께서 한테 으로 부터 까지 보다 처럼 마저 조차 이나 이며 이고
            라고 이라 에는 에도 에서는 에서도 에게는 으로는 으로도 로는 과의 와의 과는
            와는 에서의 으로서 로서 로써 이라고 이라며 라며 이라는 라는 이란 이다 였다
            이었다 이었던 들은 들이 들을 들의 들과 들도 들에게""".split(),  # noqa: SIM905
            1,
        ),
        # Light verbs after Sino-Korean nouns: 발사했다, 강조한, 개최됐다 → 발사, 강조, 개최.
        **dict.fromkeys(
            """했다 한다 하고 하며 하는 했고 했던 하기 하겠다 했으며 했지만 한다고
            했다고 하면서 할 한 해 함 됐다 된다 되는 된 될 되고 되며 됐고 돼 되어
            시켰다 시킨""".split(),  # noqa: SIM905
            2,
        ),
    }
)
"""The summarizer's endings: particles and light verbs."""


def strip_josa(word: str) -> str:
    """Strip one particle or light-verb ending from a Korean word (eojeol): 북한이 → 북한.

    Stripping the frequent endings maps most noun+particle forms onto the noun, which is
    what sentence similarity needs, while keeping the vocabulary small — unlike character
    bigrams, which blow it up several times over and match unrelated words.
    """
    return JOSA.strip(word)


@functools.lru_cache(maxsize=65536)
def light_stem(word: str) -> str:
    """Light English suffix stripping: fires/fired/firing → fir, launches → launch.

    Cruder than Snowball and much cheaper; used where both sides of a comparison are
    stemmed alike (clustering tokens and gazetteer phrases), so only consistency matters.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "ches", "shes", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("ment") and len(word) > 7:
        word = word[:-4]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word
