"""Pre-test and post-test: parallel forms from one blueprint, disjoint and reproducible."""

from __future__ import annotations

import pytest

from docexam.assessment.forms import blueprint_from_lessons, check_blueprint, parallel_forms, pool_capacity
from docexam.lessons import lesson_items, load_lessons, load_specimen_folder
from docexam.lessons.items import Item
from docexam.paths import lessons_dir
from test_lessons_support import build_library


def make_item(spec: str, kind: str, topic: str, difficulty: float = 0.5) -> Item:
    return Item(id=f"{spec}:{kind}", type=kind, specimens=(spec,), template="t", prompt="", prompt_km="",
                shown={}, key={"kind": "choice", "answer": "forged"}, feedback={}, topic=topic,
                difficulty=difficulty)


POOL = ([make_item(f"v{i}", "verdict", "review", difficulty=i / 10) for i in range(10)]
        + [make_item(f"m{i}", "mrz", "mrz") for i in range(6)]
        + [make_item(f"v{i}", "technique", "printing") for i in range(6)])
BLUEPRINT = {("review", "verdict"): 3, ("mrz", "mrz"): 2, ("printing", "technique"): 2}


def ids(form):
    return [i.id for i in form]


def test_forms_follow_blueprint_and_are_disjoint():
    forms = parallel_forms(POOL, BLUEPRINT, seed=11)
    assert set(forms) == {"pre", "post"}
    for form in forms.values():
        cells = {}
        for item in form:
            cells[(item.topic, item.type)] = cells.get((item.topic, item.type), 0) + 1
        assert cells == BLUEPRINT
    assert not set(ids(forms["pre"])) & set(ids(forms["post"]))
    # no specimen shown in both tests (v0..v5 carry a verdict and a technique item)
    specs = [{s for i in f for s in i.specimens} for f in forms.values()]
    assert not specs[0] & specs[1]


def test_forms_are_reproducible_and_seeded():
    a = parallel_forms(POOL, BLUEPRINT, seed=11)
    b = parallel_forms(list(reversed(POOL)), BLUEPRINT, seed=11)
    assert {k: ids(v) for k, v in a.items()} == {k: ids(v) for k, v in b.items()}
    others = [parallel_forms(POOL, BLUEPRINT, seed=s) for s in range(5)]
    assert len({tuple(ids(f["pre"])) for f in others}) > 1


def test_forms_have_matched_difficulty():
    forms = parallel_forms(POOL, {("review", "verdict"): 5}, seed=2)
    pre = sum(i.difficulty for i in forms["pre"])
    post = sum(i.difficulty for i in forms["post"])
    assert abs(pre - post) <= 0.5  # pairs (0, .1), (.2, .3), ... split between the forms


def test_pool_too_small_names_the_cell():
    with pytest.raises(ValueError, match="mrz × mrz needs 8 distinct items"):
        parallel_forms(POOL, {("mrz", "mrz"): 4}, seed=1)
    assert pool_capacity(POOL, BLUEPRINT)[("mrz", "mrz")] == 6


def test_pool_not_modified():
    pool = list(POOL)
    parallel_forms(pool, BLUEPRINT, seed=3)
    assert pool == POOL


@pytest.mark.parametrize("bad", [{}, {("a", "essay"): 1}, {("a", "verdict"): -1}, {"a": 1},
                                 {("a", "verdict"): 0}])
def test_bad_blueprint(bad):
    with pytest.raises(ValueError, match="blueprint"):
        check_blueprint(bad)


def test_three_forms_and_bad_arguments():
    forms = parallel_forms(POOL, {("review", "verdict"): 3}, seed=1, names=("pre", "post", "delayed"))
    assert sum(len(f) for f in forms.values()) == 9 and len({i for f in forms.values() for i in ids(f)}) == 9
    with pytest.raises(ValueError, match="seed"):
        parallel_forms(POOL, BLUEPRINT, seed="1")
    with pytest.raises(ValueError, match="names"):
        parallel_forms(POOL, BLUEPRINT, seed=1, names=("a", "a"))


def test_forms_from_lessons_and_specimens(tmp_path, docexam_home):
    specimens = load_specimen_folder(build_library(docexam_home, tmp_path / "lib"))
    lessons = load_lessons(lessons_dir())
    pool = [item for le in lessons for item in lesson_items(le, specimens)]
    capacity = pool_capacity(pool, blueprint_from_lessons(lessons))
    assert capacity[("mrz", "mrz")] >= 8 and capacity[("review", "verdict")] == 8
    blueprint = {("mrz", "mrz"): 2, ("review", "verdict"): 2, ("personalization", "technique"): 1,
                 ("substrates", "verdict"): 1, ("review", "compare"): 1}
    forms = parallel_forms(pool, blueprint, seed=5)
    assert len(forms["pre"]) == len(forms["post"]) == 7
    assert not set(ids(forms["pre"])) & set(ids(forms["post"]))
