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
  strength of the watermark picture's tones in the template's
  transmitted-light reference (with a plane for uneven lighting), in each
  quarter of the zone: ink only darkens, so a printed watermark darkens the
  page wherever its picture has a tone, all over it.

Given the view that proves a device, the device is judged in it:

* **tilt pictures** (:mod:`docexam.examine.tilt`): a genuine diffractive
  foil or colour-shifting ink changes colour from one tilt to the next; a
  plain metallic foil (grey, ``flat-foil``) or a printed imitation (the same
  colours in every picture, ``printed-ovd``) does not;
* **transmitted light** (the page against a lamp, same framing as the
  straight-on picture): a genuine watermark is thinner and thicker paper,
  so it shows *light and dark* tones against the lamp; a watermark printed
  on the surface only takes light away: its light tones are missing
  (``printed-watermark``), and with no watermark at all its dark tones are
  missing too. A security thread is a dark line against the lamp.

What the pictures given cannot show is listed as :class:`~docexam.examine.report.Unexamined`
(the zone, the view it needs and what the officer should do), never judged.
"""

from __future__ import annotations

import cv2
import numpy as np

from ...i18n import Message
from ..model import luminance
from ..report import Evidence, Note, Unexamined
from ..tilt import MIN_TILT_VIEWS, tilt_change
from .common import Context, zone_label
from .print_process import CROP_PX, fine_band, _on_design, _surroundings

__all__ = ["analyze", "advice", "DEVICE_VIEWS", "device_zones", "tilt_zones", "perspective_ratio", "transmission"]

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
#: reflected darkening (relative) per standard deviation of the watermark picture's tone from which it is printed
#: (:func:`_watermark_shows`). Measured: genuine uto-td3 and uto-visa pages, flat, scan and phone, visa pages
#: with stamps over the watermark among them: -0.004 to 0.0008; printed pictures, severity 0.1 to 0.5, flat,
#: scan and phone: 0.0031 to 0.0063
WATERMARK_SHOWS = 0.002
WATERMARK_WIDTH = 0.0004
#: the document's outline in the picture departs from a parallelogram by at most this share (opposite sides'
#: lengths): the picture is straight on, as the genuine device's reference is (a scanner, a phone held flat
#: above). Seen at an angle a genuine kinegram shows other colours, or none where it diffracts away from the lens
STRAIGHT_ON = 1.06
#: pixels darker than the reference by this much are ink over the zone (stamps, text): left out
INK_DROP = 0.08
#: across the tilt pictures a device's colour (chromaticity) changes by less than this (mean per pixel of the
#: largest difference between two pictures): it does not change. Measured on the library's tilt views: genuine
#: kinegrams 0.45 to 0.48, genuine colour-shifting inks 0.19 to 0.29; a flat foil 0.005, a printed imitation 0.003
TILT_COLOUR_CHANGE = 0.06
TILT_COLOUR_WIDTH = 0.012
#: a device that does not change and keeps less than this of the genuine device's chroma is a grey foil (flat
#: foil 0.4 of it, printed imitation 1.2: the straight-on colours printed)
TILT_CHROMA_KEPT = 0.7
#: low-pass scale of the transmitted-light comparison, mm (the picture's rays and wave are millimetres wide)
TRANSMITTED_SIGMA_MM = 0.5
#: a watermark's light (dark) tones: where the reference against the lamp is this much lighter (darker) than the
#: paper's level around them; the paper's level: within NEUTRAL of it
TONE = 0.06
NEUTRAL = 0.02
#: share of the genuine watermark's light tones kept against the lamp below which they are missing. Measured:
#: genuine uto-td3 and uto-visa pages (flat, scan, phone) 0.92 to 1.03; a printed watermark -0.14 (the ink only
#: darkens)
LIGHT_KEPT = 0.4
LIGHT_WIDTH = 0.08
#: share of the dark tones kept above which the watermark's picture is there (printed); below, there is none
#: (genuine 0.93 to 1.02; printed 0.46)
DARK_KEPT = 0.25
#: share of the thread's darkness against the lamp kept below which the thread is missing
THREAD_KEPT = 0.35
THREAD_WIDTH = 0.08
#: the zone's pixels usable against the lamp (not under ink or an opaque sticker), at least
MIN_TRANSMITTED_SHARE = 0.15


def device_zones(template) -> list:
    """Zones of ``template`` whose ``feature`` proves itself only in another view (tilt or transmitted light)."""
    return [z for z in template.zones if z.extra.get("feature") in DEVICE_VIEWS]


def tilt_zones(template) -> list:
    """Zones of ``template`` whose device proves itself when tilted."""
    return [z for z in device_zones(template) if DEVICE_VIEWS[z.extra["feature"]] == "tilt"]


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
    """Reflected darkening per unit of the watermark picture's tone, the median of the zone's quarters.

    Ink on the surface only darkens: a watermark printed on the page
    darkens it wherever its picture has a tone, light or dark (the forger
    cannot print thinner paper). So the low-pass reflected ratio to the
    reference is regressed, with a plane for uneven lighting, on the
    *magnitude* of the picture's tone in the template's transmitted-light
    reference; positive is darker. A print covers the whole zone alike; a
    stamp or a signature over part of it (left out as ink, but for its
    faint fringes) moves one quarter: the median of the four quarters'
    coefficients is the measure. None without a transmitted reference.
    """
    model = ctx.model
    if "transmitted" not in model.work:
        return None
    x0, y0, x1, y1 = model.to_work(zone.bbox)
    if ctx.views.covered[y0:y1, x0:x1].mean() < 0.9:
        return None
    cap = luminance(ctx.views.work["visible"][y0:y1, x0:x1])
    sigma = model.mm(WATERMARK_SIGMA_MM)
    # the reference's side, once per template: its luminance and the watermark picture's low-pass tones
    ref, pic = model.cached(("watermark-reference", zone.name), lambda: (
        luminance(model.work["visible"][y0:y1, x0:x1]),
        _low_pass(luminance(model.work["transmitted"][y0:y1, x0:x1]), sigma)))
    ratio = cap / np.maximum(ref, 0.05)
    keep = _paper_keep(ctx, slice(y0, y1), slice(x0, x1), ref=ref)
    if keep.mean() < 0.25:
        return None
    w = keep.astype(np.float32)
    den = _low_pass(w, sigma)
    low = _low_pass(ratio * w, sigma) / np.maximum(den, 1e-3)
    sel = den > 0.5
    if sel.sum() < 400:
        return None
    tone = np.abs(pic - np.median(pic[sel]))
    spread = float(tone[sel].std())
    if spread < 0.01:
        return None  # the reference shows no watermark picture here
    level = max(float(np.median(low[sel])), 1e-3)
    h, w_ = sel.shape
    gy, gx = np.mgrid[0:h, 0:w_]
    coefs = []
    for part in ((slice(0, h // 2), slice(0, w_ // 2)), (slice(0, h // 2), slice(w_ // 2, w_)),
                 (slice(h // 2, h), slice(0, w_ // 2)), (slice(h // 2, h), slice(w_ // 2, w_))):
        s = sel[part]
        if s.sum() < 100 or tone[part][s].std() < 0.25 * spread:
            continue
        design = np.column_stack([np.ones(int(s.sum())), gx[part][s] / w_, gy[part][s] / h, tone[part][s] / spread])
        coef, *_ = np.linalg.lstsq(design, low[part][s] / level, rcond=None)
        coefs.append(-float(coef[3]))  # darker where the tone is stronger: positive
    return float(np.median(coefs)) if len(coefs) >= 3 else None


def _low_pass(x: np.ndarray, sigma: float, *, step: int = 4) -> np.ndarray:
    """A Gaussian low-pass of ``x`` at ``sigma`` pixels, computed on a ``step`` times coarser grid.

    A low-pass that wide (millimetres) has nothing left at the fine grid's
    scale: the area average over ``step`` pixels, the Gaussian for the rest
    of ``sigma`` and a bilinear resize back give the same tones within a
    fraction of a per cent, at a small share of a full-resolution kernel's
    cost (its taps grow with ``sigma``). Narrow ones are blurred as they are.
    """
    h, w = x.shape[:2]
    if sigma < 4 * step or min(h, w) < 4 * step:
        return cv2.GaussianBlur(x, (0, 0), sigma)
    # mirrored beyond the edges as the full-resolution blur does (OpenCV's default border), to whole blocks
    p = step * int(np.ceil(3 * sigma / step))
    padded = cv2.copyMakeBorder(x, p, p + (-h) % step, p, p + (-w) % step, cv2.BORDER_REFLECT_101)
    ph, pw = padded.shape[:2]
    small = cv2.resize(padded, (pw // step, ph // step), interpolation=cv2.INTER_AREA)
    # the area average and the bilinear resize back each spread a tone by about step^2 / 12 (variance)
    rest = float(np.sqrt(max(sigma ** 2 - step ** 2 / 6.0, 0.0))) / step
    out = cv2.resize(cv2.GaussianBlur(small, (0, 0), rest), (pw, ph), interpolation=cv2.INTER_LINEAR)
    return out[p:p + h, p:p + w]


def _paper_keep(ctx: Context, ys, xs, *, ref: np.ndarray | None = None) -> np.ndarray:
    """Pixels of a zone showing bare paper in reflection (no ink over it, margin included).

    ``ref`` is the reference's luminance there, when the caller has it.
    """
    model = ctx.model
    cap = luminance(ctx.views.work["visible"][ys, xs])
    ref = luminance(model.work["visible"][ys, xs]) if ref is None else ref
    ratio = cap / np.maximum(ref, 0.05)
    cov = ctx.views.covered[ys, xs]
    med = float(np.median(ratio[cov])) if cov.any() else 1.0
    ink = (ratio < med - INK_DROP / max(float(np.median(ref)), 0.05)) | ctx.maps.ink[ys, xs]
    r = max(1, int(round(model.mm(0.6))))
    keep = ~cv2.dilate(ink.astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8)).astype(bool)
    return keep & cov & (ref > 0.3)


def transmission(ctx: Context, zone) -> tuple[float, float] | None:
    """``(light_kept, dark_kept)``: the genuine watermark's light and dark tones against the lamp, kept in the capture.

    Each is the capture's tone (mean over the tone's pixels less the
    paper's level, both relative to the zone's median, after a plane for
    the lamp's uneven light) over the reference's. None without a
    transmitted picture or reference, or when too little bare paper shows.
    """
    model = ctx.model
    if "transmitted" not in ctx.views.work or "transmitted" not in model.work:
        return None
    x0, y0, x1, y1 = model.to_work(zone.bbox)
    ys, xs = slice(y0, y1), slice(x0, x1)
    cap = luminance(ctx.views.work["transmitted"][ys, xs])
    ref = luminance(model.work["transmitted"][ys, xs])
    keep = _paper_keep(ctx, ys, xs)
    if keep.mean() < MIN_TRANSMITTED_SHARE:
        return None
    through = cap / np.maximum(ref, 0.02)
    keep &= through > 0.5 * float(np.median(through[keep]))      # an opaque sticker passes nothing
    w = keep.astype(np.float32)
    sigma = model.mm(TRANSMITTED_SIGMA_MM)
    den = cv2.GaussianBlur(w, (0, 0), sigma)
    sel = keep & (den > 0.5)
    if sel.mean() < MIN_TRANSMITTED_SHARE:
        return None
    c = cv2.GaussianBlur(cap * w, (0, 0), sigma) / np.maximum(den, 1e-3)
    r = cv2.GaussianBlur(ref * w, (0, 0), sigma) / np.maximum(den, 1e-3)
    yy, xx = np.nonzero(sel)
    plane = np.column_stack([np.ones(len(yy)), xx / max(x1 - x0, 1), yy / max(y1 - y0, 1)])
    coef, *_ = np.linalg.lstsq(plane, c[sel] / np.maximum(r[sel], 1e-3), rcond=None)
    gy, gx = np.mgrid[0:y1 - y0, 0:x1 - x0]
    c = c / np.maximum(coef[0] + coef[1] * gx / max(x1 - x0, 1) + coef[2] * gy / max(y1 - y0, 1), 1e-3)
    rel_r, rel_c = r / np.median(r[sel]), c / np.median(c[sel])
    light, dark = sel & (rel_r > 1 + TONE), sel & (rel_r < 1 - TONE)
    neutral = sel & (np.abs(rel_r - 1) < NEUTRAL)
    if min(light.sum(), dark.sum(), neutral.sum()) < 50:
        return None  # the reference shows no watermark picture on the paper left
    base_r, base_c = rel_r[neutral].mean(), rel_c[neutral].mean()
    light_kept = (rel_c[light].mean() - base_c) / (rel_r[light].mean() - base_r)
    dark_kept = (base_c - rel_c[dark].mean()) / (base_r - rel_r[dark].mean())
    return float(light_kept), float(dark_kept)


def thread_kept(ctx: Context, zone) -> float | None:
    """The security thread's darkness against the lamp (relative to the paper beside it) over the reference's."""
    model = ctx.model
    if "transmitted" not in ctx.views.work or "transmitted" not in model.work:
        return None
    x0, y0, x1, y1 = model.to_work(zone.bbox)
    pad = max(x1 - x0, y1 - y0) if (y1 - y0) < (x1 - x0) else max(1, 2 * (x1 - x0))
    vertical = (y1 - y0) >= (x1 - x0)
    W, H = model.size
    if vertical:
        outer = (slice(y0, y1), slice(max(0, x0 - pad), min(W, x1 + pad)))
    else:
        outer = (slice(max(0, y0 - pad), min(H, y1 + pad)), slice(x0, x1))
    cap = luminance(ctx.views.work["transmitted"][outer])
    ref = luminance(model.work["transmitted"][outer])
    keep = _paper_keep(ctx, *outer)
    inside = np.zeros_like(keep)
    if vertical:
        inside[:, x0 - outer[1].start:x1 - outer[1].start] = True
    else:
        inside[y0 - outer[0].start:y1 - outer[0].start, :] = True
    beside = keep & ~inside
    inside &= ctx.views.covered[outer]
    if inside.sum() < 50 or beside.sum() < 50:
        return None
    ref_dark = 1 - np.median(ref[inside]) / max(float(np.median(ref[beside])), 1e-3)
    if ref_dark < 0.1:
        return None
    return float((1 - np.median(cap[inside]) / max(float(np.median(cap[beside])), 1e-3)) / ref_dark)


def _tilt_evidence(zone, label: str, change) -> Evidence:
    """The device judged across the tilt pictures: genuine when its colour changes."""
    if change.chroma_kept < TILT_CHROMA_KEPT:
        technique = "flat-foil"
        msg = Message("In the {n} tilt pictures the {label} stays the same plain grey: its colour changes by "
                      "{change} per cent, where a genuine device changes colour at every angle. It is a plain "
                      "metallic foil.", n=change.views, label=label, change=int(round(100 * change.colour_change)))
    else:
        technique = "printed-ovd"
        msg = Message("In the {n} tilt pictures the {label} keeps the same colours: its colour changes by "
                      "{change} per cent, where a genuine device changes colour at every angle. It is printed in "
                      "ink.", n=change.views, label=label, change=int(round(100 * change.colour_change)))
    return Evidence("printing", technique, zone.name, list(zone.bbox), -change.colour_change, -TILT_COLOUR_CHANGE,
                    TILT_COLOUR_WIDTH, msg, check="device-tilt")


def _transmitted_evidence(ctx: Context, zone, label: str) -> Evidence | None:
    """A watermark or thread judged against the lamp (None: no transmitted picture, or nothing to judge)."""
    feature = zone.extra["feature"]
    if feature == "thread":
        kept = thread_kept(ctx, zone)
        if kept is None:
            return None
        return Evidence("substrate", None, zone.name, list(zone.bbox), 1.0 - kept, 1.0 - THREAD_KEPT, THREAD_WIDTH,
                        Message("Against the lamp the {label} is missing: {kept} per cent of the genuine thread's "
                                "dark line shows. The paper is not the genuine security paper.", label=label,
                                kept=int(round(100 * max(kept, 0)))), check="device-transmitted")
    tones = transmission(ctx, zone)
    if tones is None:
        return None
    light, dark = tones
    if dark >= DARK_KEPT:
        technique = "printed-watermark"
        msg = Message("Against the lamp the {label} is only darker: {kept} per cent of the genuine watermark's "
                      "light tones show, where thinner paper lets more light through. It is printed on the "
                      "surface.", label=label, kept=int(round(100 * max(light, 0))))
    else:
        technique = None
        msg = Message("Against the lamp the {label} is missing: neither its light nor its dark tones show. The "
                      "paper is not the genuine security paper.", label=label)
    return Evidence("substrate", technique, zone.name, list(zone.bbox), 1.0 - light, 1.0 - LIGHT_KEPT, LIGHT_WIDTH,
                    msg, check="device-transmitted")


def analyze(ctx: Context, tilt=()):
    """``(evidence, notes, unexamined)`` for the template's devices on this picture (see the module docstring).

    ``tilt`` holds the tilt pictures aligned with the devices
    (:func:`docexam.examine.tilt.align_tilt_views`); a transmitted-light
    picture is ``ctx.views.work["transmitted"]``.
    """
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
        if needs == "tilt":
            change = tilt_change(tilt, model, zone) if tilt else None
            if change is not None:
                evidence.append(_tilt_evidence(zone, label, change))
            else:
                unexamined.append(Unexamined(zone.name, feature, list(zone.bbox), needs, advice(feature, label)))
                if tilt:
                    notes.append(Note("devices", "inconclusive", Message(
                        "Fewer than {n} of the tilt pictures show the {label} well enough to judge it.",
                        n=MIN_TILT_VIEWS, label=label)))
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
            continue
        # against the lamp, the view that proves a watermark or thread, when given
        judged = _transmitted_evidence(ctx, zone, label)
        if judged is not None:
            evidence.append(judged)
            continue
        unexamined.append(Unexamined(zone.name, feature, list(zone.bbox), needs, advice(feature, label)))
        if feature == "watermark":
            shows = _watermark_shows(ctx, zone)
            if shows is not None:
                evidence.append(Evidence(
                    "substrate", "printed-watermark", zone.name, list(zone.bbox), shows, WATERMARK_SHOWS,
                    WATERMARK_WIDTH,
                    Message("The {label} can be seen lying on the desk: its picture darkens the page in reflected "
                            "light, where a genuine watermark is inside the paper and shows only against a lamp. "
                            "It is printed on the surface.", label=label), check="device-watermark"))
    return evidence, notes, unexamined
