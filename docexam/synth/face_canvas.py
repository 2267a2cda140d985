"""Drawing primitives of the portrait renderer: anti-aliased masks in small regions.

Every mask is float32 in [0, 1]. Features (an eye, a nostril, a soft shadow)
are drawn in a :class:`Region` just big enough for them rather than on the
whole canvas: this is what keeps a full-size portrait inside its time budget.

Examples
--------
>>> reg = Region(40, 40, 10, 30, 10, 30)
>>> m = ellipse(reg, (20, 20), (5, 5))
>>> m.shape, round(float(m.max()), 2)
((21, 21), 1.0)
"""

from __future__ import annotations

import math

import cv2
import numpy as np

SHIFT = 4          # sub-pixel precision of cv2 drawing (coordinates x16)
_ONE = 1 << SHIFT


def check_size(size, name: str = "size") -> tuple[int, int]:
    """``(width, height)`` of integers in 16..8000, or ``ValueError`` naming ``name``."""
    try:
        w, h = (int(v) for v in size)
        ok = all(float(v) == int(v) for v in size)
    except (TypeError, ValueError):
        ok = False
    if not ok or not (16 <= w <= 8000 and 16 <= h <= 8000):
        raise ValueError(f"{name}: expected (width, height) of integers in 16..8000, got {size!r}")
    return w, h


class Region:
    """A rectangle ``[y0, y1) x [x0, x1)`` of an ``H x W`` canvas, clipped to it."""

    __slots__ = ("box", "shape", "ox", "oy")

    def __init__(self, H, W, y0, y1, x0, x1):
        y0 = min(max(0, int(math.floor(y0))), H - 1)
        x0 = min(max(0, int(math.floor(x0))), W - 1)
        y1 = max(min(H, int(math.ceil(y1)) + 1), y0 + 1)
        x1 = max(min(W, int(math.ceil(x1)) + 1), x0 + 1)
        self.box = (slice(y0, y1), slice(x0, x1))
        self.shape = (y1 - y0, x1 - x0)
        self.ox, self.oy = x0, y0

    @classmethod
    def around(cls, H, W, pts, pad):
        """The region holding the points ``pts`` ((x, y) pairs) grown by ``pad``."""
        pts = np.asarray(pts, np.float64).reshape(-1, 2)
        return cls(H, W, pts[:, 1].min() - pad, pts[:, 1].max() + pad,
                   pts[:, 0].min() - pad, pts[:, 0].max() + pad)


def _pts(xy, reg) -> np.ndarray:
    xy = np.asarray(xy, np.float64) - (reg.ox, reg.oy)
    return np.round(xy * _ONE).astype(np.int32)


def poly(reg, xy) -> np.ndarray:
    """A filled polygon (points as (x, y) canvas coordinates)."""
    m = np.zeros(reg.shape, np.uint8)
    cv2.fillPoly(m, [_pts(xy, reg)], 255, cv2.LINE_AA, SHIFT)
    return m.astype(np.float32) * (1 / 255)


def ellipse(reg, c, axes, angle=0.0) -> np.ndarray:
    """A filled ellipse centred on ``c`` with half-axes ``axes``, rotated ``angle`` degrees."""
    m = np.zeros(reg.shape, np.uint8)
    cv2.ellipse(m, tuple(int(round(v * _ONE)) for v in (c[0] - reg.ox, c[1] - reg.oy)),
                tuple(max(1, int(round(v * _ONE))) for v in axes), float(angle), 0, 360,
                255, -1, cv2.LINE_AA, SHIFT)
    return m.astype(np.float32) * (1 / 255)


def line(reg, xy, thickness, out=None, closed=False):
    """A polyline; drawn into the uint8 ``out`` when given, else returned as a float mask."""
    m = np.zeros(reg.shape, np.uint8) if out is None else out
    cv2.polylines(m, [_pts(xy, reg)], closed, 255, max(1, int(round(thickness))),
                  cv2.LINE_AA, SHIFT)
    return m if out is not None else m.astype(np.float32) * (1 / 255)


def nonzero_box(m, pad=0):
    """Row and column slices of the non-zero part of ``m``, grown by ``pad`` (None if empty)."""
    rows = np.flatnonzero(m.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(m[rows[0]:rows[-1] + 1].any(axis=0))
    h, w = m.shape[:2]
    return (slice(max(0, rows[0] - pad), min(h, rows[-1] + 1 + pad)),
            slice(max(0, cols[0] - pad), min(w, cols[-1] + 1 + pad)))


def over(img, alpha, color, reg=None):
    """Composite ``color`` (rgb or image) over ``img`` in place with ``alpha``.

    With ``reg`` (a :class:`Region` or a pair of slices) ``alpha`` and an
    image ``color`` are patches of that region; without it they are full
    size and only the mask's bounding box is touched.
    """
    color = np.asarray(color, np.float32)
    if reg is None:
        box = nonzero_box(alpha)
        if box is None:
            return
        alpha = alpha[box]
        if color.ndim == 3:
            color = color[box]
    else:
        box = reg.box if isinstance(reg, Region) else reg
    sub = img[box]
    sub += alpha[..., None] * (color - sub)


def blur(m, sigma):
    """Gaussian blur of a mask, computed only around its non-zero part."""
    if sigma <= 0.3:
        return m
    box = nonzero_box(m, pad=int(3 * sigma) + 2)
    if box is None:
        return m
    out = np.zeros_like(m)
    out[box] = cv2.GaussianBlur(m[box], (0, 0), float(sigma), borderType=cv2.BORDER_REPLICATE)
    return out


def smoothstep(e0, e1, x):
    """0 below ``e0``, 1 above ``e1``, a smooth S between (``e0 > e1`` reverses it)."""
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def texture(seed, tag, H, W, per_height, sigma, cubic=False) -> np.ndarray:
    """Unit-variance noise for the whole canvas.

    Drawn on a grid of ``per_height`` (rows, columns) cells per image height
    and blurred by ``sigma`` (y, x) cells. The grid is tied to the image
    height, not to pixels, so one seed shows the same hair and skin at every
    output size.
    """
    gh = max(3, int(per_height[0]))
    gw = max(3, int(round(per_height[1] * W / H)))
    n = np.random.default_rng([seed, 0x9077_0010, tag]).standard_normal((gh, gw), dtype=np.float32)
    if sigma[0] > 0 or sigma[1] > 0:
        n = cv2.GaussianBlur(n, (0, 0), sigmaX=max(0.3, sigma[1]), sigmaY=max(0.3, sigma[0]))
    interp = cv2.INTER_CUBIC if cubic else (cv2.INTER_LINEAR if gh <= H else cv2.INTER_AREA)
    out = cv2.resize(n, (W, H), interpolation=interp)
    return out * (1.0 / (float(out.std()) + 1e-6))


def arc(x, y, rx, ry, sgn, n=12):
    """Points of a half-ellipse arc opening towards ``-sgn`` (a nostril wing)."""
    t = np.linspace(-0.9 * math.pi / 2, 0.9 * math.pi / 2, n)
    return np.stack([x + sgn * rx * np.cos(t), y + ry * np.sin(t)], 1)
