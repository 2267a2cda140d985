"""Rendering ahead of need, in the background, with a bounded share of the machine.

A drill knows what it will show next (the next travellers of the queue; the
two severities the staircase may ask for after the current answer), so it
asks for them early: :meth:`Prefetcher.request` puts a job in a priority
queue and returns at once. A few worker processes (two by default) take
the most urgent job first; they run at a lower scheduling priority (``nice``)
with one thread each, so 30 drills asking at once never starve the app's
own process of the CPU it needs to answer taps. A job asked for twice is
done once (jobs are keyed), and asking again with a more urgent priority
moves it up.

Workers are started with ``spawn`` (a fresh interpreter): forking a
threaded web server can deadlock. ``workers=0`` renders nothing ahead: a
job runs in the calling thread when :meth:`Prefetcher.wait` needs it (the
command line, tests).

A job is a picklable callable with a ``key`` attribute and a ``ready()``
method (is its result on disk already?); the job writes its result to disk
itself (the cache), so the prefetcher only tracks whether it ran. ``then`` (a picklable function) runs in the worker
after each job with the job's result: the app uses it to encode the
pictures for the browser ahead of time.

Where a job is (:meth:`Prefetcher.whereabouts`: queued, running, done, not
asked) and how long it queued and ran (``log``, called with one
:class:`JobTimes` per finished job) tell what an officer who waited waited on.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field

#: default number of worker processes (``$DOCEXAM_RENDER_WORKERS`` overrides): two, so the trials that may
#: follow ten officers' answers (two per answer, a fraction of a second each) do not queue behind one another
#: or behind a traveller's render (one of 30 drills measured: 14 of 100 answers waited with one worker)
WORKERS = 2
#: scheduling priority of the workers (higher is kinder to the app)
NICENESS = 10
#: Linux's prctl option: the signal a process gets when the thread that started it ends
PR_SET_PDEATHSIG = 1


def start_worker(niceness: int) -> None:
    """A worker process's start: lower priority, ended with its parent, one OpenCV thread."""
    try:
        os.nice(niceness)
    except OSError:  # not allowed here: run at the usual priority
        pass
    try:  # ended by the kernel with the app (a stopped app left its renderer running for an hour)
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux
        pass
    import cv2  # one thread per worker: the bound on CPU is the number of workers

    cv2.setNumThreads(1)
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def _run(job, then):
    """Run ``job`` and ``then``; the seconds each took (wall) and the process's CPU for both."""
    start, cpu = time.perf_counter(), time.process_time()
    result = job()
    made = time.perf_counter()
    if then is not None:
        then(result)
    return made - start, time.perf_counter() - made, time.process_time() - cpu


@dataclass(frozen=True)
class JobTimes:
    """One finished job: its key, seconds queued (asked -> started), running, and of that the job and ``then``."""

    key: str
    queued: float
    running: float
    job: float
    then: float
    cpu: float
    ok: bool


@dataclass
class Stats:
    """What the prefetcher did: jobs requested, done, failed, and time spent waiting for one."""

    requested: int = 0
    done: int = 0
    failed: int = 0
    waits: list = field(default_factory=list)
    errors: list = field(default_factory=list)


class Prefetcher:
    """A priority queue of rendering jobs and a small pool of low-priority worker processes.

    Parameters
    ----------
    workers : int, keyword-only
        Worker processes; 0 runs a job in the calling thread when it is waited for.
    niceness : int, keyword-only
        Added to the workers' scheduling priority.
    then : callable, optional
        Run in the worker after each job, with its result (picklable).
    log : callable, optional
        Called (in this process) with a :class:`JobTimes` for each finished job.
    """

    def __init__(self, *, workers: int | None = None, niceness: int = NICENESS, then=None, log=None):
        if workers is None:
            workers = int(os.environ.get("DOCEXAM_RENDER_WORKERS", WORKERS))
        self.workers = max(0, int(workers))
        self._then = then
        self._log = log
        self._asked: dict[str, float] = {}      # key -> when first asked (monotonic)
        self._started: dict[str, float] = {}    # key -> when it started running
        self._seq: dict[str, int] = {}          # key -> its place in the queue (among equal priorities)
        self._lock = threading.Condition()
        self._heap: list = []
        self._order = itertools.count()
        self._pending: dict[str, float] = {}     # key -> best priority asked
        self._running: dict[str, Future] = {}
        self._done: set[str] = set()
        self._failed: dict[str, str] = {}
        self.stats = Stats()
        self._pool = None
        self._closed = False
        if self.workers:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                             initializer=start_worker, initargs=(niceness,))
            self._dispatcher = threading.Thread(target=self._dispatch, name="docexam-prefetch", daemon=True)
            self._dispatcher.start()

    # ---- asking

    def request(self, job, *, priority: float = 10.0) -> None:
        """Ask for ``job`` (lower ``priority`` is sooner); returns at once."""
        key = job.key
        if self.done(job):
            return
        with self._lock:
            if key in self._running or self._closed:
                return
            if key in self._pending and self._pending[key] <= priority:
                return
            self._pending[key] = priority
            self._asked.setdefault(key, time.monotonic())
            self.stats.requested += 1
            self._seq[key] = next(self._order)
            heapq.heappush(self._heap, (priority, self._seq[key], key, job))
            self._lock.notify_all()

    def _run_inline(self, job) -> None:
        with self._lock:
            self._pending.pop(job.key, None)
            self._asked.setdefault(job.key, time.monotonic())
            self._started[job.key] = time.monotonic()
        try:
            times = _run(job, self._then)
        except Exception as exc:  # noqa: BLE001 - a bad job is reported, not raised into the page
            self._finish(job.key, exc)
        else:
            self._finish(job.key, None, times)

    def _pop(self):
        while self._heap:
            priority, _n, key, job = heapq.heappop(self._heap)
            if self._pending.get(key) == priority:
                del self._pending[key]
                return key, job
        return None

    def _dispatch(self) -> None:
        while True:
            with self._lock:
                while not self._closed and (not self._heap or len(self._running) >= self.workers):
                    self._lock.wait()
                if self._closed:
                    return
                item = self._pop()
                if item is None:
                    continue
                key, job = item
                future = self._pool.submit(_run, job, self._then)
                self._running[key] = future
                self._started[key] = time.monotonic()
            future.add_done_callback(lambda f, key=key: self._finish(
                key, f.exception(), None if f.exception() is not None else f.result()))

    def _finish(self, key: str, error, times=None) -> None:
        with self._lock:
            self._running.pop(key, None)
            now = time.monotonic()
            asked, started = self._asked.pop(key, now), self._started.pop(key, now)
            self._seq.pop(key, None)
            record = JobTimes(key, started - asked, now - started, *(times or (0.0, 0.0, 0.0)), error is None)
            if error is None:
                self._done.add(key)
                self.stats.done += 1
            else:
                self._failed[key] = f"{type(error).__name__}: {error}"
                self.stats.failed += 1
                self.stats.errors.append(self._failed[key])
            self._lock.notify_all()
        if self._log is not None:
            try:
                self._log(record)
            except Exception:  # noqa: BLE001 - a measurement must never break the renderer
                pass

    # ---- waiting

    def done(self, job) -> bool:
        """Whether ``job``'s result is there (made by this prefetcher, or found on disk)."""
        with self._lock:
            if job.key in self._done:
                return True
        if job.ready():
            with self._lock:
                self._done.add(job.key)
            return True
        return False

    def failed(self, job) -> str | None:
        with self._lock:
            return self._failed.get(job.key)

    def wait(self, job, *, timeout: float = 120.0, priority: float = 0.0) -> bool:
        """Block until ``job`` ran (asking for it most urgently); True when it did, False on timeout or failure.

        The time spent here is what an officer would see as waiting; it is
        kept in :attr:`stats` (``waits``).
        """
        start = time.monotonic()
        if self.done(job):
            self.stats.waits.append(0.0)
            return True
        if not self.workers:
            self._run_inline(job)
            self.stats.waits.append(time.monotonic() - start)
            return self.done(job)
        self.request(job, priority=priority)
        deadline = start + timeout
        with self._lock:
            while job.key not in self._done and job.key not in self._failed:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    break
                self._lock.wait(min(left, 0.5))
            ok = job.key in self._done
        self.stats.waits.append(time.monotonic() - start)
        return ok

    def whereabouts(self, job) -> str:
        """Where ``job`` is: ``done``, ``failed``, ``running:S`` (for S seconds), ``queued:S:N`` (asked S
        seconds ago, N jobs to run before it or running) or ``unasked``."""
        key = job.key
        now = time.monotonic()
        with self._lock:
            if key in self._done:
                return "done"
            if key in self._failed:
                return "failed"
            if key in self._running:
                return f"running:{now - self._started.get(key, now):.1f}"
            if key in self._pending:
                mine = (self._pending[key], self._seq[key])
                ahead = sum((p, self._seq[k]) < mine for k, p in self._pending.items()) + len(self._running)
                return f"queued:{now - self._asked.get(key, now):.1f}:{ahead}"
        return "unasked"

    def queued(self) -> int:
        with self._lock:
            return len(self._pending) + len(self._running)

    def close(self) -> None:
        """Stop taking jobs; wait for the running ones and stop the workers."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
