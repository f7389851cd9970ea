"""The weekly edition: the week's top stories by importance, in one message, headed as a
weekly edition in both languages; and the forum topic fallback of the sender adapter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram.error import BadRequest

from bot.briefing.compose import WEEK, WEEK_HALF_LIFE, Story, build_stories
from bot.briefing.weekly import render_weekly
from bot.errors import MessageRejected, ThreadGone
from bot.formatting import MESSAGE_LIMIT, visible_length
from bot.i18n import Catalog
from bot.models import Frequency, NewsItem, Topic
from handlers.sender import send_error
from tests.support.fakebotapi import parse_html
from tests.support.newsitems import NOW, news, prefs

SCHEDULED = NOW  # Saturday 28 Nov, 07:30 in Seoul
LEDE = (
    "Officials said on the day that the matter would be raised at the next meeting of the "
    "council, and that allies had been briefed in detail about what was known so far. "
)


def words(text: str) -> list[str]:
    return text.split()


PLACES = words(
    "Busan Incheon Daegu Gwangju Daejeon Ulsan Sejong Suwon Changwon Goyang Yongin Cheongju "
    "Jeonju Cheonan Gimhae Pohang Jeju Wonsan Kaesong Sinuiju Hamhung Chongjin Nampo Haeju "
    "Sariwon Kanggye Hyesan Rason Anju Tokchon"
)
SUBJECTS = words(
    "fisheries pensions railway vaccine semiconductor drought typhoon housing tuition "
    "pharmacy orchestra marathon glacier bakery volcano telescope library wrestling museum "
    "harbour festival airport wildfire tunnel ferry bridge stadium dam orchard observatory"
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def week_of_news(stories: int, outlets_of_first: int = 4) -> list[NewsItem]:
    """``stories`` distinct stories over the week before :data:`NOW`: the first, six days
    old, reported by ``outlets_of_first`` outlets; each other one by one outlet, newer."""
    items = [
        news(
            f"https://outlet{n}.example/summit",
            "Leaders agree to resume military hotline after border summit",
            source=f"Outlet {n}",
            summary=LEDE * 3,
            hours_ago=6 * 24 - n,
        )
        for n in range(outlets_of_first)
    ]
    topics = list(Topic)
    for n in range(1, stories):
        items.append(
            news(
                f"https://yna.example/story-{n}",
                f"{PLACES[n]} {SUBJECTS[n]} {SUBJECTS[-n - 1]}",
                summary=unique_lede(n),
                topics=(topics[n % len(topics)],),
                hours_ago=n * 5,
            )
        )
    return items


def unique_lede(n: int) -> str:
    """Long sentences of words no other story shares, so each story stays its own."""
    stem = PLACES[n].lower()
    return " ".join(
        " ".join(f"{stem}{SUBJECTS[(n + k + j) % 30]}" for j in range(14)) + "." for k in range(5)
    )


def stories_for(items: list[NewsItem]) -> list[Story]:
    return build_stories(items, now=NOW, window=WEEK, half_life=WEEK_HALF_LIFE)


def test_many_long_stories_still_make_one_message(catalog: Catalog) -> None:
    stories = stories_for(week_of_news(30))
    assert len(stories) > 12
    reader = prefs(summary_length="long", frequency=Frequency.WEEKLY)
    text = render_weekly(stories, reader, SCHEDULED, catalog)
    assert visible_length(text) <= MESSAGE_LIMIT
    assert text.count("yna.example/story-") >= 3, "trimmed, not emptied"


def test_the_weeks_biggest_story_leads_though_it_is_six_days_old(catalog: Catalog) -> None:
    stories = stories_for(week_of_news(5, outlets_of_first=5))
    text = render_weekly(stories, prefs(frequency=Frequency.WEEKLY), SCHEDULED, catalog)
    body = text.split("\n", 1)[1]
    first_headline = body.index("Leaders agree to resume military hotline")
    assert all(first_headline < body.index(f"{PLACES[n]} {SUBJECTS[n]}") for n in range(1, 5))


def test_a_day_old_ranking_would_have_buried_it() -> None:
    """The weekly half-life is what lifts the week's big story: with the daily one a
    one-outlet story from yesterday ranks above it."""
    items = week_of_news(5, outlets_of_first=5)
    daily = build_stories(items, now=NOW, window=WEEK)
    assert "Leaders agree" not in daily[0].items[0].title


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("en", "🗞 Your weekly briefing: Saturday 21 November – Saturday 28 November"),
        ("ko", "🗞 주간 브리핑 · 11월 21일(토)~11월 28일(토)"),
    ],
)
def test_the_weekly_edition_is_headed_as_one(catalog: Catalog, language: str, header: str) -> None:
    stories = stories_for(week_of_news(3))
    text = render_weekly(stories, prefs(language=language), SCHEDULED, catalog)
    assert parse_html(text)[0].splitlines()[0] == header


def test_a_quiet_week_says_so_in_both_languages(catalog: Catalog) -> None:
    assert "A quiet week" in render_weekly([], prefs(), SCHEDULED, catalog)
    assert "지난 한 주 동안" in render_weekly([], prefs(language="ko"), SCHEDULED, catalog)


def test_a_deleted_topic_is_its_own_kind_of_send_error() -> None:
    assert isinstance(send_error(BadRequest("Message thread not found")), ThreadGone)
    assert isinstance(send_error(BadRequest("Bad Request: TOPIC_DELETED")), ThreadGone)
    assert isinstance(send_error(BadRequest("Message is too long")), MessageRejected)


def test_the_weekly_window_is_a_week() -> None:
    assert timedelta(days=7) == WEEK
