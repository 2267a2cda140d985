"""Course settings (trainer): per workshop, the order of the steps, when each opens, the practice a
lesson needs, the pass mark and the certificate rule; and whether the test forms are drawn yet."""

import datetime as dt

import streamlit as st

from docexam.assessment.course import CERTIFICATE_RULES, STEPS, CourseSettings, rule_text
from docexam.ui import session, state, trainer
from docexam.ui.i18n import t

session.require_trainer()
record = state.record()
st.title(t("cs_title"))
st.caption(t("cs_intro"))
ws = trainer.workshop_picker(record, key="cs-workshop")
settings = record.course_settings(ws.id)
k = f"cs-{ws.id}"  # widgets per workshop: switching workshop shows that workshop's settings


def step_name(step: str) -> str:
    return t(f"stepname_{step}")


order = st.multiselect(t("cs_order"), STEPS, default=list(settings.order), format_func=step_name, key=f"{k}-order")
st.markdown(f"**{t('cs_opens')}**")
opens = {}
for step in order:
    set_time = st.toggle(t("cs_opens_step", step=step_name(step)), value=step in settings.opens_at,
                         key=f"{k}-opens-{step}")
    if set_time:
        local = settings.opens_at.get(step, dt.datetime.combine(ws.start_date, dt.time(8, 0)).astimezone())
        local = local.astimezone()
        c1, c2 = st.columns(2)
        day = c1.date_input(t("cs_date"), local.date(), key=f"{k}-day-{step}")
        hour = c2.time_input(t("cs_time"), local.time().replace(tzinfo=None), key=f"{k}-time-{step}")
        opens[step] = dt.datetime.combine(day, hour).astimezone()  # the laptop's time zone
practice = st.number_input(t("cs_practice"), 0, 100, settings.practice_per_lesson, key=f"{k}-practice")
pass_mark = st.slider(t("cs_pass_mark"), 0, 100, round(settings.pass_mark * 100), key=f"{k}-pass")
rule = st.radio(t("cs_certificate"), CERTIFICATE_RULES, index=CERTIFICATE_RULES.index(settings.certificate),
                format_func=lambda r: t(f"cert_{r}"), horizontal=True, key=f"{k}-rule")

try:
    chosen = CourseSettings(order=tuple(order), opens_at=opens, pass_mark=pass_mark / 100, certificate=rule,
                            practice_per_lesson=int(practice))
except ValueError as exc:
    st.error(t("cs_invalid", error=str(exc)))
    chosen = None
else:
    st.caption(t("cs_rule_preview", rule=rule_text(chosen)))
if st.button(t("cs_save"), type="primary", icon=":material/save:", disabled=chosen is None, key=f"{k}-save"):
    record.set_course_settings(ws.id, chosen)
    st.success(t("cs_saved"))

st.subheader(t("cs_forms"))
frozen = record.frozen_forms(ws.id)
if frozen:
    st.info(t("cs_forms_frozen", pre=len(frozen.get("pre", [])), post=len(frozen.get("post", [])), code=ws.code))
else:
    st.info(t("cs_forms_not_yet"))
