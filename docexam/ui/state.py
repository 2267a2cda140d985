"""Shared resources of the app: the training record, lessons, specimens, items, examinations.

Heavy things are made once per server and shared by every session
(``st.cache_resource``): 30 trainees opening the same lesson cost one
rendering, one item generation and one examination per specimen. What a
trainer adds is seen at once because the caches are keyed by a signature of
``$DOCEXAM_HOME/specimens`` (names and modification times of its sidecars).

Where specimens come from:

* ``$DOCEXAM_SPECIMENS_DIR`` - a folder of specimen sidecars used instead of
  the shipped library (tests, a workshop with its own set);
* otherwise the shipped library (``docexam.synth.library``), rendered on the
  first start with a progress bar;
* plus, always, the trainers' own specimens in ``$DOCEXAM_HOME/specimens``.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import replace
from pathlib import Path

import streamlit as st

import cv2
from PIL import Image

from docexam.i18n import Message
from ..errors import UnknownNameError
from ..examine import examine
from ..imaging import load_rgb
from ..lessons.format import load_all_lessons
from ..lessons.source import default_specimens, load_specimen_folder
from ..specimens.registry import load_specimen
from ..synth.library import load_library_recipes, recipe_name, render_recipes
from ..paths import docexam_home, lessons_dir, user_lessons_dir
from ..training import TrainingRecord, default_database_url
from ..training.course import workshop_forms
from . import prepare, starter
from .course import cached_test_forms, lesson_pool
from .i18n import _
from .starter import LibraryNotReady
from .media import DISPLAY_WIDTH

#: a folder of specimens to use instead of the shipped library
SPECIMENS_ENV = "DOCEXAM_SPECIMENS_DIR"

_render_lock = threading.Lock()
_forms_lock = threading.Lock()


# ---------------------------------------------------------------------------
# the training record

@st.cache_resource(show_spinner=False)
def _record(url: str):
    return TrainingRecord.open(url)


def record():
    """The training record (one per database URL, shared by every session)."""
    return _record(default_database_url())


# ---------------------------------------------------------------------------
# lessons

@st.cache_resource(show_spinner=False)
def _lessons(folder: str, own: tuple) -> tuple:
    return tuple(load_all_lessons())


def lessons() -> tuple:
    """The shipped lessons and this installation's own (``$DOCEXAM_HOME/lessons``: a pack's arrive at once)."""
    own = user_lessons_dir()
    signature = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in own.glob("*.toml"))) if own.is_dir() else ()
    return _lessons(str(lessons_dir()), signature)


def lesson(lesson_id: str):
    for le in lessons():
        if le.id == lesson_id:
            return le

    raise UnknownNameError(Message("lesson"), lesson_id, [le.id for le in lessons()])


# ---------------------------------------------------------------------------
# specimens

def user_specimens_dir() -> Path:
    from ..lessons.source import user_specimens_dir as folder  # here: this module has its own user_specimens_dir

    return folder()


def user_signature() -> tuple:
    """Names and modification times of the trainers' sidecars: a new specimen changes it."""
    return prepare.specimens_signature()


def _library_source() -> str:
    folder = os.environ.get(SPECIMENS_ENV)
    return str(Path(folder).expanduser().resolve()) if folder else ""


def library_complete() -> bool:
    """Whether every document of the library is rendered (always, when a folder replaces it)."""
    if _library_source():
        return True
    done, total = starter.library_progress()
    return done == total


def ensure_library() -> None:
    """Render whatever the shipped library lacks, showing a progress bar, unless the preparation process does.

    With the preparation process running (``docexam app``) nothing waits:
    pages get the documents rendered so far, and what needs all of them
    raises :class:`~.starter.LibraryNotReady`. Without it (AppTest,
    ``streamlit run app.py``) the library is rendered here, a lock making
    a second session wait instead of rendering the same files.
    """
    if library_complete() or prepare.running():
        return
    folder = starter.library_folder()
    title = _("Preparing the specimen library (first start only)")
    with _render_lock:
        missing = [r for r in load_library_recipes() if not (folder / f"{recipe_name(r)}.json").is_file()]
        if not missing:
            return
        bar = st.progress(0.0, text=title)
        # in this process, one at a time: forking worker processes from the server's threads can hang;
        # `docexam synth library` renders it faster (several processes) before a workshop
        for done, recipe in enumerate(missing, 1):
            render_recipes([recipe], folder, progress=False, workers=1, skip_existing=True, screen_copies=True)
            bar.progress(done / len(missing), text=f"{title}: {done} / {len(missing)}")
        bar.empty()


def _rendered() -> tuple | None:
    """None when the library is complete (or a folder replaces it), else the names rendered so far."""
    return None if library_complete() else starter.rendered_names()


@st.cache_resource(show_spinner=False, max_entries=4)
def _library(source: str, home: str, rendered: tuple | None = None) -> tuple:
    if source:
        return tuple(load_specimen_folder(source))
    # the whole library once rendered (ensure_library saw to it), or on a first start the documents rendered so far
    names = starter.rendered_names() if rendered is None else rendered
    return tuple(load_specimen(starter.library_folder() / f"{name}.json") for name in names)


def library_specimens() -> tuple:
    """The shipped library (or ``$DOCEXAM_SPECIMENS_DIR``), without the trainers' specimens.

    On a first start, while the preparation process renders it: the documents rendered so far.
    """
    ensure_library()
    return _library(_library_source(), str(docexam_home()), _rendered())


@st.cache_resource(show_spinner=False, max_entries=4)
def _specimens(source: str, home: str, signature: tuple, rendered: tuple | None = None) -> tuple:
    return tuple(default_specimens(library=lambda: list(_library(source, home, rendered))))


def specimens() -> tuple:
    """Library plus trainers' specimens, as quizzes see them now (on a first start, those rendered so far)."""
    ensure_library()
    return _specimens(_library_source(), str(docexam_home()), user_signature(), _rendered())


def starter_items() -> tuple:
    """The warm-up's questions on the starter documents (:mod:`.starter`); empty until both are rendered."""
    names = starter.starter_names()
    if not names or not names <= set(starter.rendered_names()):
        return ()
    return _starter_items(tuple(sorted(names)))


@st.cache_resource(show_spinner=False, max_entries=2)
def _starter_items(names: tuple) -> tuple:
    from ..lessons.items import generate_items  # here: this module has its own lesson_items

    folder = starter.library_folder()
    return tuple(replace(item, topic="review")
                 for item in generate_items([load_specimen(folder / f"{name}.json") for name in names]))


def specimen_index() -> dict:
    return {s.name: s for s in specimens()}


# ---------------------------------------------------------------------------
# quiz items

@st.cache_resource(show_spinner=False, max_entries=32)
def _lesson_items(lesson_id: str, source: str, home: str, signature: tuple, rendered: tuple | None = None) -> tuple:
    from ..lessons.items import lesson_items  # here: this module has its own lesson_items

    return tuple(lesson_items(lesson(lesson_id), _specimens(source, home, signature, rendered)))


def lesson_items(lesson_id: str, *, include_retired: bool = False) -> tuple:
    """Items of one lesson (library and trainers' specimens, less the retired ones unless asked for)."""
    specimens()
    items = _lesson_items(lesson_id, _library_source(), str(docexam_home()), user_signature(), _rendered())
    gone = frozenset() if include_retired else retired()
    return tuple(_live(items, gone)) if gone else items


def all_items() -> dict:
    """Every lesson item by id (the first lesson that has it gives its topic)."""
    out: dict = {}
    for le in lessons():
        for item in lesson_items(le.id):
            out.setdefault(item.id, item)
    return out


def topic_items() -> dict[str, list[str]]:
    """topic -> item ids (for readiness per topic)."""
    out: dict[str, list[str]] = {}
    for le in lessons():
        out.setdefault(le.topic, []).extend(item.id for item in lesson_items(le.id))
    return out


def retired() -> frozenset:
    """Names of the specimens no new quiz or test draws on (the trainer retired them)."""
    return frozenset(record().retired_specimens())


def _live(items, retired_names) -> list:
    return [item for item in items if not set(item.specimens) & retired_names]


@st.cache_resource(show_spinner=False, max_entries=16)
def _pool(source: str, home: str, retired_names: frozenset) -> tuple:
    # the warm-up's documents are left out of the tests: a warm-up must not teach what the pre-test measures
    kept = _library(source, home) if source else [s for s in _library(source, home)
                                                    if s.name not in starter.starter_names()]
    return tuple(_live(lesson_pool(lessons(), kept), retired_names))


@st.cache_resource(show_spinner=False, max_entries=16)
def _self_study_forms(source: str, home: str, retired_names: frozenset) -> dict:
    # drawn once and kept on disk (cache/prepare): a restart reads the same draw back instead of solving again
    return cached_test_forms(_pool(source, home, retired_names), lessons(), seed=0, folder=prepare.prepare_dir())


@st.cache_resource(show_spinner=False, max_entries=64)
def _stored_forms(workshop_id: int, stored: tuple, source: str, home: str) -> dict:
    """The items of a workshop's frozen forms (an item gone from the library is left out)."""
    by_key = {(item.id, item.topic): item for item in lesson_pool(lessons(), _library(source, home))}
    return {name: [by_key[key] for key in keys if key in by_key] for name, keys in stored}


def test_forms(workshop_id: int) -> dict:
    """The pre- and post-test of a workshop (0: self-study).

    A workshop's forms are drawn once, from the library only (not the
    trainers' specimens, nor retired ones, nor the warm-up's), with item difficulties
    calibrated on every answer recorded so far, and frozen in the record:
    every trainee of the workshop sits the same forms, whatever is added or
    answered later.
    """
    if not library_complete():
        raise LibraryNotReady(*starter.library_progress())
    library_specimens()
    source, home = _library_source(), str(docexam_home())
    if not workshop_id:
        return _self_study_forms(source, home, retired())
    rec = record()
    stored = rec.frozen_forms(workshop_id)
    if not stored:
        # the room signs in together: one session draws the forms, the others wait and read them
        # (each drawing its own at once took minutes of CPU and GBs on a laptop, then all but one were thrown away)
        with _forms_lock:
            workshop_forms(rec, workshop_id, lessons(), _pool(source, home, frozenset()))
        stored = rec.frozen_forms(workshop_id)
    key = tuple((name, tuple(tuple(k) for k in keys)) for name, keys in sorted(stored.items()))
    return _stored_forms(workshop_id, key, source, home)


# ---------------------------------------------------------------------------
# images and examinations

def _mtime(path: str) -> int:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return 0


@st.cache_resource(show_spinner=False, max_entries=32)
def _display(path: str, mtime: int, width: int):

    rgb = load_rgb(path)
    h, w = rgb.shape[:2]
    if w > width:
        rgb = cv2.resize(rgb, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)
    rgb.flags.writeable = False
    return rgb


def display_image(path, width: int = DISPLAY_WIDTH):
    """A downscaled copy of an image file as an array (shared, read-only), for drawing on.

    Pages that only show a picture use :mod:`.docview` (a file the browser
    caches) instead.
    """
    return _display(str(path), _mtime(str(path)), width)


@st.cache_resource(show_spinner=False, max_entries=2)
def _full(path: str, mtime: int):
    rgb = load_rgb(path)
    rgb.flags.writeable = False
    return rgb


def full_image(path):
    """The image at full resolution; shared, read-only (two at most held: 18 MB each)."""
    return _full(str(path), _mtime(str(path)))


@st.cache_data(show_spinner=False, max_entries=512)
def _size(path: str, mtime: int) -> tuple[int, int]:
    with Image.open(path) as im:
        return im.size


def image_size(path) -> tuple[int, int]:
    """(width, height) of an image file, read from its header."""
    return _size(str(path), _mtime(str(path)))


NoHeatmap = prepare.NoHeatmap

_heatmap_locks: dict[str, threading.Lock] = {}
_heatmap_guard = threading.Lock()


def heatmap_url(spec, *, wait: bool | None = None):
    """The address of the pipeline's heatmap of a specimen, a :class:`NoHeatmap`, or None (on its way).

    Examined once per specimen version and kept on disk (it survives a
    restart). With a preparation process running (:mod:`.prepare`, started
    by ``docexam app``) nothing is examined here: a heatmap not made yet is
    asked for first and None returned, the page showing it once its file
    appears. Without one (``wait`` None) the examination runs here, and
    trainees reaching the same feedback at once wait for one examination,
    not one each.
    """
    done = prepare.ready_heatmap(spec)
    if done is not None:
        return done
    if wait is None:
        wait = not prepare.running()
    if not wait:
        prepare.want(spec)
        return None
    with _heatmap_guard:
        lock = _heatmap_locks.setdefault(spec.name, threading.Lock())
    with lock:
        return prepare.make_heatmap(spec)


@st.cache_resource(show_spinner=False, max_entries=16)
def _examine_upload(digest: str, template: str, _visible, _uv, _ir, name: str):
    return examine(_visible, template, uv=_uv, ir=_ir, name=name)


def examine_upload(digest: str, template: str, visible, *, uv=None, ir=None, name: str = "upload"):
    """The pipeline's report on uploaded images, cached by their content digest."""
    return _examine_upload(digest, template, visible, uv, ir, name)


def warm() -> None:
    """Fill the shared caches a trainee's first pages need (lessons, items, the self-study forms), ahead of them.

    Run once in a thread as the server starts (:mod:`.server`): the first
    trainee to sign in then finds the forms drawn (a few seconds of work on
    a laptop) instead of waiting for them. Nothing happens while the
    library is still rendering (the forms wait for it anyway).
    """
    if not library_complete():
        return
    lessons()
    specimens()
    topic_items()
    test_forms(0)
    draw_open_forms()


def draw_open_forms() -> list[int]:
    """Draw the forms of every workshop not ended yet that has none, and load every open one's; the ids drawn.

    The Workshops page draws a workshop's forms when the trainer creates it;
    a workshop made another way (``docexam workshop create``, an import) has
    none, and its first sign-in would draw them while the rest of the room,
    arriving, waited on the lock (46 s at 30 officers). The server calls this
    at start and every :data:`.server.FORMS_WATCH_S` seconds.
    """
    if not library_complete():
        return []
    drawn = []
    for ws in open_workshops():
        if not record().frozen_forms(ws.id):
            drawn.append(ws.id)
        test_forms(ws.id)  # drawn if it has none, and loaded: the first sign-in finds its items ready
    return drawn


def open_workshops() -> list:
    """The workshops that have not ended (today included)."""
    today = dt.date.today()
    return [ws for ws in record().workshops() if ws.end_date >= today]


def forget_specimens() -> None:
    """Drop cached specimen lists (after a trainer saves or deletes a specimen)."""
    _specimens.clear()
    _lesson_items.clear()
