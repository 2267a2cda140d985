"""Home: what to do next, and progress per topic."""

import datetime as dt

import streamlit as st

from docexam.assessment import readiness
from docexam.errors import DocexamError
from docexam.ui import course, nav, session, sharing, state, steps
from docexam.ui.i18n import pick, t

me = session.require_trainee()
ws = session.workshop()
record = state.record()

st.title(t("home_title", name=me.name))
if ws is not None:
    st.caption(t("home_workshop", code=ws.code, title=ws.title, place=ws.place))
else:
    st.caption(t("home_selfstudy"))
if "lesson-welcome" in st.session_state:
    st.success(st.session_state.pop("lesson-welcome"))
for alert in sharing.new_alerts(record, me.id):
    with st.container(border=True):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.warning(t("alert_new", title=pick(alert.title, alert.title_km), department=alert.department,
                     date=alert.raised_at.strftime("%Y-%m-%d")), icon=":material/campaign:")
        c2.page_link(nav.path("alerts"), label=t("alert_open"), icon=":material/arrow_forward:")

try:
    forms = state.test_forms(ws.id if ws else 0)
    topic_items = state.topic_items()
except DocexamError as exc:
    st.error(t("library_error", error=str(exc)))
    st.stop()
attempts = course.attempts_in(record, me.id, ws)
due = len(record.due_items(me.id))
course_now = steps.states(me, ws, forms)

st.subheader(t("next_title"))
STEP_PAGE = {"pre-test": "pre_test", "lessons": "lessons", "post-test": "post_test", "survey": "survey"}
order = steps.settings(ws).order
for step in order:
    if step == "survey" and ws is None:
        continue
    state_now = course_now[step]
    with st.container(border=True):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        if state_now.done and step != "lessons":
            c1.write(f"✓ {t(f'step_{step}', n=due)}")
        elif state_now.open:
            c1.write(t(f"step_{step}", n=due))
            c2.page_link(nav.path(STEP_PAGE[step]), label=t("go"), icon=":material/arrow_forward:")
        else:
            c1.write(f"{t(f'step_{step}', n=due)}  \n*{steps.when_text(state_now)}*")
        if step == "lessons" and state_now.open and due:
            c1.write(t("step_refresher", n=due))
            c2.page_link(nav.path("refresher"), label=t("go"), icon=":material/replay:")
with st.container(border=True):
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.write(t("step_results"))
    c2.page_link(nav.path("results"), label=t("go"), icon=":material/arrow_forward:")

st.subheader(t("progress_title"), help=t("progress_help"))
now = dt.datetime.now(dt.timezone.utc)
ready = readiness([r.card for r in record.review_states(me.id)], topic_items, now=now)
titles = {le.topic: pick(le.title, le.title_km) for le in state.lessons()}
answered = {}
for a in attempts:
    answered[a.topic] = answered.get(a.topic, 0) + 1
for topic, value in ready.items():
    st.progress(min(max(value, 0.0), 1.0),
                text=f"{titles.get(topic, topic)}: {value * 100:.0f}%  ({t('answered_n', n=answered.get(topic, 0))})")
