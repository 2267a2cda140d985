"""A workshop export carries the course (settings and frozen forms) and the merges of its trainees' records."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from docexam.assessment.course import CourseSettings
from docexam.errors import InputFileError
from docexam.signing import installation_key, sign_document, trust_key
from docexam.training import TrainingRecord

SETTINGS = CourseSettings(order=("pre-test", "lessons", "post-test"), pass_mark=0.6, certificate="pass-mark",
                          practice_per_lesson=5,
                          opens_at={"post-test": dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.timezone.utc)})
FORMS = {"pre": [["s1:verdict", "review"], ["s2:mrz", "mrz"]], "post": [["s3:verdict", "review"], ["s4:mrz", "mrz"]]}


def _answer(record, trainee, ws, form, scores):
    for i, score in enumerate(scores):
        record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=trainee.id, workshop_id=ws.id,
                              item_id=f"item-{i}", item_type="verdict", topic="mrz", form=form, score=score,
                              correct=score >= 0.5, answer={"choice": "forged"}, specimen_genuine=False)


@pytest.fixture
def laptop(tmp_path, monkeypatch):
    """A laptop's workshop with the trainer's course settings, frozen forms, and one officer under two records.

    "Sok Chea, Immigration Poipet" sat the pre-test (0 of 2) and, registered again as
    "Sok Chea, Immigration - Poipet checkpoint", the post-test (2 of 2); the trainer merged
    the two. A third record of Sok from an earlier workshop is merged too.
    """
    monkeypatch.setenv("DOCEXAM_HOME", str(tmp_path / "laptop-home"))
    record = TrainingRecord.open(f"sqlite:///{tmp_path / 'laptop.sqlite3'}")
    old = record.create_workshop(title="Level 0", place="Poipet", province="Banteay Meanchey",
                                 start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 1, 7), code="PP-00")
    ws = record.create_workshop(title="Level 1", place="Poipet", province="Banteay Meanchey",
                                start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 5), code="PP-01")
    first = record.register_trainee(name="Sok Chea", department="Immigration Poipet", province="Banteay Meanchey",
                                    pin="4821")
    second = record.register_trainee(name="Sok Chea", department="Immigration - Poipet checkpoint",
                                     province="Banteay Meanchey", pin="4821")
    earlier = record.register_trainee(name="SOK Chea", department="Police", province="Banteay Meanchey", pin="1111")
    record.join_workshop(earlier.id, old.code)
    for me in (first, second):
        record.join_workshop(me.id, ws.code)
    _answer(record, first, ws, "pre", [0, 0])
    _answer(record, second, ws, "post", [1, 1])
    record.set_course_settings(ws.id, SETTINGS)
    record.freeze_forms(ws.id, FORMS)
    record.merge_trainees(second.id, first.id, note="same officer, typed his unit twice")
    record.merge_trainees(earlier.id, first.id)
    path = record.export_workshop(ws.code, tmp_path / "pp-01.json")
    key = installation_key().public_text
    yield {"record": record, "path": path, "key": key, "ws": ws, "ids": (first.id, second.id, earlier.id),
           "home": tmp_path / "laptop-home"}
    record.close()


@pytest.fixture
def hq(tmp_path, monkeypatch, db_url):
    monkeypatch.setenv("DOCEXAM_HOME", str(tmp_path / "hq-home"))
    with TrainingRecord.open(db_url) as record:
        yield record


def _sok(hq) -> set[int]:
    return {p.id for p in hq.trainees(merged=True) if p.name.lower() == "sok chea"}


def test_course_and_merges_travel_and_an_undone_import_undoes_the_merges(laptop, hq):
    data = json.loads(laptop["path"].read_text(encoding="utf-8"))
    assert data["course"]["forms"] == FORMS and data["course"]["settings"] == SETTINGS.as_dict()
    # the earlier workshop's record travels with its merge, without an enrolment in this workshop
    assert len(data["trainees"]) == 3 and len(data["enrolments"]) == 2 and len(data["merges"]) == 2

    trust_key(laptop["key"], "Poipet laptop")
    result = hq.import_workshop(laptop["path"])
    assert (result.added["course"], result.added["merges"], result.added["trainees"]) == (1, 2, 3)
    ws = hq.workshop("PP-01")
    assert hq.course_settings(ws.id) == SETTINGS
    assert hq.frozen_forms(ws.id) == FORMS
    # three records, one officer: the Key Results count one trainee who went from 0 % to 100 %
    ids = _sok(hq)
    kept = next(p.id for p in hq.trainees(merged=True) if p.department == "Immigration Poipet")
    assert len(ids) == 3 and {hq.canonical_id(i) for i in ids} == {kept}
    kr = hq.key_results("PP-01")
    assert (kr.trained, kr.assessed, kr.mean_pre, kr.mean_post) == (1, 1, 0.0, 100.0)

    again = hq.import_workshop(laptop["path"])
    assert again.import_id is None and again.duplicates["merges"] == 2 and again.duplicates["course"] == 1

    hq.undo_import(result.import_id)
    assert {hq.canonical_id(i) for i in ids} == ids  # read apart again
    assert all(m.undone_at is not None for m in hq.merges())
    # the course stays: trainees here may already sit the frozen forms
    assert hq.frozen_forms(ws.id) == FORMS


def test_an_undo_at_the_source_travels_and_nothing_set_here_is_replaced(laptop, hq, tmp_path, monkeypatch):
    trust_key(laptop["key"], "Poipet laptop")
    hq.import_workshop(laptop["path"])
    ws = hq.workshop("PP-01")
    mine = CourseSettings(pass_mark=0.8)
    hq.set_course_settings(ws.id, mine)

    record = laptop["record"]
    monkeypatch.setenv("DOCEXAM_HOME", str(laptop["home"]))
    merge = next(m for m in record.merges() if m.note.startswith("same officer"))
    record.undo_merge(merge.id)
    record.set_course_settings(laptop["ws"].id, CourseSettings(pass_mark=0.5))
    later = record.export_workshop("PP-01", tmp_path / "later.json")
    monkeypatch.setenv("DOCEXAM_HOME", str(tmp_path / "hq-home"))
    hq.import_workshop(later)
    assert hq.course_settings(ws.id) == mine  # the trainer's settings here win
    undone = [m for m in hq.merges() if m.note.startswith("same officer")]
    assert len(undone) == 1 and undone[0].undone_at is not None
    assert len({hq.canonical_id(i) for i in _sok(hq)}) == 2


@pytest.mark.parametrize("change, where", [
    (lambda d: d["course"].update(settings={"pass_mark": 7}), "course: pass_mark"),
    (lambda d: d["course"].update(forms={"mid": []}), "course: forms must be an object with pre and post"),
    (lambda d: d["merges"][0].update(alias=str(uuid.uuid4())), "merges[0].alias: not in the file's trainees"),
    (lambda d: d["merges"][0].update(target=d["merges"][0]["alias"]), "merges[0]: a record merged with itself"),
])
def test_a_bad_course_or_merge_is_refused_naming_the_field(laptop, hq, change, where):
    data = json.loads(laptop["path"].read_text(encoding="utf-8"))
    data.pop("signature")
    change(data)
    doc = sign_document(data, installation_key())  # signed by a trusted key: only the content is wrong
    trust_key(installation_key().public_text, "this laptop")
    path = laptop["path"].with_name("bad.json")
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        hq.import_workshop(path)
    assert where in str(info.value) and "\n" not in str(info.value)
    assert hq.workshops() == []
