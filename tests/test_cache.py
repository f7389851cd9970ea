from __future__ import annotations

from bot.articles.cache import TTLCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_their_ttl() -> None:
    clock = Clock()
    cache: TTLCache[str] = TTLCache(10, ttl=60, clock=clock)
    cache.put("a", "summary")
    clock.now = 59
    assert cache.get("a") == "summary"
    clock.now = 61
    assert cache.get("a") is None


def test_least_recently_used_entry_is_evicted_first() -> None:
    cache: TTLCache[int] = TTLCache(2, ttl=60)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get("a") == 1 and cache.get("c") == 3
