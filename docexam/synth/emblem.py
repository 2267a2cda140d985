"""The fictional states' emblems, drawn as line work."""

from __future__ import annotations

import math

import numpy as np

from .security import rosette_curve
from .strokes import SEG_PX, adaptive, clip_roi, positive, positive_int, point, check_shape, render_strokes

__all__ = ["emblem"]

# --------------------------------------------------------------------------
# emblem
# --------------------------------------------------------------------------


def _circle(cx, cy, r, n=None):
    n = n or max(32, math.ceil(2 * math.pi * r / SEG_PX))
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
    shape = check_shape(shape)
    cx, cy = point("center", center)
    R = positive("radius", radius)
    points = positive_int("points", points)
    if points < 3:
        raise ValueError(f"points: must be at least 3, got {points}")
    lw = max(1.5, R / 70) if line_width is None else positive("line_width", line_width)
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
    n_pts = max(64, math.ceil(2 * math.pi * (a + b * (1 + m)) / SEG_PX))
    z = rosette_curve("epitrochoid", a, b, m, n_pts)
    polys.append(np.stack([cx + z.real, cy + z.imag], 1))
    polys.append(_circle(cx, cy, Ro * 0.05))

    reach = R + lw + 2
    roi = clip_roi(shape, math.floor(cx - reach), math.floor(cy - reach),
                    math.ceil(cx + reach) + 1, math.ceil(cy + reach) + 1)
    polys = [adaptive(p, True) for p in polys]
    return render_strokes(shape, roi, [(polys, lw, True), (ray_polys, lw, False)])

