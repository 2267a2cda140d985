"""Course settings (trainer): per workshop, the order of the steps, when each opens, the practice a
lesson needs, the pass mark and the certificate rule; and whether the test forms are drawn yet."""

import datetime as dt

import streamlit as st

from docexam.assessment.course import CERTIFICATE_RULES, STEPS, CourseSettings, rule_text
from docexam.ui import session, state, trainer
from docexam.ui.i18n import _, lang, said, t

session.require_trainer()
record = state.record()
st.title(_("Course settings"))
st.caption(_("The order in which this workshop's trainees take the steps, when each step opens, and the rule for the certificate. A trainee sees a closed step with the time it opens."))
ws = trainer.workshop_picker(record, key="cs-workshop")
settings = record.course_settings(ws.id)
k = f"cs-{ws.id}"  # widgets per workshop: switching workshop shows that workshop's settings


def step_name(step: str) -> str:
    return t(f"stepname_{step}")


order = st.multiselect(_("Steps, in the order trainees take them (leave a step out to drop it)"), STEPS, default=list(settings.order), format_func=step_name, key=f"{k}-order")
st.markdown(f"**{_('Opening times')}**")
opens = {}
for step in order:
    set_time = st.toggle(_("The {step} opens at a set time", step=step_name(step)), value=step in settings.opens_at,
                         key=f"{k}-opens-{step}")
    if set_time:
        local = settings.opens_at.get(step, dt.datetime.combine(ws.start_date, dt.time(8, 0)).astimezone())
        local = local.astimezone()
        c1, c2 = st.columns(2)
        day = c1.date_input(_("Date"), local.date(), key=f"{k}-day-{step}")
        hour = c2.time_input(_("Time"), local.time().replace(tzinfo=None), key=f"{k}-time-{step}")
        opens[step] = dt.datetime.combine(day, hour).astimezone()  # the laptop's time zone
practice = st.number_input(_("Practice answers needed in each lesson before the next step (0: none)"), 0, 100, settings.practice_per_lesson, key=f"{k}-practice")
pass_mark = st.slider(_("Post-test pass mark (%)"), 0, 100, round(settings.pass_mark * 100), key=f"{k}-pass")
rule = st.radio(_("The certificate is awarded for"), CERTIFICATE_RULES, index=CERTIFICATE_RULES.index(settings.certificate),
                format_func=lambda r: t(f"cert_{r}"), horizontal=True, key=f"{k}-rule")

try:
    chosen = CourseSettings(order=tuple(order), opens_at=opens, pass_mark=pass_mark / 100, certificate=rule,
                            practice_per_lesson=int(practice))
except ValueError as exc:
    st.error(_("Not saved: {error}", error=said(exc)))
    chosen = None
else:
    st.caption(_("Printed on the certificate: {rule}", rule=rule_text(chosen, lang())))
if st.button(_("Save the course settings"), type="primary", icon=":material/save:", disabled=chosen is None, key=f"{k}-save"):
    record.set_course_settings(ws.id, chosen)
    st.success(_("Saved: trainees follow the new settings from their next click."))

st.subheader(_("Test forms"))
frozen = record.frozen_forms(ws.id)
if frozen:
    st.info(_("The pre-test ({pre} questions) and the post-test ({post} questions) are drawn and stay the same for every trainee. `docexam workshop forms {code} --json` lists them with their answers.", pre=len(frozen.get("pre", [])), post=len(frozen.get("post", [])), code=ws.code))
else:
    st.info(_("The tests are drawn when a trainee first opens one; from then on they stay the same for everyone."))
