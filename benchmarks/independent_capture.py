"""Captures for the independent evaluation: a flatbed scan or a phone photo of a flat document image.

Written apart from :mod:`docexam.synth.capture` (other code, other ranges),
so the evaluation does not share the generator's assumptions about devices.
A capture is modelled as optics, then geometry, then the sensor, then the
codec:

* optics: a lens point-spread function (a disc of defocus convolved with a
  small Gaussian), for a phone also a short linear motion blur;
* geometry: a scanner rotates and shifts the page on its bed; a phone sees
  it in perspective (a rotation about a random axis in the page plane, a
  pinhole camera), at a magnification drawn around the master's resolution;
* sensor: shot noise (variance proportional to the signal), read noise, a
  Bayer-like colour noise pattern, white balance and exposure error, for a
  phone a light fall-off and a colour cast from the room light;
* codec: JPEG at a quality drawn per device, or PNG for some scans.

:func:`capture` returns the image and the homography from master pixels to
capture pixels (the ground truth of registration).
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["capture", "KINDS"]

KINDS = ("flat", "scan", "phone")


def _disc_psf(radius: float, sigma: float) -> np.ndarray:
    r = max(radius, 0.01)
    n = int(np.ceil(r + 3 * sigma)) + 1
    yy, xx = np.mgrid[-n:n + 1, -n:n + 1].astype(np.float32)
    disc = np.clip(r + 0.5 - np.hypot(xx, yy), 0, 1)
    disc /= disc.sum()
    if sigma > 0.05:
        disc = cv2.GaussianBlur(disc, (0, 0), sigma)
    return disc / disc.sum()


def _motion_psf(length: float, angle: float) -> np.ndarray:
    n = int(np.ceil(length)) + 2
    k = np.zeros((2 * n + 1, 2 * n + 1), np.float32)
    c = np.array([n, n], float)
    d = np.array([np.cos(angle), np.sin(angle)])
    for t in np.linspace(-length / 2, length / 2, max(3, int(length * 4))):
        x, y = c + t * d
        k[int(round(y)), int(round(x))] += 1
    return k / k.sum()


def _sensor(img: np.ndarray, rng, *, shot: float, read: float, colour: float) -> np.ndarray:
    f = img.astype(np.float32)
    noise = rng.standard_normal(f.shape).astype(np.float32)
    sd = np.sqrt(np.maximum(f, 0) * shot + read ** 2)
    # colour noise of a demosaiced sensor: correlated over 2x2 cells
    h, w = f.shape[:2]
    cn = rng.standard_normal(((h + 1) // 2, (w + 1) // 2, 3)).astype(np.float32)
    cn = cv2.resize(cn, (w, h), interpolation=cv2.INTER_NEAREST)
    return np.clip(f + noise * sd + cn * colour, 0, 255)


def _encode(img: np.ndarray, quality: int | None) -> np.ndarray:
    u8 = np.clip(img + 0.5, 0, 255).astype(np.uint8)
    if quality is None:
        return u8
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(u8, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality),
                                                                         cv2.IMWRITE_JPEG_OPTIMIZE, 1])
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _scan(img: np.ndarray, rng, dpi: float):
    h, w = img.shape[:2]
    out_dpi = float(rng.choice([300, 400, 600, 600, 1200 if dpi < 400 else 600]))
    s = min(out_dpi / dpi, 2.0)
    ang = np.radians(rng.uniform(-4.0, 4.0))
    margin = rng.uniform(20, 90, 4) * s
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]]) * s
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], float) @ rot.T
    lo = corners.min(axis=0) - margin[:2]
    size = (corners.max(axis=0) + margin[2:] - lo).astype(int) + 1
    hm = np.eye(3)
    hm[:2, :2] = rot
    hm[:2, 2] = -lo
    psf = _disc_psf(rng.uniform(0.2, 0.9), rng.uniform(0.3, 0.6))
    src = cv2.filter2D(img.astype(np.float32), -1, psf)
    bed = rng.uniform(225, 250)
    if s < 0.9:
        src = cv2.GaussianBlur(src, (0, 0), 0.45 * np.sqrt(1 / s ** 2 - 1))
    frame = cv2.warpPerspective(src, hm, tuple(size), flags=cv2.INTER_LINEAR if s < 1 else cv2.INTER_CUBIC,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=(bed, bed, bed - 3))
    frame *= rng.uniform(0.95, 1.05, 3).astype(np.float32)
    frame = _sensor(frame, rng, shot=rng.uniform(0.02, 0.08), read=rng.uniform(0.5, 2.0), colour=rng.uniform(0.3, 1.0))
    quality = None if rng.random() < 0.3 else int(rng.integers(80, 98))
    return _encode(frame, quality), hm, {"kind": "scan", "dpi": out_dpi, "jpeg": quality}


def _phone(img: np.ndarray, rng, dpi: float):
    h, w = img.shape[:2]
    # a 600 dpi master is photographed at 0.55-1.15 of its resolution; a low-resolution one
    # (a real specimen's web image) at about its own resolution or a little more
    mag = float(rng.uniform(0.55, 1.15)) if dpi >= 400 else float(rng.uniform(0.9, 1.6))
    tilt = np.radians(rng.uniform(0, 17))
    axis = rng.uniform(0, 2 * np.pi)
    roll = np.radians(rng.uniform(-180, 180) if rng.random() < 0.15 else rng.uniform(-12, 12))
    k = np.array([np.cos(axis), np.sin(axis), 0.0])
    rv = cv2.Rodrigues(k * tilt)[0] @ cv2.Rodrigues(np.array([0, 0, roll]))[0]
    f = w * mag * rng.uniform(1.1, 1.6)
    dist = f / mag
    centre = np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1.0]])
    hm = np.array([[f, 0, 0], [0, f, 0], [0, 0, 1.0]]) @ np.c_[rv[:, 0], rv[:, 1], [0, 0, dist]] @ centre
    hm /= hm[2, 2]
    corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]], float) @ hm.T
    q = corners[:, :2] / corners[:, 2:]
    lo, hi = q.min(axis=0), q.max(axis=0)
    pad = (hi - lo) * rng.uniform(0.06, 0.2, 2)
    size = (hi - lo + 2 * pad).astype(int) + 1
    hm = np.array([[1, 0, pad[0] - lo[0]], [0, 1, pad[1] - lo[1]], [0, 0, 1.0]]) @ hm
    # the desk: a smooth random texture
    desk = cv2.resize(rng.uniform(40, 200, (6, 8, 3)).astype(np.float32), tuple(size), interpolation=cv2.INTER_CUBIC)
    src = img.astype(np.float32)
    if mag < 0.9:  # the lens integrates over each sensor pixel: no aliasing
        src = cv2.GaussianBlur(src, (0, 0), 0.45 * np.sqrt(1 / mag ** 2 - 1))
    frame = cv2.warpPerspective(src, hm, tuple(size), dst=desk, flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_TRANSPARENT)
    psf = _disc_psf(rng.uniform(0.3, 1.3), rng.uniform(0.3, 0.7))
    if rng.random() < 0.5:
        psf = cv2.filter2D(psf, -1, _motion_psf(rng.uniform(0.5, 2.0), rng.uniform(0, np.pi)))
    frame = cv2.filter2D(frame, -1, psf)
    # light: fall-off towards the corners, a gradient, a colour cast
    yy, xx = np.mgrid[0:size[1], 0:size[0]].astype(np.float32)
    xn, yn = xx / size[0] - 0.5, yy / size[1] - 0.5
    g = rng.uniform(-0.2, 0.2, 2)
    light = (1 - rng.uniform(0.05, 0.35) * (xn ** 2 + yn ** 2) * 2) * (1 + g[0] * xn + g[1] * yn)
    cast = rng.uniform(0.9, 1.08, 3).astype(np.float32)
    frame = frame * light[..., None] * cast * rng.uniform(0.8, 1.08)
    frame = _sensor(frame, rng, shot=rng.uniform(0.08, 0.3), read=rng.uniform(1.0, 3.0), colour=rng.uniform(0.5, 2.0))
    quality = int(rng.integers(72, 95))
    return _encode(frame, quality), hm, {"kind": "phone", "magnification": round(mag, 3),
                                         "tilt_deg": round(float(np.degrees(tilt)), 1), "jpeg": quality}


def capture(img: np.ndarray, kind: str, seed, *, dpi: float = 600.0):
    """``(image, homography master -> capture, params)`` of a ``flat``, ``scan`` or ``phone`` capture."""
    if kind not in KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {KINDS}")
    if kind == "flat":
        return img.copy(), np.eye(3), {"kind": "flat"}
    rng = np.random.default_rng(seed)
    return (_scan if kind == "scan" else _phone)(img, rng, dpi)
