"""The zone table: every entry a real zone, every name resolving back to it, and zones
named the way each language speaks of them."""

from __future__ import annotations

import pytest

from bot.delivery.schedule import resolve_timezone
from bot.delivery.zonenames import (
    ZoneName,
    _entry,
    city_name,
    guess_zone,
    zone_names,
    zone_phrase,
)
from bot.errors import ConfigError
from bot.text import has_hangul


def test_the_table_covers_where_readers_live_in_both_languages() -> None:
    table = zone_names()
    assert len(table) >= 55
    assert {"Asia/Seoul", "Europe/London", "America/New_York", "UTC"} <= set(table)
    for entry in table.values():
        assert entry.en and not has_hangul(entry.en), entry
        assert entry.zone == "UTC" or has_hangul(entry.ko), entry


@pytest.mark.parametrize("entry", list(zone_names().values()), ids=lambda e: e.zone)
def test_every_name_in_the_table_resolves_to_its_own_zone(entry: ZoneName) -> None:
    """Catches an alias listed under two zones, which would send readers to the wrong one."""
    for spelling in entry.spellings:
        assert resolve_timezone(spelling) == entry.zone, spelling


@pytest.mark.parametrize(
    ("zone", "en", "ko"),
    [
        ("Asia/Seoul", "Seoul time", "한국 시간"),
        ("Europe/London", "London time", "런던 시간"),
        ("America/New_York", "New York time", "뉴욕 시간"),
        ("UTC", "UTC", "UTC 기준"),
        ("Asia/Omsk", "Omsk time", "Omsk 시간"),  # outside the table: its IANA city
        ("America/Argentina/Cordoba", "Cordoba time", "Cordoba 시간"),
        ("Etc/GMT-9", "UTC+9", "UTC+9 기준"),
        ("Etc/GMT+5", "UTC-5", "UTC-5 기준"),
    ],
)
def test_zones_are_named_as_a_clock_reference(zone: str, en: str, ko: str) -> None:
    assert (zone_phrase(zone, "en"), zone_phrase(zone, "ko")) == (en, ko)


def test_buttons_name_the_city_in_the_readers_language() -> None:
    assert (city_name("Asia/Seoul", "en"), city_name("Asia/Seoul", "ko")) == ("Seoul", "서울")
    assert city_name("America/New_York", "ko") == "뉴욕"
    assert city_name("America/Los_Angeles", "en") == "Los Angeles"


@pytest.mark.parametrize(
    ("code", "zone"), [("ko", "Asia/Seoul"), ("ko-KR", "Asia/Seoul"), ("en", None), (None, None)]
)
def test_only_a_korean_app_suggests_a_zone(code: str | None, zone: str | None) -> None:
    assert guess_zone(code) == zone


@pytest.mark.parametrize(
    ("zone", "fields", "problem"),
    [
        ("Mars/Olympus", {"en": "Olympus", "ko": "올림푸스"}, "not an IANA time zone"),
        ("Asia/Seoul", {"en": "Seoul"}, "city name"),
        ("Asia/Seoul", {"en": "Seoul", "ko": "서울", "alias": []}, "unknown fields"),
        ("Asia/Seoul", {"en": "Seoul", "ko": "서울", "aliases": "KST"}, "list of names"),
    ],
)
def test_a_bad_entry_is_named_with_its_problem(
    zone: str, fields: dict[str, object], problem: str
) -> None:
    with pytest.raises(ConfigError, match=problem):
        _entry(zone, fields)
