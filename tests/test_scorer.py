"""The shipped sentence scorer: its weights file and its features."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from bot.articles.scorer import FEATURES, load_scorer, scorer_from_json, sentence_features


def _shipped() -> dict[str, object]:
    text = resources.files("bot.articles").joinpath("data", "summary_scorer.json").read_text()
    raw: dict[str, object] = json.loads(text)
    return raw


def test_the_shipped_weights_name_every_feature_and_the_rows_they_were_fitted_on() -> None:
    scorer = load_scorer()
    assert scorer.weights.shape == (len(FEATURES),)
    assert np.isfinite(scorer.weights).all()
    assert scorer.fitted_on is not None
    # The quality benchmark leaves these rows out; they must be a part, not all, of the file.
    assert scorer.fitted_on.file == "en_news.jsonl"
    assert 0 < scorer.fitted_on.rows < 725


def test_a_weights_file_missing_a_feature_is_refused() -> None:
    raw = _shipped()
    weights = dict(raw["weights"])  # type: ignore[call-overload]
    del weights["centrality"]
    with pytest.raises(ValueError, match="centrality"):
        scorer_from_json({**raw, "weights": weights})


def test_features_are_relative_to_the_article() -> None:
    texts = ["North Korea fired a missile.", "It flew far.", "Japan protested."]
    similarity = np.array([[0.0, 0.2, 0.1], [0.2, 0.0, 0.0], [0.1, 0.0, 0.0]])
    features = sentence_features(
        texts, [5, 3, 2], np.array([0.5, 0.3, 0.2]), similarity, korean=False
    )
    doubled = sentence_features(
        texts, [10, 6, 4], np.array([1.0, 0.6, 0.4]), similarity, korean=False
    )
    assert features.shape == (3, len(FEATURES))
    # Twice the words and twice the centrality everywhere: the relative features do not
    # move, so the same weights serve English and Korean, whose sentences count fewer
    # words (eojeol).
    relative = [
        FEATURES.index(name)
        for name in ("inverse_position", "centrality", "mean_similarity", "length_ratio")
    ]
    assert np.allclose(features[:, relative], doubled[:, relative])
