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
* **The edge of a second paper** (a trainer's template): a photograph
  glued over the portrait is a separate piece of paper, cut by hand and
  never laid exactly where the issuer printed: along the portrait's edge it
  covers a strip of the page around it, casts a thin shadow or shows its
  light cut edge. In a ring just outside the portrait zone the capture must
  look like the reference (lighting divided out, a small smoothing against
  the alignment's residue on fine lines); a long run of differing page
  along the edge is that second paper (:func:`portrait_edge`).
* **Ghost image**: the ghost must show the same face as the main portrait
  (:func:`docexam.examine.faces.likeness`; a trainer's template is held to
  the likeness of its own reference's two portraits), and must be there at
  all. When the two faces differ, one of the two images was replaced: the
  finding is placed on both.
* **The person presenting it**: no picture of the document can tell whether
  the traveller at the counter is its holder. A genuine document presented
  by a look-alike (an impostor) passes every check on the page, so the
  portrait is always listed for the officer to compare with the face in
  front of them (:func:`presenter_check`).
"""

from __future__ import annotations

import cv2
import numpy as np

from ..faces import likeness as face_likeness
from ..model import highpass, luminance
from ...i18n import Message
from ..report import Evidence, Note, Unexamined
from .common import Context, clip_box, zone_label

__all__ = ["portrait_cover", "ghost_check", "crossing_mask", "crossing_design", "portrait_edge",
           "reference_likeness", "analyze_portrait", "presenter_check", "PRESENTER_NEED"]

FAMILY = "personalization"
#: what the portrait's hand check needs: the person presenting the document (an Unexamined's ``needs``)
PRESENTER_NEED = "presenter"
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
#: the ring around the portrait compared for the edge of a glued photograph: from this far outside the zone
#: (the zone is drawn by hand around the printed portrait) out to EDGE_REACH_MM (mm on the document)
EDGE_MARGIN_MM = 0.2
EDGE_REACH_MM = 2.5
#: smoothing of the ring's difference (mm): the alignment's residue on fine design lines averages out, a strip of
#: another paper or its shadow does not
EDGE_SMOOTH_MM = 0.4
#: the page's slow variation (light, a capture's fall-off) left out of the ring's difference, mm
EDGE_TREND_MM = 4.0
#: a ring pixel differs from the reference when its smoothed log luminance departs by more than this
EDGE_CONTRAST = 0.06
#: the longest run of differing page along the portrait's edge (mm) at which the score is 0.5, and its spread.
#: Measured on the 35 genuine captures of the seven real specimens (benchmarks/real_specimens.py): at most
#: 0.8 mm; photographs glued over them: 13 to 54 mm
EDGE_RUN_MM = 5.0
EDGE_RUN_WIDTH = 1.0


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


def portrait_edge(ctx: Context, zone):
    """(longest run of page differing from the reference along the portrait's edge, in mm; its box), or None.

    The ring is :data:`EDGE_MARGIN_MM` to :data:`EDGE_REACH_MM` outside the
    zone, on the document, off other personalization zones (another
    holder's data differs there by right). Within it the capture's log
    luminance minus the blur-matched reference's, its slow trend removed
    and smoothed over :data:`EDGE_SMOOTH_MM`, departs by more than
    :data:`EDGE_CONTRAST` where another paper covers the page or shades it;
    the longest connected run of such pixels is measured along its longer side.
    """
    model = ctx.model
    x0, y0, x1, y1 = model.to_work(zone.bbox)
    h, w = model.lum.shape
    margin, reach = int(round(model.mm(EDGE_MARGIN_MM))), int(round(model.mm(EDGE_REACH_MM)))
    a, b, c, d = max(x0 - reach, 0), max(y0 - reach, 0), min(x1 + reach, w), min(y1 + reach, h)

    def ring_of():
        inner = np.zeros((d - b, c - a), np.uint8)
        inner[max(y0 - b - margin, 0):y1 - b + margin, max(x0 - a - margin, 0):x1 - a + margin] = 1
        ring = (inner == 0) & model.document[b:d, a:c]
        for other in model.template.zones:
            if other.kind in ("field", "mrz", "ghost-portrait") or (other.kind == "portrait" and other is not zone):
                p0, q0, p1, q1 = model.to_work(other.bbox)
                ring[max(q0 - b, 0):max(q1 - b, 0), max(p0 - a, 0):max(p1 - a, 0)] = False
        return ring

    ring = model.cached(("portrait-ring", zone.name), ring_of)
    if ring.sum() < CROSSING_MIN_PX:
        return None
    img = np.log(np.maximum(luminance(ctx.maps.image[b:d, a:c]), 0.02))
    ref = ctx.maps.ref_blurred[b:d, a:c]
    diff = img - np.log(np.maximum(luminance(ref) if ref.ndim == 3 else ref, 0.02))
    weight = ring.astype(np.float32)
    trend_sigma = model.mm(EDGE_TREND_MM)
    trend = cv2.GaussianBlur(diff * weight, (0, 0), trend_sigma) / np.maximum(
        cv2.GaussianBlur(weight, (0, 0), trend_sigma), 1e-3)
    k = max(3, int(round(model.mm(EDGE_SMOOTH_MM))) | 1)
    differs = (np.abs(cv2.blur(diff - trend, (k, k))) > EDGE_CONTRAST) & ring
    n, _, stats, _ = cv2.connectedComponentsWithStats(differs.view(np.uint8), connectivity=8)
    if n < 2:
        return 0.0, list(zone.bbox)
    stats = stats[1:]
    i = int(np.argmax(np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])))
    bx, by, bw, bh = (int(v) for v in stats[i, :4])
    box = model.to_template([a + bx, b + by, a + bx + bw, b + by + bh])
    return max(bw, bh) / model.mm(1.0), box


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
        edge = portrait_edge(ctx, portraits[0])
        if edge is not None:
            run, _ = edge
            # the finding is the portrait's: the strip lies just outside it
            evidence.append(Evidence(
                FAMILY, "photo-substitution", portraits[0].name, list(portraits[0].bbox), run, EDGE_RUN_MM,
                EDGE_RUN_WIDTH, Message("Along the edge of the portrait the page is covered or shaded over "
                                        "{run:.0f} mm: the edge of another photograph glued over the original.",
                                        run=run), check="portrait-edge"))

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


def presenter_check(template) -> list:
    """The hand check no picture can make: the holder's portrait against the person presenting the document.

    One :class:`~docexam.examine.report.Unexamined` for the template's first
    portrait zone (``feature="portrait"``, ``needs="presenter"``), none when
    the side in the picture shows no portrait (a card's back).

    Examples
    --------
    >>> from docexam.specimens.registry import find_template
    >>> [(u.zone, u.needs) for u in presenter_check(find_template("uto-td3"))]
    [('portrait', 'presenter')]
    """
    portraits = template.zones_of("portrait")
    if not portraits:
        return []
    zone = portraits[0]
    return [Unexamined(zone.name, "portrait", list(zone.bbox), PRESENTER_NEED, Message(
        "Compare the {label} with the person in front of you, feature by feature: face shape, eyes, nose, ears, "
        "eyebrows, moles and hairline, which age does not change. Their apparent age and sex must agree with the "
        "date of birth and sex on the document. A genuine document presented by a look-alike passes every check "
        "on the page.", label=zone_label(zone)))]
