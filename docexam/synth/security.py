"""Security-printing primitives: guilloche, underprint, iris colour, microtext, emblem.

Every function here is pure: it takes the canvas ``shape`` (height, width) and
keyword-only options and returns a new float32 array; inputs are never
modified and the same arguments always give identical arrays. Line-work
functions return a **coverage** mask (HxW in [0, 1], antialiased) that the
compositor turns into ink with ``out *= 1 - cov[..., None] * (1 - colour)``;
:func:`split_duct` returns a per-pixel colour field (HxWx3) to use as that
colour. Each function only computes inside its box or radius (coverage is
exactly zero elsewhere) and returns a full-canvas array.

Coordinates are canvas pixels ``(x, y)``, y down, with integer coordinates at
pixel centres (the OpenCV and scikit-image convention). Boxes are
``[x0, y0, x1, y1]`` and cover pixel columns ``round(x0) .. round(x1) - 1`` and
rows ``round(y0) .. round(y1) - 1``. Angles of line directions are in degrees,
counter-clockwise as seen on the page; phases of periodic curves are in
radians.

Why this line work protects a document
--------------------------------------
An offset (lithographic) press lays down a solid film of ink wherever the
plate has an image, so a 0.1 mm line stays an unbroken 0.1 mm line along its
whole length, however it curves, and two lines a few tenths of a millimetre
apart stay apart. A copier or inkjet printer rebuilds the image from a halftone
or dither grid of dots of a few fixed colours: thin curved lines come out as
chains of dots that break, merge or wander, and dense crossings fill in. So
the primitives here draw *continuous* parametric curves (rosettes, wave bands,
warped line fields) with exact widths around 2-3 px at 600 dpi; a forensic
loupe shows whether a specimen's lines are continuous.

Split-duct (iris, rainbow) printing divides the ink duct of one press unit
into sections holding different inks; the oscillating rollers mix neighbouring
inks into a smooth gradient with no dot structure, inside a *single* line. A
reproduction has to screen that gradient from process colours, which shows as
dots, steps or colour shifts within the line. :func:`split_duct` models the
roller mixing as overlapping smooth weights and (by default) mixes the inks
subtractively, as pigments do.

Microprinting (text with 0.3-0.5 mm capitals) reads as a plain line to the eye
and under a loupe as sharp letters; a copy smears it into a dotted line.

Examples
--------
>>> import numpy as np
>>> cov = rosette((400, 400), center=(200, 200), r_inner=60, r_outer=150,
...               lobes=9, n_curves=6, line_width=2.4)
>>> cov.shape, cov.dtype, bool(cov.max() > 0.9)
((400, 400), dtype('float32'), True)
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from docexam.paths import font_path as _font_path

__all__ = [
    "emblem",
    "line_field",
    "microprint",
    "microprint_text",
    "rosette",
    "split_duct",
    "wave_band",
]

#: Fixed-point bits for sub-pixel positions passed to cv2 drawing calls.
_SHIFT = 4
_ONE = 1 << _SHIFT
#: Sampling step (canvas px) of curves before :func:`_adaptive` thins them.
_SEG_PX = 0.5
_DEFAULT_FONT = "DejaVuSans-Bold.ttf"


# --------------------------------------------------------------------------
# validation and geometry helpers
# --------------------------------------------------------------------------


def _check_shape(shape) -> tuple[int, int]:
    try:
        h, w = (int(v) for v in shape)
    except (TypeError, ValueError):
        raise ValueError(f"shape: expected (height, width), got {shape!r}") from None
    if h <= 0 or w <= 0:
        raise ValueError(f"shape: height and width must be positive, got {shape!r}")
    return h, w


def _positive(name: str, value) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: must be a positive number, got {value!r}")
    return value


def _nonnegative(name: str, value) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name}: must be >= 0, got {value!r}")
    return value


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name}: must be a positive integer, got {value!r}")
    return int(value)


def _point(name: str, value) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected (x, y), got {value!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"{name}: must be finite, got {value!r}")
    return x, y


def _check_box(box) -> tuple[int, int, int, int]:
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


def _clip_roi(shape, x0, y0, x1, y1):
    """Pixel region [x0, x1) x [y0, y1) clipped to the canvas, or None."""
    h, w = shape
    x0, y0 = max(0, int(x0)), max(0, int(y0))
    x1, y1 = min(w, int(x1)), min(h, int(y1))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def _pick_supersample(line_width: float) -> tuple[int, int]:
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


def _adaptive(p: np.ndarray, closed: bool, tol: float = 0.02) -> np.ndarray:
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


def _render_roi(roi, groups, *, supersample=None) -> np.ndarray:
    """Rasterise polylines into a coverage patch covering ``roi`` only.

    ``roi`` is ``(x0, y0, x1, y1)`` in canvas pixels. ``groups`` is a list of
    ``(polylines, line_width, closed)`` where each polyline is an (N, 2)
    float array of canvas coordinates, already thinned by :func:`_adaptive`
    (callers do it once per shape, before copying). Strokes are drawn as
    binary masks at ``ss`` times the resolution and box-averaged down, which
    antialiases them and makes overlapping strokes combine as a union (one
    ink film), not a sum.
    """
    x0, y0, x1, y1 = roi
    if supersample is None:
        ss = max(_pick_supersample(lw)[0] for _, lw, _ in groups) if groups else 3
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


def _render_strokes(shape, roi, groups, *, supersample=None) -> np.ndarray:
    """:func:`_render_roi` placed on a full (H, W) canvas of zeros."""
    out = np.zeros(shape, np.float32)
    if roi is not None:
        x0, y0, x1, y1 = roi
        out[y0:y1, x0:x1] = _render_roi(roi, groups, supersample=supersample)
    return out


def _strip_coverage(d: np.ndarray, line_width: float) -> np.ndarray:
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


# --------------------------------------------------------------------------
# guilloche rosette
# --------------------------------------------------------------------------


def _rosette_curve(kind: str, a: float, b: float, m: int, n_pts: int) -> np.ndarray:
    """One closed curve around the origin with |z| between a-b and a+b, m lobes."""
    t = np.linspace(0.0, 2 * np.pi, n_pts, endpoint=False)
    if kind == "epitrochoid":
        z = a * np.exp(1j * t) + b * np.exp(1j * (1 + m) * t)
    elif kind == "hypotrochoid":
        z = a * np.exp(1j * t) + b * np.exp(1j * (1 - m) * t)
    else:  # "sine": a lobed circle r(t) = a + b cos(m t), no loops
        z = (a + b * np.cos(m * t)) * np.exp(1j * t)
    return z


def rosette(
    shape,
    *,
    center,
    r_inner,
    r_outer,
    lobes,
    n_curves,
    line_width,
    phase=0.0,
    kind="epitrochoid",
    supersample=None,
) -> np.ndarray:
    """Coverage of a guilloche rosette: rotated copies of one lobed closed curve.

    Each curve is a trochoid ``z(t) = a e^{it} + b e^{i(1±m)t}`` with
    ``a = (r_outer + r_inner) / 2`` and ``b = (r_outer - r_inner) / 2``, so its
    distance from the centre swings ``lobes`` times between ``r_inner`` and
    ``r_outer`` (the epitrochoid and hypotrochoid kinds loop at each lobe,
    like a geometric lathe's pattern). ``n_curves`` copies are rotated by
    ``2π / (lobes * n_curves)`` steps so they interleave evenly into a mesh of
    crossing lines.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    center : (float, float)
        Rosette centre (x, y) in canvas pixels.
    r_inner, r_outer : float
        Radii (px) of the curves' centre lines, ``0 <= r_inner < r_outer``.
        Coverage is zero beyond ``r_outer + line_width / 2 + 1``.
    lobes : int
        Lobes per curve (>= 1).
    n_curves : int
        Number of rotated copies (>= 1).
    line_width : float
        Stroke width in px (0.1 mm = 2.36 px at 600 dpi).
    phase : float, optional
        Rotation of the whole rosette, radians.
    kind : {"epitrochoid", "hypotrochoid", "sine"}, optional
        Curve family; "sine" is a lobed circle without loops.
    supersample : int, optional
        Supersampling factor for antialiasing; by default chosen in 3..5 to
        reproduce ``line_width`` most exactly.

    Returns
    -------
    coverage : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> cov = rosette((300, 300), center=(150, 150), r_inner=40, r_outer=120,
    ...               lobes=7, n_curves=4, line_width=2.4)
    >>> bool(cov[150, 150] == 0), bool(cov.max() > 0.9)
    (True, True)
    """
    shape = _check_shape(shape)
    cx, cy = _point("center", center)
    r_inner = _nonnegative("r_inner", r_inner)
    r_outer = _positive("r_outer", r_outer)
    if r_outer <= r_inner:
        raise ValueError(f"r_outer: must be greater than r_inner ({r_inner}), got {r_outer}")
    lobes = _positive_int("lobes", lobes)
    n_curves = _positive_int("n_curves", n_curves)
    line_width = _positive("line_width", line_width)
    phase = float(phase)
    if kind not in ("epitrochoid", "hypotrochoid", "sine"):
        raise ValueError(f"kind: must be 'epitrochoid', 'hypotrochoid' or 'sine', got {kind!r}")
    if supersample is not None:
        supersample = _positive_int("supersample", supersample)

    a = (r_outer + r_inner) / 2
    b = (r_outer - r_inner) / 2
    # upper bound of |z'(t)| -> number of samples for ~1 px segments
    speed = {"epitrochoid": a + b * (1 + lobes), "hypotrochoid": a + b * abs(1 - lobes),
             "sine": a + b + b * lobes}[kind]
    n_pts = max(64, math.ceil(2 * math.pi * speed / _SEG_PX))
    z0 = _rosette_curve(kind, a, b, lobes, n_pts)
    # thin once; rotated copies have the same geometry
    xy = _adaptive(np.stack([z0.real, z0.imag], axis=1), True)
    base = xy[:, 0] + 1j * xy[:, 1]
    step = 2 * math.pi / (lobes * n_curves)
    curves = []
    for k in range(n_curves):
        z = base * np.exp(1j * (phase + k * step))
        curves.append(np.stack([cx + z.real, cy + z.imag], axis=1))

    reach = r_outer + line_width / 2 + 2
    roi = _clip_roi(shape, math.floor(cx - reach), math.floor(cy - reach),
                    math.ceil(cx + reach) + 1, math.ceil(cy + reach) + 1)
    return _render_strokes(shape, roi, [(curves, line_width, True)], supersample=supersample)


# --------------------------------------------------------------------------
# wave band
# --------------------------------------------------------------------------


def wave_band(
    shape,
    *,
    box,
    n_lines,
    amplitude,
    wavelength,
    line_width,
    phase=0.0,
    modulation=0.0,
    phase_step=None,
    mod_wavelength=None,
    supersample=None,
) -> np.ndarray:
    """Coverage of a guilloche band of fine sinusoidal lines filling ``box``.

    Line ``j`` (0-based) is ``y = c_j + A(x) sin(2π (x - x0) / wavelength +
    phase + j * phase_step)``. The centre lines ``c_j`` are spread evenly over
    the height the waves leave free; when ``2 * amplitude`` fills the box they
    all share the middle and the phase steps braid them into a rope. With
    ``phase_step`` (default ``2π / n_lines``) neighbouring lines cross each
    other: the interlaced look that needs registration-perfect printing.
    ``A(x) = amplitude * (1 - modulation * (1 + cos(2π (x - x0) / mod_wavelength)) / 2)``
    swells and pinches the band.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    box : [x0, y0, x1, y1]
        Band box in canvas px; coverage is zero outside it.
    n_lines : int
        Number of lines (>= 1).
    amplitude : float
        Peak deflection of each line (px, >= 0).
    wavelength : float
        Wavelength along x (px, > 0).
    line_width : float
        Stroke width (px).
    phase : float, optional
        Phase of line 0, radians.
    modulation : float, optional
        Depth of amplitude modulation in [0, 1]; 0 = constant amplitude.
    phase_step : float, optional
        Phase difference between neighbouring lines, radians (default
        ``2π / n_lines``; 0 gives parallel stacked waves).
    mod_wavelength : float, optional
        Period of the amplitude modulation (px, default ``8 * wavelength``).
    supersample : int, optional
        Supersampling factor (default: chosen for ``line_width``).

    Returns
    -------
    coverage : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> cov = wave_band((100, 400), box=[10, 20, 390, 80], n_lines=8,
    ...                 amplitude=25, wavelength=60, line_width=2.0)
    >>> bool(cov[:20].max() == 0), bool(cov[20:80].max() > 0.9)
    (True, True)
    """
    shape = _check_shape(shape)
    bx0, by0, bx1, by1 = _check_box(box)
    n_lines = _positive_int("n_lines", n_lines)
    amplitude = _nonnegative("amplitude", amplitude)
    wavelength = _positive("wavelength", wavelength)
    line_width = _positive("line_width", line_width)
    modulation = float(modulation)
    if not 0.0 <= modulation <= 1.0:
        raise ValueError(f"modulation: must be in [0, 1], got {modulation!r}")
    phase = float(phase)
    phase_step = 2 * math.pi / n_lines if phase_step is None else float(phase_step)
    mod_wavelength = 8 * wavelength if mod_wavelength is None else _positive(
        "mod_wavelength", mod_wavelength)
    if supersample is not None:
        supersample = _positive_int("supersample", supersample)

    # Keep whole strokes inside the box: centre lines span what the waves leave.
    # Pixel rows by0..by1-1 have centres there; their edges are at -0.5/+0.5.
    top = by0 - 0.5 + line_width / 2 + amplitude
    bottom = by1 - 0.5 - line_width / 2 - amplitude
    if bottom < top:  # amplitude too large for the box: all lines on the middle
        top = bottom = (by0 + by1 - 1) / 2
    centres = [(top + bottom) / 2] if n_lines == 1 else list(np.linspace(top, bottom, n_lines))

    slope = 2 * math.pi * amplitude / wavelength
    dx = _SEG_PX / math.sqrt(1 + slope * slope)
    # run a little past the box ends so the clip, not a line cap, ends the lines
    xs = np.arange(bx0 - 2 * line_width - 1, bx1 + 2 * line_width + 1 + dx, dx)
    u = xs - bx0
    amp = amplitude * (1 - modulation * (1 + np.cos(2 * np.pi * u / mod_wavelength)) / 2)
    lines = []
    for j, c in enumerate(centres):
        ys = c + amp * np.sin(2 * np.pi * u / wavelength + phase + j * phase_step)
        lines.append(_adaptive(np.stack([xs, ys], axis=1), False))
    roi = _clip_roi(shape, bx0, by0, bx1, by1)
    return _render_strokes(shape, roi, [(lines, line_width, False)], supersample=supersample)


# --------------------------------------------------------------------------
# underprint line field
# --------------------------------------------------------------------------


def line_field(
    shape,
    *,
    box,
    spacing,
    line_width,
    angle,
    warp=0.0,
    seed=0,
    warp_wavelength=None,
    offset=0.0,
) -> np.ndarray:
    """Coverage of a background of fine parallel or warped lines (underprint).

    The lines are the level sets ``n·p + W(p) = offset + k * spacing`` where
    ``n`` is the unit normal of the line direction and ``W`` a smooth random
    displacement field (a few plane waves drawn from ``seed``) whose peak is
    ``warp`` px. Coverage is computed per pixel from the distance to the
    nearest line (``|n·p + W - level| / |n + ∇W|``), so there is no
    rasterisation cost and line width is exact on average.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    box : [x0, y0, x1, y1]
        Region filled; coverage is zero outside it.
    spacing : float
        Distance between neighbouring lines (px, > 0).
    line_width : float
        Line width (px, > 0; should be well below ``spacing``).
    angle : float
        Direction of the lines, degrees counter-clockwise from +x as seen on
        the page (y down).
    warp : float, optional
        Peak perpendicular displacement of the lines (px, >= 0).
    seed : int, optional
        Seed of the warp field.
    warp_wavelength : float, optional
        Typical wavelength of the warp (px, default ``40 * spacing``).
    offset : float, optional
        Shift of the line family along its normal (px).

    Returns
    -------
    coverage : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> cov = line_field((100, 100), box=[0, 0, 100, 100], spacing=5,
    ...                  line_width=1.5, angle=0)
    >>> round(float(cov.mean()), 2)
    0.3
    """
    shape = _check_shape(shape)
    bx0, by0, bx1, by1 = _check_box(box)
    spacing = _positive("spacing", spacing)
    line_width = _positive("line_width", line_width)
    angle = float(angle)
    warp = _nonnegative("warp", warp)
    warp_wavelength = 40 * spacing if warp_wavelength is None else _positive(
        "warp_wavelength", warp_wavelength)
    offset = float(offset)

    out = np.zeros(shape, np.float32)
    roi = _clip_roi(shape, bx0, by0, bx1, by1)
    if roi is None:
        return out
    x0, y0, x1, y1 = roi
    rh, rw = y1 - y0, x1 - x0
    a = math.radians(angle)
    # direction (cos a, -sin a) in y-down pixels; normal:
    nx, ny = math.sin(a), math.cos(a)
    xs = np.arange(x0, x1, dtype=np.float32)
    ys = np.arange(y0, y1, dtype=np.float32)
    level = (xs[None, :] * np.float32(nx) + ys[:, None] * np.float32(ny)) - np.float32(offset)

    if warp > 0:
        # The warp is smooth on the scale of warp_wavelength, so evaluate it
        # and its gradient on a coarse grid and upsample (cubic): far cheaper
        # than per-pixel trigonometry over a whole page.
        rng = np.random.default_rng(seed)
        k = 4
        dirs = rng.uniform(0, 2 * np.pi, k)
        lams = warp_wavelength * rng.uniform(0.7, 1.4, k)
        phis = rng.uniform(0, 2 * np.pi, k)
        amps = rng.uniform(0.5, 1.0, k)
        amps *= warp / amps.sum()
        step = max(2.0, min(8.0, warp_wavelength / 32))
        # Pad the region so cubic interpolation never reaches the border, and
        # put coarse node i where cv2.resize samples it: (i + 0.5) * scale - 0.5.
        pad = 2 * math.ceil(step)
        pw, ph = rw + 2 * pad, rh + 2 * pad
        gw, gh = max(4, math.ceil(pw / step)), max(4, math.ceil(ph / step))
        gx = x0 - pad + (np.arange(gw) + 0.5) * pw / gw - 0.5
        gy = y0 - pad + (np.arange(gh) + 0.5) * ph / gh - 0.5
        W = np.zeros((gh, gw))
        Wx = np.zeros((gh, gw))
        Wy = np.zeros((gh, gw))
        for d, lam, ph_, am in zip(dirs, lams, phis, amps):
            kx, ky = 2 * np.pi * math.cos(d) / lam, 2 * np.pi * math.sin(d) / lam
            arg = kx * gx[None, :] + ky * gy[:, None] + ph_
            W += am * np.sin(arg)
            c = am * np.cos(arg)
            Wx += kx * c
            Wy += ky * c
        fields = np.stack([W, Wx, Wy], axis=-1).astype(np.float32)
        up = cv2.resize(fields, (pw, ph), interpolation=cv2.INTER_CUBIC)
        up = up[pad:pad + rh, pad:pad + rw]
        level += up[..., 0]
        grad = np.sqrt((np.float32(nx) + up[..., 1]) ** 2 + (np.float32(ny) + up[..., 2]) ** 2)
    else:
        grad = None

    u = level * np.float32(1 / spacing)
    d = np.abs(u - np.round(u)) * np.float32(spacing)
    if grad is not None:
        d /= np.maximum(grad, np.float32(1e-3))
    out[y0:y1, x0:x1] = _strip_coverage(d, line_width)
    return out


# --------------------------------------------------------------------------
# split-duct colour field
# --------------------------------------------------------------------------


def split_duct(
    shape,
    *,
    box,
    colors,
    axis="x",
    blend=0.8,
    mixing="subtractive",
) -> np.ndarray:
    """Colour field of an iris (split-duct, rainbow) print across ``box``.

    The box is divided into ``len(colors)`` equal sections along ``axis``,
    one per duct section. Roller oscillation spreads each ink into its
    neighbours, modelled as smooth logistic weights that sum to one everywhere
    (a partition of unity), so the field is smooth and monotone between
    neighbouring inks, with no steps. Inks mix subtractively by default
    (weighted geometric mean of reflectances, as pigments absorb: blue and
    yellow give green), or linearly.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    box : [x0, y0, x1, y1]
        Region of the print; outside it the field is white (1, 1, 1).
    colors : sequence of RGB triples in [0, 1]
        Inks in duct order (at least one).
    axis : {"x", "y"}, optional
        Direction of the colour change.
    blend : float, optional
        Width of each seam (5% to 95% of the change) in sections (> 0);
        0.8 gives the soft rainbow of a real press, small values sharper
        seams, values above 1 a gradient with no flat sections at all.
    mixing : {"subtractive", "linear"}, optional
        How neighbouring inks combine in the overlap.

    Returns
    -------
    colour : (H, W, 3) float32 ndarray in [0, 1]

    Examples
    --------
    >>> f = split_duct((10, 100), box=[0, 0, 100, 10],
    ...                colors=[(0.9, 0.2, 0.2), (0.2, 0.3, 0.9)])
    >>> f.shape, bool(f[5, 0, 0] > f[5, 99, 0])
    ((10, 100, 3), True)
    """
    shape = _check_shape(shape)
    bx0, by0, bx1, by1 = _check_box(box)
    try:
        cols = np.asarray(colors, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"colors: expected a sequence of RGB triples, got {colors!r}") from None
    if cols.ndim != 2 or cols.shape[1] != 3 or len(cols) < 1:
        raise ValueError(f"colors: expected a sequence of RGB triples, got {colors!r}")
    if not np.all(np.isfinite(cols)) or cols.min() < 0 or cols.max() > 1:
        raise ValueError("colors: components must be in [0, 1]")
    if axis not in ("x", "y"):
        raise ValueError(f"axis: must be 'x' or 'y', got {axis!r}")
    blend = _positive("blend", blend)
    if mixing not in ("subtractive", "linear"):
        raise ValueError(f"mixing: must be 'subtractive' or 'linear', got {mixing!r}")

    h, w = shape
    out = np.ones((h, w, 3), np.float32)
    roi = _clip_roi(shape, bx0, by0, bx1, by1)
    if roi is None:
        return out
    x0, y0, x1, y1 = roi
    lo, hi = (bx0, bx1) if axis == "x" else (by0, by1)
    n = len(cols)
    # position of each pixel centre as a fraction of the full (unclipped) box
    if axis == "x":
        pos = (np.arange(x0, x1) + 0.5 - lo) / (hi - lo)
    else:
        pos = (np.arange(y0, y1) + 0.5 - lo) / (hi - lo)
    # Weight of section i = F(s - i) - F(s - i - 1), F logistic in section
    # units; the sum telescopes to 1 once the end sections extend to infinity.
    s = pos * n
    # logistic spread: the 5%-95% part of each seam spans `blend` sections
    # (0.5 * (1 + tanh(v / 2s)) goes from 0.05 to 0.95 over 5.89 s)
    scale = blend / 5.89
    def F(v):
        return 0.5 * (1 + np.tanh(v / (2 * scale)))
    edges = [F(s - i) for i in range(1, n)]
    weights = np.empty((len(s), n))
    for i in range(n):
        left = 1.0 if i == 0 else edges[i - 1]
        right = 0.0 if i == n - 1 else edges[i]
        weights[:, i] = left - right
    if mixing == "linear":
        prof = weights @ cols
    else:
        prof = np.exp(weights @ np.log(np.maximum(cols, 1e-4)))
    prof = prof.astype(np.float32)
    if axis == "x":
        out[y0:y1, x0:x1] = prof[None, :, :]
    else:
        out[y0:y1, x0:x1] = prof[:, None, :]
    return out


# --------------------------------------------------------------------------
# microprint
# --------------------------------------------------------------------------

#: Microtext is rendered this many times larger and box-averaged down, so the
#: letters keep their true outline geometry instead of being hinted to a grid.
_MICRO_SS = 8


@lru_cache(maxsize=16)
def _font_at(path: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size)


@lru_cache(maxsize=16)
def _cap_ratio(path: str) -> float:
    """Cap height of the font as a fraction of its size (from the letter H)."""
    f = _font_at(path, 200.0)
    _, top, _, bottom = f.getbbox("H", anchor="ls")
    return (bottom - top) / 200.0


def _micro_setup(text, cap_height_px, font_path, spacing):
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text: must be a non-empty string, got {text!r}")
    cap = _positive("cap_height_px", cap_height_px)
    path = str(_font_path(_DEFAULT_FONT) if font_path is None else Path(font_path))
    if not Path(path).is_file():
        raise ValueError(f"font_path: no font file at {path}")
    spacing = 0.08 * cap if spacing is None else float(spacing)
    if not math.isfinite(spacing):
        raise ValueError(f"spacing: must be finite, got {spacing!r}")
    size = cap / _cap_ratio(path)
    font = _font_at(path, round(size * _MICRO_SS, 2))
    return text, cap, path, spacing, font


def _micro_layout(text, width_px, font, spacing):
    """Characters and their x advances (supersampled px) filling ``width_px``."""
    adv = {ch: font.getlength(ch) for ch in set(text)}
    track = spacing * _MICRO_SS
    if min(adv.values()) + track <= 0:
        raise ValueError(f"spacing: {spacing} px is so negative that the text would not advance")
    limit = width_px * _MICRO_SS
    chars, xs = [], []
    x = 0.0
    i = 0
    while True:
        ch = text[i % len(text)]
        # the glyph must fit entirely: its advance (without trailing tracking)
        if x + adv[ch] > limit + 1e-6:
            break
        chars.append(ch)
        xs.append(x)
        x += adv[ch] + track
        i += 1
    return "".join(chars), xs


def microprint_text(text, *, width_px, cap_height_px, font_path=None, spacing=None) -> str:
    """The repeated text that :func:`microprint` draws in a box ``width_px`` wide.

    Whole characters only: the repetition stops at the last character that
    fits entirely.

    Parameters
    ----------
    text : str
        Text to repeat (e.g. ``"UTOPIA"``).
    width_px : float
        Width of the box (px).
    cap_height_px : float
        Height of capital letters (px).
    font_path : str or Path, optional
        Font file (default DejaVu Sans Bold shipped with docexam).
    spacing : float, optional
        Extra space between letters (px, default ``0.08 * cap_height_px``).

    Returns
    -------
    str

    Examples
    --------
    >>> s = microprint_text("UTOPIA", width_px=300, cap_height_px=9)
    >>> s.startswith("UTOPIAUTOPIA"), len(s) > 30
    (True, True)
    """
    width_px = _positive("width_px", width_px)
    text, _, _, spacing, font = _micro_setup(text, cap_height_px, font_path, spacing)
    return _micro_layout(text, width_px, font, spacing)[0]


def microprint(
    shape,
    *,
    box,
    text,
    cap_height_px,
    font_path=None,
    spacing=None,
) -> np.ndarray:
    """Coverage of a line of repeating microtext filling ``box``.

    The text (see :func:`microprint_text`) starts at the box's left edge with
    the capitals centred vertically in the box, and is cut at the box edges
    (descenders of lower-case letters may be clipped if the box is tight).
    Glyphs are rendered 8x larger without hinting and box-averaged, so letters
    at 8-10 px cap height keep legible shapes at 600 dpi.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    box : [x0, y0, x1, y1]
        Text line box; make it about ``cap_height_px + 2`` tall.
    text : str
        Text to repeat.
    cap_height_px : float
        Height of capital letters (px; 0.35-0.42 mm is 8-10 px at 600 dpi).
    font_path : str or Path, optional
        Font file (default ``docexam.paths.font_path("DejaVuSans-Bold.ttf")``).
    spacing : float, optional
        Extra space between letters (px, default ``0.08 * cap_height_px``);
        a little tracking keeps bold letters from touching at this size.

    Returns
    -------
    coverage : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> cov = microprint((40, 300), box=[0, 10, 300, 21], text="UTOPIA",
    ...                  cap_height_px=9)
    >>> bool(cov[:10].max() == 0), bool(cov[10:21].max() > 0.9)
    (True, True)
    """
    shape = _check_shape(shape)
    bx0, by0, bx1, by1 = _check_box(box)
    text, cap, path, spacing, font = _micro_setup(text, cap_height_px, font_path, spacing)
    out = np.zeros(shape, np.float32)
    roi = _clip_roi(shape, bx0, by0, bx1, by1)
    if roi is None:
        return out
    bw, bh = bx1 - bx0, by1 - by0
    chars, xs = _micro_layout(text, bw, font, spacing)
    ss = _MICRO_SS
    img = Image.new("L", (bw * ss, bh * ss), 0)
    draw = ImageDraw.Draw(img)
    # baseline so the capitals sit centred in the box (box edges at px edges)
    baseline = (bh + cap) / 2 * ss
    for ch, x in zip(chars, xs):
        draw.text((x, baseline), ch, fill=255, font=font, anchor="ls")
    big = np.asarray(img)
    small = cv2.resize(big, (bw, bh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    x0, y0, x1, y1 = roi
    out[y0:y1, x0:x1] = small[y0 - by0:y1 - by0, x0 - bx0:x1 - bx0]
    return out


# --------------------------------------------------------------------------
# emblem
# --------------------------------------------------------------------------


def _circle(cx, cy, r, n=None):
    n = n or max(32, math.ceil(2 * math.pi * r / _SEG_PX))
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], axis=1)


def emblem(shape, *, center, radius, points=12, seed=0, line_width=None) -> np.ndarray:
    """Coverage of a fictional state emblem drawn in line work.

    Concentric from the outside in: a double border ring, a wreath of leaf
    outlines, a sun of alternating long and short rays, a ``points``-pointed
    star outlined twice, and a small loop rosette at the heart. ``seed``
    varies the proportions and counts (leaf count, star depth, ray pattern,
    centre lobes) so different states get different emblems. Purely
    geometric; it imitates no real state's arms.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    center : (float, float)
        Emblem centre (x, y), px.
    radius : float
        Outer radius (px); coverage is zero beyond ``radius + line_width``.
    points : int, optional
        Points of the star (>= 3).
    seed : int, optional
        Variant of the design.
    line_width : float, optional
        Stroke width (px, default ``max(1.5, radius / 70)``).

    Returns
    -------
    coverage : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> cov = emblem((200, 200), center=(100, 100), radius=80, seed=3)
    >>> bool(cov[0:10, 0:10].max() == 0), bool(cov.max() > 0.9)
    (True, True)
    """
    shape = _check_shape(shape)
    cx, cy = _point("center", center)
    R = _positive("radius", radius)
    points = _positive_int("points", points)
    if points < 3:
        raise ValueError(f"points: must be at least 3, got {points}")
    lw = max(1.5, R / 70) if line_width is None else _positive("line_width", line_width)
    rng = np.random.default_rng(seed)
    # lines stay inside radius: the outermost centre line is at R - lw/2
    Ro = R - lw / 2
    polys = []

    # border: double ring
    polys += [_circle(cx, cy, Ro), _circle(cx, cy, Ro * 0.955)]

    # wreath: leaves (lens shapes) tilted along a ring, two per position
    n_leaf = int(points * rng.choice([2, 3]))
    r_w, leaf_len = Ro * 0.86, Ro * rng.uniform(0.10, 0.13)
    leaf_w = leaf_len * 0.32
    tilt = rng.uniform(0.35, 0.6)
    s = np.linspace(-1, 1, 24)
    half = np.sqrt(np.maximum(0, 1 - s * s)) * leaf_w / 2
    lens = np.concatenate([np.stack([s * leaf_len / 2, half], 1),
                           np.stack([s[::-1] * leaf_len / 2, -half[::-1]], 1)])
    for k in range(n_leaf):
        th = 2 * math.pi * k / n_leaf
        for side in (-1, 1):
            rot = th + math.pi / 2 + side * tilt
            c, sn = math.cos(rot), math.sin(rot)
            off = (r_w + side * leaf_w * 0.9)
            px = cx + off * math.cos(th) + lens[:, 0] * c - lens[:, 1] * sn
            py = cy + off * math.sin(th) + lens[:, 0] * sn + lens[:, 1] * c
            polys.append(np.stack([px, py], 1))
    polys.append(_circle(cx, cy, Ro * 0.745))

    # sun rays between the star and the wreath, long and short alternating
    n_ray = points * int(rng.choice([2, 4]))
    ray_polys = []
    for k in range(n_ray):
        th = 2 * math.pi * (k + 0.5) / n_ray
        r0 = Ro * 0.50
        r1 = Ro * (0.71 if k % 2 == 0 else rng.uniform(0.58, 0.64))
        ray_polys.append(np.array([[cx + r0 * math.cos(th), cy + r0 * math.sin(th)],
                                   [cx + r1 * math.cos(th), cy + r1 * math.sin(th)]]))

    # star: two nested outlines of a points-pointed star
    depth = rng.uniform(0.45, 0.62)
    for scale in (1.0, 0.82):
        ro, ri = Ro * 0.47 * scale, Ro * 0.47 * scale * depth
        t = np.arange(2 * points) * math.pi / points - math.pi / 2
        r = np.where(np.arange(2 * points) % 2 == 0, ro, ri)
        polys.append(np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], 1))

    # heart: small loop rosette and a ring
    m = int(rng.choice([5, 6, 7, 8]))
    a, b = Ro * 0.13, Ro * 0.05
    n_pts = max(64, math.ceil(2 * math.pi * (a + b * (1 + m)) / _SEG_PX))
    z = _rosette_curve("epitrochoid", a, b, m, n_pts)
    polys.append(np.stack([cx + z.real, cy + z.imag], 1))
    polys.append(_circle(cx, cy, Ro * 0.05))

    reach = R + lw + 2
    roi = _clip_roi(shape, math.floor(cx - reach), math.floor(cy - reach),
                    math.ceil(cx + reach) + 1, math.ceil(cy + reach) + 1)
    polys = [_adaptive(p, True) for p in polys]
    return _render_strokes(shape, roi, [(polys, lw, True), (ray_polys, lw, False)])
