"""Drills in the training record: sessions, roles, events checked against the replayed drill,
resends stored once, two phones at once, append-only, threshold trials."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
import sqlalchemy as sa
from test_drill_support import KINDS, scenario

from docexam.drill.scoring import score_state
from docexam.drill.travellers import plan_queue
from docexam.training import TrainingRecord
from docexam.training.drills import DrillRefusedError
from docexam.training.errors import DuplicateError, InvalidValueError

T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.timezone.utc)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def record(db_url):
    with TrainingRecord.open(db_url) as r:
        yield r


def officers(record, n: int):
    return [record.register_trainee(name=f"Officer {i}", department="Immigration", province="Koh Kong", pin="4821")
            for i in range(n)]


def new_drill(record, creator, *, team=False):
    s = scenario()
    return record.create_drill(scenario=s, queue=plan_queue(s, kinds=KINDS), created_by=creator.id, team=team)


def send(record, session, officer, kind, traveller=None, detail=None, t=0.0, uid=None):
    return record.record_drill_event(uuid=uid or str(uuid.uuid4()), session_id=session.id, trainee_id=officer.id,
                                     kind=kind, traveller=traveller, detail=detail, at=at(t))


def test_a_solo_drill_started_as_it_is_made_is_one_write_with_its_start(record):
    (me,) = officers(record, 1)
    s = scenario()
    session = record.create_drill(scenario=s, queue=plan_queue(s, kinds=KINDS), created_by=me.id, started_at=at(0))
    state = record.drill_state(session.id)
    assert state.started_at == at(0).timestamp() and [e.kind for e in record.drill_events(session.id)] == ["start"]
    send(record, session, me, "call", 0, t=1)  # the drill goes on as if "start" had been sent
    assert record.drill_state(session.id).cases[0].called_by == me.id
    with pytest.raises(InvalidValueError):  # a team drill starts when the team is in, from its lobby
        record.create_drill(scenario=s, queue=plan_queue(s, kinds=KINDS), created_by=me.id, team=True,
                            started_at=at(0))


def test_a_solo_drill_is_stored_and_replayed(record):
    (me,) = officers(record, 1)
    session = new_drill(record, me)
    assert len(session.code) == 6 and session.queue[0].index == 0
    assert record.drill_session(session.code) == session and record.drill_session(session.id) is not None
    send(record, session, me, "start")
    for i in range(3):
        send(record, session, me, "call", i, t=10 * i + 1)
        send(record, session, me, "tool", i, {"tool": "mrz"}, t=10 * i + 2)
        send(record, session, me, "decide", i, {"decision": "admit"}, t=10 * i + 6)
    state = record.drill_state(session.id)
    s = score_state(state)
    assert s.decided == 3 and s.mean_time_s == pytest.approx(5 + 20)
    assert record.drill_version(session.id) == (len(record.drill_events(session.id)), 1)
    assert [e.kind for e in record.drill_events(session.id, after=8)] == ["tool", "decide"]
    assert [d.id for d in record.drill_sessions(trainee_id=me.id)] == [session.id]


def test_an_event_the_drill_does_not_allow_is_refused_and_not_stored(record):
    (me,) = officers(record, 1)
    session = new_drill(record, me)
    with pytest.raises(DrillRefusedError, match="has not started"):
        send(record, session, me, "call", 0)
    send(record, session, me, "start")
    with pytest.raises(DrillRefusedError, match="this post has no|not at your desk"):
        send(record, session, me, "tool", 0, {"tool": "uv"})
    assert [e.kind for e in record.drill_events(session.id)] == ["start"]


def test_a_resend_is_stored_once(record):
    (me,) = officers(record, 1)
    session = new_drill(record, me)
    uid = str(uuid.uuid4())
    first = send(record, session, me, "start", uid=uid)
    again = send(record, session, me, "start", uid=uid)
    assert first == again and len(record.drill_events(session.id)) == 1
    with pytest.raises(DuplicateError):
        send(record, session, me, "end", uid=uid)


def test_team_roles_and_a_referral_passed_to_the_second_line(record):
    a, b, c, d = officers(record, 4)
    session = new_drill(record, a, team=True)
    roles = record.join_drill(session.id, b.id, "second-line")
    assert roles == {a.id: "first-line", b.id: "second-line"}
    with pytest.raises(InvalidValueError, match="has a second-line officer already"):
        record.join_drill(session.id, c.id, "second-line")
    record.join_drill(session.id, c.id, "consulted")
    assert record.join_drill(session.id, c.id, "first-line")[c.id] == "consulted"  # keeps the first role
    send(record, session, a, "start")
    send(record, session, a, "call", 0, t=1)
    send(record, session, a, "decide", 0, {"decision": "refer", "note": "photo does not match"}, t=20)
    state = record.drill_state(session.id)
    assert [x.traveller.index for x in state.referrals()] == [0] and state.cases[0].note == "photo does not match"
    send(record, session, b, "take", 0, t=25)
    send(record, session, b, "consult", 0, {"note": "agent paid the ticket"}, t=30)
    send(record, session, c, "advise", 0, {"note": "interview apart"}, t=40)
    send(record, session, b, "resolve", 0, {"decision": "refuse"}, t=50)
    assert record.drill_state(session.id).cases[0].outcome == "refuse"
    with pytest.raises(InvalidValueError, match="not a team drill"):
        record.join_drill(new_drill(record, a).id, d.id, "first-line")


def test_two_phones_calling_the_same_traveller_at_once(record):
    officers_ = officers(record, 6)
    session = new_drill(record, officers_[0], team=True)
    for o in officers_[1:]:
        record.join_drill(session.id, o.id, "first-line")
    send(record, session, officers_[0], "start")
    results, barrier = [], threading.Barrier(len(officers_))

    def call(o):
        barrier.wait()
        try:
            send(record, session, o, "call", 0, t=1)
            results.append(o.id)
        except DrillRefusedError as exc:
            results.append(str(exc))
    threads = [threading.Thread(target=call, args=(o,)) for o in officers_]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1
    assert sorted(r for r in results if isinstance(r, str)) == ["this traveller was called already"] * 5
    assert record.drill_state(session.id).cases[0].called_by == winners[0]


def test_events_and_trials_are_append_only(record):
    (me,) = officers(record, 1)
    session = new_drill(record, me)
    send(record, session, me, "start")
    run = str(uuid.uuid4())
    record.record_threshold_trial(uuid=str(uuid.uuid4()), run_uid=run, trainee_id=me.id,
                                  technique="photo-substitution", severity=0.5, correct=True)
    for table in ("drill_events", "threshold_trials"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with record.write() as conn:
                conn.execute(sa.text(f"UPDATE {table} SET trainee_id = trainee_id"))
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with record.write() as conn:
                conn.execute(sa.text(f"DELETE FROM {table}"))


def test_threshold_trials_by_officer_technique_and_run(record):
    a, b = officers(record, 2)
    run = str(uuid.uuid4())
    uid = str(uuid.uuid4())
    for n, (sev, ok) in enumerate([(0.5, True), (0.35, True), (0.25, False)]):
        record.record_threshold_trial(uuid=uid if n == 0 else str(uuid.uuid4()), run_uid=run, trainee_id=a.id,
                                      technique="missing-microprint", severity=sev, correct=ok, form="pre",
                                      answered_at=at(n))
    # a resend stores nothing more; the same uuid with another answer is refused
    record.record_threshold_trial(uuid=uid, run_uid=run, trainee_id=a.id, technique="missing-microprint",
                                  severity=0.5, correct=True, form="pre")
    with pytest.raises(DuplicateError):
        record.record_threshold_trial(uuid=uid, run_uid=run, trainee_id=a.id, technique="missing-microprint",
                                      severity=0.5, correct=False)
    with pytest.raises(InvalidValueError, match="severity"):
        record.record_threshold_trial(uuid=str(uuid.uuid4()), run_uid=run, trainee_id=a.id,
                                      technique="missing-microprint", severity=1.5, correct=False)
    trials = record.threshold_trials(trainee_id=a.id)
    assert [(t.severity, t.correct, t.form) for t in trials] == [(0.5, True, "pre"), (0.35, True, "pre"),
                                                                 (0.25, False, "pre")]
    assert record.threshold_trials(trainee_id=b.id) == []
    assert len(record.threshold_trials(run_uid=run)) == 3
    # a merged officer's trials read as the record kept
    record.merge_trainees(a.id, b.id)
    assert {t.trainee_id for t in record.threshold_trials(trainee_id=b.id)} == {b.id}


def test_key_results_show_the_workshops_drills_and_thresholds(record):
    from docexam.training.report import csv_rows, to_html

    ws = record.create_workshop(title="Drills", place="Poipet", province="Banteay Meanchey",
                                start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3))
    a, b = officers(record, 2)
    for o in (a, b):
        record.join_workshop(o.id, ws.code)
    s = scenario()
    queue = plan_queue(s, kinds=KINDS)
    fraud = {t.index for t in queue if t.fraud}
    for o, perfect in ((a, True), (b, False)):
        session = record.create_drill(scenario=s, queue=queue, created_by=o.id, workshop_id=ws.id)
        send(record, session, o, "start")
        for i in range(12):  # the first fraud of the queue is traveller 10
            send(record, session, o, "call", i, t=10 * i + 1)
            decision = "refuse" if (i in fraud and perfect) else "admit"
            send(record, session, o, "decide", i, {"decision": decision}, t=10 * i + 9)
    run = {}
    for o, (pre, post) in ((a, (0.7, 0.4)), (b, (0.6, 0.5))):
        for form, level in (("pre", pre), ("post", post)):
            run[o.id, form] = str(uuid.uuid4())
            # 40 trials: right above the officer's level, wrong below (a sharp observer)
            for n in range(40):
                sev = round(0.05 * (n % 21), 2)
                record.record_threshold_trial(uuid=str(uuid.uuid4()), run_uid=run[o.id, form], trainee_id=o.id,
                                              workshop_id=ws.id, technique="photo-substitution", severity=sev,
                                              correct=sev >= level, form=form, answered_at=at(n + (0 if form == "pre" else 1000)))
    kr = record.key_results(ws.code)
    dr = kr.drills
    assert dr.drills == 2 and dr.officers == 2
    assert len(fraud & set(range(12))) == 1
    assert dr.score.decided == 24 and (dr.score.hits, dr.score.misses, dr.score.false_referrals) == (1, 1, 0)
    assert dr.score.mean_time_s == pytest.approx(8.0)
    (thr,) = dr.thresholds
    assert thr.technique == "photo-substitution" and thr.officers == 2 and thr.paired == 2
    assert thr.mean_pre == pytest.approx(0.65, abs=0.05) and thr.mean_post == pytest.approx(0.45, abs=0.05)
    assert thr.mean_gain == pytest.approx(0.2, abs=0.05)
    rows = {(r[1], r[2]): r[3] for r in csv_rows(kr) if r[0] in ("drills", "thresholds")}
    assert rows["checkpoint drills played", "all"] == "2"
    assert rows["travellers decided", "all"] == "24"
    assert rows["officers measured", "technique=photo-substitution"] == "2"
    page = to_html(kr)
    assert "<h2>Checkpoint drills</h2>" in page and "Detection thresholds" in page
