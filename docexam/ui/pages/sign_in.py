"""Sign in: name, department, province, the workshop code from the trainer, and a PIN."""

import streamlit as st

from docexam.ui import browser, session
from docexam.ui.i18n import _

st.title(_("Sign in"))
st.write(_("Type your details as you gave them to the trainer. The first time, choose a PIN of 4 to 12 digits and remember it: it keeps anyone else from answering in your name."))

with st.form("signin"):
    st.text_input(_("Full name"), max_chars=200, key=session.SIGN_IN_FIELDS["name"])
    st.text_input(_("Department or unit"), max_chars=200, key=session.SIGN_IN_FIELDS["department"])
    st.text_input(_("Province"), max_chars=200, key=session.SIGN_IN_FIELDS["province"])
    st.text_input(_("Workshop code (from the trainer; empty for self-study)"), max_chars=40,
                  key=session.SIGN_IN_FIELDS["code"])
    st.text_input(_("PIN (4 to 12 digits)"), type="password", max_chars=12, key=session.SIGN_IN_FIELDS["pin"])
    # the press signs in before the next run lists the pages: that run opens the trainee's page itself
    st.form_submit_button(_("Sign in"), type="primary", icon=":material/login:", on_click=session.sign_in_from_form)
browser.numeric_fields(_("PIN (4 to 12 digits)"))  # phones open the number pad for the PIN

problem = session.sign_in_problem()
if problem:
    st.error(problem)
