"""Measure the relevance filter against a naive keyword filter on the labelled set.

    python -m benchmarks.relevance [PATH] [--errors dev|test|all]

PATH is a JSONL file of labelled items (default ``tests/data/relevance.jsonl``; see
``tests/data/README.md``). Prints Markdown: precision, recall and F1 of the "relevant"
decision per language and overall, for the test split (the headline: the lexicon was
tuned on dev only) and the dev split; topic micro-F1 and exact-match rate on the items
that both the labels and the filter call relevant; and items per second. Every item is
scored with prior 0, as from a general feed.

The baseline, measured in the same run, calls an item relevant when it mentions Korea at
all: korea/korean/seoul/pyongyang or 한국/북한/남북, which is what a first filter
usually is. ``--errors`` lists the items a split gets wrong, for tuning on dev.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.models import Topic
from bot.news.relevance import assess

_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEFAULT_PATHS = [_DATA / "relevance.jsonl", _DATA / "relevance_holdout.jsonl"]
THROUGHPUT_ROUNDS = 20

_NAIVE = re.compile(r"\b(?:korea|korean|seoul|pyongyang)|한국|북한|남북", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    language: str
    title: str
    text: str
    relevant: bool
    topics: frozenset[Topic]
    split: str


def read_items(path: Path) -> list[Item]:
    items = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            items.append(
                Item(
                    id=row["id"],
                    language=row["language"],
                    title=row["title"],
                    text=row.get("text", ""),
                    relevant=bool(row["relevant"]),
                    topics=frozenset(Topic(topic) for topic in row.get("topics", [])),
                    split=row.get("split", "test"),
                )
            )
    return items


def naive_filter(item: Item) -> bool:
    """The baseline: any mention of Korea, Seoul or Pyongyang."""
    return _NAIVE.search(f"{item.title} {item.text}") is not None


def ours(item: Item) -> bool:
    return assess(item.title, item.text, item.language).relevant


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        if gold and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def relevance_table(items: Sequence[Item], systems: dict[str, Callable[[Item], bool]]) -> str:
    rows = [
        "| system | language | items | relevant | precision | recall | F1 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, system in systems.items():
        predictions = [system(item) for item in items]
        for language in ("en", "ko", "all"):
            counts = Counts()
            chosen = [
                (item, predicted)
                for item, predicted in zip(items, predictions, strict=True)
                if language in ("all", item.language)
            ]
            for item, predicted in chosen:
                counts.add(item.relevant, predicted)
            gold = sum(item.relevant for item, _ in chosen)
            rows.append(
                f"| {name} | {language} | {len(chosen)} | {gold} | {counts.precision:.3f} "
                f"| {counts.recall:.3f} | {counts.f1:.3f} |"
            )
    return "\n".join(rows)


def topic_table(splits: dict[str, list[Item]]) -> str:
    rows = [
        "| split | items scored | topic precision | topic recall | topic micro-F1 | exact match |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for split, items in splits.items():
        counts, exact, scored = Counts(), 0, 0
        for item in items:
            result = assess(item.title, item.text, item.language)
            if not (item.relevant and result.relevant):
                continue
            scored += 1
            predicted = set(result.topics)
            counts.tp += len(predicted & item.topics)
            counts.fp += len(predicted - item.topics)
            counts.fn += len(item.topics - predicted)
            exact += predicted == item.topics
        share = exact / scored if scored else 0.0
        rows.append(
            f"| {split} | {scored} | {counts.precision:.3f} | {counts.recall:.3f} "
            f"| {counts.f1:.3f} | {share:.3f} |"
        )
    return "\n".join(rows)


def throughput(items: Sequence[Item], systems: dict[str, Callable[[Item], bool]]) -> str:
    rows = ["| system | items/second | µs/item |", "|---|---:|---:|"]
    for name, system in systems.items():
        start = time.perf_counter()
        for _ in range(THROUGHPUT_ROUNDS):
            for item in items:
                system(item)
        elapsed = time.perf_counter() - start
        count = THROUGHPUT_ROUNDS * len(items)
        rows.append(f"| {name} | {count / elapsed:,.0f} | {1e6 * elapsed / count:.1f} |")
    return "\n".join(rows)


def errors(items: Sequence[Item]) -> str:
    lines = []
    for item in items:
        result = assess(item.title, item.text, item.language)
        topics_wrong = item.relevant and result.relevant and set(result.topics) != item.topics
        if result.relevant != item.relevant or topics_wrong:
            kind = "topics" if topics_wrong else ("FP" if result.relevant else "FN")
            gold = ",".join(sorted(item.topics))
            got = ",".join(result.topics)
            lines.append(
                f"- {kind} {item.id} score={result.score} gold=[{gold}] got=[{got}] {item.title}"
            )
    return "\n".join(lines) or "(none)"


SPLIT_LABELS = {
    "holdout": "blind: written without seeing the lexicon",
    "test": "not tuned on",
    "dev": "tuned on",
}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=DEFAULT_PATHS)
    parser.add_argument("--errors", choices=(*SPLIT_LABELS, "all"))
    args = parser.parse_args(argv)

    items = [item for path in args.paths for item in read_items(path)]
    splits = {
        split: [item for item in items if item.split == split]
        for split in SPLIT_LABELS
        if any(item.split == split for item in items)
    }
    systems: dict[str, Callable[[Item], bool]] = {
        "lexicon (ours)": ours,
        "keyword baseline": naive_filter,
    }
    names = ", ".join(path.name for path in args.paths)
    print(f"# Relevance filter — {names}, {len(items)} items\n")
    for split, chosen in splits.items():
        print(f"## {split} split ({SPLIT_LABELS[split]}), {len(chosen)} items\n")
        print(relevance_table(chosen, systems), "\n")
    print("## Topics (items relevant by label and by the filter)\n")
    print(topic_table(splits), "\n")
    print(f"## Throughput (all {len(items)} items × {THROUGHPUT_ROUNDS})\n")
    print(throughput(items, systems), "\n")
    if args.errors:
        chosen = items if args.errors == "all" else splits.get(args.errors, [])
        print(f"## Errors, {args.errors} split\n")
        print(errors(chosen))


if __name__ == "__main__":
    main()
