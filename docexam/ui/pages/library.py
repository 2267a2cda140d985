"""Library (trainer): every specimen the quizzes use, with a small picture of each, filtered by template,
family, technique and capture; open one to see it in every light with its annotations, retire it (or put
it back), and edit or delete a trainer's own specimen."""

import pandas as pd
import streamlit as st

from docexam.errors import DocexamError
from docexam.specimens import FAMILIES, TECHNIQUES
from docexam.specimens.model import CAPTURE_KINDS
from docexam.lessons.quiz_item import views_of
from docexam.lessons.vocabulary import CAPTURE_LABELS, FAMILY_LABELS, TECHNIQUE_LABELS, label, zone_label
from docexam.ui import docview, media, session, specimen_admin, state
from docexam.ui.i18n import _, lang, said
from docexam.ui.quiz import show_views

#: width of the pictures in the table (encoded once per specimen version, served as files)
THUMB_WIDTH = 160

session.require_trainer()
st.title(_("Library"))
try:
    specimens = state.specimens()
except DocexamError as exc:
    st.error(_("The specimen library cannot be loaded: {error}", error=said(exc)))
    st.stop()
own = state.user_specimens_dir()

f1, f2, f3, f4, f5 = st.columns(5)
# Streamlit's own placeholder is English whatever the page's language
CHOOSE = _("Choose options")
templates = f1.multiselect(_("Template"), sorted({s.template for s in specimens}), key="lib-template",
                           placeholder=CHOOSE)


def technique_name(code: str) -> str:
    return label(TECHNIQUE_LABELS, code, lang()) if code in TECHNIQUE_LABELS else code


def capture_name(code: str) -> str:
    return label(CAPTURE_LABELS, code, lang()) if code in CAPTURE_LABELS else code


families = f2.multiselect(_("Family"), FAMILIES, key="lib-family", placeholder=CHOOSE,
                          format_func=lambda f: label(FAMILY_LABELS, f, lang()))
techniques = f3.multiselect(_("Technique"), list(TECHNIQUES), key="lib-technique", placeholder=CHOOSE,
                            format_func=technique_name)
captures = f4.multiselect(_("Capture"), CAPTURE_KINDS, key="lib-capture", placeholder=CHOOSE,
                          format_func=capture_name)
verdict = f5.selectbox(_("Verdict"), ["all", "genuine", "forged"], key="lib-verdict",
                       format_func={"all": _("all"), "genuine": _("genuine"), "forged": _("forged")}.get)


def keep(s) -> bool:
    return ((not templates or s.template in templates)
            and (not families or s.families & set(families))
            and (not techniques or s.techniques & set(techniques))
            and (not captures or s.capture_kind in captures)
            and (verdict == "all" or s.authentic == (verdict == "genuine")))


shown = [s for s in specimens if keep(s)]
st.caption(_("{shown} of {total} specimens", shown=len(shown), total=len(specimens)))
retired = state.retired()
table = pd.DataFrame([{_("Picture"): media.image_url(s.image_path("visible"), width=THUMB_WIDTH),
                       _("Name"): s.name, _("Template"): s.template, _("Capture"): capture_name(s.capture_kind),
                       _("Verdict"): _("genuine") if s.authentic else _("forged"),
                       _("Techniques"): ", ".join(sorted(map(technique_name, s.techniques))),
                       _("Lights"): ", ".join(docview.light_label(light) for light in s.lights),
                       _("Source"): _("trainer") if s.folder.resolve() == own.resolve() else _("library"),
                       _("Status"): _("retired") if s.name in retired else _("in use")}
                      for s in shown])
picked = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                      key=f"lib-table-{st.session_state.get(specimen_admin.GENERATION, 0)}", row_height=72,
                      column_config={_("Picture"): st.column_config.ImageColumn(width="small")})
rows = picked.selection.rows if picked and picked.selection else []
if not rows:
    st.info(_("Select a row to open the specimen."))
    st.stop()
spec = shown[rows[0]]

st.subheader(spec.name)
c1, c2 = st.columns([3, 2])
with c1:
    images = {light: str(spec.image_path(light)) for light in spec.lights}
    size = state.image_size(images["visible"])
    overlays = []
    if st.toggle(_("Show the annotations"), value=True, key="lib-marks") and spec.capture_kind == "flat":
        overlays = docview.feedback_overlays([{"bbox": list(a.bbox), "mask": str(spec.mask_path) if spec.mask_path
                                               else None, "mask_label": a.mask_label} for a in spec.anomalies])
    docview.document_view(images, key="lib-view", size=size, template=spec.template, overlays=overlays)
    if spec.capture_kind != "flat" and spec.anomalies:
        st.caption(_("Annotations are in template pixels; this capture is not flat, so they are not drawn."))
    show_views(views_of(spec).get("views"), "lib-views")
    traveller = spec.extra.get("traveller")
    if isinstance(traveller, dict) and traveller.get("image"):
        photo = str(spec.folder / traveller["image"])
        docview.crop_view(photo, (0, 0, *state.image_size(photo)), key="lib-traveller",
                          caption=_("The holder, photographed at the counter") if traveller.get("same_person")
                          else _("An impostor, photographed at the counter"))
with c2:
    st.markdown(_("**{verdict}**, template `{template}`, capture {capture}",
                  verdict=_("Genuine") if spec.authentic else _("Forged"), template=spec.template,
                  capture=capture_name(spec.capture_kind)))
    for i, a in enumerate(spec.anomalies, 1):
        st.markdown(_("{i}. `{what}` in **{zone}** {bbox}", i=i, what=technique_name(a.technique) if a.technique
                      else label(FAMILY_LABELS, a.family, lang()), zone=zone_label(a.zone, lang()),
                      bbox=list(a.bbox)) + f"  \n{a.note}")
    st.markdown(_("**Holder**"))
    st.table(pd.DataFrame([{_("Field"): zone_label(k, lang()), _("Value"): v}
                           for k, v in spec.holder.as_dict().items()]))
    if spec.mrz:
        st.code("\n".join(spec.mrz), language=None)

specimen_admin.manage(spec, own=spec.folder.resolve() == own.resolve())
