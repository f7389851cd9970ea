"""Score our summarizer against Lead-3 and sumy's stock LexRank with ROUGE.

    python -m benchmarks.summary_quality PATH [PATH ...] [--limit N] [--all-rows]

Each PATH is a JSONL file of ``{"text" | "article": ..., "reference": ...}`` (other keys
are ignored). The language of each article is guessed from its script. Ours runs at 3
sentences and at the bot's default count for each summary-length preference; Lead-3 and
stock LexRank give 3. Scores are ROUGE-1, ROUGE-2 and ROUGE-L F1 (rouge-score) × 100,
averaged over the pairs, and for ours − Lead-3 a paired bootstrap 95% interval (2,000
resamples of the pairs, seeded).

The shipped sentence scorer was fitted on the first rows of one file
(``bot/articles/data/summary_scorer.json`` names it and its SHA-256): when a PATH is that
file, only the rows after them are scored, unless ``--all-rows``.

rouge-score's default tokenizer drops every non-Latin character, so a file whose
references are mostly Hangul is scored with a tokenizer that keeps Hangul: lower-cased
runs of Hangul, Latin letters and digits, i.e. whole eojeol with their particles, no
stemming (no morphological analysis either, so Korean scores are lower than
morpheme-level ones). English files use the default tokenizer with Porter stemming.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

from benchmarks.baselines import guess_language, lead_sentences, stock_lexrank
from bot.articles.scorer import load_scorer
from bot.articles.summarize import summarize
from bot.models import SummaryLength

ROUGE_TYPES = ["rouge1", "rouge2", "rougeL"]
BOOTSTRAP_RESAMPLES = 2_000
Summarizer = Callable[[str, str], list[str]]


def _ours_at(length: SummaryLength) -> Summarizer:
    """Ours at the default count for a reader's length preference."""
    return lambda text, language: summarize(text, language=language, length=length)


SYSTEMS: dict[str, Summarizer] = {
    "ours (3)": lambda text, language: summarize(text, language=language, max_sentences=3),
    **{f"ours (default, {length})": _ours_at(length) for length in SummaryLength},
    "Lead-3": lambda text, language: lead_sentences(text, 3, language),
    "LexRank (sumy, 3)": lambda text, language: stock_lexrank(text, 3, language),
}
BASELINE = "Lead-3"
COMPARED = ("ours (3)", f"ours (default, {SummaryLength.STANDARD})")


class HangulTokenizer:
    """rouge-score tokenizer that keeps Hangul: runs of Hangul, Latin letters, digits."""

    _TOKEN = re.compile(r"[0-9a-z가-힣]+")

    def tokenize(self, text: str) -> list[str]:
        return self._TOKEN.findall(text.lower())


@dataclass
class Tally:
    scores: dict[str, list[float]] = field(
        default_factory=lambda: {rouge_type: [] for rouge_type in ROUGE_TYPES}
    )
    millis: list[float] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """(article, reference) pairs in file order; rows without both are skipped."""
    pairs = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            article = row.get("text", row.get("article"))
            reference = row.get("reference")
            if isinstance(article, str) and isinstance(reference, str) and article.strip():
                pairs.append((article, reference))
    return pairs


def held_out_start(path: Path) -> int:
    """Rows of ``path`` the shipped scorer was fitted on (0 if it was not fitted on it)."""
    fitted = load_scorer().fitted_on
    if fitted is None:
        return 0
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return fitted.rows if digest == fitted.sha256 else 0


def bootstrap_interval(
    differences: list[float], resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0
) -> tuple[float, float]:
    """Percentile 95% interval of the mean of paired differences."""
    values = np.asarray(differences)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(values), size=(resamples, len(values)))
    means = values[picks].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def evaluate(path: Path, limit: int | None, all_rows: bool) -> None:
    pairs = read_pairs(path)
    skipped = 0 if all_rows else held_out_start(path)
    pairs = pairs[skipped:]
    if limit is not None:
        pairs = pairs[:limit]
    if not pairs:
        print(f"## {path}\n\nNo article/reference pairs.\n")
        return
    korean = sum(guess_language(reference) == "ko" for _, reference in pairs) * 2 > len(pairs)
    scorer = rouge_scorer.RougeScorer(
        ROUGE_TYPES, use_stemmer=not korean, tokenizer=HangulTokenizer() if korean else None
    )
    tallies = {name: Tally() for name in SYSTEMS}
    for system in SYSTEMS.values():  # warm-up, so that loading stop words is not timed
        system(pairs[0][0], guess_language(pairs[0][0]))
    for article, reference in pairs:
        language = guess_language(article)
        for name, system in SYSTEMS.items():
            start = time.perf_counter()
            summary = system(article, language)
            tally = tallies[name]
            tally.millis.append((time.perf_counter() - start) * 1000)
            tally.sentences.append(len(summary))
            scores = scorer.score(reference, "\n".join(summary))
            for rouge_type in ROUGE_TYPES:
                tally.scores[rouge_type].append(100 * scores[rouge_type].fmeasure)

    tokenizer = (
        "a tokenizer keeping Hangul (eojeol, no stemming)"
        if korean
        else "rouge-score's default tokenizer with Porter stemming"
    )
    plural = "" if len(pairs) == 1 else "s"
    rows = f"rows {skipped + 1}–{skipped + len(pairs)}"
    held = f" (held out: the scorer was fitted on rows 1–{skipped})" if skipped else ""
    print(f"## {path.name}: {len(pairs)} pair{plural}, {rows}{held}")
    print(f"ROUGE F1 × 100 with {tokenizer}\n")
    print("| system | mean sentences | R-1 | R-2 | R-L | mean ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, tally in tallies.items():
        r1, r2, rl = (statistics.fmean(tally.scores[t]) for t in ROUGE_TYPES)
        print(
            f"| {name} | {statistics.fmean(tally.sentences):.1f} | {r1:.2f} | {r2:.2f} "
            f"| {rl:.2f} | {statistics.fmean(tally.millis):.1f} |"
        )
    print(
        f"\nPaired bootstrap, 95% interval of the mean difference ({BOOTSTRAP_RESAMPLES:,}"
        " resamples)\n"
    )
    print("| difference | R-1 | R-2 | R-L |")
    print("|---|---:|---:|---:|")
    for name in COMPARED:
        cells = []
        for rouge_type in ROUGE_TYPES:
            diffs = [
                ours - lead
                for ours, lead in zip(
                    tallies[name].scores[rouge_type],
                    tallies[BASELINE].scores[rouge_type],
                    strict=True,
                )
            ]
            low, high = bootstrap_interval(diffs)
            cells.append(f"{statistics.fmean(diffs):+.2f} [{low:+.2f}, {high:+.2f}]")
        print(f"| {name} − {BASELINE} | {' | '.join(cells)} |")
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--limit", type=int, default=None, help="pairs per file, at most")
    parser.add_argument(
        "--all-rows", action="store_true", help="score the rows the scorer was fitted on too"
    )
    args = parser.parse_args(argv)
    for path in args.paths:
        evaluate(path, args.limit, args.all_rows)


if __name__ == "__main__":
    main()
