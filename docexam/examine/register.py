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
import os
import time
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from ..imaging import as_gray
from .lru import BoundedCache
from .pools import pool

__all__ = [
    "Registration", "ReferenceIndex", "reference_index", "register",
    "warp_to_template", "map_points", "map_box",
]

#: long side, in pixels, of the reference image used for feature detection
REFERENCE_WORK_SIDE = 544
#: features kept on the reference, and on the capture
REFERENCE_FEATURES = 1600
IMAGE_FEATURES = 1300
#: long side of the capture used for feature detection (a little larger than
#: the reference's, because a capture usually shows background around the document)
IMAGE_WORK_SIDE = 576
#: refinement passes: (short side of the pass image, patch side, search
#: radius, grid cells), sizes in pass pixels; a pass never upsamples the
#: reference. For a 600 dpi TD3 the first, coarse pass (a quarter of the
#: resolution) reaches +-64 template px, beyond the error of a feature pose
#: resting on matches from part of the page; the second (half) reaches +-8 px, less than half the period of the
#: fine background line work (~1 mm), so it cannot lock on a neighbouring line.
_REFINE_PASSES = ((520, 32, 16, 40), (1040, 40, 4, 48))
#: an elongated document (a card's two sides side by side) keeps at least
#: this many working pixels across its short side
MIN_WORK_SHORT_SIDE = 320
#: a patch counts when its normalised correlation peak reaches this
_MIN_PATCH_NCC = 0.45


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

    @property
    def inverse(self) -> np.ndarray:
        """The homography from template to image coordinates."""
        return _normalised(np.linalg.inv(self.homography))

    def as_dict(self) -> dict:
        """A JSON-serialisable summary (for reports)."""
        err = self.reprojection_error_px
        return {
            "ok": bool(self.ok),
            "reprojection_error_px": round(float(err), 3) if np.isfinite(err) else None,
            "inliers": int(self.inliers),
            "reason": self.reason,
            "homography": [[float(v) for v in row] for row in self.homography],
            "timings_ms": {k: round(float(v), 1) for k, v in self.timings_ms.items()},
        }


# --------------------------------------------------------------------------
# small geometry helpers


def _normalised(h: np.ndarray) -> np.ndarray:
    h = np.asarray(h, dtype=np.float64)
    return h / h[2, 2] if abs(h[2, 2]) > 1e-12 else h


def _apply(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    pts = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
    q = pts @ h[:, :2].T + h[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        return q[:, :2] / q[:, 2:3]


def _scale_matrix(sx: float, sy: float | None = None) -> np.ndarray:
    """Pixel-centre-aware matrix from full-resolution to resized coordinates.

    ``cv2.resize`` to a size ``(w', h')`` maps the pixel centre ``x`` to
    ``(x + 0.5) * w'/w - 0.5``; ignoring the half-pixel terms, or the rounding
    of the output size, would bias every match by up to a few template pixels.
    """
    sy = sx if sy is None else sy
    return np.array([[sx, 0.0, 0.5 * sx - 0.5], [0.0, sy, 0.5 * sy - 0.5], [0.0, 0.0, 1.0]])


def _resize_to(gray: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Resize by about ``scale``; returns the image and the exact coordinate matrix."""
    h, w = gray.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if size == (w, h):
        return gray, np.eye(3)
    out = cv2.resize(gray, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    return out, _scale_matrix(size[0] / w, size[1] / h)


class _Pyramid:
    """Lazily computed half-resolution levels of a gray image."""

    def __init__(self, gray: np.ndarray):
        self.levels = [gray]
        self.matrices = [np.eye(3)]  # level-0 coordinates -> level coordinates

    def level_for(self, scale: float) -> tuple[np.ndarray, np.ndarray]:
        """The smallest level whose resolution is at least ~0.8 ``scale`` of level 0.

        Returns the level and the matrix from level-0 to level coordinates.
        Sampling a level at most ~1.6x coarser than itself keeps aliasing
        negligible, and the levels are shared by every step.
        """
        k = 0
        while 0.5 ** (k + 1) >= scale * 0.8 and min(self.levels[k].shape) > 64:
            k += 1
            if len(self.levels) <= k:
                prev = self.levels[-1]
                # an even crop halves exactly: OpenCV's fast 2x2 averaging path
                # (an odd size takes the generic area resampler, ~10x slower),
                # for the loss of at most one pixel row and column
                hh, ww = prev.shape[0] // 2, prev.shape[1] // 2
                self.levels.append(cv2.resize(prev[:2 * hh, :2 * ww], (ww, hh), interpolation=cv2.INTER_AREA))
                self.matrices.append(_scale_matrix(0.5) @ self.matrices[-1])
        return self.levels[k], self.matrices[k]


# --------------------------------------------------------------------------
# features


#: overlap of the two halves of a tiled feature detection, in working pixels
_TILE_OVERLAP = 32


def _sift_one(gray: np.ndarray, nfeatures: int) -> tuple[np.ndarray, np.ndarray]:
    # a low contrast threshold keeps the faint line work and fibres of the
    # security paper, which are the same on every genuine document
    det = cv2.SIFT_create(nfeatures=nfeatures, contrastThreshold=0.03)
    kps, desc = det.detectAndCompute(gray, None)
    if desc is None or len(kps) == 0:
        return np.zeros((0, 2), np.float32), np.zeros((0, 128), np.float32)
    return np.array([k.pt for k in kps], dtype=np.float32), desc


def _sift(gray: np.ndarray, nfeatures: int, *, tiled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """SIFT keypoints (N, 2) and RootSIFT descriptors (N, 128), float32.

    OpenCV's SIFT runs on one core. With ``tiled`` the image is cut in two
    overlapping halves along its long side, detected in two threads (the
    GIL is released) and merged, each half keeping only the keypoints it
    owns: about half the wall time on a two-core machine, for the loss of a
    few keypoints whose descriptor window crosses the cut.
    """
    h, w = gray.shape
    if not tiled or max(h, w) < 8 * _TILE_OVERLAP or (os.cpu_count() or 1) < 2:
        pts, desc = _sift_one(gray, nfeatures)
    else:
        horizontal = w >= h
        mid = (w if horizontal else h) // 2
        lo = gray[:, :mid + _TILE_OVERLAP] if horizontal else gray[:mid + _TILE_OVERLAP]
        hi = gray[:, mid - _TILE_OVERLAP:] if horizontal else gray[mid - _TILE_OVERLAP:]
        (p0, d0), (p1, d1) = pool("sift", 2).map(lambda t: _sift_one(t, nfeatures // 2), (lo, hi))
        ax = 0 if horizontal else 1
        p1 = p1.copy()
        p1[:, ax] += mid - _TILE_OVERLAP
        k0, k1 = p0[:, ax] < mid - 0.5, p1[:, ax] >= mid - 0.5
        pts, desc = np.r_[p0[k0], p1[k1]], np.r_[d0[k0], d1[k1]]
    if len(pts) == 0:
        return np.zeros((0, 2), np.float32), np.zeros((0, 128), np.float32)
    # RootSIFT (Hellinger kernel): more reliable matching on repetitive line work
    desc = desc / (np.abs(desc).sum(axis=1, keepdims=True) + 1e-7)
    return pts.astype(np.float32), np.sqrt(desc).astype(np.float32)


def _match(sim: np.ndarray, *, ratio: float, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Indices (i_img, i_ref) passing the ratio test and the mutual check.

    ``sim`` is the (n_img, n_ref) matrix of descriptor similarities (dot
    products of unit descriptors: the squared distance is ``2 - 2 sim``, so
    one matrix product ranks every pair, deterministically and faster than
    a matcher object). ``allowed`` restricts the candidates (guided matching).
    """
    n, m = sim.shape
    if n < 2 or m < 2:
        return np.zeros(0, int), np.zeros(0, int)
    # -1 is the similarity of opposite descriptors: never a match
    sim = np.where(allowed, sim, np.float32(-1.0)) if allowed is not None else sim.copy()
    rows = np.arange(n)
    first = sim.argmax(axis=1)
    s1 = sim[rows, first].copy()
    sim[rows, first] = -np.inf
    s2 = sim.max(axis=1)
    sim[rows, first] = s1
    good = ((2.0 - 2.0 * s1) < (ratio ** 2) * (2.0 - 2.0 * s2)) & (s1 > -1.0)
    # mutual: the reference feature's best partner is this image feature too
    mutual = sim.argmax(axis=0)[first] == rows
    keep = good & mutual
    return rows[keep], first[keep]


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
    patches : list
        Per refinement pass, ``(centres, patch_stack)``: the template-pixel
        centres of the correlation patches and their pixels.

    Examples
    --------
    >>> from docexam.synth.capture import demo_document
    >>> index = ReferenceIndex(demo_document(size=(1200, 845)))
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
        work, m = _resize_to(gray, self.work_scale)
        pts, self.descriptors = _sift(work, REFERENCE_FEATURES)
        self.points = _apply(np.linalg.inv(m), pts).astype(np.float32)
        self.patches = [self._patches(gray, min(1.0, side / min(h, w)), p, r, k)
                        for side, p, r, k in _REFINE_PASSES]

    @staticmethod
    def _patches(gray: np.ndarray, scale: float, p: int, r: int, count: int):
        """Pick textured patches on a grid, so the refinement is spread over the page."""
        img, to_pass = _resize_to(gray, scale)
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
            return _PatchSet(scale, to_pass, p, r, np.zeros((0, 2), np.int64), np.zeros((0, p, p)))
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
        return _PatchSet(scale, to_pass, p, r, np.array(corners, dtype=np.int64).reshape(-1, 2),
                         np.array(stack, np.float64).reshape(-1, p, p))


@dataclass(frozen=True)
class _PatchSet:
    """Reference patches of one refinement pass, ready for batched correlation."""

    scale: float  # pass resolution relative to the template
    to_pass: np.ndarray  # template pixel coordinates -> pass pixel coordinates
    p: int  # patch side
    r: int  # search radius
    corners: np.ndarray  # (n, 2) top-left corners in pass pixels
    stack: np.ndarray  # (n, p, p) pixels

    def __post_init__(self):
        n, p = len(self.stack), self.p
        side = p + 2 * self.r
        fft = int(2 ** np.ceil(np.log2(side)))
        zero = self.stack - self.stack.mean(axis=(1, 2), keepdims=True)
        # the zero-mean template's spectrum, conjugated: correlation is then a
        # product of spectra, for all patches at once
        object.__setattr__(self, "fft_side", fft)
        object.__setattr__(self, "spectra", np.conj(np.fft.rfft2(zero.astype(np.float32), s=(fft, fft)))
                           .astype(np.complex64) if n else np.zeros((0, fft, fft // 2 + 1), np.complex64))
        object.__setattr__(self, "norms", np.sqrt((zero ** 2).sum(axis=(1, 2))))
        # template coordinates of each patch centre
        object.__setattr__(self, "centres", _apply(np.linalg.inv(self.to_pass),
                                                   self.corners + (p - 1) / 2.0))

    def __len__(self) -> int:
        return len(self.stack)


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
    >>> from docexam.synth.capture import demo_document
    >>> ref = demo_document(size=(1200, 845))
    >>> reference_index(ref) is reference_index(ref.copy())
    True
    """
    if isinstance(reference, ReferenceIndex):
        return reference
    as_gray(reference, name="reference")  # validates
    return _INDEXES.get_or_build(_fingerprint(reference), lambda: ReferenceIndex(reference))


# --------------------------------------------------------------------------
# checks


def _quad_problem(h_img_to_tpl: np.ndarray, tsize: tuple[int, int], isize: tuple[int, int],
                  max_tilt_deg: float) -> str:
    """Why the template's outline mapped into the image is implausible, or ''."""
    try:
        inv = np.linalg.inv(h_img_to_tpl)
    except np.linalg.LinAlgError:
        return "the alignment is degenerate"
    if not np.all(np.isfinite(inv)):
        return "the alignment is degenerate"
    w, h = tsize
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    q = inv @ np.c_[corners, np.ones(4)].T
    if np.any(q[2] <= 0):  # part of the page would be behind the camera
        return "the matching features do not form a plausible view of the document"
    quad = (q[:2] / q[2]).T
    # convex and consistently oriented: all cross products of consecutive edges share a sign
    edges = np.roll(quad, -1, axis=0) - quad
    cross = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
    if not (np.all(cross > 0) or np.all(cross < 0)):
        return "the matching features do not form a plausible view of the document (the outline folds over)"
    if np.all(cross < 0):
        return "the image appears mirrored (a document seen from behind, or a flipped image)"
    area = 0.5 * abs(np.sum(quad[:, 0] * np.roll(quad[:, 1], -1) - quad[:, 1] * np.roll(quad[:, 0], -1)))
    if area < 0.01 * isize[0] * isize[1] or np.sqrt(area) < 100:
        return "the document is too small in the image to be examined"
    # perspective: opposite sides' lengths; a 45 degree tilt already shortens one side a lot
    side = np.linalg.norm(edges, axis=1)
    limit = 1.0 + 1.2 * np.tan(np.radians(max_tilt_deg))
    if side[0] / side[2] > limit or side[2] / side[0] > limit or side[1] / side[3] > limit or side[3] / side[1] > limit:
        return "the document is seen at too steep an angle"
    aspect = (side[0] + side[2]) / (side[1] + side[3])
    expected = w / h
    if not (expected / 2.0 < aspect < expected * 2.0):
        return "the matched outline has the wrong shape for this document type"
    return ""


# --------------------------------------------------------------------------
# refinement


def _ncc_batch(windows: np.ndarray, ps: _PatchSet) -> np.ndarray:
    """Normalised cross-correlation of each window with its patch, valid offsets only.

    ``windows`` is (n, S, S) with ``S = p + 2r``; the result is (n, 2r+1, 2r+1).
    Done with one batched FFT and integral images instead of n calls to
    ``cv2.matchTemplate``, whose per-call overhead dominates at this size.
    """
    p, r, fft = ps.p, ps.r, ps.fft_side
    k = 2 * r + 1
    # float32 is plenty once each window's mean is removed (sums stay small)
    w = windows.astype(np.float32)
    w -= w.mean(axis=(1, 2), keepdims=True)
    corr = np.fft.irfft2(np.fft.rfft2(w, s=(fft, fft)) * ps.spectra, s=(fft, fft))[:, :k, :k]
    n, sh, sw = w.shape
    ii = np.zeros((n, sh + 1, sw + 1), np.float32)
    ii2 = np.zeros_like(ii)
    np.cumsum(w, axis=1, out=ii[:, 1:, 1:])
    np.cumsum(ii[:, 1:, 1:], axis=2, out=ii[:, 1:, 1:])
    np.cumsum(w * w, axis=1, out=ii2[:, 1:, 1:])
    np.cumsum(ii2[:, 1:, 1:], axis=2, out=ii2[:, 1:, 1:])

    def box(a):
        return a[:, p:p + k, p:p + k] - a[:, :k, p:p + k] - a[:, p:p + k, :k] + a[:, :k, :k]

    s1, s2 = box(ii), box(ii2)
    var = np.maximum(s2 - s1 * s1 / (p * p), 0.0)
    den = ps.norms[:, None, None] * np.sqrt(var)
    return np.where(den > 1e-6, corr / np.maximum(den, 1e-6), 0.0)


def _refine_pass(pyr: _Pyramid, h: np.ndarray, ps: _PatchSet, threshold: float, tsize):
    """One correlation pass; returns (new homography or None, residual RMS, inliers)."""
    n, p, r, scale = len(ps), ps.p, ps.r, ps.scale
    if n < 6:
        return None, np.inf, 0
    inv = _normalised(np.linalg.inv(h))  # template -> image
    # local scale of the image relative to the template, at the page centre
    c = ps.centres.mean(axis=0, keepdims=True)
    pts = _apply(inv, np.r_[c, c + [1, 0], c + [0, 1]])
    img_scale = float(np.sqrt(abs(np.linalg.det(np.c_[pts[1] - pts[0], pts[2] - pts[0]]))))
    level, to_level = pyr.level_for(scale / max(img_scale, 1e-6))
    # pass pixels -> template pixels -> image level pixels
    base = to_level @ inv @ np.linalg.inv(ps.to_pass)
    side = p + 2 * r
    # every window's sampling positions at once, then one remap: one call
    # instead of one warp per patch (whose fixed overhead would dominate)
    grid = np.arange(side, dtype=np.float64) - r
    gx = ps.corners[:, 0, None, None] + grid[None, None, :]
    gy = ps.corners[:, 1, None, None] + grid[None, :, None]
    den = base[2, 0] * gx + base[2, 1] * gy + base[2, 2]
    map_x = ((base[0, 0] * gx + base[0, 1] * gy + base[0, 2]) / den).astype(np.float32)
    map_y = ((base[1, 0] * gx + base[1, 1] * gy + base[1, 2]) / den).astype(np.float32)
    windows = cv2.remap(level, map_x.reshape(n * side, side), map_y.reshape(n * side, side),
                        cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).reshape(n, side, side)
    ncc = _ncc_batch(windows, ps)
    flat = ncc.reshape(n, -1)
    best = flat.argmax(axis=1)
    peak = flat[np.arange(n), best]
    my, mx = np.divmod(best, 2 * r + 1)
    ok = (peak >= _MIN_PATCH_NCC) & (mx > 0) & (mx < 2 * r) & (my > 0) & (my < 2 * r)
    if ok.sum() < 6:
        return None, np.inf, int(ok.sum())
    idx = np.nonzero(ok)[0]
    mx, my = mx[idx], my[idx]

    def vertex(a, b, cc):
        # sub-pixel peak: the vertex of a parabola through three samples
        den = a - 2 * b + cc
        safe = np.where(np.abs(den) < 1e-9, 1.0, den)
        return np.where(np.abs(den) < 1e-9, 0.0, np.clip(0.5 * (a - cc) / safe, -0.5, 0.5))

    dx = vertex(ncc[idx, my, mx - 1], ncc[idx, my, mx], ncc[idx, my, mx + 1])
    dy = vertex(ncc[idx, my - 1, mx], ncc[idx, my, mx], ncc[idx, my + 1, mx])
    # the patch was found at this offset from where the current homography
    # expects it (r, r): the true partner of the template point `centre` is
    # the image point that the current homography puts at `centre + offset`
    offset = np.c_[mx + dx - r, my + dy - r] / np.diag(ps.to_pass)[:2]
    dst = ps.centres[idx]
    src = _apply(inv, dst + offset)
    new, mask = cv2.findHomography(src, dst, cv2.RANSAC, threshold, maxIters=2000, confidence=0.999)
    if new is None:
        return None, np.inf, 0
    inl = mask.ravel().astype(bool)
    if inl.sum() >= 6:
        # least squares on the inliers only: RANSAC's minimal-sample fit is noisier
        ls, _ = cv2.findHomography(src[inl], dst[inl], 0)
        if ls is not None:
            new = ls
    new = _normalised(new)
    resid = np.linalg.norm(_apply(new, src[inl]) - dst[inl], axis=1)
    rms = float(np.sqrt(np.mean(resid ** 2))) if len(resid) else np.inf
    return new, max(rms, _split_half_error(src[inl], dst[inl], new, tsize)), int(inl.sum())


def _split_half_error(src: np.ndarray, dst: np.ndarray, h: np.ndarray, tsize) -> float:
    """How far the fitted pose may be off over the page, in template pixels.

    The point pairs' residuals say how well the pairs agree, not how well
    the pose is pinned down away from them (a page corner far from every
    patch). Fit the two halves of the pairs separately and compare where
    they put a grid over the whole page: each half has twice the variance of
    the full fit, so the RMS disagreement over two estimates the full fit's
    RMS error.
    """
    if len(src) < 12:
        return np.inf
    w, hh = tsize
    grid = np.array([[x, y] for x in np.linspace(0, w - 1, 7) for y in np.linspace(0, hh - 1, 5)])
    on_image = _apply(np.linalg.inv(h), grid)
    a, _ = cv2.findHomography(src[0::2], dst[0::2], 0)
    b, _ = cv2.findHomography(src[1::2], dst[1::2], 0)
    if a is None or b is None:
        return np.inf
    d = np.linalg.norm(_apply(a, on_image) - _apply(b, on_image), axis=1)
    return float(np.sqrt(np.mean(d ** 2)) / 2.0) if np.all(np.isfinite(d)) else np.inf


@dataclass
class _Coarse:
    ok: bool
    h: np.ndarray
    inliers: int = 0
    reason: str = ""
    retry: bool = False  # worth another look at a finer working resolution
    threshold: float = 0.0
    src: np.ndarray | None = None
    dst: np.ndarray | None = None


_TOO_FEW = ("too few matching features: not this document type, too blurred, "
            "too small in the frame or badly lit")


def _coarse(pyr: _Pyramid, index: ReferenceIndex, side: int, *, ratio: float, min_inliers: int,
            max_tilt_deg: float, timings: dict) -> _Coarse:
    """Feature matching and a robust homography at a working resolution of ``side`` px."""
    ih, iw = pyr.levels[0].shape
    identity = np.eye(3)

    def add(key, tick):
        timings[key] = timings.get(key, 0.0) + (time.perf_counter() - tick) * 1e3

    tick = time.perf_counter()
    target = min(1.0, side / max(ih, iw))
    level, to_level = pyr.level_for(target)
    work, m = _resize_to(level, target / to_level[0, 0])
    to_work = m @ to_level
    add("prepare", tick)
    tick = time.perf_counter()
    if float(work.std()) < 2.0:
        add("features", tick)
        return _Coarse(False, identity, 0, "the image is blank: no document features to match")
    pts, desc = _sift(work, IMAGE_FEATURES)
    pts = _apply(np.linalg.inv(to_work), pts)
    add("features", tick)

    tick = time.perf_counter()
    sim = desc @ index.descriptors.T
    qi, ri = _match(sim, ratio=ratio)
    add("match", tick)
    tick = time.perf_counter()
    try:
        if len(qi) < min_inliers:
            return _Coarse(False, identity, len(qi), _TOO_FEW, retry=True)
        src, dst = pts[qi].astype(np.float64), index.points[ri].astype(np.float64)
        # threshold in template pixels: ~2.5 working pixels of the reference
        thr = 2.5 / index.work_scale
        h, mask = cv2.findHomography(src, dst, cv2.USAC_MAGSAC, thr, maxIters=5000, confidence=0.999)
        if h is None or mask is None:
            return _Coarse(False, identity, 0, _TOO_FEW, retry=True)
        inl = mask.ravel().astype(bool)
        n = int(inl.sum())
        h = _normalised(h)
        if n < min_inliers:
            return _Coarse(False, h, n, _TOO_FEW, retry=True)
        # chance matches on a foreign image rarely agree; genuine ones agree a lot
        if n < 0.15 * len(qi) and n < 3 * min_inliers:
            return _Coarse(False, h, n, "the matching features do not agree on one position: "
                           "not this document type", retry=True)
        problem = _quad_problem(h, index.size, (iw, ih), max_tilt_deg)
        if problem:
            return _Coarse(False, h, n, problem, retry=n < 3 * min_inliers)
        # guided matching: with the pose roughly known, look for each feature's
        # partner only near where it should be. Far fewer look-alikes compete
        # (repeated letters, line work), so many more matches pass the ratio
        # test, spread over the whole page; a pose fitted to a few clustered
        # matches can be tens of pixels off at the far corners.
        if n >= 80:  # plenty of matches, spread over the page: nothing to gain
            return _Coarse(True, h, n, "", threshold=thr, src=src[inl], dst=dst[inl])
        radius = 10.0 / index.work_scale
        near = _apply(h, pts).astype(np.float32)
        dx = near[:, 0, None] - index.points[None, :, 0]
        dy = near[:, 1, None] - index.points[None, :, 1]
        allowed = dx * dx + dy * dy < radius * radius
        gi, gr = _match(sim, ratio=min(0.95, ratio + 0.05), allowed=allowed)
        if len(gi) >= max(min_inliers, n):
            gsrc, gdst = pts[gi].astype(np.float64), index.points[gr].astype(np.float64)
            gthr = 1.5 / index.work_scale
            g, gmask = cv2.findHomography(gsrc, gdst, cv2.USAC_MAGSAC, gthr, maxIters=5000, confidence=0.999)
            if g is not None and gmask is not None and int(gmask.sum()) >= n:
                g = _normalised(g)
                if not _quad_problem(g, index.size, (iw, ih), max_tilt_deg):
                    ginl = gmask.ravel().astype(bool)
                    return _Coarse(True, g, int(ginl.sum()), "", threshold=gthr, src=gsrc[ginl], dst=gdst[ginl])
        return _Coarse(True, h, n, "", threshold=thr, src=src[inl], dst=dst[inl])
    finally:
        add("homography", tick)


def register(image: np.ndarray, reference, *, refine: bool = True, min_inliers: int = 15,
             max_error_px: float = 3.0, max_tilt_deg: float = 45.0, ratio: float = 0.85) -> Registration:
    """Align a document image to its template's reference image.

    Parameters
    ----------
    image : ndarray
        The capture, uint8, gray (H, W) or RGB (H, W, 3), any size. Not modified.
    reference : ndarray or ReferenceIndex
        The template's reference image (uint8 RGB, template geometry), or a
        :class:`ReferenceIndex` built from it. Arrays are indexed once and
        cached (:func:`reference_index`).
    refine : bool, optional
        Refine the feature-based homography by local correlation (default).
        Without it the error is a few template pixels.
    min_inliers : int, optional
        Fewest feature matches that may support the coarse homography.
    max_error_px : float, optional
        Largest acceptable refinement residual (RMS, template pixels).
    max_tilt_deg : float, optional
        Steeper views are refused (perspective too strong to examine).
    ratio : float, optional
        Lowe's ratio for the feature matches, in (0, 1].

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
    >>> from docexam.synth.capture import demo_document
    >>> ref = demo_document(size=(1200, 845))
    >>> rot = cv2.rotate(ref, cv2.ROTATE_180)  # the page upside down
    >>> reg = register(rot, ref)
    >>> reg.ok
    True
    >>> np.round(map_points([[0, 0]], reg, to="image"), 0)  # the template's corner is now bottom right
    array([[1199.,  844.]])
    >>> register(np.full((600, 800), 128, np.uint8), ref).ok
    False
    """
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    gray = as_gray(image, name="image")
    if not isinstance(min_inliers, (int, np.integer)) or min_inliers < 4:
        raise ValueError(f"min_inliers must be an integer >= 4, got {min_inliers!r}")
    if not (0.0 < float(ratio) <= 1.0):
        raise ValueError(f"ratio must be in (0, 1], got {ratio!r}")
    if not (float(max_error_px) > 0):
        raise ValueError(f"max_error_px must be positive, got {max_error_px!r}")
    if not (0.0 < float(max_tilt_deg) < 90.0):
        raise ValueError(f"max_tilt_deg must be between 0 and 90, got {max_tilt_deg!r}")
    index = reference_index(reference)
    ih, iw = gray.shape
    tsize, isize = index.size, (int(iw), int(ih))

    def result(hm, ok, err, inl, reason, feat=0, refined=False):
        timings["total"] = (time.perf_counter() - t0) * 1e3
        return Registration(_normalised(hm), bool(ok), float(err), int(inl), reason,
                            {k: round(v, 2) for k, v in timings.items()}, tsize, isize,
                            int(feat), bool(refined))

    identity = np.eye(3)
    if min(ih, iw) < 32:
        return result(identity, False, np.inf, 0, "the image is too small to show a document")

    tick = time.perf_counter()
    pyr = _Pyramid(gray)
    timings["prepare"] = (time.perf_counter() - tick) * 1e3
    # the capture's working size follows the reference's (a page of the same
    # shape spanning most of the frame then appears at a similar size in both)
    side = round(IMAGE_WORK_SIDE * index.work_side / REFERENCE_WORK_SIDE)
    sides = [side] + ([side * 2] if max(ih, iw) > side * 1.3 else [])
    failure = None
    for attempt, work_side in enumerate(sides):
        coarse = _coarse(pyr, index, work_side, ratio=float(ratio), min_inliers=min_inliers,
                         max_tilt_deg=max_tilt_deg, timings=timings)
        if not coarse.ok:
            failure = result(coarse.h, False, np.inf, coarse.inliers, coarse.reason, coarse.inliers)
            if coarse.retry:
                continue  # hard case (page small in the frame, blur): look again, finer
            return failure
        if not refine:
            h, n_feat = coarse.h, coarse.inliers
            err = float(np.sqrt(np.mean(np.sum((_apply(h, coarse.src) - coarse.dst) ** 2, axis=1))))
            ok = err <= max(max_error_px, coarse.threshold)
            return result(h, ok, err, n_feat, "" if ok else "the feature matches disagree too much", n_feat)
        tick = time.perf_counter()
        fine = _refine(pyr, index, coarse.h, tsize, isize, max_tilt_deg)
        timings["refine"] = timings.get("refine", 0.0) + (time.perf_counter() - tick) * 1e3
        if fine is None:
            failure = result(coarse.h, False, np.inf, coarse.inliers,
                             "the fine alignment failed: the image is too blurred, too small or the "
                             "design does not match this template closely enough", coarse.inliers)
            # a feature pose resting on few matches may be wrong: look again, finer
            if coarse.inliers < 4 * min_inliers:
                continue
            return failure
        h, err, n_ref = fine
        if err > max_error_px:
            return result(h, False, err, n_ref,
                          f"the alignment is not precise enough (residual {err:.1f} px): "
                          "the page may be bent or folded, or the image distorted", coarse.inliers, True)
        return result(h, True, err, n_ref, "", coarse.inliers, True)
    return failure


def _refine(pyr: _Pyramid, index: ReferenceIndex, h: np.ndarray, tsize, isize, max_tilt_deg):
    """Run the correlation passes from the coarse pose ``h``; (h, rms, inliers) or None."""
    w, hh = tsize
    corners_t = np.array([[0, 0], [w, 0], [w, hh], [0, hh]], float)

    def shift(new, old):  # how far the page corners move from pose ``old`` to pose ``new``
        return np.linalg.norm(_apply(new, _apply(np.linalg.inv(old), corners_t)) - corners_t, axis=1).max()

    def agreed(new, n_in, ps):  # a good share of the patches agree on one plausible pose
        return new is not None and n_in >= max(8, 0.35 * len(ps)) and not _quad_problem(new, tsize, isize, max_tilt_deg)

    # the refinement may not wander off: the first pass may move the page
    # corners only as far as the feature pose could plausibly be wrong, the
    # finer passes only polish what the pass before found
    anchor, allowed = h, 24.0 / index.work_scale
    out = None
    for k, ps in enumerate(index.patches):
        # inliers within ~1 pass pixel: correct patches agree to a fraction of that
        new, rms, n_in = _refine_pass(pyr, h, ps, threshold=1.0 / ps.scale, tsize=tsize)
        if not agreed(new, n_in, ps):
            return None
        moved = shift(new, anchor)
        if moved > allowed:
            # On a steeply tilted page the feature pose, fitted where the matches
            # cluster, can be further off at the far corners. The first, widest
            # pass may correct up to twice as much, if the same pass run again
            # from the corrected pose agrees with it (it then stands still).
            if k > 0 or moved > 2 * allowed:
                return None
            again, rms, n_in = _refine_pass(pyr, new, ps, threshold=1.0 / ps.scale, tsize=tsize)
            if not agreed(again, n_in, ps) or shift(again, new) > allowed / 4:
                return None
            new = again
        h, out = new, (new, rms, n_in)
        anchor, allowed = new, min(allowed, 24.0 / index.work_scale) / 2
    return out


# --------------------------------------------------------------------------
# using a registration


def _homography_of(registration) -> np.ndarray:
    if isinstance(registration, Registration):
        return registration.homography
    h = np.asarray(registration, dtype=np.float64)
    if h.shape != (3, 3):
        raise ValueError(f"registration must be a Registration or a 3x3 homography, got shape {h.shape}")
    return h


def warp_to_template(image: np.ndarray, registration, size: tuple[int, int], *,
                     border: Literal["replicate", "white"] = "replicate") -> np.ndarray:
    """Resample ``image`` into template geometry.

    Parameters
    ----------
    image : ndarray
        The capture that was registered (uint8, gray or RGB). Not modified.
    registration : Registration or ndarray
        A :class:`Registration` or a 3x3 image-to-template homography.
    size : tuple of int
        ``(width, height)`` of the template.
    border : {"replicate", "white"}, optional
        How to fill template pixels that fall outside the image.

    Returns
    -------
    ndarray
        ``image`` resampled (bilinear) to ``size``, same dtype and channels.

    Examples
    --------
    >>> import numpy as np
    >>> img = np.zeros((100, 200, 3), np.uint8)
    >>> shift = np.array([[1, 0, 5], [0, 1, 0], [0, 0, 1]], float)
    >>> warp_to_template(img, shift, (220, 100), border="white")[0, 210]
    array([255, 255, 255], dtype=uint8)
    """
    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3):
        raise ValueError("image must be a 2-D or 3-D numpy array")
    try:
        w, h = (int(v) for v in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height), got {size!r}") from None
    if w <= 0 or h <= 0:
        raise ValueError(f"size must be positive, got {size!r}")
    if border not in ("replicate", "white"):
        raise ValueError(f"border must be 'replicate' or 'white', got {border!r}")
    hm = _homography_of(registration)
    if border == "replicate":
        return cv2.warpPerspective(image, hm, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    value = (255,) * (image.shape[2] if image.ndim == 3 else 1)
    return cv2.warpPerspective(image, hm, (w, h), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=value)


def map_points(points, registration, *, to: Literal["template", "image"] = "template") -> np.ndarray:
    """Map (x, y) points between image and template coordinates.

    Parameters
    ----------
    points : array_like, shape (N, 2) or (2,)
        Points in image coordinates (``to="template"``) or template
        coordinates (``to="image"``).
    registration : Registration or ndarray
        A :class:`Registration` or a 3x3 image-to-template homography.
    to : {"template", "image"}
        Direction of the mapping.

    Returns
    -------
    ndarray, shape (N, 2), float64

    Examples
    --------
    >>> import numpy as np
    >>> h = np.diag([2.0, 2.0, 1.0])  # the image is half the template's size
    >>> map_points([[10, 20]], h)
    array([[20., 40.]])
    >>> map_points([[20, 40]], h, to="image")
    array([[10., 20.]])
    """
    if to not in ("template", "image"):
        raise ValueError(f"to must be 'template' or 'image', got {to!r}")
    pts = np.asarray(points, dtype=np.float64)
    if pts.size % 2 or (pts.ndim == 2 and pts.shape[1] != 2) or pts.ndim > 2:
        raise ValueError(f"points must have shape (N, 2), got {pts.shape}")
    hm = _homography_of(registration)
    if to == "image":
        hm = np.linalg.inv(hm)
    return _apply(hm, pts.reshape(-1, 2))


def map_box(box, registration, *, to: Literal["template", "image"] = "template",
            clip_to: tuple[int, int] | None = None) -> list[int]:
    """Map a box ``[x0, y0, x1, y1]`` (x1, y1 exclusive) and return the box enclosing it.

    Parameters
    ----------
    box : sequence of 4 numbers
        The box in the source coordinates.
    registration : Registration or ndarray
        A :class:`Registration` or a 3x3 image-to-template homography.
    to : {"template", "image"}
        Direction of the mapping.
    clip_to : tuple of int, optional
        ``(width, height)`` to clip the result to.

    Returns
    -------
    list of int
        The integer box enclosing the mapped corners.

    Examples
    --------
    >>> import numpy as np
    >>> h = np.diag([2.0, 2.0, 1.0])
    >>> map_box([10, 10, 20, 30], h)
    [20, 20, 40, 60]
    >>> map_box([20, 20, 40, 60], h, to="image")
    [10, 10, 20, 30]
    """
    try:
        x0, y0, x1, y1 = (float(v) for v in box)
    except (TypeError, ValueError):
        raise ValueError(f"box must be [x0, y0, x1, y1], got {box!r}") from None
    if x1 < x0 or y1 < y0:
        raise ValueError(f"box must have x0 <= x1 and y0 <= y1, got {box!r}")
    q = map_points([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], registration, to=to)
    if not np.all(np.isfinite(q)):
        raise ValueError("box maps to infinity under this homography")
    out = [int(np.floor(q[:, 0].min())), int(np.floor(q[:, 1].min())),
           int(np.ceil(q[:, 0].max())), int(np.ceil(q[:, 1].max()))]
    if clip_to is not None:
        w, h = clip_to
        out = [min(max(out[0], 0), w), min(max(out[1], 0), h), min(max(out[2], 0), w), min(max(out[3], 0), h)]
    return out
