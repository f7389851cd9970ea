"""Delivery scheduling math: reading times and zones the way readers type them, and
finding the next instant a local wall-clock time comes round. Pure functions, no I/O.

DST rules for :func:`next_occurrence`:

* A local time that does not exist on a day (the spring-forward gap, e.g. 02:30 in
  New York on the second Sunday of March) fires at the first valid instant after the
  gap — the moment the clocks jump (03:00 EDT there), not an hour late and not skipped.
* A local time that happens twice (the fall-back overlap, e.g. 01:30 in New York on
  the first Sunday of November) fires once, at its first occurrence.
"""

from __future__ import annotations

import difflib
import math
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.errors import InvalidTime, InvalidTimezone

TIME_EXAMPLES = "07:30, 7am, 7:30pm, 19:30 or 오전 7시 30분"


# ---------------------------------------------------------------------------- times

_AM_WORDS = {"am", "a.m.", "오전", "아침"}
_PM_WORDS = {"pm", "p.m.", "오후", "저녁"}
_NAMED_TIMES = {"noon": time(12), "midnight": time(0), "정오": time(12), "자정": time(0)}
_PREFIX_RE = re.compile(r"^(오전|오후|아침|저녁)\s*")
_SUFFIX_RE = re.compile(r"\s*(a\.m\.|p\.m\.|am|pm)$")
_CLOCK_RE = re.compile(r"(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?")
_COMPACT_RE = re.compile(r"(?P<h>\d{1,2})(?P<m>\d{2})")
_KOREAN_RE = re.compile(r"(?P<h>\d{1,2})\s*시(?:\s*(?:(?P<m>\d{1,2})\s*분|(?P<half>반)))?")


def parse_time(text: str) -> time:
    """A time of day from what a reader typed: ``07:30``, ``7``, ``7am``, ``7:30 pm``,
    ``19:30``, ``1930``, ``noon``, ``7시``, ``오전 7시``, ``오후 7시 30분``, ``7시 반``.

    Raises :class:`~bot.errors.InvalidTime` saying what is wrong.
    """
    cleaned = re.sub(r"\s+", " ", text.strip().lower())
    if cleaned in _NAMED_TIMES:
        return _NAMED_TIMES[cleaned]
    meridiem: str | None = None
    if match := _PREFIX_RE.match(cleaned) or _SUFFIX_RE.search(cleaned):
        meridiem = "am" if match.group(1) in _AM_WORDS else "pm"
        cleaned = (cleaned[: match.start()] + cleaned[match.end() :]).strip()
    found = (
        _KOREAN_RE.fullmatch(cleaned)
        or _CLOCK_RE.fullmatch(cleaned)
        or _COMPACT_RE.fullmatch(cleaned)
    )
    if not found:
        raise InvalidTime(f"can't read {text.strip()!r} as a time of day; try {TIME_EXAMPLES}")
    groups = found.groupdict()
    hour = int(groups["h"])
    minute = 30 if groups.get("half") else int(groups["m"] or 0)
    if minute > 59:
        raise InvalidTime(f"{text.strip()!r}: minutes go from 00 to 59")
    if meridiem:
        if not 1 <= hour <= 12:
            raise InvalidTime(
                f"{text.strip()!r}: with am/pm (오전/오후) the hour goes from 1 to 12"
            )
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif hour > 23:
        raise InvalidTime(f"{text.strip()!r}: hours go from 0 to 23")
    return time(hour, minute)


# ---------------------------------------------------------------------------- zones

# Spellings readers use, beyond IANA names and their city parts (matched case-insensitively).
_ALIASES: dict[str, tuple[str, ...]] = {
    "America/New_York": ("EST", "EDT", "ET", "Eastern", "New York", "NYC", "Washington",
                         "Washington DC", "DC", "뉴욕", "워싱턴"),
    "America/Chicago": ("CDT", "Central", "Chicago", "시카고"),
    "America/Denver": ("MDT", "Mountain", "Denver"),
    "America/Los_Angeles": ("PST", "PDT", "PT", "Pacific", "California", "LA", "Los Angeles",
                            "San Francisco", "Seattle", "로스앤젤레스", "샌프란시스코"),
    "America/Toronto": ("Ottawa", "Canada"),
    "Pacific/Honolulu": ("Hawaii", "HST"),
    "Asia/Seoul": ("KST", "Korea", "South Korea", "Republic of Korea", "ROK", "Seoul", "서울",
                   "한국", "대한민국", "남한"),
    "Asia/Pyongyang": ("North Korea", "DPRK", "Pyongyang", "평양", "북한"),
    "Asia/Tokyo": ("JST", "Japan", "Tokyo", "도쿄", "일본"),
    "Asia/Shanghai": ("China", "PRC", "Beijing", "Peking", "베이징", "북경", "중국", "상하이"),
    "Asia/Hong_Kong": ("Hong Kong", "HK", "HKT", "홍콩"),
    "Asia/Taipei": ("Taiwan", "Taipei", "대만", "타이베이"),
    "Asia/Singapore": ("Singapore", "SGT", "싱가포르"),
    "Asia/Kolkata": ("India", "IST", "Delhi", "New Delhi", "Mumbai", "인도"),
    "Asia/Ho_Chi_Minh": ("Vietnam", "Hanoi", "Saigon", "베트남", "하노이"),
    "Asia/Ulaanbaatar": ("Mongolia", "몽골"),
    "Europe/London": ("BST", "UK", "Britain", "United Kingdom", "England", "London", "런던",
                      "영국"),
    "Europe/Berlin": ("CET", "CEST", "Germany", "Berlin", "베를린", "독일"),
    "Europe/Paris": ("France", "Paris", "파리", "프랑스"),
    "Europe/Brussels": ("Belgium", "Brussels", "브뤼셀", "벨기에"),
    "Europe/Zurich": ("Switzerland", "Geneva", "Zurich", "제네바", "스위스"),
    "Europe/Moscow": ("MSK", "Russia", "Moscow", "모스크바", "러시아"),
    "Australia/Sydney": ("AEST", "AEDT", "Sydney", "Canberra", "시드니", "호주"),
    "UTC": ("UTC", "GMT", "Z", "Zulu", "Universal"),
}  # fmt: skip
_CITY_REGIONS = {
    "Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
    "Pacific",
}  # fmt: skip
_OFFSET_RE = re.compile(r"(?:utc|gmt)?(?P<sign>[+\-−])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?")


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lower())


@cache
def _iana_names() -> dict[str, str]:
    """Lower-cased IANA name → the name as spelled by tzdata."""
    names = available_timezones() | {"UTC"}
    return {_key(name): name for name in sorted(names)}


@cache
def _spellings() -> dict[str, str]:
    """Every spelling we accept besides full IANA names → IANA name (aliases win)."""
    spellings: dict[str, str] = {}
    for name in _iana_names().values():
        region, _, city = name.rpartition("/")
        if region.split("/")[0] in _CITY_REGIONS:
            spellings.setdefault(_key(city), name)
    for name, aliases in _ALIASES.items():
        spellings[_key(name)] = name
        spellings.update((_key(alias), name) for alias in aliases)
    return spellings


def resolve_timezone(text: str) -> str:
    """The canonical IANA name for what a reader typed: an IANA name in any case
    (``asia/seoul``), a common alias (``KST``, ``서울``, ``EST``, ``London``), a city
    part (``Kolkata``) or a whole-hour offset (``UTC+9``, ``+09:00`` → ``Etc/GMT-9``).

    Raises :class:`~bot.errors.InvalidTimezone` with up to five suggestions.
    """
    key = _key(text)
    if not key:
        raise InvalidTimezone(text, detail="no time zone given")
    if offset := _OFFSET_RE.fullmatch(key.replace(" ", "")):
        return _offset_zone(text, offset)
    spelled = _spellings().get(key) or _iana_names().get(key)
    if spelled:
        return spelled
    raise InvalidTimezone(text, _suggest(key))


def _offset_zone(text: str, offset: re.Match[str]) -> str:
    sign = -1 if offset["sign"] in "-−" else 1
    hours, minutes = int(offset["h"]), int(offset["m"] or 0)
    if minutes or not -12 <= sign * hours <= 14:
        total = timedelta(hours=hours, minutes=minutes) * sign
        raise InvalidTimezone(
            text,
            _zones_at_offset(total),
            detail=f"{text.strip()!r} is not a whole-hour offset between -12 and +14; "
            "please name a city",
        )
    if hours == 0:
        return "UTC"
    # POSIX-style names invert the sign: Etc/GMT-9 is nine hours *ahead* of UTC.
    return f"Etc/GMT{'-' if sign > 0 else '+'}{hours}"


def _zones_at_offset(offset: timedelta) -> tuple[str, ...]:
    """Zones at ``offset`` right now, the ones readers name most often first."""
    now = datetime.now(UTC)
    names = [*_ALIASES, *sorted(set(_spellings().values()) - set(_ALIASES))]
    matching = [name for name in names if now.astimezone(ZoneInfo(name)).utcoffset() == offset]
    return tuple(matching[:5])


def _suggest(key: str) -> tuple[str, ...]:
    spellings, iana = _spellings(), _iana_names()
    candidates = {**iana, **spellings}
    queries = [key]
    if "/" in key:
        queries.append(key.rpartition("/")[2])
    suggestions: list[str] = []
    for cutoff in (0.75, 0.6, 0.45):
        for query in queries:
            for match in difflib.get_close_matches(query, candidates, n=10, cutoff=cutoff):
                if candidates[match] not in suggestions:
                    suggestions.append(candidates[match])
        if suggestions:
            break
    return tuple(suggestions[:5])


# ---------------------------------------------------------------------------- instants


def next_occurrence(local_time: time, tz: str, after: datetime) -> datetime:
    """The first instant strictly after ``after`` at which the wall clock in ``tz``
    shows ``local_time``, as an aware UTC datetime (DST rules in the module docstring).
    """
    _require_aware(after)
    zone = ZoneInfo(tz)
    wall = local_time.replace(tzinfo=None)
    start = after.astimezone(zone).date()
    # Tomorrow always works, except where a whole day was skipped (Samoa, 2011).
    for days in range(4):
        instant = _instant_of(datetime.combine(start + timedelta(days=days), wall), zone)
        if instant > after:
            return instant
    raise AssertionError(f"no occurrence of {local_time} in {tz} within four days")


def local_date_of(instant: datetime, tz: str) -> date:
    """The date the reader in ``tz`` sees at ``instant`` — the edition date."""
    _require_aware(instant)
    return instant.astimezone(ZoneInfo(tz)).date()


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {value!r}")


def _instant_of(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant for a local wall time: the first one if it happens twice, the
    end of the gap if it doesn't happen at all."""
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In a gap, fold=0 maps with the offset before the jump (an instant after it) and
    # fold=1 with the offset after it (an instant before it); the jump lies between.
    earlier = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return _transition(earlier, first, zone)


def _transition(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first second in (before, after] whose UTC offset differs from before's."""
    offset = before.astimezone(zone).utcoffset()
    low, high = math.floor(before.timestamp()), math.ceil(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == offset:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)
