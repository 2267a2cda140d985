"""Named thread pools shared by the whole process, created on first use.

Each kind of work has a pool of its own, so work that waits for another kind
never waits for its own threads: a pipeline step (pool ``step``) may wait
for the comparison's row bands (``band``) or for feature detection on two
halves of an image (``sift``), and none of those waits for anything.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = ["pool"]

_POOLS: dict[str, ThreadPoolExecutor] = {}
_LOCK = threading.Lock()


def pool(name: str, workers: int) -> ThreadPoolExecutor:
    """The process's pool called ``name`` (``workers`` threads, fixed by its first caller).

    >>> pool("doc-example", 2) is pool("doc-example", 2)
    True
    """
    with _LOCK:
        if name not in _POOLS:
            _POOLS[name] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"docexam-{name}")
        return _POOLS[name]
