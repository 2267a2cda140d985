"""Pre-test and post-test as parallel forms drawn from one blueprint.

A **blueprint** says how many items of each item type each topic
contributes to one test (``{("mrz", "mrz"): 2, ("substrates", "verdict"): 1, ...}``).
:func:`parallel_forms` draws two (or more) forms from a pool of items so that

* every form follows the blueprint exactly (same topics, same item types,
  same counts);
* no item appears in two forms, and where the pool allows, no *specimen*
  either (a trainee who saw a document on the pre-test must not recognise it
  on the post-test);
* the forms are about equally hard: within each blueprint cell the candidates
  are ordered by difficulty and handed out in turns, so the forms receive
  matched pairs;
* the same pool, blueprint and seed always give the same forms (the order
  of the pool does not matter).

Examples
--------
>>> from docexam.lessons.items import Item
>>> pool = [Item(id=f"s{i}:verdict", type="verdict", specimens=(f"s{i}",), template="t",
...              prompt="", prompt_km="", shown={}, key={}, feedback={}, topic="review")
...         for i in range(4)]
>>> forms = parallel_forms(pool, {("review", "verdict"): 2}, seed=7)
>>> sorted(forms), [len(f) for f in forms.values()]
(['post', 'pre'], [2, 2])
>>> set(i.id for i in forms["pre"]) & set(i.id for i in forms["post"])
set()
"""

from __future__ import annotations

import random
from typing import Iterable, Mapping, Sequence

from ..lessons.format import ITEM_TYPES
from ..lessons.items import reveal_last



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


def parallel_forms(pool: Iterable, blueprint: Mapping, *, seed: int,
                   names: Sequence[str] = ("pre", "post")) -> dict[str, list]:
    """Draw parallel test forms from ``pool`` following ``blueprint``.

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

    Returns
    -------
    dict
        name -> list of Item, in presentation order (shuffled from ``seed``,
        then :func:`~docexam.lessons.items.reveal_last`: no item gives away
        the answer of a later one).

    Raises
    ------
    ValueError
        Naming the blueprint cell that the pool cannot fill for every form.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed: expected an integer, got {seed!r}")
    names = list(names)
    if len(names) < 1 or len(set(names)) != len(names) or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"names: expected distinct form names, got {names!r}")
    cells = check_blueprint(blueprint)
    by_cell: dict[tuple[str, str], dict[str, object]] = {cell: {} for cell in cells}
    for item in pool:
        cell = (item.topic, item.type)
        if cell in by_cell:
            by_cell[cell].setdefault(item.id, item)
    rng = random.Random(seed)
    forms: list[list] = [[] for _ in names]
    used: set[str] = set()
    owner: dict[str, int] = {}  # specimen name -> the form that showed it first
    # fill the scarcest cells first: an item listed under two topics goes where it is needed most
    order = sorted(cells, key=lambda cell: (len(by_cell[cell]) - cells[cell] * len(names), cell))
    for cell in order:
        count = cells[cell]
        candidates = [by_cell[cell][k] for k in sorted(by_cell[cell])]
        rng.shuffle(candidates)
        # stable sort: random order among equally hard items, matched difficulty across forms
        candidates.sort(key=lambda it: it.difficulty)
        available = [c for c in candidates if c.id not in used]
        need = count * len(names)
        if len(available) < need:
            raise ValueError(f"blueprint: cell {cell[0]} × {cell[1]} needs {need} distinct items "
                             f"({count} per form × {len(names)} forms); the pool has {len(available)}"
                             + (f" not used by other cells (of {len(candidates)})"
                                if len(available) < len(candidates) else ""))
        for _ in range(count):
            turn = list(range(len(names)))
            rng.shuffle(turn)
            for f in turn:
                remaining = [c for c in available if c.id not in used]
                clean = [c for c in remaining if all(owner.get(s, f) == f for s in c.specimens)]
                pick = (clean or remaining)[0]
                used.add(pick.id)
                for s in pick.specimens:
                    owner.setdefault(s, f)
                forms[f].append(pick)
    for form in forms:
        rng.shuffle(form)
    return {name: reveal_last(form) for name, form in zip(names, forms)}
