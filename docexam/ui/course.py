"""The course logic behind the pages, free of Streamlit so it can be tested alone.

Everything here is a small function over the package's objects (lessons,
items, attempts, specimens); the pages call it and only draw. Some of it
would sit better in another room one day (noted per function); it lives
here so the front end does not reach into code owned elsewhere.

* test forms for a workshop (:func:`test_forms`), stable for the workshop;
* what a trainee should do next (:func:`next_steps`) and own results per
  topic (:func:`form_scores`, :func:`topic_gains`);
* mapping a click or a drawn box on a scaled image back to template pixels
  (:func:`to_template_point`, :func:`to_template_box`).

Saving a trainer's annotated specimen and fitting boxes to zones live in
:mod:`docexam.specimens.studio`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..atomic import write_text
from ..errors import DocexamError
from ..assessment.forms import blueprint_from_lessons, fit_forms
from ..assessment.metrics import topic_scores
from ..imaging import load_image
from ..lessons.items import lesson_items

#: the forms a trainee sits, in order
TEST_FORMS = ("pre", "post")


# ---------------------------------------------------------------------------
# item keys that do not leak anything

def opaque_key(*parts: str) -> str:
    """A short widget key derived from ``parts``.

    Streamlit sends widget keys to the browser; item ids contain specimen
    names, and the shipped specimens are named after their forgery
    technique, so a key built from an item id would give the answer away.

    >>> opaque_key("uto-td3-erasure-flat-1011:locate") == opaque_key("uto-td3-erasure-flat-1011:locate")
    True
    >>> "erasure" in opaque_key("uto-td3-erasure-flat-1011:locate")
    False
    """
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


# ---------------------------------------------------------------------------
# test forms

def test_forms(pool: Sequence, lessons: Sequence, *, seed: int, difficulty: Mapping | None = None) -> dict[str, list]:
    """Parallel pre- and post-test forms drawn from ``pool`` for a workshop.

    The blueprint covers every (topic, item type) of the lessons, one item
    each; :func:`~docexam.assessment.forms.fit_forms` keeps as much of it as
    the pool can fill (half the verdict items genuine, no specimen twice in
    a form, matched difficulty).

    Returns
    -------
    dict
        ``{"pre": [Item, ...], "post": [Item, ...]}``, both empty when the
        pool is too small for any test.
    """
    if not lessons:
        return {name: [] for name in TEST_FORMS}
    forms, _kept = fit_forms(list(pool), blueprint_from_lessons(lessons), seed=seed, names=TEST_FORMS,
                             difficulty=difficulty)
    return forms


#: the code whose change must draw the forms again (a cached draw is keyed by it too)
_FORMS_CODE = (Path(__file__), Path(fit_forms.__code__.co_filename))


def forms_key(pool: Sequence, lessons: Sequence, *, seed: int) -> str:
    """A digest of everything :func:`test_forms` draws from: the pool's items, the lessons, the seed, the code.

    >>> forms_key([], [], seed=0) == forms_key([], [], seed=0) != forms_key([], [], seed=1)
    True
    """
    h = hashlib.sha256(f"forms|{seed}".encode())
    for path in _FORMS_CODE:
        h.update(path.read_bytes())
    for lesson in lessons:
        h.update(repr((lesson.id, lesson.topic, tuple(lesson.item_types))).encode())
    for item in pool:
        h.update(repr(item).encode())
    return h.hexdigest()[:24]


def cached_test_forms(pool: Sequence, lessons: Sequence, *, seed: int, folder: Path) -> dict[str, list]:
    """:func:`test_forms` kept on disk in ``folder`` by :func:`forms_key`: drawn once, read back at every start.

    Drawing the forms solves an integer programme (seconds on a laptop, many
    more under load): a restart, or the first trainee after it, reads the
    draw made before instead.
    """
    path = Path(folder) / f"forms-{forms_key(pool, lessons, seed=seed)}.json"
    by_key = {(item.id, item.topic): item for item in pool}
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {name: [by_key[(item_id, topic)] for item_id, topic in keys] for name, keys in stored.items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    forms = test_forms(pool, lessons, seed=seed)
    write_text(path, json.dumps({name: [[item.id, item.topic] for item in items] for name, items in forms.items()}))
    return forms


def lesson_pool(lessons: Sequence, specimens: Sequence) -> list:
    """Every lesson's items (tagged with the lesson's topic), one list."""
    out = []
    for lesson in lessons:
        out += lesson_items(lesson, specimens)
    return out


# ---------------------------------------------------------------------------
# a trainee's progress

def first_answers(attempts: Iterable) -> dict[tuple[str, str], object]:
    """The first attempt per (form, item id): what the Key Results count too."""
    first: dict[tuple[str, str], object] = {}
    for a in sorted(attempts, key=lambda a: (a.answered_at, a.id)):
        first.setdefault((a.form, a.item_id), a)
    return first


def answered_ids(attempts: Iterable, form: str) -> set[str]:
    """Item ids answered at least once on ``form``."""
    return {a.item_id for a in attempts if a.form == form}


def form_complete(attempts: Iterable, form: str, form_items: Sequence) -> bool:
    """True once every item of a non-empty ``form`` has an answer.

    >>> form_complete([], "pre", [])
    False
    """
    ids = {item.id for item in form_items}
    return bool(ids) and ids <= answered_ids(attempts, form)


def form_scores(attempts: Iterable, form: str) -> dict[str, float]:
    """Per topic, the mean score (0..1) of the first answer to each item of ``form``."""
    rows = [{"topic": a.topic, "score": a.score} for (f, _), a in first_answers(attempts).items() if f == form]
    return topic_scores(rows) if rows else {}


def overall(attempts: Iterable, form: str) -> float | None:
    """Mean score (0..1) of the first answers on ``form``; None when nothing was answered."""
    scores = [a.score for (f, _), a in first_answers(attempts).items() if f == form]
    return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class TopicGain:
    topic: str
    pre: float | None
    post: float | None

    @property
    def gain(self) -> float | None:
        return None if self.pre is None or self.post is None else self.post - self.pre


def topic_gains(attempts: Iterable) -> list[TopicGain]:
    """A trainee's own pre- and post-test score per topic (fractions), topics by name."""
    attempts = list(attempts)
    pre, post = form_scores(attempts, "pre"), form_scores(attempts, "post")
    return [TopicGain(t, pre.get(t), post.get(t)) for t in sorted(set(pre) | set(post))]


#: steps of the course, in the order a trainee meets them
STEPS = ("pre-test", "lessons", "refresher", "post-test", "survey", "results")


def next_steps(*, pre_done: bool, post_done: bool, survey_done: bool, due: int,
               has_tests: bool = True, in_workshop: bool = True) -> list[str]:
    """What to do next, most urgent first (keys of :data:`STEPS`).

    The pre-test comes before any lesson (it measures what the trainee
    knew); the post-test once the pre-test is done; the survey after the
    post-test, in a workshop only.

    >>> next_steps(pre_done=False, post_done=False, survey_done=False, due=0)
    ['pre-test']
    >>> next_steps(pre_done=True, post_done=False, survey_done=False, due=3)
    ['refresher', 'lessons', 'post-test']
    >>> next_steps(pre_done=True, post_done=True, survey_done=False, due=0)
    ['survey', 'results', 'lessons']
    """
    if has_tests and not pre_done:
        return ["pre-test"]
    steps = ["refresher"] if due else []
    if has_tests and post_done:
        if in_workshop and not survey_done:
            steps.append("survey")
        steps += ["results", "lessons"]
    else:
        steps.append("lessons")
        if has_tests:
            steps.append("post-test")
    return steps


# ---------------------------------------------------------------------------
# coordinates

def to_template_point(value: Mapping, size: tuple[int, int]) -> list[int]:
    """A click of ``streamlit-image-coordinates`` in template pixels.

    The component reports the click in displayed (CSS) pixels together with
    the displayed ``width`` and ``height``; the image shown may also be a
    downscaled copy, so the click is divided by the display scale
    (displayed size / template size), whatever the screen.

    >>> to_template_point({"x": 50, "y": 20, "width": 100, "height": 50}, (3000, 1500))
    [1500, 600]
    """
    w, h = size
    sx = float(value["width"]) / w
    sy = float(value["height"]) / h
    if sx <= 0 or sy <= 0:
        raise ValueError("value: the displayed image has no size")
    x = min(max(int(float(value["x"]) / sx), 0), w - 1)
    y = min(max(int(float(value["y"]) / sy), 0), h - 1)
    return [x, y]


def to_template_box(value: Mapping, size: tuple[int, int]) -> list[int] | None:
    """A click-and-drag of ``streamlit-image-coordinates`` (``x1, y1, x2, y2``) as a template box.

    Returns None for a drag too small to be a box (a click). Both ends of
    the drag are pixels of the box, so the exclusive ``x1, y1`` lie one past
    the far end.

    >>> to_template_box({"x1": 10, "y1": 10, "x2": 30, "y2": 5, "width": 100, "height": 50}, (1000, 500))
    [100, 50, 301, 101]
    """
    (ax, ay) = to_template_point({"x": value["x1"], "y": value["y1"], "width": value["width"],
                                  "height": value["height"]}, size)
    (bx, by) = to_template_point({"x": value["x2"], "y": value["y2"], "width": value["width"],
                                  "height": value["height"]}, size)
    x0, x1 = sorted((ax, bx))
    y0, y1 = sorted((ay, by))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return [x0, y0, x1 + 1, y1 + 1]


def clip_box(box: Sequence[float], size: tuple[int, int]) -> list[int] | None:
    """``box`` rounded to integers inside a ``size`` image; None when nothing is left."""
    w, h = size
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, x1 = max(0, min(x0, x1)), min(w, max(x0, x1))
    y0, y1 = max(0, min(y0, y1)), min(h, max(y0, y1))
    return [x0, y0, x1, y1] if x1 > x0 and y1 > y0 else None


# ---------------------------------------------------------------------------
# trainer's specimens


def read_upload(data: bytes, name: str):
    """An uploaded image decoded safely (:func:`docexam.imaging.load_image`), as RGB."""
    return load_image(data, name=name).rgb


__all__ = [
    "DocexamError", "TopicGain", "clip_box",
    "form_complete", "form_scores", "lesson_pool", "next_steps", "opaque_key", "overall",
    "read_upload", "test_forms", "to_template_box", "to_template_point", "topic_gains",
]


# ---------------------------------------------------------------------------
# examination desk


def attempts_in(record, trainee_id: int, workshop) -> list:
    """The trainee's attempts in this workshop (or in self-study when ``workshop`` is None)."""
    wid = workshop.id if workshop is not None else None
    return [a for a in record.attempts_for(trainee_id=trainee_id) if a.workshop_id == wid]


def findings_vs_annotations(findings, boxes) -> tuple[list[int], list[int]]:
    """Which trainer boxes no finding touches, and which findings no trainer box touches (indices).

    Shown beside the trainer's annotation in the studio, to catch a box
    drawn in the wrong place or a forgery trace left out.

    >>> from types import SimpleNamespace as F
    >>> findings_vs_annotations([F(bbox=(0, 0, 10, 10))], [[5, 5, 20, 20], [50, 50, 60, 60]])
    ([1], [])
    """
    def touch(a, b) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    unseen = [i for i, box in enumerate(boxes) if not any(touch(box, f.bbox) for f in findings)]
    extra = [j for j, f in enumerate(findings) if not any(touch(box, f.bbox) for box in boxes)]
    return unseen, extra
