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
from . import docview, media, prepare
from .i18n import _, lang, pick, t

VERDICT_KEYS = {"hit": "drill_v_hit", "miss": "drill_v_miss", "false referral": "drill_v_false",
                "correct admission": "drill_v_correct"}


def _num(value, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def fraud_label(fraud: str | None) -> str:
    if fraud is None:
        return _("Genuine")
    if fraud == "impostor":
        return _("Impostor (not the holder)")
    return pick(*TECHNIQUE_LABELS.get(fraud, (fraud, fraud)))


def _tool_name(used: str) -> str:
    if used == "photo":
        return _("Face against the photo")
    if used.startswith("question:") or used == "question":
        return label(TOOLS, "question", lang())
    return label(TOOLS, used, lang())


def figures(score, *, title: str) -> None:
    st.markdown(f"#### {title}")
    c = st.columns(4)
    c[0].metric(_("Frauds stopped"), f"{score.hits} / {score.hits + score.misses}")
    c[1].metric(_("Genuine travellers stopped"), f"{score.false_referrals} / {score.false_referrals + score.correct_admissions}")
    c[2].metric("d′", _num(score.d_prime))
    c[3].metric(_("Criterion c"), _num(score.criterion))
    c = st.columns(4)
    c[0].metric(_("Time per traveller"), "–" if score.mean_time_s is None else f"{score.mean_time_s:.0f} s")
    c[1].metric(_("Tools per decision"), _num(score.tools_per_decision, 1))
    c[2].metric(_("Decided"), score.decided)
    c[3].metric(_("Left in the queue"), score.not_seen)
    st.caption(_("d′ is how well you tell frauds from genuine travellers (0: not at all; 2 or more: well). c is your caution: below 0 you stop travellers readily, above 0 you let them through."))


def show(session, drill_state, officer: int | None) -> None:
    """The whole debrief of one drill (one officer's, or everyone's with ``officer=None``)."""
    figures(score_state(drill_state, officer), title=_("Your decisions"))
    if drill_state.drill.team:
        figures(final_score(drill_state), title=_("Where the travellers ended up (after the second line)"))
    rows = debrief(drill_state, officer)
    if not rows:
        st.info(_("No traveller was decided in this drill."))
        return
    table = [{"#": r.traveller + 1, _("What it was"): fraud_label(r.fraud),
              _("Decision"): label(DECISIONS, r.decision, lang()) if r.decision else "–",
              _("Result"): t(VERDICT_KEYS[r.verdict]) if r.verdict else "–",
              _("Time"): "–" if r.time_s is None else f"{r.time_s:.0f} s",
              _("You used"): ", ".join(_tool_name(u) for u in r.used) or "–"} for r in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    by_index = {r.traveller: r for r in rows}
    # the travellers who matter most first: misses, false referrals, then the rest
    order = sorted(by_index, key=lambda i: ({"miss": 0, "false referral": 1, "hit": 2}.get(by_index[i].verdict, 3), i))
    names = {i: f"{i + 1} · {fraud_label(by_index[i].fraud)} · "
                f"{t(VERDICT_KEYS[by_index[i].verdict]) if by_index[i].verdict else '–'}" for i in order}
    chosen = st.selectbox(_("Replay a decision"), order, format_func=names.get, key=f"debrief-{session.id}-pick")
    replay_one(drill_state, by_index[chosen], key=f"debrief-{session.id}-{chosen}")


def replay_one(drill_state, row, *, key: str) -> None:
    """One decision replayed: the document with the anomaly overlay, and what was and should have been used."""
    case = drill_state.cases[row.traveller]
    material = cached_document(case.traveller.document)
    left, right = st.columns([2, 3])
    with left:
        photo = photo_path(case.traveller)
        if photo.is_file():
            st.markdown(f"<img class='dx-picture' src='{prepare.picture_url(photo)}' alt=''>",
                        unsafe_allow_html=True)
        st.markdown(f"**{_('What it was')}:** {html.escape(fraud_label(row.fraud))}"
                    + (f" ({_('severity')} {row.severity:.2f})" if row.severity is not None else ""))
        st.markdown(f"**{_('You used')}:** {html.escape(', '.join(_tool_name(u) for u in row.used) or '–')}")
        st.markdown(f"**{_('A careful examiner looks at')}:** {html.escape(', '.join(_tool_name(u) for u in row.careful))}")
        if row.missed_tools:
            st.warning(_("Not used, and would have shown it: {tools}", tools=", ".join(_tool_name(u) for u in row.missed_tools)))
        if row.note:
            st.caption(_("Note: {note}", note=html.escape(row.note)))
        if row.second_line_note:
            st.caption(_("Second line: {note}", note=html.escape(row.second_line_note)))
        for advice in row.advice:
            st.caption(_("Advice: {a}", a=html.escape(advice)))
    with right:
        if material is None:
            st.info(_("This traveller's documents could not be prepared."))
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
            st.caption(_("The document is genuine: the person at the counter is not its holder. Compare the face with the photo, and ask what the holder would know."))
