"""Printing: the pre-printed security design (guilloches, microprint, rainbow print).

Checks, and what genuine variation each one tolerates:

* **Whole-page reproduction** (colour copier, laser or inkjet printer): the
  page-wide correlation of the fine design with the blur-matched reference
  (:func:`docexam.examine.blur.estimate_blur`) collapses, because every
  line is rebuilt from dots. Capture blur is matched, noise is averaged over
  the page. Then a **frequency-domain** test on a full-resolution crop tells
  a periodic halftone screen (isolated peaks: colour copier, laser) from
  stochastic dither (inkjet). When the capture's resolution cannot resolve
  a fine screen, or the spectrum is between the two, the technique is left
  open and a note says so.
* **Line continuity** of guilloche bands: column by column the band must
  correlate with the reference; a reprinted section shifted out of line, or
  flat-coloured, drops out.
* **Microprint**: the microprinted line must keep the reference's fine
  horizontal detail (the spacing of its tiny characters), measured as the
  regression gain of the image's detail on the blur-matched reference's, in
  the line alone, relative to the same gain over the whole design (the
  capture's own sharpness); a blurred or solid line keeps almost none. When
  the capture is too blurred for text that small, a note says so instead of
  a finding.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..model import luminance
from ...i18n import Message
from ..report import Evidence, Note
from ..variation import variation_for
from .common import Context, zone_label as _label

FAMILY = "printing"
#: a whole-page reproduction lowers the page's fine-print correlation by at least this much below genuine,
#: and by this many spreads of genuine captures
MIN_REPRO_DROP = 0.05
REPRO_SPREADS = 5.0
#: spectrum peak / median above which the residual is a halftone screen, and
#: below which it is stochastic (inkjet) dither (see analyze)
SCREEN_PEAK_RATIO = 25.0
DITHER_PEAK_RATIO = 12.0


def _named(t, kind: str, prefer: str):
    zones = t.zones_of(kind)
    for z in zones:
        if z.name == prefer:
            return z
    return zones[0] if zones else None


def _bands(t):
    return [z for z in t.zones_of("security-print")
            if (z.bbox[2] - z.bbox[0]) >= 4 * (z.bbox[3] - z.bbox[1])]


def _rosettes(t):
    return [z for z in t.zones_of("security-print") if z not in _bands(t)]


def screen_periodicity(ctx: Context, box) -> float | None:
    """Peak-to-background ratio of the residual spectrum in a full-resolution crop.

    A halftone screen puts isolated peaks in the spectrum of image minus
    reference; noise, JPEG and dither spread their energy.
    """
    x0, y0, x1, y1 = box
    side = 256
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    crop_box = [cx - side // 2, cy - side // 2, cx + side // 2, cy + side // 2]
    W, H = ctx.template.size_px
    if crop_box[0] < 0 or crop_box[1] < 0 or crop_box[2] > W or crop_box[3] > H:
        return None
    img = luminance(ctx.crop(crop_box).astype(np.float32) / 255)
    ref = ctx.model.full["visible"][crop_box[1]:crop_box[3], crop_box[0]:crop_box[2]]
    ref = luminance(ref.astype(np.float32) / 255)
    r = img - img.mean() - (ref - ref.mean()) * (img.std() / max(ref.std(), 1e-4)) * 0.0
    r = r - cv2.GaussianBlur(r, (0, 0), 3.0)
    win = np.outer(np.hanning(side), np.hanning(side)).astype(np.float32)
    spec = np.abs(np.fft.fftshift(np.fft.fft2(r * win)))
    yy, xx = np.mgrid[-side // 2:side // 2, -side // 2:side // 2]
    rad = np.hypot(xx, yy) / side  # cycles per template pixel
    ring = (rad > 1 / 10.0) & (rad < 1 / 3.2)
    vals = spec[ring]
    if vals.size == 0:
        return None
    return float(np.percentile(vals, 99.9) / (np.median(vals) + 1e-9))


#: horizontal high-pass scale (working pixels): the stroke spacing of microprinted characters
FINE_SIGMA = 1.2


def _fine_x(ctx: Context):
    """Horizontal fine detail of the image and of the blur-matched reference (luminance, working pixels)."""
    if "fine-x" not in ctx.cache:
        m = ctx.maps
        out = []
        for rgb in (m.image, m.ref_blurred):
            lum = luminance(rgb)
            out.append(lum - cv2.GaussianBlur(lum, (0, 0), sigmaX=FINE_SIGMA, sigmaY=0.01))
        ctx.cache["fine-x"] = tuple(out)
    return ctx.cache["fine-x"]


def _fine_gain(di: np.ndarray, dr: np.ndarray, sel: np.ndarray) -> float | None:
    """Regression gain of image detail on reference detail over ``sel`` (None when the reference has none)."""
    a, b = dr[sel], di[sel]
    aa = float(a @ a)
    return float(a @ b) / aa if a.size >= 30 and aa > 1e-6 else None


def _page_fine_gain(ctx: Context) -> float | None:
    """The fine-detail gain over the whole design (no personalization, no ink): the page's own sharpness."""
    di, dr = _fine_x(ctx)
    model, m = ctx.model, ctx.maps
    g = (slice(None, None, 2), slice(None, None, 2))
    sel = model.document[g] & ~model.personal[g] & ~m.ink[g]
    return _fine_gain(di[g], dr[g], sel)


def _zone_fine_gain(ctx: Context, name: str) -> float | None:
    di, dr = _fine_x(ctx)
    ys, xs = ctx.zone_slice(name)
    return _fine_gain(di[ys, xs], dr[ys, xs], ~ctx.maps.ink[ys, xs])


def _inner_document(model, window: int) -> np.ndarray:
    """Working pixels whose comparison window lies on the document (the page's or the card side's edge kept out)."""
    def build():
        reach = window // 2 + 1
        inside = model.document.view(np.uint8).copy()
        inside[0, :] = inside[-1, :] = 0  # the warp repeats the outermost pixels beyond the image
        inside[:, 0] = inside[:, -1] = 0
        return cv2.erode(inside, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)).view(bool)

    return model.cached(("inner-document", window), build)


def analyze(ctx: Context):
    evidence, notes = [], []
    t, m, model = ctx.template, ctx.maps, ctx.model
    c = ctx.views.capture_scale

    # --- whole-page reproduction: the page-wide correlation of the fine print far below what genuine
    # captures of this template at this blur show (learned from simulated genuine captures)
    expected, spread = variation_for(model).expected_match(m.sigma)
    repro = expected - m.match
    repro_threshold = max(MIN_REPRO_DROP, REPRO_SPREADS * spread)
    band = _named(t, "security-print", "guilloche-band")
    bands = _bands(t)
    band = next((z for z in bands if z.name == "guilloche-band"), bands[0] if bands else band)
    rosettes = _rosettes(t)
    rosette = next((z for z in rosettes if z.name == "rosette"), rosettes[0] if rosettes else band)
    if band is not None:
        period = screen_periodicity(ctx, rosette.bbox if rosette is not None else band.bbox)
        resolvable = c >= 0.62
        # a screen's peaks stand 40-180x above the residual's median at scanner resolution;
        # at phone resolution (c ~0.8) they sink to ~20-40 while dither, JPEG blocking and
        # moire reach ~15-30: the threshold sits between, favouring the open verdict
        halftone = period is not None and period > SCREEN_PEAK_RATIO and resolvable
        if halftone:
            zone = band
            ev = Evidence(FAMILY, "halftone-reproduction", zone.name, list(zone.bbox), repro, repro_threshold,
                          repro_threshold / 4,
                          Message("The fine lines of the {label} are not continuous: they are made of regular rows "
                                  "of coloured dots (the screen of a colour copier or laser printer), and the whole "
                                  "page has lost the sharpness of the genuine print.", label=_label(zone)),
                          check="reproduction")
        else:
            zone = rosette if rosette is not None else band
            # between the two ratios the dots could be either: say so rather than guess
            dither = period is not None and period <= DITHER_PEAK_RATIO
            technique = "inkjet-reproduction" if resolvable and dither else None
            ev = Evidence(FAMILY, technique, zone.name, list(zone.bbox), repro, repro_threshold, repro_threshold / 4,
                          Message("The fine line work of the {label} is broken up into scattered dots and the "
                                  "finest lines are lost all over the page: the document was reproduced on a "
                                  "printer (inkjet dither)." if technique else
                                  "The fine line work of the {label} is broken up into scattered dots and the "
                                  "finest lines are lost all over the page: the document was reproduced on a "
                                  "printer.", label=_label(zone)), check="reproduction")
            if ev.score < 0.5:
                pass  # no reproduction: nothing to type
            elif not resolvable:
                notes.append(Note("halftone-screen", "inconclusive",
                                  Message("The capture's resolution (about {dpi:.0f} dpi) is too low to resolve a "
                                          "copier's halftone screen; a reproduction could only be detected, not "
                                          "typed.", dpi=c * t.dpi)))
            elif not dither:
                notes.append(Note("halftone-screen", "inconclusive",
                                  Message("The dots of this reproduction are neither clearly a copier's regular "
                                          "screen nor clearly inkjet dither at this capture's sharpness; look at "
                                          "them under a loupe.")))
        evidence.append(ev)

    # --- guilloche continuity, column by column
    inner = _inner_document(model, m.window)
    for z in bands:
        ys, xs = ctx.zone_slice(z.name)
        corr = m.corr[ys, xs]
        # a window reaching past the document's edge sees the background or the card's bevel, not the band
        st = m.structure[ys, xs] & inner[ys, xs]
        enough = st.sum(axis=0) >= max(3, st.shape[0] // 4)
        if not enough.any():
            continue
        cols = np.full(st.shape[1], np.nan)
        cols[enough] = np.nanmedian(np.where(st[:, enough], corr[:, enough], np.nan), axis=0)
        typical = float(np.nanmedian(cols))
        cols = np.nan_to_num(cols, nan=typical)
        drop = typical - cv2.blur(cols.reshape(1, -1).astype(np.float32), (9, 1)).ravel()
        i = int(np.argmax(drop))
        depth = float(drop[i])
        # the run of columns around the deepest drop
        low = drop > max(0.5 * depth, 0.08)
        a = i
        while a > 0 and low[a - 1]:
            a -= 1
        b = i
        while b < len(low) - 1 and low[b + 1]:
            b += 1
        box = model.to_template([xs.start + a, ys.start, xs.start + b + 1, ys.stop])
        evidence.append(Evidence(
            FAMILY, "broken-guilloche", z.name, box, depth, 0.45, 0.06,
            Message("In this section of the {label} the fine guilloche lines jump out of line or change to a flat "
                    "colour: the band was interrupted and reprinted here.", label=_label(z)), check="guilloche"))

    # --- microprint
    micro = t.zones_of("microprint")
    if micro:
        if m.sigma > 2.2 or c < 0.45:
            notes.append(Note("microprint", "inconclusive",
                              Message("The capture is too blurred or too coarse to check the microprint.")))
        else:
            page = _page_fine_gain(ctx)
            for z in micro:
                zg = _zone_fine_gain(ctx, z.name)
                if zg is None or page is None or page < 0.05:
                    continue
                # the microprint's characters are its finest horizontal detail: a blurred or
                # solid line keeps almost none of the reference's, a genuine line as much
                # as the rest of the page (whatever the capture's own sharpness)
                value = 1.0 - zg / page
                evidence.append(Evidence(
                    FAMILY, "missing-microprint", z.name, list(z.bbox), value, 0.6, 0.08,
                    Message("Under a loupe this line should read as tiny repeated text; here it does not match the "
                            "genuine microprint (blurred or a solid line): the forger could not print text that "
                            "small."),
                    check="microprint"))
    return evidence, notes
