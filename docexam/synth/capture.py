"""Simulated captures of a rendered document: flat, scanner and phone photo.

A specimen is rendered in template geometry (the "master", 600 dpi). A
trainee, or the examination pipeline, rarely sees that: documents arrive as
flatbed scans or phone photos. :func:`simulate_capture` turns the master
images (one per light source) into such a capture and returns the exact
homography from template pixels to captured pixels, which is the ground
truth for registration (:mod:`docexam.examine.register` is its inverse).

Every random choice comes from ``seed``: the same arguments give the same
bytes. Artefacts are produced by the real mechanisms where that is cheap
(resampling, a JPEG round trip through the codec) and by smooth models
otherwise (lighting, noise).

Conventions: pixel centres are at integer coordinates, as in OpenCV, so a
homography maps the centre of template pixel ``(x, y)`` to the point where
that pixel's content lands in the capture.
"""


from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ..formats.lights import LIGHTS
from ..formats.specimen import CAPTURE_KINDS
from .demo import demo_document
from .devices import (PHONE_JPEG_QUALITY, PHONE_MAX_ROTATION_DEG, PHONE_MAX_TILT_DEG, PHONE_SCALE,
                      SCAN_DPI, SCAN_JPEG_QUALITY, SCAN_MAX_ROTATION_DEG, phone, rotation, scan, shrink)

__all__ = ["Capture", "CAPTURE_KINDS", "PHONE_JPEG_QUALITY", "PHONE_MAX_ROTATION_DEG", "PHONE_MAX_TILT_DEG",
           "PHONE_SCALE", "SCAN_DPI", "SCAN_JPEG_QUALITY", "SCAN_MAX_ROTATION_DEG", "camera_view", "demo_document",
           "simulate_capture"]



@dataclass(frozen=True)
class Capture:
    """A simulated capture.

    Attributes
    ----------
    images : dict of str to ndarray
        The captured images, uint8 RGB, one per light (same keys as given).
    homography : ndarray, shape (3, 3), float64
        Maps template pixel coordinates to captured image coordinates.
    params : dict
        JSON-serialisable description of what was done (the specimen
        sidecar's ``capture``): ``kind``, ``seed`` and the values drawn.
    """

    images: dict
    homography: np.ndarray
    params: dict = field(default_factory=dict)


def _check(images, kind, seed, dpi) -> tuple[int, int]:
    if kind not in CAPTURE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(CAPTURE_KINDS)}, got {kind!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, np.integer)) or not 50 <= dpi <= 4800:
        raise ValueError(f"dpi must be an integer between 50 and 4800, got {dpi!r}")
    if not isinstance(images, dict) or not images:
        raise ValueError(f"images must be a non-empty dict mapping a light ({', '.join(LIGHTS)}) to an image")
    shape = None
    for light, img in images.items():
        if light not in LIGHTS:
            raise ValueError(f"images has an unknown light {light!r} (known: {', '.join(LIGHTS)})")
        if not isinstance(img, np.ndarray) or img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
            what = f"{img.dtype} array of shape {img.shape}" if isinstance(img, np.ndarray) else type(img).__name__
            raise ValueError(f"images[{light!r}] must be a uint8 RGB array (H, W, 3), got {what}")
        if shape is not None and img.shape != shape:
            raise ValueError(f"images[{light!r}] has shape {img.shape}, the other lights {shape}: "
                             "all lights must be in the same template geometry")
        shape = img.shape
        if min(shape[:2]) < 16:
            raise ValueError(f"images[{light!r}] is too small ({shape[1]}x{shape[0]})")
    return shape[1], shape[0]



# --------------------------------------------------------------------------
# the public call


def simulate_capture(images: dict, *, kind: str, seed: int, dpi: int = 600) -> Capture:
    """Simulate how a device captures a document rendered in template geometry.

    Parameters
    ----------
    images : dict of str to ndarray
        Maps a light (``"visible"``, ``"uv"``, ``"ir"``) to a uint8 RGB image
        (H, W, 3) in template geometry; all the same size. Not modified.
    kind : {"flat", "scan", "phone"}
        ``flat``: unchanged, identity homography. ``scan``: flatbed scan,
        rotation within ±3°, 300–600 dpi, slight blur, scanner noise, light
        lid around the page, JPEG (quality 85–95) or lossless. ``phone``:
        perspective tilt up to 20° out of plane, in-plane rotation within
        ±15°, page at 0.5–1.0 of the master's resolution on a desk, uneven
        light with a soft highlight, defocus and shake, sensor noise, JPEG
        70–92. Every light gets the same pose and its own lighting.
    seed : int
        Non-negative; the same arguments give identical bytes.
    dpi : int, optional
        Resolution of the master images (600 for docexam's templates).

    Returns
    -------
    Capture
        The captured images, the template-to-capture homography and the
        parameters drawn (JSON-serialisable).

    Raises
    ------
    ValueError
        Naming the parameter, when an argument is malformed.

    Examples
    --------
    >>> doc = demo_document(size=(600, 420))
    >>> cap = simulate_capture({"visible": doc}, kind="scan", seed=3)
    >>> cap.params["kind"], 300 <= cap.params["dpi"] <= 600
    ('scan', True)
    >>> cap.images["visible"].shape == (cap.params["size_px"][1], cap.params["size_px"][0], 3)
    True
    >>> flat = simulate_capture({"visible": doc}, kind="flat", seed=0)
    >>> bool((flat.images["visible"] == doc).all()), flat.homography.tolist() == np.eye(3).tolist()
    (True, True)
    """
    w, h = _check(images, kind, seed, dpi)
    if kind == "flat":
        return Capture({lt: img.copy() for lt, img in images.items()}, np.eye(3),
                       {"kind": "flat", "seed": int(seed), "master_dpi": int(dpi), "size_px": [w, h]})
    fn = scan if kind == "scan" else phone
    out, hm, params = fn(images, int(seed), int(dpi), w, h)
    hm = hm / hm[2, 2]
    params["homography"] = [[float(v) for v in row] for row in hm]
    return Capture(out, hm, params)


def camera_view(image: np.ndarray, *, rotation_deg: float = 0.0, tilt_deg: float = 0.0,
                tilt_axis_deg: float = 0.0, scale: float = 1.0, margin: float = 0.1,
                background: tuple[int, int, int] = (96, 90, 80)) -> tuple[np.ndarray, np.ndarray]:
    """An ideal pinhole-camera view of a page: pose only, no blur, noise or codec.

    For known-answer tests and benchmarks of registration at chosen poses
    (any rotation, tilt, scale), where :func:`simulate_capture` draws them.

    Parameters
    ----------
    image : ndarray
        The page in template geometry (uint8, gray or RGB). Not modified.
    rotation_deg : float, optional
        In-plane rotation (any angle).
    tilt_deg, tilt_axis_deg : float, optional
        Out-of-plane tilt, below 80°, about an in-plane axis at this angle.
    scale : float, optional
        Magnification at the page centre, in (0, 4].
    margin : float, optional
        Background around the page, as a fraction of its extent on each side.
    background : tuple of int, optional
        Colour of the background.

    Returns
    -------
    view : ndarray
        The picture.
    homography : ndarray, shape (3, 3)
        Template pixel coordinates to picture coordinates.

    Examples
    --------
    >>> page = demo_document(size=(300, 211))
    >>> view, hm = camera_view(page, rotation_deg=180, scale=0.5, margin=0.0)
    >>> view.shape
    (106, 150, 3)
    """
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise ValueError("image must be a uint8 gray or RGB array")
    if not 0.0 < scale <= 4.0:
        raise ValueError(f"scale must be in (0, 4], got {scale!r}")
    if not 0.0 <= abs(tilt_deg) < 80.0:
        raise ValueError(f"tilt_deg must be below 80, got {tilt_deg!r}")
    if not 0.0 <= margin <= 2.0:
        raise ValueError(f"margin must be in [0, 2], got {margin!r}")
    h, w = image.shape[:2]
    d = np.radians(tilt_axis_deg)
    r = rotation([0, 0, 1], np.radians(rotation_deg)) @ rotation([np.cos(d), np.sin(d), 0], np.radians(tilt_deg))
    f = 1.2 * w * scale
    centre = np.array([[1.0, 0, -(w - 1) / 2], [0, 1.0, -(h - 1) / 2], [0, 0, 1.0]])
    hm = np.diag([f, f, 1.0]) @ np.c_[r[:, 0], r[:, 1], [0.0, 0.0, f / scale]] @ centre
    hm /= hm[2, 2]
    corners = np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]])
    q = corners @ hm[:2, :2].T + hm[:2, 2]
    q = q / (corners @ hm[2, :2] + hm[2, 2])[:, None]
    lo, hi = q.min(axis=0), q.max(axis=0)
    shift = (hi - lo) * margin - lo - 0.5
    hm = np.array([[1.0, 0, shift[0]], [0, 1.0, shift[1]], [0, 0, 1.0]]) @ hm
    size = tuple(int(v) for v in np.ceil((hi - lo) * (1 + 2 * margin)))
    small, m = shrink(image, min(1.0, scale * 1.25))
    border = tuple(int(v) for v in background)
    view = cv2.warpPerspective(small, hm @ np.linalg.inv(m), size, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return view, hm


