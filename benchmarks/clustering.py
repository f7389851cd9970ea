"""Score story clustering on a labelled set against baselines measured in the same run.

    python -m benchmarks.clustering [PATH] [--sweep] [--runs N]

PATH is a JSONL file of items ``{"key", "cluster", "split", "batch", "language", "title",
"text", "published", "source"}`` (default: ``tests/data/clusters.jsonl``, described in
``tests/data/README.md``). Each system clusters the whole file as one batch, as the bot
would a day's items; scores are then reported per subset: test (the headline), the test
events written after our method was frozen ("late batch"), dev, and all.

* Pairwise precision / recall / F1 over item pairs, "same predicted group" against "same
  gold event". A pair counts for a subset when either item is in it, so a false merge of a
  dev event with a test event counts against both. B-cubed F1 averages per-item scores.
* EN–KO: the cross-language pairs alone: precision of the EN–KO pairs a system puts
  together, and recall of the same-event EN–KO pairs (their number in brackets).
* Systems: ours (``bot.news.clustering`` defaults); ours without the bilingual gazetteer (an
  ablation: numbers and acronyms still bridge the languages); exact title match after
  lower-casing and dropping punctuation; single-pass TF-IDF: lower-cased words as written
  less sumy's English stop words, sublinear TF-IDF, each item (in time order) joins the
  most similar cluster centroid if the cosine reaches a threshold, chosen for its best
  pairwise F1 on the dev items clustered alone.
* Speed, best of three runs: the set replicated to 1,000 and 5,000 items, each copy with
  a fifth of its words dropped, times jittered by up to 3 h and outlets renamed. Copies of
  an event all fall in one time window, so this is a worst case for the linkage step.
  Then a day's volume, 2,000 items replicated the same way: the median of ``--runs`` runs
  in milliseconds, after one warm-up run (the bot clusters a day's items in one call).

``--sweep`` adds our F1 by threshold. Tuning only ever looked at the dev items alone.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import combinations, pairwise
from pathlib import Path

import numpy as np
from sumy.utils import get_stop_words

from bot.news.clustering import ClusterInput, ClusterParams, cluster

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "tests" / "data" / "clusters.jsonl"
Clusterer = Callable[[Sequence[ClusterInput]], list[list[str]]]
NO_GAZETTEER = ClusterParams(gazetteer=False)
DAY_ITEMS = 2000
"""About a day of items from the bot's feeds, clustered in one call."""


@dataclass(frozen=True, slots=True)
class Labelled:
    item: ClusterInput
    cluster: str
    split: str
    late: bool
    """Written after our method and gazetteer were frozen."""


def load(path: Path) -> list[Labelled]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Labelled(
            ClusterInput(
                key=row["key"],
                title=row["title"],
                text=row.get("text", ""),
                language=row["language"],
                published=datetime.fromisoformat(row["published"]) if row["published"] else None,
                source=row["source"],
            ),
            row["cluster"],
            row.get("split", "test"),
            row.get("batch") == "late",
        )
        for row in rows
    ]


# --- metrics --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    bcubed_f1: float
    cross_precision: float
    cross_recall: float
    cross_pairs: int


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


SUBSETS: dict[str, Callable[[Labelled], bool]] = {
    "test": lambda x: x.split == "test",
    "test, late batch": lambda x: x.late,
    "dev": lambda x: x.split == "dev",
    "all": lambda x: True,
}


def score(labelled: Sequence[Labelled], groups: list[list[str]], subset: str = "all") -> Scores:
    """Pairwise, B-cubed and cross-language scores for the items of a subset.

    A pair counts when at least one of its items is in the subset, so a false merge of a
    dev event with a test event counts against both; gold pairs never cross subsets.
    """
    inside = [SUBSETS[subset](x) for x in labelled]
    predicted = {key: index for index, group in enumerate(groups) for key in group}
    true_pairs = found_pairs = both = cross_true = cross_found = cross_both = 0
    for (a, a_in), (b, b_in) in combinations(zip(labelled, inside, strict=True), 2):
        if not (a_in or b_in):
            continue
        same_gold = a.cluster == b.cluster
        same_pred = predicted[a.item.key] == predicted[b.item.key]
        true_pairs += same_gold
        found_pairs += same_pred
        both += same_gold and same_pred
        if a.item.language != b.item.language:
            cross_true += same_gold
            cross_found += same_pred
            cross_both += same_gold and same_pred
    precision = both / found_pairs if found_pairs else math.nan
    recall = both / true_pairs if true_pairs else math.nan
    gold_size = Counter(x.cluster for x in labelled)
    pred_size = Counter(predicted[x.item.key] for x in labelled)
    overlap = Counter((x.cluster, predicted[x.item.key]) for x in labelled)
    chosen = [x for x, x_in in zip(labelled, inside, strict=True) if x_in]
    b_precision = sum(overlap[x.cluster, predicted[x.item.key]] / pred_size[predicted[x.item.key]]
                      for x in chosen) / len(chosen)  # fmt: skip
    b_recall = sum(overlap[x.cluster, predicted[x.item.key]] / gold_size[x.cluster]
                   for x in chosen) / len(chosen)  # fmt: skip
    return Scores(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall) if found_pairs and true_pairs else 0.0,
        bcubed_f1=_f1(b_precision, b_recall),
        cross_precision=cross_both / cross_found if cross_found else math.nan,
        cross_recall=cross_both / cross_true if cross_true else math.nan,
        cross_pairs=cross_true,
    )


# --- baselines --------------------------------------------------------------------------------


def exact_title(items: Sequence[ClusterInput]) -> list[list[str]]:
    """Items whose titles match after lower-casing and dropping punctuation and spaces."""
    groups: dict[str, list[str]] = {}
    for item in sorted(items, key=lambda i: i.key):
        groups.setdefault(re.sub(r"[\W_]+", "", item.title.lower()), []).append(item.key)
    return list(groups.values())


_WORD = re.compile(r"\w+")
_STOP_WORDS = frozenset(get_stop_words("english"))


def single_pass_tfidf(items: Sequence[ClusterInput], threshold: float) -> list[list[str]]:
    """Classic single-pass clustering on plain TF-IDF: lower-cased words as written (Korean
    eojeol with their particles), sumy's English stop words dropped, no concepts."""
    ordered = sorted(items, key=lambda i: (i.published is None, i.published or 0, i.key))
    bags = [
        Counter(w for w in _WORD.findall(f"{i.title} {i.text}".lower()) if w not in _STOP_WORDS)
        for i in ordered
    ]
    df: Counter[str] = Counter(token for bag in bags for token in bag)
    vocabulary = {token: index for index, token in enumerate(df)}
    n = len(ordered)
    rows, cols, values = [], [], []
    for doc, bag in enumerate(bags):
        weights = {t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1)
                   for t, c in bag.items()}  # fmt: skip
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        rows += [doc] * len(weights)
        cols += [vocabulary[t] for t in weights]
        values += [w / norm for w in weights.values()]
    similarity = _gram(np.array(rows), np.array(cols), np.array(values), n, len(vocabulary))
    label = np.zeros(n, np.int64)
    sq_norm: list[float] = []  # |sum of member vectors|², from pairwise dot products
    for i in range(n):
        dots = np.bincount(label[:i], similarity[i, :i], len(sq_norm))
        cosines = dots / np.sqrt(np.maximum(sq_norm, 1e-12)) if sq_norm else dots
        best = int(np.argmax(cosines)) if len(cosines) else -1
        if best >= 0 and cosines[best] >= threshold:
            label[i] = best
            sq_norm[best] += 2 * dots[best] + 1
        else:
            label[i] = len(sq_norm)
            sq_norm.append(1.0)
    groups: dict[int, list[str]] = {}
    for i, item in enumerate(ordered):
        groups.setdefault(int(label[i]), []).append(item.key)
    return list(groups.values())


def _gram(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int, v: int) -> np.ndarray:
    """Dense item × item dot products of a sparse matrix, via posting lists."""
    gram = np.zeros((n, n), np.float32)
    order = np.argsort(cols, kind="stable")
    rows, cols, values = rows[order], cols[order], values[order]
    bounds = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1], True])
    for start, end in pairwise(bounds):
        if end - start > 1:
            r, w = rows[start:end], values[start:end]
            gram[np.ix_(r, r)] += np.outer(w, w).astype(np.float32)
    return gram


# --- speed --------------------------------------------------------------------------------


def replicate(items: Sequence[ClusterInput], size: int, seed: int = 7) -> list[ClusterInput]:
    """About ``size`` items: perturbed copies (words dropped, times jittered, outlets renamed)."""
    rng = random.Random(seed)

    def perturb(text: str) -> str:
        return " ".join(w for w in text.split() if rng.random() > 0.2)

    copies = list(items)
    copy = 1
    while len(copies) < size:
        for item in items:
            jitter = timedelta(minutes=rng.randint(-180, 180))
            copies.append(
                replace(
                    item,
                    key=f"{item.key}#{copy}",
                    title=perturb(item.title) or item.title,
                    text=perturb(item.text),
                    published=item.published + jitter if item.published else None,
                    source=f"{item.source} {copy}",
                )
            )
        copy += 1
    return copies[:size]


def millis_per_thousand(system: Clusterer, items: Sequence[ClusterInput]) -> float:
    """Best of three runs, in ms per 1,000 items."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        system(items)
        runs.append(time.perf_counter() - start)
    return min(runs) * 1000 / len(items) * 1000


def median_millis(system: Clusterer, items: Sequence[ClusterInput], runs: int) -> float:
    """Median of ``runs`` runs after one warm-up run, in ms for the whole batch."""
    system(items)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        system(items)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


# --- report --------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{100 * value:.1f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH, metavar="PATH")
    parser.add_argument("--sweep", action="store_true", help="our dev F1 by threshold")
    parser.add_argument(
        "--runs", type=int, default=7, help="timed runs of a day's items (median; default 7)"
    )
    args = parser.parse_args(argv)
    labelled = load(args.path)
    items = [x.item for x in labelled]

    dev = [x for x in labelled if x.split == "dev"]
    dev_items = [x.item for x in dev]

    def dev_f1(groups: list[list[str]]) -> float:
        return score(dev, groups).f1

    # The baseline's threshold is chosen on the dev items alone, clustered as one batch.
    thresholds = [round(0.05 * k, 2) for k in range(1, 19)]
    best = max(thresholds, key=lambda t: (dev_f1(single_pass_tfidf(dev_items, t)), -t))
    systems: dict[str, Clusterer] = {
        "ours": lambda batch: cluster(batch),
        "ours without gazetteer": lambda batch: cluster(batch, settings=NO_GAZETTEER),
        "exact title": exact_title,
        f"single-pass TF-IDF (t={best:g})": lambda batch: single_pass_tfidf(batch, best),
    }
    print(f"## {args.path.name}\n")
    for subset, member in SUBSETS.items():
        chosen = [x for x in labelled if member(x)]
        events = len({x.cluster for x in chosen})
        print(f"- {subset}: {len(chosen)} items, {events} events")
    print()
    print("| system | items | pairwise P | pairwise R | pairwise F1 | B³ F1 "
          "| EN–KO P | EN–KO R (pairs) |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, system in systems.items():
        groups = system(items)
        for subset in SUBSETS:
            s = score(labelled, groups, subset)
            print(
                f"| {name} | {subset} | {_pct(s.precision)} | {_pct(s.recall)} "
                f"| {_pct(s.f1)} | {_pct(s.bcubed_f1)} | {_pct(s.cross_precision)} "
                f"| {_pct(s.cross_recall)} ({s.cross_pairs}) |"
            )
    print()
    print(
        f"| system | ms / 1,000 items at 1,000 | at 5,000 | a day: {DAY_ITEMS:,} items, median ms |"
    )
    print("|---|---:|---:|---:|")
    thousand, five_thousand = replicate(items, 1000), replicate(items, 5000)
    day = replicate(items, DAY_ITEMS)
    for name, system in systems.items():
        small = millis_per_thousand(system, thousand)
        large = millis_per_thousand(system, five_thousand)
        whole_day = median_millis(system, day, args.runs)
        print(f"| {name} | {small:.0f} | {large:.0f} | {whole_day:.0f} |")
    if args.sweep:
        print("\n| threshold | ours: pairwise F1, dev items alone | test, whole set |")
        print("|---:|---:|---:|")
        for t in thresholds:
            test = score(labelled, cluster(items, threshold=t), "test").f1
            print(f"| {t:g} | {_pct(dev_f1(cluster(dev_items, threshold=t)))} | {_pct(test)} |")


if __name__ == "__main__":
    main()
