"""Trainer sign in: the passphrase that unlocks the trainer pages (set on first start)."""

import streamlit as st

from docexam.errors import DocexamError
from docexam.ui import nav, session, state
from docexam.ui.i18n import _

record = state.record()
st.title(_("Trainer sign in"))

if session.is_trainer():
    st.success(_("Trainer pages unlocked."))
    st.page_link(nav.path("workshops"), label=_("Workshops"), icon=":material/groups:")
    if st.button(_("Lock the trainer pages"), icon=":material/lock:"):
        session.lock_trainer()
        st.rerun()
    st.stop()

if not record.has_trainer_passphrase():
    if not session.is_local_client():
        st.info(_("No trainer passphrase is set yet. Set it on the training laptop itself (open this page there) or with the command `docexam trainer-passphrase`."))
        st.stop()
    st.subheader(_("Set the trainer passphrase"))
    st.write(_("No trainer passphrase is set yet. Choose one of at least 8 characters; it is stored as a slow hash, never as text."))
    with st.form("set-passphrase"):
        first = st.text_input(_("Trainer passphrase"), type="password", max_chars=200)
        again = st.text_input(_("Repeat the passphrase"), type="password", max_chars=200)
        sent = st.form_submit_button(_("Set the passphrase"), type="primary")
    if sent:
        if first != again:
            st.error(_("The two passphrases differ."))
        else:
            try:
                record.set_trainer_passphrase(first)
            except DocexamError as exc:
                session.show_error(exc)
            else:
                session.unlock_trainer(record, first)
                st.rerun()
    st.stop()

st.write(_("The trainer pages (workshops, specimen studio, library) need the trainer passphrase."))
with st.form("unlock"):
    phrase = st.text_input(_("Trainer passphrase"), type="password", max_chars=200)
    sent = st.form_submit_button(_("Unlock"), type="primary", icon=":material/key:")
if sent:
    try:
        unlocked = session.unlock_trainer(record, phrase)
    except DocexamError as exc:  # locked out after too many wrong passphrases
        session.show_error(exc)
    else:
        if unlocked:
            st.rerun()
        st.error(_("Wrong passphrase."))
