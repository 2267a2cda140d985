"""Aligned image versus reference: photometry, blur and local conformity maps.

These are the measurements every analyzer shares, computed once per document
at the working resolution (see :mod:`docexam.examine.model`):

* :func:`warp_views` resamples each light's capture into template geometry
  at working resolution (area pre-shrink first, so a 600 dpi scan is not
  aliased), and :func:`warp_crop` gives small full-resolution crops;
* :func:`normalise_light` divides out the capture's uneven lighting and
  white balance (a smooth gain field fitted where the reference is printed
  design, not personalization), so the aligned image of a genuine document
  matches its reference up to blur and noise;
* :func:`estimate_blur` finds the Gaussian blur that turns the reference into
  the capture (scanner optics, phone defocus);
* :func:`conformity_maps` compares, window by window, the fine structure of
  the image with the blur-matched reference structure: the *gain* (1 where
  the design is intact, near 0 where it was erased, reprinted blurred or is
  missing), the *correlation* and the *excess* texture that the reference
  does not explain (copier dots, roughened paper, foreign print).

Why these and not a plain difference: another holder's data, capture blur,
lighting and JPEG all make a plain difference large on genuine documents.
The gain is a regression coefficient, so a portrait or text printed over the
design (uncorrelated with it) does not bias it; lighting is divided out; blur
is matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from .model import ReferenceModel, highpass, luminance, scale_matrix, to_float

__all__ = ["Views", "warp_views", "warp_crop", "capture_scale", "normalise_light", "estimate_blur",
           "Maps", "conformity_maps"]

#: window of the local statistics, in working pixels (about 2 mm at 300 dpi)
WINDOW = 23


def capture_scale(homography: np.ndarray, template_size: tuple[int, int]) -> float:
    """Capture pixels per template pixel at the middle of the template."""
    inv = np.linalg.inv(homography)
    w, h = template_size
    c = np.array([[w / 2, h / 2], [w / 2 + 1, h / 2], [w / 2, h / 2 + 1]], float)
    q = np.c_[c, np.ones(3)] @ inv.T
    q = q[:, :2] / q[:, 2:3]
    return float(np.sqrt(abs(np.linalg.det(np.c_[q[1] - q[0], q[2] - q[0]]))))


@dataclass
class Views:
    """Per light, the capture in working geometry (float32 RGB in [0, 1])."""

    work: dict
    #: capture pixels per template pixel
    capture_scale: float
    #: image-to-template homography (template pixels)
    homography: np.ndarray
    #: working pixels that the capture covers
    covered: np.ndarray
    #: light -> the same warped capture as uint8 RGB (for the report's aligned images)
    raw: dict = field(default_factory=dict)


def warp_views(images: dict, homography: np.ndarray, model: ReferenceModel) -> Views:
    """Warp each light's capture to the working geometry of ``model``.

    Parameters
    ----------
    images : dict
        Light -> uint8 RGB capture (not modified).
    homography : ndarray (3, 3)
        Image-to-template homography.
    model : ReferenceModel
    """
    c = capture_scale(homography, model.template.size_px)
    to_work = model.to_work_matrix @ homography
    # shrink the capture first when it is much finer than the working grid:
    # bilinear warping would alias (a 600 dpi scan onto a 300 dpi grid)
    ratio = model.scale / max(c, 1e-6)
    out, raw = {}, {}
    covered = None
    # only the part of the capture that maps into the template is resampled
    # (a flatbed scan shows the scanner bed around the page)
    W, H = model.size
    corners = np.array([[-1, -1, 1], [W, -1, 1], [W, H, 1], [-1, H, 1]], float) @ np.linalg.inv(to_work).T
    corners = corners[:, :2] / corners[:, 2:3]
    for light, img in images.items():
        ih, iw = img.shape[:2]
        if np.all(np.isfinite(corners)):
            cx0 = int(np.clip(np.floor(corners[:, 0].min()) - 4, 0, iw - 1))
            cy0 = int(np.clip(np.floor(corners[:, 1].min()) - 4, 0, ih - 1))
            cx1 = int(np.clip(np.ceil(corners[:, 0].max()) + 5, cx0 + 1, iw))
            cy1 = int(np.clip(np.ceil(corners[:, 1].max()) + 5, cy0 + 1, ih))
        else:
            cx0, cy0, cx1, cy1 = 0, 0, iw, ih
        img = img[cy0:cy1, cx0:cx1]
        h_img = to_work @ np.array([[1.0, 0, cx0], [0, 1.0, cy0], [0, 0, 1.0]])
        base = h_img
        src = img
        if ratio < 0.9:
            k = int(round(1.0 / ratio))
            if k >= 2 and abs(k * ratio - 1.0) < 0.15:
                # an integer factor: OpenCV's block-average fast path (10x faster than a
                # fractional area resize); the warp then covers the small rest of the scale
                hh, ww = (img.shape[0] // k) * k, (img.shape[1] // k) * k
                img = img[:hh, :ww]
                size = (max(8, ww // k), max(8, hh // k))
            else:
                size = (max(8, int(round(img.shape[1] * ratio))), max(8, int(round(img.shape[0] * ratio))))
            src = cv2.resize(img, size, interpolation=cv2.INTER_AREA)
            fx, fy = size[0] / img.shape[1], size[1] / img.shape[0]
            shrink = np.array([[fx, 0, 0.5 * fx - 0.5], [0, fy, 0.5 * fy - 0.5], [0, 0, 1.0]])
            h_img = base @ np.linalg.inv(shrink)
        warped = cv2.warpPerspective(src, h_img, model.size, flags=cv2.INTER_LINEAR,
                                     borderMode=cv2.BORDER_REPLICATE)
        raw[light] = warped
        out[light] = to_float(warped)
        if covered is None:
            covered = _covered(src.shape[:2], h_img, model.size)
    return Views(out, c, homography, covered, raw)


def _covered(shape, h_img: np.ndarray, size) -> np.ndarray:
    """Working pixels onto which the source rectangle ``shape`` maps under ``h_img`` (a filled quadrilateral)."""
    h, w = shape
    q = np.array([[-0.5, -0.5, 1], [w - 0.5, -0.5, 1], [w - 0.5, h - 0.5, 1], [-0.5, h - 0.5, 1]]) @ h_img.T
    if np.any(q[:, 2] <= 1e-9):  # the page's horizon crosses the source: fall back to warping
        ones = np.full((h, w), 255, np.uint8)
        return cv2.warpPerspective(ones, h_img, size, flags=cv2.INTER_NEAREST,
                                   borderMode=cv2.BORDER_CONSTANT, borderValue=0) > 0
    pts = q[:, :2] / q[:, 2:3]
    mask = np.zeros((size[1], size[0]), np.uint8)
    cv2.fillConvexPoly(mask, np.round(pts * 16).astype(np.int32), 1, lineType=cv2.LINE_8, shift=4)
    return mask.astype(bool)


def warp_crop(image: np.ndarray, homography: np.ndarray, box, *, scale: float = 1.0) -> np.ndarray:
    """The template box ``[x0, y0, x1, y1]`` of a capture, at ``scale`` x template resolution.

    Examples
    --------
    >>> img = np.arange(100, dtype=np.uint8).reshape(10, 10)
    >>> warp_crop(img, np.eye(3), [2, 3, 5, 5]).tolist()
    [[32, 33, 34], [42, 43, 44]]
    """
    x0, y0, x1, y1 = (int(v) for v in box)
    if x1 <= x0 or y1 <= y0:
        raise ValueError(f"box: {list(box)} is empty")
    shift = np.array([[1.0, 0, -x0], [0, 1.0, -y0], [0, 0, 1.0]])
    m = shift @ homography
    size = (x1 - x0, y1 - y0)
    if scale != 1.0:
        m = scale_matrix(scale) @ m
        size = (max(1, int(round(size[0] * scale))), max(1, int(round(size[1] * scale))))
    return cv2.warpPerspective(image, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def _smooth_ratio(num: np.ndarray, den: np.ndarray, weight: np.ndarray, cells: tuple[int, int],
                  out_size: tuple[int, int], *, cache: dict | None = None) -> np.ndarray:
    """A smooth field num/den from weighted block sums (normalised convolution).

    With ``cache`` (a dict kept with ``den`` and ``weight``, e.g. a template's),
    the denominator's block sums are computed once.
    """
    cw, ch = cells
    n = cv2.resize(num * weight[..., None] if num.ndim == 3 else num * weight, (cw, ch), interpolation=cv2.INTER_AREA)
    n = cv2.GaussianBlur(n, (0, 0), 1.0)
    key = ("smooth-den", cells, den.shape)
    if cache is not None and key in cache:
        d = cache[key]
    else:
        d = cv2.resize(den * weight[..., None] if den.ndim == 3 else den * weight, (cw, ch),
                       interpolation=cv2.INTER_AREA)
        d = cv2.GaussianBlur(d, (0, 0), 1.0)
        if cache is not None:
            cache[key] = d
    ratio = n / np.maximum(d, 1e-4)
    return cv2.resize(ratio, out_size, interpolation=cv2.INTER_LINEAR)


def normalise_light(image: np.ndarray, reference: np.ndarray, weight: np.ndarray, *,
                    cell_px: int = 48, cache: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Divide out the capture's smooth lighting and colour balance.

    Parameters
    ----------
    image, reference : ndarray (H, W, 3) float32
        Aligned capture and reference (not modified).
    weight : ndarray (H, W) float32
        Where the two should agree (design, not personalization), 0..1.
    cell_px : int, keyword-only
        Size of the lighting cells; lighting varies more slowly than this.
    cache : dict, keyword-only, optional
        Kept with ``reference`` and ``weight`` (a template's cache): their
        part of the computation is done once.

    Returns
    -------
    normalised : ndarray
        ``image / gain``.
    gain : ndarray (H, W, 3)
        The lighting field.
    """
    h, w = image.shape[:2]
    cells = (max(2, w // cell_px), max(2, h // cell_px))
    gain = _smooth_ratio(image, reference, weight, cells, (w, h), cache=cache)
    gain = np.maximum(gain, 0.02)
    return cv2.divide(image, gain), gain


#: candidate capture blurs (working pixels); the reference side is cached per candidate
BLUR_SIGMAS = (0.0, 0.4, 0.7, 1.0, 1.35, 1.7, 2.1, 2.6, 3.2)


def _tiles(model: ReferenceModel, n: int = 16, side: int = 96) -> list[tuple[slice, slice]]:
    """A fixed spread of design tiles (no personalization) with the most structure, for cheap estimates."""
    key = ("tiles", n, side)
    if key not in model.cache:
        h, w = model.lum.shape
        hp = np.abs(highpass(model.lum))
        design = model.document & ~model.personal
        cands = []
        for y in range(0, h - side, side // 2):
            for x in range(0, w - side, side // 2):
                if design[y:y + side, x:x + side].mean() > 0.98:
                    cands.append((float(hp[y:y + side, x:x + side].mean()), y, x))
        cands.sort(reverse=True)
        # spread: take the best, skipping tiles overlapping a taken one
        taken = []
        for _, y, x in cands:
            if all(abs(y - ty) >= side or abs(x - tx) >= side for ty, tx in taken):
                taken.append((y, x))
            if len(taken) >= n:
                break
        model.cache[key] = [(slice(y, y + side), slice(x, x + side)) for y, x in taken]
    return model.cache[key]


def estimate_blur(image_lum: np.ndarray, model: ReferenceModel, sigmas=BLUR_SIGMAS) -> tuple[float, float]:
    """The Gaussian blur (working pixels) that makes the reference look like the capture.

    Measured on a fixed set of design tiles. Returns ``(sigma, correlation)``:
    the best blur and the correlation of the fine structure at that blur (a
    measure of how well the page matches at all).
    """
    tiles = _tiles(model)
    if not tiles:
        return 0.0, 0.0
    b = np.concatenate([highpass(image_lum[t]).ravel() for t in tiles])
    bb = float(b @ b)
    best = (0.0, -1.0)
    for s in sigmas:
        key = ("tile-hp", s)
        if key not in model.cache:
            model.cache[key] = np.concatenate([_blur_ref_lum(model, s)[t].ravel() for t in tiles])
            model.cache[key] = model.cache[key] - 0  # computed once per template
        a = model.cache[key]
        r = float(a @ b) / np.sqrt(max(float(a @ a) * bb, 1e-12))
        if r > best[1]:
            best = (s, r)
    return best


def _blur_ref_lum(model: ReferenceModel, sigma: float) -> np.ndarray:
    """High-passed luminance of the reference blurred by ``sigma`` (cached)."""
    key = ("hp-lum", sigma)
    if key not in model.cache:
        lum = cv2.GaussianBlur(model.lum, (0, 0), sigma) if sigma > 0 else model.lum
        model.cache[key] = highpass(lum)
    return model.cache[key]


def _reference_side(model: ReferenceModel, sigma: float) -> dict:
    """Reference terms at capture blur ``sigma``, cached per template and sigma."""
    key = ("ref-side", sigma)
    if key not in model.cache:
        ref = model.work["visible"]
        ref_b = cv2.GaussianBlur(ref, (0, 0), sigma) if sigma > 0 else ref
        lum = luminance(ref_b)
        with np.errstate(divide="ignore"):
            a = highpass(np.log(np.maximum(lum, 0.02)))
        model.cache[key] = {"ref_b": ref_b, "lum": lum, "lum_smooth": cv2.GaussianBlur(lum, (0, 0), 2.0),
                            "a": a, "aa": a * a}
        if len([k for k in model.cache if isinstance(k, tuple) and k[0] == "ref-side"]) > 4:
            # keep memory bounded: drop the oldest blur level
            old = next(k for k in model.cache if isinstance(k, tuple) and k[0] == "ref-side" and k != key)
            del model.cache[old]
    return model.cache[key]


@dataclass
class Maps:
    """Local conformity of the aligned visible image with its reference (working geometry).

    Attributes
    ----------
    gain : ndarray
        Local regression coefficient of image structure on reference
        structure, divided by its page median (1 = intact design).
    corr : ndarray
        Local correlation of image and reference structure.
    structure : ndarray of bool
        Windows where the reference has enough structure for ``gain`` to mean something.
    excess : ndarray
        Local residual texture energy divided by its page median (1 = as
        much as the capture's noise; copier dots and roughened paper are far above).
    colour : ndarray (H, W, 3)
        Low-pass colour difference image - reference (after lighting normalisation).
    ink : ndarray of bool
        Pixels much darker than the reference: personalization ink and other
        foreign dark marks (excluded from the statistics).
    sigma : float
        Capture blur (working pixels) applied to the reference.
    match : float
        Page-wide correlation of the fine structure at that blur.
    """

    gain: np.ndarray
    corr: np.ndarray
    structure: np.ndarray
    excess: np.ndarray
    colour: np.ndarray
    ink: np.ndarray
    sigma: float
    match: float
    page_gain: float
    noise: float
    ref_blurred: np.ndarray
    image: np.ndarray


def conformity_maps(image: np.ndarray, model: ReferenceModel, *, window: int = WINDOW) -> Maps:
    """Compare the aligned visible image with the reference, window by window.

    Parameters
    ----------
    image : ndarray (H, W, 3) float32
        The capture in working geometry (:func:`warp_views`), not modified.
    model : ReferenceModel
    window : int, keyword-only
        Side of the local windows, working pixels (odd).
    """
    ref = model.work["visible"]
    if "design-f32" not in model.cache:
        model.cache["design-f32"] = (model.document & ~model.personal).astype(np.float32)
    design = model.cache["design-f32"]
    design_b = model.document & ~model.personal
    norm, _ = normalise_light(image, ref, design, cache=model.cache)
    lum = luminance(norm)
    sigma, match = estimate_blur(lum, model)
    side = _reference_side(model, sigma)
    ref_b, a, aa_px = side["ref_b"], side["a"], side["aa"]
    # The comparison runs on log luminance: ink printed over the design
    # (portrait, ghost image, text) multiplies the light, so in the log domain
    # it *adds* content uncorrelated with the design and leaves the design's
    # regression gain at 1; an erased, missing or pasted-over design has gain 0.
    # Near-black ink hides the design completely and carries no information
    # about it: those pixels are left out.
    ink = lum < np.minimum(0.3, side["lum_smooth"] - 0.35)
    ink = cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    w = (~ink & model.document).astype(np.float32) * np.clip(lum / 0.35, 0.05, 1.0)
    b = highpass(np.log(np.maximum(lum, 0.02)))
    k = (window, window)
    sw = cv2.boxFilter(w, -1, k, normalize=True)
    wb = w * b
    sab = cv2.boxFilter(wb * a, -1, k, normalize=True)
    saa = cv2.boxFilter(w * aa_px, -1, k, normalize=True)
    sbb = cv2.boxFilter(wb * b, -1, k, normalize=True)
    valid = sw > 0.3
    # reference structure worth measuring: well above what noise alone gives
    aa = saa / np.maximum(sw, 1e-3)
    # page statistics from a sparse grid of windows (the windows overlap: plenty)
    g = (slice(None, None, 3), slice(None, None, 3))
    structure = valid & (aa > max(2e-5, float(np.percentile(aa[g][model.document[g]], 35)) * 0.5))
    beta = sab / np.maximum(saa, 1e-7)
    sel = structure[g] & design_b[g]
    page_gain = float(np.median(beta[g][sel])) if sel.any() else 1.0
    page_gain = max(page_gain, 0.05)
    gain = beta / page_gain
    corr = sab / np.sqrt(np.maximum(saa * sbb, 1e-12))
    resid = np.maximum(sbb - 2 * page_gain * sab + page_gain ** 2 * saa, 0) / np.maximum(sw, 1e-3)
    vsel = valid[g] & design_b[g]
    noise = float(np.median(resid[g][vsel])) if vsel.any() else 1e-4
    noise = max(noise, 1e-6)
    excess = resid / noise
    # colour differences are low-pass by nature: computed on a 4x coarser grid
    h, wd = lum.shape
    small = cv2.resize(norm - ref_b, (max(wd // 4, 1), max(h // 4, 1)), interpolation=cv2.INTER_AREA)
    colour = cv2.resize(cv2.GaussianBlur(small, (0, 0), 1.0), (wd, h), interpolation=cv2.INTER_LINEAR)
    return Maps(gain, corr, structure, excess, colour, ink, float(sigma), float(match), page_gain, noise, ref_b, norm)


