"""Refresher: the questions due for review (spaced repetition), explained after each answer."""

from dataclasses import replace

import streamlit as st

from docexam.errors import DocexamError
from docexam.ui import quiz, session, sharing, state, steps
from docexam.ui.i18n import _, said

#: questions per refresher round
COUNT = 10

me = session.require_trainee()
steps.require_open("refresher")
st.title(_("Refresher"))
st.caption(_("Questions you answered before, coming back when you are about to forget them."))

# the round is fixed when it starts: answering changes what is due.
# New alerts come first: their questions are refresher items from the moment they arrive
try:
    fresh = sharing.alert_items(sharing.new_alerts(state.record(), me.id))
    index = {**state.all_items(), **{item.id: item for item in sharing.alert_items()}}
except DocexamError as exc:
    st.error(_("The specimen library cannot be loaded: {error}", error=said(exc)))
    st.stop()
if "quiz-refresher" not in st.session_state:
    firsts = [(item.id, item.topic) for item in fresh[:COUNT]]
    due = state.record().due_items(me.id, limit=COUNT - len(firsts)) if len(firsts) < COUNT else []
    st.session_state["quiz-refresher"] = {"ids": firsts + [(r.item_id, r.topic) for r in due], "round": 0}
plan = st.session_state["quiz-refresher"]
# an item may have gone from the library since it was answered: it is left out
items = [replace(index[i], topic=topic or index[i].topic) for i, topic in plan["ids"] if i in index]
if not items:
    st.info(_("Nothing is due for review now. Come back later, or practise a lesson."))
    st.stop()
key = f"refresher:{plan['round']}"
quiz.run_quiz(key, items, form="refresher")
if quiz.quiz_state(key)["pos"] >= len(items):
    if st.button(_("Start again with new questions"), icon=":material/refresh:"):
        del st.session_state["quiz-refresher"]
        st.rerun()
