"""The course order is enforced on every trainee page, with a message saying when the page opens."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from test_ui_support import app, goto, make_folder, sign_in

CODE = "PP-1"
GATED = {"lessons": "Lessons", "practice": "Practice", "refresher": "Refresher", "post_test": "Post-test",
         "survey": "Survey"}


@pytest.fixture
def workshop(docexam_home, monkeypatch):
    from docexam.training import TrainingRecord, kdf

    monkeypatch.setattr(kdf, "SCRYPT_N", 2**8)
    make_folder(docexam_home, monkeypatch)
    with TrainingRecord.open() as record:
        ws = record.create_workshop(title="Level 1", place="Poipet", province="Banteay Meanchey",
                                    start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 5), code=CODE)
    return ws


def answer_form(ws, form: str) -> None:
    """Every item of the workshop's frozen ``form`` answered by the signed-in trainee."""
    from docexam.training import TrainingRecord

    with TrainingRecord.open() as record:
        (me,) = record.trainees(ws.id)
        for item_id, topic in record.frozen_forms(ws.id)[form]:
            record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=me.id, workshop_id=ws.id, item_id=item_id,
                                  item_type=item_id.split(":")[1], topic=topic, form=form, score=1.0, correct=True)


def closed(at) -> str | None:
    return at.info[0].value if at.info else None


@pytest.mark.parametrize("page", list(GATED))
def test_each_page_waits_for_the_pre_test(workshop, page):
    at = goto(sign_in(app(), code=CODE), page)
    assert at.title[0].value == GATED[page]
    assert closed(at) == "This page opens once you have finished the pre-test."
    # nothing of the page itself is drawn (no question, no lesson text)
    assert not at.radio and not at.get("form")
    goto(at, "pre_test")
    assert closed(at) != "This page opens once you have finished the pre-test." and at.radio


def test_the_order_opens_step_by_step(workshop):
    from docexam.assessment.course import CourseSettings
    from docexam.training import TrainingRecord

    opens = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    with TrainingRecord.open() as record:
        record.set_course_settings(workshop.id, CourseSettings(practice_per_lesson=1, opens_at={"post-test": opens}))
    at = goto(sign_in(app(), code=CODE), "pre_test")  # draws and freezes the forms
    answer_form(workshop, "pre")
    for page in ("lessons", "practice", "refresher"):
        goto(at, page)
        assert not (closed(at) or "").startswith("This page opens"), page
    goto(at, "post_test")
    assert closed(at).startswith("This page opens once you have finished the lessons and practice. It opens on ")
    goto(at, "survey")
    assert closed(at) == "This page opens once you have finished the lessons and practice."
    # the trainer lets the post-test open now, without practice
    with TrainingRecord.open() as record:
        record.set_course_settings(workshop.id, CourseSettings())
    goto(at, "post_test")
    assert at.radio, "the post-test asks its first question"
    goto(at, "survey")
    assert closed(at) == "This page opens once you have finished the post-test."
    answer_form(workshop, "post")
    goto(at, "survey")
    assert at.title[0].value == "Survey" and at.get("form")


def test_a_step_left_out_of_the_course(workshop):
    from docexam.assessment.course import CourseSettings
    from docexam.training import TrainingRecord

    with TrainingRecord.open() as record:
        record.set_course_settings(workshop.id, CourseSettings(order=("lessons", "post-test")))
    at = goto(sign_in(app(), code=CODE), "pre_test")
    assert closed(at) == "This part is not in your workshop's course."
    goto(at, "lessons")
    assert not (closed(at) or "").startswith("This page opens")


def test_khmer_message(workshop):
    at = app()
    at.session_state["lang-choice"] = "km"
    at.run()
    goto(sign_in(at, code=CODE), "lessons")
    assert closed(at) == "ទំព័រនេះនឹងបើក នៅពេលអ្នកបញ្ចប់តេស្តមុនវគ្គ។"
