"""The app's thread that puts threshold trials together ahead of the answer: order, dropping, waiting, counts.

Items are strings and ``make`` notes them (no pictures): the queue's
behaviour, not the trials' (``test_ui_drill_readiness.py`` has those).
"""

from __future__ import annotations

import threading
import time

from docexam.drill.assembler import Assembler


def _until_running(a: Assembler, item) -> None:
    deadline = time.monotonic() + 30
    while not a.whereabouts(item).startswith("running:") and time.monotonic() < deadline:
        time.sleep(0.01)


class Maker:
    """``make`` for the tests: notes each item and its thread; holds while ``gate`` is closed; fails on ``bad``."""

    def __init__(self):
        self.made: list = []
        self.threads: list = []
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, item):
        if item == "slow":
            self.gate.wait(30)
        if item == "bad":
            raise ValueError("bad cannot be made")
        self.made.append(item)
        self.threads.append(threading.current_thread().name)

    def ready(self, item) -> bool:
        return item in self.made


def test_items_are_made_ahead_in_order_and_an_answer_drops_the_other_outcome():
    m = Maker()
    timed = []
    a = Assembler(m, ready=m.ready, log=timed.append, threads=1)
    try:
        m.gate.clear()
        a.request(["slow"])                                  # holds the thread
        _until_running(a, "slow")
        a.request(["right-1", "wrong-1"], group="run")       # the two trials that may follow trial 1
        assert a.whereabouts("right-1").startswith("queued:") and a.whereabouts("right-1").endswith(":1")
        assert a.whereabouts("wrong-1").endswith(":2")            # behind the one made and right-1
        assert a.whereabouts("never") == "unasked"
        # the officer answered right: trial 2 is right-1, whose followers are asked for; wrong-1 is not needed
        a.request(["right-1"], group="run")
        a.request(["right-2", "wrong-2"], group="run")       # ... and right-1 itself was shown (made) meanwhile
        assert a.stats.dropped == 2 and a.whereabouts("wrong-1") == "unasked"
        a.request(["other-run"], group="run-b")              # another officer's run is not touched
        m.gate.set()
        assert a.idle(timeout=30)
    finally:
        a.close()
    assert m.made == ["slow", "right-2", "wrong-2", "other-run"]
    assert set(m.threads) == {"docexam-assemble-0"} and a.stats.ahead == 4 and a.stats.waited == 0
    assert [t.key for t in timed] == ["assemble:slow", "assemble:right-2", "assemble:wrong-2", "assemble:other-run"]
    assert all(t.ok for t in timed) and timed[1].queued > 0


def test_waiting_makes_a_queued_item_at_once_and_joins_one_being_made():
    m = Maker()
    a = Assembler(m, ready=m.ready, threads=1)
    try:
        m.gate.clear()
        a.request(["slow", "queued"])
        _until_running(a, "slow")
        assert a.wait("queued", timeout=30)                 # not behind "slow": made in this thread, now
        assert m.threads == ["MainThread"] and a.stats.waited == 1
        threading.Timer(0.3, m.gate.set).start()
        assert a.wait("slow", timeout=30)                   # being made by the thread: joined, not made twice
        assert m.made == ["queued", "slow"] and a.stats.waited == 2
        assert a.wait("slow") and a.stats.waited == 2       # made already: no wait counted
    finally:
        a.close()


def test_a_failing_item_is_counted_not_raised_and_without_a_thread_nothing_is_made_ahead():
    m = Maker()
    a = Assembler(m, ready=m.ready, threads=0)
    a.request(["ahead", "bad"])
    assert m.made == [] and a.whereabouts("ahead") == "unasked"
    assert a.wait("ahead") and m.made == ["ahead"] and m.threads == ["MainThread"]
    assert a.wait("bad") is False and a.stats.failed == 1
    a.close()
