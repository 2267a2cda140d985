"""Genuine documents (for every officer): each document type as it should look, in every light, its
security features numbered on it; a feature chosen is shown up close in each light, with what to check
in the lessons' words."""

import streamlit as st

from docexam.lessons.reference import security_features
from docexam.lessons.vocabulary import zone_label
from docexam.specimens import list_templates
from docexam.ui import course, docview, officer, state
from docexam.ui.i18n import _, lang, pick, t

st.title(_("Genuine documents and their security features"))
st.caption(_("Each document type as it should look, in every light, with its security features numbered. Choose a feature to see it up close and read what to check."))

templates = {tpl.id: tpl for tpl in list_templates()}
if not templates:
    st.info(_("No document type is installed."))
    st.stop()
tid = st.selectbox(_("Document type"), list(templates), format_func=lambda i: templates[i].name, key="ref-template")
tpl = templates[tid]

# a personalised genuine document shows the portrait, ghost image and MRZ filled in; the blank template does not
genuine = sorted((s for s in state.library_specimens() if s.template == tid and s.authentic
                  and s.capture_kind == "flat"), key=lambda s: s.name)
sources = (["specimen"] if genuine else []) + ["blank"]
source = st.segmented_control(_("Show"), sources, default=sources[0], key="ref-source",
                              format_func=lambda k: t(f"reference_{k}")) or sources[0]
if source == "specimen":
    images = {light: str(genuine[0].image_path(light)) for light in genuine[0].lights}
else:
    images = {light: str(tpl.image_path(light)) for light in tpl.images}

features = security_features(tpl, state.lessons())
names = [zone_label(f.name, lang(), kind=f.kind) if f.kind != "field" else _("Printed data fields") for f in features]
picked = st.selectbox(_("Security feature"), range(len(features)), key="ref-feature",
                      format_func=lambda n: f"{n + 1}. {names[n]}")

docview.document_view(images, key=course.opaque_key("reference", tid, source), size=tpl.size_px, template=tid,
                      overlays=officer.feature_overlays(features, picked))

feature = features[picked]
st.subheader(f"{picked + 1}. {names[picked]}")
st.markdown(f"**{_('Up close, in each light')}**")
crop = officer.feature_crop(feature.boxes, tpl.size_px)
box_marks = [{"box": list(b), "colour": officer.PICKED_COLOUR} for b in feature.boxes] \
    if feature.kind != "background" else []
columns = st.columns(len(images))
for column, light in zip(columns, docview.lights_of(images)):
    with column:
        docview.crop_view(images[light], crop, key=course.opaque_key("reference", tid, source, str(picked), light),
                          overlays=box_marks, caption=docview.light_label(light))

st.markdown(f"**{_('What to check')}**")
if not feature.sections:
    st.info(_("No lesson explains this feature yet."))
for lesson, sec in feature.sections:
    with st.container(border=True):
        st.markdown(f"**{pick(sec.heading, sec.heading_km)}**")
        st.markdown(pick(sec.text, sec.text_km))
        st.caption(_("From the lesson “{lesson}”.", lesson=pick(lesson.title, lesson.title_km)))
