"""A learned relevance and topic model: the lexicon's evidence and the item's own words,
weighed by logistic regression fitted on labelled real feed items.

The lexicon (:mod:`bot.news.relevance`) knows what peninsula news is made of, but real
feeds showed its hand-set weights are not enough: domestic Korean stories that never say
"Korea", foreign stories that mention it in passing, KCNA's farm reports. Here every
lexicon group, the rule score's parts, the headline's and lede's words (English word
forms; Korean words without particles, and syllable pairs of the headline's words), the
language, the kind of outlet and the section in the item's web address become features of
a linear model. It stays explainable —
each decision is a sum of named weights, and :meth:`Model.explain` lists the largest — and
fast (a dictionary lookup per feature).

The weights are package data (``data/relevance_model.json``), fitted by
``python -m benchmarks.train_relevance`` from ``tests/data``; nothing is downloaded.
"""

from __future__ import annotations

import functools
import importlib.resources
import itertools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.models import Topic
from bot.text import hangul_runs, light_stem, strip_josa

MODEL_FILE = "relevance_model.json"
FEATURE_VERSION = 3
"""Bumped whenever :func:`features` changes; a model fitted on other features is refused."""

_ENGLISH_WORD = re.compile(r"[a-z][a-z0-9'’-]*|\d+")
TEXT_CHARS = 600
URL_SEGMENTS = 2
"""Word-like path segments read from an item's address: the outlet's section and desk."""
_SECTION = re.compile(r"[a-z][a-z_-]{1,29}")
_HEX_ID = re.compile(r"[0-9a-f]{8,}")
_NOT_SECTIONS = frozenset({"view", "amp"})
_YONHAP_ID = re.compile(r"AKR\d{17}")
"""A Korean-service Yonhap article id: ``AKR``, the day (8 digits), a serial (6), the desk (3)."""


def features(
    title: str,
    text: str,
    language: str,
    *,
    evidence: Mapping[str, float],
    outlet: str,
    url: str = "",
) -> dict[str, float]:
    """The item as named feature values.

    ``evidence`` is the lexicon's (``bot.news.relevance.evidence``): group and score-part
    names with their values. ``outlet`` is the kind of outlet: ``korean``, ``foreign``,
    ``state`` (any state's media) or ``topical`` (a feed entirely about the peninsula).
    ``url`` is the item's address (see :func:`url_features`: the host, the section and, for
    Yonhap, whose addresses carry no section, the desk that ends its article id); empty
    when unknown.
    """
    found: dict[str, float] = {"bias": 1.0, f"lang:{language}": 1.0, f"outlet:{outlet}": 1.0}
    found[f"outlet:{outlet}:lang:{language}"] = 1.0
    found.update(evidence)
    found.update(dict.fromkeys(url_features(url), 1.0))
    for prefix, part in (("t", title), ("l", text[:TEXT_CHARS])):
        words = _words(part)
        for word in words:
            found[f"{prefix}:{word}"] = 1.0
        if prefix == "t":
            for first, second in itertools.pairwise(words):
                found[f"t2:{first}_{second}"] = 1.0
            for run in hangul_runs(part):
                for i in range(len(run) - 1):
                    found[f"tc:{run[i : i + 2]}"] = 1.0
    return found


def url_features(url: str) -> list[str]:
    """The outlet's host and section from an item's address.

    Domestic stories often never say "Korea"; the section they are filed in does
    (``chosun.com/politics/assembly/…`` against ``chosun.com/economy/stock-finance/…``).
    ``https://www.chosun.com/politics/assembly/2025/08/22/ABC123/`` gives
    ``u:host:chosun.com``, ``u:s:politics`` and ``u:s:politics/assembly``: the first
    :data:`URL_SEGMENTS` word-like segments, skipping dates, numbers, ids, file names.

    Yonhap's addresses name no section (``yna.co.kr/view/AKR20250816007100504``), but its
    Korean article id ends in the code of the desk that filed it, and the desk is the
    section: ``504`` North Korea, ``001`` politics, ``007`` sport, ``030`` consumer
    business, ``051`` Busan. So on ``yna.co.kr`` hosts, and only there, such an id also
    gives ``u:desk:yna:504`` (see :func:`_yonhap_desk`).
    """
    if not url:
        return []
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return []
    names = [f"u:host:{host}"] if host else []
    sections: list[str] = []
    for segment in parts.path.lower().split("/"):
        if len(sections) == URL_SEGMENTS:
            break
        if (
            _SECTION.fullmatch(segment)
            and not _HEX_ID.fullmatch(segment)
            and segment not in _NOT_SECTIONS
        ):
            sections.append(segment)
            names.append("u:s:" + "/".join(sections))
    desk = _yonhap_desk(host, parts.path)
    if desk:
        names.append(f"u:desk:yna:{desk}")
    return names


def _yonhap_desk(host: str, path: str) -> str | None:
    """The desk code that ends a Korean Yonhap article id in the address's last segment.

    Only ``AKR`` ids: English ids (``AEN20231229004900315``) end in the English desk's code
    whatever the section (``315`` on defence, North Korea and national stories alike).
    """
    if host != "yna.co.kr" and not host.endswith(".yna.co.kr"):
        return None
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return last[-3:] if _YONHAP_ID.fullmatch(last) else None


def _words(text: str) -> list[str]:
    words = [light_stem(w) for w in _ENGLISH_WORD.findall(text.lower())]
    words += [strip_josa(run) for run in hangul_runs(text)]
    return words


@dataclass(frozen=True, slots=True)
class Linear:
    """One logistic model: ``bias + Σ weight × value``."""

    bias: float
    weights: Mapping[str, float]

    def logit(self, values: Mapping[str, float]) -> float:
        weights = self.weights
        return self.bias + sum(weights.get(name, 0.0) * value for name, value in values.items())

    def contributions(self, values: Mapping[str, float]) -> list[tuple[str, float]]:
        parts = [(n, self.weights.get(n, 0.0) * v) for n, v in values.items()]
        return sorted((p for p in parts if p[1]), key=lambda p: -abs(p[1]))


@dataclass(frozen=True, slots=True)
class Model:
    relevance: Linear
    threshold: float
    """Logit at which an item counts as relevant (chosen on the training data)."""
    topics: Mapping[Topic, Linear]

    def is_relevant(self, values: Mapping[str, float]) -> tuple[bool, float]:
        logit = self.relevance.logit(values)
        return logit >= self.threshold, logit - self.threshold

    def topics_of(self, values: Mapping[str, float], most: int = 3) -> tuple[Topic, ...]:
        """Topics with probability ≥ 0.5, strongest first; the strongest one at least."""
        scored = sorted(
            ((model.logit(values), topic) for topic, model in self.topics.items()),
            key=lambda pair: (-pair[0], list(Topic).index(pair[1])),
        )
        kept = tuple(topic for logit, topic in scored if logit >= 0.0)[:most]
        return kept or (scored[0][1],)

    def explain(self, values: Mapping[str, float], most: int = 8) -> list[tuple[str, float]]:
        """The features that moved the relevance decision most, with their share of it."""
        return [(n, round(c, 3)) for n, c in self.relevance.contributions(values)[:most]]

    def to_json(self) -> dict[str, object]:
        return {
            "feature_version": FEATURE_VERSION,
            "threshold": self.threshold,
            "relevance": {"bias": self.relevance.bias, "weights": dict(self.relevance.weights)},
            "topics": {
                topic.value: {"bias": m.bias, "weights": dict(m.weights)}
                for topic, m in self.topics.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Model:
        if data.get("feature_version") != FEATURE_VERSION:
            raise ValueError("the relevance model was fitted on other features; refit it")

        def linear(part: object) -> Linear:
            assert isinstance(part, dict)
            return Linear(float(part["bias"]), {k: float(v) for k, v in part["weights"].items()})

        topics = data["topics"]
        assert isinstance(topics, dict)
        threshold = data["threshold"]
        assert isinstance(threshold, int | float)
        return cls(
            relevance=linear(data["relevance"]),
            threshold=float(threshold),
            topics={Topic(name): linear(part) for name, part in topics.items()},
        )


@functools.cache
def packaged_model() -> Model | None:
    """The shipped model, or None when none has been fitted (the lexicon decides alone)."""
    resource = importlib.resources.files("bot.news").joinpath("data", MODEL_FILE)
    if not resource.is_file():
        return None
    return Model.from_json(json.loads(resource.read_text(encoding="utf-8")))


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(logit, 50.0), -50.0)))
