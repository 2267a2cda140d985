"""Sign in: name, department, province, the workshop code from the trainer, and a PIN."""

import streamlit as st

from docexam.errors import DocexamError
from docexam.ui import browser, session, state
from docexam.ui.i18n import t

st.title(t("signin_title"))
st.write(t("signin_intro"))

with st.form("signin"):
    name = st.text_input(t("name"), max_chars=200)
    department = st.text_input(t("department"), max_chars=200)
    province = st.text_input(t("province"), max_chars=200)
    code = st.text_input(t("workshop_code"), max_chars=40)
    pin = st.text_input(t("pin"), type="password", max_chars=12)
    sent = st.form_submit_button(t("signin_button"), type="primary", icon=":material/login:")
browser.numeric_fields(t("pin"))  # phones open the number pad for the PIN

if sent:
    if not (name.strip() and department.strip() and province.strip() and pin):
        st.warning(t("missing_fields"))
    else:
        try:
            me, ws, new = session.sign_in_trainee(state.record(), name=name, department=department,
                                                  province=province, pin=pin, code=code)
        except DocexamError as exc:
            st.error(t("signin_error", error=str(exc)))
        else:
            session.set_trainee(me, ws)
            if new:
                st.session_state["lesson-welcome"] = t("signin_new", name=me.name)
            st.rerun()
