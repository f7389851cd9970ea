"""Reading times and zones as readers type them; next delivery instants across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.schedule import (
    is_zone_name,
    local_date_of,
    next_occurrence,
    parse_time,
    resolve_timezone,
)
from bot.errors import InvalidTime, InvalidTimezone, SettingsError

NEW_YORK = "America/New_York"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz))


# ---------------------------------------------------------------------------- parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30", time(7, 30)),
        ("7:30", time(7, 30)),
        ("7", time(7)),
        ("07", time(7)),
        ("7am", time(7)),
        ("7 am", time(7)),
        ("7 A.M.", time(7)),
        ("7:30pm", time(19, 30)),
        ("7:30 PM", time(19, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("19:30", time(19, 30)),
        ("1930", time(19, 30)),
        ("730", time(7, 30)),
        ("0:00", time(0)),
        ("23:59", time(23, 59)),
        (" 8.15 ", time(8, 15)),
        ("noon", time(12)),
        ("7시", time(7)),
        ("19시", time(19)),
        ("오전 7시", time(7)),
        ("오후 7시 30분", time(19, 30)),
        ("오후7시30분", time(19, 30)),
        ("7시 반", time(7, 30)),
        ("저녁 9시", time(21)),
        ("오후 12시", time(12)),
        ("오전 7:30", time(7, 30)),
        ("정오", time(12)),
        ("오전 7시 반", time(7, 30)),
        ("오후 7시 30분", time(19, 30)),
        ("7시에", time(7)),
        ("밤 10시", time(22)),
        ("밤 12시", time(0)),
        ("밤 1시", time(1)),
        ("새벽 5시 30분", time(5, 30)),
        ("낮 12시", time(12)),
        ("낮 2시", time(14)),
        ("아침 6시 반", time(6, 30)),
        ("아침 일곱 시 반", time(7, 30)),
        ("저녁 여섯시", time(18)),
        ("오후 열두 시", time(12)),
        ("밤 열한 시 30분", time(23, 30)),
        ("세 시", time(3)),
    ],
)
def test_parse_time_reads_what_readers_type(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("25:00", "hours go from 0 to 23"),
        ("24:00", "hours go from 0 to 23"),
        ("7:60", "minutes go from 00 to 59"),
        ("13pm", "from 1 to 12"),
        ("오후 13시", "from 1 to 12"),
        ("abc", "try 07:30"),
        ("", "try 07:30"),
        ("7:5", "try 07:30"),
    ],
)
def test_parse_time_explains_what_is_wrong(text: str, hint: str) -> None:
    with pytest.raises(InvalidTime, match=hint):
        parse_time(text)


def test_invalid_time_is_a_settings_error() -> None:
    with pytest.raises(SettingsError):
        parse_time("abc")


# ---------------------------------------------------------------------------- resolve_timezone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Asia/Seoul", "Asia/Seoul"),
        ("asia/seoul", "Asia/Seoul"),
        ("  ASIA/SEOUL ", "Asia/Seoul"),
        ("america/new york", NEW_YORK),
        ("KST", "Asia/Seoul"),
        ("Seoul", "Asia/Seoul"),
        ("서울", "Asia/Seoul"),
        ("Korea", "Asia/Seoul"),
        ("평양", "Asia/Pyongyang"),
        ("UTC", "UTC"),
        ("GMT", "UTC"),
        ("Z", "UTC"),
        ("JST", "Asia/Tokyo"),
        ("Tokyo", "Asia/Tokyo"),
        ("EST", NEW_YORK),
        ("EDT", NEW_YORK),
        ("PST", "America/Los_Angeles"),
        ("PDT", "America/Los_Angeles"),
        ("CET", "Europe/Berlin"),
        ("BST", "Europe/London"),
        ("London", "Europe/London"),
        ("Washington", NEW_YORK),
        ("New York", NEW_YORK),
        ("Beijing", "Asia/Shanghai"),
        ("Hong Kong", "Asia/Hong_Kong"),
        ("Singapore", "Asia/Singapore"),
        ("Moscow", "Europe/Moscow"),
        ("Sydney", "Australia/Sydney"),
        ("Berlin", "Europe/Berlin"),
        ("Paris", "Europe/Paris"),
        ("Brussels", "Europe/Brussels"),
        ("Geneva", "Europe/Zurich"),
        ("Kolkata", "Asia/Kolkata"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
        ("UTC+9", "Etc/GMT-9"),
        ("utc + 9", "Etc/GMT-9"),
        ("+09:00", "Etc/GMT-9"),
        ("+0900", "Etc/GMT-9"),
        ("GMT-5", "Etc/GMT+5"),
        ("UTC−5", "Etc/GMT+5"),
        ("UTC+0", "UTC"),
        ("Etc/GMT-9", "Etc/GMT-9"),
    ],
)
def test_resolve_timezone_accepts_names_aliases_and_offsets(text: str, expected: str) -> None:
    assert resolve_timezone(text) == expected


def test_fixed_offset_zone_has_the_offset_the_reader_asked_for() -> None:
    zone = ZoneInfo(resolve_timezone("UTC+9"))
    assert utc(2024, 1, 1).astimezone(zone).utcoffset() == ZoneInfo("Asia/Seoul").utcoffset(
        datetime(2024, 1, 1)
    )


def test_misspelt_zone_suggests_the_right_one() -> None:
    with pytest.raises(InvalidTimezone) as caught:
        resolve_timezone("Asia/Seol")
    assert caught.value.suggestions[0] == "Asia/Seoul"
    assert "did you mean Asia/Seoul" in str(caught.value)


@pytest.mark.parametrize("text", ["Mars/Olympus", "Mars/Base", "xyzzy", "Narnia", "화성"])
def test_a_place_that_is_no_zone_gets_no_suggestions(text: str) -> None:
    """Not the nearest strings whatever they are ("Olympus" is not "Omsk")."""
    with pytest.raises(InvalidTimezone) as caught:
        resolve_timezone(text)
    assert caught.value.suggestions == ()


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("Londn", "Europe/London"),
        ("london time zone", None),
        ("New Yrok", NEW_YORK),
        ("Tokio", "Asia/Tokyo"),
        ("Bejing", "Asia/Shanghai"),
        ("Sydeny", "Australia/Sydney"),
        ("Europe/Pari", "Europe/Paris"),
        ("런돈", "Europe/London"),
        ("뉴옥", NEW_YORK),
        ("시드니아", "Australia/Sydney"),
    ],
)
def test_a_typo_suggests_the_zone_meant_first(typo: str, meant: str | None) -> None:
    with pytest.raises(InvalidTimezone) as caught:
        resolve_timezone(typo)
    suggestions = caught.value.suggestions
    assert len(suggestions) <= 4
    if meant is None:
        assert suggestions == ()
    else:
        assert suggestions[0] == meant
        assert all(ZoneInfo(name) for name in suggestions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("런던", "Europe/London"),
        ("런던 시간", "Europe/London"),
        ("한국 시간", "Asia/Seoul"),
        ("한국시간", "Asia/Seoul"),
        ("서울시", "Asia/Seoul"),
        ("뉴욕", NEW_YORK),
        ("미국 동부", NEW_YORK),
        ("Seoul time", "Asia/Seoul"),
        ("키이우", "Europe/Kyiv"),
        ("Kiev", "Europe/Kyiv"),
    ],
)
def test_city_names_in_both_languages_and_clock_words_resolve(text: str, expected: str) -> None:
    assert resolve_timezone(text) == expected


def test_only_names_as_tzdata_spells_them_are_zone_names() -> None:
    assert is_zone_name("Asia/Seoul") and is_zone_name("UTC") and is_zone_name("Etc/GMT-9")
    assert not is_zone_name("asia/seoul")
    assert not is_zone_name("Seoul")
    assert not is_zone_name("Mars/Olympus")


def test_half_hour_offset_is_refused_with_cities_at_that_offset() -> None:
    with pytest.raises(InvalidTimezone) as caught:
        resolve_timezone("UTC+5:30")
    assert "Asia/Kolkata" in caught.value.suggestions


def test_unknown_timezone_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="unknown time zone"):
        resolve_timezone("xyzzy")


# ---------------------------------------------------------------------------- next_occurrence


def test_seoul_later_today() -> None:
    # 06:00 KST on 2 Jan → 07:30 KST the same day.
    assert next_occurrence(time(7, 30), "Asia/Seoul", utc(2024, 1, 1, 21)) == utc(
        2024, 1, 1, 22, 30
    )


def test_seoul_rolls_over_to_tomorrow_once_passed() -> None:
    assert next_occurrence(time(7, 30), "Asia/Seoul", utc(2024, 1, 1, 23)) == utc(
        2024, 1, 2, 22, 30
    )


def test_exactly_at_the_time_means_tomorrow() -> None:
    at = utc(2024, 1, 1, 22, 30)
    assert next_occurrence(time(7, 30), "Asia/Seoul", at) == utc(2024, 1, 2, 22, 30)


def test_result_is_aware_utc_whatever_zone_after_is_in() -> None:
    after = datetime(2024, 1, 2, 6, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    result = next_occurrence(time(7, 30), "Asia/Seoul", after)
    assert result.tzinfo is UTC
    assert result == utc(2024, 1, 1, 22, 30)


def test_midnight_crosses_the_date_line_correctly() -> None:
    # 23:00 in Seoul is 14:00 UTC the same day; 00:05 is 15:05 UTC the day before.
    assert next_occurrence(time(0, 5), "Asia/Seoul", utc(2024, 1, 1, 12)) == utc(2024, 1, 1, 15, 5)


def test_new_york_ordinary_days_follow_the_offset_in_force() -> None:
    winter = next_occurrence(time(7), NEW_YORK, utc(2024, 1, 10))
    summer = next_occurrence(time(7), NEW_YORK, utc(2024, 7, 10))
    assert (winter.hour, summer.hour) == (12, 11)


def test_spring_forward_gap_fires_when_the_clocks_jump() -> None:
    # 2024-03-10: 02:00 EST → 03:00 EDT, so 02:30 never happens; deliver at 03:00 EDT.
    result = next_occurrence(time(2, 30), NEW_YORK, utc(2024, 3, 10, 5))
    assert result == utc(2024, 3, 10, 7)
    assert local(result, NEW_YORK).strftime("%H:%M %Z") == "03:00 EDT"


def test_after_the_gap_the_usual_time_returns() -> None:
    result = next_occurrence(time(2, 30), NEW_YORK, utc(2024, 3, 10, 7))
    assert local(result, NEW_YORK).strftime("%Y-%m-%d %H:%M %Z") == "2024-03-11 02:30 EDT"


def test_fall_back_overlap_fires_once_at_the_first_occurrence() -> None:
    # 2024-11-03: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    first = next_occurrence(time(1, 30), NEW_YORK, utc(2024, 11, 3, 4))
    assert first == utc(2024, 11, 3, 5, 30)
    second = next_occurrence(time(1, 30), NEW_YORK, first)
    assert second == utc(2024, 11, 4, 6, 30)  # tomorrow, not an hour later


def test_inside_the_overlap_the_repeat_is_skipped() -> None:
    # Set at 01:10 EST (the second pass): today's 01:30 already fired at 01:30 EDT.
    result = next_occurrence(time(1, 30), NEW_YORK, utc(2024, 11, 3, 6, 10))
    assert result == utc(2024, 11, 4, 6, 30)


def test_lord_howe_half_hour_gap() -> None:
    # 2024-10-06 02:00 → 02:30 (+10:30 → +11): 02:15 fires at 02:30.
    result = next_occurrence(time(2, 15), "Australia/Lord_Howe", utc(2024, 10, 5, 12))
    assert local(result, "Australia/Lord_Howe").strftime("%Y-%m-%d %H:%M") == "2024-10-06 02:30"


def test_lord_howe_half_hour_overlap_fires_once() -> None:
    # 2024-04-07 02:00 → 01:30 (+11 → +10:30): 01:45 happens twice.
    first = next_occurrence(time(1, 45), "Australia/Lord_Howe", utc(2024, 4, 6, 12))
    assert first == utc(2024, 4, 6, 14, 45)
    second = next_occurrence(time(1, 45), "Australia/Lord_Howe", first)
    assert local(second, "Australia/Lord_Howe").date() == date(2024, 4, 8)


def test_changing_the_time_applies_to_the_next_occurrence() -> None:
    now = utc(2024, 1, 1, 22, 0)  # 07:00 KST
    assert next_occurrence(time(7, 30), "Asia/Seoul", now) == utc(2024, 1, 1, 22, 30)
    # Moved to 06:30 after it has passed today: tomorrow's 06:30.
    assert next_occurrence(time(6, 30), "Asia/Seoul", now) == utc(2024, 1, 2, 21, 30)


def test_naive_after_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_occurrence(time(7), "Asia/Seoul", datetime(2024, 1, 1))


def test_edition_date_is_the_readers_local_date() -> None:
    instant = utc(2024, 1, 1, 22, 30)
    assert local_date_of(instant, "Asia/Seoul") == date(2024, 1, 2)
    assert local_date_of(instant, NEW_YORK) == date(2024, 1, 1)
