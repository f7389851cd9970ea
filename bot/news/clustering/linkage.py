"""Average-linkage grouping of the scored pairs into stories, and ``cluster`` itself.

Pairs at or above the threshold split the batch into connected components; inside each,
average-linkage agglomerative clustering (nearest-neighbour chain) runs on the
component's dense similarity matrix. Single linkage would chain a launch to the sanctions
report to the UN meeting; average linkage does not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.news.clustering.batch import (
    DEFAULT_THRESHOLD,
    Batch,
    ClusterInput,
    ClusterParams,
    Floats,
    Floats32,
    Ints,
)
from bot.news.clustering.similarity import BLOCKED, pair_scores

__all__ = ["cluster"]


def cluster(
    items: Sequence[ClusterInput],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    settings: ClusterParams | None = None,
) -> list[list[str]]:
    """Group items about the same event; return the groups as lists of keys.

    Every key is in exactly one group. A group lists its items by publication time
    (earliest first, undated last); groups come largest first, then earliest first. Two
    groups merge while their average pairwise similarity is at least ``threshold``.
    """
    settings = settings or ClusterParams()
    batch = Batch.of(items)
    if not batch.items:
        return []
    left, right, scores = pair_scores(batch, settings)
    linked = scores >= threshold
    n = len(batch.items)
    label = _components(n, left[linked], right[linked])
    # Average linkage runs inside each component, on that component's dense matrix.
    inside = label[left] == label[right]
    left, right, scores = left[inside], right[inside], scores[inside]
    pair_order = np.argsort(label[left], kind="stable")
    left, right, scores = left[pair_order], right[pair_order], scores[pair_order]
    pair_bounds = np.searchsorted(label[left], np.arange(n + 1))
    node_order = np.argsort(label, kind="stable")
    node_bounds = np.searchsorted(label[node_order], np.arange(n + 1))
    groups: list[list[int]] = []
    for component in np.unique(label).tolist():
        nodes = node_order[node_bounds[component] : node_bounds[component + 1]]
        if len(nodes) <= 2:  # one item, or two linked ones: nothing to weigh
            groups.append(nodes.tolist())
            continue
        span = slice(pair_bounds[component], pair_bounds[component + 1])
        similarity = _dense(batch, nodes, left[span], right[span], scores[span], settings)
        groups += [nodes[g].tolist() for g in _average_linkage(similarity, threshold)]
    return batch.keys(groups)


def _components(n: int, left: Ints, right: Ints) -> Ints:
    """Connected-component label (smallest member index) of each of n nodes."""
    label = np.arange(n)
    while True:
        low = np.minimum(label[left], label[right])
        new = label.copy()
        np.minimum.at(new, left, low)
        np.minimum.at(new, right, low)
        new = new[new]  # pointer jumping: follow labels to their own labels
        if np.array_equal(new, label):
            return label
        label = new


def _dense(
    batch: Batch, nodes: Ints, left: Ints, right: Ints, scores: Floats, settings: ClusterParams
) -> Floats32:
    """The component's similarity matrix (nodes ascending); pairs sharing no term score 0.

    Blocking is applied to every pair here, including those absent from the pair list.
    """
    rows, cols = np.searchsorted(nodes, left), np.searchsorted(nodes, right)
    similarity = np.zeros((len(nodes), len(nodes)), np.float32)
    similarity[rows, cols] = scores
    similarity[cols, rows] = scores
    hours = batch.hours[nodes].astype(np.float32)
    outlet = batch.outlet[nodes]
    gap = np.abs(hours[:, None] - hours[None, :])
    blocked = gap > settings.window_hours
    same_outlet = (outlet[:, None] == outlet[None, :]) & ~(gap <= settings.same_source_hours)
    blocked |= same_outlet & (similarity < settings.same_source_similarity)
    similarity[blocked] = BLOCKED
    return similarity


def _average_linkage(sim: Floats32, threshold: float) -> list[list[int]]:
    """Average-linkage groups, merging while the best average is ≥ threshold (NN-chain).

    Overwrites ``sim``.
    """
    np.fill_diagonal(sim, -np.inf)
    size = np.ones(len(sim))
    active = np.ones(len(sim), dtype=bool)
    members = [[i] for i in range(len(sim))]
    groups: list[list[int]] = []
    chain: list[int] = []
    while active.any():
        if not chain:
            chain.append(int(np.argmax(active)))
        a = chain[-1]
        row = np.where(active, sim[a], -np.inf)
        b = int(np.argmax(row))
        if row[b] < threshold:  # average linkage is reducible: a will never merge again
            active[a] = False
            groups.append(members[a])
            chain.pop()
        elif len(chain) > 1 and row[chain[-2]] >= row[b]:  # reciprocal nearest neighbours
            b = chain[-2]
            merged = (size[a] * sim[a] + size[b] * sim[b]) / (size[a] + size[b])
            sim[a, :] = merged
            sim[:, a] = merged
            sim[a, a] = -np.inf
            size[a] += size[b]
            members[a] += members[b]
            active[b] = False
            del chain[-2:]
        else:
            chain.append(b)
    return groups
