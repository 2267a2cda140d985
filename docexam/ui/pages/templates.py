"""New template (trainer): register a genuine specimen image as a template, with its zones drawn on it,
then check that a second image of the document (a phone photo, a scan) aligns with it."""

import hashlib

import streamlit as st

from docexam.errors import DocexamError
from docexam.lessons.cards import card_file_name
from docexam.specimens import find_template, list_templates
from docexam.specimens.model import FORMATS, ZONE_KINDS
from docexam.ui import cards, course, session, widgets
from docexam.ui.i18n import LANGUAGES, _, lang, said

IMAGE_TYPES = ["png", "jpg", "jpeg", "tif", "tiff"]

session.require_trainer()
st.title(_("New template"))
st.caption(_("A template is the genuine document every capture is compared with. Give a real genuine specimen, "
           "ideally a flat scan cropped to the page, then draw its zones (portrait, fields, MRZ, security "
           "printing). docexam checks that a simulated phone photo of it aligns back before saving."))

with st.expander(_("Quick check cards to print"), icon=":material/print:"):
    st.caption(_("One page per document type: the genuine document with its security features numbered, and for "
                 "each the light to use and what to look for. For a room with no projector, or the officers' desk."))
    k1, k2 = st.columns([3, 1])
    card_template = k1.selectbox(_("Document type"), [t.id for t in list_templates()], key="tpl-card-template",
                                 format_func=lambda tid: f"{find_template(tid).name} ({tid})")
    card_lang = k2.selectbox(_("Language"), list(LANGUAGES), index=list(LANGUAGES).index(lang()),
                             format_func=LANGUAGES.get, key="tpl-card-lang")
    if card_template:
        st.download_button(_("Download the quick check card (PDF)"), cards.quick_check_pdf(card_template, card_lang),
                           file_name=card_file_name(card_template, card_lang), mime="application/pdf",
                           icon=":material/download:", key="tpl-card-download")

try:
    from docexam.authoring import add_template, check_alignment
except ImportError:  # the authoring module ships with the template room; say so instead of failing
    st.error(_("Template authoring is not installed in this version of docexam."))
    st.stop()

c1, c2, c3 = st.columns(3)
visible_file = c1.file_uploader(_("Genuine specimen, visible light"), type=IMAGE_TYPES, key="tpl-visible")
uv_file = c2.file_uploader(_("Same page under UV (optional)"), type=IMAGE_TYPES, key="tpl-uv")
ir_file = c3.file_uploader(_("Same page under IR (optional)"), type=IMAGE_TYPES, key="tpl-ir")
d1, d2, d3, d4 = st.columns([2, 3, 1, 1])
template_id = d1.text_input(_("Id (lower case, digits, '-')"), key="tpl-id", max_chars=63, placeholder="kh-p-2023")
name = d2.text_input(_("Name"), key="tpl-name", max_chars=200, placeholder=_("Kingdom of Cambodia passport, data page"))
fmt = d3.selectbox(_("Format"), FORMATS, index=FORMATS.index("TD3"), key="tpl-format")
dpi = d4.number_input(_("dpi (0: from the file)"), 0, 2400, 0, key="tpl-dpi")

if visible_file is None:
    st.info(_("Upload the genuine specimen to draw its zones."))
    st.stop()
try:
    rgb = course.read_upload(visible_file.getvalue(), visible_file.name)
except DocexamError as exc:
    st.error(_("This upload cannot be used: {error}", error=said(exc)))
    st.stop()
size = (rgb.shape[1], rgb.shape[0])

st.subheader(_("Zones"))
kind = st.selectbox(_("Kind of the next zone"), ZONE_KINDS, key="tpl-kind")
key = "tpl-" + hashlib.sha256(visible_file.getvalue()).hexdigest()[:12]
boxes = widgets.box_drawer(rgb, size, label=kind, key=key)
zones = []
for i, b in enumerate(boxes, 1):
    z1, z2 = st.columns([1, 3], vertical_alignment="bottom")
    z1.markdown(f"**#{i}** `{b['label']}` {b['bbox']}")
    zname = z2.text_input(_("Zone name"), value=f"{b['label']}-{i}", key=f"{key}-name-{i}", max_chars=60)
    zones.append({"name": zname.strip(), "kind": b["label"], "bbox": b["bbox"]})
if zones:
    widgets.image(widgets.draw_boxes(rgb, [z["bbox"] for z in zones], size, labels=[z["name"] for z in zones]))

if st.button(_("Register the template"), type="primary", icon=":material/save:", key="tpl-save"):
    if not zones:
        st.error(_("Draw at least one zone."))
    else:
        try:
            with st.spinner(_("Checking that a simulated phone photo aligns with it…")):
                added = add_template(template_id=template_id.strip(), name=name.strip(), fmt=fmt,
                                     visible=visible_file.getvalue(),
                                     uv=uv_file.getvalue() if uv_file else None,
                                     ir=ir_file.getvalue() if ir_file else None,
                                     zones=zones, dpi=int(dpi) or None)
        except DocexamError as exc:
            st.error(_("Not registered: {error}", error=said(exc)))
        else:
            check = added.self_check
            st.success(_("Template {id} registered ({dpi} dpi, {zones} zones). A simulated phone photo aligned "
                         "with an error of {error} px.", id=added.template.id, dpi=added.template.dpi,
                         zones=len(added.template.zones), error=f"{check.reprojection_error_px:.1f}"))
            for note in added.notes:
                st.info(said(note))
            st.session_state["tpl-registered"] = added.template.id

registered = st.session_state.get("tpl-registered")
if registered:
    st.subheader(_("Check a second image"))
    st.caption(_("A phone photo or scan of another copy of {template}: can docexam align it?", template=registered))
    second = st.file_uploader(_("Second image"), type=IMAGE_TYPES, key="tpl-second")
    if second is not None and st.button(_("Check the alignment"), key="tpl-check"):
        try:
            with st.spinner(_("Aligning…")):
                result = check_alignment(find_template(registered), second.getvalue())
        except (DocexamError, ValueError) as exc:
            st.error(_("This image cannot be used: {error}", error=said(exc)))
        else:
            if result.ok:
                st.success(_("Aligned: estimated error {error} template pixels.", error=f"{result.reprojection_error_px:.1f}"))
            else:
                st.warning(_("Not aligned: {reason}", reason=said(result.reason)))
