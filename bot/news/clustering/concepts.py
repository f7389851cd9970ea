"""The bilingual concept gazetteer: key terms of both languages mapped to shared concepts.

TF-IDF over words cannot see that 탄도미사일 and "ballistic missile" are one thing; the
gazetteer (``data/concepts.txt``, whose header describes the format) maps both to
``BALLISTIC_MISSILE``, an entity token that English and Korean reports of one event
share. English phrases match stemmed words, Korean terms the text with spaces removed;
where matches overlap, the longest wins.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bot.errors import DataFileError
from bot.news.clustering.datafiles import numbered_lines, read_data_file
from bot.text import light_stem

__all__ = [
    "ConceptLine",
    "Gazetteer",
    "concept_lines",
    "english_concepts",
    "gazetteer",
    "gazetteer_lines",
    "korean_concepts",
    "parse_concepts",
]

_CONCEPT = re.compile(r"[A-Z][A-Z0-9_]*")
_ENGLISH_WORD = re.compile(r"[a-z][a-z0-9']*")
_LAYOUT = "expected 'CONCEPT [CONCEPT…] | English phrases; … | Korean terms; …'"


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The concepts, indexed for matching."""

    english: dict[str, dict[tuple[str, ...], tuple[str, ...]]]
    """First stemmed word → {stemmed phrase: concepts}."""
    korean: dict[str, tuple[str, ...]]
    """Term without spaces → concepts."""
    korean_terms: re.Pattern[str]
    """Matches any Korean term, the longest where several start at one place: the terms
    as a trie, each branch optional and greedy, so one scan finds them all."""
    general: frozenset[str]
    """Concepts a line lists after its first: the general ones a specific term implies
    (MISSILE for BALLISTIC_MISSILE), weaker evidence than the specific concept itself."""


@dataclass(frozen=True, slots=True)
class ConceptLine:
    """One line of a gazetteer file, as written: its concepts and the names it gives them.

    Follows (:mod:`bot.follows.aliases`) read these as aliases across languages, so the
    surface forms are kept (the English phrases unstemmed, the Korean terms with spaces).
    """

    line: int
    concepts: tuple[str, ...]
    english: tuple[str, ...]
    korean: tuple[str, ...]


def concept_lines(text: str, origin: str) -> Iterator[ConceptLine]:
    """The lines of a gazetteer file, each checked alone; a bad one raises
    ``DataFileError`` naming ``origin`` (see :func:`parse_concepts` for what is bad)."""
    for line, content in numbered_lines(text):
        columns = content.split("|")
        if len(columns) != 3:
            raise DataFileError(origin, line, _LAYOUT)
        names, en, ko = (column.strip() for column in columns)
        concepts = tuple(names.split())
        if not concepts:
            raise DataFileError(origin, line, f"no concept; {_LAYOUT}")
        for name in concepts:
            if not _CONCEPT.fullmatch(name):
                raise DataFileError(origin, line, f"{name!r} is not an upper-case CONCEPT_NAME")
        phrases = tuple(p.strip() for p in en.split(";") if p.strip())
        terms = tuple(t.strip() for t in ko.split(";") if t.strip())
        if not phrases and not terms:
            raise DataFileError(origin, line, "no English phrase and no Korean term")
        for phrase in phrases:
            if not all(_ENGLISH_WORD.fullmatch(word) for word in phrase.replace("-", " ").split()):
                raise DataFileError(origin, line, f"{phrase!r} is not lower-case English words")
        for term in terms:
            if term.isascii():
                raise DataFileError(origin, line, f"{term!r} in the Korean column is not Korean")
        yield ConceptLine(line, concepts, phrases, terms)


def parse_concepts(text: str, origin: str) -> Gazetteer:
    """The gazetteer in ``text``; a bad line raises ``DataFileError`` naming ``origin``.

    A line is bad when it does not have three ``|``-separated columns, names no concept or
    a malformed one, lists nothing in either language, has an English phrase that is not
    lower-case words or a Korean term without a non-ASCII character, or maps a phrase or
    term already mapped to other concepts on an earlier line.
    """
    english: dict[str, dict[tuple[str, ...], tuple[str, ...]]] = {}
    korean: dict[str, tuple[str, ...]] = {}
    where: dict[tuple[str, ...] | str, tuple[int, tuple[str, ...]]] = {}
    general: set[str] = set()

    def claim(key: tuple[str, ...] | str, shown: str, line: int, concepts: tuple[str, ...]) -> None:
        first_line, first_concepts = where.setdefault(key, (line, concepts))
        if first_concepts != concepts:
            mapped = " ".join(first_concepts)
            problem = f"{shown!r} is already mapped to {mapped} on line {first_line}"
            raise DataFileError(origin, line, problem)

    for entry in concept_lines(text, origin):
        concepts = entry.concepts
        general.update(concepts[1:])
        for phrase in entry.english:
            words = tuple(light_stem(word) for word in phrase.replace("-", " ").split())
            claim(words, phrase, entry.line, concepts)
            english.setdefault(words[0], {})[words] = concepts
        for term in entry.korean:
            compact = term.replace(" ", "")
            claim(compact, term, entry.line, concepts)
            korean[compact] = concepts

    return Gazetteer(english, korean, _trie_pattern(korean), frozenset(general))


def _trie_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """A regex matching any of ``terms``, longest first, built as a trie: "탄도" and
    "탄도미사일" become ``탄도(?:미사일)?``, so the engine never retries a prefix."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}  # a term ends here

    def pattern(node: dict[str, Any]) -> str:
        branches = [
            re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(pattern(trie) or "(?!)")


@functools.cache
def gazetteer() -> Gazetteer:
    """The packaged gazetteer, ``data/concepts.txt``, read once."""
    return parse_concepts(*read_data_file("concepts.txt"))


@functools.cache
def gazetteer_lines() -> tuple[ConceptLine, ...]:
    """The packaged gazetteer's lines as written (names, not the matching index)."""
    return tuple(concept_lines(*read_data_file("concepts.txt")))


def english_concepts(words: list[str]) -> Iterator[str]:
    """Concepts of stemmed English ``words``, longest phrase first at each position."""
    english = gazetteer().english
    i = 0
    while i < len(words):
        phrases = english.get(words[i])
        if phrases:
            for size in sorted({len(p) for p in phrases}, reverse=True):
                concepts = phrases.get(tuple(words[i : i + size]))
                if concepts is not None:
                    yield from concepts
                    i += size
                    break
            else:
                i += 1
        else:
            i += 1


def korean_concepts(text: str) -> Iterator[str]:
    """Concepts of Korean ``text``, matched with its spaces removed, longest term first."""
    found = gazetteer()
    for match in found.korean_terms.finditer("".join(text.split())):
        yield from found.korean[match.group()]
