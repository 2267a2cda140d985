"""A workshop of N trainees at once, in real headless browsers, against one app on this machine.

    python benchmarks/workshop_load.py --trainees 30              # 5-15 s pauses, as people read
    python benchmarks/workshop_load.py --trainees 10 --quick      # short pauses, for development
    python benchmarks/workshop_load.py --trainees 60 --pause 5 15 --practice 10
    python benchmarks/workshop_load.py --trainees 60 --hq 2 --database postgresql+psycopg://...   # headquarters

Starts ``docexam app``'s server on a free port with a fresh training
database (the shipped library, rendered beforehand if needed, outside the
timing; pictures and heatmaps encoded cold unless ``--warm``), creates a
workshop, and drives N trainees in Debian's Chromium (Playwright,
``executable_path=/usr/bin/chromium``, without the right to raise its priority: see
:func:`browser_executable`; never a downloaded browser): they arrive
within ``--stagger`` seconds, type the sign-in form key by key at a
seeded pace (``--typing``; ``0 0`` fills it at once), sign in, the
pre-test, practice questions of the mixed review (every item type), the
post-test and the survey. Each trainee pauses a seeded 5-15 s
before each answer, as a person reads the document.

Prints p50 / p95 / max of sign-in, answer -> feedback and next question,
errors, lost answers (an answer the browser submitted that the record
does not hold, or a tick gone before it was sent), the app process's CPU
seconds per interaction, its peak memory, and ``uptime`` before and after
(the machine is shared: note its load with the figures). With ``--hq N``
the same trainees go through nginx to N app processes on PostgreSQL, set
up as ``docexam hq config`` writes it (CPU and memory summed over the
processes). A figure, not a
test.

Where the memory goes: ``--memray FILE`` runs the app under memray (every
allocation, native ones too, with the Python stack that made it) and
``python -m memray flamegraph FILE`` shows what the peak held;
``--trace-memory DIR`` (tracemalloc, Python's own allocations) needs
nothing installed but slows the app some twentyfold.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
CODE = "LOAD-1"


def browser_executable(folder: Path) -> str:
    """Chromium as an ordinary user's: unable to raise its own threads' priority above the app's.

    Run as root (as this machine's benchmarks are), Chromium gives every
    renderer's compositor and IO threads nice -8, ahead of the app at nice 0:
    30 browsers on 2 cores then starve the server they stand in for the phones
    of. The phones are other devices; on this laptop their share should at
    most equal the app's, as it does for a user who is not root. A wrapper
    drops CAP_SYS_NICE before Chromium starts.
    """
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return CHROMIUM
    wrapper = Path(folder) / "chromium-without-priority"
    wrapper.write_text(f'#!/bin/sh\nexec setpriv --bounding-set=-sys_nice {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)
LESSON = "Review: forgeries and counterfeits"
STEP_TIMEOUT_MS = int(os.environ.get("DOCEXAM_LOAD_STEP_TIMEOUT_S", "240")) * 1000  # the 4 minutes
CLK_TCK = os.sysconf("SC_CLK_TCK")
#: how often a waiting trainee looks for the page's change (ms). A person sees it within a tenth of a
#: second; Playwright's default, every frame, made each waiting browser spend a tenth of a core on
#: looking (``document.body.innerText`` 60 times a second), more the longer the app took: a load
#: the phones carry themselves, put on the laptop by the benchmark.
POLL_MS = 100
#: the server starts in a session of its own, as ``docexam app`` typed in a terminal does, not in the
#: benchmark's: Linux shares the CPU between sessions first (autogroups), so a server started by the
#: benchmark would compete as one process among its 30 browsers' hundred (the phones, which on the day
#: have CPUs of their own), where a server typed in a terminal competes with them as a whole
SERVER_SESSION = True
#: the issue's goals for the app process at 30 trainees
CPU_GOAL_MS = 80
MEMORY_GOAL_MB = 1024


# ---------------------------------------------------------------- the app process

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of the process, MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            values[key] = int(value.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return Path("/proc/loadavg").read_text().strip()


class App:
    """``docexam app``'s server in a subprocess, with a fresh database and the given DOCEXAM_HOME."""

    def __init__(self, home: Path, *, warm: bool, memray: str | None = None):
        from docexam.cli.app import server_environment, streamlit_command

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = Path(tempfile.mkdtemp(prefix="docexam-load-"))
        self.db = f"sqlite:///{self.workdir / 'record.sqlite3'}"
        env = server_environment(dict(os.environ, DOCEXAM_HOME=str(home), DOCEXAM_DATABASE_URL=self.db))
        env.pop("DOCEXAM_SPECIMENS_DIR", None)
        if not warm:
            shutil.rmtree(home / "cache" / "media", ignore_errors=True)
        self.log = open(self.workdir / "server.log", "wb")
        cmd = streamlit_command(host="127.0.0.1", port=self.port)
        if memray:  # every allocation, native ones too, with the Python stack that made it (slower)
            cmd = [cmd[0], "-m", "memray", "run", "--force", "-o", str(memray), *cmd[1:]]
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=SERVER_SESSION)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the app exited: see {self.workdir / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        self.peak_rss = 0.0
        self.last_cpu = 0.0
        self.child_cpu: dict[int, float] = {}
        self.child_peak_rss = 0.0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _children(self) -> list[int]:
        out = []
        for task in Path(f"/proc/{self.proc.pid}/task").glob("*/children"):
            try:
                out += [int(p) for p in task.read_text().split()]
            except (OSError, ValueError):
                pass
        return out

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            try:
                self.peak_rss = max(self.peak_rss, _rss_mb(self.proc.pid)[0])
                self.cpu()
            except OSError:
                return
            for pid in self._children():  # the background preparation process (library, pictures, heatmaps)
                try:
                    self.child_cpu[pid] = _cpu_seconds(pid)
                    self.child_peak_rss = max(self.child_peak_rss, _rss_mb(pid)[0])
                except OSError:
                    pass

    def cpu(self) -> float:
        """CPU seconds the app process used so far (its last sample if it is gone)."""
        try:
            self.last_cpu = _cpu_seconds(self.proc.pid)
        except OSError:
            pass
        return self.last_cpu

    def peak(self) -> float:
        return max(self.peak_rss, _rss_mb(self.proc.pid)[1])

    def describe(self) -> str:
        return f"app on {self.url} (pid {self.proc.pid})"

    def close(self) -> None:
        self._stop.set()
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Headquarters:
    """A headquarters on this machine: N app processes on PostgreSQL behind Debian's nginx.

    Configured by ``docexam hq config`` (:func:`docexam.sharing.hq.write_config`), with a schema of
    its own in the PostgreSQL database ``database`` (dropped afterwards); CPU and memory are the sum
    over the app processes.
    """

    def __init__(self, home: Path, *, warm: bool, instances: int, database: str):
        import sqlalchemy as sa

        from docexam.cli.app import streamlit_command
        from docexam.sharing.hq import write_config

        self.workdir = Path(tempfile.mkdtemp(prefix="docexam-hq-"))
        self.peak_rss, self.child_cpu, self.child_peak_rss = 0.0, {}, 0.0  # background preparation: not sampled
        self.schema = f"docexam_load_{os.getpid()}"
        self.admin = sa.create_engine(database, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{self.schema}"')
        self.db = sa.make_url(database).update_query_dict({"options": f"-csearch_path={self.schema}"}) \
            .render_as_string(hide_password=False)
        ports, listen = [_free_port() for _ in range(instances)], _free_port()
        write_config(self.workdir, ports=ports, listen=f"127.0.0.1:{listen}", database_url=self.db, home=home)
        from docexam.training import TrainingRecord

        TrainingRecord.open(self.db).close()  # migrated once, before the processes start
        env = dict(os.environ, DOCEXAM_HOME=str(home), DOCEXAM_DATABASE_URL=self.db)
        env.pop("DOCEXAM_SPECIMENS_DIR", None)
        if not warm:
            shutil.rmtree(home / "cache" / "media", ignore_errors=True)
        self.log = open(self.workdir / "server.log", "wb")
        self.apps = [subprocess.Popen(streamlit_command(host="127.0.0.1", port=port), cwd=REPO, env=env,
                                      stdout=self.log, stderr=subprocess.STDOUT, start_new_session=SERVER_SESSION)
                     for port in ports]
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen([nginx, "-c", str(self.workdir / "nginx.conf"), "-p", f"{self.workdir}/",
                                       "-g", "daemon off;"], stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{listen}"
        for url in [f"http://127.0.0.1:{port}" for port in ports] + [self.url]:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or any(p.poll() is not None for p in self.apps + [self.nginx]):
                        self._stop = threading.Event()
                        self.close()  # no process or schema left behind
                        raise SystemExit(f"headquarters did not start: see {self.workdir / 'server.log'}")
                    time.sleep(0.5)

        self.peak_rss = 0.0
        self.last_cpu = 0.0
        self.child_cpu: dict[int, float] = {}
        self.child_peak_rss = 0.0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        # as App._sample, summed over the app processes (each with its background preparation)
        while not self._stop.wait(0.5):
            rss = 0.0
            for proc in self.apps:
                try:
                    rss += _rss_mb(proc.pid)[0]
                except OSError:
                    continue
                for task in Path(f"/proc/{proc.pid}/task").glob("*/children"):
                    try:
                        children = [int(c) for c in task.read_text().split()]
                    except (OSError, ValueError):
                        continue
                    for pid in children:
                        try:
                            self.child_cpu[pid] = _cpu_seconds(pid)
                            self.child_peak_rss = max(self.child_peak_rss, _rss_mb(pid)[0])
                        except OSError:
                            pass
            self.peak_rss = max(self.peak_rss, rss)
            self.cpu()

    def cpu(self) -> float:
        """CPU seconds of the app processes so far (the last sample once one is gone)."""
        try:
            self.last_cpu = sum(_cpu_seconds(p.pid) for p in self.apps)
        except OSError:
            pass
        return self.last_cpu

    def peak(self) -> float:
        return max(self.peak_rss, sum(_rss_mb(p.pid)[1] for p in self.apps))

    def describe(self) -> str:
        return (f"headquarters on {self.url}: nginx in front of {len(self.apps)} app processes on PostgreSQL "
                f"(schema {self.schema})")

    def close(self) -> None:
        self._stop.set()
        for p in self.apps + [self.nginx]:
            p.terminate()
        for p in self.apps + [self.nginx]:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        self.log.close()
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
        self.admin.dispose()


# ---------------------------------------------------------------- what a stuck browser saw

class Witness:
    """What one page saw go wrong: console errors, failed requests, HTTP errors and the websocket's life.

    On a failure :meth:`dump` writes a screenshot and these (the last
    :data:`KEEP` of each) beside the server's log, so a stuck browser says
    whether its picture was refused (404), its connection dropped, or its
    click simply got no answer.
    """

    KEEP = 40

    def __init__(self, page):
        self.page = page
        self.t0 = time.monotonic()
        self.events: collections.deque = collections.deque(maxlen=self.KEEP)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self._note("page error", str(exc)))
        page.on("requestfailed", lambda req: self._note("request failed", f"{req.url} {req.failure}"))
        page.on("response", self._response)
        page.on("websocket", self._websocket)

    def _note(self, what: str, detail: str) -> None:
        self.events.append(f"{time.monotonic() - self.t0:8.1f} s  {what}: {detail[:400]}")

    def _console(self, msg) -> None:
        if msg.type in ("error", "warning"):
            self._note(f"console {msg.type}", msg.text)

    def _response(self, response) -> None:
        REQUESTS[request_kind(response.url, response.status)] += 1
        if response.status >= 400:
            self._note(f"HTTP {response.status}", response.url)

    def mark(self, what: str) -> None:
        """A step of the trainee's own (a press), placed among the page's events."""
        self._note("trainee", what)

    def _sent(self, payload) -> None:
        """A message the page sent the app: what a rerun request carried (the press's trigger, the values)."""
        try:
            from streamlit.proto.BackMsg_pb2 import BackMsg

            msg = BackMsg()
            msg.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
            kind = msg.WhichOneof("type")
            if kind != "rerun_script":
                self._note("sent", kind or "?")
                return
            rerun = msg.rerun_script
            widgets = [f"{w.id[-12:]}={w.WhichOneof('value')}" + ("!" if w.WhichOneof("value") == "trigger_value"
                                                                    and w.trigger_value else "")
                       for w in rerun.widget_states.widgets]
            self._note("sent rerun", f"fragment={rerun.fragment_id[-8:] or '-'} page={rerun.page_name} "
                                     f"widgets: {' '.join(widgets)}")
        except Exception as exc:  # noqa: BLE001 - a diagnostic only
            self._note("sent", f"{len(payload)} bytes ({type(exc).__name__})")

    def _websocket(self, ws) -> None:
        self._note("websocket opened", ws.url)
        ws.on("framesent", self._sent)
        ws.on("close", lambda _ws: self._note("websocket closed", ws.url))
        ws.on("socketerror", lambda error: self._note("websocket error", str(error)))

    async def dump(self, folder: Path, name: str, error: str) -> Path:
        """A screenshot and the events seen, as ``folder/name.png`` and ``folder/name.txt``."""
        folder.mkdir(parents=True, exist_ok=True)
        stem = folder / name.replace(" ", "-")
        try:
            await self.page.screenshot(path=f"{stem}.png", full_page=True)
        except Exception as exc:  # noqa: BLE001 - a page gone: the events still tell
            self._note("screenshot failed", str(exc))
        try:
            state = await self.page.evaluate(
                """() => [...document.querySelectorAll('.dx-stage img, img.dx-picture')].map(
                       i => ({src: i.getAttribute('src'), complete: i.complete, width: i.naturalWidth}))""")
        except Exception:  # noqa: BLE001
            state = "unknown"
        try:  # what the page holds: each block and element of the main area, greyed (stale) or not
            layout = await self.page.evaluate(
                """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid]')]
                       .filter(e => /^st(ElementContainer|HorizontalBlock|Column|VerticalBlock)$/.test(e.dataset.testid))
                       .map(e => e.dataset.testid.replace('st', '') + (e.dataset.stale === 'true' ? '(stale)' : '')
                            + (e.dataset.testid === 'stElementContainer' ? ':' + (e.innerText || '').slice(0, 40)
                               .replace(/\\s+/g, ' ') : ''))""")
        except Exception:  # noqa: BLE001
            layout = []
        stem.with_suffix(".txt").write_text(
            f"{name}: {error}\nafter {time.monotonic() - self.t0:.1f} s; pictures: {json.dumps(state)}\n"
            + "\n".join(self.events) + "\npage:\n" + "\n".join(f"    {x}" for x in layout) + "\n",
            encoding="utf-8")
        return stem


def server_problems(log: Path, *, limit: int = 12) -> list[str]:
    """The server log's tracebacks and errors (their last lines), for the end of a run."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    out = [line.strip() for line in lines
           if re.search(r"Error|Exception|Traceback|WARNING|CRITICAL", line)
           and not re.search(r"DeprecationWarning|missing ScriptRunContext", line)]  # the start's cache filling
    return out[-limit:]


# ---------------------------------------------------------------- one trainee

#: Chromium's main-thread totals (seconds) reported for trainee 0's page
PAGE_METRICS = ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration")

#: HTTP responses every trainee's page got, by :func:`request_kind` (what the app serves besides page runs)
REQUESTS: collections.Counter = collections.Counter()


def request_kind(url: str, status: int) -> str:
    """A response's kind for counting: the address's first two segments (a picture's name left out) and status.

    >>> request_kind("http://127.0.0.1:8501/media/ab/cd12.jpg?t=3", 404)
    '/media/ab 404'
    >>> request_kind("http://127.0.0.1:8501/docexam-media/cd12.none.txt", 404)
    '/docexam-media 404'
    >>> request_kind("http://127.0.0.1:8501/_stcore/health", 200)
    '/_stcore/health 200'
    """
    parts = urllib.parse.urlsplit(url).path.split("/")
    if "." in parts[-1]:  # a file: counted by its folder
        parts = parts[:-1]
    return ("/".join(parts[:3]) or "/") + f" {status}"


class Stats:
    def __init__(self):
        self.times: dict[str, list[float]] = {"sign-in": [], "answer -> feedback": [], "next question": []}
        self.errors: list[str] = []
        self.interactions = 0
        self.submitted: dict[str, int] = {}  # trainee name -> answers the browser sent and saw accepted
        self.lost_ticks = 0
        self.signins_over: tuple | None = None  # (wall, browsers' CPU, app CPU) from the start to the last sign-in
        self.page_metrics: dict[str, float] = {}  # trainee 0's page: Chromium's main-thread totals over the day


async def _idle(page) -> None:
    """Until the app's run is over (its running indicator gone)."""
    await page.wait_for_timeout(150)
    await page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=STEP_TIMEOUT_MS)


async def _question_number(page) -> str:
    return (await page.get_by_text("Question ", exact=False).first.text_content() or "").strip()


async def _next_question(page, previous: str | None):
    """The question on screen once it is a new one: (its container, its key).

    Each question is drawn in a container of its own (``st-key-q-...``);
    while a run is under way the previous one may still be shown, greyed.
    """
    deadline = time.monotonic() + STEP_TIMEOUT_MS / 1000
    containers = page.locator('[class*="st-key-q-"]')
    while time.monotonic() < deadline:
        for i in reversed(range(await containers.count())):
            match = re.search(r"st-key-q-[\w-]+", await containers.nth(i).get_attribute("class") or "")
            if not match or match.group(0) == previous:
                continue
            question = page.locator(f".{match.group(0)}")
            # drawn by this run (a container may still hold the last question's greyed widgets)
            if (await question.locator('.dx-point, [data-testid="stRadioOption"]').count()
                    and not await question.locator('[data-stale="true"]').count()):
                return question, match.group(0)
        await page.wait_for_timeout(100)
    raise TimeoutError(f"no new question after {previous} within {STEP_TIMEOUT_MS / 1000:.0f} s")


async def _answer_current(page, rng: random.Random, stats: Stats, name: str, previous: str | None,
                          witness=None) -> str:
    """Mark the document or tick an option of the new question on screen (not yet sent); its key."""
    deadline = time.monotonic() + STEP_TIMEOUT_MS / 1000
    while True:
        question, key = await _next_question(page, previous)
        stage = question.locator(".dx-point")
        radio = question.get_by_test_id("stRadioOption")
        options = await radio.count()
        # a run may redraw the question between finding it and reading its options (as a person would, look again)
        if await stage.count() or options:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"question {key} shows neither a document to mark nor options")
        await page.wait_for_timeout(100)
    if await stage.count():
        box = await stage.first.bounding_box()
        if box is None:  # a run replaced the document between finding and measuring it: look again
            return await _answer_current(page, rng, stats, name, previous, witness)
        if witness:
            witness.mark(f"mark the document of {key}")
        await stage.first.click(position={"x": box["width"] * rng.uniform(0.1, 0.9),
                                          "y": box["height"] * rng.uniform(0.1, 0.9)})
        await question.get_by_text("Your mark is drawn in blue").first.wait_for(timeout=STEP_TIMEOUT_MS)
        # the mark waits in its form for the press: not an interaction of its own
    else:
        option = radio.nth(rng.randrange(options))
        await option.click()
        if not await option.locator("input").is_checked():
            stats.lost_ticks += 1
            stats.errors.append(f"{name}: a tick was redrawn unticked")
            await option.click()
    return key


async def _pause(page, rng: random.Random, pause: tuple[float, float]) -> None:
    await page.wait_for_timeout(1000 * rng.uniform(*pause))


async def _sit_test(page, form: str, rng, pause, stats: Stats, name: str, witness=None) -> None:
    await page.get_by_role("link", name=form).click()
    await page.get_by_role("heading", name=form).wait_for(timeout=STEP_TIMEOUT_MS)
    stats.interactions += 1
    await _idle(page)
    done = page.get_by_text("You have answered every question of this test")
    key = None
    while not await done.count():
        await _pause(page, rng, pause)
        before = await _question_number(page)
        key = await _answer_current(page, rng, stats, name, key, witness)
        t0 = time.perf_counter()
        if witness:
            witness.mark(f"press Submit on {before}")
        await page.get_by_role("button", name="Submit answer").click()
        stats.interactions += 1
        # the next question, or the end of the test
        await page.wait_for_function(
            """(before) => {
                 const t = document.body.innerText;
                 if (t.includes('You have answered every question of this test')) return true;
                 const m = t.match(/Question \\d+ of \\d+/);
                 return m && m[0] !== before;
               }""", arg=before, timeout=STEP_TIMEOUT_MS, polling=POLL_MS)
        stats.times["next question"].append(time.perf_counter() - t0)
        stats.submitted[name] = stats.submitted.get(name, 0) + 1
        await _idle(page)


async def _practise(page, count: int, rng, pause, stats: Stats, name: str) -> None:
    await page.get_by_role("link", name="Practice").click()
    await page.get_by_role("heading", name="Practice").wait_for(timeout=STEP_TIMEOUT_MS)
    stats.interactions += 1
    await _idle(page)
    await page.get_by_test_id("stSelectbox").first.click()
    await page.get_by_role("option", name=LESSON).click()
    stats.interactions += 1
    await _idle(page)
    key = None
    for _ in range(count):
        await _pause(page, rng, pause)
        key = await _answer_current(page, rng, stats, name, key)
        t0 = time.perf_counter()
        await page.get_by_role("button", name="Check my answer").click()
        stats.interactions += 1
        await page.get_by_role("button", name="Next question").wait_for(timeout=STEP_TIMEOUT_MS)
        stats.times["answer -> feedback"].append(time.perf_counter() - t0)
        stats.submitted[name] = stats.submitted.get(name, 0) + 1
        await _idle(page)
        await page.wait_for_timeout(1000 * rng.uniform(pause[0] / 3, pause[1] / 3))  # reading the feedback
        before = await _question_number(page)
        t0 = time.perf_counter()
        await page.get_by_role("button", name="Next question").click()
        stats.interactions += 1
        await page.wait_for_function(
            """(before) => { const m = document.body.innerText.match(/Question \\d+ of \\d+|Finished:/);
                              return m && m[0] !== before; }""", arg=before, timeout=STEP_TIMEOUT_MS,
                                     polling=POLL_MS)
        stats.times["next question"].append(time.perf_counter() - t0)
        await _idle(page)


async def _survey(page, rng, stats: Stats) -> None:
    await page.get_by_role("link", name="Survey").click()
    await page.get_by_role("heading", name="Survey").wait_for(timeout=STEP_TIMEOUT_MS)
    stats.interactions += 1
    await _idle(page)
    for group in range(2):  # relevance and overall rating, 1 to 5
        await page.get_by_test_id("stRadio").nth(group).get_by_test_id("stRadioOption").nth(
            rng.randint(2, 4)).click()
    await page.get_by_role("button", name="Send").click()
    stats.interactions += 1
    await page.get_by_text("You have answered the survey").wait_for(timeout=STEP_TIMEOUT_MS)


async def _start_profile(context, page):
    """Chromium's JavaScript sampling profiler on ``page`` (the DevTools protocol), started now."""
    cdp = await context.new_cdp_session(page)
    await cdp.send("Profiler.enable")
    await cdp.send("Profiler.setSamplingInterval", {"interval": 1000})  # microseconds
    await cdp.send("Profiler.start")
    return cdp


async def _save_profile(cdp, path: Path) -> None:
    """Write the profile (open it in Chromium's DevTools, Performance panel) and print where the time went."""
    profile = (await cdp.send("Profiler.stop"))["profile"]
    path.write_text(json.dumps(profile), encoding="utf-8")
    for line in profile_summary(profile):
        print(line, flush=True)


def profile_summary(profile: dict, *, top: int = 25) -> list[str]:
    """Self time per function (name, script, line) of a DevTools ``Profile``, largest first.

    >>> profile_summary({"nodes": [{"id": 1, "callFrame": {"functionName": "f", "url": "a.js", "lineNumber": 2}}],
    ...                  "samples": [1, 1], "timeDeltas": [1000, 3000]}, top=1)[1]
    '   0.003 s  100.0 %  f  a.js:3'
    """
    frames = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    self_us: dict[tuple, float] = collections.Counter()
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    # a sample's time is the gap to the next sample
    for i, node in enumerate(samples):
        gap = deltas[i + 1] if i + 1 < len(deltas) else 0
        frame = frames[node]
        self_us[(frame.get("functionName") or "(anonymous)", frame.get("url", "").rsplit("/", 1)[-1],
                 frame.get("lineNumber", -1) + 1)] += gap
    idle = sum(v for k, v in self_us.items() if k[0] == "(idle)")
    busy = sum(self_us.values()) - idle
    lines = [f"JavaScript profile of trainee 0: {sum(deltas) / 1e6:.3f} s sampled, {busy / 1e6:.3f} s busy "
             "((program) is the renderer's own work: style, layout, paint)"]
    for (name, url, line), us in sorted(self_us.items(), key=lambda kv: -kv[1])[:top]:
        if name != "(idle)":
            lines.append(f"{us / 1e6:8.3f} s {100 * us / (busy or 1):6.1f} %  {name}  {url}:{line}")
    return lines


def trace_summary(path: Path, *, top: int = 20) -> list[str]:
    """The renderer main thread's time by event name (self time: nested events taken off their parent's)."""
    events = json.loads(path.read_text(encoding="utf-8"))
    events = events.get("traceEvents", events) if isinstance(events, dict) else events
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}
    by_thread: dict[tuple, list] = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and (e["pid"], e["tid"]) in main and "dur" in e:
            by_thread[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"], e["name"]))
    self_us: dict[str, float] = collections.Counter()
    for spans in by_thread.values():
        spans.sort(key=lambda s: (s[0], -s[1]))
        stack: list[list] = []  # [end, name, child time]
        for start, end, name in spans:
            while stack and stack[-1][0] <= start:
                done = stack.pop()
                self_us[done[1]] += done[3] - done[2]
            if stack:
                stack[-1][2] += end - start
            stack.append([end, name, 0.0, end - start])
        for done in stack:
            self_us[done[1]] += done[3] - done[2]
    total = sum(self_us.values()) or 1
    lines = [f"renderer main thread of trainee 0: {total / 1e6:.2f} s in traced events (self time by event)"]
    lines += [f"{us / 1e6:8.2f} s {100 * us / total:5.1f} %  {name}" for name, us in self_us.most_common(top)]
    return lines


async def trainee(browser, url: str, n: int, args, stats: Stats, viewport) -> None:
    rng = random.Random(args.seed * 1000 + n)
    name = f"Load Trainee {n:03d}"
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    witness = Witness(page)
    profiler = await _start_profile(context, page) if args.profile_browser and n == 0 else None
    metrics = await context.new_cdp_session(page) if n == 0 else None  # what a trainee's browser spends
    if metrics is not None:
        await metrics.send("Performance.enable")
    if args.trace_browser and n == 0:  # what the renderer did, event by event (style, layout, paint, scripts)
        await browser.start_tracing(page=page, path=args.trace_browser, screenshots=False,
                                    categories=["devtools.timeline", "disabled-by-default-devtools.timeline", "v8"])
    try:
        await page.wait_for_timeout(1000 * rng.uniform(0, args.stagger))  # people arrive over a minute
        await page.goto(url)
        await page.get_by_role("heading", name="Sign in").wait_for(timeout=STEP_TIMEOUT_MS)
        key_s = rng.uniform(*args.typing)  # this trainee's pace on a phone's keyboard
        for label, text in (("Full name", name), ("Department or unit", "Immigration"), ("Province", "Koh Kong"),
                            ("Workshop code", CODE), ("PIN (4 to 12 digits)", "4821")):
            field = page.get_by_label(label)
            if key_s:
                await field.press_sequentially(text, delay=1000 * key_s)
            else:
                await field.fill(text)
        t0 = time.perf_counter()
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("heading", name=f"Welcome, {name}").wait_for(timeout=STEP_TIMEOUT_MS)
        stats.times["sign-in"].append(time.perf_counter() - t0)
        stats.interactions += 1
        await _idle(page)
        await _sit_test(page, "Pre-test", rng, args.pause, stats, name, witness)
        await _practise(page, args.practice, rng, args.pause, stats, name)
        if not args.no_post:
            await _sit_test(page, "Post-test", rng, args.pause, stats, name, witness)
            await _survey(page, rng, stats)
        # an error the page shows; a practice answer's "Not quite." is drawn as one too, and is no error
        errors = await page.get_by_test_id("stAlertContentError").all_text_contents()
        stats.errors += [f"{name}: {e}" for e in errors if not e.endswith("Not quite.")]
    except Exception as exc:  # noqa: BLE001 - counted and reported, the other trainees go on
        detail = " | ".join(line.strip() for line in str(exc).splitlines()[:6])
        stats.errors.append(f"{name}: {type(exc).__name__}: {detail[:600]}")
        await witness.dump(Path(args.failures), name, f"{type(exc).__name__}: {detail}")
    finally:
        if metrics is not None:
            stats.page_metrics = {m["name"]: m["value"] for m in (await metrics.send("Performance.getMetrics"))["metrics"]
                                  if m["name"] in PAGE_METRICS}
        if profiler is not None:
            await _save_profile(profiler, Path(args.profile_browser))
        if args.trace_browser and n == 0:
            await browser.stop_tracing()
            for line in trace_summary(Path(args.trace_browser)):
                print(line, flush=True)
        await context.close()


# ---------------------------------------------------------------- the run

def _figures(values: list[float]) -> str:
    if not values:
        return "-"
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return f"p50 {statistics.median(values):6.2f} s   p95 {p95:6.2f} s   max {values[-1]:6.2f} s   (n={len(values)})"


def _tree_cpu(root: int, skip: set[int]) -> float:
    """CPU seconds of ``root``'s descendants (outside ``skip`` and their trees), reaped children included."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        times[pid] = sum(int(f) for f in fields[11:15]) / CLK_TCK  # utime stime cutime cstime
    total, todo = 0.0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        if pid in skip:
            continue
        total += times.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


#: a wait longer than this is counted in the app's run figures (the goals' 2 s)
SLOW_S = 2.0


def _server_runs(runs) -> list[str]:
    """The app's own figures per page run (its run log), to compare with the waits the browsers saw."""
    if not runs:
        return [f"{'app page runs':20} none logged"]
    whole = [r for r in runs if not r.fragment]
    lines = [f"{'app page runs':20} {len(runs)} ({len(runs) - len(whole)} of them fragments); measured in the app "
             f"from the press reaching it to the run's end:"]
    for what, values in (("  press -> run start", [r.started - r.requested for r in runs]),
                         ("  run (wall)", [r.finished - r.started for r in runs]),
                         ("  press -> run end", [r.finished - r.requested for r in runs]),
                         ("  run (CPU)", [r.cpu for r in runs]),
                         ("  page run (wall)", [r.finished - r.started for r in whole]),
                         ("  page press -> end", [r.finished - r.requested for r in whole])):
        lines.append(f"{what:20} {_figures(values)}   over {SLOW_S:g} s: {sum(v > SLOW_S for v in values)}")
    pages = sorted({r.page or "-" for r in whole})
    for page in pages:  # where the whole-page runs' time goes (sign-in, home, the drill page)
        mine = [r for r in whole if (r.page or "-") == page]
        lines.append(f"{'    page ' + page:20} {_figures([r.finished - r.started for r in mine])}   CPU "
                     f"p50 {statistics.median(r.cpu for r in mine):.2f} s max {max(r.cpu for r in mine):.2f} s")
    made = [r for r in runs if r.made]
    kinds: dict[str, list] = {}
    for r in made:
        for kind, n, s in r.made_by_kind:
            kinds.setdefault(kind, [0, 0.0])
            kinds[kind][0] += n
            kinds[kind][1] += s
    lines.append(f"{'made in page runs':20} {len(made)} of {len(runs)} runs rendered or encoded a picture while "
                 f"their officer waited: " + (", ".join(f"{k} {n} ({s:.1f} s)" for k, (n, s) in sorted(kinds.items()))
                                               or "nothing"))
    return lines


def _servers(app) -> set[int]:
    """The app's own processes (one, or a headquarters' several and nginx): not counted as browsers."""
    procs = [getattr(app, "proc", None), getattr(app, "nginx", None), *getattr(app, "apps", [])]
    return {p.pid for p in procs if p is not None}


async def _watch_signins(stats: Stats, trainees: int, app, browsers_cpu0: float) -> None:
    """Note what the browsers and the app used of the machine until every trainee had signed in."""
    t0, app0 = time.perf_counter(), app.cpu()
    while len(stats.times["sign-in"]) < trainees:
        await asyncio.sleep(0.5)
    stats.signins_over = (time.perf_counter() - t0, _tree_cpu(os.getpid(), _servers(app)) - browsers_cpu0,
                          app.cpu() - app0)


async def run(args) -> int:
    from playwright.async_api import async_playwright

    from docexam.synth.library import library_folder
    from docexam.training import TrainingRecord

    home = Path(args.home or os.environ.get("DOCEXAM_HOME") or tempfile.mkdtemp(prefix="docexam-home-"))
    os.environ["DOCEXAM_HOME"] = str(home)
    print(f"DOCEXAM_HOME={home}; rendering the shipped library if needed (not timed) ...", flush=True)
    library_folder(progress=False)
    if args.hq:
        database = args.database or os.environ.get("DOCEXAM_TEST_POSTGRES_URL")
        if not database:
            raise SystemExit("--hq needs a PostgreSQL database: --database URL (or DOCEXAM_TEST_POSTGRES_URL)")
        app = Headquarters(home, warm=args.warm, instances=args.hq, database=database)
    else:
        run_log = home / "runs.log"  # the app's own latency per page run (docexam.ui.runlog)
        run_log.unlink(missing_ok=True)
        os.environ["DOCEXAM_RUN_LOG"] = str(run_log)
        if args.profile:  # the app keeps a profile of each run slower than runlog.PROFILE_OVER_S
            os.environ["DOCEXAM_RUN_PROFILE"] = args.profile
        app = App(home, warm=args.warm, memray=args.memray)
    with TrainingRecord.open(app.db) as record:
        today = dt.date.today()
        ws = record.create_workshop(title="Load test", place="Poipet", province="Banteay Meanchey",
                                    start_date=today, end_date=today, code=CODE)
    print(f"the workshop's test forms drawn in {_draw_forms(app.db, ws.id):.1f} s (as the Workshops page does when "
          f"the trainer creates it; not timed)", flush=True)
    args.failures = args.failures or str(app.workdir / "failures")
    print(f"{app.describe()}; {args.trainees} trainees, pauses {args.pause[0]:g}-"
          f"{args.pause[1]:g} s, seed {args.seed}", flush=True)
    uptime_before = _uptime()
    stats = Stats()
    cpu0 = app.cpu()
    prep0 = sum(app.child_cpu.values())
    t0 = time.perf_counter()
    browsers_cpu, browsers_cpu0 = 0.0, _tree_cpu(os.getpid(), _servers(app))
    try:
        async with async_playwright() as p:
            # several browser processes: one that crashes takes only its share of trainees with it
            executable = browser_executable(app.workdir)
            browsers = [await p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
                        for _ in range(max(1, min(args.browsers, args.trainees)))]
            viewport = {"width": 390, "height": 844} if args.phone else {"width": 1280, "height": 900}
            watch = asyncio.create_task(_watch_signins(stats, args.trainees, app, browsers_cpu0))
            await asyncio.gather(*(trainee(browsers[n % len(browsers)], app.url, n, args, stats, viewport)
                                   for n in range(args.trainees)))
            watch.cancel()
            browsers_cpu = _tree_cpu(os.getpid(), _servers(app)) - browsers_cpu0
            for browser in browsers:
                try:
                    await browser.close()
                except Exception as exc:  # noqa: BLE001 - a crashed browser is reported, the figures still print
                    stats.errors.append(f"browser: {type(exc).__name__}: {exc}")
        cpu = app.cpu() - cpu0
        prep_cpu = sum(app.child_cpu.values()) - prep0
        wall = time.perf_counter() - t0
        with TrainingRecord.open(app.db) as record:
            stored: dict[str, int] = {}
            for tr in record.trainees():
                stored[tr.name] = len(record.attempts_for(trainee_id=tr.id))
        lost = {name: n - stored.get(name, 0) for name, n in stats.submitted.items() if stored.get(name, 0) < n}
        try:
            peak_rss = app.peak()
        except OSError:
            peak_rss = app.peak_rss
            stats.errors.append("the app process is gone")
    finally:
        app.close()
    print()
    print(f"trainees {args.trainees}, wall {wall:.0f} s, pauses {args.pause[0]:g}-{args.pause[1]:g} s, arriving within "
          f"{args.stagger:g} s, typing {args.typing[0]:g}-{args.typing[1]:g} s a key")
    for what, values in stats.times.items():
        print(f"{what:20} {_figures(values)}")
    print(f"{'errors':20} {len(stats.errors)}")
    for e in stats.errors[:20]:
        print(f"    {e}")
    if stats.errors:
        print(f"    screenshots and what each stuck browser saw: {args.failures}")
    for line in server_problems(app.workdir / "server.log"):
        print(f"    server log: {line}")
    print(f"{'lost answers':20} {sum(lost.values())} (trainees: {len(lost)}); ticks lost before sending: "
          f"{stats.lost_ticks}")
    per = 1000 * cpu / max(stats.interactions, 1)
    machine = wall * (os.cpu_count() or 1)
    print(f"{'browsers CPU':20} {browsers_cpu:.0f} s (Chromium and its driver: {100 * browsers_cpu / machine:.0f} % of "
          f"the machine; the app {100 * cpu / machine:.0f} %)")
    if stats.signins_over:
        s_wall, s_browsers, s_app = stats.signins_over
        print(f"{'while signing in':20} the first {s_wall:.0f} s, until the last trainee was in: the browsers used "
              f"{100 * s_browsers / (s_wall * (os.cpu_count() or 1)):.0f} % of the machine, the app "
              f"{100 * s_app / (s_wall * (os.cpu_count() or 1)):.0f} %")
    print(f"{'app CPU':20} {cpu:.1f} s for {stats.interactions} interactions = {per:.0f} ms per interaction "
          f"(goal <= {CPU_GOAL_MS} ms: {'met' if per <= CPU_GOAL_MS else 'NOT met'})")
    print(f"{'app peak memory':20} {peak_rss:.0f} MB resident, the app process alone (goal <= {MEMORY_GOAL_MB} MB: "
          f"{'met' if peak_rss <= MEMORY_GOAL_MB else 'NOT met'})")
    if args.trace_memory:
        reports = sorted(Path(args.trace_memory).glob("memory-*.txt"))
        if reports:
            print(f"largest Python allocation sites at the end ({reports[-1]}):")
            print("\n".join("    " + line for line in reports[-1].read_text().splitlines()[:40]))
    if not args.hq:
        from docexam.ui import runlog

        for line in _server_runs(runlog.read(run_log)):
            print(line)
    if stats.page_metrics:
        m, each = stats.page_metrics, stats.interactions / max(args.trainees, 1)
        print(f"{'a trainee page':20} trainee 0's browser main thread: {m.get('TaskDuration', 0):.1f} s of tasks "
              f"(scripts {m.get('ScriptDuration', 0):.1f}, style {m.get('RecalcStyleDuration', 0):.1f}, layout "
              f"{m.get('LayoutDuration', 0):.1f}) = {1000 * m.get('TaskDuration', 0) / max(each, 1):.0f} ms per "
              f"interaction (a trainee's share of them: {each:.0f}; page loads and every picture included); one answer "
              f"on a bare Streamlit form: benchmarks/streamlit_floor.py")
    served = sum(REQUESTS.values())
    print(f"{'HTTP responses':20} {served} ({served / max(stats.interactions, 1):.1f} per interaction), by kind: "
          + ", ".join(f"{kind} {n}" for kind, n in REQUESTS.most_common(8)))
    print(f"{'background prep':20} {prep_cpu:.1f} s CPU at low priority (library, pictures, heatmaps), peak "
          f"{app.child_peak_rss:.0f} MB")
    print(f"uptime before: {uptime_before}")
    print(f"uptime after:  {_uptime()}")
    print(f"command: python benchmarks/workshop_load.py --trainees {args.trainees} --pause {args.pause[0]:g} "
          f"{args.pause[1]:g} --practice {args.practice} --stagger {args.stagger:g} "
          f"--typing {args.typing[0]:g} {args.typing[1]:g} --seed {args.seed}"
          + (" --no-post" if args.no_post else "") + (" --warm" if args.warm else "")
          + (" --phone" if args.phone else "") + (f" --hq {args.hq}" if args.hq else ""))
    return 1 if stats.errors or lost else 0


def _draw_forms(database: str, workshop_id: int) -> float:
    """Draw the workshop's pre- and post-test with the Workshops page's own function; seconds taken.

    The trainer creates the workshop on that page before the room signs in, and the page draws its
    forms then; the trainees' sign-ins only read them.
    """
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # outside a Streamlit server: no script context
    os.environ["DOCEXAM_DATABASE_URL"] = database
    from docexam.ui import state

    t0 = time.perf_counter()
    state.test_forms(workshop_id)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--pause", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"),
                        help="seconds a trainee reads before each answer (seeded uniform)")
    parser.add_argument("--quick", action="store_true", help="short pauses (0.3-1 s) and a short practice")
    parser.add_argument("--practice", type=int, default=10, help="practice questions per trainee")
    parser.add_argument("--no-post", action="store_true", help="stop after the practice (no post-test, no survey)")
    parser.add_argument("--stagger", type=float, default=30.0, help="trainees arrive within this many seconds")
    parser.add_argument("--typing", type=float, nargs=2, default=(0.25, 0.6), metavar=("MIN", "MAX"),
                        help="seconds per key as each trainee types the sign-in form (a seeded pace per trainee; "
                             "0 0 fills the form at once, every sign-in bunched with the others' page loads)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm", action="store_true", help="keep pictures and heatmaps encoded by an earlier run")
    parser.add_argument("--phone", action="store_true", help="390 x 844 viewports")
    parser.add_argument("--browsers", type=int, default=0,
                        help="Chromium processes the trainees share (default: one per 15 trainees)")
    parser.add_argument("--home", help="DOCEXAM_HOME to use (default: $DOCEXAM_HOME or a new folder)")
    parser.add_argument("--hq", type=int, default=0, metavar="N",
                        help="run against a headquarters instead: N app processes on PostgreSQL behind nginx "
                             "(docexam hq config)")
    parser.add_argument("--database", help="PostgreSQL URL for --hq (default: $DOCEXAM_TEST_POSTGRES_URL)")
    parser.add_argument("--failures", help="folder for a screenshot and the browser's last errors of each trainee "
                                            "that failed (default: the run's work folder)")
    parser.add_argument("--profile", metavar="DIR",
                        help="keep a cProfile of every app page run slower than 2 s in DIR (docexam.ui.runlog)")
    parser.add_argument("--profile-browser", metavar="FILE",
                        help="profile the first trainee's page's JavaScript (Chromium's sampling profiler) into FILE "
                             "and print its self time per function")
    parser.add_argument("--trace-browser", metavar="FILE",
                        help="record the first trainee's page in Chromium's tracing (open it in DevTools' Performance "
                             "panel) and print the renderer main thread's time by event")
    parser.add_argument("--memray", metavar="FILE",
                        help="run the app under memray (pip install memray; not a dependency) and write its capture "
                             "to FILE: `python -m memray flamegraph FILE` shows what the peak held")
    parser.add_argument("--trace-memory", metavar="DIR",
                        help="the app traces its Python allocations (tracemalloc: slower) and writes the largest "
                             "sites to DIR every 20 s; the last report is printed at the end")
    args = parser.parse_args()
    if args.quick:
        args.pause, args.practice, args.stagger = (0.3, 1.0), min(args.practice, 4), min(args.stagger, 5.0)
        args.typing = (0.0, 0.0)
    args.browsers = args.browsers or max(1, -(-args.trainees // 15))
    if args.trace_memory:
        os.environ["DOCEXAM_TRACEMALLOC"] = str(Path(args.trace_memory).resolve())
    if not Path(CHROMIUM).is_file():
        print(f"Debian's chromium is not installed ({CHROMIUM}): apt-get install chromium", file=sys.stderr)
        return 2
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
