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

import cv2
import numpy as np

from .strokes import (SEG_PX, adaptive, check_box, check_shape, clip_roi, nonnegative, point,
                      positive, positive_int, render_strokes, strip_coverage)

__all__ = ["line_field", "rosette", "rosette_curve", "split_duct", "wave_band"]


# --------------------------------------------------------------------------
# guilloche rosette
# --------------------------------------------------------------------------


def rosette_curve(kind: str, a: float, b: float, m: int, n_pts: int) -> np.ndarray:
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
    shape = check_shape(shape)
    cx, cy = point("center", center)
    r_inner = nonnegative("r_inner", r_inner)
    r_outer = positive("r_outer", r_outer)
    if r_outer <= r_inner:
        raise ValueError(f"r_outer: must be greater than r_inner ({r_inner}), got {r_outer}")
    lobes = positive_int("lobes", lobes)
    n_curves = positive_int("n_curves", n_curves)
    line_width = positive("line_width", line_width)
    phase = float(phase)
    if kind not in ("epitrochoid", "hypotrochoid", "sine"):
        raise ValueError(f"kind: must be 'epitrochoid', 'hypotrochoid' or 'sine', got {kind!r}")
    if supersample is not None:
        supersample = positive_int("supersample", supersample)

    a = (r_outer + r_inner) / 2
    b = (r_outer - r_inner) / 2
    # upper bound of |z'(t)| -> number of samples for ~1 px segments
    speed = {"epitrochoid": a + b * (1 + lobes), "hypotrochoid": a + b * abs(1 - lobes),
             "sine": a + b + b * lobes}[kind]
    n_pts = max(64, math.ceil(2 * math.pi * speed / SEG_PX))
    z0 = rosette_curve(kind, a, b, lobes, n_pts)
    # thin once; rotated copies have the same geometry
    xy = adaptive(np.stack([z0.real, z0.imag], axis=1), True)
    base = xy[:, 0] + 1j * xy[:, 1]
    step = 2 * math.pi / (lobes * n_curves)
    curves = []
    for k in range(n_curves):
        z = base * np.exp(1j * (phase + k * step))
        curves.append(np.stack([cx + z.real, cy + z.imag], axis=1))

    reach = r_outer + line_width / 2 + 2
    roi = clip_roi(shape, math.floor(cx - reach), math.floor(cy - reach),
                    math.ceil(cx + reach) + 1, math.ceil(cy + reach) + 1)
    return render_strokes(shape, roi, [(curves, line_width, True)], supersample=supersample)


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
    shape = check_shape(shape)
    bx0, by0, bx1, by1 = check_box(box)
    n_lines = positive_int("n_lines", n_lines)
    amplitude = nonnegative("amplitude", amplitude)
    wavelength = positive("wavelength", wavelength)
    line_width = positive("line_width", line_width)
    modulation = float(modulation)
    if not 0.0 <= modulation <= 1.0:
        raise ValueError(f"modulation: must be in [0, 1], got {modulation!r}")
    phase = float(phase)
    phase_step = 2 * math.pi / n_lines if phase_step is None else float(phase_step)
    mod_wavelength = 8 * wavelength if mod_wavelength is None else positive(
        "mod_wavelength", mod_wavelength)
    if supersample is not None:
        supersample = positive_int("supersample", supersample)

    # Keep whole strokes inside the box: centre lines span what the waves leave.
    # Pixel rows by0..by1-1 have centres there; their edges are at -0.5/+0.5.
    top = by0 - 0.5 + line_width / 2 + amplitude
    bottom = by1 - 0.5 - line_width / 2 - amplitude
    if bottom < top:  # amplitude too large for the box: all lines on the middle
        top = bottom = (by0 + by1 - 1) / 2
    centres = [(top + bottom) / 2] if n_lines == 1 else list(np.linspace(top, bottom, n_lines))

    slope = 2 * math.pi * amplitude / wavelength
    dx = SEG_PX / math.sqrt(1 + slope * slope)
    # run a little past the box ends so the clip, not a line cap, ends the lines
    xs = np.arange(bx0 - 2 * line_width - 1, bx1 + 2 * line_width + 1 + dx, dx)
    u = xs - bx0
    amp = amplitude * (1 - modulation * (1 + np.cos(2 * np.pi * u / mod_wavelength)) / 2)
    lines = []
    for j, c in enumerate(centres):
        ys = c + amp * np.sin(2 * np.pi * u / wavelength + phase + j * phase_step)
        lines.append(adaptive(np.stack([xs, ys], axis=1), False))
    roi = clip_roi(shape, bx0, by0, bx1, by1)
    return render_strokes(shape, roi, [(lines, line_width, False)], supersample=supersample)


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
    shape = check_shape(shape)
    bx0, by0, bx1, by1 = check_box(box)
    spacing = positive("spacing", spacing)
    line_width = positive("line_width", line_width)
    angle = float(angle)
    warp = nonnegative("warp", warp)
    warp_wavelength = 40 * spacing if warp_wavelength is None else positive(
        "warp_wavelength", warp_wavelength)
    offset = float(offset)

    out = np.zeros(shape, np.float32)
    roi = clip_roi(shape, bx0, by0, bx1, by1)
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
    out[y0:y1, x0:x1] = strip_coverage(d, line_width)
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
    shape = check_shape(shape)
    bx0, by0, bx1, by1 = check_box(box)
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
    blend = positive("blend", blend)
    if mixing not in ("subtractive", "linear"):
        raise ValueError(f"mixing: must be 'subtractive' or 'linear', got {mixing!r}")

    h, w = shape
    out = np.ones((h, w, 3), np.float32)
    roi = clip_roi(shape, bx0, by0, bx1, by1)
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

