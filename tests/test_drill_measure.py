"""Threshold measurements: which trial to show (and what to render ahead), and the profile they give."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from docexam.drill.measure import (FALLBACK_RANKS, VARIANTS, choose_recipe, group_thresholds, next_recipes, profile,
                                   runs, trial_recipe)
from docexam.drill.staircase import TRIALS, Staircase

RUN = "0e4f1c6a-1111-4000-8000-000000000001"


@dataclass
class Trial:
    run_uid: str
    technique: str
    form: str
    severity: float
    correct: bool
    answered_at: dt.datetime
    trainee_id: int = 1


def test_the_staircase_choice_when_it_is_ready():
    s = Staircase()
    chosen = choose_recipe(s, "erasure", RUN, 0, ready=lambda r: True)
    assert chosen == trial_recipe("erasure", s.next_level(), RUN, 0)


def test_a_ready_neighbour_rather_than_a_wait():
    s = Staircase().updated(0.5, True)
    ranked = s.ranked_levels()
    wanted = trial_recipe("erasure", ranked[0], RUN, 1)
    ready = {(ranked[2], 2)}  # only the third-best level, in another variant, is rendered
    chosen = choose_recipe(s, "erasure", RUN, 1, ready=lambda r: (r.severity, r.variant) in ready)
    assert (chosen.severity, chosen.variant, chosen.position) == (ranked[2], 2, wanted.position)
    # nothing near is ready: the staircase's own choice (and the officer waits for it)
    assert choose_recipe(s, "erasure", RUN, 1, ready=lambda r: r.severity == ranked[FALLBACK_RANKS]) == wanted


def test_the_two_trials_that_may_follow_are_known_ahead():
    s = Staircase()
    shown = choose_recipe(s, "erasure", RUN, 0, ready=lambda r: True)
    after = next_recipes(s, shown, "erasure", RUN, 0)
    assert {r.severity for r in after} == {s.updated(shown.severity, True).next_level(),
                                           s.updated(shown.severity, False).next_level()}
    assert all(r.variant == 1 % VARIANTS and r.position == trial_recipe("erasure", 0.5, RUN, 1).position
               for r in after)


def _run(run_uid: str, form: str, threshold: float, *, technique="erasure", trainee=1, start=0, n=TRIALS):
    t0 = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=start)
    return [Trial(run_uid, technique, form, round(0.05 * (i % 21), 2), round(0.05 * (i % 21), 2) >= threshold,
                  t0 + dt.timedelta(seconds=i), trainee) for i in range(n)]


def test_profile_keeps_complete_runs_and_compares_before_and_after():
    trials = _run("a", "pre", 0.7) + _run("b", "post", 0.4, start=2) + _run("c", "practice", 0.2, start=3, n=10)
    assert [r.complete for r in runs(trials)] == [True, True, False]
    (row,) = profile(trials)
    assert row.technique == "erasure" and row.runs == 2
    assert row.pre == pytest.approx(0.675, abs=0.06) and row.post == pytest.approx(0.375, abs=0.06)
    assert row.gain == pytest.approx(row.pre - row.post) and row.gain > 0.2
    assert row.latest == row.post


def test_group_thresholds_over_officers():
    trials = (_run("a", "pre", 0.7, trainee=1) + _run("b", "post", 0.4, trainee=1, start=2)
              + _run("c", "pre", 0.6, trainee=2) + _run("d", "pre", 0.5, technique="missing-microprint", trainee=2))
    rows = {g.technique: g for g in group_thresholds(trials)}
    assert rows["erasure"].officers == 2 and rows["erasure"].paired == 1
    assert rows["erasure"].mean_pre == pytest.approx((profile(trials[:TRIALS])[0].pre
                                                      + profile(trials[2 * TRIALS:3 * TRIALS])[0].pre) / 2)
    assert rows["missing-microprint"].mean_post is None and rows["missing-microprint"].mean_gain is None
