"""Refreshers between courses: spaced repetition of quiz items with FSRS.

Each (trainee, item) pair has a **card**: a plain JSON-ready dict holding the
FSRS state (``fsrs.Card.to_dict()``) plus the ``item_id``. The persistence
layer stores these dicts as they are; every function here takes cards and
returns *new* dicts, never modifying its input.

* An answer scored correct is reviewed as ``Rating.Good``, a wrong one as
  ``Rating.Again`` (FSRS then shows it again within minutes, and a correct
  one only after the learning steps, then days).
* :func:`due_queue` lists the items due now, most overdue first.
* :func:`readiness` gives per topic the mean FSRS retrievability (the
  predicted probability of answering correctly now) over the topic's items;
  an item never reviewed counts 0, so readiness grows only by practice.

The scheduler runs without interval fuzzing, so the same answers at the same
times always give the same schedule (reproducible tests and reports).
Times must be timezone-aware; they are converted to UTC.

Examples
--------
>>> import datetime as dt
>>> t0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
>>> right = record_review(new_card("p1:verdict", now=t0), correct=True, now=t0)
>>> wrong = record_review(new_card("p2:verdict", now=t0), correct=False, now=t0)
>>> wrong["due"] < right["due"]
True
>>> due_queue([right, wrong], now=t0 + dt.timedelta(minutes=5))
['p2:verdict']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from typing import Iterable, Mapping

from fsrs import Card, Rating, Scheduler

#: the scheduler used everywhere (no fuzzing: reproducible schedules)
SCHEDULER = Scheduler(enable_fuzzing=False)
_FSRS_KEYS = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review")


def _utc(now, name: str = "now") -> _dt.datetime:
    if not isinstance(now, _dt.datetime):
        raise ValueError(f"{name}: expected a datetime, got {now!r}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"{name}: must be timezone-aware (for example datetime.now(timezone.utc))")
    return now.astimezone(_dt.timezone.utc)


def _card_id(item_id: str) -> int:
    # fsrs would use the creation time in ms; a hash of the item id keeps cards reproducible
    return int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:7], "big")


def _to_card(card: Mapping) -> Card:
    if not isinstance(card, Mapping) or "item_id" not in card:
        raise ValueError("card: expected a card dict from new_card() or record_review()")
    try:
        return Card.from_dict({k: card[k] for k in _FSRS_KEYS})
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"card: not a valid card dict ({exc})") from None


def _to_dict(card: Card, item_id: str) -> dict:
    return {"item_id": item_id, **card.to_dict()}


def new_card(item_id: str, *, now: _dt.datetime) -> dict:
    """A fresh card for an item never reviewed, due at ``now``.

    >>> import datetime as dt
    >>> new_card("p1:verdict", now=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))["due"]
    '2025-01-01T00:00:00+00:00'
    """
    if not isinstance(item_id, str) or not item_id:
        raise ValueError("item_id: expected a non-empty item id")
    return _to_dict(Card(card_id=_card_id(item_id), due=_utc(now)), item_id)


def record_review(card: Mapping, *, correct: bool, now: _dt.datetime) -> dict:
    """The card after one answer: correct → ``Rating.Good``, wrong → ``Rating.Again``.

    Parameters
    ----------
    card : dict
        From :func:`new_card` or a previous :func:`record_review`. Not modified.
    correct : bool, keyword-only
        Whether the answer was right (for partial scores, decide with
        :func:`is_correct`).
    now : datetime, keyword-only
        Time of the answer (timezone-aware).

    Returns
    -------
    dict
        The new card; its ``"log"`` key holds the FSRS review log
        (``rating``, ``review_datetime``) for the record.
    """
    if not isinstance(correct, bool):
        raise ValueError(f"correct: expected True or False, got {correct!r}")
    fsrs_card = _to_card(card)
    updated, log = SCHEDULER.review_card(fsrs_card, Rating.Good if correct else Rating.Again, _utc(now))
    out = _to_dict(updated, card["item_id"])
    out["log"] = log.to_dict()
    return out


def is_correct(score: float, *, pass_mark: float = 0.5) -> bool:
    """Whether an item score (0..1) counts as a correct answer for scheduling.

    >>> is_correct(0.5), is_correct(0.4)
    (True, False)
    """
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
        raise ValueError(f"score: expected a number from 0 to 1, got {score!r}")
    if not 0 < pass_mark <= 1:
        raise ValueError(f"pass_mark: expected a number in (0, 1], got {pass_mark!r}")
    return score >= pass_mark


def retrievability(card: Mapping, *, now: _dt.datetime) -> float:
    """FSRS probability of recalling the item at ``now`` (0 for a card never reviewed)."""
    return float(SCHEDULER.get_card_retrievability(_to_card(card), _utc(now)))


def due_queue(cards: Iterable[Mapping], *, now: _dt.datetime, limit: int | None = None) -> list[str]:
    """Item ids due at ``now``, most overdue first (ties: lowest retrievability, then id).

    Parameters
    ----------
    cards : iterable of card dicts
        Not modified. Items without a card (never seen) are not listed: new
        material is the lesson's business, the queue is for refreshing.
    now : datetime, keyword-only
    limit : int, keyword-only
        At most this many ids.
    """
    now = _utc(now)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit: expected a non-negative integer, got {limit!r}")
    due = []
    for card in cards:
        c = _to_card(card)
        if c.due <= now:
            due.append((c.due, SCHEDULER.get_card_retrievability(c, now), card["item_id"]))
    due.sort()
    ids = [item_id for _, _, item_id in due]
    return ids if limit is None else ids[:limit]


def readiness(cards: Iterable[Mapping], topic_items: Mapping[str, Iterable[str]], *,
              now: _dt.datetime) -> dict[str, float]:
    """Per topic, the mean retrievability of its items at ``now`` (unseen items count 0).

    Parameters
    ----------
    cards : iterable of card dicts
        One trainee's cards. Not modified.
    topic_items : mapping
        topic -> item ids of that topic (for example from
        ``lesson_items``). A topic without items has readiness 0.
    now : datetime, keyword-only

    Returns
    -------
    dict
        topic -> readiness 0..1, topics sorted by name.

    >>> import datetime as dt
    >>> t0 = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)
    >>> card = record_review(new_card("a", now=t0), correct=True, now=t0)
    >>> readiness([card], {"mrz": ["a", "b"]}, now=t0 + dt.timedelta(hours=1))  # "b" unseen
    {'mrz': 0.5}
    """
    now = _utc(now)
    by_id = {card["item_id"]: card for card in cards}
    out = {}
    for topic, ids in sorted(topic_items.items()):
        ids = list(dict.fromkeys(ids))
        values = [retrievability(by_id[i], now=now) if i in by_id else 0.0 for i in ids]
        out[topic] = sum(values) / len(values) if values else 0.0
    return out
