"""A small in-memory LRU cache with expiry, for summaries keyed by canonical URL."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    """Least-recently-used eviction past ``max_items``; entries expire after ``ttl`` seconds."""

    def __init__(
        self, max_items: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_items = max_items
        self._ttl = ttl
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, V]] = OrderedDict()

    def get(self, key: str) -> V | None:
        entry = self._items.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires <= self._clock():
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    def put(self, key: str, value: V) -> None:
        if self._max_items <= 0:
            return
        self._items[key] = (self._clock() + self._ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self._max_items:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
