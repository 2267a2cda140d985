"""Pre-test and post-test as parallel forms drawn from one blueprint.

A **blueprint** says how many items of each item type each topic
contributes to one test (``{("mrz", "mrz"): 2, ("substrates", "verdict"): 1, ...}``)
and what share of the genuine-or-forged (``verdict``) decisions show a
genuine document (:data:`GENUINE_SHARE`, about half: a test of forgeries
only is passed by answering "forged" every time).

:func:`parallel_forms` assembles the forms together as a 0-1 linear program
(automated test assembly, van der Linden, *Linear Models for Optimal Test
Design*, 2005, ch. 6), solved exactly with HiGHS (:func:`scipy.optimize.milp`):

* every form follows the blueprint exactly (same topics, item types, counts);
* the number of genuine documents among the verdict items is the same on
  every form and within one of ``genuine_share`` × the verdict items;
* no item appears in two forms, and no specimen twice in one form (a
  ``locate`` item that says "this document was forged" would give away a
  ``verdict`` item about the same document); as few specimens as the pool
  allows appear on two forms (a trainee who saw a document on the pre-test
  must not recognise it on the post-test);
* the forms are equally hard: their test characteristic curves (expected
  score of a trainee of ability θ, from each item's Rasch difficulty) are
  matched at θ = −1.5, 0 and 1.5 logits. Difficulties come from the
  recorded answers (:mod:`.psychometrics`), else from the item's own
  estimate (the severity of its forgery, :func:`prior_logit`);
* among equally good forms the seed chooses (small random weights), so
  two workshops get different forms; the same pool, blueprint and seed
  always give the same forms, whatever the pool's order.

Examples
--------
>>> from docexam.lessons.items import Item
>>> pool = [Item(id=f"s{i}:verdict", type="verdict", specimens=(f"s{i}",), template="t",
...              prompt="", prompt_km="", shown={}, feedback={}, topic="review",
...              key={"kind": "choice", "answer": "genuine" if i % 2 else "forged"})
...         for i in range(8)]
>>> forms = parallel_forms(pool, {("review", "verdict"): 2}, seed=7)
>>> sorted(forms), [len(f) for f in forms.values()]
(['post', 'pre'], [2, 2])
>>> set(i.id for i in forms["pre"]) & set(i.id for i in forms["post"])
set()
>>> [sum(i.key["answer"] == "genuine" for i in f) for f in forms.values()]
[1, 1]
"""

from __future__ import annotations

import math
import random
from itertools import combinations
from typing import Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from ..lessons.format import ITEM_TYPES
from ..lessons.quiz import reveal_last

#: share of genuine documents among a form's genuine-or-forged decisions
GENUINE_SHARE = 0.5
#: abilities (logits) at which the forms' expected scores are matched
MATCH_THETAS = (-1.5, 0.0, 1.5)
#: objective weights: expected-score gap between forms (per item), a specimen on two forms, the seed's choice
GAP_WEIGHT = 10.0
OVERLAP_WEIGHT = 3.0
RANDOM_WEIGHT = 1.0
#: when fitting a blueprint to a small pool: the worth of one item kept (times CELL_PRIORITY)
COVER_WEIGHT = 100.0
#: HiGHS limits: the node limit stops the search, so a seed gives the same forms on any machine;
#: the time limit is only a safety net, far above a solve on a busy laptop (a few seconds), because
#: a search cut by time gives forms that depend on the machine's load
NODE_LIMIT = 20000
TIME_LIMIT_S = 300.0
MIP_GAP = 0.02


def check_blueprint(blueprint: Mapping) -> dict[tuple[str, str], int]:
    """Validate a blueprint and return it as a plain ``{(topic, item_type): count}`` dict.

    Accepts ``{(topic, type): n}`` or the nested form ``{topic: {type: n}}``
    (as it would be written in a TOML or JSON file). Cells with count 0 are dropped.

    >>> check_blueprint({"mrz": {"mrz": 2, "verdict": 1}})
    {('mrz', 'mrz'): 2, ('mrz', 'verdict'): 1}
    """
    if not isinstance(blueprint, Mapping) or not blueprint:
        raise ValueError("blueprint: expected a non-empty mapping (topic, item_type) -> count")
    cells: dict[tuple[str, str], int] = {}
    for k, v in blueprint.items():
        if isinstance(k, str) and isinstance(v, Mapping):
            entries = [((k, t), n) for t, n in v.items()]
        else:
            entries = [(k, v)]
        for cell, n in entries:
            if not (isinstance(cell, tuple) and len(cell) == 2 and all(isinstance(c, str) and c for c in cell)):
                raise ValueError(f"blueprint: key {cell!r} is not a (topic, item_type) pair")
            if cell[1] not in ITEM_TYPES:
                raise ValueError(f"blueprint: item type {cell[1]!r} is not one of {', '.join(ITEM_TYPES)}")
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise ValueError(f"blueprint: count of {cell!r} must be a non-negative integer, got {n!r}")
            if n:
                cells[cell] = n
    if not cells:
        raise ValueError("blueprint: every count is 0")
    return dict(sorted(cells.items()))


def blueprint_from_lessons(lessons: Iterable, *, per_cell: int = 1) -> dict[tuple[str, str], int]:
    """A blueprint covering every (topic, item type) the lessons use, ``per_cell`` items each.

    >>> from types import SimpleNamespace as NS
    >>> blueprint_from_lessons([NS(topic="mrz", item_types=("mrz", "verdict"))])
    {('mrz', 'mrz'): 1, ('mrz', 'verdict'): 1}
    """
    if isinstance(per_cell, bool) or not isinstance(per_cell, int) or per_cell < 1:
        raise ValueError(f"per_cell: expected a positive integer, got {per_cell!r}")
    return dict(sorted({(le.topic, t): per_cell for le in lessons for t in le.item_types}.items()))


def pool_capacity(pool: Iterable, blueprint: Mapping) -> dict[tuple[str, str], int]:
    """How many distinct items the pool has for each blueprint cell (to size a blueprint)."""
    cells = check_blueprint(blueprint)
    ids: dict[tuple[str, str], set] = {cell: set() for cell in cells}
    for item in pool:
        cell = (item.topic, item.type)
        if cell in ids:
            ids[cell].add(item.id)
    return {cell: len(v) for cell, v in ids.items()}


def prior_logit(item) -> float:
    """An item's difficulty in logits before any answer is recorded: from its 0..1 ``difficulty``.

    0.5 (unknown) is 0 logits; a blatant forgery (0) is 2 logits easier, a
    subtle one (1) 2 logits harder.

    >>> from types import SimpleNamespace as NS
    >>> prior_logit(NS(difficulty=0.5)), prior_logit(NS(difficulty=1.0))
    (0.0, 2.0)
    """
    return 4.0 * (float(item.difficulty) - 0.5)


def is_genuine_verdict(item) -> bool:
    """True for a ``verdict`` item whose document is genuine."""
    return item.type == "verdict" and item.key.get("answer") == "genuine"


def genuine_range(verdicts: int, share: float = GENUINE_SHARE) -> tuple[int, int]:
    """Fewest and most genuine documents among ``verdicts`` decisions for ``share``.

    >>> genuine_range(7), genuine_range(6), genuine_range(1)
    ((3, 4), (3, 3), (0, 1))
    """
    target = verdicts * share
    return math.floor(target + 1e-9), math.ceil(target - 1e-9)


def parallel_forms(pool: Iterable, blueprint: Mapping, *, seed: int,
                   names: Sequence[str] = ("pre", "post"), genuine_share: float = GENUINE_SHARE,
                   difficulty: Mapping[str, float] | None = None) -> dict[str, list]:
    """Assemble parallel test forms from ``pool`` following ``blueprint`` exactly (see the module docstring).

    Parameters
    ----------
    pool : iterable of Item
        Candidate items with their ``topic`` set (from
        :func:`~docexam.lessons.items.lesson_items`). The same item id may
        appear under several topics; it is used at most once. Not modified.
    blueprint : mapping
        ``{(topic, item_type): items per form}`` (see :func:`check_blueprint`).
    seed : int, keyword-only
    names : sequence of str, keyword-only
        Names of the forms (default ``("pre", "post")``).
    genuine_share : float, keyword-only
        Share of genuine documents among each form's verdict items.
    difficulty : mapping, keyword-only
        Item id -> Rasch difficulty (logits) estimated from recorded answers;
        items without one use :func:`prior_logit`.

    Returns
    -------
    dict
        name -> list of Item, in presentation order (shuffled from ``seed``,
        then :func:`~docexam.lessons.quiz.reveal_last`).

    Raises
    ------
    ValueError
        Naming the blueprint cell the pool cannot fill for every form, or
        saying which constraint cannot be met. :func:`fit_forms` drops cells
        instead.
    """
    return _assemble(pool, blueprint, seed=seed, names=names, genuine_share=genuine_share,
                     difficulty=difficulty, strict=True)[0]


def fit_forms(pool: Iterable, blueprint: Mapping, *, seed: int, names: Sequence[str] = ("pre", "post"),
              genuine_share: float = GENUINE_SHARE,
              difficulty: Mapping[str, float] | None = None) -> tuple[dict[str, list], dict]:
    """The largest part of ``blueprint`` the pool can fill, assembled as in :func:`parallel_forms`.

    A small or trainer-made library cannot fill every (topic, item type)
    cell once per form without showing a specimen twice; the program then
    keeps as many items as it can (verdict items first: they carry the
    genuine-or-forged decision the Key Results report), with every rule of
    :func:`parallel_forms` still met.

    Returns
    -------
    (forms, blueprint)
        The forms, and the blueprint they follow (cells dropped or reduced).
        Both forms are empty when nothing fits.
    """
    pool = list(pool)
    try:
        forms, kept = _assemble(pool, blueprint, seed=seed, names=names, genuine_share=genuine_share,
                                difficulty=difficulty, strict=False)
    except ValueError:
        return {name: [] for name in names}, {}
    if not kept:
        return forms, kept
    # Matched again on the kept blueprint alone: in the fitting program the items kept dominate
    # the objective, so the solver's relative optimality gap would let the forms' difficulty drift.
    try:
        return _assemble(pool, kept, seed=seed, names=names, genuine_share=genuine_share,
                         difficulty=difficulty, strict=True)
    except ValueError:
        return forms, kept


#: when a blueprint cannot be filled, an item of these types is kept before others
CELL_PRIORITY = {"verdict": 3.0, "mrz": 2.0, "locate": 2.0, "compare": 1.5}


def _assemble(pool, blueprint, *, seed, names, genuine_share, difficulty, strict):
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed: expected an integer, got {seed!r}")
    names = list(names)
    if len(names) < 1 or len(set(names)) != len(names) or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"names: expected distinct form names, got {names!r}")
    if isinstance(genuine_share, bool) or not 0.0 <= genuine_share <= 1.0:
        raise ValueError(f"genuine_share: expected a share from 0 to 1, got {genuine_share!r}")
    cells = check_blueprint(blueprint)
    difficulty = dict(difficulty or {})

    # candidates: one per (item id, cell), in a fixed order
    seen: dict[tuple[str, str, str], object] = {}
    for item in pool:
        cell = (item.topic, item.type)
        if cell in cells:
            seen.setdefault((item.id, *cell), item)
    keys = sorted(seen)
    cands = [seen[k] for k in keys]
    cell_list = list(cells)
    if strict:
        for cell, n in cells.items():
            have = len({k[0] for k in keys if (k[1], k[2]) == cell})
            if have < n * len(names):
                raise ValueError(f"blueprint: cell {cell[0]} × {cell[1]} needs {n * len(names)} distinct items "
                                 f"({n} per form × {len(names)} forms); the pool has {have}")
    F, C, K = len(names), len(cands), len(cell_list)
    specimens = sorted({s for c in cands for s in c.specimens})
    spec_index = {s: j for j, s in enumerate(specimens)}
    pairs = list(combinations(range(F), 2))
    n_x = F * C
    n_y = len(specimens) * len(pairs)
    z0 = n_x + n_y          # items per form in each cell
    gap = z0 + K            # largest expected-score gap between two forms
    n_vars = gap + 1

    def xv(f: int, c: int) -> int:
        return f * C + c

    rows: list[tuple[dict[int, float], float, float]] = []
    # 1. every form has z_k items of cell k (z_k = the blueprint's count when strict)
    for k, cell in enumerate(cell_list):
        members = [c for c, key in enumerate(keys) if (key[1], key[2]) == cell]
        for f in range(F):
            rows.append(({xv(f, c): 1.0 for c in members} | {z0 + k: -1.0}, 0, 0))
    # 2. an item once across all forms (an id may be a candidate of several cells)
    by_id: dict[str, list[int]] = {}
    for c, key in enumerate(keys):
        by_id.setdefault(key[0], []).append(c)
    for members in by_id.values():
        if len(members) > 1 or F > 1:
            rows.append(({xv(f, c): 1.0 for f in range(F) for c in members}, 0, 1))
    # 3. a specimen once per form; y counts a specimen shown on two forms
    by_spec: dict[str, list[int]] = {}
    for c, item in enumerate(cands):
        for s in dict.fromkeys(item.specimens):  # in order (a set's changes per process: so did the forms)
            by_spec.setdefault(s, []).append(c)
    for s, members in by_spec.items():
        for f in range(F):
            if len(members) > 1:
                rows.append(({xv(f, c): 1.0 for c in members}, 0, 1))
        for p, (f, g) in enumerate(pairs):
            coef = {xv(f, c): 1.0 for c in members} | {xv(g, c): 1.0 for c in members}
            coef[n_x + spec_index[s] * len(pairs) + p] = -1.0
            rows.append((coef, -np.inf, 1))
    # 4. genuine documents: within half an item of genuine_share x the verdict items, the same on every form
    verdict_cells = [k for k, cell in enumerate(cell_list) if cell[1] == "verdict"]
    genuine = [c for c, item in enumerate(cands) if is_genuine_verdict(item)]
    if verdict_cells:
        for f in range(F):
            coef = {xv(f, c): 1.0 for c in genuine} | {z0 + k: -genuine_share for k in verdict_cells}
            rows.append((coef, -0.5 - 1e-6, 0.5 + 1e-6))
        for f, g in pairs:
            rows.append(({xv(f, c): 1.0 for c in genuine} | {xv(g, c): -1.0 for c in genuine}, 0, 0))
    # 5. matched expected scores: |TCC_f(theta) - TCC_g(theta)| <= gap
    b = np.array([difficulty.get(item.id, prior_logit(item)) for item in cands])
    for theta in MATCH_THETAS:
        p = 1.0 / (1.0 + np.exp(b - theta))
        for f, g in pairs:
            coef = {xv(f, c): p[c] for c in range(C)} | {xv(g, c): -p[c] for c in range(C)}
            rows.append((coef | {gap: -1.0}, -np.inf, 0))
            rows.append(({key: -v for key, v in coef.items()} | {gap: -1.0}, -np.inf, 0))

    # built as coordinates in one go: setting a sparse matrix's entries one by one was 0.3 s a program
    entries = [(r, col, v) for r, (coef, _, _) in enumerate(rows) for col, v in coef.items() if v]
    row_of, col_of, value = zip(*entries) if entries else ((), (), ())
    matrix = coo_array((value, (row_of, col_of)), shape=(len(rows), n_vars))
    lower = np.array([lo_r for _, lo_r, _ in rows], float)
    upper = np.array([hi_r for _, _, hi_r in rows], float)
    rng = np.random.default_rng(seed)
    counts = np.array([cells[cell] for cell in cell_list], float)
    # fitting: an item kept is worth more than any gap, overlap or random preference
    coverage = np.zeros(K) if strict else -COVER_WEIGHT * np.array(
        [CELL_PRIORITY.get(cell[1], 1.0) for cell in cell_list])
    cost = np.concatenate([RANDOM_WEIGHT * rng.random(n_x), np.full(n_y, OVERLAP_WEIGHT), coverage, [GAP_WEIGHT]])
    integrality = np.concatenate([np.ones(n_x), np.zeros(n_y), np.ones(K), [0]])
    lb = np.concatenate([np.zeros(n_x + n_y), counts if strict else np.zeros(K), [0]])
    ub = np.concatenate([np.ones(n_x + n_y), counts, [np.inf]])
    result = milp(cost, constraints=LinearConstraint(matrix.tocsr(), lower, upper), integrality=integrality,
                  bounds=Bounds(lb, ub),
                  options={"node_limit": NODE_LIMIT, "time_limit": TIME_LIMIT_S, "mip_rel_gap": MIP_GAP})
    if result.x is None:
        raise ValueError("blueprint: the pool cannot fill every form without showing a specimen twice in a "
                         f"form{' or without ' + format(genuine_share, '.0%') + ' genuine verdict items' if verdict_cells else ''}"
                         f" ({result.message})")
    chosen = result.x[:n_x].reshape(F, C) > 0.5
    kept = {cell: int(round(result.x[z0 + k])) for k, cell in enumerate(cell_list) if round(result.x[z0 + k])}
    order = random.Random(seed)
    out = {}
    for f, name in enumerate(names):
        form = [cands[c] for c in range(C) if chosen[f, c]]
        order.shuffle(form)
        out[name] = reveal_last(form)
    return out, kept


def form_gap(forms: Mapping[str, Sequence], difficulty: Mapping[str, float] | None = None) -> float:
    """Largest difference, over :data:`MATCH_THETAS`, between two forms' expected scores (items).

    >>> form_gap({"a": [], "b": []})
    0.0
    """
    difficulty = dict(difficulty or {})
    curves = []
    for form in forms.values():
        b = np.array([difficulty.get(i.id, prior_logit(i)) for i in form])
        curves.append([float((1.0 / (1.0 + np.exp(b - theta))).sum()) for theta in MATCH_THETAS])
    return max((abs(x - y) for a, c in combinations(curves, 2) for x, y in zip(a, c)), default=0.0)
