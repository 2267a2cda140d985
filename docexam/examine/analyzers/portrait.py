"""The holder's portrait and its ghost image.

* **Design through the portrait** (blank reference): the pre-printed design
  (fine background lines, fibres, overprint) continues *through* a
  genuinely printed portrait, which is ink on the page; a pasted photograph
  covers it. The conformity gain (:mod:`docexam.examine.compare`, log
  domain, so the face itself does not bias it) is measured inside the
  portrait zone; any holder's face passes.
* **Design crossing the portrait** (a trainer's template, whose reference
  shows another holder's face): the design elements that run *across* the
  portrait's edge in the reference (a seal, an overprint, guilloche lines
  printed over the photo) are found in the reference, by their continuing
  from outside the zone into it, and must continue into the portrait of
  the capture as they do outside it; a photograph glued on top interrupts
  them at its edge.
* **Ghost image**: the ghost must show the same face as the main portrait
  (:func:`docexam.examine.faces.likeness`; a trainer's template is held to
  the likeness of its own reference's two portraits), and must be there at
  all. When the two faces differ, one of the two images was replaced: the
  finding is placed on both.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..faces import likeness as face_likeness
from ..model import highpass, luminance
from ...i18n import Message
from ..report import Evidence, Note
from .common import Context, clip_box

__all__ = ["portrait_cover", "ghost_check", "crossing_mask", "crossing_design", "reference_likeness",
           "analyze_portrait"]

FAMILY = "personalization"
#: a genuine ghost and portrait are at least this alike (blank-reference templates; measured on genuine captures)
GHOST_MIN_LIKENESS = 0.8
GHOST_WIDTH = 0.035
#: a trainer's template: the capture's likeness may fall this far below its reference's own
GHOST_MARGIN = 0.12
#: how far around the portrait zone the design is followed, and how deep into it (mm)
CROSSING_REACH_MM = 3.0
CROSSING_DEPTH_MM = 0.8
#: fewest working pixels of crossing design, outside and inside, for the check to mean something
CROSSING_MIN_PX = 60
#: CIELAB units the crossing design's hue may wander inside the portrait, and its lightness fall, beyond the outside's
CROSSING_CHROMA_TOLERANCE = 4.0
CROSSING_DARKER = 30.0


def portrait_cover(ctx: Context):
    """(zone, share of the portrait's design that is covered, box) for a blank-reference template."""
    z = ctx.template.zones_of("portrait")
    if not z:
        return None
    z = z[0]
    ys, xs = ctx.zone_slice(z.name)
    m = ctx.maps
    st = m.structure[ys, xs]
    if st.sum() < 50:
        return None
    g = m.gain[ys, xs]
    low = st & (g < 0.35)
    share = float(low.sum()) / float(st.sum())
    box = list(z.bbox)
    if low.sum() >= 20:
        sm = cv2.morphologyEx(low.astype(np.uint8), cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
        yy, xx = np.nonzero(sm if sm.sum() >= 20 else low)
        b = [int(np.percentile(xx, 1)) + xs.start, int(np.percentile(yy, 1)) + ys.start,
             int(np.percentile(xx, 99)) + 1 + xs.start, int(np.percentile(yy, 99)) + 1 + ys.start]
        box = clip_box(ctx.model.to_template(b), z.bbox)
    return z, share, box


def _personal_print(ctx: Context, name: str) -> np.ndarray:
    """Working-resolution luminance of a zone; on a blank reference, the personalization print alone (1 = no ink)."""
    ys, xs = ctx.zone_slice(name)
    img = luminance(ctx.maps.image[ys, xs])
    if ctx.model.blank_personalization:
        ref = luminance(ctx.maps.ref_blurred[ys, xs])
        return np.clip(img / np.maximum(ref, 0.05), 0, 1.2)
    return np.clip(img, 0, 1)


def reference_likeness(model) -> float | None:
    """The likeness of a real reference's own portrait and ghost image (None for a blank reference or without both)."""
    t = model.template
    if model.blank_personalization or not t.zones_of("portrait") or not t.zones_of("ghost-portrait"):
        return None

    def build():
        def crop(z):
            x0, y0, x1, y1 = model.to_work(z.bbox)
            return luminance(model.work["visible"][y0:y1, x0:x1])

        return face_likeness(crop(t.zones_of("portrait")[0]), crop(t.zones_of("ghost-portrait")[0]))

    return model.cached("ghost-likeness", build)


def _ghost_threshold(ctx: Context) -> float:
    own = reference_likeness(ctx.model)
    return GHOST_MIN_LIKENESS if own is None else min(GHOST_MIN_LIKENESS, own - GHOST_MARGIN)


def ghost_check(ctx: Context):
    """(ghost zone, likeness, ink, threshold) or None when the template has no portrait and ghost."""
    p = ctx.template.zones_of("portrait")
    g = ctx.template.zones_of("ghost-portrait")
    if not p or not g:
        return None
    portrait = _personal_print(ctx, p[0].name)
    ghost = _personal_print(ctx, g[0].name)
    ink = float(np.mean(np.clip(1.0 - ghost, 0, 1))) if ctx.model.blank_personalization else 1.0
    return g[0], face_likeness(portrait, ghost), ink, _ghost_threshold(ctx)


def _in_ink_of(rgb: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """Pixels whose colour lies within that of the design's pixels ``outside`` the portrait.

    An overprint is printed in the design's inks over page and photo alike;
    the photo's own content that happens to touch a crossing line (hair,
    clothing) is in the photo's colours. Lightness may fall lower inside (the
    ink lies over the photo's darker tones), hue may not wander.
    """
    lab = cv2.cvtColor(np.clip(rgb, 0, 1).astype(np.float32), cv2.COLOR_RGB2LAB)
    lo, hi = np.percentile(lab[outside], [2, 98], axis=0)
    tol = CROSSING_CHROMA_TOLERANCE
    return ((lab[..., 0] >= lo[0] - CROSSING_DARKER) & (lab[..., 1] >= lo[1] - tol) & (lab[..., 1] <= hi[1] + tol)
            & (lab[..., 2] >= lo[2] - tol) & (lab[..., 2] <= hi[2] + tol))


def crossing_mask(model, zone):
    """Working-pixel window around the portrait and, in it, the reference's design lines that cross its edge.

    ``((rows, cols), inside, outside)``, or None when too little design crosses the edge.
    """
    def build():
        x0, y0, x1, y1 = model.to_work(zone.bbox)
        reach, depth = int(round(model.mm(CROSSING_REACH_MM))), int(round(model.mm(CROSSING_DEPTH_MM)))
        h, w = model.lum.shape
        a, b, c, d = max(x0 - reach, 0), max(y0 - reach, 0), min(x1 + reach, w), min(y1 + reach, h)
        lum = model.lum[b:d, a:c]
        # printed lines are darker than what is around them (the light side of an edge in the photo is not)
        fine = np.maximum(-highpass(np.log(np.maximum(lum, 0.02))), 0.0)
        lines = fine > max(0.04, float(np.percentile(fine, 90)))
        inside = np.zeros(lines.shape, bool)
        inside[y0 - b + depth:y1 - b - depth, x0 - a + depth:x1 - a - depth] = True
        zone_mask = np.zeros(lines.shape, bool)
        zone_mask[y0 - b:y1 - b, x0 - a:x1 - a] = True
        outside = ~cv2.dilate(zone_mask.view(np.uint8), np.ones((2 * depth + 1,) * 2, np.uint8)).view(bool)
        outside &= model.document[b:d, a:c] & ~model.unknown[b:d, a:c]
        n, lab = cv2.connectedComponents(cv2.dilate(lines.view(np.uint8), np.ones((3, 3), np.uint8)))
        cross_in, cross_out = np.zeros(lines.shape, bool), np.zeros(lines.shape, bool)
        for i in range(1, n):
            comp = (lab == i) & lines
            if (comp & inside).sum() >= 8 and (comp & outside).sum() >= 8:
                cross_in |= comp & inside
                cross_out |= comp & outside
        if cross_out.sum() < CROSSING_MIN_PX:
            return None
        cross_in &= _in_ink_of(model.work["visible"][b:d, a:c], cross_out)
        if cross_in.sum() < CROSSING_MIN_PX:
            return None
        return (slice(b, d), slice(a, c)), cross_in, cross_out

    return model.cached(("crossing", zone.name), build)


def crossing_design(ctx: Context, zone):
    """(ratio, box) of how much of the crossing design continues into the portrait (1 = as outside), or None."""
    found = crossing_mask(ctx.model, zone)
    if found is None:
        return None
    (ys, xs), inside, outside = found
    img = highpass(np.log(np.maximum(luminance(ctx.maps.image[ys, xs]), 0.02)))
    ref = highpass(np.log(np.maximum(luminance(ctx.maps.ref_blurred[ys, xs]), 0.02)))

    def gain(sel):
        a, b = ref[sel], img[sel]
        return float(a @ b) / max(float(a @ a), 1e-9)

    g_out = gain(outside)
    if g_out < 0.2:  # the design around the portrait is not there either: nothing to compare with
        return None
    ratio = gain(inside) / g_out
    yy, xx = np.nonzero(inside)
    box = ctx.model.to_template([xs.start + xx.min(), ys.start + yy.min(), xs.start + xx.max() + 1,
                                 ys.start + yy.max() + 1])
    return ratio, clip_box(box, zone.bbox)


def analyze_portrait(ctx: Context):
    evidence, notes = [], []
    t = ctx.template
    portraits = t.zones_of("portrait")
    if ctx.model.blank_personalization:
        pc = portrait_cover(ctx)
        if pc is not None:
            z, share, box = pc
            evidence.append(Evidence(
                FAMILY, "photo-substitution", z.name, box, share, 0.35, 0.07,
                Message("The security background that is printed through a genuine portrait stops at the edge of "
                        "this photo: a different photograph was pasted over the original (look for its cut edge)."),
                check="portrait-overprint"))
    elif portraits:
        cross = crossing_design(ctx, portraits[0])
        if cross is None:
            notes.append(Note("portrait-overprint", "skipped",
                              Message("No printed design crosses the edge of this template's portrait, so the "
                                      "portrait can only be checked against the ghost image.")))
        else:
            ratio, box = cross
            evidence.append(Evidence(
                FAMILY, "photo-substitution", portraits[0].name, box, 1.0 - ratio, 0.55, 0.08,
                Message("The printed design that runs across the edge of the portrait on a genuine document stops "
                        "at the edge of this photo: a different photograph was glued over the original."),
                check="portrait-overprint"))

    gc = ghost_check(ctx)
    if gc is not None:
        gz, like, ink, threshold = gc
        if ink < 0.02:
            evidence.append(Evidence(FAMILY, "ghost-image-mismatch", gz.name, list(gz.bbox), 1.0 - ink / 0.02 + 0.6,
                                     0.5, 0.1, Message("The ghost portrait is missing: a genuine document repeats "
                                                       "the holder's photo here as a faint secondary image."),
                                     check="ghost"))
        else:
            value = threshold - like + 0.5  # 0.5 at the genuine limit
            evidence.append(Evidence(FAMILY, "ghost-image-mismatch", gz.name, list(gz.bbox), value, 0.5,
                                     GHOST_WIDTH, Message("The ghost portrait does not show the same face as the "
                                                          "main portrait: one of the two images was replaced."),
                                     check="ghost"))
            if portraits:
                evidence.append(Evidence(FAMILY, "photo-substitution", portraits[0].name, list(portraits[0].bbox),
                                         value - 0.02, 0.5, GHOST_WIDTH,
                                         Message("The main portrait does not show the same face as the ghost "
                                                 "portrait: one of the two images was replaced (look for a cut "
                                                 "edge around the photo)."), check="ghost-portrait"))
    return evidence, notes
