"""Readers' settings as text: status lines, next delivery in local time, topic names.

Times read as each language writes them: English in 24-hour form ("07:30"), Korean with
오전/오후 ("오후 7:30"); zones by city, never by IANA name: "07:30 (Seoul time)",
"오전 7:30(한국 시간)", "런던 시간" (``bot.delivery.zonenames``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.delivery.zonenames import city_name, zone_phrase
from bot.i18n import Catalog, Markup
from bot.models import DEFAULT_LANGUAGE, Frequency, Language, Subscriber, Topic

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_KO = ("월", "화", "수", "목", "금", "토", "일")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TOPIC_ORDER: tuple[Topic, ...] = tuple(Topic)


def hhmm(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def clock_text(value: dt.time, language: str) -> str:
    """A time of day as the reader's language writes it: ``07:30`` / ``오전 7:30``.

    Korean counts the morning from 0 (``오전 0:30``) and the afternoon from 12
    (``오후 12:00`` is noon), as clocks and newspapers there do.
    """
    if language != Language.KO:
        return hhmm(value)
    half = "오전" if value.hour < 12 else "오후"
    hour = value.hour if value.hour <= 12 else value.hour - 12
    return f"{half} {hour}:{value.minute:02d}"


def zone_text(timezone: str, language: str) -> str:
    """The zone as a clock reference: ``Seoul time``, ``한국 시간``, ``런던 시간``."""
    return zone_phrase(timezone, language)


def zone_button_label(timezone: str, language: str) -> str:
    """A zone on a button: its city in the reader's language (``London``, ``런던``)."""
    return city_name(timezone, language)


def local_datetime_text(
    instant: dt.datetime, timezone: str, language: str, catalog: Catalog
) -> str:
    """``on Sat 28 Nov at 07:30`` / ``11월 28일(토) 오전 7:30`` in the reader's zone."""
    local = instant.astimezone(ZoneInfo(timezone))
    if language == Language.KO:
        date = f"{local.month}월 {local.day}일({_WEEKDAYS_KO[local.weekday()]})"
    else:
        date = f"{_WEEKDAYS_EN[local.weekday()]} {local.day} {_MONTHS_EN[local.month - 1]}"
    return catalog.text(language, "next_at", date=date, time=clock_text(local.time(), language))


def every_text(frequency: Frequency, weekday: int, language: str, catalog: Catalog) -> str:
    """How often, to go before the time: ``every day``, ``on weekdays``, ``every Friday`` /
    ``매일``, ``평일``, ``매주 금요일``."""
    day = catalog.text(language, "delivery_weekdays").split()[weekday]
    return catalog.text(language, f"every_{frequency}", day=day)


def weekday_button_label(weekday: int, language: str, catalog: Catalog) -> str:
    """A weekly day on a button: ``Weekly · Fri`` / ``매주 금요일``."""
    day = catalog.text(language, "briefing_weekdays").split()[weekday]
    return catalog.text(language, "button_frequency_weekly", day=day)


def settings_every(settings: Subscriber, catalog: Catalog) -> str:
    return every_text(settings.frequency, settings.delivery_weekday, settings.language, catalog)


def topic_names(topics: frozenset[Topic], language: str, catalog: Catalog) -> str:
    return ", ".join(catalog.text(language, f"topic_{t.value}") for t in TOPIC_ORDER if t in topics)


def next_delivery_text(settings: Subscriber, catalog: Catalog) -> str:
    if settings.next_delivery_at is None:
        return "—"
    return local_datetime_text(
        settings.next_delivery_at, settings.timezone, settings.language, catalog
    )


def status_text(
    settings: Subscriber | None,
    language: str,
    catalog: Catalog,
    *,
    default_time: dt.time,
    default_timezone: str,
) -> str:
    """The /status message: subscription, next delivery with zone, topics, language."""
    if settings is None or not settings.subscribed:
        # A chat that is not subscribed shows what /subscribe would use: its own
        # settings if it chose any before, else the defaults.
        at = settings.delivery_time if settings else default_time
        zone = settings.timezone if settings else default_timezone
        frequency = settings.frequency if settings else Frequency.DAILY
        weekday = settings.delivery_weekday if settings else 0
        lines = [
            catalog.text(
                language,
                "status_not_subscribed",
                time=clock_text(at, language),
                zone=zone_text(zone, language),
                every=every_text(frequency, weekday, language, catalog),
            )
        ]
        if settings is not None and settings.deactivated_reason not in (None, "unsubscribed"):
            lines.append(_inactive_line(settings, language, catalog))
        return "\n".join(lines)
    return "\n".join(
        [
            catalog.text(language, "status_subscribed"),
            catalog.text(
                language, "status_next", next=Markup(next_delivery_text(settings, catalog))
            ),
            catalog.text(
                language,
                "status_delivery",
                time=clock_text(settings.delivery_time, language),
                zone=zone_text(settings.timezone, language),
                every=every_text(settings.frequency, settings.delivery_weekday, language, catalog),
            ),
            catalog.text(
                language, "status_topics", topics=topic_names(settings.topics, language, catalog)
            ),
            catalog.text(
                language,
                "status_language",
                language=catalog.text(language, f"language_name_{settings.language}"),
                length=catalog.text(language, f"length_{settings.summary_length}"),
            ),
        ]
    )


def _inactive_line(settings: Subscriber, language: str, catalog: Catalog) -> str:
    reason_key = f"reason_{settings.deactivated_reason}"
    reason = (
        catalog.text(language, reason_key)
        if reason_key in catalog.keys(DEFAULT_LANGUAGE)
        else str(settings.deactivated_reason)
    )
    when = settings.deactivated_at.date().isoformat() if settings.deactivated_at else "—"
    return catalog.text(language, "status_inactive_reason", when=when, reason=reason)
