"""A stand-in relevance model that reads nothing but the item's address, to show that the
address reaches the model wherever items are scored."""

from __future__ import annotations

import pytest

from bot.models import Topic
from bot.news.classifier import Linear, Model

POLITICS = "https://www.chosun.com/politics/assembly/2026/11/27/KQ5BUKQ7XJD3TGW4/"
MARKETS = "https://www.chosun.com/economy/stock-finance/2026/11/27/AB12CD34EF56GH78/"


def section_model(section: str) -> Model:
    """Relevant exactly when the address is filed under ``section`` (``u:s:…``)."""
    return Model(
        relevance=Linear(-1.0, {f"u:s:{section}": 2.0}),
        threshold=0.0,
        topics={Topic.POLITICS: Linear(0.0, {})},
    )


def use_section_model(monkeypatch: pytest.MonkeyPatch, section: str = "politics") -> None:
    """Score with :func:`section_model` instead of the shipped model."""
    model = section_model(section)
    monkeypatch.setattr("bot.news.relevance.packaged_model", lambda: model)
