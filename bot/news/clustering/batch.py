"""What the clusterer takes and its knobs, and the batch it works on.

``ClusterInput`` and ``ClusterParams`` are the public shapes; ``Batch`` puts the items in
key order (so input order never matters) with their times and outlets as arrays, which
the similarity and linkage steps index by position.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFAULT_THRESHOLD",
    "Batch",
    "ClusterInput",
    "ClusterParams",
    "Floats",
    "Floats32",
    "Ints",
]

Floats = npt.NDArray[np.float64]
Floats32 = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]

DEFAULT_THRESHOLD = 0.18
"""Average similarity two groups need to merge: the lowest at which pairwise precision on
the real dev set (``tests/data/realnews_dev.jsonl``) stays about 0.9."""


@dataclass(frozen=True, slots=True)
class ClusterInput:
    """One news item as the clusterer sees it."""

    key: str
    """The item's canonical URL; unique within a batch."""
    title: str
    text: str
    """Lede or summary; may be empty."""
    language: str
    """``"en"`` or ``"ko"``."""
    published: datetime | None
    """Timezone-aware publication time, if known."""
    source: str
    """Outlet name, e.g. "Yonhap"."""


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """The knobs of ``cluster`` besides the threshold, tuned on the real dev set."""

    title_weight: float = 2.0
    """A title token counts this many times a lede token."""
    entity_share: float = 0.25
    """Share of the entity similarity in a same-language pair's score."""
    cross_language_scale: float = 1.0
    """An English–Korean pair scores this times its entity similarity."""
    same_source_similarity: float = 0.25
    """Two items of one outlet published more than ``same_source_hours`` apart (or
    undated) and scoring below this are different stories."""
    same_source_hours: float = 2.0
    """Within this many hours an outlet's items may join on any score: wires file an
    event as a flash, then its updates ([1보], (2보), (종합), (2nd LD)), within hours."""
    decay_hours: float = 12.0
    """Scores fade with the time between two items over this many hours (e-folding) …"""
    decay_floor: float = 0.5
    """… down to this share: reports of one event come close together, while different
    events sharing words come at any time. 1 turns the fading off."""
    window_hours: float = 36.0
    """Items published further apart than this are never in one group."""
    entity_evidence: float = 2.0
    """Entity similarity resting on fewer shared entities than this is scaled down in
    proportion, so one coincidental shared concept cannot carry a pair; a general
    concept that comes with a specific one (MISSILE with BALLISTIC_MISSILE) counts half."""
    reference_weight: float = 0.1
    """The reference corpus's document frequencies (``data/reference_df.txt``) count as
    this share of its documents beside the batch's own in the IDF: a batch of a few dozen
    items alone says little about which words are rare. 0 leaves the batch alone."""
    max_df_share: float = 0.1
    """Tokens in more than this share of the batch (and more than 50 items) are ignored."""
    gazetteer: bool = True
    """Map key terms to shared concepts; off only to measure what the gazetteer adds."""


@dataclass(frozen=True, slots=True)
class Batch:
    """The items in key order, with their times and outlets as arrays."""

    items: list[ClusterInput]
    hours: Floats
    """Publication time in hours since the earliest item; NaN when unknown."""
    outlet: Ints
    """A number per outlet (case-insensitive)."""

    @classmethod
    def of(cls, items: Sequence[ClusterInput]) -> Batch:
        ordered = sorted(items, key=lambda item: item.key)
        if len({item.key for item in ordered}) != len(ordered):
            raise ValueError("cluster() needs unique keys")
        stamps = [i.published.timestamp() if i.published else math.nan for i in ordered]
        known = [stamp for stamp in stamps if not math.isnan(stamp)]
        hours = (np.array(stamps) - min(known, default=0.0)) / 3600
        outlets: dict[str, int] = {}
        outlet = [outlets.setdefault(i.source.casefold(), len(outlets)) for i in ordered]
        return cls(ordered, hours, np.array(outlet, np.int64))

    def keys(self, groups: list[list[int]]) -> list[list[str]]:
        """Keys of each group by time (undated last); groups by size, then earliest item."""

        def when(i: int) -> tuple[bool, float, str]:
            hours = self.hours[i]
            return (
                bool(np.isnan(hours)),
                0.0 if np.isnan(hours) else float(hours),
                self.items[i].key,
            )

        by_time = [sorted(group, key=when) for group in groups]
        by_time.sort(key=lambda group: (-len(group), when(group[0])))
        return [[self.items[i].key for i in group] for group in by_time]
