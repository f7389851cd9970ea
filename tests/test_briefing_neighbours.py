"""One event told once: stories that stay apart but are related rank and show together.

The real case is a labelled capture window (``tests/data/realnews_dev.jsonl``, 6 Sept
2025): the Georgia battery-plant raid and the Gangneung drought each came as several
stories, which a briefing without neighbours showed as separate entries.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from bot.briefing.compose import Briefing, Section, Story, build_stories, compose
from bot.briefing.render import render_briefing
from bot.formatting import plain_text
from bot.i18n import Catalog
from bot.models import Language, NewsItem, Provenance, ReaderPrefs, SummaryLength, Topic
from bot.news.clustering import ClusterInput, ClusterParams, affinity, cluster
from bot.news.clustering.batch import Batch
from bot.news.clustering.similarity import pair_scores
from bot.news.ledes import clean_lede
from tests.support.newsitems import NOW, news

DEV = Path(__file__).parent / "data" / "realnews_dev.jsonl"
DAY = "2025-09-06"
TOPICS = {
    "security": Topic.SECURITY,
    "inter_korean": Topic.INTER_KOREAN,
    "diplomacy": Topic.DIPLOMACY,
    "sk_politics": Topic.POLITICS,
    "nk_politics": Topic.POLITICS,
    "economy": Topic.ECONOMY,
    "society": Topic.ECONOMY,
    "human_rights": Topic.HUMAN_RIGHTS,
}


def window() -> tuple[list[NewsItem], dict[str, str]]:
    """The window's relevant items as feed items, and each URL's labelled story."""
    rows = [json.loads(line) for line in DEV.read_text("utf-8").splitlines()]
    rows = [r for r in rows if r["window"] == DAY and r["relevant"]]
    items = [
        NewsItem(
            url=r["url"],
            title=r["title"],
            summary=clean_lede(r["lede"]),
            published=dt.datetime.fromisoformat(r["published"]).astimezone(dt.UTC),
            source=r["source"],
            feed_name=r["source"],
            language=r["language"],
            provenance=Provenance.WIRE,
            topics=tuple(dict.fromkeys(TOPICS[t] for t in r["topics"])),
            relevance=6.0,
        )
        for r in rows
    ]
    return items, {r["url"]: r["story"].split("/", 1)[1] for r in rows}


def label(story: Story, labels: dict[str, str]) -> str:
    return Counter(labels[item.url] for item in story.items).most_common(1)[0][0]


def shown(neighbours: bool) -> tuple[list[Story], dict[str, str]]:
    items, labels = window()
    now = dt.datetime.fromisoformat(f"{DAY}T19:00:00+09:00")
    stories = build_stories(items, now=now, neighbours=neighbours)
    reader = ReaderPrefs.default(Language.EN, "Asia/Seoul")
    return list(compose(stories, reader, now=now).stories), labels


def test_a_real_event_in_several_stories_is_shown_once_with_its_other_angles() -> None:
    stories, labels = shown(neighbours=True)
    places = Counter(label(story, labels) for story in stories)

    assert label(stories[0], labels) == "georgia-battery-plant-ice-raid"
    assert [label(s, labels) for s in stories[0].also] == ["georgia-battery-plant-ice-raid"] * 2
    drought = next(s for s in stories if label(s, labels) == "gangneung-drought-disaster")
    assert places["gangneung-drought-disaster"] == 1
    # Its other fragments (the navy's water, the cut supply) read too little like it to be
    # listed (reach under LIST_AFFINITY), but take no place of their own either.
    assert all(label(s, labels) == "gangneung-drought-disaster" for s in drought.also)
    assert sum(n - 1 for n in places.values()) < 2


def test_a_loosely_related_story_is_folded_but_only_a_close_one_is_listed() -> None:
    host, close, loose = (
        build_stories([news(f"https://yna.example/{n}", title, hours_ago=h)], now=NOW)[0]
        for n, title, h in (
            ("raid", "US raid on Hyundai-LG battery plant", 1),
            ("detained", "Over 300 Koreans detained in US raid", 2),
            ("drills", "Joint Chiefs inspect drills", 3),
        )
    )
    host = replace(
        host,
        score=3.0,
        neighbours=frozenset({close.key, loose.key}),
        listed_neighbours=frozenset({close.key}),
    )
    close, loose = replace(close, score=2.0), replace(loose, score=1.0)
    reader = ReaderPrefs.default(Language.EN, "Asia/Seoul")

    shown = compose([host, close, loose], reader, now=NOW).stories

    assert [story.key for story in shown] == [host.key]
    assert [story.key for story in shown[0].also] == [close.key]


def test_without_neighbours_the_same_window_repeats_its_events() -> None:
    stories, labels = shown(neighbours=False)
    places = Counter(label(story, labels) for story in stories)

    assert all(not story.also for story in stories)
    assert places["georgia-battery-plant-ice-raid"] >= 2


def test_affinity_relates_stories_that_stay_apart_and_nothing_else() -> None:
    items = [
        _item("a1", "Kim Jong Un arrives in Beijing by armoured train for Chinese military parade"),
        _item(
            "a2", "Kim Jong Un arrives in Beijing for military parade with Xi and Putin", "Chosun"
        ),
        _item("b1", "North Korean leader's train crosses border into China overnight"),
        _item("c1", "Bank of Korea holds base rate at 2.50 percent", "Chosun"),
    ]
    groups = cluster(items)
    related = affinity(items, groups).between
    index = {key: n for n, keys in enumerate(groups) for key in keys}
    parade, crossing, rate = index["a1"], index["b1"], index["c1"]

    assert len(groups) == 3  # the crossing stays its own story …
    pair = (min(parade, crossing), max(parade, crossing))
    assert related[pair].average > 0  # … but is related to the arrival,
    assert all(rate not in key for key in related)  # and the rate decision to nothing.


def test_an_angle_of_a_big_story_reaches_it_though_the_average_is_diluted() -> None:
    """Reach is the pair scores per item of the smaller story, capped by the best pair;
    the average divides by both sizes, so it shrinks as the big story grows."""
    summit = [
        _item("s0", "Lee and Trump meet at the White House", "Yonhap"),
        _item("s1", "Trump praises Lee over lunch in the Oval Office", "Chosun"),
        _item("s2", "Seoul and Washington leaders end summit with shipbuilding pledge", "KBS"),
        _item("s3", "Summit ends with tariff deal on cars and semiconductors", "Hankyoreh"),
    ]
    reaction = _item("r1", "Opposition says tariff deal on cars gives away too much", "Chosun")
    items = [*summit, reaction]
    groups = [[item.key for item in summit], ["r1"]]

    relation = affinity(items, groups).between[(0, 1)]
    with_reaction = [score for pair, score in _pair_scores(items).items() if "r1" in pair]

    assert relation.average == pytest.approx(sum(with_reaction) / 4)
    assert relation.reach == pytest.approx(min(max(with_reaction), sum(with_reaction)))
    assert relation.reach > 2 * relation.average  # one summit item carries the link


def test_centrality_is_an_items_average_pair_score_inside_its_own_group() -> None:
    summit = [
        _item("s0", "Lee and Trump meet at the White House for tariff talks", "Yonhap"),
        _item("s1", "Lee and Trump hold White House summit on tariffs", "Chosun"),
        _item("s2", "Trump hosts Lee at White House, tariff deal in focus", "KBS"),
    ]
    alone = _item("c1", "Bank of Korea holds base rate at 2.50 percent", "Chosun")
    items = [*summit, alone]
    groups = [[item.key for item in summit], ["c1"]]

    central = affinity(items, groups).centrality
    pair = _pair_scores(items)

    for key in ("s0", "s1", "s2"):
        others = [max(pair.get(frozenset((key, other)), 0.0), 0.0)
                  for other in ("s0", "s1", "s2") if other != key]  # fmt: skip
        assert central[key] == pytest.approx(sum(others) / 2)
    assert central["c1"] == 0.0  # alone in its story
    assert max(central.values()) > 0


def _pair_scores(items: list[ClusterInput]) -> dict[frozenset[str], float]:
    """The clusterer's score of each two items sharing a term, keyed by their keys."""
    batch = Batch.of(items)
    left, right, scores = pair_scores(batch, ClusterParams())
    keys = [item.key for item in batch.items]
    return {
        frozenset((keys[x], keys[y])): float(score)
        for x, y, score in zip(left, right, scores, strict=True)
    }


def _item(key: str, title: str, source: str = "Yonhap") -> ClusterInput:
    return ClusterInput(
        key, title, "", "en", dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), source
    )


def test_a_related_story_is_one_line_under_its_host_without_a_lede() -> None:
    host = news("https://yna.example/raid", "US raid on Hyundai-LG battery plant", summary="A.")
    other = news(
        "https://chosun.example/detained",
        "Foreign minister: over 300 Koreans detained in US raid",
        source="Chosun Ilbo",
        summary="This lede is not shown.",
    )
    stories = build_stories([host], now=NOW) + build_stories([other], now=NOW)
    with_also = replace(stories[0], also=(stories[1],))
    briefing = Briefing(
        edition_date=NOW.date(),
        language="en",
        sections=(Section(Topic.SECURITY, (with_also,)),),
        quiet=False,
        filtered_out=0,
    )

    text = plain_text(
        render_briefing(briefing, Catalog.load(), summary_length=SummaryLength.STANDARD)[0]
    )

    assert "↳ Foreign minister: over 300 Koreans detained in US raid — Chosun Ilbo" in text
    assert "This lede is not shown." not in text
