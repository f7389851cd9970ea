"""How close a mistyped word is to the one meant: for "did you mean" replies.

Used for commands (``/subscrbe`` → ``/subscribe``) and time-zone names (``Londn`` →
London, ``뉴옥`` → 뉴욕). Distances count an adjacent swap as one edit, the commonest typo.
Korean is compared letter by letter (jamo), not by syllable: ``뉴옥`` and ``뉴욕`` differ in
one vowel out of five letters, but in one syllable out of two.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def edit_distance(a: str, b: str, *, limit: int | None = None) -> int:
    """Insertions, deletions, substitutions and adjacent swaps turning ``a`` into ``b``
    (the optimal string alignment distance).

    With ``limit``, any distance above it comes back as ``limit + 1``, found sooner: the
    work stops once every alignment of a prefix already costs more.
    """
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
        # A swap reaches back two rows, so stop only when both are beyond the limit.
        if limit is not None and min(previous) > limit and min(previous2) > limit:
            return limit + 1
    return previous[-1] if limit is None else min(previous[-1], limit + 1)


def letters(text: str) -> str:
    """``text`` lower-cased, with Hangul syllables split into their jamo."""
    return unicodedata.normalize("NFD", text.casefold())


def similarity(a: str, b: str) -> float:
    """1.0 for the same word, 0.0 for nothing in common, by edits per letter."""
    a, b = letters(a), letters(b)
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1.0 - edit_distance(a, b) / longest


def closest(word: str, candidates: Iterable[str], *, max_distance: int) -> list[str]:
    """The candidates nearest to ``word`` (all those tied), if within ``max_distance``."""
    target = letters(word)
    scored = [(edit_distance(target, letters(c)), c) for c in candidates]
    within = [(d, c) for d, c in scored if d <= max_distance]
    if not within:
        return []
    best = min(d for d, _ in within)
    return [c for d, c in within if d == best]
