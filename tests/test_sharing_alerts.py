"""Alerts: raised in the studio's specimen, quiz and refresher material, a home-page notice, a one-page card."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from docexam.errors import DocexamError
from docexam.lessons import default_specimens
from docexam.sharing.alerts import alert_items, create_alert, list_alerts, new_alerts
from docexam.sharing.card import card_pdf
from docexam.sharing.pack import export_pack, import_pack
from docexam.signing import installation_key, trust_key
from docexam.training import TrainingRecord

from sharing_fixtures import make_specimen, make_template
from test_ui_support import app, goto, make_folder, sign_in


def _own_specimens():
    return default_specimens(library=lambda: [])


def _raise(**changes):
    spec = next(s for s in _own_specimens() if s.name == "demo-forged")
    values = dict(specimen=spec, title="Photo swapped on demo cards", title_km="រូបថតត្រូវបានប្តូរ",
                  imitates="Demo card, 2024 issue", seen_where="Poipet checkpoint", seen_when="November 2026",
                  what_to_check=["Edges of the photo", "", "UV emblem over the photo"],
                  department="Immigration, Banteay Meanchey")
    values.update(changes)
    return create_alert(**values)


@pytest.fixture
def studio_forgery():
    make_template()
    make_specimen("demo-forged")
    make_specimen("demo-genuine", forged=False, seed=5, lights=("visible",))


def test_an_alert_is_raised_from_a_studio_forgery(studio_forgery):
    alert = _raise()
    assert alert.id == "photo-swapped-on-demo-cards" and alert.what_to_check == ["Edges of the photo",
                                                                                  "UV emblem over the photo"]
    assert _raise().id == "photo-swapped-on-demo-cards-2"  # the same title twice: two alerts
    assert [a.id for a in list_alerts()][0].startswith("photo-swapped")
    items = alert_items([alert], _own_specimens())
    assert {i.id for i in items} >= {"demo-forged:verdict", "demo-forged:locate"}
    assert {i.topic for i in items} == {"alerts"}
    genuine = next(s for s in _own_specimens() if s.name == "demo-genuine")
    with pytest.raises(DocexamError, match="marked genuine"):
        _raise(specimen=genuine)
    with pytest.raises(DocexamError, match=r"alert: department: String should have at least 1 character"):
        _raise(department="  ")


def test_the_card_is_one_page_with_its_pictures(studio_forgery):
    alert = _raise(what_to_check=[f"Point {i}: " + "look closely at the edges " * 12 for i in range(12)])
    pdf = card_pdf(alert, _own_specimens())
    assert pdf.startswith(b"%PDF") and b"/Count 1\n" in pdf
    assert pdf.count(b"/Subtype /Image") == 2  # visible and UV, traces boxed


def test_an_alert_in_a_pack_is_a_quiz_item_and_a_home_notice_for_every_trainee(tmp_path, monkeypatch):
    """Must show: created at one installation, imported at another, new for each of its trainees."""
    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv("DOCEXAM_HOME", str(a))
    make_template()
    make_specimen("demo-forged")
    alert = _raise()
    pack = export_pack(tmp_path / "alert.dxpack").path
    key = installation_key().public_text

    monkeypatch.setenv("DOCEXAM_HOME", str(b))
    trust_key(key, "Banteay Meanchey")
    with TrainingRecord.open() as record:
        officers = [record.register_trainee(name=f"Officer {i}", department="Immigration", province="Koh Kong",
                                            pin="4821") for i in range(3)]
        assert [a.id for a in new_alerts(record, officers[0].id)] == []
        import_pack(record, pack)
        assert [x.id for x in list_alerts()] == [alert.id]
        items = alert_items(list_alerts(), _own_specimens())  # the quizzes' specimens now hold it
        verdict = next(i for i in items if i.id == "demo-forged:verdict")
        assert verdict.key == {"kind": "choice", "answer": "forged"}
        for me in officers:
            assert [x.id for x in new_alerts(record, me.id)] == [alert.id]
        # answering one of its questions: no longer new for that officer only
        record.record_attempt(uuid=str(uuid.uuid4()), trainee_id=officers[0].id, workshop_id=None,
                              item_id=verdict.id, item_type="verdict", topic="alerts", form="refresher",
                              score=1.0, correct=True, answer={"choice": "forged"}, specimen_genuine=False)
        assert new_alerts(record, officers[0].id) == []
        assert [x.id for x in new_alerts(record, officers[1].id)] == [alert.id]


# ------------------------------------------------------------------------- pages

@pytest.fixture
def ui_alert(docexam_home, monkeypatch):
    make_folder(docexam_home, monkeypatch)
    make_template()
    make_specimen("demo-forged")
    return _raise()


def test_home_shows_new_alerts_and_the_alerts_page_opens(ui_alert):
    at = sign_in(app())
    notices = [w.value for w in at.warning]
    assert any(v.startswith("New alert: Photo swapped on demo cards (raised by Immigration") for v in notices)
    goto(at, "alerts")
    assert at.title[0].value == "Alerts: new forgeries" and not at.exception
    assert "Edges of the photo" in "".join(m.value for m in at.markdown)
    goto(at, "refresher")
    assert not at.exception  # the alert's questions are the first refresher items
    goto(at, "results")
    assert not at.exception


def test_khmer_alert_notice(ui_alert):
    at = app()
    at.session_state["lang-choice"] = "km"
    at.run()
    sign_in(at)
    assert any("រូបថតត្រូវបានប្តូរ" in w.value and w.value.startswith("ការព្រមានថ្មី") for w in at.warning)


def test_trainer_alert_and_sharing_pages(ui_alert):
    from test_ui_app import unlock_trainer

    at = unlock_trainer(app())
    goto(at, "raise_alert")
    assert at.title[0].value == "Alerts" and not at.exception
    form = at.get("form_submit_button")[0]
    at.text_input[0].input("Washed visa page")
    at.text_input[2].input("Demo card")
    at.text_area[0].input("Fibres under UV")
    at.text_input[5].input("Maritime police, Koh Kong")
    form.click()
    at.run()
    assert not at.exception and [s.value for s in at.success][-1].startswith("Alert washed-visa-page raised")
    goto(at, "sharing")
    assert at.title[0].value == "Sharing" and not at.exception
    assert installation_key().public_text in [c.value for c in at.code]
