"""My results: own pre- and post-test score per topic (chart) and the certificate once the post-test is done."""

import datetime as dt

import pandas as pd
import streamlit as st

from docexam.ui import course, session, state
from docexam.ui.i18n import lang, pick, t

me = session.require_trainee()
ws = session.workshop()
record = state.record()
st.title(t("results_title"))
st.caption(t("results_intro"))

# only this trainee's attempts are read: the session's own id, never one from the page
attempts = course.attempts_in(record, me.id, ws)
titles = {le.topic: pick(le.title, le.title_km) for le in state.lessons()}
gains = course.topic_gains(attempts)

if not gains:
    st.info(t("results_none"))
else:
    table = pd.DataFrame({
        t("col_topic"): [titles.get(g.topic, g.topic) for g in gains],
        t("col_pre"): [None if g.pre is None else round(100 * g.pre) for g in gains],
        t("col_post"): [None if g.post is None else round(100 * g.post) for g in gains],
        t("col_gain"): [None if g.gain is None else round(100 * g.gain) for g in gains],
    })
    st.bar_chart(table.set_index(t("col_topic"))[[t("col_pre"), t("col_post")]], stack=False,
                 y_label="%", height=320)
    st.dataframe(table, hide_index=True, width="stretch")
    pre, post = course.overall(attempts, "pre"), course.overall(attempts, "post")
    fmt = lambda v: "-" if v is None else f"{v * 100:.0f}%"  # noqa: E731
    st.write(t("overall_line", pre=fmt(pre), post=fmt(post)))

st.subheader(t("certificate"))
forms = state.test_forms(ws.id if ws else 0)
if course.form_complete(attempts, "post", forms["post"]):
    page = course.certificate_html(
        name=me.name, department=me.department, province=me.province,
        workshop=ws.title if ws else None, place=ws.place if ws else None,
        dates=f"{ws.start_date.isoformat()} – {ws.end_date.isoformat()}" if ws else None,
        pre=course.overall(attempts, "pre"), post=course.overall(attempts, "post"),
        issued=dt.date.today(), lang=lang())
    st.download_button(t("download_certificate"), page.encode("utf-8"), file_name="certificate.html",
                       mime="text/html", type="primary", icon=":material/workspace_premium:")
else:
    st.info(t("certificate_locked"))
