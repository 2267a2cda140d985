"""Substrate: the paper or card body itself.

Checks, and what genuine variation each one tolerates:

* **UV fluorescence** of the page (when a UV image is given): security paper
  stays dull under UV, office paper with optical brighteners glows
  blue-white. Measured as the paper's UV brightness relative to the
  reference's, with room for the capture's UV gain.
* **Security fibres** (visible light, :func:`fibre_presence`): the coloured
  fibres of the reference must show at the same places. Not used in the
  verdict yet: on the shipped templates it did not separate office paper from
  security paper reliably enough (see the README's benchmark notes).
* **Local disturbance** in each data field's background (erasure, glued
  patch): the fine design under the entry must still be there with the page's
  contrast (conformity gain, see :mod:`docexam.examine.compare`), in the
  page's colour, and, under UV, not glow. The holder's text is masked out.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..model import luminance
from ...i18n import Message
from ..report import Evidence, Note
from .common import Context, clip_box, zone_label as _label

FAMILY = "substrate"


def _field_background(ctx: Context, name: str):
    """Working-pixel selection of a field's background: design structure, away from ink."""
    key = ("field-bg", name)
    if key in ctx.cache:
        return ctx.cache[key]
    ys, xs = ctx.zone_slice(name)
    m = ctx.maps
    near_ink = cv2.dilate(m.ink[ys, xs].astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    sel = m.structure[ys, xs] & ~near_ink
    ctx.cache[key] = (ys, xs, sel)
    return ys, xs, sel


def field_disturbance(ctx: Context, name: str) -> dict:
    """Measurements of one field zone's background (shared with the personalization analyzer)."""
    key = ("field-dist", name)
    if key in ctx.cache:
        return ctx.cache[key]
    ys, xs, sel = _field_background(ctx, name)
    m = ctx.maps
    out = {"n": int(sel.sum()), "fade": 0.0, "brighter": 0.0, "tint": 0.0, "uv": 0.0, "box": None,
           "rough": 0.0}
    if out["n"] >= 30:
        gain = m.gain[ys, xs][sel]
        # relative to the design just around the field: a highlight or blur of
        # the capture fades both, an erasure or patch only the field
        rys, rxs, ring = _ring(ctx, name)
        around = float(np.median(m.gain[rys, rxs][ring])) if ring.sum() >= 30 else 1.0
        out["fade"] = float(min(around, 1.0) - np.median(gain))
        # the colour map is smooth (a 4x coarser grid): every 4th pixel is plenty
        sparse = sel[2::4, 2::4]
        col = m.colour(ys, xs, step=4)[sparse] if sparse.sum() >= 20 else m.colour(ys, xs)[sel]
        out["brighter"] = float(np.median(col.mean(axis=1)))
        out["tint"] = float(np.linalg.norm(np.median(col - col.mean(axis=1, keepdims=True), axis=0)))
        out["rough"] = float(np.log(max(np.median(m.excess[ys, xs][sel]), 1e-3)))
        # where the disturbance is: windows of low gain, as a box
        low = np.zeros(sel.shape, bool)
        low[sel] = gain < 0.55
        if low.sum() >= 10:
            yy, xx = np.nonzero(low)
            x0 = int(np.percentile(xx, 2)); x1 = int(np.percentile(xx, 98)) + 1
            y0 = int(np.percentile(yy, 2)); y1 = int(np.percentile(yy, 98)) + 1
            out["box"] = ctx.model.to_template([x0 + xs.start, y0 + ys.start, x1 + xs.start, y1 + ys.start])
    uv = uv_ratio_map(ctx)
    if uv is not None:
        zone = uv[ys, xs]
        out["uv"] = float(np.percentile(zone, 75))
    ctx.cache[key] = out
    return out


def _ring(ctx: Context, name: str, margin: int = 28):
    """Design structure around a zone (not in any personalization zone): (rows, cols, mask in that window)."""
    model = ctx.model

    def build():
        x0, y0, x1, y1 = model.to_work(ctx.template.zone(name).bbox)
        h, w = model.lum.shape
        ys = slice(max(y0 - margin, 0), min(y1 + margin, h))
        xs = slice(max(x0 - margin, 0), min(x1 + margin, w))
        m = np.ones((ys.stop - ys.start, xs.stop - xs.start), bool)
        m[y0 - ys.start:y1 - ys.start, x0 - xs.start:x1 - xs.start] = False
        return ys, xs, m & ~model.personal[ys, xs] & model.document[ys, xs]

    ys, xs, m = model.cached(("ring", name, margin), build)
    return ys, xs, m & ctx.maps.structure[ys, xs]


def uv_ratio_map(ctx: Context):
    """Image UV / reference UV, smoothed and divided by its page median (None without UV)."""
    if "uv-ratio" in ctx.cache:
        return ctx.cache["uv-ratio"]
    out = None
    if "uv" in ctx.views.work and "uv" in ctx.model.work:
        img = luminance(ctx.views.work["uv"])
        ref = luminance(ctx.model.work["uv"])
        img = cv2.GaussianBlur(img, (0, 0), 3.0)
        ref = cv2.GaussianBlur(ref, (0, 0), 3.0)
        ratio = (img + 0.02) / (ref + 0.02)
        doc = ctx.model.document & ~ctx.model.personal
        med = float(np.median(ratio[doc])) if doc.any() else 1.0
        out = ratio / max(med, 1e-3)
    ctx.cache["uv-ratio"] = out
    return out


def uv_page_glow(ctx: Context):
    """Median UV brightness of the bare paper relative to the reference's (None without UV)."""
    if "uv" not in ctx.views.work or "uv" not in ctx.model.work:
        return None
    model = ctx.model

    def bare_paper():
        ref = luminance(model.work["uv"])
        doc = model.document & ~model.personal
        # bare paper: the dull majority of the page (below its median glow)
        return doc & (ref <= np.median(ref[doc]))

    sel = model.cached("uv-paper-sel", bare_paper) & ctx.views.covered
    if sel.sum() < 100:
        return None
    img = luminance(ctx.views.work["uv"])[sel]
    ref = luminance(model.work["uv"])[sel]
    return float(np.median(img) + 0.01) / float(np.median(ref) + 0.01)


def fibre_presence(ctx: Context):
    """Regression of image chroma on reference chroma at the reference's fibre pixels (1 = all there)."""
    model, m = ctx.model, ctx.maps
    sel = model.fibres & ctx.views.covered
    if sel.sum() < 40:
        return None
    def chroma_dev(rgb):
        local = cv2.GaussianBlur(rgb, (0, 0), 4.0)
        dev = rgb - local
        return dev - dev.mean(axis=2, keepdims=True)
    ys, xs = np.nonzero(sel)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    a = chroma_dev(m.ref_blurred[y0:y1, x0:x1])[sel[y0:y1, x0:x1]]
    b = chroma_dev(m.image[y0:y1, x0:x1])[sel[y0:y1, x0:x1]]
    den = float((a * a).sum())
    return float((a * b).sum()) / den if den > 1e-9 else None


def analyze(ctx: Context):
    evidence, notes = [], []
    t = ctx.template
    background = [z for z in t.zones if z.kind == "background"]
    page_zone = background[0] if background else None
    page_box = list(page_zone.bbox) if page_zone else [0, 0, t.width, t.height]
    page_name = page_zone.name if page_zone else "document"

    glow = uv_page_glow(ctx)
    if glow is not None:
        evidence.append(Evidence(
            FAMILY, "wrong-substrate", page_name, page_box, glow, 1.4, 0.1,
            Message("Under UV light the paper glows much brighter than genuine security paper, which stays dull: "
                    "the document is printed on ordinary paper with optical brighteners."), check="uv-paper"))
    elif t.synthetic:
        notes.append(Note("uv-paper", "skipped",
                          Message("No UV image given: the paper's UV fluorescence was not checked.")))

    if not ctx.model.blank_personalization:
        # a trainer's reference shows another holder's entries in the fields:
        # the background under them cannot be compared pixel for pixel
        if t.zones_of("field"):
            notes.append(Note("field-background", "info",
                              Message("This template's reference shows another holder's data: the background "
                                      "of the fields is compared only around both holders' characters.")))
        return evidence, notes
    for z in t.zones_of("field"):
        d = field_disturbance(ctx, z.name)
        if d["n"] < 30:
            continue
        box = clip_box(d["box"], z.bbox) if d["box"] else list(z.bbox)
        label = _label(z)
        # erasure: the background is faded towards bare paper, roughened, glows in UV
        uv = max(d["uv"] - 1.2, 0.0)
        fade = d["fade"]
        value = fade + 0.8 * uv + 8.0 * d["tint"]
        technique = "substrate-patch" if d["brighter"] < -0.004 else "erasure"
        if technique == "erasure":
            msg = Message("The fine background print under the {label} is faded or missing and the paper there "
                          "is lighter and glows under UV: the entry was probably erased and written again."
                          if uv > 0.3 else
                          "The fine background print under the {label} is faded or missing and the paper there "
                          "is lighter: the entry was probably erased and written again.", label=label)
        else:
            msg = Message("The background print under the {label} is blurred or interrupted and its tint differs "
                          "from the surrounding page: a piece of foreign paper may have been glued over the entry.",
                          label=label)
        evidence.append(Evidence(FAMILY, technique, z.name, box, value, 0.75, 0.08, msg, check="field-background"))
    return evidence, notes
