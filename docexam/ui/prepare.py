"""Background preparation: the work no trainee should wait for, done before anyone asks.

``docexam app`` starts one preparation process beside the server
(:func:`start`; a session of its own below the server's, its examinations
below its pictures, one examination at a time, one examination's memory at
most); one for each ``DOCEXAM_HOME``, however many app processes
share it (a headquarters server): it holds a lock (:func:`claim`). It

1. renders whatever the shipped library lacks (first start), the two
   starter documents first (:mod:`.starter`: a warm-up round needs only
   them), in :data:`RENDER_WORKERS` processes, writing its progress to
   ``status.json`` and encoding the pictures trainees ask for meanwhile;
2. encodes every specimen's pictures for the browser (:mod:`.media`);
3. examines every specimen once and keeps its heatmap on disk, taking the
   specimens a trainee is waiting for first (:func:`want`), in a thread of
   its own from the start (:meth:`_Preparer.examine`): a picture a
   page asks for never waits behind an examination;
4. renders every drill scenario's travellers, then every threshold trial's
   forgery (:func:`docexam.drill.ahead.ahead_jobs`), unless a specimen
   folder replaces the library (tests) or ``DOCEXAM_RENDER_WORKERS=0``,
   still encoding the pictures pages ask for between renders;

then watches for trainers' new specimens until the server stops. The app
never examines in a request: feedback shows the answer at once and the
heatmap when its file appears (the browser polls for it, the server runs
nothing). Without a preparation process (AppTest, ``streamlit run
app.py``) the app does the work itself. Everything lives in
``$DOCEXAM_HOME/cache/prepare``. This module does not import Streamlit;
run it as ``python -m docexam.ui.prepare``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from ..atomic import ensure_dir, write_text
from ..paths import cache_dir
from ..specimens.registry import load_specimen
from . import media, starter

#: seconds between looks for asked-for pictures and trainers' new specimens once everything is prepared
IDLE_POLL_S = 1.0
#: the niceness of the preparation's session and pictures: the server's session first (at 15, with 30 browsers on
#: the cores, it got 8 s of CPU in a day's first 5 minutes and the server encoded the pictures in page runs)
NICENESS = 5
#: the niceness of the examiner thread within the preparation: a heatmap waits for the pictures a page shows
EXAMINER_NICENESS = 19
#: Linux's prctl option: the signal a process gets when the thread that started it ends
PR_SET_PDEATHSIG = 1
#: tries (50 ms apart) a new preparation process makes to take the lock before it leaves the work to another
CLAIM_TRIES = 20
#: seconds between an app process's looks for the preparation process (one stopped with its app is restarted)
WATCH_S = 30.0
#: processes rendering the library on a first start (``$DOCEXAM_RENDER_WORKERS`` overrides; at least one)
RENDER_WORKERS = 2
#: seconds between looks for asked-for pictures while the library renders
RENDER_POLL_S = 0.3
#: folder of a specimen list used instead of the shipped library (see :mod:`.state`)
SPECIMENS_ENV = "DOCEXAM_SPECIMENS_DIR"


def prepare_dir() -> Path:
    return cache_dir() / "prepare"


# ---------------------------------------------------------------------------
# heatmaps: one file per specimen version, named by what it shows

@dataclass(frozen=True)
class NoHeatmap:
    """The pipeline could not examine a specimen (not aligned): why."""

    reason: str


def heatmap_key(spec) -> str:
    """A description of the heatmap of ``spec`` as it is now (changes with the specimen's files)."""
    paths = tuple((light, str(spec.image_path(light))) for light in spec.lights)
    return f"heatmap|{spec.name}|{spec.template}|{paths}|{media._mtime(str(spec.image_path('visible')))}"


def _none_path(key: str) -> Path:
    return media.media_dir() / f"{media.array_name(key)}.none.txt"


def heatmap_address(spec) -> str:
    """Where the heatmap of ``spec`` is (or will be) served; ``.none.txt`` beside it when there is none."""
    return media.array_address(key=heatmap_key(spec))


def ready_heatmap(spec):
    """The heatmap's address, a :class:`NoHeatmap`, or None when it is not made yet."""
    key = heatmap_key(spec)
    url = media.cached_url(key=key)
    if url:
        return url
    try:
        return NoHeatmap(_none_path(key).read_text(encoding="utf-8"))
    except OSError:
        return None


def make_heatmap(spec):
    """Examine ``spec`` (unless done before) and keep its heatmap on disk: its address or :class:`NoHeatmap`."""
    done = ready_heatmap(spec)
    if done is not None:
        return done
    # loaded in the preparation process only (the app process imports this module too)
    from ..examine import examine, render_heatmap

    key = heatmap_key(spec)
    lights = {light: str(spec.image_path(light)) for light in spec.lights}
    report = examine(lights["visible"], spec.template, uv=lights.get("uv"), ir=lights.get("ir"), name=spec.name)
    if report.verdict == "inconclusive" and not report.aligned:
        ensure_dir(media.media_dir())
        write_text(_none_path(key), report.reason)
        return NoHeatmap(report.reason)
    return media.array_url(render_heatmap(report), key=key)


def want(spec) -> None:
    """Ask the preparation process to examine ``spec`` next (a trainee is waiting for its heatmap)."""
    folder = ensure_dir(prepare_dir() / "wanted")
    try:
        (folder / media.array_name(spec.name)).write_text(spec.name, encoding="utf-8")
    except OSError:
        pass


# ---------------------------------------------------------------------------
# pictures: a request never decodes a full-size image while the preparation process can

def picture_url(path, *, width: int = media.DISPLAY_WIDTH, crop=None) -> str:
    """The address of ``path``'s picture at ``width`` (optionally cropped), encoded before it is returned.

    The background preparation encodes every picture ahead of need; one it
    has not reached yet is encoded here, because the page shows it now. The
    preparation runs at a low priority: with the room's browsers (or any
    other work) keeping the cores busy it gets almost no CPU, and a page
    that left the picture to it waited minutes (the drill's counter gave up
    after 4 minutes with its document never shown). Encoding here costs one
    decode of the full-size file, once per installation: requests encode one
    picture at a time (:func:`media.image_url`), so 30 trainees meeting a new
    specimen at once hold one decoded image, not 30.
    """
    return media.encoded_image_url(path, width=width, crop=crop) or media.image_url(path, width=width, crop=crop)


def want_picture(path, *, width: int = media.DISPLAY_WIDTH, crop=None) -> None:
    """Ask the preparation process to encode this picture next."""
    folder = ensure_dir(prepare_dir() / "wanted-pictures")
    job = {"path": str(path), "width": int(width), "crop": None if crop is None else [int(v) for v in crop]}
    try:
        # atomic: the preparation never reads a half-written request (it did: JSONDecodeError, picture skipped)
        write_text(folder / media.image_address(path, width=width, crop=crop).rsplit("/", 1)[1], json.dumps(job))
    except OSError:
        pass


def _anything_wanted() -> bool:
    """Whether a page asked for a heatmap (:func:`want`) that no one has taken yet."""
    folder = prepare_dir() / "wanted"
    return folder.is_dir() and any(folder.iterdir())


def encode_wanted_pictures() -> int:
    """Encode the pictures pages asked for (oldest first); how many."""
    folder = prepare_dir() / "wanted-pictures"
    if not folder.is_dir():
        return 0
    done = 0
    for path in sorted(folder.glob("*.jpg"), key=lambda p: p.stat().st_mtime if p.exists() else 0):
        try:
            job = json.loads(path.read_text(encoding="utf-8"))
            path.unlink()
            media.image_url(job["path"], width=job["width"], crop=job["crop"])
            done += 1
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"docexam prepare: picture {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    return done


# ---------------------------------------------------------------------------
# the process and its status

def _lock_path() -> Path:
    return prepare_dir() / "lock"


def claim():
    """Become this ``DOCEXAM_HOME``'s one preparation process: the open lock file to keep, or None.

    Several app processes may share one ``DOCEXAM_HOME`` (a headquarters
    server), each starting a preparation process; the first to lock
    ``lock`` works, the others stop at once. The kernel drops the lock
    when its process ends, however it ends: no stale pid file. A
    :func:`running` probe holds the lock for an instant, so a claim tries a
    little while before it concludes another process holds it.
    """
    handle = open(ensure_dir(prepare_dir()) / "lock", "a+b")
    for _ in range(CLAIM_TRIES):
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            time.sleep(0.05)
    handle.close()
    return None


def running() -> bool:
    """Whether a preparation process works for this ``DOCEXAM_HOME`` (it holds the lock)."""
    try:
        handle = open(_lock_path(), "rb")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def status() -> dict:
    """What the preparation process is doing: ``{"phase", "done", "total", ...}`` or ``{}``."""
    try:
        return json.loads((prepare_dir() / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _set_status(**fields) -> None:
    write_text(prepare_dir() / "status.json", json.dumps({**fields, "time": time.time()}))


def _in_child() -> None:
    """In the new process (a session of its own): low priority, and ended by the kernel with its app process.

    Linux shares the CPU between sessions (autogroups) before niceness counts: the session is niced too."""
    os.nice(NICENESS)
    try:
        Path("/proc/self/autogroup").write_text(str(NICENESS))
    except OSError:  # a kernel without autogroups: niceness is all there is
        pass
    _in_worker()


def _lower_this_thread(niceness: int) -> None:
    """Give the calling thread this niceness (on Linux a thread's own: the others keep theirs)."""
    with contextlib.suppress(OSError, AttributeError):  # not allowed, or not Linux: it keeps the process's niceness
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), max(niceness, os.getpriority(os.PRIO_PROCESS, 0)))


def start(*, env: dict | None = None) -> subprocess.Popen | None:
    """Start the preparation process for this ``DOCEXAM_HOME`` unless one runs; the process or None.

    It stops when the thread that started it ends (call it from a thread
    that lives as long as the app, as :func:`keep_running` does) or the
    process that started it (the server) is gone.
    """
    if running():
        return None
    ensure_dir(prepare_dir())
    environment = dict(env or os.environ)
    # one core's worth of threads: the examination's pools must not crowd out the server
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        environment.setdefault(var, "1")
    log = open(prepare_dir() / "log.txt", "ab")
    try:
        return subprocess.Popen([sys.executable, "-m", "docexam.ui.prepare", "--parent", str(os.getpid())],
                                env=environment, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, preexec_fn=_in_child, close_fds=True)
    finally:
        log.close()


def _render_workers() -> int:
    try:
        return max(1, int(os.environ.get("DOCEXAM_RENDER_WORKERS", RENDER_WORKERS)))
    except ValueError:
        return RENDER_WORKERS


def _in_worker() -> None:
    """In a render worker (or the preparation process): ended by the kernel with the process that started it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the look between jobs remains
        pass


_WATCH: list = []


def keep_running(*, every: float = WATCH_S) -> None:
    """Start the preparation process, and again whenever none runs (a daemon thread of the app process).

    Each app process of a headquarters server calls this: one of them
    starts the preparation, and when that app stops (and its preparation
    with it) another app starts it again within ``every`` seconds.
    """
    if _WATCH:
        return

    def watch() -> None:
        children = []
        while True:
            children = [c for c in children if c.poll() is None]  # reaped once they end
            child = start()
            if child is not None:
                children.append(child)
            time.sleep(every)

    thread = threading.Thread(target=watch, name="docexam-prepare-watch", daemon=True)
    _WATCH.append(thread)
    thread.start()


# ---------------------------------------------------------------------------
# the work

def specimens_signature() -> tuple:
    """Names and modification times of the trainers' sidecars: a new specimen changes it."""
    # loaded in the preparation process only (the app process imports this module too)
    from ..lessons.source import user_specimens_dir

    folder = user_specimens_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.json")
                        if not p.name.startswith(".")))


class _Preparer:
    def __init__(self, parent: int | None):
        self.parent = parent
        #: set once the library is rendered: the examiner then takes every specimen, not only those asked for
        self.library_ready = threading.Event()

    def alive(self) -> bool:
        if self.parent is None:
            return True
        try:
            os.kill(self.parent, 0)
        except OSError:
            return False
        return os.getppid() == self.parent

    def render_library(self) -> None:
        """Render what the shipped library lacks: the starter documents first, then the rest in order.

        While the worker processes render, this process encodes the
        pictures pages ask for (and its examiner thread examines the
        documents trainees wait for, the warm-up's feedback), so nobody
        waits for a render to end.
        """
        if os.environ.get(SPECIMENS_ENV):
            return
        # loaded in the preparation process only (the app process imports this module too)
        from ..synth.library import load_library_recipes, recipe_name, render_recipes

        folder = starter.library_folder()
        recipes = load_library_recipes()
        first = starter.starter_recipes(recipes)
        order = first + [r for r in recipes if r not in first]
        queue = [r for r in order if not (folder / f"{recipe_name(r)}.json").is_file()]
        total = len(recipes)
        starter_left = {recipe_name(r) for r in first} & {recipe_name(r) for r in queue}
        if not queue:
            _set_status(phase="library", done=total, total=total, starter=True)
            return
        workers = max(1, min(len(queue), _render_workers()))
        pending: dict = {}
        with ProcessPoolExecutor(max_workers=workers, initializer=_in_worker) as pool:
            while queue or pending:
                while queue and len(pending) < workers:
                    recipe = queue.pop(0)
                    pending[pool.submit(render_recipes, [recipe], str(folder), progress=False, workers=1,
                                        skip_existing=True, screen_copies=True)] = recipe
                finished, _ = wait(pending, timeout=RENDER_POLL_S, return_when=FIRST_COMPLETED)
                for future in finished:
                    name = recipe_name(pending.pop(future))
                    try:
                        future.result()
                    except Exception as exc:  # noqa: BLE001 - one bad recipe must not stop the library
                        print(f"docexam prepare: render {name}: {type(exc).__name__}: {exc}", file=sys.stderr,
                              flush=True)
                    if name in starter_left:
                        starter_left.discard(name)
                        if not starter_left:  # the warm-up's pictures at once, not after the library
                            self.starter_pictures(folder, [recipe_name(r) for r in first])
                if not self.alive():
                    pool.shutdown(wait=False, cancel_futures=True)
                    return
                _set_status(phase="library", done=total - len(queue) - len(pending), total=total,
                            starter=not starter_left)
                encode_wanted_pictures()
        _set_status(phase="library", done=total, total=total, starter=True)

    def starter_pictures(self, folder: Path, names: list) -> None:
        """The screen copies of the starter documents (every light): the warm-up shows them first."""
        for name in names:
            try:
                self.pictures(load_specimen(folder / f"{name}.json"), media.DISPLAY_WIDTH)
            except Exception as exc:  # noqa: BLE001 - the page encodes it itself then
                print(f"docexam prepare: starter {name}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)

    def rendered_by_name(self) -> dict:
        """The shipped documents rendered so far, by name (while the library renders)."""
        folder = starter.library_folder()
        by_name = {}
        for name in starter.rendered_names():
            try:
                by_name[name] = load_specimen(folder / f"{name}.json")
            except Exception:  # noqa: BLE001 - being written, or broken: asked for again later
                continue
        return by_name

    def drills(self) -> None:
        """What the checkpoint drills will show, rendered before anyone asks (the drill's own worker
        renders what a drill asks for next)."""
        if os.environ.get(SPECIMENS_ENV) or os.environ.get("DOCEXAM_RENDER_WORKERS") == "0":
            return
        # the drill room loads the whole renderer: imported only when there is drill work to do
        from ..drill import ahead, material
        from ..drill.scenario import load_scenarios
        from ..drill.travellers import plan_queue
        from ..errors import DocexamError

        try:
            queues = [plan_queue(s, kinds=material.document_kinds(), fits=material.technique_fits) for s in load_scenarios()]
        except DocexamError as exc:  # a broken scenario file: the drill page says so
            print(f"docexam prepare: drills: {exc}", file=sys.stderr, flush=True)
            return
        jobs = ahead.ahead_jobs(queues)
        for i, job in enumerate(jobs):
            if not self.alive():
                return
            encode_wanted_pictures()
            # a job rendered already (by `docexam drills prepare`) returns its pictures at once: encode them too
            _set_status(phase="drills", done=i, total=len(jobs))
            try:
                media.warm(job())
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
                print(f"docexam prepare: drill {job.key}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        from .drill_pictures import encode_ahead  # the drill room, as above

        encode_ahead(load_scenarios(), queues)  # the genuine blanks the reference tool shows (the rest is done)

    def specimens(self) -> list:
        # loaded in the preparation process only (the app process imports this module too)
        from ..lessons.source import default_specimens, load_specimen_folder

        folder = os.environ.get(SPECIMENS_ENV)
        if folder:
            return default_specimens(library=lambda: load_specimen_folder(folder))
        return default_specimens()

    def wanted(self, by_name: dict) -> list:
        folder = prepare_dir() / "wanted"
        out = []
        for path in sorted(folder.glob("*"), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []:
            try:
                name = path.read_text(encoding="utf-8")
                path.unlink()
            except OSError:
                continue
            if name in by_name:
                out.append(by_name[name])
        return out

    def heatmap(self, spec) -> None:
        try:
            make_heatmap(spec)
        except Exception as exc:  # noqa: BLE001 - one bad specimen must not stop the others
            print(f"docexam prepare: {spec.name}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            ensure_dir(media.media_dir())
            write_text(_none_path(heatmap_key(spec)), f"{type(exc).__name__}: {exc}")

    def pictures(self, spec, width: int) -> None:
        for light in spec.lights:
            media.image_url(spec.image_path(light), width=width)
        if width == media.DISPLAY_WIDTH:
            self.tints(spec)

    def tints(self, spec) -> None:
        """The tinted forged areas a feedback lays over the document: made here, so no request decodes a
        full-resolution mask (30 trainees' feedback at once held hundreds of MB in the server)."""
        mask = spec.mask_path
        for anomaly in spec.anomalies if mask is not None else ():
            if anomaly.mask_label is not None:
                media.tint_url(mask, anomaly.mask_label)

    def run_once(self) -> None:
        """Encode every specimen's pictures not encoded yet: the screen copies first (a question shows
        them at once), then the zoom copies, with the pictures pages ask for in between."""
        specimens = self.specimens()
        for width in (media.DISPLAY_WIDTH, media.ZOOM_WIDTH):
            for i, spec in enumerate(specimens):
                if not self.alive():
                    return
                _set_status(phase="pictures", done=i, total=len(specimens), width=width)
                encode_wanted_pictures()
                self.pictures(spec, width)
        _set_status(phase="ready", done=len(specimens), total=len(specimens))

    def examine(self, *, until_done: bool = False) -> None:
        """The heatmaps, one examination at a time: the asked-for specimens first, then (once the
        library is rendered) the others, one template after another (the examination keeps only a
        few templates' models); in a thread of its own beside :meth:`run`'s pictures, which so never
        wait behind an examination (at low priority on a busy laptop one took minutes, and the server
        then encoded each question's pictures itself, in the trainees' page runs)."""
        _lower_this_thread(EXAMINER_NICENESS)
        signature, specimens = None, []
        while self.alive():
            if self.library_ready.is_set() and (now := specimens_signature()) != signature:
                try:
                    signature, specimens = now, self.specimens()
                except Exception as exc:  # noqa: BLE001 - a broken sidecar: the pages say so; looked at again
                    print(f"docexam prepare: specimens: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            by_name = ({s.name: s for s in specimens} or self.rendered_by_name()) if _anything_wanted() else {}
            todo = [s for s in self.wanted(by_name) if ready_heatmap(s) is None] or sorted(
                (s for s in specimens if ready_heatmap(s) is None), key=lambda s: s.template)[:1]
            if not todo and until_done:
                return
            for spec in todo:
                if not self.alive():
                    return
                self.heatmap(spec)
            if not todo:
                time.sleep(IDLE_POLL_S)

    def run(self) -> None:
        threading.Thread(target=self.examine, name="docexam-examiner", daemon=True).start()
        self.render_library()
        self.library_ready.set()
        # what a quiz shows before the drills' travellers: trainees meet quizzes first
        signature = specimens_signature()
        self.run_once()
        self.drills()
        while self.alive():
            now = specimens_signature()
            encode_wanted_pictures()  # a lesson's crop, a picture of a specimen just added
            if now != signature:
                signature = now
                self.run_once()
            time.sleep(IDLE_POLL_S)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docexam.ui.prepare", description=__doc__.splitlines()[0])
    parser.add_argument("--parent", type=int, help="stop when this process is gone")
    parser.add_argument("--once", action="store_true", help="prepare everything once and stop")
    parser.add_argument("--drill-pictures", nargs="*", metavar="ID", default=None,
                        help="only encode the screen and loupe copies of what the drills show (of these scenarios; "
                             "default all), rendered already by `docexam drills prepare`, and stop")
    parser.add_argument("--drills", metavar="DIR", default=None, help="scenario folder (with --drill-pictures)")
    args = parser.parse_args(argv)
    if args.drill_pictures is not None:
        from .drill_pictures import encode_command  # the drill room loads the whole renderer: only here

        return encode_command(args.drill_pictures, args.drills)
    lock = claim()
    if lock is None:
        print("docexam prepare: another preparation process works for this DOCEXAM_HOME", file=sys.stderr)
        return 0
    preparer = _Preparer(args.parent)
    try:
        if args.once:
            preparer.render_library()
            preparer.library_ready.set()
            preparer.drills()
            preparer.run_once()
            preparer.examine(until_done=True)
        else:
            preparer.run()
    except KeyboardInterrupt:
        pass
    finally:
        lock.close()  # the next app process to look starts another
    return 0


if __name__ == "__main__":
    sys.exit(main())
