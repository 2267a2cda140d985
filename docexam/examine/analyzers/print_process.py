"""Local printing process: a place of the design printed by another process than the genuine one.

A security design is printed once, by offset or intaglio, as continuous
lines. A forger who reprints a patch of it (a colour copier's or laser
printer's screen, an inkjet's dither, a reprint from a low-resolution
copy) rebuilds those lines from dots, or from a blurred copy of them.

The test compares *power spectra* of a small crop of the capture, at the
capture's own resolution, with the same crop of the template's reference
blurred like the capture. A power spectrum does not change when the print
shifts by a fraction of a millimetre (print-to-print registration, a
slightly wrong alignment), so the genuine reference's spectrum predicts the
capture's up to one gain (the capture's contrast and sharpness):

* ``excess``: the share of the crop's fine-band energy that the
  reference's spectrum does not explain at that gain. Capture noise and
  JPEG give a little (measured around the place, on the same capture);
  the dots of a screen or dither, toner scatter and a copy's artefacts
  give much more. Ink lifted by a solvent leaves the design's lines, only
  fainter: the gain drops, the excess does not rise much;
* ``gain``: the capture's fine-band energy over the reference's where the
  design dominates, relative to the same around the place: a reprint from
  a copy that lost resolution keeps little of the finest lines.

The step examines the places the design comparison
(:mod:`docexam.examine.analyzers.design`) found, and those it found too weak
to report: a place whose spectrum departs from the genuine design's far
more than the capture's own around it was reprinted, and is reported as
``printing`` (a washed place whose lines are only fainter stays erasure).
"""

from __future__ import annotations

import cv2
import numpy as np

from ...i18n import Message
from ..model import luminance
from ..report import Evidence
from .common import Context, clip_box, zone_label
from .design import printing_technique

__all__ = ["SpectralConformity", "spectral_conformity", "fine_band", "FineBand", "analyze"]

FAMILY = "printing"
#: side of the analysed crop, capture pixels (a power of two: a fast FFT)
CROP_PX = 128
#: fine band of the spectrum, cycles per capture pixel: above the design's broad shapes, below the Nyquist limit
BAND = (0.1, 0.45)
#: share of the band's bins (the reference's strongest) where the gain is measured: the design dominates there
DESIGN_BINS = 0.1
#: a place was reprinted when its excess share is this much above the capture's own around it ...
EXCESS_MARGIN = 0.22
#: ... and at least this share of its fine-band energy is foreign to the design
MIN_EXCESS = 0.4
#: how fast the score rises past the margin
EXCESS_WIDTH = 0.05
#: design evidence at least this strong (score) is examined: a place at the comparison's noise level
#: (a genuine scan of a trainer's 300 dpi template scores 0.05 on its watermark) is not a place it found
CANDIDATE_SCORE = 0.1
#: most places examined per document (the strongest first; each costs a few FFTs)
MAX_PLACES = 3


class SpectralConformity:
    """How a crop's fine-band power spectrum relates to the genuine design's (see the module docstring)."""

    __slots__ = ("excess", "gain", "box")

    def __init__(self, excess: float, gain: float, box):
        self.excess, self.gain, self.box = excess, gain, list(box)

    def __repr__(self) -> str:
        return f"SpectralConformity(excess={self.excess:.3f}, gain={self.gain:.3f}, box={self.box})"


def _power(x: np.ndarray, window: np.ndarray) -> np.ndarray:
    x = x - cv2.GaussianBlur(x, (0, 0), 3.0)
    return np.abs(np.fft.fft2(x * window)) ** 2


def _band_mask(h: int, w: int, band) -> np.ndarray:
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[None, :]
    r = np.hypot(fx, fy)
    return (r > band[0]) & (r < band[1])


def spectra_conformity(image: np.ndarray, reference: np.ndarray, *, band=BAND,
                       design_bins: float = DESIGN_BINS) -> tuple[float, float]:
    """``(excess, gain)`` of two same-size luminance crops (float, 0..1): the capture's and the genuine design's.

    Parameters
    ----------
    image, reference : ndarray (H, W)
        The capture and the reference, blurred alike, same geometry (a
        small shift between them does not matter).
    band : (float, float), keyword-only
        Fine band, cycles per pixel.
    design_bins : float, keyword-only
        Share of the band's bins, the reference's strongest, where the gain is fitted.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> lines = (np.sin(np.arange(64) * 0.9)[None, :] * np.ones((64, 1))).astype(np.float32) * 0.2 + 0.5
    >>> ex, g = spectra_conformity(np.roll(lines, 3, axis=1) * 0.8, lines)
    >>> round(ex, 2), round(g, 2)
    (0.0, 0.64)
    >>> dots = (rng.random((64, 64)) < 0.5).astype(np.float32) * 0.3
    >>> spectra_conformity(lines + dots, lines)[0] > 0.4
    True
    """
    h, w = image.shape
    window = np.outer(np.hanning(h), np.hanning(w)).astype(np.float32)
    pi, pr = _power(image.astype(np.float32), window), _power(reference.astype(np.float32), window)
    sel = _band_mask(h, w, band)
    pib, prb = pi[sel], pr[sel]
    total = float(pib.sum())
    if total <= 1e-12 or float(prb.sum()) <= 1e-12:
        return 0.0, 1.0
    strong = prb >= np.quantile(prb, 1.0 - design_bins)
    gain = float(pib[strong].sum() / max(float(prb[strong].sum()), 1e-12))
    excess = float(np.maximum(pib - gain * prb, 0).sum() / total)
    return excess, gain


def spectral_conformity(ctx: Context, box, *, crop_px: int = CROP_PX) -> SpectralConformity | None:
    """The spectra of the capture and of the blur-matched reference at the centre of ``box`` (template pixels).

    The crop is ``crop_px`` capture pixels square (fewer when the box is
    smaller), at the capture's resolution (never finer than the
    template's); None when it does not fit on the document.
    """
    model, t = ctx.model, ctx.template
    s = min(1.0, ctx.views.capture_scale)
    side = min(crop_px / s, max(box[2] - box[0], box[3] - box[1], 48 / s))
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    W, H = t.size_px
    b = [int(cx - side / 2), int(cy - side / 2), int(cx + side / 2), int(cy + side / 2)]
    if b[0] < 0 or b[1] < 0 or b[2] > W or b[3] > H:
        return None
    img = luminance(ctx.crop(b, scale=s).astype(np.float32) * np.float32(1 / 255))
    ref = luminance(model.full["visible"][b[1]:b[3], b[0]:b[2]].astype(np.float32) * np.float32(1 / 255))
    ref = cv2.resize(ref, img.shape[::-1], interpolation=cv2.INTER_AREA)
    blur = ctx.maps.sigma / max(model.scale, 1e-6) * s  # the capture's blur, in crop pixels
    if blur > 0.3:
        ref = cv2.GaussianBlur(ref, (0, 0), blur)
    if min(img.shape) < 24:
        return None
    excess, gain = spectra_conformity(img, ref)
    return SpectralConformity(excess, gain, b)


class FineBand:
    """A crop's fine-band gain over the genuine design's, and how well the capture resolves the design there.

    ``gain``: the capture's energy over the blur-matched reference's in the
    bins where the reference is strongest; ``resolved``: the reference's
    energy there over the capture's energy in the rest of the band (its
    noise): below a few, the capture cannot show the design's fine lines.
    """

    __slots__ = ("gain", "resolved", "box")

    def __init__(self, gain: float, resolved: float, box):
        self.gain, self.resolved, self.box = gain, resolved, list(box)

    def __repr__(self) -> str:
        return f"FineBand(gain={self.gain:.3f}, resolved={self.resolved:.1f}, box={self.box})"


def band_gain(image: np.ndarray, reference: np.ndarray, *, band=BAND, design_bins: float = DESIGN_BINS):
    """``(gain, resolved)`` of two same-size luminance crops (see :class:`FineBand`).

    >>> lines = (np.sin(np.arange(64) * 1.9)[None, :] * np.ones((64, 1))).astype(np.float32) * 0.2 + 0.5
    >>> g, r = band_gain(np.roll(lines, 3, axis=1) * 0.5, lines)
    >>> round(g, 2), bool(r > 100)
    (0.25, True)
    >>> round(band_gain(np.full((64, 64), 0.5, np.float32), lines)[0], 2)
    0.0
    """
    h, w = image.shape
    window = np.outer(np.hanning(h), np.hanning(w)).astype(np.float32)
    pi, pr = _power(image.astype(np.float32), window), _power(reference.astype(np.float32), window)
    sel = _band_mask(h, w, band)
    pib, prb = pi[sel], pr[sel]
    strong = prb >= np.quantile(prb, 1.0 - design_bins)
    ref = float(prb[strong].sum())
    gain = float(pib[strong].sum() / max(ref, 1e-12))
    noise = float(pib[~strong].mean()) * strong.sum() + 1e-12
    return gain, float(ref / noise)


def fine_band(ctx: Context, box) -> FineBand | None:
    """:class:`FineBand` of the capture in ``box`` (template pixels), at the capture's resolution (None: off the page)."""
    model, t = ctx.model, ctx.template
    s = min(1.0, ctx.views.capture_scale)
    W, H = t.size_px
    b = [int(round(v)) for v in box]
    if b[0] < 0 or b[1] < 0 or b[2] > W or b[3] > H or min(b[2] - b[0], b[3] - b[1]) * s < 24:
        return None
    img = luminance(ctx.crop(b, scale=s).astype(np.float32) * np.float32(1 / 255))
    ref = luminance(model.full["visible"][b[1]:b[3], b[0]:b[2]].astype(np.float32) * np.float32(1 / 255))
    ref = cv2.resize(ref, img.shape[::-1], interpolation=cv2.INTER_AREA)
    blur = ctx.maps.sigma / max(model.scale, 1e-6) * s
    if blur > 0.3:
        ref = cv2.GaussianBlur(ref, (0, 0), blur)
    gain, resolved = band_gain(img, ref)
    return FineBand(gain, resolved, b)


def _surroundings(ctx: Context, box, *, crop_px: int) -> SpectralConformity | None:
    """The capture's own conformity next to ``box`` (left/right or above/below): noise, JPEG, its sharpness."""
    s = min(1.0, ctx.views.capture_scale)
    side = min(crop_px / s, max(box[2] - box[0], box[3] - box[1], 48 / s))
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    hx, hy = max((box[2] - box[0]) / 2, side / 2), max((box[3] - box[1]) / 2, side / 2)
    found = []
    for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        ox, oy = cx + dx * (hx + side * 0.6), cy + dy * (hy + side * 0.6)
        c = spectral_conformity(ctx, [ox - 1, oy - 1, ox + 1, oy + 1], crop_px=crop_px)
        if c is not None and _on_design(ctx, c.box):
            found.append(c)
        if len(found) == 2:
            break
    if not found:
        return None
    return SpectralConformity(float(np.median([c.excess for c in found])),
                              float(np.median([c.gain for c in found])), found[0].box)


def _on_design(ctx: Context, box) -> bool:
    """Whether a crop lies on the document's design (its window on the document, little personalization)."""
    model = ctx.model
    x0, y0, x1, y1 = model.to_work(box)
    inside = model.document[y0:y1, x0:x1]
    personal = model.personal[y0:y1, x0:x1]
    return inside.size > 0 and inside.mean() > 0.95 and personal.mean() < 0.2


def analyze(ctx: Context, design_evidence, *, crop_px: int = CROP_PX, margin: float = EXCESS_MARGIN,
            min_excess: float = MIN_EXCESS, candidate_score: float = CANDIDATE_SCORE, max_places: int = MAX_PLACES):
    """Evidence of a local reprint at the places the design comparison found (``design_evidence``).

    Parameters
    ----------
    ctx : Context
    design_evidence : list of Evidence
        The design analyzer's evidence (:mod:`docexam.examine.analyzers.design`), strong or weak.
    crop_px, margin, min_excess, candidate_score, max_places : keyword-only
        See the module constants :data:`CROP_PX`, :data:`EXCESS_MARGIN`,
        :data:`MIN_EXCESS`, :data:`CANDIDATE_SCORE`, :data:`MAX_PLACES`.
    """
    evidence, notes = [], []
    places = sorted((e for e in design_evidence if e.check == "design" and e.score >= candidate_score),
                    key=lambda e: -e.score)[:max_places]
    for e in places:
        here = spectral_conformity(ctx, e.bbox, crop_px=crop_px)
        if here is None or not _on_design(ctx, here.box):
            continue  # another holder's text in the crop is foreign to the design too
        around = _surroundings(ctx, e.bbox, crop_px=crop_px)
        if around is None:
            continue
        foreign = here.excess - around.excess
        if here.excess < min_excess:
            foreign = min(foreign, here.excess - min_excess + margin)
        zone = ctx.template.zone(e.zone)
        label = zone_label(zone)
        ev = Evidence(FAMILY, None, zone.name, clip_box(list(e.bbox), zone.bbox), foreign, margin, EXCESS_WIDTH, "",
                      check="print-process")
        # naming the process takes a larger spectrum: only for a finding
        technique, how = printing_technique(ctx, e.bbox) if ev.score >= 0.5 else (None, Message("reprinted"))
        evidence.append(Evidence(
            FAMILY, technique, zone.name, ev.bbox, foreign, margin, EXCESS_WIDTH,
            Message("Under magnification this part of the {label} is not printed like the genuine design: {share} per "
                    "cent of its fine detail is not in the genuine line work (around it {around} per cent, the "
                    "capture's own noise). It was {how}.", label=label, share=int(round(100 * here.excess)),
                    around=int(round(100 * around.excess)), how=how), check="print-process"))
    return evidence, notes
