"""Genuine captures of a document image, simulated from device physics (no forgery model).

Used to learn how a genuine capture varies from its reference
(:mod:`docexam.examine.variation`) and by ``docexam template add`` to check
that a capture of a new template can be aligned back to it. A capture is a
scanner's or phone's view of the flat document: perspective at a
resolution drawn around the document's, lens blur (round) and shake
(along one direction), light falling off across the page, sometimes a glare
spot on a glossy laminate, shot and read noise, JPEG. Every choice comes
from the ``rng`` given.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["genuine_capture", "CAPTURE_SCALE", "LOW_DPI_CAPTURE_SCALE"]

#: capture pixels per document-image pixel: a 600 dpi document at 270-750 dpi
CAPTURE_SCALE = (0.45, 1.25)
#: a low-resolution document image (a real specimen's web image) is seen at about its own resolution or more
LOW_DPI_CAPTURE_SCALE = (0.85, 1.8)
TILT_DEG = 20.0
BLUR_PX = (0.3, 1.5)  # capture pixels
GLARE = (0.0, 0.22)  # additive glare spot, share of white, in a third of the captures
NOISE = ((0.02, 0.2), (1.0, 3.5))  # shot-noise gain and read noise (of 255)
JPEG_QUALITY = (68, 95)


def genuine_capture(full: np.ndarray, rng: np.random.Generator, *, dpi: float = 600.0) -> tuple[np.ndarray, np.ndarray]:
    """A simulated genuine capture of ``full`` (uint8 RGB): (uint8 RGB image, document -> image homography).

    Examples
    --------
    >>> doc = np.full((200, 300, 3), 200, np.uint8)
    >>> img, hm = genuine_capture(doc, np.random.default_rng(0))
    >>> img.dtype, hm.shape
    (dtype('uint8'), (3, 3))
    """
    h, w = full.shape[:2]
    lo, hi = CAPTURE_SCALE if dpi >= 400 else LOW_DPI_CAPTURE_SCALE
    s = float(rng.uniform(lo, hi))
    tilt, axis = np.radians(rng.uniform(0, TILT_DEG)), rng.uniform(0, 2 * np.pi)
    rot = cv2.Rodrigues(np.array([np.cos(axis), np.sin(axis), 0.0]) * tilt)[0] \
        @ cv2.Rodrigues(np.array([0, 0, np.radians(rng.uniform(-6, 6))]))[0]
    f = w * s * rng.uniform(0.75, 1.5)  # a phone's wide lens sees a tilted page in strong perspective
    centre = np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1.0]])
    hm = np.array([[f, 0, 0], [0, f, 0], [0, 0, 1.0]]) @ np.c_[rot[:, 0], rot[:, 1], [0, 0, f / s]] @ centre
    hm /= hm[2, 2]
    q = np.c_[[0, w, w, 0], [0, 0, h, h], np.ones(4)] @ hm.T
    q = q[:, :2] / q[:, 2:]
    hm = np.array([[1, 0, 8 - q[:, 0].min()], [0, 1, 8 - q[:, 1].min()], [0, 0, 1.0]]) @ hm
    size = tuple(int(v) for v in np.ceil(q.max(axis=0) - q.min(axis=0) + 16))
    src = full if s >= 0.9 else cv2.GaussianBlur(full, (0, 0), 0.45 * np.sqrt(1 / s ** 2 - 1))
    img = cv2.warpPerspective(src, hm, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    img = img.astype(np.float32)
    b = rng.uniform(*BLUR_PX)
    # defocus is round; shake smears along one direction
    bx, by = (b, b) if rng.random() < 0.5 else (b, float(np.hypot(b, rng.uniform(0, 1.0))))
    if rng.random() < 0.5:
        bx, by = by, bx
    img = cv2.GaussianBlur(img, (0, 0), sigmaX=float(bx), sigmaY=float(by))
    yy, xx = np.mgrid[0:size[1]:16, 0:size[0]:16].astype(np.float32)
    xn, yn = xx / size[0] - 0.5, yy / size[1] - 0.5
    g = rng.uniform(-0.15, 0.15, 2)
    light = (1 + g[0] * xn + g[1] * yn - rng.uniform(0, 0.25) * (xn ** 2 + yn ** 2)) * rng.uniform(0.85, 1.05)
    glare = np.zeros_like(light)
    if rng.random() < 0.33:
        cx, cy, r = rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3), rng.uniform(0.1, 0.3)
        glare = rng.uniform(*GLARE) * 255 * np.exp(-((xn - cx) ** 2 + (yn - cy) ** 2) / (2 * r * r))
    light = cv2.resize(light, size, interpolation=cv2.INTER_LINEAR)
    glare = cv2.resize(glare.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    # in place, in the order the arithmetic always had (the same pixels): whole-page temporaries cost more
    # than the arithmetic, and the variation learns from sixteen captures per template
    img *= light[..., None]
    img *= rng.uniform(0.95, 1.05, 3).astype(np.float32)
    img += glare[..., None]
    shot, read = rng.uniform(*NOISE[0]), rng.uniform(*NOISE[1])
    spread = np.maximum(img, 0)
    spread *= shot
    spread += read ** 2
    np.sqrt(spread, out=spread)
    noise = rng.standard_normal(img.shape).astype(np.float32)
    noise *= spread
    img += noise
    del spread, noise
    img += 0.5
    u8 = np.clip(img, 0, 255, out=img).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", u8, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(*JPEG_QUALITY))])
    return cv2.imdecode(buf, cv2.IMREAD_UNCHANGED), hm
