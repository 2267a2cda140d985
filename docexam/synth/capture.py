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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import cv2
import numpy as np

from ..formats.lights import LIGHTS
from ..formats.specimen import CAPTURE_KINDS

__all__ = ["Capture", "CAPTURE_KINDS", "simulate_capture", "camera_view", "demo_document"]

_KIND_CODE = {"flat": 0, "scan": 1, "phone": 2}
_LIGHT_CODE = {light: i for i, light in enumerate(LIGHTS)}  # a new light appended keeps every seed

#: ranges of the random choices, exported so tests and docs can refer to them
SCAN_DPI = (300, 600)
SCAN_MAX_ROTATION_DEG = 3.0
SCAN_JPEG_QUALITY = (85, 95)
PHONE_MAX_TILT_DEG = 20.0
PHONE_MAX_ROTATION_DEG = 15.0
PHONE_SCALE = (0.5, 1.0)
PHONE_JPEG_QUALITY = (70, 92)

# How each light source looks to the device. UV pictures are dim (the lamp is
# weak and only fluorescence is seen) and noisy (high gain); IR pictures are a
# little dim. Background colours are a light scanner lid / a desk under that light.
_SCAN_LIGHT = {
    "visible": {"gain": (0.97, 1.03), "noise": (1.2, 2.5), "bed": (238, 238, 234)},
    "uv": {"gain": (0.55, 0.75), "noise": (3.0, 5.0), "bed": (28, 20, 48)},
    "ir": {"gain": (0.8, 0.95), "noise": (2.0, 3.5), "bed": (205, 205, 205)},
}
_PHONE_LIGHT = {
    "visible": {"gain": (0.8, 1.05), "noise": (2.0, 4.5), "highlight": (15, 45)},
    "uv": {"gain": (0.4, 0.6), "noise": (5.0, 9.0), "highlight": (3, 10)},
    "ir": {"gain": (0.65, 0.85), "noise": (3.0, 6.0), "highlight": (8, 25)},
}


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


# --------------------------------------------------------------------------
# validation and helpers


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


def _rng(seed: int, kind: str, light: str | None = None) -> np.random.Generator:
    # independent, stable streams: the geometry does not change when a light is added
    key = [int(seed), _KIND_CODE[kind]] + ([] if light is None else [_LIGHT_CODE[light] + 1])
    return np.random.default_rng(key)


def _centre_scale(s: float) -> np.ndarray:
    """``cv2.resize`` by ``s`` as a matrix: pixel centre ``x`` goes to ``(x + 0.5) s - 0.5``."""
    o = 0.5 * s - 0.5
    return np.array([[s, 0.0, o], [0.0, s, o], [0.0, 0.0, 1.0]])


def _shrink(img: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
    """Prepare ``img`` to be resampled at about ``s`` times its resolution.

    Returns the image to sample from and the matrix from the original's
    coordinates to its coordinates (identity here). A Gaussian low-pass of
    ``0.5 sqrt(1/s^2 - 1)`` pixels stands in for the optics' averaging, so
    the warp that follows does not alias fine line work into moiré; it costs
    a quarter of an area-averaging resize at a fractional factor.
    """
    if s >= 0.95:
        return img, np.eye(3)
    sigma = 0.5 * np.sqrt(1.0 / (s * s) - 1.0)
    return cv2.GaussianBlur(img, (0, 0), sigma), np.eye(3)


def _noise_u8(rng: np.random.Generator, shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """Zero-mean noise of standard deviation ``sigma``, offset to 128, as uint8.

    The difference of two uniform bytes is triangular, which after the
    interpolation and the JPEG round trip that follow is indistinguishable
    from Gaussian noise, and costs a byte per sample instead of a float.
    """
    a = rng.integers(0, 256, size=shape, dtype=np.uint8)
    b = rng.integers(0, 256, size=shape, dtype=np.uint8)
    k = sigma / (255.0 / np.sqrt(6.0))  # the triangular's standard deviation is 255/sqrt(6)
    # one saturating pass: 128 + k (a - b)
    return cv2.addWeighted(a, k, b, -k, 128.0)


def _add_noise(img: np.ndarray, rng: np.random.Generator, sigma: float, *, cell: int = 2,
               chroma: float = 0.35, row_sigma: float = 0.0) -> np.ndarray:
    """Add zero-mean noise of about ``sigma`` grey levels.

    The noise is drawn on a grid of ``cell`` pixels and interpolated: after
    demosaicking, in-device denoising and resampling, capture noise is
    correlated over a couple of pixels anyway, and it makes the noise several
    times cheaper. Chroma noise is weaker and coarser than luminance noise.
    ``row_sigma`` adds a per-row offset, the streaks of a scanner's line sensor.
    """
    h, w = img.shape[:2]
    nh, nw = -(-h // cell), -(-w // cell)
    lum = _noise_u8(rng, (nh, nw), sigma)
    if row_sigma > 0:
        rows = _noise_u8(rng, (nh, 1), row_sigma)
        lum = cv2.addWeighted(lum, 1.0, np.broadcast_to(rows, (nh, nw)).copy(), 1.0, -128.0)
    col = _noise_u8(rng, (-(-nh // 2), -(-nw // 2), 3), sigma * chroma)
    col = cv2.resize(col, (nw, nh), interpolation=cv2.INTER_LINEAR)
    noise = cv2.addWeighted(cv2.merge([lum, lum, lum]), 1.0, col, 1.0, -128.0)
    if cell > 1:
        noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_LINEAR)
    # computed exactly, saturated once: img + noise - 128
    return cv2.addWeighted(img, 1.0, noise, 1.0, -128.0)


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    """A real JPEG round trip (4:2:0, baseline), so block and ringing artefacts are genuine."""
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - the codec does not fail on a valid uint8 image
        raise RuntimeError("JPEG encoding failed")
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: tuple[int, int]) -> np.ndarray:
    """Smooth random field in [-1, 1] at the given low resolution (cubic upsampling of a coarse grid)."""
    coarse = rng.uniform(-1, 1, size=cells).astype(np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def _map(executor_items, fn):
    # the lights are independent: run them side by side (OpenCV and the JPEG
    # codec release the GIL), in a fixed order so results do not depend on timing
    items = list(executor_items)
    if len(items) == 1:
        return [fn(*items[0])]
    with ThreadPoolExecutor(max_workers=min(3, len(items))) as ex:
        return list(ex.map(lambda a: fn(*a), items))


def _r(x: float, nd: int = 4) -> float:
    return round(float(x), nd)


# --------------------------------------------------------------------------
# scanner


def _scan(images: dict, seed: int, dpi: int, w: int, h: int) -> tuple[dict, np.ndarray, dict]:
    rng = _rng(seed, "scan")
    out_dpi = int(rng.integers(SCAN_DPI[0], SCAN_DPI[1] + 1))
    s = out_dpi / dpi
    angle = float(rng.uniform(-SCAN_MAX_ROTATION_DEG, SCAN_MAX_ROTATION_DEG))
    # margins of scanner bed around the page: 2-8 mm each side, a little uneven
    margins = rng.uniform(2.0, 8.0, size=4) * out_dpi / 25.4  # left, top, right, bottom
    blur = float(rng.uniform(0.35, 0.8))
    use_jpeg = bool(rng.random() < 0.6)
    quality = int(rng.integers(SCAN_JPEG_QUALITY[0], SCAN_JPEG_QUALITY[1] + 1)) if use_jpeg else None

    # template -> scan: scale (pixel-centre aware), rotate about the origin, then shift into the frame
    a = np.radians(angle)
    rot = np.array([[np.cos(a), -np.sin(a), 0.0], [np.sin(a), np.cos(a), 0.0], [0.0, 0.0, 1.0]])
    hm = rot @ _centre_scale(s)
    corners = np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]])
    q = corners @ hm[:2, :2].T + hm[:2, 2]
    x0, y0 = q.min(axis=0) - margins[:2]
    x1, y1 = q.max(axis=0) + margins[2:]
    hm = np.array([[1.0, 0, -x0 - 0.5], [0, 1.0, -y0 - 0.5], [0, 0, 1.0]]) @ hm
    out_w, out_h = int(np.ceil(x1 - x0)), int(np.ceil(y1 - y0))

    def one(light, img):
        lrng = _rng(seed, "scan", light)
        cfg = _SCAN_LIGHT[light]
        gain = float(lrng.uniform(*cfg["gain"]))
        sigma = float(lrng.uniform(*cfg["noise"]))
        small, m = _shrink(img, s)
        # the lid is a flat colour: the warp's constant border draws it, and
        # blends it into the page's outermost pixels as a real edge would
        frame = cv2.warpPerspective(small, hm @ np.linalg.inv(m), (out_w, out_h), flags=cv2.INTER_LINEAR,
                                    borderMode=cv2.BORDER_CONSTANT, borderValue=cfg["bed"])
        if abs(gain - 1.0) > 1e-3:
            frame = cv2.convertScaleAbs(frame, alpha=gain)
        frame = cv2.GaussianBlur(frame, (0, 0), blur)
        frame = _add_noise(frame, lrng, sigma, cell=2, chroma=0.25, row_sigma=0.6)
        if use_jpeg:
            frame = _jpeg(frame, quality)
        return frame, {"gain": _r(gain), "noise_sigma": _r(sigma)}

    lights = list(images)
    done = _map([(lt, images[lt]) for lt in lights], one)
    params = {
        "kind": "scan", "seed": int(seed), "master_dpi": int(dpi), "dpi": out_dpi, "scale": _r(s, 6),
        "rotation_deg": _r(angle), "margins_px": [_r(v, 1) for v in margins],
        "blur_sigma_px": _r(blur), "codec": "jpeg" if use_jpeg else "png",
        "jpeg_quality": quality, "size_px": [out_w, out_h],
        "lights": {lt: p for lt, (_, p) in zip(lights, done)},
    }
    return {lt: img for lt, (img, _) in zip(lights, done)}, hm, params


# --------------------------------------------------------------------------
# phone


def _rotation(axis: np.ndarray, angle: float) -> np.ndarray:
    r, _ = cv2.Rodrigues((np.asarray(axis, float) * angle).reshape(3, 1))
    return r


def _scene(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """A desk seen from above: a base colour with wood-like streaks and blotches (low resolution)."""
    h, w = shape
    palettes = [(150, 110, 75), (185, 150, 110), (95, 70, 50), (120, 120, 125), (200, 200, 195), (60, 62, 70)]
    base = np.array(palettes[int(rng.integers(len(palettes)))], np.float32) * rng.uniform(0.9, 1.1)
    # streaks: noise stretched along one axis, then a random in-plane angle
    streak = rng.standard_normal((h, max(2, w // 24))).astype(np.float32)
    streak = cv2.resize(streak, (w, h), interpolation=cv2.INTER_CUBIC)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.uniform(0, 180)), 1.5)
    streak = cv2.warpAffine(streak, m, (w, h), borderMode=cv2.BORDER_REFLECT)
    blotch = _smooth_field(rng, (h, w), (4, 5))
    fine = rng.standard_normal((h, w)).astype(np.float32)
    tex = 0.08 * streak + 0.06 * blotch + 0.03 * fine
    return np.clip(base[None, None, :] * (1.0 + tex[:, :, None]), 0, 255).astype(np.uint8)


def _phone(images: dict, seed: int, dpi: int, w: int, h: int) -> tuple[dict, np.ndarray, dict]:
    rng = _rng(seed, "phone")
    scale = float(rng.uniform(*PHONE_SCALE))
    tilt = float(PHONE_MAX_TILT_DEG * np.sqrt(rng.random()))  # favours visible tilts over tiny ones
    tilt_dir = float(rng.uniform(0, 360))
    roll = float(rng.uniform(-PHONE_MAX_ROTATION_DEG, PHONE_MAX_ROTATION_DEG))
    fill = float(rng.uniform(0.72, 0.9))  # how much of the frame's width the page spans
    fov = float(rng.uniform(62, 75))  # horizontal field of view of a phone's main camera

    # 3-D pose: the page lies in z=0 centred on the optical axis, rotated by the
    # tilt (about an in-plane axis) and the roll (about the optical axis), at a
    # distance where the centre of the page is imaged at `scale` pixels per
    # template pixel. Pinhole projection of the plane is the homography.
    d = np.radians(tilt_dir)
    r = _rotation([0, 0, 1], np.radians(roll)) @ _rotation([np.cos(d), np.sin(d), 0], np.radians(tilt))
    span = w * scale / fill  # frame width in pixels, roughly
    f = 0.5 * span / np.tan(np.radians(fov) / 2)
    dist = f / scale
    centre = np.array([[1.0, 0, -(w - 1) / 2], [0, 1.0, -(h - 1) / 2], [0, 0, 1.0]])
    pose = np.c_[r[:, 0], r[:, 1], [0.0, 0.0, dist]]
    hm = np.array([[f, 0, 0], [0, f, 0], [0, 0, 1.0]]) @ pose @ centre
    hm /= hm[2, 2]
    corners = np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]])
    q = corners @ hm[:2, :2].T + hm[:2, 2]
    q = q[:, :2] / (corners @ hm[2, :2] + hm[2, 2])[:, None]
    bw, bh = q.max(axis=0) - q.min(axis=0)
    # a 4:3 landscape frame holding the page with `fill` of margin, page off-centre a little
    out_w = int(np.ceil(max(bw / fill, bh / fill * 4 / 3)))
    out_h = int(np.ceil(out_w * 3 / 4))
    slack = np.array([out_w - bw, out_h - bh])
    offset = slack * rng.uniform(0.25, 0.75, size=2) - q.min(axis=0)
    hm = np.array([[1.0, 0, offset[0]], [0, 1.0, offset[1]], [0, 0, 1.0]]) @ hm

    # optics and exposure shared by the lights (same shot, same shake)
    defocus = float(rng.uniform(0.5, 1.1))
    motion = float(rng.uniform(0.0, 0.8))
    motion_axis = int(rng.integers(2))
    quality = int(rng.integers(PHONE_JPEG_QUALITY[0], PHONE_JPEG_QUALITY[1] + 1))
    grad_dir = float(rng.uniform(0, 2 * np.pi))
    grad = float(rng.uniform(0.05, 0.25))
    vignette = float(rng.uniform(0.1, 0.3))
    spot = (float(rng.uniform(0.15, 0.85)), float(rng.uniform(0.15, 0.85)), float(rng.uniform(0.12, 0.3)))
    scene_seed = int(rng.integers(2 ** 31))
    # the page's local magnification is at most ~1.2x the centre's at 20 degrees:
    # pre-shrink to that so the perspective warp never needs to decimate
    pre = min(1.0, scale * 1.25)

    # lighting fields at low resolution, upsampled: they are smooth by nature
    lw_, lh_ = max(8, out_w // 16), max(6, out_h // 16)
    yy, xx = np.mgrid[0:lh_, 0:lw_].astype(np.float32)
    xn, yn = xx / (lw_ - 1) - 0.5, yy / (lh_ - 1) - 0.5
    ramp = grad * (np.cos(grad_dir) * xn + np.sin(grad_dir) * yn) * 2
    vig = 1.0 - vignette * (xn ** 2 + yn ** 2) * 2
    hl = np.exp(-((xn + 0.5 - spot[0]) ** 2 + (yn + 0.5 - spot[1]) ** 2) / (2 * spot[2] ** 2))
    scene_small = _scene(np.random.default_rng(scene_seed), (max(16, out_h // 4), max(16, out_w // 4)))

    def one(light, img):
        lrng = _rng(seed, "phone", light)
        cfg = _PHONE_LIGHT[light]
        gain = float(lrng.uniform(*cfg["gain"]))
        sigma = float(lrng.uniform(*cfg["noise"]))
        amp = float(lrng.uniform(*cfg["highlight"]))
        wb = lrng.uniform(0.94, 1.06, size=3) if light == "visible" else np.ones(3)
        small, m = _shrink(img, pre)
        if light == "visible":
            desk = scene_small
        elif light == "uv":  # under UV a desk is nearly black, a little violet
            desk = (scene_small.astype(np.float32) * np.array([0.12, 0.08, 0.22])).astype(np.uint8)
        else:  # in IR most colours look grey
            g = cv2.cvtColor(scene_small, cv2.COLOR_RGB2GRAY)
            desk = np.repeat(g[:, :, None], 3, axis=2)
        frame = cv2.resize(desk, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
        frame = cv2.warpPerspective(small, hm @ np.linalg.inv(m), (out_w, out_h), dst=frame,
                                    flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT)
        # uneven light: multiplicative gradient and vignette, additive soft highlight
        mult = (gain * (1.0 + ramp) * vig)[:, :, None] * wb[None, None, :].astype(np.float32)
        mult_u8 = np.clip(mult * 128.0, 0, 255).astype(np.uint8)
        frame = cv2.multiply(frame, cv2.resize(mult_u8, (out_w, out_h), interpolation=cv2.INTER_LINEAR),
                             scale=1 / 128.0)
        add_u8 = np.clip(hl * amp, 0, 255).astype(np.uint8)
        add_u8 = cv2.resize(np.repeat(add_u8[:, :, None], 3, axis=2), (out_w, out_h), interpolation=cv2.INTER_LINEAR)
        frame = cv2.add(frame, add_u8)
        # defocus plus a little shake along one axis (separable, so cheap)
        sx = np.hypot(defocus, motion if motion_axis == 0 else 0.0)
        sy = np.hypot(defocus, motion if motion_axis == 1 else 0.0)
        frame = cv2.GaussianBlur(frame, (0, 0), sigmaX=sx, sigmaY=sy)
        frame = _add_noise(frame, lrng, sigma, cell=2, chroma=0.5)
        frame = _jpeg(frame, quality)
        return frame, {"gain": _r(gain), "noise_sigma": _r(sigma), "highlight": _r(amp)}

    lights = list(images)
    done = _map([(lt, images[lt]) for lt in lights], one)
    params = {
        "kind": "phone", "seed": int(seed), "master_dpi": int(dpi), "scale": _r(scale, 6),
        "tilt_deg": _r(tilt), "tilt_axis_deg": _r(tilt_dir), "rotation_deg": _r(roll),
        "focal_px": _r(f, 2), "fov_deg": _r(fov, 2), "defocus_sigma_px": _r(defocus),
        "motion_sigma_px": _r(motion), "motion_axis": "xy"[motion_axis], "jpeg_quality": quality,
        "light_gradient": _r(grad), "vignette": _r(vignette), "size_px": [out_w, out_h],
        "lights": {lt: p for lt, (_, p) in zip(lights, done)},
    }
    return {lt: img for lt, (img, _) in zip(lights, done)}, hm, params


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
    fn = _scan if kind == "scan" else _phone
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
    r = _rotation([0, 0, 1], np.radians(rotation_deg)) @ _rotation([np.cos(d), np.sin(d), 0], np.radians(tilt_deg))
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
    small, m = _shrink(image, min(1.0, scale * 1.25))
    border = tuple(int(v) for v in background)
    view = cv2.warpPerspective(small, hm @ np.linalg.inv(m), size, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return view, hm


# --------------------------------------------------------------------------
# a document-like picture for examples and tests


def demo_document(size: tuple[int, int] = (2953, 2079), *, seed: int = 0, personalized: bool = False,
                  design: int = 0) -> np.ndarray:
    """A document-like test picture: wave bands, a rosette, an emblem, labels.

    Not a template (the real ones live in ``specimens/templates``); it exists
    so capture and registration can be exercised and documented without
    them. With ``personalized=True`` it carries a drawn "portrait", field
    values and two MRZ-like lines, which a blank reference lacks.

    Parameters
    ----------
    size : tuple of int, optional
        ``(width, height)``; the default is a 600 dpi TD3 data page.
    seed : int, optional
        Chooses the paper grain and the personal data.
    personalized : bool, optional
        Add a holder's portrait, data and MRZ.
    design : int, optional
        0 for the usual layout; another number gives a different "document
        type" (other line work, rosette and labels), which must not register
        to design 0.

    Returns
    -------
    ndarray
        uint8 RGB image of shape (height, width, 3).

    Examples
    --------
    >>> demo_document(size=(300, 211)).shape
    (211, 300, 3)
    """
    try:
        W, H = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height), got {size!r}") from None
    if W < 64 or H < 64:
        raise ValueError(f"size must be at least 64x64, got {size!r}")
    rng = np.random.default_rng([int(seed), 77])
    # the design's own numbers: the same for every seed of one design
    drng = np.random.default_rng([int(design), 78])
    f1, f2, ph = (0.11, 0.037, 0.35) if design == 0 else (drng.uniform(0.05, 0.2), drng.uniform(0.02, 0.06),
                                                           drng.uniform(0.1, 1.0))
    ros = (0.72, 0.55, 7, 3) if design == 0 else (drng.uniform(0.3, 0.7), drng.uniform(0.35, 0.65),
                                                   int(drng.integers(4, 12)), int(drng.integers(2, 6)))
    s = W / 2953.0
    lw = max(1, int(round(2 * s)))
    grain = rng.integers(-6, 7, size=(H // 4 + 1, W // 4 + 1)).astype(np.float32)
    grain = cv2.resize(grain, (W, H), interpolation=cv2.INTER_LINEAR)
    img = np.clip(np.array([236, 232, 218], np.float32) + grain[:, :, None], 0, 255).astype(np.uint8)
    # wave bands of fine lines with a slowly changing colour (split-duct-like)
    x = np.arange(0, W, max(1, int(2 * s)), dtype=np.float64)
    for k in range(60):
        y0 = H * 0.08 + k * H * 0.013
        amp = H * 0.02 * (1 + 0.5 * np.sin(k * 0.7))
        y = y0 + amp * np.sin(2 * np.pi * x / (W * f1) + k * ph) \
            + 0.3 * amp * np.sin(2 * np.pi * x / (W * f2) + k)
        col = (int(120 + 100 * np.sin(k * 0.2)), int(110 + 80 * np.cos(k * 0.15)), 180)
        cv2.polylines(img, [np.stack([x, y], 1).round().astype(np.int32)], False, col, lw, cv2.LINE_AA)
    # a rosette
    cx, cy, rad = int(W * ros[0]), int(H * ros[1]), H * 0.28
    t = np.linspace(0, 2 * np.pi, 4000)
    for k in range(24):
        rr = rad * (0.55 + 0.4 * np.cos(ros[2] * t + k * 2 * np.pi / 24) * np.sin(ros[3] * t))
        pts = np.stack([cx + rr * np.cos(t + k * 0.05), cy + rr * np.sin(t + k * 0.05)], 1)
        cv2.polylines(img, [pts.round().astype(np.int32)], True, (90, 150, 120 + 5 * k), lw, cv2.LINE_AA)
    # frame, emblem, title, field labels, microprint
    m = int(20 * s)
    cv2.rectangle(img, (m, m), (W - m, H - m), (60, 70, 120), max(1, int(6 * s)))
    ex, ey = (int(W * 0.9), int(H * 0.15)) if design == 0 else (int(W * 0.1), int(H * 0.85))
    cv2.circle(img, (ex, ey), int(120 * s), (40, 60, 140), max(1, int(8 * s)), cv2.LINE_AA)
    ang = np.linspace(0, 2 * np.pi, 10, endpoint=False) - np.pi / 2
    rad_s = 100 * s * np.where(np.arange(10) % 2 == 0, 1.0, 0.45)
    star = np.stack([ex + rad_s * np.cos(ang), ey + rad_s * np.sin(ang)], 1).round().astype(np.int32)
    cv2.fillPoly(img, [star], (40, 60, 140), cv2.LINE_AA)
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(img, "UTOPIA  PASSPORT  PASSEPORT" if design == 0 else "REPUBLIC OF NOWHERE  IDENTITY", (int(W * 0.3), int(H * 0.06)), font, 2.2 * s,
                (30, 40, 90), max(1, int(4 * s)), cv2.LINE_AA)
    labels = ["Type/Type", "Code/Code", "Surname/Nom", "Given names/Prenoms", "Nationality",
              "Date of birth", "Sex", "Place of birth", "Date of issue", "Authority", "Date of expiry"]
    lx = 0.33
    if design != 0:
        labels = [lab.upper()[::-1] for lab in labels]
        lx = 0.5
    for i, lab in enumerate(labels):
        cv2.putText(img, lab, (int(W * lx), int(H * (0.18 + 0.05 * i))), font, 0.9 * s, (60, 60, 60),
                    max(1, int(2 * s)), cv2.LINE_AA)
    for j in range(3):
        cv2.putText(img, "UTOPIA" * 24, (int(W * 0.05), int(H * (0.75 + 0.01 * j))), font, 0.35 * s,
                    (80, 50, 50), 1, cv2.LINE_AA)
    px0, py0, px1, py1 = int(W * 0.04), int(H * 0.18), int(W * 0.29), int(H * 0.72)
    cv2.rectangle(img, (px0, py0), (px1, py1), (200, 200, 200), 1)
    if personalized:
        cv2.rectangle(img, (px0, py0), (px1, py1), (170, 180, 190), -1)
        fc = ((px0 + px1) // 2, (py0 + py1) // 2)
        cv2.ellipse(img, fc, (int((px1 - px0) * 0.3), int((py1 - py0) * 0.35)), 0, 0, 360, (150, 170, 210), -1,
                    cv2.LINE_AA)
        cv2.ellipse(img, (fc[0], py1), (int((px1 - px0) * 0.45), int((py1 - py0) * 0.2)), 0, 180, 360,
                    (50, 60, 90), -1, cv2.LINE_AA)
        letters = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for i in range(len(labels)):
            word = "".join(rng.choice(letters, size=int(rng.integers(4, 14))))
            cv2.putText(img, word, (int(W * lx), int(H * (0.205 + 0.05 * i))), font, 1.3 * s, (20, 20, 20),
                        max(1, int(3 * s)), cv2.LINE_AA)
        for j in range(2):
            line = "".join(rng.choice(letters + list("0123456789<"), size=44))
            cv2.putText(img, line, (int(W * 0.04), int(H * (0.86 + 0.07 * j))), cv2.FONT_HERSHEY_PLAIN,
                        4.6 * s, (10, 10, 10), max(1, int(5 * s)), cv2.LINE_AA)
    return img
