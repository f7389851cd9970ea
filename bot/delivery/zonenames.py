"""Time zones by the names readers use: the city table in ``zones.toml``.

Readers do not think in IANA names. They type "London" or "런던" and expect to read
"07:30 (London time)" or "오전 7:30(런던 시간)". The table gives each zone where our readers
live its city in both languages and the other names people type; zones outside it are
named after the city in their IANA name ("Asia/Omsk" → "Omsk"), and fixed offsets as
"UTC+9".
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import ConfigError
from bot.models import Language

_DATA_FILE = "zones.toml"
_FIELDS = frozenset({"en", "ko", "en_time", "ko_time", "aliases"})
_ETC_OFFSET = re.compile(r"Etc/GMT(?P<sign>[+-])(?P<hours>\d{1,2})")

# The first guess of a reader's zone from their app's language, before they say.
_ZONE_BY_LANGUAGE: dict[str, str] = {Language.KO: "Asia/Seoul"}


@dataclass(frozen=True, slots=True)
class ZoneName:
    """How one zone is named, in both languages."""

    zone: str
    """The IANA name, e.g. ``Asia/Seoul``."""
    en: str
    ko: str
    en_time: str
    """The zone as a clock reference: "Seoul time"."""
    ko_time: str
    """The same in Korean: 한국 시간, 런던 시간."""
    aliases: tuple[str, ...]

    def city(self, language: str) -> str:
        return self.ko if language == Language.KO else self.en

    def time_phrase(self, language: str) -> str:
        return self.ko_time if language == Language.KO else self.en_time

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every name that resolves to this zone, its IANA name first."""
        return (self.zone, self.en, self.ko, *self.aliases)


@functools.cache
def zone_names() -> dict[str, ZoneName]:
    """The table, in file order (earlier zones are suggested first); checked on load."""
    text = (resources.files("bot.delivery") / _DATA_FILE).read_text(encoding="utf-8")
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_DATA_FILE}: {exc}") from exc
    return {zone: _entry(zone, fields) for zone, fields in table.items()}


def _entry(zone: str, fields: object) -> ZoneName:
    def fail(problem: str) -> ConfigError:
        return ConfigError(f"{_DATA_FILE}: [{zone!r}]: {problem}")

    if not isinstance(fields, dict):
        raise fail("expected a table")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise fail("not an IANA time zone") from exc
    if unknown := set(fields) - _FIELDS:
        raise fail(f"unknown fields {sorted(unknown)}")
    names = {key: fields.get(key) for key in ("en", "ko")}
    if not all(isinstance(name, str) and name.strip() for name in names.values()):
        raise fail("needs a city name in `en` and in `ko`")
    aliases = fields.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise fail("`aliases` must be a list of names")
    en, ko = str(names["en"]), str(names["ko"])
    return ZoneName(
        zone=zone,
        en=en,
        ko=ko,
        en_time=str(fields.get("en_time", f"{en} time")),
        ko_time=str(fields.get("ko_time", f"{ko} 시간")),
        aliases=tuple(aliases),
    )


def city_name(zone: str, language: str) -> str:
    """The zone's city in ``language`` ("Seoul", "서울"), for buttons and lists."""
    if entry := zone_names().get(zone):
        return entry.city(language)
    return _fallback_name(zone)


def zone_phrase(zone: str, language: str) -> str:
    """The zone as a clock reference: "Seoul time", "한국 시간", "Omsk time", "UTC+9"."""
    if entry := zone_names().get(zone):
        return entry.time_phrase(language)
    name = _fallback_name(zone)
    if name.startswith("UTC"):
        return f"{name} 기준" if language == Language.KO else name
    return f"{name} 시간" if language == Language.KO else f"{name} time"


def guess_zone(language_code: str | None) -> str | None:
    """The zone a reader with this app language most likely lives in, if there is one."""
    if not language_code:
        return None
    return _ZONE_BY_LANGUAGE.get(language_code.split("-")[0].lower())


def _fallback_name(zone: str) -> str:
    """A zone outside the table: "Asia/Omsk" → "Omsk", "Etc/GMT-9" → "UTC+9"."""
    if offset := _ETC_OFFSET.fullmatch(zone):
        # POSIX-style names invert the sign: Etc/GMT-9 is nine hours ahead of UTC.
        sign = "+" if offset["sign"] == "-" else "-"
        return f"UTC{sign}{int(offset['hours'])}"
    if zone in ("UTC", "Etc/UTC", "Etc/GMT", "GMT"):
        return "UTC"
    return zone.rpartition("/")[2].replace("_", " ")
