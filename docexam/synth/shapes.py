"""Natural shapes of tampering: abraded blotches, torn and cut paper, scratches.

A forger's hand does not draw ellipses or rectangles. Scraping and washing
leave a blotch whose outline is ragged at every scale and whose edge fades
out (it is *feathered*); a piece of paper torn by hand has a jagged edge with
fibres sticking out, and one cut with scissors a slightly wavering straight
edge; sanding a plastic card leaves parallel scratches. The functions here
return such shapes as float32 masks in [0, 1] over a full (H, W) canvas,
non-zero only inside the box they are given. All are pure: the same
arguments, including ``seed``, give the same array.

Examples
--------
>>> m = abraded_blotch((120, 200), box=(20, 10, 180, 110), seed=3)
>>> m.shape, bool(m[:10].max() == 0), bool(m.max() > 0.99)
((120, 200), True, True)
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .strokes import check_box, check_shape, nonnegative, positive
from .substrate import cloud_noise

__all__ = ["abraded_blotch", "scratches", "torn_piece"]

#: supersampling of polygon masks (antialiased edges)
_SS = 4


def _roi(shape, box) -> tuple[int, int, int, int]:
    h, w = shape
    x0, y0, x1, y1 = check_box(box)
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise ValueError(f"box: {box!r} leaves less than 2x2 pixels on the {w}x{h} canvas")
    return x0, y0, x1, y1


def abraded_blotch(shape, *, box, seed, fill=0.9, roughness=0.22, feather_px=4.0, holes=0.0) -> np.ndarray:
    """A blotch left by scraping or washing: ragged outline, feathered edge.

    The outline is a superellipse of random squareness, tilt and centre
    inside ``box``, pushed in and out by smooth noise at three scales (a
    quarter, a tenth and a thirtieth of the box), so it is ragged at every
    scale; the edge fades over ``feather_px`` pixels.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    box : [x0, y0, x1, y1]
        The blotch stays inside this box.
    seed : int or numpy Generator
        Random choices.
    fill : float, optional
        Share of the box (per axis) the mean outline reaches, in (0, 1].
    roughness : float, optional
        Strength of the outline's raggedness (>= 0; 0 gives a smooth superellipse).
    feather_px : float, optional
        Width of the fading edge, pixels (> 0).
    holes : float, optional
        Share of untouched islands inside (0: solid; 0.3: patchy).

    Returns
    -------
    mask : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> a = abraded_blotch((100, 100), box=(0, 0, 100, 100), seed=1)
    >>> b = abraded_blotch((100, 100), box=(0, 0, 100, 100), seed=2)
    >>> bool((a != b).any()), bool(0.3 < float((a > 0.5).mean()) < 0.95)
    (True, True)
    """
    shape = check_shape(shape)
    x0, y0, x1, y1 = _roi(shape, box)
    fill = positive("fill", fill)
    roughness = nonnegative("roughness", roughness)
    feather_px = positive("feather_px", feather_px)
    holes = nonnegative("holes", holes)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    bw, bh = x1 - x0, y1 - y0
    size = min(bw, bh)
    p = rng.uniform(1.7, 3.2)  # 2 is an ellipse; more is squarer
    tilt = rng.uniform(-0.25, 0.25)
    cx, cy = rng.uniform(-0.06, 0.06, 2)
    xs = (np.arange(bw, dtype=np.float32) + 0.5) / bw * 2 - 1 - np.float32(cx)
    ys = (np.arange(bh, dtype=np.float32) + 0.5) / bh * 2 - 1 - np.float32(cy)
    xx, yy = np.meshgrid(xs, ys)
    c, s = math.cos(tilt), math.sin(tilt)
    u, v = (c * xx + s * yy) / fill, (-s * xx + c * yy) / fill
    radius = (np.abs(u) ** p + np.abs(v) ** p) ** (1 / p)
    noise = cloud_noise((bh, bw), rng, [size / 4, size / 10, size / 30], [0.6, 0.3, 0.15])
    field = radius + np.float32(roughness * 0.5) * noise
    if holes > 0:
        islands = cloud_noise((bh, bw), rng, [size / 12], [1.0])
        field = field + np.float32(0.6) * np.clip(islands - (2.0 - 4 * holes), 0, None)
    # distance from the outline in pixels, roughly: the field rises by 2/size per pixel
    edge = (1.0 - field) * np.float32(size / 2 / feather_px)
    out = np.zeros(shape, np.float32)
    out[y0:y1, x0:x1] = np.clip(edge + 0.5, 0.0, 1.0)
    return out


def _jagged(a: np.ndarray, b: np.ndarray, rng, roughness: float, depth: int) -> np.ndarray:
    """Points from ``a`` to ``b`` (excluded) by midpoint displacement: a torn edge."""
    pts = np.array([a, b], np.float64)
    amp = roughness
    for _ in range(depth):
        mid = (pts[:-1] + pts[1:]) / 2
        d = pts[1:] - pts[:-1]
        normal = np.stack([-d[:, 1], d[:, 0]], axis=1)
        normal /= np.maximum(np.hypot(normal[:, 0], normal[:, 1]), 1e-9)[:, None]
        mid += normal * rng.normal(0.0, amp, (len(mid), 1))
        out = np.empty((len(pts) + len(mid), 2))
        out[0::2], out[1::2] = pts, mid
        pts = out
        amp *= 0.55
    return pts[:-1]


def torn_piece(shape, *, box, seed, torn=True, roughness_px=None, whiskers=True) -> tuple[np.ndarray, np.ndarray]:
    """A piece of paper torn (or cut) by hand, lying inside ``box``.

    Torn: each side is a jagged line (midpoint displacement, ragged at every
    scale) and short fibres stick out of it. Cut: each side is a slightly
    wavering, slightly skewed straight cut and the corners are not square.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    box : [x0, y0, x1, y1]
        The piece stays inside this box.
    seed : int or numpy Generator
    torn : bool, optional
        Torn (True) or cut with scissors (False).
    roughness_px : float, optional
        Amplitude of the edge's largest wiggles (default: 1.5 % of the box's
        shorter side for a cut, 5 % for a tear, at least 1.5 px).
    whiskers : bool, optional
        Fibres sticking out of a torn edge.

    Returns
    -------
    piece : (H, W) float32 ndarray in [0, 1]
        Coverage of the piece (antialiased).
    edge : (H, W) float32 ndarray in [0, 1]
        A band about 2 px wide along the outline (and the whiskers), where a
        raised edge catches light or casts a shadow.

    Examples
    --------
    >>> piece, edge = torn_piece((80, 160), box=(10, 10, 150, 70), seed=4)
    >>> bool(piece[40, 80] > 0.99), bool(piece[0, 0] == 0), bool(edge.max() > 0.5)
    (True, True, True)
    """
    shape = check_shape(shape)
    x0, y0, x1, y1 = _roi(shape, box)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    bw, bh = x1 - x0, y1 - y0
    size = min(bw, bh)
    rough = (0.05 if torn else 0.015) * size if roughness_px is None else nonnegative("roughness_px", roughness_px)
    rough = max(rough, 1.5)
    inset = 2 * rough + 2
    # corners a little off square; a hand cut is never a rectangle
    jitter = rng.uniform(-rough, rough, (4, 2))
    corners = np.array([[inset, inset], [bw - inset, inset], [bw - inset, bh - inset], [inset, bh - inset]])
    corners = np.clip(corners + jitter, 1, [bw - 2, bh - 2])
    pts = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        if torn:
            pts.append(_jagged(a, b, rng, rough, depth=7))
        else:  # a gently wavering cut: a few low-amplitude bends
            t = np.linspace(0, 1, 24, endpoint=False)[:, None]
            line = a + (b - a) * t
            d = (b - a) / max(np.hypot(*(b - a)), 1e-9)
            bend = rough * 0.4 * np.sin(np.pi * t * rng.uniform(1, 3) + rng.uniform(0, np.pi))
            pts.append(line + np.array([-d[1], d[0]]) * bend)
    outline = np.concatenate(pts)
    big = np.zeros((bh * _SS, bw * _SS), np.uint8)
    poly = np.round((outline * _SS) * 16).astype(np.int32).reshape(-1, 1, 2)
    cv2.fillPoly(big, [poly], 255, cv2.LINE_8, 4)
    ring = np.zeros_like(big)
    cv2.polylines(ring, [poly], True, 255, 2 * _SS, cv2.LINE_8, 4)
    if torn and whiskers:
        n = int(len(outline) / 12)
        for k in rng.choice(len(outline), size=max(n, 1), replace=False):
            p0 = outline[k]
            ang = rng.uniform(0, 2 * np.pi)
            length = rng.uniform(0.4, 1.6) * rough
            p1 = p0 + length * np.array([math.cos(ang), math.sin(ang)])
            seg = np.round(np.array([p0, p1]) * _SS * 16).astype(np.int32).reshape(-1, 1, 2)
            cv2.polylines(big, [seg], False, 200, max(1, _SS // 2), cv2.LINE_8, 4)
            cv2.polylines(ring, [seg], False, 255, _SS, cv2.LINE_8, 4)
    piece = np.zeros(shape, np.float32)
    edge = np.zeros(shape, np.float32)
    piece[y0:y1, x0:x1] = cv2.resize(big, (bw, bh), interpolation=cv2.INTER_AREA) * np.float32(1 / 255)
    edge[y0:y1, x0:x1] = cv2.resize(ring, (bw, bh), interpolation=cv2.INTER_AREA) * np.float32(1 / 255)
    return piece, edge


def scratches(shape, *, box, seed, angle_deg=20.0, length_px=40.0, density=1.0) -> np.ndarray:
    """Fine parallel scratches of sanding or scraping, as strength in [0, 1].

    White noise smeared along ``angle_deg`` (a scratch is long and narrow)
    and kept where it is strongest, so scratches start and stop at random.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    box : [x0, y0, x1, y1]
        Scratches lie inside this box.
    seed : int or numpy Generator
    angle_deg : float, optional
        Main direction of the strokes (degrees, counter-clockwise on the page).
    length_px : float, optional
        Typical scratch length, pixels.
    density : float, optional
        0 (none) .. 1 (many).

    Returns
    -------
    strength : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> s = scratches((60, 120), box=(0, 0, 120, 60), seed=2, angle_deg=0)
    >>> bool(s.max() > 0.5), bool(s.mean() < 0.3)
    (True, True)
    """
    shape = check_shape(shape)
    x0, y0, x1, y1 = _roi(shape, box)
    length_px = positive("length_px", length_px)
    density = nonnegative("density", density)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    bw, bh = x1 - x0, y1 - y0
    diag = int(math.ceil(math.hypot(bw, bh))) + 4
    noise = rng.standard_normal((diag, diag), dtype=np.float32)
    streak = cv2.GaussianBlur(noise, (0, 0), sigmaX=length_px / 3, sigmaY=0.6)
    streak /= max(float(streak.std()), 1e-6)
    rot = cv2.getRotationMatrix2D((diag / 2, diag / 2), float(angle_deg), 1.0)
    rot[:, 2] += (bw / 2 - diag / 2, bh / 2 - diag / 2)
    streak = cv2.warpAffine(streak, rot, (bw, bh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    level = 2.4 - 1.2 * min(density, 1.0)  # only the strongest streaks become scratches
    out = np.zeros(shape, np.float32)
    out[y0:y1, x0:x1] = np.clip((streak - level) / 0.8, 0.0, 1.0)
    return out
