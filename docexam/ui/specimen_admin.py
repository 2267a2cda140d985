"""The library's panel for one specimen: retire it or put it back (any specimen), edit what a trainer's
own specimen says, and delete it when no answer was ever given about it (else it can only be retired:
an answer keeps its document)."""

from __future__ import annotations

import streamlit as st

from ..errors import DocexamError
from ..lessons.vocabulary import TECHNIQUE_LABELS, label, zone_label
from ..specimens import TECHNIQUES, find_template, studio
from ..specimens.model import HOLDER_FIELDS
from . import state
from .i18n import _, lang, said

#: the session key whose change gives the library table a fresh selection (after a deletion)
GENERATION = "lib-generation"


def manage(spec, *, own: bool) -> None:
    """Draw the panel for ``spec`` (``own``: a trainer's specimen from the studio)."""
    record = state.record()
    with st.expander(_("Retire, edit or delete"), icon=":material/settings:", expanded=True):
        _retire(record, spec)
        if not own:
            st.caption(_("Only the trainers' own specimens (from the studio) can be edited or deleted; any can be retired."))
            return
        st.divider()
        _edit(spec)
        st.divider()
        _delete(record, spec)


def _retire(record, spec) -> None:
    st.caption(_("A retired document is asked in no new quiz or test; answers already given keep it in their history."))
    notes = record.retired_specimens()
    if spec.name in notes:
        st.warning(_("Retired: no new quiz or test asks it. {note}", note=notes[spec.name]))
        if st.button(_("Put it back in use"), key=f"lib-restore-{spec.name}", icon=":material/undo:"):
            record.restore_specimen(spec.name)
            st.rerun()
        return
    note = st.text_input(_("Why (the other trainers see it)"), key=f"lib-retire-note-{spec.name}", max_chars=500)
    if st.button(_("Retire it"), key=f"lib-retire-{spec.name}", icon=":material/archive:"):
        record.retire_specimen(spec.name, note=note)
        st.rerun()


def _edit(spec) -> None:
    try:
        template = find_template(spec.template)
    except DocexamError as exc:
        st.error(_("Not done: {error}", error=said(exc)))
        return
    zones = [z.name for z in template.zones]
    with st.form(f"lib-edit-{spec.name}"):
        st.markdown(f"**{_('Edit what it says')}**")
        changes = []
        for i, a in enumerate(spec.anomalies):
            st.markdown(_("Trace {n}", n=i + 1))
            c1, c2 = st.columns(2)
            technique = c1.selectbox(_("Technique"), list(TECHNIQUES), key=f"lib-tech-{spec.name}-{i}",
                                     index=list(TECHNIQUES).index(a.technique) if a.technique in TECHNIQUES else 0,
                                     format_func=lambda n: label(TECHNIQUE_LABELS, n, lang()))
            zone = c2.selectbox(_("Zone"), zones, index=zones.index(a.zone) if a.zone in zones else 0,
                                key=f"lib-zone-{spec.name}-{i}", format_func=lambda z: zone_label(z, lang()))
            note = st.text_area(_("What an examiner should look for"), a.note, key=f"lib-note-{spec.name}-{i}", max_chars=500, height=80)
            changes.append({"technique": technique, "zone": zone, "note": note})
        holder = {}
        columns = st.columns(3)
        for n, field in enumerate(HOLDER_FIELDS):
            holder[field] = columns[n % 3].text_input(zone_label(field, lang()), spec.holder.get(field),
                                                      key=f"lib-h-{spec.name}-{field}", max_chars=100)
        mrz = st.text_area("MRZ", "\n".join(spec.mrz), key=f"lib-mrz-{spec.name}", height=90)
        saved = st.form_submit_button(_("Save the changes"), icon=":material/save:")
    if saved:
        try:
            studio.edit_user_specimen(state.user_specimens_dir(), spec.name, template=template, holder=holder,
                                      mrz=mrz.splitlines(), anomalies=changes)
        except DocexamError as exc:
            st.error(_("Not done: {error}", error=said(exc)))
        else:
            state.forget_specimens()
            st.success(_("Saved: quizzes use the new text from now on."))


def _delete(record, spec) -> None:
    answered = record.specimen_answers(spec.name)
    if answered:
        st.info(_("{n} answers were given about it: it can be retired, not deleted (an answer keeps its document).", n=answered))
        return
    sure = st.checkbox(_("I understand its files are removed for good"), key=f"lib-delete-sure-{spec.name}")
    if st.button(_("Delete it for good"), key=f"lib-delete-{spec.name}", disabled=not sure, icon=":material/delete:"):
        try:
            studio.delete_user_specimen(state.user_specimens_dir(), spec.name)
        except DocexamError as exc:
            st.error(_("Not done: {error}", error=said(exc)))
            return
        state.forget_specimens()
        st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1  # a fresh table selection
        st.toast(_("Deleted {name}.", name=spec.name))
        st.rerun()
