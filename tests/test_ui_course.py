"""The UI's logic without Streamlit: coordinates, test forms, next steps, saving specimens, strings."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

from docexam.errors import DocexamError
from docexam.specimens import studio
from docexam.ui import course
from docexam.ui.i18n import text
from docexam.ui.keys import KEYS
from test_lessons_support import SIZE, build_library

REPO = Path(__file__).resolve().parents[1]


def test_click_maps_to_template_pixels_whatever_the_display_scale():
    size = (2953, 2079)
    # the same spot shown 1100 px wide, then stretched to 640 CSS px on a phone
    assert course.to_template_point({"x": 320, "y": 225.3, "width": 640, "height": 450.6}, size) == [1476, 1039]
    assert course.to_template_point({"x": 0, "y": 0, "width": 640, "height": 450.6}, size) == [0, 0]
    # a click on the last displayed pixel stays inside the image
    assert course.to_template_point({"x": 640, "y": 450.6, "width": 640, "height": 450.6}, size) == [2952, 2078]


def test_drag_maps_to_a_box_in_either_direction():
    value = {"x1": 60, "y1": 40, "x2": 20, "y2": 10, "width": 100, "height": 50}
    assert course.to_template_box(value, (1000, 500)) == [200, 100, 601, 401]
    assert course.to_template_box({**value, "x2": 60, "y2": 40}, (1000, 500)) is None


def test_zone_for_box_picks_the_smallest_zone_around_its_centre(docexam_home):
    from docexam.specimens import find_template

    build_library(docexam_home, docexam_home / "lib")
    tpl = find_template("demo-td3")
    assert studio.zone_for_box(tpl, [30, 50, 80, 130]) == "portrait"
    assert studio.zone_for_box(tpl, [150, 5, 160, 10]) == "background"
    assert studio.box_in_zone(tpl, "portrait", [0, 0, 50, 50]) == [20, 40, 50, 50]
    with pytest.raises(DocexamError):
        studio.box_in_zone(tpl, "mrz", [0, 0, 5, 5])


def test_test_forms_are_parallel_and_fit_a_small_library(docexam_home):
    from docexam.lessons import load_lessons, load_specimen_folder

    lib = build_library(docexam_home, docexam_home / "lib")
    lessons = load_lessons()
    pool = course.lesson_pool(lessons, load_specimen_folder(lib))
    forms = course.test_forms(pool, lessons, seed=3)
    pre, post = forms["pre"], forms["post"]
    assert pre and len(pre) == len(post)
    assert not {i.id for i in pre} & {i.id for i in post}
    assert sorted((i.topic, i.type) for i in pre) == sorted((i.topic, i.type) for i in post)
    assert course.test_forms(pool, lessons, seed=3) == forms
    assert course.test_forms([], lessons, seed=3) == {"pre": [], "post": []}


def test_a_room_signing_in_together_draws_the_workshops_forms_once(docexam_home, monkeypatch):
    """Thirty first sign-ins at once each drew the workshop's forms (minutes of CPU, GBs): now one draws."""
    import threading
    import time

    from docexam.assessment import forms as forms_module
    from docexam.lessons import load_lessons, load_specimen_folder
    from docexam.training import TrainingRecord
    from docexam.ui import state

    lib = build_library(docexam_home, docexam_home / "lib")
    lessons = tuple(load_lessons())
    pool = tuple(course.lesson_pool(lessons, load_specimen_folder(lib)))
    rec = TrainingRecord.open(f"sqlite:///{docexam_home / 'record.sqlite3'}")
    ws = rec.create_workshop(title="Level 1", place="Poipet", province="Banteay Meanchey",
                             start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 4), code="PP-9")
    draws, fit_forms = [], forms_module.fit_forms

    def slow_fit(*args, **kw):
        draws.append(1)
        time.sleep(0.3)  # a solve long enough for every session to arrive while it runs
        return fit_forms(*args, **kw)

    monkeypatch.setattr(forms_module, "fit_forms", slow_fit)
    for name, value in {"library_complete": lambda: True, "library_specimens": lambda: (),
                        "_library_source": lambda: "", "record": lambda: rec, "lessons": lambda: lessons,
                        "_pool": lambda *a: pool}.items():
        monkeypatch.setattr(state, name, value)
    got, barrier = [], threading.Barrier(6)

    def sign_in():
        barrier.wait()
        got.append(state.test_forms(ws.id))

    threads = [threading.Thread(target=sign_in) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    frozen = rec.frozen_forms(ws.id)
    rec.close()
    assert len(draws) == 1 and len(got) == 6 and all(forms == got[0] for forms in got)
    assert frozen["pre"] and len(frozen["pre"]) == len(frozen["post"])


def test_next_steps_follow_the_course():
    steps = course.next_steps
    assert steps(pre_done=False, post_done=False, survey_done=False, due=5) == ["pre-test"]
    assert steps(pre_done=True, post_done=True, survey_done=True, due=0) == ["results", "lessons"]
    assert steps(pre_done=True, post_done=True, survey_done=False, due=0, in_workshop=False) == ["results", "lessons"]
    assert steps(pre_done=False, post_done=False, survey_done=False, due=0, has_tests=False) == ["lessons"]


def _sidecar(**change):
    data = {"template": "demo-td3", "authentic": False, "capture": {"kind": "flat"},
            "holder": {"surname": "PEN", "given_names": "SOPHEA", "document_number": "N1234567",
                       "nationality": "UTO", "date_of_birth": "1990-01-01", "sex": "F",
                       "date_of_expiry": "2032-01-01"},
            "mrz": [], "anomalies": [{"family": "personalization", "technique": "photo-substitution",
                                      "zone": "portrait", "bbox": [22, 42, 88, 138], "note": "Cut edges."}]}
    data.update(change)
    return data


def test_save_user_specimen_writes_everything_or_nothing(docexam_home):
    from docexam.lessons import load_specimen_folder
    from docexam.specimens import find_template

    build_library(docexam_home, docexam_home / "lib")
    tpl = find_template("demo-td3")
    folder = docexam_home / "specimens"
    grey = np.full((SIZE[1], SIZE[0], 3), 180, np.uint8)
    # a box outside its zone: refused, and no file is left behind
    bad = _sidecar(anomalies=[{**_sidecar()["anomalies"][0], "bbox": [0, 0, 300, 200]}])
    with pytest.raises(DocexamError, match="not inside zone portrait"):
        studio.save_user_specimen(folder, "s1", template=tpl, images={"visible": grey}, sidecar=bad)
    assert not folder.exists() or not list(folder.iterdir())
    with pytest.raises(DocexamError, match="letters, digits"):
        studio.save_user_specimen(folder, "../evil", template=tpl, images={"visible": grey}, sidecar=_sidecar())
    with pytest.raises(DocexamError, match="exists already"):
        studio.save_user_specimen(folder, "g1", template=tpl, images={"visible": grey}, sidecar=_sidecar(),
                                  taken=["g1"])
    path = studio.save_user_specimen(folder, "s1", template=tpl, images={"visible": grey, "uv": grey // 2},
                                     sidecar=_sidecar())
    assert sorted(p.name for p in folder.iterdir()) == ["s1.json", "s1.png", "s1.uv.png"]
    assert path.name == "s1.json"
    (spec,) = load_specimen_folder(folder)
    assert spec.lights == ("visible", "uv")


def test_edit_and_delete_a_trainers_specimen(docexam_home):
    from docexam.lessons import load_specimen_folder
    from docexam.specimens import find_template

    build_library(docexam_home, docexam_home / "lib")
    tpl = find_template("demo-td3")
    folder = docexam_home / "specimens"
    grey = np.full((SIZE[1], SIZE[0], 3), 180, np.uint8)
    studio.save_user_specimen(folder, "s1", template=tpl, images={"visible": grey, "uv": grey}, sidecar=_sidecar())
    before = (folder / "s1.json").read_text()
    # a refused edit (an unknown technique; a zone the box does not reach) changes nothing
    with pytest.raises(DocexamError, match="not a technique"):
        studio.edit_user_specimen(folder, "s1", template=tpl, anomalies=[{"technique": "glue"}])
    with pytest.raises(DocexamError, match="does not overlap zone mrz"):
        studio.edit_user_specimen(folder, "s1", template=tpl, anomalies=[{"zone": "mrz"}])
    assert (folder / "s1.json").read_text() == before
    # the technique, its family, the zone, the note and a holder field change; the box stays in the new zone
    studio.edit_user_specimen(folder, "s1", template=tpl, holder={"surname": "SOK"},
                              anomalies=[{"technique": "ghost-image-mismatch", "zone": "background",
                                          "note": "The ghost image shows another face."}],
                              when=dt.date(2026, 3, 4))
    (spec,) = load_specimen_folder(folder)
    (a,) = spec.anomalies
    assert (a.technique, a.family, a.zone, a.note) == ("ghost-image-mismatch", "personalization", "background",
                                                       "The ghost image shows another face.")
    assert tuple(a.bbox) == (22, 42, 88, 138)
    assert spec.holder.surname == "SOK" and spec.extra.get("edited") == "2026-03-04"
    with pytest.raises(DocexamError, match="no such trainer's specimen"):
        studio.delete_user_specimen(folder, "g1")
    with pytest.raises(DocexamError, match="letters, digits"):
        studio.delete_user_specimen(folder, "../lib/g1")
    removed = studio.delete_user_specimen(folder, "s1")
    assert sorted(p.name for p in removed) == ["s1.json", "s1.png", "s1.uv.png"] and not list(folder.iterdir())
    assert (docexam_home / "lib" / "g1.json").is_file()


def test_fit_to_template_resizes_a_scan_and_refuses_other_proportions(docexam_home):
    from docexam.specimens import find_template

    build_library(docexam_home, docexam_home / "lib")
    tpl = find_template("demo-td3")
    assert studio.fit_to_template(np.zeros((400, 600, 3), np.uint8), tpl).shape == (200, 300, 3)
    with pytest.raises(DocexamError, match="proportions"):
        studio.fit_to_template(np.zeros((400, 400, 3), np.uint8), tpl)


def test_findings_against_annotations():
    from types import SimpleNamespace as F

    unseen, extra = course.findings_vs_annotations([F(bbox=(0, 0, 10, 10)), F(bbox=(100, 100, 110, 110))],
                                                   [[5, 5, 20, 20]])
    assert (unseen, extra) == ([], [1])


def test_opaque_keys_do_not_name_the_specimen():
    key = course.opaque_key("practice:x:0", "uto-td3-photo-substitution-flat-1070:locate")
    assert re.fullmatch(r"[0-9a-f]{12}", key)


# ---------------------------------------------------------------------------
# strings and boundaries

def _used_keys() -> set[str]:
    keys = set()
    files = [REPO / "app.py", *sorted((REPO / "docexam" / "ui").rglob("*.py"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                keys.add(node.args[0].value)
    return keys


def test_every_key_names_a_message():
    # the catalogues themselves are checked in tests/test_i18n.py; here the keys pages build
    missing = _used_keys() - set(KEYS)
    assert not missing, f"t() keys without a message: {sorted(missing)}"
    assert any("\u1780" <= ch <= "\u17ff" for ch in text("signin_intro", "km"))
    # dynamic keys built in the pages
    for step in course.STEPS:
        assert f"step_{step}" in KEYS
    for light in ("visible", "uv", "ir"):
        assert f"light_{light}" in KEYS


def test_only_the_ui_imports_streamlit():
    offenders = []
    for path in sorted((REPO / "docexam").rglob("*.py")):
        if "ui" in path.relative_to(REPO / "docexam").parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "streamlit" or n.startswith("streamlit") for n in names):
                offenders.append(str(path.relative_to(REPO)))
    assert not offenders
    # and the UI's logic module does not need it either
    source = (REPO / "docexam" / "ui" / "course.py").read_text(encoding="utf-8")
    assert "import streamlit" not in source


def test_app_command_runs_streamlit_offline():
    from docexam.cli.app import streamlit_command

    cmd = streamlit_command(host="0.0.0.0", port=8765)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("docexam/ui/server.py")
    assert "--browser.gatherUsageStats=false" in cmd and "--server.headless=true" in cmd
    assert "--server.address=0.0.0.0" in cmd and "--server.port=8765" in cmd
    config = (REPO / ".streamlit" / "config.toml").read_text()
    assert "gatherUsageStats = false" in config and "maxUploadSize" in config


def test_trainer_passphrase_command(docexam_home, monkeypatch, capsys):
    import io

    from docexam.cli import main
    from docexam.training import TrainingRecord

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["trainer-passphrase", "--stdin"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["trainer-passphrase", "--stdin"]) == 0
    with TrainingRecord.open() as record:
        assert record.check_trainer_passphrase("a long enough passphrase")


def test_the_server_draws_the_forms_of_a_workshop_made_on_the_command_line(docexam_home, monkeypatch):
    # `docexam workshop create` makes a workshop without forms: the server draws them before the room
    # signs in (the first sign-in drawing them kept every arriving trainee waiting on the lock)
    from docexam.lessons.format import load_lessons
    from docexam.lessons.source import load_specimen_folder
    from docexam.training import TrainingRecord
    from docexam.ui import state

    lib = build_library(docexam_home, docexam_home / "lib")
    lessons = tuple(load_lessons())
    pool = tuple(course.lesson_pool(lessons, load_specimen_folder(lib)))
    rec = TrainingRecord.open(f"sqlite:///{docexam_home / 'record.sqlite3'}")
    today = dt.date.today()
    running = rec.create_workshop(title="Level 1", place="Poipet", province="Banteay Meanchey",
                                  start_date=today, end_date=today + dt.timedelta(days=2), code="PP-1")
    ended = rec.create_workshop(title="Level 1", place="Koh Kong", province="Koh Kong",
                                start_date=today - dt.timedelta(days=9), end_date=today - dt.timedelta(days=7),
                                code="KK-1")
    for name, value in {"library_complete": lambda: True, "library_specimens": lambda: (),
                        "_library_source": lambda: "", "record": lambda: rec, "lessons": lambda: lessons,
                        "_pool": lambda *a: pool}.items():
        monkeypatch.setattr(state, name, value)
    try:
        assert state.draw_open_forms() == [running.id]
        frozen = rec.frozen_forms(running.id)
        assert frozen["pre"] and len(frozen["pre"]) == len(frozen["post"])
        assert not rec.frozen_forms(ended.id)  # its room has gone home: nothing to draw
        assert state.draw_open_forms() == []  # drawn once
    finally:
        rec.close()


def test_the_pictures_of_a_test_are_asked_for_ahead_once_and_encoded(docexam_home):
    # the server asks the preparation to encode an open workshop's test pictures before the room signs in
    from docexam.lessons.format import load_lessons
    from docexam.lessons.source import load_specimen_folder
    from docexam.ui import media, prepare, quiz

    lib = build_library(docexam_home, docexam_home / "lib")
    items = list(course.lesson_pool(tuple(load_lessons()), load_specimen_folder(lib)))[:12]
    pictures = {picture for item in items for picture in quiz.question_pictures(item.public())}
    documents = [item.public()["images"]["visible"] for item in items if item.public().get("images")]
    assert documents and {(path, None) for path in documents} <= pictures
    assert quiz.want_pictures(items) == len(pictures)
    assert prepare.encode_wanted_pictures() == len(pictures)  # what the preparation process does next
    assert all(media.encoded_image_url(path) for path in documents)
    assert quiz.want_pictures(items) == 0  # encoded: nothing asked again
