"""Status texts for readers and operators (bot.reports): times ago and feed failures in words."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.i18n import Catalog
from bot.news.ingest import FailureKind
from bot.reports import ago, failure_reason

NOW = dt.datetime(2026, 12, 7, 7, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.mark.parametrize(
    ("elapsed", "english", "korean"),
    [
        (dt.timedelta(seconds=40), "a moment ago", "방금 전"),
        (dt.timedelta(minutes=12), "12 min ago", "12분 전"),
        (dt.timedelta(hours=3), "3 h ago", "3시간 전"),
        (dt.timedelta(days=2), "2 d ago", "2일 전"),
    ],
)
def test_ago_in_both_languages(
    catalog: Catalog, elapsed: dt.timedelta, english: str, korean: str
) -> None:
    assert ago(NOW - elapsed, NOW, "en", catalog) == english
    assert ago(NOW - elapsed, NOW, "ko", catalog) == korean


def test_every_failure_kind_has_words_in_both_languages(catalog: Catalog) -> None:
    for kind in FailureKind:
        english = failure_reason(kind, catalog, "en")
        korean = failure_reason(kind, catalog, "ko")
        assert kind.value not in (english, korean)
        assert english != korean


def test_an_unknown_or_missing_kind_is_an_unknown_error(catalog: Catalog) -> None:
    assert failure_reason("gremlins", catalog, "ko") == "원인 불명의 오류"
    assert failure_reason(None, catalog, "en") == "unknown error"
