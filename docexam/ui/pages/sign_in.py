"""Sign in: name, department, province, the workshop code from the trainer, and a PIN."""

import streamlit as st

from docexam.errors import DocexamError
from docexam.ui import browser, session, state
from docexam.ui.i18n import _, said

st.title(_("Sign in"))
st.write(_("Type your details as you gave them to the trainer. The first time, choose a PIN of 4 to 12 digits and remember it: it keeps anyone else from answering in your name."))

with st.form("signin"):
    name = st.text_input(_("Full name"), max_chars=200)
    department = st.text_input(_("Department or unit"), max_chars=200)
    province = st.text_input(_("Province"), max_chars=200)
    code = st.text_input(_("Workshop code (from the trainer; empty for self-study)"), max_chars=40)
    pin = st.text_input(_("PIN (4 to 12 digits)"), type="password", max_chars=12)
    sent = st.form_submit_button(_("Sign in"), type="primary", icon=":material/login:")
browser.numeric_fields(_("PIN (4 to 12 digits)"))  # phones open the number pad for the PIN

if sent:
    if not (name.strip() and department.strip() and province.strip() and pin):
        st.warning(_("Fill in your name, department, province and PIN."))
    else:
        try:
            me, ws, new = session.sign_in_trainee(state.record(), name=name, department=department,
                                                  province=province, pin=pin, code=code)
        except DocexamError as exc:
            st.error(_("Could not sign in: {error}", error=said(exc)))
        else:
            session.set_trainee(me, ws)
            if new:
                st.session_state["lesson-welcome"] = _("Welcome, {name}. You are registered; remember your PIN.", name=me.name)
            st.rerun()
