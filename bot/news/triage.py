"""Triage: what the briefing makes of a batch of items — relevant or not, topics, which
story each belongs to, whose voice it is — and why.

It is the operator's answer to "why was this item left out, or merged with that one?"
(``briefbot triage``), and the benchmarks score the bot through it. All items of a batch
are clustered together, as one day's items are for an edition.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.errors import InputError
from bot.models import Language, Provenance, Topic
from bot.news.clustering import ClusterInput, cluster
from bot.news.ledes import clean_lede
from bot.news.outlets import known_provenance, outlet_kind
from bot.news.relevance import assess

REQUIRED = ("id", "title", "url", "language")


@dataclass(frozen=True, slots=True)
class TriageItem:
    id: str
    title: str
    summary: str
    url: str
    published: dt.datetime
    """Aware; ``now`` when the input gave none."""
    language: Language
    source: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    id: str
    relevant: bool
    score: float
    topics: tuple[Topic, ...]
    story: str
    """Equal for items the clusterer puts in one story (``s1`` is the largest)."""
    provenance: Provenance | None
    """Set for known state media."""
    outlet: str = ""
    """The kind of outlet the relevance model was told (``bot.news.outlets.outlet_kind``)."""
    reasons: tuple[tuple[str, float], ...] = ()
    """With ``explain``: the features that weighed most in the relevance decision."""
    story_size: int = 1

    def as_json(self, *, explain: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "relevant": self.relevant,
            "score": self.score,
            "topics": [topic.value for topic in self.topics],
            "story": self.story,
            "provenance": self.provenance.value if self.provenance else None,
        }
        if explain:
            data["explain"] = {
                "outlet": self.outlet,
                "reasons": [[name, weight] for name, weight in self.reasons],
                "story_items": self.story_size,
            }
        return data


def read_items(lines: Iterable[str], now: dt.datetime) -> list[TriageItem]:
    """JSONL items; a bad line raises :class:`InputError` naming its number.

    Dates without a time (KCNA's) are taken as noon UTC; items without a date as ``now``.
    """
    items = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(_item(json.loads(line), now))
        except (ValueError, TypeError, KeyError) as exc:
            raise InputError(f"line {number}: {_reason(exc)}") from None
        if items[-1].id in seen:
            raise InputError(f"line {number}: id {items[-1].id!r} appears twice")
        seen.add(items[-1].id)
    return items


def triage(items: Sequence[TriageItem], *, explain: bool = False) -> list[Verdict]:
    """One verdict per item, in input order; ``explain`` adds the reasons."""
    outlets = [
        outlet_kind(url=item.url, source=item.source, language=item.language.value)
        for item in items
    ]
    assessed = [
        assess(
            item.title,
            item.summary,
            item.language.value,
            outlet=outlet,
            url=item.url,
            explain=explain,
        )
        for item, outlet in zip(items, outlets, strict=True)
    ]
    groups = cluster(
        [
            ClusterInput(
                key=item.id,
                title=item.title,
                text=item.summary,
                language=item.language.value,
                published=item.published,
                source=item.source,
            )
            for item in items
        ]
    )
    story_of = {key: f"s{number}" for number, group in enumerate(groups, 1) for key in group}
    size_of = {key: len(group) for group in groups for key in group}
    return [
        Verdict(
            id=item.id,
            relevant=relevance.relevant,
            score=relevance.score,
            topics=relevance.topics,
            story=story_of[item.id],
            provenance=known_provenance(item.url, item.source),
            outlet=outlet,
            reasons=relevance.reasons,
            story_size=size_of[item.id],
        )
        for item, relevance, outlet in zip(items, assessed, outlets, strict=True)
    ]


def _item(data: Any, now: dt.datetime) -> TriageItem:
    if not isinstance(data, dict):
        raise TypeError("each line must be a JSON object")
    missing = [key for key in REQUIRED if data.get(key) in (None, "")]
    if missing:
        raise KeyError(f"missing {', '.join(missing)}")
    texts = {key: data.get(key) or "" for key in ("id", "title", "summary", "url", "source")}
    wrong = [key for key, value in texts.items() if not isinstance(value, str)]
    if wrong:
        raise TypeError(f"{', '.join(wrong)} must be text")
    language = data["language"]
    if language not in set(Language):
        raise ValueError(f"language must be en or ko, not {language!r}")
    return TriageItem(
        id=texts["id"],
        title=texts["title"],
        # As the bot reads a feed's description: dateline, byline and a repeated headline go.
        summary=clean_lede(texts["summary"], headline=texts["title"]),
        url=texts["url"],
        published=_published(data.get("published"), now),
        language=Language(language),
        source=texts["source"],
    )


def _published(value: Any, now: dt.datetime) -> dt.datetime:
    if value is None or value == "":
        return now
    if not isinstance(value, str):
        raise TypeError("published must be an ISO 8601 date or time")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"published {value!r} is not an ISO 8601 date or time") from None
    if len(value) == 10:  # a date alone
        return moment.replace(hour=12, tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not JSON ({exc.msg} at column {exc.colno})"
    if isinstance(exc, KeyError):
        return str(exc.args[0])
    return str(exc)
