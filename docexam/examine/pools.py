"""Named thread pools shared by the whole process, created on first use.

Each kind of work has a pool of its own, so work that waits for another kind
never waits for its own threads: a pipeline step (pool ``step``) may wait
for the comparison's row bands (``band``) or for feature detection on two
halves of an image (``sift``), and none of those waits for anything.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from ..blas import single_thread_blas

__all__ = ["in_bands", "pool"]

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


def in_bands(fn, height: int, *, margin: int) -> None:
    """Run ``fn(y0, y1)`` over two halves of ``[0, height)``: one on a helper thread, one here.

    ``fn`` writes its rows of shared outputs; each half reads ``margin``
    rows beyond its own, so small pages are done in one piece.
    """
    if height < 4 * margin + 64 or (os.cpu_count() or 1) < 2:
        fn(0, height)
        return
    mid = height // 2
    other = pool("band", 2).submit(_single_blas_call, fn, mid, height)
    fn(0, mid)
    other.result()


def _single_blas_call(fn, *args):
    with single_thread_blas():
        return fn(*args)
