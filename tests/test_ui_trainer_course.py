"""The trainer's course pages under AppTest: course settings, merging two records (and undoing it),
a trainee's missed questions with their documents, item statistics, and the library's own-specimen panel."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pytest

from docexam.assessment.course import CourseSettings
from docexam.training import TrainingRecord
from test_lessons_support import SIZE
from test_ui_support import app, element_text, errors, goto, make_folder

PASSPHRASE = "poipet-border-2025"


@pytest.fixture
def folder(docexam_home, monkeypatch):
    return make_folder(docexam_home, monkeypatch)


@pytest.fixture
def workshop(folder):
    with TrainingRecord.open() as record:
        record.set_trainer_passphrase(PASSPHRASE)
        return record.create_workshop(title="Level 1", place="Poipet", province="Banteay Meanchey",
                                      start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 5), code="PP-1")


def trainer(lang: str = "en"):
    at = app()
    if lang != "en":
        at.session_state["lang-choice"] = lang
        at.run()
    goto(at, "trainer_sign_in")
    at.text_input[0].input(PASSPHRASE)
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception, at.exception
    return at


def answer(record, me, ws, item_id, form, score, given, *, item_type="verdict"):
    record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=me.id, workshop_id=ws.id, item_id=item_id,
                          item_type=item_type, topic="review", form=form, score=score, correct=score >= 1.0,
                          answer=given)


# ---------------------------------------------------------------------------
# course settings

def test_course_settings_are_saved_for_the_workshop(workshop):
    at = goto(trainer(), "course_settings")
    assert at.title[0].value == "Course settings" and not errors(at)
    k = f"cs-{workshop.id}"
    at.multiselect(key=f"{k}-order").set_value(["pre-test", "lessons", "post-test"]).run()
    at.toggle(key=f"{k}-opens-post-test").set_value(True).run()
    at.date_input(key=f"{k}-day-post-test").set_value(dt.date(2026, 3, 5)).run()
    at.time_input(key=f"{k}-time-post-test").set_value(dt.time(14, 0)).run()
    at.number_input(key=f"{k}-practice").set_value(5).run()
    at.slider(key=f"{k}-pass").set_value(60).run()
    at.radio(key=f"{k}-rule").set_value("pass-mark").run()
    assert "Printed on the certificate: Awarded for a post-test score of at least 60 %." in [c.value for c in at.caption]
    at.button(key=f"{k}-save").click().run()
    assert [s.value for s in at.success] == ["Saved: trainees follow the new settings from their next click."]
    with TrainingRecord.open() as record:
        saved = record.course_settings(workshop.id)
    opens = dt.datetime.combine(dt.date(2026, 3, 5), dt.time(14, 0)).astimezone()
    assert saved == CourseSettings(order=("pre-test", "lessons", "post-test"), opens_at={"post-test": opens},
                                   pass_mark=0.6, certificate="pass-mark", practice_per_lesson=5)
    # the forms are not drawn yet: the page says when they will be
    assert "drawn when a trainee first opens one" in at.info[-1].value


def test_an_impossible_order_is_refused_before_saving(workshop):
    at = goto(trainer(), "course_settings")
    k = f"cs-{workshop.id}"
    at.multiselect(key=f"{k}-order").set_value(["post-test", "pre-test"]).run()
    assert errors(at) == ["Not saved: order: the post-test cannot come before the pre-test"]
    assert at.button(key=f"{k}-save").disabled
    with TrainingRecord.open() as record:
        assert record.course_settings(workshop.id) == CourseSettings()


def test_course_settings_in_khmer(workshop):
    at = goto(trainer("km"), "course_settings")
    assert at.title[0].value == "ការកំណត់វគ្គ" and not errors(at)


# ---------------------------------------------------------------------------
# merging two records

def test_merge_two_records_with_both_details_confirmed_and_undone(workshop):
    with TrainingRecord.open() as record:
        first = record.register_trainee(name="Sok Chea", department="Immigration Poipet", province="Banteay Meanchey",
                                        pin="4821")
        second = record.register_trainee(name="SOK  Chea", department="Immigration - Poipet checkpoint",
                                         province="Banteay Meanchey", pin="4821")
        for me in (first, second):
            record.join_workshop(me.id, "PP-1")
        answer(record, first, workshop, "g1:verdict", "pre", 0.0, "forged")
        answer(record, second, workshop, "g1:verdict", "post", 1.0, "genuine")
        answer(record, second, workshop, "g2:verdict", "post", 1.0, "genuine")
    at = goto(trainer(), "trainees")
    assert at.title[0].value == "Trainees" and not errors(at)
    # the two records are offered as a possible pair; comparing them shows both records' details
    [b for b in at.button if b.label.startswith("Compare: ")][0].click().run()
    table = at.table[0].value
    assert list(table.index[:3]) == ["Name", "Department", "Province"]
    assert table.loc["Answers"].tolist() == ["1", "2"]
    assert table.loc["Department"].tolist() == ["Immigration Poipet", "Immigration - Poipet checkpoint"]
    # not without the confirmation
    at.get("form_submit_button")[0].click().run()
    assert [w.value for w in at.warning] == ["I have checked: these two records are the same officer."]
    with TrainingRecord.open() as record:
        assert record.merges() == []
    form_inputs = [w for w in at.text_input if w.label == "Why (kept with the merge)"]
    form_inputs[0].input("typed his unit twice")
    [c for c in at.checkbox if c.label.startswith("I have checked")][0].check()
    at.get("form_submit_button")[0].click().run()
    assert at.success[0].value.startswith("Merged: SOK Chea (Immigration - Poipet checkpoint, Banteay Meanchey) "
                                          "now counts as Sok Chea")
    with TrainingRecord.open() as record:
        (merge,) = record.merges()
        assert merge.active and merge.note == "typed his unit twice"
        assert len(record.attempts_for(trainee_id=first.id)) == 3  # every answer kept, read as one officer
        assert [p.id for p in record.trainees(workshop.id)] == [first.id]
    # undo from the page: the two records read apart again, nothing lost
    at.button(key=f"tr-undo-{merge.id}").click().run()
    assert not at.exception
    with TrainingRecord.open() as record:
        assert not record.merges()[0].active
        assert len(record.attempts_for(trainee_id=first.id)) == 1
        assert len(record.attempts_for(trainee_id=second.id)) == 2
    assert "undone" in element_text(at)


# ---------------------------------------------------------------------------
# a trainee's missed questions, with the documents

def test_missed_questions_are_shown_with_their_documents(workshop):
    with TrainingRecord.open() as record:
        me = record.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="4821")
        record.join_workshop(me.id, "PP-1")
        answer(record, me, workshop, "f-photo:verdict", "post", 0.0, "genuine")
        answer(record, me, workshop, "g1:verdict", "post", 1.0, "genuine")
        answer(record, me, workshop, "f-photo:locate", "post", 0.0, {"point": [250, 20]}, item_type="locate")
        answer(record, me, workshop, "gone-specimen:verdict", "post", 0.0, "forged")
        record.retire_specimen("f-photo", note="blurred")
    at = goto(trainer(), "trainees")
    at.selectbox(key="tr-workshop").set_value(workshop.id).run()
    shown = element_text(at)
    assert "3 of 4 first answers missed or partly right." in [c.value for c in at.caption]
    # the verdict item: the trainee's answer and the right one, in words
    assert "You answered: Genuine." in shown and "Answer: Forged" in shown
    # the documents are drawn (the document view, with the media files it needs)
    assert shown.count("docexam_docview") >= 2
    assert [w.value for w in at.warning] == ["This question is no longer in the bank (its document was deleted, "
                                             "or a lesson changed). The answer given: forged"]
    assert "Its document is retired: no new quiz or test asks it." in [c.value for c in at.caption]
    # practice answers are another view: none here
    at.segmented_control(key="tr-form").set_value("practice").run()
    assert "Nothing missed here." in [i.value for i in at.info]


# ---------------------------------------------------------------------------
# item statistics

def test_item_statistics_with_known_values_and_flags(workshop):
    """Twelve trainees: everyone right on g1, a quarter right on f-photo with "genuine" the common
    wrong answer, and f-halftone right exactly for those who got f-photo wrong."""
    with TrainingRecord.open() as record:
        for n in range(12):
            me = record.register_trainee(name=f"Officer {n}", department="Immigration", province="Koh Kong",
                                         pin="4821")
            record.join_workshop(me.id, "PP-1")
            good = n < 3
            answer(record, me, workshop, "g1:verdict", "pre", 1.0, "genuine")
            answer(record, me, workshop, "f-photo:verdict", "pre", 1.0 if good else 0.0,
                   "forged" if good else "genuine")
            answer(record, me, workshop, "f-halftone:verdict", "pre", 0.0 if good else 1.0,
                   "genuine" if good else "forged")
    at = goto(trainer(), "item_stats")
    assert at.title[0].value == "Item statistics" and not errors(at)
    table = at.dataframe[0].value.set_index("Question")
    assert table.loc["g1:verdict", "Right %"] == 100 and table.loc["f-photo:verdict", "Right %"] == 25
    assert table.loc["f-photo:verdict", "Most-chosen wrong answer"] == "Genuine (9)"
    flags = table.loc["f-photo:verdict", "Look at"]
    assert "strong trainees miss it" in flags and "a wrong answer is chosen more than the right one" in flags
    assert table.loc["g1:verdict", "Look at"] == "almost everyone answers it right"
    # flagged questions come first
    assert list(table.index)[-1] != "f-photo:verdict"
    at.toggle(key="is-flagged").set_value(True).run()
    assert len(at.dataframe[0].value) == 3


# ---------------------------------------------------------------------------
# the library: thumbnails, and a trainer's own specimen retired, edited, deleted

def test_the_library_table_has_a_picture_per_specimen(workshop, folder):
    at = goto(trainer(), "library")
    table = at.dataframe[0].value
    assert len(table) == len(list(folder.glob("*.json"))) >= 8 and table["Picture"].str.startswith("/docexam-media/").all()
    assert set(table["Status"]) == {"in use"}


def _own_specimen(home):
    from docexam.specimens import find_template, studio

    grey = np.full((SIZE[1], SIZE[0], 3), 180, np.uint8)
    sidecar = {"template": "demo-td3", "authentic": False, "capture": {"kind": "flat"},
               "holder": {"surname": "SOK", "given_names": "DARA", "document_number": "X12345678",
                          "nationality": "UTO", "date_of_birth": "1990-01-31", "sex": "M",
                          "date_of_expiry": "2030-12-01"}, "mrz": [],
               "anomalies": [{"family": "personalization", "technique": "photo-substitution", "zone": "portrait",
                              "bbox": [22, 42, 88, 138], "note": "Cut edges."}]}
    studio.save_user_specimen(home / "specimens", "trainer-photo-1", template=find_template("demo-td3"),
                              images={"visible": grey}, sidecar=sidecar)


def _panel(own: bool = True):
    from streamlit.testing.v1 import AppTest

    def script(own):
        from docexam.ui import specimen_admin, state

        spec = state.specimen_index()["trainer-photo-1" if own else "g1"]
        specimen_admin.manage(spec, own=own)

    at = AppTest.from_function(script, args=(own,), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_trainers_specimen_retired_restored_edited_and_deleted(workshop, docexam_home):
    _own_specimen(docexam_home)
    at = _panel()
    at.text_input(key="lib-retire-note-trainer-photo-1").input("blurred upload")
    at.button(key="lib-retire-trainer-photo-1").click().run()
    with TrainingRecord.open() as record:
        assert record.retired_specimens() == {"trainer-photo-1": "blurred upload"}
    assert at.warning[0].value.startswith("Retired: no new quiz or test asks it. blurred upload")
    at.button(key="lib-restore-trainer-photo-1").click().run()
    with TrainingRecord.open() as record:
        assert record.retired_specimens() == {}

    at.text_area(key="lib-note-trainer-photo-1-0").input("The photo's edges are cut and raised.")
    at.get("form_submit_button")[0].click().run()
    assert [s.value for s in at.success] == ["Saved: quizzes use the new text from now on."]
    from docexam.lessons import load_specimen_folder

    (spec,) = load_specimen_folder(docexam_home / "specimens")
    assert spec.anomalies[0].note == "The photo's edges are cut and raised."

    # never answered: it may be deleted, once the trainer confirms
    assert at.button(key="lib-delete-trainer-photo-1").disabled
    at.checkbox(key="lib-delete-sure-trainer-photo-1").check().run()
    at.button(key="lib-delete-trainer-photo-1").click().run()
    assert not list((docexam_home / "specimens").glob("trainer-photo-1*"))


def test_an_answered_specimen_can_be_retired_but_not_deleted(workshop, docexam_home):
    _own_specimen(docexam_home)
    with TrainingRecord.open() as record:
        me = record.register_trainee(name="Sok Chea", department="Immigration", province="Koh Kong", pin="4821")
        record.join_workshop(me.id, "PP-1")
        answer(record, me, workshop, "trainer-photo-1:verdict", "practice", 1.0, "forged")
    at = _panel()
    assert "1 answers were given about it: it can be retired, not deleted" in at.info[0].value
    assert not [b for b in at.button if b.key == "lib-delete-trainer-photo-1"]
    # a shipped specimen: retire only
    at = _panel(own=False)
    assert [b.key for b in at.button] == ["lib-retire-g1"]
    assert any(c.value.startswith("Only the trainers' own specimens") for c in at.caption)


# ---------------------------------------------------------------------------
# a workshop's certificates, in one file

@pytest.mark.parametrize("lang, label", [("en", "Download the certificates (1, PDF, one page each)"),
                                         ("km", "ទាញយកវិញ្ញាបនបត្រ (1 PDF មួយទំព័រសម្រាប់ម្នាក់)")])
def test_the_workshops_certificates_in_one_file(workshop, lang, label):
    with TrainingRecord.open() as record:
        # the rule: the survey sent (the course's only step here)
        record.set_course_settings(workshop.id, CourseSettings(order=("survey",), certificate="attendance"))
        for name in ("Sok Chea", "Dara Kim"):
            me = record.register_trainee(name=name, department="Immigration", province="Koh Kong", pin="4821")
            record.join_workshop(me.id, workshop.code)
            if name == "Sok Chea":
                record.record_survey(trainee_id=me.id, workshop_id=workshop.id, relevance=5, overall=4)
    at = goto(trainer(), "workshops")
    if lang != "en":
        at.session_state["lang-choice"] = lang
        at.run()
    prepare = [b for b in at.button if "(PDF)" in b.label]
    assert len(prepare) == 1
    prepare[0].click().run()
    assert not at.exception, at.exception
    # one of the two trainees has earned it: one certificate, in the trainer's language
    assert label in [b.proto.label for b in at.get("download_button")]
