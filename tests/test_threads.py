"""Story threads, pure: which thread each build's stories take, and how a continuation is
shown in the briefing ("Day 2 · +2 outlets since yesterday") with only what is new."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bot.briefing.compose import Briefing, Section, Story, build_stories
from bot.briefing.render import render_briefing, render_briefing_pages
from bot.briefing.threads import Link, ThreadMark, assign, thread_id
from bot.formatting import plain_text
from bot.i18n import Catalog
from bot.models import NewsItem, SummaryLength, Topic
from tests.support.newsitems import NOW, launch_reports, news

LAUNCH = launch_reports()


def item(url: str, hours_ago: float) -> NewsItem:
    return news(f"https://news.example/{url}", f"Report {url}", hours_ago=hours_ago)


def link_all(builds: list[list[list[NewsItem]]]) -> list[list[str | None]]:
    """Run ``assign`` over successive builds, writing each build's links as the store
    does (first link wins); each build's thread ids, story by story."""
    links: dict[str, str] = {}
    seen = []
    for stories in builds:
        assigned = assign(stories, links)
        for result in assigned:
            for url in result.new_urls:
                assert result.thread_id is not None
                links.setdefault(url, result.thread_id)
        seen.append([result.thread_id for result in assigned])
    return seen


def test_a_new_story_starts_a_thread_named_after_its_earliest_item() -> None:
    a, b = item("a", 5), item("b", 3)
    [result] = assign([[b, a]], {})
    assert result == Link(thread_id(a.url), (a.url, b.url))


def test_a_story_that_spans_two_days_keeps_its_thread() -> None:
    a, b, c, d = item("a", 30), item("b", 20), item("c", 10), item("d", 1)
    day_one, evening, day_two = link_all([[[a, b]], [[a, b, c]], [[c, d]]])
    assert day_one == evening == day_two == [thread_id(a.url)]


def test_the_id_survives_the_earliest_item_leaving_the_window() -> None:
    a, b, c = item("a", 23), item("b", 20), item("c", 1)
    # Yesterday's build had a (the story's key then); today's window lost it.
    [[before], [after]] = link_all([[[a, b]], [[b, c]]])
    assert before == after == thread_id(a.url)
    story_today = build_stories([b, c], now=NOW)
    assert all(s.key != a.url for s in story_today), "the story's key did change"


def test_two_different_events_never_share_a_thread() -> None:
    a, b, x, y = item("a", 5), item("b", 4), item("x", 3), item("y", 2)
    [[first, second]] = link_all([[[a, b], [x, y]]])
    assert first != second
    # And the next day, each keeps its own.
    [_, [again_first, again_second]] = link_all([[[a, b], [x, y]], [[b, item("c", 1)], [y]]])
    assert (again_first, again_second) == (first, second)


def test_an_event_split_in_two_keeps_its_thread_on_its_bigger_half() -> None:
    a, b, c, d = item("a", 5), item("b", 4), item("c", 3), item("d", 2)
    new = item("e", 1)
    [[original], [small, big]] = link_all([[[a, b, c]], [[a, new], [b, c, d]]])
    assert big == original
    assert small == thread_id(new.url), "the smaller half starts its own from its new item"


def test_a_story_with_nothing_new_whose_thread_went_to_another_has_none() -> None:
    a, b, c = item("a", 5), item("b", 4), item("c", 3)
    [_, [small, big]] = link_all([[[a, b, c]], [[a], [b, c]]])
    assert big == thread_id(a.url) and small is None


def test_a_linked_item_never_moves() -> None:
    a, b, x = item("a", 5), item("b", 4), item("x", 3)
    links = {a.url: "t1", b.url: "t1", x.url: "t2"}
    [result] = assign([[a, b, x]], links)
    assert result == Link("t1", ())  # x stays with t2


def test_the_day_of_a_thread_counts_the_readers_calendar_days() -> None:
    started = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)  # 5 December 08:30 in Seoul
    mark = ThreadMark("abc", started, frozenset({"Yonhap"}), 3)
    assert mark.continues
    assert mark.day(date(2026, 12, 6), "Asia/Seoul") == 2
    assert mark.day(date(2026, 12, 6), "UTC") == 3
    assert mark.new_outlets(("Yonhap", "NK News", "Korea Herald")) == ("NK News", "Korea Herald")
    assert not ThreadMark("abc", started).continues


# ── in the briefing ──────────────────────────────────────────────────────────


def threaded(story: Story, mark: ThreadMark) -> Briefing:
    return Briefing(
        edition_date=date(2026, 11, 28),
        language="en",
        sections=(Section(Topic.SECURITY, (replace(story, thread=mark),)),),
        quiet=False,
        filtered_out=0,
        timezone="Asia/Seoul",
    )


def test_a_continued_story_says_its_day_and_its_new_outlets_and_names_only_them() -> None:
    [story] = build_stories(LAUNCH, now=NOW)
    mark = ThreadMark("abc", NOW - timedelta(days=2), frozenset({"Yonhap"}), 4)
    [text] = render_briefing(
        threaded(story, mark), Catalog.load(), summary_length=SummaryLength.STANDARD
    )
    lines = plain_text(text).splitlines()
    at = lines.index("🧵 Day 3 · +2 outlets since yesterday")
    assert lines[at + 1].startswith("N. Korea fires"), "the day's headline follows"
    sources = next(line for line in lines[at:] if "NK News" in line)
    assert "Yonhap" not in sources, "only the outlets new since yesterday"


def test_a_continued_story_without_new_outlets_counts_its_new_reports_in_korean() -> None:
    [story] = build_stories(LAUNCH, now=NOW)
    outlets = frozenset({"Yonhap", "NK News", "Korea Herald"})
    mark = ThreadMark("abc", NOW - timedelta(days=1, hours=1), outlets, 2)
    briefing = replace(threaded(story, mark), language="ko")
    [text] = render_briefing(briefing, Catalog.load(), summary_length=SummaryLength.STANDARD)
    assert "🧵 2일째 · 어제 이후 기사 3건 추가" in plain_text(text)


def test_a_thread_that_began_in_the_window_is_an_ordinary_story() -> None:
    [story] = build_stories(LAUNCH, now=NOW)
    mark = ThreadMark("abc", story.first_seen)
    [text] = render_briefing(
        threaded(story, mark), Catalog.load(), summary_length=SummaryLength.STANDARD
    )
    assert "🧵" not in plain_text(text) and "Day" not in plain_text(text)


def test_each_message_knows_the_stories_it_shows() -> None:
    stories = [
        replace(s, key=f"k{n}", items=tuple(replace(i, url=f"{i.url}/{n}") for i in s.items))
        for n in range(30)
        for s in build_stories(LAUNCH, now=NOW)
    ]
    briefing = Briefing(
        date(2026, 11, 28), "en", (Section(Topic.SECURITY, tuple(stories)),), False, 0
    )
    pages = render_briefing_pages(briefing, Catalog.load(), summary_length=SummaryLength.LONG)
    assert len(pages) > 1
    assert [s.key for page in pages for s in page.stories] == [s.key for s in stories]
    for page in pages:
        for story in page.stories:
            assert story.items[0].url in page.text
