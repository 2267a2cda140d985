"""Home: what to do next, and progress per topic."""

import datetime as dt

import streamlit as st

from docexam.assessment import readiness
from docexam.errors import DocexamError
from docexam.ui.starter import LibraryNotReady
from docexam.ui import course, nav, session, sharing, state, steps
from docexam.ui.i18n import _, pick, said, t

me = session.require_trainee()
ws = session.workshop()
record = state.record()

st.title(_("Welcome, {name}", name=me.name))
if ws is not None:
    st.caption(_("Workshop {code}: {title}, {place}", code=ws.code, title=ws.title, place=ws.place))
else:
    st.caption(_("Self-study (no workshop)"))
if "lesson-welcome" in st.session_state:
    st.success(st.session_state.pop("lesson-welcome"))
for alert in sharing.new_alerts(record, me.id):
    with st.container(border=True):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.warning(_("New alert: {title} (raised by {department}, {date})", title=pick(alert.title, alert.title_km), department=alert.department,
                     date=alert.raised_at.strftime("%Y-%m-%d")), icon=":material/campaign:")
        c2.page_link(nav.path("alerts"), label=_("Open the alert"), icon=":material/arrow_forward:")

try:
    forms = state.test_forms(ws.id if ws else 0)
    topic_items = state.topic_items()
except LibraryNotReady:
    raise  # the app shows the library's progress and the warm-up instead
except DocexamError as exc:
    st.error(_("The specimen library cannot be loaded: {error}", error=said(exc)))
    st.stop()
attempts = course.attempts_in(record, me.id, ws)
due = len(record.due_items(me.id))
course_now = steps.states(me, ws, forms)

st.subheader(_("What to do next"))
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
            c2.page_link(nav.path(STEP_PAGE[step]), label=_("Go"), icon=":material/arrow_forward:")
        else:
            c1.write(f"{t(f'step_{step}', n=due)}  \n*{steps.when_text(state_now)}*")
        if step == "lessons" and state_now.open and due:
            c1.write(_("{n} questions are due for review.", n=due))
            c2.page_link(nav.path("refresher"), label=_("Go"), icon=":material/replay:")
with st.container(border=True):
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.write(_("See your results and print your certificate."))
    c2.page_link(nav.path("results"), label=_("Go"), icon=":material/arrow_forward:")

st.subheader(_("Progress per topic"), help=_("How likely you are to answer this topic's questions right today, from your practice."))
now = dt.datetime.now(dt.timezone.utc)
ready = readiness([r.card for r in record.review_states(me.id)], topic_items, now=now)
titles = {le.topic: pick(le.title, le.title_km) for le in state.lessons()}
answered = {}
for a in attempts:
    answered[a.topic] = answered.get(a.topic, 0) + 1
for topic, value in ready.items():
    st.progress(min(max(value, 0.0), 1.0),
                text=f"{titles.get(topic, topic)}: {value * 100:.0f}%  ({_('{n} answers', n=answered.get(topic, 0))})")
