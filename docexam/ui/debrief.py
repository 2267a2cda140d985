"""The debrief after a drill: the officer's figures, then each decision replayed.

Figures: hits, misses, false referrals, d′ and criterion, time per
traveller, tools per decision (:mod:`docexam.drill.scoring`); in a team
drill also where travellers ended up after the second line. Then one
traveller at a time: the document with the forged area marked, what the
officer used, and what a careful examiner would have looked at.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from ..drill.catalogue import DECISIONS, TOOLS, label
from ..drill.material import cached_document, photo_path
from ..drill.scoring import debrief, final_score, score_state
from ..lessons.vocabulary import TECHNIQUE_LABELS
from . import docview, media
from .i18n import lang, pick, t

VERDICT_KEYS = {"hit": "drill_v_hit", "miss": "drill_v_miss", "false referral": "drill_v_false",
                "correct admission": "drill_v_correct"}


def _num(value, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def fraud_label(fraud: str | None) -> str:
    if fraud is None:
        return t("drill_genuine")
    if fraud == "impostor":
        return t("drill_impostor")
    return pick(*TECHNIQUE_LABELS.get(fraud, (fraud, fraud)))


def _tool_name(used: str) -> str:
    if used == "photo":
        return t("drill_tool_photo")
    if used.startswith("question:") or used == "question":
        return label(TOOLS, "question", lang())
    return label(TOOLS, used, lang())


def figures(score, *, title: str) -> None:
    st.markdown(f"#### {title}")
    c = st.columns(4)
    c[0].metric(t("drill_hits"), f"{score.hits} / {score.hits + score.misses}")
    c[1].metric(t("drill_false_referrals"), f"{score.false_referrals} / {score.false_referrals + score.correct_admissions}")
    c[2].metric("d′", _num(score.d_prime))
    c[3].metric(t("drill_criterion"), _num(score.criterion))
    c = st.columns(4)
    c[0].metric(t("drill_mean_time"), "–" if score.mean_time_s is None else f"{score.mean_time_s:.0f} s")
    c[1].metric(t("drill_tools_per"), _num(score.tools_per_decision, 1))
    c[2].metric(t("drill_decided"), score.decided)
    c[3].metric(t("drill_not_seen"), score.not_seen)
    st.caption(t("drill_figures_help"))


def show(session, drill_state, officer: int | None) -> None:
    """The whole debrief of one drill (one officer's, or everyone's with ``officer=None``)."""
    figures(score_state(drill_state, officer), title=t("drill_your_figures"))
    if drill_state.drill.team:
        figures(final_score(drill_state), title=t("drill_team_figures"))
    rows = debrief(drill_state, officer)
    if not rows:
        st.info(t("drill_nothing_decided"))
        return
    table = [{"#": r.traveller + 1, t("drill_col_truth"): fraud_label(r.fraud),
              t("drill_col_decision"): label(DECISIONS, r.decision, lang()) if r.decision else "–",
              t("drill_col_verdict"): t(VERDICT_KEYS[r.verdict]) if r.verdict else "–",
              t("drill_col_time"): "–" if r.time_s is None else f"{r.time_s:.0f} s",
              t("drill_col_used"): ", ".join(_tool_name(u) for u in r.used) or "–"} for r in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    by_index = {r.traveller: r for r in rows}
    # the travellers who matter most first: misses, false referrals, then the rest
    order = sorted(by_index, key=lambda i: ({"miss": 0, "false referral": 1, "hit": 2}.get(by_index[i].verdict, 3), i))
    names = {i: f"{i + 1} · {fraud_label(by_index[i].fraud)} · "
                f"{t(VERDICT_KEYS[by_index[i].verdict]) if by_index[i].verdict else '–'}" for i in order}
    chosen = st.selectbox(t("drill_replay"), order, format_func=names.get, key=f"debrief-{session.id}-pick")
    replay_one(drill_state, by_index[chosen], key=f"debrief-{session.id}-{chosen}")


def replay_one(drill_state, row, *, key: str) -> None:
    """One decision replayed: the document with the anomaly overlay, and what was and should have been used."""
    case = drill_state.cases[row.traveller]
    material = cached_document(case.traveller.document)
    left, right = st.columns([2, 3])
    with left:
        photo = photo_path(case.traveller)
        if photo.is_file():
            st.markdown(f"<img class='dx-picture' src='{media.image_url(photo, width=480)}' alt=''>",
                        unsafe_allow_html=True)
        st.markdown(f"**{t('drill_col_truth')}:** {html.escape(fraud_label(row.fraud))}"
                    + (f" ({t('drill_severity')} {row.severity:.2f})" if row.severity is not None else ""))
        st.markdown(f"**{t('drill_col_used')}:** {html.escape(', '.join(_tool_name(u) for u in row.used) or '–')}")
        st.markdown(f"**{t('drill_careful')}:** {html.escape(', '.join(_tool_name(u) for u in row.careful))}")
        if row.missed_tools:
            st.warning(t("drill_missed", tools=", ".join(_tool_name(u) for u in row.missed_tools)))
        if row.note:
            st.caption(t("drill_note_from", note=html.escape(row.note)))
        if row.second_line_note:
            st.caption(t("drill_second_note", note=html.escape(row.second_line_note)))
        for advice in row.advice:
            st.caption(t("drill_advice", a=html.escape(advice)))
    with right:
        if material is None:
            st.info(t("drill_not_ready"))
            return
        overlays = []
        for n, anomaly in enumerate(material.anomalies, start=1):
            if material.mask is not None and anomaly.get("mask_label") is not None:
                tint = media.tint_url(material.mask, anomaly["mask_label"])
                if tint:
                    overlays.append({"tint": tint})
            if anomaly.get("bbox"):
                overlays.append({"box": list(anomaly["bbox"]), "colour": docview.RED})
            if anomaly.get("note"):
                st.caption(f"{n}. {anomaly['note']}")
        docview.document_view(material.images, key=f"{key}-doc", size=material.size, template=material.template,
                              overlays=overlays)
        if row.fraud == "impostor":
            st.caption(t("drill_impostor_note"))
