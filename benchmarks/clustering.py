"""Score story clustering on real labelled news against a baseline measured in the same run.

    python -m benchmarks.clustering [--runs N] [--sweep] [--dev-errors]

Sets, in this order (``tests/data/README.md`` describes the files):

* **real holdout** (``realnews_holdout.jsonl``) — labelled blind, never tuned on: the
  honest estimate. Only its totals are ever printed.
* **real dev** (``realnews_dev.jsonl``) — what the clusterer was tuned on.
* **synthetic** (``clusters.jsonl``, its test split) — written by us; a regression row.

Real sets: the relevant items only (feed ledes cleaned as the bot cleans them), each
labelling batch clustered in one call as a day's items would be; a pair counts when both
items are in one batch (story ids are per batch). The synthetic file is one batch; a pair
counts when either item is in its test split.

* Pairwise precision / recall / F1 over item pairs, "same predicted group" against "same
  labelled story"; B³ F1 averages per-item precision and recall.
* EN–KO: same-story English–Korean pairs merged / labelled, and wrong EN–KO merges (pairs
  put together that are different stories).
* Systems: ours (``bot.news.clustering`` defaults); ours without the bilingual gazetteer (an
  ablation); single-pass TF-IDF: lower-cased words as written less sumy's English stop
  words, sublinear TF-IDF, each item (in time order) joins the most similar cluster
  centroid if the cosine reaches a threshold, chosen for its best pairwise F1 on real dev.
* Speed: a day's 5,000 items (every real labelled item, relevant or not, replicated with
  a fifth of the words dropped, times jittered by up to 3 h, outlets renamed): the median
  of ``--runs`` runs after one warm-up run, in milliseconds.

``--sweep`` adds our F1 on real dev by threshold; ``--dev-errors`` lists the dev pairs we
split and the dev groups we merge wrongly (never the holdout's).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from itertools import combinations, pairwise
from pathlib import Path

import numpy as np
from sumy.utils import get_stop_words

from bot.news.clustering import ClusterInput, ClusterParams, cluster
from bot.news.ledes import clean_lede

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
KST = timezone(timedelta(hours=9))
Clusterer = Callable[[Sequence[ClusterInput]], list[list[str]]]
NO_GAZETTEER = ClusterParams(gazetteer=False)
DAY_ITEMS = 5000
"""A busy day of items from the bot's feeds, clustered in one call."""


@dataclass(frozen=True, slots=True)
class Labelled:
    item: ClusterInput
    story: str
    batch: str
    scored: bool
    """Whether pairs with this item count (the synthetic set scores its test split)."""


@dataclass(frozen=True, slots=True)
class LabelledSet:
    name: str
    items: list[Labelled]

    def batches(self) -> dict[str, list[Labelled]]:
        by_batch: dict[str, list[Labelled]] = defaultdict(list)
        for x in self.items:
            by_batch[x.batch].append(x)
        return dict(sorted(by_batch.items()))


def _when(text: str | None) -> datetime | None:
    """The publication time; a bare date (KCNA) is that day's midnight in Pyongyang/Seoul."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=KST)


def load_real(path: Path, name: str) -> LabelledSet:
    """The relevant items of a ``realnews_*.jsonl`` file."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    items = [
        Labelled(
            ClusterInput(
                key=row["id"],
                title=row["title"],
                text=clean_lede(row.get("lede"), row["title"]),
                language=row["language"],
                published=_when(row.get("published")),
                source=row["source"],
            ),
            row["story"],
            row["batch"],
            scored=True,
        )
        for row in rows
        if row["relevant"] and row["story"]
    ]
    return LabelledSet(name, items)


def load_synthetic(path: Path) -> LabelledSet:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    items = [
        Labelled(
            ClusterInput(
                key=row["key"],
                title=row["title"],
                text=row.get("text", ""),
                language=row["language"],
                published=_when(row.get("published")),
                source=row["source"],
            ),
            row["cluster"],
            "synthetic",
            scored=row.get("split", "test") == "test",
        )
        for row in rows
    ]
    return LabelledSet("synthetic (test split)", items)


def run(system: Clusterer, labelled: LabelledSet) -> dict[str, int]:
    """Key → predicted group number, each batch clustered in its own call."""
    groups = [g for b in labelled.batches().values() for g in system([x.item for x in b])]
    return {key: number for number, group in enumerate(groups) for key in group}


# --- metrics --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scores:
    items: int
    gold_pairs: int
    precision: float
    recall: float
    f1: float
    bcubed_f1: float
    cross_pairs: int
    """Same-story English–Korean pairs."""
    cross_merged: int
    """Of those, pairs put together."""
    cross_wrong: int
    """English–Korean pairs put together that are different stories."""


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(labelled: LabelledSet, predicted: dict[str, int]) -> Scores:
    """Pairwise, B-cubed and cross-language scores; pairs never cross batches."""
    true_pairs = found = both = cross_true = cross_both = cross_found = 0
    b_precision = b_recall = 0.0
    scored = 0
    for batch in labelled.batches().values():
        for a, b in combinations(batch, 2):
            if not (a.scored or b.scored):
                continue
            same_gold = a.story == b.story
            same_pred = predicted[a.item.key] == predicted[b.item.key]
            true_pairs += same_gold
            found += same_pred
            both += same_gold and same_pred
            if a.item.language != b.item.language:
                cross_true += same_gold
                cross_found += same_pred
                cross_both += same_gold and same_pred
        gold_size = Counter(x.story for x in batch)
        pred_size = Counter(predicted[x.item.key] for x in batch)
        overlap = Counter((x.story, predicted[x.item.key]) for x in batch)
        for x in batch:
            if x.scored:
                cell = overlap[x.story, predicted[x.item.key]]
                b_precision += cell / pred_size[predicted[x.item.key]]
                b_recall += cell / gold_size[x.story]
                scored += 1
    precision = both / found if found else math.nan
    recall = both / true_pairs if true_pairs else math.nan
    return Scores(
        items=scored,
        gold_pairs=true_pairs,
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall) if found and true_pairs else 0.0,
        bcubed_f1=_f1(b_precision / scored, b_recall / scored) if scored else math.nan,
        cross_pairs=cross_true,
        cross_merged=cross_both,
        cross_wrong=cross_found - cross_both,
    )


# --- the baseline -----------------------------------------------------------------------------


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
    similarity = _gram(np.array(rows), np.array(cols), np.array(values), n)
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


def _gram(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
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
    """``size`` items: perturbed copies (words dropped, times jittered, outlets renamed)."""
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


def median_millis(system: Clusterer, items: Sequence[ClusterInput], runs: int) -> float:
    """Median of ``runs`` runs after one warm-up run, in ms for the whole batch."""
    system(items)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        system(items)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def all_real_items() -> list[ClusterInput]:
    """Every labelled real item, relevant or not (a day's feeds carry both)."""
    items = []
    for name in ("realnews_dev.jsonl", "realnews_holdout.jsonl"):
        for line in (DATA / name).read_text("utf-8").splitlines():
            row = json.loads(line)
            items.append(
                ClusterInput(
                    row["id"],
                    row["title"],
                    clean_lede(row.get("lede"), row["title"]),
                    row["language"],
                    _when(row.get("published")),
                    row["source"],
                )
            )
    return items


# --- report --------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{100 * value:.1f}"


def _describe(labelled: LabelledSet) -> str:
    stories = Counter((x.batch, x.story) for x in labelled.items)
    scored = [x for x in labelled.items if x.scored]
    multi = sum(1 for size in stories.values() if size > 1)
    languages = Counter(x.item.language for x in scored)
    return (
        f"- {labelled.name}: {len(scored)} items ({languages['en']} English, "
        f"{languages['ko']} Korean) in {len(labelled.batches())} batches, "
        f"{len(stories)} stories, {multi} with more than one item"
    )


def dev_errors(labelled: LabelledSet, predicted: dict[str, int]) -> None:
    """The dev set's split stories and wrong merges, for tuning (never run on the holdout)."""
    print(f"\n### Errors on {labelled.name}\n")
    for batch in labelled.batches().values():
        by_story: dict[str, list[Labelled]] = defaultdict(list)
        by_group: dict[int, list[Labelled]] = defaultdict(list)
        for x in batch:
            by_story[x.story].append(x)
            by_group[predicted[x.item.key]].append(x)
        for story, members in sorted(by_story.items()):
            if len({predicted[x.item.key] for x in members}) > 1:
                print(f"SPLIT {story}")
                for x in sorted(members, key=lambda x: predicted[x.item.key]):
                    print(f"    [{predicted[x.item.key]}] {_line(x)}")
        for group, members in sorted(by_group.items()):
            if len({x.story for x in members}) > 1:
                print(f"MERGED group {group}")
                for x in sorted(members, key=lambda x: x.story):
                    print(f"    {x.story.split('/')[-1]}: {_line(x)}")


def _line(x: Labelled) -> str:
    when = x.item.published.isoformat()[:16] if x.item.published else "undated"
    return f"{when} {x.item.source} {x.item.language} | {x.item.title[:90]}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=7, help="timed runs (median; default 7; 0: no timing)"
    )
    parser.add_argument("--sweep", action="store_true", help="our real-dev F1 by threshold")
    parser.add_argument("--dev-errors", action="store_true", help="list real-dev errors")
    args = parser.parse_args(argv)
    holdout = load_real(DATA / "realnews_holdout.jsonl", "real holdout (blind)")
    dev = load_real(DATA / "realnews_dev.jsonl", "real dev (tuned on)")
    synthetic = load_synthetic(DATA / "clusters.jsonl")

    # The baseline's threshold is chosen on real dev.
    thresholds = [round(0.05 * k, 2) for k in range(1, 19)]

    def baseline_f1(t: float) -> float:
        return score(dev, run(lambda batch: single_pass_tfidf(batch, t), dev)).f1

    best = max(thresholds, key=lambda t: (baseline_f1(t), -t))
    systems: dict[str, Clusterer] = {
        "**ours**": lambda batch: cluster(batch),
        f"single-pass TF-IDF (t={best:g})": lambda batch: single_pass_tfidf(batch, best),
        "ours without gazetteer": lambda batch: cluster(batch, settings=NO_GAZETTEER),
    }
    sets = (holdout, dev, synthetic)
    for labelled in sets:
        print(_describe(labelled))
    print()
    print("| set | system | pairwise P | pairwise R | pairwise F1 | B³ F1 | same-story pairs "
          "| EN–KO merged / labelled | wrong EN–KO merges |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for labelled in sets:
        for name, system in systems.items():
            s = score(labelled, run(system, labelled))
            print(
                f"| {labelled.name} | {name} | {_pct(s.precision)} | {_pct(s.recall)} "
                f"| {_pct(s.f1)} | {_pct(s.bcubed_f1)} | {s.gold_pairs} "
                f"| {s.cross_merged} / {s.cross_pairs} | {s.cross_wrong} |"
            )
    if args.runs:
        day = replicate(all_real_items(), DAY_ITEMS)
        print(f"\n| system | a day's {DAY_ITEMS:,} items, median ms of {args.runs} |")
        print("|---|---:|")
        for name, system in systems.items():
            print(f"| {name} | {median_millis(system, day, args.runs):.0f} |")
    if args.sweep:
        print("\n| threshold | ours: pairwise P / R / F1, real dev |")
        print("|---:|---:|")
        for t in thresholds:
            s = score(dev, run(functools.partial(cluster, threshold=t), dev))
            print(f"| {t:g} | {_pct(s.precision)} / {_pct(s.recall)} / {_pct(s.f1)} |")
    if args.dev_errors:
        dev_errors(dev, run(systems["**ours**"], dev))


if __name__ == "__main__":
    main()
