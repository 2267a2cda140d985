"""What anyone on the network can make the examination desk do, bounded.

The desk needs no sign-in (an officer at the counter uses it), so its limits
are the app's protection: a picture's size and the memory its decoding
takes, how many pictures one browser session may send a minute, and how
many examinations run at once in the whole app. Pure Python (no Streamlit):
the desk page calls it; tests call it directly.

Examples
--------
>>> rate = UploadRate(per_minute=2)
>>> [rate.allow("s1", now=t) for t in (0.0, 1.0, 2.0, 61.5)]
[True, True, False, True]
>>> rate.allow("s2", now=2.0)  # each session has its own count
True
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from contextlib import contextmanager

from docexam.i18n import Message, plural_message
from ..errors import DocexamError, InputFileError
from ..imaging import load_image

__all__ = ["DESK_MAX_PIXELS", "DECODED_BYTES_PER_PIXEL", "UPLOADS_PER_MINUTE", "MAX_CONCURRENT_EXAMINATIONS",
           "EXAMINATION_WAIT_S", "DeskLimitError", "read_desk_image", "UploadRate", "ExaminationSlots",
           "upload_rate", "examination_slots"]

#: the largest picture the desk decodes: 40 megapixels (a 600 dpi scan of a passport page is
#: about 6, a phone's full-resolution photo 12 to 48); a 79-megapixel upload was decoded to 1.1 GB
DESK_MAX_PIXELS = 40_000_000
#: decoded RGB bytes per pixel, for the memory figure in the message
DECODED_BYTES_PER_PIXEL = 3
#: pictures one browser session may send for examination in a minute (an officer sends a few)
UPLOADS_PER_MINUTE = 12
#: examinations running at once in the whole app (each takes one or two cores for a second or two);
#: the others wait their turn up to :data:`EXAMINATION_WAIT_S`
MAX_CONCURRENT_EXAMINATIONS = 2
#: how long an examination waits for its turn before the officer is told the desk is busy
EXAMINATION_WAIT_S = 30.0


class DeskLimitError(DocexamError):
    """A request the desk refuses because of one of its limits (the message says which and what to do)."""


def read_desk_image(data: bytes, name: str, *, max_pixels: int = DESK_MAX_PIXELS):
    """An uploaded picture decoded as RGB, refused before decoding when larger than ``max_pixels``.

    Raises
    ------
    docexam.errors.InputFileError
        One line naming the file: not an image, damaged, or too large (with
        the memory its decoding would take).
    """
    try:
        return load_image(data, name=name, max_pixels=max_pixels).rgb
    except InputFileError as exc:
        if "megapixels allowed" in str(exc):
            raise InputFileError(name, Message("{problem}; the desk decodes at most {n:.0f} megapixels (about "
                                               "{n2:.0f} MB in memory): take the photo at a lower resolution or scan "
                                               "at 600 dpi", problem=exc.problem, n=max_pixels / 1e6, n2=max_pixels * DECODED_BYTES_PER_PIXEL / 1e6)) from None
        raise


class UploadRate:
    """At most ``per_minute`` uploads per session in any 60 seconds (thread-safe)."""

    def __init__(self, per_minute: int = UPLOADS_PER_MINUTE, *, window_s: float = 60.0):
        self.per_minute = per_minute
        self.window_s = window_s
        self._times: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, session: str, *, now: float | None = None) -> bool:
        """Count one upload of ``session``; False (not counted) when it is over the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._times[session]
            while times and times[0] <= now - self.window_s:
                times.popleft()
            if len(times) >= self.per_minute:
                return False
            times.append(now)
            if len(self._times) > 10_000:  # sessions long gone: forget those with nothing in the window
                for key in [k for k, v in self._times.items() if not v or v[-1] <= now - self.window_s]:
                    del self._times[key]
            return True

    def check(self, session: str) -> None:
        """:meth:`allow`, raising :class:`DeskLimitError` when over the limit."""
        if not self.allow(session):
            raise DeskLimitError(plural_message("more than {n} picture in a minute from this browser: wait a minute, then "
                                                "examine again", "more than {n} pictures in a minute from this "
                                                "browser: wait a minute, then examine again", self.per_minute,
                                                n=self.per_minute))


class ExaminationSlots:
    """At most ``slots`` examinations at once; a caller waits up to ``wait_s`` for a turn."""

    def __init__(self, slots: int = MAX_CONCURRENT_EXAMINATIONS, *, wait_s: float = EXAMINATION_WAIT_S):
        self.slots = slots
        self.wait_s = wait_s
        self._semaphore = threading.BoundedSemaphore(slots)

    @contextmanager
    def turn(self):
        """Hold one slot for the ``with`` block; :class:`DeskLimitError` when none frees in ``wait_s``."""
        if not self._semaphore.acquire(timeout=self.wait_s):
            raise DeskLimitError(plural_message("the desk is busy ({n} examination running for other officers): try again "
                                                "in a moment", "the desk is busy ({n} examinations running for "
                                                "other officers): try again in a moment", self.slots, n=self.slots))
        try:
            yield
        finally:
            self._semaphore.release()


#: the app's one rate counter and one set of examination slots (shared by every session of the process)
upload_rate = UploadRate()
examination_slots = ExaminationSlots()
