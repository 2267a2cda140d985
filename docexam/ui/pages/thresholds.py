"""My detection thresholds: for each forgery technique, the subtlest forgery I catch three times in four,
measured in 40 short trials (four crops, one forged: which?), kept as a profile over time, before and after
the training."""

import pandas as pd
import streamlit as st

from docexam.drill.measure import profile, runs
from docexam.drill.staircase import TRIALS
from docexam.lessons.vocabulary import TECHNIQUE_LABELS
from docexam.ui import session, state, thresholds
from docexam.ui.i18n import _, pick


def technique_label(name: str) -> str:
    return pick(*TECHNIQUE_LABELS.get(name, (name, name)))


me = session.require_trainee()
ws = session.workshop()
st.title(_("My detection thresholds"))
st.caption(_("For each kind of forgery: the subtlest one you catch three times in four. Each trial shows four crops of the same part of four documents; one is forged. Tap its number. The forgeries get subtler while you are right and plainer when you are not; after 40 trials your threshold is measured (0: the subtlest; 1: only blatant ones). Lower is better."))
record = state.record()
mine = record.threshold_trials(trainee_id=me.id)

run = st.session_state.get("threshold-run")
if run is None:
    # every technique a trial can be made of: those `docexam drills prepare` prepares
    names = {name: technique_label(name) for name in thresholds.techniques()}
    technique = st.selectbox(_("Kind of forgery"), list(names), format_func=names.get, key="thr-technique")
    resumed = thresholds.open_run(me, technique)
    label = _("Go on with the measurement ({n} trials done)", n=len(resumed[1])) if resumed else _("Measure it ({n} trials)", n=TRIALS)
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
        if st.button(_("Pause (you can go on later)"), icon=":material/pause:"):
            st.session_state.pop("threshold-run", None)
            st.rerun()
    else:
        result = [r for r in runs(trials)][0].estimate
        st.success(_("Measured: your threshold is {threshold} (between {low} and {high}, sure at 95%).", threshold=f"{result.threshold:.2f}", low=f"{result.low:.2f}",
                     high=f"{result.high:.2f}"), icon=":material/check_circle:")
        if st.button(_("Another measurement"), icon=":material/refresh:"):
            st.session_state.pop("threshold-run", None)
            st.rerun()

rows = profile(mine)
st.markdown(f"#### {_('Your profile')}")
if not rows:
    st.info(_("No measurement finished yet."))
else:
    st.dataframe(pd.DataFrame([{
        _("Kind of forgery"): technique_label(r.technique),
        _("Latest threshold"): f"{r.latest:.2f} ± {r.latest_sd:.2f}",
        _("Before the training"): "–" if r.pre is None else f"{r.pre:.2f}",
        _("After the training"): "–" if r.post is None else f"{r.post:.2f}",
        _("Gain"): "–" if r.gain is None else f"{r.gain:+.2f}",
        _("Measurements"): r.runs} for r in rows]), hide_index=True, width="stretch")
    st.caption(_("A threshold is a severity from 0 (the subtlest forgery) to 1 (blatant). The gain is before minus after: a positive gain means you now catch subtler forgeries."))
    history = [{"when": r.started_at, "technique": technique_label(r.technique), "threshold": r.estimate.threshold}
               for r in runs(mine) if r.complete]
    if len(history) > 1:
        st.line_chart(pd.DataFrame(history), x="when", y="threshold", color="technique")
