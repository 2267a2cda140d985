"""Trainees (trainer): the questions a trainee missed, shown again with the documents and the answer given;
merging two records of one officer (both records' details side by side, a confirmation, undo)."""

import pandas as pd
import streamlit as st

from docexam.errors import DocexamError
from docexam.ui import course, quiz, session, state, trainer
from docexam.ui.i18n import _, said, t

FORMS = ("pre", "post", "practice", "refresher")
FORM_TITLES = {"pre": "pre_title", "post": "post_title", "practice": "nav_practice", "refresher": "nav_refresher"}

session.require_trainer()
record = state.record()
st.title(_("Trainees"))
st.caption(_("Every officer's record: merge two records of one officer, and review the questions a trainee missed, with the documents."))
people = record.trainees()
if not people:
    st.info(_("Nobody has registered yet."))
    st.stop()
by_id = {p.id: p for p in people}
review, merge = st.tabs([_("Missed questions"), _("Merge two records")])

with review:
    ws = trainer.workshop_picker(record, allow_all=True, key="tr-workshop")
    shown = record.trainees(ws.id) if ws else people
    if not shown:
        st.info(_("Nobody has registered yet."))
    else:
        who = st.selectbox(_("Trainee"), [p.id for p in shown], key="tr-who",
                           format_func={p.id: trainer.trainee_label(p) for p in shown}.get)
        form = st.segmented_control(_("Answers from"), FORMS, default="post", key="tr-form",
                                    format_func=lambda f: t(FORM_TITLES[f])) or "post"
        attempts = [a for a in record.attempts_for(trainee_id=who, form=form)
                    if ws is None or a.workshop_id == ws.id]
        first = [a for (f, _), a in course.first_answers(attempts).items() if f == form]
        missed = [a for a in first if a.score < 1.0]
        if not first:
            st.info(_("Nothing missed here."))
        else:
            st.caption(_("{missed} of {answered} first answers missed or partly right.", missed=len(missed), answered=len(first)))
        items = trainer.items_by_id()
        retired = state.retired()
        for a in missed:
            item = items.get(a.item_id)
            with st.container(border=True):
                if item is None:  # its document deleted, or a lesson changed since
                    st.markdown(f"`{a.item_id}`")
                    st.warning(_("This question is no longer in the bank (its document was deleted, or a lesson changed). The answer given: {answer}", answer=trainer.answer_label(None, a.answer)))
                    continue
                quiz.review(item, a.answer, a.score)
                if set(item.specimens) & retired:
                    st.caption(_("Its document is retired: no new quiz or test asks it."))

with merge:
    flash = st.session_state.pop("tr-flash", None)
    if flash:
        st.success(flash)
    pairs = record.possible_duplicates()
    if pairs:
        st.markdown(f"**{_('Possibly the same officer (same name)')}**")
        for pair in pairs:
            a, b = sorted(pair, key=lambda p: (p.created_at, p.id))  # keep the first registered, by default
            if st.button(_("Compare: {a} / {b}", a=trainer.trainee_label(a), b=trainer.trainee_label(b)),
                         key=f"tr-pair-{a.id}-{b.id}"):
                st.session_state["tr-keep"], st.session_state["tr-alias"] = a.id, b.id
    ids = list(by_id)
    for k, default in (("tr-keep", ids[0]), ("tr-alias", ids[min(1, len(ids) - 1)])):
        if st.session_state.get(k) not in ids:  # first visit, or the record was just merged away
            st.session_state[k] = default
    c1, c2 = st.columns(2)
    keep = c1.selectbox(_("Record to keep"), ids, key="tr-keep", format_func=lambda i: trainer.trainee_label(by_id[i]))
    alias = c2.selectbox(_("Record to merge into it"), ids, key="tr-alias", format_func=lambda i: trainer.trainee_label(by_id[i]))
    if keep == alias:
        st.info(_("Pick two different records."))
    else:
        left, right = (trainer.details_rows(record.record_details(i)) for i in (keep, alias))
        st.table(pd.DataFrame({_("Record to keep"): [v for _, v in left], _("Record to merge into it"): [v for _, v in right]},
                              index=[label for label, _ in left]))
        with st.form("tr-merge-form"):
            note = st.text_input(_("Why (kept with the merge)"), max_chars=500)
            sure = st.checkbox(_("I have checked: these two records are the same officer."))
            go = st.form_submit_button(_("Merge the two records"), type="primary")
        if go and not sure:
            st.warning(_("I have checked: these two records are the same officer."))
        elif go:
            try:
                record.merge_trainees(alias, keep, note=note)
            except DocexamError as exc:
                st.error(_("Not merged: {error}", error=said(exc)))
            else:
                st.session_state["tr-flash"] = _("Merged: {alias} now counts as {target}. Every answer is kept; the merge can be undone below.", alias=trainer.trainee_label(by_id[alias]),
                                                 target=trainer.trainee_label(by_id[keep]))
                st.rerun()

    st.subheader(_("Merges"))
    merges = record.merges()
    if not merges:
        st.caption(_("No merge yet."))
    everyone = {p.id: p for p in record.trainees(merged=True)}
    for m in merges:
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        line = _("{alias} → {target}, {when}", alias=trainer.trainee_label(everyone[m.alias_id]),
                 target=trainer.trainee_label(everyone[m.target_id]), when=trainer.when(m.merged_at))
        if m.note:
            line += f" ({m.note})"
        if not m.active:
            line = f"~~{line}~~ " + _("undone {when}", when=trainer.when(m.undone_at))
        c1.markdown(line)
        if m.active and c2.button(_("Undo"), key=f"tr-undo-{m.id}"):
            record.undo_merge(m.id)
            st.toast(_("Undone: the two records count apart again."))
            st.rerun()
