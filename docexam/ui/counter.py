"""The officer's desk in a drill: the traveller, the documents, the tools, the questions, the decision.

The first-line counter and the second-line desk show the same traveller
the same way (:func:`desk`); they differ in what is decided (admit, refer,
refuse; or admit, refuse after a referral) and in what else they show (the
first-line officer's note; the consulted officer's advice). A tool is a
button with its time cost; once used, its view stays open for this
traveller (the UV lamp adds the UV light to the document's light switch,
the loupe lets the zoom reach full resolution, the MRZ reader shows the
lines and their check digits, the reference shows a genuine blank).
Every button records an event in a callback: one run per press.
"""

from __future__ import annotations

import html

import streamlit as st

from ..drill.answers import answer, arrival_form, boarding_card
from ..drill.catalogue import DECISIONS, DOCUMENT_KINDS, FINAL_DECISIONS, QUESTIONS, TOOLS, label
from ..drill.material import TravellerJob, cached_document, photo_path
from ..lessons.vocabulary import CHECK_LABELS, FIELD_LABELS
from ..mrz.text import parse
from ..specimens import find_template
from . import docview, drills, media, prepare, runlog
from .drill_pictures import reference_images, traveller_missing
from .i18n import _, lang, pick, t

#: how long a press may wait for a traveller's documents before the page says so
WAIT_S = 300.0


def _label(table, key) -> str:
    return label(table, key, lang())


def tool_button_text(tool: str, seconds: int) -> str:
    return _("{tool} · {s} s", tool=_label(TOOLS, tool), s=seconds)


def material_for(case):
    """The traveller's rendered document (waiting for the renderer if it is not ready: measured)."""
    job = TravellerJob(case.traveller)
    material = cached_document(case.traveller.document)
    if material is None or not photo_path(case.traveller).is_file():
        with st.spinner(_("The traveller is coming to the counter...")), runlog.making("render"):
            drills.prefetcher().wait(job, timeout=WAIT_S)
        material = cached_document(case.traveller.document)
    return material


def call(traveller, scenario) -> None:
    """The officer calls ``traveller`` to the counter (a button's callback).

    For a load benchmark's run log (:mod:`.runlog`), first what of the
    traveller was not ready at the press: not rendered, or a picture the
    desk may show (any light, at screen size and for the loupe; the photo;
    the reference's genuine blank) not encoded yet.
    """
    if runlog.measuring():
        runlog.press("call", traveller_missing(traveller, scenario))
    drills.send("call", traveller.index)


def upcoming_pictures(coming, *, at_desk=None) -> list[str]:
    """Addresses of the pictures the counter will show next, where encoded already.

    For each case of ``coming`` (travellers about to be called), the photo
    and the document in visible light; for ``at_desk`` (the traveller being
    examined), the document in its other lights: a lamp's view is one press
    away. Nothing is encoded here: a picture not made yet is left out.
    """
    wanted = []
    for case in coming:
        material = cached_document(case.traveller.document)
        if material is not None:
            wanted += [photo_path(case.traveller), material.image("visible")]
    material = cached_document(at_desk.traveller.document) if at_desk is not None else None
    if material is not None:
        wanted += [material.image(light) for light in material.lights if light != "visible"]
    return [url for url in map(media.encoded_image_url, wanted) if url]


def preload(urls) -> None:
    """Let the browser fetch ``urls`` now, unseen, so that showing them later costs no download.

    The pictures are served with a far-future cache header (:mod:`.media`):
    when the next traveller is called, the page only names pictures the
    browser holds already.
    """
    if urls:
        imgs = "".join(f"<img src='{html.escape(u)}' alt=''>" for u in urls)
        st.markdown(f"<div class='dx-preload' hidden>{imgs}</div>", unsafe_allow_html=True)


def _used(case, officer: int | None = None) -> set:
    return {u.tool for u in case.uses_by(officer)}


def transcript(case, scenario, holder) -> None:
    """The questions asked so far and the traveller's answers."""
    asked = [u for u in case.uses if u.question]
    for u in asked:
        st.markdown(f"**{_('You:')}** {html.escape(pick(*QUESTIONS[u.question]))}  \n"
                    f"**{_('Traveller:')}** {html.escape(answer(case.traveller, u.question, scenario=scenario, holder=holder, lang=lang()))}")


def _extras(case, scenario, holder) -> None:
    for extra in case.traveller.extras:
        with st.container(border=True):
            st.markdown(f"**{_label(DOCUMENT_KINDS, extra.kind)}**")
            if extra.kind == "arrival-form":
                form = arrival_form(case.traveller, scenario=scenario, holder=holder, lang=lang())
            elif extra.kind == "boarding-card":
                form = boarding_card(case.traveller, scenario=scenario, holder=holder)
            else:
                st.caption(_("Not available in this drill."))
                continue
            st.markdown("  \n".join(f"{html.escape(t('form_' + k))}: **{html.escape(str(v))}**"
                                    for k, v in form.items()))


def _mrz_reader(material) -> None:
    lines = list(material.mrz)
    st.markdown(f"<pre class='dx-mrz'>{html.escape(chr(10).join(lines))}</pre>", unsafe_allow_html=True)
    try:
        parsed = parse(lines)
    except ValueError:
        st.error(_("The reader cannot read this MRZ."))
        return
    marks = []
    for name, ok in parsed.checks.items():
        if name in CHECK_LABELS:
            what = pick(*CHECK_LABELS[name])
        elif name in FIELD_LABELS:
            what = pick(*FIELD_LABELS[name])
        else:
            what = t(f"drill_check_{name}") if name in ("composite", "optional") else name
        marks.append(f":green[✓ {html.escape(what)}]" if ok else f":red[✗ {html.escape(what)}]")
    st.markdown("  \n".join(marks))


def _document(case, material, used: set, key: str) -> None:
    lights = ["visible"] + [TOOLS[tool].light for tool in used if TOOLS[tool].light]
    images = {light: path for light, path in material.images.items() if light in lights}
    docview.document_view(images, key=f"{key}-doc", size=material.size, template=material.template,
                          zoom="loupe" in used)
    if "reference" in used:
        tpl = find_template(material.template)
        ref = {light: path for light, path in reference_images(tpl.id).items() if light in lights}
        st.caption(_("A genuine blank of this document, for comparison"))
        docview.document_view(ref, key=f"{key}-ref", size=tuple(tpl.size_px), template=tpl.id,
                              zoom="loupe" in used)
    if "mrz" in used:
        st.caption(_("The MRZ reader"))
        _mrz_reader(material)


def _tools(case, scenario, used: set, key: str, lights) -> None:
    """The post's tools; one whose light this document was not rendered in (no picture to show) is greyed."""
    tools = [tool for tool in scenario.tools if tool != "question"]
    cols = st.columns(min(4, max(1, len(tools))))
    for n, tool in enumerate(tools):
        done = tool in used
        missing = TOOLS[tool].light is not None and TOOLS[tool].light not in lights
        cols[n % len(cols)].button(("✓ " if done else "") + tool_button_text(tool, scenario.seconds(tool)),
                                   key=f"{key}-tool-{tool}", disabled=done or missing, width="stretch",
                                   help=_("This document has no picture in that light yet.") if missing else None,
                                   on_click=drills.send, args=("tool", case.traveller.index, {"tool": tool}))
    if "question" in scenario.tools:
        c1, c2 = st.columns([3, 2])
        questions = {k: pick(*v) for k, v in QUESTIONS.items()}
        q = c1.selectbox(_("Question"), list(questions), format_func=questions.get, key=f"{key}-q",
                         label_visibility="collapsed")
        c2.button(tool_button_text("question", scenario.seconds("question")), key=f"{key}-ask", width="stretch",
                  on_click=lambda: drills.send("ask", case.traveller.index,
                                               {"question": st.session_state.get(f"{key}-q") or q}))


def desk(case, scenario, *, officer: int, key: str, decisions=tuple(DECISIONS), first_line_note: bool = False) -> None:
    """The traveller at this officer's desk, the tools, and the decision buttons."""
    material = material_for(case)
    if material is None:
        st.error(_("This traveller's documents could not be prepared."))
        return
    used = _used(case, officer)
    story = next(s for s in scenario.stories if s.id == case.traveller.story)
    left, right = st.columns([2, 3])
    with left:
        st.markdown(f"#### {_('Traveller {n}', n=case.traveller.index + 1)}")
        photo = photo_path(case.traveller)
        st.markdown(f"<img class='dx-picture' src='{prepare.picture_url(photo)}' alt='{_('The traveller at the counter')}'>",
                    unsafe_allow_html=True)
        st.caption(pick(story.who, story.who_km))
        if first_line_note:
            st.info(_("First line: {decision}. Note: {note}", note=case.note or "-",
                      decision=_label(DECISIONS, case.decision)), icon=":material/sticky_note_2:")
            if case.first_line_uses:
                st.caption(_("The first line used: {tools}", tools=", ".join(_label(TOOLS, u.tool) for u in case.first_line_uses)))
        _extras(case, scenario, material.holder)
        transcript(case, scenario, material.holder)
    with right:
        st.markdown(f"**{_label(DOCUMENT_KINDS, case.traveller.document.kind)}**")
        _document(case, material, used, key)
    st.markdown(f"##### {_('Tools')}")
    _tools(case, scenario, used, key, material.lights)
    st.markdown(f"##### {_('Your decision')}")
    note_key = f"{key}-note"
    st.text_input(_("Note (for the second line and the debrief)"), key=note_key, max_chars=1000, placeholder=_("What made you decide?"))
    cols = st.columns(len(decisions))
    for col, decision in zip(cols, decisions):
        col.button(_label(DECISIONS, decision), key=f"{key}-{decision}", width="stretch",
                   type="primary" if decision == "admit" else "secondary",
                   on_click=lambda d=decision: drills.send(
                       "resolve" if decisions == FINAL_DECISIONS else "decide", case.traveller.index,
                       {"decision": d, "note": st.session_state.get(note_key, "")}))
