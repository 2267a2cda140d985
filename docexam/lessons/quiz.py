"""Drawing a practice quiz from items, and ordering items so none gives another away."""

from __future__ import annotations

import random
from typing import Iterable, Sequence

from ..errors import UnknownNameError
from .quiz_item import Item


def draw_quiz(items: Sequence[Item], *, seed: int, count: int | None = None) -> list[Item]:
    """A quiz drawn from ``items``: reproducible from ``seed``, mixing item types, each specimen once.

    Item types take turns (in an order drawn from the seed) so a short quiz
    is not all one kind of question. A specimen is shown at most once per
    quiz (its second question would be answered by the first, or by its
    feedback) while items about unseen specimens remain; only then are the
    others added. Finally :func:`reveal_last` makes sure no item gives away
    the answer of a later one.

    Parameters
    ----------
    items : sequence of Item
        Not modified; their order does not matter.
    seed : int, keyword-only
    count : int, keyword-only
        How many items (default all).

    Examples
    --------
    >>> draw_quiz([], seed=1)
    []
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed: expected an integer, got {seed!r}")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise ValueError(f"count: expected a non-negative integer, got {count!r}")
    rng = random.Random(seed)
    by_type: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda it: it.id):
        by_type.setdefault(item.type, []).append(item)
    for group in by_type.values():
        rng.shuffle(group)
    order = sorted(by_type)
    rng.shuffle(order)
    fresh: list[Item] = []
    repeats: list[Item] = []
    shown: set[str] = set()
    while any(by_type.values()):
        for t in order:
            group = by_type[t]
            # the next item of this type about a specimen not shown yet, if there is one
            pick = next((i for i in range(len(group) - 1, -1, -1) if not shown & set(group[i].specimens)), None)
            if pick is None:
                repeats += reversed(group)
                group.clear()
                continue
            item = group.pop(pick)
            shown.update(item.specimens)
            fresh.append(item)
    out = fresh + repeats
    return reveal_last(out if count is None else out[:count])


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
    raise UnknownNameError("quiz item", item_id)
