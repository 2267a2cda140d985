"""The quiz runner shared by practice, refreshers and the pre- and post-test.

What reaches the browser before an answer is only :meth:`Item.public`
(prompt, images, options, highlight): the key and the feedback stay in the
server's memory and are read once the answer is recorded. Widget keys are
opaque hashes (Streamlit sends keys to the browser, and item ids carry
specimen names, which for the shipped library name the forgery).

An answer is scored by :func:`docexam.assessment.score_item`, stored by
:meth:`TrainingRecord.record_attempt` with a uuid chosen when the item was
first answered in this tab (pressing the button twice records it once),
and the item's spaced-repetition card is updated.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid as uuidlib

import streamlit as st

from ..assessment import is_correct, new_card, record_review, score_item
from ..errors import DocexamError
from ..lessons.feedback import answer_words
from ..lessons.vocabulary import FIELD_LABELS
from . import course, docview, media, prepare, session, state, steps
from .course import opaque_key
from .i18n import _, lang, option_label, pick, said, t
from .starter import LibraryNotReady

#: item types answered by choosing an option
CHOICE_TYPES = ("verdict", "family", "technique", "light", "compare", "mrz", "same-person")


def quiz_state(key: str) -> dict:
    return st.session_state.setdefault(f"quiz:{key}", {"pos": 0, "scores": {}, "answers": {}, "uuids": {}})


def reset(key: str) -> None:
    st.session_state.pop(f"quiz:{key}", None)


# ---------------------------------------------------------------------------
# asking

def _images_of(public: dict) -> dict:
    return public.get("images") or {}


def _show_document(public: dict, wkey: str) -> None:
    """The item's document (every light, zoom) with its highlight, drawn by the browser."""
    images = _images_of(public)
    if not images:
        return
    overlays = [{"box": public["highlight"], "colour": docview.AMBER}] if public.get("highlight") else []
    docview.document_view(images, key=f"{wkey}-doc", size=state.image_size(images["visible"]),
                          template=public.get("template"), overlays=overlays)
    show_views(public.get("views"), wkey)


def show_views(views: dict | None, wkey: str) -> None:
    """A document's other views: its devices at each tilt (a slider), its surface in raking light."""
    if not views:
        return
    tilts = views.get("tilt") or []
    if tilts:
        angles = sorted({v["angle"] for v in tilts})
        st.caption(_("Tilt the document: move the slider to turn it in the light."))
        angle = st.select_slider(_("Tilt (degrees)"), options=angles, value=0 if 0 in angles else angles[0],
                                 key=f"{wkey}-tilt", format_func=lambda a: f"{a:+.0f}°")
        shown = [v for v in tilts if v["angle"] == angle]
        for col, v in zip(st.columns(len(shown)), shown):
            with col:
                docview.crop_view(v["image"], (0, 0, *state.image_size(v["image"])), key=f"{wkey}-tilt-{v['zone']}")
    for v in views.get("raking") or []:
        docview.crop_view(v["image"], (0, 0, *state.image_size(v["image"])), key=f"{wkey}-raking-{v['zone']}",
                          caption=_("Raking light: a torch held low, grazing the surface"))


def _show_pair(public: dict, wkey: str) -> None:
    pair = public["pair"]
    cols = st.columns(2)
    for col, side in zip(cols, ("left", "right")):
        with col:
            images = pair[side]["images"]
            st.markdown(f"**{t(side)}**")
            docview.document_view(images, key=f"{wkey}-{side}", size=state.image_size(images["visible"]),
                                  template=public.get("template"))
            show_views(pair[side].get("views"), f"{wkey}-{side}")


def _show_mrz(public: dict) -> None:
    st.markdown(f"**{_('Machine-readable zone (MRZ)')}**")
    # wrapped in a scrolling box of its own (44 characters do not fit a phone): never cut off
    lines = "\n".join(html.escape(line) for line in public.get("mrz", []))
    st.markdown(f"<pre class='dx-mrz'>{lines}</pre>", unsafe_allow_html=True)
    printed = public.get("printed") or {}
    if printed:
        st.markdown(f"**{_('Printed on the data page')}**")
        for k, v in printed.items():
            st.markdown(f"{pick(*FIELD_LABELS[k]) if k in FIELD_LABELS else k}: **{html.escape(str(v))}**")


def _show_faces(faces: dict, wkey: str) -> None:
    """The document's portrait beside the photo taken at the counter."""
    captions = {"document": _("The document's portrait"),
                "traveller": _("The traveller, photographed at the counter")}
    for col, (side, caption) in zip(st.columns(2), captions.items()):
        face = faces[side]
        with col:
            crop = face.get("crop") or (0, 0, *state.image_size(face["image"]))
            docview.crop_view(face["image"], crop, key=f"{wkey}-{side}", caption=caption)


def question_pictures(public: dict) -> list[tuple]:
    """The screen pictures an item's question shows, as ``(path, crop)`` (crop None: the whole file).

    What :func:`ask` draws: each light of the document (or of both documents
    of a pair), their tilt and raking views, the two faces. The server asks
    the background preparation to encode these ahead (:func:`want_pictures`).
    """
    def whole(path):
        return (path, (0, 0, *state.image_size(path)))

    out = []
    documents = [public["pair"][s] for s in ("left", "right")] if public.get("pair") else [public]
    for doc in documents:
        images = _images_of(doc)
        out += [(images[light], None) for light in docview.lights_of(images)] if images else []
        views = doc.get("views") or {}
        out += [whole(v["image"]) for v in (views.get("tilt") or []) + (views.get("raking") or [])]
    for face in (public.get("faces") or {}).values():
        out.append((face["image"], tuple(face["crop"])) if face.get("crop") else whole(face["image"]))
    return out


def want_pictures(items) -> int:
    """Ask the background preparation to encode the questions' pictures not encoded yet, in the items' order.

    A workshop's test forms are drawn before the room signs in: their
    pictures, encoded then, are not encoded by the first trainees' page runs
    while the rest of the room waits. How many were asked for.
    """
    asked = {}
    for item in items:
        for path, crop in question_pictures(item.public()):
            if (path, crop) not in asked and media.encoded_image_url(path, crop=crop) is None:
                prepare.want_picture(path, crop=crop)
                asked[path, crop] = True
    return len(asked)


def _show_choice_item(public: dict, wkey: str) -> None:
    if public["type"] == "compare":
        _show_pair(public, wkey)
    elif public["type"] == "same-person":
        _show_faces(public["faces"], wkey)
    elif public["type"] == "mrz":
        _show_mrz(public)
    else:
        _show_document(public, wkey)


def _choose(public: dict, wkey: str, label: str, on_answer: dict):
    """The options and the button in one form: a tick sends nothing until the button does.

    Ticking an option makes no rerun, so no run under way can redraw the
    question unticked; the button sends the tick and the submission together.
    """
    options = public.get("options", [])
    labels = {o["id"]: option_label(o) for o in options}
    with st.form(key=f"{wkey}-form", border=False):
        choice = st.radio(_("Your answer"), list(labels), format_func=labels.get, index=None, key=f"{wkey}-opt")
        st.form_submit_button(label, type="primary", key=f"{wkey}-go", icon=":material/done:", **on_answer)
    return choice


def _locate(public: dict, wkey: str, label: str, on_answer: dict):
    """The document to mark (tap a point, or drag a box) and the button."""
    images = _images_of(public)
    # the mark and the press travel together, in a form, as an option and its button do: a mark sends nothing
    # by itself, so no run it starts can redraw the button as it is pressed (under load a press 0.1 s after
    # the mark reached nothing: the browser was replacing the button, and the trainee waited in vain)
    with st.form(key=f"{wkey}-form", border=False):
        answer = docview.document_view(images, key=f"{wkey}-mark", size=state.image_size(images["visible"]),
                                       template=public.get("template"), locate=True)
        st.form_submit_button(label, type="primary", key=f"{wkey}-go", icon=":material/done:", **on_answer)
    show_views(public.get("views"), wkey)
    return clean_mark(answer)


def clean_mark(value):
    """The document view's mark as a scoring answer (``{"point"}`` or ``{"box"}``), or None.

    >>> clean_mark({"point": [12.0, 5]})
    {'point': [12, 5]}
    >>> clean_mark({"box": [1, 2]}) is None
    True
    """
    if not isinstance(value, dict):
        return None
    for kind, n in (("point", 2), ("box", 4)):
        v = value.get(kind)
        if isinstance(v, (list, tuple)) and len(v) == n and all(isinstance(c, (int, float)) for c in v):
            return {kind: [int(c) for c in v]}
    return None


def ask(public: dict, wkey: str, label: str, on_answer: dict):
    """Draw an item (public part only) and its answer button; returns the answer given so far, or None.

    ``on_answer`` (``on_click`` and ``args``) is called when the button is
    pressed, before the rerun.
    """
    # a container of its own per question: the browser builds the next question's widgets afresh
    # instead of patching the last one's (a reused form kept sending the previous question's answer)
    with st.container(key=f"q-{wkey}"):
        st.markdown(f"#### {pick(public['prompt'], public.get('prompt_km'))}")
        if public["type"] == "locate":
            return _locate(public, wkey, label, on_answer)
        _show_choice_item(public, wkey)
        return _choose(public, wkey, label, on_answer)


# ---------------------------------------------------------------------------
# recording

def submit(item, answer, *, form: str, lesson_id: str | None, uuid: str) -> float:
    """Score, record the attempt and update the refresher card; returns the score.

    Raises
    ------
    DocexamError
        An answer that does not fit the item, or a record error.
    """
    me, ws = session.trainee(), session.workshop()
    score = float(score_item(item, answer))
    correct = is_correct(score)
    record = state.record()
    genuine = (item.key.get("answer") == "genuine") if item.type == "verdict" else None
    now = dt.datetime.now(dt.timezone.utc)
    cards = {r.item_id: r.card for r in record.review_states(me.id)}
    card = record_review(cards.get(item.id) or new_card(item.id, now=now), correct=correct, now=now)
    # the answer and its refresher card in one transaction: one commit (and one wait for the write lock)
    record.record_attempt(uuid=uuid, trainee_id=me.id, workshop_id=ws.id if ws else None, lesson_id=lesson_id,
                          item_id=item.id, item_type=item.type, topic=item.topic or "review", form=form,
                          score=score, correct=correct, answer=answer, specimen_genuine=genuine,
                          answered_at=now, review=card, review_topic=item.topic)
    return score


# ---------------------------------------------------------------------------
# feedback

def _feedback_images(item) -> dict | None:
    """The images (light -> path) the feedback overlays belong to."""
    shown = item.shown
    if item.type == "compare":
        forged = item.specimens[0]
        for side in ("left", "right"):
            if shown["pair"][side]["specimen"] == forged:
                return shown["pair"][side]["images"]
        return None
    return shown.get("images") or None


def _mrz_marked(lines: list[str], overlay: dict) -> str:
    pos = overlay.get("mrz_position")
    if not pos:
        return "\n".join(lines)
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i == pos[0]:
            out.append(" " * pos[1] + "^")
    return "\n".join(out)


def show_heatmap(spec_name: str) -> None:
    """The pipeline's heatmap of a specimen: examined once, then a file the browser caches."""
    spec = state.specimen_index().get(spec_name)
    if spec is None:
        return
    try:
        url = state.heatmap_url(spec)
    except DocexamError as exc:
        st.info(_("The examination machine could not examine this image: {reason}", reason=said(exc)))
        return
    if url is None:  # the preparation process makes it now; the browser shows it when it is there
        docview.later_picture(prepare.heatmap_address(spec), key=f"heatmap-{media.array_name(spec.name)}",
                              waiting=_("The examination machine is looking at this document…"), caption=_("What the examination machine sees: warm colours where the document departs from the genuine template; numbered boxes are its findings."),
                              none=_("The examination machine could not examine this image: {reason}", reason="{reason}"))
        return
    if isinstance(url, state.NoHeatmap):
        st.info(_("The examination machine could not examine this image: {reason}", reason=said(url.reason)))
        return
    st.markdown(f"<img class='dx-picture' src='{url}' alt=''>", unsafe_allow_html=True)
    st.caption(_("What the examination machine sees: warm colours where the document departs from the genuine template; numbered boxes are its findings."))


def feedback(item, answer, score: float, wkey: str, *, heatmap: bool = True) -> None:
    """What the trainee sees after answering: verdict, explanation, overlay and heatmap.

    Without ``heatmap`` (a review of a finished test) the verdict is a plain line, not an alert box.
    """
    if not heatmap:
        mark = "✓" if score >= 1.0 else "◐" if score > 0 else "✗"
        label = _("Correct.") if score >= 1.0 else _("Partly correct: {score} of 1.", score=f"{score:.2f}") if score > 0 else _("Not quite.")
        st.markdown(f"{mark} {label}")
    elif score >= 1.0:
        st.success(_("Correct."), icon=":material/check_circle:")
    elif score > 0:
        st.warning(_("Partly correct: {score} of 1.", score=f"{score:.2f}"), icon=":material/adjust:")
    else:
        st.error(_("Not quite."), icon=":material/cancel:")
    fb = item.feedback
    given = answer_words(item, answer, lang())
    said = _("You marked: {given}.", given=given) if item.type == "locate" else _("You answered: {given}.", given=given)
    st.markdown(said + " "
                + f"**{_('Answer: {label}', label=pick(fb.get('answer_label', ''), fb.get('answer_label_km')))}**")
    if fb.get("what"):
        st.markdown(f"**{_('What was there')}:** {pick(fb['what'], fb.get('what_km'))}")
    if fb.get("why"):
        st.markdown(f"**{_('Why it matters')}:** {pick(fb['why'], fb.get('why_km'))}")
    if item.type == "same-person":
        _show_faces(item.shown["faces"], f"{wkey}-fb")
        return
    if item.type == "mrz":
        marks = [o for o in fb.get("overlays", []) if "mrz_position" in o]
        text = html.escape(_mrz_marked(item.shown.get("mrz", []), marks[0] if marks else {}))
        st.markdown(f"<pre class='dx-mrz'>{text}</pre>", unsafe_allow_html=True)
        if marks:
            st.caption(_("The wrong character is marked with ^ ."))
        return
    images = _feedback_images(item)
    if not images:
        return
    overlays = docview.feedback_overlays(fb.get("overlays", []))
    mark = clean_mark(answer)
    if mark:
        overlays.append({**mark, "colour": docview.BLUE})
    c1, c2 = st.columns(2)
    with c1:
        docview.document_view(images, key=f"{wkey}-fb", size=state.image_size(images["visible"]),
                              template=item.template, overlays=overlays)
        # the caption says what is drawn: nothing on a genuine document, a blue mark only for a click or box
        if not fb.get("overlays"):
            st.caption(_("This document is genuine: nothing is marked on it."))
        else:
            st.caption(_("Red: the forged area. Blue: your mark.") if mark else _("Red: the forged area."))
    if heatmap:
        with c2:
            show_heatmap(item.specimens[0])


def review(item, answer, score: float) -> None:
    """One answered item shown again after a test: the question, the answer given, the right one, why."""
    st.markdown(f"**{pick(item.prompt, item.prompt_km)}**")
    feedback(item, answer, score, opaque_key("review", item.id), heatmap=False)


# ---------------------------------------------------------------------------
# the runner

def score_so_far(qs: dict) -> tuple[float, int]:
    scores = list(qs["scores"].values())
    return sum(scores), len(scores)


def points_text(points: float, answered: int) -> str:
    """A score as a trainee reads it: whole points without a decimal, partial credit with one.

    >>> points_text(3.0, 4), points_text(2.5, 4), points_text(0.0, 0)
    ('3 / 4', '2.5 / 4', '0 / 0')
    """
    return f"{round(points, 1):g} / {answered}"


def run_quiz(key: str, items, *, form: str, lesson_id: str | None = None, show_feedback: bool = True,
             skip=(), intro: str | None = None) -> None:
    """Ask ``items`` one after the other, in a fragment: an answer reruns the question only.

    Parameters
    ----------
    key : str
        Names this quiz in the session (a lesson, a form).
    items : sequence of Item
    form : {'practice', 'refresher', 'pre', 'post'}
    show_feedback : bool
        Practice and refreshers explain each answer; tests only record it,
        so the pre-test does not teach before it measures.
    skip : collection of str
        Item ids answered before (in another tab or session): passed over,
        so a trainee whose phone went to sleep resumes where they were.
    intro : str, optional
        A caption above the question, redrawn with it (a test's progress).
    """
    items = list(items)
    if not items:
        st.info(_("No questions are available here yet: the library has no matching specimens."))
        return
    _quiz(key, items, form, lesson_id, show_feedback, frozenset(skip), intro)


@st.fragment
def _quiz(key: str, items: list, form: str, lesson_id, show_feedback: bool, skip: frozenset, intro) -> None:
    qs = quiz_state(key)
    if qs.pop("ended", False):
        st.rerun()  # the quiz ended in this fragment: the page around it changes too
    while qs["pos"] < len(items) and items[qs["pos"]].id in skip and items[qs["pos"]].id not in qs["scores"]:
        qs["pos"] += 1
    points, answered = score_so_far(qs)
    pos = qs["pos"]
    if pos >= len(items):
        if show_feedback:
            st.success(_("Finished: {score} on {n} questions.", score=points_text(points, answered), n=answered))
        return
    item = items[pos]
    wkey = opaque_key(key, item.id)
    # what is on screen, for tests and for the trainee's next rerun (server side only)
    qs["current"] = {"wkey": wkey, "type": item.type}
    if qs.pop("toast", False):
        st.toast(_("Answer recorded."))
    if intro:
        done = sum(i.id in skip or i.id in qs["scores"] for i in items)
        st.caption(intro.format(done=done, total=len(items)))
    c1, c2 = st.columns([3, 1])
    c1.progress(pos / len(items), text=_("Question {n} of {total}", n=pos + 1, total=len(items)))
    if show_feedback:
        c2.metric(_("Score so far"), points_text(points, answered))
    if item.id not in qs["scores"]:
        on_answer = dict(on_click=_answered, args=(key, item, wkey, form, lesson_id, show_feedback, items, skip))
        ask(item.public(), wkey, _("Check my answer") if show_feedback else _("Submit answer"), on_answer)
        notice = qs.pop("notice", None)
        if notice:
            st.warning(t(notice))
        if qs.get("error"):
            st.error(_("{error}", error=qs.pop("error")))
        return
    st.markdown(f"#### {pick(item.prompt, item.prompt_km)}")
    feedback(item, qs["answers"][item.id], qs["scores"][item.id], wkey)
    st.button(_("Next question"), type="primary", key=f"{wkey}-next", icon=":material/arrow_forward:",
              on_click=_advance, args=(key, items, skip))


def _answered(key: str, item, wkey: str, form: str, lesson_id, show_feedback: bool, items: list,
              skip: frozenset) -> None:
    """The answer button's callback: score and record before the (single) rerun draws the result.

    Runs before the question is redrawn, so an answer needs one run, not
    two. Pressing twice, or a resend, finds the item answered and records
    nothing more (and the record keeps the first copy by its uuid).
    """
    qs = quiz_state(key)
    if item.id in qs["scores"]:
        return
    if item.type == "locate":
        answer = clean_mark((st.session_state.get(f"{wkey}-mark") or {}).get("answer"))
    else:
        answer = st.session_state.get(f"{wkey}-opt")
    if answer is None:
        qs["notice"] = "locate_none" if item.type == "locate" else "choose_option"
        return
    uuid = qs["uuids"].setdefault(item.id, str(uuidlib.uuid4()))
    try:
        score = submit(item, answer, form=form, lesson_id=lesson_id, uuid=uuid)
    except DocexamError as exc:
        qs["error"] = str(exc)
        return
    qs["scores"][item.id] = score
    qs["answers"][item.id] = answer
    if not show_feedback:
        qs["toast"] = True
        _advance(key, items, skip)


def _advance(key: str, items: list, skip: frozenset) -> None:
    """On to the next question (callback); the page is redrawn whole when none is left."""
    qs = quiz_state(key)
    qs["pos"] += 1
    if not [i for i in items[qs["pos"]:] if i.id not in skip or i.id in qs["scores"]]:
        qs["ended"] = True


def run_test(form: str) -> None:
    """The pre- or post-test page: the workshop's form, resumed where the trainee left it."""

    me = session.require_trainee()
    ws = session.workshop()
    try:
        forms = state.test_forms(ws.id if ws else 0)
    except LibraryNotReady:
        st.title(t(f"{form}_title"))
        raise  # the app shows the library's progress and the warm-up instead
    except DocexamError as exc:
        st.error(_("The specimen library cannot be loaded: {error}", error=said(exc)))
        return
    steps.require_open(f"{form}_test", forms)
    st.title(t(f"{form}_title"))
    st.write(t(f"test_intro_{form}"))
    attempts = course.attempts_in(state.record(), me.id, ws)
    items = forms[form]
    answered = course.answered_ids(attempts, form)
    if not items:
        st.info(_("No questions are available here yet: the library has no matching specimens."))
        return
    done = sum(item.id in answered for item in items)
    if done == len(items):
        st.success(_("You have answered every question of this test. Thank you."))
        return
    run_quiz(f"{form}:{ws.id if ws else 0}", items, form=form, show_feedback=False, skip=answered,
             intro=_("{done} of {total} answered", done="{done}", total="{total}"))
