"""Aligned image versus reference: photometry, blur and local conformity maps.

These are the measurements every analyzer shares, computed once per document
at the working resolution (see :mod:`docexam.examine.model`):

* :func:`warp_views` resamples each light's capture into template geometry
  at working resolution (area pre-shrink first, so a 600 dpi scan is not
  aliased), and :func:`warp_crop` gives small full-resolution crops;
* the capture's uneven lighting and white balance are divided out (a smooth
  gain field fitted, by normalised convolution over cells of about 4 mm, where
  the reference is printed design, not personalization), so the aligned image
  of a genuine document matches its reference up to blur and noise;
* :func:`~docexam.examine.blur.estimate_blur` finds the Gaussian blur that turns the reference into
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

from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from ..blas import single_thread_blas
from .blur import BLUR_SIGMAS, estimate_blur
from .model import HP_SIGMA, ReferenceModel, highpass, luminance, scale_matrix, to_float
from .pools import in_bands as _in_bands

__all__ = ["Views", "warp_views", "warp_crop", "capture_scale", "Maps", "conformity_maps"]

#: window of the local statistics on the document, millimetres (23 working pixels at 300 dpi)
WINDOW_MM = 1.95
#: fewest working pixels across a window (low-resolution templates)
MIN_WINDOW_PX = 11
#: lighting cells on the document, millimetres: the light of a scan or phone
#: photo varies more slowly than this, while a washed, bleached or
#: reprinted patch of a few millimetres keeps its own brightness and colour
LIGHT_CELL_MM = 8.0
#: near-black ink (luminance, 0..1): a pixel below it, well below its surroundings, hides the design under it
INK_LEVEL = 0.3


def window_px(model: ReferenceModel) -> int:
    """The local statistics' window side in working pixels (odd)."""
    return max(MIN_WINDOW_PX, int(round(model.mm(WINDOW_MM))) | 1)


def light_cell_px(model: ReferenceModel) -> int:
    return max(16, int(round(model.mm(LIGHT_CELL_MM))))


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
    #: booklet pages warped with their own homography: (name, box, homography), as :attr:`Registration.pages`
    pages: tuple = ()


def warp_views(images: dict, homography: np.ndarray, model: ReferenceModel, *, pages=()) -> Views:
    """Warp each light's capture to the working geometry of ``model``.

    Parameters
    ----------
    images : dict
        Light -> uint8 RGB capture (not modified).
    homography : ndarray (3, 3)
        Image-to-template homography.
    model : ReferenceModel
    pages : sequence of (str, box, ndarray), keyword-only
        Booklet pages aligned one by one (:attr:`Registration.pages`): each
        page's box (template pixels) is warped with its own homography.
    """
    views = _warp_views(images, homography, model)
    own = [(box, hm) for _, box, hm in pages if not np.allclose(hm, homography)]
    for box, hm in own:
        page = _warp_views(images, hm, model)
        x0, y0, x1, y1 = model.to_work(box)
        part = (slice(y0, y1), slice(x0, x1))
        for light in views.work:
            views.work[light][part] = page.work[light][part]
            views.raw[light][part] = page.raw[light][part]
        views.covered[part] = page.covered[part]
    return replace(views, pages=tuple((name, list(box), hm) for name, box, hm in pages))


def _warp_views(images: dict, homography: np.ndarray, model: ReferenceModel) -> Views:
    """:func:`warp_views` with one homography for the whole image."""
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


def _cells(shape, cell_px: int) -> tuple[int, int]:
    h, w = shape[:2]
    return max(2, w // cell_px), max(2, h // cell_px)


def _lighting_cells(reference: np.ndarray, weight: np.ndarray, *, cell_px: int) -> tuple[np.ndarray, np.ndarray]:
    """The reference's weighted block means (the lighting ratio's denominator) and which blocks have design.

    Computed once per template. A block with (almost) no design (inside a
    portrait, off the document) has no lighting measurement of its own.
    """
    cells = _cells(reference.shape, cell_px)
    share = _block_means(weight if weight.ndim == 2 else weight[..., 0], cells)
    return _block_means(_weighted(reference, weight), cells), share > 0.05


def _fill_missing(ratio: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Blocks without a measurement take the normalised-convolution mean of the ones around them."""
    if valid.all() or not valid.any():
        return ratio
    v = valid.astype(np.float32)
    w3 = cv2.merge([v] * ratio.shape[2]) if ratio.ndim == 3 else v
    s = max(ratio.shape[:2]) / 6
    filled = cv2.GaussianBlur(ratio * w3, (0, 0), s) / np.maximum(cv2.GaussianBlur(w3, (0, 0), s), 1e-4)
    return np.where(w3 > 0, ratio, filled).astype(np.float32)


def _weighted(image: np.ndarray, weight: np.ndarray) -> np.ndarray:
    if image.ndim == 3 and weight.ndim == 2:
        weight = cv2.merge([weight] * image.shape[2])
    return cv2.multiply(image, weight)  # numpy's broadcast over 3 channels is several times slower


def _reference_side(model: ReferenceModel, sigma: float) -> dict:
    """Reference terms at capture blur ``sigma``, computed once per template and blur (the recent few kept)."""
    def build():
        ref = model.work["visible"]
        ref_b = cv2.GaussianBlur(ref, (0, 0), sigma) if sigma > 0 else ref
        lum = luminance(ref_b)
        a = highpass(cv2.log(np.maximum(lum, 0.02)))
        return {"ref_b": ref_b, "ref_b_quarter": _quarter(ref_b), "lum_smooth": cv2.GaussianBlur(lum, (0, 0), 2.0),
                "a": a, "aa": a * a, "misaligned": _misalignment_energy(a, model)}

    return model.cached(("ref-side", sigma), build, large=True)


def _reference_side_at(model: ReferenceModel, sigma: float) -> dict:
    """Reference terms at any blur: the two cached candidates around it, blended (first order in the blur)."""
    grid = np.asarray(BLUR_SIGMAS)
    k = int(np.searchsorted(grid, sigma))
    if k == 0 or k >= len(grid) or abs(grid[k] - sigma) < 1e-3 or abs(grid[k - 1] - sigma) < 1e-3:
        return _reference_side(model, float(grid[int(np.argmin(np.abs(grid - sigma)))]))
    lo, hi = _reference_side(model, float(grid[k - 1])), _reference_side(model, float(grid[k]))
    t = float((sigma - grid[k - 1]) / (grid[k] - grid[k - 1]))
    out = {key: cv2.addWeighted(lo[key], 1 - t, hi[key], t, 0.0)
           for key in ("ref_b", "ref_b_quarter", "lum_smooth", "a", "misaligned")}
    out["aa"] = cv2.multiply(out["a"], out["a"])
    return out


#: the alignment's residue on a genuine capture, template pixels (true error of a good alignment: a tenth of a pixel
#: or two, ``benchmarks/registration.py``); simulated genuine captures are posed this far off too
ALIGNMENT_RESIDUE_PX = 0.12


def _misalignment_energy(a: np.ndarray, model: ReferenceModel) -> np.ndarray:
    """Per window, the residual energy the alignment's residue leaves on the reference's structure ``a``.

    A shift by ``d`` in a direction at random leaves ``d^2 |grad a|^2 / 2``
    of every pixel's structure unexplained: on sharp edges of a clean
    design much more than on soft line work. The window's mean of it is the
    least residue any capture shows there, however clean.
    """
    d = ALIGNMENT_RESIDUE_PX * model.scale
    gx = cv2.Sobel(a, cv2.CV_32F, 1, 0, ksize=1, scale=0.5)
    gy = cv2.Sobel(a, cv2.CV_32F, 0, 1, ksize=1, scale=0.5)
    g = cv2.addWeighted(cv2.multiply(gx, gx), 0.5 * d * d, cv2.multiply(gy, gy), 0.5 * d * d, 0.0)
    k = window_px(model)
    return cv2.boxFilter(g, -1, (k, k), normalize=True)


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
        Page-wide correlation of the fine structure at that blur (its typical design tile's).
    strength : ndarray
        The reference's structure energy in each window over the capture's
        noise energy (both per pixel, the structure at the page's gain): the
        standard error of ``gain`` from noise alone is about
        ``1 / sqrt(n * strength)`` for ``n`` independent pixels in a window.
    window : int
        Side of the windows, working pixels.
    recognised : float
        The fine structure's correlation on the better-matching quarter of
        the design tiles: whether the image shows this document at all.
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
    strength: np.ndarray | None = None
    window: int = 23
    recognised: float = 1.0

    def colour(self, rows: slice, cols: slice, *, step: int = 1) -> np.ndarray:
        """The colour difference at working resolution in the window ``[rows, cols]`` (bilinear).

        With ``step`` > 1 only every ``step``-th row and column is returned,
        the same pixels as ``window[step // 2::step, step // 2::step]``: the
        map is smooth, so statistics over them cost a fraction and agree.
        """
        h, w = self.gain.shape
        qh, qw = self.colour_quarter.shape[:2]
        fx, fy = qw / w, qh / h
        y0, y1, _ = rows.indices(h)
        x0, x1, _ = cols.indices(w)
        o = step // 2
        # working pixel centre (x + 0.5) sits at (x + 0.5) * f - 0.5 on the coarse grid
        m = np.array([[fx * step, 0.0, (x0 + o + 0.5) * fx - 0.5], [0.0, fy * step, (y0 + o + 0.5) * fy - 0.5]])
        size = (max(-(-(x1 - x0 - o) // step), 1), max(-(-(y1 - y0 - o) // step), 1))
        return cv2.warpAffine(self.colour_quarter, m, size, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                              borderMode=cv2.BORDER_REPLICATE)


def conformity_maps(image: np.ndarray, model: ReferenceModel, *, window: int | None = None) -> Maps:
    """Compare the aligned visible image with the reference, window by window.

    Parameters
    ----------
    image : ndarray (H, W, 3) float32
        The capture in working geometry (:func:`warp_views`), not modified.
    model : ReferenceModel
    window : int, keyword-only
        Side of the local windows, working pixels (odd); default
        :data:`WINDOW_MM` on the document (:func:`window_px`).

    Notes
    -----
    The page is processed in horizontal bands on two threads (OpenCV and
    numpy release the interpreter lock); each band is computed with a
    margin of rows wide enough for every filter, so the result does not
    depend on the banding. Page statistics (the design's gain, the noise
    level) come from a sparse grid of windows between the passes.
    """
    ref = model.work["visible"]
    h, wd = image.shape[:2]
    design_b = model.cached("design", lambda: model.document & ~model.personal)
    design = model.cached("design-f32", lambda: design_b.astype(np.float32))
    design3 = model.cached("design-f32x3", lambda: cv2.merge([design] * 3))
    window = window_px(model) if window is None else int(window)
    cell = light_cell_px(model)
    ref_cells, measured = model.cached("lighting-cells", lambda: _lighting_cells(ref, design3, cell_px=cell))
    cells = _cells(image.shape, cell)
    lighting = _fill_missing(_block_means(_weighted(image, design3), cells) / np.maximum(ref_cells, 1e-4), measured)
    # the smooth gain field at working resolution in one resize (bilinear, pixel centres aligned): several times
    # cheaper than resampling it band by band
    lighting = np.maximum(cv2.resize(lighting, (wd, h), interpolation=cv2.INTER_LINEAR), 0.02)

    # pass 1: lighting divided out
    norm = np.empty_like(image)
    lum = np.empty((h, wd), np.float32)

    def normalise(y0, y1):
        cv2.divide(image[y0:y1], lighting[y0:y1], dst=norm[y0:y1])
        lum[y0:y1] = luminance(norm[y0:y1])

    _in_bands(normalise, h, margin=0)
    sigma, match, recognised = estimate_blur(lum, model)
    side = _reference_side_at(model, sigma)
    ref_b, a_ref, aa_ref, lum_smooth = side["ref_b"], side["a"], side["aa"], side["lum_smooth"]
    misaligned = side["misaligned"]
    # outside the document, and where the reference does not show its design
    # (a real specimen's own holder's ink, portrait and ghost image)
    outside = model.cached("outside", lambda: ~model.document | model.unknown)

    # pass 2: windowed sums of the structure products
    # The comparison runs on log luminance: ink printed over the design
    # (portrait, ghost image, text) multiplies the light, so in the log domain
    # it *adds* content uncorrelated with the design and leaves the design's
    # regression gain at 1; an erased, missing or pasted-over design has gain 0.
    # Near-black ink hides the design completely and carries no information
    # about it: those pixels are left out.
    sw, sab, saa, sbb, squant = (np.empty((h, wd), np.float32) for _ in range(5))
    ink = np.empty((h, wd), bool)
    k = (window, window)
    reach = window // 2 + int(np.ceil(4 * HP_SIGMA)) + 2  # box + high-pass + ink dilation

    def sums(y0, y1):
        r0, r1 = max(y0 - reach, 0), min(y1 + reach, h)
        keep = slice(y0 - r0, y0 - r0 + (y1 - y0))
        bl = lum[r0:r1]
        ink_b = bl < np.minimum(INK_LEVEL, lum_smooth[r0:r1] - 0.35)
        ink_b = cv2.dilate(ink_b.view(np.uint8), np.ones((3, 3), np.uint8)).view(bool)
        w = np.clip(bl * np.float32(1 / 0.35), 0.05, 1.0)
        np.copyto(w, 0.0, where=ink_b)
        np.copyto(w, 0.0, where=outside[r0:r1])
        b = np.maximum(bl, 0.02)
        b = highpass(cv2.log(b, dst=b))
        wb = cv2.multiply(w, b)
        sw[y0:y1] = cv2.boxFilter(w, -1, k, normalize=True)[keep]
        sab[y0:y1] = cv2.boxFilter(cv2.multiply(wb, a_ref[r0:r1]), -1, k, normalize=True)[keep]
        saa[y0:y1] = cv2.boxFilter(cv2.multiply(w, aa_ref[r0:r1]), -1, k, normalize=True)[keep]
        sbb[y0:y1] = cv2.boxFilter(cv2.multiply(wb, b, dst=wb), -1, k, normalize=True)[keep]
        # the 8-bit rounding of the warped capture, in the log domain: larger where the print is dark
        q = cv2.multiply(bl, bl)
        np.maximum(q, 0.02 ** 2, out=q)
        cv2.divide(w, q, dst=q, scale=QUANTIZATION)
        squant[y0:y1] = cv2.boxFilter(q, -1, k, normalize=True)[keep]
        ink[y0:y1] = ink_b[keep]

    _in_bands(sums, h, margin=reach)

    # page statistics from a sparse grid of windows (the windows overlap: plenty)
    g = (slice(None, None, 3), slice(None, None, 3))
    sw_g, sab_g, saa_g, sbb_g = sw[g], sab[g], saa[g], sbb[g]
    valid_g = sw_g > 0.3
    aa_g = saa_g / np.maximum(sw_g, 1e-3)
    # reference structure worth measuring: well above what noise alone gives
    threshold = max(2e-5, float(np.percentile(aa_g[model.document[g]], 35)) * 0.5)
    beta_g = sab_g / np.maximum(saa_g, 1e-7)
    sel = valid_g & (aa_g > threshold) & design_b[g]
    page_gain = max(float(np.median(beta_g[sel])) if sel.any() else 1.0, 0.05)
    resid_g = np.maximum(sbb_g - 2 * page_gain * sab_g + page_gain ** 2 * saa_g, 0) / np.maximum(sw_g, 1e-3)
    vsel = valid_g & design_b[g]
    noise = max(float(np.median(resid_g[vsel])) if vsel.any() else 1e-4, QUANTIZATION)

    # pass 3: the maps
    gain, corr, excess, strength = (np.empty((h, wd), np.float32) for _ in range(4))
    structure = np.empty((h, wd), bool)

    def maps(y0, y1):
        band = slice(y0, y1)
        s_w, s_ab, s_aa, s_bb = sw[band], sab[band], saa[band], sbb[band]
        inv_sw = np.maximum(s_w, 1e-3)
        np.divide(1.0, inv_sw, out=inv_sw)
        np.multiply(s_aa, inv_sw, out=strength[band])
        np.logical_and(s_w > 0.3, strength[band] > threshold, out=structure[band])
        # the window's noise: the page's, never below what the rounding of the capture's 8-bit pixels and the
        # alignment's residue leave there (a capture as clean as its reference, the registration image
        # itself, has nothing else)
        inv_noise = cv2.multiply(squant[band], inv_sw)
        inv_noise += misaligned[band]
        np.maximum(inv_noise, noise, out=inv_noise)
        np.divide(1.0, inv_noise, out=inv_noise)
        strength[band] *= inv_noise
        strength[band] *= np.float32(page_gain ** 2)
        beta = np.maximum(s_aa, 1e-7)
        np.divide(s_ab, beta, out=beta)
        np.multiply(beta, np.float32(1 / page_gain), out=gain[band])
        c = cv2.multiply(s_aa, s_bb)
        np.maximum(c, 1e-12, out=c)
        cv2.divide(s_ab, cv2.sqrt(c, dst=c), dst=corr[band])
        # residual energy about the page's gain: sbb - 2 g sab + g^2 saa
        resid = cv2.addWeighted(s_ab, -2.0 * page_gain, s_aa, page_gain ** 2, 0.0, dtype=cv2.CV_32F)
        resid += s_bb
        np.maximum(resid, 0.0, out=resid)
        resid *= inv_sw
        np.multiply(resid, inv_noise, out=excess[band])

    _in_bands(maps, h, margin=0)
    # colour differences are low-pass by nature: computed on a 4x coarser grid
    small = _quarter(norm)
    small -= side["ref_b_quarter"]
    colour = cv2.GaussianBlur(small, (0, 0), 1.0)
    return Maps(gain, corr, structure, excess, colour, ink, float(sigma), float(match), page_gain, noise, ref_b, norm,
                strength, window, float(recognised))


#: variance of the 8-bit rounding of a pixel's luminance (Rec. 601 weights over three rounded channels), at white
QUANTIZATION = (0.299 ** 2 + 0.587 ** 2 + 0.114 ** 2) / 255 ** 2 / 12
