"""Measuring an officer's threshold for one technique: which trial to show, and the profile it gives.

A measurement (a *run*) is :data:`~docexam.drill.staircase.TRIALS` trials
of one technique. Each trial is a :class:`~docexam.drill.trials.TrialRecipe`:
the severity the staircase asks for, a variant (which documents) and the
position of the forged crop, both fixed by the run and the trial's number,
so the two trials that may follow an answer are known, and rendered, while
the officer is still looking (:func:`next_recipes`).

When the trial the staircase prefers is not rendered yet, :func:`choose_recipe`
takes the best-ranked level among the next few that is: the officer never
waits, at a small cost in efficiency (the test of convergence uses the
preferred level every time).

:func:`profile` turns recorded trials into thresholds per technique and run,
and the pre/post comparison (a lower threshold after training is a gain).

Examples
--------
>>> r = trial_recipe("photo-substitution", 0.5, "6f1c8d3e-0000-4000-8000-000000000000", 3)
>>> r.severity, r.variant, 0 <= r.position < 4
(0.5, 0, True)
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from statistics import fmean

from .trials import TRIAL_CROPS, TrialRecipe
from .staircase import TRIALS, Estimate, Staircase, threshold_of

#: documents per (technique, level): more variety, more to render
VARIANTS = 3
#: how far down the staircase's ranking a ready trial may be taken instead of waiting
FALLBACK_RANKS = 3


def trial_recipe(technique: str, level: float, run_uid: str, n: int) -> TrialRecipe:
    """Trial ``n`` of a run at ``level``: the variant and the forged crop's position follow from the run."""
    position = zlib.crc32(f"{run_uid}:{n}".encode()) % TRIAL_CROPS
    return TrialRecipe(technique, float(level), n % VARIANTS, position)


def choose_recipe(staircase: Staircase, technique: str, run_uid: str, n: int, ready) -> TrialRecipe:
    """The trial to show now: the staircase's choice, or the best-ranked ready one near it.

    ``ready(recipe)`` says whether a trial is rendered already.
    """
    ranked = staircase.ranked_levels()
    best = trial_recipe(technique, ranked[0], run_uid, n)
    if ready(best):
        return best
    for level in ranked[1:FALLBACK_RANKS]:
        for variant in range(VARIANTS):
            candidate = TrialRecipe(technique, level, variant, best.position)
            if ready(candidate):
                return candidate
    for variant in range(VARIANTS):
        candidate = TrialRecipe(technique, ranked[0], variant, best.position)
        if ready(candidate):
            return candidate
    return best


def next_recipes(staircase: Staircase, shown: TrialRecipe, technique: str, run_uid: str, n: int) -> list[TrialRecipe]:
    """The trials that may follow trial ``n`` (shown as ``shown``): after a right and after a wrong answer."""
    out = []
    for correct in (True, False):
        level = staircase.updated(shown.severity, correct).next_level()
        recipe = trial_recipe(technique, level, run_uid, n + 1)
        if recipe not in out:
            out.append(recipe)
    return out


@dataclass(frozen=True)
class RunResult:
    """One measurement: technique, form (practice, pre, post), when, and the threshold."""

    run_uid: str
    technique: str
    form: str
    started_at: object
    estimate: Estimate

    @property
    def complete(self) -> bool:
        return self.estimate.trials >= TRIALS


def runs(trials) -> list[RunResult]:
    """Each run's threshold from recorded trials (objects with run_uid, technique, form, severity, correct,
    answered_at), oldest first."""
    grouped: dict[str, list] = {}
    for trial in trials:
        grouped.setdefault(trial.run_uid, []).append(trial)
    out = []
    for run_uid, items in grouped.items():
        items.sort(key=lambda x: x.answered_at)
        out.append(RunResult(run_uid, items[0].technique, items[0].form, items[0].answered_at,
                             threshold_of([(x.severity, x.correct) for x in items])))
    return sorted(out, key=lambda r: r.started_at)


@dataclass(frozen=True)
class ThresholdRow:
    """One technique in an officer's profile (or a group's)."""

    technique: str
    latest: float | None
    latest_sd: float | None
    pre: float | None
    post: float | None
    runs: int

    @property
    def gain(self) -> float | None:
        """How much subtler a forgery is caught after training (pre − post; positive is better)."""
        return None if self.pre is None or self.post is None else self.pre - self.post


def profile(trials) -> list[ThresholdRow]:
    """Per technique: the latest complete measurement, and the pre and post thresholds where measured."""
    done = [r for r in runs(trials) if r.complete]
    out = []
    for technique in sorted({r.technique for r in done}):
        mine = [r for r in done if r.technique == technique]
        pre = [r for r in mine if r.form == "pre"]
        post = [r for r in mine if r.form == "post"]
        out.append(ThresholdRow(technique, mine[-1].estimate.threshold, mine[-1].estimate.sd,
                                pre[0].estimate.threshold if pre else None,
                                post[-1].estimate.threshold if post else None, len(mine)))
    return out


@dataclass(frozen=True)
class GroupThreshold:
    """A workshop's thresholds for one technique: officers measured before and after, and the means."""

    technique: str
    officers: int
    mean_pre: float | None
    mean_post: float | None
    paired: int
    mean_gain: float | None


def group_thresholds(trials) -> list[GroupThreshold]:
    """Per technique, over officers (``trainee_id`` of the trials): mean pre and post thresholds and the gain
    of those measured both times."""
    by_officer: dict[int, list] = {}
    for trial in trials:
        by_officer.setdefault(trial.trainee_id, []).append(trial)
    rows: dict[str, list[ThresholdRow]] = {}
    for items in by_officer.values():
        for row in profile(items):
            rows.setdefault(row.technique, []).append(row)
    out = []
    for technique, items in sorted(rows.items()):
        pre = [r.pre for r in items if r.pre is not None]
        post = [r.post for r in items if r.post is not None]
        gains = [r.gain for r in items if r.gain is not None]
        out.append(GroupThreshold(technique, len(items), fmean(pre) if pre else None, fmean(post) if post else None,
                                  len(gains), fmean(gains) if gains else None))
    return out
