"""The open pages of a passport booklet: what one picture of a spread proves, and what it leaves to the officer.

A passport's visa pages are leaves of one booklet, and a few things bind
them together that a page taken from another booklet cannot copy:

* **the laser-perforated number** (``perforation``) is burnt through all
  the leaves of the closed booklet at once, so on an open spread the holes
  of the left page are those of the right page mirrored about the fold
  (the left page is seen from its back). The hole patterns of the two
  perforation zones are compared, the left one flipped, over small shifts;
  a page whose holes are missing or spell another number does not belong.
  (The right page's pattern is also accepted unflipped: a booklet whose
  pages are perforated one by one from their own face shows it so; what a
  foreign page cannot show is the *same* number at the mirrored place);
* **the background print continues across the fold** (``fold``): the
  underprint of a spread is designed and printed as one picture. Each
  page's strip next to the fold is located against the genuine design,
  both through the spread's one pose (also where the pages were aligned one
  by one, :attr:`~docexam.examine.register.Registration.pages`: a few
  millimetres from the fold, a genuine leaf bent at it still lies where
  that pose puts it); on a genuine spread both lie where the design puts
  them, while another booklet's page carries its underprint run at another
  offset, or lies apart from its facing page;
* **the page numbers** (``page-number``): the spread is a given pair of
  pages; one page numbered otherwise is another booklet's leaf.

What one picture cannot judge is the journey's **border stamps**
(``stamps``): they are not the page's design, and a counterfeit stamp is
told by comparing it with the border post's specimen stamp (typeface,
size, date format, ink), and stamp dates by reading them against each
other and the visa. Stamps on the page are listed as
:class:`~docexam.examine.report.Unexamined` with that advice, and the
verdict of a page nothing else was found on is ``inconclusive``
(:func:`docexam.examine.steps.decide`).
"""

from __future__ import annotations

import cv2
import numpy as np

from ...i18n import Message
from ..model import luminance
from ..report import Evidence, Note, Unexamined
from .common import Context, zone_label

__all__ = ["analyze", "stamp_advice", "page_zones", "perforation_match", "fold_offsets", "page_number_match",
           "stamp_ink", "STAMPS_NEED"]

FAMILY, TECHNIQUE = "substrate", "page-substitution"
#: what an Unexamined stamps entry needs: the border post's specimen stamps (a reference book)
STAMPS_NEED = "reference"

#: a pixel of the stamps zone is foreign ink when its colour departs from the genuine page's by this much (any
#: channel, after the capture's own paper white is divided out) ...
STAMP_DEPARTS = 0.25
#: ... and stamps are on the page when such pixels cover this share of the zone (measured: the blank reference
#: page 0, four stamps 6 to 7 per cent, flat, scan and phone captures)
STAMP_SHARE = 0.01

#: the perforation is compared at this many capture pixels per template pixel (0.5: 8 px/mm at 400 dpi, a
#: hole of 0.25 mm still 2 px wide)
PERF_SCALE = 0.5
#: the hole map is smoothed by this (mm) so that holes a fraction of their pitch apart still overlap
HOLE_SIGMA_MM = 0.12
#: the two pages' patterns are aligned over shifts up to this (mm): the leaves of a sewn booklet sit a little
#: apart, and the registration leaves a few tenths
PERF_SEARCH_MM = 1.0
#: the stronger page's hole contrast (99.5th percentile of the darkening) below which no perforation is resolved
#: (genuine flat and scan captures: 0.062 to 0.074, phone photos 0.035 to 0.054; the blank reference page and a
#: page with its holes pasted over: 0.004)
MIN_HOLE_CONTRAST = 0.02
#: the best correlation of the two pages' hole patterns below which they are not one perforation (genuine
#: spreads, flat and scan: 0.71 to 0.77, phone photos 0.47 to 0.62; a page without holes or with another
#: passport's number: 0.22 to 0.29) ...
PERF_MATCH = 0.35
PERF_WIDTH = 0.03
#: ... and a page whose holes are this much fainter than the other page's has none (genuine: 0.7 to 0.8)
HOLES_MISSING = 0.35

#: width of each page's strip next to the fold, mm (narrower where the stamps or the visa sticker begin)
FOLD_STRIP_MM = 6.0
#: narrowest strip worth locating, mm
MIN_STRIP_MM = 2.0
#: the strips are located over shifts up to this (mm) against the genuine design
FOLD_SEARCH_MM = 5.0
#: the strips' best correlation with the design below which a strip cannot be located
MIN_FOLD_MATCH = 0.2
#: the two pages' offsets from the design differ by more than this (mm): the print does not continue across the
#: fold (genuine spreads, flat, scan and phone: 0 to 0.25 mm; a page of another booklet: 1.8 to 3.6 mm)
FOLD_SHIFT_MM = 0.7
FOLD_WIDTH_MM = 0.1
#: working scale of the fold strips (capture pixels per template pixel)
FOLD_SCALE = 0.5

#: a page number's correlation with the genuine spread's below which it is another number (genuine, flat, scan
#: and phone: 0.965 to 0.998; a page numbered 23 or 31 where 16 belongs: 0.57 to 0.67)
PAGE_NUMBER_MATCH = 0.85
PAGE_NUMBER_WIDTH = 0.03


def stamp_advice(label: str) -> Message:
    """What the officer does with stamps the picture cannot judge (``label``: the zone's name)."""
    return Message("Compare each stamp in the {label} with the border post's specimen stamp: typeface, size, date "
                   "format and ink. Then read every date in order: entries and exits must alternate, agree with "
                   "each other, and fall within the visa's validity and its permitted stay.", label=label)


def page_zones(template) -> list:
    """The booklet's pages on the picture (zones of feature ``page``), left to right."""
    return sorted((z for z in template.zones if z.extra.get("feature") == "page"), key=lambda z: z.bbox[0])


def _page_of(pages, box):
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return next((p for p in pages if p.bbox[0] <= cx < p.bbox[2] and p.bbox[1] <= cy < p.bbox[3]), None)


def _lum(rgb: np.ndarray) -> np.ndarray:
    """Luminance over the crop's paper white (its median), float32."""
    lum = luminance(rgb.astype(np.float32) * np.float32(1 / 255))
    return lum / max(float(np.median(lum)), 0.05)


def _reference(ctx: Context, box, scale: float) -> np.ndarray:
    x0, y0, x1, y1 = (int(v) for v in box)
    ref = ctx.model.full["visible"][y0:y1, x0:x1]
    size = (max(1, int(round((x1 - x0) * scale))), max(1, int(round((y1 - y0) * scale))))
    return cv2.resize(ref, size, interpolation=cv2.INTER_AREA)


def _crop(ctx: Context, box, scale: float, shape) -> np.ndarray:
    cap = ctx.crop(box, scale=scale)
    if cap.shape[:2] != tuple(shape[:2]):
        cap = cv2.resize(cap, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    return cap


def stamp_ink(ctx: Context, zone) -> tuple[float, list]:
    """``(share, box)``: the share of ``zone`` covered by ink the genuine page lacks, and that ink's extent."""
    model = ctx.model
    x0, y0, x1, y1 = model.to_work(zone.bbox)
    g = (slice(y0, y1, 2), slice(x0, x1, 2))  # every other pixel: stamps are millimetres wide
    cap, ref = ctx.views.work["visible"][g], model.work["visible"][g]
    white = np.median(cap.reshape(-1, 3), axis=0) / np.maximum(np.median(ref.reshape(-1, 3), axis=0), 1e-3)
    foreign = (np.abs(cap / np.maximum(white, 1e-3) - ref).max(axis=2) > STAMP_DEPARTS) & ctx.views.covered[g]
    share = float(foreign.mean())
    if share < STAMP_SHARE:
        return share, list(zone.bbox)
    foreign = cv2.morphologyEx(foreign.view(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)).view(bool)
    ys, xs = np.nonzero(foreign)
    if len(xs) == 0:
        return share, list(zone.bbox)
    box = model.to_template([x0 + 2 * xs.min(), y0 + 2 * ys.min(), x0 + 2 * xs.max() + 2, y0 + 2 * ys.max() + 2])
    zb = zone.bbox
    return share, [max(box[0], zb[0]), max(box[1], zb[1]), min(box[2], zb[2]), min(box[3], zb[3])]


def _hole_map(ctx: Context, box) -> np.ndarray:
    """Where the capture is darker than the genuine page in ``box`` (the holes' burnt rims and shadows), smoothed."""
    ref = _lum(_reference(ctx, box, PERF_SCALE))
    cap = _lum(_crop(ctx, box, PERF_SCALE, ref.shape))
    # darkness the genuine print has within a pixel is the print's, resampled or a little misaligned: not a hole
    ref = cv2.erode(ref, np.ones((3, 3), np.uint8))
    sigma = HOLE_SIGMA_MM / 25.4 * ctx.template.dpi * PERF_SCALE
    return cv2.GaussianBlur(np.maximum(ref - cap, 0), (0, 0), sigma)


def perforation_match(ctx: Context, left, right) -> tuple[float, float, float] | None:
    """``(match, contrast_left, contrast_right)`` of two perforation zones facing each other across the fold.

    ``match`` is the best normalised correlation of the right page's hole
    pattern with the left page's, flipped about the fold or not, over shifts
    up to :data:`PERF_SEARCH_MM`; None when neither page shows holes.
    """
    a, b = _hole_map(ctx, left.bbox), _hole_map(ctx, right.bbox)
    ca, cb = float(np.percentile(a, 99.5)), float(np.percentile(b, 99.5))
    if max(ca, cb) < MIN_HOLE_CONTRAST:
        return None
    pad = int(round(PERF_SEARCH_MM / 25.4 * ctx.template.dpi * PERF_SCALE))
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, b = a[:h, :w], b[:h, :w]
    # the search pads the right page's pattern; the left page's, cropped by the pad, slides over it
    inner = a[pad:h - pad, pad:w - pad] if min(h, w) > 4 * pad else a
    padded = cv2.copyMakeBorder(b, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    best = -1.0
    for pattern in (inner[:, ::-1], inner):
        pattern = np.ascontiguousarray(pattern, np.float32)
        if float(pattern.std()) < 1e-6:
            continue
        best = max(best, float(cv2.matchTemplate(padded, pattern, cv2.TM_CCOEFF_NORMED).max()))
    return best, ca, cb


def _strip_offset(ctx: Context, box) -> tuple[float, float]:
    """``(dx_mm, peak)``: where the capture's strip ``box`` lies on the genuine design, horizontally."""
    px_mm = ctx.template.dpi / 25.4
    search = int(round(FOLD_SEARCH_MM * px_mm))
    tw, th = ctx.template.size_px
    band = [max(0, box[0] - search), max(0, box[1] - search // 4), min(tw, box[2] + search),
            min(th, box[3] + search // 4)]
    ref = _lum(_reference(ctx, band, FOLD_SCALE))
    # both strips through the one pose of the spread: where the pages were posed one by one, each page's own
    # pose would carry a foreign leaf's offset print back into line
    cap_rgb = ctx.crop(box, scale=FOLD_SCALE, homography=ctx.homography)
    cap = _lum(cap_rgb)
    sigma = 0.4 * px_mm * FOLD_SCALE

    def fine(x):
        return np.ascontiguousarray(x - cv2.GaussianBlur(x, (0, 0), sigma), np.float32)

    ref, cap = fine(ref), fine(cap)
    if cap.shape[0] > ref.shape[0] or cap.shape[1] > ref.shape[1] or float(cap.std()) < 1e-6:
        return 0.0, 0.0
    res = cv2.matchTemplate(ref, cap, cv2.TM_CCOEFF_NORMED)
    _, peak, _, (mx, _) = cv2.minMaxLoc(res)
    at = band[0] + mx / FOLD_SCALE
    return float((at - box[0]) / px_mm), float(peak)


def _fold_strip(template, page, fold_x: float, side: str):
    """The page's strip next to the fold, up to the first zone of journey content (stamps, a sticker)."""
    px_mm = template.dpi / 25.4
    width = FOLD_STRIP_MM * px_mm
    y0, y1 = page.bbox[1], page.bbox[3]
    for z in template.zones:
        if z.extra.get("feature") not in ("stamps", "visa-sticker"):
            continue
        if z.bbox[3] <= y0 or z.bbox[1] >= y1:
            continue
        gap = fold_x - z.bbox[2] if side == "left" else z.bbox[0] - fold_x
        if gap >= 0:
            width = min(width, gap)
    if width < MIN_STRIP_MM * px_mm:
        return None
    inset = int(round(0.3 * px_mm))  # the fold's own shadow and crease
    if side == "left":
        return [int(fold_x - width), y0, int(fold_x) - inset, y1]
    return [int(fold_x) + inset, y0, int(fold_x + width), y1]


def fold_offsets(ctx: Context, left, right) -> tuple[float, float] | None:
    """The left and right pages' offsets (mm) from the genuine design next to their fold; None if not located."""
    fold_x = (left.bbox[2] + right.bbox[0]) / 2
    boxes = (_fold_strip(ctx.template, left, fold_x, "left"), _fold_strip(ctx.template, right, fold_x, "right"))
    if None in boxes:
        return None
    found = [_strip_offset(ctx, b) for b in boxes]
    if min(p for _, p in found) < MIN_FOLD_MATCH:
        return None
    return found[0][0], found[1][0]


def page_number_match(ctx: Context, zone) -> float:
    """Correlation of the page number in ``zone`` with the genuine spread's."""
    ref = _lum(_reference(ctx, zone.bbox, 0.5))
    cap = _lum(_crop(ctx, zone.bbox, 0.5, ref.shape))
    a, b = ref - ref.mean(), cap - cap.mean()
    return float((a * b).sum() / np.sqrt(float((a * a).sum() * (b * b).sum()) + 1e-12))


def _side(pages, page) -> str:
    return "left" if page is pages[0] else "right"


def analyze(ctx: Context):
    """``(evidence, notes, unexamined)`` of the booklet's pages on this picture (see the module docstring)."""
    evidence, notes, unexamined = [], [], []
    t = ctx.template
    for zone in (z for z in t.zones if z.extra.get("feature") == "stamps"):
        share, box = stamp_ink(ctx, zone)
        if share >= STAMP_SHARE:
            unexamined.append(Unexamined(zone.name, "stamps", box, STAMPS_NEED, stamp_advice(zone_label(zone))))
    pages = page_zones(t)
    if len(pages) != 2:
        return evidence, notes, unexamined
    left_page, right_page = pages
    sides = {"left": Message("left"), "right": Message("right")}

    # --- the perforated number, mirrored through the two pages
    perf = [z for z in t.zones if z.extra.get("feature") == "perforation"]
    on_left = [z for z in perf if _page_of(pages, z.bbox) is left_page]
    on_right = [z for z in perf if _page_of(pages, z.bbox) is right_page]
    if len(on_left) == 1 and len(on_right) == 1:
        measured = perforation_match(ctx, on_left[0], on_right[0])
        if measured is None:
            notes.append(Note("perforation", "inconclusive", Message(
                "The perforated passport number cannot be made out on this picture: hold the booklet against a "
                "lamp and check that the same number shines through both pages, mirrored on the left one.")))
        else:
            match, ca, cb = measured
            missing = [z for z, c, other in ((on_left[0], ca, cb), (on_right[0], cb, ca)) if c < HOLES_MISSING * other]
            for zone in missing or (on_left[0], on_right[0]):
                side = sides[_side(pages, _page_of(pages, zone.bbox))]
                msg = (Message("The {side} page has no perforated passport number where the number is burnt through "
                               "every page of the booklet: this page was taken from another booklet.", side=side)
                       if missing else
                       Message("The perforated passport number on the {side} page is not the mirror image of the "
                               "one on the facing page (similarity {match:.2f}), where one laser burns it through "
                               "every page of the booklet at once: one of the pages was taken from another booklet.",
                               side=side, match=match))
                evidence.append(Evidence(FAMILY, TECHNIQUE, zone.name, list(zone.bbox), 1.0 - match, 1.0 - PERF_MATCH,
                                         PERF_WIDTH, msg, check="perforation"))

    # --- the background print across the fold
    offsets = fold_offsets(ctx, left_page, right_page)
    if offsets is None:
        notes.append(Note("fold", "inconclusive", Message(
            "The print next to the fold cannot be made out on this picture: check by eye that the background "
            "pattern runs on from one page to the other without a step.")))
    else:
        dl, dr = offsets
        # the page further from where the design puts it is the stranger
        page = left_page if abs(dl) >= abs(dr) else right_page
        evidence.append(Evidence(
            FAMILY, TECHNIQUE, page.name, list(page.bbox), abs(dl - dr), FOLD_SHIFT_MM, FOLD_WIDTH_MM,
            Message("The background print of the {side} page does not continue across the fold: it is "
                    "{shift:.1f} mm out of line with the facing page, where a booklet's spread is printed as one "
                    "picture. The page was taken from another booklet.",
                    side=sides[_side(pages, page)], shift=abs(dl - dr)), check="fold"))

    # --- the page numbers of the spread
    numbers = [z for z in t.zones if z.extra.get("feature") == "page-number"]
    if len(numbers) == 2:
        found = {z.name: page_number_match(ctx, z) for z in numbers}
        wrong = [z for z in numbers if found[z.name] < PAGE_NUMBER_MATCH]
        if len(wrong) == 2:  # both numbers other than the spread's: another spread, not another booklet's page
            notes.append(Note("page-number", "info", Message(
                "Both pages are numbered otherwise than the template's spread: this is another spread of the "
                "booklet, and its page numbers were not checked.")))
            numbers = []
        for zone in numbers:
            evidence.append(Evidence(
                FAMILY, TECHNIQUE, zone.name, list(zone.bbox), 1.0 - found[zone.name], 1.0 - PAGE_NUMBER_MATCH,
                PAGE_NUMBER_WIDTH,
                Message("The {side} page is not numbered as this spread's page is: a leaf from another place or "
                        "another booklet was put in.", side=sides[_side(pages, _page_of(pages, zone.bbox))]),
                check="page-number"))
    return evidence, notes, unexamined
