"""Running the rendering jobs of ``docexam drills prepare``: several processes, a progress bar.

A job (:mod:`.ahead`) writes its result to the drill's cache itself; here
they are only run, in ``workers`` processes started fresh (``spawn``) with
one OpenCV thread each, the bound on CPU being the number of processes. The
processes are replaced after :data:`JOBS_PER_PROCESS` jobs each: a render
keeps a few templates' reference pages decoded (hundreds of MB each), and a
fresh process gives them back. A job that fails is reported, one line each, and
the others go on.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed

from tqdm import tqdm

from .prefetch import start_worker

#: jobs a worker process runs before it is replaced (its caches given back)
JOBS_PER_PROCESS = 40


def _problem(job, exc: BaseException) -> str:
    try:
        name = job.key
    except Exception:  # noqa: BLE001 - a job too broken to name itself
        name = repr(job)
    return f"{name}: {type(exc).__name__}: {exc}"


def run_jobs(jobs, *, workers: int | None = None, desc: str = "rendering drill documents") -> list[str]:
    """Run ``jobs`` (each a callable with a ``key``) with a progress bar; one line per failed job.

    ``workers`` processes (default: the number of cores); 1 runs them in this process.
    """
    jobs = list(jobs)
    workers = max(1, os.cpu_count() or 1) if workers is None else max(1, int(workers))
    failed: list[str] = []
    with tqdm(total=len(jobs), desc=desc, unit="doc") as bar:
        if workers == 1 or len(jobs) <= 1:
            for job in jobs:
                try:
                    job()
                except Exception as exc:  # noqa: BLE001 - one bad job must not stop the others
                    failed.append(_problem(job, exc))
                bar.update()
            return failed
        ctx = multiprocessing.get_context("spawn")
        # fresh processes every JOBS_PER_PROCESS jobs each (not the executor's max_tasks_per_child: with it,
        # Python 3.11's pool stopped starting new workers after the first ones left, and hung)
        batch = workers * JOBS_PER_PROCESS
        for start in range(0, len(jobs), batch):
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=start_worker,
                                     initargs=(0,)) as pool:
                futures = {pool.submit(job): job for job in jobs[start:start + batch]}
                try:
                    for future in as_completed(futures):
                        if future.exception() is not None:
                            failed.append(_problem(futures[future], future.exception()))
                        bar.update()
                except KeyboardInterrupt:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    return failed
