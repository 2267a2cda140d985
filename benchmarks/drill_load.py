"""N checkpoint drills at once, in real headless browsers, against one app on this machine.

    python benchmarks/drill_load.py --officers 30                      # cold drill cache, officers start at once
    python benchmarks/drill_load.py --officers 30 --lead 600           # the app started 10 minutes earlier
    python benchmarks/drill_load.py --officers 30 --thresholds 10      # 10 of them measure thresholds instead
    python benchmarks/drill_load.py --officers 6 --quick               # short pauses, for development

Starts ``docexam app``'s server (with its background preparation process,
which renders every scenario's travellers ahead of need) on a fresh
training database, by default with an empty drill cache (``--warm`` keeps
an earlier run's), waits ``--lead`` seconds (the app started before the
exercise), and drives N officers in Debian's Chromium (Playwright,
``executable_path=/usr/bin/chromium``; never a downloaded browser): sign
in, open the checkpoint drill alone on the scenario (``--scenario``, or
``mix``: the shipped ones in turn), and for each of ``--travellers``
travellers call them, use 0 to 2 tools, look (a seeded pause), and admit
or refer; then end the drill and read the debrief. ``--thresholds K`` of
the officers measure a detection threshold instead (``--trials`` trials of
four crops). Each officer pauses as a person reads.

The workshop is created with its test forms drawn, as the Workshops page
does (not timed). Prints, beside *call -> document* (and *trial -> next
trial*), the issue's own measure: of the calls (answers), how many found
their specimen ready before the press (rendered, and every picture the
desk may show encoded for the screen and the loupe: each light, the photo,
the reference's genuine blank), and what the app made while the officer
waited (pictures, seconds), from the app's run log. ``--profile DIR``
keeps a cProfile of every page run slower than 2 s (wall time: a wait on
a lock shows), for finding what a slow run waited for.

Prints p50 / p95 / max of *call -> document* (the traveller's document
drawn in the browser: the wait an officer sees; *call -> desk* is its part
until the desk's answer is drawn, the picture perhaps still loading), *tool -> view*,
*decision -> next*, *trial -> next trial* and *end -> debrief*, how many presses
waited more than 2 s, errors, decisions and trials the record lacks, the
app process's CPU per interaction, the background processes' CPU (the
preparation process and the drill's renderer, at low priority), the
browsers' CPU, the app's own latency per page run (from the press
reaching the server to the run's end, logged by the app:
:mod:`docexam.ui.runlog`) to tell the app's part of a wait from the
browsers', whole-page runs per page (wall and CPU), peak memory and ``uptime`` before and after (the machine is shared: note its
load with the figures). A figure, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workshop_load import (CHROMIUM, CHROMIUM_FLAGS, CLK_TCK, App, Witness, _draw_forms, _figures, _idle,  # noqa: E402
                           _server_runs, _tree_cpu, _uptime, browser_executable, server_problems)

CODE = "DRILL-1"
STEP_TIMEOUT_MS = 240_000
#: a press answered later than this is a wait the officer sees
VISIBLE_WAIT_S = 2.0
TITLES = {"land-rush-hour": "Land crossing at rush hour", "seaport-ferry": "Seaport: a ferry arrives",
          "night-shift-impostor": "Quiet night shift with one impostor"}


class Stats:
    def __init__(self):
        self.times: dict[str, list[float]] = {"call -> desk": [], "call -> document": [], "tool -> view": [],
                                              "decision -> next": [],
                                              "trial -> next trial": [], "end -> debrief": []}
        self.errors: list[str] = []
        self.interactions = 0
        self.decisions: dict[str, int] = {}
        self.trials: dict[str, int] = {}


async def _document_drawn(page, drawn: list | None = None) -> None:
    """Until the traveller's document picture is loaded by the browser (``drawn`` gets the moment its
    element is there: the page's answer drawn, the picture perhaps still loading)."""
    img = page.locator(".dx-stage img").first
    await img.wait_for(timeout=STEP_TIMEOUT_MS)
    if drawn is not None:
        drawn.append(time.perf_counter())
    await page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=await img.element_handle(),
                                 timeout=STEP_TIMEOUT_MS)


async def _open(page, link: str) -> None:
    target = page.get_by_role("link", name=link)
    box = await target.bounding_box() if await target.is_visible() else None
    phone = box is None or box["x"] < 0
    if phone:
        await page.get_by_test_id("stExpandSidebarButton").click()
    await target.click()
    if phone:
        await page.get_by_test_id("stSidebarCollapseButton").locator("button").click(force=True)
    await _idle(page)


async def _timed(stats: Stats, what: str, action, until) -> float:
    t0 = time.perf_counter()
    await action()
    stats.interactions += 1
    await until()
    elapsed = time.perf_counter() - t0
    stats.times[what].append(elapsed)
    return elapsed


async def _drill(page, rng: random.Random, args, stats: Stats, name: str, scenario: str) -> None:
    await _open(page, "Checkpoint drill")
    await page.get_by_test_id("stSelectbox").first.click()
    await page.get_by_role("option", name=TITLES[scenario]).click()
    await _idle(page)
    await page.get_by_text("Alone", exact=True).click()
    await page.get_by_role("button", name="Go").click()
    stats.interactions += 1
    await _idle(page)
    seen = 0
    call = page.get_by_role("button", name="Call the next traveller")
    wait = page.get_by_role("button", name="Wait for the next traveller")
    nobody = page.get_by_text("Every traveller has been called")
    while seen < args.travellers:
        await page.wait_for_timeout(1000 * rng.uniform(*args.pause) / 4)  # between travellers
        await call.or_(wait).or_(nobody).first.wait_for(timeout=STEP_TIMEOUT_MS)
        if not await call.count():
            if await wait.count():
                await wait.click()
                stats.interactions += 1
                await _idle(page)
                continue
            break  # every traveller called
        drawn: list[float] = []
        t0 = time.perf_counter()
        await _timed(stats, "call -> document", call.click, lambda: _document_drawn(page, drawn))
        stats.times["call -> desk"].append(drawn[0] - t0)
        await _idle(page)
        tools = page.locator("button:not([disabled])").filter(has_text=" s")
        labels = [t for t in await tools.all_text_contents() if "·" in t and "Ask" not in t]
        for label in rng.sample(labels, k=min(len(labels), rng.randint(0, 2))):
            await page.wait_for_timeout(1000 * rng.uniform(1, 3))
            await _timed(stats, "tool -> view", page.get_by_role("button", name=label.strip(), exact=True).click,
                         lambda label=label: page.get_by_role("button", name=f"✓ {label.strip()}").wait_for(
                             timeout=STEP_TIMEOUT_MS))
            await _idle(page)
        await page.wait_for_timeout(1000 * rng.uniform(*args.pause))
        decision = "Refer to second line" if rng.random() < 0.15 else "Admit"
        after = call.or_(wait).or_(nobody)
        await _timed(stats, "decision -> next", page.get_by_role("button", name=decision, exact=True).click,
                     lambda: after.first.wait_for(timeout=STEP_TIMEOUT_MS))
        stats.decisions[name] = stats.decisions.get(name, 0) + 1
        seen += 1
        await _idle(page)
    await _timed(stats, "end -> debrief", page.get_by_role("button", name="End the drill now").click,
                 lambda: page.get_by_text("Frauds stopped").first.wait_for(timeout=STEP_TIMEOUT_MS))


async def _thresholds(page, rng: random.Random, args, stats: Stats, name: str, technique: str) -> None:
    await _open(page, "My detection thresholds")
    await page.get_by_test_id("stSelectbox").first.click()
    await page.get_by_role("option", name=technique).click()
    await _idle(page)
    await page.get_by_role("button", name="Measure it (40 trials)").click()
    stats.interactions += 1
    await page.get_by_text("Trial 1 of 40").wait_for(timeout=STEP_TIMEOUT_MS)
    await _document_drawn(page)
    for n in range(1, args.trials + 1):
        await page.wait_for_timeout(1000 * rng.uniform(*args.pause) / 2)
        choice = page.get_by_role("button", name=str(rng.randint(1, 4)), exact=True)

        async def next_trial(n=n):
            await page.get_by_text(f"Trial {n + 1} of 40").wait_for(timeout=STEP_TIMEOUT_MS)
            await _document_drawn(page)
        await _timed(stats, "trial -> next trial", choice.click, next_trial)
        stats.trials[name] = stats.trials.get(name, 0) + 1
        await _idle(page)


async def officer(browser, url: str, n: int, args, stats: Stats, viewport) -> None:
    from docexam.lessons.vocabulary import TECHNIQUE_LABELS
    from docexam.drill.ahead import measurable_techniques

    rng = random.Random(args.seed * 1000 + n)
    name = f"Drill Officer {n:03d}"
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    witness = Witness(page)
    try:
        await page.wait_for_timeout(1000 * rng.uniform(0, args.stagger))
        await page.goto(url)
        await page.get_by_role("heading", name="Sign in").wait_for(timeout=STEP_TIMEOUT_MS)
        await page.get_by_label("Full name").fill(name)
        await page.get_by_label("Department or unit").fill("Immigration")
        await page.get_by_label("Province").fill("Koh Kong")
        await page.get_by_label("Workshop code").fill(CODE)
        await page.get_by_label("PIN (4 to 12 digits)").fill("4821")
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("heading", name=f"Welcome, {name}").wait_for(timeout=STEP_TIMEOUT_MS)
        stats.interactions += 1
        await _idle(page)
        if n < args.thresholds:
            techniques = measurable_techniques()  # what the page offers, all prepared by `docexam drills prepare`
            technique = techniques[n % len(techniques)]
            await _thresholds(page, rng, args, stats, name, TECHNIQUE_LABELS[technique][0])
        else:
            scenarios = list(TITLES) if args.scenario == "mix" else [args.scenario]
            await _drill(page, rng, args, stats, name, scenarios[n % len(scenarios)])
        errors = await page.get_by_test_id("stAlertContentError").all_text_contents()
        stats.errors += [f"{name}: {e}" for e in errors]
    except Exception as exc:  # noqa: BLE001 - counted and reported, the other officers go on
        detail = " | ".join(line.strip() for line in str(exc).splitlines()[:6])
        stats.errors.append(f"{name}: {type(exc).__name__}: {detail[:600]}")
        await witness.dump(Path(args.failures), name, f"{type(exc).__name__}: {detail}")
    finally:
        await context.close()


def _readiness_line(runs, press: str, what: str) -> str | None:
    """Whether the specimens a ``press`` shows were ready before it (the issue's own measure), or made meanwhile."""
    from docexam.ui import runlog

    r = runlog.readiness(runs, press)
    if not r.presses:
        return None
    return (f"  {what:18} {r.ready} of {r.presses} ready before the press (rendered, every light encoded for the "
            f"screen and the loupe); not ready {r.presses - r.ready} ({r.unrendered} not rendered); made while the "
            f"officer waited: {r.made} pictures in {r.waited} presses, {r.made_s:.1f} s")


def _waits_line(runs, press: str) -> str | None:
    """Where the specimens of the presses that found them not ready were: queued, being made, never asked."""
    where: dict[str, int] = {}
    for r in runs:
        if r.press == press and r.missing:
            found = [m.split(":")[1] for m in r.missing if m.startswith("where:")]
            state = found[0] if found else "unknown"
            where[state] = where.get(state, 0) + 1
    if not where:
        return None
    return "  not ready, where the renderer had it: " + ", ".join(f"{k} {n}" for k, n in sorted(where.items()))


def _jobs_lines(jobs) -> list[str]:
    """Per kind of background job (a trial put together and encoded, a traveller...): queued and running times."""
    out = []
    for kind in sorted({j.kind for j in jobs}):
        mine = [j for j in jobs if j.kind == kind]
        out.append(f"  {kind:18} n={len(mine)}  queued {_figures([j.queued for j in mine])}")
        out.append(f"  {'':18} running {_figures([j.running for j in mine])}   CPU p50 "
                   f"{statistics.median(j.cpu for j in mine):.2f} s; failed {sum(not j.ok for j in mine)}")
    return out


def _prepared() -> str:
    """How much of what ``docexam drills prepare`` makes is in the drill cache (every scenario, every technique),
    after removing the threshold trials earlier runs put together (a workshop starts with what prepare made)."""
    from docexam.drill.ahead import ahead_jobs, measurable_techniques
    from docexam.drill.material import document_kinds, material_root, technique_fits
    from docexam.drill.scenario import load_scenarios
    from docexam.drill.trials import TrialJob
    from docexam.drill.travellers import plan_queue

    queues = [plan_queue(s, kinds=document_kinds(), fits=technique_fits) for s in load_scenarios()]
    jobs = ahead_jobs(queues)
    prepared = {job.recipe.folder().name for job in jobs if isinstance(job, TrialJob)}
    earlier = [f for f in material_root().glob("trial-*") if f.name not in prepared]
    for folder in earlier:
        shutil.rmtree(folder, ignore_errors=True)
    todo = sum(not job.ready() for job in jobs)
    return (f"drill cache: {len(jobs) - todo} of {len(jobs)} of `docexam drills prepare`'s renders done "
            f"(travellers of every scenario; every forgery a staircase can ask for, "
            f"{len(measurable_techniques())} techniques)" + (f"; {todo} NOT done" if todo else "")
            + f"; {len(earlier)} threshold trials put together by earlier runs removed")


def _stored(db: str) -> tuple[dict, dict]:
    """Decisions and threshold trials in the record, per officer name."""
    from docexam.training import TrainingRecord

    decisions, trials = {}, {}
    with TrainingRecord.open(db) as record:
        names = {t.id: t.name for t in record.trainees()}
        for session in record.drill_sessions():
            for case in record.drill_state(session.id).cases:
                if case.decision is not None:
                    decisions[names[case.called_by]] = decisions.get(names[case.called_by], 0) + 1
        for trial in record.threshold_trials():
            trials[names[trial.trainee_id]] = trials.get(names[trial.trainee_id], 0) + 1
    return decisions, trials


async def run(args) -> int:
    from playwright.async_api import async_playwright

    from docexam.synth.library import library_folder
    from docexam.training import TrainingRecord
    from docexam.ui import runlog

    home = Path(args.home or os.environ.get("DOCEXAM_HOME") or tempfile.mkdtemp(prefix="docexam-home-"))
    os.environ["DOCEXAM_HOME"] = str(home)
    print(f"DOCEXAM_HOME={home}; rendering the shipped library if needed (not timed) ...", flush=True)
    library_folder(progress=False)
    if not args.warm:
        shutil.rmtree(home / "cache" / "drill", ignore_errors=True)
    print(_prepared(), flush=True)
    run_log = Path(tempfile.mkdtemp(prefix="docexam-runs-")) / "runs.log"
    os.environ["DOCEXAM_RUN_LOG"] = str(run_log)  # the app logs each page run's latency (docexam.ui.runlog)
    if args.profile:  # the app keeps a profile of each run slower than runlog.PROFILE_OVER_S
        os.environ["DOCEXAM_RUN_PROFILE"] = args.profile
    app = App(home, warm=True)  # the library's pictures stay encoded: only the drills are under test
    with TrainingRecord.open(app.db) as record:
        today = dt.date.today()
        ws = record.create_workshop(title="Drill load test", place="Poipet", province="Banteay Meanchey",
                                    start_date=today, end_date=today, code=CODE)
    # as the Workshops page does when the trainer creates the workshop: the officers' first home page then
    # reads the forms (before, the first sign-in drew them and every officer arriving meanwhile waited: 46 s)
    print(f"the workshop's test forms drawn in {_draw_forms(app.db, ws.id):.1f} s (not timed)", flush=True)
    args.failures = args.failures or str(app.workdir / "failures")
    print(f"{app.describe()}; {args.officers} officers ({args.thresholds} on thresholds), scenario {args.scenario}, "
          f"{args.travellers} travellers each, pauses {args.pause[0]:g}-{args.pause[1]:g} s, lead {args.lead:g} s, "
          f"seed {args.seed}", flush=True)
    if args.lead:
        await asyncio.sleep(args.lead)  # the app started before the exercise: the background work ran meanwhile
    uptime_before = _uptime()
    stats = Stats()
    cpu0 = app.cpu()
    background0 = sum(app.child_cpu.values())
    t0, epoch0 = time.perf_counter(), time.time()
    browsers_cpu = 0.0
    browsers_cpu0 = _tree_cpu(os.getpid(), {app.proc.pid})
    try:
        async with async_playwright() as p:
            executable = browser_executable(app.workdir)
            browsers = [await p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
                        for _ in range(max(1, min(args.browsers, args.officers)))]
            viewport = {"width": 390, "height": 844} if args.phone else {"width": 1280, "height": 900}
            await asyncio.gather(*(officer(browsers[n % len(browsers)], app.url, n, args, stats, viewport)
                                   for n in range(args.officers)))
            browsers_cpu = _tree_cpu(os.getpid(), {app.proc.pid}) - browsers_cpu0
            for browser in browsers:
                try:
                    await browser.close()
                except Exception as exc:  # noqa: BLE001 - a crashed browser is reported, the figures still print
                    stats.errors.append(f"browser: {type(exc).__name__}: {exc}")
        cpu = app.cpu() - cpu0
        background = sum(app.child_cpu.values()) - background0
        wall = time.perf_counter() - t0
        decisions, trials = _stored(app.db)
        lost = {n: k - decisions.get(n, 0) for n, k in stats.decisions.items() if decisions.get(n, 0) < k}
        lost_trials = {n: k - trials.get(n, 0) for n, k in stats.trials.items() if trials.get(n, 0) < k}
        try:
            peak_rss = app.peak()
        except OSError:
            peak_rss = app.peak_rss
            stats.errors.append("the app process is gone")
    finally:
        app.close()
    print()
    print(f"officers {args.officers}, wall {wall:.0f} s")
    runs = runlog.read(run_log, since=epoch0)
    readiness = {"call -> document": _readiness_line(runs, "call", "specimens ready"),
                 "trial -> next trial": _readiness_line(runs, "trial", "next trial ready")}
    for what, values in stats.times.items():
        slow = sum(v > VISIBLE_WAIT_S for v in values)
        print(f"{what:20} {_figures(values)}   over {VISIBLE_WAIT_S:g} s: {slow}")
        if readiness.get(what):
            print(readiness[what])
            where = _waits_line(runs, "call" if what.startswith("call") else "trial")
            if where:
                print(where)
    print(f"{'errors':20} {len(stats.errors)}")
    for e in stats.errors[:20]:
        print(f"    {e}")
    if stats.errors:
        print(f"    screenshots and what each stuck browser saw: {args.failures}")
    for line in server_problems(app.workdir / "server.log"):
        print(f"    server log: {line}")
    print(f"{'lost decisions':20} {sum(lost.values())}; lost trials {sum(lost_trials.values())}")
    print(f"{'app CPU':20} {cpu:.1f} s for {stats.interactions} interactions = "
          f"{1000 * cpu / max(stats.interactions, 1):.0f} ms per interaction")
    print(f"{'browsers CPU':20} {browsers_cpu:.1f} s (Chromium and its driver; app {cpu:.1f} s, background "
          f"{background:.1f} s) in {wall:.0f} s on {os.cpu_count()} cores: the browsers used "
          f"{100 * browsers_cpu / max(wall * (os.cpu_count() or 1), 1e-9):.0f} % of the machine")
    for line in _server_runs(runs):
        print(line)
    jobs = runlog.read_jobs(run_log, since=epoch0)
    if jobs:
        print("background jobs     (the drill's renderer: asked -> started, started -> done, per job)")
        for line in _jobs_lines(jobs):
            print(line)
    print(f"{'app peak memory':20} {peak_rss:.0f} MB (resident)")
    print(f"{'background':20} {background:.1f} s CPU at low priority (preparation and the drill's renderer), "
          f"peak {app.child_peak_rss:.0f} MB")
    print(f"uptime before: {uptime_before}")
    print(f"uptime after:  {_uptime()}")
    print(f"command: python benchmarks/drill_load.py --officers {args.officers} --thresholds {args.thresholds} "
          f"--scenario {args.scenario} --travellers {args.travellers} --trials {args.trials} --pause "
          f"{args.pause[0]:g} {args.pause[1]:g} --lead {args.lead:g} --seed {args.seed}"
          + (" --warm" if args.warm else "") + (" --phone" if args.phone else ""))
    return 1 if stats.errors or lost or lost_trials else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=30)
    parser.add_argument("--thresholds", type=int, default=0, help="how many of them measure thresholds instead")
    parser.add_argument("--scenario", default="land-rush-hour", choices=[*TITLES, "mix"])
    parser.add_argument("--travellers", type=int, default=8, help="travellers each officer deals with")
    parser.add_argument("--trials", type=int, default=10, help="threshold trials each such officer answers")
    parser.add_argument("--pause", type=float, nargs=2, default=(8.0, 20.0), metavar=("MIN", "MAX"),
                        help="seconds an officer looks at a traveller before deciding (seeded uniform)")
    parser.add_argument("--quick", action="store_true", help="short pauses and few travellers")
    parser.add_argument("--stagger", type=float, default=60.0, help="officers arrive within this many seconds")
    parser.add_argument("--lead", type=float, default=0.0, help="seconds between the app's start and the first officer")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm", action="store_true", help="keep the drill documents rendered by an earlier run")
    parser.add_argument("--phone", action="store_true", help="390 x 844 viewports")
    parser.add_argument("--browsers", type=int, default=0, help="Chromium processes (default: one per 15 officers)")
    parser.add_argument("--profile", metavar="DIR", help="the app keeps a cProfile of each page run slower than "
                                                          "2 s in DIR (wall time: waits on locks show)")
    parser.add_argument("--home", help="DOCEXAM_HOME to use (default: $DOCEXAM_HOME or a new folder)")
    parser.add_argument("--failures", help="folder for a screenshot and the browser's last errors of each officer "
                                            "that failed (default: the run's work folder)")
    args = parser.parse_args()
    if args.quick:
        args.pause, args.travellers, args.trials, args.stagger = (1.0, 3.0), min(args.travellers, 3), \
            min(args.trials, 3), min(args.stagger, 5.0)
    args.browsers = args.browsers or max(1, -(-args.officers // 15))
    if not Path(CHROMIUM).is_file():
        print(f"Debian's chromium is not installed ({CHROMIUM}): apt-get install chromium", file=sys.stderr)
        return 2
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
