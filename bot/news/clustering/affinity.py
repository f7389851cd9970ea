"""How closely stories that did not merge are still related: the average pair score.

``cluster`` keeps two reports apart unless their groups' average similarity reaches the
threshold, so one big event often ends up as several stories (the arrival, the summit,
the reactions). The briefing needs to know which stories neighbour which: to rank an
event by all of its coverage and to show it once, with its neighbours beside it, rather
than four times. The affinity of two stories is their items' average pair score, the same
quantity average linkage merges on, so it reads on the clustering threshold's scale.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.news.clustering.batch import Batch, ClusterInput, ClusterParams
from bot.news.clustering.similarity import pair_scores, sum_pairs

__all__ = ["affinity"]


def affinity(
    items: Sequence[ClusterInput],
    groups: Sequence[Sequence[str]],
    *,
    settings: ClusterParams | None = None,
) -> dict[tuple[int, int], float]:
    """Average pair score of each two groups that share any term, keyed ``(i, j)``, i < j.

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
    i, j, (totals,) = sum_pairs(np.minimum(a, b), np.maximum(a, b), [scores], len(groups))
    averages = totals / (sizes[i] * sizes[j])
    return {
        (int(x), int(y)): float(value)
        for x, y, value in zip(i.tolist(), j.tolist(), averages.tolist(), strict=True)
        if value > 0
    }
