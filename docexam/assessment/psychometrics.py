"""Item and test statistics from recorded answers: Rasch difficulty, discrimination, reliability.

Everything works on a **response matrix**: one row per *sitting* (a trainee
taking one form once), one column per item, 1 for a correct answer, 0 for a
wrong one and ``nan`` where the item was not asked. Rows are sittings, not
trainees, because a trainee's ability changes between the pre-test and the
post-test; the conditional estimator below does not care, since it never
estimates abilities.

Methods
-------
* **Share correct** (the classical *p* value, :func:`share_correct`): the
  proportion of sittings that answered the item right. High p = easy item.
* **Rasch (1PL) difficulty** (:func:`rasch_fit`) by *conditional maximum
  likelihood* (CML; Andersen 1970, Fischer 1981; Molenaar in Fischer &
  Molenaar, *Rasch Models*, 1995, ch. 3). Under the Rasch model
  ``P(x = 1) = exp(θ - b) / (1 + exp(θ - b))``, a sitting's raw score is a
  sufficient statistic for θ, so the likelihood of the answer pattern given
  the raw score does not contain θ::

      P(x | r) = exp(-Σ_i x_i b_i) / γ_r(ε),   ε_i = exp(-b_i)

  where ``γ_r`` is the elementary symmetric function of order r of the ε of
  the items that sitting was asked (an incomplete design is allowed). The
  estimates are consistent, unlike joint ML, and need no assumption about
  the trainees. Sittings with a zero or perfect score carry no information
  and are left out; an item every informative sitting got right (or wrong)
  has no finite estimate and is reported as such. The scale is fixed by
  making the difficulties of each connected set of items sum to zero (items
  never asked together with others cannot be compared with them). Newton's
  method with the exact Hessian; standard errors from its inverse.
  Optionally a normal *prior* per item (``prior_mean``, ``prior_sd``) turns
  this into penalised CML (a MAP estimate): extreme and rarely answered
  items shrink towards the prior and every item gets a finite value, which
  is what test assembly needs; the test of the method (``prior_sd=None``)
  is plain CML.
* **Discrimination** (:func:`point_biserial`): the corrected point-biserial
  correlation between an item and the rest of the sitting (the share
  correct on the *other* items the sitting answered). Positive: trainees
  who do well elsewhere get this item right; near zero or negative: the
  item measures something else, or its key is wrong.
* **Reliability**: Cronbach's alpha (:func:`cronbach_alpha`), which for
  right/wrong items is KR-20 (Kuder & Richardson 1937, :func:`kr20`)::

      KR-20 = k / (k - 1) * (1 - Σ p_i q_i / σ²_X)

  with k items, p_i the share correct, q_i = 1 - p_i and σ²_X the variance
  of the total scores (population variance, like p q). Only complete
  sittings count; it is reported once :data:`MIN_SITTINGS` exist.

Examples
--------
Two items: the CML difference of difficulties is ``ln(n10 / n01)`` (Rasch
1960), where n10 sittings got item 1 right and item 2 wrong:

>>> import numpy as np
>>> x = np.array([[1, 0], [1, 0], [1, 0], [0, 1], [1, 1], [0, 0]], float)
>>> fit = rasch_fit(x)
>>> round(float(fit.difficulty[1] - fit.difficulty[0]), 4), round(float(np.log(3 / 1)), 4)
(1.0986, 1.0986)
>>> round(kr20(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]], float)), 4)
0.75
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: complete sittings needed before a form's reliability is reported
MIN_SITTINGS = 10
#: Newton iterations and convergence tolerance (largest score-equation residual)
MAX_ITER = 100
TOLERANCE = 1e-9


def _matrix(responses) -> np.ndarray:
    x = np.array(responses, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"responses: expected a 2-D matrix (sittings × items), got shape {x.shape}")
    seen = x[~np.isnan(x)]
    if seen.size and (seen.min() < 0 or seen.max() > 1):
        raise ValueError("responses: scores must be from 0 to 1 (nan where an item was not asked)")
    return x


def _binary(x: np.ndarray, name: str = "responses") -> np.ndarray:
    seen = x[~np.isnan(x)]
    if not np.isin(seen, (0.0, 1.0)).all():
        raise ValueError(f"{name}: the Rasch model and KR-20 need right/wrong answers (0 or 1)")
    return x


# ---------------------------------------------------------------------------
# classical statistics

def share_correct(responses) -> np.ndarray:
    """Per item, the share of sittings that answered it right (nan for an item never asked).

    >>> share_correct([[1, 0], [1, float("nan")], [0, 1]]).round(4).tolist()
    [0.6667, 0.5]
    """
    x = _matrix(responses)
    asked = ~np.isnan(x)
    with np.errstate(invalid="ignore"):
        return np.where(asked.any(0), np.nansum(x, 0) / np.maximum(asked.sum(0), 1), np.nan)


def point_biserial(responses) -> np.ndarray:
    """Per item, the correlation of its score with the sitting's share correct on the other items.

    Sittings that answered only this item, and items whose scores (or rest
    scores) do not vary, give nan.

    >>> point_biserial([[1, 1, 1], [1, 1, 0], [0, 0, 1], [0, 0, 0]]).round(3).tolist()
    [0.707, 0.707, 0.0]
    """
    x = _matrix(responses)
    asked = ~np.isnan(x)
    filled = np.where(asked, x, 0.0)
    total, count = filled.sum(1), asked.sum(1)
    out = np.full(x.shape[1], np.nan)
    for i in range(x.shape[1]):
        rows = asked[:, i] & (count > 1)
        if rows.sum() < 3:
            continue
        item = filled[rows, i]
        rest = (total[rows] - item) / (count[rows] - 1)
        if item.std() == 0 or rest.std() == 0:
            continue
        out[i] = float(np.corrcoef(item, rest)[0, 1])
    return out


def cronbach_alpha(responses) -> float | None:
    """Cronbach's alpha over the complete sittings (rows with every item answered).

    None with fewer than two items or two complete sittings, or when the
    total scores do not vary.

    >>> round(cronbach_alpha([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]), 4)
    0.75
    """
    x = _matrix(responses)
    complete = x[~np.isnan(x).any(1)]
    k = complete.shape[1]
    if k < 2 or complete.shape[0] < 2:
        return None
    total_var = complete.sum(1).var()
    if total_var == 0:
        return None
    return float(k / (k - 1) * (1 - complete.var(0).sum() / total_var))


def kr20(responses) -> float | None:
    """KR-20 reliability of right/wrong items: Cronbach's alpha of 0/1 scores (see the module docstring)."""
    return cronbach_alpha(_binary(_matrix(responses)))


# ---------------------------------------------------------------------------
# Rasch model, conditional maximum likelihood

def esf(eps: np.ndarray) -> np.ndarray:
    """Elementary symmetric functions γ_0..γ_n of ``eps`` (the summation algorithm).

    >>> esf(np.array([1.0, 2.0, 3.0])).tolist()
    [1.0, 6.0, 11.0, 6.0]
    """
    gamma = np.zeros(len(eps) + 1)
    gamma[0] = 1.0
    for k, e in enumerate(eps, 1):
        gamma[1:k + 1] = gamma[1:k + 1] + e * gamma[0:k]
    return gamma


def _esf_without_one(eps: np.ndarray) -> np.ndarray:
    """Row i: the ESF of ``eps`` without item i (n × (n+1), last column 0)."""
    n = len(eps)
    g = np.zeros((n, n + 1))
    g[:, 0] = 1.0
    for j, e in enumerate(eps):
        step = e * g[:, :-1]
        step[j] = 0.0
        g[:, 1:] += step
    return g


def _esf_without_two(eps: np.ndarray) -> np.ndarray:
    """[i, j]: the ESF of ``eps`` without items i and j (n × n × (n+1))."""
    n = len(eps)
    g = np.zeros((n, n, n + 1))
    g[:, :, 0] = 1.0
    for k, e in enumerate(eps):
        step = e * g[:, :, :-1]
        step[k, :] = 0.0
        step[:, k] = 0.0
        g[:, :, 1:] += step
    return g


@dataclass(frozen=True)
class RaschFit:
    """Item difficulties of a Rasch fit (logits; higher = harder)."""

    #: per item; +inf / -inf for an item every informative sitting got wrong / right; nan if never informative
    difficulty: np.ndarray
    #: standard error per item (nan where the difficulty is not finite)
    se: np.ndarray
    #: informative sittings per item (asked, and neither zero nor perfect score)
    informative: np.ndarray
    #: per item, the connected set of items it was calibrated with (-1: none)
    component: np.ndarray
    converged: bool
    iterations: int
    #: conditional log-likelihood (penalised with a prior) at the estimate
    log_likelihood: float


def _groups(x: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Informative sittings grouped by the set of items asked: [(item indices, counts per raw score)]."""
    asked = ~np.isnan(x)
    out: dict[bytes, tuple[np.ndarray, list[int]]] = {}
    for row, mask in zip(x, asked):
        items = np.flatnonzero(mask)
        r = int(row[items].sum())
        if len(items) < 2 or r == 0 or r == len(items):
            continue
        key = mask.tobytes()
        if key not in out:
            out[key] = (items, [0] * (len(items) + 1))
        out[key][1][r] += 1
    return [(items, np.array(counts, float)) for items, counts in out.values()]


def _components(n_items: int, groups, estimable: np.ndarray) -> np.ndarray:
    parent = list(range(n_items))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for items, _ in groups:
        live = [i for i in items if estimable[i]]
        for a, b in zip(live, live[1:]):
            parent[find(a)] = find(b)
    roots = {}
    comp = np.full(n_items, -1)
    for i in range(n_items):
        if estimable[i]:
            comp[i] = roots.setdefault(find(i), len(roots))
    return comp


def _derivatives(b: np.ndarray, groups, right: np.ndarray):
    """Log-likelihood, gradient and Hessian (with respect to b) of the conditional likelihood."""
    k = len(b)
    grad = -right.copy()
    hess = np.zeros((k, k))
    loglik = -float(right @ np.where(np.isfinite(b), b, 0.0))
    for items, counts in groups:
        eps = np.exp(-b[items])
        n = len(items)
        gamma = esf(eps)
        g1 = _esf_without_one(eps)
        g2 = _esf_without_two(eps)
        scores = np.flatnonzero(counts)
        for r in scores:
            c = counts[r]
            p = eps * g1[:, r - 1] / gamma[r]                       # P(x_i = 1 | r)
            pij = np.outer(eps, eps) * g2[:, :, r - 2] / gamma[r] if r >= 2 else np.zeros((n, n))
            np.fill_diagonal(pij, p)
            loglik -= c * np.log(gamma[r])
            grad[items] += c * p
            hess[np.ix_(items, items)] -= c * (pij - np.outer(p, p))
    return loglik, grad, hess


def _informative_counts(x: np.ndarray):
    """Groups of informative sittings, and per item their number and right answers."""
    groups = _groups(x)
    informative = np.zeros(x.shape[1], int)
    for items, counts in groups:
        informative[items] += int(counts.sum())
    asked = ~np.isnan(x)
    scores, sizes = np.nansum(x, 1), asked.sum(1)
    keep = (sizes >= 2) & (scores > 0) & (scores < sizes)
    right = np.nansum(np.where(asked[keep], x[keep], 0.0), 0)
    return groups, informative, right


def rasch_fit(responses, *, prior_mean=None, prior_sd: float | None = None,
              max_iter: int = MAX_ITER, tol: float = TOLERANCE) -> RaschFit:
    """Rasch item difficulties by conditional maximum likelihood (see the module docstring).

    Parameters
    ----------
    responses : array_like, shape (sittings, items)
        1 right, 0 wrong, nan not asked. Not modified.
    prior_mean : float or array_like, keyword-only
        With ``prior_sd``: the prior difficulty of each item (logits).
    prior_sd : float, keyword-only
        Standard deviation of a normal prior on each difficulty; None (the
        default) for plain CML.

    Returns
    -------
    RaschFit
    """
    x = _binary(_matrix(responses))
    n_items = x.shape[1]
    groups, informative, right = _informative_counts(x)
    difficulty = np.full(n_items, np.nan)
    if prior_sd is not None:
        if not prior_sd > 0:
            raise ValueError(f"prior_sd: expected a positive number, got {prior_sd!r}")
        mean = np.broadcast_to(np.asarray(0.0 if prior_mean is None else prior_mean, float), (n_items,)).copy()
        estimable = np.ones(n_items, bool)
        comp = np.zeros(n_items, int)
        basis = np.eye(n_items)
    else:
        mean = None
        # an item all informative sittings got right (wrong) has no finite estimate; leaving it out
        # changes the raw scores, which can make others extreme in turn: repeat until none is
        estimable = informative > 0
        sub = x
        while True:
            extreme_right = estimable & (informative > 0) & (right == informative)
            extreme_wrong = estimable & (informative > 0) & (right == 0)
            if not (extreme_right.any() or extreme_wrong.any()):
                break
            difficulty[extreme_right] = -np.inf
            difficulty[extreme_wrong] = np.inf
            estimable &= ~(extreme_right | extreme_wrong)
            sub = np.where(estimable[None, :], x, np.nan)
            groups, informative_now, right = _informative_counts(sub)
            estimable &= informative_now > 0
            informative = np.maximum(informative, informative_now)
        comp = _components(n_items, groups, estimable)
        # reduced parameters: the difficulties of each connected set of items sum to 0
        cols = []
        for c in range(int(comp.max()) + 1):
            members = np.flatnonzero(comp == c)
            for m in members[1:]:
                col = np.zeros(n_items)
                col[m], col[members[0]] = 1.0, -1.0
                cols.append(col)
        basis = np.array(cols).T if cols else np.zeros((n_items, 0))

    def objective(bv):
        ll, g, h = _derivatives(bv, groups, right)
        if mean is not None:
            d = bv - mean
            ll -= float(d @ d) / (2 * prior_sd ** 2)
            g = g - d / prior_sd ** 2
            h = h - np.eye(n_items) / prior_sd ** 2
        return ll, g, h

    b = mean.copy() if mean is not None else np.zeros(n_items)
    ll, g, h = objective(b)
    converged, it = basis.shape[1] == 0 or float(np.abs(basis.T @ g).max()) < tol, 0
    while not converged and it < max_iter:
        it += 1
        gr, hr = basis.T @ g, basis.T @ h @ basis
        try:
            step = basis @ np.linalg.solve(hr, -gr)
        except np.linalg.LinAlgError:
            step = basis @ np.linalg.lstsq(hr, -gr, rcond=None)[0]
        t = 1.0
        while True:  # damped Newton: the log-likelihood is concave; halve the step until it does not fall
            candidate = b + t * step
            ll_new, g_new, h_new = objective(candidate)
            if ll_new >= ll - 1e-12 or t < 1e-6:
                break
            t /= 2
        b, ll, g, h = candidate, ll_new, g_new, h_new
        converged = float(np.abs(basis.T @ g).max()) < tol
    se = np.full(n_items, np.nan)
    if basis.shape[1]:
        try:
            cov = basis @ np.linalg.inv(-(basis.T @ h @ basis)) @ basis.T
            se = np.sqrt(np.clip(np.diag(cov), 0, None))
        except np.linalg.LinAlgError:
            pass
    difficulty[estimable] = b[estimable]
    se[~estimable] = np.nan
    return RaschFit(difficulty=difficulty, se=se, informative=informative, component=comp,
                    converged=bool(converged), iterations=it, log_likelihood=float(ll))


def expected_share(difficulty, theta) -> np.ndarray:
    """Rasch probability of a right answer for ability(ies) ``theta`` and item ``difficulty`` (logits).

    >>> expected_share(np.array([0.0, 1.0]), 0.0).round(4).tolist()
    [0.5, 0.2689]
    """
    b = np.asarray(difficulty, float)
    return 1.0 / (1.0 + np.exp(np.subtract.outer(b, theta)))
