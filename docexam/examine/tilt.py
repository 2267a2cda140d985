"""Pictures of the document turned in the light: align each to an optically variable device, measure its change.

A kinegram (a diffractive foil) and a colour-shifting ink prove themselves
when the document is *tilted*: at each angle a genuine device sends another
colour to the eye. An officer, or a trainee, photographs the device at a
few tilts (the library's specimens carry five, -30 to +30 degrees). Each
such picture is taken from its own pose, so each is aligned on its own:

1. **Which device, and where** (:func:`align_tilt_views`): SIFT features of
   the picture are matched with those of the reference around each device
   of the template (the device's zone and the print around it, half its
   size on each side), and a homography is fitted (USAC MAGSAC++). The
   device itself looks different at every angle; the print around it does
   not, so the match rests on the print. A close-up of the device with a
   little of the page around it is best; a picture of the whole page works
   when the device is large enough in it. A picture that matches no device
   well enough is left out, with a note.
2. **What changed** (:func:`tilt_change`): every picture of a device is
   resampled onto the device's zone, its light balanced per colour channel
   on the print around the device (a lamp, a phone's white balance and the
   page turned away from the light change all of the page alike), and
   smoothed by a fraction of a millimetre (a little misalignment). Over the
   device's pixels (where the straight-on reference differs from the
   paper) it measures the *colour change*: the mean, per pixel, of the
   largest difference of chromaticity (RGB less its grey) between any two
   pictures; and how colourful the device is in them against the genuine
   straight-on device (*chroma kept*).

A genuine device changes colour from one tilt to the next; a plain metallic
foil stays grey at every tilt, a printed imitation keeps its printed
colours: neither changes colour (a foil only shines a little brighter or
duller). :mod:`.analyzers.devices` turns the measure into evidence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import cv2
import numpy as np

from ..imaging import as_rgb, load_rgb
from .features import match, sift

__all__ = ["TiltView", "TiltChange", "align_tilt_views", "tilt_change", "load_tilt", "MIN_TILT_VIEWS",
           "MIN_TILT_INLIERS"]

#: pictures of one device needed to judge it (the library's specimens carry five; two could both miss the angles
#: where a genuine device changes)
MIN_TILT_VIEWS = 3
#: feature matches agreeing with the fitted pose, at least, for a picture to be aligned with a device
MIN_TILT_INLIERS = 15
#: the print around a device matched with a picture: this share of the zone's size on each side
SURROUND = 0.5
#: long side, in pixels, of the device's zone (with its surroundings: x 2) in the reference used for features
REFERENCE_SIDE = 400
#: long side of a picture used for features (a close-up of the device fills most of it)
PICTURE_SIDE = 800
#: features detected on each
FEATURES = 2000
#: long side, in pixels, of the grid the pictures are compared on (the device's zone)
GRID_SIDE = 128
#: smoothing before the comparison, as a share of the zone's long side (~0.3 mm on a 30 mm device)
SMOOTH = 0.008
#: the device's pixels: where the straight-on reference departs from the paper around it by this much (0..1)
DEVICE_CONTRAST = 0.12


@dataclass(frozen=True)
class TiltView:
    """One picture aligned with a device: ``homography`` maps its pixels to template pixels."""

    index: int
    zone: str
    image: np.ndarray
    homography: np.ndarray
    inliers: int


@dataclass(frozen=True)
class TiltChange:
    """How a device changed across ``views`` pictures (see the module docstring)."""

    views: int
    #: mean over the device of the largest chromaticity difference between two pictures (0..~1)
    colour_change: float
    #: mean over the device of the largest brightness difference between two pictures (0..1)
    brightness_change: float
    #: the device's mean chroma in the pictures over the genuine straight-on device's
    chroma_kept: float


def load_tilt(source, index: int) -> tuple[np.ndarray, str]:
    """A tilt picture (path, bytes or array; an array is not modified) as uint8 RGB, and its name."""
    if isinstance(source, (str, os.PathLike)):
        return load_rgb(source, fast=True), str(source)
    if isinstance(source, (bytes, bytearray)):
        name = f"<tilt upload {index + 1}>"
        return load_rgb(bytes(source), name=name), name
    return as_rgb(source, name=f"tilt[{index}]"), f"<tilt array {index + 1}>"


def _surroundings(template, zone) -> list[int]:
    x0, y0, x1, y1 = zone.bbox
    w, h = x1 - x0, y1 - y0
    W, H = template.size_px
    return [max(0, int(x0 - SURROUND * w)), max(0, int(y0 - SURROUND * h)),
            min(W, int(np.ceil(x1 + SURROUND * w))), min(H, int(np.ceil(y1 + SURROUND * h)))]


def _reference_features(model, zone):
    """SIFT of the reference around ``zone``: points in template pixels, descriptors (cached per template)."""
    def build():
        box = _surroundings(model.template, zone)
        crop = model.full["visible"][box[1]:box[3], box[0]:box[2]]
        s = min(1.0, REFERENCE_SIDE * (1 + 2 * SURROUND) / max(crop.shape[:2]))
        gray = cv2.cvtColor(cv2.resize(crop, None, fx=s, fy=s, interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY)
        pts, desc = sift(gray, FEATURES, tiled=False)
        return (pts + 0.5) / s - 0.5 + np.float32(box[:2]), desc, s
    return model.cached(("tilt-features", zone.name), build)


def _plausible(hm: np.ndarray, zone, shape) -> bool:
    """The zone maps into the picture as a convex, unmirrored quadrilateral inside it, of a sensible size."""
    try:
        inv = np.linalg.inv(hm)
    except np.linalg.LinAlgError:
        return False
    x0, y0, x1, y1 = zone.bbox
    q = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], float) @ inv.T
    if np.any(q[:, 2] <= 0):
        return False
    q = q[:, :2] / q[:, 2:]
    h, w = shape[:2]
    margin = 0.02 * max(h, w)
    if q[:, 0].min() < -margin or q[:, 1].min() < -margin or q[:, 0].max() > w + margin or q[:, 1].max() > h + margin:
        return False
    e = np.roll(q, -1, axis=0) - q
    cross = e[:, 0] * np.roll(e, -1, axis=0)[:, 1] - e[:, 1] * np.roll(e, -1, axis=0)[:, 0]
    if not (np.all(cross > 0) or np.all(cross < 0)) or np.linalg.det(hm[:2, :2]) <= 0:
        return False
    side = np.linalg.norm(e, axis=1)
    return bool(side.min() >= 24 and side.max() / side.min() < 4 * max(x1 - x0, y1 - y0) / min(x1 - x0, y1 - y0))


def _align_one(image: np.ndarray, model, zones) -> tuple[str, np.ndarray, int] | None:
    s = min(1.0, PICTURE_SIDE / max(image.shape[:2]))
    gray = cv2.cvtColor(cv2.resize(image, None, fx=s, fy=s, interpolation=cv2.INTER_AREA) if s < 1 else image,
                        cv2.COLOR_RGB2GRAY)
    pts, desc = sift(gray, FEATURES, tiled=False)
    if len(pts) < MIN_TILT_INLIERS:
        return None
    src = (pts + 0.5) / s - 0.5
    best = None
    for zone in zones:
        ref_pts, ref_desc, rs = _reference_features(model, zone)
        if len(ref_pts) < MIN_TILT_INLIERS:
            continue
        i, j = match(desc @ ref_desc.T, ratio=0.9)
        if len(i) < MIN_TILT_INLIERS:
            continue
        hm, inl = cv2.findHomography(src[i], ref_pts[j], cv2.USAC_MAGSAC, 3.0 / rs)
        n = int(inl.sum()) if inl is not None else 0
        if hm is None or n < MIN_TILT_INLIERS or not _plausible(hm, zone, image.shape):
            continue
        if best is None or n > best[2]:
            best = (zone.name, hm, n)
    return best


def align_tilt_views(images, model, zones) -> tuple[list[TiltView], list[int]]:
    """Align each picture (uint8 RGB) with the device among ``zones`` it shows.

    Returns the aligned views and the indices of the pictures that matched
    no device (see the module docstring). ``model`` is the reference model
    of what the straight-on picture shows (a card's side, or the sheet);
    ``zones`` its devices proved by tilting.
    """
    views, unmatched = [], []
    for k, image in enumerate(images):
        found = _align_one(image, model, zones) if zones else None
        if found is None:
            unmatched.append(k)
        else:
            views.append(TiltView(k, found[0], image, found[1], found[2]))
    return views, unmatched


def _grid(template, zone) -> tuple[np.ndarray, tuple[int, int], np.ndarray]:
    """Template -> grid matrix over the zone and its surroundings, the grid's size, and the zone's mask on it."""
    box = _surroundings(template, zone)
    x0, y0, x1, y1 = zone.bbox
    s = GRID_SIDE / max(x1 - x0, y1 - y0)
    size = (int(round((box[2] - box[0]) * s)), int(round((box[3] - box[1]) * s)))
    t = np.array([[s, 0, -box[0] * s], [0, s, -box[1] * s], [0, 0, 1.0]])
    inner = np.zeros(size[::-1], bool)
    a, b = int(round((x0 - box[0]) * s)), int(round((y0 - box[1]) * s))
    inner[b:b + int(round((y1 - y0) * s)), a:a + int(round((x1 - x0) * s))] = True
    return t, size, inner


def tilt_change(views: list[TiltView], model, zone) -> TiltChange | None:
    """How the device in ``zone`` changed across ``views`` (None: fewer than :data:`MIN_TILT_VIEWS` cover it)."""
    t, size, inner = _grid(model.template, zone)
    ref = cv2.warpPerspective(model.full["visible"], t, size, flags=cv2.INTER_AREA).astype(np.float32) / 255
    sigma = max(0.5, SMOOTH * GRID_SIDE)
    pictures, covers = [], []
    for v in views:
        if v.zone != zone.name:
            continue
        m = t @ v.homography
        pic = cv2.warpPerspective(v.image, m, size, flags=cv2.INTER_AREA).astype(np.float32) / 255
        cov = cv2.warpPerspective(np.full(v.image.shape[:2], 255, np.uint8), m, size, flags=cv2.INTER_NEAREST) > 0
        cov = cv2.erode(cov.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        if cov[inner].mean() < 0.9:
            continue
        pictures.append(cv2.GaussianBlur(pic, (0, 0), sigma))
        covers.append(cov)
    if len(pictures) < MIN_TILT_VIEWS:
        return None
    paper = np.median(ref[~inner], axis=0) if (~inner).any() else np.median(ref.reshape(-1, 3), axis=0)
    device = inner & (np.abs(ref - paper).max(axis=2) > DEVICE_CONTRAST)
    if device.sum() < 0.02 * inner.sum():
        device = inner.copy()
    around = ~cv2.dilate(device.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    for cov in covers:
        device &= cov
        around &= cov
    if device.sum() < 20 or around.sum() < 20:
        return None
    ref_around = np.median(ref[around], axis=0)
    balanced = []
    for pic in pictures:  # the light on the page: one gain per channel, measured on the print around the device
        gain = np.median(pic[around], axis=0) / np.maximum(ref_around, 1e-3)
        balanced.append(pic / np.maximum(gain, 1e-3))
    stack = np.stack([p[device] for p in balanced])           # views x pixels x 3
    grey = stack.mean(axis=2, keepdims=True)
    chroma = stack - grey
    colour = np.linalg.norm(chroma.max(axis=0) - chroma.min(axis=0), axis=1)
    bright = grey.max(axis=0)[:, 0] - grey.min(axis=0)[:, 0]
    ref_px = ref[device]
    ref_chroma = float(np.linalg.norm(ref_px - ref_px.mean(axis=1, keepdims=True), axis=1).mean())
    kept = float(np.linalg.norm(chroma, axis=2).mean()) / max(ref_chroma, 1e-3)
    return TiltChange(len(pictures), float(colour.mean()), float(bright.mean()), kept)
