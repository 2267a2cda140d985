"""Substrates: security paper, polycarbonate card body, security fibres, paper under UV.

These functions return the *starting canvas* of a render (float32 RGB in
[0, 1], HxWx3) on which the compositor multiplies its ink layers, except
:func:`fibres`, which returns coverage layers like the ink primitives in
:mod:`docexam.synth.security`. All are pure and deterministic: the same
arguments (including ``seed``) always give identical arrays. Sizes of
physical features are given in millimetres and converted with ``dpi``.

The physics, briefly
--------------------
Paper is a felt of cellulose fibres. Its *formation* is never perfectly even:
flocs of fibres a few millimetres across make the sheet slightly denser or
thinner, which shows in reflection as a faint cloudiness (mottling), and the
individual fibres (tens of micrometres wide, around a millimetre long, lying
mostly along the machine direction) give a fine grain. :func:`paper` builds
both from cheap noise: coarse noise upsampled for the clouds, streaky
half-resolution noise for the grain.

Security paper carries planchettes and *fibres* mixed into the pulp: short
coloured threads, a fraction of which can be seen in daylight and others only
under ultraviolet light, where they fluoresce red, yellow, green or blue. They
are in the paper, not printed on it, so they lie at random depths and run
under the ink; a forgery that prints fibres puts them on top.

Under UV light (365 nm) ordinary office paper glows bright blue-white: it is
made with optical brightening agents, fluorescent dyes that turn UV into blue
light so the paper looks whiter. Security paper is made *without* them, so it
stays dull and dark violet under a UV lamp and only its security fibres and
UV inks light up. A document whose paper glows is printed on the wrong paper;
:func:`uv_paper` gives both appearances.

A polycarbonate card body is a laminate of clear and white-opaque films fused
under heat and pressure: no fibres and no grain, only a faint sheen where the
surface reflects the light source.

Examples
--------
>>> p = paper((200, 300), tint=(0.95, 0.93, 0.88), seed=1)
>>> p.shape, p.dtype
((200, 300, 3), dtype('float32'))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from .strokes import adaptive, check_shape, nonnegative, pick_supersample, positive, render_roi

__all__ = [
    "DEFAULT_FIBRE_COLORS",
    "FibreLayer",
    "fibre_grain",
    "fibres",
    "paper",
    "polycarbonate",
    "uv_paper",
]

MM_PER_INCH = 25.4

#: Default fibre classes as ``(visible_rgb or None, uv_rgb)``: red and blue
#: fibres seen in daylight that also glow under UV, and fibres invisible in
#: daylight that glow yellow and green.
DEFAULT_FIBRE_COLORS = (
    ((0.78, 0.20, 0.26), (1.00, 0.28, 0.22)),
    ((0.22, 0.33, 0.72), (0.30, 0.55, 1.00)),
    (None, (1.00, 0.90, 0.20)),
    (None, (0.35, 1.00, 0.45)),
)

#: Appearance of paper under a 365 nm lamp (what a camera sees, RGB in [0, 1]).
UV_DULL = (0.10, 0.08, 0.20)
UV_BRIGHTENED = (0.75, 0.80, 1.00)


def _rgb(name: str, value) -> np.ndarray:
    try:
        c = np.asarray(value, dtype=np.float64).reshape(3)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected an RGB triple, got {value!r}") from None
    if not np.all(np.isfinite(c)) or c.min() < 0 or c.max() > 1:
        raise ValueError(f"{name}: components must be in [0, 1], got {value!r}")
    return c


def _px_per_mm(dpi) -> float:
    return positive("dpi", dpi) / MM_PER_INCH


def cloud_noise(shape, rng, scales_px, weights) -> np.ndarray:
    """Zero-mean, unit-std smooth noise with features of the given sizes.

    Each octave is white noise on a grid as coarse as its feature size,
    blurred a little (so cubic upsampling shows no grid) and summed on a
    work grid at 1/8 of the smallest scale; only the final sum is
    interpolated to full resolution. Cost is one full-size resize.
    """
    h, w = shape
    step = max(1.0, min(scales_px) / 8)
    gh, gw = max(2, math.ceil(h / step)), max(2, math.ceil(w / step))
    acc = np.zeros((gh, gw), np.float32)
    for s, wt in zip(scales_px, weights):
        nh, nw = max(2, math.ceil(h / s) + 2), max(2, math.ceil(w / s) + 2)
        n = rng.standard_normal((nh, nw), dtype=np.float32)
        n = cv2.GaussianBlur(n, (0, 0), 0.7, borderType=cv2.BORDER_REFLECT)
        n -= n.mean()
        n /= max(float(n.std()), 1e-6)
        acc += np.float32(wt) * cv2.resize(n, (gw, gh), interpolation=cv2.INTER_CUBIC)
    acc -= acc.mean()
    acc /= max(float(acc.std()), 1e-6)
    return cv2.resize(acc, (w, h), interpolation=cv2.INTER_LINEAR)


def _apply_tint(tint: np.ndarray, lum: np.ndarray) -> np.ndarray:
    """``tint * (1 + lum)`` as an HxWx3 float32 image clipped to [0, 1]."""
    out = np.empty(lum.shape + (3,), np.float32)
    one = lum + np.float32(1)
    for c in range(3):
        np.multiply(one, np.float32(tint[c]), out=out[..., c])
    np.clip(out, 0.0, 1.0, out=out)
    return out


def fibre_grain(shape, *, strength, seed, dpi=600) -> np.ndarray:
    """The fine grain of a sheet's fibres: zero-mean relative reflectance, standard deviation ``strength``.

    White noise on a half-resolution grid, blurred more along x than y (short
    fibres lying in the machine direction, about 0.06 x 0.02 mm), upsampled.
    Every sheet has its own: multiply a page by ``1 + grain`` to lay it under
    the print, as the compositor's inks multiply.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    strength : float
        Standard deviation of the grain (>= 0), e.g. 0.022 for security paper.
    seed : int or numpy Generator
    dpi : float, optional

    Returns
    -------
    grain : (H, W) float32 ndarray

    Examples
    --------
    >>> g = fibre_grain((200, 300), strength=0.02, seed=1)
    >>> round(float(g.std()), 3), abs(float(g.mean())) < 1e-3
    (0.02, True)
    """
    shape = check_shape(shape)
    strength = nonnegative("strength", strength)
    ppm = _px_per_mm(dpi)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    h, w = shape
    hh, hw = max(1, (h + 1) // 2), max(1, (w + 1) // 2)
    g = rng.standard_normal((hh, hw), dtype=np.float32)
    sx = max(0.3, 0.06 * ppm / 2)  # ~0.06 mm along the fibres
    sy = max(0.3, 0.02 * ppm / 2)
    g = cv2.GaussianBlur(g, (0, 0), sigmaX=sx, sigmaY=sy, borderType=cv2.BORDER_REFLECT)
    g = cv2.resize(g, (w, h), interpolation=cv2.INTER_LINEAR)
    g -= g.mean()
    g *= np.float32(strength / max(float(g.std()), 1e-6))
    return g


def paper(shape, *, tint, grain=0.03, seed, dpi=600, mottle=0.02) -> np.ndarray:
    """Visible appearance of security paper: tint, cloudy formation and fibre grain.

    Reflectance is ``tint * (1 + mottle * M + grain * G)`` where ``M`` is
    cloudiness with features of 1.5-12 mm and ``G`` a fine grain of short
    streaks along the machine direction (x), both zero-mean with unit
    standard deviation, so the mean colour stays at ``tint`` (less a little
    where bright tints clip at 1).

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    tint : RGB triple in [0, 1]
        Mean paper colour, e.g. ``(0.95, 0.93, 0.87)`` for a cream stock.
    grain : float, optional
        Standard deviation of the fine grain, relative (>= 0).
    seed : int
        Random seed.
    dpi : float, optional
        Resolution, for the physical size of the texture.
    mottle : float, optional
        Standard deviation of the cloudiness, relative (>= 0).

    Returns
    -------
    image : (H, W, 3) float32 ndarray in [0, 1]

    Examples
    --------
    >>> p = paper((300, 400), tint=(0.94, 0.92, 0.86), seed=7)
    >>> [round(float(v), 2) for v in p.reshape(-1, 3).mean(axis=0)]
    [0.94, 0.92, 0.86]
    """
    shape = check_shape(shape)
    tint = _rgb("tint", tint)
    grain = nonnegative("grain", grain)
    mottle = nonnegative("mottle", mottle)
    ppm = _px_per_mm(dpi)
    h, w = shape
    rng = np.random.default_rng(seed)

    lum = cloud_noise(shape, rng, [12 * ppm, 4 * ppm, 1.5 * ppm], [0.5, 0.35, 0.3])
    lum *= np.float32(mottle)

    if grain > 0:
        lum += fibre_grain(shape, strength=grain, seed=rng, dpi=dpi)
    return _apply_tint(tint, lum)


def polycarbonate(shape, *, tint, seed, sheen=0.03, dpi=600, dither=True) -> np.ndarray:
    """Appearance of a polycarbonate card body: smooth, with a faint sheen.

    ``tint * (1 + L)`` where ``L`` is a shallow linear gradient and a broad
    highlight in a direction and place drawn from ``seed`` (peak to peak
    about ``sheen``), a trace of very soft cloudiness (0.3 %) and a sub-8-bit
    dither that keeps the smooth gradient from banding when saved as 8-bit.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    tint : RGB triple in [0, 1]
        Mean body colour.
    seed : int
        Random seed.
    sheen : float, optional
        Strength of the sheen, relative (>= 0).
    dpi : float, optional
        Resolution, for the size of the soft cloudiness.
    dither : bool, optional
        Add the sub-8-bit dither (off where the image is stored losslessly and
        must compress: the dither is noise to a PNG encoder).

    Returns
    -------
    image : (H, W, 3) float32 ndarray in [0, 1]

    Examples
    --------
    >>> pc = polycarbonate((100, 160), tint=(0.93, 0.94, 0.95), seed=2)
    >>> bool(abs(float(pc.mean()) - 0.94) < 0.01)
    True
    """
    shape = check_shape(shape)
    tint = _rgb("tint", tint)
    sheen = nonnegative("sheen", sheen)
    ppm = _px_per_mm(dpi)
    h, w = shape
    rng = np.random.default_rng(seed)
    # coordinates normalised to [-0.5, 0.5] over the longer side
    size = max(h, w)
    xs = ((np.arange(w, dtype=np.float32) - (w - 1) / 2) / size)
    ys = ((np.arange(h, dtype=np.float32) - (h - 1) / 2) / size)
    d = rng.uniform(0, 2 * np.pi)
    hx, hy = rng.uniform(-0.3, 0.3, 2)
    sigma = rng.uniform(0.25, 0.4)
    # separable pieces: gradient = a(x) + b(y), highlight = e(x) * f(y)
    grad_x, grad_y = np.float32(math.cos(d)) * xs, np.float32(math.sin(d)) * ys
    ex = np.exp(-((xs - hx) ** 2) / (2 * sigma**2)).astype(np.float32)
    ey = np.exp(-((ys - hy) ** 2) / (2 * sigma**2)).astype(np.float32)
    lum = (grad_x[None, :] + grad_y[:, None]) * np.float32(0.6 * sheen)
    lum += (ey[:, None] * ex[None, :]) * np.float32(0.6 * sheen)
    lum += cloud_noise(shape, rng, [10 * ppm], [1.0]) * np.float32(0.003)
    # dither of +-0.5/255: random integers are cheaper than float normals
    if dither:
        noise = rng.integers(0, 256, size=shape, dtype=np.uint8)
        lum += (noise.astype(np.float32) - np.float32(127.5)) * np.float32(1 / (255 * 255))
    lum -= lum.mean()
    return _apply_tint(tint, lum)


def uv_paper(shape, *, fluorescent, seed, dpi=600, mottle=0.04) -> np.ndarray:
    """Appearance of the paper under a 365 nm UV lamp.

    Security paper (``fluorescent=False``) has no optical brighteners and
    stays dull violet-blue, about ``(0.10, 0.08, 0.20)``; office paper
    (``fluorescent=True``) glows blue-white, about ``(0.75, 0.80, 1.0)``.
    Both get a slight cloudiness, since brightener and fibre density vary
    with the paper's formation.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    fluorescent : bool
        Whether the paper contains optical brighteners (i.e. is *not*
        security paper).
    seed : int
        Random seed.
    dpi : float, optional
        Resolution, for the size of the cloudiness.
    mottle : float, optional
        Standard deviation of the cloudiness, relative (>= 0).

    Returns
    -------
    image : (H, W, 3) float32 ndarray in [0, 1]

    Examples
    --------
    >>> dull = uv_paper((100, 100), fluorescent=False, seed=0)
    >>> bright = uv_paper((100, 100), fluorescent=True, seed=0)
    >>> bool(bright.mean() > 4 * dull.mean())
    True
    """
    shape = check_shape(shape)
    if not isinstance(fluorescent, (bool, np.bool_)):
        raise ValueError(f"fluorescent: must be True or False, got {fluorescent!r}")
    mottle = nonnegative("mottle", mottle)
    ppm = _px_per_mm(dpi)
    rng = np.random.default_rng(seed)
    base = np.asarray(UV_BRIGHTENED if fluorescent else UV_DULL)
    lum = cloud_noise(shape, rng, [10 * ppm, 3 * ppm], [0.7, 0.3])
    lum *= np.float32(mottle)
    return _apply_tint(base, lum)


@dataclass(frozen=True, eq=False)
class FibreLayer:
    """One class of security fibres: where they are and what colour they show.

    Attributes
    ----------
    coverage : (H, W) float32 ndarray in [0, 1]
        Antialiased coverage; fibres lie at random depths in the sheet, so
        each fibre's peak coverage is between 0.5 and 1.
    visible_rgb : tuple of 3 floats or None
        Colour in daylight; None for fibres invisible in daylight.
    uv_rgb : tuple of 3 floats
        Fluorescent colour under a 365 nm lamp.
    count : int
        Number of fibres drawn (some may lie partly off the canvas).
    """

    coverage: np.ndarray
    visible_rgb: tuple[float, float, float] | None
    uv_rgb: tuple[float, float, float]
    count: int


def _split_counts(total: int, weights: np.ndarray) -> list[int]:
    """Largest-remainder split of ``total`` in proportion to ``weights``."""
    exact = total * weights / weights.sum()
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts.tolist()


def _fibre_path(rng, length_px: float) -> np.ndarray:
    """A gently curved fibre of the given length, centred on the origin.

    The heading turns at a constant rate (total bend ~N(0, 0.7) rad) plus a
    slow wiggle, integrated in 0.5 px steps.
    """
    n = max(8, math.ceil(length_px / 0.5))
    s = np.linspace(0.0, 1.0, n)
    bend = rng.normal(0.0, 0.7)
    wig_a, wig_f, wig_p = rng.uniform(0.0, 0.35), rng.uniform(0.8, 2.0), rng.uniform(0, 2 * np.pi)
    heading = rng.uniform(0, 2 * np.pi) + bend * s + wig_a * np.sin(2 * np.pi * wig_f * s + wig_p)
    step = length_px / (n - 1)
    pts = np.zeros((n, 2))
    pts[1:, 0] = np.cumsum(np.cos(heading[:-1]) * step)
    pts[1:, 1] = np.cumsum(np.sin(heading[:-1]) * step)
    return pts - pts.mean(axis=0)


def fibres(
    shape,
    *,
    density_per_cm2,
    dpi=600,
    seed,
    colors=DEFAULT_FIBRE_COLORS,
    visible=True,
    weights=None,
    length_mm=(2.0, 5.0),
    width_mm=(0.05, 0.10),
) -> list[FibreLayer]:
    """Security fibres embedded in the paper, one coverage layer per colour class.

    ``round(density_per_cm2 * area)`` fibres are placed uniformly at random
    (centres on the canvas, ends may run off it) and split between the
    classes in ``colors`` (equally, or by ``weights``). Each fibre is a thin
    curved thread of random length, width, orientation and bend, with a
    random strength (depth in the sheet) between 0.5 and 1.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    density_per_cm2 : float
        Fibres per square centimetre, all classes together (>= 0).
    dpi : float, optional
        Resolution of the canvas.
    seed : int
        Random seed.
    colors : sequence of (visible_rgb or None, uv_rgb), optional
        Fibre classes; default :data:`DEFAULT_FIBRE_COLORS` (red and blue
        visible fibres glowing red and blue, invisible fibres glowing yellow
        and green).
    visible : bool, optional
        If False, every class is invisible in daylight (``visible_rgb`` None):
        a substrate with UV-only fibres. Positions do not change.
    weights : sequence of float, optional
        Relative share of each class (default equal).
    length_mm, width_mm : (float, float), optional
        Ranges of fibre length and width in millimetres.

    Returns
    -------
    list of FibreLayer
        One per class, in the order of ``colors``.

    Examples
    --------
    >>> layers = fibres((600, 900), density_per_cm2=3, seed=1)
    >>> [lay.count for lay in layers], layers[2].visible_rgb
    ([8, 7, 7, 7], None)
    """
    shape = check_shape(shape)
    density = nonnegative("density_per_cm2", density_per_cm2)
    ppm = _px_per_mm(dpi)
    if isinstance(colors, (str, bytes)) or not isinstance(colors, Sequence) or not colors:
        raise ValueError("colors: expected a non-empty sequence of (visible_rgb or None, uv_rgb)")
    classes = []
    for i, entry in enumerate(colors):
        try:
            vis, uv = entry
        except (TypeError, ValueError):
            raise ValueError(f"colors[{i}]: expected (visible_rgb or None, uv_rgb)") from None
        vis_t = None if vis is None else tuple(float(v) for v in _rgb(f"colors[{i}][0]", vis))
        uv_t = tuple(float(v) for v in _rgb(f"colors[{i}][1]", uv))
        classes.append((vis_t if visible else None, uv_t))
    if weights is None:
        wts = np.ones(len(classes))
    else:
        wts = np.asarray(weights, dtype=np.float64)
        if wts.shape != (len(classes),) or not np.all(np.isfinite(wts)) or wts.min() < 0 \
                or wts.sum() <= 0:
            raise ValueError(f"weights: need {len(classes)} non-negative numbers, not all zero")
    lo_l, hi_l = (positive("length_mm", v) for v in length_mm)
    lo_w, hi_w = (positive("width_mm", v) for v in width_mm)
    if hi_l < lo_l:
        raise ValueError(f"length_mm: expected (min, max), got {length_mm!r}")
    if hi_w < lo_w:
        raise ValueError(f"width_mm: expected (min, max), got {width_mm!r}")

    h, w = shape
    area_cm2 = (h / ppm / 10) * (w / ppm / 10)
    total = round(density * area_cm2)
    counts = _split_counts(total, wts)
    rng = np.random.default_rng(seed)
    layers = []
    for (vis, uv), n in zip(classes, counts):
        cov = np.zeros(shape, np.float32)
        for _ in range(n):
            cx, cy = rng.uniform(0, w), rng.uniform(0, h)
            length = rng.uniform(lo_l, hi_l) * ppm
            width = rng.uniform(lo_w, hi_w) * ppm
            strength = np.float32(rng.uniform(0.5, 1.0))
            path = _fibre_path(rng, length)
            path[:, 0] += cx
            path[:, 1] += cy
            reach = width / 2 + 2
            x0 = max(0, math.floor(path[:, 0].min() - reach))
            y0 = max(0, math.floor(path[:, 1].min() - reach))
            x1 = min(w, math.ceil(path[:, 0].max() + reach) + 1)
            y1 = min(h, math.ceil(path[:, 1].max() + reach) + 1)
            if x1 <= x0 or y1 <= y0:
                continue
            patch = render_roi((x0, y0, x1, y1), [([adaptive(path, False)], width, False)],
                                supersample=pick_supersample(width)[0])
            patch *= strength
            np.maximum(cov[y0:y1, x0:x1], patch, out=cov[y0:y1, x0:x1])
        layers.append(FibreLayer(coverage=cov, visible_rgb=vis, uv_rgb=uv, count=n))
    return layers
