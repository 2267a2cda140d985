"""Stroke rendering shared by the security-printing and substrate primitives.

Argument checks that name the parameter, and the rasteriser of antialiased
polylines: curves are sampled densely, thinned to segments whose chord error
stays below a fraction of a pixel (:func:`adaptive`), drawn as binary masks at
a supersampled resolution and box-averaged down (:func:`render_roi`), so
overlapping strokes combine as one ink film (a union), not a sum.

Coordinates are canvas pixels ``(x, y)``, y down, integer coordinates at pixel
centres (the OpenCV and scikit-image convention).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

_SHIFT = 4
_ONE = 1 << _SHIFT
#: Sampling step (canvas px) of curves before :func:`adaptive` thins them.
SEG_PX = 0.5


# --------------------------------------------------------------------------
# validation and geometry helpers
# --------------------------------------------------------------------------


def check_shape(shape) -> tuple[int, int]:
    try:
        h, w = (int(v) for v in shape)
    except (TypeError, ValueError):
        raise ValueError(f"shape: expected (height, width), got {shape!r}") from None
    if h <= 0 or w <= 0:
        raise ValueError(f"shape: height and width must be positive, got {shape!r}")
    return h, w


def positive(name: str, value) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: must be a positive number, got {value!r}")
    return value


def nonnegative(name: str, value) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name}: must be >= 0, got {value!r}")
    return value


def positive_int(name: str, value) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name}: must be a positive integer, got {value!r}")
    return int(value)


def point(name: str, value) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected (x, y), got {value!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"{name}: must be finite, got {value!r}")
    return x, y


def check_box(box) -> tuple[int, int, int, int]:
    try:
        x0, y0, x1, y1 = (float(v) for v in box)
    except (TypeError, ValueError):
        raise ValueError(f"box: expected [x0, y0, x1, y1], got {box!r}") from None
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        raise ValueError(f"box: must be finite, got {box!r}")
    bx0, by0, bx1, by1 = round(x0), round(y0), round(x1), round(y1)
    if bx1 <= bx0 or by1 <= by0:
        raise ValueError(f"box: needs x1 > x0 and y1 > y0, got {box!r}")
    return bx0, by0, bx1, by1


def clip_roi(shape, x0, y0, x1, y1):
    """Pixel region [x0, x1) x [y0, y1) clipped to the canvas, or None."""
    h, w = shape
    x0, y0 = max(0, int(x0)), max(0, int(y0))
    x1, y1 = min(w, int(x1)), min(h, int(y1))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def pick_supersample(line_width: float) -> tuple[int, int]:
    """Supersampling factor and cv2 thickness that best give ``line_width``.

    cv2 draws thick polylines with odd pixel widths (``2*ceil(t/2) + 1``), so
    we choose the factor in 3..5 where ``line_width * ss`` is nearest an odd
    integer; the width error is then about 0.1 px or less at canvas scale.
    """
    best = None
    for ss in (3, 4, 5):
        target = line_width * ss
        odd = max(1, 2 * round((target - 1) / 2) + 1)
        err = abs(odd - target) / ss
        if best is None or err < best[0] - 1e-9:
            best = (err, ss, odd)
    _, ss, odd = best
    return ss, (1 if odd == 1 else odd - 1)


def adaptive(p: np.ndarray, closed: bool, tol: float = 0.02) -> np.ndarray:
    """Thin a densely sampled polyline to segments that keep chord error <= ``tol``.

    cv2 pays for every vertex of a thick polyline (it draws a round join), so
    straight-ish stretches get long segments and tight bends short ones: a
    chord of length ``s`` on a radius ``R`` deviates by ``s**2 / (8 R)``.
    """
    n = len(p)
    if n < 8:
        return p
    q = np.concatenate([p[-1:], p, p[:1]]) if closed else np.concatenate(
        [p[:1], p, p[-1:]])
    v1 = q[1:-1] - q[:-2]
    v2 = q[2:] - q[1:-1]
    seg = np.hypot(v2[:, 0], v2[:, 1])
    turn = np.abs(np.arctan2(v1[:, 0] * v2[:, 1] - v1[:, 1] * v2[:, 0],
                             (v1 * v2).sum(axis=1)))
    radius = seg / np.maximum(turn, 1e-9)
    allowed = np.clip(np.sqrt(8 * tol * radius), 0.5, 6.0)
    budget = np.concatenate([[0.0], np.cumsum(seg / allowed)])[:n]
    keep = np.flatnonzero(np.diff(np.floor(budget), prepend=-1.0) > 0)
    if not closed and keep[-1] != n - 1:
        keep = np.append(keep, n - 1)
    return p[keep]


def render_roi(roi, groups, *, supersample=None) -> np.ndarray:
    """Rasterise polylines into a coverage patch covering ``roi`` only.

    ``roi`` is ``(x0, y0, x1, y1)`` in canvas pixels. ``groups`` is a list of
    ``(polylines, line_width, closed)`` where each polyline is an (N, 2)
    float array of canvas coordinates, already thinned by :func:`adaptive`
    (callers do it once per shape, before copying). Strokes are drawn as
    binary masks at ``ss`` times the resolution and box-averaged down, which
    antialiases them and makes overlapping strokes combine as a union (one
    ink film), not a sum.
    """
    x0, y0, x1, y1 = roi
    if supersample is None:
        ss = max(pick_supersample(lw)[0] for _, lw, _ in groups) if groups else 3
    else:
        ss = supersample
    big = np.zeros(((y1 - y0) * ss, (x1 - x0) * ss), np.uint8)
    for polylines, lw, closed in groups:
        odd = max(1, 2 * round((lw * ss - 1) / 2) + 1)
        thickness = 1 if odd == 1 else odd - 1
        pts = []
        for p in polylines:
            # canvas coordinate -> supersampled pixel centre coordinate
            q = np.empty(p.shape, np.float64)
            q[:, 0] = (p[:, 0] - x0 + 0.5) * ss - 0.5
            q[:, 1] = (p[:, 1] - y0 + 0.5) * ss - 0.5
            pts.append(np.round(q * _ONE).astype(np.int32).reshape(-1, 1, 2))
        if pts:
            cv2.polylines(big, pts, closed, 255, thickness, cv2.LINE_8, _SHIFT)
    small = cv2.resize(big, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    return small.astype(np.float32) * np.float32(1 / 255)


def render_strokes(shape, roi, groups, *, supersample=None) -> np.ndarray:
    """:func:`render_roi` placed on a full (H, W) canvas of zeros."""
    out = np.zeros(shape, np.float32)
    if roi is not None:
        x0, y0, x1, y1 = roi
        out[y0:y1, x0:x1] = render_roi(roi, groups, supersample=supersample)
    return out


def strip_coverage(d: np.ndarray, line_width: float) -> np.ndarray:
    """Antialiased coverage of a line of width ``line_width`` at distance ``d``.

    The length of overlap between the pixel's footprint across the line,
    ``[d - 0.5, d + 0.5]``, and the line ``[-w/2, w/2]``: exact for lines along
    the pixel grid and a good box-filter estimate otherwise; correct for lines
    thinner than a pixel too.
    """
    half = np.float32(line_width / 2)
    hi = np.minimum(d + np.float32(0.5), half)
    lo = np.maximum(d - np.float32(0.5), -half)
    return np.clip(hi - lo, 0.0, 1.0).astype(np.float32, copy=False)

