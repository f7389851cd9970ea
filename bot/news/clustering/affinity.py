"""How closely stories that did not merge are still related.

``cluster`` keeps two reports apart unless their groups' average similarity reaches the
threshold, so one big event often ends up as several stories (the arrival, the summit,
the reactions). The briefing needs to know which stories neighbour which: to rank an
event by all of its coverage and to show it once, with its neighbours beside it, rather
than four times.

Two measures of it, for two questions:

* ``average`` — the items' average pair score, the quantity average linkage merges on
  (so it reads on the clustering threshold's scale): how much coverage two stories lend
  each other in ranking;
* ``reach`` — what the pair scores add up to per item of the *smaller* story, never more
  than the best pair: whether the smaller story is an angle of the bigger one, to be
  listed under it rather than shown again. The average divides by both sizes, which
  hides a big event's angles: a one-item reaction that reads like every report of a
  ten-item summit scores a tenth of that.

``affinity`` also gives each item its *centrality* in its own story — its average pair
score with the story's other items — so the briefing can show a story by the report that
reads most like all of them (the event), not by a reaction or a side remark that
happens to carry the most keywords.

On the labelled real windows (``benchmarks/briefing_real.py``, dev set), folding by reach
instead of the average, at the same threshold, cut the labelled stories shown twice from
23 to 8. Ranking by reach as well put the labellers' top story first in more dev windows
(19 of 43, not 15) but in fewer of the blind holdout's (3 of 10, not 5), so ranking keeps
the average.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from bot.news.clustering.batch import Batch, ClusterInput, ClusterParams, Floats, Ints
from bot.news.clustering.similarity import pair_scores, reduce_pairs

__all__ = ["Affinity", "Relation", "affinity"]


class Relation(NamedTuple):
    """How related two stories are (see the module's docstring)."""

    average: float
    reach: float


class Affinity(NamedTuple):
    """How the groups relate to each other, and each item to its own group."""

    between: dict[tuple[int, int], Relation]
    """Relation of each two groups that share any term, keyed ``(i, j)``, i < j."""
    centrality: dict[str, float]
    """Item key → its average pair score with the other items of its group (0 alone)."""


def affinity(
    items: Sequence[ClusterInput],
    groups: Sequence[Sequence[str]],
    *,
    settings: ClusterParams | None = None,
) -> Affinity:
    """How related the groups are, and how central each item is in its own group.

    ``groups`` are lists of item keys (``cluster``'s output); indices are positions in
    it. Pairs that share nothing score 0 and pairs that may never be grouped (blocked)
    count as 0, so two groups are related only through what their items share. One pass
    over the pair scores gives both.
    """
    settings = settings or ClusterParams()
    batch = Batch.of(items)
    position = {item.key: index for index, item in enumerate(batch.items)}
    group_of = np.full(len(batch.items), -1, np.int64)
    sizes = np.zeros(len(groups))
    for number, keys in enumerate(groups):
        for key in keys:
            group_of[position[key]] = number
        sizes[number] = len(keys)
    left, right, scores = pair_scores(batch, settings)
    scores = np.maximum(scores, 0.0)
    a, b = group_of[left], group_of[right]
    inside = (a == b) & (a >= 0)
    centrality = _centrality(batch, group_of, sizes, left[inside], right[inside], scores[inside])
    between = (a != b) & (a >= 0) & (b >= 0)
    a, b, scores = a[between], b[between], scores[between]
    if not len(a):
        return Affinity({}, centrality)
    i, j, (totals, best) = reduce_pairs(
        np.minimum(a, b), np.maximum(a, b), [(scores, np.add), (scores, np.maximum)], len(groups)
    )
    averages = totals / (sizes[i] * sizes[j])
    reaches = np.minimum(totals / np.minimum(sizes[i], sizes[j]), best)
    related = {
        (int(x), int(y)): Relation(float(average), float(reach))
        for x, y, average, reach in zip(
            i.tolist(), j.tolist(), averages.tolist(), reaches.tolist(), strict=True
        )
        if reach > 0
    }
    return Affinity(related, centrality)


def _centrality(
    batch: Batch, group_of: Ints, sizes: Floats, left: Ints, right: Ints, scores: Floats
) -> dict[str, float]:
    """Each grouped item's summed pair score inside its group over the group's other items."""
    n = len(batch.items)
    total = np.bincount(left, scores, minlength=n) + np.bincount(right, scores, minlength=n)
    others = np.where(group_of >= 0, sizes[group_of] - 1, 0)
    mean = np.divide(total, others, out=np.zeros(n), where=others > 0)
    return {
        item.key: float(value)
        for item, value, group in zip(batch.items, mean.tolist(), group_of.tolist(), strict=True)
        if group >= 0
    }
