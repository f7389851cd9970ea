"""The learned part of sentence selection: features of a candidate sentence and their weights.

A summary sentence is picked by a logistic-regression score over a few features that
each say something a news editor would: where the sentence stands (the lead carries a
story), how central it is (LexRank), how much it shares with the lead and with the rest
of the article, how long it is against the article's usual sentence, and a few marks
of sentences that read badly alone (no closing punctuation, a question, an opening
quote, a photo reference), and how many names it carries. Where a language would
shift a feature (Korean sentences count fewer words), it is taken relative to the
article (length against the article's median sentence) or as a logarithm (a constant
shift, which leaves the ranking alone), so the weights fitted on English serve Korean.

The weights were fitted by ``benchmarks/train_summary_scorer.py`` on the first rows of
``en_news.jsonl`` (CNN/DailyMail, see the shared data README); the file says which rows
and the file's SHA-256, so the quality benchmark reports only on the rows after them.
They ship as package data (``bot/articles/data/summary_scorer.json``): nothing is
downloaded or fitted at run time, and the bot needs no machine-learning library.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

__all__ = ["FEATURES", "FittedOn", "SentenceScorer", "load_scorer", "sentence_features"]

Floats = npt.NDArray[np.float64]

FEATURES = (
    "first",
    "second",
    "third",
    "inverse_position",
    "relative_position",
    "centrality",
    "lead_similarity",
    "mean_similarity",
    "length_ratio",
    "log_words",
    "short",
    "long",
    "unterminated",
    "question",
    "opening_quote",
    "pictured",
    "digits",
    "capitals",
)
"""Feature names, in the column order of ``sentence_features`` and of the weights file."""

_WEIGHTS = "summary_scorer.json"
_TERMINAL = re.compile(r"""[.!?…。！？]["'”’»)\]]*$""")
_QUESTION = re.compile(r"""[?？]["'”’»)\]]*$""")
_OPENING_QUOTE = re.compile(r"""^["“‘'«]""")
_PICTURED = re.compile(r"\b(?:pictured|photographed|photo|picture)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class FittedOn:
    """Which data the weights were fitted on, so a benchmark can leave it out."""

    file: str
    sha256: str
    rows: int
    """The first ``rows`` rows of the file."""


@dataclass(frozen=True, slots=True)
class SentenceScorer:
    """Logistic-regression weights over ``FEATURES``, plus the selection's knobs."""

    weights: Floats
    bias: float
    redundancy: float
    """MMR: logit points a sentence loses per unit of similarity to one already chosen."""
    fitted_on: FittedOn | None = None

    def score(self, features: Floats) -> Floats:
        """Log-odds that each row's sentence belongs in a summary."""
        return np.asarray(features @ self.weights + self.bias, dtype=np.float64)


def sentence_features(
    texts: list[str],
    words: list[int],
    centrality: Floats,
    similarity: Floats,
    *,
    korean: bool,
) -> Floats:
    """One row of ``FEATURES`` per candidate sentence, in article order."""
    n = len(texts)
    index = np.arange(n, dtype=np.float64)
    lengths = np.asarray(words, dtype=np.float64)
    median = max(float(np.median(lengths)), 1.0) if n else 1.0
    short, long = (4, 45) if korean else (6, 60)
    lead = similarity[0] if n else np.zeros(0)
    lead_similarity = lead.copy()
    if n:
        lead_similarity[0] = 1.0
    mean_similarity = similarity.sum(axis=1) / max(n - 1, 1)
    top = float(mean_similarity.max()) if n else 0.0
    columns = [
        index == 0,
        index == 1,
        index == 2,
        1.0 / (1.0 + index),
        index / max(n - 1, 1),
        centrality / max(float(centrality.max()), 1e-12) if n else centrality,
        lead_similarity,
        mean_similarity / top if top > 0 else mean_similarity,
        np.minimum(lengths / median, 3.0),
        np.log1p(lengths),
        lengths < short,
        lengths > long,
        [not _TERMINAL.search(text) for text in texts],
        [bool(_QUESTION.search(text)) for text in texts],
        [bool(_OPENING_QUOTE.match(text)) for text in texts],
        [bool(_PICTURED.search(text)) for text in texts],
        [bool(_DIGIT.search(text)) for text in texts],
        [_capital_share(text) for text in texts],
    ]
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in columns]).reshape(
        n, len(FEATURES)
    )


def _capital_share(text: str) -> float:
    """Share of words after the first that start with a capital: names, places, bodies
    (zero in Korean, which has no capitals; a constant does not change the ranking)."""
    words = text.split()[1:]
    if not words:
        return 0.0
    return sum(word[0].isupper() for word in words) / len(words)


@functools.cache
def load_scorer() -> SentenceScorer:
    """The shipped weights (read once per process)."""
    raw = json.loads(resources.files("bot.articles").joinpath("data", _WEIGHTS).read_text("utf-8"))
    return scorer_from_json(raw)


def scorer_from_json(raw: dict[str, object]) -> SentenceScorer:
    """A scorer from the weights file's contents; a missing or extra feature is an error."""
    weights = raw["weights"]
    if not isinstance(weights, dict) or set(weights) != set(FEATURES):
        raise ValueError(f"the weights must name exactly these features: {', '.join(FEATURES)}")
    fitted = raw.get("fitted_on")
    return SentenceScorer(
        weights=np.array([float(weights[name]) for name in FEATURES]),
        bias=float(str(raw["bias"])),
        redundancy=float(str(raw["redundancy"])),
        fitted_on=FittedOn(**fitted) if isinstance(fitted, dict) else None,
    )
