"""Keep freed memory in the process for the next document's images.

Examining a document makes a few dozen whole-page float images of several
megabytes each. glibc's allocator hands blocks that large straight back to
the operating system when they are freed, so the next image gets fresh pages
and the kernel zeroes each 4 KiB page on first touch: measured here, filling
a fresh 6 MB image cost four to fifteen times the arithmetic done in it.
:func:`keep_freed_memory` raises the allocator's thresholds (``mallopt``) so
those blocks are reused instead, up to a bounded amount kept free. It is
process-wide; the examination pipeline calls it once, when first used. On
other C libraries it does nothing.

glibc gives each thread that allocates an arena of its own (up to eight per
core), and each arena keeps its own freed blocks: with the pipeline's thread
pools, that kept several copies of the free memory above. :data:`ARENAS`
caps them. Measured on five shipped templates examined in turn, one process:
4.7 GB resident with the default arenas, 2.2 GB with one. The price is
some waiting for the allocator's lock: ``benchmarks/speed.py`` on a quiet
machine, one arena against the default, two pairs of runs: 3-19 % more wall
time per document (e.g. 442 against 372 ms, then 523 against 477 ms).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

__all__ = ["keep_freed_memory"]

# mallopt parameters (glibc malloc.h)
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8

#: blocks up to this size come from the reusable heap (glibc's ceiling on 64-bit)
MMAP_THRESHOLD = 32 * 1024 * 1024
#: free memory kept at the top of the heap before it is returned to the system
TRIM_THRESHOLD = 512 * 1024 * 1024
#: allocator arenas shared by all threads (threads that started before the call keep theirs)
ARENAS = 1


@functools.lru_cache(maxsize=1)
def keep_freed_memory() -> bool:
    """Tune glibc's allocator once per process; True when it took effect."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    ok = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    ok &= mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    ok &= mallopt(_M_TOP_PAD, 64 * 1024 * 1024) == 1
    ok &= mallopt(_M_ARENA_MAX, ARENAS) == 1
    return bool(ok)
