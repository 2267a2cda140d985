"""Where the pre-printed design of a capture departs from the genuine design, and in what way.

The conformity maps (:mod:`docexam.examine.compare`) say, window by window,
how the capture's fine print relates to the blur-matched reference. Here
they become *deviations from genuine variation*, on a grid of cells of
:data:`CELL` working pixels (the grid of the colour map), over the whole
design: inside every zone and in the background between zones.

Per cell, four measurements of the design alone (personalization ink of the
capture, and of a real reference, is left out; so are the portrait, the
ghost image and the MRZ, which have checks of their own):

* ``structure``: the regression gain of the capture's fine print on the
  reference's (1 = intact; lower = faded, blurred, erased, reprinted at low
  resolution; higher = over-sharpened);
* ``texture``: log of the residual texture energy over the capture's noise
  (positive = dots of a copier, inkjet or laser printer, roughened paper);
* ``brightness`` and ``chroma``: the colour of the print after lighting is
  divided out (washed, bleached, a printer's smaller gamut, foreign paper).

Each is compared with a smooth *trend* of itself over the page (fitted
robustly at :data:`TREND_MM`), which absorbs what varies slowly on a genuine
capture (defocus across a tilted page, the light), and divided by the
genuine spread of that cell (:class:`docexam.examine.variation.Variation`:
simulated genuine captures of the reference and, for a trainer's template
built from several genuine images, their measured differences; plus the
noise of this capture). What is left is a z-score map: a forgery shows up
as a connected region of large z-scores, which :func:`find_regions` returns
with its box and its profile (which measurements moved, and which way).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .compare import INK_LEVEL, Maps
from .model import ReferenceModel, luminance

__all__ = ["CELL", "Deviations", "is_design", "Region", "cell_features", "detrend", "deviations", "find_regions", "FEATURES"]

#: working pixels per cell (the colour map's grid)
CELL = 4
#: scale of the smooth trend removed from every measurement, millimetres on the document
TREND_MM = 14.0
#: the measurements, in order
FEATURES = ("structure", "texture", "brightness", "chroma-a", "chroma-b")
#: zone kinds with checks of their own, left out of the design comparison
OWN_CHECKS = ("portrait", "ghost-portrait", "mrz")
#: zone features that are not printed design: a perforation is punched through the page for each document
#: (its number) and its holes show whatever lies behind the page
NOT_DESIGN_FEATURES = ("perforation",)
#: a cell counts for the colour only when this share of it is design (no ink)
COLOUR_CLEAN_SHARE = 0.9
#: a cell is personalization ink when this share of its pixels is solid dark ink
INK_CELL_SHARE = 0.25
#: a stroke of personalization is this much darker than the blur-matched reference (luminance, 0..1)
TEXT_CONTRAST = 0.22
#: most of the design's own structure energy a genuine capture leaves unexplained (blur, misalignment): the
#: capture's own share is measured (:func:`capture_misfit`), up to this
MISFIT = 0.1


def to_cells(x: np.ndarray, step: int = CELL) -> np.ndarray:
    """Means over ``step`` x ``step`` blocks (the image cropped to whole blocks, as the colour map is)."""
    h, w = x.shape[:2]
    return cv2.resize(x[:h // step * step, :w // step * step], (max(w // step, 1), max(h // step, 1)),
                      interpolation=cv2.INTER_AREA)


def is_design(zone) -> bool:
    """Whether a zone holds pre-printed design the comparison judges (not one with checks of its own, not holes)."""
    return zone.kind not in OWN_CHECKS and zone.extra.get("feature") not in NOT_DESIGN_FEATURES


def _design_pixels(maps: Maps, model: ReferenceModel) -> np.ndarray:
    """Working pixels whose window sees the design alone: on the document, no ink of either image in reach.

    A window's statistics take in everything within half a window, and the
    blurred edge of a character lies beyond its dark core, so the document's
    edge and every dark core are kept that far (plus the blur) away.
    """
    reach = maps.window // 2 + 3
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))

    def build():
        own = np.zeros_like(model.document)
        for z in model.template.zones:
            if not is_design(z):
                x0, y0, x1, y1 = model.to_work(z.bbox)
                own[y0:y1, x0:x1] = True
        blind = ~model.document | model.unknown | own
        # the page's edge: the warp repeats the outermost pixels beyond it
        blind[0, :] = blind[-1, :] = True
        blind[:, 0] = blind[:, -1] = True
        return ~cv2.dilate(blind.view(np.uint8), kernel).view(bool)

    base = model.cached(("deviation-design", reach), build)
    # personalization is printed in solid strokes that fill most of a cell;
    # the dark dots of a copier, laser or inkjet reprint are scattered and
    # never do, so they stay in the comparison (on a 4x coarser grid, which
    # also makes the dilation cheap)
    # a soft capture keeps text below the hard ink threshold of the maps: solid strokes much darker than
    # the blur-matched reference count too
    dark = luminance(cv2.subtract(maps.ref_blurred, maps.image)) > TEXT_CONTRAST  # luma is linear: one transform
    # near-black ink where the reference is near-black too is the design's own lettering (a title, a label), not
    # personalization: it stays in the comparison, or a reprinted title would be out of sight
    ink = maps.ink & ~cv2.dilate((luminance(maps.ref_blurred) < INK_LEVEL).view(np.uint8),
                                 np.ones((3, 3), np.uint8)).view(bool)
    dark = cv2.morphologyEx(dark.view(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)).view(bool) | ink
    ink = (to_cells(dark.astype(np.float32), CELL) > INK_CELL_SHARE).astype(np.uint8)
    # the window's reach is dilated on the cell grid (rounded up to whole cells): the same cells stay out,
    # without a whole-page dilation by a large kernel
    r = 1 + -(-reach // CELL)
    ink = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
    ink = cv2.resize(ink, maps.ink.shape[::-1], interpolation=cv2.INTER_NEAREST).view(bool)
    return base & ~ink


def capture_misfit(maps: Maps, design: np.ndarray, *, most: float = MISFIT) -> float:
    """The share of the design's structure energy this capture leaves unexplained (page median, at most ``most``).

    Measured like the noise, on the capture itself: over the design's
    structured windows, the residual energy beyond the noise per unit of
    the reference's structure energy. A sharp capture at the reference's
    own resolution (the registration image itself) leaves none; blur,
    resampling and a residue of the alignment leave a few per cent. Held to
    ``most`` so that a page reprinted all over (whose every line misfits)
    is not taken as its own norm.
    """
    if maps.strength is None:
        return most
    g = (slice(None, None, 3), slice(None, None, 3))
    sel = design[g] & maps.structure[g]
    if sel.sum() < 50:
        return most
    share = (maps.excess[g][sel] - 1.0) / np.maximum(maps.strength[g][sel], 1e-6)
    return float(np.clip(np.median(share), 0.0, most))


@dataclass
class CellFeatures:
    """Per-cell measurements (:data:`FEATURES`) and their weights (share of the cell that counts)."""

    values: np.ndarray  # (F, h, w) float32
    weights: np.ndarray  # (F, h, w) float32
    strength: np.ndarray  # (h, w): the reference's structure over the capture's noise


def cell_features(maps: Maps, model: ReferenceModel) -> CellFeatures:
    design = _design_pixels(maps, model)
    w_design = to_cells(design.astype(np.float32))
    w_struct = to_cells((design & maps.structure).astype(np.float32))
    # the gain itself, not its log: where glare or a soft capture leaves little of the fine print, the log
    # of a small regression coefficient would turn its noise into large deviations
    lg = np.clip(maps.gain, 0.0, 2.0)
    # texture the reference does not explain: the residual about the window's own gain (in units of the
    # capture's noise), over what noise and the capture's own misfit of the design's structure (blur, a tenth
    # of a pixel of misalignment: measured on the page, as the noise is) leave on a genuine capture
    s = maps.strength if maps.strength is not None else np.zeros_like(maps.gain)
    local = np.maximum(maps.excess - (maps.gain - 1) ** 2 * s, 0)
    local += 1
    local /= 1 + capture_misfit(maps, design) * s
    le = cv2.log(local, dst=local)  # OpenCV's log: a third of numpy's cost on float32, to 5e-7
    structure = to_cells(lg * (design & maps.structure)) / np.maximum(w_struct, 1e-3)
    texture = to_cells(le * design) / np.maximum(w_design, 1e-3)
    strength = to_cells(maps.strength * (design & maps.structure)) / np.maximum(w_struct, 1e-3) \
        if maps.strength is not None else np.ones_like(w_struct)
    col = maps.colour_quarter
    hh, ww = w_design.shape
    col = col[:hh, :ww]
    bright = col.mean(axis=2)
    chroma_a = (col[..., 0] - col[..., 1]) * np.float32(1 / np.sqrt(2))
    chroma_b = (col[..., 0] + col[..., 1] - 2 * col[..., 2]) * np.float32(1 / np.sqrt(6))
    w_colour = np.where(w_design >= COLOUR_CLEAN_SHARE, w_design, 0).astype(np.float32)
    values = np.stack([structure, texture, bright, chroma_a, chroma_b]).astype(np.float32)
    weights = np.stack([w_struct, w_design, w_colour, w_colour, w_colour]).astype(np.float32)
    weights[:, w_design < 0.25] = 0
    return CellFeatures(values, weights, strength.astype(np.float32))


def detrend(values: np.ndarray, weights: np.ndarray, *, sigma_cells: float, block: int = 8,
            reject: float | None = None) -> np.ndarray:
    """``values`` minus their smooth weighted trend (robust: a second pass without the outliers of the first).

    The trend is a weighted Gaussian mean at ``sigma_cells``, computed on
    ``block`` x ``block`` block means (cheap) and resampled back. With
    ``reject`` (in robust spreads), a second pass leaves out what the first
    found beyond it (the trend then does not follow a large patch, but does
    not follow a large genuine glare spot either: off by default).
    """
    h, w = values.shape
    s = max(sigma_cells / block, 0.5)

    def trend(wt):
        num = cv2.GaussianBlur(to_cells(values * wt, block), (0, 0), s)
        den = cv2.GaussianBlur(to_cells(wt, block), (0, 0), s)
        t = num / np.maximum(den, 1e-4)
        fallback = float((values * wt).sum() / max(wt.sum(), 1e-6))
        t = np.where(den > 1e-3, t, fallback).astype(np.float32)
        return cv2.resize(t, (w, h), interpolation=cv2.INTER_LINEAR)

    first = values - trend(weights)
    sel = weights > 0.5
    if reject is None or sel.sum() < 20:
        return first
    spread = 1.4826 * float(np.median(np.abs(first[sel]))) + 1e-6
    keep = weights * (np.abs(first) < reject * spread)
    return values - trend(keep)


@dataclass
class Deviations:
    """z-scores of the design's deviation from genuine variation, per cell and measurement."""

    z: np.ndarray  # (F, h, w)
    weights: np.ndarray  # (F, h, w)
    raw: np.ndarray  # (F, h, w): detrended deviations, before dividing by the spread

    @property
    def anomaly(self) -> np.ndarray:
        """Per cell, the largest |z| over the measurements that count there.

        Texture counts only upwards (dots added); structure counts half as
        much upwards: a print sharper than the page's average blur is what
        the finest genuine line work (microprint) shows on any capture whose
        sharpness varies over the page, while fine print that faded is what
        washing, abrasion and reprinting leave.
        """
        z = np.abs(self.z)
        z[1] = np.maximum(self.z[1], 0)
        z[0] = np.where(self.z[0] > 0, SHARPER_WEIGHT * self.z[0], -self.z[0])
        z *= self.weights > 0.3
        return z.max(axis=0)

    @property
    def erasure(self) -> np.ndarray:
        """Per cell, how strongly the print is at once lighter and its fine lines fainter (z, 0 where not both).

        Lifting ink (a solvent, a blade) does both in the same place; genuine
        variation rarely does: a cell lighter than the page is the light, one
        with fainter lines is blur, each alone. Two independent z-scores of
        one sign combine to ``(brightness - structure) / sqrt(2)``.
        """
        return self._fainter_lines_and(2)

    @property
    def reprint(self) -> np.ndarray:
        """Per cell, how strongly the design's fine lines are fainter while marks foreign to it were added (z).

        A reprint rebuilds the line work from another process's marks (a
        copier's dots, toner, an inkjet's dither, a low-resolution copy's
        blocks and sharpening halos): the genuine lines weaken and foreign
        texture appears in the same place. Genuine variation does one or the
        other: blur weakens lines and adds nothing, noise adds texture and
        keeps the lines. ``(texture - structure) / sqrt(2)`` where both moved.
        """
        return self._fainter_lines_and(1)

    def _fainter_lines_and(self, k: int) -> np.ndarray:
        """Fainter fine lines (structure z below 0) and measurement ``k`` above 0 in the same measured cell,
        combined as two independent z-scores: ``(z_k - z_structure) / sqrt(2)``; 0 where not both."""
        zs, zk = self.z[0], self.z[k]
        both = (zk > 0) & (zs < 0) & (self.weights[0] > 0.3) & (self.weights[k] > 0.3)
        return np.where(both, (zk - zs) * np.float32(1 / np.sqrt(2)), np.float32(0))


#: weight of a structure deviation upwards (sharper than the page) against one downwards
SHARPER_WEIGHT = 0.5
#: genuine spread that is always there (print-to-print and lighting residue), per measurement
FLOOR = np.float32([0.09, 0.3, 0.012, 0.008, 0.008])
#: independent pixels in a window, over the window's area (residual correlation length ~2 px)
INDEPENDENT_SHARE = 0.08


def deviations(maps: Maps, model: ReferenceModel, variation=None, *, trend_mm: float = TREND_MM,
               floor=FLOOR) -> Deviations:
    """Detrended deviations divided by the genuine spread of each cell.

    ``variation`` (:class:`docexam.examine.variation.Variation`) gives the
    spread measured on genuine captures; without it only ``floor`` and the
    capture's own noise count.
    """
    f = cell_features(maps, model)
    sigma_cells = model.mm(trend_mm) / CELL
    raw = np.stack([detrend(v, w, sigma_cells=sigma_cells) for v, w in zip(f.values, f.weights)])
    var = np.broadcast_to(np.asarray(floor, np.float32)[:, None, None] ** 2, raw.shape).copy()
    n = INDEPENDENT_SHARE * maps.window ** 2
    var[0] += 1.0 / (n * np.maximum(f.strength, 1e-2))
    if variation is not None:
        var += variation.variance(raw.shape[1:], maps.sigma)
    return Deviations(raw / np.sqrt(var), f.weights, raw)


@dataclass
class Region:
    """A connected region of deviating cells."""

    box_work: tuple[int, int, int, int]  # working pixels
    cells: int
    area_mm2: float
    mass: float  # sum of (anomaly - threshold) over the cells, times the cell area in mm^2
    peak: float
    profile: dict  # mean signed z per measurement over the region
    edge: float = 1.0  # how sharply it stands out: 1 - (anomaly just around it) / (anomaly in it)


def find_regions(dev: Deviations, model: ReferenceModel, *, threshold: float = 4.0, min_area_mm2: float = 1.0,
                 close_mm: float = 0.7, ring_mm: float = 3.0, anomaly: np.ndarray | None = None) -> list[Region]:
    """Connected regions where the anomaly exceeds ``threshold``, largest mass first.

    A region's ``edge`` compares its anomaly with the anomaly in a ring of
    ``ring_mm`` around it: a tampered patch ends at its edge (near 1); glare
    on a glossy laminate or a shadow fades out slowly (near 0), and its
    ``mass`` is discounted by as much. ``anomaly`` is the per-cell map to
    threshold (default :attr:`Deviations.anomaly`; e.g. :attr:`Deviations.erasure`).
    """
    a = dev.anomaly if anomaly is None else anomaly
    counts = (dev.weights > 0.3).any(axis=0)
    hot = (a > threshold).astype(np.uint8)
    k = max(1, int(round(model.mm(close_mm) / CELL)))
    hot = cv2.morphologyEx(hot, cv2.MORPH_CLOSE, np.ones((2 * k + 1, 2 * k + 1), np.uint8))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(hot, connectivity=8)
    cell_mm2 = (CELL / model.mm(1.0)) ** 2
    out = []
    for i in range(1, n):
        area = stats[i, cv2.CC_STAT_AREA] * cell_mm2
        if area < min_area_mm2:
            continue
        sel = lab == i
        excess = np.maximum(a[sel] - threshold, 0)
        x, y, w, h = (int(v) for v in stats[i, :4])
        prof = {}
        for j, name in enumerate(FEATURES):
            wt = dev.weights[j][sel] * (excess + 1e-3)
            prof[name] = float((dev.z[j][sel] * wt).sum() / max(wt.sum(), 1e-6))
        r = max(1, int(round(model.mm(ring_mm) / CELL)))
        y0, y1, x0, x1 = max(y - r, 0), min(y + h + r, a.shape[0]), max(x - r, 0), min(x + w + r, a.shape[1])
        near = cv2.dilate(sel[y0:y1, x0:x1].view(np.uint8), np.ones((2 * r + 1,) * 2, np.uint8)).view(bool)
        ring = near & ~sel[y0:y1, x0:x1] & counts[y0:y1, x0:x1]
        inside = float(a[sel].mean())
        around = float(np.median(a[y0:y1, x0:x1][ring])) if ring.sum() >= 4 else 0.0
        edge = float(np.clip(1.0 - around / max(inside, 1e-6), 0.0, 1.0))
        out.append(Region((x * CELL, y * CELL, (x + w) * CELL, (y + h) * CELL), int(sel.sum()), float(area),
                          float(excess.sum() * cell_mm2) * edge, float(a[sel].max()), prof, edge))
    out.sort(key=lambda r: -r.mass)
    return out
