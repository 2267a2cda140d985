"""The fictional states' emblems, drawn as line work."""

from __future__ import annotations

import math

import cv2
import numpy as np

from .security import rosette_curve
from .strokes import SEG_PX, adaptive, clip_roi, positive, positive_int, point, check_shape, render_strokes

__all__ = ["emblem", "engraved_shading"]

# --------------------------------------------------------------------------
# emblem
# --------------------------------------------------------------------------


def _circle(cx, cy, r, n=None):
    n = n or max(32, math.ceil(2 * math.pi * r / SEG_PX))
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], axis=1)


def emblem(shape, *, center, radius, points=12, seed=0, line_width=None, shading=True) -> np.ndarray:
    """Coverage of a fictional state emblem drawn in line work, shaded as an engraving.

    Concentric from the outside in: a double border ring, a wreath of leaf
    outlines, a sun of alternating long and short rays, a ``points``-pointed
    star outlined twice, and a small loop rosette at the heart. ``seed``
    varies the proportions and counts (leaf count, star depth, ray pattern,
    centre lobes) so different states get different emblems. Purely
    geometric; it imitates no real state's arms.

    With ``shading``, the star and the field behind it are shaded as an
    engraver does (:func:`engraved_shading`): parallel hatching whose lines
    swell where the surface is dark, each facet of the star lit from the
    upper left, the field in the horizontal hatching of heraldry.

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
    shading : bool, optional
        Add the engraved line shading.

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
    out = render_strokes(shape, roi, [(polys, lw, True), (ray_polys, lw, False)])
    if shading and roi is not None:
        star_ro, star_ri = Ro * 0.47, Ro * 0.47 * depth
        np.maximum(out, engraved_shading(shape, center=(cx, cy), radius=Ro * 0.73, star=(points, star_ro, star_ri),
                                         spacing=max(2.2, Ro / 60)), out=out)
    return out


def _star_mask(shape, roi, cx, cy, points, ro, ri) -> np.ndarray:
    """Antialiased coverage of a star polygon over ``roi``."""
    x0, y0, x1, y1 = roi
    ss = 4
    t = np.arange(2 * points) * math.pi / points - math.pi / 2
    r = np.where(np.arange(2 * points) % 2 == 0, ro, ri)
    pts = np.stack([(cx + r * np.cos(t) - x0 + 0.5) * ss - 0.5, (cy + r * np.sin(t) - y0 + 0.5) * ss - 0.5], 1)
    big = np.zeros(((y1 - y0) * ss, (x1 - x0) * ss), np.uint8)
    cv2.fillPoly(big, [np.round(pts * 16).astype(np.int32).reshape(-1, 1, 2)], 255, cv2.LINE_8, 4)
    return cv2.resize(big, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def engraved_shading(shape, *, center, radius, star, spacing, light_deg=135.0) -> np.ndarray:
    """Coverage of engraved line shading: a faceted star over a hatched round field.

    An engraver renders tone with parallel lines of varying width, not with
    dots: a line swells where the surface is dark and thins to a hairline in
    the light. Each arm of the star has two facets meeting at its ridge; the
    facet facing the light (from ``light_deg``, counter-clockwise from +x,
    y up) is hatched thin, the other thick, along the arm. The round field
    behind the star carries the horizontal hatching heraldry uses for blue,
    fading toward its rim.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    center : (float, float)
        Centre (x, y), px.
    radius : float
        Radius of the hatched field, px.
    star : (int, float, float)
        Points, outer and inner radius (px) of the star.
    spacing : float
        Distance between hatching lines, px (0.1-0.15 mm is 2.4-3.5 px at 600 dpi).
    light_deg : float, optional
        Direction the light comes from.

    Returns
    -------
    coverage : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> cov = engraved_shading((120, 120), center=(60, 60), radius=50, star=(5, 45, 20), spacing=3)
    >>> lit, dark = cov[40:60, 52:60], cov[40:60, 60:68]  # the two facets of the upper arm
    >>> bool(cov[0:5, 0:5].max() == 0), bool(dark.mean() > lit.mean())
    (True, True)
    """
    shape = check_shape(shape)
    cx, cy = point("center", center)
    radius = positive("radius", radius)
    spacing = positive("spacing", spacing)
    points, ro, ri = int(star[0]), positive("star outer radius", star[1]), positive("star inner radius", star[2])
    reach = max(radius, ro) + 2
    roi = clip_roi(shape, math.floor(cx - reach), math.floor(cy - reach), math.ceil(cx + reach) + 1,
                   math.ceil(cy + reach) + 1)
    out = np.zeros(shape, np.float32)
    if roi is None:
        return out
    x0, y0, x1, y1 = roi
    xs = np.arange(x0, x1, dtype=np.float32) - np.float32(cx)
    ys = np.arange(y0, y1, dtype=np.float32) - np.float32(cy)
    xx, yy = np.meshgrid(xs, ys)
    rr = np.hypot(xx, yy)
    theta = np.arctan2(yy, xx)
    # the star: which arm, and which side of its ridge (the ray through the arm's tip)
    arm = np.float32(2 * math.pi / points)
    tip0 = -math.pi / 2
    rel = np.mod(theta - tip0 + arm / 2, arm) - arm / 2  # angle from the nearest tip's ray
    tip = theta - rel
    facet_normal = tip + np.sign(rel) * np.float32(math.pi / 2)  # each facet faces sideways from the ridge
    light = np.float32(math.radians(light_deg))
    # y is down on the page: the light's direction in page coordinates has -sin
    lit = np.cos(facet_normal) * np.cos(light) - np.sin(facet_normal) * np.sin(light)
    star_tone = np.clip(0.55 - 0.4 * lit, 0.12, 0.95) * (0.7 + 0.3 * np.clip(rr / ro, 0, 1))
    # hatching along each arm: lines parallel to the arm's ridge
    along = np.abs(rel) * rr  # distance from the ridge
    d_star = np.abs(along / spacing - np.round(along / spacing)) * spacing
    field_tone = np.clip(0.5 - 0.35 * rr / radius, 0.05, 1.0)
    d_field = np.abs(yy / spacing - np.round(yy / spacing)) * spacing
    star_mask = _star_mask(shape, roi, cx, cy, points, ro, ri)
    disc = np.clip(radius - rr + 0.5, 0, 1)

    def lines(d, tone):
        # an engraved line thins to a hairline in the light, never breaks into dots
        half = np.maximum(tone * np.float32(spacing * 0.45), np.float32(0.55))
        return np.clip(np.minimum(d + 0.5, half) - np.maximum(d - 0.5, -half), 0, 1)

    cov = lines(d_star, star_tone) * star_mask + lines(d_field, field_tone) * disc * (1 - star_mask)
    out[y0:y1, x0:x1] = cov
    return out

