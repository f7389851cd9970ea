"""Score our summarizer against Lead-3 and sumy's stock LexRank with ROUGE.

    python -m benchmarks.summary_quality PATH [PATH ...] [--limit N]

Each PATH is a JSONL file of ``{"article": ..., "reference": ...}`` (other keys are
ignored). The language of each article is guessed from its script. Every system gives
3 sentences, for fairness; ours also runs with its default count. Scores are ROUGE-1,
ROUGE-2 and ROUGE-L F1 (rouge-score), averaged over the pairs.

rouge-score's default tokenizer drops every non-Latin character, so a file whose
references are mostly Hangul is scored with a tokenizer that keeps Hangul: lower-cased
runs of Hangul, Latin letters and digits, i.e. whole eojeol with their particles, no
stemming (no morphological analysis either, so Korean scores are lower than
morpheme-level ones). English files use the default tokenizer with Porter stemming.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rouge_score import rouge_scorer

from benchmarks.baselines import guess_language, lead_sentences, stock_lexrank
from bot.articles.summarize import summarize

ROUGE_TYPES = ["rouge1", "rouge2", "rougeL"]
Summarizer = Callable[[str, str], list[str]]

SYSTEMS: dict[str, Summarizer] = {
    "ours (3)": lambda text, language: summarize(text, language=language, max_sentences=3),
    "ours (default count)": lambda text, language: summarize(text, language=language),
    "Lead-3": lambda text, language: lead_sentences(text, 3, language),
    "LexRank (sumy, 3)": lambda text, language: stock_lexrank(text, 3, language),
}


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


def read_pairs(path: Path, limit: int | None) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as lines:
        count = 0
        for line in lines:
            if limit is not None and count >= limit:
                return
            if not line.strip():
                continue
            row = json.loads(line)
            article, reference = row.get("article"), row.get("reference")
            if isinstance(article, str) and isinstance(reference, str) and article.strip():
                count += 1
                yield article, reference


def evaluate(path: Path, limit: int | None) -> None:
    pairs = list(read_pairs(path, limit))
    if not pairs:
        print(f"## {path}\n\nNo article/reference pairs.\n")
        return
    korean = sum(guess_language(reference) == "ko" for _, reference in pairs) * 2 > len(pairs)
    scorer = rouge_scorer.RougeScorer(
        ROUGE_TYPES, use_stemmer=True, tokenizer=HangulTokenizer() if korean else None
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
                tally.scores[rouge_type].append(scores[rouge_type].fmeasure)

    tokenizer = (
        "a tokenizer keeping Hangul (eojeol, no stemming)"
        if korean
        else "rouge-score's default tokenizer with Porter stemming"
    )
    plural = "" if len(pairs) == 1 else "s"
    print(f"## {path.name}: {len(pairs)} pair{plural}, {'Korean' if korean else 'English'}")
    print(f"ROUGE F1 × 100 with {tokenizer}\n")
    print("| system | mean sentences | R-1 | R-2 | R-L | mean ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, tally in tallies.items():
        r1, r2, rl = (100 * statistics.fmean(tally.scores[t]) for t in ROUGE_TYPES)
        print(
            f"| {name} | {statistics.fmean(tally.sentences):.1f} | {r1:.2f} | {r2:.2f} "
            f"| {rl:.2f} | {statistics.fmean(tally.millis):.1f} |"
        )
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--limit", type=int, default=None, help="pairs per file, at most")
    args = parser.parse_args(argv)
    for path in args.paths:
        evaluate(path, args.limit)


if __name__ == "__main__":
    main()
