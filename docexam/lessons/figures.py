"""Resolve a lesson's figures to concrete specimens, crops and overlays.

A figure in a lesson file names *what* to show (a technique or family, a
zone), never a specimen file, so it keeps working when the library changes.
:func:`resolve_figure` picks, deterministically, the first flat specimen (by
name) that fits and returns what a UI or report needs to draw it: for each
panel the specimen, its images, the crop box and the overlays, all in
template pixels.

Examples
--------
>>> from docexam.lessons.format import Figure
>>> resolve_figure(Figure(id="f", kind="crop", caption="c", technique="erasure"), [])["panels"]
[]
"""

from __future__ import annotations

from typing import Iterable

from ..errors import DocexamError
from ..specimens.registry import find_template
from .format import Figure, Lesson
from .quiz_item import images_of, overlay_of

#: margin around an anomaly's box when no zone is known (share of its size)
_MARGIN = 0.5


def _zone_box(template_id: str, zone: str | None, fallback):
    """The bbox of zone ``zone`` (a zone name, else the first zone of that kind)."""
    if zone is None:
        return None
    try:
        tpl = find_template(template_id)
    except DocexamError:  # a figure without its template still shows the anomaly
        return None
    for z in tpl.zones:
        if z.name == zone:
            return list(z.bbox)
    for z in tpl.zones:
        if z.kind == zone:
            return list(z.bbox)
    return fallback


def _padded(bbox) -> list[int]:
    x0, y0, x1, y1 = bbox
    mx, my = int((x1 - x0) * _MARGIN), int((y1 - y0) * _MARGIN)
    return [max(0, x0 - mx), max(0, y0 - my), x1 + mx, y1 + my]


def _matches(figure: Figure, anomaly) -> bool:
    if figure.technique and anomaly.technique != figure.technique:
        return False
    if figure.family and anomaly.family != figure.family:
        return False
    return True


def resolve_figure(figure: Figure, specimens: Iterable) -> dict:
    """What to draw for ``figure``: ``{"id", "kind", "caption", "caption_km", "panels", "missing"}``.

    Each panel is ``{"role": "forged"|"genuine", "specimen", "images", "crop", "overlays"}``.
    ``missing`` says in plain words why a panel could not be filled (no
    matching specimen), so a lesson still renders with an empty library.
    """
    specimens = sorted((s for s in specimens if s.capture_kind == "flat"), key=lambda s: s.name)
    out = {"id": figure.id, "kind": figure.kind, "caption": figure.caption,
           "caption_km": figure.caption_km, "panels": [], "missing": None}
    forged = None
    for spec in specimens:
        if spec.authentic or (figure.template and spec.template != figure.template):
            continue
        hits = [i for i, a in enumerate(spec.anomalies) if _matches(figure, a)]
        if hits:
            forged, index = spec, hits[0]
            break
    if forged is None:
        out["missing"] = "no flat forged specimen matches this figure"
        return out
    anomaly = forged.anomalies[index]
    crop = _zone_box(forged.template, figure.zone or anomaly.zone, None) or _padded(anomaly.bbox)
    overlays = [overlay_of(forged, index)] if figure.overlay else []
    out["panels"].append({"role": "forged", "specimen": forged.name, "images": images_of(forged),
                          "crop": crop, "overlays": overlays})
    if figure.kind == "side-by-side":
        genuine = next((s for s in specimens if s.authentic and s.template == forged.template), None)
        if genuine is None:
            out["missing"] = f"no flat genuine specimen of template {forged.template} to compare with"
        else:
            out["panels"].insert(0, {"role": "genuine", "specimen": genuine.name,
                                     "images": images_of(genuine), "crop": crop, "overlays": []})
    return out


def resolve_figures(lesson: Lesson, specimens: Iterable) -> list[dict]:
    """:func:`resolve_figure` for every figure of ``lesson``, in file order."""
    specimens = list(specimens)
    return [resolve_figure(f, specimens) for f in lesson.figures]
