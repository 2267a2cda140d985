"""Lessons: the explanation with specimen images, light switch, loupe, and the genuine beside the forged."""

import streamlit as st

from docexam.errors import DocexamError
from docexam.lessons import resolve_figures
from docexam.ui import course, nav, session, state, widgets
from docexam.ui.i18n import pick, t

session.require_trainee()
lessons = state.lessons()
ids = [le.id for le in lessons]
titles = {le.id: pick(le.title, le.title_km) for le in lessons}
default = st.session_state.get("lesson-current", ids[0])
chosen = st.selectbox(t("choose_lesson"), ids, index=ids.index(default) if default in ids else 0,
                      format_func=titles.get)
st.session_state["lesson-current"] = chosen
lesson = state.lesson(chosen)

st.title(titles[chosen])
st.markdown(f"**{t('objectives')}**")
for objective in (lesson.objectives_km if st.session_state.get("lang") == "km" else lesson.objectives):
    st.markdown(f"- {objective}")

try:
    figures = {f["id"]: f for f in resolve_figures(lesson, state.specimens())}
except DocexamError as exc:
    st.error(t("library_error", error=str(exc)))
    figures = {}

for n, section in enumerate(lesson.sections):
    st.subheader(pick(section.heading, section.heading_km))
    st.markdown(pick(section.text, section.text_km))
    for ref in section.figures:
        if ref in figures:
            widgets.show_figure(figures[ref], key=course.opaque_key(chosen, str(n), ref))

st.divider()
if st.button(t("practise_lesson"), type="primary", icon=":material/quiz:"):
    st.session_state["lesson-practice"] = chosen
    st.switch_page(nav.path("practice"))
