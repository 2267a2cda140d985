"""Specimen studio (trainer): upload a specimen (visible, optional UV and IR), choose its template,
draw boxes around the forgery traces, say what each one is, compare with the pipeline's own
findings, and save it: quizzes use it at once."""

import datetime as dt
import hashlib

import cv2
import streamlit as st

from docexam.errors import DocexamError
from docexam.lessons import generate_items
from docexam.lessons.vocabulary import finding_text
from docexam.specimens import TECHNIQUES, list_templates
from docexam.specimens.model import SEXES
from docexam.authoring import mrz_prefill
from docexam.specimens import studio
from docexam.ui import course, nav, session, state, widgets
from docexam.ui.i18n import _, lang, said

IMAGE_TYPES = ["png", "jpg", "jpeg", "tif", "tiff"]
#: width of the drawing canvas in the browser, to fit its column on a 1366-pixel laptop screen
#: (boxes are scaled back to template pixels; exact pixels can be typed in)
CANVAS_WIDTH = 500
HOLDER = ("surname", "given_names", "document_number", "nationality", "date_of_birth", "sex", "date_of_expiry")

session.require_trainer()
st.title(_("Specimen studio"))
st.caption(_("Add a document to the library: the quizzes draw questions from its annotations at once. "
           "Boxes are stored in the template's pixels, so the image must be a flat scan of the whole page "
           "(a scan at another resolution is resized)."))

# --- 1. the images -----------------------------------------------------------------------------
c1, c2, c3 = st.columns(3)
visible_file = c1.file_uploader(_("Visible light (required)"), type=IMAGE_TYPES, key="studio-visible")
uv_file = c2.file_uploader(_("UV light (optional)"), type=IMAGE_TYPES, key="studio-uv")
ir_file = c3.file_uploader(_("IR light (optional)"), type=IMAGE_TYPES, key="studio-ir")

templates = {tpl.id: tpl for tpl in list_templates()}
# the first template in the upload's proportions is offered first
fitting = studio.templates_fitting(visible_file.getvalue(), templates.values()) if visible_file else []
# (keyed by the upload: a new upload gets the fitting template again)
tid = st.selectbox(_("Template (document type)"), list(templates),
                   key=f"studio-template-{visible_file.file_id if visible_file else ''}",
                   index=list(templates).index(fitting[0]) if fitting else 0,
                   format_func=lambda i: f"{templates[i].name} ({i}, {templates[i].width}x{templates[i].height})")
st.page_link(nav.path("templates"), label=_("Not in the list? Register a new template from a genuine specimen"),
             icon=":material/add_photo_alternate:")
if visible_file is None:
    st.info(_("Upload the specimen under visible light to begin."))
    st.stop()
tpl = templates[tid]

files = {"visible": visible_file, "uv": uv_file, "ir": ir_file}
digest = hashlib.sha256(b"".join(f.getvalue() for f in files.values() if f is not None) + tid.encode()).hexdigest()
cache = st.session_state.get("studio-images")
if cache is None or cache[0] != digest:
    # decoded once per upload, not on every rerun (a 600 dpi page takes a moment)
    try:
        images = {light: studio.fit_to_template(course.read_upload(f.getvalue(), f.name), tpl)
                  for light, f in files.items() if f is not None}
    except DocexamError as exc:
        st.error(_("This upload cannot be used: {error}", error=said(exc)))
        st.stop()
    st.session_state["studio-images"] = cache = (digest, images)
images = cache[1]

kind = st.radio(_("This specimen is"), ["forged", "genuine"], horizontal=True, key="studio-kind")
forged = kind == "forged"

# --- 2. the annotation, beside the pipeline's findings ----------------------------------------
h, w = images["visible"].shape[:2]
left, right = st.columns([3, 2])
boxes: list[dict] = []
with left:
    if forged:
        st.subheader(_("Forgery traces"))
        technique = st.selectbox(_("Technique of the next box"), list(TECHNIQUES), key="studio-technique",
                                 format_func=lambda n: f"{n} ({TECHNIQUES[n].family})")
        st.caption(TECHNIQUES[technique].description)
        boxes = [{"bbox": b["bbox"], "technique": b["label"]}
                 for b in widgets.box_drawer(images["visible"], (w, h), label=technique,
                                             key=f"studio-{digest[:12]}", width=CANVAS_WIDTH)
                 if b["label"] in TECHNIQUES]
    else:
        st.subheader(_("Genuine specimen"))
        widgets.image(cv2.resize(images["visible"], (CANVAS_WIDTH, round(CANVAS_WIDTH * h / w)),
                                 interpolation=cv2.INTER_AREA))

zone_names = [z.name for z in tpl.zones]
annotations = []
if forged:
    if not boxes:
        st.info(_("No trace marked yet."))
    for i, b in enumerate(boxes, 1):
        with st.container(border=True):
            z1, z2, z3 = st.columns([2, 2, 5], vertical_alignment="bottom")
            z1.markdown(f"**#{i}** `{b['technique']}`  \n{b['bbox']}")
            suggested = studio.zone_for_box(tpl, b["bbox"])
            zone = z2.selectbox(_("Zone"), zone_names, key=f"studio-zone-{i}",
                                index=zone_names.index(suggested) if suggested in zone_names else 0)
            note = z3.text_input(_("What an examiner should look for"), key=f"studio-note-{i}", max_chars=500)
            annotations.append({"technique": b["technique"], "bbox": b["bbox"], "zone": zone, "note": note})

with right:
    st.subheader(_("The pipeline's findings"))
    if st.button(_("Examine this image"), icon=":material/search:", key="studio-examine"):
        try:
            with st.spinner(_("Examining…")):
                report = state.examine_upload(digest, tid, images["visible"], uv=images.get("uv"),
                                              ir=images.get("ir"), name=visible_file.name)
        except DocexamError as exc:
            st.error(said(exc))
        else:
            st.session_state["studio-report"] = (digest, report)
    held = st.session_state.get("studio-report")
    if held and held[0] == digest:
        report = held[1]
        st.markdown(_("Verdict: **{verdict}**, score {score}", verdict=report.verdict, score=f"{report.score:.2f}")
                    + (f" ({said(report.reason)})" if report.reason else ""))
        for j, f in enumerate(report.findings, 1):
            st.markdown(_("{j}. `{what}` in {zone} ({score}): {message}", j=j, what=f.technique or f.family,
                              zone=f.zone, score=f"{f.score:.2f}", message=finding_text(f, lang())))
        widgets.hand_checks(report)
        if report.aligned:
            from docexam.examine import render_heatmap

            widgets.image(render_heatmap(report))
        unseen, extra = course.findings_vs_annotations(report.findings, [a["bbox"] for a in annotations])
        if not forged and report.findings:
            st.warning(_("You marked this specimen genuine, but the pipeline reports findings: check it."))
        for i in unseen:
            st.warning(_("Box #{n}: the pipeline finds nothing there. Is the box on the trace?", n=i + 1))
        if forged:
            for j in extra:
                st.warning(_("Finding {n} is not annotated: a trace you missed, or a false alarm.", n=j + 1))
    else:
        st.caption(_("Run the examination pipeline to compare its findings with your boxes."))

# --- 3. what the document says -------------------------------------------------------------------


def _prefill() -> None:
    """Fill the holder fields from the MRZ (a callback: runs before the widgets are drawn)."""
    found = mrz_prefill(images["visible"])
    if not found:
        st.session_state["studio-mrz-msg"] = "No readable MRZ was found; type the data in."
        return
    for name in HOLDER:
        value = found.get(name) or ""
        if name.startswith("date_"):
            try:
                st.session_state[f"studio-h-{name}"] = dt.date.fromisoformat(value)
            except ValueError:
                continue
        elif name == "sex":
            if value in SEXES:
                st.session_state["studio-h-sex"] = value
        else:
            st.session_state[f"studio-h-{name}"] = value
    st.session_state["studio-h-mrz"] = "\n".join(found.get("mrz", []))
    st.session_state["studio-mrz-msg"] = "Filled in from the MRZ: check every field."


st.subheader(_("What the document says"))
st.caption(_("For a forgery: what the forger wanted it to say."))
st.button(_("Read the MRZ to fill in"), on_click=_prefill, icon=":material/document_scanner:", key="studio-read-mrz")
if "studio-mrz-msg" in st.session_state:
    st.caption(st.session_state.pop("studio-mrz-msg"))
# defaults go through the session (not value=): the MRZ callback may have set them already
st.session_state.setdefault("studio-h-date_of_birth", dt.date(1990, 1, 1))
st.session_state.setdefault("studio-h-date_of_expiry", dt.date.today() + dt.timedelta(days=3650))
h1, h2, h3 = st.columns(3)
holder = {
    "surname": h1.text_input(_("Surname"), key="studio-h-surname", max_chars=100),
    "given_names": h2.text_input(_("Given names"), key="studio-h-given_names", max_chars=100),
    "document_number": h3.text_input(_("Document number"), key="studio-h-document_number", max_chars=20),
    "nationality": h1.text_input(_("Nationality (3 letters)"), key="studio-h-nationality", max_chars=3),
    "date_of_birth": h2.date_input(_("Date of birth"), key="studio-h-date_of_birth",
                                   min_value=dt.date(1900, 1, 1), max_value=dt.date.today()),
    "sex": h3.selectbox(_("Sex"), SEXES, key="studio-h-sex"),
    "date_of_expiry": h1.date_input(_("Date of expiry"), key="studio-h-date_of_expiry",
                                    min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 1, 1)),
}
mrz_text = st.text_area(_("MRZ lines (optional, one per line)"), key="studio-h-mrz", height=90)

# --- 4. save ---------------------------------------------------------------------------------------
st.subheader(_("Save"))
name = st.text_input(_("Name (letters, digits, '.', '_', '-')"), key="studio-name",
                     value=f"{tid}-{kind}-{dt.date.today():%Y%m%d}")
if st.button(_("Save the specimen"), type="primary", icon=":material/save:", key="studio-save"):
    missing_notes = [i for i, a in enumerate(annotations, 1) if not a["note"].strip()]
    if forged and not annotations:
        st.error(_("A forged specimen needs at least one box around a trace."))
    elif missing_notes:
        st.error(_("Write what to look for in box {boxes}.", boxes=", ".join(f"#{i}" for i in missing_notes)))
    else:
        try:
            anomalies = [{"family": TECHNIQUES[a["technique"]].family, "technique": a["technique"],
                          "zone": a["zone"], "bbox": studio.box_in_zone(tpl, a["zone"], a["bbox"]),
                          "note": a["note"].strip()} for a in annotations]
            sidecar = {"template": tid, "authentic": not forged, "capture": {"kind": "flat"},
                       "holder": {k: v.isoformat() if isinstance(v, dt.date) else str(v).strip().upper()
                                  if k != "sex" else v for k, v in holder.items()},
                       "mrz": [line.strip() for line in mrz_text.splitlines() if line.strip()],
                       "anomalies": anomalies, "lights": sorted(images),
                       "source": "specimen studio", "added": dt.date.today().isoformat()}
            path = studio.save_user_specimen(state.user_specimens_dir(), name.strip(), template=tpl,
                                             images=images, sidecar=sidecar,
                                             taken=[s.name for s in state.specimens()])
        except DocexamError as exc:
            st.error(_("Not saved: {error}", error=said(exc)))
        else:
            state.forget_specimens()
            spec = state.specimen_index().get(name.strip())
            n_items = len(generate_items([spec])) if spec is not None else 0
            st.session_state.pop(f"studio-{digest[:12]}-manual", None)
            st.success(_("Saved {name}: {n} quiz questions come from it, from now on.", name=path.name, n=n_items))
            if forged:  # a forgery just met at the desk: share it
                st.session_state["alert-specimen"] = name.strip()
                st.page_link(nav.path("raise_alert"), label=_("Raise an alert from it: every trainee sees it at once"),
                             icon=":material/campaign:")
