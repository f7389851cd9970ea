"""Edit distances for "did you mean": swaps count once, Korean is compared by letters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.spelling import closest, edit_distance, similarity


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("subscribe", "subscribe", 0),
        ("subscrbe", "subscribe", 1),
        ("subscirbe", "subscribe", 1),  # an adjacent swap is one edit
        ("", "help", 4),
        ("stat", "start", 1),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance == edit_distance(b, a)


def test_korean_is_compared_letter_by_letter() -> None:
    # 뉴옥 / 뉴욕: one syllable of two differs, but only one letter of five.
    assert similarity("뉴옥", "뉴욕") == pytest.approx(0.8)
    assert similarity("런던", "서울") < 0.5
    assert similarity("London", "london") == 1.0


def test_closest_returns_every_tie_within_reach() -> None:
    assert closest("tme", ["time", "topics", "timezone"], max_distance=1) == ["time"]
    assert closest("sart", ["start", "status"], max_distance=2) == ["start"]
    assert closest("xyz", ["start", "help"], max_distance=1) == []


@settings(derandomize=True, deadline=None, max_examples=300)
@given(
    st.text(alphabet="abcxy", max_size=8), st.text(alphabet="abcxy", max_size=8), st.integers(0, 4)
)
def test_a_limit_only_caps_the_distance(a: str, b: str, limit: int) -> None:
    """The early stop never changes an answer within the limit."""
    assert edit_distance(a, b, limit=limit) == min(edit_distance(a, b), limit + 1)
