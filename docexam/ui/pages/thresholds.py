"""My detection thresholds: for each forgery technique, the subtlest forgery I catch three times in four,
measured in 40 short trials (four crops, one forged: which?), kept as a profile over time, before and after
the training."""

import pandas as pd
import streamlit as st

from docexam.drill.measure import profile, runs
from docexam.drill.staircase import TRIALS
from docexam.lessons.vocabulary import TECHNIQUE_LABELS
from docexam.specimens.techniques import TECHNIQUES
from docexam.ui import session, state, thresholds
from docexam.ui.i18n import pick, t


def technique_label(name: str) -> str:
    return pick(*TECHNIQUE_LABELS.get(name, (name, name)))


me = session.require_trainee()
ws = session.workshop()
st.title(t("thr_title"))
st.caption(t("thr_intro"))
record = state.record()
mine = record.threshold_trials(trainee_id=me.id)

run = st.session_state.get("threshold-run")
if run is None:
    names = {name: technique_label(name) for name in TECHNIQUES}
    technique = st.selectbox(t("thr_technique"), list(names), format_func=names.get, key="thr-technique")
    resumed = thresholds.open_run(me, technique)
    label = t("thr_resume", n=len(resumed[1])) if resumed else t("thr_start", n=TRIALS)
    if st.button(label, type="primary", icon=":material/play_arrow:"):
        if resumed:
            st.session_state["threshold-run"] = {"technique": technique, "run": resumed[0]}
        else:
            thresholds.start(technique)
        st.session_state["threshold-run"]["form"] = thresholds.form_now(me, ws)
        st.rerun()
else:
    trials = [x for x in mine if x.run_uid == run["run"]]
    run.setdefault("form", trials[0].form if trials else thresholds.form_now(me, ws))
    st.markdown(f"**{technique_label(run['technique'])}**")
    if len(trials) < TRIALS:
        thresholds.trial(run, trials)
        if st.button(t("thr_pause"), icon=":material/pause:"):
            st.session_state.pop("threshold-run", None)
            st.rerun()
    else:
        result = [r for r in runs(trials)][0].estimate
        st.success(t("thr_done", threshold=f"{result.threshold:.2f}", low=f"{result.low:.2f}",
                     high=f"{result.high:.2f}"), icon=":material/check_circle:")
        if st.button(t("thr_again"), icon=":material/refresh:"):
            st.session_state.pop("threshold-run", None)
            st.rerun()

rows = profile(mine)
st.markdown(f"#### {t('thr_profile')}")
if not rows:
    st.info(t("thr_none"))
else:
    st.dataframe(pd.DataFrame([{
        t("thr_col_technique"): technique_label(r.technique),
        t("thr_col_latest"): f"{r.latest:.2f} ± {r.latest_sd:.2f}",
        t("thr_col_pre"): "–" if r.pre is None else f"{r.pre:.2f}",
        t("thr_col_post"): "–" if r.post is None else f"{r.post:.2f}",
        t("thr_col_gain"): "–" if r.gain is None else f"{r.gain:+.2f}",
        t("thr_col_runs"): r.runs} for r in rows]), hide_index=True, width="stretch")
    st.caption(t("thr_profile_help"))
    history = [{"when": r.started_at, "technique": technique_label(r.technique), "threshold": r.estimate.threshold}
               for r in runs(mine) if r.complete]
    if len(history) > 1:
        st.line_chart(pd.DataFrame(history), x="when", y="threshold", color="technique")
