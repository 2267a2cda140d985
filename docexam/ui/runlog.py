"""The app's own latency per page run, written to a file for the load benchmarks (``DOCEXAM_RUN_LOG``).

A browser under load waits for more than the app: the press travels to
the server, waits for the session's script thread, the run itself (its
callbacks, then ``app.py``), and then the browser must draw the answer and
load its pictures on cores it shares with everything else. To tell the
app's part from the rest, :func:`install` wraps Streamlit's rerun request
and its script run and appends one line per run to the file named by
``DOCEXAM_RUN_LOG``::

    requested started finished cpu fragment [made=KIND:N:S,...] [press=KIND] [missing=WHAT,...] [page=NAME]

(epoch seconds of the browser's request reaching the server, of the run's
start and end; the run's thread CPU seconds; 1 for a fragment's run).
The optional fields say whether the officer waited for pictures: what the
run had to render or encode itself (:func:`making`: how many, seconds),
and, for a run answering a press that shows a specimen (a call, a trial's
answer), whether that specimen was rendered and encoded before the press
(:func:`press`: what was missing). ``benchmarks/drill_load.py`` prints
their percentiles and counts beside the browser-side waits.

The drill's background work writes lines of its own (:func:`job`): one
per job finished ahead of a press (a trial put together, a traveller
rendered), with how long it queued and ran, so a press that found its
specimen not ready can be told apart: still queued, or being made.

With ``DOCEXAM_RUN_PROFILE=DIR`` as well, each run is profiled (cProfile,
its own thread: wall time, so a wait on a lock shows) and a run slower
than :data:`PROFILE_OVER_S` is kept as ``DIR/run-<start>-<seconds>s.prof``.

Off unless the variable is set: it reaches into Streamlit's internals,
which may move between versions (then it warns once and measures nothing).

Examples
--------
>>> line = "10.0 10.5 11.0 0.2 1 made=encode:2:0.300 press=call missing=visible@1100"
>>> run = parse(line)
>>> run.fragment, run.made, run.made_s, run.press, run.missing
(1, 2, 0.3, 'call', ('visible@1100',))
>>> parse("10.0 10.5 11.0 0.2 0").press is None
True
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import NamedTuple

#: environment variable naming the log file
ENV = "DOCEXAM_RUN_LOG"
#: environment variable naming a folder for the profiles of slow runs
PROFILE_ENV = "DOCEXAM_RUN_PROFILE"
#: a run slower than this (seconds, wall) keeps its profile
PROFILE_OVER_S = 2.0

_lock = threading.Lock()
_requested: dict[str, float] = {}
_local = threading.local()


class Run(NamedTuple):
    """One logged page run."""

    requested: float
    started: float
    finished: float
    cpu: float
    fragment: int
    #: what the run rendered or encoded itself: kind -> (count, seconds)
    made_by_kind: tuple = ()
    #: the press the run answered, when it shows a specimen (``call``, ``trial``), else None
    press: str | None = None
    #: what that specimen lacked at the press (empty: everything was ready)
    missing: tuple = ()
    page: str | None = None

    @property
    def made(self) -> int:
        return sum(n for _kind, n, _s in self.made_by_kind)

    @property
    def made_s(self) -> float:
        return round(sum(s for _kind, _n, s in self.made_by_kind), 6)


def parse(line: str) -> Run:
    """A logged line as a :class:`Run` (ValueError when it is not one)."""
    fields = line.split()
    if len(fields) < 5:
        raise ValueError(line)
    a, b, c, d, e = fields[:5]
    extra = dict(f.split("=", 1) for f in fields[5:] if "=" in f)
    made = []
    for item in filter(None, extra.get("made", "").split(",")):
        kind, n, s = item.split(":")
        made.append((kind, int(n), float(s)))
    missing = tuple(filter(None, extra.get("missing", "").split(",")))
    return Run(float(a), float(b), float(c), float(d), int(e), tuple(made), extra.get("press"), missing,
               extra.get("page"))


def _write(line: str) -> None:
    with _lock, open(os.environ[ENV], "a", encoding="utf-8") as f:
        f.write(line + "\n")


def measuring() -> bool:
    """Whether the current thread runs a page that is being logged (nothing to note otherwise)."""
    return getattr(_local, "run", None) is not None


@contextlib.contextmanager
def making(kind: str):
    """Time work a page run does for a picture it shows now (``render``, ``encode``): the officer waits for it."""
    start = time.perf_counter()
    try:
        yield
    finally:
        run = getattr(_local, "run", None)
        if run is not None:
            n, s = run["made"].get(kind, (0, 0.0))
            run["made"][kind] = (n + 1, s + time.perf_counter() - start)


def press(kind: str, missing) -> None:
    """Note that this run answers a press showing a specimen, and what of it was not ready (rendered and
    encoded) when the officer pressed."""
    run = getattr(_local, "run", None)
    if run is not None:
        run["press"], run["missing"] = kind, [str(m) for m in missing]


def _line(requested: float, started: float, cpu: float, fragment: int, run: dict) -> str:
    parts = [f"{requested:.4f} {started:.4f} {time.time():.4f} {cpu:.4f} {fragment}"]
    if run["made"]:
        parts.append("made=" + ",".join(f"{k}:{n}:{s:.3f}" for k, (n, s) in sorted(run["made"].items())))
    if run.get("press"):
        parts.append(f"press={run['press']}")
        if run["missing"]:
            parts.append("missing=" + ",".join(m.replace(",", ";").replace(" ", "_") for m in run["missing"]))
    if run.get("page"):
        parts.append(f"page={run['page']}")
    return " ".join(parts)


def page(name: str) -> None:
    """Note which page this run draws (:mod:`.nav`, once the navigation chose it)."""
    run = getattr(_local, "run", None)
    if run is not None:
        run["page"] = str(name).replace(" ", "_")[:40] or "-"


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
    profiles = os.environ.get(PROFILE_ENV)

    def timed_request(self, client_state):
        _requested.setdefault(self.id, time.time())  # the first press waiting wins: its wait is the longest
        return request_rerun(self, client_state)

    def timed_run(self, rerun_data):
        started, cpu = time.time(), time.thread_time()
        requested = _requested.pop(getattr(self, "_session_id", ""), started)
        _local.run = run = {"made": {}}
        profiler = None
        if profiles:
            import cProfile  # noqa: PLC0415 - only when profiling

            profiler = cProfile.Profile()
            profiler.enable()
        try:
            return run_script(self, rerun_data)
        finally:
            _local.run = None
            fragment = int(bool(getattr(rerun_data, "fragment_id_queue", None)))
            if profiler is not None:
                profiler.disable()
                wall = time.time() - started
                if wall > PROFILE_OVER_S:
                    Path(profiles).mkdir(parents=True, exist_ok=True)
                    profiler.dump_stats(str(Path(profiles) / f"run-{started:.3f}-{wall:.1f}s-f{fragment}.prof"))
            _write(_line(requested, started, time.thread_time() - cpu, fragment, run))

    AppSession.request_rerun, ScriptRunner._run_script = timed_request, timed_run
    ScriptRunner._docexam_timed = True
    return True


class Job(NamedTuple):
    """One job of the drill's background work, finished at ``finished`` (epoch seconds)."""

    finished: float
    kind: str
    queued: float
    running: float
    cpu: float
    ok: bool


def job_kind(key: str) -> str:
    """A job's kind from its key: ``trial``, ``doc``, ``crops``... (``screen:`` jobs encode as well); a key
    ``NAME:...`` of another queue is of kind ``NAME``.

    >>> job_kind("screen:/home/cache/drill/a54d/trial-0123abcd"), job_kind("/home/cache/drill/a54d/crops-99")
    ('screen-trial', 'crops')
    >>> job_kind("assemble:TrialRecipe(technique='erasure', severity=0.5, variant=0, position=1)")
    'assemble'
    """
    head, sep, rest = key.partition(":")
    if sep and "/" not in head and head != "screen":
        return head
    screen = key.startswith("screen:")
    name = Path(key.removeprefix("screen:")).name.split("-")[0] or "job"
    return f"screen-{name}" if screen else name


def job(times) -> None:
    """Log a finished background job (a :class:`docexam.drill.prefetch.JobTimes`) when measuring."""
    if os.environ.get(ENV):
        _write(f"job {time.time():.4f} {job_kind(times.key)} {times.queued:.3f} {times.running:.3f} "
               f"{times.cpu:.3f} {int(times.ok)}")


def _lines(path) -> list[str]:
    """The lines of the log at ``path`` (none if it cannot be read)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().splitlines()
    except OSError:
        return []


def read_jobs(path, *, since: float = 0.0) -> list[Job]:
    """The background jobs logged in ``path`` that finished after ``since``."""
    out = []
    for line in _lines(path):
        fields = line.split()
        if len(fields) == 7 and fields[0] == "job":
            finished = float(fields[1])
            if finished >= since:
                out.append(Job(finished, fields[2], float(fields[3]), float(fields[4]), float(fields[5]),
                               fields[6] == "1"))
    return out


def read(path, *, since: float = 0.0) -> list[Run]:
    """The runs logged in ``path`` that started after ``since``."""
    out = []
    for line in _lines(path):
        try:
            run = parse(line)
        except ValueError:
            continue
        if run.started >= since:
            out.append(run)
    return out


class Readiness(NamedTuple):
    """Presses of one kind (``call``, ``trial``): how many found their specimen ready, and what the others cost."""

    presses: int
    #: presses whose specimen was rendered and every picture of it encoded before the press
    ready: int
    #: presses whose specimen was not even rendered
    unrendered: int
    #: runs answering these presses that rendered or encoded something while the officer waited
    waited: int
    #: pictures those runs made (renders waited for, encodings), and their seconds
    made: int
    made_s: float


def readiness(runs, press: str) -> Readiness:
    """What the runs answering ``press`` presses say: ready before they were needed, or made while waiting.

    >>> runs = [parse("0 0 1 0 1 press=call"), parse("0 0 2 0 1 made=encode:2:0.500 press=call missing=visible@1100"),
    ...         parse("0 0 9 0 1 made=render:1:6.000,encode:1:0.250 press=call missing=render"),
    ...         parse("0 0 1 0 0 made=encode:1:0.100"), parse("0 0 1 0 1 press=trial")]
    >>> readiness(runs, "call")
    Readiness(presses=3, ready=1, unrendered=1, waited=2, made=4, made_s=6.75)
    """
    mine = [r for r in runs if r.press == press]
    return Readiness(len(mine), sum(not r.missing for r in mine), sum("render" in r.missing for r in mine),
                     sum(r.made > 0 for r in mine), sum(r.made for r in mine), round(sum(r.made_s for r in mine), 6))
