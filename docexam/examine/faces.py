"""Do two portraits on a document show the same face? (the main portrait and its ghost image)

A ghost image repeats the holder's photograph small, faint, often screened
with fine lines or printed in one colour, on a different part of the
design. Nothing about the faces is assumed beyond that: both crops are put
through the same photometric normalisation used for face matching under
varying light (Tan and Triggs 2010: gamma, difference of Gaussians,
contrast equalisation), which removes the ghost's faintness, its tint and
the print's line screen, then compared by

* the normalised correlation of the normalised images, at the best of a
  few relative scales and shifts (the two zones never frame the face
  exactly alike), and
* the cosine of their histograms of oriented gradients (HOG) at that
  alignment (the shape of eyes, nose, mouth, hairline and jaw).

:func:`likeness` is the mean of the two, about 0.8-0.95 for a portrait and
its own ghost and clearly lower for two people; the genuine value of a
design is measured on its reference where it has one (a trainer's
template) and the examination compares with that.
"""

from __future__ import annotations

import cv2
import numpy as np
from skimage.feature import hog

__all__ = ["normalise_face", "likeness", "FACE_SIZE"]

#: (width, height) of the normalised face images
FACE_SIZE = (48, 60)
#: relative scales and shifts (pixels of the normalised image) tried when aligning two crops
SCALES = (0.88, 0.94, 1.0, 1.06, 1.13)
MAX_SHIFT = 3


def normalise_face(crop: np.ndarray, *, size=FACE_SIZE, gamma: float = 0.5, inner: float = 1.0,
                   outer: float = 3.0, clip: float = 4.0) -> np.ndarray:
    """A face crop (gray or RGB, uint8 or float 0..1) as a Tan-Triggs normalised float32 image of ``size``.

    The crop is first low-passed and resized (line screens, halftone dots
    and guilloches are finer than any facial feature at this size), then
    gamma-corrected, band-passed (difference of Gaussians ``inner`` and
    ``outer``, pixels of ``size``) and contrast-equalised (values squashed
    beyond ``clip`` standard deviations).
    """
    x = np.asarray(crop)
    if x.ndim == 3:
        x = x.mean(axis=2)
    x = x.astype(np.float32)
    if x.max() > 1.5:
        x = x / 255.0
    w, h = size
    f = min(x.shape[1] / w, x.shape[0] / h)
    if f > 1.5:
        x = cv2.GaussianBlur(x, (0, 0), 0.5 * f)
    x = cv2.resize(x, size, interpolation=cv2.INTER_AREA)
    x = np.power(np.clip(x, 1e-3, 1.0), gamma)
    x = cv2.GaussianBlur(x, (0, 0), inner) - cv2.GaussianBlur(x, (0, 0), outer)
    x = x / (np.mean(np.abs(x) ** 0.1) ** 10 + 1e-6)
    x = x / (np.mean(np.minimum(np.abs(x), clip) ** 0.1) ** 10 + 1e-6)
    return (clip * np.tanh(x / clip)).astype(np.float32)


def _hog(x: np.ndarray) -> np.ndarray:
    v = hog(x, orientations=9, pixels_per_cell=(6, 6), cells_per_block=(2, 2), feature_vector=True)
    return v / (np.linalg.norm(v) + 1e-9)


def _ncc(a: np.ndarray, b: np.ndarray) -> float:
    a = a - a.mean()
    b = b - b.mean()
    d = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / d if d > 1e-9 else 0.0


def likeness(portrait: np.ndarray, ghost: np.ndarray, *, scales=SCALES, max_shift: int = MAX_SHIFT) -> float:
    """How much the faces in two crops look alike, in [-1, 1] (about 0.8+ for a photo and its own ghost).

    Parameters
    ----------
    portrait, ghost : ndarray
        The two crops (gray or RGB, uint8 or float in 0..1), each framing the
        head as its zone does. Not modified.
    scales : sequence of float, keyword-only
        Relative scales of the ghost tried against the portrait.
    max_shift : int, keyword-only
        Largest relative shift tried, in pixels of :data:`FACE_SIZE`.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> face = cv2.GaussianBlur(rng.random((120, 96)).astype(np.float32), (0, 0), 4)
    >>> round(likeness(face, cv2.resize(face, (48, 60))), 2) > 0.8
    True
    >>> other = cv2.GaussianBlur(rng.random((120, 96)).astype(np.float32), (0, 0), 4)
    >>> likeness(face, other) < 0.5
    True
    """
    w, h = FACE_SIZE
    big = (w + 2 * max_shift, h + 2 * max_shift)
    p = normalise_face(portrait, size=big)
    best = (-1.0, None)
    for s in scales:
        g = normalise_face(ghost, size=(max(8, int(round(w * s))), max(8, int(round(h * s)))))
        g = _fit(g, (w, h))
        res = cv2.matchTemplate(p, g, cv2.TM_CCOEFF_NORMED)
        _, r, _, (x, y) = cv2.minMaxLoc(res)
        if r > best[0]:
            best = (float(r), (x, y, g))
    r, (x, y, g) = best
    window = p[y:y + h, x:x + w]
    return 0.5 * r + 0.5 * float(_hog(window) @ _hog(g))


def _fit(x: np.ndarray, size) -> np.ndarray:
    """Centre-crop or edge-pad ``x`` to ``size`` (w, h)."""
    w, h = size
    H, W = x.shape
    if W >= w:
        x = x[:, (W - w) // 2:(W - w) // 2 + w]
    else:
        x = np.pad(x, ((0, 0), ((w - W) // 2, w - W - (w - W) // 2)), mode="edge")
    if H >= h:
        x = x[(H - h) // 2:(H - h) // 2 + h]
    else:
        x = np.pad(x, (((h - H) // 2, h - H - (h - H) // 2), (0, 0)), mode="edge")
    return np.ascontiguousarray(x)
