"""A chat's /alerts settings as the reader sees them, in their language."""

from __future__ import annotations

from bot.breaking.confirm import AlertRule
from bot.breaking.operations import AlertState
from bot.i18n import Catalog
from bot.models import Topic
from bot.subscriptions.view import clock_text, zone_text

__all__ = ["alerts_status"]


def alerts_status(state: AlertState, rule: AlertRule, catalog: Catalog, language: str) -> str:
    """On or off and what that means, the quiet hours, and how to change them."""
    settings = state.settings
    topics = catalog.text(language, "alerts_topic_separator").join(
        catalog.text(language, f"topic_{topic.value}") for topic in Topic if topic in rule.topics
    )
    lines = [
        catalog.text(
            language,
            "alerts_on" if settings.enabled else "alerts_off",
            topics=topics,
            count=rule.min_outlets,
            minutes=round(rule.window.total_seconds() / 60),
        )
    ]
    if settings.quiet_start is not None and settings.quiet_end is not None:
        lines.append(
            catalog.text(
                language,
                "alerts_quiet",
                start=clock_text(settings.quiet_start, language),
                end=clock_text(settings.quiet_end, language),
                zone=zone_text(state.timezone, language),
            )
        )
    else:
        lines.append(catalog.text(language, "alerts_no_quiet"))
    lines.append(catalog.text(language, "alerts_usage"))
    return "\n\n".join(lines)
