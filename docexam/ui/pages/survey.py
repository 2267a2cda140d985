"""Survey: the workshop's feedback questions (relevance, overall rating, comments)."""

import uuid

import streamlit as st

from docexam.assessment import SURVEY, validate_survey
from docexam.errors import DocexamError
from docexam.ui import session, state, steps
from docexam.ui.i18n import _, pick

me = session.require_trainee()
ws = session.workshop()
record = state.record()
if ws is None:
    st.title(_("Survey"))
    st.info(_("The survey belongs to a workshop: sign in with the workshop code."))
    st.stop()
steps.require_open("survey")
st.title(_("Survey"))
if any(s.trainee_id in record.same_person(me.id) for s in record.surveys(ws.id)):
    st.success(_("You have answered the survey. Thank you."))
    st.stop()
st.write(_("Your answers help the trainers improve the workshop. They are reported without names."))
# chosen once per tab: a form sent twice (a double tap, a dropped connection) is stored once
form_uuid = st.session_state.setdefault("quiz-survey-uuid", str(uuid.uuid4()))
answers = {}
with st.form("survey"):
    for q in SURVEY:
        question = pick(q.text, q.text_km)
        if q.kind == "rating":
            low, high = pick(q.low, q.low_km), pick(q.high, q.high_km)
            answers[q.id] = st.radio(question, [1, 2, 3, 4, 5], index=None, horizontal=True,
                                     captions=[low, "", "", "", high], key=f"survey-{q.id}")
        else:
            answers[q.id] = st.text_area(question, max_chars=2000, key=f"survey-{q.id}")
    sent = st.form_submit_button(_("Send"), type="primary", icon=":material/send:")

if sent:
    try:
        clean = validate_survey({k: v for k, v in answers.items() if v is not None})
        record.record_survey(trainee_id=me.id, workshop_id=ws.id, relevance=clean["relevance"],
                             overall=clean["overall"], comments=clean["comments"], uuid=form_uuid)
    except DocexamError as exc:
        session.show_error(exc)
    else:
        st.success(_("Thank you for your feedback."))
        st.rerun()
