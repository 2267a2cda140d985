"""Drawing a practice quiz from items, and ordering items so none gives another away."""

from __future__ import annotations

import random
from typing import Iterable, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_array

from ..i18n import Message
from ..errors import UnknownNameError
from .quiz_item import Item


def draw_quiz(items: Sequence[Item], *, seed: int, count: int | None = None,
              repeats: bool = False) -> list[Item]:
    """A quiz drawn from ``items``: reproducible from ``seed``, mixing item types, each specimen once.

    Item types take turns (in an order drawn from the seed) so a short quiz
    is not all one kind of question. No specimen is shown twice (its second
    question would be answered by the first, or by its feedback): when
    taking turns leaves the quiz short (a ``compare`` item uses two
    documents), the largest set of items about different specimens is
    found exactly (:func:`distinct_items`), so a quiz is short only when
    the pool itself has too few documents. With ``repeats``, items about
    specimens already shown follow, to reach ``count``. Finally
    :func:`reveal_last` makes sure no item gives away the answer of a
    later one.

    Parameters
    ----------
    items : sequence of Item
        Not modified; their order does not matter.
    seed : int, keyword-only
    count : int, keyword-only
        How many items at most (default all).
    repeats : bool, keyword-only
        Fill up to ``count`` with items about specimens already shown.

    Examples
    --------
    >>> draw_quiz([], seed=1)
    []
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed: expected an integer, got {seed!r}")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise ValueError(f"count: expected a non-negative integer, got {count!r}")
    order = _taking_turns(items, seed)
    fresh, shown = [], set()
    for item in order:
        if not shown & set(item.specimens):
            shown.update(item.specimens)
            fresh.append(item)
    want = len(order) if count is None else count
    if len(fresh) < want:
        # taking turns was greedy; the exact largest selection, preferring the turns' order
        chosen = set(id(i) for i in distinct_items(order, limit=want))
        if len(chosen) > len(fresh):
            fresh = [item for item in order if id(item) in chosen]
    out = fresh[:want]
    if repeats:
        taken = set(id(i) for i in out)
        out += [item for item in order if id(item) not in taken][:want - len(out)]
    return reveal_last(out)


def _taking_turns(items: Sequence[Item], seed: int) -> list[Item]:
    """Every item once, item types taking turns (the seed orders the types and each type's items).

    Within a turn, an item about a specimen not met yet in this order comes
    before one about a specimen met already; among those, the one whose
    specimens the fewest other item types need (a ``compare`` item takes a
    scanned forgery rather than the flat one a ``locate`` item needs), so
    that types keep taking turns for as long as they can.
    """
    rng = random.Random(seed)
    by_type: dict[str, list[Item]] = {}
    needed_by: dict[str, set[str]] = {}
    for item in sorted(items, key=lambda it: it.id):
        by_type.setdefault(item.type, []).append(item)
        for s in item.specimens:
            needed_by.setdefault(s, set()).add(item.type)
    for group in by_type.values():
        rng.shuffle(group)
    types = sorted(by_type)
    rng.shuffle(types)
    out: list[Item] = []
    later: list[Item] = []
    met: set[str] = set()
    while any(by_type.values()):
        for t in types:
            group = by_type[t]
            free = [i for i in range(len(group) - 1, -1, -1) if not met & set(group[i].specimens)]
            if not free:
                later += reversed(group)
                group.clear()
                continue
            pick = min(free, key=lambda i: sum(len(needed_by[s] - {t}) for s in group[i].specimens))
            item = group.pop(pick)
            met.update(item.specimens)
            out.append(item)
    return out + later


def distinct_items(items: Sequence[Item], *, limit: int | None = None) -> list[Item]:
    """The most items (at most ``limit``) no two of which show the same specimen, earlier items preferred.

    Solved exactly as a 0-1 linear program (set packing: each specimen in
    at most one chosen item), so a ``compare`` item, which uses two
    documents, is taken only when that costs no other question.

    >>> from docexam.lessons.quiz_item import Item
    >>> def item(name, *specimens):
    ...     return Item(id=name, type="verdict", specimens=specimens, template="t", prompt="", prompt_km="",
    ...                 shown={}, feedback={}, key={})
    >>> [i.id for i in distinct_items([item("ab", "a", "b"), item("a", "a"), item("b", "b")])]
    ['a', 'b']
    """
    items = list(items)
    limit = len(items) if limit is None else limit
    if not items or limit <= 0:
        return []
    specimens = sorted({s for item in items for s in item.specimens})
    row = {s: r for r, s in enumerate(specimens)}
    a = lil_array((len(specimens) + 1, len(items)))
    for col, item in enumerate(items):
        for s in set(item.specimens):
            a[row[s], col] = 1
        a[len(specimens), col] = 1
    upper = np.ones(len(specimens) + 1)
    upper[-1] = limit
    # one item is worth more than any preference: an earlier item is preferred only among equal counts
    weight = 1.0 + 0.5 * (1.0 - np.arange(len(items)) / len(items)) / len(items)
    result = milp(-weight, constraints=LinearConstraint(a.tocsr(), -np.inf, upper),
                  integrality=np.ones(len(items)), bounds=Bounds(0, 1))
    if result.x is None:  # cannot happen for this program (choosing nothing is feasible); be safe
        return []
    return [item for item, x in zip(items, result.x) if x > 0.5]


#: item types whose display gives away that (and where) a specimen is forged
REVEALING_TYPES = ("family", "technique", "light")


def reveal_last(items: Sequence[Item]) -> list[Item]:
    """``items`` reordered so no item gives away the answer of a later one.

    A ``family``, ``technique`` or ``light`` item highlights the forged area
    of its specimen, which would answer a ``verdict``, ``locate`` or
    ``compare`` item about the same specimen shown after it; such an item is
    moved to just after the last of those. Other items keep their order.

    >>> reveal_last([])
    []
    """
    out = list(items)
    for _ in range(len(out)):
        for i, item in enumerate(out):
            if item.type not in REVEALING_TYPES:
                continue
            later = [j for j in range(i + 1, len(out))
                     if out[j].type not in REVEALING_TYPES and set(out[j].specimens) & set(item.specimens)]
            if later:
                out.insert(later[-1], out.pop(i))
                break
        else:
            break
    return out


def find_item(items: Iterable[Item], item_id: str) -> Item:
    """The item with this id; :class:`~docexam.errors.UnknownNameError` if none."""
    items = list(items)
    for item in items:
        if item.id == item_id:
            return item
    raise UnknownNameError(Message("quiz item"), item_id)
