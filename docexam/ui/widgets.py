"""Drawing helpers shared by the pages: light switch, loupe, overlays, clickable image.

Images are handled as uint8 RGB arrays. Boxes and points are always in
template pixels (``docs/formats.md``); a helper that draws on a downscaled copy
takes the full size and scales them itself, so callers never do
coordinate arithmetic.
"""

from __future__ import annotations

import functools
import html
import io
import os

import cv2
import numpy as np
from PIL import Image
import segno
import streamlit as st

from ..errors import DocexamError
from ..network import JOIN_URL_ENV
from ..formats.lights import LIGHTS
from ..specimens import find_template
from . import docview, officer, state
from .course import clip_box, to_template_point
from .i18n import _, lang, ngettext, pick, said

RED = (230, 30, 30)
BLUE = (20, 90, 255)
AMBER = (255, 170, 0)
GREEN = (0, 160, 70)


#: what a table cell shows where there is no figure yet (a trainee without a post-test)
NO_FIGURE = "—"


def figure_cells(values) -> list[str]:
    """Table cells of whole-number figures: ``NO_FIGURE`` where a value is missing, never "None".

    >>> figure_cells([80, None, 0])
    ['80', '—', '0']
    """
    return [NO_FIGURE if v is None else f"{v:g}" for v in values]


def _scale(size: tuple[int, int], shape) -> tuple[float, float]:
    return shape[1] / size[0], shape[0] / size[1]


def draw_boxes(rgb: np.ndarray, boxes, size: tuple[int, int], *, colour=RED, width: int = 3,
               labels=None) -> np.ndarray:
    """``boxes`` (template pixels of a ``size`` image) drawn on a copy of ``rgb`` (any scale)."""
    out = np.ascontiguousarray(rgb).copy()
    sx, sy = _scale(size, out.shape)
    for i, box in enumerate(boxes):
        x0, y0, x1, y1 = box
        p0 = (int(x0 * sx), int(y0 * sy))
        p1 = (max(int(x1 * sx) - 1, p0[0] + 1), max(int(y1 * sy) - 1, p0[1] + 1))
        cv2.rectangle(out, p0, p1, colour, width)
        if labels:
            cv2.putText(out, str(labels[i]), (p0[0] + 3, max(p0[1] - 4, 12)), cv2.FONT_HERSHEY_SIMPLEX,
                        0.5, colour, 1, cv2.LINE_AA)
    return out


def draw_point(rgb: np.ndarray, point, size: tuple[int, int], *, colour=BLUE) -> np.ndarray:
    """A cross-hair at ``point`` (template pixels)."""
    out = np.ascontiguousarray(rgb).copy()
    sx, sy = _scale(size, out.shape)
    x, y = int(point[0] * sx), int(point[1] * sy)
    r = max(8, out.shape[1] // 60)
    cv2.circle(out, (x, y), r, colour, 2, cv2.LINE_AA)
    cv2.line(out, (x - 2 * r, y), (x + 2 * r, y), colour, 2, cv2.LINE_AA)
    cv2.line(out, (x, y - 2 * r), (x, y + 2 * r), colour, 2, cv2.LINE_AA)
    return out


def image(rgb: np.ndarray, caption: str | None = None) -> None:
    st.image(rgb, caption=caption, width="stretch")


def hand_checks(report) -> None:
    """What the examination left to the officer: features one picture cannot prove, checks it could not make."""
    checks = officer.hand_checks(report, lang())
    if checks:
        with st.container(border=True):
            st.markdown(f"**{_('Check by hand')}**")
            st.caption(_("The picture shows these security features, but one picture cannot prove them genuine: "
                         "examine them yourself."))
            st.markdown("\n".join(f"- {c}" for c in checks))
    if report.notes:
        with st.expander(_("Checks the machine could not make ({n})", n=len(report.notes))):
            st.markdown("\n".join(f"- {said(n.message)}" for n in report.notes))


def reference_image(template_id: str, light: str):
    """The template's blank reference in ``light`` (or visible), downscaled; None if unknown."""
    try:
        tpl = find_template(template_id)
    except DocexamError:  # a specimen of a template not installed here
        return None
    light = light if light in tpl.images else "visible"
    return state.display_image(tpl.image_path(light))


def show_figure(fig: dict, *, key: str) -> None:
    """A lesson figure: forged crop beside the genuine one (or the template's blank reference).

    ``fig`` is :func:`docexam.lessons.resolve_figure`'s dict. Each panel is
    a crop encoded once (:mod:`.media`) with the forged area marked by the
    browser; the light switch redraws the panels in the chosen light.
    """

    with st.container(border=True):
        st.caption(pick(fig["caption"], fig.get("caption_km")))
        panels = fig["panels"]
        if not panels:
            st.info(_("No specimen in the library shows this yet."))
            return
        forged = next(p for p in panels if p["role"] == "forged")
        lights = set(forged["images"])
        for p in panels:
            lights &= set(p["images"])
        c1, c2 = st.columns(2)
        with c1:
            light = light_switch(lights, key=f"{key}-light")
        with c2:
            marks = st.toggle(_("Show where the forgery is"), value=True, key=f"{key}-marks")
        genuine = next((p for p in panels if p["role"] == "genuine"), None)
        cols = st.columns(2)
        with cols[0]:
            if genuine is not None:
                docview.crop_view(genuine["images"][light], genuine["crop"], key=f"{key}-genuine",
                                  caption=_("Genuine"))
            else:
                try:
                    tpl = find_template(_template_of(forged))
                    ref = tpl.image_path(light if light in tpl.images else "visible")
                    docview.crop_view(ref, forged["crop"], key=f"{key}-reference", caption=_("Genuine template (blank reference)"))
                except (DocexamError, OSError):  # a figure without its template shows the forged panel only
                    st.info(_("No specimen in the library shows this yet."))
        with cols[1]:
            overlays = docview.feedback_overlays(forged["overlays"], crop=forged["crop"]) if marks else []
            docview.crop_view(forged["images"][light], forged["crop"], key=f"{key}-forged", overlays=overlays,
                              caption=_("Forged"))


def light_switch(lights, *, key: str) -> str:
    """Choose the light source to look at (visible, UV, IR, where the document has it)."""
    lights = [light for light in LIGHTS if light in lights] or ["visible"]
    if len(lights) == 1:
        return lights[0]
    choice = st.segmented_control(_("Light"), lights, format_func=docview.light_label, key=key, default=lights[0])
    return choice or lights[0]


def _template_of(panel: dict) -> str:
    spec = state.specimen_index().get(panel["specimen"])
    return spec.template if spec is not None else ""


def box_drawer(rgb: np.ndarray, size: tuple[int, int], *, label: str, key: str, width: int = 900) -> list[dict]:
    """Boxes drawn by dragging on ``rgb``, each stamped with ``label``: ``[{"bbox", "label"}]`` in template pixels.

    Uses ``streamlit-drawable-canvas`` (labelled rectangles). Where the
    canvas cannot load, two clicks on the image give a box's corners
    instead. Boxes may also be typed in (exact pixels, and what the tests
    drive); typed and clicked boxes are kept in the session under ``key``.
    """

    w, h = size
    display = cv2.resize(np.ascontiguousarray(rgb), (width, round(width * h / w)), interpolation=cv2.INTER_AREA)
    scale = w / width
    manual = st.session_state.setdefault(f"{key}-manual", [])
    drawn: list[dict] = []
    try:
        # imported here: the component cannot be imported outside a running Streamlit server
        from streamlit_drawable_canvas import st_canvas

        result = st_canvas(background_image=Image.fromarray(display), drawing_mode="labeled_rect", label=label,
                           width=width, height=display.shape[0], stroke_width=2, stroke_color="#e00000",
                           fill_color="rgba(255, 0, 0, 0.08)", font_size=14, key=f"{key}-canvas")
        for b in result.boxes_in_image_space or []:
            box = clip_box([b["left"] * scale, b["top"] * scale, (b["left"] + b["width"]) * scale,
                            (b["top"] + b["height"]) * scale], size)
            if box and b.get("label"):
                drawn.append({"bbox": box, "label": b["label"]})
        st.caption(_("Drag on the image to draw a box; it takes the label chosen above. The canvas toolbar "
                     "undoes, moves or deletes boxes."))
    except Exception:  # noqa: BLE001 - no canvas here: two clicks give the corners instead
        from streamlit_image_coordinates import streamlit_image_coordinates  # the click component: only where the canvas cannot load

        corner = st.session_state.get(f"{key}-corner")
        shown = draw_boxes(display, [m["bbox"] for m in manual], size)
        if corner:
            shown = draw_point(shown, corner, size)
        st.caption(_("Click the top-left corner of a box, then its bottom-right corner."))
        click = streamlit_image_coordinates(shown, key=f"{key}-clicks", use_column_width="always")
        if click and click.get("unix_time") != st.session_state.get(f"{key}-last-click"):
            st.session_state[f"{key}-last-click"] = click.get("unix_time")
            point = to_template_point(click, size)
            if corner is None:
                st.session_state[f"{key}-corner"] = point
            else:
                st.session_state[f"{key}-corner"] = None
                box = clip_box([*corner, *point], size)
                if box:
                    manual.append({"bbox": box, "label": label})
            st.rerun()
    with st.expander(_("Add a box by its pixel coordinates (template pixels)")):
        b1, b2, b3, b4 = st.columns(4)
        x0 = b1.number_input("x0", 0, w - 1, 0, key=f"{key}-x0")
        y0 = b2.number_input("y0", 0, h - 1, 0, key=f"{key}-y0")
        x1 = b3.number_input("x1", 1, w, min(w, 100), key=f"{key}-x1")
        y1 = b4.number_input("y1", 1, h, min(h, 100), key=f"{key}-y1")
        if st.button(_("Add this box"), key=f"{key}-add"):
            box = clip_box([x0, y0, x1, y1], size)
            if box is None or x1 <= x0 or y1 <= y0:
                st.error(_("The box is empty: x1 must be above x0 and y1 above y0."))
            else:
                manual.append({"bbox": box, "label": label})
                st.rerun()
    if manual:
        st.caption(ngettext("{n} box added by clicks or coordinates.", "{n} boxes added by clicks or coordinates.",
                             len(manual), n=len(manual)))
        if st.button(_("Remove the boxes added by clicks or coordinates"), key=f"{key}-clear"):
            manual.clear()
            st.rerun()
    return drawn + list(manual)


def lesson_picker(lessons, *, key: str) -> tuple[str, str]:
    """A select box of lessons in the trainee's language; remembers the choice under ``key``.

    Returns the chosen lesson's id and its title.
    """
    ids = [le.id for le in lessons]
    titles = {le.id: pick(le.title, le.title_km) for le in lessons}
    default = st.session_state.get(key, ids[0])
    chosen = st.selectbox(_("Lesson"), ids, index=ids.index(default) if default in ids else 0,
                          format_func=titles.get)
    st.session_state[key] = chosen
    return chosen, titles[chosen]


@functools.lru_cache(maxsize=8)
def _qr_png(url: str) -> bytes:
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=8, border=2)
    return buf.getvalue()


def join_address() -> None:
    """Where trainees' phones join (``docexam app --host 0.0.0.0`` sets it) with a QR code to scan.

    The QR code is drawn here (segno), never fetched: the room may have no internet.
    """
    url = os.environ.get(JOIN_URL_ENV)
    if not url:
        st.caption(_("Only this laptop can open the app now. To let trainees' phones join over the room's "
                     "network, start it with `docexam app --host 0.0.0.0`."))
        return
    c1, c2 = st.columns([1, 2], vertical_alignment="center")
    c1.image(_qr_png(url), width=200)
    address = f"<span style='font-size:1.4em;font-weight:bold'>{html.escape(url)}</span>"
    c2.markdown(_("Trainees scan the code or open {address} on the room's network. The first time, the phone "
                  "warns that the certificate is not trusted: it is this laptop's own; choose *Advanced*, then "
                  "*proceed*.", address=address), unsafe_allow_html=True)
