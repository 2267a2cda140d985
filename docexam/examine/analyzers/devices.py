"""Security devices that prove themselves in another view: optically variable devices and watermarks.

A kinegram or a colour-shifting ink proves itself when the document is
*tilted* (colours and elements move or switch); a watermark and a security
thread when the page is held *against a lamp*. One straight-on picture shows
neither behaviour. It does show a few things a forger cannot hide:

* **no diffraction colour** (``flat-foil``): a diffractive foil seen in the
  diffuse light of a scanner or a phone splits light into colours; a plain
  metallic foil is grey. The device's chroma is compared with the genuine
  device's, relative to the capture's own colour rendering elsewhere;
* **printed, not diffractive** (``printed-ovd``): the foil's fine grating
  lines are gone (blurred into the ink of a copy) or rebuilt from dots.
  Measured like :mod:`.print_process`, as the fine-band spectral gain of
  crops inside the device over the same of the genuine design around it, at
  the capture's own resolution (where the capture cannot resolve the
  genuine lines, nothing is concluded);
* **a watermark lying on the surface** (``printed-watermark``): a genuine
  watermark is a change of the paper's thickness and is (nearly) invisible
  in reflected light; a printed one shows its picture on the desk. The
  low-pass reflected difference from the reference is regressed on the
  watermark's picture in the template's transmitted-light reference (with a
  plane for uneven lighting): a printed watermark darkens the page where
  the picture is dark.

What one picture cannot show is listed as :class:`~docexam.examine.report.Unexamined`
(the zone, the view it needs and what the officer should do), never judged.
"""

from __future__ import annotations

import cv2
import numpy as np

from ...i18n import Message
from ..model import luminance
from ..report import Evidence, Unexamined
from .common import Context, zone_label
from .print_process import CROP_PX, fine_band, _on_design, _surroundings

__all__ = ["analyze", "advice", "DEVICE_VIEWS", "device_zones", "perspective_ratio"]

#: feature -> the view that proves it (a zone's ``feature`` in ``template.json``)
DEVICE_VIEWS = {"kinegram": "tilt", "colour-shift": "tilt", "hologram": "tilt", "watermark": "transmitted",
                "thread": "transmitted"}


def advice(feature: str, label: str) -> Message:
    """What the officer does to examine a device the picture cannot show (``label``: the zone's name)."""
    if feature == "colour-shift":
        return Message("Tilt the document: the {label} must change colour (for example from gold to green); ink "
                       "that keeps one colour is an imitation.", label=label)
    if feature == "watermark":
        return Message("Hold the page against a lamp: the {label} must show light and dark tones in the paper, and "
                       "be (almost) invisible lying on the desk.", label=label)
    if feature == "thread":
        return Message("Hold the page against a lamp: the {label} must show as a continuous dark line inside the "
                       "paper.", label=label)
    return Message("Tilt the document under a light: the {label} must change colour and its elements move or "
                   "switch; a foil that stays grey or a print that never shines is an imitation.", label=label)


#: devices made of a diffractive foil, with fine grating lines (a colour-shifting ink has none)
DIFFRACTIVE = ("kinegram", "hologram")
#: the device's chroma over the genuine device's (capture colour rendering taken out) below which it has none ...
CHROMA_KEPT = 0.45
#: ... scored on 1 - kept, from this width
CHROMA_WIDTH = 0.06
#: the genuine device must be this colourful (mean max-min RGB of its coloured half) for the colour test
MIN_DEVICE_CHROMA = 0.08
#: crops inside the device keep less than this share of the fine detail the design around them keeps: printed
#: (a genuine foil's grating lines are sharp and strong: it keeps 1.3 to 1.8 of the design's around it)
DETAIL_KEPT = 0.7
DETAIL_WIDTH = 0.06
#: the fine-detail test needs the template's own resolution (a flat capture or a full-resolution scan): a
#: genuine foil's grating, 0.1 to 0.15 mm, is near the limit of a 540 dpi scan, whose blur takes it away
#: (measured: a genuine mrd-td3 scan at 542 dpi kept a third of it)
MIN_DETAIL_SCALE = 0.98
#: the reference's fine-band energy in a crop over the capture's noise there, below which the capture cannot
#: resolve the device's lines (a phone photo of a fine grating)
MIN_RESOLVED = 4.0
#: low-pass scale of the watermark comparison, mm (a watermark's tones are millimetres wide)
WATERMARK_SIGMA_MM = 1.5
#: reflected darkening (relative) per standard deviation of the watermark picture from which it is printed
#: (genuine pages: below 0.0005 in either direction; a faint printed picture: 0.006 to 0.009)
WATERMARK_SHOWS = 0.004
WATERMARK_WIDTH = 0.0008
#: the document's outline in the picture departs from a parallelogram by at most this share (opposite sides'
#: lengths): the picture is straight on, as the genuine device's reference is (a scanner, a phone held flat
#: above). Seen at an angle a genuine kinegram shows other colours, or none where it diffracts away from the lens
STRAIGHT_ON = 1.06
#: pixels darker than the reference by this much are ink over the zone (stamps, text): left out
INK_DROP = 0.08


def device_zones(template) -> list:
    """Zones of ``template`` whose ``feature`` proves itself only in another view (tilt or transmitted light)."""
    return [z for z in template.zones if z.extra.get("feature") in DEVICE_VIEWS]


def perspective_ratio(ctx: Context) -> float:
    """Largest ratio of opposite sides of the document's outline in the picture (1: seen straight on)."""
    ys, xs = np.nonzero(ctx.model.document[::8, ::8])
    if len(xs) == 0:
        return 1.0
    box = ctx.model.to_template([xs.min() * 8, ys.min() * 8, xs.max() * 8 + 8, ys.max() * 8 + 8])
    corners = np.array([[box[0], box[1], 1], [box[2], box[1], 1], [box[2], box[3], 1], [box[0], box[3], 1]], float)
    try:
        q = np.linalg.inv(ctx.homography) @ corners.T
    except np.linalg.LinAlgError:
        return np.inf
    quad = (q[:2] / q[2]).T
    side = np.linalg.norm(np.roll(quad, -1, axis=0) - quad, axis=1)
    return float(max(side[0] / side[2], side[2] / side[0], side[1] / side[3], side[3] / side[1]))


def _chroma(rgb: np.ndarray) -> np.ndarray:
    return rgb.max(axis=2) - rgb.min(axis=2)


def _colour_rendering(ctx: Context, skip: np.ndarray) -> float:
    """The capture's chroma over the reference's on the colourful design outside ``skip`` (a phone mutes colour)."""
    model = ctx.model
    cap, ref = ctx.views.work["visible"][::4, ::4], model.work["visible"][::4, ::4]
    rc = _chroma(ref)
    sel = (rc > 0.06) & model.document[::4, ::4] & ~model.personal[::4, ::4] & ~skip[::4, ::4]
    sel &= ctx.views.covered[::4, ::4]
    if sel.sum() < 50:
        return 1.0
    return float(np.clip(_chroma(cap)[sel].mean() / max(rc[sel].mean(), 1e-6), 0.2, 2.0))


def _diffraction_colour(ctx: Context, zone, rendering: float) -> float | None:
    """The device's chroma over the genuine device's, after the capture's colour rendering (None: not colourful)."""
    model = ctx.model
    x0, y0, x1, y1 = model.to_work(zone.bbox)
    ref = model.work["visible"][y0:y1, x0:x1]
    cap = ctx.views.work["visible"][y0:y1, x0:x1]
    rc = _chroma(ref)
    coloured = rc >= np.quantile(rc, 0.5)
    if rc[coloured].mean() < MIN_DEVICE_CHROMA:
        return None
    return float(_chroma(cap)[coloured].mean() / (rc[coloured].mean() * rendering))


def _fine_detail(ctx: Context, zone) -> tuple[float, float] | None:
    """``(kept, around)``: the device's fine-detail gain over the design's around it; None if not resolvable."""
    if ctx.views.capture_scale < MIN_DETAIL_SCALE:
        return None  # the grating is near the capture's resolution limit: its loss there is the capture's
    s = min(1.0, ctx.views.capture_scale)
    side = CROP_PX / s
    bx = zone.bbox
    if min(bx[2] - bx[0], bx[3] - bx[1]) < side:
        side = min(bx[2] - bx[0], bx[3] - bx[1])
    gains = []
    for fx, fy in ((0.25, 0.5), (0.75, 0.5), (0.5, 0.25), (0.5, 0.75)):
        cx, cy = bx[0] + fx * (bx[2] - bx[0]), bx[1] + fy * (bx[3] - bx[1])
        c = fine_band(ctx, [cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2])
        if c is not None and c.resolved >= MIN_RESOLVED:
            gains.append(c.gain)
    if len(gains) < 2:
        return None
    around = _surroundings(ctx, bx, crop_px=CROP_PX)
    if around is None or around.gain <= 1e-6:
        return None
    return float(np.median(gains) / around.gain), float(around.gain)


def _watermark_shows(ctx: Context, zone) -> float | None:
    """Reflected darkening per unit of the watermark picture's contrast (None: no transmitted reference)."""
    model = ctx.model
    if "transmitted" not in model.work:
        return None
    x0, y0, x1, y1 = model.to_work(zone.bbox)
    if ctx.views.covered[y0:y1, x0:x1].mean() < 0.9:
        return None
    cap = luminance(ctx.views.work["visible"][y0:y1, x0:x1])
    ref = luminance(model.work["visible"][y0:y1, x0:x1])
    wm = luminance(model.work["transmitted"][y0:y1, x0:x1])
    ratio = cap / np.maximum(ref, 0.05)
    # ink over the zone (stamps, text, a signature) is not the paper: leave it out, with a margin
    med = float(np.median(ratio))
    ink = (ratio < med - INK_DROP / max(float(np.median(ref)), 0.05)) | ctx.maps.ink[y0:y1, x0:x1]
    r = max(1, int(round(model.mm(0.6))))
    keep = ~cv2.dilate(ink.astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8)).astype(bool)
    keep &= ref > 0.3
    if keep.mean() < 0.25:
        return None
    sigma = model.mm(WATERMARK_SIGMA_MM)
    w = keep.astype(np.float32)
    den = cv2.GaussianBlur(w, (0, 0), sigma)
    low = cv2.GaussianBlur((ratio * w).astype(np.float32), (0, 0), sigma) / np.maximum(den, 1e-3)
    pic = cv2.GaussianBlur(wm, (0, 0), sigma)
    sel = den > 0.5
    if sel.sum() < 100:
        return None
    picture = pic[sel] - pic[sel].mean()
    spread = float(picture.std())
    if spread < 0.01:
        return None  # the reference shows no watermark picture here
    yy, xx = np.nonzero(sel)
    design = np.column_stack([np.ones(len(yy)), xx / max(x1 - x0, 1), yy / max(y1 - y0, 1), picture / spread])
    coef, *_ = np.linalg.lstsq(design, low[sel] / max(float(np.median(low[sel])), 1e-3), rcond=None)
    return float(coef[3])  # darker where the picture is darker: positive


def analyze(ctx: Context):
    """``(evidence, notes, unexamined)`` for the template's devices on this picture (see the module docstring)."""
    evidence, notes, unexamined = [], [], []
    zones = device_zones(ctx.template)
    if not zones:
        return evidence, notes, unexamined
    model = ctx.model
    skip = np.zeros_like(model.document)
    for z in zones:
        x0, y0, x1, y1 = model.to_work(z.bbox)
        skip[y0:y1, x0:x1] = True
    rendering = None
    # seen at an angle, a device's look is not the straight-on reference's: what differs is not evidence
    straight = perspective_ratio(ctx) <= STRAIGHT_ON
    prefix = "device-" if straight else "angled-device-"
    for zone in zones:
        feature, label = zone.extra["feature"], zone_label(zone)
        needs = DEVICE_VIEWS[feature]
        x0, y0, x1, y1 = model.to_work(zone.bbox)
        if ctx.views.covered[y0:y1, x0:x1].mean() < 0.5:
            continue  # not on this picture
        unexamined.append(Unexamined(zone.name, feature, list(zone.bbox), needs, advice(feature, label)))
        if needs == "tilt":
            if rendering is None:
                rendering = _colour_rendering(ctx, skip)
            kept = _diffraction_colour(ctx, zone, rendering)
            if kept is not None:
                evidence.append(Evidence(
                    "printing", "flat-foil", zone.name, list(zone.bbox), 1.0 - kept, 1.0 - CHROMA_KEPT, CHROMA_WIDTH,
                    Message("The {label} shows no diffraction colours: {kept} per cent of the genuine device's colour, "
                            "where a diffractive foil splits the light into colours even in a scanner. It is a plain "
                            "metallic foil or grey print.", label=label, kept=int(round(100 * max(kept, 0)))),
                    check=prefix + "colour"))
            # grating lines belong to a diffractive foil (an ink has none); a foil without colour has none
            # either: one finding says it
            detail = _fine_detail(ctx, zone) if feature in DIFFRACTIVE and (kept is None or kept >= CHROMA_KEPT) \
                else None
            if detail is not None:
                evidence.append(Evidence(
                    "printing", "printed-ovd", zone.name, list(zone.bbox), 1.0 - detail[0], 1.0 - DETAIL_KEPT,
                    DETAIL_WIDTH,
                    Message("Under magnification the fine lines of the {label} are gone: it keeps {kept} per cent of "
                            "the genuine device's fine detail, where the print around it keeps all of it. It is "
                            "printed in ink, not a diffractive foil.", label=label,
                            kept=int(round(100 * max(detail[0], 0)))),
                    check=prefix + "detail"))
        elif feature == "watermark":
            shows = _watermark_shows(ctx, zone)
            if shows is not None:
                evidence.append(Evidence(
                    "substrate", "printed-watermark", zone.name, list(zone.bbox), shows, WATERMARK_SHOWS,
                    WATERMARK_WIDTH,
                    Message("The {label} can be seen lying on the desk: its picture darkens the page in reflected "
                            "light, where a genuine watermark is inside the paper and shows only against a lamp. "
                            "It is printed on the surface.", label=label), check="device-watermark"))
    return evidence, notes, unexamined
