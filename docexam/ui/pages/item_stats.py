"""Item statistics (trainer): how each question of the bank performs (share right, Rasch difficulty,
discrimination, the wrong answer chosen most), the questions worth a look flagged, and the reliability
of a workshop's tests."""

import pandas as pd
import streamlit as st

from docexam.assessment.itemstats import FLAG_MIN_ANSWERS, form_reliability, item_statistics
from docexam.assessment.psychometrics import MIN_SITTINGS
from docexam.ui import session, state, trainer
from docexam.ui.i18n import t

FORMS = {"tests": ("pre", "post"), "practice": ("practice", "refresher")}

session.require_trainer()
record = state.record()
st.title(t("is_title"))
st.caption(t("is_intro"))
ws = trainer.workshop_picker(record, allow_all=True, key="is-workshop")
which = st.segmented_control(t("is_forms"), list(FORMS), default="tests", key="is-which",
                             format_func=lambda k: t("nav_practice") if k == "practice"
                             else f"{t('pre_title')} + {t('post_title')}") or "tests"
sittings = record.sittings(workshop_id=ws.id if ws else None, forms=FORMS[which])
stats = item_statistics(sittings)
if not stats:
    st.info(t("is_none"))
else:
    rows = trainer.stats_rows(stats, trainer.items_by_id(), state.retired())
    if st.toggle(t("is_flagged_only"), key="is-flagged"):
        rows = [r for r in rows if r[t("col_flags")]]
    # the questions to look at first: flagged, then by share right
    rows.sort(key=lambda r: (not r[t("col_flags")], r[t("col_right")]))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={t("col_right"): st.column_config.ProgressColumn(min_value=0, max_value=100,
                                                                               format="%d %%")})
    st.caption(t("is_flag_note", n=FLAG_MIN_ANSWERS))

if ws is not None and which == "tests":
    st.subheader(t("is_reliability"))
    frozen = record.frozen_forms(ws.id) or {}
    for form in ("pre", "post"):
        ids = [key[0] for key in frozen.get(form, [])]
        value, n = form_reliability([s for s in sittings if s["form"] == form], ids)
        title = t(f"{form}_title")
        st.write(t("is_kr20_wait", form=title, min=MIN_SITTINGS, n=n) if value is None
                 else t("is_kr20_line", form=title, value=f"{value:.2f}", n=n))
