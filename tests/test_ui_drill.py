"""The drill and threshold pages under AppTest: solo, team (two sessions), Khmer, thresholds.

Documents come from :func:`test_drill_support.fake_material` (small grey
pictures already in the drill's cache): the pages' logic, not the renderer.
"""

from __future__ import annotations

import pytest
from test_drill_support import fake_material, fake_trials
from test_ui_support import app, errors, goto, make_folder, sign_in

from docexam.drill.material import document_kinds, technique_fits
from docexam.drill.scenario import load_scenarios
from docexam.drill.travellers import plan_queue
from docexam.training import TrainingRecord


@pytest.fixture
def folder(docexam_home, monkeypatch):
    monkeypatch.setenv("DOCEXAM_RENDER_WORKERS", "0")  # nothing rendered ahead: the material is faked
    lib = make_folder(docexam_home, monkeypatch)
    kinds = document_kinds()
    for s in load_scenarios():
        fake_material(plan_queue(s, kinds=kinds, fits=technique_fits))
    return lib


def press(at, key: str):
    found = [b for b in at.button if getattr(b, "key", None) == key]
    assert found, (key, [b.key for b in at.button])
    found[0].click().run()
    assert not at.exception, at.exception
    return at


def press_label(at, text: str):
    found = [b for b in at.button if b.label.endswith(text)]
    assert found, (text, [b.label for b in at.button])
    found[0].click().run()
    assert not at.exception, at.exception
    return at


def drill_page(name="Sok Chea"):
    at = goto(sign_in(app(), name=name), "drill")
    assert at.title[0].value == "Checkpoint drill" and not errors(at)
    return at


def state_of(at):
    with TrainingRecord.open() as record:
        return record.drill_state(at.session_state["drill"]["id"])


def test_solo_drill_from_the_first_traveller_to_the_debrief(folder):
    at = drill_page()
    at.selectbox(key="drill-pick").select("night-shift-impostor").run()
    press_label(at, "Go")
    assert at.session_state["drill"]["role"] == "first-line"
    assert [m.label for m in at.metric][:3] == ["Shift clock", "Waiting in the queue", "Dealt with"]
    press_label(at, "Call the next traveller")
    # the counter: tools with their cost, the question list, the decision
    labels = [b.label for b in at.button]
    assert "MRZ check (reader) · 20 s" in labels and "UV lamp · 15 s" in labels
    press_label(at, "MRZ check (reader) · 20 s")
    assert any("✓ MRZ check" in b.label for b in at.button)
    assert "Check digit of the date of birth" in " ".join(m.value for m in at.markdown)
    at.selectbox(key=next(s.key for s in at.selectbox if s.key.endswith("-q"))).select("date_of_birth").run()
    press_label(at, "Ask the traveller · 20 s")
    assert "31.01.1990" in " ".join(m.value for m in at.markdown) or "01.31.1990" in " ".join(m.value for m in at.markdown)
    note = next(ti for ti in at.text_input if ti.key.endswith("-note"))
    note.input("papers in order").run()
    press_label(at, "Admit")
    s = state_of(at)
    assert s.cases[0].decision == "admit" and s.cases[0].note == "papers in order"
    assert [u.tool for u in s.cases[0].uses] == ["mrz", "question"]
    # the clock ran on by the tools' 40 s
    assert s.clock(s.cases[0].decided_at) >= 40
    press_label(at, "End the drill now")
    assert at.success[0].value == "The drill is over. Here is your debrief."
    assert [m.label for m in at.metric][:4] == ["Frauds stopped", "Genuine travellers stopped", "d′", "Criterion c"]
    assert not errors(at)


def test_team_drill_referral_passed_to_the_second_line(folder):
    first = drill_page("Sok Chea")
    first.selectbox(key="drill-pick").select("land-rush-hour").run()
    first.radio(key="drill-mode").set_value("team").run()
    first.selectbox(key="drill-role").select("first-line").run()
    press_label(first, "Go")
    code = first.session_state["drill"] and state_code(first)
    second = drill_page("Chan Srey")
    second.radio(key="drill-mode").set_value("join").run()
    second.text_input(key="drill-code").input(code.lower()).run()
    second.selectbox(key="drill-role").select("second-line").run()
    press_label(second, "Go")
    assert second.session_state["drill"]["role"] == "second-line"
    first.run()
    assert "Chan Srey" in " ".join(m.value for m in first.markdown)
    press_label(first, "Start the shift")
    press_label(first, "Call the next traveller")
    next(ti for ti in first.text_input if ti.key.endswith("-note")).input("face older than the photo").run()
    press_label(first, "Refer to second line")
    second.run()
    assert "face older than the photo" in " ".join(m.value for m in second.markdown)
    press_label(second, "Take this referral")
    assert any("First line: Refer to second line. Note: face older than the photo" in i.value for i in second.info)
    press_label(second, "Refuse entry")
    s = state_of(second)
    assert s.cases[0].outcome == "refuse" and s.cases[0].taken_by != s.cases[0].called_by


def state_code(at) -> str:
    with TrainingRecord.open() as record:
        return record.drill_session(at.session_state["drill"]["id"]).code


def test_drill_page_in_khmer(folder):
    at = sign_in(app())
    at.session_state["lang-choice"] = "km"
    at.run()
    goto(at, "drill")
    assert at.title[0].value == "លំហាត់ត្រួតពិនិត្យនៅច្រកព្រំដែន"
    press_label(at, "ទៅ")
    press_label(at, "ហៅអ្នកដំណើរបន្ទាប់")
    assert any("ចង្កៀង UV" in b.label for b in at.button)
    assert not errors(at)


def test_thresholds_page_records_a_trial(folder):
    fake_trials("photo-substitution")
    at = goto(sign_in(app()), "thresholds")
    assert at.title[0].value == "My detection thresholds" and not errors(at)
    at.selectbox(key="thr-technique").select("photo-substitution").run()
    press_label(at, "Measure it (40 trials)")
    assert "One of these four is forged. Which one?" in " ".join(m.value for m in at.markdown)
    assert [b.label for b in at.button if b.label in "1234"] == ["1", "2", "3", "4"]
    run = at.session_state["threshold-run"]
    press(at, next(b.key for b in at.button if b.label == "1"))
    with TrainingRecord.open() as record:
        trials = record.threshold_trials(run_uid=run["run"])
    assert len(trials) == 1 and trials[0].technique == "photo-substitution" and trials[0].form == "pre"
    assert trials[0].severity == 0.5
    # a reload of the page resumes the run
    at2 = goto(sign_in(app()), "thresholds")
    at2.selectbox(key="thr-technique").select("photo-substitution").run()
    assert any(b.label == "Go on with the measurement (1 trials done)" for b in at2.button)


def test_consulted_officer_advises_the_second_line_and_a_reload_finds_the_drill(folder):
    first = drill_page("Sok Chea")
    first.radio(key="drill-mode").set_value("team").run()
    press_label(first, "Go")
    code = state_code(first)
    joined = {}
    for name, role in (("Chan Srey", "second-line"), ("Keo Dara", "consulted")):
        other = drill_page(name)
        other.radio(key="drill-mode").set_value("join").run()
        other.text_input(key="drill-code").input(code).run()
        other.selectbox(key="drill-role").select(role).run()
        press_label(other, "Go")
        joined[role] = other
    second, consulted = joined["second-line"], joined["consulted"]
    first.run()
    press_label(first, "Start the shift")
    press_label(first, "Call the next traveller")
    press_label(first, "Refer to second line")
    second.run()
    press_label(second, "Take this referral")
    assert "Consult the Anti-trafficking police officer" in " ".join(m.value for m in second.markdown)
    next(ti for ti in second.text_input if ti.key.startswith("consult-")).input("who paid the ticket?").run()
    press_label(second, "Ask")
    consulted.run()
    assert "The second line asks: who paid the ticket?" in " ".join(m.value for m in consulted.markdown)
    next(ta for ta in consulted.text_area if ta.key.startswith("advise-")).input("debt bondage: interview apart").run()
    press_label(consulted, "Send the advice")
    second.run()
    assert any("Advice: debt bondage: interview apart" in s.value for s in second.success)
    # a reload (a new session of the same officer) offers the drill going on
    again = drill_page("Sok Chea")
    assert any(b.label.startswith("Back to your drill: Land crossing at rush hour") for b in again.button)


def _preloaded(at) -> list[str]:
    """The picture addresses the page asks the browser to fetch ahead (its hidden preload block)."""
    import re

    blocks = [m.value for m in at.markdown if "dx-preload" in m.value]
    assert len(blocks) <= 1
    return re.findall(r"src='([^']+)'", blocks[0]) if blocks else []


def test_the_counter_has_the_browser_fetch_the_next_travellers_pictures_before_the_call(folder):
    from docexam.drill.material import TravellerJob, cached_document, photo_path
    from docexam.ui import media

    at = drill_page()
    at.selectbox(key="drill-pick").select("night-shift-impostor").run()
    press_label(at, "Go")
    cases = state_of(at).cases
    assert _preloaded(at) == []  # nothing encoded yet: nothing named (a preload never encodes in the run)
    for case in cases[:3]:  # what the background preparation does ahead of the officers
        media.warm(TravellerJob(case.traveller)())
    at.run()

    def pictures(case, lights=("visible",)):
        material = cached_document(case.traveller.document)
        return [media.image_url(material.image(light)) for light in lights]

    first, second, third = cases[:3]
    photo = media.image_url(photo_path(first.traveller))
    assert _preloaded(at) == [photo, *pictures(first), media.image_url(photo_path(second.traveller)), *pictures(second)]
    press_label(at, "Call the next traveller")
    # the desk names the pictures the browser fetched: the photo, and the document in the light shown
    assert any(f"src='{photo}'" in m.value for m in at.markdown if "dx-picture" in m.value)
    # now the two travellers after this one, and this document's other lights (a lamp is one press away)
    assert _preloaded(at) == [media.image_url(photo_path(second.traveller)), *pictures(second),
                              media.image_url(photo_path(third.traveller)), *pictures(third),
                              *pictures(first, ("uv", "ir"))]
