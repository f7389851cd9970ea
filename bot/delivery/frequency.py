"""How often a reader gets the briefing, read the way readers type it: ``daily``,
``weekdays``, ``weekly``, ``weekly fri``, ``friday``, ``매일``, ``평일``, ``매주 금요일``.

The day of a weekly briefing is a ``date.weekday()`` number (0 = Monday).
"""

from __future__ import annotations

import re

from bot.errors import InvalidFrequency
from bot.models import Frequency

FREQUENCY_EXAMPLES = "daily, weekdays, weekly, weekly fri, 매일, 평일, 매주 금요일"

_FREQUENCY_WORDS: dict[str, Frequency] = {
    "daily": Frequency.DAILY, "day": Frequency.DAILY, "everyday": Frequency.DAILY,
    "every day": Frequency.DAILY, "매일": Frequency.DAILY, "날마다": Frequency.DAILY,
    "weekdays": Frequency.WEEKDAYS, "weekday": Frequency.WEEKDAYS,
    "workdays": Frequency.WEEKDAYS, "평일": Frequency.WEEKDAYS, "주중": Frequency.WEEKDAYS,
    "주5일": Frequency.WEEKDAYS, "주 5일": Frequency.WEEKDAYS,
    "weekly": Frequency.WEEKLY, "week": Frequency.WEEKLY, "every week": Frequency.WEEKLY,
    "once a week": Frequency.WEEKLY, "매주": Frequency.WEEKLY, "주간": Frequency.WEEKLY,
    "주 1회": Frequency.WEEKLY, "주1회": Frequency.WEEKLY, "일주일에 한 번": Frequency.WEEKLY,
}  # fmt: skip
_WEEKLY_PREFIXES = ("once a week on", "every week on", "weekly on", "weekly", "every", "매주")
"""Words before a day that say "weekly on it", longest first."""
_ENGLISH_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_KOREAN_DAYS = "월화수목금토일"
_KOREAN_DAY_RE = re.compile(rf"([{_KOREAN_DAYS}])(?:요일)?(?:마다|에)?")


def parse_weekday(text: str) -> int | None:
    """``mon``, ``Monday``, ``mondays``, ``on fri``, ``월``, ``월요일`` → a day number; None
    for anything else."""
    word = text.strip().lower().removeprefix("on ").strip().rstrip(".")
    if match := _KOREAN_DAY_RE.fullmatch(word):
        return _KOREAN_DAYS.index(match[1])
    for number, name in enumerate(_ENGLISH_DAYS):
        if len(word) >= 3 and (name.startswith(word) or word in (f"{name}s", f"{name[:3]}s")):
            return number
    return None


def parse_frequency(text: str) -> tuple[Frequency, int | None]:
    """The frequency and, for a weekly one, the day if the reader named one.

    A day alone (``friday``, ``금요일``) means weekly on that day. Raises
    :class:`~bot.errors.InvalidFrequency` for anything else.
    """
    cleaned = re.sub(r"\s+", " ", text.strip().lower())
    if frequency := _FREQUENCY_WORDS.get(cleaned):
        return frequency, None
    if (day := parse_weekday(cleaned)) is not None:
        return Frequency.WEEKLY, day
    for prefix in _WEEKLY_PREFIXES:
        rest = cleaned.removeprefix(prefix).strip()
        if rest != cleaned and rest and (day := parse_weekday(rest)) is not None:
            return Frequency.WEEKLY, day
    raise InvalidFrequency(f"can't read {text.strip()!r} as a frequency; try {FREQUENCY_EXAMPLES}")
