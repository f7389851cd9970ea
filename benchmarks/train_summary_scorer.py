"""Fit the summarizer's sentence scorer and write ``bot/articles/data/summary_scorer.json``.

    python -m benchmarks.train_summary_scorer PATH [--rows N] [--out FILE]

PATH is ``en_news.jsonl`` from the shared summarization data (``text``, ``reference``).
Only its first ``--rows`` rows (425 of 725) are read: the quality benchmark reports on
the rest, and finds which rows to leave out from the weights file (file name, SHA-256,
row count).

1. Each article is ranked as the bot ranks it (``bot.articles.summarize.prepare``):
   the same candidates, the same features (``bot.articles.scorer.FEATURES``).
2. Labels: the greedy oracle, i.e. the candidates that, added one at a time (up to 3),
   most raise ROUGE-1 + ROUGE-2 F1 against the reference (rouge-score's tokenizer and
   Porter stemmer; the n-gram counting is done here to keep it fast).
3. Logistic regression by Newton's method (numpy, a small L2 penalty), so no
   machine-learning library is needed, here or in the bot.
4. The oracle labels say which sentences are good, not which three together make the
   best summary, so the weights and the MMR redundancy weight are then refined on the
   same rows by coordinate ascent on what the bot does: the mean ROUGE-1 + ROUGE-2 F1
   of the 3-sentence summaries that ``bot.articles.summarize`` would pick with them
   (its own selection function, on features computed once).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rouge_score import tokenizers

from bot.articles.scorer import FEATURES
from bot.articles.summarize import Ranking, SummarizerSettings, pick_sentences, prepare

Floats = npt.NDArray[np.float64]
DEFAULT_ROWS = 425
ORACLE_SIZE = 3
L2 = 1.0
STEPS = (1.0, 0.5, 0.25, 0.1)
ROUNDS = 4
OUT = Path(__file__).resolve().parents[1] / "bot" / "articles" / "data" / "summary_scorer.json"


def read_rows(path: Path, rows: int) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if len(pairs) >= rows:
                break
            if line.strip():
                row = json.loads(line)
                pairs.append((str(row["text"]), str(row["reference"])))
    return pairs


def _grams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(candidate: Counter[tuple[str, ...]], reference: Counter[tuple[str, ...]]) -> float:
    overlap = sum((candidate & reference).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(candidate.values())
    recall = overlap / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def oracle(sentences: list[list[str]], reference: list[str]) -> list[int]:
    """Greedy: add the sentence that most raises R-1 + R-2 F1; stop when none does."""
    ref1, ref2 = _grams(reference, 1), _grams(reference, 2)
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < ORACLE_SIZE:
        gains = []
        for i in range(len(sentences)):
            if i in chosen:
                continue
            tokens = [t for j in sorted([*chosen, i]) for t in sentences[j]]
            gains.append((_f1(_grams(tokens, 1), ref1) + _f1(_grams(tokens, 2), ref2), i))
        if not gains:
            break
        score, pick = max(gains)
        if score <= best:
            break
        best = score
        chosen.append(pick)
    return chosen


def fit_logistic(features: Floats, labels: Floats, l2: float = L2) -> tuple[Floats, float]:
    """Weights and bias minimising log-loss + ``l2``/2·‖w‖² (the bias is not penalised)."""
    x = np.column_stack([features, np.ones(len(features))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - labels) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


class Objective:
    """Mean ROUGE-1 + ROUGE-2 F1 (× 100) of the 3-sentence summaries a scorer picks."""

    def __init__(
        self, rankings: list[Ranking], sentences: list[list[list[str]]], references: list[list[str]]
    ) -> None:
        self.rankings = rankings
        self.sentences = sentences
        self.references = [(_grams(r, 1), _grams(r, 2)) for r in references]
        self.settings = SummarizerSettings()

    def __call__(self, weights: Floats, bias: float, redundancy: float) -> float:
        total = 0.0
        for ranking, sentences, (ref1, ref2) in zip(
            self.rankings, self.sentences, self.references, strict=True
        ):
            score = ranking.features @ weights + bias
            chosen = pick_sentences(score, ranking, 3, redundancy, self.settings)
            tokens = [t for i in sorted(chosen) for t in sentences[i]]
            total += _f1(_grams(tokens, 1), ref1) + _f1(_grams(tokens, 2), ref2)
        return 100 * total / len(self.rankings)


def refine(objective: Objective, weights: Floats, redundancy: float) -> tuple[Floats, float]:
    """Coordinate ascent on the weights and the redundancy weight (the bias cannot
    change which sentences are picked, so it stays as logistic regression set it)."""
    params = np.append(weights.copy(), redundancy)
    best = objective(params[:-1], 0.0, params[-1])
    print(f"  start: R-1 + R-2 {best:.3f}")
    for round_ in range(ROUNDS):
        improved = False
        for step in STEPS:
            for k in range(len(params)):
                for sign in (1.0, -1.0):
                    trial = params.copy()
                    trial[k] += sign * step
                    if trial[-1] < 0:
                        continue
                    value = objective(trial[:-1], 0.0, trial[-1])
                    if value > best + 1e-9:
                        params, best, improved = trial, value, True
        print(f"  round {round_ + 1}: R-1 + R-2 {best:.3f}")
        if not improved:
            break
    return params[:-1], float(params[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    pairs = read_rows(args.path, args.rows)
    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)

    blocks, labels = [], []
    rankings, sentences, references = [], [], []
    for text, reference in pairs:
        summarizer, document = prepare(text, "en")
        ranking = summarizer.rank(document)
        if not ranking.texts:
            continue
        tokens = [tokenizer.tokenize(t) for t in ranking.texts]
        reference_tokens = tokenizer.tokenize(reference)
        picked = oracle(tokens, reference_tokens)
        label = np.zeros(len(ranking.texts))
        label[picked] = 1.0
        blocks.append(ranking.features)
        labels.append(label)
        rankings.append(ranking)
        sentences.append(tokens)
        references.append(reference_tokens)
    features, target = np.vstack(blocks), np.concatenate(labels)
    weights, bias = fit_logistic(features, target)
    print(
        f"{len(pairs)} articles, {len(target):,} candidate sentences, {int(target.sum()):,} oracle"
    )
    for name, weight in zip(FEATURES, weights, strict=True):
        print(f"  {name:>18} {weight:+.3f}")
    print(f"  {'bias':>18} {bias:+.3f}")

    weights, redundancy = refine(Objective(rankings, sentences, references), weights, 1.0)
    for name, weight in zip(FEATURES, weights, strict=True):
        print(f"  {name:>18} {weight:+.3f}")
    print(f"  {'redundancy':>18} {redundancy:.3f}")

    payload = {
        "comment": "Written by benchmarks/train_summary_scorer.py; see bot/articles/scorer.py.",
        "weights": {name: round(float(w), 4) for name, w in zip(FEATURES, weights, strict=True)},
        "bias": round(bias, 4),
        "redundancy": redundancy,
        "fitted_on": {
            "file": args.path.name,
            "sha256": hashlib.sha256(args.path.read_bytes()).hexdigest(),
            "rows": len(pairs),
        },
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (redundancy {redundancy})")


if __name__ == "__main__":
    main()
