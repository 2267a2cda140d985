"""Register a document image to its template: step 2 of the examination.

A capture (flat render, scan or phone photo) is aligned to the template's
reference image by a homography that maps *image* pixel coordinates to
*template* pixel coordinates (the coordinates every finding is reported in,
see ``docs/formats.md``).

How it works, and why:

1. **Coarse**: SIFT features at a reduced working resolution (the
   reference at ~544 px on its long side, the capture at ~576 px: a page
   spanning most of the frame then appears at a similar size in both),
   matched with Lowe's ratio test and a mutual check (RootSIFT, all pairs
   ranked by one matrix product: fast and deterministic), then a robust
   homography (USAC MAGSAC++). SIFT is invariant to in-plane rotation at
   any angle (upside down included) and to scale, and tolerant of the mild
   affine distortion of a 20° tilt. The reference shows the document
   *without* personalization; the holder's portrait, text and MRZ in the
   capture find no partner in the reference and fall out as outliers, so
   the match rests on the pre-printed design. When the first pose rests on
   few matches, a guided matching round (each feature's partner looked for
   only near where the pose puts it) adds matches spread over the page.
   When the features are too few, or the fine alignment fails from a weakly
   supported pose, everything is tried once more at twice the resolution
   (slower, only for hard captures: page small in the frame, blur).
   A first try looks at :data:`FIRST_TRY_SHARE` of that resolution: SIFT's
   cost goes with the area (0.75 costs about 55 %), and the refinement
   below, not the feature pose, sets the final alignment. If that try fails
   any check (coarse or refined), the full resolution is tried as if it
   had not been: a hard capture pays the first try's ~35 ms of CPU more,
   never a worse alignment. (ORB features, at a tenth of SIFT's cost, were
   measured too: on the blank reference's fine line work only 2-3 % of a
   capture's ORB corners are found again, 0-5 matches correct.)
2. **Refine**: the feature pose is good to a few template pixels. It is
   refined by local correlation: patches of the reference on a grid, each
   where the pre-printed design has texture in two directions, are searched
   for (normalised cross-correlation by one batched FFT, sub-pixel peak) in
   the capture resampled through the current homography, at a quarter and
   then at half the template's resolution. The displacements give point
   pairs and a robust least-squares homography. Unlike a global intensity
   alignment (ECC), patches covered by the holder's data (which the blank
   reference lacks) are rejected one by one instead of pulling the whole
   fit, and uneven lighting does not matter because the correlation is
   normalised per patch.
3. **Sanity checks**: enough inliers that agree, a plausible outline
   (convex, not mirrored, not too small, at most ~45° of tilt, the right
   shape), refinement passes supported by a good share of the patches and
   not wandering off the feature pose, a small residual. When a check fails
   the :class:`Registration` has ``ok=False`` and a ``reason`` in plain
   words; a doubtful alignment is not returned as good.

The reference's features and patches are computed once per reference
(:class:`ReferenceIndex`, cached by :func:`reference_index`).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ..i18n import Message
from ..imaging import as_gray, as_rgb
from .features import coarse_pose, sift
from .geometry import (Pyramid, apply, map_box, map_points, normalised, page_pose, resize_to,
                       warp_to_template)
from .lru import BoundedCache
from .refine import PatchSet, refine_pose

__all__ = [
    "Registration", "ReferenceIndex", "reference_index", "register",
    "warp_to_template", "map_points", "map_box",
]

#: long side, in pixels, of the reference image used for feature detection
REFERENCE_WORK_SIDE = 544
#: features kept on the reference (the capture's: :data:`docexam.examine.features.IMAGE_FEATURES`)
REFERENCE_FEATURES = 1600
#: long side of the capture used for feature detection (a little larger than
#: the reference's, because a capture usually shows background around the document)
IMAGE_WORK_SIDE = 576
#: the first try's working sides, as a share of the sides above (see the module docstring)
FIRST_TRY_SHARE = 0.75
#: refinement passes: (short side of the pass image, patch side, search
#: radius, grid cells), sizes in pass pixels; a pass never upsamples the
#: reference. For a 600 dpi TD3 the first, coarse pass (a quarter of the
#: resolution) reaches +-64 template px, beyond the error of a feature pose
#: resting on matches from part of the page; the second (half) reaches +-8 px, less than half the period of the
#: fine background line work (~1 mm), so it cannot lock on a neighbouring line.
_REFINE_PASSES = ((520, 32, 16, 40), (1040, 40, 4, 48))
#: a booklet page whose own refined pose moves its corners further than this (template pixels) from the
#: whole spread's pose is warped with its own pose (a page bent at the fold, or a leaf from another booklet)
PAGE_APART_PX = 2.0
#: an elongated document (a card's two sides side by side) keeps at least
#: this many working pixels across its short side
MIN_WORK_SHORT_SIDE = 320

# --------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class Registration:
    """The outcome of :func:`register`.

    Attributes
    ----------
    homography : ndarray, shape (3, 3), float64
        Maps image pixel coordinates to template pixel coordinates. Present
        (best effort) even when ``ok`` is False; do not trust it then.
    ok : bool
        True when the alignment passed every sanity check.
    reprojection_error_px : float
        Estimated alignment error in template pixels: the larger of the RMS
        residual of the refinement's inlier points and the RMS disagreement,
        over the whole page, of poses fitted to two halves of them (which
        also covers page areas far from any matched point); ``inf`` when
        nothing could be estimated.
    inliers : int
        Point pairs supporting the homography (refinement patches when
        refined, feature matches otherwise).
    reason : str
        Empty when ``ok``; otherwise why the alignment is not trustworthy,
        in plain words.
    timings_ms : dict
        Milliseconds per step (``prepare``, ``features``, ``match``,
        ``homography``, ``refine``, ``total``).
    template_size, image_size : tuple of int
        ``(width, height)`` of the reference and of the image.
    feature_inliers : int
        Feature matches supporting the coarse homography.
    refined : bool
        True when the correlation refinement succeeded.
    side : str or None
        For a template holding several sides of a card, the side the image
        shows alone; None when it shows the whole sheet (or the template has one side).
    pages : tuple of (str, list, ndarray)
        For a booklet spread that no single pose fits (its leaves bent apart
        at the fold, or one leaf not of this booklet), ``(name, box,
        homography)`` of each page posed on its own (see :func:`register`).
        Empty when one pose fits the whole image.
    """

    homography: np.ndarray
    ok: bool
    reprojection_error_px: float
    inliers: int
    reason: str
    timings_ms: dict
    template_size: tuple[int, int]
    image_size: tuple[int, int]
    feature_inliers: int = 0
    refined: bool = False
    side: str | None = None
    pages: tuple = ()

    def pose_for(self, box) -> np.ndarray:
        """The image-to-template homography of the page holding the centre of template ``box`` (:func:`page_pose`)."""
        return page_pose(self.pages, box, self.homography)

    @property
    def inverse(self) -> np.ndarray:
        """The homography from template to image coordinates."""
        return normalised(np.linalg.inv(self.homography))

    def as_dict(self) -> dict:
        """A JSON-serialisable summary (for reports)."""
        err = self.reprojection_error_px
        return {
            "ok": bool(self.ok),
            "reprojection_error_px": round(float(err), 3) if np.isfinite(err) else None,
            "inliers": int(self.inliers),
            "reason": self.reason,
            "side": self.side,
            **({"pages": {name: [[float(v) for v in row] for row in hm] for name, _, hm in self.pages}}
               if self.pages else {}),
            "homography": [[float(v) for v in row] for row in self.homography],
            "timings_ms": {k: round(float(v), 1) for k, v in self.timings_ms.items()},
        }



# --------------------------------------------------------------------------
# the reference side, computed once


class ReferenceIndex:
    """What :func:`register` needs from a reference image, computed once.

    Parameters
    ----------
    reference : ndarray
        The template's reference image, uint8 RGB (H, W, 3) or gray (H, W).
        It is not modified and not kept.

    Attributes
    ----------
    size : tuple of int
        ``(width, height)`` of the reference.
    points : ndarray, shape (N, 2)
        Feature positions in template pixels.
    descriptors : ndarray, shape (N, 128)
        Their RootSIFT descriptors.
    features : dict
        Share of the working resolution (1.0 and :data:`FIRST_TRY_SHARE`) ->
        ``(scale, points, descriptors)``: the features found there, ``scale``
        the detection image's pixels per template pixel.
    patches : list
        Per refinement pass, ``(centres, patch_stack)``: the template-pixel
        centres of the correlation patches and their pixels.

    Examples
    --------
    >>> rng = np.random.default_rng(0)  # a page of printed texture
    >>> page = cv2.resize(rng.integers(0, 256, (60, 85), np.uint8), (1200, 845), interpolation=cv2.INTER_CUBIC)
    >>> index = ReferenceIndex(page)
    >>> index.size
    (1200, 845)
    >>> len(index.points) > 100
    True
    """

    def __init__(self, reference: np.ndarray):
        gray = as_gray(reference, name="reference")
        h, w = gray.shape
        if min(h, w) < 64:
            raise ValueError(f"reference is too small ({w}x{h}); it must be at least 64 px on each side")
        self.size = (int(w), int(h))
        # long side REFERENCE_WORK_SIDE, unless the short side would get too thin
        self.work_side = max(REFERENCE_WORK_SIDE, round(MIN_WORK_SHORT_SIDE * max(h, w) / min(h, w)))
        self.work_scale = min(1.0, self.work_side / max(h, w))
        work, m = resize_to(gray, self.work_scale)
        pts, self.descriptors = sift(work, REFERENCE_FEATURES)
        self.points = apply(np.linalg.inv(m), pts).astype(np.float32)
        self.features = {1.0: (self.work_scale, self.points, self.descriptors)}
        small, m = resize_to(gray, self.work_scale * FIRST_TRY_SHARE)
        pts, desc = sift(small, REFERENCE_FEATURES)
        self.features[FIRST_TRY_SHARE] = (float(m[0, 0]), apply(np.linalg.inv(m), pts).astype(np.float32), desc)
        self.patches = [self._patches(gray, min(1.0, side / min(h, w)), p, r, k)
                        for side, p, r, k in _REFINE_PASSES]

    @staticmethod
    def _patches(gray: np.ndarray, scale: float, p: int, r: int, count: int):
        """Pick textured patches on a grid, so the refinement is spread over the page."""
        img, to_pass = resize_to(gray, scale)
        h, w = img.shape
        # minimum eigenvalue of the structure tensor: high only where there is
        # texture in two directions, so a patch pins both x and y
        score = cv2.cornerMinEigenVal(img, blockSize=max(3, p // 4 | 1), ksize=3)
        margin = p // 2 + r + 2
        rows = max(2, round(np.sqrt(count * h / w)))
        cols = max(2, round(count / rows))
        xs = np.linspace(margin, w - margin, cols + 1).astype(int)
        ys = np.linspace(margin, h - margin, rows + 1).astype(int)
        cands = []
        for j in range(rows):
            for i in range(cols):
                cell = score[ys[j]:ys[j + 1], xs[i]:xs[i + 1]]
                if cell.size == 0:
                    continue
                k = int(np.argmax(cell))
                cy, cx = divmod(k, cell.shape[1])
                cands.append((float(cell[cy, cx]), xs[i] + cx, ys[j] + cy))
        if not cands:
            return PatchSet(scale, to_pass, p, r, np.zeros((0, 2), np.int64), np.zeros((0, p, p)))
        top = np.percentile([c[0] for c in cands], 75)
        keep = [c for c in cands if c[0] >= 0.05 * top and c[0] > 1e-6]
        corners, stack = [], []
        for _, cx, cy in keep:
            x0, y0 = cx - p // 2, cy - p // 2
            patch = img[y0:y0 + p, x0:x0 + p].astype(np.float64)
            if patch.std() < 2.0:  # flat: nothing to correlate
                continue
            corners.append((x0, y0))
            stack.append(patch)
        return PatchSet(scale, to_pass, p, r, np.array(corners, dtype=np.int64).reshape(-1, 2),
                         np.array(stack, np.float64).reshape(-1, p, p))



_INDEXES = BoundedCache(8)


def _fingerprint(reference: np.ndarray) -> tuple:
    # a strided sample is enough to tell templates apart and costs < 1 ms,
    # where hashing every byte of a 600 dpi page would cost ~20 ms per call
    sample = np.ascontiguousarray(reference[::7, ::7])
    return reference.shape, str(reference.dtype), hashlib.blake2b(sample.tobytes(), digest_size=16).hexdigest()


def reference_index(reference: np.ndarray) -> ReferenceIndex:
    """The :class:`ReferenceIndex` of ``reference``, from a small cache.

    The cache is keyed by a fingerprint of the pixels (shape and a strided
    sample), so passing the same template image again, even as a new array,
    costs well under a millisecond.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ref = cv2.resize(rng.integers(0, 256, (60, 85), np.uint8), (1200, 845), interpolation=cv2.INTER_CUBIC)
    >>> reference_index(ref) is reference_index(ref.copy())
    True
    """
    if isinstance(reference, ReferenceIndex):
        return reference
    as_rgb(reference, name="reference")  # validates (an RGB page as it is: no conversion of the whole page per call)
    return _INDEXES.get_or_build(_fingerprint(reference), lambda: ReferenceIndex(reference))


def register(image: np.ndarray, reference, *, sides=None, pages=None, refine: bool = True, min_inliers: int = 15,
             max_error_px: float = 3.0, max_tilt_deg: float = 45.0, ratio: float = 0.85,
             min_side_coverage: float = 0.97, max_fold_gap_px: float = 11.0) -> Registration:
    """Align a document image to its template's reference image.

    Parameters
    ----------
    image : ndarray
        The capture, uint8, gray (H, W) or RGB (H, W, 3), any size. Not modified.
    reference : ndarray
        The template's reference image (uint8 RGB, template geometry); it is
        indexed once and cached (:func:`reference_index`). A
        :class:`ReferenceIndex` built from it is accepted too (without ``sides``).
    sides : sequence of (str, box), keyword-only, optional
        For a sheet holding several sides of a card (front and back side by
        side), each side's name and ``[x0, y0, x1, y1]`` box in template
        pixels. A capture of one side alone is then aligned to that side
        (the homography still maps into the whole sheet's coordinates) and
        :attr:`Registration.side` names it.
    pages : sequence of (str, box), keyword-only, optional
        For a booklet spread, each page's name and box in template pixels.
        When no single pose fits the image, each page is aligned on its own
        (:attr:`Registration.pages`): a booklet's leaves bend apart at the
        fold, and a leaf sewn in from another booklet lies apart from its
        facing page. Each page is refined on its own from the whole
        spread's pose and keeps its own pose where they differ; when the
        whole spread cannot be aligned, each page is aligned from scratch,
        and the result is ``ok`` when at least one page aligns; its
        ``homography`` is then that of the page with the most inliers (a page
        that did not align is warped with it).
    refine : bool, keyword-only
        Refine the feature-based homography by local correlation (default).
        Without it the error is a few template pixels.
    min_inliers : int, keyword-only
        Fewest feature matches that may support the coarse homography.
    max_error_px : float, keyword-only
        Largest acceptable refinement residual (RMS, template pixels).
    max_tilt_deg : float, keyword-only
        Steeper views are refused (perspective too strong to examine).
    ratio : float, keyword-only
        Lowe's ratio for the feature matches, in (0, 1].
    min_side_coverage : float, keyword-only
        Share of a side that must lie inside the image for the side to count as shown.
    max_fold_gap_px : float, keyword-only
        With ``pages``: a page's own pose is kept only where it meets the
        spread's pose along the edge the page shares with its facing page
        (the fold) within this many template pixels. A leaf bent at the fold
        still meets its facing page there; a leaf whose own pose would move
        the fold (a foreign leaf's print run at another offset) is left in
        the spread's pose, where the booklet checks see the offset.

    Returns
    -------
    Registration
        ``homography`` maps image to template pixel coordinates; ``ok`` says
        whether it can be trusted, ``reason`` why not.

    Raises
    ------
    ValueError
        When an argument is malformed (naming the parameter).

    Examples
    --------
    >>> import cv2, numpy as np
    >>> rng = np.random.default_rng(0)  # a page of printed texture
    >>> ref = cv2.resize(rng.integers(0, 256, (60, 85), np.uint8), (1200, 845), interpolation=cv2.INTER_CUBIC)
    >>> rot = cv2.rotate(ref, cv2.ROTATE_180)  # the page upside down
    >>> reg = register(rot, ref)
    >>> reg.ok
    True
    >>> np.round(map_points([[0, 0]], reg, to="image"), 0)  # the template's corner is now bottom right
    array([[1199.,  844.]])
    >>> register(np.full((600, 800), 128, np.uint8), ref).ok
    False

    A card's two sides on one sheet, and a picture of the back alone:

    >>> sheet = np.hstack([ref, cv2.flip(ref, 0)])
    >>> back = register(sheet[:, 1200:], sheet, sides=[("front", [0, 0, 1200, 845]), ("back", [1200, 0, 2400, 845])])
    >>> back.ok, back.side, np.round(map_points([[0, 0]], back), 0).tolist()
    (True, 'back', [[1200.0, 0.0]])
    """
    t0 = time.perf_counter()
    gray = as_gray(image, name="image")
    if not isinstance(min_inliers, (int, np.integer)) or min_inliers < 4:
        raise ValueError(f"min_inliers must be an integer >= 4, got {min_inliers!r}")
    if not (0.0 < float(ratio) <= 1.0):
        raise ValueError(f"ratio must be in (0, 1], got {ratio!r}")
    if not (float(max_error_px) > 0):
        raise ValueError(f"max_error_px must be positive, got {max_error_px!r}")
    if not (0.0 < float(max_tilt_deg) < 90.0):
        raise ValueError(f"max_tilt_deg must be between 0 and 90, got {max_tilt_deg!r}")
    options = dict(refine=refine, min_inliers=int(min_inliers), max_error_px=float(max_error_px),
                   max_tilt_deg=float(max_tilt_deg), ratio=float(ratio))
    pyr = Pyramid(gray) if min(gray.shape) >= 32 else None
    whole = _register_to(gray, pyr, reference_index(reference), t0=t0, **options)
    pages = [(str(n), [int(v) for v in b]) for n, b in (pages or [])]
    if refine and len(pages) >= 2 and not isinstance(reference, ReferenceIndex):
        return _register_pages(gray, pyr, reference, pages, whole, t0=t0, max_fold_gap_px=float(max_fold_gap_px),
                               **options)
    sides = [(str(n), [int(v) for v in b]) for n, b in (sides or [])]
    if len(sides) < 2 or isinstance(reference, ReferenceIndex):
        return whole
    shown = [n for n, b in sides if whole.ok and _coverage(whole.homography, b, whole.image_size) >= min_side_coverage]
    if whole.ok and len(shown) == len(sides):
        return whole
    if whole.ok and len(shown) == 1:
        return replace(whole, side=shown[0])
    # one side alone (the whole sheet's pose rests on half the patches, and
    # its error estimate extrapolates over the side that is not there)
    best = None
    for name, box in sides:
        part = _register_part(gray, pyr, reference, box, t0=t0, **options)
        if part.ok and (best is None or part.reprojection_error_px < best.reprojection_error_px):
            best = replace(part, template_size=whole.template_size, side=name)
    if best is None:
        return whole
    return replace(best, timings_ms={**best.timings_ms, "total": round((time.perf_counter() - t0) * 1e3, 2)})


def _register_part(gray, pyr, reference, box, *, t0: float, **options) -> Registration:
    """Align ``gray`` to the part ``box`` of ``reference``; the homography maps into the whole reference."""
    x0, y0, x1, y1 = box
    part = _register_to(gray, pyr, reference_index(np.ascontiguousarray(reference[y0:y1, x0:x1])), t0=t0, **options)
    shift = np.array([[1.0, 0, x0], [0, 1.0, y0], [0, 0, 1.0]])
    return replace(part, homography=normalised(shift @ part.homography))


def _fold_points(box, boxes, *, samples: int = 9) -> np.ndarray:
    """Points (template pixels) along the edges ``box`` shares with the other page ``boxes`` (the fold)."""
    x0, y0, x1, y1 = box
    points = []
    for other in boxes:
        for x in {x0, x1} & {other[0], other[2]}:
            if other != box and min(y1, other[3]) > max(y0, other[1]):
                ys = np.linspace(max(y0, other[1]), min(y1, other[3]) - 1, samples)
                points += [[x, y] for y in ys]
    return np.array(points, float).reshape(-1, 2)


def _register_pages(gray, pyr, reference, pages, whole: Registration, *, t0: float, max_fold_gap_px: float,
                    **options) -> Registration:
    """A spread's pages posed one by one where the whole spread's one pose does not fit them (see :func:`register`).

    From a good whole-spread pose, each page is refined on its own from it
    (no new features: a tenth of a second) and keeps its own pose only
    where that moves it more than :data:`PAGE_APART_PX` and still meets the
    spread's pose at the fold (``max_fold_gap_px``); a page too far from
    the whole pose for the refinement is aligned by its own features, and
    keeps the whole pose if that fails too. Without a whole pose, each page is
    aligned from scratch, and ``whole`` (the failure) is returned if none aligns.
    """
    if whole.ok:
        inv = np.linalg.inv(whole.homography)
        own = []
        for name, box in pages:
            x0, y0, x1, y1 = box
            index = reference_index(np.ascontiguousarray(reference[y0:y1, x0:x1]))
            shift = np.array([[1.0, 0, x0], [0, 1.0, y0], [0, 0, 1.0]])
            fine = refine_pose(pyr, index, np.linalg.inv(shift) @ whole.homography, index.size,
                               whole.image_size, options["max_tilt_deg"])
            if fine is not None and fine[1] <= options["max_error_px"]:
                hm = normalised(shift @ fine[0])
            else:  # too far from the spread's pose for the refinement to reach: the page's own features
                part = _register_part(gray, pyr, reference, box, t0=t0, **options)
                if not part.ok:
                    continue
                hm = part.homography
            corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)
            fold = _fold_points(box, [b for _, b in pages])
            if np.linalg.norm(apply(hm, apply(inv, corners)) - corners, axis=1).max() <= PAGE_APART_PX:
                continue  # the spread's pose fits this page
            if len(fold) and np.linalg.norm(apply(hm, apply(inv, fold)) - fold, axis=1).max() > max_fold_gap_px:
                continue  # no leaf of this spread: its own pose would move the fold
            own.append((name, box, hm))
        return replace(whole, pages=tuple(own)) if own else whole
    aligned = [(name, box, _register_part(gray, pyr, reference, box, t0=t0, **options)) for name, box in pages]
    aligned = [(name, box, reg) for name, box, reg in aligned if reg.ok]
    if not aligned:
        return whole
    # the spread's one pose is that of the page best supported by the design
    best = max(aligned, key=lambda a: a[2].inliers)[2]
    return replace(best, template_size=whole.template_size, pages=tuple((n, b, r.homography) for n, b, r in aligned),
                   timings_ms={**best.timings_ms, "total": round((time.perf_counter() - t0) * 1e3, 2)})


def _coverage(h: np.ndarray, box, image_size, *, samples: int = 9) -> float:
    """Share of the template box ``box`` that falls inside the image under pose ``h`` (image -> template)."""
    x0, y0, x1, y1 = box
    gx, gy = np.meshgrid(np.linspace(x0, x1 - 1, samples), np.linspace(y0, y1 - 1, samples))
    q = apply(np.linalg.inv(h), np.c_[gx.ravel(), gy.ravel()])
    w, hh = image_size
    # pixel edges, with a pixel of slack for the pose's own error
    inside = (q[:, 0] >= -1.5) & (q[:, 0] <= w + 0.5) & (q[:, 1] >= -1.5) & (q[:, 1] <= hh + 0.5)
    return float(inside.mean())


def _register_to(gray: np.ndarray, pyr, index: ReferenceIndex, *, t0: float, refine: bool, min_inliers: int,
                 max_error_px: float, max_tilt_deg: float, ratio: float) -> Registration:
    """Align ``gray`` (its pyramid ``pyr``) to one reference index."""
    timings: dict[str, float] = {}
    ih, iw = gray.shape
    tsize, isize = index.size, (int(iw), int(ih))

    def result(hm, ok, err, inl, reason, feat=0, refined=False):
        timings["total"] = (time.perf_counter() - t0) * 1e3
        return Registration(normalised(hm), bool(ok), float(err), int(inl), reason,
                            {k: round(v, 2) for k, v in timings.items()}, tsize, isize,
                            int(feat), bool(refined))

    identity = np.eye(3)
    if pyr is None:
        return result(identity, False, np.inf, 0, Message("the image is too small to show a document"))
    # the capture's working size follows the reference's (a page of the same
    # shape spanning most of the frame then appears at a similar size in both)
    side = round(IMAGE_WORK_SIDE * index.work_side / REFERENCE_WORK_SIDE)
    # (share of the reference's working resolution, the capture's working side); the first try only when the
    # correlation refinement will check and set the pose
    attempts = ([(FIRST_TRY_SHARE, round(side * FIRST_TRY_SHARE))] if refine else []) + [(1.0, side)]
    attempts += [(1.0, side * 2)] if max(ih, iw) > side * 1.3 else []
    failure = None
    for share, work_side in attempts:
        first_try = share != 1.0
        coarse = coarse_pose(pyr, index, work_side, ratio=float(ratio), min_inliers=min_inliers,
                             max_tilt_deg=max_tilt_deg, timings=timings, share=share)
        if not coarse.ok:
            failure = result(coarse.h, False, np.inf, coarse.inliers, coarse.reason, coarse.inliers)
            if coarse.retry or first_try:
                continue  # hard case (page small in the frame, blur): look again, finer
            return failure
        if not refine:
            h, n_feat = coarse.h, coarse.inliers
            err = float(np.sqrt(np.mean(np.sum((apply(h, coarse.src) - coarse.dst) ** 2, axis=1))))
            ok = err <= max(max_error_px, coarse.threshold)
            return result(h, ok, err, n_feat, "" if ok else Message("the feature matches disagree too much"), n_feat)
        tick = time.perf_counter()
        fine = refine_pose(pyr, index, coarse.h, tsize, isize, max_tilt_deg)
        timings["refine"] = timings.get("refine", 0.0) + (time.perf_counter() - tick) * 1e3
        if fine is None:
            failure = result(coarse.h, False, np.inf, coarse.inliers,
                             Message("the fine alignment failed: the image is too blurred, too small or the "
                                     "design does not match this template closely enough"), coarse.inliers)
            # a feature pose resting on few matches may be wrong: look again, finer
            if first_try or coarse.inliers < 4 * min_inliers:
                continue
            return failure
        h, err, n_ref = fine
        if err > max_error_px and first_try:
            continue
        if err > max_error_px:
            return result(h, False, err, n_ref,
                          Message("the alignment is not precise enough (residual {err:.1f} px): the page may be "
                                  "bent or folded, or the image distorted", err=err), coarse.inliers, True)
        return result(h, True, err, n_ref, "", coarse.inliers, True)
    return failure

