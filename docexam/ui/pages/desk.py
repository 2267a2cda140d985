"""Examination desk: upload or photograph a document, pick its type (or let the app suggest it),
and see the verdict, the findings, the heatmap and the aligned document beside the reference;
after a suspect result, the next steps in the lesson's words and a referral note to complete."""

import datetime as dt
import hashlib
import uuid

import pandas as pd
import streamlit as st

from docexam.authoring import suggest_template
from docexam.errors import DocexamError
from docexam.examine import render_heatmap
from docexam.formats.lights import LIGHTS
from docexam.lessons.reference import AFTER_SUSPECT, section
from docexam.lessons.vocabulary import FAMILY_LABELS, finding_text, label, technique_label, zone_label
from docexam.specimens import list_templates
from docexam.ui import docview, limits, officer, state, widgets
from docexam.ui.i18n import _, lang, pick, said

IMAGE_TYPES = ["png", "jpg", "jpeg", "tif", "tiff"]
SUGGEST = "__suggest__"

st.title(_("Examination desk"))
st.caption(_("Upload or photograph a document. The app aligns it with the genuine template and checks the paper, the printing and the personal data. It is an aid: the officer decides."))

c1, c2 = st.columns(2)
with c1:
    upload = st.file_uploader(_("Document image in white light (PNG, JPEG or TIFF)"), type=IMAGE_TYPES, key="desk-visible")
    with st.expander(f"{_('Same document under UV light (optional)')} / IR"):
        uv_file = st.file_uploader(_("Same document under UV light (optional)"), type=IMAGE_TYPES, key="desk-uv")
        ir_file = st.file_uploader(_("Same document under IR light (optional)"), type=IMAGE_TYPES, key="desk-ir")
with c2:
    photo = st.camera_input(_("Or take a photo with this device"), key="desk-camera") if st.toggle(_("Use the camera"), key="desk-cam") \
        else None

templates = {tpl.id: tpl for tpl in list_templates()}
choice = st.selectbox(_("Document type"), [SUGGEST, *templates],
                      format_func=lambda i: _("Let the app suggest") if i == SUGGEST else f"{templates[i].name} ({i})",
                      key="desk-template")

if st.button(_("Examine"), type="primary", icon=":material/search:"):
    source = photo or upload
    if source is None:
        st.warning(_("Upload an image or take a photo first."))
        st.stop()
    try:  # the desk needs no sign-in: its limits (docexam/ui/limits.py) bound what the network can ask
        limits.upload_rate.check(st.session_state.setdefault("desk-session", uuid.uuid4().hex))
    except limits.DeskLimitError as exc:
        st.error(said(exc))
        st.stop()
    try:
        visible = limits.read_desk_image(source.getvalue(), source.name)
        uv = limits.read_desk_image(uv_file.getvalue(), uv_file.name) if uv_file else None
        ir = limits.read_desk_image(ir_file.getvalue(), ir_file.name) if ir_file else None
    except DocexamError as exc:
        st.error(_("This file cannot be used: {error}", error=said(exc)))
        st.stop()
    digest = hashlib.sha256(b"".join(f.getvalue() for f in (source, uv_file, ir_file) if f)).hexdigest()
    template_id = choice
    if choice == SUGGEST:
        try:
            with st.spinner(_("Trying each document type…")), limits.examination_slots.turn():
                best, _tried = suggest_template(visible, list(templates.values()))
        except DocexamError as exc:
            st.error(said(exc))
            st.stop()
        if best is None:
            st.warning(_("No document type matches this image well; choose one."))
            st.stop()
        template_id = best.id
        st.info(_("Suggested document type: {name}", name=f"{best.name} ({best.id})"))
    try:
        with st.spinner(_("Examining the document…")), limits.examination_slots.turn():
            report = state.examine_upload(digest, template_id, visible, uv=uv, ir=ir, name=source.name)
    except limits.DeskLimitError as exc:
        st.error(said(exc))
        st.stop()
    except DocexamError as exc:
        st.error(_("This file cannot be used: {error}", error=said(exc)))
        st.stop()
    st.session_state["desk-report"] = report
    st.session_state.pop("desk-note", None)

report = st.session_state.get("desk-report")
if report is not None:
    st.divider()
    if report.verdict == "consistent":
        st.success(_("Consistent: nothing suspicious found."), icon=":material/verified:")
    elif report.verdict == "suspect":
        st.error(_("Suspect. Findings: {n}.", n=len(report.findings)), icon=":material/warning:")
        found = section(state.lessons(), AFTER_SUSPECT)
        with st.container(border=True, key="desk-next-steps"):
            if found is not None:
                lesson, steps = found
                st.subheader(pick(steps.heading, steps.heading_km))
                st.markdown(pick(steps.text, steps.text_km))
                st.caption(_("From the lesson “{lesson}”.", lesson=pick(lesson.title, lesson.title_km)))
            if "desk-note" not in st.session_state:  # written once per result; the officer's edits stay
                tpl = templates.get(report.template)
                st.session_state["desk-note"] = officer.referral_note(
                    report, template_name=tpl.name if tpl else report.template, lang=lang(), now=dt.datetime.now())
            st.markdown(f"**{_('Referral note')}**")
            st.caption(_("The machine's part is filled in. Complete yours, then print or save it and hand it over with the document."))
            note = st.text_area(_("Referral note"), height=320, key="desk-note", label_visibility="collapsed")
            st.download_button(_("Download the note"), note.encode("utf-8"), file_name="referral-note.txt",
                               mime="text/plain", icon=":material/download:")
    else:
        st.warning(_("Inconclusive: {reason}", reason=said(report.reason)), icon=":material/help:")
    m1, m2, m3 = st.columns(3)
    m1.metric(_("Suspicion score (0 to 1)"), f"{report.score:.2f}")
    err = report.registration.get("reprojection_error_px")
    m2.caption(_("Alignment error: {err} px", err="-" if err is None else f"{err:.1f}"))
    m3.caption(_("Examined in {s:.1f} s", s=report.timings_ms.get("total", 0.0) / 1000))
    st.subheader(_("Findings"))
    if report.findings:
        st.dataframe(pd.DataFrame([{
            "#": i, _("Zone"): zone_label(f.zone, lang()), _("Family"): label(FAMILY_LABELS, f.family, lang()),
            _("Technique"): technique_label(f.technique, f.family, lang()) if f.technique else "",
            _("Score"): round(f.score, 2), _("What the machine saw"): finding_text(f, lang())}
            for i, f in enumerate(report.findings, 1)]), hide_index=True, width="stretch")
    else:
        st.write(_("No findings."))
    widgets.hand_checks(report)
    if report.aligned:
        st.subheader(_("Heatmap"))
        widgets.image(render_heatmap(report), caption=_("What the examination machine sees: warm colours where the document departs from the genuine template; numbered boxes are its findings."))
        lights = [light for light in LIGHTS if light in report.aligned]
        tabs = st.tabs([docview.light_label(light) for light in lights])
        for tab, light in zip(tabs, lights):
            with tab:
                a, b = st.columns(2)
                a.image(report.aligned[light], caption=_("This document, aligned"), width="stretch")
                ref = widgets.reference_image(report.template, light)
                if ref is not None:
                    b.image(ref, caption=_("Genuine reference"), width="stretch")
