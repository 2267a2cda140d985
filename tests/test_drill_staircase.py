"""The adaptive threshold procedure converges on simulated observers with known thresholds.

Each simulated officer answers a four-alternative trial at severity x right
with probability P(x) = 1/4 + 0.73 · σ(15 (x − α) + logit f*), where α is
their true threshold (75 % correct) and 15 per unit of severity is the
slope (from 60 % to 95 % correct over about 0.2 of the scale). After 40
trials the estimate must be within ±0.1 of α, for each of 20 seeds.
"""

from __future__ import annotations

import numpy as np
import pytest

from docexam.drill.staircase import LEVELS, TRIALS, Staircase, p_correct, threshold_of

SEEDS = range(20)
SLOPE = 15.0


def simulate(seed: int, threshold: float, *, slope: float = SLOPE, trials: int = TRIALS, observer=None):
    rng = np.random.default_rng(seed)
    s = Staircase()
    answers = []
    for _ in range(trials):
        x = s.next_level()
        p = observer(x) if observer else float(p_correct(x, threshold, slope))
        correct = bool(rng.random() < p)
        answers.append((x, correct))
        s = s.updated(x, correct)
    return s, answers


def test_converges_within_a_tenth_after_40_trials_over_20_seeds():
    errors = []
    for seed in SEEDS:
        true = float(np.random.default_rng(10_000 + seed).uniform(0.2, 0.8))
        s, _ = simulate(seed, true)
        errors.append(s.estimate().threshold - true)
    errors = np.array(errors)
    assert s.trials == 40
    assert np.abs(errors).max() <= 0.1, errors.round(3)
    assert abs(errors.mean()) < 0.03  # no bias either way


def test_converges_on_an_observer_of_another_shape():
    """A Weibull-shaped observer (not the model's logistic) with the same 75 % point."""
    errors = []
    for seed in SEEDS:
        true = float(np.random.default_rng(20_000 + seed).uniform(0.25, 0.75))
        k = 4.0
        scale = true / np.log(1 / (1 - (0.75 - 0.25) / 0.73)) ** (1 / k)

        def weibull(x, scale=scale):
            return 0.25 + 0.73 * (1 - np.exp(-(max(x, 1e-9) / scale) ** k))
        assert weibull(true) == pytest.approx(0.75)
        s, _ = simulate(seed, true, observer=weibull)
        errors.append(s.estimate().threshold - true)
    assert np.abs(errors).max() <= 0.1, np.round(errors, 3)


def test_offers_only_the_levels_the_cache_renders():
    _s, answers = simulate(3, 0.45)
    assert {x for x, _c in answers} <= set(LEVELS)
    # it concentrates near the threshold rather than spreading evenly
    assert abs(np.median([x for x, _c in answers]) - 0.45) <= 0.15


def test_replaying_the_recorded_trials_gives_the_same_estimate():
    s, answers = simulate(4, 0.6)
    again = threshold_of(answers)
    assert again.threshold == pytest.approx(s.estimate().threshold)
    assert again.low <= again.threshold <= again.high and again.trials == 40


def test_the_two_next_levels_are_those_after_either_answer():
    s = Staircase().updated(0.5, True)
    right, wrong = s.next_levels_after()
    x = s.next_level()
    assert right == s.updated(x, True).next_level() and wrong == s.updated(x, False).next_level()
    assert right <= wrong  # a right answer moves to subtler forgeries (lower severity) or stays


def test_refuses_a_severity_outside_the_scale():
    with pytest.raises(ValueError, match="severity"):
        Staircase().updated(1.5, True)
