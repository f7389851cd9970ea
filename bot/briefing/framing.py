"""What makes a scheduled briefing a delivery rather than an answer to /brief: a line that
says whose briefing it is and for which day ("Your morning briefing for Monday 7
December" / "12월 7일(월) 아침 브리핑") or week ("Your weekly briefing: Monday 30
November – Monday 7 December" / "주간 브리핑: 11월 30일(월)~12월 7일(월)"), and buttons
under it to open the settings or pause. The time of day comes from the subscriber's
delivery time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from bot.briefing.compose import Story
from bot.delivery.sender import ActionButton, BriefingAction, OutgoingMessage, StoryButton
from bot.formatting import plain_text, truncate_text
from bot.i18n import Catalog
from bot.news.headlines import strip_wire_tags

STORY_LABEL_LIMIT = 40
"""Characters of a headline on a story's button; Telegram cuts longer labels anyway."""


class DayPeriod(StrEnum):
    """Parts of the day a briefing can be named for (Korean tells late morning apart)."""

    MORNING = "morning"
    """04:00–09:59: 아침."""
    LATE_MORNING = "late_morning"
    """10:00–11:59: 오전."""
    AFTERNOON = "afternoon"
    """12:00–16:59: 오후."""
    EVENING = "evening"
    """17:00–21:59: 저녁."""
    NIGHT = "night"
    """22:00–03:59: no name, just "briefing"."""


_STARTS = (
    (4, DayPeriod.MORNING),
    (10, DayPeriod.LATE_MORNING),
    (12, DayPeriod.AFTERNOON),
    (17, DayPeriod.EVENING),
    (22, DayPeriod.NIGHT),
)


def day_period(delivery_time: dt.time) -> DayPeriod:
    """The part of the day a local delivery time falls in."""
    period = DayPeriod.NIGHT
    for hour, starting in _STARTS:
        if delivery_time.hour >= hour:
            period = starting
    return period


def long_date(day: dt.date, language: str, catalog: Catalog) -> str:
    """``Monday 7 December`` / ``12월 7일(월)``: the day, without the year."""
    weekdays = catalog.text(language, "delivery_weekdays").split()
    months = catalog.text(language, "delivery_months").split()
    return catalog.text(
        language,
        "delivery_date",
        weekday=weekdays[day.weekday()],
        day=day.day,
        month=months[day.month - 1],
    )


def delivery_header(
    edition: dt.date, delivery_time: dt.time, language: str, catalog: Catalog
) -> str:
    """The first line of a delivered briefing, in place of the edition's masthead."""
    period = day_period(delivery_time)
    date = long_date(edition, language, catalog)
    return catalog.text(language, f"delivery_header_{period}", date=date)


def action_buttons(
    actions: tuple[BriefingAction, ...], language: str, catalog: Catalog
) -> tuple[ActionButton, ...]:
    """Buttons for ``actions``, labelled in the chat's language."""
    return tuple(
        ActionButton(catalog.text(language, f"button_briefing_{action}"), action)
        for action in actions
    )


DELIVERY_ACTIONS = (BriefingAction.SETTINGS, BriefingAction.PAUSE)
"""Under a delivered briefing; once paused, Resume takes Pause's place."""


def story_buttons(
    stories: Sequence[Story], language: str, catalog: Catalog
) -> tuple[StoryButton, ...]:
    """A button for each story that has a thread, labelled with its headline."""
    buttons = []
    for story in stories:
        if story.thread is None:
            continue
        headline = strip_wire_tags(story.item_in(language).title)
        label = catalog.text(
            language, "button_story", headline=truncate_text(headline, STORY_LABEL_LIMIT)
        )
        buttons.append(StoryButton(plain_text(label), story.thread.id))
    return tuple(buttons)


def weekly_header(first: dt.date, last: dt.date, language: str, catalog: Catalog) -> str:
    """The first line of a weekly edition: the days it covers."""
    return catalog.text(
        language,
        "delivery_header_weekly",
        first=long_date(first, language, catalog),
        last=long_date(last, language, catalog),
    )


def with_buttons(
    texts: Sequence[str],
    buttons: tuple[ActionButton, ...],
    stories: Sequence[tuple[StoryButton, ...]] = (),
    *,
    thread_id: int | None = None,
) -> list[OutgoingMessage]:
    """The briefing's messages, the buttons under the last one only (where reading ends);
    ``stories``, if given, the story buttons of each message; all of them to the forum
    topic ``thread_id`` if given."""
    last = len(texts) - 1
    return [
        OutgoingMessage(
            text,
            buttons if i == last else (),
            stories[i] if i < len(stories) else (),
            thread_id=thread_id,
        )
        for i, text in enumerate(texts)
    ]
