"""The officer's tools: the reference of genuine documents, the desk's next steps after a suspect result,
and practice rounds that say when a lesson has too few documents for ten questions."""

from __future__ import annotations

import pytest

from docexam.examine.analyzers.devices import advice
from docexam.examine.report import Finding, Note, Report, Unexamined
from docexam.i18n import Message
from docexam.lessons import load_lessons
from docexam.lessons.reference import AFTER_SUSPECT, section, security_features
from docexam.paths import lessons_dir
from docexam.specimens import find_template
from test_ui_support import app, element_text, errors, goto, make_folder, sign_in


@pytest.fixture
def folder(docexam_home, monkeypatch):
    return make_folder(docexam_home, monkeypatch)


def test_the_shipped_lessons_explain_every_feature_of_the_shipped_templates():
    lessons = load_lessons(lessons_dir())
    for template_id in ("uto-td3", "mrd-td1"):
        features = security_features(find_template(template_id), lessons)
        unexplained = [f.name for f in features if not f.sections]
        assert unexplained == [], (template_id, unexplained)
        # explained in both languages
        for feature in features:
            for _, sec in feature.sections:
                assert sec.text_km and sec.heading_km, (feature.name, sec.heading)
    microprint = next(f for f in security_features(find_template("uto-td3"), lessons) if f.kind == "microprint")
    assert [s.heading for _, s in microprint.sections] == ["Microprint"]
    lesson, steps = section(lessons, AFTER_SUSPECT)
    assert lesson.id == "forgeries-review" and "second line" in steps.text and steps.text_km


def test_the_reference_shows_each_feature_in_every_light_with_the_lesson_text(folder):
    at = goto(app(), "reference")
    assert at.title[0].value == "Genuine documents and their security features" and not errors(at)
    at.selectbox(key="ref-template").set_value("demo-td3").run()
    assert not at.exception
    # the test template: no genuine specimen is flat in the test folder's demo template? then the blank one
    features = [o for o in at.selectbox(key="ref-feature").options]
    assert features[:3] == ["1. Background", "2. Guilloche band", "3. Microprint"]
    at.selectbox(key="ref-feature").set_value(2).run()  # the microprint line
    assert not at.exception
    assert at.subheader[0].value == "3. Microprint"
    shown = element_text(at)
    assert "With a magnifier you" in shown and "Security printing: guilloche" in shown
    # one close-up per light of the template (visible and UV)
    assert [c.value for c in at.caption if c.value in ("White light", "UV")] == ["White light", "UV"]


def test_the_reference_in_khmer(folder):
    at = app()
    at.session_state["lang-choice"] = "km"
    at.run()
    goto(at, "reference")
    assert at.title[0].value == "ឯកសារពិត និងលក្ខណៈសុវត្ថិភាពរបស់វា" and not errors(at)


def _suspect_report() -> Report:
    finding = Finding(family="personalization", technique="photo-substitution", zone="portrait",
                      bbox=(20, 40, 90, 140), score=0.91, message="a sharp edge all round the photo")
    return Report(image="doc.png", template="demo-td3", verdict="suspect", score=0.82, findings=[finding])


def test_after_a_suspect_result_the_desk_gives_the_next_steps_and_a_referral_note(folder):
    at = app()
    at.session_state["desk-report"] = _suspect_report()
    goto(at, "desk")
    assert errors(at) == ["Suspect. Findings: 1."]  # the verdict, in red
    assert at.subheader[0].value == "After a suspect result: the next steps"
    shown = element_text(at)
    assert "Refer the document and the traveller to the second line" in shown
    assert "Review: forgeries and counterfeits" in shown  # the lesson it comes from
    note = at.text_area(key="desk-note").value
    assert "Document type: Demo passport (test) (demo-td3)" in note
    assert "1. Portrait: Photo substitution (0.91): a sharp edge all round the photo" in note
    assert "What I saw myself" in note
    # the officer's own words stay across reruns
    at.text_area(key="desk-note").input(note + "Guilloche stops at the photo border.\n").run()
    assert at.text_area(key="desk-note").value.endswith("photo border.\n")


def test_a_consistent_result_has_no_next_steps(folder):
    at = app()
    at.session_state["desk-report"] = Report(image="doc.png", template="demo-td3", verdict="consistent", score=0.1)
    goto(at, "desk")
    assert not at.subheader or at.subheader[0].value != "After a suspect result: the next steps"
    assert not [a for a in at.text_area if a.key == "desk-note"]


def test_the_next_steps_in_khmer(folder):
    at = app()
    at.session_state["lang-choice"] = "km"
    at.session_state["desk-report"] = _suspect_report()
    at.run()
    goto(at, "desk")
    assert at.subheader[0].value == "បន្ទាប់ពីលទ្ធផលគួរឱ្យសង្ស័យ៖ ជំហានបន្ទាប់"
    assert "ការប្ដូររូបថត" in at.text_area(key="desk-note").value  # technique named in Khmer


def _report_with_hand_checks(verdict: str) -> Report:
    report = _suspect_report() if verdict == "suspect" else Report(image="doc.png", template="demo-td3",
                                                                    verdict=verdict, score=0.2)
    report.unexamined = [Unexamined("kinegram", "kinegram", (10, 10, 60, 60), "tilt", advice("kinegram", "kinegram"))]
    report.notes = [Note("microprint", "inconclusive", Message("The microprint is too small to read in this capture."))]
    return report


def test_the_desk_lists_what_the_picture_cannot_show(folder):
    at = app()
    at.session_state["desk-report"] = _report_with_hand_checks("consistent")
    goto(at, "desk")
    assert not errors(at)
    shown = element_text(at)
    assert "Check by hand" in shown
    assert "Kinegram (tilt it): Tilt the document under a light: the kinegram must change colour" in shown
    assert [e.label for e in at.expander if e.label.startswith("Checks the machine")] == \
        ["Checks the machine could not make (1)"]
    assert "The microprint is too small to read in this capture." in shown
    # a suspect result's referral note carries them, for the officer to fill in
    at.session_state["desk-report"] = _report_with_hand_checks("suspect")
    at.session_state.pop("desk-note", None) if "desk-note" in at.session_state else None
    at.run()
    note = at.text_area(key="desk-note").value
    assert "Not examined by the machine (check by hand):\n- Kinegram (tilt it): Tilt the document" in note


def test_what_the_picture_cannot_show_in_khmer(folder):
    at = app()
    at.session_state["lang-choice"] = "km"
    at.session_state["desk-report"] = _report_with_hand_checks("consistent")
    at.run()
    goto(at, "desk")
    shown = element_text(at)
    assert "ពិនិត្យដោយដៃ" in shown and "Check by hand" not in shown
    assert "Tilt the document" not in shown  # the advice itself is in Khmer (Message, translated when shown)


def test_a_short_practice_round_says_why(folder, monkeypatch):
    from docexam.ui import course

    # self-study: practice opens after the pre-test (taken, for this test); the test folder has 8 documents
    monkeypatch.setattr(course, "form_complete", lambda *a, **k: True)
    at = goto(sign_in(app()), "practice")
    messages = [i.value for i in at.info]
    assert any("different documents only" in m for m in messages), messages
