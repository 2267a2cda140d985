"""A small thread-safe LRU for per-template work kept across documents in one process."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")


class BoundedCache:
    """Keep the ``size`` most recently used values; build missing ones outside the lock.

    Building outside the lock lets two threads examining different templates
    work at once; two threads building the same key both build, and the
    second result is kept (the values are pure functions of the key).

    >>> cache = BoundedCache(2)
    >>> cache.get_or_build("a", lambda: 1), cache.get_or_build("a", lambda: 2)
    (1, 1)
    """

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("size: must be at least 1")
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)
