"""The document view: one component for every document the pages show.

A specimen in any of its lights, each side of a card on its own, zoom up
to full resolution, and marks (the highlight of a question, the trainee's
answer, the forged area after the answer) drawn by the browser over the
picture. Pictures come from :mod:`.media` (encoded once, cached by the
browser); switching light, side or zoom and drawing a mark happen in the
browser without a rerun (``docview.js``). In ``locate`` mode a tap marks a
point and a drag (mouse or finger) draws a box; the mark is the
component's state, in the image's pixels.

Marks are boxes and points in the image's own pixels (template pixels for
a flat capture, as everywhere else).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..errors import DocexamError
from ..formats.lights import LIGHTS
from ..specimens import find_template
from . import media, prepare
from .i18n import _, t

BLUE = "#1464ff"
RED = "#e61e1e"
AMBER = "#ffaa00"

_HERE = Path(__file__).resolve().parent

_CSS = """
.dx-root { font-family: var(--st-font, sans-serif); color: var(--st-text-color, #262730); }
.dx-bar { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 4px; align-items: center; }
.dx-group { display: inline-flex; border: 1px solid var(--st-border-color, #d5d8de); border-radius: 8px;
            overflow: hidden; }
.dx-group button { min-height: 40px; min-width: 44px; padding: 0 12px; border: 0; margin: 0;
                   background: var(--st-secondary-background-color, #f0f2f6); color: inherit;
                   font: inherit; font-size: 15px; cursor: pointer; }
.dx-group button + button { border-left: 1px solid var(--st-border-color, #d5d8de); }
.dx-group button.dx-on { background: var(--st-primary-color, #1b4f72); color: #fff; }
.dx-group button:disabled { opacity: .4; cursor: default; }
.dx-zoom { padding: 0 8px; align-self: center; font-size: 14px; min-width: 2.5em; text-align: center; }
.dx-hint { font-size: 14px; opacity: .85; margin: 2px 0 6px; min-height: 1em; }
.dx-scroll { width: 100%; overflow: auto; max-height: 85vh; }
.dx-stage { position: relative; overflow: hidden; }
.dx-stage > img, .dx-tints { position: absolute; display: block; max-width: none; height: auto;
                              user-select: none; -webkit-user-select: none; -webkit-touch-callout: none; }
.dx-tints { display: grid; pointer-events: none; }
.dx-tints img { grid-area: 1 / 1; width: 100%; display: block; }
.dx-marks { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
.dx-point { cursor: crosshair; touch-action: manipulation; }
.dx-box { cursor: crosshair; touch-action: none; }
"""

_COMPONENT = st.components.v2.component(
    "docexam_docview",
    html="<div class='dx-mount'></div>\n",
    css=_CSS,
    js=(_HERE / "docview.js").read_text(encoding="utf-8"),
)


# a picture made in the background (a heatmap): the browser asks for its file until it is there, or until
# a ".none.txt" beside it says why there is none; the server runs nothing meanwhile
_LATER_JS = """
export default function (component) {
  const { data, parentElement } = component
  if (!data) return
  let root = parentElement.querySelector('.dx-later')
  if (!root) { root = document.createElement('div'); root.className = 'dx-later'; parentElement.appendChild(root) }
  if (root.dataset.src === data.src) return
  root.dataset.src = data.src
  root.replaceChildren()
  const note = document.createElement('p'); note.className = 'dx-hint'; note.textContent = data.waiting
  const img = document.createElement('img'); img.alt = ''; img.style.cssText = 'display:none;width:100%;height:auto'
  root.append(img, note)
  let tries = 0
  const none = data.src.replace(/\\.jpg$/, '.none.txt')
  // a picture the page no longer shows (the trainee moved on, the element is gone) is not asked for again:
  // a detached image still loads, and each waiting phone would keep asking for ten minutes
  const wanted = () => root.isConnected && root.dataset.src === data.src
  const load = () => { if (wanted()) img.src = data.src + (tries ? '?t=' + tries : '') }
  img.onload = () => { img.style.display = 'block'; note.textContent = data.caption }
  img.onerror = async () => {
    if (!wanted() || ++tries > 300) return
    try {
      const r = await fetch(none + '?t=' + tries, { cache: 'no-store' })
      if (r.ok) { note.textContent = data.none.replace('{reason}', await r.text()); return }
    } catch (e) { /* the server is busy: ask again */ }
    setTimeout(load, 2000)
  }
  load()
}
"""

_LATER = st.components.v2.component("docexam_later_picture", html="<div></div>", css=_CSS, js=_LATER_JS)


def later_picture(src: str, *, key: str, waiting: str, caption: str, none: str) -> None:
    """A picture the background process is still making: shown by the browser once its file exists.

    ``none`` is the text shown if the maker leaves ``.none.txt`` (its reason, as ``{reason}``) instead.
    """
    _LATER(key=key, data={"src": src, "waiting": waiting, "caption": caption, "none": none})


def _texts() -> dict:
    return {"mode_point": _("Tap a point"), "mode_box": _("Drag a box"), "hint_point": _("Tap or click on the image where you see the forgery (+ zooms in)."),
            "hint_box": _("Press on one corner of the forged area, drag to the opposite corner and release."), "chosen": _("Your mark is drawn in blue. Click again to move it."), "zoom_in": _("Zoom in"),
            "zoom_out": _("Zoom out"), "alt": _("The document to examine")}


def light_label(light: str) -> str:
    return t(f"light_{light}")


def lights_of(images: dict) -> list[str]:
    """The lights of ``images`` (light -> path) in the usual order, visible first."""
    return [light for light in LIGHTS if light in images] or list(images)[:1]


def sides_of(template_id: str | None, size: tuple[int, int]) -> list[dict]:
    """The sides of a two-sided card as views (``[{"label", "crop"}]``), or ``[]`` for one page.

    Only for an image in the template's own geometry (a flat capture): a
    scan or photo of a card is cropped by its own sides' pictures instead.
    The sides come from ``template.json``'s ``sides`` (name and bbox).
    """
    if not template_id:
        return []

    try:
        tpl = find_template(template_id)
    except DocexamError:
        return []
    sides = tpl.extra.get("sides") or []
    if tuple(size) != tuple(tpl.size_px) or len(sides) < 2:
        return []
    out = []
    for side in sides:
        name = str(side.get("name", ""))
        bbox = side.get("bbox")
        if isinstance(bbox, (list, tuple)) and len(bbox) == 4:
            out.append({"label": t(f"side_{name}") if name in ("front", "back") else name,
                        "crop": [int(v) for v in bbox]})
    return out if len(out) >= 2 else []


def document_view(images: dict, *, key: str, size: tuple[int, int], template: str | None = None,
                  locate: bool = False, overlays=(), answer=None, zoom: bool = True):
    """Draw a document; in ``locate`` mode return the trainee's mark (``{"point"}`` / ``{"box"}``) or None.

    Parameters
    ----------
    images : dict
        light -> image file (all the same geometry).
    key : str
        Widget key; opaque (it reaches the browser).
    size : (int, int)
        The images' size in pixels: marks and answers are in these pixels.
    template : str, optional
        The template id, for the sides of a two-sided card.
    overlays : sequence of dict
        ``{"box": [x0, y0, x1, y1], "colour"}`` (and a ``"label"``, a number drawn
        in its corner), ``{"point": [x, y], "colour"}`` or ``{"tint": address}``
        (a :func:`media.tint_url` picture).
    answer : dict, optional
        A mark to show at first (the server's copy of the trainee's answer).
    zoom : bool
        Whether zooming in shows the full resolution (the drill's loupe); without,
        it enlarges the screen copy (a closer look with the naked eye).
    """
    # the screen copies are encoded ahead by the background preparation (here if it has not reached them yet:
    # :func:`prepare.picture_url`); until the full-resolution copy is made, zooming enlarges the screen copy
    shown = {light: prepare.picture_url(images[light]) for light in lights_of(images)}
    lights = [{"id": light, "label": light_label(light), "src": src,
               "zoom": media.encoded_image_url(images[light], width=media.ZOOM_WIDTH) if zoom else src}
              for light, src in shown.items()]
    data = {"item": key, "size": list(size), "lights": lights, "views": sides_of(template, size),
            "mode": "locate" if locate else "view", "answer": answer, "overlays": list(overlays),
            "text": _texts()}
    result = _COMPONENT(key=key, data=data, default={"answer": answer}, on_answer_change=lambda: None)
    return getattr(result, "answer", None) if locate else None


def crop_view(path, crop, *, key: str, overlays=(), caption: str | None = None) -> None:
    """A crop of an image file (``crop`` in its pixels) shown with marks, zoomable (lesson figures)."""
    x0, y0, x1, y1 = (int(v) for v in crop)
    zoomed = media.encoded_image_url(path, crop=crop, width=media.ZOOM_WIDTH)
    if zoomed is None and prepare.running():
        prepare.want_picture(path, crop=crop, width=media.ZOOM_WIDTH)  # offered from the next run on
    lights = [{"id": "visible", "label": "", "src": prepare.picture_url(path, crop=crop),
               "zoom": zoomed}]
    moved = []
    for o in overlays:  # marks in the crop's own pixels
        if "box" in o:
            b = o["box"]
            moved.append({**o, "box": [b[0] - x0, b[1] - y0, b[2] - x0, b[3] - y0]})
        else:
            moved.append(o)
    data = {"item": key, "size": [x1 - x0, y1 - y0], "lights": lights, "views": [], "mode": "view",
            "answer": None, "overlays": moved, "text": _texts()}
    _COMPONENT(key=key, data=data)
    if caption:
        st.caption(caption)


def feedback_overlays(items, *, crop=None, width: int = media.DISPLAY_WIDTH) -> list[dict]:
    """A feedback's ``overlays`` (bbox, mask, mask_label) as marks: red box and tinted area."""
    out = []
    for ov in items:
        if "bbox" not in ov:
            continue
        if ov.get("mask") and ov.get("mask_label") is not None:
            tint = media.tint_url(ov["mask"], ov["mask_label"], width=width, crop=crop)
            if tint:
                out.append({"tint": tint})
        out.append({"box": list(ov["bbox"]), "colour": RED})
    return out
