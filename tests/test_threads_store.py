"""Story threads on SQLite and PostgreSQL: the links (first link wins, pruned with their
items), what a thread had before the window, and the day's stories linked by
:class:`~bot.briefing.editions.Editions` from one build to the next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.briefing.editions import Editions
from bot.briefing.threads import Link
from bot.i18n import Catalog
from bot.store.database import Database
from bot.store.items import ItemRow, ItemStore
from bot.store.threads import ThreadStore
from tests.support.newsitems import stored_item
from tests.support.workers import InlineWorkers

DAY_ONE = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)  # 07:00 in Seoul, 6 December
LAUNCH = "North Korea fires ballistic missile into East Sea, JCS says"


def report(
    name: str,
    at: datetime,
    source: str = "Yonhap",
    title: str = LAUNCH,
    excerpt: str = "North Korea fired a ballistic missile into the East Sea, the JCS said.",
) -> ItemRow:
    return stored_item(
        f"https://{source.lower().replace(' ', '')}.example/{name}",
        title,
        published_at=at,
        fetched_at=at,
        source=source,
        excerpt=excerpt,
    )


@pytest.fixture
def items(database: Database) -> ItemStore:
    return ItemStore(database)


@pytest.fixture
def threads(database: Database) -> ThreadStore:
    return ThreadStore(database)


async def test_the_first_link_of_an_item_wins(items: ItemStore, threads: ThreadStore) -> None:
    a, b = report("a", DAY_ONE), report("b", DAY_ONE)
    await items.add_items([a, b])
    assert await threads.link([Link("t1", (a.url,))], DAY_ONE) == 1
    assert await threads.link([Link("t2", (a.url, b.url)), Link(None, ())], DAY_ONE) == 1
    assert await threads.links([a.url, b.url, "https://unknown.example/"]) == {
        a.url: "t1",
        b.url: "t2",
    }
    assert await threads.thread_of(["https://unknown.example/", b.url, a.url]) == "t2"


async def test_a_threads_items_oldest_first_and_its_coverage_before_a_time(
    items: ItemStore, threads: ThreadStore
) -> None:
    rows = [
        report("c", DAY_ONE, source="NK News"),
        report("a", DAY_ONE - timedelta(hours=30)),
        report("b", DAY_ONE - timedelta(hours=26)),
        report("other", DAY_ONE - timedelta(hours=27)),
    ]
    await items.add_items(rows)
    await threads.link([Link("t1", (rows[0].url, rows[1].url, rows[2].url))], DAY_ONE)
    await threads.link([Link("t2", (rows[3].url,))], DAY_ONE)
    listed = await threads.thread_items("t1")
    assert [i.url for i in listed] == [rows[1].url, rows[2].url, rows[0].url]
    [before] = await threads.earlier(["t1"], DAY_ONE - timedelta(hours=24))
    assert (before.thread_id, before.source, before.items) == ("t1", "Yonhap", 2)
    assert before.first == rows[1].published_at


async def test_links_are_pruned_with_their_items(items: ItemStore, threads: ThreadStore) -> None:
    old, new = report("old", DAY_ONE - timedelta(days=200)), report("new", DAY_ONE)
    await items.add_items([old, new])
    await threads.link([Link("t1", (old.url, new.url))], DAY_ONE)
    assert await items.prune(DAY_ONE - timedelta(days=180)) == 1
    assert await threads.links([old.url, new.url]) == {new.url: "t1"}
    assert [i.url for i in await threads.thread_items("t1")] == [new.url]


async def test_editions_keep_a_story_on_its_thread_from_one_day_to_the_next(
    items: ItemStore, threads: ThreadStore
) -> None:
    editions = Editions(items, InlineWorkers(), Catalog.load(), threads=threads)
    await items.add_items(
        [report("1", DAY_ONE - timedelta(hours=2)), report("2", DAY_ONE, source="NK News")]
    )
    [first] = await editions.stories(DAY_ONE)
    assert first.thread is not None and not first.thread.continues

    # The evening: a follow-up joins the story (the window still holds the morning's).
    evening = DAY_ONE + timedelta(hours=10)
    await items.add_items([report("3", evening - timedelta(hours=1), source="Korea Herald")])
    editions.invalidate()
    [later] = await editions.stories(evening)
    assert later.thread == first.thread

    # The next morning: the first reports left the window, new outlets came in.
    day_two = DAY_ONE + timedelta(days=1)
    await items.add_items(
        [
            report("4", day_two - timedelta(hours=2), source="Reuters"),
            report("5", day_two - timedelta(hours=1), source="AP"),
        ]
    )
    editions.invalidate()
    [today] = await editions.stories(day_two)
    assert today.key != first.key, "the story's key moved on"
    assert today.thread is not None and today.thread.id == first.thread.id
    assert today.thread.continues
    assert today.thread.earlier_outlets == {"Yonhap", "NK News"}
    assert today.thread.new_outlets(today.sources) == ("Korea Herald", "Reuters", "AP")
    assert today.thread.started == DAY_ONE - timedelta(hours=2)


async def test_another_event_on_the_same_day_gets_its_own_thread(
    items: ItemStore, threads: ThreadStore
) -> None:
    editions = Editions(items, InlineWorkers(), Catalog.load(), threads=threads)
    await items.add_items(
        [
            report("1", DAY_ONE - timedelta(hours=2)),
            report("2", DAY_ONE - timedelta(hours=1), source="NK News"),
            report(
                "rate",
                DAY_ONE - timedelta(hours=1),
                source="Korea Herald",
                title="Bank of Korea holds base rate steady at 2.50 percent",
                excerpt="The central bank kept its policy rate unchanged for a third time.",
            ),
        ]
    )
    stories = await editions.stories(DAY_ONE)
    assert len(stories) == 2
    ids = {story.thread.id for story in stories if story.thread is not None}
    assert len(ids) == 2
