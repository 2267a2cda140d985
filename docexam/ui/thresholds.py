"""Measuring a detection threshold in the app: four crops, one forged; which one?

One measurement is :data:`~docexam.drill.staircase.TRIALS` trials of one
technique. The trials are recorded as they are answered (a reload resumes
the run); the staircase is rebuilt from them. Every forgery a staircase can
ask for is cut ahead (``docexam drills prepare``, the background
preparation: :mod:`docexam.drill.ahead`), so a trial is only four cut crops
put together; while a trial is shown, the two trials that may follow it
are put together and encoded by the drill's worker
(:func:`docexam.drill.measure.next_recipes`), so the next one is there when
the answer is given; if it is not, a ready neighbour is shown instead, and
only without a prepared cache does an answer wait for a render.

The two next trials are put together by a thread of the app's own process
(:func:`assembler`, :class:`~docexam.drill.assembler.Assembler`), the
browser's copies encoded from the mosaic still in memory; only a trial whose
forgery is not cut yet goes to the drill's renderer (its worker processes
render at a low priority). Under a room's load, the niced workers left 5 of
100 answers' next trials still queued.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid as uuidlib

import streamlit as st

from ..drill.ahead import measurable_techniques
from ..drill.assembler import THREADS, Assembler
from ..drill.trials import TRIAL_CROPS, TrialJob, cached_crops, cached_trial, render_trial
from ..drill.measure import choose_recipe, next_recipes, runs
from ..drill.staircase import TRIALS, Staircase
from ..errors import DocexamError
from . import docview, drills, media, runlog, session, state, steps
from .drill_pictures import OnScreen, missing
from .i18n import _
from .starter import LibraryNotReady

#: longest a trial may wait for its pictures before the page says so (seconds)
WAIT_S = 300.0


def form_now(me, ws) -> str:
    """``pre`` until the pre-test is done, ``post`` once the post-test is open, else ``practice``."""
    try:
        now = steps.states(me, ws)
    except LibraryNotReady:  # a first start: nobody has sat the pre-test yet
        return "pre"
    except DocexamError:
        return "practice"
    if not now["pre-test"].done:
        return "pre"
    if now["post-test"].open or now["post-test"].done:
        return "post"
    return "practice"


def open_run(me, technique: str):
    """The run of ``technique`` this officer has not finished (its uuid and trials), or None."""
    mine = state.record().threshold_trials(trainee_id=me.id, technique=technique)
    unfinished = [r for r in runs(mine) if not r.complete]
    if not unfinished:
        return None
    run_uid = unfinished[-1].run_uid
    return run_uid, [x for x in mine if x.run_uid == run_uid]


def techniques() -> list[str]:
    """The techniques a threshold can be measured for (a synthetic template carries them), in catalogue order:
    exactly those ``docexam drills prepare`` cuts every trial of."""
    return measurable_techniques()


def start(technique: str) -> None:
    st.session_state["threshold-run"] = {"technique": technique, "run": str(uuidlib.uuid4())}


def _on_screen(recipe) -> bool:
    """Whether ``recipe``'s trial is rendered and its pictures encoded: showing it makes nothing."""
    return OnScreen(TrialJob(recipe)).ready()


def _assemble(recipe) -> None:
    """Put ``recipe``'s trial together from its cut crops and encode the browser's copies (never renders)."""
    if cached_crops(recipe.forgery) is None:
        raise LookupError(f"{recipe}: the forgery's crops are not cut")  # the drill's renderer's work
    trial = cached_trial(recipe)
    if trial is None:
        render_trial(recipe, encoded=media.warm_picture)
    else:  # put together by another process, not encoded yet
        media.warm(trial.images.values())


@st.cache_resource(show_spinner=False)
def assembler() -> Assembler:
    """The server's thread putting threshold trials together ahead of the answers."""
    # without the drill's renderer (DOCEXAM_RENDER_WORKERS=0: tests) nothing is made ahead here either
    threads = THREADS if drills.prefetcher().workers else 0
    return Assembler(_assemble, ready=_on_screen, log=runlog.job, threads=threads)


def _cut(recipe) -> bool:
    return cached_crops(recipe.forgery) is not None


def _ahead(recipes, run_uid: str) -> None:
    """Ask for the trials that may follow the one shown: put together here if cut, else rendered."""
    assembler().request([r for r in recipes if _cut(r)], group=run_uid)
    for recipe in recipes:
        if not _cut(recipe):
            drills.prefetcher().request(OnScreen(TrialJob(recipe)), priority=0.5)


def _make_now(recipe) -> None:
    """Make ``recipe``'s trial while the officer waits (counted in the run log: an answer should not)."""
    if _cut(recipe):
        with runlog.making("assemble"):
            if assembler().wait(recipe, timeout=WAIT_S):
                return
    with runlog.making("render"):
        drills.prefetcher().wait(OnScreen(TrialJob(recipe)), timeout=WAIT_S)  # joins the prefetch of it


def _whereabouts(recipe) -> str:
    if _cut(recipe):
        return assembler().whereabouts(recipe)
    return drills.prefetcher().whereabouts(OnScreen(TrialJob(recipe)))


def _answered(run: dict, recipe, choice: int, shown_at: float, staircase: Staircase | None = None,
              n: int = 0) -> None:
    if staircase is not None and runlog.measuring():
        # a load benchmark's run log: was the trial this answer leads to ready (rendered, encoded) at the press?
        after = staircase.updated(recipe.severity, choice == recipe.position)
        following = choose_recipe(after, run["technique"], run["run"], n + 1, ready=_on_screen)
        lacking = missing(TrialJob(following))
        if lacking:  # where it was: still queued, being made, or never asked for
            lacking.append("where:" + _whereabouts(following))
        runlog.press("trial", lacking)
    me, ws = session.trainee(), session.workshop()
    try:
        state.record().record_threshold_trial(
            uuid=str(uuidlib.uuid4()), run_uid=run["run"], trainee_id=me.id, technique=run["technique"],
            severity=recipe.severity, correct=choice == recipe.position, form=run["form"],
            workshop_id=ws.id if ws else None,
            detail={"variant": recipe.variant, "position": recipe.position, "choice": choice,
                    "seconds": round(time.time() - shown_at, 2)},
            answered_at=dt.datetime.now(dt.timezone.utc))
    except DocexamError as exc:
        st.session_state["threshold-error"] = str(exc)


def trial(run: dict, trials: list) -> None:
    """The current trial of ``run``: the mosaic and four buttons."""
    n = len(trials)
    staircase = Staircase.from_trials([(x.severity, x.correct) for x in trials])
    # a neighbour is taken only if it is encoded too: a rendered one would be encoded by this run
    recipe = choose_recipe(staircase, run["technique"], run["run"], n, ready=_on_screen)
    if not _on_screen(recipe):
        with st.spinner(_("Preparing the documents...")):
            _make_now(recipe)
    shown = cached_trial(recipe)
    _ahead(next_recipes(staircase, recipe, run["technique"], run["run"], n), run["run"])
    if shown is None:
        st.error(_("The documents for this trial could not be prepared."))
        return
    st.progress(n / TRIALS, text=_("Trial {n} of {total}", n=n + 1, total=TRIALS))
    st.markdown(f"#### {_('One of these four is forged. Which one?')}")
    docview.document_view(shown.images, key=f"thr-{run['run']}-{n}", size=shown.size)
    cols = st.columns(TRIAL_CROPS)
    shown_at = time.time()
    for i, col in enumerate(cols):
        col.button(str(i + 1), key=f"thr-{run['run']}-{n}-{i}", width="stretch", type="primary",
                   on_click=_answered, args=(run, recipe, i, shown_at, staircase, n))
    err = st.session_state.pop("threshold-error", None)
    if err:
        st.error(_("{error}", error=err))
