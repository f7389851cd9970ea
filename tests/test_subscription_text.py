"""Readers' settings read and written as each language does: times with 오전/오후 in
Korean and 24-hour in English, zones by city, and /subscribe's words split into a time
(as many words as it takes) and a zone."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.i18n import Catalog
from bot.models import Language, Subscriber
from bot.subscriptions.operations import split_subscribe_arguments, zone_is_settled
from bot.subscriptions.view import clock_text, local_datetime_text, status_text


@pytest.mark.parametrize(
    ("value", "en", "ko"),
    [
        (time(7, 30), "07:30", "오전 7:30"),
        (time(19, 30), "19:30", "오후 7:30"),
        (time(12, 0), "12:00", "오후 12:00"),
        (time(0, 5), "00:05", "오전 0:05"),
        (time(23, 59), "23:59", "오후 11:59"),
    ],
)
def test_clock_times_as_each_language_writes_them(value: time, en: str, ko: str) -> None:
    assert (clock_text(value, Language.EN), clock_text(value, Language.KO)) == (en, ko)


def test_the_next_delivery_reads_in_the_readers_zone_and_language() -> None:
    catalog = Catalog.load()
    instant = datetime(2026, 12, 6, 22, 30, tzinfo=UTC)  # Mon 7 Dec, 07:30 in Seoul
    assert local_datetime_text(instant, "Asia/Seoul", "ko", catalog) == "12월 7일(월) 오전 7:30"
    assert local_datetime_text(instant, "Asia/Seoul", "en", catalog) == "on Mon 7 Dec at 07:30"
    london = local_datetime_text(instant, "Europe/London", "ko", catalog)
    assert london == "12월 6일(일) 오후 10:30"


def _subscriber(**changes: object) -> Subscriber:
    now = datetime(2026, 12, 6, tzinfo=UTC)
    values: dict[str, object] = {
        "chat_id": 1,
        "chat_type": "private",
        "title": "",
        "language": Language.KO,
        "timezone": "Asia/Seoul",
        "delivery_time": time(19, 30),
        "topics": frozenset(),
        "summary_length": "standard",
        "subscribed": True,
        "next_delivery_at": datetime(2026, 12, 6, 10, 30, tzinfo=UTC),
        "added_by": None,
        "created_at": now,
        "updated_at": now,
        "deactivated_at": None,
        "deactivated_reason": None,
    }
    values.update(changes)
    return Subscriber(**values)  # type: ignore[arg-type]


def test_korean_status_writes_the_time_as_koreans_do() -> None:
    text = status_text(
        _subscriber(), "ko", Catalog.load(), default_time=time(7, 30), default_timezone="UTC"
    )
    assert "매일 오후 7:30(한국 시간)" in text
    assert "Asia/Seoul" not in text and "19:30" not in text


def test_an_unsubscribed_chat_shows_the_settings_subscribe_will_use() -> None:
    kept = _subscriber(
        subscribed=False, next_delivery_at=None, timezone="Europe/London", language="en"
    )
    text = status_text(
        kept, "en", Catalog.load(), default_time=time(7, 30), default_timezone="Asia/Seoul"
    )
    assert "19:30 (London time)" in text


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("오후 7시 30분 서울", ("오후 7시 30분", "서울")),
        ("오전 7시 반", ("오전 7시 반", None)),
        ("오후 7시 반 뉴욕", ("오후 7시 반", "뉴욕")),
        ("오후 일곱 시 반 서울", ("오후 일곱 시 반", "서울")),
        ("오후 7 시 30 분 런던", ("오후 7 시 30 분", "런던")),
        ("7 am New York", ("7 am", "New York")),
        ("7:30 p.m. London", ("7:30 p.m.", "London")),
        ("7:30 Europe/London", ("7:30", "Europe/London")),
        ("19:30", ("19:30", None)),
        ("New York", (None, "New York")),
        ("", (None, None)),
    ],
)
def test_subscribe_reads_a_time_of_up_to_three_words_then_a_zone(
    words: str, expected: tuple[str | None, str | None]
) -> None:
    assert split_subscribe_arguments(words.split()) == expected


@pytest.mark.parametrize(
    ("zone", "chosen", "app", "settled"),
    [
        ("Asia/Seoul", False, "ko", True),  # the guess from a Korean app: no question
        ("Asia/Seoul", False, "en", False),  # only the default: ask
        ("Asia/Seoul", False, None, False),  # a channel post has no app language
        ("Europe/London", True, "en", True),  # named by the reader
    ],
)
def test_subscribe_asks_for_the_zone_only_when_nobody_chose_it(
    zone: str, chosen: bool, app: str | None, settled: bool
) -> None:
    settings = _subscriber(timezone=zone, timezone_chosen=chosen)
    assert zone_is_settled(settings, app) is settled
