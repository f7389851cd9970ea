"""Delivery frequency: reading it as readers type it, and when each frequency is due —
weekdays in the reader's own zone, weekly once a week on their day, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.frequency import parse_frequency, parse_weekday
from bot.delivery.schedule import delivers_on, next_delivery, next_occurrence
from bot.errors import InvalidFrequency
from bot.models import Frequency

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("daily", (Frequency.DAILY, None)),
        ("Every day", (Frequency.DAILY, None)),
        ("매일", (Frequency.DAILY, None)),
        ("weekdays", (Frequency.WEEKDAYS, None)),
        ("평일", (Frequency.WEEKDAYS, None)),
        ("weekly", (Frequency.WEEKLY, None)),
        ("매주", (Frequency.WEEKLY, None)),
        ("weekly mon", (Frequency.WEEKLY, MON)),
        ("weekly  Friday", (Frequency.WEEKLY, FRI)),
        ("weekly on sun", (Frequency.WEEKLY, SUN)),
        ("every saturday", (Frequency.WEEKLY, SAT)),
        ("thursdays", (Frequency.WEEKLY, THU)),
        ("매주 금요일", (Frequency.WEEKLY, FRI)),
        ("매주금요일", (Frequency.WEEKLY, FRI)),
        ("수요일", (Frequency.WEEKLY, WED)),
        ("화요일마다", (Frequency.WEEKLY, TUE)),
    ],
)
def test_frequencies_are_read_in_both_languages(
    text: str, expected: tuple[Frequency, int | None]
) -> None:
    assert parse_frequency(text) == expected


@pytest.mark.parametrize("text", ["", "hourly", "monthly", "매월", "weekly someday", "mo", "2"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(InvalidFrequency):
        parse_frequency(text)


def test_a_weekday_alone_is_not_a_month_or_a_typo() -> None:
    assert parse_weekday("월") == MON
    assert parse_weekday("월요일") == MON
    assert parse_weekday("Tue") == TUE
    assert parse_weekday("매월") is None
    assert parse_weekday("tu") is None


def test_which_days_each_frequency_delivers_on() -> None:
    week = [date(2026, 12, 7) + timedelta(days=n) for n in range(7)]  # Mon 7 … Sun 13 Dec
    assert all(delivers_on(day, Frequency.DAILY) for day in week)
    assert [delivers_on(day, Frequency.WEEKDAYS) for day in week] == [True] * 5 + [False] * 2
    assert [delivers_on(day, Frequency.WEEKLY, FRI) for day in week] == [
        False, False, False, False, True, False, False,
    ]  # fmt: skip


def _local(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz))


def test_daily_is_the_next_occurrence() -> None:
    after = datetime(2026, 12, 11, 23, 0, tzinfo=UTC)
    assert next_delivery(time(7, 30), "Asia/Seoul", after) == next_occurrence(
        time(7, 30), "Asia/Seoul", after
    )


def test_weekdays_skip_the_weekend_in_the_readers_zone() -> None:
    # Friday 11 Dec 2026, 08:00 in Seoul: Friday's 07:30 has passed; next is Monday.
    after = datetime(2026, 12, 10, 23, 0, tzinfo=UTC)
    due = next_delivery(time(7, 30), "Asia/Seoul", after, Frequency.WEEKDAYS)
    assert _local(due, "Asia/Seoul") == datetime(2026, 12, 14, 7, 30, tzinfo=ZoneInfo("Asia/Seoul"))


def test_weekdays_follow_the_readers_calendar_not_utcs() -> None:
    # Friday 11 Dec 2026 20:00 in New York is already Saturday in UTC and in Seoul; a
    # New Yorker reading at 21:00 still gets Friday's briefing.
    after = datetime(2026, 12, 12, 1, 0, tzinfo=UTC)
    due = next_delivery(time(21), "America/New_York", after, Frequency.WEEKDAYS)
    local = _local(due, "America/New_York")
    assert (local.date(), local.time()) == (date(2026, 12, 11), time(21))
    # …and a Seoul reader at 07:30 gets nothing that Saturday or Sunday: Monday next.
    due = next_delivery(time(7, 30), "Asia/Seoul", after, Frequency.WEEKDAYS)
    assert _local(due, "Asia/Seoul").date() == date(2026, 12, 14)


def test_weekly_fires_once_a_week_on_the_day() -> None:
    after = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # Sunday
    fired = []
    for _ in range(4):
        after = next_delivery(time(7, 30), "Europe/London", after, Frequency.WEEKLY, WED)
        fired.append(_local(after, "Europe/London"))
    assert [f.date() for f in fired] == [
        date(2026, 12, 9), date(2026, 12, 16), date(2026, 12, 23), date(2026, 12, 30),
    ]  # fmt: skip
    assert {f.time() for f in fired} == {time(7, 30)}


def test_weekly_on_todays_day_before_the_time_fires_today_after_it_next_week() -> None:
    seoul = ZoneInfo("Asia/Seoul")
    before = datetime(2026, 12, 7, 7, 0, tzinfo=seoul)  # Monday
    assert next_delivery(time(7, 30), "Asia/Seoul", before, Frequency.WEEKLY, MON) == datetime(
        2026, 12, 7, 7, 30, tzinfo=seoul
    )
    after = datetime(2026, 12, 7, 7, 30, tzinfo=seoul)  # exactly then: sent, so next week
    assert next_delivery(time(7, 30), "Asia/Seoul", after, Frequency.WEEKLY, MON) == datetime(
        2026, 12, 14, 7, 30, tzinfo=seoul
    )


def test_weekly_keeps_the_local_time_across_a_dst_change() -> None:
    # Clocks go forward in New York on Sunday 8 March 2026: the Monday after is 07:30 EDT.
    after = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # Monday 2 March, 08:00 EST
    due = next_delivery(time(7, 30), "America/New_York", after, Frequency.WEEKLY, MON)
    assert due == datetime(2026, 3, 9, 11, 30, tzinfo=UTC)  # 07:30 EDT = 11:30 UTC
    assert _local(due, "America/New_York").time() == time(7, 30)


def test_weekly_on_the_day_of_the_spring_gap_fires_when_the_clocks_jump() -> None:
    # 02:30 does not exist in New York on Sunday 8 March 2026; it fires at 03:00 EDT.
    after = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    due = next_delivery(time(2, 30), "America/New_York", after, Frequency.WEEKLY, SUN)
    assert due == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)


def test_weekly_in_the_fall_back_overlap_fires_once() -> None:
    # 01:30 happens twice in New York on Sunday 1 November 2026: the first one only.
    after = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    first = next_delivery(time(1, 30), "America/New_York", after, Frequency.WEEKLY, SUN)
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    again = next_delivery(time(1, 30), "America/New_York", first, Frequency.WEEKLY, SUN)
    assert again == datetime(2026, 11, 8, 6, 30, tzinfo=UTC)  # a week later, 01:30 EST


def test_a_weekday_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="weekday"):
        next_delivery(time(7), "UTC", datetime(2026, 1, 1, tzinfo=UTC), Frequency.WEEKLY, 7)
