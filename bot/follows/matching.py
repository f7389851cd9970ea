"""Does an item mention what a chat follows? Substring and alias matching, no patterns.

Each term of a follow (:mod:`.query`) is looked for with its aliases (:mod:`.aliases`);
an item matches when every term is found in its headline or lede, in either language:

* a term with Korean (any non-ASCII letter) is a substring of the text with its spaces
  removed, so 김여정 is found in 김여정이 and 김여정 부부장은, and "위성 발사" in 위성발사;
* an English term is a run of words, each the start of a word of the text or the same
  word once lightly stemmed: "launch" finds "launches" and "launched", "sanction" finds
  "Sanctions", "Kim Yo Jong" finds "Kim Yo-jong's", but "ROK" is not found in "Brokers".

Both sides are normalised alike (:func:`.query.normalize`), and the comparisons are
``in`` and ``startswith`` on plain strings: no regular expression is built from a
reader's text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from bot.follows.aliases import aliases_of, is_known_name
from bot.follows.query import FollowQuery, normalize, parse_follow
from bot.text import light_stem

__all__ = ["FollowMatcher", "Haystack", "Needle", "matcher_for"]


@dataclass(frozen=True, slots=True)
class Haystack:
    """An item's headline and lede, prepared once for every follow to look in."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    spaced: str
    """The words with a space before each and after the last: " kim yo jong s "."""
    compact: str
    """The words run together: where Korean terms are looked for."""

    @classmethod
    def of(cls, *texts: str) -> Haystack:
        words = tuple(normalize(" ".join(texts)).split())
        return cls(
            words=words,
            stems=tuple(map(light_stem, words)),
            spaced=" " + " ".join(words) + " ",
            compact="".join(words),
        )


@dataclass(frozen=True, slots=True)
class Needle:
    """One form of a term: the name followed, or one of its aliases."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    compact: str
    korean: bool
    """Looked for as a substring of the compact text, not as words."""

    @classmethod
    def of(cls, name: str) -> Needle:
        words = tuple(name.split())
        korean = any(not char.isascii() and char.isalpha() for char in name)
        return cls(words, tuple(map(light_stem, words)), "".join(words), korean)

    def found_in(self, haystack: Haystack) -> bool:
        if self.korean:
            return self.compact in haystack.compact
        first, first_stem = self.words[0], self.stems[0]
        if f" {first}" not in haystack.spaced and first_stem not in haystack.stems:
            return False  # the usual case, decided without a scan
        size = len(self.words)
        for start in range(len(haystack.words) - size + 1):
            if all(
                _same_word(haystack.words[start + n], haystack.stems[start + n], word, stem)
                for n, (word, stem) in enumerate(zip(self.words, self.stems, strict=True))
            ):
                return True
        return False


def _same_word(text_word: str, text_stem: str, word: str, stem: str) -> bool:
    return text_word.startswith(word) or text_stem == stem


Slot = tuple[Needle, ...]
"""A word or name and its aliases: any of them found fills the slot."""
Clause = tuple[tuple[Slot, ...], ...]
"""Ways to satisfy one term: any of them, each a set of slots all filled."""


@dataclass(frozen=True, slots=True)
class FollowMatcher:
    """A follow ready to match: a clause per term, every clause satisfied.

    A term's clause is the term or any of its aliases. Plain words that together make a
    known name (``/follow Kim Yo Jong`` unquoted) form one clause: all of the words, or
    any alias of the name (김여정), so a name need not be quoted to match across languages.
    """

    clauses: tuple[Clause, ...]

    @classmethod
    def of(cls, query: FollowQuery) -> FollowMatcher:
        clauses: list[Clause] = []
        terms = query.terms
        start = 0
        while start < len(terms):
            for end in range(len(terms), start + 1, -1):
                name = " ".join(terms[start:end])
                if is_known_name(name):
                    words = tuple(_slot(term) for term in terms[start:end])
                    clauses.append((words, (_slot(name),)))
                    start = end
                    break
            else:
                clauses.append(((_slot(terms[start]),),))
                start += 1
        return cls(tuple(clauses))

    def matches(self, haystack: Haystack) -> bool:
        """Every clause satisfied: each term found, by itself or by one of its aliases."""
        return all(
            any(all(_filled(slot, haystack) for slot in way) for way in clause)
            for clause in self.clauses
        )

    def matches_any(self, haystacks: Iterable[Haystack]) -> bool:
        return any(self.matches(haystack) for haystack in haystacks)


def _slot(term: str) -> Slot:
    return tuple(Needle.of(name) for name in aliases_of(term))


def _filled(slot: Slot, haystack: Haystack) -> bool:
    return any(needle.found_in(haystack) for needle in slot)


@functools.lru_cache(maxsize=4096)
def matcher_for(key: str) -> FollowMatcher:
    """The matcher of a stored follow (its :attr:`~.query.FollowQuery.key`), built once
    for every chat that follows the same thing."""
    return FollowMatcher.of(parse_follow(key))
