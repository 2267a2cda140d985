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

import cv2
import numpy as np
from scipy.special import ndtr

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
    grey = 1 - rgb.max(axis=2)
    k = grey * np.float32(black_generation)
    denom = np.maximum(1 - k, 1e-4)
    c = np.clip((1 - rgb[..., 0] - k) / denom, 0, 1)
    m = np.clip((1 - rgb[..., 1] - k) / denom, 0, 1)
    y = np.clip((1 - rgb[..., 2] - k) / denom, 0, 1)
    return c, m, y, k


def cmyk_to_rgb(c, m, y, k, paper) -> np.ndarray:
    """Inks on ``paper`` (RGB): each ink absorbs its complementary primary; layers multiply."""
    one = np.float32(1)
    rgb = np.stack([(one - c) * (one - k), (one - m) * (one - k), (one - y) * (one - k)], axis=2)
    return rgb * np.asarray(paper, np.float32)


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
    period = dpi / lpi
    a = math.radians(angle_deg)
    k = 2 * math.pi / period
    xs = (np.arange(w, dtype=np.float64) - offset[0]) * k
    ys = (np.arange(h, dtype=np.float64) - offset[1]) * k
    # cos(ax + by) = cos(ax) cos(by) - sin(ax) sin(by): separable, two outer products per term
    ca, sa = math.cos(a), math.sin(a)

    def wave(fx: float, fy: float) -> np.ndarray:
        px, py = xs * fx, ys * fy
        return (np.outer(np.cos(py), np.cos(px)) - np.outer(np.sin(py), np.sin(px))).astype(np.float32)

    spot = (wave(ca, sa) + wave(-sa, ca)) * np.float32(0.25) + np.float32(0.5)
    tone = np.clip(value.astype(np.float32, copy=False), 0, 1)
    if dot_gain > 0:
        tone = tone + np.float32(dot_gain) * 4 * tone * (1 - tone)
    # the spot level that leaves the wanted share of each cell inked (a linearised screen, as a RIP's)
    level = np.interp(1 - tone, _SPOT_LEVELS, _SPOT_QUANTILES).astype(np.float32)
    # the spot function changes by about k / 4 per pixel: an edge ramp one pixel wide, pushed
    # past the cell's extremes at no and full tone so they stay bare and solid
    sharp = np.float32(max(1.0, 4.0 / k))
    ends = np.clip(1 - tone * 10, 0, 1) - np.clip(1 - (1 - tone) * 10, 0, 1)  # 1 at no tone, -1 at full
    level += ends * np.float32(0.5 / sharp)
    return np.clip((spot - level) * sharp + np.float32(0.5), 0, 1)


def _spot_quantiles(n: int = 257) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles of the spot function over one cell: the level below which a share of the cell lies."""
    t = (np.arange(256) + 0.5) / 256 * 2 * np.pi
    spot = (np.cos(t)[:, None] + np.cos(t)[None, :]) * 0.25 + 0.5
    levels = np.linspace(0, 1, n)
    return levels, np.quantile(spot, levels)


_SPOT_LEVELS, _SPOT_QUANTILES = _spot_quantiles()


def fm_dither(value: np.ndarray, *, seed, drop_px: int = 1, spread_px: float = 0.6) -> np.ndarray:
    """Frequency-modulated (stochastic) screen of one separation: scattered droplets that spread.

    Thresholds the tone against high-passed noise (a cheap stand-in for error
    diffusion's blue noise), with droplets of ``drop_px`` pixels that bleed
    ``spread_px`` into the paper.

    Examples
    --------
    >>> dots = fm_dither(np.full((100, 100), 0.3, np.float32), seed=1)
    >>> bool(0.2 < float(dots.mean()) < 0.45)
    True
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    h, w = value.shape
    sh, sw = (h + drop_px - 1) // drop_px, (w + drop_px - 1) // drop_px
    noise = rng.standard_normal((sh, sw)).astype(np.float32)
    noise -= cv2.GaussianBlur(noise, (0, 0), 2.0)
    thresh = ndtr(noise / (noise.std() + 1e-6)).astype(np.float32)
    small = cv2.resize(value.astype(np.float32), (sw, sh), interpolation=cv2.INTER_AREA)
    drops = (small > thresh).astype(np.float32)
    big = cv2.resize(drops, (w, h), interpolation=cv2.INTER_NEAREST)
    return np.clip(cv2.GaussianBlur(big, (0, 0), spread_px) * 1.1, 0, 1)
