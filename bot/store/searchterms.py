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
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from nltk.stem.snowball import EnglishStemmer  # type: ignore[import-untyped]

__all__ = ["Phrase", "Prefix", "SearchQuery", "document_terms", "parse_query"]

_HANGUL = "가-힣"
_WORD = re.compile(rf"[{_HANGUL}]+|(?:(?![{_HANGUL}])[^\W_])+")
_QUOTED = re.compile(r"[\"“”«»「」『』]([^\"“”«»「」『』]*)[\"“”«»「」『』]?")
MAX_WORD = 64
"""Longer runs of letters (a pasted hash, a URL's path) are nobody's search word; PostgreSQL
also refuses lexemes over 2 KB."""
MAX_QUERY_TERMS = 12
"""More words than anyone types; a cap keeps a pasted paragraph from becoming one query."""


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


Clause = Phrase | Prefix


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What a reader typed, as clauses that must all match."""

    clauses: tuple[Clause, ...]

    @property
    def empty(self) -> bool:
        return not self.clauses

    def fts5(self) -> str:
        """The FTS5 MATCH expression (terms are letters and digits only: safe in quotes)."""
        parts = [
            f'"{clause.term}"*'
            if isinstance(clause, Prefix)
            else '"' + " ".join(clause.terms) + '"'
            for clause in self.clauses
        ]
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """The ``to_tsquery('simple', …)`` expression."""
        parts = [
            f"'{clause.term}':*"
            if isinstance(clause, Prefix)
            else "(" + " <-> ".join(f"'{term}'" for term in clause.terms) + ")"
            for clause in self.clauses
        ]
        return " & ".join(parts)


def _word_clauses(words: list[str]) -> list[Clause]:
    """Each word its own clause."""
    clauses: list[Clause] = []
    for word in words:
        if not _is_hangul(word):
            clauses.append(Phrase((_stem(word),)))
        elif len(word) == 1:
            clauses.append(Prefix(word))
        else:
            clauses.append(Phrase(tuple(_pairs(word))))
    return clauses


def _phrase_clauses(words: list[str]) -> list[Clause]:
    """A quoted phrase: its words in order; one-syllable Korean words stay prefixes apart
    (a phrase cannot hold a prefix in the middle)."""
    terms: list[str] = []
    apart: list[Clause] = []
    for word in words:
        if not _is_hangul(word):
            terms.append(_stem(word))
        elif len(word) == 1:
            apart.append(Prefix(word))
        else:
            terms.extend(_pairs(word))
    return ([Phrase(tuple(terms))] if terms else []) + apart


def parse_query(text: str) -> SearchQuery:
    """Words must all match, anywhere; a quoted part must match as a phrase."""
    clauses: list[Clause] = []
    rest: list[str] = []
    position = 0
    for match in _QUOTED.finditer(text):
        rest.append(text[position : match.start()])
        clauses.extend(_phrase_clauses(_words(match[1])))
        position = match.end()
    rest.append(text[position:])
    clauses.extend(_word_clauses(_words(" ".join(rest))))
    unique = tuple(dict.fromkeys(clauses))[:MAX_QUERY_TERMS]
    return SearchQuery(unique)
