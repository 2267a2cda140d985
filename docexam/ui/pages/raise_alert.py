"""Alerts (trainer): turn a newly seen forgery, annotated in the studio, into an alert for every officer."""

import datetime as dt

import streamlit as st

from docexam.errors import DocexamError
from docexam.sharing.alerts import create_alert
from docexam.sharing.card import card_pdf
from docexam.ui import nav, session, sharing, state
from docexam.ui.i18n import _, said

session.require_trainer()
st.title(_("Alerts"))
st.caption(_("An alert shares a forgery officers have just met. Its specimen becomes quiz and refresher material "
           "at once, every trainee's home page shows it as a new alert, and it prints as a one-page card. "
           "Packs carry it to other installations (Sharing page)."))

own = state.user_specimens_dir().resolve()
forged = [s for s in state.specimens() if not s.authentic and s.folder.resolve() == own]
st.subheader(_("Raise an alert"))
if not forged:
    st.info(_("First add the forgery in the specimen studio: its pictures (any lights) and the traces you marked "
            "become the alert's."))
    st.page_link(nav.path("studio"), label=_("Specimen studio"), icon=":material/draw:")
else:
    names = [s.name for s in forged]
    preselect = st.session_state.pop("alert-specimen", None)
    with st.form("alert-form"):
        name = st.selectbox(_("Specimen (from the studio)"), names,
                            index=names.index(preselect) if preselect in names else 0)
        title = st.text_input(_("Title"), max_chars=200, placeholder=_("Photo substituted on Utopia passports"))
        title_km = st.text_input(_("Title in Khmer (optional)"), max_chars=200)
        imitates = st.text_input(_("The genuine document it imitates"), max_chars=300)
        c1, c2 = st.columns(2)
        seen_where = c1.text_input(_("Where it was seen"), max_chars=300, placeholder=_("Poipet checkpoint"))
        seen_when = c2.text_input(_("When"), max_chars=100, value=f"{dt.date.today():%B %Y}")
        checks = st.text_area(_("What to check (one point per line)"), height=110)
        checks_km = st.text_area(_("What to check, in Khmer (optional, one point per line)"), height=80)
        department = st.text_input(_("Raised by (department)"), max_chars=200)
        submitted = st.form_submit_button(_("Raise the alert"), type="primary", icon=":material/campaign:")
    if submitted:
        try:
            alert = create_alert(specimen=next(s for s in forged if s.name == name), title=title, title_km=title_km,
                                 imitates=imitates, seen_where=seen_where, seen_when=seen_when,
                                 what_to_check=checks.splitlines(), what_to_check_km=checks_km.splitlines(),
                                 department=department)
        except DocexamError as exc:
            st.error(_("Not raised: {error}", error=said(exc)))
        else:
            sharing.forget_alerts()
            st.success(_("Alert {id} raised: every trainee sees it on their home page now.", id=alert.id))

st.subheader(_("Alerts here"))
alerts = sharing.alerts()
if not alerts:
    st.caption(_("None yet."))
specimens = state.specimens()
for alert in alerts:
    with st.container(border=True):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.markdown(f"**{alert.title}** · {alert.department} · {alert.raised_at:%Y-%m-%d}  \n"
                    + _("Imitates {imitates}; specimen `{specimen}`", imitates=alert.imitates, specimen=alert.specimen))
        if c2.button(_("Card (PDF)"), key=f"card-{alert.id}", icon=":material/print:"):
            st.session_state[f"card-pdf-{alert.id}"] = card_pdf(alert, specimens)
        if f"card-pdf-{alert.id}" in st.session_state:
            c2.download_button("Download", st.session_state[f"card-pdf-{alert.id}"], file_name=f"{alert.id}.pdf",
                               mime="application/pdf", key=f"card-dl-{alert.id}")
