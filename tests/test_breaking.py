"""The confirmation rule of breaking alerts (outlets not feeds, state media never alone,
the window), quiet hours, and the alert as a reader sees it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.breaking.confirm import AlertRule, confirm, confirmed_stories
from bot.breaking.quiet import QuietHours, parse_quiet_hours
from bot.breaking.render import render_alert
from bot.briefing.compose import Story, build_stories
from bot.errors import InvalidQuietHours
from bot.formatting import plain_text
from bot.i18n import Catalog
from bot.models import NewsItem, Provenance, Topic

T0 = datetime(2026, 12, 5, 21, 41, tzinfo=UTC)  # 06:41 KST on the 6th
RULE = AlertRule(frozenset({Topic.SECURITY, Topic.INTER_KOREAN}), 3, timedelta(minutes=60))
TITLE = "North Korea fires ballistic missile into East Sea, JCS says"
LEDE = (
    "North Korea fired a short-range ballistic missile toward the East Sea on Sunday "
    "morning, the Joint Chiefs of Staff said. It was the first launch in two months."
)


def report(
    outlet: str,
    minutes: float,
    *,
    provenance: Provenance = Provenance.WIRE,
    language: str = "en",
    topic: Topic = Topic.SECURITY,
    slug: str = "launch",
) -> NewsItem:
    return NewsItem(
        url=f"https://{outlet.lower().replace(' ', '')}.example/{slug}-{language}-{minutes}",
        title=TITLE,
        summary=LEDE,
        published=T0 + timedelta(minutes=minutes),
        source=outlet,
        feed_name=f"{outlet} {language}",
        language=language,
        provenance=provenance,
        topics=(topic,),
        relevance=6.0,
        outlet=outlet,
    )


def one_story(*items: NewsItem) -> Story:
    """The items as one story, as clustering would have grouped them."""
    ordered = sorted(items, key=lambda item: (item.published, item.url))
    return Story(
        key=ordered[0].url,
        items=tuple(items),
        topics=items[0].topics,
        sources=tuple(dict.fromkeys(item.outlet_key for item in ordered)),
        first_seen=ordered[0].published,
        last_updated=ordered[-1].published,
        score=1.0,
    )


def test_clustered_reports_of_three_outlets_make_one_confirmed_story() -> None:
    items = [report("Yonhap", 0), report("Reuters", 20), report("NK News", 45)]
    [story] = build_stories(items, now=T0 + timedelta(hours=1))
    assert confirm(story, RULE) is not None


def test_three_outlets_within_the_hour_confirm_a_story_at_the_third() -> None:
    story = one_story(report("Yonhap", 0), report("Reuters", 20), report("NK News", 45))
    confirmation = confirm(story, RULE)
    assert confirmation is not None
    assert confirmation.first.source == "Yonhap"
    assert confirmation.confirmed_at == T0 + timedelta(minutes=45)
    assert [item.source for item in confirmation.outlets] == ["Yonhap", "Reuters", "NK News"]


def test_two_outlets_do_not_confirm_however_many_feeds_and_languages() -> None:
    story = one_story(
        report("Yonhap", 0),
        report("Yonhap", 5, language="ko"),
        report("Yonhap", 10, slug="update"),
        report("Reuters", 20),
    )
    assert confirm(story, RULE) is None


def test_a_third_outlet_past_the_window_does_not_confirm() -> None:
    story = one_story(report("Yonhap", 0), report("Reuters", 20), report("NK News", 61))
    assert confirm(story, RULE) is None


def test_the_window_may_start_at_a_later_item_of_the_story() -> None:
    story = one_story(
        report("Yonhap", -300, slug="warning"),
        report("Reuters", 0),
        report("AP", 10),
        report("NK News", 30),
    )
    confirmation = confirm(story, RULE)
    assert confirmation is not None and confirmation.first.source == "Reuters"


def test_state_media_count_but_never_alone() -> None:
    kcna = report("KCNA", 0, provenance=Provenance.NK_STATE_MEDIA)
    rodong = report("Rodong Sinmun", 5, provenance=Provenance.NK_STATE_MEDIA)
    xinhua = report("Xinhua", 10, provenance=Provenance.CN_STATE_MEDIA)
    assert confirm(one_story(kcna, rodong, xinhua), RULE) is None
    # State media together are one voice: they need two other outlets, not one.
    assert confirm(one_story(kcna, rodong, report("Yonhap", 20)), RULE) is None
    confirmed = confirm(one_story(kcna, rodong, report("Yonhap", 20), report("AP", 30)), RULE)
    assert confirmed is not None and confirmed.first.source == "KCNA"


def test_only_the_alert_topics_alert() -> None:
    economy = [report(name, n * 10, topic=Topic.ECONOMY) for n, name in enumerate("ABC")]
    assert confirm(one_story(*economy), RULE) is None
    inter_korean = [report(n, i * 10, topic=Topic.INTER_KOREAN) for i, n in enumerate("ABC")]
    assert confirm(one_story(*inter_korean), RULE) is not None


def test_a_confirmation_older_than_the_freshness_bound_is_not_breaking() -> None:
    story = one_story(report("Yonhap", 0), report("Reuters", 20), report("NK News", 45))
    at_45 = T0 + timedelta(minutes=45)
    assert confirmed_stories([story], RULE, since=at_45)
    assert confirmed_stories([story], RULE, since=at_45 + timedelta(seconds=1)) == []


def test_the_alert_names_the_outlets_and_who_was_first_on_the_readers_clock() -> None:
    story = one_story(report("Yonhap", 0), report("Reuters", 20), report("NK News", 45))
    confirmation = confirm(story, RULE)
    assert confirmation is not None
    catalog = Catalog.load()
    english = plain_text(render_alert(confirmation, catalog, "en", "Asia/Seoul"))
    assert english.splitlines() == [
        "🚨 Breaking · confirmed by 3 outlets",
        TITLE,
        "North Korea fired a short-range ballistic missile toward the East Sea on Sunday "
        "morning, the Joint Chiefs of Staff said.",
        "Yonhap · Reuters · NK News — first: Yonhap 06:41 KST",
    ]
    london = plain_text(render_alert(confirmation, catalog, "en", "Europe/London"))
    assert london.endswith("first: Yonhap 21:41 GMT")
    korean = plain_text(render_alert(confirmation, catalog, "ko", "Asia/Seoul"))
    assert korean.startswith("🚨 속보 · 언론사 3곳 보도\n[영문] North Korea fires")
    assert korean.endswith("최초 보도: Yonhap 06:41 KST")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("23:00-07:00", time(23), time(7)),
        ("23-7", time(23), time(7)),
        ("11pm to 7am", time(23), time(7)),
        ("밤 11시~오전 7시", time(23), time(7)),
        ("13:30 – 14:00", time(13, 30), time(14)),
    ],
)
def test_quiet_hours_are_read_as_people_write_them(text: str, start: time, end: time) -> None:
    assert parse_quiet_hours(text) == QuietHours(start, end)


@pytest.mark.parametrize("text", ["23:00", "7-7", "soon-later", "1-2-3"])
def test_quiet_hours_need_a_start_and_a_different_end(text: str) -> None:
    with pytest.raises(InvalidQuietHours):
        parse_quiet_hours(text)


def test_quiet_hours_span_midnight_on_the_chats_clock() -> None:
    night = QuietHours(time(23), time(7))
    seoul_0641 = T0  # 06:41 in Seoul, 21:41 UTC the evening before
    assert night.covers(seoul_0641, "Asia/Seoul")
    assert not night.covers(seoul_0641, "UTC")
    assert night.ends_after(seoul_0641, "Asia/Seoul") == datetime(2026, 12, 5, 22, 0, tzinfo=UTC)
    assert not night.covers(T0 + timedelta(minutes=19), "Asia/Seoul")
