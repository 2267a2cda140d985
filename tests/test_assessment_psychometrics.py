"""Item statistics against values computed by hand from first principles on tiny matrices."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from docexam.assessment.psychometrics import (cronbach_alpha, esf, expected_share, kr20, point_biserial,
                                              rasch_fit, share_correct)

NAN = float("nan")

# 5 sittings x 4 items (right/wrong)
X = np.array([[1, 1, 1, 0],
              [1, 1, 0, 0],
              [1, 0, 1, 1],
              [0, 1, 0, 0],
              [1, 1, 1, 1]], float)


def test_share_correct_by_hand():
    assert share_correct(X).tolist() == [4 / 5, 4 / 5, 3 / 5, 2 / 5]
    with_gap = X.copy()
    with_gap[0, 0] = NAN
    assert share_correct(with_gap)[0] == pytest.approx(3 / 4)


def test_kr20_by_hand():
    # totals 3, 2, 3, 1, 4: mean 2.6, population variance (0.16+0.36+0.16+2.56+1.96)/5 = 1.04
    # sum of p*q: .16 + .16 + .24 + .24 = 0.8;  KR-20 = 4/3 * (1 - 0.8/1.04)
    expected = 4 / 3 * (1 - 0.8 / 1.04)
    assert kr20(X) == pytest.approx(expected)
    assert cronbach_alpha(X) == pytest.approx(expected)
    # an incomplete sitting is left out (listwise)
    with_gap = np.vstack([X, [1, NAN, 0, 0]])
    assert kr20(with_gap) == pytest.approx(expected)
    # no variance, too few: no reliability
    assert kr20(np.ones((4, 3))) is None and kr20(X[:1]) is None
    with pytest.raises(ValueError, match="right/wrong"):
        kr20([[0.5, 1], [1, 0]])


def test_point_biserial_by_hand():
    # item 4 against the rest (share correct on items 1-3): 1, 2/3, 2/3, 1/3, 1
    item, rest = X[:, 3], np.array([3, 2, 2, 1, 3]) / 3
    r = np.corrcoef(item, rest)[0, 1]
    assert point_biserial(X)[3] == pytest.approx(r)


def test_esf_by_hand():
    e = np.array([2.0, 3.0, 5.0])
    assert esf(e).tolist() == [1.0, 10.0, 2 * 3 + 2 * 5 + 3 * 5, 30.0]


def test_rasch_two_items_is_the_log_ratio():
    # Rasch (1960): for two items the CML estimate of b2 - b1 is ln(n10 / n01)
    x = np.array([[1, 0]] * 5 + [[0, 1]] * 2 + [[1, 1]] * 4 + [[0, 0]] * 3, float)
    fit = rasch_fit(x)
    assert fit.converged
    assert fit.difficulty[1] - fit.difficulty[0] == pytest.approx(math.log(5 / 2))
    assert fit.difficulty.sum() == pytest.approx(0.0, abs=1e-12)
    # its standard error: the information is n * p (1 - p) with p = n10 / (n10 + n01), on the difference
    p = 5 / 7
    se_diff = 1 / math.sqrt(7 * p * (1 - p))
    assert fit.se[0] == pytest.approx(se_diff / 2)
    assert fit.informative.tolist() == [7, 7]


def test_rasch_three_items_solves_the_conditional_score_equations():
    """At the CML estimate, each item's right answers equal their expectation given each sitting's raw score.

    Computed here from first principles: every answer pattern with the same raw score, weighted by
    exp(-sum of b over the items it got right).
    """
    x = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 0],
                  [0, 0, 1], [1, 0, 0], [1, 1, 0]], float)
    b = rasch_fit(x).difficulty
    expected = np.zeros(3)
    for row in x:
        r = int(row.sum())
        patterns = [p for p in itertools.product((0, 1), repeat=3) if sum(p) == r]
        weights = np.array([math.exp(-np.dot(p, b)) for p in patterns])
        expected += (np.array(patterns).T @ weights) / weights.sum()
    assert expected == pytest.approx(x.sum(0), abs=1e-8)
    # item 1 (7 right) is the easiest, item 3 (3 right) the hardest
    assert b[0] < b[1] < b[2]


def test_rasch_recovers_simulated_difficulties():
    rng = np.random.default_rng(5)
    true_b = np.linspace(-1.5, 1.5, 8)
    theta = rng.normal(0, 1, 800)
    x = (rng.random((800, 8)) < expected_share(true_b, theta).T).astype(float)
    x[:400, :3] = NAN  # an incomplete design: half the sittings did not see three items
    fit = rasch_fit(x)
    assert fit.converged and np.all(fit.component == 0)
    assert np.abs(fit.difficulty - (true_b - true_b.mean())).max() < 3 * fit.se.max()


def test_rasch_extreme_items_and_disconnected_forms():
    x = np.array([[1, 1, 0, NAN, NAN], [1, 0, 1, NAN, NAN], [1, 0, 0, NAN, NAN],
                  [NAN, NAN, NAN, 1, 0], [NAN, NAN, NAN, 0, 1], [NAN, NAN, NAN, 1, 0]], float)
    fit = rasch_fit(x)
    # item 1 was right in every informative sitting: no finite difficulty
    assert fit.difficulty[0] == -np.inf
    # items 2, 3 and items 4, 5 were never asked together: two scales, each centred
    assert fit.component[1] == fit.component[2] != fit.component[3] == fit.component[4]
    assert fit.difficulty[1] + fit.difficulty[2] == pytest.approx(0.0, abs=1e-9)
    assert fit.difficulty[4] - fit.difficulty[3] == pytest.approx(math.log(2 / 1))
    # with a prior every item gets a finite value, pulled towards the prior
    shrunk = rasch_fit(x, prior_mean=0.0, prior_sd=1.0)
    assert np.isfinite(shrunk.difficulty).all() and shrunk.difficulty[0] < shrunk.difficulty[1]


def test_bad_matrices():
    with pytest.raises(ValueError, match="2-D"):
        rasch_fit([1, 0, 1])
    with pytest.raises(ValueError, match="0 to 1"):
        share_correct([[2, 0]])
    with pytest.raises(ValueError, match="prior_sd"):
        rasch_fit(X, prior_sd=0)
