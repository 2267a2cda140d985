"""One officer, one record (identity matching, merge and undo); course settings and frozen forms;
a seeded cohort's item statistics and form reliability against hand-computed values."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pytest

from docexam.assessment.course import CourseSettings, Progress, certificate_decision, course_state
from docexam.assessment.itemstats import form_reliability, item_statistics
from docexam.training import TrainingRecord, kdf
from docexam.training.errors import DuplicateError, InvalidValueError

T0 = dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    monkeypatch.setattr(kdf, "SCRYPT_N", 2**8)


@pytest.fixture
def record(db_url):
    """SQLite, and PostgreSQL when DOCEXAM_TEST_POSTGRES_URL is set (the merges, forms and statistics hold on both)."""
    with TrainingRecord.open(db_url) as rec:
        yield rec


def workshop(record, code="PP-1"):
    return record.create_workshop(title="Level 1", place="Poipet", province="Banteay Meanchey",
                                  start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 5), code=code)


def answer(record, trainee, ws, item, form, correct, minute, given=None, genuine=None):
    return record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=trainee.id, workshop_id=ws.id, item_id=item,
                                 item_type="verdict", topic="review", form=form, score=float(correct),
                                 correct=bool(correct), answer=given, specimen_genuine=genuine,
                                 answered_at=T0 + dt.timedelta(minutes=minute))


# ---------------------------------------------------------------------------
# identity

@pytest.mark.parametrize("typed", [
    ("sok chea", "Immigration Poipet checkpoint", "Banteay Meanchey"),
    ("SOK  CHEA", "Immigration, Poipet checkpoint.", "Banteay-Meanchey"),
    ("Sok Chea", "immigration (Poipet checkpoint)", " banteay meanchey "),
])
def test_one_officer_typed_differently_is_one_trainee(record, typed):
    me = record.register_trainee(name="Sok Chea", department="Immigration, Poipet checkpoint",
                                 province="Banteay Meanchey", pin="4821")
    name, department, province = typed
    assert record.find_trainee(name=name, department=department, province=province) == me
    with pytest.raises(DuplicateError):
        record.register_trainee(name=name, department=department, province=province, pin="1111")


def test_khmer_names_match_in_either_unicode_normalisation(record):
    import unicodedata

    name = "សុខ ជា"
    me = record.register_trainee(name=unicodedata.normalize("NFD", "Ré " + name), department="អន្តោប្រវេសន៍",
                                 province="កោះកុង", pin="4821")
    assert record.find_trainee(name=unicodedata.normalize("NFC", "RÉ " + name), department="អន្តោប្រវេសន៍",
                               province="កោះកុង") == me
    # different people stay different
    assert record.find_trainee(name="សុខ ជាតិ", department="អន្តោប្រវេសន៍", province="កោះកុង") is None


# ---------------------------------------------------------------------------
# merge and undo

def test_merge_keeps_every_attempt_and_can_be_undone(record):
    ws = workshop(record)
    a = record.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="4821")
    b = record.register_trainee(name="Sok Chea", department="Immigrations", province="Koh Kong", pin="4821")
    for t in (a, b):
        record.join_workshop(t.id, ws.code)
    answer(record, a, ws, "i1", "pre", 1, 1)
    answer(record, a, ws, "i2", "pre", 0, 2)
    answer(record, b, ws, "i3", "post", 1, 60)
    before = {x.uuid for x in record.attempts_for(workshop_id=ws.id)}
    assert len(record.trainees(ws.id)) == 2
    assert {p.id for pair in record.possible_duplicates() for p in pair} == {a.id, b.id}

    merge = record.merge_trainees(b.id, a.id, note="same officer, typo in the department")
    # every attempt is still there, under the id it was stored with, and reads as one officer's
    assert {x.uuid for x in record.attempts_for(workshop_id=ws.id)} == before
    assert {x.item_id for x in record.attempts_for(trainee_id=a.id)} == {"i1", "i2", "i3"}
    assert {x.item_id for x in record.attempts_for(trainee_id=b.id)} == {"i1", "i2", "i3"}
    assert record.canonical_id(b.id) == a.id and record.same_person(a.id) == {a.id, b.id}
    assert [t.id for t in record.trainees(ws.id)] == [a.id]
    assert [r.trainee_id for r in record.scoreboard(ws.id)] == [a.id]
    assert record.scoreboard(ws.id)[0].attempts == 3
    kr = record.key_results(ws.id)
    assert kr.trained == 1 and kr.assessed == 1 and kr.trainees[0].pre == 50.0 and kr.trainees[0].post == 100.0
    assert record.possible_duplicates() == []
    with pytest.raises(InvalidValueError, match="already one officer"):
        record.merge_trainees(a.id, b.id)

    undone = record.undo_merge(merge.id)
    assert undone.undone_at is not None and not undone.active
    assert {x.item_id for x in record.attempts_for(trainee_id=a.id)} == {"i1", "i2"}
    assert {x.item_id for x in record.attempts_for(trainee_id=b.id)} == {"i3"}
    assert len(record.trainees(ws.id)) == 2 and record.key_results(ws.id).assessed == 0
    assert {x.uuid for x in record.attempts_for(workshop_id=ws.id)} == before
    # the merge stays on record, marked undone
    assert [(m.id, m.active) for m in record.merges()] == [(merge.id, False)]


def test_merges_chain_and_resolve(record):
    a, b, c = (record.register_trainee(name=f"P{i}", department="D", province="P", pin="1234") for i in range(3))
    record.merge_trainees(c.id, b.id)
    record.merge_trainees(b.id, a.id)
    assert record.canonical_id(c.id) == a.id and record.same_person(c.id) == {a.id, b.id, c.id}
    assert record.canonical_trainee(c.id) == a


# ---------------------------------------------------------------------------
# course settings

def test_course_settings_round_trip_and_defaults(record):
    ws = workshop(record)
    assert record.course_settings(ws.id) == CourseSettings()
    later = T0 + dt.timedelta(days=2)
    settings = CourseSettings(order=("pre-test", "lessons", "post-test"), opens_at={"post-test": later},
                              pass_mark=0.6, certificate="pass-mark", practice_per_lesson=5)
    record.set_course_settings(ws.id, settings)
    assert record.course_settings(ws.id) == settings
    with pytest.raises(ValueError, match="post-test cannot come before"):
        CourseSettings(order=("post-test", "pre-test"))


def test_course_order_and_opening_times():
    settings = CourseSettings(opens_at={"post-test": T0 + dt.timedelta(days=2)}, practice_per_lesson=2)
    lessons = ("a", "b")
    state = course_state(settings, Progress(lessons=lessons), now=T0)
    assert [s for s in ("pre-test", "lessons", "post-test", "survey") if state[s].open] == ["pre-test"]
    assert state["lessons"].after == "pre-test"
    state = course_state(settings, Progress(pre_done=True, practised={"a": 2}, lessons=lessons), now=T0)
    assert state["lessons"].open and not state["lessons"].done and state["post-test"].after == "lessons"
    done = Progress(pre_done=True, practised={"a": 2, "b": 3}, lessons=lessons)
    state = course_state(settings, done, now=T0)
    assert not state["post-test"].open and state["post-test"].opens_at == T0 + dt.timedelta(days=2)
    assert course_state(settings, done, now=T0 + dt.timedelta(days=3))["post-test"].open


def test_certificate_rules():
    full = Progress(pre_done=True, post_done=True, survey_done=True)
    both = CourseSettings(pass_mark=0.7, certificate="both")
    assert not certificate_decision(both, full, post_score=0.34).earned  # the trainee whose score fell
    assert certificate_decision(both, full, post_score=0.8).earned
    assert certificate_decision(both, full, post_score=0.8).rule_text == (
        "Awarded for taking part in every step of the course and a post-test score of at least 70 %.")
    attendance = CourseSettings(certificate="attendance")
    assert certificate_decision(attendance, full, post_score=0.1).earned
    no_survey = Progress(pre_done=True, post_done=True)
    assert certificate_decision(attendance, no_survey, post_score=0.9).missing == ("the survey",)


def test_frozen_forms_first_drawing_wins(record):
    ws = workshop(record)
    assert record.frozen_forms(ws.id) is None
    first = {"pre": [["a:verdict", "review"]], "post": [["b:verdict", "review"]]}
    assert record.freeze_forms(ws.id, first) == first
    assert record.freeze_forms(ws.id, {"pre": [], "post": []}) == first
    assert record.frozen_forms(ws.id) == first


def test_retired_specimens(record):
    record.retire_specimen("trainer-photo-1", note="blurred upload")
    assert record.retired_specimens() == {"trainer-photo-1": "blurred upload"}
    record.restore_specimen("trainer-photo-1")
    assert record.retired_specimens() == {}


def test_answers_about_a_specimen_decide_whether_it_may_be_deleted(record):
    ws = workshop(record)
    me = record.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="4821")
    record.join_workshop(me.id, ws.code)
    for item in ("my_1:verdict", "f9:compare:my_1", "my_10:locate", "myX1:verdict"):
        record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=me.id, workshop_id=ws.id, item_id=item,
                              item_type=item.split(":")[1], topic="review", form="practice", score=1.0, correct=True)
    # "my_1" is in two items (its own and a compare item); "_" is no wildcard: "myX1" and "my_10" are other names
    assert record.specimen_answers("my_1") == 2
    assert record.specimen_answers("my_10") == 1 and record.specimen_answers("never-asked") == 0
    details = record.record_details(me.id)
    assert (details.workshops, details.answers, details.has_pin) == (("PP-1",), 4, True)
    assert details.last_answer is not None and details.last_answer.tzinfo is not None


# ---------------------------------------------------------------------------
# a seeded cohort: item statistics and reliability = hand computation

def test_seeded_cohort_item_statistics_and_reliability(record):
    """Twelve trainees answer a 4-item pre-test drawn from a Rasch model (seed 3); the record's
    statistics equal those computed by hand from the same 0/1 matrix."""
    ws = workshop(record)
    rng = np.random.default_rng(3)
    items = ["g1:verdict", "f1:verdict", "g2:verdict", "f2:verdict"]
    b = np.array([-1.0, 0.0, 0.5, 1.0])
    theta = rng.normal(0.0, 1.0, 12)
    matrix = (rng.random((12, 4)) < 1 / (1 + np.exp(b[None, :] - theta[:, None]))).astype(int)
    for k, row in enumerate(matrix):
        me = record.register_trainee(name=f"Officer {k}", department="Immigration", province="Koh Kong", pin="1234")
        record.join_workshop(me.id, ws.code)
        for j, right in enumerate(row):
            truth = "genuine" if items[j].startswith("g") else "forged"
            given = truth if right else ("forged" if truth == "genuine" else "genuine")
            answer(record, me, ws, items[j], "pre", right, 10 * k + j, given={"choice": given})
        # a second answer to an item never counts
        answer(record, me, ws, items[0], "pre", 1 - row[0], 500 + k)
    sittings = record.sittings(workshop_id=ws.id)
    assert len(sittings) == 12
    stats = {s.item_id: s for s in item_statistics(sittings)}
    # by hand: p = column means; KR-20 = k/(k-1) (1 - sum p q / var(total)) with population variance
    p = matrix.mean(0)
    totals = matrix.sum(1)
    hand_kr20 = 4 / 3 * (1 - (p * (1 - p)).sum() / totals.var())
    for j, item in enumerate(items):
        assert stats[item].n == 12
        assert stats[item].share_correct == pytest.approx(p[j])
        rest = (totals - matrix[:, j]) / 3
        assert stats[item].discrimination == pytest.approx(np.corrcoef(matrix[:, j], rest)[0, 1])
        wrong = int((matrix[:, j] == 0).sum())
        assert stats[item].common_wrong_n == wrong
        assert stats[item].common_wrong == ("forged" if item.startswith("g") else "genuine")
    kr, n = form_reliability(sittings, items)
    assert n == 12 and kr == pytest.approx(hand_kr20)
    assert form_reliability(sittings, items, min_sittings=13) == (None, 12)
    # Rasch: the easiest item (most right answers) has the lowest difficulty
    order = np.argsort(-p, kind="stable")
    assert stats[items[order[0]]].difficulty <= stats[items[order[-1]]].difficulty


# ---------------------------------------------------------------------------
# the workshop's forms on the command line, and the trainee who always says "forged"

@pytest.fixture
def small_library(tmp_path, docexam_home):
    from test_lessons_support import build_library

    return build_library(docexam_home, tmp_path / "lib")


def test_workshop_forms_command_and_the_always_forged_trainee(record, small_library, capsys, monkeypatch):
    import json

    from docexam.assessment import signal_detection
    from docexam.cli import main

    ws = workshop(record)
    monkeypatch.setenv("DOCEXAM_DATABASE_URL", record.url)
    assert main(["workshop", "forms", ws.code, "--json", "--specimens", str(small_library)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["workshop"] == "PP-1" and printed["pre"] and len(printed["pre"]) == len(printed["post"])
    for form in ("pre", "post"):
        for row in printed[form]:
            assert set(row) >= {"id", "type", "topic", "specimen", "genuine"}
        verdicts = [r for r in printed[form] if r["type"] == "verdict"]
        # half the decisions genuine, within half an item (3 verdict items on this tiny library: 1 or 2)
        assert verdicts and abs(sum(r["genuine"] for r in verdicts) - len(verdicts) / 2) <= 0.5
    # the command shows the frozen forms: the same again
    assert main(["workshop", "forms", ws.code, "--json", "--specimens", str(small_library)]) == 0
    assert json.loads(capsys.readouterr().out) == printed

    # a trainee who answers "forged" to every verdict item: half right, d' = 0, a criterion that says so
    me = record.register_trainee(name="Always Forged", department="Immigration", province="Koh Kong", pin="1234")
    record.join_workshop(me.id, ws.code)
    for n, row in enumerate(printed["pre"]):
        if row["type"] == "verdict":
            answer(record, me, ws, row["id"], "pre", not row["genuine"], n, given={"choice": "forged"},
                   genuine=row["genuine"])
    kr = record.key_results(ws.id)
    pre = kr.detection[0]
    assert pre.hit_rate == 1.0 and pre.false_alarm_rate == 1.0
    # log-linear rates (n + .5) / (N + 1): 2 forged and 1 genuine give d' = z(2.5/3) - z(1.5/2)
    from statistics import NormalDist

    z = NormalDist().inv_cdf
    forged = sum(not r["genuine"] for r in printed["pre"] if r["type"] == "verdict")
    genuine = sum(r["genuine"] for r in printed["pre"] if r["type"] == "verdict")
    assert pre.d_prime == pytest.approx(z((forged + .5) / (forged + 1)) - z((genuine + .5) / (genuine + 1)))
    assert abs(pre.d_prime) < 0.35 and pre.criterion < -0.5
    # with equal numbers (as the 50 % blueprint gives on a full library) d' is exactly 0
    assert signal_detection([(True, True)] * 4 + [(False, True)] * 4).d_prime == pytest.approx(0.0, abs=1e-12)
    scores = [a.score for a in record.attempts_for(trainee_id=me.id)]
    assert sum(scores) / len(scores) == forged / (forged + genuine) < 1.0  # not 100 %
