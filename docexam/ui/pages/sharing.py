"""Sharing (trainer): this installation's key, the keys trusted here, packs out and in, and every import."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from docexam.errors import DocexamError
from docexam.sharing.pack import export_pack, import_pack, plan_pack, undo_import
from docexam.sharing.sync import sync
from docexam.signing import installation_key, trust_key, trusted_keys
from docexam.ui import session, sharing, state
from docexam.ui.i18n import _, said

session.require_trainer()
record = state.record()
st.title(_("Sharing"))
st.caption(_("Packs carry this installation's own specimens, templates, alerts, lessons and drill scenarios to "
           "other installations, signed with its key; workshop exports are signed the same way. Only what a key "
           "you trust signed is accepted."))

st.subheader(_("This installation's key"))
key = installation_key()
st.code(key.public_text, language=None)
st.caption(_("Fingerprint {fingerprint}: read it to the other trainer over the phone before they trust it.",
             fingerprint=key.fingerprint))

st.subheader(_("Keys trusted here"))
st.dataframe(pd.DataFrame([{"name": k.name, "fingerprint": k.fingerprint, "since": f"{k.added_at:%Y-%m-%d}"}
                           for k in trusted_keys()]), hide_index=True, width="stretch")
with st.form("trust-form", clear_on_submit=True):
    c1, c2 = st.columns([3, 2])
    new_key = c1.text_input(_("Key (ed25519:...)"))
    new_name = c2.text_input(_("Whose key (e.g. Poipet laptop)"))
    if st.form_submit_button(_("Trust this key"), icon=":material/verified_user:"):
        try:
            entry = trust_key(new_key, new_name)
        except DocexamError as exc:
            st.error(said(exc))
        else:
            st.success(_("Trusted {name} ({fingerprint}).", name=entry.name, fingerprint=entry.fingerprint))

st.subheader(_("Send a pack"))
if st.button(_("Make a pack of everything made here"), icon=":material/inventory_2:"):
    out = Path(tempfile.mkdtemp(prefix="docexam-pack-")) / "docexam.dxpack"
    try:
        made = export_pack(out)
    except DocexamError as exc:
        st.error(said(exc))
    else:
        st.session_state["sharing-pack"] = (made.summary(), out.read_bytes())
if "sharing-pack" in st.session_state:
    summary, data = st.session_state["sharing-pack"]
    st.caption(summary.split(": ", 1)[-1])
    st.download_button(_("Download the pack"), data, file_name="docexam.dxpack", mime="application/octet-stream")

st.subheader(_("Receive a pack"))
upload = st.file_uploader(_("Pack file (.dxpack)"), key="sharing-upload")
if upload is not None:
    folder = Path(tempfile.gettempdir()) / "docexam-uploads"
    folder.mkdir(exist_ok=True)
    path = folder / f"{upload.file_id}.dxpack"
    if not path.exists():
        path.write_bytes(upload.getvalue())
    try:
        plan = plan_pack(path)
    except DocexamError as exc:
        st.error(_("Refused: {error}", error=said(exc)))
    else:
        st.code("\n".join(plan.lines()), language=None)
        if plan.empty:
            st.info(_("Everything in this pack is here already."))
        elif st.button(_("Import it"), type="primary", icon=":material/download:"):
            try:
                result = import_pack(record, path)
            except DocexamError as exc:
                st.error(_("Not imported: {error}", error=said(exc)))
            else:
                state.forget_specimens()
                sharing.forget_alerts()
                st.success(result.summary())

st.subheader(_("Headquarters"))
st.caption(_("When this laptop is online: send every workshop's records (signed) to headquarters and bring back "
           "its pack. Offline, nothing is lost; sync again later."))
with st.form("sync-form"):
    server = st.text_input(_("Headquarters' address"), placeholder="https://hq.example", key="sync-server")
    if st.form_submit_button(_("Sync now"), icon=":material/sync:"):
        try:
            with st.spinner(_("Syncing…")):
                lines = sync(record, server)
        except DocexamError as exc:
            st.error(said(exc))
        else:
            state.forget_specimens()
            sharing.forget_alerts()
            st.success("\n\n".join(lines))

st.subheader(_("Imports"))
batches = record.imports()
if not batches:
    st.caption(_("Nothing imported yet."))
for b in batches:
    with st.container(border=True):
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        status = (f"undone {b.undone_at:%Y-%m-%d %H:%M}" + (f" ({b.undo_note})" if b.undo_note else "")
                  if b.undone else ("verified" if b.verified else "UNVERIFIED: kept apart in reports"))
        c1.markdown(f"**{b.id}** · {b.kind} · {b.imported_at:%Y-%m-%d %H:%M} · "
                    f"{b.signer_name or 'unknown signer'} · {status}  \n`{Path(b.source).name}`")
        if not b.undone and c2.button(_("Undo"), key=f"undo-{b.id}", icon=":material/undo:"):
            try:
                undo_import(record, b.id, note="undone on the Sharing page")
            except DocexamError as exc:
                st.error(said(exc))
            else:
                state.forget_specimens()
                sharing.forget_alerts()
                st.rerun()
