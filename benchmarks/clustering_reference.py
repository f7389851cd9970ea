"""Write the clusterer's reference document frequencies (``data/reference_df.txt``).

    python -m benchmarks.clustering_reference ../shared/data/realnews/items.jsonl

Counts, for every token of the clusterer (:mod:`bot.news.clustering.tokens`, gazetteer
concepts included), the real feed items it occurs in (headline and cleaned lede), among
the items the relevance filter keeps (the clusterer only ever sees those: across all news
"missile" is rare, in a peninsula briefing it is not), over the **development period
only** (``benchmarks.realnews_sets``: the holdout's months and its KCNA span are left out,
so the blind holdout stays unseen). Tokens in fewer than ``--min-count`` items are left
out: the clusterer counts a missing token as rare, which is what it is. Rerun after
changing the tokens or the gazetteer.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from benchmarks.realnews_sets import is_holdout, load
from benchmarks.train_relevance import outlet_of
from bot.news.clustering import ClusterInput, ClusterParams
from bot.news.clustering.datafiles import read_data_file
from bot.news.clustering.reference import REFERENCE_FILE
from bot.news.clustering.similarity import term_bags
from bot.news.ledes import clean_lede
from bot.news.relevance import assess

OUT = Path(__file__).resolve().parent.parent / "bot" / "news" / "clustering" / "data"
HEADER = """\
# Reference document frequencies of story clustering (bot/news/clustering/reference.py):
# for each token, the number of relevant real feed items it occurs in (development period).
# Written by `python -m benchmarks.clustering_reference ITEMS`; do not edit by hand.
"""


def frequencies(path: Path, min_count: int) -> tuple[int, Counter[str]]:
    """(items counted, token → items it occurs in, for tokens in at least ``min_count``)."""
    settings = ClusterParams()
    counts: Counter[str] = Counter()
    documents = 0
    for row in load(path):
        if is_holdout(row):
            continue
        lede = clean_lede(row.get("summary"), row["title"])
        url = str(row.get("url") or "")
        if not assess(row["title"], lede, row["language"], outlet=outlet_of(row), url=url).relevant:
            continue
        item = ClusterInput(
            key=row["id"],
            title=row["title"],
            text=lede,
            language=row["language"],
            published=None,
            source=row["source"],
        )
        words, names = term_bags(item, settings)
        counts.update(set(words) | set(names))
        documents += 1
    return documents, Counter({t: c for t, c in counts.items() if c >= min_count})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("items", type=Path, help="the real items (realnews/items.jsonl)")
    parser.add_argument("--min-count", type=int, default=5)
    args = parser.parse_args(argv)
    documents, counts = frequencies(args.items, args.min_count)
    lines = [f"documents: {documents}"]
    lines += [f"{count}\t{token}" for token, count in sorted(counts.items(), key=_order)]
    (OUT / REFERENCE_FILE).write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    _, origin = read_data_file(REFERENCE_FILE)
    print(f"{origin}: {len(counts):,} tokens from {documents:,} items")
    return 0


def _order(entry: tuple[str, int]) -> tuple[int, str]:
    token, count = entry
    return -count, token


if __name__ == "__main__":
    raise SystemExit(main())
