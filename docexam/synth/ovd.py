"""Optically variable devices: a diffractive foil (kinegram) and a colour-shifting ink.

What they look like depends on the angle between the light, the document
and the eye, so an officer tilts the document; a single scan or photo shows
one angle only. :func:`ovd_view` draws one of them at one tilt:

* **kinegram** (a metallised diffractive foil): fine gratings of different
  pitch and direction in each element. At each tilt every element diffracts
  one colour of the spectrum towards the eye, or none (then it looks like
  dull metal): the rainbow hues move across the foil and some elements
  light up only in a window of angles, so rings seem to run outwards and a
  star flips on and off (:data:`TILTS` shows five steps);
* **colour-shifting ink** (an interference pigment): one colour seen
  straight on, another at a slant, with a metallic sparkle.

The frauds look the same at every tilt: a **flat foil** (shiny metal,
embossed with the outline but without gratings) and a **printed imitation**
(the straight-on colours printed in ink: no shine, no change).

Examples
--------
>>> m = ovd_motif("kinegram", (120, 80), seed=1)
>>> views = [ovd_view("kinegram", m, tilt) for tilt in TILTS]
>>> len(views), views[0][0].shape, views[0][1].shape
(5, (80, 120, 3), (80, 120))
>>> bool(abs(views[0][0] - views[-1][0]).mean() > 0.05)
True
>>> flat = [ovd_view("kinegram", m, tilt, variant="flat-foil")[0] for tilt in TILTS]
>>> bool(abs(flat[0] - flat[-1]).mean() < 0.03)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

__all__ = ["TILTS", "OVD_KINDS", "VARIANTS", "Motif", "ovd_motif", "ovd_view", "wavelength_rgb"]

#: the tilts (degrees, about the document's horizontal axis) an officer steps through
TILTS = (-30.0, -15.0, 0.0, 15.0, 30.0)
OVD_KINDS = ("kinegram", "colour-shift")
#: ``genuine``, and the two imitations that do not change with the angle
VARIANTS = ("genuine", "flat-foil", "printed")

_SILVER = np.array([0.70, 0.71, 0.74], np.float32)


@dataclass(frozen=True)
class Motif:
    """The elements of a device: each a coverage mask and how its grating (or pigment) behaves."""

    size: tuple[int, int]                #: (width, height) in pixels
    masks: tuple[np.ndarray, ...]        #: float32 coverage per element
    hue0: tuple[float, ...]              #: wavelength (nm) each element sends to the eye straight on
    shift: tuple[float, ...]             #: nm per degree of tilt
    window: tuple[tuple[float, float] | None, ...]  #: (centre, half-width) degrees where it lights, or None
    outline: np.ndarray                  #: union of the elements (where the foil or ink is)


def wavelength_rgb(nm: np.ndarray) -> np.ndarray:
    """Approximate sRGB (0..1) of spectral light of wavelength ``nm``; black outside 380-700 nm.

    >>> wavelength_rgb(np.array([450.0, 530.0, 620.0])).argmax(axis=1).tolist()
    [2, 1, 0]
    """
    w = np.asarray(nm, np.float32)
    r = np.select([w < 440, w < 490, w < 510, w < 580, w < 645, w <= 700],
                  [(440 - w) / 60, 0 * w, 0 * w, (w - 510) / 70, 1 + 0 * w, 1 + 0 * w], 0)
    g = np.select([w < 440, w < 490, w < 510, w < 580, w < 645, w <= 700],
                  [0 * w, (w - 440) / 50, 1 + 0 * w, 1 + 0 * w, (645 - w) / 65, 0 * w], 0)
    b = np.select([w < 440, w < 490, w < 510, w < 580], [1 + 0 * w, 1 + 0 * w, (510 - w) / 20, 0 * w], 0)
    fade = np.select([w < 380, w < 420, w <= 700], [0 * w, 0.3 + 0.7 * (w - 380) / 40, 1 + 0 * w], 0)
    return (np.clip(np.stack([r, g, b], -1), 0, 1) * fade[..., None]).astype(np.float32)


def _disc(shape, c, r) -> np.ndarray:
    m = np.zeros(shape, np.uint8)
    cv2.circle(m, (int(c[0] * 16), int(c[1] * 16)), max(1, int(r * 16)), 255, -1, cv2.LINE_AA, 4)
    return m.astype(np.float32) / 255


def _star(shape, c, r_out, r_in, points, rot=0.0) -> np.ndarray:
    a = np.arange(2 * points) * math.pi / points + rot
    rad = np.where(np.arange(2 * points) % 2 == 0, r_out, r_in)
    pts = np.stack([c[0] + rad * np.sin(a), c[1] - rad * np.cos(a)], 1)
    m = np.zeros(shape, np.uint8)
    cv2.fillPoly(m, [np.round(pts * 16).astype(np.int32)], 255, cv2.LINE_AA, 4)
    return m.astype(np.float32) / 255


def ovd_motif(kind: str, size: tuple[int, int], *, seed: int) -> Motif:
    """The elements of a ``kind`` device of ``size`` (width, height) pixels, from ``seed``.

    A kinegram has a field of fine rainbow lines (hue moving with the tilt),
    five rings that light up one after another as the document turns, and a
    star that shows only near the straight-on view. A colour-shifting ink
    element is the state's emblem: a star in a ring.
    """
    if kind not in OVD_KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(OVD_KINDS)}")
    w, h = int(size[0]), int(size[1])
    if w < 8 or h < 8:
        raise ValueError(f"size: {size!r} is too small for a device")
    rng = np.random.default_rng([seed, 0x0FD])
    shape = (h, w)
    c = (w / 2, h / 2)
    r = 0.46 * min(w, h)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.hypot(xx - c[0], yy - c[1])
    if kind == "colour-shift":
        ring = np.clip(1 - np.abs(d - 0.85 * r) / (0.08 * r), 0, 1)
        star = _star(shape, c, 0.62 * r, 0.26 * r, 5 + int(rng.integers(0, 3)))
        outline = np.maximum(ring, star)
        return Motif((w, h), (outline,), (0.0,), (0.0,), (None,), outline)
    # kinegram: an oval patch with a wavy rim, fine line field, rings and a star
    rim = np.hypot((xx - c[0]) / (0.48 * w), (yy - c[1]) / (0.48 * h))
    wobble = 0.03 * np.sin(np.arctan2(yy - c[1], xx - c[0]) * int(rng.integers(9, 15)))
    patch = np.clip((1.0 + wobble - rim) * min(w, h) / 4.0, 0, 1)
    angle = rng.uniform(0, math.pi)
    lines = 0.5 + 0.5 * np.cos((xx * math.cos(angle) + yy * math.sin(angle)) * (2 * math.pi / 3.0)
                               + 4 * np.sin(d / (0.3 * r)))
    field = patch * (0.15 + 0.45 * lines)
    masks, hue0, shift, window = [field], [560.0], [-5.5], [None]
    for i in range(5):
        ring = np.clip(1 - np.abs(d - (0.18 + 0.16 * i) * r) / (0.035 * r), 0, 1) * patch
        masks.append(ring)
        hue0.append(float(rng.uniform(480, 620)))
        shift.append(float(rng.uniform(-3, 3)))
        window.append((-30.0 + 15.0 * i, 9.0))   # ring i lights at tilt -30 + 15 i: a ripple outwards
    star = _star(shape, c, 0.34 * r, 0.14 * r, 7, rot=float(rng.uniform(0, 1)))
    masks.append(star)
    hue0.append(530.0)
    shift.append(6.0)
    window.append((0.0, 12.0))
    outline = patch
    return Motif((w, h), tuple(m.astype(np.float32) for m in masks), tuple(hue0), tuple(shift),
                 tuple(window), outline.astype(np.float32))


def _sparkle(shape, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, 0x5AC])
    return (rng.random(shape) > 0.985).astype(np.float32)


def ovd_view(kind: str, motif: Motif, tilt: float, *, variant: str = "genuine", seed: int = 0,
             colours=((0.78, 0.66, 0.20), (0.20, 0.52, 0.38))) -> tuple[np.ndarray, np.ndarray]:
    """The device at ``tilt`` degrees: (colour float32 HxWx3, coverage float32 HxW).

    Parameters
    ----------
    kind : {'kinegram', 'colour-shift'}
    motif : Motif
        From :func:`ovd_motif`.
    tilt : float
        Degrees about the horizontal axis; 0 = straight on (a scanner).
    variant : {'genuine', 'flat-foil', 'printed'}
        The genuine device, or an imitation that does not change with the tilt.
    seed : int
        Sparkle of the pigment flakes, the imitation's printing.
    colours : pair of RGB
        A colour-shifting ink's colours straight on and at 30 degrees.
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant: {variant!r} is not one of {', '.join(VARIANTS)}")
    w, h = motif.size
    cov = motif.outline
    if variant == "printed":
        # the forger prints what a scan shows: the straight-on colours, with a little dot gain
        rgb, _ = ovd_view(kind, motif, 0.0, seed=seed, colours=colours)
        rgb = cv2.GaussianBlur(rgb, (0, 0), 1.0) * 0.92 + 0.04
        return rgb.astype(np.float32), cov
    if variant == "flat-foil":
        # shiny metal: a little brighter when it catches the light, never coloured
        shine = 0.92 + 0.06 * math.cos(math.radians(2 * tilt))
        emboss = sum(motif.masks[1:], np.zeros((h, w), np.float32)) if len(motif.masks) > 1 else motif.masks[0]
        grey = _SILVER * shine * (1 - 0.10 * np.clip(emboss, 0, 1))[..., None]
        return grey.astype(np.float32), cov
    if kind == "colour-shift":
        t = np.float32(min(1.0, abs(tilt) / 30.0) ** 1.3)
        colour = np.asarray(colours[0], np.float32) * (1 - t) + np.asarray(colours[1], np.float32) * t
        flakes = _sparkle((h, w), seed) * (0.25 + 0.2 * t)
        rgb = colour * (0.92 + 0.08 * math.cos(math.radians(3 * tilt))) + flakes[..., None]
        return np.clip(np.broadcast_to(rgb, (h, w, 3)), 0, 1).astype(np.float32), cov
    # kinegram: dull metal where nothing diffracts to the eye, spectral colour where it does
    rgb = np.broadcast_to(_SILVER * 0.6, (h, w, 3)).astype(np.float32).copy()
    # the line field's grating pitch changes across the foil: a rainbow that slides as it turns
    sweep = np.linspace(-70.0, 70.0, w, dtype=np.float32)[None, :]
    for i, (mask, hue, s, win) in enumerate(zip(motif.masks, motif.hue0, motif.shift, motif.window)):
        on = 1.0 if win is None else math.exp(-((tilt - win[0]) / win[1]) ** 2)
        if on < 0.02:
            continue
        nm = hue + s * tilt + (sweep if i == 0 else 0.0)
        spectral = wavelength_rgb(np.broadcast_to(np.float32(nm), (1, w) if i == 0 else (1, 1)))
        bright = 0.35 + 0.75 * spectral
        a = (mask * on)[..., None]
        rgb += a * (bright - rgb)
    return np.clip(rgb, 0, 1), cov
