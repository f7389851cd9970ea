"""The words search indexes and looks for: the same on SQLite and PostgreSQL.

Both backends index a plain string of *terms* made here, so a query means the same
thing on either (FTS5's ``unicode61`` tokenizer and PostgreSQL's ``simple`` text search
configuration only split it at spaces):

* Korean is written in compounds and with particles attached (김여정이, 북한군은), so a
  run of Hangul becomes its overlapping syllable pairs (김여 여정 정이), followed at the
  end of the document by the run's last syllable alone. A Korean query word is the
  phrase of its pairs ("김여 여정"), found inside any longer run; a one-syllable word is
  a prefix ("군*"), which meets the pairs it starts and the last syllables.
* Other words are lower-cased and stemmed with the Snowball English stemmer, so
  launch, launches and launched are one term; digits stay as they are.

A trigram index (FTS5 ``trigram``, ``pg_trgm``) would miss the two-syllable words most
Korean nouns are (북한, 합참, 통일: no trigram) and would not stem English.

Two things are done to the query only:

* **Names in the other language.** A known name (김여정, "Kim Yo Jong", 합참, DPRK) also
  matches its aliases: its clause is :class:`AnyOf` the name and each alias. Unquoted
  words are read as follows read them: the longest run of consecutive words that is a
  known name is one name (``Kim Yo Jong``, then a phrase), and a quoted phrase that is a
  known name is expanded too. Which names are known is not this module's business: the
  caller passes an :data:`Expand` (the bot passes the alias table of follows, see
  :mod:`bot.services`), so the store does not depend on ``bot.follows`` and the same
  parsing runs without aliases where none are wanted.
* **Korean particles.** 김여정이, 북한군은, 미사일을: an unquoted Korean word ending in a
  common particle matches the word as typed or the word without it. The stem's pairs are
  the first pairs of the whole word's (고양 of 고양이), so the stem alone finds both and is
  the clause; the stem must keep two syllables (군은 stays), and a known name is never cut
  (김정은 does not become 김정). The cost is breadth where a noun ends like a particle
  (고양이 finds 고양, the city, too; 경기도 finds 경기), and quotes ask for exactly what is
  typed (``"고양이"``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from nltk.stem.snowball import EnglishStemmer  # type: ignore[import-untyped]

__all__ = [
    "AnyOf",
    "Clause",
    "Expand",
    "Phrase",
    "Prefix",
    "SearchQuery",
    "document_terms",
    "parse_query",
]

_HANGUL = "가-힣"
_WORD = re.compile(rf"[{_HANGUL}]+|(?:(?![{_HANGUL}])[^\W_])+")
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['’]s\b")
"""Kim Yo Jong's: the name is asked for, not an "s" that no Korean item has."""
_QUOTED = re.compile(r"[\"“”«»「」『』]([^\"“”«»「」『』]*)[\"“”«»「」『』]?")
MAX_WORD = 64
"""Longer runs of letters (a pasted hash, a URL's path) are nobody's search word; PostgreSQL
also refuses lexemes over 2 KB."""
MAX_QUERY_TERMS = 12
"""More words than anyone types; a cap keeps a pasted paragraph from becoming one query."""
MAX_ALTERNATIVES = 12
"""Ways of one any-of clause: a name and all its aliases (the largest group has 8)."""
MAX_NAME_WORDS = 8
"""Words of the longest name looked up ("democratic people s republic of korea" has 7)."""
_PARTICLE_LIST = [
    "이", "가", "은", "는", "을", "를", "의", "에", "에서", "에게", "도", "와", "과", "로",
    "으로", "까지", "부터", "만", "께서", "한테", "보다", "처럼", "에는", "에도", "에서는",
    "에서도", "에서의", "에게는", "에게도", "으로는", "으로도", "로는", "로도", "와의", "과의",
    "까지는", "까지도", "부터는",
]  # fmt: skip
_PARTICLES = sorted(_PARTICLE_LIST, key=len, reverse=True)
"""Particles cut from the end of a Korean query word, longest first (에서는 before 는)."""

_PARTICLE_AFTER_LATIN = re.compile(rf"(?<=[A-Za-z])(?:{'|'.join(_PARTICLES)})(?![{_HANGUL}])")
"""JCS는, ICBM을: the particle would be a Korean word of its own, which no English item has."""

Expand = Callable[[str], Sequence[str]]
"""The other names of a name (its words as :func:`parse_query` reads them, lower case,
joined by single spaces), or nothing when it is no known name."""


@functools.cache
def _stemmer() -> EnglishStemmer:
    return EnglishStemmer()


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    stem: str = _stemmer().stem(word)
    return stem


def _is_hangul(word: str) -> bool:
    return "가" <= word[0] <= "힣"


def _words(text: str) -> list[str]:
    words = _WORD.findall(unicodedata.normalize("NFKC", text).lower())
    return [word for word in words if len(word) <= MAX_WORD or _is_hangul(word)]


def _pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def document_terms(*texts: str) -> str:
    """The indexed form of an item's headline and excerpt."""
    terms: list[str] = []
    tails: list[str] = []
    for text in texts:
        for word in _words(text):
            if not _is_hangul(word):
                terms.append(_stem(word))
            elif len(word) == 1:
                terms.append(word)
            else:
                terms.extend(_pairs(word))
                tails.append(word[-1])
    # Last syllables go after everything, so they never sit inside a phrase's pairs.
    return " ".join(terms + tails)


@dataclass(frozen=True, slots=True)
class Phrase:
    """Terms that must follow one another (one word's syllable pairs, or a quoted phrase)."""

    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Prefix:
    """A one-syllable Korean word: any term starting with it."""

    term: str


Term = Phrase | Prefix
Way = tuple[Term, ...]
"""Terms that must all match: one way to satisfy an :class:`AnyOf`."""


@dataclass(frozen=True, slots=True)
class AnyOf:
    """A name and its aliases: any one of the ways matches."""

    ways: tuple[Way, ...]


Clause = Phrase | Prefix | AnyOf


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What a reader typed, as clauses that must all match."""

    clauses: tuple[Clause, ...]

    @property
    def empty(self) -> bool:
        return not self.clauses

    def fts5(self) -> str:
        """The FTS5 MATCH expression (terms are letters and digits only: safe in quotes)."""
        return " AND ".join(map(_fts5, self.clauses))

    def tsquery(self) -> str:
        """The ``to_tsquery('simple', …)`` expression."""
        return " & ".join(map(_tsquery, self.clauses))


def _fts5(clause: Clause) -> str:
    if isinstance(clause, Prefix):
        return f'"{clause.term}"*'
    if isinstance(clause, Phrase):
        return '"' + " ".join(clause.terms) + '"'
    return _either(clause, _fts5, " AND ", " OR ")


def _tsquery(clause: Clause) -> str:
    if isinstance(clause, Prefix):
        return f"'{clause.term}':*"
    if isinstance(clause, Phrase):
        return "(" + " <-> ".join(f"'{term}'" for term in clause.terms) + ")"
    return _either(clause, _tsquery, " & ", " | ")


def _either(clause: AnyOf, render: Callable[[Clause], str], both: str, either: str) -> str:
    """The ways in parentheses; a way of several terms in its own, whatever binds first."""
    ways = [
        f"({both.join(map(render, way))})" if len(way) > 1 else render(way[0])
        for way in clause.ways
    ]
    return "(" + either.join(ways) + ")"


def _word_terms(word: str) -> Term:
    if not _is_hangul(word):
        return Phrase((_stem(word),))
    if len(word) == 1:
        return Prefix(word)
    return Phrase(tuple(_pairs(word)))


def _phrase_terms(words: Sequence[str]) -> list[Term]:
    """Words in order; one-syllable Korean words stay prefixes apart (a phrase cannot hold
    a prefix in the middle)."""
    terms: list[str] = []
    apart: list[Term] = []
    for word in words:
        if not _is_hangul(word):
            terms.append(_stem(word))
        elif len(word) == 1:
            apart.append(Prefix(word))
        else:
            terms.extend(_pairs(word))
    return ([Phrase(tuple(terms))] if terms else []) + apart


def _alias_ways(name: str) -> list[Way]:
    """An alias as a phrase; a Korean one with spaces (위성 발사) also run together, as
    compounds are written (위성발사)."""
    words = _words(name)
    ways = [tuple(_phrase_terms(words))]
    if len(words) > 1 and any(map(_is_hangul, words)):
        ways.append(tuple(_phrase_terms(_words("".join(words)))))
    return [way for way in ways if way]


def _any_of(first: Way, names: Iterable[str]) -> list[Clause]:
    """``first`` or any of ``names``; a lone way is its terms, each a clause."""
    ways = [first, *(way for name in names for way in _alias_ways(name))]
    unique = tuple(dict.fromkeys(way for way in ways if way))[:MAX_ALTERNATIVES]
    if len(unique) == 1:
        return list(unique[0])
    return [AnyOf(unique)]


def _without_particle(word: str) -> str:
    """``word`` less a particle at its end, if two syllables or more are left."""
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def _word_clauses(words: list[str], expand: Expand | None) -> list[Clause]:
    """Each word its own clause, but a run of words that is a known name is one."""
    clauses: list[Clause] = []
    start = 0
    while start < len(words):
        if expand is not None:
            for end in range(min(len(words), start + MAX_NAME_WORDS), start + 1, -1):
                names = expand(" ".join(words[start:end]))
                if names:
                    clauses.extend(_any_of(tuple(_phrase_terms(words[start:end])), names))
                    start = end
                    break
            else:
                clauses.extend(_single_word(words[start], expand))
                start += 1
        else:
            clauses.extend(_single_word(words[start], expand))
            start += 1
    return clauses


def _single_word(word: str, expand: Expand | None) -> list[Clause]:
    names = expand(word) if expand is not None else ()
    if _is_hangul(word) and not names:
        word = _without_particle(word)  # finds the whole word too: see the module's notes
        names = expand(word) if expand is not None else ()
    return _any_of((_word_terms(word),), names)


def _phrase_clauses(words: list[str], expand: Expand | None) -> list[Clause]:
    """A quoted phrase: its words in order, or an alias if the phrase is a known name."""
    names = expand(" ".join(words)) if expand is not None and words else ()
    return _any_of(tuple(_phrase_terms(words)), names)


def parse_query(text: str, expand: Expand | None = None) -> SearchQuery:
    """Words must all match, anywhere; a quoted part must match as a phrase. A known name
    (by ``expand``) matches as itself or any of its aliases."""
    clauses: list[Clause] = []
    rest: list[str] = []
    position = 0
    text = _PARTICLE_AFTER_LATIN.sub("", _POSSESSIVE.sub("", text))
    for match in _QUOTED.finditer(text):
        rest.append(text[position : match.start()])
        clauses.extend(_phrase_clauses(_words(match[1]), expand))
        position = match.end()
    rest.append(text[position:])
    clauses.extend(_word_clauses(_words(" ".join(rest)), expand))
    unique = tuple(dict.fromkeys(clauses))[:MAX_QUERY_TERMS]
    return SearchQuery(unique)
