"""Keep matrix products on the calling thread.

The MRZ reader's glyph matching does many small matrix products (tens of
thousands of multiply-adds each), and the examination pipeline runs its own
steps side by side on the cores. OpenBLAS splits even small products over all
cores, and its worker threads then spin for a while waiting for more work:
on a 2-core laptop they take the core another step needed, and waiting for
them costs several times the work itself. OpenBLAS (0.3.27+) has a *thread-local* thread count,
``openblas_set_num_threads_local``, which changes nothing for other threads;
:func:`single_thread_blas` sets it to 1 for the duration of a call. With
another BLAS, or when the symbol is not there, it does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
from pathlib import Path

import numpy as np


@functools.lru_cache(maxsize=1)
def _set_local():
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("*openblas*")) if libs.is_dir() else ():
        try:
            fn = ctypes.CDLL(str(path)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        fn.restype = ctypes.c_int
        return fn
    return None


@contextlib.contextmanager
def single_thread_blas():
    """Run the block with a BLAS thread count of 1 on this thread (restored after)."""
    fn = _set_local()
    if fn is None:
        yield
        return
    previous = fn(1)
    try:
        yield
    finally:
        fn(previous)
