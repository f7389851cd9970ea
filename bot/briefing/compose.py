"""Compose the daily briefing: NewsItem → Story → Briefing. Pure, no I/O.

``build_stories`` keeps the items of the window, groups them into stories with
:func:`bot.news.clustering.cluster` and ranks the stories; ``compose`` picks a reader's stories
(their topics, their language first) and groups them by topic. Rendering for Telegram
is :mod:`bot.briefing.render`'s job.

A story's score is the product of

* coverage — how much the news cares, from all of the story's coverage:
  ``log(1 + Σ outlet weights)`` (each independent outlet — two feeds or two languages of
  one outlet count once, at its best feed weight), plus :data:`ITEM_WEIGHT` ×
  ``log(1 + items)`` (updates, follow-ups, reactions: a story covered by 30 items ranks
  above one covered by 3, though both come from the same two outlets), plus
  :data:`BOTH_LANGUAGES_BONUS` when it is reported in English and in Korean;
* recency: halves over :data:`RECENCY_HALF_LIFE` since the story's last update;
* topic: :data:`TOPIC_WEIGHTS` of its primary topic;
* relevance: up to :data:`RELEVANCE_BONUS` more for strong evidence in its best item;
* neighbours: one event often stays several stories (the arrival, the talks, the
  reactions score below the clustering threshold with each other), so a story gains
  :data:`NEIGHBOUR_WEIGHT` × ``log(1 + items)`` of the stories whose average affinity
  with it (:func:`bot.news.clustering.affinity`) reaches :data:`NEIGHBOUR_AFFINITY`.

``compose`` shows an event once: a story whose reach with a better one already chosen
(how well its items read like that story's, :mod:`bot.news.clustering.affinity`)
reaches :data:`FOLD_AFFINITY` is not given a place of its own, and is listed under it
(``Story.also``) when the reach is at least :data:`LIST_AFFINITY`. On the real labelled
windows (``benchmarks/briefing_real.py``) the neighbours took the labellers' top story from
leading 2 of 11 dev windows to 3 and the labelled stories shown twice from 13 to 5, with
more of the labellers' top three in the briefing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.briefing.threads import ThreadMark
from bot.models import NewsItem, Provenance, ReaderPrefs, Topic
from bot.news.clustering import ClusterInput, Relation, affinity, cluster
from bot.news.headlines import is_format_item

__all__ = [
    "WEEK",
    "WEEK_HALF_LIFE",
    "WINDOW",
    "Briefing",
    "ReaderPrefs",
    "Section",
    "Story",
    "build_stories",
    "compose",
]

WINDOW = timedelta(hours=24)
"""Stories of this long before the edition make the briefing."""
WEEK = timedelta(days=7)
"""The weekly edition's window: the week's stories, for readers who get one a week."""

RECENCY_HALF_LIFE = timedelta(hours=24)
"""A story last updated this long ago scores half as much as a fresh one."""
WEEK_HALF_LIFE = timedelta(days=7)
"""Recency in the weekly edition: Monday's big story still outranks Sunday's small one,
so the week's stories are ranked by importance more than by freshness."""

TOPIC_WEIGHTS: dict[Topic, float] = {
    Topic.SECURITY: 1.3,
    Topic.INTER_KOREAN: 1.3,
    Topic.DIPLOMACY: 1.25,
    Topic.POLITICS: 1.0,
    Topic.HUMAN_RIGHTS: 1.0,
    Topic.ECONOMY: 0.95,
}
"""A peninsula briefing's editorial weight: the North, the alliance and talks before the
domestic day. Chosen with :data:`ITEM_WEIGHT` and :data:`NEIGHBOUR_WEIGHT` on the 43 real
dev windows (``benchmarks/briefing_real.py``): the labellers' top story led 15 of them with
1.1 / 1.05 / 0.5 / 0.6, and 23 with these, with no more stories shown twice."""

ITEM_WEIGHT = 1.5
"""Weight of ``log(1 + items)`` in a story's coverage, beside its outlets: the wires' many
updates, reactions and follow-ups are how the news says a story matters."""
BOTH_LANGUAGES_BONUS = 0.3
"""Added to the coverage of a story reported in both languages."""

RELEVANCE_BONUS = 0.25
RELEVANCE_CAP = 12.0
"""A best item's relevance of this or more earns the whole bonus (3.0 is the threshold)."""

TOPIC_SHARE = 0.3
"""A story keeps the topics with at least this share of its primary topic's evidence."""
MAX_TOPICS = 3
TOPIC_POSITION_WEIGHTS = (1.0, 0.6, 0.4)
"""An item's first topic is its strongest; later ones count less towards the story's."""

NEIGHBOUR_AFFINITY = 0.12
"""Stories at least this related (average pair score; stories merge at 0.18) lend each
other their coverage in ranking."""
NEIGHBOUR_WEIGHT = 0.3
"""A story's score grows by this × ``log(1 + items of its neighbours)``, relative."""
FOLD_AFFINITY = 0.08
"""A story with this reach into a better one already in the briefing gets no place of its
own: most such pairs are angles of one event (the labellers' same story), and a lower bar
shows an event twice."""
LIST_AFFINITY = 0.16
"""… and it is listed under that one (``↳``) only with this reach. Read blind on 80 such
lines of the real dev windows, half of those listed at 0.08 joined unrelated stories that
share a general name (the president, "special counsel", the National Assembly); at 0.16,
6 of 40 did, and 34 of the 41 lines judged the same event or related were kept."""
MAX_ALSO = 2
"""At most this many related stories listed under one."""

LANGUAGE_BOOST = 1.25
"""Stories with an item in the reader's language score this much more for that reader:
a nudge, so a much bigger story in the other language still comes first."""


@dataclass(frozen=True, slots=True)
class Story:
    """One event as reported by one or more outlets."""

    key: str
    """Stable id: the URL of the earliest item."""
    items: tuple[NewsItem, ...]
    """Best first — not state media, a report rather than a video, photo or full-text page
    (:func:`bot.news.headlines.is_format_item`), then the item most like the story's others
    (its centrality, :func:`bot.news.clustering.affinity`), then feed weight × relevance;
    the first is the representative."""
    topics: tuple[Topic, ...]
    """Primary first."""
    sources: tuple[str, ...]
    """Distinct outlet names in order of first report."""
    first_seen: datetime
    last_updated: datetime
    score: float
    neighbours: frozenset[str] = frozenset()
    """Keys of stories related enough to be folded into this one (:data:`FOLD_AFFINITY`)."""
    listed_neighbours: frozenset[str] = frozenset()
    """Those related closely enough to be listed under it as well (:data:`LIST_AFFINITY`)."""
    also: tuple[Story, ...] = ()
    """Related stories a briefing lists under this one instead of giving them a place."""
    thread: ThreadMark | None = None
    """The story's thread across days, once linked (:class:`bot.briefing.editions.Editions`)."""

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(item.language for item in self.items)

    def item_in(self, language: str) -> NewsItem:
        """The best item in ``language``, else the representative."""
        return next((i for i in self.items if i.language == language), self.items[0])

    def source_item(self, source: str, language: str | None = None) -> NewsItem:
        """The best item of one outlet (in ``language`` if it has one), to link its name to."""
        own = [item for item in self.items if item.outlet_key == source]
        return next((i for i in own if i.language == language), own[0])

    def is_state_media(self, source: str) -> bool:
        """Whether ``source`` is a state's media (North Korea's, Russia's, …) in this story."""
        return self.state_media_of(source) is not None

    def state_media_of(self, source: str) -> Provenance | None:
        """The state-media provenance of ``source`` in this story, or None."""
        return next(
            (i.provenance for i in self.items if i.outlet_key == source and _is_state_media(i)),
            None,
        )

    @property
    def state_media_only(self) -> bool:
        """Every source is state media: its claims must be framed as such."""
        return all(_is_state_media(item) for item in self.items)


class Section(NamedTuple):
    """A topic's stories, best first."""

    topic: Topic
    stories: tuple[Story, ...]


@dataclass(frozen=True, slots=True)
class Briefing:
    """One reader's edition, ready to render."""

    edition_date: date
    """The date in the reader's time zone."""
    language: str
    sections: tuple[Section, ...]
    """Best first (by each section's best story); stories within a section best first."""
    quiet: bool
    """No story for this reader (see ``filtered_out`` for why)."""
    filtered_out: int
    """Stories of the window left out because none of their topics is the reader's."""
    timezone: str = "UTC"
    """The reader's, for the day of a story's thread."""

    @property
    def stories(self) -> tuple[Story, ...]:
        return tuple(story for section in self.sections for story in section.stories)


def build_stories(
    items: Sequence[NewsItem],
    *,
    now: datetime,
    window: timedelta = WINDOW,
    neighbours: bool = True,
    central: bool = True,
    half_life: timedelta = RECENCY_HALF_LIFE,
) -> list[Story]:
    """Stories of the items published in ``(now - window, now]``, best first.

    Items sharing a URL count once (the best-weighted copy). Deterministic: the same
    items give the same stories in the same order, whatever their input order.
    ``neighbours=False`` ranks each story by its own coverage and folds nothing: only to
    measure what the neighbours add; ``central=False`` shows each story by its weightiest
    item instead of its most central one, only to measure what centrality adds.
    ``half_life`` is how fast a story's score fades
    with age (:data:`WEEK_HALF_LIFE` for the weekly edition).
    """
    start = now - window
    by_url: dict[str, NewsItem] = {}
    for item in items:
        if not start < item.published <= now:
            continue
        kept = by_url.get(item.url)
        if kept is None or (_merit(item), item.feed_name) > (_merit(kept), kept.feed_name):
            by_url[item.url] = item
    if not by_url:
        return []
    inputs = [_cluster_input(item) for item in by_url.values()]
    groups = cluster(inputs)
    relations = affinity(inputs, groups)
    central_of = relations.centrality if central else {}
    stories = [_story([by_url[key] for key in keys], now, half_life, central_of) for keys in groups]
    if neighbours:
        stories = _with_neighbours(stories, relations.between)
    return sorted(stories, key=lambda s: (-s.score, s.first_seen, s.key))


def _with_neighbours(stories: list[Story], related: dict[tuple[int, int], Relation]) -> list[Story]:
    """Stories scored with their neighbours' coverage and told which ones to fold in."""
    lent: dict[int, int] = defaultdict(int)
    folds: dict[int, set[str]] = defaultdict(set)
    listed: dict[int, set[str]] = defaultdict(set)
    for (a, b), relation in related.items():
        if relation.average >= NEIGHBOUR_AFFINITY:
            lent[a] += len(stories[b].items)
            lent[b] += len(stories[a].items)
        if relation.reach >= FOLD_AFFINITY:
            folds[a].add(stories[b].key)
            folds[b].add(stories[a].key)
        if relation.reach >= LIST_AFFINITY:
            listed[a].add(stories[b].key)
            listed[b].add(stories[a].key)
    return [
        replace(
            story,
            score=round(story.score * (1 + NEIGHBOUR_WEIGHT * math.log1p(lent[n])), 9),
            neighbours=frozenset(folds[n]),
            listed_neighbours=frozenset(listed[n]),
        )
        for n, story in enumerate(stories)
    ]


def compose(
    stories: Sequence[Story], prefs: ReaderPrefs, *, now: datetime, max_stories: int = 8
) -> Briefing:
    """The reader's briefing: their topics, their language first, at most ``max_stories``.

    A story matches when any of its topics is the reader's and appears under the first
    such topic. Every section that has a story keeps its best one, whatever the others'
    scores; the remaining places go to the best of the rest. Sections come in the order of
    their best stories, so the day's biggest story leads the briefing.
    """
    matching = [s for s in stories if any(t in prefs.topics for t in s.topics)]
    ranked = sorted(matching, key=lambda s: _reader_order(s, prefs.language))
    ranked = _with_every_section(_folded(ranked), prefs.topics, max_stories)
    by_topic: dict[Topic, list[Story]] = defaultdict(list)
    for story in ranked:
        by_topic[next(t for t in story.topics if t in prefs.topics)].append(story)
    # dicts keep insertion order: the section of the day's best story comes first.
    sections = tuple(Section(topic, tuple(stories)) for topic, stories in by_topic.items())
    return Briefing(
        edition_date=now.astimezone(ZoneInfo(prefs.timezone)).date(),
        language=prefs.language,
        sections=sections,
        quiet=not sections,
        filtered_out=len(stories) - len(matching),
        timezone=prefs.timezone,
    )


def _folded(ranked: list[Story]) -> list[Story]:
    """Each story not related to a better one, with the closely related ones listed under
    it; a story only loosely related to a better one is left out."""
    kept: list[Story] = []
    also: dict[str, list[Story]] = defaultdict(list)
    for story in ranked:
        host = next((k for k in kept if story.key in k.neighbours), None)
        if host is None:
            kept.append(story)
        elif story.key in host.listed_neighbours:
            also[host.key].append(story)
    return [replace(story, also=tuple(also[story.key][:MAX_ALSO])) for story in kept]


def _with_every_section(ranked: list[Story], topics: frozenset[Topic], limit: int) -> list[Story]:
    """The ``limit`` best stories, with each section's best among them; in rank order."""
    leaders: dict[Topic, Story] = {}
    for story in ranked:
        leaders.setdefault(next(t for t in story.topics if t in topics), story)
    chosen = {story.key for story in list(leaders.values())[:limit]}
    for story in ranked:
        if len(chosen) >= limit:
            break
        chosen.add(story.key)
    return [story for story in ranked if story.key in chosen]


def _reader_order(story: Story, language: str) -> tuple[float, datetime, str]:
    boost = LANGUAGE_BOOST if language in story.languages else 1.0
    return (-story.score * boost, story.first_seen, story.key)


# --- stories ---------------------------------------------------------------------------


def _is_state_media(item: NewsItem) -> bool:
    return item.provenance.state_media_of is not None


def _merit(item: NewsItem) -> tuple[bool, float, float]:
    """How well an item represents its story: reporting over state claims, then weight."""
    return (not _is_state_media(item), item.weight * max(item.relevance, 0.0), item.weight)


def _cluster_input(item: NewsItem) -> ClusterInput:
    return ClusterInput(
        key=item.url,
        title=item.title,
        text=item.summary,
        language=item.language,
        published=item.published,
        source=item.source,
    )


def _story(
    items: list[NewsItem], now: datetime, half_life: timedelta, centrality: dict[str, float]
) -> Story:
    by_time = sorted(items, key=lambda i: (i.published, i.url))
    # Reporting before state claims, a report before a video, photo or full-text page,
    # one with a lede to show before a bare headline (whose short vector reads like every
    # headline of the story); then the report that reads most like the story's others
    # (the event rather than a reaction to it); the feed's weight and the item's relevance
    # decide between equals (the two items of a two-item story).
    best_first = sorted(  # stable: earlier wins ties
        by_time,
        key=lambda i: (
            not _is_state_media(i),
            not is_format_item(i.title),
            bool(i.summary.strip()),
            centrality.get(i.url, 0.0),
            _merit(i),
        ),
        reverse=True,
    )
    topics = _topics(items)
    last_updated = by_time[-1].published
    return Story(
        key=by_time[0].url,
        items=tuple(best_first),
        topics=topics,
        sources=tuple(dict.fromkeys(item.outlet_key for item in by_time)),
        first_seen=by_time[0].published,
        last_updated=last_updated,
        score=_score(items, topics[0], now - last_updated, half_life),
    )


def _topics(items: Iterable[NewsItem]) -> tuple[Topic, ...]:
    """The story's topics by evidence (weight × relevance, by position in each item)."""
    evidence: dict[Topic, float] = defaultdict(float)
    for item in items:
        for topic, share in zip(item.topics, TOPIC_POSITION_WEIGHTS, strict=False):
            evidence[topic] += share * item.weight * max(item.relevance, 1.0)
    if not evidence:
        return (Topic.SECURITY,)  # as bot.news.relevance files evidence-free items
    order = list(Topic)
    ranked = sorted(evidence, key=lambda t: (-evidence[t], order.index(t)))
    floor = TOPIC_SHARE * evidence[ranked[0]]
    return tuple(t for t in ranked if evidence[t] >= floor)[:MAX_TOPICS]


def _score(
    items: Sequence[NewsItem], primary: Topic, age: timedelta, half_life: timedelta
) -> float:
    outlet_weight: dict[str, float] = {}
    for item in items:
        outlet = item.outlet_key
        outlet_weight[outlet] = max(outlet_weight.get(outlet, 0.0), item.weight)
    coverage = math.log1p(sum(outlet_weight.values())) + ITEM_WEIGHT * math.log1p(len(items))
    if len({item.language for item in items}) > 1:
        coverage += BOTH_LANGUAGES_BONUS
    recency = math.pow(0.5, age / half_life)
    best_relevance = max(item.relevance for item in items)
    relevance = 1 + RELEVANCE_BONUS * min(max(best_relevance, 0.0) / RELEVANCE_CAP, 1.0)
    return round(coverage * recency * TOPIC_WEIGHTS[primary] * relevance, 9)
