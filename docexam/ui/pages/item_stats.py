"""Item statistics (trainer): how each question of the bank performs (share right, Rasch difficulty,
discrimination, the wrong answer chosen most), the questions worth a look flagged, and the reliability
of a workshop's tests."""

import pandas as pd
import streamlit as st

from docexam.assessment.itemstats import FLAG_MIN_ANSWERS, form_reliability, item_statistics
from docexam.assessment.psychometrics import MIN_SITTINGS
from docexam.ui import session, state, trainer
from docexam.ui.i18n import _, t

FORMS = {"tests": ("pre", "post"), "practice": ("practice", "refresher")}

session.require_trainer()
record = state.record()
st.title(_("Item statistics"))
st.caption(_("How each question performs, from the first answers of the tests: the share answered right, the difficulty (Rasch, in logits: higher is harder), the discrimination (how well it separates strong trainees from weak ones) and the wrong answer chosen most. Flagged questions are worth a look: correct or retire their document in the Library."))
ws = trainer.workshop_picker(record, allow_all=True, key="is-workshop")
which = st.segmented_control(_("Answers counted"), list(FORMS), default="tests", key="is-which",
                             format_func=lambda k: _("Practice") if k == "practice"
                             else f"{_('Pre-test')} + {_('Post-test')}") or "tests"
sittings = record.sittings(workshop_id=ws.id if ws else None, forms=FORMS[which])
stats = item_statistics(sittings)
if not stats:
    st.info(_("No answers recorded yet for these choices."))
else:
    rows = trainer.stats_rows(stats, trainer.items_by_id(), state.retired())
    if st.toggle(_("Only the questions to look at"), key="is-flagged"):
        rows = [r for r in rows if r[_("Look at")]]
    # the questions to look at first: flagged, then by share right
    rows.sort(key=lambda r: (not r[_("Look at")], r[_("Right %")]))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={_("Right %"): st.column_config.ProgressColumn(min_value=0, max_value=100,
                                                                               format="%d %%")})
    st.caption(_("Flags need at least {n} answers per question.", n=FLAG_MIN_ANSWERS))

if ws is not None and which == "tests":
    st.subheader(_("Reliability of this workshop's tests (KR-20)"))
    frozen = record.frozen_forms(ws.id) or {}
    for form in ("pre", "post"):
        ids = [key[0] for key in frozen.get(form, [])]
        value, n = form_reliability([s for s in sittings if s["form"] == form], ids)
        title = t(f"{form}_title")
        st.write(_("{form}: reported once {min} trainees have answered every question ({n} so far)", form=title, min=MIN_SITTINGS, n=n) if value is None
                 else _("{form}: {value} over {n} trainees who answered every question", form=title, value=f"{value:.2f}", n=n))
