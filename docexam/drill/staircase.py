"""Each officer's detection threshold per technique, by an adaptive Bayesian procedure.

A trial shows four crops of the same zone of four documents, three genuine
and one forged with technique T at severity *x* (0 subtle .. 1 blatant),
and asks which is forged (four-alternative forced choice: a guess is right
one time in four; four alternatives measure a threshold in fewer trials
than two, Jäkel & Wichmann 2006). The probability of a correct answer is
modelled as

    P(correct | x) = γ + (1 − γ − λ) · σ(β (x − α) + logit f*),

with guess rate γ = 1/4, lapse rate λ (a slip on an easy trial), slope β,
and f* chosen so that P(correct | α) is the target (75 %): **α is the
threshold**, the severity at which the officer is right three times in
four. A lower threshold is a better eye: subtler forgeries are caught.

The procedure is QUEST+ (Watson 2017) with the Psi-marginal rule (Prins
2013; Kontsevich & Tyler 1999): a grid posterior over (α, β); each trial
takes the severity, among :data:`LEVELS`, that minimises the expected
entropy of α's marginal posterior after the answer (β is a nuisance
parameter: marginalising it out spends the trials on the threshold). The
estimate is α's posterior mean, with its standard deviation and a 95 %
credible interval. The prior is a population's: thresholds around the
middle of the scale (:data:`PRIOR_THRESHOLD`), slopes around a transition
from chance to near-certain over a third of the scale (:data:`PRIOR_SLOPE`).

Why not the ``questplus`` package: it is GPL-3.0 (docexam is MIT) and
needs xarray; the procedure itself is the few lines of numpy below, and
the tests check it converges (``tests/test_drill_staircase.py``).

Severities are offered on a finite grid, :data:`LEVELS` (0, 0.05, ..., 1):
the renderer's cache serves every officer from the same specimens, and
``docexam drills prepare`` renders every level ahead
(:mod:`docexam.drill.ahead`), so no answer waits for a render.

Examples
--------
>>> s = Staircase()
>>> s.next_level()
0.5
>>> for x, correct in [(0.5, True), (0.4, True), (0.3, False)]:
...     s = s.updated(x, correct)
>>> round(s.estimate().threshold, 2), s.trials
(0.47, 3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

#: the severities a staircase can show: the only ones rendered (``docexam drills prepare`` renders them all)
LEVELS = tuple(round(0.05 * i, 2) for i in range(21))
#: possible thresholds: a little beyond 0..1, so an expert or a beginner is not pinned to the edge
THRESHOLDS = np.round(np.linspace(-0.2, 1.2, 141), 4)
#: possible slopes (per unit of severity), log-spaced: a shallow to a very steep psychometric function
SLOPES = np.geomspace(3.0, 60.0, 10)
#: four documents, one forged: a guess is right one time in four
GUESS = 0.25
#: prior over thresholds: normal (mean, sd), wide enough for a beginner and an expert
PRIOR_THRESHOLD = (0.5, 0.3)
#: prior over slopes: log-normal (median, sd of the log)
PRIOR_SLOPE = (12.0, 0.7)
#: slips on easy trials (a tap on the wrong side)
LAPSE = 0.02
#: the threshold's definition: this share of correct answers
TARGET = 0.75
#: trials of one measurement (the tests check ±0.1 severity after these)
TRIALS = 40


def p_correct(x, threshold, slope, *, guess: float = GUESS, lapse: float = LAPSE, target: float = TARGET):
    """P(correct) at severity ``x`` for an observer with this ``threshold`` and ``slope`` (arrays broadcast).

    >>> round(float(p_correct(0.4, 0.4, 10.0)), 6)
    0.75
    """
    f_star = (target - guess) / (1.0 - guess - lapse)
    z = slope * (np.asarray(x, float) - threshold) + math.log(f_star / (1.0 - f_star))
    return guess + (1.0 - guess - lapse) / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class Estimate:
    """A threshold with its uncertainty."""

    threshold: float
    sd: float
    low: float
    high: float
    trials: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class _Grid:
    levels: np.ndarray
    thresholds: np.ndarray
    slopes: np.ndarray
    # P(correct) for every level x threshold x slope
    likelihood: np.ndarray


def _grid(levels=LEVELS, thresholds=THRESHOLDS, slopes=SLOPES) -> _Grid:
    lv, th, sl = np.asarray(levels, float), np.asarray(thresholds, float), np.asarray(slopes, float)
    like = p_correct(lv[:, None, None], th[None, :, None], sl[None, None, :])
    return _Grid(lv, th, sl, like)


_DEFAULT_GRID = _grid()


def _entropy(p: np.ndarray, axis: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(np.where(p > 0, p * np.log(p), 0.0), axis=axis)


@dataclass(frozen=True)
class Staircase:
    """The posterior of one officer's threshold for one technique; immutable (each answer gives a new one).

    Build it from the trials recorded so far with :meth:`from_trials`, ask
    :meth:`next_level` what to show, and :meth:`updated` with the answer.
    """

    posterior: np.ndarray = field(default=None, repr=False)
    trials: int = 0
    grid: _Grid = field(default=_DEFAULT_GRID, repr=False, compare=False)

    def __post_init__(self):
        if self.posterior is None:
            (t_mean, t_sd), (s_median, s_sd) = PRIOR_THRESHOLD, PRIOR_SLOPE
            on_t = np.exp(-0.5 * ((self.grid.thresholds - t_mean) / t_sd) ** 2)
            on_s = np.exp(-0.5 * ((np.log(self.grid.slopes) - math.log(s_median)) / s_sd) ** 2)
            prior = on_t[:, None] * on_s[None, :]
            object.__setattr__(self, "posterior", prior / prior.sum())

    @classmethod
    def from_trials(cls, trials) -> Staircase:
        """The staircase after ``trials``: ``(severity, correct)`` pairs, oldest first."""
        s = cls()
        for severity, correct in trials:
            s = s.updated(severity, correct)
        return s

    def _level_index(self, severity: float) -> int:
        return int(np.argmin(np.abs(self.grid.levels - float(severity))))

    def _likelihood(self, severity: float) -> np.ndarray:
        """P(correct) over the grid at ``severity`` (exact, also between levels)."""
        i = self._level_index(severity)
        if abs(self.grid.levels[i] - severity) < 1e-9:
            return self.grid.likelihood[i]
        return p_correct(severity, self.grid.thresholds[:, None], self.grid.slopes[None, :])

    def updated(self, severity: float, correct: bool) -> Staircase:
        """The staircase after one more answer at ``severity``."""
        if not 0.0 <= float(severity) <= 1.0:
            raise ValueError(f"severity: {severity!r} is not between 0 and 1")
        like = self._likelihood(float(severity))
        post = self.posterior * (like if correct else 1.0 - like)
        return Staircase(post / post.sum(), self.trials + 1, self.grid)

    def next_level(self) -> float:
        """The severity to show next: the one that leaves the least expected uncertainty about α."""
        return self.ranked_levels()[0]

    def ranked_levels(self) -> list[float]:
        """Every level, best first (least expected uncertainty about α after the answer)."""
        like = self.grid.likelihood                      # levels x thresholds x slopes
        joint_c = like * self.posterior                  # unnormalised posterior after a correct answer
        joint_w = (1.0 - like) * self.posterior
        pc = joint_c.sum(axis=(1, 2))                    # P(correct) at each level
        marg_c = joint_c.sum(axis=2) / pc[:, None]       # threshold marginals after each answer
        marg_w = joint_w.sum(axis=2) / (1.0 - pc)[:, None]
        expected = pc * _entropy(marg_c, 1) + (1.0 - pc) * _entropy(marg_w, 1)
        return [float(self.grid.levels[i]) for i in np.argsort(expected, kind="stable")]

    def next_levels_after(self) -> tuple[float, float]:
        """The level shown after the next trial if it is answered (right, wrong): render both ahead."""
        x = self.next_level()
        return self.updated(x, True).next_level(), self.updated(x, False).next_level()

    def estimate(self) -> Estimate:
        """The posterior mean threshold, its standard deviation and 95 % credible interval."""
        marginal = self.posterior.sum(axis=1)
        th = self.grid.thresholds
        mean = float(np.sum(marginal * th))
        sd = float(math.sqrt(max(0.0, np.sum(marginal * (th - mean) ** 2))))
        cdf = np.cumsum(marginal)
        low = float(th[min(int(np.searchsorted(cdf, 0.025)), len(th) - 1)])
        high = float(th[min(int(np.searchsorted(cdf, 0.975)), len(th) - 1)])
        return Estimate(mean, sd, low, high, self.trials)


def threshold_of(trials) -> Estimate:
    """The threshold estimated from ``(severity, correct)`` pairs (see :class:`Staircase`)."""
    return Staircase.from_trials(trials).estimate()
