"""The training record on SQLite and PostgreSQL: integrity, concurrency, crashes, migrations, exchange.

Every test runs on both backends. The PostgreSQL runs use the server named
by DOCEXAM_TEST_POSTGRES_URL (scripts/test starts one), each test in a
schema of its own so that ``pytest -n 2`` runs them side by side.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sqlite3
import sys
import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from docexam.errors import InputFileError
from docexam.training import (DuplicateError, InvalidValueError, LockedOutError, NotEnrolledError, TrainingRecord,
                              UnknownWorkshopError, WrongPinError)
from docexam.training import kdf, schema
from docexam.training.exchange import export_data
from docexam.training.report import key_results, to_csv

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def fast_kdf(request, monkeypatch):
    """A cheap PIN hash, except in tests that ask for :func:`real_kdf`."""
    if "real_kdf" not in request.fixturenames:
        monkeypatch.setattr(kdf, "SCRYPT_N", 2**8)


@pytest.fixture
def real_kdf():
    """The real scrypt cost, as trainees' phones and the workshop laptop pay it."""


@pytest.fixture
def record(db_url):
    with TrainingRecord.open(db_url) as rec:
        yield rec


def _workshop(record, code=None):
    return record.create_workshop(title="Document examination, level 1", place="Poipet",
                                  province="Banteay Meanchey", start_date=dt.date(2025, 3, 3),
                                  end_date=dt.date(2025, 3, 5), trainers=["Sok Dara", "Jane Roe"], code=code)


def _attempt(record, trainee, workshop, item="mrz-01", form="pre", score=1.0, **kw):
    values = dict(uuid=str(uuid.uuid4()), trainee_id=trainee.id, workshop_id=workshop.id, item_id=item,
                  item_type="verdict", topic="mrz", form=form, score=score, correct=score >= 0.5,
                  answer={"verdict": "forged"}, specimen_genuine=False)
    values.update(kw)
    return record.record_attempt(**values)


def _count(record, table) -> int:
    with record.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(table))


def _all_at_once(n: int, call) -> list:
    """Run ``call`` in ``n`` threads released together; returns the exceptions raised."""
    errors, barrier = [], threading.Barrier(n)

    def run():
        barrier.wait()
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on it
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_first_opening_applies_each_revision_once(db_url):
    assert _all_at_once(6, lambda: TrainingRecord.open(db_url).close()) == []
    with TrainingRecord.open(db_url) as rec, rec.engine.connect() as conn:
        assert conn.scalars(sa.text("SELECT version_num FROM alembic_version")).all() == [schema.head()]
        # revision 0003's row, written once
        assert conn.scalars(sa.select(schema.schema_version.c.version)).all() == [3]


# ------------------------------------------------------ records and errors

def test_trainees_pins_and_workshops(record, real_kdf):
    ws = _workshop(record, code="kpt-2025-03")
    assert ws.code == "KPT-2025-03"
    me = record.register_trainee(name="Sok  Chea", department="Immigration", province="Koh Kong",
                                 rank="Captain", pin="4821")
    assert me.name == "Sok Chea"
    with pytest.raises(DuplicateError, match="already registered"):
        record.register_trainee(name="sok chea", department="immigration", province="KOH KONG", pin="1111")
    with pytest.raises(InvalidValueError, match="pin: must be 4 to 12 digits"):
        record.register_trainee(name="B", department="Immigration", province="Koh Kong", pin="12a4")
    assert record.find_trainee(name="SOK CHEA", department="Immigration", province="koh kong") == me
    with record.engine.connect() as conn:  # never the PIN itself
        stored = conn.scalar(sa.select(schema.trainees.c.pin_hash))
    assert "4821" not in stored and stored.startswith("scrypt$")
    assert record.authenticate(me.id, "4821") == me
    with pytest.raises(WrongPinError):
        record.authenticate(me.id, "4822")
    assert record.join_workshop(me.id, "kpt-2025-03") == ws
    assert record.join_workshop(me.id, "KPT-2025-03") == ws  # again: harmless
    assert record.trainees(ws.id) == [me]
    with pytest.raises(UnknownWorkshopError, match="unknown workshop 'NOPE'"):
        record.join_workshop(me.id, "NOPE")
    with pytest.raises(DuplicateError, match="already used"):
        _workshop(record, code="KPT-2025-03")
    assert record.workshop(ws.id) == ws


def test_lockout_after_repeated_wrong_pins(record, monkeypatch):
    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    from docexam.training import record as record_module
    for _ in range(record_module.MAX_FAILED_PINS):
        with pytest.raises(WrongPinError):
            record.authenticate(me.id, "0000")
    with pytest.raises(LockedOutError, match="too many wrong PINs"):
        record.authenticate(me.id, "1234")  # even the right PIN waits
    record.set_pin(me.id, "5678")  # the trainer resets it
    assert record.authenticate(me.id, "5678") == me


def test_trainer_passphrase(record):
    assert not record.has_trainer_passphrase()
    assert not record.check_trainer_passphrase("anything at all")
    record.set_trainer_passphrase("blue heron at dawn")
    assert record.check_trainer_passphrase("blue heron at dawn")
    assert not record.check_trainer_passphrase("blue heron at dusk")
    with pytest.raises(InvalidValueError):
        record.set_trainer_passphrase("short")


def test_attempts_are_idempotent_validated_and_append_only(record):
    ws = _workshop(record)
    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    other = record.register_trainee(name="B", department="Immigration", province="Koh Kong", pin="1234")
    record.join_workshop(me.id, ws.code)
    first = _attempt(record, me, ws, uuid="6F9619FF-8B86-D011-B42D-00C04FC964FF")
    assert first.uuid == "6f9619ff-8b86-d011-b42d-00c04fc964ff" and not first.resubmitted
    again = _attempt(record, me, ws, uuid=first.uuid)
    assert again.resubmitted and again == first
    with pytest.raises(DuplicateError, match="different answer"):
        _attempt(record, me, ws, uuid=first.uuid, score=0.0)
    bad = [dict(score=1.5), dict(score=-0.1), dict(form="final"), dict(uuid="not-a-uuid"),
           dict(correct="yes"), dict(item_id=""), dict(answer={"x": float("nan")}),
           dict(answered_at=dt.datetime(2025, 3, 3, 9, 0))]
    for kw in bad:
        with pytest.raises(InvalidValueError):
            _attempt(record, me, ws, **kw)
    with pytest.raises(NotEnrolledError, match="has not joined workshop"):
        _attempt(record, other, ws)
    assert _count(record, schema.attempts) == 1
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with record.engine.begin() as conn:
            conn.execute(schema.attempts.delete())
    assert [a.uuid for a in record.attempts_for(workshop_id=ws.id, form="pre")] == [first.uuid]


def test_reviews_due_queue(record):
    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    now = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.timezone.utc)
    record.record_review(me.id, "mrz-01", card={"state": 2}, due=now - dt.timedelta(days=2), topic="mrz")
    record.record_review(me.id, "uv-03", card={"state": 2}, due=now - dt.timedelta(hours=1), topic="uv-ir")
    record.record_review(me.id, "print-07", card={"state": 2}, due=now + dt.timedelta(days=1), topic="printing")
    assert [r.item_id for r in record.due_items(me.id, now=now)] == ["mrz-01", "uv-03"]
    # answered again: the state is replaced, not duplicated
    record.record_review(me.id, "mrz-01", card={"state": 3}, due=now + dt.timedelta(days=6), topic="mrz")
    assert [r.item_id for r in record.due_items(me.id, now=now)] == ["uv-03"]
    states = record.review_states(me.id)
    assert len(states) == 3 and states[-1].card == {"state": 3}
    assert states[-1].due == now + dt.timedelta(days=6)


def test_an_answer_and_its_card_are_stored_in_one_transaction(record):
    ws = _workshop(record)
    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    record.join_workshop(me.id, ws.code)
    due = dt.datetime(2025, 3, 12, 8, 0, tzinfo=dt.timezone.utc)
    commits = []

    def count(_conn):
        commits.append(1)

    sa.event.listen(record.engine, "commit", count)
    try:
        first = _attempt(record, me, ws, item="uv-03", review={"state": 2, "due": due.isoformat()},
                         review_topic="uv-ir")
        assert len(commits) == 1  # one commit for both
        [state] = record.review_states(me.id)
        assert (state.item_id, state.topic, state.due, state.card["state"]) == ("uv-03", "uv-ir", due, 2)
        # the same answer sent again changes nothing, its card included
        again = record.record_attempt(uuid=first.uuid, trainee_id=me.id, workshop_id=ws.id, item_id="uv-03",
                                      item_type="verdict", topic="mrz", form="pre", score=1.0, correct=True,
                                      answer={"verdict": "forged"}, specimen_genuine=False,
                                      review={"state": 9, "due": due.isoformat()})
        assert again.id == first.id and record.review_states(me.id)[0].card["state"] == 2
    finally:
        sa.event.remove(record.engine, "commit", count)
    with pytest.raises(InvalidValueError, match="due"):  # a bad card: nothing is stored, the answer neither
        _attempt(record, me, ws, item="p3", review={"state": 1})
    assert [a.item_id for a in record.attempts_for(trainee_id=me.id)] == ["uv-03"]


def test_reviews_store_fsrs_cards_as_given(record):
    from docexam.assessment import refresher

    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    t0 = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.timezone.utc)
    for item, correct in (("p1:verdict", True), ("p2:verdict", False)):
        card = refresher.record_review(refresher.new_card(item, now=t0), correct=correct, now=t0)
        record.record_review(me.id, item, card=card, topic="mrz")  # due taken from the card
    later = t0 + dt.timedelta(minutes=5)
    cards = [r.card for r in record.review_states(me.id)]
    assert [r.item_id for r in record.due_items(me.id, now=later)] == refresher.due_queue(cards, now=later)
    with pytest.raises(InvalidValueError, match="due"):
        record.record_review(me.id, "p3", card={"state": 1})


def test_survey_validation_and_duplicates(record):
    ws = _workshop(record)
    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    record.join_workshop(me.id, ws.code)
    for kw in (dict(relevance=6, overall=4), dict(relevance=0, overall=4), dict(relevance=4, overall=True),
               dict(relevance=4, overall=4.5)):
        with pytest.raises(InvalidValueError, match="must be a whole number from 1 to 5"):
            record.record_survey(trainee_id=me.id, workshop_id=ws.id, **kw)
    assert record.surveys(ws.id) == []
    key = str(uuid.uuid4())
    answer = record.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=5, overall=4,
                                  comments=" Useful for the checkpoint. ", uuid=key)
    assert answer.comments == "Useful for the checkpoint."
    assert record.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=5, overall=4,
                                comments="Useful for the checkpoint.", uuid=key) == answer
    with pytest.raises(DuplicateError, match="already answered"):
        record.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=3, overall=3)
    assert record.surveys(ws.id) == [answer]


def test_scoreboard(record):
    ws = _workshop(record)
    a = record.register_trainee(name="Alpha", department="Immigration", province="Koh Kong", pin="1234")
    b = record.register_trainee(name="Bravo", department="Border Patrol", province="Koh Kong", pin="1234")
    c = record.register_trainee(name="Charlie", department="Border Patrol", province="Koh Kong", pin="1234")
    for t in (a, b, c):
        record.join_workshop(t.id, ws.code)
    for item, score in (("i1", 1.0), ("i2", 0.5)):
        _attempt(record, b, ws, item=item, score=score, form="practice")
    _attempt(record, a, ws, item="i1", score=1.0, form="practice")
    _attempt(record, a, ws, item="i9", score=1.0, form="pre")
    rows = record.scoreboard(ws.id, form="practice")
    assert [(r.name, r.attempts, r.correct, r.points) for r in rows] == [
        ("Bravo", 2, 2, 1.5), ("Alpha", 1, 1, 1.0), ("Charlie", 0, 0, 0.0)]
    assert rows[0].mean_score == 0.75 and rows[2].mean_score is None
    assert record.scoreboard(ws.id)[0].name == "Alpha"


# -------------------------------------------------------------- concurrency

def test_thirty_trainees_answer_concurrently(record):
    """30 trainees in one room, one thread each, answering at once; some
    answers are sent twice (a phone that lost the reply and retried)."""
    n_trainees, n_items = 30, 20
    ws = _workshop(record)
    people = [record.register_trainee(name=f"Officer {i:02d}", department=("Immigration", "Maritime Police")[i % 2],
                                      province="Koh Kong", pin=f"{1000 + i}") for i in range(n_trainees)]
    sent: dict[int, list[str]] = {}
    errors, barrier = [], threading.Barrier(n_trainees)

    def trainee(i):
        try:
            me = record.authenticate(people[i].id, f"{1000 + i}")
            barrier.wait()
            record.join_workshop(me.id, ws.code)
            uuids = []
            for k in range(n_items):
                attempt = _attempt(record, me, ws, item=f"item-{k:02d}", score=(k % 4) / 3, form="practice")
                uuids.append(attempt.uuid)
                if k % 5 == 0:  # re-sent: must be recognised, not stored again
                    assert _attempt(record, me, ws, item=f"item-{k:02d}", score=(k % 4) / 3,
                                    form="practice", uuid=attempt.uuid).resubmitted
            sent[me.id] = uuids
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    start = time.perf_counter()
    threads = [threading.Thread(target=trainee, args=(i,)) for i in range(n_trainees)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    assert errors == []
    stored = record.attempts_for(workshop_id=ws.id)
    assert len(stored) == n_trainees * n_items == _count(record, schema.attempts)
    assert len({a.uuid for a in stored}) == len(stored)
    for tid, uuids in sent.items():
        assert sorted(a.uuid for a in stored if a.trainee_id == tid) == sorted(uuids)
    print(f"\n{record.engine.dialect.name}: {len(stored)} attempts by {n_trainees} concurrent trainees "
          f"(+{n_trainees * 4} re-sent) in {elapsed:.2f} s")


def test_same_answer_sent_from_many_threads_at_once_is_stored_once(record):
    ws = _workshop(record)
    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    record.join_workshop(me.id, ws.code)
    key, results = str(uuid.uuid4()), []
    assert _all_at_once(8, lambda: results.append(_attempt(record, me, ws, uuid=key))) == []
    assert sorted(r.resubmitted for r in results) == [False] + [True] * 7
    assert len({r.id for r in results}) == 1 and _count(record, schema.attempts) == 1


_WORKER = r"""
import sys, uuid
from docexam.training import TrainingRecord
url, trainee_id, workshop_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
record = TrainingRecord.open(url)
print("ready", flush=True)
k = 0
while True:
    key = str(uuid.uuid4())
    record.record_attempt(uuid=key, trainee_id=trainee_id, workshop_id=workshop_id, item_id=f"item-{k}",
                          item_type="verdict", topic="mrz", form="practice", score=1.0, correct=True,
                          answer={"verdict": "forged", "padding": "x" * 500})
    print(key, flush=True)  # acknowledged to the trainee only after the commit returned
    k += 1
"""


def test_killed_process_loses_nothing_submitted(record, db_url):
    ws = _workshop(record)
    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    record.join_workshop(me.id, ws.code)
    env = dict(os.environ, PYTHONPATH=REPO)
    proc = subprocess.Popen([sys.executable, "-c", _WORKER, db_url, str(me.id), str(ws.id)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    acknowledged = []
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        while len(acknowledged) < 60:
            line = proc.stdout.readline().strip()
            assert line, proc.stderr.read()
            acknowledged.append(line)
    finally:
        proc.send_signal(signal.SIGKILL)  # mid-write, most likely
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    with TrainingRecord.open(db_url) as after:
        stored = {a.uuid for a in after.attempts_for(workshop_id=ws.id)}
        assert set(acknowledged) <= stored
        assert len(stored) - len(acknowledged) <= 1  # at most the one being acknowledged
        _attempt(after, me, ws, item="after-crash", form="practice")  # still writable
        if after.engine.dialect.name == "sqlite":
            with after.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


# ---------------------------------------------------------------- exchange

def _seed_small(record):
    ws = _workshop(record, code="KK-01")
    people = [record.register_trainee(name=f"Officer {i}", department="Maritime Police", province="Koh Kong",
                                      rank="Lieutenant", pin="1234") for i in range(4)]
    for p in people:
        record.join_workshop(p.id, ws.code)
        for k, form in enumerate(("pre", "pre", "post", "post", "practice")):
            _attempt(record, p, ws, item=f"{form}-{k}", form=form, score=(p.id + k) % 2,
                     answered_at=dt.datetime(2025, 3, 3, 9, k, tzinfo=dt.timezone.utc))
    for p in people[:3]:
        record.record_survey(trainee_id=p.id, workshop_id=ws.id, relevance=3 + p.id % 3, overall=4,
                             comments=f"note {p.id}")
    return ws, people


def _comparable(data: dict) -> dict:
    data = dict(data)
    data.pop("exported_at")
    data.pop("signature", None)
    return data


def _resign(data: dict) -> str:
    """A changed export signed again by this installation (what a trusted but buggy laptop would send)."""
    from docexam.signing import installation_key, sign_document

    return json.dumps(sign_document(data, installation_key()))


def test_export_import_roundtrip_and_duplicates(record, tmp_path):
    ws, people = _seed_small(record)
    path = record.export_workshop(ws.code, tmp_path / "kk-01.json")
    original = json.loads(path.read_text(encoding="utf-8"))
    assert len(original["attempts"]) == 20 and len(original["surveys"]) == 3
    assert "pin_hash" not in json.dumps(original)  # PIN hashes stay on the laptop

    with TrainingRecord.open(f"sqlite:///{tmp_path / 'hq.sqlite3'}") as hq:
        first = hq.import_workshop(path)
        assert first.added == {"workshops": 1, "trainees": 4, "enrolments": 4, "attempts": 20, "surveys": 3,
                               "course": 0, "merges": 0}
        assert set(first.duplicates.values()) == {0}
        assert _comparable(export_data(hq, ws.code)) == _comparable(original)
        # same Key Results (the CSV carries no timestamp)
        assert to_csv(key_results(hq, ws.code)) == to_csv(key_results(record, ws.code))

        second = hq.import_workshop(path)
        assert set(second.added.values()) == {0}
        assert second.duplicates == {"workshops": 1, "trainees": 4, "enrolments": 4, "attempts": 20, "surveys": 3,
                                      "course": 0, "merges": 0}
        assert "duplicates skipped" in second.summary()
        assert _count(hq, schema.attempts) == 20
        # imported trainees exist but have no PIN here
        with pytest.raises(WrongPinError, match="no PIN on this computer"):
            hq.authenticate(hq.trainees()[0].id, "1234")

    # later answers on the laptop: a second export adds only those
    _attempt(record, people[0], ws, item="late", form="practice")
    record.export_workshop(ws.code, path)
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'hq.sqlite3'}") as hq:
        third = hq.import_workshop(path)
        assert third.added["attempts"] == 1 and third.duplicates["attempts"] == 20


def test_import_from_a_laptop_matches_known_officers(record, tmp_path):
    """The other direction: a SQLite laptop's file imported into the record under test."""
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'laptop.sqlite3'}") as laptop:
        ws, _ = _seed_small(laptop)
        path = laptop.export_workshop(ws.code, tmp_path / "kk-01.json")
        original = export_data(laptop, ws.code)
    # an officer already known at headquarters (registered there earlier) is matched, not duplicated
    known = record.register_trainee(name="officer 2", department="Maritime  Police", province="Koh Kong", pin="9999")
    result = record.import_workshop(path)
    assert result.added["trainees"] == 3 and result.duplicates["trainees"] == 1
    assert record.authenticate(known.id, "9999") == known
    mine = export_data(record, ws.code)
    assert len(mine["attempts"]) == len(original["attempts"]) == 20
    assert {a["uuid"] for a in mine["attempts"]} == {a["uuid"] for a in original["attempts"]}


def test_import_is_all_or_nothing(record, tmp_path):
    ws, people = _seed_small(record)
    path = record.export_workshop(ws.code, tmp_path / "kk-01.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["attempts"][-1]["score"] = 1 - data["attempts"][-1]["score"]  # same uuid, different answer
    tampered = tmp_path / "tampered.json"
    tampered.write_text(_resign(data), encoding="utf-8")
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'hq.sqlite3'}") as hq:
        hq.import_workshop(path)
        # new things before the conflict, which must not be kept either
        newcomer = dict(data["trainees"][0], uid=str(uuid.uuid4()), name="Newcomer")
        data["trainees"].append(newcomer)
        data["enrolments"].append({"trainee": newcomer["uid"], "joined_at": data["enrolments"][0]["joined_at"]})
        data["attempts"].insert(0, dict(data["attempts"][0], uuid=str(uuid.uuid4()), trainee=newcomer["uid"]))
        tampered.write_text(_resign(data), encoding="utf-8")
        before = {t.name: _count(hq, t) for t in schema.metadata.sorted_tables}
        with pytest.raises(InputFileError, match=r"attempts\[20\]: attempt .* different answer; nothing imported"):
            hq.import_workshop(tampered)
        assert {t.name: _count(hq, t) for t in schema.metadata.sorted_tables} == before


def test_import_refuses_a_code_used_by_another_workshop(record, tmp_path):
    with TrainingRecord.open(f"sqlite:///{tmp_path / 'laptop.sqlite3'}") as laptop:
        ws, _ = _seed_small(laptop)
        path = laptop.export_workshop(ws.code, tmp_path / "kk-01.json")
    _workshop(record, code="KK-01")
    with pytest.raises(InputFileError, match="code 'KK-01' is already used here by another workshop"):
        record.import_workshop(path)
    assert _count(record, schema.trainees) == 0


@pytest.mark.parametrize("content, problem", [
    (b"", "line 1: JSON: Expecting value"),
    (b'{"format": "docexam-workshop-records", "version": 1,', "JSON: Expecting property name"),
    (b"\xff\xfe\x00", "not UTF-8 text"),
    (b"[1, 2]", "not a docexam workshop export"),
    (b'{"format": "docexam-workshop-records", "version": 7}', "the file is not signed"),
    (b'{"format": "docexam-workshop-records", "version": 1, "version": 1}', "the key 'version' appears twice"),
])
def test_bad_import_file_gives_one_line(record, tmp_path, content, problem):
    path = tmp_path / "results.json"
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        record.import_workshop(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path)) and problem in message


def test_bad_field_in_import_file_is_named(record, tmp_path):
    ws, _ = _seed_small(record)
    path = record.export_workshop(ws.code, tmp_path / "kk-01.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["attempts"][3]["score"] = 7
    path.write_text(_resign(data), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"attempts\[3\]\.score: must be a number from 0 to 1"):
        record.import_workshop(path)
    with pytest.raises(InputFileError, match="file not found"):
        record.import_workshop(tmp_path / "missing.json")


def test_default_database_is_a_wal_sqlite_file_in_docexam_home(docexam_home, monkeypatch):
    with TrainingRecord.open() as rec:
        assert rec.url == f"sqlite:///{docexam_home / 'docexam.sqlite3'}"
        with rec.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    assert (docexam_home / "docexam.sqlite3").is_file()
    other = docexam_home / "elsewhere" / "hq.sqlite3"
    monkeypatch.setenv("DOCEXAM_DATABASE_URL", f"sqlite:///{other}")
    with TrainingRecord.open() as rec:
        assert rec.url.endswith("elsewhere/hq.sqlite3") and other.is_file()


# ------------------------------------------------------- guesses at once

GUESSES = 64


def test_sixty_four_wrong_pins_at_once_lock_after_five(record, monkeypatch):
    """Guesses sent at the same moment are checked one by one: five are evaluated, the rest refused."""
    from docexam.training import record as record_module

    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    outcomes = []
    errors = _all_at_once(GUESSES, lambda: outcomes.append(record.authenticate(me.id, "0000")))
    assert outcomes == []
    kinds = sorted(type(e).__name__ for e in errors)
    assert kinds.count("WrongPinError") == record_module.MAX_FAILED_PINS
    assert kinds.count("LockedOutError") == GUESSES - record_module.MAX_FAILED_PINS
    with pytest.raises(LockedOutError):
        record.authenticate(me.id, "1234")  # the right PIN waits too


def test_right_pin_among_sixty_four_guesses_is_one_of_five_checked(record):
    """63 wrong guesses and the right one at once: at most five guesses are ever checked.

    Whether the right PIN was among the first five depends on the order the
    database let them in; either way no sixth guess was evaluated, and once
    locked the right PIN is refused.
    """
    me = record.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    guesses = ["1234"] + [f"{n:05d}" for n in range(GUESSES - 1)]
    accepted, guess_iter, lock = [], iter(guesses), threading.Lock()

    def guess():
        with lock:
            pin = next(guess_iter)
        accepted.append(record.authenticate(me.id, pin))

    errors = _all_at_once(GUESSES, guess)
    wrong = sum(isinstance(e, WrongPinError) for e in errors)
    locked = sum(isinstance(e, LockedOutError) for e in errors)
    assert wrong + locked + len(accepted) == GUESSES
    assert len(accepted) <= 1
    if accepted:
        # a success resets the count, so up to five wrong guesses before it and five after it
        assert wrong <= 2 * 5
    else:
        assert wrong == 5
        with pytest.raises(LockedOutError):
            record.authenticate(me.id, "1234")


def test_trainer_passphrase_locks_after_five_wrong_guesses_at_once(record):
    from docexam.training import record as record_module

    record.set_trainer_passphrase("blue heron at dawn")
    results = []
    errors = _all_at_once(GUESSES, lambda: results.append(record.check_trainer_passphrase("red kite at dusk")))
    assert results == [False] * record_module.MAX_FAILED_PINS
    assert [type(e).__name__ for e in errors] == ["LockedOutError"] * (GUESSES - record_module.MAX_FAILED_PINS)
    with pytest.raises(LockedOutError, match="too many wrong trainer passphrases"):
        record.check_trainer_passphrase("blue heron at dawn")
    record.set_trainer_passphrase("green ibis at noon")  # set again from the laptop: the lock is lifted
    assert record.check_trainer_passphrase("green ibis at noon")


def test_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "record.sqlite3"
    with TrainingRecord.open(f"sqlite:///{path}") as rec:
        rec.register_trainee(name="A", department="Immigration", province="Koh Kong", pin="1234")
    assert path.stat().st_mode & 0o777 == 0o600
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if extra.exists():
            assert extra.stat().st_mode & 0o077 == 0


class _SwitchRefusedTwice:
    """A cursor on a fresh file whose switch to WAL SQLite refuses twice, as it does (at once, without its
    busy handler) while another connection is switching or recovering the same new file."""

    def __init__(self):
        self.switches = 0

    def execute(self, sql):
        if sql == "PRAGMA journal_mode":
            return self
        self.switches += 1
        if self.switches <= 2:
            raise sqlite3.OperationalError("database is locked")
        return self

    def fetchone(self):
        return ("delete",)


@pytest.mark.parametrize("wait_s, switches", [(30.0, 3), (0.0, 1)])
def test_the_switch_to_wal_is_retried_while_sqlite_refuses_it(monkeypatch, wait_s, switches):
    monkeypatch.setattr(schema, "WAL_SWITCH_TIMEOUT", wait_s)
    cursor = _SwitchRefusedTwice()
    if wait_s:
        schema._use_wal(cursor)
    else:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            schema._use_wal(cursor)
    assert cursor.switches == switches
