"""Relevance on real feed items first: the learned model against today's rules and a
keyword filter, measured in the same run.

    python -m benchmarks.relevance [--errors holdout|dev|...]

Sets, in this order (``tests/data``, see its README):

* **real holdout** (``realnews_holdout.jsonl``) — labelled blind, never trained or tuned on;
* **real dev** (``realnews_dev.jsonl``) — the model is fitted on it: in-sample, for reference;
* the synthetic sets (``relevance_holdout.jsonl``, ``relevance.jsonl``) — regressions.

For each: precision, recall and F1 of the "relevant" decision per language, and for the
real sets per source family (Korean outlets, foreign outlets, KCNA). Then topics (micro-F1
on items both the labels and the system call relevant) and items per second on one core.

Systems: **shipped** (``bot.news.relevance.assess``: the shipped model for Korean text and
state media, the lexicon for other English — see its docstring), the **lexicon rules**
alone (``lexicon_assess``, the filter before the model), the **learned model** alone on
every item (fitted on the real dev set in this run by ``benchmarks.train_relevance``,
whether shipped or not) and the **keyword baseline** (any mention of
korea/korean/seoul/pyongyang or 한국/북한/남북). Topics are those three systems'.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.train_relevance import LABEL_TOPICS, outlet_of
from benchmarks.train_relevance import main as train_main
from bot.models import Topic
from bot.news.classifier import Model, packaged_model
from bot.news.ledes import clean_lede
from bot.news.relevance import assess, lexicon_assess, model_features

_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {
    "real holdout (blind)": (_DATA / "realnews_holdout.jsonl", None),
    "real dev (fitted on)": (_DATA / "realnews_dev.jsonl", None),
    "synthetic holdout": (_DATA / "relevance_holdout.jsonl", None),
    "synthetic test": (_DATA / "relevance.jsonl", "test"),
    "synthetic dev (fitted on)": (_DATA / "relevance.jsonl", "dev"),
}
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
    outlet: str
    family: str
    url: str = ""


FAMILIES = {"korean": "Korean outlets", "topical": "Korean outlets", "nk_state": "KCNA"}


def read_items(path: Path, split: str | None) -> list[Item]:
    items = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            if split is not None and row.get("split") != split:
                continue
            outlet = outlet_of(row)
            items.append(
                Item(
                    id=row["id"],
                    language=row["language"],
                    title=row["title"],
                    text=clean_lede(row.get("lede") or row.get("text") or "", row["title"]),
                    relevant=bool(row["relevant"]),
                    topics=frozenset(LABEL_TOPICS[t] for t in row.get("topics", [])),
                    outlet=outlet,
                    family=FAMILIES.get(outlet, "foreign outlets"),
                    url=row.get("url") or "",
                )
            )
    return items


def naive_filter(item: Item) -> bool:
    """The baseline: any mention of Korea, Seoul or Pyongyang."""
    return _NAIVE.search(f"{item.title} {item.text}") is not None


def shipped(item: Item) -> bool:
    return assess(item.title, item.text, item.language, outlet=item.outlet, url=item.url).relevant


def lexicon(item: Item) -> bool:
    return lexicon_assess(item.title, item.text, item.language).relevant


def fitted_model() -> Model:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "model.json"
        with contextlib.redirect_stdout(io.StringIO()):
            train_main(["--out", str(out)])
        return Model.from_json(json.loads(out.read_text(encoding="utf-8")))


def learned(model: Model) -> Callable[[Item], bool]:
    def decide(item: Item) -> bool:
        values = model_features(item.title, item.text, item.language, item.outlet, item.url)
        return model.is_relevant(values)[0]

    return decide


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


def relevance_table(
    items: Sequence[Item], systems: dict[str, Callable[[Item], bool]], families: bool
) -> str:
    rows = [
        "| system | items | n | relevant | precision | recall | F1 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    groups = ["en", "ko", "all"]
    if families:
        groups += sorted({item.family for item in items})
    for name, system in systems.items():
        predictions = [system(item) for item in items]
        for language in groups:
            counts = Counts()
            chosen = [
                (item, predicted)
                for item, predicted in zip(items, predictions, strict=True)
                if language in ("all", item.language, item.family)
            ]
            for item, predicted in chosen:
                counts.add(item.relevant, predicted)
            gold = sum(item.relevant for item, _ in chosen)
            rows.append(
                f"| {name} | {language} | {len(chosen)} | {gold} | {counts.precision:.3f} "
                f"| {counts.recall:.3f} | {counts.f1:.3f} |"
            )
    return "\n".join(rows)


def topic_table(splits: dict[str, list[Item]], model: Model) -> str:
    rows = [
        "| set | system | items scored | topic precision | topic recall | topic micro-F1 "
        "| exact match |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for split, items in splits.items():
        for system in ("shipped", "lexicon rules", "learned model"):
            rows.append(_topic_row(split, system, items, model))
    return "\n".join(rows)


def _topic_row(split: str, system: str, items: Sequence[Item], model: Model) -> str:
    counts, exact, scored = Counts(), 0, 0
    for item in items:
        result = assess(item.title, item.text, item.language, outlet=item.outlet, url=item.url)
        if system == "lexicon rules":
            result = lexicon_assess(item.title, item.text, item.language)
        if system == "learned model":
            values = model_features(item.title, item.text, item.language, item.outlet, item.url)
            relevant = model.is_relevant(values)[0]
            result = replace(
                result, relevant=relevant, topics=model.topics_of(values) if relevant else ()
            )
        if not (item.relevant and result.relevant and item.topics):
            continue
        scored += 1
        predicted = set(result.topics)
        counts.tp += len(predicted & item.topics)
        counts.fp += len(predicted - item.topics)
        counts.fn += len(item.topics - predicted)
        exact += predicted == item.topics
    share = exact / scored if scored else 0.0
    return (
        f"| {split} | {system} | {scored} | {counts.precision:.3f} | {counts.recall:.3f} "
        f"| {counts.f1:.3f} | {share:.3f} |"
    )


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
        result = assess(item.title, item.text, item.language, outlet=item.outlet, url=item.url)
        topics_wrong = item.relevant and result.relevant and set(result.topics) != item.topics
        if result.relevant != item.relevant or topics_wrong:
            kind = "topics" if topics_wrong else ("FP" if result.relevant else "FN")
            gold = ",".join(sorted(item.topics))
            got = ",".join(result.topics)
            lines.append(
                f"- {kind} {item.id} score={result.score} gold=[{gold}] got=[{got}] {item.title}"
            )
    return "\n".join(lines) or "(none)"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", choices=["holdout", "dev", "synthetic"])
    args = parser.parse_args(argv)

    sets = {name: read_items(path, split) for name, (path, split) in SETS.items() if path.exists()}
    model = fitted_model()
    today = "lexicon rules" if packaged_model() is None else "model + lexicon"
    systems: dict[str, Callable[[Item], bool]] = {
        f"shipped ({today})": shipped,
        "lexicon rules alone": lexicon,
        "learned model alone (fitted on dev in this run)": learned(model),
        "keyword baseline": naive_filter,
    }
    print("# Relevance — real feed items first\n")
    for name, items in sets.items():
        print(f"## {name}, {len(items)} items\n")
        print(relevance_table(items, systems, families=name.startswith("real")), "\n")
    print("## Topics (items relevant by label and by the model)\n")
    print(topic_table(sets, model), "\n")
    every = [item for items in sets.values() for item in items]
    print(f"## Throughput (all {len(every)} items × {THROUGHPUT_ROUNDS}, one core)\n")
    print(throughput(every, systems), "\n")
    if args.errors:
        chosen = [i for name, items in sets.items() if args.errors in name for i in items]
        print(f"## Errors, {args.errors}\n")
        print(errors(chosen))


if __name__ == "__main__":
    main()
