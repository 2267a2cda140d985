"""The app's own latency per page run, written to a file for the load benchmarks (``DOCEXAM_RUN_LOG``).

A browser under load waits for more than the app: the press travels to
the server, waits for the session's script thread, the run itself (its
callbacks, then ``app.py``), and then the browser must draw the answer and
load its pictures on cores it shares with everything else. To tell the
app's part from the rest, :func:`install` wraps Streamlit's rerun request
and its script run and appends one line per run to the file named by
``DOCEXAM_RUN_LOG``::

    requested started finished cpu fragment

(epoch seconds of the browser's request reaching the server, of the run's
start and end; the run's thread CPU seconds; 1 for a fragment's run).
``benchmarks/drill_load.py`` prints their percentiles beside the
browser-side waits. Off unless the variable is set: it reaches into
Streamlit's internals, which may move between versions (then it warns
once and measures nothing).
"""

from __future__ import annotations

import os
import threading
import time

#: environment variable naming the log file
ENV = "DOCEXAM_RUN_LOG"

_lock = threading.Lock()
_requested: dict[str, float] = {}


def _write(line: str) -> None:
    with _lock, open(os.environ[ENV], "a", encoding="utf-8") as f:
        f.write(line + "\n")


def install() -> bool:
    """Measure every page run from now on when ``DOCEXAM_RUN_LOG`` is set; True if measuring."""
    if not os.environ.get(ENV):
        return False
    try:
        # Streamlit's internals load only when measuring (they may move between versions: caught below)
        from streamlit.runtime.app_session import AppSession
        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
    except ImportError as exc:  # another Streamlit: the app runs, unmeasured
        print(f"docexam: {ENV}: cannot measure page runs ({exc})", flush=True)
        return False
    if getattr(ScriptRunner, "_docexam_timed", False):
        return True
    request_rerun, run_script = AppSession.request_rerun, ScriptRunner._run_script

    def timed_request(self, client_state):
        _requested.setdefault(self.id, time.time())  # the first press waiting wins: its wait is the longest
        return request_rerun(self, client_state)

    def timed_run(self, rerun_data):
        started, cpu = time.time(), time.thread_time()
        requested = _requested.pop(getattr(self, "_session_id", ""), started)
        try:
            return run_script(self, rerun_data)
        finally:
            fragment = int(bool(getattr(rerun_data, "fragment_id_queue", None)))
            _write(f"{requested:.4f} {started:.4f} {time.time():.4f} {time.thread_time() - cpu:.4f} {fragment}")

    AppSession.request_rerun, ScriptRunner._run_script = timed_request, timed_run
    ScriptRunner._docexam_timed = True
    return True


def read(path, *, since: float = 0.0) -> list[tuple[float, float, float, float, int]]:
    """The runs logged in ``path`` that started after ``since``: (requested, started, finished, cpu, fragment)."""
    out = []
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        return out
    for line in lines:
        try:
            a, b, c, d, e = line.split()
            row = (float(a), float(b), float(c), float(d), int(e))
        except ValueError:
            continue
        if row[1] >= since:
            out.append(row)
    return out
