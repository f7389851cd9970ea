"""Delivery scheduling math: reading times and zones the way readers type them, and
finding the next instant a local wall-clock time comes round. Pure functions, no I/O.

DST rules for :func:`next_occurrence`:

* A local time that does not exist on a day (the spring-forward gap, e.g. 02:30 in
  New York on the second Sunday of March) fires at the first valid instant after the
  gap — the moment the clocks jump (03:00 EDT there), not an hour late and not skipped.
* A local time that happens twice (the fall-back overlap, e.g. 01:30 in New York on
  the first Sunday of November) fires once, at its first occurrence.

:func:`next_delivery` adds the reader's frequency: the days are the reader's local
calendar days, so a weekdays reader in New York gets nothing on a Saturday there, even
when it is already Monday in Seoul.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.delivery.zonenames import zone_names
from bot.errors import InvalidTime, InvalidTimezone
from bot.models import DEFAULT_WEEKDAY, Frequency
from bot.spelling import edit_distance, letters

TIME_EXAMPLES = "07:30, 7am, 7:30pm, 19:30, 오전 7시 30분 or 오후 7시 반"


# ---------------------------------------------------------------------------- times

# The Korean words for parts of the day say which half of the clock an hour is in; 밤
# (night) and 새벽 (small hours) cross midnight, so each word maps hours 1–12 on its own.
_MERIDIEM_HOURS: dict[str, tuple[int, ...]] = {
    "am": (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0),
    "pm": (13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 12),
    "밤": (1, 2, 3, 4, 5, 18, 19, 20, 21, 22, 23, 0),  # 밤 12시 is midnight, 밤 2시 02:00
    "낮": (13, 14, 15, 16, 17, 18, 7, 8, 9, 10, 11, 12),  # 낮 12시 is noon, 낮 2시 14:00
}
_MERIDIEM_WORDS = {
    "am": "am", "a.m.": "am", "오전": "am", "아침": "am", "새벽": "am",
    "pm": "pm", "p.m.": "pm", "오후": "pm", "저녁": "pm",
    "밤": "밤", "낮": "낮",
}  # fmt: skip
_NAMED_TIMES = {"noon": time(12), "midnight": time(0), "정오": time(12), "자정": time(0)}
_PREFIX_RE = re.compile(r"^(오전|오후|아침|저녁|새벽|밤|낮)\s*")
_SUFFIX_RE = re.compile(r"\s*(a\.m\.|p\.m\.|am|pm)$")
_CLOCK_RE = re.compile(r"(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?")
_COMPACT_RE = re.compile(r"(?P<h>\d{1,2})(?P<m>\d{2})")
_KOREAN_RE = re.compile(
    r"(?P<h>\d{1,2})\s*시(?:\s*(?:(?P<m>\d{1,2})\s*분|(?P<half>반)|정각))?(?:\s*에)?"
)
# Hours are counted in native Korean words as often as in digits: 일곱 시, 열두 시.
_NATIVE_HOURS = {
    "열두": 12, "열한": 11, "열": 10, "아홉": 9, "여덟": 8, "일곱": 7, "여섯": 6,
    "다섯": 5, "네": 4, "세": 3, "두": 2, "한": 1,
}  # fmt: skip
_NATIVE_HOUR_RE = re.compile(rf"(?<![가-힣])({'|'.join(_NATIVE_HOURS)})(?=\s*시)")
MAX_TIME_WORDS = 5
"""The longest time readers write as separate words: 오후 7 시 30 분, 오후 일곱 시 반."""


def parse_time(text: str) -> time:
    """A time of day from what a reader typed: ``07:30``, ``7``, ``7am``, ``7:30 pm``,
    ``19:30``, ``1930``, ``noon``, ``7시``, ``오전 7시``, ``오후 7시 30분``, ``7시 반``,
    ``오후 7:30``, ``밤 10시``, ``새벽 5시``, ``아침 일곱 시 반``.

    Raises :class:`~bot.errors.InvalidTime` saying what is wrong.
    """
    cleaned = re.sub(r"\s+", " ", text.strip().lower())
    cleaned = _NATIVE_HOUR_RE.sub(lambda word: str(_NATIVE_HOURS[word[1]]), cleaned)
    if cleaned in _NAMED_TIMES:
        return _NAMED_TIMES[cleaned]
    meridiem: str | None = None
    if match := _PREFIX_RE.match(cleaned) or _SUFFIX_RE.search(cleaned):
        meridiem = _MERIDIEM_WORDS[match.group(1)]
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
        hour = _MERIDIEM_HOURS[meridiem][hour - 1]
    elif hour > 23:
        raise InvalidTime(f"{text.strip()!r}: hours go from 0 to 23")
    return time(hour, minute)


# ---------------------------------------------------------------------------- zones

_CITY_REGIONS = {
    "Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
    "Pacific",
}  # fmt: skip
_OFFSET_RE = re.compile(r"(?:utc|gmt)?(?P<sign>[+\-−])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?")
# "런던 시간", "서울시", "Seoul time": what people add to a place when they mean its clock.
_CLOCK_SUFFIX_RE = re.compile(r"\s*(?:standard time|time|표준시|시간|기준|시)$")
_MAX_SUGGESTIONS = 4
_SUGGESTION_CUTOFF = 0.75
"""Similarity (``bot.spelling``) a name needs to be offered: one typo in four letters."""


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lower())


@cache
def _iana_names() -> dict[str, str]:
    """Lower-cased IANA name → the name as spelled by tzdata."""
    names = available_timezones() | {"UTC"}
    return {_key(name): name for name in sorted(names)}


def is_zone_name(name: str) -> bool:
    """True for an IANA name exactly as tzdata spells it (``Asia/Seoul``, not ``asia/seoul``)."""
    return _iana_names().get(_key(name)) == name


@cache
def _spellings() -> dict[str, str]:
    """Every spelling we accept besides full IANA names → IANA name (the city table wins)."""
    spellings: dict[str, str] = {}
    for name in _iana_names().values():
        region, _, city = name.rpartition("/")
        if region.split("/")[0] in _CITY_REGIONS:
            spellings.setdefault(_key(city), name)
    for entry in reversed(zone_names().values()):  # earlier entries win a shared alias
        spellings.update((_key(spelling), entry.zone) for spelling in entry.spellings)
    return spellings


def resolve_timezone(text: str) -> str:
    """The canonical IANA name for what a reader typed: an IANA name in any case
    (``asia/seoul``), a city or another name from the zone table in English or Korean
    (``KST``, ``London``, ``서울``, ``런던 시간``), the city part of any IANA name
    (``Kolkata``) or a whole-hour offset (``UTC+9``, ``+09:00`` → ``Etc/GMT-9``).

    Raises :class:`~bot.errors.InvalidTimezone` with the plausible zones, if any.
    """
    key = _key(text)
    if not key:
        raise InvalidTimezone(text, detail="no time zone given")
    if offset := _OFFSET_RE.fullmatch(key.replace(" ", "")):
        return _offset_zone(text, offset)
    bare = _CLOCK_SUFFIX_RE.sub("", key)
    for candidate in (key, bare):
        if spelled := _spellings().get(candidate) or _iana_names().get(candidate):
            return spelled
    raise InvalidTimezone(text, suggest_timezones(bare or key))


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
    table = list(zone_names())
    names = [*table, *sorted(set(_spellings().values()) - set(table))]
    matching = [name for name in names if now.astimezone(ZoneInfo(name)).utcoffset() == offset]
    return tuple(matching[:_MAX_SUGGESTIONS])


def suggest_timezones(text: str) -> tuple[str, ...]:
    """Zones whose names are near misses of ``text`` (a typo, in either language), best
    first; none when nothing is close — "Mars/Olympus" is no zone, and Omsk no guess.
    """
    key = _key(text)
    queries = {letters(query) for query in (key, key.rpartition("/")[2]) if query}
    best: dict[str, float] = {}
    for spelled, zone in _spelled_letters():
        for query in queries:
            longest = max(len(query), len(spelled))
            allowed = int(longest * (1 - _SUGGESTION_CUTOFF))
            score = 1 - edit_distance(query, spelled, limit=allowed) / longest
            if score >= _SUGGESTION_CUTOFF and score > best.get(zone, 0.0):
                best[zone] = score
    rank = {zone: i for i, zone in enumerate(zone_names())}
    ordered = sorted(best, key=lambda zone: (-best[zone], rank.get(zone, len(rank)), zone))
    return tuple(ordered[:_MAX_SUGGESTIONS])


@cache
def _spelled_letters() -> tuple[tuple[str, str], ...]:
    """Every accepted name as letters (``bot.spelling.letters``) with its zone."""
    names = {**_iana_names(), **_spellings()}
    return tuple((letters(spelling), zone) for spelling, zone in names.items())


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


def delivers_on(day: date, frequency: Frequency, weekday: int = DEFAULT_WEEKDAY) -> bool:
    """Whether a reader with ``frequency`` gets a briefing on their local ``day``."""
    if frequency is Frequency.WEEKDAYS:
        return day.weekday() < 5
    if frequency is Frequency.WEEKLY:
        return day.weekday() == weekday
    return True


def next_delivery(
    local_time: time,
    tz: str,
    after: datetime,
    frequency: Frequency = Frequency.DAILY,
    weekday: int = DEFAULT_WEEKDAY,
) -> datetime:
    """The first instant strictly after ``after`` at which a reader with ``frequency`` is
    due: ``local_time`` in ``tz`` on a day they get the briefing (as UTC; DST rules in the
    module docstring). A day missed is never made up: this is always the next one due."""
    _require_aware(after)
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday {weekday} is not 0 (Monday) to 6 (Sunday)")
    zone = ZoneInfo(tz)
    wall = local_time.replace(tzinfo=None)
    start = after.astimezone(zone).date()
    # A week and a day covers every frequency, and a day skipped by the calendar (Samoa).
    for days in range(10):
        day = start + timedelta(days=days)
        if not delivers_on(day, frequency, weekday):
            continue
        instant = _instant_of(datetime.combine(day, wall), zone)
        if instant > after:
            return instant
    raise AssertionError(f"no {frequency} delivery at {local_time} in {tz} within ten days")


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
