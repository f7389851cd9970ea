"""What a reader follows: the text of ``/follow`` as terms that must all appear.

::

    /follow 김여정                    → 김여정
    /follow "Kim Yo Jong"             → kim yo jong        (one phrase: these words in order)
    /follow satellite launch          → satellite, launch  (both words, anywhere)
    /follow "Kim Yo Jong" statement   → kim yo jong, statement

Text is normalised (:func:`normalize`): NFKC, case folded, every run of punctuation and
spaces one space. "Kim Yo-jong" and "kim yo jong" are one term, and what a reader types
is never a pattern: ``.*`` or ``(`` are punctuation like any other. An unquoted word with
punctuation inside ("Yo-jong", "U.S.") is a phrase of its parts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.errors import EmptyFollow, FollowTooLong

__all__ = ["MAX_FOLLOW_CHARS", "MAX_TERMS", "FollowQuery", "normalize", "parse_follow"]

MAX_FOLLOW_CHARS = 100
"""Characters of a follow as typed: enough for a few names, short in the /follows list."""
MAX_TERMS = 6
"""Terms of one follow; every one must appear, so more would rarely match anything."""

_SEPARATORS = re.compile(r"[\W_]+")
_QUOTES = re.compile('["“”„«»「」『』]')


def normalize(text: str) -> str:
    """``text`` as follows compare it: NFKC, case folded, words separated by one space."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SEPARATORS.sub(" ", folded).strip()


@dataclass(frozen=True, slots=True)
class FollowQuery:
    """A parsed follow: each term normalised, a phrase being several words in one term."""

    terms: tuple[str, ...]
    """In the order typed, without repeats."""
    label: str
    """As the reader typed it (spaces collapsed): how the bot names the follow."""

    @property
    def key(self) -> str:
        """The follow's identity in a chat: its terms sorted, phrases quoted.

        "satellite launch" and "launch satellite" are one follow; the key parses back to
        itself, so ``/unfollow`` takes what ``/follows`` shows.
        """
        return " ".join(f'"{term}"' if " " in term else term for term in sorted(self.terms))


def parse_follow(text: str) -> FollowQuery:
    """The follow in ``text``; raises ``EmptyFollow`` (no words) or ``FollowTooLong``.

    Quotes (straight, curly, guillemets, 「」) enclose a phrase; an unclosed quote runs to
    the end.
    """
    label = " ".join(text.split())
    if len(label) > MAX_FOLLOW_CHARS:
        raise FollowTooLong(f"{len(label)} characters, at most {MAX_FOLLOW_CHARS}")
    terms: list[str] = []
    for position, segment in enumerate(_QUOTES.split(label)):
        quoted = position % 2 == 1
        pieces = [segment] if quoted else segment.split()
        terms.extend(term for term in map(normalize, pieces) if term)
    unique = tuple(dict.fromkeys(terms))
    if not unique:
        raise EmptyFollow(f"no words in {text!r}")
    if len(unique) > MAX_TERMS:
        raise FollowTooLong(f"{len(unique)} terms, at most {MAX_TERMS}")
    return FollowQuery(unique, label)
