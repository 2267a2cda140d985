"""The devices of a simulated capture: a flatbed scanner and a phone camera.

Each takes the master images (one per light, template geometry, uint8 RGB)
and returns the captured images, the template-to-image homography and the
parameters drawn from the seed. Artefacts come from the real mechanisms where
that is cheap (resampling, a JPEG round trip through the codec) and from smooth
models otherwise (lighting, noise). See :func:`docexam.synth.capture.simulate_capture`.
"""

from __future__ import annotations


import cv2
import numpy as np

from ..formats.lights import LIGHTS, MONOCHROME

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
    # a scanner's transparency unit: the lamp above the page, dark around it
    "transmitted": {"gain": (0.9, 1.0), "noise": (1.5, 3.0), "bed": (250, 250, 250)},
}
_PHONE_LIGHT = {
    "visible": {"gain": (0.8, 1.05), "noise": (2.0, 4.5), "highlight": (15, 45)},
    "uv": {"gain": (0.4, 0.6), "noise": (5.0, 9.0), "highlight": (3, 10)},
    "ir": {"gain": (0.65, 0.85), "noise": (3.0, 6.0), "highlight": (8, 25)},
    # the page held against a lamp: bright, little glare off the surface
    "transmitted": {"gain": (0.85, 1.0), "noise": (2.5, 5.0), "highlight": (0, 4)},
}


def _rng(seed: int, kind: str, light: str | None = None) -> np.random.Generator:
    # independent, stable streams: the geometry does not change when a light is added
    key = [int(seed), _KIND_CODE[kind]] + ([] if light is None else [_LIGHT_CODE[light] + 1])
    return np.random.default_rng(key)


def _centre_scale(s: float) -> np.ndarray:
    """``cv2.resize`` by ``s`` as a matrix: pixel centre ``x`` goes to ``(x + 0.5) s - 0.5``."""
    o = 0.5 * s - 0.5
    return np.array([[s, 0.0, o], [0.0, s, o], [0.0, 0.0, 1.0]])


def shrink(img: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
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
    if img.ndim == 2:  # a monochrome sensor: no colour noise
        noise = lum
    else:
        col = _noise_u8(rng, (-(-nh // 2), -(-nw // 2), 3), sigma * chroma)
        col = cv2.resize(col, (nw, nh), interpolation=cv2.INTER_LINEAR)
        noise = cv2.addWeighted(cv2.merge([lum, lum, lum]), 1.0, col, 1.0, -128.0)
    if cell > 1:
        noise = cv2.resize(noise, (w, h), interpolation=cv2.INTER_LINEAR)
    # computed exactly, saturated once: img + noise - 128
    return cv2.addWeighted(img, 1.0, noise, 1.0, -128.0)


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    """A real JPEG round trip (4:2:0, baseline; grey for a grey picture), so block and ringing artefacts are genuine."""
    grey = img.ndim == 2
    ok, buf = cv2.imencode(".jpg", img if grey else cv2.cvtColor(img, cv2.COLOR_RGB2BGR),
                           [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - the codec does not fail on a valid uint8 image
        raise RuntimeError("JPEG encoding failed")
    if grey:
        return cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    flag = getattr(cv2, "IMREAD_COLOR_RGB", None)  # OpenCV >= 4.10 decodes straight to RGB
    if flag is None:  # pragma: no cover - older OpenCV
        return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    return cv2.imdecode(buf, flag)


def _monochrome(light: str, img: np.ndarray) -> np.ndarray:
    """What a device's sensor records of ``light``: one grey channel for a monochrome light."""
    if light in MONOCHROME and img.ndim == 3:
        return cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    return img


def _as_given(picture: np.ndarray, img: np.ndarray) -> np.ndarray:
    """``picture`` with as many channels as the master ``img`` it was taken of (a grey one repeated)."""
    return cv2.merge([picture] * 3) if picture.ndim == 2 and img.ndim == 3 else picture


def _smooth_field(rng: np.random.Generator, shape: tuple[int, int], cells: tuple[int, int]) -> np.ndarray:
    """Smooth random field in [-1, 1] at the given low resolution (cubic upsampling of a coarse grid)."""
    coarse = rng.uniform(-1, 1, size=cells).astype(np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def _r(x: float, nd: int = 4) -> float:
    return round(float(x), nd)


# --------------------------------------------------------------------------
# scanner


def scan(images: dict, seed: int, dpi: int, w: int, h: int) -> tuple[dict, np.ndarray, dict]:
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
        master = img
        img = _monochrome(light, img)
        small, m = shrink(img, s)
        # the lid is a flat colour: the warp's constant border draws it, and
        # blends it into the page's outermost pixels as a real edge would
        bed = cfg["bed"][0] if img.ndim == 2 else cfg["bed"]
        frame = cv2.warpPerspective(small, hm @ np.linalg.inv(m), (out_w, out_h), flags=cv2.INTER_LINEAR,
                                    borderMode=cv2.BORDER_CONSTANT, borderValue=bed)
        if abs(gain - 1.0) > 1e-3:
            frame = cv2.convertScaleAbs(frame, alpha=gain)
        frame = cv2.GaussianBlur(frame, (0, 0), blur)
        frame = _add_noise(frame, lrng, sigma, cell=2, chroma=0.25, row_sigma=0.6)
        if use_jpeg:
            frame = _jpeg(frame, quality)
        return _as_given(frame, master), {"gain": _r(gain), "noise_sigma": _r(sigma)}

    lights = list(images)
    # one light after another: the library renders specimens side by side in processes, and
    # threads per light only competed with them (measured: 20 % more CPU per specimen)
    done = [one(lt, images[lt]) for lt in lights]
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


def rotation(axis: np.ndarray, angle: float) -> np.ndarray:
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


def phone(images: dict, seed: int, dpi: int, w: int, h: int) -> tuple[dict, np.ndarray, dict]:
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
    r = rotation([0, 0, 1], np.radians(roll)) @ rotation([np.cos(d), np.sin(d), 0], np.radians(tilt))
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
        master = img
        img = _monochrome(light, img)
        small, m = shrink(img, pre)
        if light == "visible":
            desk = scene_small
        elif light == "uv":  # under UV a desk is nearly black, a little violet
            desk = (scene_small.astype(np.float32) * np.array([0.12, 0.08, 0.22])).astype(np.uint8)
        else:  # in IR most colours look grey
            desk = cv2.cvtColor(scene_small, cv2.COLOR_RGB2GRAY)
            if img.ndim == 3:
                desk = cv2.merge([desk] * 3)
        frame = cv2.resize(desk, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
        frame = cv2.warpPerspective(small, hm @ np.linalg.inv(m), (out_w, out_h), dst=frame,
                                    flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT)
        # uneven light: multiplicative gradient and vignette, additive soft highlight
        mult = gain * (1.0 + ramp) * vig
        if img.ndim == 3:
            mult = mult[:, :, None] * wb[None, None, :].astype(np.float32)
        mult_u8 = np.clip(mult * 128.0, 0, 255).astype(np.uint8)
        frame = cv2.multiply(frame, cv2.resize(mult_u8, (out_w, out_h), interpolation=cv2.INTER_LINEAR),
                             scale=1 / 128.0)
        add_u8 = np.clip(hl * amp, 0, 255).astype(np.uint8)
        add_u8 = cv2.resize(add_u8, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
        frame = cv2.add(frame, add_u8 if img.ndim == 2 else cv2.merge([add_u8] * 3))
        # defocus plus a little shake along one axis (separable, so cheap)
        sx = np.hypot(defocus, motion if motion_axis == 0 else 0.0)
        sy = np.hypot(defocus, motion if motion_axis == 1 else 0.0)
        frame = cv2.GaussianBlur(frame, (0, 0), sigmaX=sx, sigmaY=sy)
        frame = _add_noise(frame, lrng, sigma, cell=2, chroma=0.5)
        frame = _jpeg(frame, quality)
        return _as_given(frame, master), {"gain": _r(gain), "noise_sigma": _r(sigma), "highlight": _r(amp)}

    lights = list(images)
    done = [one(lt, images[lt]) for lt in lights]
    params = {
        "kind": "phone", "seed": int(seed), "master_dpi": int(dpi), "scale": _r(scale, 6),
        "tilt_deg": _r(tilt), "tilt_axis_deg": _r(tilt_dir), "rotation_deg": _r(roll),
        "focal_px": _r(f, 2), "fov_deg": _r(fov, 2), "defocus_sigma_px": _r(defocus),
        "motion_sigma_px": _r(motion), "motion_axis": "xy"[motion_axis], "jpeg_quality": quality,
        "light_gradient": _r(grad), "vignette": _r(vignette), "size_px": [out_w, out_h],
        "lights": {lt: p for lt, (_, p) in zip(lights, done)},
    }
    return {lt: img for lt, (img, _) in zip(lights, done)}, hm, params

