"""Trainees (trainer): the questions a trainee missed, shown again with the documents and the answer given;
merging two records of one officer (both records' details side by side, a confirmation, undo)."""

import pandas as pd
import streamlit as st

from docexam.errors import DocexamError
from docexam.ui import course, quiz, session, state, trainer
from docexam.ui.i18n import t

FORMS = ("pre", "post", "practice", "refresher")
FORM_TITLES = {"pre": "pre_title", "post": "post_title", "practice": "nav_practice", "refresher": "nav_refresher"}

session.require_trainer()
record = state.record()
st.title(t("tr_title"))
st.caption(t("tr_intro"))
people = record.trainees()
if not people:
    st.info(t("tr_none"))
    st.stop()
by_id = {p.id: p for p in people}
review, merge = st.tabs([t("tr_tab_review"), t("tr_tab_merge")])

with review:
    ws = trainer.workshop_picker(record, allow_all=True, key="tr-workshop")
    shown = record.trainees(ws.id) if ws else people
    if not shown:
        st.info(t("tr_none"))
    else:
        who = st.selectbox(t("tr_trainee"), [p.id for p in shown], key="tr-who",
                           format_func={p.id: trainer.trainee_label(p) for p in shown}.get)
        form = st.segmented_control(t("tr_form"), FORMS, default="post", key="tr-form",
                                    format_func=lambda f: t(FORM_TITLES[f])) or "post"
        attempts = [a for a in record.attempts_for(trainee_id=who, form=form)
                    if ws is None or a.workshop_id == ws.id]
        first = [a for (f, _), a in course.first_answers(attempts).items() if f == form]
        missed = [a for a in first if a.score < 1.0]
        if not first:
            st.info(t("tr_missed_none"))
        else:
            st.caption(t("tr_missed_count", missed=len(missed), answered=len(first)))
        items = trainer.items_by_id()
        retired = state.retired()
        for a in missed:
            item = items.get(a.item_id)
            with st.container(border=True):
                if item is None:  # its document deleted, or a lesson changed since
                    st.markdown(f"`{a.item_id}`")
                    st.warning(t("tr_item_gone", answer=trainer.answer_label(None, a.answer)))
                    continue
                quiz.review(item, a.answer, a.score)
                if set(item.specimens) & retired:
                    st.caption(t("tr_item_retired"))

with merge:
    flash = st.session_state.pop("tr-flash", None)
    if flash:
        st.success(flash)
    pairs = record.possible_duplicates()
    if pairs:
        st.markdown(f"**{t('tr_duplicates')}**")
        for pair in pairs:
            a, b = sorted(pair, key=lambda p: (p.created_at, p.id))  # keep the first registered, by default
            if st.button(t("tr_compare_pair", a=trainer.trainee_label(a), b=trainer.trainee_label(b)),
                         key=f"tr-pair-{a.id}-{b.id}"):
                st.session_state["tr-keep"], st.session_state["tr-alias"] = a.id, b.id
    ids = list(by_id)
    for k, default in (("tr-keep", ids[0]), ("tr-alias", ids[min(1, len(ids) - 1)])):
        if st.session_state.get(k) not in ids:  # first visit, or the record was just merged away
            st.session_state[k] = default
    c1, c2 = st.columns(2)
    keep = c1.selectbox(t("tr_keep"), ids, key="tr-keep", format_func=lambda i: trainer.trainee_label(by_id[i]))
    alias = c2.selectbox(t("tr_alias"), ids, key="tr-alias", format_func=lambda i: trainer.trainee_label(by_id[i]))
    if keep == alias:
        st.info(t("tr_pick_two"))
    else:
        left, right = (trainer.details_rows(record.record_details(i)) for i in (keep, alias))
        st.table(pd.DataFrame({t("tr_keep"): [v for _, v in left], t("tr_alias"): [v for _, v in right]},
                              index=[label for label, _ in left]))
        with st.form("tr-merge-form"):
            note = st.text_input(t("tr_note"), max_chars=500)
            sure = st.checkbox(t("tr_confirm"))
            go = st.form_submit_button(t("tr_merge_button"), type="primary")
        if go and not sure:
            st.warning(t("tr_confirm"))
        elif go:
            try:
                record.merge_trainees(alias, keep, note=note)
            except DocexamError as exc:
                st.error(t("tr_merge_error", error=str(exc)))
            else:
                st.session_state["tr-flash"] = t("tr_merged", alias=trainer.trainee_label(by_id[alias]),
                                                 target=trainer.trainee_label(by_id[keep]))
                st.rerun()

    st.subheader(t("tr_merges"))
    merges = record.merges()
    if not merges:
        st.caption(t("tr_merges_none"))
    everyone = {p.id: p for p in record.trainees(merged=True)}
    for m in merges:
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        line = t("tr_merge_line", alias=trainer.trainee_label(everyone[m.alias_id]),
                 target=trainer.trainee_label(everyone[m.target_id]), when=trainer.when(m.merged_at))
        if m.note:
            line += f" ({m.note})"
        if not m.active:
            line = f"~~{line}~~ " + t("tr_merge_undone", when=trainer.when(m.undone_at))
        c1.markdown(line)
        if m.active and c2.button(t("tr_undo"), key=f"tr-undo-{m.id}"):
            record.undo_merge(m.id)
            st.toast(t("tr_undone"))
            st.rerun()
