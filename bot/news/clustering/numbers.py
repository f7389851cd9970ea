"""Numbers as tokens that read the same in English and Korean.

``600㎞`` and ``600 km`` both become ``#600km``; ``1만4천`` and ``14,000`` both ``#14000``;
"two" is ``#2``. A number with a unit, or of 100 or more, is specific enough to be an
entity (it bridges the languages); dates, clock times and bare years are skipped, since
every story of a day shares them. The units and scales live here with the patterns that
read them, not in a data file: each entry needs its place in a regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["NUMBER_WORDS", "UNITS", "english_numbers", "korean_numbers"]

NUMBER_WORDS = {"one": "#1", "two": "#2", "three": "#3", "four": "#4", "five": "#5"}
_MONTHS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec january february march april may
    june july august september october november december""".split()  # noqa: SIM905
)
UNITS = {
    "%": "pct", "percent": "pct", "pct": "pct", "퍼센트": "pct", "%p": "pp", "%포인트": "pp",
    "percentage point": "pp", "percentage points": "pp", "km": "km", "kilometer": "km",
    "kilometers": "km", "kilometre": "km", "kilometres": "km", "킬로미터": "km", "t": "t",
    "톤": "t", "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t",
}  # fmt: skip
_SCALES = {
    "million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9, "trillion": 1e12,
    "조": 1e12, "억": 1e8, "만": 1e4, "천": 1e3,
}  # fmt: skip

_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*(%|percentage points?|percent|pct|kilomet(?:er|re)s?|km"
    r"|tonnes?|tons?|t\b|million|mln|billion|bln|trillion)?(?!\w)",
    re.IGNORECASE,
)
_KO_NUMBER = re.compile(r"(?:\d[\d,]*(?:\.\d+)?[조억만천]?)+(?:%p|%포인트|%|km|킬로미터|톤|t|여)?")
_KO_NUMBER_PART = re.compile(r"(\d[\d,]*(?:\.\d+)?)([조억만천]?)")
_KO_DATE_AFTER = re.compile(r"\s*(?:일|월|년|시|분|∼|~|-)")


def _number_token(value: float, unit: str | None) -> str:
    return f"#{value:.6g}{unit or ''}"


def english_numbers(text: str) -> Iterator[tuple[str, bool]]:
    """(token, is_entity) for each number; dates, clock times and years are skipped."""
    text = _CLOCK.sub(" ", text)
    for match in _EN_NUMBER.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()].split()
        if before and before[-1].lower().rstrip(".,") in _MONTHS:
            continue
        value = float(match.group(1).replace(",", ""))
        suffix = (match.group(2) or "").lower()
        if not suffix and "," not in match.group(1) and 1900 <= value <= 2100:
            continue
        value *= _SCALES.get(suffix, 1.0)
        unit = UNITS.get(suffix)
        yield _number_token(value, unit), unit is not None or value >= 100


def korean_numbers(text: str) -> Iterator[tuple[str, bool]]:
    """Like ``english_numbers``, reading 만/억/조 (2만8천500 → 28500) and 여 (100여)."""
    for match in _KO_NUMBER.finditer(text):
        if _KO_DATE_AFTER.match(text, match.end()):
            continue
        total = section = 0.0
        for digits, scale in _KO_NUMBER_PART.findall(match.group(0)):
            value = float(digits.replace(",", ""))
            if scale == "천":
                section += value * 1e3
            elif scale:
                total += (section + value) * _SCALES[scale]
                section = 0.0
            else:
                section += value
        total += section
        unit = UNITS.get(match.group(0).lstrip("0123456789,.조억만천").removesuffix("여"))
        yield _number_token(total, unit), unit is not None or total >= 100
