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

from .model import HP_SIGMA, ReferenceModel, highpass, luminance, scale_matrix, to_float

__all__ = ["Views", "warp_views", "warp_crop", "capture_scale", "normalise_light", "lighting_cells", "estimate_blur",
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
        src = img
        if ratio < 0.9:
            src, h_img = _antialias(img, h_img, ratio)
        warped = cv2.warpPerspective(src, h_img, model.size, flags=cv2.INTER_LINEAR,
                                     borderMode=cv2.BORDER_REPLICATE)
        raw[light] = warped
        out[light] = to_float(warped)
        if covered is None:
            covered = _covered(src.shape[:2], h_img, model.size)
    return Views(out, c, homography, covered, raw)


def _antialias(img: np.ndarray, h_img: np.ndarray, ratio: float) -> tuple[np.ndarray, np.ndarray]:
    """Prefilter a capture that is finer than the working grid by ``1 / ratio``, so warping it does not alias.

    Returns the image to warp and the homography from it to the working grid.
    Whole factors use OpenCV's block average (its fast path); what is left
    of the scale (or all of it) is a small Gaussian sized like that area
    average, and bilinear warping then samples the smoothed image (a
    fractional area resampling costs five times as much).
    """
    k = max(1, int(1.0 / ratio + 0.15))
    if k >= 2:
        hh, ww = (img.shape[0] // k) * k, (img.shape[1] // k) * k
        small = cv2.resize(img[:hh, :ww], (max(8, ww // k), max(8, hh // k)), interpolation=cv2.INTER_AREA)
        fx, fy = small.shape[1] / ww, small.shape[0] / hh
        shrink = np.array([[fx, 0, 0.5 * fx - 0.5], [0, fy, 0.5 * fy - 0.5], [0, 0, 1.0]])
        img, h_img, ratio = small, h_img @ np.linalg.inv(shrink), ratio * k
    if ratio < 0.87:
        # an area average over 1/ratio pixels has the spread of a Gaussian of
        # about 0.29/ratio; bilinear sampling supplies about 0.3 of it already
        sigma = float(np.sqrt(max((0.29 / ratio) ** 2 - 0.3 ** 2, 0.0)))
        if sigma > 0.1:
            img = cv2.GaussianBlur(img, (3, 3), sigma)
    return img, h_img


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


def _block_means(x: np.ndarray, cells: tuple[int, int]) -> np.ndarray:
    """Means over a grid of ``cells`` (columns, rows) blocks, smoothed across neighbouring blocks.

    The image is cropped to a whole number of blocks first: OpenCV's area
    resampling is several times faster for an integer factor, and the few
    pixels dropped at the right and bottom edges do not matter to a smooth field.
    """
    cw, ch = cells
    h, w = x.shape[:2]
    bw, bh = max(w // cw, 1), max(h // ch, 1)
    m = cv2.resize(x[:bh * ch, :bw * cw], (cw, ch), interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(m, (0, 0), 1.0)


def normalise_light(image: np.ndarray, reference: np.ndarray, weight: np.ndarray, *,
                    cell_px: int = 48, reference_cells: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Divide out the capture's smooth lighting and colour balance.

    The lighting is a smooth ratio image / reference, estimated by normalised
    convolution over cells of ``cell_px`` where ``weight`` says the two should agree.

    Parameters
    ----------
    image, reference : ndarray (H, W, 3) float32
        Aligned capture and reference (not modified).
    weight : ndarray (H, W) or (H, W, 3) float32
        Where the two should agree (design, not personalization), 0..1.
    cell_px : int, keyword-only
        Size of the lighting cells; lighting varies more slowly than this.
    reference_cells : ndarray, keyword-only, optional
        The reference's side, :func:`lighting_cells` of ``reference`` and
        ``weight`` (a template computes it once).

    Returns
    -------
    normalised : ndarray
        ``image / gain``.
    gain : ndarray (H, W, 3)
        The lighting field.

    Examples
    --------
    >>> ref = np.full((96, 96, 3), 0.8, np.float32)
    >>> img = ref * np.linspace(0.5, 1.0, 96, dtype=np.float32)[None, :, None]  # light from the right
    >>> norm, gain = normalise_light(img, ref, np.ones((96, 96), np.float32), cell_px=16)
    >>> bool(np.abs(norm - ref)[:, 16:-16].max() < 0.05)
    True
    """
    h, w = image.shape[:2]
    cells = _cells(image.shape, cell_px)
    if reference_cells is None:
        reference_cells = lighting_cells(reference, weight, cell_px=cell_px)
    num = _block_means(_weighted(image, weight), cells)
    ratio = num / np.maximum(reference_cells, 1e-4)
    gain = np.maximum(cv2.resize(ratio, (w, h), interpolation=cv2.INTER_LINEAR), 0.02)
    return cv2.divide(image, gain), gain


def _cells(shape, cell_px: int) -> tuple[int, int]:
    h, w = shape[:2]
    return max(2, w // cell_px), max(2, h // cell_px)


def lighting_cells(reference: np.ndarray, weight: np.ndarray, *, cell_px: int = 48) -> np.ndarray:
    """The reference's weighted block means used by :func:`normalise_light` (once per template)."""
    return _block_means(_weighted(reference, weight), _cells(reference.shape, cell_px))


def _weighted(image: np.ndarray, weight: np.ndarray) -> np.ndarray:
    if image.ndim == 3 and weight.ndim == 2:
        weight = cv2.merge([weight] * image.shape[2])
    return cv2.multiply(image, weight)  # numpy's broadcast over 3 channels is several times slower


#: candidate capture blurs (working pixels); the reference side is cached per candidate
BLUR_SIGMAS = (0.0, 0.4, 0.7, 1.0, 1.35, 1.7, 2.1, 2.6, 3.2)


def _tiles(model: ReferenceModel, n: int = 16, side: int = 96) -> list[tuple[slice, slice]]:
    """A fixed spread of design tiles (no personalization) with the most structure, for cheap estimates."""
    def build():
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
        return [(slice(y, y + side), slice(x, x + side)) for y, x in taken]

    return model.cached(("tiles", n, side), build)


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
        a = model.cached(("tile-hp", s), lambda s=s: np.concatenate([_tile_hp(model, s, t) for t in tiles]))
        r = float(a @ b) / np.sqrt(max(float(a @ a) * bb, 1e-12))
        if r > best[1]:
            best = (s, r)
    return best


def _tile_hp(model: ReferenceModel, sigma: float, tile) -> np.ndarray:
    """High-passed reference luminance of one tile blurred by ``sigma`` (computed on a margin around it)."""
    ys, xs = tile
    m = int(4 * sigma + 4 * HP_SIGMA) + 2  # the blur's and the high-pass's reach (OpenCV: 4 sigma)
    h, w = model.lum.shape
    y0, y1, x0, x1 = max(ys.start - m, 0), min(ys.stop + m, h), max(xs.start - m, 0), min(xs.stop + m, w)
    lum = model.lum[y0:y1, x0:x1]
    lum = cv2.GaussianBlur(lum, (0, 0), sigma) if sigma > 0 else lum
    return highpass(lum)[ys.start - y0:ys.stop - y0, xs.start - x0:xs.stop - x0].ravel()


def _reference_side(model: ReferenceModel, sigma: float) -> dict:
    """Reference terms at capture blur ``sigma``, computed once per template and blur (the recent few kept)."""
    def build():
        ref = model.work["visible"]
        ref_b = cv2.GaussianBlur(ref, (0, 0), sigma) if sigma > 0 else ref
        lum = luminance(ref_b)
        a = highpass(cv2.log(np.maximum(lum, 0.02)))
        return {"ref_b": ref_b, "ref_b_quarter": _quarter(ref_b), "lum_smooth": cv2.GaussianBlur(lum, (0, 0), 2.0),
                "a": a, "aa": a * a}

    return model.cached(("ref-side", sigma), build, large=True)


def _quarter(x: np.ndarray) -> np.ndarray:
    """Area average over 4x4 blocks (the image cropped to a multiple of 4: OpenCV's fast path)."""
    h, w = x.shape[:2]
    return cv2.resize(x[:h // 4 * 4, :w // 4 * 4], (max(w // 4, 1), max(h // 4, 1)), interpolation=cv2.INTER_AREA)


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
    colour_quarter : ndarray (H/4, W/4, 3)
        Low-pass colour difference image - reference (after lighting
        normalisation), on a 4x coarser grid; :meth:`colour` gives it at
        working resolution for a window.
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
    colour_quarter: np.ndarray
    ink: np.ndarray
    sigma: float
    match: float
    page_gain: float
    noise: float
    ref_blurred: np.ndarray
    image: np.ndarray

    def colour(self, rows: slice, cols: slice) -> np.ndarray:
        """The colour difference at working resolution in the window ``[rows, cols]`` (bilinear)."""
        h, w = self.gain.shape
        qh, qw = self.colour_quarter.shape[:2]
        fx, fy = qw / w, qh / h
        y0, y1, _ = rows.indices(h)
        x0, x1, _ = cols.indices(w)
        # working pixel centre (x + 0.5) sits at (x + 0.5) * f - 0.5 on the coarse grid
        m = np.array([[fx, 0.0, (x0 + 0.5) * fx - 0.5], [0.0, fy, (y0 + 0.5) * fy - 0.5]])
        return cv2.warpAffine(self.colour_quarter, m, (max(x1 - x0, 1), max(y1 - y0, 1)),
                              flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)


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
    design_b = model.cached("design", lambda: model.document & ~model.personal)
    design = model.cached("design-f32", lambda: design_b.astype(np.float32))
    design3 = model.cached("design-f32x3", lambda: cv2.merge([design] * 3))
    ref_cells = model.cached("lighting-cells", lambda: lighting_cells(ref, design3))
    norm, _ = normalise_light(image, ref, design3, reference_cells=ref_cells)
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
    # (In-place arithmetic below: these are whole-page float images, and fresh
    # ones cost more in page faults than in arithmetic.)
    ink = lum < np.minimum(0.3, side["lum_smooth"] - 0.35)
    ink = cv2.dilate(ink.view(np.uint8), np.ones((3, 3), np.uint8)).view(bool)
    w = np.clip(lum * np.float32(1 / 0.35), 0.05, 1.0)
    np.copyto(w, 0.0, where=ink)
    np.copyto(w, 0.0, where=model.cached("outside", lambda: ~model.document))
    b = np.maximum(lum, 0.02)
    b = highpass(cv2.log(b, dst=b))
    k = (window, window)
    sw = cv2.boxFilter(w, -1, k, normalize=True)
    wb = cv2.multiply(w, b)
    sab = cv2.boxFilter(cv2.multiply(wb, a), -1, k, normalize=True)
    saa = cv2.boxFilter(cv2.multiply(w, aa_px), -1, k, normalize=True)
    sbb = cv2.boxFilter(cv2.multiply(wb, b, dst=wb), -1, k, normalize=True)
    valid = sw > 0.3
    inv_sw = np.maximum(sw, 1e-3)
    inv_sw = np.divide(1.0, inv_sw, out=inv_sw)
    # reference structure worth measuring: well above what noise alone gives
    aa = saa * inv_sw
    # page statistics from a sparse grid of windows (the windows overlap: plenty)
    g = (slice(None, None, 3), slice(None, None, 3))
    structure = valid & (aa > max(2e-5, float(np.percentile(aa[g][model.document[g]], 35)) * 0.5))
    beta = np.maximum(saa, 1e-7)
    beta = np.divide(sab, beta, out=beta)
    sel = structure[g] & design_b[g]
    page_gain = float(np.median(beta[g][sel])) if sel.any() else 1.0
    page_gain = max(page_gain, 0.05)
    gain = np.multiply(beta, np.float32(1 / page_gain), out=beta)
    corr = cv2.multiply(saa, sbb)
    np.maximum(corr, 1e-12, out=corr)
    corr = cv2.divide(sab, cv2.sqrt(corr, dst=corr), dst=corr)
    # residual energy about the page's gain: sbb - 2 g sab + g^2 saa
    resid = cv2.addWeighted(sab, -2.0 * page_gain, saa, page_gain ** 2, 0.0, dtype=cv2.CV_32F)
    resid += sbb
    np.maximum(resid, 0.0, out=resid)
    resid *= inv_sw
    vsel = valid[g] & design_b[g]
    noise = float(np.median(resid[g][vsel])) if vsel.any() else 1e-4
    noise = max(noise, 1e-6)
    excess = np.multiply(resid, np.float32(1 / noise), out=resid)
    # colour differences are low-pass by nature: computed on a 4x coarser grid
    small = _quarter(norm)
    small -= side["ref_b_quarter"]
    colour = cv2.GaussianBlur(small, (0, 0), 1.0)
    return Maps(gain, corr, structure, excess, colour, ink, float(sigma), float(match), page_gain, noise, ref_b, norm)
