"""Lessons: the explanation with specimen images, light switch, loupe, and the genuine beside the forged."""

import streamlit as st

from docexam.errors import DocexamError
from docexam.lessons import resolve_figures
from docexam.ui import course, nav, session, state, steps, widgets
from docexam.ui.i18n import _, pick, said

session.require_trainee()
steps.require_open("lessons")
chosen, title = widgets.lesson_picker(state.lessons(), key="lesson-current")
lesson = state.lesson(chosen)

st.title(title)
st.markdown(f"**{_('In this lesson you learn to:')}**")
for objective in (lesson.objectives_km if st.session_state.get("lang") == "km" else lesson.objectives):
    st.markdown(f"- {objective}")

try:
    figures = {f["id"]: f for f in resolve_figures(lesson, state.specimens())}
except DocexamError as exc:
    st.error(_("The specimen library cannot be loaded: {error}", error=said(exc)))
    figures = {}

for n, section in enumerate(lesson.sections):
    st.subheader(pick(section.heading, section.heading_km))
    st.markdown(pick(section.text, section.text_km))
    for ref in section.figures:
        if ref in figures:
            widgets.show_figure(figures[ref], key=course.opaque_key(chosen, str(n), ref))

st.divider()
if st.button(_("Practise this lesson"), type="primary", icon=":material/quiz:"):
    st.session_state["lesson-practice"] = chosen
    st.switch_page(nav.path("practice"))
