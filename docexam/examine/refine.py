"""Fine pose of a capture: correlation of reference patches in the capture, pass by pass.

See :mod:`docexam.examine.register`. Patches of the reference on a grid,
each where the pre-printed design has texture in two directions, are looked
for (normalised cross-correlation by one batched FFT, sub-pixel peak) in the
capture resampled through the current pose; the displacements give point
pairs and a robust least-squares homography.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .geometry import Pyramid, apply, normalised, quad_problem


__all__ = ["PatchSet", "refine_pose"]

#: a patch counts when its normalised correlation peak reaches this
MIN_PATCH_NCC = 0.45
#: how far (in reference working pixels of the feature step) the first pass
#: may move the page corners away from the feature pose
MAX_FIRST_SHIFT_WORK_PX = 24.0
#: the last pass is run again from its own result until the page corners move
#: less than this (template px) or come back to an earlier pose (see :func:`_settle`)
SETTLED_PX = 0.05
#: at most this many further runs of the last pass
SETTLE_RUNS = 4

@dataclass(frozen=True)
class PatchSet:
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
        object.__setattr__(self, "centres", apply(np.linalg.inv(self.to_pass),
                                                   self.corners + (p - 1) / 2.0))

    def __len__(self) -> int:
        return len(self.stack)



def ncc_batch(windows: np.ndarray, ps: PatchSet) -> np.ndarray:
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


def refine_pass(pyr: Pyramid, h: np.ndarray, ps: PatchSet, threshold: float, tsize):
    """One correlation pass; returns (new homography or None, residual RMS, inliers)."""
    n, p, r, scale = len(ps), ps.p, ps.r, ps.scale
    if n < 6:
        return None, np.inf, 0
    inv = normalised(np.linalg.inv(h))  # template -> image
    # local scale of the image relative to the template, at the page centre
    c = ps.centres.mean(axis=0, keepdims=True)
    pts = apply(inv, np.r_[c, c + [1, 0], c + [0, 1]])
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
    ncc = ncc_batch(windows, ps)
    flat = ncc.reshape(n, -1)
    best = flat.argmax(axis=1)
    peak = flat[np.arange(n), best]
    my, mx = np.divmod(best, 2 * r + 1)
    ok = (peak >= MIN_PATCH_NCC) & (mx > 0) & (mx < 2 * r) & (my > 0) & (my < 2 * r)
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
    src = apply(inv, dst + offset)
    new, mask = cv2.findHomography(src, dst, cv2.RANSAC, threshold, maxIters=2000, confidence=0.999)
    if new is None:
        return None, np.inf, 0
    inl = mask.ravel().astype(bool)
    if inl.sum() >= 6:
        # least squares on the inliers only: RANSAC's minimal-sample fit is noisier
        ls, _ = cv2.findHomography(src[inl], dst[inl], 0)
        if ls is not None:
            new = ls
    new = normalised(new)
    resid = np.linalg.norm(apply(new, src[inl]) - dst[inl], axis=1)
    rms = float(np.sqrt(np.mean(resid ** 2))) if len(resid) else np.inf
    return new, max(rms, split_half_error(src[inl], dst[inl], new, tsize)), int(inl.sum())


def split_half_error(src: np.ndarray, dst: np.ndarray, h: np.ndarray, tsize) -> float:
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
    on_image = apply(np.linalg.inv(h), grid)
    a, _ = cv2.findHomography(src[0::2], dst[0::2], 0)
    b, _ = cv2.findHomography(src[1::2], dst[1::2], 0)
    if a is None or b is None:
        return np.inf
    d = np.linalg.norm(apply(a, on_image) - apply(b, on_image), axis=1)
    return float(np.sqrt(np.mean(d ** 2)) / 2.0) if np.all(np.isfinite(d)) else np.inf


def _settle(pyr: Pyramid, ps: PatchSet, first, *, ok, moved, tsize):
    """The last pass run again from its own result: ``(h, rms, inliers)`` that no longer depends on the start.

    The patches are resampled through the starting pose, so one run ends a
    few tenths of a pixel away from where a slightly different start would
    have ended. Run again, the pose either stops moving (moves less than
    :data:`SETTLED_PX`) or, when few patches hold a page corner far from
    them, alternates between poses that disagree there; of the poses seen,
    the one with the smallest estimated error is kept. ``ok(h, inliers)``
    says whether a run's pose passes the pass's checks (one that does not
    ends the runs); ``moved(a, b)`` is how far the page corners move from
    pose ``b`` to pose ``a``.
    """
    seen = [first]
    for _ in range(SETTLE_RUNS):
        again = refine_pass(pyr, seen[-1][0], ps, threshold=1.0 / ps.scale, tsize=tsize)
        if not ok(again[0], again[2]):
            break
        back = [moved(again[0], h) < SETTLED_PX for h, _, _ in seen]
        seen.append(again)
        if any(back):
            break
    return min(seen, key=lambda run: run[1])


def refine_pose(pyr: Pyramid, index, h: np.ndarray, tsize, isize, max_tilt_deg):
    """Run the correlation passes from the coarse pose ``h``; (h, rms, inliers) or None.

    ``index`` is a :class:`~docexam.examine.register.ReferenceIndex` (not
    imported here: register imports this module).
    """
    w, hh = tsize
    corners_t = np.array([[0, 0], [w, 0], [w, hh], [0, hh]], float)

    def shift(new, old):  # how far the page corners move from pose ``old`` to pose ``new``
        return np.linalg.norm(apply(new, apply(np.linalg.inv(old), corners_t)) - corners_t, axis=1).max()

    def agreed(new, n_in, ps):  # a good share of the patches agree on one plausible pose
        return new is not None and n_in >= max(8, 0.35 * len(ps)) and not quad_problem(new, tsize, isize, max_tilt_deg)

    # the refinement may not wander off: the first pass may move the page
    # corners only as far as the feature pose could plausibly be wrong, the
    # finer passes only polish what the pass before found
    anchor, allowed = h, MAX_FIRST_SHIFT_WORK_PX / index.work_scale
    out = None
    for k, ps in enumerate(index.patches):
        # inliers within ~1 pass pixel: correct patches agree to a fraction of that
        new, rms, n_in = refine_pass(pyr, h, ps, threshold=1.0 / ps.scale, tsize=tsize)
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
            again, rms, n_in = refine_pass(pyr, new, ps, threshold=1.0 / ps.scale, tsize=tsize)
            if not agreed(again, n_in, ps) or shift(again, new) > allowed / 4:
                return None
            new = again
        if k == len(index.patches) - 1:
            new, rms, n_in = _settle(pyr, ps, (new, rms, n_in), ok=lambda again, n: (
                agreed(again, n, ps) and shift(again, anchor) <= allowed), moved=shift, tsize=tsize)
        h, out = new, (new, rms, n_in)
        anchor, allowed = new, min(allowed, MAX_FIRST_SHIFT_WORK_PX / index.work_scale) / 2
    return out

