"""Practice: ten questions of one lesson, each explained after the answer, with the score so far."""

import streamlit as st

from docexam.errors import DocexamError
from docexam.lessons import draw_quiz
from docexam.ui import quiz, session, state
from docexam.ui.i18n import pick, t

#: questions per practice round
COUNT = 10

me = session.require_trainee()
st.title(t("practice_title"))
st.caption(t("practice_intro"))
lessons = state.lessons()
ids = [le.id for le in lessons]
titles = {le.id: pick(le.title, le.title_km) for le in lessons}
default = st.session_state.get("lesson-practice", ids[0])
chosen = st.selectbox(t("choose_lesson"), ids, index=ids.index(default) if default in ids else 0,
                      format_func=titles.get)
st.session_state["lesson-practice"] = chosen

rounds = st.session_state.setdefault("quiz-rounds", {})
round_no = rounds.get(chosen, 0)
try:
    items = draw_quiz(state.lesson_items(chosen), seed=me.id * 1000 + round_no, count=COUNT)
except DocexamError as exc:
    st.error(t("library_error", error=str(exc)))
    st.stop()

key = f"practice:{chosen}:{round_no}"
quiz.run_quiz(key, items, form="practice", lesson_id=chosen)
if quiz.quiz_state(key)["pos"] >= len(items) and items:
    if st.button(t("quiz_again"), icon=":material/refresh:"):
        rounds[chosen] = round_no + 1
        st.rerun()
