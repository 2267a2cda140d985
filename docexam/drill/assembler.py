"""Threshold trials put together ahead of the answer, by a thread of the app's own process.

While an officer looks at a trial, the trials that may follow it (after a
right and after a wrong answer: :func:`docexam.drill.measure.next_recipes`)
are put together from crops cut ahead (:func:`docexam.drill.trials.render_trial`:
four crops per light read, numbered, laid out and encoded, a fraction of a
second each). Queued behind renders in the drill's worker processes, at
their low priority behind a room's browsers, 5 of 100 answers found their
next trial still waiting for a worker; here one thread of the app does it
at the app's priority (two threads by default: a room's answers come in
bursts), and an answer only waits if it comes sooner than that.

A new request of a run (``group``) drops that run's requests still queued:
once an officer answered, the trial of the other answer is not needed.
:data:`THREADS` threads: that many trials' pictures in memory at a time
(some 50 MB each at most), so the app's memory stays bounded. It never renders: a trial whose crops are not cut goes to
the drill's renderer (:class:`~docexam.drill.prefetch.Prefetcher`).

Examples
--------
>>> made = []
>>> a = Assembler(made.append, ready=lambda item: item in made)
>>> a.request(["trial 2"], group="run-1"); a.idle(timeout=5)
True
>>> a.wait("trial 2"), a.stats.ahead, a.stats.waited, made
(True, 1, 0, ['trial 2'])
>>> a.close()
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

#: threads putting trials together (one measured at 10 officers answering at once: answers came in bursts and
#: waited behind each other, queued p50 3.5 s; each trial is 0.2 s of CPU, mostly outside the GIL)
THREADS = 2


@dataclass
class AssemblerStats:
    """Items made ahead by the thread, and waited for by a caller (made in its thread, or joined while made)."""

    ahead: int = 0
    waited: int = 0
    failed: int = 0
    dropped: int = 0


@dataclass(frozen=True)
class AssemblyTimes:
    """One item made: its key, seconds queued (asked -> started) and made, the thread's CPU, and whether
    it went well; ``key`` and the fields match :class:`docexam.drill.prefetch.JobTimes` where they can."""

    key: str
    queued: float
    running: float
    cpu: float
    ok: bool


class Assembler:
    """A queue of items to make (``make(item)``) and one thread making them, oldest request first.

    Parameters
    ----------
    make : callable
        Makes an item (writes its files); its exceptions are counted, not raised.
    ready : callable, keyword-only
        Whether an item is made already (found on disk): such an item is not queued.
    log : callable, optional
        Called with an :class:`AssemblyTimes` for each item made by the thread.
    threads : int, keyword-only
        Threads making items ahead; 0: none, an item is made when it is waited for (tests, the command line).
    name : str, keyword-only
        The queue's name, the first part of the logged keys (``NAME:item``).
    """

    def __init__(self, make, *, ready, log=None, name: str = "assemble", threads: int = THREADS):
        self._make, self._ready, self._log, self.name = make, ready, log, name
        self._lock = threading.Condition()
        self._queue: OrderedDict = OrderedDict()   # item -> (group, asked at)
        self._running: dict = {}                   # item -> started at
        self._closed = not threads                 # without a thread nothing is made ahead
        self.stats = AssemblerStats()
        self._threads = [threading.Thread(target=self._work, name=f"docexam-{name}-{n}", daemon=True)
                         for n in range(max(0, int(threads)))]
        for thread in self._threads:
            thread.start()

    def request(self, items, *, group=None) -> None:
        """Ask for ``items`` (in this order); a request of ``group`` drops that group's other requests
        still queued (asked for an earlier trial of the same run: not needed any more)."""
        wanted = [item for item in items if not self.done(item)]
        with self._lock:
            if group is not None:
                stale = [k for k, (g, _t) in self._queue.items() if g == group and k not in wanted]
                for k in stale:
                    del self._queue[k]
                self.stats.dropped += len(stale)
            for item in wanted:
                if item not in self._queue and item not in self._running and not self._closed:
                    self._queue[item] = (group, time.monotonic())
            self._lock.notify_all()

    def done(self, item) -> bool:
        """Whether ``item`` is made (asked of ``ready`` each time: the files are the truth)."""
        return bool(self._ready(item))

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._closed and not self._queue:
                    self._lock.wait()
                if self._closed:
                    return
                item, (_group, asked) = self._queue.popitem(last=False)
                started = time.monotonic()
                self._running[item] = started
            cpu = time.thread_time()
            ok = self._run(item)
            with self._lock:
                del self._running[item]
                self.stats.ahead += ok
                self._lock.notify_all()
            if self._log is not None:
                self._log(AssemblyTimes(f"{self.name}:{item}", started - asked, time.monotonic() - started,
                                        time.thread_time() - cpu, ok))

    def _run(self, item) -> bool:
        try:
            self._make(item)
        except Exception:  # noqa: BLE001 - a bad item is counted; the page that needs it says so
            with self._lock:
                self.stats.failed += 1
            return False
        return True

    def wait(self, item, *, timeout: float = 60.0) -> bool:
        """Until ``item`` is made: at once if it is; joined if the thread is making it; else made here, now.

        Counted in :attr:`stats` ``waited`` whenever it was not made already.
        """
        if self.done(item):
            return True
        deadline = time.monotonic() + timeout
        with self._lock:
            self.stats.waited += 1
            while item in self._running and time.monotonic() < deadline:
                self._lock.wait(min(0.5, max(0.0, deadline - time.monotonic())))
            self._queue.pop(item, None)
        return self.done(item) or self._run(item)

    def whereabouts(self, item) -> str:
        """``done``, ``running:S`` (for S seconds), ``queued:S:N`` (asked S seconds ago, N before it) or
        ``unasked``."""
        if self.done(item):
            return "done"
        now = time.monotonic()
        with self._lock:
            if item in self._running:
                return f"running:{now - self._running[item]:.1f}"
            if item in self._queue:
                ahead = list(self._queue).index(item) + len(self._running)
                return f"queued:{now - self._queue[item][1]:.1f}:{ahead}"
        return "unasked"

    def idle(self, *, timeout: float = 60.0) -> bool:
        """Until nothing is queued or being made (True), or ``timeout`` seconds (False)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while (self._queue or self._running) and time.monotonic() < deadline:
                self._lock.wait(min(0.5, max(0.0, deadline - time.monotonic())))
            return not (self._queue or self._running)

    def close(self) -> None:
        """Stop: drop what is queued; the item being made is finished."""
        with self._lock:
            self._closed = True
            self._queue.clear()
            self._lock.notify_all()
        for thread in self._threads:
            thread.join(timeout=30)
