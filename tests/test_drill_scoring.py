"""Scoring a drill: scripted officers with answers computed by hand.

The test queue has 20 travellers, 2 of them fraudulent. d′ and c use the
log-linear correction (0.5 added to each count, 1 to each total):

* admits everyone: H = 0, M = 2, FA = 0, CR = 18;
  hit rate 0.5/3 = 0.16667, z = −0.96742; false-referral rate 0.5/19 = 0.026316, z = −1.93793;
  d′ = −0.96742 + 1.93793 = 0.97051; c = −(−0.96742 − 1.93793)/2 = 1.45268.
* refers everyone: H = 2, FA = 18; rates 2.5/3 = 0.83333 (z = 0.96742) and 18.5/19 = 0.97368
  (z = 1.93793); d′ = −0.97051; c = −1.45268.
* perfect: H = 2, FA = 0; rates 0.83333 and 0.026316; d′ = 0.96742 + 1.93793 = 2.90535;
  c = −(0.96742 − 1.93793)/2 = 0.48525.
"""

from __future__ import annotations

import pytest
from test_drill_support import drill, played, scripted

from docexam.drill.catalogue import careful_tools
from docexam.drill.engine import Event, replay
from docexam.drill.scoring import debrief, final_score, score_state


@pytest.fixture(scope="module")
def d():
    return drill()


def test_the_queue_has_two_fraudulent_travellers(d):
    assert len(d.queue) == 20
    assert sorted(t.fraud for t in d.queue if t.fraud) == ["data-alteration", "impostor"]


def test_an_officer_who_admits_everyone(d):
    state = played(d, lambda t: ("admit", []), seconds=10.0)
    s = score_state(state)
    assert (s.decided, s.hits, s.misses, s.false_referrals, s.correct_admissions) == (20, 0, 2, 0, 18)
    assert s.hit_rate == 0.0 and s.false_referral_rate == 0.0
    assert s.d_prime == pytest.approx(0.97051, abs=1e-5)
    assert s.criterion == pytest.approx(1.45268, abs=1e-5)
    # 10 s between call and decision, no tools
    assert s.mean_time_s == pytest.approx(10.0) and s.median_time_s == pytest.approx(10.0)
    assert s.tools_per_decision == 0.0 and s.tool_counts == {} and s.careful_on_fraud == 0
    assert s.accuracy == pytest.approx(18 / 20)


def test_an_officer_who_refers_everyone_after_the_uv_lamp(d):
    state = played(d, lambda t: ("refer", ["uv"]), seconds=20.0)
    s = score_state(state)
    assert (s.hits, s.misses, s.false_referrals, s.correct_admissions) == (2, 0, 18, 0)
    assert s.d_prime == pytest.approx(-0.97051, abs=1e-5)
    assert s.criterion == pytest.approx(-1.45268, abs=1e-5)
    # 20 s at the counter plus the UV lamp's 15 s, every time
    assert s.mean_time_s == pytest.approx(35.0)
    assert s.tools_per_decision == 1.0 and s.tool_counts == {"uv": 20}
    # the UV lamp is a careful examiner's tool for an altered field, not for an impostor
    assert s.careful_on_fraud == 1


def test_a_perfect_officer(d):
    def perfect(t):
        if t.fraud == "impostor":
            return "refuse", ["question:date_of_birth"]   # 20 s
        if t.fraud:
            return "refer", ["reference", "uv"]          # 15 + 15 s
        return "admit", ["mrz"]                          # 20 s
    state = played(d, perfect, seconds=30.0)
    s = score_state(state)
    assert (s.hits, s.misses, s.false_referrals, s.correct_admissions) == (2, 0, 0, 18)
    assert s.hit_rate == 1.0 and s.false_referral_rate == 0.0
    assert s.d_prime == pytest.approx(2.90535, abs=1e-5)
    assert s.criterion == pytest.approx(0.48525, abs=1e-5)
    # 18 x (30 + 20) + (30 + 20) + (30 + 30) = 1010 s over 20 travellers
    assert s.mean_time_s == pytest.approx(50.5)
    assert s.median_time_s == pytest.approx(50.0)
    assert s.tools_per_decision == pytest.approx(21 / 20)
    assert s.tool_counts == {"mrz": 18, "question": 1, "reference": 1, "uv": 1}
    assert s.careful_on_fraud == 2
    # the shift's clock: 20 x 31 s of real time plus 410 s of tools
    assert state.clock(state.cases[-1].decided_at) == pytest.approx(20 * 31 + 18 * 20 + 20 + 30)


def test_debrief_names_what_a_careful_examiner_looks_at(d):
    state = played(d, lambda t: ("admit", ["mrz"]), seconds=10.0)
    rows = {r.traveller: r for r in debrief(state)}
    impostor = next(t for t in d.queue if t.fraud == "impostor")
    altered = next(t for t in d.queue if t.fraud == "data-alteration")
    assert rows[impostor.index].verdict == "miss"
    assert rows[impostor.index].careful == ("photo", "question")
    assert rows[impostor.index].missed_tools == ("question",)
    # the forger may have changed the MRZ too, or left it behind: the MRZ is part of a careful look
    assert rows[altered.index].careful == careful_tools("data-alteration") == ("reference", "mrz", "uv")
    assert rows[altered.index].missed_tools == ("reference", "uv")
    genuine = next(t for t in d.queue if t.fraud is None)
    assert rows[genuine.index].verdict == "correct admission" and rows[genuine.index].missed_tools == ()
    assert rows[genuine.index].time_s == pytest.approx(30.0)  # 10 s plus the MRZ reader's 20 s


def test_travellers_not_called_before_the_end_are_not_misses(d):
    events = scripted(d, lambda t: ("admit", []))[:1 + 2 * 5]  # start, then 5 travellers
    events.append(Event("end", 1, events[-1].at + 1))
    state = replay(d, events)
    s = score_state(state)
    assert s.decided == 5 and s.not_seen == 15
    assert state.finished(events[-1].at)


def test_team_score_counts_where_a_referral_ended():
    d = drill({1: "first-line", 2: "second-line"})
    impostor = next(t for t in d.queue if t.fraud == "impostor")
    genuine = next(t for t in d.queue if t.fraud is None)
    first, second = sorted((impostor, genuine), key=lambda t: t.index)
    events = [Event("start", 1, 0.0)]
    t = 0.0
    for trav in d.queue[: max(first.index, second.index) + 1]:
        t += 1
        events.append(Event("call", 1, t, trav.index))
        t += 5
        decision = "refer" if trav in (first, second) else "admit"
        events.append(Event("decide", 1, t, trav.index, {"decision": decision, "note": "check the photo"}))
    # the second line releases the genuine traveller and refuses the impostor
    for trav in (first, second):
        t += 1
        events.append(Event("take", 2, t, trav.index))
        t += 30
        events.append(Event("resolve", 2, t, trav.index, {"decision": "refuse" if trav.fraud else "admit"}))
    state = replay(d, events)
    assert not state.skipped
    first_line = score_state(state)
    assert (first_line.hits, first_line.false_referrals) == (1, 1)
    final = final_score(state)
    # the referred impostor stays a hit (refused), the referred genuine traveller was admitted after all
    assert (final.hits, final.false_referrals, final.misses) == (1, 0, first_line.misses)
    assert final.correct_admissions == first_line.correct_admissions + 1
    assert final.decided == first_line.decided
