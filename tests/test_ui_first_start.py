"""The first start: while the library renders, trainees warm up on the starter documents and the tests wait.

The library here is the small test folder (``test_ui_support``) seen as the
shipped library part-rendered: its recipes are the folder's specimens plus
one not rendered yet, and a preparation process "runs" (this test holds its
lock), as on a fresh install a few seconds after ``docexam app`` started.
"""

from __future__ import annotations

import pytest

from docexam.lessons.source import load_specimen_folder
from docexam.ui import prepare, starter, state
from test_ui_support import app, current, errors, goto, make_folder, sign_in


def _recipes(specimens) -> list[dict]:
    return [{"name": s.name, "template": s.template, "capture": s.capture_kind,
             "forge": s.anomalies[0].technique if s.anomalies else None} for s in specimens]


@pytest.fixture
def first_start(docexam_home, monkeypatch):
    """The test folder as a library still being rendered (one document to go), a preparation process running."""
    lib = make_folder(docexam_home, monkeypatch)
    monkeypatch.delenv("DOCEXAM_SPECIMENS_DIR")
    specimens = load_specimen_folder(lib)
    recipes = _recipes(specimens) + [{"name": "later", "template": specimens[0].template, "capture": "scan",
                                      "forge": None}]
    monkeypatch.setattr(starter, "_library", lambda: (lib, recipes, lambda r: r["name"]))
    lock = prepare.claim()
    yield lib, specimens, recipes
    lock.close()


def test_starter_documents_are_a_forged_and_a_genuine_flat_of_one_template(first_start):
    _lib, specimens, recipes = first_start
    first = starter.starter_recipes(recipes)
    assert [r["name"] for r in first] == ["f-photo", "g1"]  # the pasted photo, and a genuine of its template
    assert starter.starter_names() == {"f-photo", "g1"}
    assert starter.library_progress() == (len(specimens), len(specimens) + 1)


def test_a_trainee_warms_up_while_the_tests_wait(first_start):
    _lib, specimens, _recipes = first_start
    at = sign_in(app())
    # home: the welcome, what is happening, and a warm-up question at once (no wait for the library)
    assert at.title[0].value == "Welcome, Sok Chea"
    assert not errors(at)
    assert any("specimen library is prepared" in i.value for i in at.info)
    assert [h.value for h in at.subheader][:1] == ["Warm-up while you wait"]
    shown = current(at, "warm-up")
    assert shown["type"] in {"verdict", "compare", "locate", "family", "technique", "light", "mrz"}
    # the pre-test says it waits for the library; it shows no question yet
    goto(at, "pre_test")
    assert at.title[0].value == "Pre-test"
    assert any("specimen library is prepared" in i.value for i in at.info)
    assert "quiz:pre:0" not in at.session_state
    # the trainer sees the library's progress on every page
    assert state.library_complete() is False


def test_once_the_library_is_complete_the_pre_test_opens_without_the_warm_up_documents(first_start, monkeypatch):
    lib, specimens, recipes = first_start
    at = sign_in(app())
    assert "quiz:warm-up" in at.session_state
    done = [r for r in recipes if r["name"] != "later"]
    monkeypatch.setattr(starter, "_library", lambda: (lib, done, lambda r: r["name"]))
    goto(at, "pre_test")
    assert not errors(at)
    assert at.title[0].value == "Pre-test"
    assert "quiz:pre:0" in at.session_state
    # the forms are drawn from the library less the warm-up's documents
    pool = state._pool("", str(lib.parent), frozenset())
    used = {name for item in pool for name in item.specimens}
    assert used and not used & {"f-photo", "g1"}


def test_self_study_forms_are_drawn_once_and_read_back_at_the_next_start(docexam_home, monkeypatch, tmp_path):
    from docexam.lessons.format import load_all_lessons
    from docexam.ui import course

    lib = make_folder(docexam_home, monkeypatch)
    lessons = load_all_lessons()
    pool = course.lesson_pool(lessons, load_specimen_folder(lib))
    drawn = course.cached_test_forms(pool, lessons, seed=0, folder=tmp_path)
    assert drawn == course.test_forms(pool, lessons, seed=0) and drawn["pre"]
    # the next start reads the draw back: the integer programme is not solved again
    monkeypatch.setattr(course, "test_forms", lambda *a, **k: pytest.fail("the forms were drawn again"))
    assert course.cached_test_forms(pool, lessons, seed=0, folder=tmp_path) == drawn
    # another pool (a specimen retired) is another draw
    assert course.forms_key(pool[1:], lessons, seed=0) != course.forms_key(pool, lessons, seed=0)
