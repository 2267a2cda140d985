"""MRZ lines: from located boxes to straight, fixed-pitch character strips.

Three steps, each a pure function over arrays:

1. :func:`measure_lines` looks closely at every located line: it samples a
   coarse straight strip along the box and measures the text band (row
   profile of the ink) at both ends (perspective makes the far end
   smaller), the residual skew (ink centre per column block, least
   squares), the character pitch (autocorrelation of the column profile:
   an MRZ is strongly periodic) and where the characters start and end
   (the longest column run of ink whose gaps are shorter than a character:
   MRZ lines have no spaces, so anything beyond a wider gap is other
   print). The ends are searched over the union of all lines of the group,
   because MRZ lines are left-aligned and of equal length: a line the
   locator found in pieces is still read whole.
2. :func:`line_strip` resamples one line, straight from the input image
   (one interpolation, ``cv2.remap``), into *canonical geometry*: a
   character pitch of :data:`~docexam.mrz.glyphs.CELL_W` pixels and
   capitals :data:`~docexam.mrz.glyphs.CAP_HEIGHT` tall, character ``i`` in
   cell ``i``. The mapping is a :class:`Grid`: position along the line as a
   quadratic in the character index (so perspective foreshortening can be
   followed), vertical offset and scale linear in it.
3. :func:`classify_strip` scores every cell against the OCR-B glyph bank:
   a fast pass with one template per character finds each cell's best
   alignment within a few pixels, then all template variants score the
   cell around that alignment.

Examples
--------
>>> import numpy as np
>>> from docexam.mrz.glyphs import CELL_W
>>> geom = LineGeometry(start=(10.0, 20.0), end=(10.0 + 29.68 * 12, 20.0), band_start=12.0, band_end=12.0)
>>> strip = line_strip(np.full((60, 400), 255, np.uint8), initial_grid(geom, n_chars=30))
>>> strip.shape[1] == 30 * CELL_W + 2 * MARGIN_X
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from .glyphs import BASELINE, CAP_HEIGHT, CELL_H, CELL_W, INK_MARGIN_PER_PITCH, glyph_bank, normalise_patches
from .locate import MRZCandidate

#: extra canonical pixels left/right and above/below the cells (alignment search room)
MARGIN_X = 8
MARGIN_Y = 5
#: y of the middle of the capitals in a cell
CAP_MID = BASELINE - CAP_HEIGHT / 2
#: coarse strip: text band height in pixels used while measuring
_COARSE_BAND = 24.0


@dataclass(frozen=True)
class LineGeometry:
    """Where one MRZ line's characters are, in input image pixels.

    ``start``/``end``: middle of the capitals at the outer edges of the first
    and last glyph's ink (the reading direction is from start to end);
    ``band_start``/``band_end``: capital height at either end;
    ``pitch_start``/``pitch_end``:
    character pitch at either end from the line's periodicity (0 when unknown).
    """

    start: tuple
    end: tuple
    band_start: float
    band_end: float
    pitch_start: float = 0.0
    pitch_end: float = 0.0

    @property
    def length(self) -> float:
        return float(math.dist(self.start, self.end))

    @property
    def band_height(self) -> float:
        return (self.band_start + self.band_end) / 2

    @property
    def pitch(self) -> float:
        """Mean character pitch (0 when unknown)."""
        return (self.pitch_start + self.pitch_end) / 2 if self.pitch_start > 0 and self.pitch_end > 0 else 0.0

    @property
    def chars_estimate(self) -> float:
        """Characters the ink run spans at the measured pitch (0 when the pitch is unknown)."""
        if self.pitch <= 0:
            return 0.0
        # pitch linear along the line (perspective): characters = integral of 1 / pitch
        a, b = self.pitch_start, self.pitch_end
        per_px = (math.log(b / a) / (b - a)) if abs(b - a) > 1e-6 * a else 1 / a
        return self.length * per_px + 2 * INK_MARGIN_PER_PITCH

    def flipped(self) -> "LineGeometry":
        """The same line read from the other end (a document turned 180 degrees)."""
        return LineGeometry(self.end, self.start, self.band_end, self.band_start, self.pitch_end, self.pitch_start)

    def shifted(self, offset_px: float, length_px: float) -> "LineGeometry":
        """The part of the line from ``offset_px`` along it, ``length_px`` long."""
        s, e = np.asarray(self.start, float), np.asarray(self.end, float)
        L = max(self.length, 1e-9)
        u = (e - s) / L
        a, b = offset_px, offset_px + length_px
        lerp = lambda x, y, t: x + (y - x) * t / L  # noqa: E731
        return LineGeometry(tuple(s + u * a), tuple(s + u * b), lerp(self.band_start, self.band_end, a),
                            lerp(self.band_start, self.band_end, b), lerp(self.pitch_start, self.pitch_end, a),
                            lerp(self.pitch_start, self.pitch_end, b))


@dataclass(frozen=True)
class Grid:
    """Where the character cells of one line are, in image pixels.

    For character coordinate ``k`` (cell ``i`` spans ``k`` in [i, i+1]) the
    cell column is at ``origin + u * t(k) + v * (off(k) + y * scale(k))``
    with ``t(k) = t0 + t1 k + t2 k^2``, ``off(k) = d0 + d1 k + d2 k^2`` (a
    bent page or lens distortion curves the line) and
    ``scale(k) = (h0 + h1 k) / CAP_HEIGHT`` image pixels per canonical pixel
    (``y`` relative to the middle of the capitals).
    """

    origin: tuple
    u: tuple
    v: tuple
    n_chars: int
    t: tuple  # (t0, t1, t2)
    d: tuple  # (d0, d1, d2)
    h: tuple  # (h0, h1)

    def points(self, k: np.ndarray, y: np.ndarray | float = 0.0) -> np.ndarray:
        """Image points (..., 2) of character coordinates ``k`` at canonical offsets ``y``."""
        k = np.asarray(k, dtype=np.float64)
        t = self.t[0] + self.t[1] * k + self.t[2] * k * k
        off = self.d[0] + self.d[1] * k + self.d[2] * k * k + np.asarray(y) * (self.h[0] + self.h[1] * k) / CAP_HEIGHT
        o, u, v = (np.asarray(a, dtype=np.float64) for a in (self.origin, self.u, self.v))
        return o + t[..., None] * u + off[..., None] * v

    @property
    def pixel_scale(self) -> float:
        """Largest image pixels per canonical pixel (for anti-alias filtering)."""
        kmax = self.n_chars
        horiz = max(abs(self.t[1]), abs(self.t[1] + 2 * self.t[2] * kmax)) / CELL_W
        vert = max(abs(self.h[0]), abs(self.h[0] + self.h[1] * kmax)) / CAP_HEIGHT
        return max(horiz, vert)


def initial_grid(geom: LineGeometry, *, n_chars: int) -> Grid:
    """The cell grid of a line of ``n_chars`` characters whose ink spans ``geom``."""
    if n_chars < 1:
        raise ValueError("n_chars: must be positive")
    s, e = np.asarray(geom.start, float), np.asarray(geom.end, float)
    length = geom.length
    if length <= 0 or geom.band_start <= 0 or geom.band_end <= 0:
        raise ValueError("geom: empty line")
    u = (e - s) / length
    v = np.array([-u[1], u[0]])
    m = INK_MARGIN_PER_PITCH
    span = n_chars - 2 * m  # character coordinates from the start (k = m) to the end (k = n - m)
    # local pitch may change along the line (perspective): t(k) = t0 + t1 k + t2 k^2 with
    # t(m) = 0, t(n - m) = length and t'(n - m) / t'(m) = the measured pitch ratio
    r = geom.pitch_end / geom.pitch_start if geom.pitch_start > 0 and geom.pitch_end > 0 else 1.0
    r = float(np.clip(r, 0.6, 1.6))
    A = np.array([[1 - r, 2 * ((n_chars - m) - r * m)], [span, (n_chars - m) ** 2 - m ** 2]])
    t1, t2 = np.linalg.solve(A, [0.0, length])
    t0 = -t1 * m - t2 * m * m
    # band height follows the local pitch, matched to the measured mean band
    mid = n_chars / 2
    p_mid = t1 + 2 * t2 * mid
    hb = geom.band_height
    h = (hb * t1 / p_mid, hb * 2 * t2 / p_mid)
    return Grid(tuple(s), tuple(u), tuple(v), n_chars, (float(t0), float(t1), float(t2)), (0.0, 0.0, 0.0), h)


def refit_grid(grid: Grid, dx: np.ndarray, dy: np.ndarray, weights: np.ndarray, *,
               quadratic: bool = True) -> Grid:
    """Move the grid to where the classifier found the characters.

    ``dx``/``dy``: best offsets (canonical pixels) of each cell from :func:`classify_strip`;
    ``weights``: trust in each (0 ignores a cell). The cell centres are re-fitted
    by least squares (position and vertical offset quadratic in the index when
    ``quadratic``, else linear), rejecting outliers once.
    """
    n = grid.n_chars
    k = np.arange(n) + 0.5
    w = np.asarray(weights, dtype=float)
    keep = w > 0
    if keep.sum() < 6:
        return grid
    # where the cell centres really are, in the grid's own coordinates
    k_true = k + np.asarray(dx, float) / CELL_W
    t_true = grid.t[0] + grid.t[1] * k_true + grid.t[2] * k_true ** 2
    scale = (grid.h[0] + grid.h[1] * k) / CAP_HEIGHT
    d_true = grid.d[0] + grid.d[1] * k + grid.d[2] * k * k + np.asarray(dy, float) * scale
    deg = 2 if (quadratic and keep.sum() >= 12) else 1
    for _ in range(2):
        ct = np.polyfit(k[keep], t_true[keep], deg, w=np.sqrt(w[keep]))
        cd = np.polyfit(k[keep], d_true[keep], deg, w=np.sqrt(w[keep]))
        pitch = grid.t[1]
        resid = np.abs(np.polyval(ct, k) - t_true) / pitch * CELL_W + np.abs(np.polyval(cd, k) - d_true) / scale
        new_keep = keep & (resid <= 2.5)
        if new_keep.sum() < 6 or new_keep.sum() == keep.sum():
            break
        keep = new_keep
    t = (float(ct[-1]), float(ct[-2]), float(ct[-3]) if deg == 2 else 0.0)
    # perspective shrinks characters in both directions alike: the height follows the local pitch
    mid = n / 2
    h_mid = grid.h[0] + grid.h[1] * mid
    p_mid = t[1] + 2 * t[2] * mid
    h = (h_mid * t[1] / p_mid, h_mid * 2 * t[2] / p_mid)
    d = (float(cd[-1]), float(cd[-2]), float(cd[-3]) if deg == 2 else 0.0)
    return replace(grid, t=t, d=d, h=h)


def _warp(gray: np.ndarray, M: np.ndarray, size: tuple[int, int], scale: float) -> np.ndarray:
    """Affine-sample ``size`` (w, h) output pixels through ``M`` (dst->src); white outside the image."""
    w, h = size
    src, M = _prefilter(gray, M[:, 2:].T + np.array([[0, 0], [w, 0], [0, h], [w, h]]) @ M[:, :2].T, scale, M)
    return cv2.warpAffine(src, M, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _prefilter(gray: np.ndarray, pts: np.ndarray, scale: float, M: np.ndarray | None = None):
    """Crop the source to the sampled points; low-pass it when it will be shrunk by ``scale``."""
    pad = int(3 * scale) + 3
    x0, y0 = max(int(pts[:, 0].min()) - pad, 0), max(int(pts[:, 1].min()) - pad, 0)
    x1 = min(int(pts[:, 0].max()) + pad + 1, gray.shape[1])
    y1 = min(int(pts[:, 1].max()) + pad + 1, gray.shape[0])
    if x1 <= x0 + 1 or y1 <= y0 + 1:
        x0, y0, x1, y1 = 0, 0, 2, 2
    region = gray[y0:y1, x0:x1]
    if scale > 1.4:
        region = cv2.GaussianBlur(region, (0, 0), 0.42 * scale)
    if M is None:
        return region, (x0, y0)
    M = M.copy()
    M[0, 2] -= x0
    M[1, 2] -= y0
    return region, M


def _ink(strip: np.ndarray, k: int) -> np.ndarray:
    """Ink strength (black-hat) of a strip: dark strokes up, background to 0."""
    return cv2.morphologyEx(strip, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of runs of True."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


def _band(rows: np.ndarray) -> tuple[int, int] | None:
    """Rows of the text band: the run above 35% of the peak that holds the (smoothed) peak."""
    if rows.size == 0 or rows.max() <= 2:
        return None
    sm = np.convolve(rows, np.ones(3) / 3, mode="same")
    peak = int(np.argmax(sm))
    on = rows >= 0.35 * rows.max()
    return next(((a, b) for a, b in _runs(on) if a <= peak < b), None)


def _pitch(profile: np.ndarray, band: float) -> float:
    """Character pitch (px) from the autocorrelation of a column ink profile, 0 if not periodic."""
    p = profile - profile.mean()
    n = len(p)
    lo, hi = max(int(0.45 * band), 2), int(min(1.8 * band, n / 4))
    if hi <= lo + 2:
        return 0.0
    spec = np.fft.rfft(p, 2 * n)
    ac = np.fft.irfft(spec * np.conj(spec))[:n]
    if ac[0] <= 0:
        return 0.0
    ac = ac / ac[0]
    seg = ac[lo:hi + 1]
    peaks = [i for i in range(1, len(seg) - 1) if seg[i] >= seg[i - 1] and seg[i] >= seg[i + 1] and seg[i] >= 0.15]
    if not peaks:
        return 0.0
    i = max(peaks, key=lambda j: seg[j])
    # a multiple of the pitch also correlates: prefer the shortest lag that is nearly as strong
    for j in peaks:
        if j < i and seg[j] >= 0.6 * seg[i] and abs((i + lo) / (j + lo) - round((i + lo) / (j + lo))) < 0.12:
            i = j
            break
    a, b, c = seg[i - 1], seg[i], seg[i + 1]
    den = a - 2 * b + c
    frac = 0.5 * (a - c) / den if den != 0 else 0.0
    return float(lo + i + frac)


def measure_lines(gray: np.ndarray, candidate: MRZCandidate) -> list[LineGeometry] | None:
    """Measure every line of a located MRZ candidate precisely.

    Parameters
    ----------
    gray : ndarray, uint8, shape (H, W)
        The image the candidate was located in (dark text). Not modified.
    candidate : MRZCandidate
        From :func:`docexam.mrz.locate.locate_mrz`.

    Returns
    -------
    list of LineGeometry or None
        In the candidate's line order (reading direction left to right in the
        candidate's frame); None when a line has no measurable text.
    """
    gray = np.asarray(gray)
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError(f"gray: expected a 2-D uint8 array, got {gray.dtype} with shape {gray.shape}")
    if not isinstance(candidate, MRZCandidate) or not candidate.lines:
        raise ValueError("candidate: expected an MRZCandidate with lines")
    lines = candidate.lines
    H, W = gray.shape
    out = []
    for idx, ln in enumerate(lines):
        u, n, c = ln.direction, ln.normal, ln.center
        # union of all lines' ends, projected on this line's axis, plus a margin
        ends = np.concatenate([other.corners() for other in lines])
        t = (ends - c) @ u
        t0, t1 = float(t.min()), float(t.max())
        margin = 0.06 * (t1 - t0)
        t0, t1 = t0 - margin, t1 + margin
        # across: up to half-way to the neighbouring lines
        gaps = []
        if idx > 0:
            gaps.append(abs(float((lines[idx - 1].center - c) @ n)))
        if idx + 1 < len(lines):
            gaps.append(abs(float((lines[idx + 1].center - c) @ n)))
        half = 0.5 * min(gaps) if gaps else 1.0 * ln.height
        half = max(min(half, 1.0 * ln.height), 0.45 * ln.height)
        # coarse strip: box height -> ~_COARSE_BAND px
        s = max(ln.height, 4.0) / _COARSE_BAND  # image px per coarse px
        cw, ch = int(math.ceil((t1 - t0) / s)), int(math.ceil(2 * half / s))
        if cw < 20 or ch < 8:
            return None
        origin = c + u * t0 - n * half
        M = np.array([[u[0] * s, n[0] * s, origin[0]], [u[1] * s, n[1] * s, origin[1]]])
        coarse = _warp(gray, M, (cw, ch), s)
        ink = _ink(coarse, 11).astype(np.float32)
        # columns whose centre lies outside the image carry no ink (not the border's edge)
        xs = np.arange(cw) + 0.5
        px = origin[0] + u[0] * xs * s + n[0] * half
        py = origin[1] + u[1] * xs * s + n[1] * half
        inside = (px >= 1) & (px < W - 1) & (py >= 1) & (py < H - 1)
        ink[:, ~inside] = 0
        run = _band(ink.mean(axis=1))
        if run is None:
            return None
        r0, r1 = run
        band = max(r1 - r0, 3)
        # columns with ink in the band; runs joined across gaps shorter than a character
        band_ink = ink[max(r0 - 1, 0):r1 + 1]
        colsum = band_ink.max(axis=0)
        thr = 0.3 * np.percentile(colsum, 95)
        merged: list[tuple[int, int]] = []
        for a, b in _runs(colsum > thr):
            if merged and a - merged[-1][1] <= 0.9 * band:
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        if not merged:
            return None
        mass = [float(band_ink[:, a:b].sum()) for a, b in merged]
        x0, x1 = merged[int(np.argmax(mass))]
        # a thin stroke at either end, set apart by a gap, is a frame or rule, not a character
        # (the narrowest OCR-B glyph, '1', is ~0.4 pitch wide)
        inner = [(a, b) for a, b in _runs(colsum > thr) if x0 <= a and b <= x1]
        for _ in range(2):
            if len(inner) > 2 and inner[0][1] - inner[0][0] < 0.22 * band and inner[1][0] - inner[0][1] > 0.2 * band:
                inner = inner[1:]
            if len(inner) > 2 and inner[-1][1] - inner[-1][0] < 0.22 * band and inner[-1][0] - inner[-2][1] > 0.2 * band:
                inner = inner[:-1]
        if inner:
            x0, x1 = inner[0][0], inner[-1][1]
        if x1 - x0 < 8 * band:
            return None
        # per block of columns: ink-weighted centre row and band height (skew, perspective)
        lo_r, hi_r = max(r0 - band // 2, 0), min(r1 + band // 2, ch)
        window = ink[lo_r:hi_r]
        yw = np.arange(lo_r, hi_r, dtype=np.float32)[:, None]
        edges = np.linspace(x0, x1, 9).astype(int)
        bx, by, bw, bh = [], [], [], []
        for a, b in zip(edges[:-1], edges[1:]):
            blk = window[:, a:b]
            m = float(blk.sum())
            rb = _band(blk.mean(axis=1))
            if m > 0 and rb is not None:
                bx.append((a + b) / 2)
                by.append(float((blk * yw).sum() / m))
                bw.append(m)
                bh.append(rb[1] - rb[0])
        mid = (r0 + r1) / 2
        if len(bx) >= 3:
            slope, icpt = np.polyfit(bx, by, 1, w=np.sqrt(bw))
            off = mid - float(np.average(by, weights=bw))
            # blocks' own bands are noisy (digits are taller, '<' shorter): one robust height
            band_h = float(np.clip(np.median(bh), 0.8 * band, 1.2 * band))
        else:
            slope, icpt, off, band_h = 0.0, mid, 0.0, float(band)

        def to_img(x, y):
            return tuple((origin + u * (x * s) + n * (y * s)).tolist())

        # pitch of each half (perspective makes them differ), at the half's centre -> at the ends
        prof = band_ink[:, x0:x1].sum(axis=0)
        half_n = len(prof) // 2
        p_a, p_b = _pitch(prof[:half_n], band), _pitch(prof[half_n:], band)
        if p_a > 0 and p_b > 0 and 0.6 < p_b / p_a < 1.6:
            slope_p = (p_b - p_a) / max(half_n, 1)
            p_start, p_end = p_a - slope_p * half_n / 2, p_b + slope_p * half_n / 2
        else:
            p_start = p_end = _pitch(prof, band)
        out.append(LineGeometry(to_img(x0, icpt + slope * x0 + off), to_img(x1, icpt + slope * x1 + off),
                                band_h * s, band_h * s, max(p_start, 0.0) * s, max(p_end, 0.0) * s))
    # one type size for the whole MRZ: the capital height is measured best on the line with
    # fewest digits (OCR-B digits stand taller), so every line is scaled by the smallest band,
    # which keeps a zero taller than an O after rectification, as in the font
    cap = min(g.band_height for g in out)
    return [replace(g, band_start=g.band_start * cap / g.band_height, band_end=g.band_end * cap / g.band_height)
            for g in out]


def line_strip(gray: np.ndarray, grid: Grid) -> np.ndarray:
    """Resample one MRZ line into a canonical fixed-pitch strip.

    Parameters
    ----------
    gray : ndarray, uint8, shape (H, W)
        Source image (dark text). Not modified.
    grid : Grid
        Where the line's cells are (:func:`initial_grid`, :func:`refit_grid`).

    Returns
    -------
    ndarray, uint8, shape (CELL_H + 2 * MARGIN_Y, n_chars * CELL_W + 2 * MARGIN_X)
        Character ``i`` in columns ``MARGIN_X + i * CELL_W`` onwards; white outside the image.
    """
    gray = np.asarray(gray)
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError(f"gray: expected a 2-D uint8 array, got {gray.dtype} with shape {gray.shape}")
    w, h = grid.n_chars * CELL_W + 2 * MARGIN_X, CELL_H + 2 * MARGIN_Y
    # pixel-index coordinates throughout: strip column c is character coordinate (c + 0.5 - MARGIN_X) / CELL_W
    k = (np.arange(w, dtype=np.float64) + 0.5 - MARGIN_X) / CELL_W
    y = np.arange(h, dtype=np.float64) + 0.5 - MARGIN_Y - CAP_MID
    pts = grid.points(k[None, :], y[:, None])  # (h, w, 2)
    scale = grid.pixel_scale
    region, (x0, y0) = _prefilter(gray, pts.reshape(-1, 2), scale)
    map_x = (pts[..., 0] - x0).astype(np.float32)
    map_y = (pts[..., 1] - y0).astype(np.float32)
    return cv2.remap(region, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


@dataclass(frozen=True)
class LineScores:
    """Classifier output for one line strip."""

    #: (n_chars, 37) best normalised correlation per character class
    scores: np.ndarray
    #: (n_chars,) best horizontal / vertical offset (canonical px) of each cell
    dx: np.ndarray
    dy: np.ndarray
    #: (n_chars, CELL_H * CELL_W) the normalised cell at its best alignment
    cells: np.ndarray

    @property
    def quality(self) -> float:
        """Mean best score over the line (how much it looks like OCR-B at this pitch)."""
        return float(self.scores.max(axis=1).mean())


def classify_strip(strip: np.ndarray, *, search_x: int = 5, search_y: int = 3, full: bool = True) -> LineScores:
    """Score each character cell of a canonical strip against the OCR-B glyph bank.

    Coarse to fine, so a line costs a few milliseconds: the best alignment of
    every cell is searched at half resolution with one template per
    character, refined at full resolution, and only there are all template
    variants (weights, blurs, heights) compared.

    Parameters
    ----------
    strip : ndarray, uint8
        From :func:`line_strip` (dark text on light). Not modified.
    search_x, search_y : int, keyword-only
        Alignment search half-range around each nominal cell, canonical pixels.
    full : bool, keyword-only
        Score with every template variant at the best alignment (otherwise the
        one-template-per-character scores are returned: faster, for probing).

    Returns
    -------
    LineScores

    Examples
    --------
    >>> import numpy as np
    >>> blank = np.full((CELL_H + 2 * MARGIN_Y, 30 * CELL_W + 2 * MARGIN_X), 255, np.uint8)
    >>> classify_strip(blank).scores.shape
    (30, 37)
    """
    strip = np.asarray(strip)
    if strip.ndim != 2 or strip.shape[0] != CELL_H + 2 * MARGIN_Y or (strip.shape[1] - 2 * MARGIN_X) % CELL_W:
        raise ValueError(f"strip: shape {strip.shape} is not a canonical line strip")
    if not (0 <= search_x <= MARGIN_X - 1 and 0 <= search_y <= MARGIN_Y - 1):
        raise ValueError(f"search_x/search_y: must be within 0..{MARGIN_X - 1} / 0..{MARGIN_Y - 1}")
    n_chars = (strip.shape[1] - 2 * MARGIN_X) // CELL_W
    bank = glyph_bank()
    ink = _ink(strip, 9).astype(np.float32)
    # flatten stroke intensity: a faint bar of a worn or dot-matrix print (E's middle bar)
    # counts like a dark one, as in the templates, whose stroke cores are uniformly 1
    top = float(np.percentile(ink, 97))
    if top > 0:
        np.minimum(ink, 0.8 * top, out=ink)
    base_x = MARGIN_X + np.arange(n_chars) * CELL_W
    rows = np.arange(n_chars)
    # 1. coarse alignment at half resolution (offsets in steps of 2 px)
    small = cv2.resize(ink, (ink.shape[1] // 2, ink.shape[0] // 2), interpolation=cv2.INTER_AREA)
    win_s = np.lib.stride_tricks.sliding_window_view(small, (CELL_H // 2, CELL_W // 2))
    cdx = np.arange(-(search_x // 2), search_x // 2 + 1)
    xs = (base_x // 2)[:, None] + cdx[None, :]
    ys = np.arange(-(-(MARGIN_Y - search_y) // 2), (MARGIN_Y + search_y) // 2 + 1)  # rows 2r within the search
    sc = bank.small_scores(win_s[ys[None, None, :], xs[:, :, None]])  # (N, ndx, ndy, 37)
    flat = sc.reshape(n_chars, -1, sc.shape[-1]).max(axis=2)
    best = flat.argmax(axis=1)
    bi, bj = np.unravel_index(best, (len(cdx), len(ys)))
    gx = 2 * cdx[bi]
    gy = 2 * ys[bj] - MARGIN_Y  # half-resolution row r is full-resolution row 2r
    # 2. fine alignment around the coarse offset, one template per character
    win = np.lib.stride_tricks.sliding_window_view(ink, (CELL_H, CELL_W))
    nb = np.array([(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1)])
    wide = np.array([(a, b) for a in (-2, -1, 0, 1, 2) for b in (-1, 0, 1)])
    nx = np.clip(gx[:, None] + wide[None, :, 0], -MARGIN_X, MARGIN_X)
    ny = np.clip(gy[:, None] + wide[None, :, 1], -MARGIN_Y, MARGIN_Y)
    fast = bank.align_scores(win[MARGIN_Y + ny, base_x[:, None] + nx])  # (N, 9, 37)
    j = fast.max(axis=2).argmax(axis=1)
    fx, fy = nx[rows, j], ny[rows, j]
    cells = normalise_patches(win[MARGIN_Y + fy, base_x + fx])
    if not full:
        return LineScores(fast[rows, j], fx.astype(float), fy.astype(float), cells)
    # 3. every template variant, at the best alignment and its horizontal neighbours (each
    # character may sit a pixel differently: narrow glyphs are not centred like wide ones)
    ox = np.clip(fx[:, None] + nb[None, :, 0], -MARGIN_X, MARGIN_X)
    oy = np.clip(fy[:, None] + nb[None, :, 1], -MARGIN_Y, MARGIN_Y)
    full_sc = bank.class_scores(win[MARGIN_Y + oy, base_x[:, None] + ox])  # (N, 9, 37)
    return LineScores(full_sc.max(axis=1), fx.astype(float), fy.astype(float), cells)
