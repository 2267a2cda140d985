"""Were the drill's specimens ready before the officer needed them? The accounting the load benchmark prints.

A call finds its traveller ready when the document is rendered and every
picture the desk may show is encoded (each light at screen size and for
the loupe, the photo, the reference's genuine blank); otherwise the call's
run makes what is missing while the officer waits, and the run log
(:mod:`docexam.ui.runlog`) says what and for how long. The threshold
measurement renders the trials that may follow an answer in the background,
so the answer's run shows the next trial without making anything.
"""

from __future__ import annotations

import time

import pytest
from test_drill_support import fake_material, scenario
from test_ui_drill import drill_page, press, press_label, state_of
from test_ui_support import app, goto, make_folder, sign_in

from docexam.drill.material import TravellerJob, photo_path
from docexam.drill.travellers import plan_queue
from docexam.training import TrainingRecord
from docexam.ui import media, runlog
from docexam.ui.drill_pictures import OnScreen, encode_ahead, traveller_missing

KINDS = {"passport": ("uto-td3",), "id-card": ("mrd-td1",)}
#: every picture of a fake traveller the counter may show, not encoded: three lights at two widths, the photo
ALL_MISSING = ["visible@1100", "visible@3000", "uv@1100", "uv@3000", "ir@1100", "ir@3000", "photo@1100"]


def _no_reference():
    return scenario(extra='tools = ["loupe", "uv", "ir", "mrz"]')


def test_a_traveller_is_ready_once_rendered_and_encoded(docexam_home):
    s = _no_reference()
    queue = plan_queue(s, kinds=KINDS)
    first, second = queue[0], queue[1]
    assert traveller_missing(first, s) == ["render"]          # nothing rendered yet
    fake_material([first])
    assert traveller_missing(first, s) == ALL_MISSING          # rendered, nothing encoded
    media.image_url(photo_path(first))                         # the photo's screen copy only
    assert traveller_missing(first, s) == ALL_MISSING[:-1]
    for picture in TravellerJob(first).pictures():             # every light's screen copy, no loupe copy
        media.image_url(picture)
    assert traveller_missing(first, s) == ["visible@3000", "uv@3000", "ir@3000"]
    assert not OnScreen(TravellerJob(first)).ready()           # the drill's renderer is not done with it yet
    # `docexam drills prepare` encodes what is rendered: the 3 lights and the photo of the one rendered traveller
    assert encode_ahead([s], [queue]) == 4
    assert traveller_missing(first, s) == [] and traveller_missing(second, s) == ["render"]
    assert OnScreen(TravellerJob(first)).ready() and not OnScreen(TravellerJob(second)).ready()
    # a post with the reference tool shows the template's genuine blank too: its copies count
    with_reference = scenario()
    assert "reference" in with_reference.tools
    blank = traveller_missing(first, with_reference)
    assert blank and all(m.endswith(("@1100", "@3000")) for m in blank)


def test_the_run_log_reads_what_it_writes():
    run = {"made": {"encode": (2, 0.25), "render": (1, 4.0)}, "press": "call", "missing": ["uv@1100", "photo@1100"],
           "page": "drill"}
    logged = runlog.parse(runlog._line(10.0, 10.5, 0.2, 1, run))
    assert logged.made == 3 and logged.made_s == 4.25 and logged.press == "call"
    assert logged.missing == ("uv@1100", "photo@1100") and logged.page == "drill" and logged.fragment == 1
    assert dict((k, (n, s)) for k, n, s in logged.made_by_kind) == {"encode": (2, 0.25), "render": (1, 4.0)}


def test_the_run_log_keeps_the_background_jobs_apart(tmp_path, monkeypatch):
    from docexam.drill.prefetch import JobTimes

    path = tmp_path / "runs.log"
    monkeypatch.setenv(runlog.ENV, str(path))
    runlog._write(runlog._line(10.0, 10.5, 0.2, 0, {"made": {}, "press": "trial", "missing": ["render"]}))
    runlog.job(JobTimes("screen:/h/cache/drill/a54d/trial-0123", 2.5, 0.75, 0.5, 0.25, 0.6, True))
    assert [r.press for r in runlog.read(path)] == ["trial"]            # a job's line is not a page run
    (job,) = runlog.read_jobs(path)
    assert (job.kind, job.queued, job.running, job.cpu, job.ok) == ("screen-trial", 2.5, 0.75, 0.6, True)
    assert runlog.read_jobs(path, since=job.finished + 1) == []


@pytest.fixture
def run_log(tmp_path, monkeypatch):
    """The app's run log switched on for this test only (Streamlit's methods put back afterwards)."""
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    path = tmp_path / "runs.log"
    monkeypatch.setenv(runlog.ENV, str(path))
    monkeypatch.setattr(ScriptRunner, "_run_script", ScriptRunner._run_script)
    monkeypatch.setattr(AppSession, "request_rerun", AppSession.request_rerun)
    monkeypatch.setattr(ScriptRunner, "_docexam_timed", False, raising=False)
    assert runlog.install()
    return path


@pytest.fixture
def drills_folder(docexam_home, monkeypatch):
    from docexam.drill.material import document_kinds, technique_fits
    from docexam.drill.scenario import load_scenarios

    monkeypatch.setenv("DOCEXAM_RENDER_WORKERS", "0")  # nothing rendered ahead: the material is faked
    make_folder(docexam_home, monkeypatch)
    for s in load_scenarios():
        if s.id == "night-shift-impostor":
            fake_material(plan_queue(s, kinds=document_kinds(), fits=technique_fits))
            return s
    raise AssertionError("the shipped night shift scenario is gone")


def test_a_call_logs_whether_its_traveller_was_ready_and_what_its_run_made(drills_folder, run_log):
    s = drills_folder
    at = drill_page()
    at.selectbox(key="drill-pick").select(s.id).run()
    press_label(at, "Go")
    first, second = (c.traveller for c in state_of(at).cases[:2])
    press_label(at, "Call the next traveller")               # nothing encoded: the call's run encodes
    call = [r for r in runlog.read(run_log) if r.press == "call"]
    assert len(call) == 1 and set(ALL_MISSING) <= set(call[0].missing)   # the reference's blank too, if the post has it
    # the desk shows the photo and the document in visible light at screen size: two encodings, timed
    assert dict((k, n) for k, n, _s in call[0].made_by_kind) == {"encode": 2} and call[0].made_s > 0
    press_label(at, "Admit")
    encode_ahead([s], [[first, second]])                     # what `docexam drills prepare` does ahead
    assert traveller_missing(second, s) == []
    if not any(b.label.endswith("Call the next traveller") for b in at.button):
        press_label(at, "Wait for the next traveller")       # a quiet night: the next one is not there yet
    press_label(at, "Call the next traveller")
    call = [r for r in runlog.read(run_log) if r.press == "call"]
    assert len(call) == 2 and call[1].missing == () and call[1].made == 0  # ready before: nothing made
    ready = runlog.readiness(runlog.read(run_log), "call")
    assert (ready.presses, ready.ready, ready.unrendered, ready.waited, ready.made) == (2, 1, 0, 1, 2)


def test_the_staircase_renders_the_next_trial_in_the_background_and_hands_it_over(docexam_home, monkeypatch,
                                                                                 run_log):
    """The answer's run shows the trial the staircase chose, rendered and encoded by the drill's worker
    process while the officer looked at the one before: nothing is rendered or encoded in the run."""
    from test_drill_support import fake_document

    from docexam.drill.trials import TrialJob, render_trial
    from docexam.drill.measure import next_recipes, trial_recipe
    from docexam.drill.staircase import Staircase
    from docexam.ui import drills

    monkeypatch.setenv("DOCEXAM_RENDER_WORKERS", "1")
    make_folder(docexam_home, monkeypatch)
    technique = "photo-substitution"
    drills.prefetcher.clear()  # a renderer with one worker process for this test
    try:
        at = goto(sign_in(app()), "thresholds")
        at.selectbox(key="thr-technique").select(technique).run()
        run_uid = "6f1c8d3e-0000-4000-8000-000000000000"
        at.session_state["threshold-run"] = {"technique": technique, "run": run_uid}
        staircase = Staircase()
        first = trial_recipe(technique, staircase.next_level(), run_uid, 0)
        following = next_recipes(staircase, first, technique, run_uid, 0)
        after_wrong = staircase.updated(first.severity, False)
        second = trial_recipe(technique, after_wrong.next_level(), run_uid, 1)
        third = next_recipes(after_wrong, second, technique, run_uid, 1)
        # the documents the trials are cut from (a real render takes seconds)
        for recipe in [first, *following, *third]:
            forged, genuine = recipe.documents()
            for document in [forged, *genuine]:
                fake_document(document)
        render_trial(first)
        media.warm(TrialJob(first).pictures())  # the first trial is prepared ahead (`docexam drills prepare`)
        assert all(not OnScreen(TrialJob(r)).ready() for r in following)
        at.run()
        assert [b.key for b in at.button if b.key and b.key.startswith(f"thr-{run_uid}-0-")]  # trial 1 shown
        # the officer looks; meanwhile the worker renders both possible next trials and encodes them
        deadline = time.monotonic() + 120
        while not all(OnScreen(TrialJob(r)).ready() for r in following) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert all(OnScreen(TrialJob(r)).ready() for r in following)
        choice = (first.position + 1) % 4  # a wrong answer
        press(at, f"thr-{run_uid}-0-{choice}")
        answer = [r for r in runlog.read(run_log) if r.press == "trial"]
        assert len(answer) == 1 and answer[0].missing == () and answer[0].made == 0
        # trial 2 is the staircase's own choice after a wrong answer (no fallback to a neighbour): answering it
        # records that severity
        preferred = after_wrong.next_level()
        press(at, f"thr-{run_uid}-1-0")
        with TrainingRecord.open() as record:
            severities = [x.severity for x in record.threshold_trials(run_uid=run_uid)]
        assert severities == [first.severity, preferred] and preferred != first.severity
    finally:
        drills.prefetcher().close()
        drills.prefetcher.clear()


def test_after_prepare_answers_render_and_put_together_nothing(docexam_home, monkeypatch, run_log):
    """After ``docexam drills prepare`` (here with the stand-in renderer), every answer of a staircase finds the
    next trial put together and encoded by the app's thread while the officer looked: the answer's run renders
    nothing and puts nothing together (counted in the run log and by the counters), whichever way it answers."""
    from test_drill_support import install_fake_renderer

    from docexam.drill.ahead import ahead_jobs
    from docexam.drill.material import renders_made
    from docexam.drill.measure import next_recipes, trial_recipe
    from docexam.drill.prepare import run_jobs
    from docexam.drill.staircase import Staircase
    from docexam.drill.trials import TrialJob, assemblies_made
    from docexam.ui import drills, thresholds

    technique, answers = "erasure", 8
    monkeypatch.setenv("DOCEXAM_RENDER_WORKERS", "1")  # the app's thread works ahead (no render asked of a worker)
    make_folder(docexam_home, monkeypatch)
    install_fake_renderer(monkeypatch)
    assert run_jobs(ahead_jobs([], techniques=[technique]), workers=1) == []      # `docexam drills prepare`
    run_uid = "6f1c8d3e-0000-4000-8000-0000000000ff"
    first = trial_recipe(technique, Staircase().next_level(), run_uid, 0)
    media.warm(TrialJob(first).pictures())                                         # and its encoding step
    drills.prefetcher.clear()
    thresholds.assembler.clear()
    try:
        at = goto(sign_in(app()), "thresholds")
        at.selectbox(key="thr-technique").select(technique).run()
        at.session_state["threshold-run"] = {"technique": technique, "run": run_uid}
        renders, assembled = renders_made(), assemblies_made()
        at.run()
        staircase, expected, shown = Staircase(), set(), first
        for n in range(answers):
            expected |= set(next_recipes(staircase, shown, technique, run_uid, n))
            assert thresholds.assembler().idle(timeout=60)                         # the officer looks meanwhile
            correct = n % 3 != 2                                                   # right, right, wrong, ...
            choice = shown.position if correct else (shown.position + 1) % 4
            press(at, f"thr-{run_uid}-{n}-{choice}")
            staircase = staircase.updated(shown.severity, correct)
            shown = trial_recipe(technique, staircase.next_level(), run_uid, n + 1)  # the staircase's own choice
            assert [b.key for b in at.button if b.key and b.key.startswith(f"thr-{run_uid}-{n + 1}-")]
        expected |= set(next_recipes(staircase, shown, technique, run_uid, answers))  # asked by the last trial
        # prepare put the first level's trials together already (every position of variant 0; only the first
        # one's pictures encoded here): the thread only encodes those
        encoded_only = {r for r in expected if (r.severity, r.variant) == (first.severity, first.variant)} - {first}
        expected = {r for r in expected if (r.severity, r.variant) != (first.severity, first.variant)}
        presses = [r for r in runlog.read(run_log) if r.press == "trial"]
        assert len(presses) == answers
        assert all(r.missing == () and r.made == 0 for r in presses)               # nothing made while waiting
        assert thresholds.assembler().stats.waited == 0 and renders_made() == renders
        assert thresholds.assembler().idle(timeout=60)
        # the app's thread put together exactly the trials that could follow each answer (both outcomes)
        assert assemblies_made() - assembled == len(expected)
        assert thresholds.assembler().stats.ahead == len(expected) + len(encoded_only)
        with TrainingRecord.open() as record:
            recorded = [(x.severity, x.correct) for x in record.threshold_trials(run_uid=run_uid)]
        assert len(recorded) == answers and [c for _s, c in recorded] == [n % 3 != 2 for n in range(answers)]
    finally:
        thresholds.assembler().close()
        thresholds.assembler.clear()
        drills.prefetcher().close()
        drills.prefetcher.clear()
