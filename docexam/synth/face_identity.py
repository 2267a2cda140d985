"""How alike two faces are, measured on the pixels of two photographs.

The descriptor reads nothing but the image (no generator parameter): it
finds the two pupils, turns and scales the face so that they lie level at a
fixed distance, and describes what identifies a face and survives a change
of light, camera, glasses and hair cut:

* the **pattern**: the band-passed, contrast-normalised face from the brows
  to the chin, compared cell by cell (light and skin tone cancel out, the
  shapes and places of brows, eyes, nose, mouth, moles and jaw remain);
* the **shapes**: histograms of gradient orientations on the same grid;
* the **layout**: where the nostrils and the mouth line lie below the eyes,
  per eye distance;
* the **colour** of the cheeks (chromaticity: a camera's white balance moves
  it a little, a different skin a lot).

Cells that a pair of glasses, a fringe or a beard cover differ for the same
person, so each comparison of cells drops the most different quarter.
:func:`identity_distance` is 0 for one image with itself and about 1 for two
strangers' photographs; the impostor exercises grade the officer against it,
and the tests use it to show that two holders are further apart than a
holder and their own photo at the counter.

Examples
--------
>>> from docexam.synth.portrait import render_portrait
>>> a = face_descriptor(render_portrait(3, size=(240, 300)))
>>> identity_distance(a, a)
0.0
>>> b = face_descriptor(render_portrait(4, size=(240, 300)))
>>> identity_distance(a, b) > 0.5
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .face_render import render_portrait

__all__ = ["FaceDescriptor", "face_descriptor", "identity_distance", "find_eyes"]

#: eye distance of the normalised face, in pixels
EYE_PX = 48
#: the normalised face window (width, height) and the eyes' position in it
_WIN = (128, 160)
_EYES_AT = (64, 52)
#: grid of cells over the normalised face (columns, rows) and orientation bins
_GRID = (6, 7)
_BINS = 9
#: share of the most different cells left out of a comparison
TRIM = 0.25
#: what each part of the distance counts, and the typical distance of two
#: strangers' photographs in that part (so each part is about 1 for strangers)
WEIGHTS = {"pattern": 2.0, "shapes": 1.0, "layout": 0.5, "colour": 0.5}
SCALES = {"pattern": 0.72, "shapes": 0.33, "layout": 0.12, "colour": 0.045}


@dataclass(frozen=True)
class FaceDescriptor:
    """What :func:`identity_distance` compares (``found=False`` when no face was found)."""

    found: bool
    pattern: np.ndarray     #: (cells, pixels) band-passed face, each cell zero-mean unit length
    shapes: np.ndarray      #: (cells, bins) gradient orientation histograms, each unit length
    layout: np.ndarray      #: nostril and mouth rows below the eyes, per eye distance
    colour: np.ndarray      #: chromaticity (r, g, b summing to 1) of the cheeks
    eyes: tuple             #: ((x, y), (x, y)) in the input image


def _gray(image) -> np.ndarray:
    a = np.asarray(image)
    if a.ndim == 3:
        a = a[..., :3].astype(np.float32).mean(axis=2)
    a = a.astype(np.float32)
    return a / 255.0 if a.max() > 1.5 else a


def _pupil_pairs(a: np.ndarray, closing: int, *, keep: int = 4) -> list:
    """The ``keep`` best pupil pairs ((score, (lx, ly), (rx, ry)), 300-row scale) after closing
    dark lines thinner than ``closing`` pixels."""
    g = _gray(a)
    h, w = g.shape
    k = 300.0 / h
    size = (max(16, round(w * k)), 300)
    small = cv2.resize(g, size, interpolation=cv2.INTER_AREA)
    # close thin dark lines (spectacle frames, lashes, strands of hair): pupils are round and stay
    if closing > 1:
        small = cv2.morphologyEx(small, cv2.MORPH_CLOSE,
                                 cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (closing, closing)))
    if a.ndim == 3:
        rgb = cv2.resize(a[..., :3].astype(np.float32), size, interpolation=cv2.INTER_AREA)
        sat = (rgb.max(axis=2) - rgb.min(axis=2)) / (rgb.max(axis=2) + 1e-3)
    else:
        sat = np.zeros_like(small)
    sh, sw = small.shape
    y0, y1, x0, x1 = int(0.25 * sh), int(0.66 * sh), int(0.1 * sw), int(0.9 * sw)
    pairs = []
    for r in (4.0, 5.0, 6.5):
        b = cv2.GaussianBlur(small, (0, 0), 0.5 * r)
        sb = cv2.GaussianBlur(sat, (0, 0), 0.5 * r)
        d, dv, dn = int(round(1.9 * r)), int(round(2.6 * r)), int(round(1.4 * r))
        pad = cv2.copyMakeBorder(b, dv, dv, d, d, cv2.BORDER_REPLICATE)
        spad = cv2.copyMakeBorder(sb, dv, dv, d, d, cv2.BORDER_REPLICATE)
        left, right = pad[dv:dv + sh, 0:sw], pad[dv:dv + sh, 2 * d:2 * d + sw]
        below, above = pad[2 * dv:2 * dv + sh, d:d + sw], pad[0:sh, d:d + sw]
        near_below = pad[dv + dn:dv + dn + sh, d:d + sw]
        # the white of the eye on both sides is pale (skin, hair and lips are not)
        pale = np.maximum(spad[dv:dv + sh, 0:sw], spad[dv:dv + sh, 2 * d:2 * d + sw])
        # a pupil: darker than the white of the eye on both sides, the lids below it
        # and the skin above the lashes (a lock of hair or a frame runs on)
        ring = np.minimum(np.minimum(np.minimum(left, right), np.minimum(below, above)), near_below)
        score = ring - b - 0.25 * pale
        band = np.full_like(score, -1e9)
        band[y0:y1, x0:x1] = score[y0:y1, x0:x1]
        peaks = band == cv2.dilate(band, np.ones((9, 9), np.uint8))
        ys, xs = np.nonzero(peaks & (band > -0.3))
        order = np.argsort(-band[ys, xs])[:12]
        cands = [(float(xs[i]), float(ys[i]), float(band[ys[i], xs[i]])) for i in order]
        for xa, ya, sa in cands:
            for xb, yb, sb_ in cands:
                dist = xb - xa
                if dist <= 0 or not (0.14 * sw <= dist <= 0.42 * sw) or abs(ya - yb) > 0.2 * dist:
                    continue
                mid = 0.5 * (xa + xb)
                # both spots alike, the pair level and about central
                s_ = min(sa, sb_) - 0.3 * abs(mid - sw / 2) / sw - 0.2 * abs(ya - yb) / dist
                pairs.append((s_, (xa / k, ya / k), (xb / k, yb / k)))
    pairs.sort(key=lambda p: -p[0])
    out = []
    for p in pairs:  # distinct pairs only
        if all(abs(p[1][0] - q[1][0]) + abs(p[2][0] - q[2][0]) > 4 for q in out):
            out.append(p)
        if len(out) == keep:
            break
    return out


def _face_pattern(g: np.ndarray) -> np.ndarray:
    """Band-passed, contrast-normalised normalised face (where the features are, not their colour)."""
    x = cv2.GaussianBlur(g, (0, 0), 2.0) - cv2.GaussianBlur(g, (0, 0), 8.0)
    x = x / (np.sqrt(cv2.GaussianBlur(x * x, (0, 0), 10.0)) + 0.01)
    return x[_EYES_AT[1] - 30:_EYES_AT[1] + 90, 20:_WIN[0] - 20]


_MEAN_FACE = None


def _mean_face() -> np.ndarray:
    """The average face pattern of many document portraits (computed once per process)."""
    global _MEAN_FACE
    if _MEAN_FACE is None:
        acc = None
        for seed in range(9_100_000, 9_100_040):
            im = render_portrait(seed, size=(240, 300))
            best = _pupil_pairs(im, 5, keep=1)
            if not best:
                continue
            pat = _face_pattern(_normalise(_gray(im), best[0][1:]))
            acc = pat if acc is None else acc + pat
        acc = acc - acc.mean()
        _MEAN_FACE = (acc / np.linalg.norm(acc)).astype(np.float32)
    return _MEAN_FACE


def find_eyes(image) -> tuple | None:
    """The two pupils ((x, y) left, (x, y) right) of a head-and-shoulders photo, or None.

    Pupils are the darkest round spots with a paler ring around them, in
    pairs that lie about level, a plausible distance apart, either side of
    the picture's middle. The few best pairs are checked against the layout
    every face shares (brows above, nose and mouth below): the pair whose
    face looks most like a face wins.

    >>> from docexam.synth.portrait import render_portrait
    >>> (lx, ly), (rx, ry) = find_eyes(render_portrait(2, size=(240, 300)))
    >>> lx < 120 < rx and abs(ly - ry) < 6
    True
    """
    a = np.asarray(image)
    g = _gray(a)
    # small eyes survive no closing, spectacles need it: try both and let the face decide
    pairs = _pupil_pairs(a, 1) + _pupil_pairs(a, 5) + _pupil_pairs(a, 7)
    if not pairs:
        return None
    mean = _mean_face()
    best, best_pair = -1e9, None
    for s_, left, right in pairs:
        pat = _face_pattern(_normalise(g, (left, right)))
        pat = pat - pat.mean()
        corr = float((pat * mean).sum()) / (float(np.linalg.norm(pat)) + 1e-9)
        if corr + 0.5 * s_ > best:
            best, best_pair = corr + 0.5 * s_, (left, right)
    return best_pair


def _normalise(g: np.ndarray, eyes) -> np.ndarray:
    (lx, ly), (rx, ry) = eyes
    angle = math.degrees(math.atan2(ry - ly, rx - lx))
    scale = EYE_PX / max(1.0, math.hypot(rx - lx, ry - ly))
    m = cv2.getRotationMatrix2D(((lx + rx) / 2, (ly + ry) / 2), angle, scale)
    m[0, 2] += _EYES_AT[0] - (lx + rx) / 2
    m[1, 2] += _EYES_AT[1] - (ly + ry) / 2
    return cv2.warpAffine(g, m, _WIN, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)


def _layout(face: np.ndarray) -> np.ndarray:
    """Rows of the nostrils and of the mouth line below the eyes, per eye distance."""
    cx, ey = _EYES_AT
    sm = cv2.GaussianBlur(face, (0, 0), 1.5)
    # dark horizontal ridges in the middle column band: the nostrils, then the mouth line
    col = sm[:, cx - 10:cx + 11].mean(axis=1)
    ridge = np.zeros_like(col)
    ridge[1:-1] = col[:-2] + col[2:] - 2 * col[1:-1]
    ridge = cv2.GaussianBlur(ridge.reshape(-1, 1), (0, 0), 1.0).ravel()
    lo, hi = ey + 14, min(len(ridge) - 2, ey + 110)
    peaks = [r for r in range(lo, hi) if ridge[r] > 0 and ridge[r] >= ridge[r - 1] and ridge[r] >= ridge[r + 1]]
    strong = max((ridge[r] for r in peaks), default=0.0)
    nose_row = next((r for r in peaks if ridge[r] >= 0.4 * strong), ey + 30)
    after = [r for r in peaks if nose_row + 8 <= r <= nose_row + 50]
    mouth_row = max(after, key=lambda r: ridge[r]) if after else nose_row + 18
    return np.array([(nose_row - ey) / EYE_PX, (mouth_row - ey) / EYE_PX], np.float32)


def _cells(img: np.ndarray):
    """Slices of the grid cells over the face from the brows to the chin."""
    x0, x1, y0, y1 = 16, _WIN[0] - 16, _EYES_AT[1] - 26, _EYES_AT[1] + 100
    cw, ch = (x1 - x0) / _GRID[0], (y1 - y0) / _GRID[1]
    for j in range(_GRID[1]):
        for i in range(_GRID[0]):
            yield (slice(int(y0 + j * ch), int(y0 + (j + 1) * ch)), slice(int(x0 + i * cw), int(x0 + (i + 1) * cw)))


def _pattern(face: np.ndarray) -> np.ndarray:
    x = cv2.GaussianBlur(face, (0, 0), 1.5) - cv2.GaussianBlur(face, (0, 0), 6.0)
    x = x / (np.sqrt(cv2.GaussianBlur(x * x, (0, 0), 8.0)) + 0.01)
    cells = []
    for box in _cells(x):
        c = x[box].ravel().astype(np.float64)
        c = c - c.mean()
        n = float(np.linalg.norm(c))
        cells.append(c / n if n > 1e-9 else c)
    size = min(len(c) for c in cells)
    return np.stack([c[:size] for c in cells]).astype(np.float32)


def _shapes(face: np.ndarray) -> np.ndarray:
    sm = cv2.GaussianBlur(face, (0, 0), 1.0)
    gx = cv2.Sobel(sm, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(sm, cv2.CV_32F, 0, 1, ksize=3)
    mag = np.sqrt(gx * gx + gy * gy)
    ang = (np.arctan2(gy, gx) % math.pi) / math.pi * _BINS
    out = np.zeros((_GRID[0] * _GRID[1], _BINS), np.float32)
    b0 = np.floor(ang).astype(int) % _BINS
    frac = ang - np.floor(ang)
    for i, box in enumerate(_cells(face)):
        m, b, fr = mag[box].ravel(), b0[box].ravel(), frac[box].ravel()
        hist = np.bincount(b, m * (1 - fr), _BINS) + np.bincount((b + 1) % _BINS, m * fr, _BINS)
        hist = np.sqrt(hist)  # Hellinger: a few strong edges do not drown the rest
        n = float(np.linalg.norm(hist))
        out[i] = hist / n if n > 1e-9 else hist
    return out


def _colour(rgb: np.ndarray, eyes) -> np.ndarray:
    (lx, ly), (rx, ry) = eyes
    d = max(4.0, rx - lx)
    cy, cx = int((ly + ry) / 2 + 0.6 * d), int((lx + rx) / 2)
    h, w = rgb.shape[:2]
    patch = rgb[max(0, cy - int(0.15 * d)):min(h, cy + int(0.15 * d)) + 1,
                max(0, cx - int(0.55 * d)):min(w, cx + int(0.55 * d)) + 1]
    m = patch.reshape(-1, 3).astype(np.float64).mean(axis=0)
    return (m / max(m.sum(), 1e-9)).astype(np.float32)


def face_descriptor(image) -> FaceDescriptor:
    """Describe the face in a head-and-shoulders photo (uint8 or float RGB or grey; not modified).

    >>> from docexam.synth.portrait import render_portrait
    >>> face_descriptor(render_portrait(1, size=(240, 300))).found
    True
    >>> face_descriptor(np.full((300, 240, 3), 200, np.uint8)).found
    False
    """
    a = np.asarray(image)
    if a.ndim not in (2, 3) or min(a.shape[:2]) < 32:
        raise ValueError(f"image: expected an image at least 32 pixels each way, got shape {a.shape}")
    g = _gray(a)
    eyes = find_eyes(a) if float(g.std()) > 0.01 else None
    if eyes is None:
        return FaceDescriptor(False, np.zeros((1, 1), np.float32), np.zeros((1, _BINS), np.float32),
                              np.zeros(2, np.float32), np.zeros(3, np.float32), ())
    face = _normalise(g, eyes)
    rgb = a[..., :3] if a.ndim == 3 else np.repeat(a[..., None], 3, axis=2)
    return FaceDescriptor(True, _pattern(face), _shapes(face), _layout(face), _colour(rgb, eyes), eyes)


def _trimmed(cells: np.ndarray) -> float:
    keep = np.sort(cells)[: max(1, int(round(len(cells) * (1 - TRIM))))]
    return float(keep.mean())


def distance_parts(a: FaceDescriptor, b: FaceDescriptor) -> dict:
    """Each part of :func:`identity_distance`, divided by its typical value for two strangers."""
    parts = {
        "pattern": _trimmed(1.0 - (a.pattern * b.pattern).sum(axis=1)),
        "shapes": _trimmed(np.sqrt(((a.shapes - b.shapes) ** 2).sum(axis=1))),
        "layout": float(np.abs(a.layout - b.layout).mean()),
        "colour": float(np.abs(a.colour - b.colour).sum()),
    }
    return {k: v / SCALES[k] for k, v in parts.items()}


def identity_distance(a: FaceDescriptor, b: FaceDescriptor) -> float:
    """How different two faces are: 0 for one photo with itself, about 1 for two strangers.

    The weighted mean of :func:`distance_parts` (:data:`WEIGHTS`). Returns
    2.0 (more than any two faces) when either face was not found.
    """
    if not (a.found and b.found):
        return 2.0
    parts = distance_parts(a, b)
    return round(sum(WEIGHTS[k] * v for k, v in parts.items()) / sum(WEIGHTS.values()), 6)
