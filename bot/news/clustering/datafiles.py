"""The clustering's word lists, read once from the package's ``data/`` directory.

Stop words and particles are data, tuned apart from the code that uses them; keeping them
in plain text files lets a change to a list be read, diffed and reviewed as a list. Each
file is checked as it is read: a bad entry raises :class:`~bot.errors.DataFileError`
naming the file and the line, so a typo fails the first clustering run (and the tests),
not the quality of every briefing after it. The gazetteer's own format is read in
:mod:`.concepts` with :func:`numbered_lines`.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterator

from bot.errors import DataFileError
from bot.text import HANGUL_SYLLABLES

__all__ = [
    "english_stop_words",
    "korean_particles",
    "korean_stop_bigrams",
    "numbered_lines",
    "parse_words",
    "read_data_file",
]

_ENGLISH_WORD = re.compile(r"[a-z][a-z0-9']*")
_HANGUL_BIGRAM = re.compile(f"[{HANGUL_SYLLABLES}]{{2}}")
_HANGUL_WORD = re.compile(f"[{HANGUL_SYLLABLES}]+")


def read_data_file(name: str) -> tuple[str, str]:
    """(text, origin) of ``data/<name>``; the origin names the file in error messages."""
    resource = importlib.resources.files("bot.news.clustering").joinpath("data", name)
    return resource.read_text(encoding="utf-8"), f"bot/news/clustering/data/{name}"


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, content) of each line with content; ``#`` starts a comment."""
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.partition("#")[0].strip()
        if content:
            yield number, content


def parse_words(text: str, origin: str, pattern: re.Pattern[str], expected: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, each a full match of ``pattern``.

    Raises ``DataFileError`` at the first word that is not, or that is listed twice;
    ``expected`` says what a word should be ("a lower-case English word").
    """
    seen: dict[str, int] = {}
    for number, content in numbered_lines(text):
        for word in content.split():
            if not pattern.fullmatch(word):
                raise DataFileError(origin, number, f"{word!r} is not {expected}")
            if word in seen:
                raise DataFileError(origin, number, f"{word!r} is already on line {seen[word]}")
            seen[word] = number
    return frozenset(seen)


def _word_file(name: str, pattern: re.Pattern[str], expected: str) -> frozenset[str]:
    text, origin = read_data_file(name)
    return parse_words(text, origin, pattern, expected)


@functools.cache
def english_stop_words() -> frozenset[str]:
    """English words too common to tell stories apart, as written (not stemmed)."""
    return _word_file("stopwords_en.txt", _ENGLISH_WORD, "a lower-case English word")


@functools.cache
def korean_stop_bigrams() -> frozenset[str]:
    """Hangul bigrams too common in Korean news to tell stories apart."""
    return _word_file("stopwords_ko.txt", _HANGUL_BIGRAM, "two Hangul syllables")


@functools.cache
def korean_particles() -> frozenset[str]:
    """Endings stripped from a Hangul word before its bigrams are taken."""
    return _word_file("particles_ko.txt", _HANGUL_WORD, "Hangul syllables")
