"""The drill's rules and clock: arrivals, tools' time, waiting, referrals, two phones at once."""

from __future__ import annotations

import pytest
from test_drill_support import KINDS, drill, scenario

from docexam.drill.engine import Event, replay
from docexam.drill.material import document_kinds, technique_fits
from docexam.drill.scenario import load_scenarios
from docexam.drill.travellers import allocate, plan_queue


def test_queue_follows_the_scenario():
    s = scenario(pattern="steady")
    q = plan_queue(s, kinds=KINDS)
    assert [t.index for t in q] == list(range(20))
    assert q[0].arrival_s == 0.0 and all(a.arrival_s < b.arrival_s for a, b in zip(q, q[1:]))
    # seeded gaps between 0.2 and 3 times the interval
    assert all(6.0 - 0.01 <= b.arrival_s - a.arrival_s <= 90.0 + 0.01 for a, b in zip(q, q[1:]))
    assert {t.document.kind for t in q} == {"passport", "id-card"}
    forged = [t for t in q if t.fraud == "data-alteration"]
    assert len(forged) == 1 and forged[0].document.forge == "data-alteration"
    assert 0.3 <= forged[0].document.severity <= 0.9
    impostor = next(t for t in q if t.fraud == "impostor")
    assert impostor.document.forge is None and impostor.person_seed != impostor.document.seed
    # same scenario and seed: the same queue; another seed: another
    assert plan_queue(s, kinds=KINDS) == q
    assert plan_queue(s, kinds=KINDS, seed=6) != q


def test_queue_uses_only_the_documents_that_exist():
    q = plan_queue(scenario(), kinds={"passport": ("uto-td3",)})
    assert {t.document.template for t in q} == {"uto-td3"}
    with pytest.raises(ValueError, match="no template"):
        plan_queue(scenario(), kinds={"visa-page": ("v",)})


def test_a_technique_that_fits_no_document_becomes_an_impostor():
    q = plan_queue(scenario(), kinds=KINDS, fits=lambda technique, template: False)
    assert sorted(t.fraud for t in q if t.fraud) == ["impostor", "impostor"]


def test_shipped_scenarios_plan_with_the_shipped_templates():
    kinds = document_kinds()
    assert kinds["passport"] and kinds["id-card"]
    for s in load_scenarios():
        q = plan_queue(s, kinds=kinds, fits=technique_fits)
        assert len(q) == s.queue and sum(t.fraud is not None for t in q) == s.fraudulent
        for t in q:
            if t.document.forge:
                assert technique_fits(t.document.forge, t.document.template)


def test_allocate_is_proportional():
    import numpy as np

    assert sorted(allocate(10, {"a": 3, "b": 1, "c": 1}, np.random.default_rng(1))) == ["a"] * 6 + ["b"] * 2 + ["c"] * 2


def test_clock_counts_tools_and_travellers_arrive_with_it():
    d = drill(pattern="steady")
    second = d.queue[1].arrival_s
    state = replay(d, [Event("start", 1, 0.0), Event("call", 1, 0.5, 0)])
    assert state.waiting(0.5) == 0 and state.next_arrival_in(0.5) == pytest.approx(second - 0.5)
    # the UV lamp costs 15 s of the clock: the next traveller comes sooner in real time
    state.apply(Event("tool", 1, 1.0, 0, {"tool": "uv"}))
    assert state.clock(1.0) == pytest.approx(16.0)
    state.apply(Event("decide", 1, 2.0, 0, {"decision": "admit"}))
    assert state.check(Event("call", 1, 2.0, 1)) == ("this traveller has not arrived yet" if second > 18 else None)
    # nobody waiting: a wait jumps to the next arrival
    if state.next_traveller(2.0) is None:
        assert state.apply(Event("wait", 1, 2.0))
        assert state.clock(2.0) == pytest.approx(second)
    assert state.apply(Event("call", 1, 2.5, 1))


def test_rules_refuse_what_a_counter_cannot_do():
    d = drill(extra='tools = ["loupe", "mrz", "question"]')
    state = replay(d, [Event("start", 1, 0.0)])
    assert state.check(Event("call", 2, 1.0, 0)) == "this officer is not in the drill"
    assert state.check(Event("tool", 1, 1.0, 0, {"tool": "mrz"})) == "this traveller is not at your desk"
    state.apply(Event("call", 1, 1.0, 0))
    assert state.check(Event("call", 1, 1.5, 1)) == "finish the traveller at the counter first"
    assert state.check(Event("tool", 1, 2.0, 0, {"tool": "uv"})) == "this post has no 'uv'"
    assert state.check(Event("ask", 1, 2.0, 0, {"question": "shoe size"})) == "no such question"
    assert state.check(Event("decide", 1, 2.0, 0, {"decision": "shrug"})).startswith("a decision is one of")
    assert state.check(Event("decide", 1, 2.0, 0, {"decision": "admit", "note": "x" * 1001})).startswith("a note")
    assert state.check(Event("take", 1, 2.0, 0)) == "only the second-line officer may do this"
    state.apply(Event("end", 1, 3.0))
    assert state.check(Event("decide", 1, 4.0, 0, {"decision": "admit"})) == "the drill is over"


def test_the_shift_ends_on_time():
    d = drill(extra="")
    budget = d.scenario.time_budget_min * 60
    state = replay(d, [Event("start", 1, 0.0)])
    assert not state.finished(budget - 1)
    assert state.check(Event("call", 1, budget + 1, 0)) == "the shift is over"
    assert state.finished(budget + 1)


def test_team_referral_consultation_and_resolution():
    d = drill({1: "first-line", 2: "second-line", 3: "consulted", 4: "first-line"})
    ev = [Event("start", 1, 0.0), Event("call", 1, 1.0, 0), Event("call", 4, 1.0, 0), Event("call", 4, 1.2, 1)]
    state = replay(d, ev)
    # two phones called traveller 0 at once: the first one has them, the other was told why not
    assert state.cases[0].called_by == 1 and state.cases[1].called_by == 4
    assert [why for _e, why in state.skipped] == ["this traveller was called already"]
    state.apply(Event("decide", 1, 5.0, 0, {"decision": "refer", "note": "photo looks younger"}))
    assert [c.traveller.index for c in state.referrals()] == [0]
    assert state.cases[0].outcome == "referred"
    assert state.apply(Event("take", 2, 6.0, 0))
    assert state.referrals() == []
    assert state.apply(Event("tool", 2, 7.0, 0, {"tool": "ir"}))
    assert state.clock(7.0) == pytest.approx(7.0)  # second-line tools do not hold up the counters
    assert state.check(Event("advise", 3, 8.0, 0, {"note": "?"})) == "nobody asked for advice on this traveller"
    assert state.apply(Event("consult", 2, 8.0, 0, {"note": "recruited by an agent?"}))
    assert [c.traveller.index for c in state.consultations()] == [0]
    assert state.apply(Event("advise", 3, 9.0, 0, {"note": "debt bondage indicators: interview apart"}))
    assert state.consultations() == []
    assert state.check(Event("resolve", 2, 10.0, 0, {"decision": "refer"})) == "the second line decides admit or refuse"
    assert state.apply(Event("resolve", 2, 10.0, 0, {"decision": "refuse", "note": "impostor"}))
    c = state.cases[0]
    assert (c.outcome, c.note, c.resolution_note) == ("refuse", "photo looks younger", "impostor")
    assert c.second_line_time_s == pytest.approx(4.0 + 15.0)
    assert c.advice[0][2] == "debt bondage indicators: interview apart"
