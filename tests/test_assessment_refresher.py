"""Refreshers with FSRS: wrong answers come back sooner; due queue; readiness; JSON cards."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from docexam.assessment.refresher import (due_queue, is_correct, new_card, readiness, record_review,
                                          retrievability)

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def answered(item_id: str, *outcomes: bool, start=T0, step=dt.timedelta(days=1)) -> dict:
    card, now = new_card(item_id, now=start), start
    for ok in outcomes:
        card = record_review(card, correct=ok, now=now)
        now += step
    return card


def due(card) -> dt.datetime:
    return dt.datetime.fromisoformat(card["due"])


def test_wrong_answer_is_due_sooner_than_right_one():
    right, wrong = answered("a", True), answered("b", False)
    assert due(wrong) < due(right)
    assert right["log"]["rating"] == 3 and wrong["log"]["rating"] == 1  # Good, Again
    # after a few correct answers the interval grows to days; one slip brings it back
    good = answered("c", True, True, True)
    slip = answered("d", True, True, False)
    assert due(good) - T0 > dt.timedelta(days=3) > due(slip) - T0


def test_due_queue_order():
    cards = [answered("late", True, start=T0 - dt.timedelta(days=30)),   # reviewed long ago
             answered("wrong", False),                                    # due in minutes
             answered("right", True, True, True),                         # due in days
             new_card("fresh", now=T0 + dt.timedelta(minutes=30))]
    now = T0 + dt.timedelta(hours=1)
    assert due_queue(cards, now=now) == ["late", "wrong", "fresh"]
    assert due_queue(cards, now=now, limit=1) == ["late"]
    assert due_queue(cards, now=T0 - dt.timedelta(days=40)) == []


def test_cards_are_json_and_inputs_not_modified():
    card = new_card("x:verdict", now=T0)
    frozen = json.dumps(card)
    after = record_review(json.loads(frozen), correct=True, now=T0)
    assert json.dumps(card) == frozen
    assert json.loads(json.dumps(after)) == after and after["item_id"] == "x:verdict"
    # the same answers at the same times give the same schedule (no fuzzing, stable card id)
    assert answered("x:verdict", True, False, True) == answered("x:verdict", True, False, True)


def test_readiness_counts_unseen_items_as_zero():
    cards = [answered("a", True), answered("b", True)]
    now = T0 + dt.timedelta(days=2)
    r_a = retrievability(cards[0], now=now)
    assert 0 < r_a < 1
    result = readiness(cards, {"mrz": ["a", "b", "c", "d"], "uv-ir": ["e"], "empty": []}, now=now)
    assert result["mrz"] == pytest.approx(2 * r_a / 4)
    assert result["uv-ir"] == 0.0 and result["empty"] == 0.0
    assert list(result) == ["empty", "mrz", "uv-ir"]


def test_bad_arguments():
    with pytest.raises(ValueError, match="now"):
        new_card("a", now=dt.datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="correct"):
        record_review(new_card("a", now=T0), correct=1, now=T0)
    with pytest.raises(ValueError, match="card"):
        record_review({"due": "x"}, correct=True, now=T0)
    assert is_correct(1.0) and not is_correct(0.25) and is_correct(0.25, pass_mark=0.25)
    with pytest.raises(ValueError, match="score"):
        is_correct(2)
