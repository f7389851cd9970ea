"""Search over stored items, the same tests on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from bot.follows.aliases import other_names
from bot.store.database import Database, upgrade_engine
from bot.store.items import ItemRow, ItemStore
from bot.store.schema import items
from bot.store.search import SearchIndex, SearchPage, query_share
from bot.store.searchterms import parse_query
from tests.support.newsitems import stored_item

NOW = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)


def item(
    slug: str, title: str, *, hours_ago: float = 1.0, excerpt: str = "", source: str = "Yonhap"
) -> ItemRow:
    return stored_item(
        f"https://news.example/{slug}",
        title,
        published_at=NOW - timedelta(hours=hours_ago),
        fetched_at=NOW,
        source=source,
        excerpt=excerpt,
    )


@pytest.fixture
def store(database: Database) -> ItemStore:
    return ItemStore(database)


@pytest.fixture
def search(database: Database) -> SearchIndex:
    return SearchIndex(database)


def headlines(page: SearchPage) -> list[str]:
    return [result.newest.title for result in page.results]


async def test_a_korean_word_is_found_inside_a_compound(
    store: ItemStore, search: SearchIndex
) -> None:
    await store.add_items(
        [
            item("1", "김여정이 담화 발표…“한미훈련 중단하라”"),
            item("2", "북한군 포병부대 사격훈련"),
            item("3", "김여사 일정 공개"),
        ]
    )

    assert headlines(await search.search("김여정")) == ["김여정이 담화 발표…“한미훈련 중단하라”"]
    assert headlines(await search.search("북한")) == ["북한군 포병부대 사격훈련"]


async def test_a_one_syllable_korean_word_matches_anywhere_in_a_word(
    store: ItemStore, search: SearchIndex
) -> None:
    await store.add_items(
        [item("1", "북한군 사격", hours_ago=1), item("2", "해군 훈련", hours_ago=2)]
    )

    assert headlines(await search.search("군")) == ["북한군 사격", "해군 훈련"]


async def test_english_words_match_by_stem(store: ItemStore, search: SearchIndex) -> None:
    await store.add_items(
        [
            item("1", "North Korea launches satellite", hours_ago=1),
            item("2", "Seoul says launch failed", hours_ago=2),
            item("3", "Rocket launched from Sohae", hours_ago=3),
            item("4", "Lunch talks in Panmunjom", hours_ago=4),
        ]
    )

    page = await search.search("launched")

    assert headlines(page) == [
        "North Korea launches satellite",
        "Seoul says launch failed",
        "Rocket launched from Sohae",
    ]


async def test_every_word_must_match_and_the_excerpt_counts(
    store: ItemStore, search: SearchIndex
) -> None:
    await store.add_items(
        [
            item("1", "Missile test condemned", excerpt="Seoul and Tokyo protested."),
            item("2", "Missile test in the East Sea", hours_ago=2),
        ]
    )

    assert headlines(await search.search("missile tokyo")) == ["Missile test condemned"]


async def test_a_quoted_phrase_must_match_in_order(store: ItemStore, search: SearchIndex) -> None:
    await store.add_items(
        [
            item("1", "Kim Yo Jong warns Seoul", hours_ago=1),
            item("2", "Jong-un's sister Kim Yo speaks", hours_ago=2),
            item("3", "Statement by Kim Yo-jong", hours_ago=3),
        ]
    )

    assert headlines(await search.search('"Kim Yo Jong"')) == [
        "Kim Yo Jong warns Seoul",
        "Statement by Kim Yo-jong",
    ]
    assert len((await search.search("Kim Yo Jong")).results) == 3


async def test_a_korean_phrase_spans_words(store: ItemStore, search: SearchIndex) -> None:
    await store.add_items(
        [
            item("1", "김여정 부부장 담화", hours_ago=1),
            item("2", "부부장 교체설 속 김여정 등장", hours_ago=2),
        ]
    )

    assert headlines(await search.search('"김여정 부부장"')) == ["김여정 부부장 담화"]


async def test_results_come_newest_first_whatever_order_they_were_stored_in(
    store: ItemStore, search: SearchIndex
) -> None:
    await store.add_items([item("old", "Sanctions report A", hours_ago=30)])
    await store.add_items([item("new", "Sanctions report B", hours_ago=1)])
    await store.add_items([item("mid", "Sanctions report C", hours_ago=5)])

    page = await search.search("sanctions")

    assert headlines(page) == ["Sanctions report B", "Sanctions report C", "Sanctions report A"]


async def test_pages_of_five_with_next_and_previous(store: ItemStore, search: SearchIndex) -> None:
    await store.add_items(
        [item(str(n), f"Drone sighting number {n}", hours_ago=n + 1) for n in range(12)]
    )

    first, second, third = [await search.search("drone", page=n) for n in range(3)]

    assert headlines(first) == [f"Drone sighting number {n}" for n in range(5)]
    assert headlines(second) == [f"Drone sighting number {n}" for n in range(5, 10)]
    assert headlines(third) == ["Drone sighting number 10", "Drone sighting number 11"]
    assert (first.has_previous, first.has_next) == (False, True)
    assert (second.has_previous, second.has_next) == (True, True)
    assert (third.has_previous, third.has_next) == (True, False)


async def test_items_of_one_story_are_one_result_with_their_outlets(
    store: ItemStore, search: SearchIndex
) -> None:
    await store.add_items(
        [
            item("a", "(LEAD) N. Korea fires ballistic missile", hours_ago=1),
            item("b", "N. Korea fires ballistic missile", hours_ago=2, source="KBS World"),
            item("c", "(2nd LD) N. Korea fires ballistic missile", hours_ago=3),
            item("d", "Japan protests ballistic missile launch", hours_ago=4, source="NHK"),
        ]
    )

    page = await search.search("ballistic missile")

    assert [len(result.hits) for result in page.results] == [3, 1]
    assert page.results[0].outlets == ("Yonhap", "KBS World")
    assert page.results[0].newest.url == "https://news.example/a"


async def test_the_same_headline_days_apart_is_two_stories(
    store: ItemStore, search: SearchIndex
) -> None:
    await store.add_items(
        [
            item("a", "Weekly sanctions digest", hours_ago=1),
            item("b", "Weekly sanctions digest", hours_ago=24 * 7),
        ]
    )

    assert len((await search.search("digest")).results) == 2


async def test_grouping_keeps_pages_whole(store: ItemStore, search: SearchIndex) -> None:
    # Six stories, the newest told by three outlets: page one holds five stories.
    rows = [item(f"s{n}", f"Border story {n}", hours_ago=n + 2) for n in range(6)]
    rows += [
        item(f"dup{n}", "Border story 0", hours_ago=2.5, source=f"Outlet {n}") for n in range(3)
    ]
    await store.add_items(rows)

    first = await search.search("border", page=0)
    second = await search.search("border", page=1)

    assert headlines(first) == [f"Border story {n}" for n in range(5)]
    assert len(first.results[0].hits) == 4
    assert headlines(second) == ["Border story 5"]


async def test_nothing_found_and_nothing_asked(store: ItemStore, search: SearchIndex) -> None:
    await store.add_items([item("1", "Talks resume in Panmunjom")])

    assert (await search.search("uranium")).results == ()
    assert (await search.search("  …?! ")).results == ()


async def test_pruned_items_leave_the_index(store: ItemStore, search: SearchIndex) -> None:
    await store.add_items(
        [
            item("old", "Archive story about uranium", hours_ago=200 * 24),
            item("new", "Recent story about uranium", hours_ago=2),
        ]
    )

    assert await store.prune(NOW - timedelta(days=180)) == 1

    assert headlines(await search.search("uranium")) == ["Recent story about uranium"]


async def test_a_saved_query_is_found_by_its_short_id(search: SearchIndex) -> None:
    key = await search.save_query("  김여정   담화 ", NOW)

    assert await search.save_query("김여정 담화", NOW + timedelta(days=1)) == key
    assert len(key) <= 12
    assert await search.saved_query(key) == "김여정 담화"
    assert await search.forget_queries(NOW + timedelta(hours=1)) == 0
    assert await search.forget_queries(NOW + timedelta(days=2)) == 1
    assert await search.saved_query(key) is None


async def test_items_stored_before_the_search_revision_are_indexed_by_it(
    database_url: str, tmp_path: Path
) -> None:
    database = Database(database_url, data_dir=tmp_path)
    await database.open(migrate=False)
    try:
        await upgrade_engine(database.engine, "0008")
        async with database.transaction() as connection:
            row = item("1", "북한군 미사일 발사").values() | {"summary": None}
            del row["topic_order"]  # a later revision's column (0014)
            await connection.execute(insert(items), [row])

        await upgrade_engine(database.engine)

        page = await SearchIndex(database).search("미사일")
        assert headlines(page) == ["북한군 미사일 발사"]
    finally:
        await database.close()


async def test_pruning_in_batches_deletes_every_old_item(
    store: ItemStore, search: SearchIndex
) -> None:
    await store.add_items(
        [item(f"old{n}", f"Old uranium story {n}", hours_ago=200 * 24 + n) for n in range(7)]
    )

    assert await store.prune(NOW - timedelta(days=180), batch=3) == 7

    assert (await search.search("uranium")).results == ()


async def test_a_common_word_pages_in_order_deep_into_the_archive(
    database: Database, store: ItemStore, search: SearchIndex
) -> None:
    # More matches than one read takes: later pages continue where the reads left off.
    await store.add_items(
        [item(str(n), f"Pyongyang report {n}", hours_ago=n + 1) for n in range(60)]
        + [item(f"other{n}", f"Seoul report {n}", hours_ago=n + 0.5) for n in range(60)]
    )
    async with database.transaction() as connection:  # PostgreSQL: the word is common
        await connection.execute(text("ANALYZE"))

    pages = [await search.search("pyongyang report", page=n) for n in (0, 5, 11)]

    assert headlines(pages[0]) == [f"Pyongyang report {n}" for n in range(5)]
    assert headlines(pages[1]) == [f"Pyongyang report {n}" for n in range(25, 30)]
    assert headlines(pages[2]) == [f"Pyongyang report {n}" for n in range(55, 60)]
    assert not pages[2].has_next


@pytest.fixture
def aliased(database: Database) -> SearchIndex:
    """Search as the bot runs it: names also match their aliases."""
    return SearchIndex(database, expand=other_names)


async def test_an_english_name_finds_korean_items_and_the_reverse(
    store: ItemStore, aliased: SearchIndex
) -> None:
    await store.add_items(
        [
            item("1", "김여정 담화 “대북전단 살포 중단하라”", hours_ago=1),
            item("2", "Kim Yo-jong slams leaflet launches", hours_ago=2),
            item("3", "합참 “북한, 동해상으로 탄도미사일 발사”", hours_ago=3),
            item("4", "JCS says North fired artillery near border", hours_ago=4),
            item("5", "Kim Jong Un inspects shipyard", hours_ago=5),
            item("6", "Jong-un's sister Kim Yo speaks", hours_ago=6),
        ]
    )

    assert headlines(await aliased.search("Kim Yo Jong")) == [
        "김여정 담화 “대북전단 살포 중단하라”",
        "Kim Yo-jong slams leaflet launches",
    ]
    assert headlines(await aliased.search("김여정")) == headlines(
        await aliased.search("Kim Yo Jong")
    )
    assert headlines(await aliased.search("JCS")) == [
        "합참 “북한, 동해상으로 탄도미사일 발사”",
        "JCS says North fired artillery near border",
    ]
    assert headlines(await aliased.search("합참")) == headlines(await aliased.search("JCS"))
    # Unquoted, the words of a known name are the name: in order, as a phrase.
    assert "Jong-un's sister Kim Yo speaks" not in headlines(await aliased.search("Kim Yo Jong"))
    # The other words must still match, in whichever language the name was found.
    assert headlines(await aliased.search("Kim Yo Jong 담화")) == [
        "김여정 담화 “대북전단 살포 중단하라”"
    ]


async def test_a_word_with_a_particle_finds_the_plain_word(
    store: ItemStore, aliased: SearchIndex
) -> None:
    await store.add_items(
        [
            item("1", "북한군 포병부대 사격훈련", hours_ago=1),
            item("2", "고양이 구조한 소방관", hours_ago=2),
            item("3", "김정은, 미사일 발사 참관", hours_ago=3),
            item("4", "김정일 생일 행사", hours_ago=4),
        ]
    )

    assert headlines(await aliased.search("북한군은")) == ["북한군 포병부대 사격훈련"]
    assert headlines(await aliased.search("고양이")) == ["고양이 구조한 소방관"]
    assert headlines(await aliased.search("미사일을")) == ["김정은, 미사일 발사 참관"]
    # 김정은 is a name, not 김정 and a particle.
    assert headlines(await aliased.search("김정은")) == ["김정은, 미사일 발사 참관"]
    assert headlines(await aliased.search("김정은은")) == ["김정은, 미사일 발사 참관"]


async def test_a_common_name_pages_across_both_languages_in_order(
    database: Database, store: ItemStore, aliased: SearchIndex
) -> None:
    # Half the items say North Korea, half 북한: on PostgreSQL the any-of is common
    # (its share is its ways' together) and read from the newest documents.
    await store.add_items(
        [item(f"en{n}", f"North Korea report {n}", hours_ago=2 * n + 1) for n in range(30)]
        + [item(f"ko{n}", f"북한 보고 {n}", hours_ago=2 * n + 2) for n in range(30)]
        + [item(f"x{n}", f"Seoul report {n}", hours_ago=n + 0.5) for n in range(60)]
    )
    async with database.transaction() as connection:
        await connection.execute(text("ANALYZE"))

    pages = [await aliased.search("DPRK", page=n) for n in (0, 11)]

    assert headlines(pages[0]) == [
        "North Korea report 0",
        "북한 보고 0",
        "North Korea report 1",
        "북한 보고 1",
        "North Korea report 2",
    ]
    assert headlines(pages[1]) == [
        "북한 보고 27",
        "North Korea report 28",
        "북한 보고 28",
        "North Korea report 29",
        "북한 보고 29",
    ]
    assert not pages[1].has_next


def test_an_any_of_is_no_commoner_than_its_ways_together() -> None:
    shares = {"north": 0.3, "korea": 0.2, "북한": 0.25, "launch": 0.1}
    names = {"dprk": ("north korea", "북한"), "jcs": ("합참 군",), "kcna": ("김", "북")}

    def expand(name: str) -> tuple[str, ...]:
        return names.get(name, ())

    # dprk is no common term (0); "north korea" is as common as korea at most.
    assert query_share(parse_query("DPRK", expand), shares) == pytest.approx(0.2 + 0.25)
    assert query_share(parse_query("DPRK launch", expand), shares) == pytest.approx(0.1)
    # A way with a prefix is as common as its other terms; a prefix alone may be anything.
    assert query_share(parse_query("jcs", expand), shares) == 0.0
    assert query_share(parse_query("kcna", expand), shares) == 1.0
    assert query_share(parse_query("north korea 북한 launch"), shares) == pytest.approx(0.1)
