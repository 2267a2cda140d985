"""Practice: ten questions of one lesson on ten different documents, each explained after the answer,
with the score so far."""

import streamlit as st

from docexam.errors import DocexamError
from docexam.lessons import draw_quiz
from docexam.ui import quiz, session, state, steps, widgets
from docexam.ui.i18n import _, said

#: questions per practice round
COUNT = 10

me = session.require_trainee()
steps.require_open("practice")
st.title(_("Practice"))
st.caption(_("Questions from one lesson, with the answer explained after each one."))
chosen = widgets.lesson_picker(state.lessons(), key="lesson-practice")[0]

rounds = st.session_state.setdefault("quiz-rounds", {})
round_no = rounds.get(chosen, 0)
try:
    items = draw_quiz(state.lesson_items(chosen), seed=me.id * 1000 + round_no, count=COUNT)
except DocexamError as exc:
    st.error(_("The specimen library cannot be loaded: {error}", error=said(exc)))
    st.stop()

if 0 < len(items) < COUNT:
    # no document twice in a round: a lesson with few documents gets a shorter round, and says why
    st.info(_("This lesson has questions on {n} different documents only: this round has {n} questions, so that no document comes twice.", n=len(items)), icon=":material/info:")
key = f"practice:{chosen}:{round_no}"
quiz.run_quiz(key, items, form="practice", lesson_id=chosen)
if quiz.quiz_state(key)["pos"] >= len(items) and items:
    if st.button(_("Start again with new questions"), icon=":material/refresh:"):
        rounds[chosen] = round_no + 1
        st.rerun()
