"""Readers' settings as text: status lines, next delivery in local time, topic names."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.i18n import Catalog, Markup
from bot.models import DEFAULT_LANGUAGE, Language, Subscriber, Topic

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_KO = ("월", "화", "수", "목", "금", "토", "일")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TOPIC_ORDER: tuple[Topic, ...] = tuple(Topic)


def hhmm(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def local_datetime_text(
    instant: dt.datetime, timezone: str, language: str, catalog: Catalog
) -> str:
    """``on Sat 28 Nov at 07:30 KST`` / ``11월 28일 (토) 07:30 KST`` in the reader's zone."""
    local = instant.astimezone(ZoneInfo(timezone))
    if language == Language.KO:
        date = f"{local.month}월 {local.day}일 ({_WEEKDAYS_KO[local.weekday()]})"
    else:
        date = f"{_WEEKDAYS_EN[local.weekday()]} {local.day} {_MONTHS_EN[local.month - 1]}"
    abbr = local.tzname() or timezone
    return catalog.text(language, "next_at", date=date, time=hhmm(local.time()), abbr=abbr)


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
        lines = [
            catalog.text(
                language,
                "status_not_subscribed",
                time=hhmm(default_time),
                zone=default_timezone,
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
                time=hhmm(settings.delivery_time),
                zone=settings.timezone,
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
