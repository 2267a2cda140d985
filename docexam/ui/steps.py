"""The workshop's course order on every trainee page: a page whose step is not open yet
says when it will be, and stops.

What is open follows :func:`docexam.assessment.course.course_state` for the
trainee's progress (tests complete, survey sent, practice per lesson) and the
trainer's settings for the workshop; self-study follows the default order.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ..assessment.certificate import Certificate
from ..assessment.course import CourseSettings, Progress, certificate_decision, course_state
from . import course, session, state
from .i18n import _, t

#: page -> the course step it belongs to
PAGE_STEP = {"lessons": "lessons", "practice": "lessons", "refresher": "lessons", "pre_test": "pre-test",
             "post_test": "post-test", "survey": "survey"}


#: self-study: the default order without the survey (a survey belongs to a workshop)
SELF_STUDY = CourseSettings(order=("pre-test", "lessons", "post-test"))


def settings(ws) -> CourseSettings:
    """The workshop's course settings (self-study: :data:`SELF_STUDY`)."""
    return state.record().course_settings(ws.id) if ws is not None else SELF_STUDY


def progress(me, ws, forms: dict | None = None) -> Progress:
    """How far the signed-in trainee is in this workshop (or in self-study)."""
    record = state.record()
    forms = forms if forms is not None else state.test_forms(ws.id if ws else 0)
    attempts = course.attempts_in(record, me.id, ws)
    practised: dict[str, int] = {}
    for a in attempts:
        if a.form == "practice" and a.lesson_id:
            practised[a.lesson_id] = practised.get(a.lesson_id, 0) + 1
    mine = record.same_person(me.id)
    return Progress(pre_done=course.form_complete(attempts, "pre", forms["pre"]) or not forms["pre"],
                    post_done=course.form_complete(attempts, "post", forms["post"]),
                    survey_done=ws is not None and any(sv.trainee_id in mine for sv in record.surveys(ws.id)),
                    practised=practised, lessons=tuple(le.id for le in state.lessons()))


def states(me, ws, forms: dict | None = None) -> dict:
    return course_state(settings(ws), progress(me, ws, forms), now=dt.datetime.now(dt.timezone.utc))


def when_text(step_state) -> str:
    """Why a step is closed, in the session's language."""
    if not step_state.included:
        return _("This part is not in your workshop's course.")
    parts = []
    if step_state.after:
        parts.append(_("This page opens once you have finished the {step}.", step=t(f"stepname_{step_state.after}")))
    if step_state.opens_at is not None:
        local = step_state.opens_at.astimezone()
        parts.append(_("It opens on {when}.", when=f"{local:%d %b %Y, %H:%M}"))
    return " ".join(parts)


def require_open(page: str, forms: dict | None = None) -> None:
    """Stop ``page`` with a message saying when it opens, unless its step is open for this trainee."""
    step = PAGE_STEP[page]
    me, ws = session.require_trainee(), session.workshop()
    now_state = states(me, ws, forms)[step]
    if not now_state.open:
        st.title(t(f"nav_{page}"))
        st.info(when_text(now_state), icon=":material/schedule:")
        st.stop()


def certificate(me, ws, forms: dict | None = None, *, lang: str = "en"):
    """Whether ``me`` has earned the certificate of ``ws`` (self-study: None), and what it says if so.

    Returns the :class:`~docexam.assessment.course.CertificateDecision` (its words in ``lang``) and the
    :class:`~docexam.assessment.certificate.Certificate`, or None when not earned.
    """
    forms = forms if forms is not None else state.test_forms(ws.id if ws else 0)
    attempts = course.attempts_in(state.record(), me.id, ws)
    post = course.overall(attempts, "post")
    decision = certificate_decision(settings(ws), progress(me, ws, forms), post_score=post, lang=lang)
    if not decision.earned:
        return decision, None
    return decision, Certificate(
        name=me.name, department=me.department, province=me.province, issued=dt.date.today(),
        workshop=ws.title if ws else None, place=ws.place if ws else None,
        dates=f"{ws.start_date.isoformat()} – {ws.end_date.isoformat()}" if ws else None,
        pre=course.overall(attempts, "pre"), post=post, rule=decision.rule_text)
