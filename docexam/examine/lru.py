"""A small thread-safe LRU for per-template work kept across documents in one process.

Bounded by count and, where values are images, by bytes: a process that
examines documents of many templates (the app's preparation process goes
through the whole library) must not keep every template's whole-page arrays.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

import numpy as np

T = TypeVar("T")

__all__ = ["BoundedCache", "nbytes"]


def nbytes(value, *, _seen: set | None = None) -> int:
    """Bytes of the NumPy arrays held by ``value``, each array counted once.

    Looks into tuples, lists, dicts and dataclasses, and asks objects with
    an ``nbytes(_seen=...)`` method of their own (:class:`BoundedCache`, a
    reference model whose arrays are partly its sheet's); a view counts
    nothing (its base is counted where it is held).

    >>> a = np.zeros((10, 10), np.float32)
    >>> nbytes({"a": a, "b": (a, a[2:])}), nbytes([1, "x"])
    (400, 0)
    """
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes if value.base is None else 0
    own = getattr(value, "nbytes", None)
    if callable(own):
        return own(_seen=seen)
    if isinstance(value, dict):
        return sum(nbytes(v, _seen=seen) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(nbytes(v, _seen=seen) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(nbytes(getattr(value, f.name), _seen=seen) for f in dataclasses.fields(value))
    return 0


class BoundedCache:
    """Keep the ``size`` most recently used values, and at most ``max_bytes`` of arrays.

    Missing values are built outside the lock, so two threads examining
    different templates work at once; two threads building the same key
    both build, and the second result is kept (the values are pure
    functions of the key).

    Parameters
    ----------
    size : int
        Most values kept.
    max_bytes : int, optional
        Most bytes of arrays kept (:func:`nbytes`, weighed when a value is
        stored; values whose arrays grow later are weighed again each time a
        value is stored). The newest value is always kept, however large.

    >>> cache = BoundedCache(2)
    >>> cache.get_or_build("a", lambda: 1), cache.get_or_build("a", lambda: 2)
    (1, 1)
    >>> small = BoundedCache(10, max_bytes=1000)
    >>> for key in "abc":
    ...     _ = small.get_or_build(key, lambda: np.zeros(100, np.float32))  # 400 bytes each
    >>> sorted(small.keys())
    ['b', 'c']
    """

    def __init__(self, size: int, *, max_bytes: int | None = None):
        if size < 1:
            raise ValueError("size: must be at least 1")
        if max_bytes is not None and max_bytes < 1:
            raise ValueError("max_bytes: must be at least 1")
        self.size = size
        self.max_bytes = max_bytes
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
            if self.max_bytes is not None:
                self._evict_to_bytes()
        return value

    def _evict_to_bytes(self) -> None:
        # oldest first; weighed under the lock, which costs a walk over a few hundred values at most
        weights = [nbytes(v) for v in self._items.values()]
        total = sum(weights)
        for weight in weights[:-1]:
            if total <= self.max_bytes:
                break
            self._items.popitem(last=False)
            total -= weight

    def keys(self) -> list:
        with self._lock:
            return list(self._items)

    def nbytes(self, *, _seen: set | None = None) -> int:
        """Bytes of the arrays held now (:func:`nbytes`)."""
        seen = set() if _seen is None else _seen
        with self._lock:
            values = list(self._items.values())
        return sum(nbytes(v, _seen=seen) for v in values)

    def __len__(self) -> int:
        return len(self._items)
