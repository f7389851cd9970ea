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

from bot.news.clustering.batch import Batch, ClusterInput, ClusterParams
from bot.news.clustering.similarity import pair_scores, reduce_pairs

__all__ = ["Relation", "affinity"]


class Relation(NamedTuple):
    """How related two stories are (see the module's docstring)."""

    average: float
    reach: float


def affinity(
    items: Sequence[ClusterInput],
    groups: Sequence[Sequence[str]],
    *,
    settings: ClusterParams | None = None,
) -> dict[tuple[int, int], Relation]:
    """Relation of each two groups that share any term, keyed ``(i, j)``, i < j.

    ``groups`` are lists of item keys (``cluster``'s output); indices are positions in
    it. Pairs that share nothing score 0 and pairs that may never be grouped (blocked)
    count as 0, so two groups are related only through what their items share.
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
    a, b = group_of[left], group_of[right]
    between = (a != b) & (a >= 0) & (b >= 0)
    a, b, scores = a[between], b[between], np.maximum(scores[between], 0.0)
    if not len(a):
        return {}
    i, j, (totals, best) = reduce_pairs(
        np.minimum(a, b), np.maximum(a, b), [(scores, np.add), (scores, np.maximum)], len(groups)
    )
    averages = totals / (sizes[i] * sizes[j])
    reaches = np.minimum(totals / np.minimum(sizes[i], sizes[j]), best)
    return {
        (int(x), int(y)): Relation(float(average), float(reach))
        for x, y, average, reach in zip(
            i.tolist(), j.tolist(), averages.tolist(), reaches.tolist(), strict=True
        )
        if reach > 0
    }
