"""Trainer sign in: the passphrase that unlocks the trainer pages (set on first start)."""

import streamlit as st

from docexam.errors import DocexamError
from docexam.ui import nav, session, state
from docexam.ui.i18n import t

record = state.record()
st.title(t("trainer_title"))

if session.is_trainer():
    st.success(t("trainer_unlocked"))
    st.page_link(nav.path("workshops"), label="Workshops", icon=":material/groups:")
    if st.button(t("lock"), icon=":material/lock:"):
        session.lock_trainer()
        st.rerun()
    st.stop()

if not record.has_trainer_passphrase():
    if not session.is_local_client():
        st.info(t("passphrase_local_only"))
        st.stop()
    st.subheader(t("set_passphrase_title"))
    st.write(t("set_passphrase_intro"))
    with st.form("set-passphrase"):
        first = st.text_input(t("passphrase"), type="password", max_chars=200)
        again = st.text_input(t("passphrase_again"), type="password", max_chars=200)
        sent = st.form_submit_button(t("set_button"), type="primary")
    if sent:
        if first != again:
            st.error(t("passphrase_mismatch"))
        else:
            try:
                record.set_trainer_passphrase(first)
            except DocexamError as exc:
                session.show_error(exc)
            else:
                session.unlock_trainer(record, first)
                st.rerun()
    st.stop()

st.write(t("trainer_intro"))
with st.form("unlock"):
    phrase = st.text_input(t("passphrase"), type="password", max_chars=200)
    sent = st.form_submit_button(t("unlock"), type="primary", icon=":material/key:")
if sent:
    try:
        unlocked = session.unlock_trainer(record, phrase)
    except DocexamError as exc:  # locked out after too many wrong passphrases
        session.show_error(exc)
    else:
        if unlocked:
            st.rerun()
        st.error(t("wrong_passphrase"))
