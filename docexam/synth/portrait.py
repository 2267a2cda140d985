"""Procedural ICAO-style portraits of people who do not exist.

Specimens must never show a real person, so every portrait is drawn from
scratch: plain light background, shoulders and clothing, neck, ears, face,
skin shading, eyes, brows, nose, mouth, hair, optional glasses and facial
hair, then a little blur and sensor noise so that it reads as a photograph
rather than a cartoon. All geometry is expressed in units of the head
height, so the same seed gives the same person at any output size (the
main portrait and the ghost portrait of one document show one face).

The module also provides the secondary "ghost" portrait as it is printed
(:func:`ghost_image`) and a small descriptor (:func:`portrait_signature`,
:func:`same_person_score`) that the examination pipeline uses to notice a
ghost image that does not match the main portrait (photo substitution).

Examples
--------
>>> img = render_portrait(4, size=(260, 330))
>>> img.shape, img.dtype
((330, 260, 3), dtype('uint8'))
>>> ghost = ghost_image(img, size=(150, 190))
>>> other = render_portrait(5, size=(260, 330))
>>> a = portrait_signature(img)
>>> same_person_score(a, portrait_signature(ghost, coverage=True)) > same_person_score(
...     a, portrait_signature(other))
True
"""

from __future__ import annotations

import math

import cv2
import numpy as np

__all__ = ["render_portrait", "ghost_image", "portrait_signature", "same_person_score",
           "HAIR_STYLES"]

#: hair styles :func:`render_portrait` draws
HAIR_STYLES = ("short", "side-part", "fringe", "buzz", "bald", "receding", "bob", "long",
               "tied", "bun")

# The face is drawn at most this many rows high and then upscaled: a
# photograph is smooth at this scale anyway, and it keeps a TD3 portrait
# (830x1060) well inside the time budget.
_DRAW_ROWS = 470
_SHIFT = 4          # sub-pixel precision of cv2 drawing (coordinates x16)
_ONE = 1 << _SHIFT

# sRGB skin tones from light to deep, interpolated by a single tone value
_SKIN = np.array([[250, 222, 200], [240, 204, 176], [226, 184, 150], [204, 158, 120],
                  [170, 120, 86], [125, 86, 60], [86, 60, 44]], np.float32) / 255
_HAIR = {  # name: (rgb, weight for dark skin, weight for light skin)
    "black": ((0.06, 0.05, 0.05), 6.0, 1.0),
    "dark-brown": ((0.16, 0.11, 0.08), 3.0, 2.0),
    "brown": ((0.32, 0.22, 0.14), 0.6, 2.0),
    "light-brown": ((0.50, 0.37, 0.24), 0.1, 1.2),
    "blonde": ((0.78, 0.64, 0.42), 0.0, 1.2),
    "auburn": ((0.45, 0.20, 0.10), 0.1, 0.6),
    "dyed-red": ((0.42, 0.12, 0.10), 0.15, 0.15),
}
_GREYS = {"grey": (0.55, 0.54, 0.52), "white": (0.84, 0.83, 0.80), "salt-pepper": (0.36, 0.35, 0.34)}
_IRIS = {"dark-brown": (0.20, 0.12, 0.07), "brown": (0.36, 0.22, 0.11), "hazel": (0.45, 0.38, 0.18),
         "green": (0.30, 0.42, 0.28), "blue": (0.33, 0.47, 0.62), "grey": (0.45, 0.50, 0.54)}
_BACKGROUNDS = [(0.95, 0.95, 0.95), (0.88, 0.89, 0.90), (0.82, 0.88, 0.94), (0.95, 0.93, 0.88),
                (0.86, 0.90, 0.92), (0.92, 0.92, 0.89), (0.78, 0.84, 0.90)]
_CLOTHES = [(0.10, 0.12, 0.20), (0.08, 0.08, 0.09), (0.35, 0.36, 0.38), (0.90, 0.90, 0.88),
            (0.45, 0.10, 0.14), (0.15, 0.30, 0.22), (0.62, 0.55, 0.44), (0.20, 0.32, 0.55),
            (0.55, 0.62, 0.72), (0.70, 0.35, 0.20), (0.30, 0.22, 0.35), (0.82, 0.78, 0.62)]
_SHIRTS = [(0.95, 0.95, 0.94), (0.80, 0.87, 0.95), (0.92, 0.90, 0.84), (0.85, 0.85, 0.86)]


# --------------------------------------------------------------------------
# option checking

def _check_size(size, name: str = "size") -> tuple[int, int]:
    try:
        w, h = (int(v) for v in size)
        ok = all(float(v) == int(v) for v in size)
    except (TypeError, ValueError):
        ok = False
    if not ok or not (16 <= w <= 8000 and 16 <= h <= 8000):
        raise ValueError(f"{name}: expected (width, height) of integers in 16..8000, got {size!r}")
    return w, h


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed: expected an integer, got {seed!r}")
    return int(seed) & 0xFFFFFFFFFFFF


# --------------------------------------------------------------------------
# drawing helpers (all masks float32 in [0, 1], drawn anti-aliased)

class _Region:
    """A rectangle of the canvas that small masks are drawn in.

    Features (an eye, a nostril, a soft shadow) are drawn in a patch just
    big enough for them rather than on the whole canvas: this is what keeps
    a full-size portrait inside its time budget.
    """

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
        pts = np.asarray(pts, np.float64).reshape(-1, 2)
        return cls(H, W, pts[:, 1].min() - pad, pts[:, 1].max() + pad,
                   pts[:, 0].min() - pad, pts[:, 0].max() + pad)


def _pts(xy, reg) -> np.ndarray:
    xy = np.asarray(xy, np.float64) - (reg.ox, reg.oy)
    return np.round(xy * _ONE).astype(np.int32)


def _poly(reg, xy) -> np.ndarray:
    m = np.zeros(reg.shape, np.uint8)
    cv2.fillPoly(m, [_pts(xy, reg)], 255, cv2.LINE_AA, _SHIFT)
    return m.astype(np.float32) * (1 / 255)


def _ellipse(reg, c, axes, angle=0.0) -> np.ndarray:
    m = np.zeros(reg.shape, np.uint8)
    cv2.ellipse(m, tuple(int(round(v * _ONE)) for v in (c[0] - reg.ox, c[1] - reg.oy)),
                tuple(max(1, int(round(v * _ONE))) for v in axes), float(angle), 0, 360,
                255, -1, cv2.LINE_AA, _SHIFT)
    return m.astype(np.float32) * (1 / 255)


def _line(reg, xy, thickness, out=None, closed=False):
    m = np.zeros(reg.shape, np.uint8) if out is None else out
    cv2.polylines(m, [_pts(xy, reg)], closed, 255, max(1, int(round(thickness))),
                  cv2.LINE_AA, _SHIFT)
    return m if out is not None else m.astype(np.float32) * (1 / 255)


def _bbox(m, pad=0):
    """Row and column slices of the non-zero part of ``m``, grown by ``pad``."""
    rows = np.flatnonzero(m.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(m[rows[0]:rows[-1] + 1].any(axis=0))
    h, w = m.shape[:2]
    return (slice(max(0, rows[0] - pad), min(h, rows[-1] + 1 + pad)),
            slice(max(0, cols[0] - pad), min(w, cols[-1] + 1 + pad)))


def _over(img, alpha, color, reg=None):
    """Composite ``color`` (rgb or image) over ``img`` in place with ``alpha``.

    With ``reg`` (a :class:`_Region` or a pair of slices) ``alpha`` and an
    image ``color`` are patches of that region; without it they are full
    size and only the mask's bounding box is touched.
    """
    color = np.asarray(color, np.float32)
    if reg is None:
        box = _bbox(alpha)
        if box is None:
            return
        alpha = alpha[box]
        if color.ndim == 3:
            color = color[box]
    else:
        box = reg.box if isinstance(reg, _Region) else reg
    sub = img[box]
    sub += alpha[..., None] * (color - sub)


def _blur(m, sigma):
    """Gaussian blur of a mask, computed only around its non-zero part."""
    if sigma <= 0.3:
        return m
    box = _bbox(m, pad=int(3 * sigma) + 2)
    if box is None:
        return m
    out = np.zeros_like(m)
    out[box] = cv2.GaussianBlur(m[box], (0, 0), float(sigma), borderType=cv2.BORDER_REPLICATE)
    return out


def _smoothstep(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def _texture(seed, tag, H, W, per_height, sigma, cubic=False) -> np.ndarray:
    """Unit-variance noise for the whole canvas, drawn on a grid of
    ``per_height`` (rows, columns) cells per image height and blurred by
    ``sigma`` (y, x) cells. The grid is tied to the image height, not to
    pixels, so one seed shows the same hair and skin at every output size."""
    gh = max(3, int(per_height[0]))
    gw = max(3, int(round(per_height[1] * W / H)))
    n = np.random.default_rng([seed, 0x9077_0010, tag]).standard_normal((gh, gw), dtype=np.float32)
    if sigma[0] > 0 or sigma[1] > 0:
        n = cv2.GaussianBlur(n, (0, 0), sigmaX=max(0.3, sigma[1]), sigmaY=max(0.3, sigma[0]))
    interp = cv2.INTER_CUBIC if cubic else (cv2.INTER_LINEAR if gh <= H else cv2.INTER_AREA)
    out = cv2.resize(n, (W, H), interpolation=interp)
    return out * (1.0 / (float(out.std()) + 1e-6))


# --------------------------------------------------------------------------
# the person: every random choice, drawn in a fixed order

def _person(seed: int, sex: str | None, age: int | None) -> dict:
    rng = np.random.default_rng([seed, 0x9077_0001])
    u = rng.random(112)  # fixed-length draw: options never shift the stream
    k = iter(range(112))

    def U(lo=0.0, hi=1.0):
        return lo + (hi - lo) * float(u[next(k)])

    def choice(options, weights=None):
        x = U()
        w = np.ones(len(options)) if weights is None else np.asarray(weights, float)
        i = int(np.searchsorted(np.cumsum(w) / w.sum(), x, side="right"))
        return options[min(i, len(options) - 1)]

    p: dict = {}
    drawn_sex = "F" if U() < 0.5 else "M"
    p["sex"] = sex if sex in ("F", "M") else drawn_sex
    drawn_age = int(18 + 62 * U() ** 1.3)
    p["age"] = int(age) if age is not None else drawn_age
    male, old = p["sex"] == "M", (p["age"] - 18) / 62

    # skin: one tone value across a realistic range, then a small undertone shift
    tone = float(np.clip(0.15 * U() + 0.85 * rng.beta(2.0, 2.6), 0, 1))
    x = tone * (len(_SKIN) - 1)
    i = min(int(x), len(_SKIN) - 2)
    skin = _SKIN[i] * (1 - (x - i)) + _SKIN[i + 1] * (x - i)
    warm = U(-0.025, 0.025)
    p["skin"] = np.clip(skin + np.array([warm, 0.3 * warm, -warm], np.float32), 0, 1)
    p["tone"] = tone

    # head geometry: fractions of the head height L (crown of skull to chin)
    p["top"] = U(0.125, 0.16)           # skull top, fraction of image height
    p["chin"] = U(0.785, 0.825)         # chin, fraction of image height
    p["cx"] = U(-0.012, 0.012)          # horizontal offset, fraction of width
    p["wid"] = U(0.305, 0.375) + (0.012 if male else 0.0)   # half-width of the head
    p["n_up"] = U(1.9, 2.5)             # skull roundness
    p["n_lo"] = U(1.9, 2.5) + (0.9 if male else 0.3) * U()  # jaw squareness
    p["taper"] = U(0.0, 0.22)           # V-shaped jaw
    p["cheek"] = U(-0.02, 0.06)         # cheekbone prominence
    p["eye_y"] = U(0.48, 0.53)
    p["eye_w"] = U(0.115, 0.14)
    p["eye_sep"] = U(0.92, 1.12)        # pupil half-distance / eye width
    p["eye_h"] = U(0.30, 0.45)          # opening / width
    p["eye_tilt"] = U(-0.05, 0.12)
    p["crease"] = U() < 0.6
    p["crease_off"] = U(0.25, 0.55)
    p["brow_gap"] = U(0.065, 0.095)
    p["brow_thick"] = U(0.020, 0.032) * (1.2 if male else 0.9)
    p["brow_arch"] = U(0.005, 0.03)
    p["brow_len"] = U(0.85, 1.15)
    p["nose_y"] = U(0.68, 0.725)
    p["nose_w"] = U(0.068, 0.10)
    p["mouth_gap"] = U(0.075, 0.10)
    p["mouth_w"] = U(0.092, 0.125)
    p["lip_up"] = U(0.014, 0.028) * (1.15 if not male else 0.95)
    p["lip_lo"] = U(0.020, 0.036) * (1.15 if not male else 0.95)
    p["ear_size"] = U(0.85, 1.15)
    p["ear_out"] = U(0.0, 0.35)
    p["neck_w"] = U(0.46, 0.56) + (0.08 if male else 0.0)
    p["gaze"] = U(-0.05, 0.05)

    # hair
    if male:
        weights = (5, 4, 1.5, 2, 0.6 + 2.5 * old, 0.5 + 3 * old, 0.3, 0.4, 0.3, 0.1)
    else:
        weights = (1.0, 1.2, 1.5, 0.1, 0.02, 0.05, 2.5, 4.0, 2.5, 1.2)
    p["hair_style"] = choice(HAIR_STYLES, weights)
    dark = p["tone"] > 0.45
    names = list(_HAIR)
    p["hair_name"] = choice(names, [_HAIR[n][1] if dark else _HAIR[n][2] for n in names])
    hair = np.array(_HAIR[p["hair_name"]][0], np.float32)
    grey_p = max(0.0, (p["age"] - 40) / 45.0) ** 1.4
    greys = list(_GREYS)
    grey_name = choice(greys)
    if U() < grey_p:
        p["hair_name"] = grey_name
        hair = np.array(_GREYS[grey_name], np.float32)
    p["hair"] = np.clip(hair * U(0.85, 1.15), 0, 1)
    p["hair_thick"] = U(0.03, 0.10)
    p["hair_side"] = U(0.015, 0.06)
    p["hairline"] = U(0.15, 0.22)
    p["hairline_k"] = U(0.04, 0.16)
    p["part"] = U(-1, 1)
    p["hair_len"] = U(0.0, 1.0)
    p["hair_flare"] = U(0.0, 0.10)
    p["hair_sheen"] = U(0.05, 0.22)
    p["hair_wave"] = U(0.0, 1.0)
    # eyes and brows
    light = p["tone"] < 0.3
    iris_names = list(_IRIS)
    p["iris"] = np.array(_IRIS[choice(iris_names, (5, 4, 1, 0.5, 0.5, 0.4) if light
                                      else (8, 4, 0.3, 0.05, 0.05, 0.05))], np.float32)
    pale = p["hair_name"] in ("white", "grey", "blonde", "light-brown")
    p["brow"] = (p["hair"] * (0.55 if pale else 1.0)) * U(0.8, 1.0)
    p["brow_alpha"] = U(0.7, 0.95)
    # extras
    p["glasses"] = U() < 0.22
    p["glasses_style"] = choice(("dark", "metal", "light"), (3, 2, 1))
    p["glasses_w"] = U(0.78, 0.95)
    p["glasses_h"] = U(0.5, 0.7)
    p["glasses_n"] = U(2.5, 6.0)
    p["beard"] = choice(("none", "stubble", "moustache", "goatee", "full"),
                        (5, 2, 1, 1, 1.3)) if male else "none"
    p["beard_alpha"] = U(0.55, 0.9)
    p["earrings"] = (not male) and U() < 0.35
    p["lip_col"] = U(0.15, 0.45) if not male else U(0.05, 0.2)
    p["blush"] = U(0.0, 0.06)
    # clothing and background
    p["cloth_style"] = choice(("crew", "vneck", "shirt", "jacket", "turtle"),
                              (3, 2, 3, 2.5 if male else 1.5, 1))
    p["cloth"] = np.array(_CLOTHES[choice(range(len(_CLOTHES)))], np.float32)
    p["shirt"] = np.array(_SHIRTS[choice(range(len(_SHIRTS)))], np.float32)
    p["shoulder_drop"] = U(0.05, 0.10)
    p["shoulder_k"] = U(0.10, 0.22)
    p["bg"] = np.array(_BACKGROUNDS[choice(range(len(_BACKGROUNDS)))], np.float32)
    p["bg_gy"] = U(-0.08, 0.05)
    p["bg_gx"] = U(-0.05, 0.05)
    p["shadow"] = U(0.0, 0.10)
    p["shadow_dx"] = U(-0.04, 0.04)
    p["light"] = U(-0.10, 0.10)         # key light a little to one side
    p["noise"] = U(0.008, 0.018)
    p["blur"] = U(0.55, 1.0)
    p["wrinkles"] = max(0.0, (p["age"] - 35) / 45.0) * U(0.5, 1.0)
    return p


# --------------------------------------------------------------------------
# face profile

def _half_width(p, s):
    """Half-width of the head (in L) at height fraction ``s`` (0 skull top, 1 chin)."""
    s = np.clip(np.asarray(s, np.float64), 0.0, 1.0)
    W = p["wid"]
    sm = 0.47
    up = np.clip((sm - s) / sm, 0, 1)
    w_up = W * (1 - up ** p["n_up"]) ** (1 / p["n_up"])
    t = np.clip((s - sm) / (1 - sm), 0, 1)
    w_lo = W * (1 - t ** p["n_lo"]) ** (1 / p["n_lo"]) * (1 - p["taper"] * t ** 2)
    w = np.where(s < sm, w_up, w_lo)
    return w * (1 + p["cheek"] * np.exp(-((s - 0.56) / 0.07) ** 2))


def _face_outline(p, cx, yt, L, n=90):
    s = 0.5 - 0.5 * np.cos(np.linspace(0, math.pi, n))   # dense near top and chin
    w = _half_width(p, s) * L
    y = yt + s * L
    right = np.stack([cx + w, y], 1)
    left = np.stack([cx - w, y], 1)[::-1]
    return np.concatenate([right, left])


# --------------------------------------------------------------------------
# the renderer

def render_portrait(seed: int, *, size=(830, 1060), sex: str | None = None,
                    age: int | None = None) -> np.ndarray:
    """Draw the ICAO-style head-and-shoulders photograph of an invented person.

    Parameters
    ----------
    seed : int
        The person. The same seed gives identical bytes; different seeds give
        clearly different people (face geometry, skin tone, hair, clothes).
    size : (int, int), optional
        Output ``(width, height)`` in pixels; TD3 at 600 dpi is about
        ``(830, 1060)``, TD1 about ``(520, 660)``. The person is drawn in
        units of the image height, so one seed is one face at every size.
    sex : {'F', 'M', 'X'}, optional
        Drawn from the seed when omitted (``X`` too: either presentation).
    age : int, optional
        18-100; drawn from the seed when omitted. Greys hair and adds lines.

    Returns
    -------
    portrait : ndarray of uint8, shape (height, width, 3)
        RGB.

    Raises
    ------
    ValueError
        Naming ``seed``, ``size``, ``sex`` or ``age`` when it is malformed.

    Examples
    --------
    >>> a = render_portrait(1, size=(200, 256))
    >>> b = render_portrait(1, size=(200, 256))
    >>> a.shape, bool((a == b).all())
    ((256, 200, 3), True)
    """
    seed = _check_seed(seed)
    w, h = _check_size(size)
    if sex is not None and sex not in ("F", "M", "X"):
        raise ValueError(f"sex: expected 'F', 'M', 'X' or None, got {sex!r}")
    if age is not None and (isinstance(age, bool) or not isinstance(age, (int, np.integer))
                            or not 18 <= age <= 100):
        raise ValueError(f"age: expected an integer in 18..100 or None, got {age!r}")
    p = _person(seed, sex, age)

    scale = min(1.0, _DRAW_ROWS / h)
    dw, dh = max(16, round(w * scale)), max(16, round(h * scale))
    p["seed"] = seed
    img = _draw(p, dw, dh)

    # Sensor noise is added before upscaling: the interpolation turns it
    # into grain a couple of pixels wide, as in a real (demosaiced) photo.
    nrng = np.random.default_rng([seed, 0x9077_0003, dw, dh])
    lum = nrng.standard_normal((dh, dw), dtype=np.float32) * (p["noise"] / max(1.0, 1 / scale) ** 0.5)
    chroma = nrng.standard_normal((max(2, dh // 3), max(2, dw // 3), 3), dtype=np.float32)
    img += lum[..., None]
    img += cv2.resize(chroma, (dw, dh), interpolation=cv2.INTER_LINEAR) * (0.5 * p["noise"])
    out = np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)
    if (dw, dh) != (w, h):
        out = cv2.resize(out, (w, h), interpolation=cv2.INTER_CUBIC)
    return out


def _draw(p, W, H) -> np.ndarray:
    L = (p["chin"] - p["top"]) * H
    cx = W * (0.5 + p["cx"])
    yt = p["top"] * H
    yc = yt + L
    Wh = p["wid"] * L
    skin = p["skin"]
    full = _Region(H, W, 0, H, 0, W)
    ys = np.arange(H, dtype=np.float32)[:, None]     # broadcastable row / column coordinates
    xs = np.arange(W, dtype=np.float32)[None, :]

    def sy(s):  # height fraction of the head -> image row
        return yt + s * L

    def region(pts, pad):
        return _Region.around(H, W, pts, pad)

    # ---- background: light, a slight gradient, a faint shadow of the sitter
    gy, gx = ys / H - 0.5, xs / W - 0.5
    g = (1 + p["bg_gy"] * gy - 0.06 * gy * gy) + (p["bg_gx"] * gx - 0.06 * gx * gx)
    sw_, sh_ = max(4, W // 8), max(4, H // 8)
    f = sw_ / W
    small = np.zeros((sh_, sw_), np.float32)
    cv2.ellipse(small, (int((cx + p["shadow_dx"] * W) * f), int((yt + 0.45 * L) * f)),
                (max(1, int((Wh + 0.1 * L) * f)), max(1, int(0.6 * L * f))), 0, 0, 360, 1.0, -1)
    small[int((yc + 0.12 * L) * f):] = 1
    small = cv2.GaussianBlur(small, (0, 0), max(1.0, 0.08 * L * f))
    g = g * (1 - p["shadow"] * cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR))
    img = g[..., None] * p["bg"]

    # ---- hair colour field (strands run downwards, a sheen on the crown)
    style = p["hair_style"]
    long_hair = style in ("long", "bob")
    side = p["hair_side"] * L
    if style in ("long", "bob"):
        side = max(side, (0.06 + 0.03 * p["ear_out"]) * L * p["ear_size"])  # long hair hides the ears
    flare = p["hair_flare"] * L
    end = sy(0.92 + 0.15 * p["hair_len"]) if style == "bob" else sy(1.08 + 0.45 * p["hair_len"])
    hreg = _Region(H, W, 0, max(yc, end if long_hair else 0) + 2,
                   cx - Wh - side - flare - 0.1 * L, cx + Wh + side + flare + 0.1 * L)
    hh, hw_ = hreg.shape
    # Textures are drawn on grids tied to the image height, not to pixels,
    # so that one seed shows the same hair at every output size.
    seed = p["seed"]
    strands = _texture(seed, 1, H, W, (110, 220), (1.2, 0.5))[hreg.box]
    clumps = _texture(seed, 2, H, W, (14, 22), (0.0, 0.0), cubic=True)[hreg.box]
    hxx = xs[:, hreg.box[1]] - cx
    hy = ys[hreg.box[0]] - sy(0.34)
    r = np.sqrt((hxx / (Wh * 1.05)) ** 2 + (hy / (0.45 * L)) ** 2)
    sheen = np.exp(-((r - 0.80) / 0.13) ** 2) * (hy < 0)
    # hair is a volume too: darker where it turns away at the sides
    turn = np.sqrt(np.clip(1 - (hxx / (Wh + side + flare + 0.02 * L)) ** 2, 0, 1))
    hair_img = p["hair"] * ((0.72 + 0.28 * turn) *
                            (1 + 0.06 * strands + 0.06 * clumps + p["hair_sheen"] * sheen))[..., None]
    hair_img += (0.08 * p["hair_sheen"] * sheen)[..., None]

    # ---- long hair behind the neck (seen between neck and curtains)
    if long_hair:
        t = np.linspace(-1, 1, 40)
        back = np.stack([cx + t * (Wh + side + 0.6 * flare),
                         end - 0.02 * L * (1 - t * t)], 1)
        back = np.concatenate([[(cx - Wh - side, sy(0.45))], back, [(cx + Wh + side, sy(0.45))]])
        m = _blur(_poly(full, back), 1.0)
        _over(img, m[hreg.box], hair_img * 0.6, hreg)

    # ---- neck and upper chest: skin first, the clothes are cut around it
    nw = p["neck_w"] * Wh
    y_nb = yc + 0.07 * L
    kreg = _Region(H, W, sy(0.69), H, cx - nw * 1.6 - 2, cx + nw * 1.6 + 2)
    neck = _poly(kreg, [(cx - nw, sy(0.70)), (cx + nw, sy(0.70)), (cx + nw * 1.06, y_nb),
                        (cx + nw * 1.5, y_nb + 0.3 * L), (cx + nw * 1.5, H + 2),
                        (cx - nw * 1.5, H + 2), (cx - nw * 1.5, y_nb + 0.3 * L), (cx - nw * 1.06, y_nb)])
    ky = ys[kreg.box[0]]
    neck_shade = (0.66 + 0.17 * _smoothstep(yc - 0.02 * L, yc + 0.16 * L, ky)
                  - 0.06 * _smoothstep(y_nb, y_nb + 0.2 * L, ky)) * \
        (1 - 0.12 * np.minimum(1.0, np.abs(xs[:, kreg.box[1]] - cx) / nw) ** 4)
    _over(img, neck, skin * neck_shade[..., None], kreg)

    # ---- clothing
    dx = np.linspace(0, W * 0.75, 60)
    drop = p["shoulder_drop"] * H
    ysh = y_nb + drop * (1 - np.exp(-np.clip(dx - nw, 0, None) / (p["shoulder_k"] * W)))
    ysh = ysh - 0.02 * L * np.exp(-((dx - nw) / (0.3 * nw)) ** 2)
    right = np.stack([cx + dx, ysh], 1)
    body = np.concatenate([right[::-1] * [-1, 1] + [2 * cx, 0], right,
                           [[cx + W, H + 5], [cx - W, H + 5]]])
    creg = _Region(H, W, y_nb - 0.1 * L, H, 0, W)
    cloth_m = _poly(creg, body)
    shade_c = (1 - 0.25 * np.abs(xs - cx) / W) - 0.12 * _smoothstep(y_nb, H, ys[creg.box[0]])
    cloth_img = p["cloth"] * shade_c[..., None]
    cstyle = p["cloth_style"]
    if cstyle == "crew":
        cm = cloth_m * (1 - _ellipse(creg, (cx, y_nb - 0.01 * L), (nw * 1.25, 0.08 * L)))
    elif cstyle in ("vneck", "shirt"):
        depth = {"vneck": 0.24, "shirt": 0.17}[cstyle] * L
        cm = cloth_m * (1 - _poly(creg, [(cx - nw * 1.2, y_nb - 0.06 * L), (cx + nw * 1.2, y_nb - 0.06 * L),
                                         (cx, y_nb + depth)]))
    elif cstyle == "turtle":
        cm = np.maximum(cloth_m, _poly(creg, [(cx - nw * 1.1, yc + 0.05 * L), (cx + nw * 1.1, yc + 0.05 * L),
                                              (cx + nw * 1.25, y_nb + 0.05 * L),
                                              (cx - nw * 1.25, y_nb + 0.05 * L)]))
    else:  # jacket: the shirt shows in its V, skin above the shirt collar
        skin_v = _poly(creg, [(cx - nw * 0.95, y_nb - 0.06 * L), (cx + nw * 0.95, y_nb - 0.06 * L),
                              (cx, y_nb + 0.10 * L)])
        _over(img, cloth_m * (1 - skin_v), p["shirt"] * 0.92, creg)
        v = _poly(creg, [(cx - nw * 1.2, y_nb - 0.06 * L), (cx + nw * 1.2, y_nb - 0.06 * L),
                         (cx, y_nb + 0.36 * L)])
        cm = cloth_m * (1 - v)
    _over(img, cm, cloth_img, creg)
    if cstyle == "jacket":
        lapel = _line(creg, [(cx - nw * 1.2, y_nb - 0.03 * L), (cx, y_nb + 0.36 * L),
                             (cx + nw * 1.2, y_nb - 0.03 * L)], max(1, 0.006 * L))
        _over(img, lapel * cloth_m, p["cloth"] * 0.5, creg)
    if cstyle in ("shirt", "jacket"):
        col = p["shirt"] if cstyle == "jacket" else np.minimum(1, p["cloth"] * 1.1 + 0.05)
        for sgn in (-1, 1):
            tip = (cx + sgn * nw * 0.15, y_nb + 0.13 * L)
            out_ = (cx + sgn * nw * 1.6, y_nb + 0.05 * L)
            pts = [(cx + sgn * nw * 0.95, y_nb - 0.08 * L), out_, tip]
            reg = region(pts, 0.02 * L + 3)
            _over(img, _poly(reg, pts), col * 0.97, reg)
            _over(img, _blur(_line(reg, [out_, tip], max(1, 0.005 * L)), 0.003 * L), col * 0.65, reg)

    # ---- ears (behind the face)
    es = p["ear_size"]
    for sgn in (-1, 1):
        ex = cx + sgn * (_half_width(p, 0.56) * L + (0.004 + 0.025 * p["ear_out"]) * L)
        ey = sy(0.565)
        reg = region([(ex, ey)], 0.16 * es * L)
        ear = _ellipse(reg, (ex, ey), (0.05 * es * L, 0.12 * es * L), sgn * 8)
        inner = _blur(_ellipse(reg, (ex + sgn * 0.008 * L, ey), (0.025 * es * L, 0.08 * es * L),
                               sgn * 8), 0.012 * L)
        _over(img, ear, skin * 0.86, reg)
        _over(img, inner * 0.45, skin * 0.62, reg)
        if p["earrings"]:
            _over(img, _ellipse(reg, (ex, ey + 0.10 * es * L), (0.008 * L, 0.008 * L)),
                  (0.85, 0.78, 0.55), reg)

    # ---- face: skin with cylinder-like shading, then soft modelling
    freg = _Region(H, W, yt - 1, yc + 1, cx - Wh * 1.15 - 2, cx + Wh * 1.15 + 2)
    face = _poly(freg, _face_outline(p, cx, yt, L))
    srow = (ys[freg.box[0]] - yt) / L
    hw = (_half_width(p, srow) * L).astype(np.float32) + 1e-3
    fx = xs[:, freg.box[1]] - cx
    q = np.minimum(np.abs(fx) / hw, 1.0)
    shade = (0.76 + 0.28 * np.sqrt(np.sqrt(1 - q * q))) * (1 + p["light"] * fx / Wh) * \
        (1 - 0.15 * _smoothstep(0.90, 1.0, srow))
    dark = np.zeros(freg.shape, np.float32)
    bright = np.zeros(freg.shape, np.float32)
    fy0, fx0 = freg.oy, freg.ox

    def soft(target, kind, geom, sigma, amount, **kw):
        """Add a blurred blob (ellipse or stroke) to a shading map of the face."""
        if kind == "ellipse":
            c, axes = geom
            reg = region([c], max(axes) + 3 * sigma + 3)
            m = _ellipse(reg, c, axes, kw.get("angle", 0.0))
        else:
            pts, th = geom
            reg = region(pts, th + 3 * sigma + 3)
            m = _line(reg, pts, th)
        m = cv2.GaussianBlur(m, (0, 0), max(0.3, sigma))
        ys_, xs_ = reg.box
        a0, a1 = max(ys_.start, fy0), min(ys_.stop, fy0 + freg.shape[0])
        b0, b1 = max(xs_.start, fx0), min(xs_.stop, fx0 + freg.shape[1])
        if a1 > a0 and b1 > b0:
            target[a0 - fy0:a1 - fy0, b0 - fx0:b1 - fx0] += amount * m[a0 - ys_.start:a1 - ys_.start,
                                                                        b0 - xs_.start:b1 - xs_.start]

    eye_y = sy(p["eye_y"])
    ew = p["eye_w"] * L
    edx = p["eye_w"] * p["eye_sep"] * L
    eh = p["eye_h"] * ew
    nose_y = sy(p["nose_y"])
    nwid = p["nose_w"] * L
    mouth_y = nose_y + p["mouth_gap"] * L
    mw = p["mouth_w"] * L
    brow_y = eye_y - p["brow_gap"] * L

    for sgn in (-1, 1):
        # eye sockets, the sides of the nose, cheekbone highlights, folds
        soft(dark, "ellipse", ((cx + sgn * edx * 0.92, eye_y - 0.15 * eh), (ew * 0.85, eh * 1.7)),
             0.03 * L, 0.14)
        soft(dark, "ellipse", ((cx + sgn * 0.045 * L, (brow_y + nose_y) / 2 + 0.02 * L),
                               (0.012 * L, (nose_y - brow_y) * 0.42)), 0.02 * L, 0.14)
        soft(dark, "ellipse", ((cx + sgn * (edx * 0.45), eye_y + 0.01 * L), (0.025 * L, 0.02 * L)),
             0.015 * L, 0.08)
        soft(bright, "ellipse", ((cx + sgn * edx * 1.15, sy(0.61)), (0.07 * L, 0.045 * L)),
             0.04 * L, 0.08)
        soft(dark, "line", (_arc(cx + sgn * nwid * 0.78, nose_y - 0.014 * L, nwid * 0.3, 0.026 * L, sgn),
                            0.007 * L), 0.006 * L, 0.22)
        soft(bright, "ellipse", ((cx + sgn * edx * 1.05, sy(0.64)), (0.07 * L, 0.04 * L)),
             0.035 * L, 0.0)
        if p["wrinkles"] > 0:
            fold = [(cx + sgn * nwid * 1.05, nose_y - 0.02 * L),
                    (cx + sgn * (nwid * 1.3 + 0.02 * L), nose_y + 0.04 * L),
                    (cx + sgn * (mw * 1.15), mouth_y + 0.02 * L)]
            soft(dark, "line", (fold, 0.008 * L), 0.008 * L, 0.3 * p["wrinkles"])
    soft(bright, "line", ([(cx, brow_y + 0.03 * L), (cx, nose_y - 0.05 * L)], 0.02 * L), 0.014 * L, 0.08)
    soft(bright, "ellipse", ((cx, nose_y - 0.03 * L), (nwid * 0.45, 0.025 * L)), 0.012 * L, 0.14)
    soft(bright, "ellipse", ((cx, sy(0.3)), (0.13 * L, 0.06 * L)), 0.04 * L, 0.08)
    soft(dark, "ellipse", ((cx, nose_y + 0.012 * L), (nwid * 0.8, 0.012 * L)), 0.008 * L, 0.28)
    soft(dark, "ellipse", ((cx, mouth_y + p["lip_lo"] * L + 0.02 * L), (mw * 0.6, 0.012 * L)),
         0.01 * L, 0.2)
    soft(dark, "ellipse", ((cx, mouth_y - p["lip_up"] * L - 0.014 * L), (0.012 * L, 0.014 * L)),
         0.006 * L, 0.1)
    blush = np.zeros(freg.shape, np.float32)
    for sgn in (-1, 1):
        soft(blush, "ellipse", ((cx + sgn * edx * 1.05, sy(0.64)), (0.07 * L, 0.04 * L)), 0.035 * L, 1.0)
    # skin is never perfectly even: faint low-frequency blotches
    blot = _texture(seed, 3, H, W, (48, 48), (0.0, 0.0), cubic=True)[freg.box]
    tone_map = shade * (1 - dark) * (1 + bright + 0.008 * blot)
    face_img = skin * tone_map[..., None]
    face_img += (p["blush"] * blush)[..., None] * np.array([0.6, -0.2, -0.2], np.float32)
    _over(img, face, face_img, freg)

    # ---- eyes, brows, nose, mouth
    def tex(reg):  # the hair texture under a region (brows, beard)
        r0, c0 = reg.oy - hreg.oy, reg.ox - hreg.ox
        t = strands[max(0, r0):r0 + reg.shape[0], max(0, c0):c0 + reg.shape[1]]
        return t if t.shape == reg.shape else np.zeros(reg.shape, np.float32)

    for sgn in (-1, 1):
        _draw_eye(img, H, W, p, cx + sgn * edx, eye_y, ew, eh, sgn, L, skin)
        _draw_brow(img, H, W, p, cx, sgn, edx, ew, brow_y, L)
        c = (cx + sgn * nwid * 0.42, nose_y - 0.004 * L)
        reg = region([c], 0.04 * L)
        nos = cv2.GaussianBlur(_ellipse(reg, c, (0.02 * L, 0.008 * L), sgn * 20), (0, 0),
                               max(0.3, 0.004 * L))
        _over(img, 0.75 * nos, skin * 0.35, reg)
    _draw_mouth(img, H, W, p, cx, mouth_y, mw, L, skin)

    # ---- facial hair
    if p["beard"] != "none":
        bm = _beard_mask(freg, p, cx, yt, L, nose_y, mouth_y, mw, face, xs, ys)
        texture = np.clip(0.88 + 0.15 * tex(freg), 0, 1.1)
        alpha = p["beard_alpha"] if p["beard"] != "stubble" else 0.25
        _over(img, np.clip(bm * texture * alpha, 0, 1), p["hair"] * 0.9, freg)

    # ---- hair in front
    face_h = np.zeros(hreg.shape, np.float32)
    ys_, xs_ = freg.box
    a0, a1 = max(ys_.start, hreg.oy), min(ys_.stop, hreg.oy + hh)
    b0, b1 = max(xs_.start, hreg.ox), min(xs_.stop, hreg.ox + hw_)
    face_h[a0 - hreg.oy:a1 - hreg.oy, b0 - hreg.ox:b1 - hreg.ox] = \
        face[a0 - ys_.start:a1 - ys_.start, b0 - xs_.start:b1 - xs_.start]
    _draw_hair(img, H, W, p, cx, yt, L, xs, ys, hair_img, hreg, face_h, end, flare, side)

    # ---- glasses
    if p["glasses"]:
        _draw_glasses(img, H, W, p, cx, eye_y, ew, edx, L, xs, ys)

    return cv2.GaussianBlur(img, (0, 0), p["blur"])


def _arc(x, y, rx, ry, sgn):
    t = np.linspace(-0.9 * math.pi / 2, 0.9 * math.pi / 2, 12)
    return np.stack([x + sgn * rx * np.cos(t), y + ry * np.sin(t)], 1)


def _draw_eye(img, H, W, p, ex, ey, ew, eh, sgn, L, skin):
    reg = _Region.around(H, W, [(ex, ey)], ew * 0.8)
    t = np.linspace(-1, 1, 25)                  # -1 inner corner, +1 outer corner
    lift = -p["eye_tilt"] * t * ew / 2          # outer corner higher for positive tilt
    xs = ex + sgn * t * ew / 2
    up = ey - eh * 0.62 * (1 - t ** 2) ** 0.75 * (1 - 0.12 * t) + lift
    lo = ey + eh * 0.38 * (1 - t ** 2) ** 0.9 * (1 + 0.15 * t) + lift
    upper = np.stack([xs, up], 1)
    lower = np.stack([xs, lo], 1)
    sclera = _poly(reg, np.concatenate([upper, lower[::-1]]))
    _over(img, sclera, np.array([0.84, 0.82, 0.80], np.float32), reg)
    # iris and pupil, clipped by the lids
    ri = eh * 0.62
    ix, iy = ex + p["gaze"] * ew, ey + 0.04 * eh
    iris = _ellipse(reg, (ix, iy), (ri, ri)) * sclera
    _over(img, iris, p["iris"], reg)
    ring = _ellipse(reg, (ix, iy), (ri * 0.72, ri * 0.72))
    _over(img, (1 - ring) * iris * 0.5, p["iris"] * 0.45, reg)
    _over(img, _ellipse(reg, (ix, iy), (ri * 0.42, ri * 0.42)) * sclera, (0.03, 0.02, 0.02), reg)
    # the upper lid shades the top of the eyeball
    lid_shadow = _blur(_line(reg, upper, max(1, eh * 0.45)), eh * 0.15) * sclera
    _over(img, lid_shadow * 0.45, (0.15, 0.10, 0.08), reg)
    hl = _ellipse(reg, (ix - 0.35 * ri, iy - 0.4 * ri), (ri * 0.17, ri * 0.17)) * sclera
    _over(img, hl * 0.9, (0.97, 0.97, 0.97), reg)
    # lash line, lower lid, crease
    _over(img, _line(reg, upper, max(1, eh * 0.16)), (0.08, 0.06, 0.05), reg)
    _over(img, _line(reg, lower, max(1, eh * 0.06)) * 0.45, skin * 0.55, reg)
    if p["crease"]:
        crease = upper.copy()
        crease[:, 1] -= eh * p["crease_off"] * (1 - t ** 2) ** 0.5 + eh * 0.05
        _over(img, _blur(_line(reg, crease[3:-2], max(1, eh * 0.08)), eh * 0.06) * 0.45,
              skin * 0.55, reg)
    if p["wrinkles"] > 0.2:
        bag = lower.copy()
        bag[:, 1] += eh * 0.45
        _over(img, _blur(_line(reg, bag[4:-4], max(1, eh * 0.06)), eh * 0.1) * 0.35 * p["wrinkles"],
              skin * 0.6, reg)


def _draw_brow(img, H, W, p, cx, sgn, edx, ew, brow_y, L):
    t = np.linspace(0, 1, 20)
    x0 = cx + sgn * (edx - ew * 0.58)
    length = ew * 1.3 * p["brow_len"]
    xs = x0 + sgn * t * length
    arch = p["brow_arch"] * L * np.sin(math.pi * np.clip(t / 1.3 + 0.12, 0, 1)) + 0.012 * L * t
    mid = brow_y - arch + 0.01 * L * t * t
    thick = p["brow_thick"] * L * (1.0 - 0.55 * t ** 1.5)
    top = np.stack([xs, mid - thick * 0.5], 1)
    bot = np.stack([xs, mid + thick * 0.5], 1)
    pts = np.concatenate([top, bot[::-1]])
    reg = _Region.around(H, W, pts, 0.02 * L + 3)
    m = _blur(_poly(reg, pts), 0.004 * L)
    # brow hairs lie along the brow, so the texture is smeared sideways
    hairs = _texture(p["seed"], 4 + (sgn > 0), H, W, (300, 300), (0.6, 2.5))[reg.box]
    a = m * np.clip(0.8 + 0.25 * hairs, 0, 1) * p["brow_alpha"]
    _over(img, a, p["brow"], reg)


def _draw_mouth(img, H, W, p, cx, my, mw, L, skin):
    reg = _Region.around(H, W, [(cx - mw, my - 0.05 * L), (cx + mw, my + 0.06 * L)], 0.03 * L + 3)
    t = np.linspace(-1, 1, 31)
    xs = cx + t * mw
    lip = skin * (1 - p["lip_col"]) + np.array([0.62, 0.30, 0.30], np.float32) * p["lip_col"]
    lip = lip * 0.86
    bow = 0.35 * p["lip_up"] * L * np.exp(-(t / 0.12) ** 2)
    top = my - p["lip_up"] * L * (1 - t ** 2) ** 0.6 + bow
    line = my + 0.002 * L * (t ** 2)
    bottom = my + p["lip_lo"] * L * (1 - t ** 2) ** 0.55
    upper = _poly(reg, np.concatenate([np.stack([xs, top], 1), np.stack([xs, line], 1)[::-1]]))
    lower = _poly(reg, np.concatenate([np.stack([xs, line], 1), np.stack([xs, bottom], 1)[::-1]]))
    _over(img, _blur(upper, 0.003 * L), lip * 0.88, reg)
    _over(img, _blur(lower, 0.003 * L), lip, reg)
    hl = _blur(_ellipse(reg, (cx, my + p["lip_lo"] * L * 0.45), (mw * 0.35, p["lip_lo"] * L * 0.22)),
               0.006 * L)
    _over(img, hl * 0.18, (1, 0.95, 0.92), reg)
    _over(img, _line(reg, np.stack([xs, line], 1)[2:-2], max(1, 0.005 * L)) * 0.8, lip * 0.45, reg)


def _beard_mask(freg, p, cx, yt, L, nose_y, mouth_y, mw, face, xs, ys):
    style = p["beard"]
    lips = _ellipse(freg, (cx, mouth_y + 0.003 * L), (mw * 1.02, 0.03 * L))
    moustache = _poly(freg, [(cx - mw * 1.1, mouth_y - 0.005 * L), (cx - mw * 0.5, mouth_y - 0.045 * L),
                             (cx, (nose_y + mouth_y) / 2 - 0.01 * L), (cx + mw * 0.5, mouth_y - 0.045 * L),
                             (cx + mw * 1.1, mouth_y - 0.005 * L), (cx, mouth_y - 0.012 * L)])
    if style == "moustache":
        m = moustache
    elif style == "goatee":
        chin = _ellipse(freg, (cx, mouth_y + 0.11 * L), (mw * 0.9, 0.12 * L))
        m = np.maximum(moustache, chin * face)
    else:
        u = np.abs(xs[:, freg.box[1]] - cx) / (p["wid"] * L)
        s = (ys[freg.box[0]] - yt) / L
        ms = (mouth_y - yt) / L
        edge = ms - 0.02 - 0.22 * np.clip(u, 0, 1) ** 2
        jaw = _smoothstep(edge, edge + 0.04, s)
        if style == "stubble":
            jaw = np.maximum(jaw, _smoothstep(0.86, 1.0, u) * (s > 0.45))
        m = np.maximum(jaw * face, moustache)
    m = _blur(m, 0.008 * L)
    return m * (1 - _blur(lips, 0.004 * L))


def _draw_hair(img, H, W, p, cx, yt, L, xs, ys, hair_img, hreg, face, end, flare, side):
    style = p["hair_style"]
    Wh = p["wid"] * L
    X = xs[:, hreg.box[1]]
    Y = ys[hreg.box[0]]
    if style == "bald":
        # a horseshoe of short hair low on the sides and back of the head
        ring = _ellipse(hreg, (cx, yt + 0.47 * L), (Wh + 0.012 * L, 0.5 * L))
        band = _smoothstep(yt + 0.33 * L, yt + 0.40 * L, Y) * (1 - _smoothstep(yt + 0.52 * L, yt + 0.58 * L, Y))
        edge = _smoothstep(0.86, 0.97, np.abs(X - cx) / Wh)
        m = np.maximum(ring * (1 - face), edge * face) * band
        _over(img, _blur(m, 0.008 * L) * 0.55, hair_img, hreg)
        return
    thick = p["hair_thick"] * L
    side_w = side
    low_s = 0.56 if style in ("long", "bob", "fringe") else 0.51
    if style == "buzz":
        thick, side_w, low_s = 0.006 * L, 0.006 * L, 0.50
    elif style in ("tied", "bun"):
        thick, side_w, low_s = 0.02 * L, 0.012 * L, 0.50
    elif style == "receding":
        thick, side_w = thick * 0.5, side_w * 0.6
    # outer silhouette: the skull outline pushed out by the hair's volume
    n = p["n_up"]
    a = np.linspace(0, math.pi, 60)
    c, s_ = np.cos(a), np.sin(a)
    rx, ry = Wh + side_w, 0.47 * L + thick
    top = np.stack([cx + np.sign(c) * np.abs(c) ** (2 / (n + 0.5)) * rx,
                    yt + 0.47 * L - np.abs(s_) ** (2 / (n + 0.5)) * ry], 1)
    top[:, 0] += p["part"] * 0.02 * L * np.abs(s_) ** 4          # volume leans to one side
    # tufts: the outline of real hair is never a clean curve
    ph = p["part"] * 7
    bump = 1 + (0.012 * np.sin(5 * a + ph) + 0.008 * np.sin(11 * a + 2 * ph)) * (0.5 + p["hair_wave"])
    top = np.stack([cx + (top[:, 0] - cx) * bump, yt + 0.47 * L + (top[:, 1] - yt - 0.47 * L) * bump], 1)
    ss = np.linspace(0.47, low_s, 6)
    hwid = _half_width(p, ss) * L + side_w * np.linspace(1, 0.3, 6)
    right = np.stack([cx + hwid, yt + ss * L], 1)
    left = np.stack([cx - hwid, yt + ss * L], 1)
    cap = _poly(hreg, np.concatenate([right[::-1], top, left]))

    # the hairline: skin below it stays visible
    hl = p["hairline"] + (0.08 if style == "receding" else 0) + (0.02 if style in ("tied", "bun") else 0)
    rel = (X - cx) / Wh
    if style == "fringe":
        wav = 0.010 * np.sin(rel * 11 + p["part"] * 3) + 0.006 * np.sin(rel * 29 + 1.3)
        line = yt + (0.31 + 0.05 * p["hair_len"] + wav) * L + 0.10 * L * np.abs(rel) ** 3
    else:
        line = yt + (hl + p["hairline_k"] * np.abs(rel) ** 1.5) * L
        if style == "side-part":
            line = line + 0.05 * L * np.clip(p["part"] * rel, 0, None)
        if style == "receding":
            line = line + 0.05 * L * np.exp(-((np.abs(rel) - 0.5) / 0.25) ** 2)
    if style != "buzz":
        # temples: the hair comes down the sides of the forehead to the ears
        temple = 0.78 if style in ("long", "bob", "fringe") else 0.86
        line = line + 0.5 * L * _smoothstep(temple, 1.02, np.abs(rel))
    window = face * _smoothstep(line - 0.004 * L, line + 0.012 * L, Y)
    m = cap * (1 - window)
    # shadow of the hair on the forehead
    img[hreg.box] *= (1 - 0.28 * _blur(m, 0.02 * L) * window)[..., None]
    alpha = 0.6 if style == "buzz" else 1.0
    _over(img, _blur(m, 0.004 * L) * alpha, hair_img, hreg)
    if style in ("side-part", "long", "bob") and abs(p["part"]) > 0.25:
        # the parting: a thin darker line from the hairline back to the crown
        px = cx + p["part"] * 0.45 * Wh
        part = _blur(_line(hreg, [(px, yt + (hl + 0.02) * L), (px * 0.8 + cx * 0.2, yt - 0.5 * thick)],
                           max(1, 0.006 * L)), 0.004 * L) * cap
        _over(img, part * 0.5, p["hair"] * 0.5, hreg)

    if style == "bun":
        bun = _blur(_ellipse(hreg, (cx + 0.03 * p["part"] * L, yt - 0.06 * L),
                             (0.13 * L, 0.09 * L)), 0.004 * L)
        _over(img, bun * (1 - cap), hair_img * 0.92, hreg)
    if style in ("long", "bob"):
        # curtains fall from the temples over the ears and onto the shoulders
        ss = np.linspace(0.40, 1.0, 25)
        hwf = _half_width(p, ss) * L
        s_end = (end - yt) / L
        for sgn in (-1, 1):
            cover = 0.10 + 0.06 * (p["part"] * sgn > 0.3)
            inner = [(cx + sgn * h * (1 - cover), yt + s * L) for h, s in zip(hwf, ss) if s < s_end - 0.02]
            x_in = cx + sgn * p["neck_w"] * Wh * 1.1
            inner.append((x_in, min(end, yt + 1.1 * L)))
            x_out = cx + sgn * (Wh + side + flare)
            tt = np.linspace(0, 1, 12)
            bottom = [(x_in + (x_out - x_in) * t, end - 0.02 * L * math.sin(math.pi * t)
                       + 0.005 * L * math.sin(17 * t + p["part"])) for t in tt]
            # the outer edge leaves the cap outline smoothly at the temple
            ne = n + 0.5
            x_top = rx * max(0.0, 1 - ((0.47 - 0.30) * L / ry) ** ne) ** (1 / ne)
            outer = [(cx + sgn * (x_top + (Wh + side - x_top) * min(1.0, 3 * k) + flare * k ** 0.7),
                      yt + (0.30 + (s_end - 0.32) * k) * L) for k in np.linspace(1, 0, 12)]
            pts = np.concatenate([inner, bottom, outer])
            cur = _blur(_poly(hreg, pts), 0.004 * L)
            _over(img, cur, hair_img, hreg)


def _draw_glasses(img, H, W, p, cx, eye_y, ew, edx, L, xs, ys):
    style = p["glasses_style"]
    col = {"dark": (0.06, 0.05, 0.05), "metal": (0.55, 0.50, 0.40), "light": (0.45, 0.30, 0.22)}[style]
    thick = max(1.0, (0.010 if style == "dark" else 0.005 if style == "metal" else 0.008) * L)
    gw, gh = ew * p["glasses_w"], ew * p["glasses_h"]
    reg = _Region(H, W, eye_y - gh * 1.5, eye_y + gh * 1.5,
                  cx - p["wid"] * L - 0.03 * L, cx + p["wid"] * L + 0.03 * L)
    n = p["glasses_n"]
    t = np.linspace(0, 2 * math.pi, 48, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    fx = np.sign(c) * np.abs(c) ** (2 / n)
    fy = np.sign(s) * np.abs(s) ** (2 / n)
    frames = np.zeros(reg.shape, np.uint8)
    lens = np.zeros(reg.shape, np.float32)
    for sgn in (-1, 1):
        gx, gy = cx + sgn * edx * 1.02, eye_y + 0.012 * L
        ring = np.stack([gx + gw * fx, gy + gh * fy * (1 - 0.12 * (fy > 0))], 1)
        _line(reg, ring, thick, out=frames, closed=True)
        lens += _poly(reg, ring)
        # temple arm towards the ear
        _line(reg, [(gx + sgn * gw, gy - gh * 0.55), (cx + sgn * (p["wid"] * L + 0.01 * L), gy - gh * 0.45)],
              thick * 0.8, out=frames)
    bridge = [(cx - edx * 1.02 + gw * 0.96, eye_y - 0.01 * L), (cx, eye_y - 0.025 * L),
              (cx + edx * 1.02 - gw * 0.96, eye_y - 0.01 * L)]
    _line(reg, bridge, thick * 0.8, out=frames)
    # lenses: a faint tint and a soft diagonal reflection; frames on top
    _over(img, lens * 0.06, (0.5, 0.55, 0.6), reg)
    diag = np.abs(xs[:, reg.box[1]] - ys[reg.box[0]] * 0.6 - (cx - eye_y * 0.6)) / (0.6 * ew)
    _over(img, lens * _smoothstep(0.3, 0.0, diag) * 0.07, (1, 1, 1), reg)
    _over(img, frames.astype(np.float32) / 255, col, reg)


# --------------------------------------------------------------------------
# ghost portrait and same-person descriptor

def ghost_image(portrait: np.ndarray, *, size, contrast: float = 0.45, line_period: float = 6.0,
                line_angle: float = 0.0) -> np.ndarray:
    """The secondary ("ghost") portrait as printed: monochrome, faint, line-screened.

    Parameters
    ----------
    portrait : ndarray, shape (H, W, 3) or (H, W)
        The main portrait (uint8, or float in [0, 1]); not modified.
    size : (int, int)
        Output ``(width, height)``; a ghost of 15x19 mm at 600 dpi is about
        ``(354, 449)``.
    contrast : float, optional
        Maximum ink coverage, in (0, 1]. Ghost images are printed light so
        that they cannot simply be photocopied over the main portrait.
    line_period : float, optional
        Period in output pixels of the line screen (6 px = 100 lines per inch
        at 600 dpi). ``0`` gives a continuous-tone ghost.
    line_angle : float, optional
        Angle of the screen lines in degrees (0 = horizontal).

    Returns
    -------
    coverage : ndarray of float32, shape (height, width)
        Ink coverage in [0, 1] (1 = full ink). The background fades to zero.

    Raises
    ------
    ValueError
        Naming ``portrait``, ``size``, ``contrast`` or ``line_period``.

    Examples
    --------
    >>> g = ghost_image(render_portrait(2, size=(240, 300)), size=(120, 150))
    >>> g.shape, g.dtype, bool(g.min() >= 0 and g.max() <= 0.45 + 1e-6)
    ((150, 120), dtype('float32'), True)
    """
    gray = _gray(portrait, "portrait")
    w, h = _check_size(size)
    if isinstance(contrast, bool) or not (isinstance(contrast, (int, float)) and 0 < contrast <= 1):
        raise ValueError(f"contrast: expected a number in (0, 1], got {contrast!r}")
    if isinstance(line_period, bool) or not (isinstance(line_period, (int, float))
                                             and (line_period == 0 or line_period >= 2)):
        raise ValueError(f"line_period: expected 0 or a number >= 2, got {line_period!r}")
    if isinstance(line_angle, bool) or not isinstance(line_angle, (int, float)):
        raise ValueError(f"line_angle: expected a number of degrees, got {line_angle!r}")
    rgb = np.asarray(portrait)
    rgb = rgb[..., :3].astype(np.float32) / (255.0 if rgb.dtype == np.uint8 else 1.0) \
        if rgb.ndim == 3 else gray[..., None]
    interp = cv2.INTER_AREA if gray.shape[0] > h else cv2.INTER_LINEAR
    g = cv2.resize(gray, (w, h), interpolation=interp)
    c = cv2.resize(rgb, (w, h), interpolation=interp).reshape(h, w, -1)
    # Ghost images drop the photo's background and keep the person. The
    # background is modelled as a smooth (quadratic) colour field fitted to
    # the top and side borders, so a lit backdrop with a gradient goes too;
    # what differs from it in colour, not only in lightness (light skin on a
    # grey backdrop must survive), is the person.
    bw, bh = max(1, w // 16), max(1, h // 16)
    ys_, xs_ = np.mgrid[0:h:2, 0:w:2]
    on_border = (ys_ < bh) | (((xs_ < bw) | (xs_ >= w - bw)) & (ys_ < 0.7 * h))
    py, px = ys_[on_border] / h - 0.5, xs_[on_border] / w - 0.5
    A = np.stack([np.ones_like(px), px, py, px * px, py * py, px * py], 1)
    coef = np.linalg.lstsq(A, c[ys_[on_border], xs_[on_border]], rcond=None)[0].astype(np.float32)
    yy = (np.arange(h, dtype=np.float32) / h - 0.5)[:, None, None]
    xx = (np.arange(w, dtype=np.float32) / w - 0.5)[None, :, None]
    bg = (coef[0] + coef[1] * xx + coef[3] * xx * xx) + (coef[2] * yy + coef[4] * yy * yy) + \
        coef[5] * (xx * yy)
    dist = np.sqrt(((c - bg) ** 2).sum(axis=2))
    person = _smoothstep(0.04, 0.12, cv2.GaussianBlur(dist, (0, 0), max(0.8, w / 200)))
    tone = np.clip((1.0 - g) * 1.15, 0, 1) ** 0.9 * person
    if line_period:
        # Line screen: each line is as thick as the tone asks (amplitude-
        # modulated lines), anti-aliased over one pixel.
        yy = np.arange(h, dtype=np.float32)[:, None]
        xx = np.arange(w, dtype=np.float32)[None, :]
        a = math.radians(line_angle)
        d = (-xx * math.sin(a) + yy * math.cos(a)) / line_period
        dist_px = np.abs(d - np.floor(d) - 0.5) * line_period      # px from the line's centre
        cov = contrast * np.clip(tone * line_period * 0.5 - dist_px + 0.5, 0, 1) * (tone > 0.02)
    else:
        cov = contrast * tone
    return cov.astype(np.float32)


def _gray(img, name) -> np.ndarray:
    a = np.asarray(img)
    if a.ndim == 3 and a.shape[2] in (3, 4):
        a = a[..., :3]
    elif a.ndim != 2:
        raise ValueError(f"{name}: expected an HxW or HxWx3 image, got shape {a.shape}")
    if a.shape[0] < 8 or a.shape[1] < 8:
        raise ValueError(f"{name}: image {a.shape[1]}x{a.shape[0]} is too small")
    if a.dtype == np.uint8:
        a = a.astype(np.float32) / 255
    elif np.issubdtype(a.dtype, np.floating):
        a = np.clip(a.astype(np.float32), 0, 1)
    else:
        raise ValueError(f"{name}: expected uint8 or float values, got {a.dtype}")
    if a.ndim == 3:
        a = a @ np.array([0.299, 0.587, 0.114], np.float32)
    return np.ascontiguousarray(a)


def portrait_signature(portrait: np.ndarray, *, coverage: bool = False) -> np.ndarray:
    """A small descriptor of the face in a portrait, for same-person checks.

    The central face region is low-pass filtered (line screens, guilloches
    and sensor noise go), reduced to a coarse grid, band-pass filtered and
    locally contrast-normalised (so a faint ghost and a full-contrast photo
    compare alike), and what every ICAO portrait has in common -- a light
    background, a head in the middle, eyes at half height -- is projected
    out, so that what remains tells one face from another.

    Parameters
    ----------
    portrait : ndarray, shape (H, W, 3) or (H, W)
        A portrait crop (uint8, or float in [0, 1]); not modified. The crop
        should frame the head as the document does (the portrait or ghost
        zone); a few percent of misregistration is tolerated.
    coverage : bool, optional
        True when ``portrait`` is ink coverage (as from :func:`ghost_image`,
        1 = ink) rather than light intensity.

    Returns
    -------
    signature : ndarray of float32, shape (1280,)
        Unit length (or all zero for a blank image).

    Raises
    ------
    ValueError
        Naming ``portrait`` when it is not an image.

    Examples
    --------
    >>> sig = portrait_signature(render_portrait(3, size=(200, 256)))
    >>> sig.shape, round(float(np.linalg.norm(sig)), 3)
    ((1280,), 1.0)
    """
    v = _raw_signature(portrait, coverage)
    mean = _mean_signature()
    v = v - float(np.dot(v, mean)) * mean
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 1e-9 else v.astype(np.float32)


_SIG_W, _SIG_H = 32, 40


def _raw_signature(portrait, coverage=False) -> np.ndarray:
    g = _gray(portrait, "portrait")
    if coverage:
        g = 1.0 - g
    h, w = g.shape
    # the face from brows to chin, between the temples: hair and clothes are
    # the easiest things to change and the least telling
    crop = g[int(0.30 * h): int(0.86 * h), int(0.22 * w): int(0.78 * w)]
    cw = crop.shape[1]
    sigma = 0.5 * cw / _SIG_W        # low-pass before decimating: kills screens and guilloches
    crop = cv2.GaussianBlur(crop, (0, 0), sigma)
    small = cv2.resize(crop, (_SIG_W, _SIG_H), interpolation=cv2.INTER_AREA)
    band = small - cv2.GaussianBlur(small, (0, 0), 3.0)
    band /= np.sqrt(cv2.GaussianBlur(band * band, (0, 0), 5.0)) + 0.01
    v = band.ravel().astype(np.float64)
    v -= v.mean()
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-12 else v


_MEAN_SIG = None


def _mean_signature() -> np.ndarray:
    """The average raw signature of many portraits: the layout all faces share.

    Computed once per process from small portraits of fixed seeds (a few
    hundred milliseconds), so it is exactly reproducible.
    """
    global _MEAN_SIG
    if _MEAN_SIG is None:
        acc = np.zeros(_SIG_W * _SIG_H)
        for seed in range(9_000_000, 9_000_048):
            acc += _raw_signature(render_portrait(seed, size=(150, 192)))
        _MEAN_SIG = acc / np.linalg.norm(acc)
    return _MEAN_SIG


def same_person_score(a: np.ndarray, b: np.ndarray, *, max_shift: int = 2) -> float:
    """Likeness of two :func:`portrait_signature` descriptors, in [0, 1].

    Normalised correlation of the two face maps, taking the best of small
    relative shifts (up to ``max_shift`` grid cells, about 2% of the crop
    width each) so that a slightly misregistered crop of a document still
    matches. Near 1 for one portrait and its ghost; low for two people.

    Parameters
    ----------
    a, b : ndarray
        Signatures from :func:`portrait_signature`.
    max_shift : int, optional
        Largest shift tried, in grid cells (0 = aligned only).

    Returns
    -------
    score : float

    Raises
    ------
    ValueError
        Naming ``b`` when the signatures differ in length, or ``max_shift``.

    Examples
    --------
    >>> s = portrait_signature(render_portrait(8, size=(200, 256)))
    >>> same_person_score(s, s)
    1.0
    """
    a = np.asarray(a, np.float64).ravel()
    b = np.asarray(b, np.float64).ravel()
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"b: signature of length {b.size} does not match a ({a.size})")
    if isinstance(max_shift, bool) or not isinstance(max_shift, (int, np.integer)) or not 0 <= max_shift <= 8:
        raise ValueError(f"max_shift: expected an integer in 0..8, got {max_shift!r}")
    if a.size != _SIG_W * _SIG_H:
        max_shift = 0
        A, B = a[None, :], b[None, :]
    else:
        A, B = a.reshape(_SIG_H, _SIG_W), b.reshape(_SIG_H, _SIG_W)
    h, w = A.shape
    best = 0.0
    for dy in range(-max_shift, max_shift + 1):
        for dx in range(-max_shift, max_shift + 1):
            pa = A[max(0, dy):h + min(0, dy), max(0, dx):w + min(0, dx)]
            pb = B[max(0, -dy):h + min(0, -dy), max(0, -dx):w + min(0, -dx)]
            den = math.sqrt(float((pa * pa).sum()) * float((pb * pb).sum()))
            if den < 1e-12:
                continue
            # a small penalty per cell keeps the aligned reading preferred
            r = float((pa * pb).sum()) / den * (1 - 0.02 * (abs(dx) + abs(dy)))
            best = max(best, r)
    return float(round(min(1.0, max(0.0, best)), 6))
