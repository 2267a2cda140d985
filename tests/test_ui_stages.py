"""Every trainer and trainee page at every stage of a workshop.

A workshop's record grows day by day: nobody joined, trainees joined,
pre-tests only (from day one until the last day), practice, post-tests,
surveys, and workshops imported from another laptop. Each stage is written
straight into the record (the answers' content does not matter here, only
which forms exist), then every page is opened under AppTest: none may raise
or show an error box.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from test_ui_support import app, errors, goto, make_folder, sign_in

TRAINEE_PAGES = ("home", "alerts", "lessons", "practice", "refresher", "pre_test", "post_test", "survey", "results")
TRAINER_PAGES = ("workshops", "course_settings", "trainees", "item_stats", "studio", "templates", "library",
                 "raise_alert", "sharing")
STAGES = ("empty", "joined", "pre-only", "practice", "post", "survey", "imported")
PASSPHRASE = "poipet-border-2025"
CODE = "PP-1"


def _forms(folder, workshop_id: int) -> dict:
    """The workshop's pre- and post-test as the app draws them (same seed, same pool)."""
    from docexam.lessons import load_lessons
    from docexam.lessons.source import load_specimen_folder
    from docexam.paths import lessons_dir
    from docexam.ui.course import lesson_pool, test_forms

    lessons = load_lessons(lessons_dir())
    return test_forms(lesson_pool(lessons, load_specimen_folder(folder)), lessons, seed=workshop_id)


def _answer(record, trainee, ws, items, form: str, score: float) -> None:
    for item in items:
        record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=trainee.id, workshop_id=ws.id,
                              item_id=item.id, item_type=item.type, topic=item.topic or "review", form=form,
                              score=score, correct=score >= 0.5, answer={"choice": "x"},
                              specimen_genuine=False if item.type == "verdict" else None)


def build_stage(stage: str, folder, tmp_path) -> None:
    """Write the record of a workshop at ``stage`` (see :data:`STAGES`)."""
    from docexam.training import TrainingRecord

    with TrainingRecord.open() as record:
        record.set_trainer_passphrase(PASSPHRASE)
        if stage == "imported":
            # a workshop run on another laptop, carried here in its export file
            other = tmp_path / "other.sqlite3"
            with TrainingRecord.open(f"sqlite:///{other}") as away:
                ws = away.create_workshop(title="Level 1", place="Koh Kong", province="Koh Kong",
                                          start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 5), code=CODE)
                forms = _forms(folder, ws.id)
                for n, name in enumerate(("Sok Chea", "Chan Dara")):
                    me = away.register_trainee(name=name, department="Immigration", province="Koh Kong",
                                               pin="4821")
                    away.join_workshop(me.id, CODE)
                    _answer(away, me, ws, forms["pre"], "pre", 0.0)
                    if n == 0:  # one completed the course, the other left after the pre-test
                        _answer(away, me, ws, forms["post"], "post", 1.0)
                        away.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=5, overall=4,
                                           comments="Useful.")
                away.export_workshop(ws.id, tmp_path / "export.json")
            record.import_workshop(tmp_path / "export.json")
            return
        ws = record.create_workshop(title="Level 1", place="Poipet", province="Banteay Meanchey",
                                    start_date=dt.date(2025, 3, 3), end_date=dt.date(2025, 3, 5), code=CODE)
        if stage == "empty":
            return
        forms = _forms(folder, ws.id)
        # the forms the app will show: frozen for the workshop before any answer is recorded
        record.freeze_forms(ws.id, {name: [[i.id, i.topic] for i in items] for name, items in forms.items()})
        people = [record.register_trainee(name=name, department="Immigration", province="Koh Kong", pin="4821")
                  for name in ("Sok Chea", "Chan Dara", "Keo Lina")]
        for me in people:
            record.join_workshop(me.id, CODE)
        if stage == "joined":
            return
        first, second, _third = people
        _answer(record, first, ws, forms["pre"], "pre", 0.0)
        _answer(record, second, ws, forms["pre"][:1], "pre", 1.0)  # still sitting it
        if stage == "pre-only":
            return
        _answer(record, first, ws, forms["pre"][:2], "practice", 1.0)
        if stage == "practice":
            return
        _answer(record, first, ws, forms["post"], "post", 1.0)
        if stage == "post":
            return
        record.record_survey(trainee_id=first.id, workshop_id=ws.id, relevance=5, overall=4, comments="Useful.")


@pytest.fixture
def folder(docexam_home, monkeypatch):
    return make_folder(docexam_home, monkeypatch)


@pytest.mark.parametrize("stage", STAGES)
def test_every_page_at_every_stage(stage, folder, tmp_path):
    build_stage(stage, folder, tmp_path)
    at = goto(app(), "trainer_sign_in")
    at.text_input[0].input(PASSPHRASE)
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception, at.exception
    for page in TRAINER_PAGES:
        goto(at, page)
        assert not errors(at), (stage, page, errors(at))
    if stage != "empty":
        # the workshop's Key Results tab was drawn, whatever the stage
        goto(at, "workshops")
        assert any("Trained" == m.label for m in at.metric), stage
    code = CODE if stage != "empty" else ""
    # imported officers have no PIN on this laptop until the trainer sets one: a newcomer joins
    name = "Keo Lina" if stage == "imported" else "Sok Chea"
    sign_in(goto(at, "sign_in"), code=code, name=name)
    assert at.title[0].value == f"Welcome, {name}", (stage, errors(at))
    for page in TRAINEE_PAGES:
        goto(at, page)
        assert not errors(at), (stage, page, errors(at))


def test_workshops_page_with_pre_test_answers_only(folder, tmp_path):
    """The scatter chart of pre/post pairs has no point yet: the page still draws its Key Results."""
    build_stage("pre-only", folder, tmp_path)
    at = goto(app(), "trainer_sign_in")
    at.text_input[0].input(PASSPHRASE)
    at.get("form_submit_button")[0].click()
    at.run()
    goto(at, "workshops")
    assert not errors(at), errors(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Trained"] == "3"
    assert metrics["Assessed (pre and post)"] == "0"
    assert metrics["Mean pre-test"] == "-"  # means count trainees with both tests only
