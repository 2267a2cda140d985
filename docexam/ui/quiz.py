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
import uuid as uuidlib

import streamlit as st

from ..errors import DocexamError
from . import session, state, widgets
from .course import opaque_key, to_template_box, to_template_point
from .i18n import option_label, pick, t

#: item types answered by choosing an option
CHOICE_TYPES = ("verdict", "family", "technique", "light", "compare", "mrz")


def quiz_state(key: str) -> dict:
    return st.session_state.setdefault(f"quiz:{key}", {"pos": 0, "scores": {}, "answers": {}, "uuids": {}})


def reset(key: str) -> None:
    st.session_state.pop(f"quiz:{key}", None)


# ---------------------------------------------------------------------------
# asking

def _images_of(public: dict) -> dict:
    return public.get("images") or {}


def _show_document(public: dict, wkey: str) -> None:
    """The item's document in the chosen light, with its highlight and a loupe."""
    images = _images_of(public)
    if not images:
        return
    light = widgets.light_switch(images, key=f"{wkey}-light")
    path = images.get(light) or images["visible"]
    rgb = state.display_image(path)
    if public.get("highlight"):
        rgb = widgets.draw_boxes(rgb, [public["highlight"]], state.image_size(path), colour=widgets.AMBER, width=4)
    widgets.image(rgb)
    widgets.loupe(path, key=f"{wkey}-loupe")


def _show_pair(public: dict, wkey: str) -> None:
    pair = public["pair"]
    lights = set(pair["left"]["images"]) & set(pair["right"]["images"])
    light = widgets.light_switch(lights, key=f"{wkey}-light")
    cols = st.columns(2)
    for col, side in zip(cols, ("left", "right")):
        with col:
            path = pair[side]["images"].get(light) or pair[side]["images"]["visible"]
            st.markdown(f"**{t(side)}**")
            widgets.image(state.display_image(path))
            widgets.loupe(path, key=f"{wkey}-{side}-loupe")


def _show_mrz(public: dict) -> None:
    st.markdown(f"**{t('mrz_lines')}**")
    st.code("\n".join(public.get("mrz", [])), language=None)
    printed = public.get("printed") or {}
    if printed:
        st.markdown(f"**{t('printed_data')}**")
        from ..lessons.items import FIELD_LABELS

        rows = [{"": pick(*FIELD_LABELS[k]) if k in FIELD_LABELS else k, " ": v} for k, v in printed.items()]
        st.table(rows)


def _ask_choice(public: dict, wkey: str):
    if public["type"] == "compare":
        _show_pair(public, wkey)
    elif public["type"] == "mrz":
        _show_mrz(public)
    else:
        _show_document(public, wkey)
    options = public.get("options", [])
    labels = {o["id"]: option_label(o) for o in options}
    return st.radio(t("answer"), list(labels), format_func=labels.get, index=None, key=f"{wkey}-opt")


def locate_answer(value, size: tuple[int, int]):
    """The scoring answer for a component value: ``{"point": ...}`` or ``{"box": ...}`` (template pixels)."""
    if not value:
        return None
    if "x1" in value:
        box = to_template_box(value, size)
        return {"box": box} if box else {"point": to_template_point(
            {"x": value["x1"], "y": value["y1"], "width": value["width"], "height": value["height"]}, size)}
    return {"point": to_template_point(value, size)}


def _ask_locate(public: dict, wkey: str):
    images = _images_of(public)
    c1, c2 = st.columns(2)
    with c1:
        mode = st.segmented_control(t("locate_mode"), ["point", "box"], default="point", key=f"{wkey}-mode",
                                    format_func=lambda m: t(f"mode_{m}")) or "point"
    with c2:
        light = widgets.light_switch(images, key=f"{wkey}-light")
    path = images.get(light) or images["visible"]
    size = state.image_size(path)
    click_key = f"{wkey}-click-{mode}"
    answer = locate_answer(st.session_state.get(click_key), size)
    rgb = state.display_image(path)
    if answer and "point" in answer:
        rgb = widgets.draw_point(rgb, answer["point"], size)
    elif answer:
        rgb = widgets.draw_boxes(rgb, [answer["box"]], size, colour=widgets.BLUE)
    st.caption(t("locate_box_hint" if mode == "box" else "locate_hint")
               + (" " + t("locate_chosen") if answer else ""))
    widgets.click_image(rgb, key=click_key, box=mode == "box")
    widgets.loupe(path, key=f"{wkey}-loupe")
    return answer


def ask(public: dict, wkey: str):
    """Draw an item (public part only) and return the answer given so far, or None."""
    st.markdown(f"#### {pick(public['prompt'], public.get('prompt_km'))}")
    if public["type"] == "locate":
        return _ask_locate(public, wkey)
    return _ask_choice(public, wkey)


# ---------------------------------------------------------------------------
# recording

def submit(item, answer, *, form: str, lesson_id: str | None, uuid: str) -> float:
    """Score, record the attempt and update the refresher card; returns the score.

    Raises
    ------
    DocexamError
        An answer that does not fit the item, or a record error.
    """
    from ..assessment import is_correct, new_card, record_review, score_item

    me, ws = session.trainee(), session.workshop()
    score = float(score_item(item, answer))
    correct = is_correct(score)
    record = state.record()
    genuine = (item.key.get("answer") == "genuine") if item.type == "verdict" else None
    now = dt.datetime.now(dt.timezone.utc)
    record.record_attempt(uuid=uuid, trainee_id=me.id, workshop_id=ws.id if ws else None, lesson_id=lesson_id,
                          item_id=item.id, item_type=item.type, topic=item.topic or "review", form=form,
                          score=score, correct=correct, answer=answer, specimen_genuine=genuine,
                          answered_at=now)
    cards = {r.item_id: r.card for r in record.review_states(me.id)}
    card = record_review(cards.get(item.id) or new_card(item.id, now=now), correct=correct, now=now)
    record.record_review(me.id, item.id, card=card, topic=item.topic)
    return score


# ---------------------------------------------------------------------------
# feedback

def _feedback_image(item, answer):
    """(path, size) of the image the feedback overlays belong to."""
    shown = item.shown
    if item.type == "compare":
        forged = item.specimens[0]
        for side in ("left", "right"):
            if shown["pair"][side]["specimen"] == forged:
                return shown["pair"][side]["images"]["visible"]
        return None
    images = shown.get("images") or {}
    return images.get("visible")


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
    """The pipeline's heatmap of a specimen (computed once per server, then cached)."""
    from ..examine import render_heatmap

    spec = state.specimen_index().get(spec_name)
    if spec is None:
        return
    try:
        with st.spinner(t("heatmap_running")):
            report = state.examine_specimen(spec)
    except DocexamError as exc:
        st.info(t("heatmap_none", reason=str(exc)))
        return
    if report.verdict == "inconclusive" and not report.aligned:
        st.info(t("heatmap_none", reason=report.reason))
        return
    widgets.image(render_heatmap(report), caption=t("heatmap_caption"))


def feedback(item, answer, score: float) -> None:
    """What the trainee sees after answering: verdict, explanation, overlay and heatmap."""
    if score >= 1.0:
        st.success(t("correct"), icon=":material/check_circle:")
    elif score > 0:
        st.warning(t("partly", score=f"{score:.2f}"), icon=":material/adjust:")
    else:
        st.error(t("wrong"), icon=":material/cancel:")
    fb = item.feedback
    st.markdown(f"**{t('the_answer', label=fb.get('answer_label', ''))}**")
    if fb.get("what"):
        st.markdown(f"**{t('what_there')}:** {fb['what']}")
    if fb.get("why"):
        st.markdown(f"**{t('why_matters')}:** {fb['why']}")
    if item.type == "mrz":
        marks = [o for o in fb.get("overlays", []) if "mrz_position" in o]
        st.code(_mrz_marked(item.shown.get("mrz", []), marks[0] if marks else {}), language=None)
        if marks:
            st.caption(t("mrz_marked"))
        return
    path = _feedback_image(item, answer)
    if path is None:
        return
    size = state.image_size(path)
    rgb = widgets.overlays(state.display_image(path), fb.get("overlays", []), size)
    if isinstance(answer, dict) and "point" in answer:
        rgb = widgets.draw_point(rgb, answer["point"], size)
    elif isinstance(answer, dict) and "box" in answer:
        rgb = widgets.draw_boxes(rgb, [answer["box"]], size, colour=widgets.BLUE)
    c1, c2 = st.columns(2)
    with c1:
        widgets.image(rgb, caption=t("overlay_caption"))
    with c2:
        show_heatmap(item.specimens[0])


# ---------------------------------------------------------------------------
# the runner

def score_so_far(qs: dict) -> tuple[float, int]:
    scores = list(qs["scores"].values())
    return sum(scores), len(scores)


def run_quiz(key: str, items, *, form: str, lesson_id: str | None = None, show_feedback: bool = True,
             skip=()) -> None:
    """Ask ``items`` one after the other.

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
    """
    qs = quiz_state(key)
    items = list(items)
    if not items:
        st.info(t("no_items"))
        return
    while qs["pos"] < len(items) and items[qs["pos"]].id in skip and items[qs["pos"]].id not in qs["scores"]:
        qs["pos"] += 1
    points, answered = score_so_far(qs)
    pos = qs["pos"]
    if pos >= len(items):
        if show_feedback:
            st.success(t("quiz_done", score=f"{points:.1f} / {answered}", n=answered))
        return
    item = items[pos]
    wkey = opaque_key(key, item.id)
    # what is on screen, for tests and for the trainee's next rerun (server side only)
    qs["current"] = {"wkey": wkey, "type": item.type}
    c1, c2 = st.columns([3, 1])
    c1.progress(pos / len(items), text=t("question_n", n=pos + 1, total=len(items)))
    if show_feedback:
        c2.metric(t("score_so_far"), f"{points:.1f} / {answered}")
    if item.id not in qs["scores"]:
        answer = ask(item.public(), wkey)
        label = t("check") if show_feedback else t("submit")
        if st.button(label, type="primary", key=f"{wkey}-go", icon=":material/done:"):
            if answer is None:
                st.warning(t("locate_none") if item.type == "locate" else t("choose_option"))
                return
            uuid = qs["uuids"].setdefault(item.id, str(uuidlib.uuid4()))
            try:
                score = submit(item, answer, form=form, lesson_id=lesson_id, uuid=uuid)
            except DocexamError as exc:
                session.show_error(exc)
                return
            qs["scores"][item.id] = score
            qs["answers"][item.id] = answer
            if not show_feedback:
                qs["pos"] += 1
                st.toast(t("recorded"))
            st.rerun()
        return
    st.markdown(f"#### {pick(item.prompt, item.prompt_km)}")
    feedback(item, qs["answers"][item.id], qs["scores"][item.id])
    if st.button(t("next"), type="primary", key=f"{wkey}-next", icon=":material/arrow_forward:"):
        qs["pos"] += 1
        st.rerun()


def run_test(form: str) -> None:
    """The pre- or post-test page: the workshop's form, resumed where the trainee left it."""
    from . import course

    me = session.require_trainee()
    ws = session.workshop()
    st.title(t(f"{form}_title"))
    st.write(t(f"test_intro_{form}"))
    try:
        forms = state.test_forms(ws.id if ws else 0)
    except DocexamError as exc:
        st.error(t("library_error", error=str(exc)))
        return
    attempts = course.attempts_in(state.record(), me.id, ws)
    if form == "post" and not course.form_complete(attempts, "pre", forms["pre"]):
        st.info(t("post_locked"))
        return
    items = forms[form]
    answered = course.answered_ids(attempts, form)
    if not items:
        st.info(t("no_items"))
        return
    done = sum(item.id in answered for item in items)
    if done == len(items):
        st.success(t("test_done"))
        return
    st.caption(t("test_progress", done=done, total=len(items)))
    run_quiz(f"{form}:{ws.id if ws else 0}", items, form=form, show_feedback=False, skip=answered)
