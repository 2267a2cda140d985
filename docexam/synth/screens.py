"""How office printers rebuild an image from four inks: colour separation and screening.

A colour copier or laser printer cannot print a continuous tone: it
separates the image into cyan, magenta, yellow and black (K), and prints each
as a *screen*: round dots on a regular grid whose size follows the tone
(amplitude modulation, AM). Each ink's grid is turned to its own angle
(cyan 15°, magenta 75°, yellow 0°, black 45°), so the four grids interfere
in a small regular pattern, the *rosette*, instead of a coarse moiré. Office
machines use 150-200 lines per inch (lpi): at 600 dpi a cell is 3-4 pixels,
so the dots are seen under a loupe, not at arm's length. An inkjet printer
instead scatters droplets at random (frequency modulation, FM dither).

Black generation (grey component replacement) prints the grey part of a
colour with K toner only: text and the MRZ come out in black dots, which is
why only the black separation stays dark in infrared.

Examples
--------
>>> import numpy as np
>>> flat = np.full((64, 64), 0.4, np.float32)
>>> dots = am_screen(flat, lpi=175, angle_deg=45, dpi=600)
>>> round(float(dots.mean()), 1)
0.4
"""

from __future__ import annotations

import math
from functools import lru_cache

import cv2
import numpy as np

from .strokes import positive

__all__ = ["SCREEN_ANGLES", "am_screen", "cmyk_to_rgb", "fm_dither", "rgb_to_cmyk"]

#: the usual screen angles of process inks, degrees
SCREEN_ANGLES = {"c": 15.0, "m": 75.0, "y": 0.0, "k": 45.0}


def rgb_to_cmyk(rgb: np.ndarray, *, black_generation: float = 1.0) -> tuple[np.ndarray, ...]:
    """Separate an RGB image (floats in [0, 1], relative to white paper) into C, M, Y, K coverages.

    ``black_generation`` is the share of the grey component printed with K
    (1: full grey component replacement, the usual setting for text).

    Examples
    --------
    >>> c, m, y, k = rgb_to_cmyk(np.array([[[0.2, 0.2, 0.2]]], np.float32))
    >>> round(float(k[0, 0]), 2), round(float(c[0, 0]), 2)
    (0.8, 0.0)
    """
    r, g, b = cv2.split(np.asarray(rgb, np.float32))
    k = cv2.max(cv2.max(r, g), b)
    np.subtract(np.float32(1), k, out=k)
    k *= np.float32(black_generation)
    scale = np.float32(1) - k
    np.maximum(scale, np.float32(1e-4), out=scale)
    np.divide(np.float32(1), scale, out=scale)
    out = []
    for ch in (r, g, b):
        np.subtract(np.float32(1), ch, out=ch)
        ch -= k
        ch *= scale
        np.clip(ch, 0.0, 1.0, out=ch)
        out.append(ch)
    return out[0], out[1], out[2], k


def cmyk_to_rgb(c, m, y, k, paper) -> np.ndarray:
    """Inks on ``paper`` (RGB): each ink absorbs its complementary primary; layers multiply."""
    white = np.float32(1) - k
    planes = []
    for ink, tint in zip((c, m, y), np.asarray(paper, np.float32)):
        plane = np.float32(1) - ink
        plane *= white
        plane *= tint
        planes.append(plane)
    return cv2.merge(planes)


def am_screen(value: np.ndarray, *, lpi: float, angle_deg: float, dpi: float = 600, offset=(0.0, 0.0),
              dot_gain: float = 0.0) -> np.ndarray:
    """Amplitude-modulated halftone of one separation: round dots on a turned grid.

    The spot function ``(cos u + cos v) / 4 + 1/2`` over the turned grid is
    compared with the tone; the edge of each dot is a linear ramp about a
    pixel wide (toner edges are soft, and the ramp keeps the dots from
    aliasing). Dots of neighbouring cells merge into a chequerboard at 50 %
    and into a solid with holes above it, as on a real screen.

    Parameters
    ----------
    value : (H, W) float ndarray in [0, 1]
        Ink coverage wanted.
    lpi : float
        Screen ruling, lines per inch.
    angle_deg : float
        Screen angle.
    dpi : float, optional
        Resolution of ``value``.
    offset : (float, float), optional
        Shift of the grid, pixels (plate misregistration).
    dot_gain : float, optional
        Toner spread: coverage added at mid-tones (0..0.3).

    Returns
    -------
    coverage : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> ramp = np.tile(np.linspace(0, 1, 200, dtype=np.float32), (50, 1))
    >>> dots = am_screen(ramp, lpi=150, angle_deg=15)
    >>> round(float(dots[:, 0].max()), 2), round(float(dots[:, -1].min()), 2)
    (0.0, 1.0)
    >>> round(float(am_screen(np.full((90, 90), 0.3, np.float32), lpi=175, angle_deg=75).mean()), 1)
    0.3
    """
    lpi = positive("lpi", lpi)
    dpi = positive("dpi", dpi)
    h, w = value.shape
    k = 2 * math.pi * lpi / dpi  # radians per pixel across the grid
    # the spot function changes by about k / 4 per pixel: an edge ramp one pixel wide
    sharp = max(1.0, 4.0 / k)
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    xs = (np.arange(w, dtype=np.float64) - offset[0]) * k
    ys = (np.arange(h, dtype=np.float64) - offset[1]) * k
    # sharp * spot = sharp/4 (cos u + cos v) + sharp/2 over the turned grid (u, v); each cosine of
    # a sum is separable, cos(p + q) = cos p cos q - sin p sin q: four outer products in all
    amp = 0.25 * sharp
    out = np.empty((h, w), np.float32)
    tmp = np.empty((h, w), np.float32)
    first = True
    for fx, fy in ((ca, sa), (-sa, ca)):
        px, py = xs * fx, ys * fy
        for sign, (row, col) in ((1, (np.cos(py), np.cos(px))), (-1, (np.sin(py), np.sin(px)))):
            target = out if first else tmp
            np.multiply.outer((amp * sign * row).astype(np.float32), col.astype(np.float32), out=target)
            if not first:
                out += tmp
            first = False
    # the tone, 10-bit, looks up the spot level that inks its share of each cell (a linearised
    # screen, as a RIP's), pushed past the cell's extremes at no and full tone
    np.clip(value, 0.0, 1.0, out=tmp)
    tmp *= np.float32(_TONE_STEPS - 1)
    tmp += np.float32(0.5)
    out -= _level_table(sharp, dot_gain)[tmp.astype(np.uint16)]
    np.clip(out, 0.0, 1.0, out=out)
    return out


#: tone steps of the screen's look-up table (10 bits)
_TONE_STEPS = 1024


@lru_cache(maxsize=32)
def _level_table(sharp: float, dot_gain: float) -> np.ndarray:
    """What is taken off ``sharp * spot - sharp / 2`` per tone step before clipping to coverage.

    Coverage is ``clip((spot - level) * sharp + 1/2)``; ``out`` holds
    ``sharp / 4 (cos u + cos v) = sharp * spot - sharp / 2``, so this is
    ``sharp * level - sharp / 2 - 1/2``.
    """
    tone = np.linspace(0.0, 1.0, _TONE_STEPS)
    if dot_gain > 0:
        tone = tone + dot_gain * 4 * tone * (1 - tone)
    level = np.interp(1 - tone, _SPOT_LEVELS, _SPOT_QUANTILES)
    ends = np.clip(1 - tone * 10, 0, 1) - np.clip(1 - (1 - tone) * 10, 0, 1)  # 1 at no tone, -1 at full
    level = level + ends * 0.5 / sharp
    return (sharp * level - sharp / 2 - 0.5).astype(np.float32)


def _spot_quantiles(n: int = 257) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles of the spot function over one cell: the level below which a share of the cell lies."""
    t = (np.arange(256) + 0.5) / 256 * 2 * np.pi
    spot = (np.cos(t)[:, None] + np.cos(t)[None, :]) * 0.25 + 0.5
    levels = np.linspace(0, 1, n)
    return levels, np.quantile(spot, levels)


_SPOT_LEVELS, _SPOT_QUANTILES = _spot_quantiles()


def fm_dither(value: np.ndarray, *, seed, drop_px: int = 1, spread_px: float = 0.6) -> np.ndarray:
    """Frequency-modulated (stochastic) screen of one separation: scattered droplets that spread.

    Thresholds the tone against a blue-noise mask (a printer's dither
    matrix: random, but without clumps), laid at a random offset per call, with
    droplets of ``drop_px`` pixels that bleed ``spread_px`` into the paper.

    Examples
    --------
    >>> dots = fm_dither(np.full((100, 100), 0.3, np.float32), seed=1)
    >>> bool(0.2 < float(dots.mean()) < 0.45)
    True
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    h, w = value.shape
    sh, sw = (h + drop_px - 1) // drop_px, (w + drop_px - 1) // drop_px
    mask = _blue_noise()
    n = mask.shape[0]
    oy, ox = (int(v) for v in rng.integers(0, n, 2))
    reps = (-(-(sh + oy) // n), -(-(sw + ox) // n))
    thresh = np.tile(mask, reps)[oy:oy + sh, ox:ox + sw]
    tone = np.asarray(value, np.float32)
    small = tone if drop_px == 1 else cv2.resize(tone, (sw, sh), interpolation=cv2.INTER_AREA)
    drops = (small > thresh).astype(np.float32)
    big = drops if drop_px == 1 else cv2.resize(drops, (w, h), interpolation=cv2.INTER_NEAREST)
    out = cv2.GaussianBlur(big, (0, 0), spread_px)
    out *= np.float32(1.1)
    np.minimum(out, np.float32(1), out=out)
    return out


@lru_cache(maxsize=1)
def _blue_noise(size: int = 256) -> np.ndarray:
    """A blue-noise dither mask: thresholds in (0, 1), evenly spread, no low frequencies."""
    noise = np.random.default_rng(0xB1E).standard_normal((size, size))
    # take the low frequencies out, in the Fourier domain (it wraps: the mask tiles without seams)
    f = np.fft.fftfreq(size)
    radius2 = f[:, None] ** 2 + f[None, :] ** 2
    noise = np.fft.ifft2(np.fft.fft2(noise) * (1 - np.exp(-radius2 / (2 * 0.12 ** 2)))).real
    ranks = np.empty(size * size)
    ranks[np.argsort(noise, axis=None)] = (np.arange(size * size) + 0.5) / (size * size)
    return ranks.reshape(size, size).astype(np.float32)
