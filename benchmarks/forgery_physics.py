"""Printing and tampering physics for the independent forgery generator (evaluation only).

Written from scratch, apart from :mod:`docexam.synth.forge` (its code, its
parameters and its shapes are not used): every function takes a float RGB
image in [0, 1] of the *master* (the document in template geometry) and
returns a new one; nothing is modified in place.

Printing processes, as a forger's equipment reproduces a page or a patch:

* :func:`am_halftone`: a colour copier or offset press: the image is
  separated into cyan, magenta, yellow (and black, by grey-component
  replacement), each plane is screened with clustered dots on its own
  rotated grid (lines per inch and angles chosen per device), dots grow on
  paper (dot gain), the plates are slightly out of register, and the inks
  mix subtractively on the paper;
* :func:`error_diffusion`: an inkjet printer: Floyd-Steinberg error
  diffusion (PIL's C implementation) per ink at the printer's addressable
  resolution, droplets that spread into the paper, satellite drops;
* :func:`toner`: a laser printer: a coarse clustered line screen, toner
  particles scattered around every dot, fused toner slightly glossy;
* :func:`low_resolution`: a reprint from a low-resolution copy (a scan or
  photo at 75-200 dpi, upsampled by the forger's software), printed in a
  smaller colour gamut.

Tampering:

* :func:`wash`: a solvent lifts part of every ink (personalization inks
  most), leaves a stain ring and a brighter, yellowed paper;
* :func:`abrade`: a blade scrapes ink off along strokes; raised paper
  fibres scatter light;
* :func:`irregular_region`: the soft or hard-edged mask of a patch drawn
  as a perturbed polygon.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

PAPER = np.float32([0.965, 0.962, 0.95])
#: transmittance of process inks (cyan, magenta, yellow, black) per RGB channel
INKS = {
    "c": np.float32([0.12, 0.62, 0.93]),
    "m": np.float32([0.93, 0.18, 0.55]),
    "y": np.float32([0.98, 0.9, 0.1]),
    "k": np.float32([0.1, 0.1, 0.12]),
}


def separate(rgb: np.ndarray, *, black: float = 0.7, paper=PAPER) -> dict:
    """Ink coverages (0..1) of an RGB image: naive complement, then grey-component replacement."""
    x = np.clip(rgb / paper, 0, 1)
    c, m, y = 1 - x[..., 0], 1 - x[..., 1], 1 - x[..., 2]
    k = np.minimum(np.minimum(c, m), y) * black
    out = {"c": c - k, "m": m - k, "y": y - k}
    if black > 0:
        out["k"] = k
    return {n: np.clip(v, 0, 1).astype(np.float32) for n, v in out.items()}


def mix(coverage: dict, *, paper=PAPER) -> np.ndarray:
    """Subtractive mixing on paper: each ink multiplies the reflected light by its transmittance where it lies."""
    out = np.ones(next(iter(coverage.values())).shape + (3,), np.float32) * paper
    for name, cov in coverage.items():
        out *= 1 - cov[..., None] * (1 - INKS[name])
    return out


def _spot(h: int, w: int, period: float, angle: float, phase, shape: str) -> np.ndarray:
    a = np.radians(angle)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx * np.cos(a) + yy * np.sin(a)) / period + phase[0]
    v = (-xx * np.sin(a) + yy * np.cos(a)) / period + phase[1]
    fu, fv = u - np.floor(u) - 0.5, v - np.floor(v) - 0.5
    if shape == "line":  # a line screen: threshold by distance to the line
        return 1 - 2 * np.abs(fv)
    if shape == "ellipse":
        return 1 - np.sqrt((fu / 1.0) ** 2 + (fv / 0.75) ** 2) / 0.85
    return 1 - np.sqrt(fu ** 2 + fv ** 2) / 0.7071  # round dot: 1 at the centre


def am_halftone(rgb: np.ndarray, rng, *, lpi: float, dpi: float = 600.0, angles=None, shape: str = "round",
                gain: float = 0.15, misregister: float = 0.6, black: float = 0.7, optics: float = 0.8) -> np.ndarray:
    """A clustered-dot (AM) four- or three-colour reproduction of ``rgb``."""
    src = cv2.GaussianBlur(rgb, (0, 0), optics) if optics > 0 else rgb
    cov = separate(src, black=black)
    h, w = rgb.shape[:2]
    period = dpi / lpi
    base = angles or {"c": 15.0, "m": 75.0, "y": 0.0, "k": 45.0}
    turn = float(rng.uniform(-8, 8))
    out = {}
    for name, plane in cov.items():
        spot = _spot(h, w, period, base[name] + turn, rng.uniform(0, 1, 2), shape)
        # dot gain: the ink spreads; the printed dot is the threshold plus a soft rim
        dots = np.clip((plane * (1 + gain) - (1 - spot)) * period * 0.9 + 0.5, 0, 1)
        dots = cv2.GaussianBlur(dots, (0, 0), 0.35 + 0.1 * period)
        if misregister > 0:
            dx, dy = rng.normal(0, misregister, 2)
            dots = cv2.warpAffine(dots, np.float32([[1, 0, dx], [0, 1, dy]]), (w, h), borderMode=cv2.BORDER_REFLECT)
        out[name] = dots
    return mix(out)


def error_diffusion(rgb: np.ndarray, rng, *, printer_dpi: float, dpi: float = 600.0, drop: float = 0.6,
                    black: float = 0.5, satellites: float = 0.002, optics: float = 0.6) -> np.ndarray:
    """An inkjet reproduction: Floyd-Steinberg dither of each ink at ``printer_dpi``, spreading drops."""
    src = cv2.GaussianBlur(rgb, (0, 0), optics) if optics > 0 else rgb
    cov = separate(src, black=black)
    h, w = rgb.shape[:2]
    f = printer_dpi / dpi
    sw, sh = max(8, int(round(w * f))), max(8, int(round(h * f)))
    out = {}
    for name, plane in cov.items():
        small = cv2.resize(plane, (sw, sh), interpolation=cv2.INTER_AREA)
        # PIL dithers "the darker, the more dots" on an L image: invert the coverage
        img = Image.fromarray(np.clip((1 - small) * 255 + rng.uniform(-0.5, 0.5), 0, 255).astype(np.uint8), "L")
        dots = 1 - np.asarray(img.convert("1", dither=Image.Dither.FLOYDSTEINBERG), np.float32)
        big = cv2.resize(dots, (w, h), interpolation=cv2.INTER_NEAREST)
        if satellites > 0:
            big = np.maximum(big, (rng.random((h, w)) < satellites * (cv2.blur(big, (5, 5)) > 0.1)).astype(np.float32))
        out[name] = np.clip(cv2.GaussianBlur(big, (0, 0), drop) * 1.15, 0, 1)
    return mix(out)


def toner(rgb: np.ndarray, rng, *, lpi: float, dpi: float = 600.0, scatter: float = 0.02, gloss: float = 0.02) -> np.ndarray:
    """A colour laser print: a coarse line or dot screen, toner particles scattered around the dots."""
    shape = "line" if rng.random() < 0.5 else "round"
    out = am_halftone(rgb, rng, lpi=lpi, dpi=dpi, shape=shape, gain=0.25, misregister=0.9, black=0.85,
                      angles={"c": 18.4, "m": 71.6, "y": 0.0, "k": 45.0}, optics=0.7)
    h, w = out.shape[:2]
    dark = 1 - out.mean(axis=2)
    near = cv2.dilate((dark > 0.25).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    specks = (rng.random((h, w)) < scatter) & near
    speck_col = out[np.clip(np.arange(h)[:, None] + rng.integers(-2, 3, (h, w)), 0, h - 1),
                    np.clip(np.arange(w)[None, :] + rng.integers(-2, 3, (h, w)), 0, w - 1)]
    out = np.where(specks[..., None], speck_col * 0.85, out)
    # fused toner reflects a little more where it lies thick
    return np.clip(out + gloss * dark[..., None], 0, 1)


def low_resolution(rgb: np.ndarray, rng, *, source_dpi: float, dpi: float = 600.0, gamut: float = 0.85,
                   sharpen: float = 0.6) -> np.ndarray:
    """A reprint from a low-resolution copy: detail lost below ``source_dpi``, software sharpening, a smaller gamut."""
    h, w = rgb.shape[:2]
    f = source_dpi / dpi
    small = cv2.resize(rgb, (max(4, int(w * f)), max(4, int(h * f))), interpolation=cv2.INTER_AREA)
    # the copy itself was a JPEG
    u8 = np.clip(small * 255, 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", u8, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(55, 85))])
    small = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED).astype(np.float32) / 255
    up = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    if sharpen > 0:
        up = up + sharpen * (up - cv2.GaussianBlur(up, (0, 0), 1.5 / f))
    grey = up.mean(axis=2, keepdims=True)
    up = grey + (up - grey) * gamut
    return np.clip(up * rng.uniform(0.97, 1.02) + rng.uniform(-0.015, 0.015, 3).astype(np.float32), 0, 1)


def irregular_region(shape, box, rng, *, vertices: int = 9, roughness: float = 0.25, soft: float = 0.0) -> np.ndarray:
    """A float mask (0..1) of an irregular polygon inscribed in ``box`` with a rough outline."""
    h, w = shape
    x0, y0, x1, y1 = box
    cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    ang = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    rad = 1 - roughness * rng.random(vertices)
    pts = np.c_[cx + rx * rad * np.cos(ang), cy + ry * rad * np.sin(ang)]
    # subdivide and jitter each edge: outlines of torn or cut paper are never straight
    dense = []
    for a, b in zip(pts, np.roll(pts, -1, axis=0)):
        for t in np.linspace(0, 1, 6, endpoint=False):
            p = a + (b - a) * t
            dense.append(p + rng.normal(0, roughness * 0.05 * min(rx, ry), 2))
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [np.round(np.array(dense) * 8).astype(np.int32)], 1, lineType=cv2.LINE_AA, shift=3)
    m = mask.astype(np.float32)
    if soft > 0:
        m = cv2.GaussianBlur(m, (0, 0), soft)
    return m


def paste(base: np.ndarray, other: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return base * (1 - mask[..., None]) + other * mask[..., None]


def wash(rgb: np.ndarray, mask: np.ndarray, rng, *, strength: float, personal: np.ndarray | None = None) -> np.ndarray:
    """A solvent applied under ``mask``: inks lifted (``personal`` ink most), stain ring, brighter yellowed paper."""
    out = rgb.copy()
    lift = np.clip(strength * (0.35 + 0.25 * rng.random(3)), 0, 1).astype(np.float32)  # per channel: inks differ
    paper = PAPER * np.float32([1.0, 0.995, 0.965])
    lifted = out + (paper - out) * lift
    if personal is not None:
        lifted = np.where(personal[..., None] > 0.5, out + (paper - out) * min(1.0, 0.6 + strength), lifted)
    out = paste(out, lifted, mask)
    ring = np.clip(mask - cv2.erode(mask, np.ones((9, 9), np.uint8)), 0, 1)
    ring = cv2.GaussianBlur(ring, (0, 0), 3)
    out *= 1 - ring[..., None] * (0.03 + 0.08 * strength) * np.float32([0.1, 0.35, 0.9])
    return np.clip(out, 0, 1)


def abrade(rgb: np.ndarray, mask: np.ndarray, rng, *, strength: float) -> np.ndarray:
    """A blade scraped along one direction under ``mask``: streaks of lifted ink, rough bright paper."""
    h, w = mask.shape
    streak = rng.random((h, w)).astype(np.float32)
    ang = rng.uniform(0, 180)
    length = int(15 + 30 * strength)
    k = np.zeros((length, length), np.float32)
    cv2.line(k, (0, length // 2), (length - 1, length // 2), 1.0, 1)
    k = cv2.warpAffine(k, cv2.getRotationMatrix2D((length / 2, length / 2), ang, 1.0), (length, length))
    streak = cv2.filter2D(streak, -1, k / max(k.sum(), 1e-6))
    streak = np.clip((streak - streak.mean()) / (streak.std() + 1e-6) * 0.5 + 0.5, 0, 1)
    removal = np.clip(strength * (0.4 + 0.6 * streak), 0, 1) * mask
    fibres = 1 + 0.04 * strength * rng.standard_normal((h, w)).astype(np.float32) * mask
    out = rgb + (PAPER * 1.02 - rgb) * removal[..., None]
    return np.clip(out * fibres[..., None], 0, 1)
