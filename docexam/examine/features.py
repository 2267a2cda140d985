"""Coarse pose of a capture: SIFT features matched with the reference's, and a robust homography.

See :mod:`docexam.examine.register` for how this step fits in. Features are
found at a reduced working resolution on two threads (the image in two
overlapping halves), described by RootSIFT, matched by one matrix product
(ratio test and mutual check), and a homography is fitted by USAC MAGSAC++;
with a rough pose known, a guided round adds matches spread over the page.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import cv2
import numpy as np

from ..i18n import Message
from .geometry import Pyramid, apply, normalised, quad_problem, resize_to
from .pools import pool


__all__ = ["sift", "match", "Coarse", "coarse_pose", "IMAGE_FEATURES"]

#: features kept on the capture
IMAGE_FEATURES = 1300

#: overlap of the two halves of a tiled feature detection, in working pixels
_TILE_OVERLAP = 32


def sift_one(gray: np.ndarray, nfeatures: int) -> tuple[np.ndarray, np.ndarray]:
    # a low contrast threshold keeps the faint line work and fibres of the
    # security paper, which are the same on every genuine document
    det = cv2.SIFT_create(nfeatures=nfeatures, contrastThreshold=0.03)
    kps, desc = det.detectAndCompute(gray, None)
    if desc is None or len(kps) == 0:
        return np.zeros((0, 2), np.float32), np.zeros((0, 128), np.float32)
    return np.array([k.pt for k in kps], dtype=np.float32), desc


def sift(gray: np.ndarray, nfeatures: int, *, tiled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """SIFT keypoints (N, 2) and RootSIFT descriptors (N, 128), float32.

    OpenCV's SIFT runs on one core. With ``tiled`` the image is cut in two
    overlapping halves along its long side, detected in two threads (the
    GIL is released) and merged, each half keeping only the keypoints it
    owns: about half the wall time on a two-core machine, for the loss of a
    few keypoints whose descriptor window crosses the cut.
    """
    h, w = gray.shape
    if not tiled or max(h, w) < 8 * _TILE_OVERLAP or (os.cpu_count() or 1) < 2:
        pts, desc = sift_one(gray, nfeatures)
    else:
        horizontal = w >= h
        mid = (w if horizontal else h) // 2
        lo = gray[:, :mid + _TILE_OVERLAP] if horizontal else gray[:mid + _TILE_OVERLAP]
        hi = gray[:, mid - _TILE_OVERLAP:] if horizontal else gray[mid - _TILE_OVERLAP:]
        (p0, d0), (p1, d1) = pool("sift", 2).map(lambda t: sift_one(t, nfeatures // 2), (lo, hi))
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


def match(sim: np.ndarray, *, ratio: float, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
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


@dataclass
class Coarse:
    ok: bool
    h: np.ndarray
    inliers: int = 0
    reason: str = ""
    retry: bool = False  # worth another look at a finer working resolution
    threshold: float = 0.0
    src: np.ndarray | None = None
    dst: np.ndarray | None = None


_TOO_FEW = Message("too few matching features: not this document type, too blurred, too small in the frame or "
                   "badly lit")


def coarse_pose(pyr: Pyramid, index, side: int, *, ratio: float, min_inliers: int,
            max_tilt_deg: float, timings: dict, share: float = 1.0) -> Coarse:
    """Feature matching and a robust homography at a working resolution of ``side`` px.

    ``index`` is a :class:`~docexam.examine.register.ReferenceIndex` (not
    imported here: register imports this module); ``share`` names the
    reference's features to match (:attr:`~docexam.examine.register.ReferenceIndex.features`:
    at its working resolution, or at that share of it).
    """
    ref_scale, ref_pts, ref_desc = index.features[share]
    ih, iw = pyr.levels[0].shape
    identity = np.eye(3)

    def add(key, tick):
        timings[key] = timings.get(key, 0.0) + (time.perf_counter() - tick) * 1e3

    tick = time.perf_counter()
    target = min(1.0, side / max(ih, iw))
    level, to_level = pyr.level_for(target)
    work, m = resize_to(level, target / to_level[0, 0])
    to_work = m @ to_level
    add("prepare", tick)
    tick = time.perf_counter()
    if float(work.std()) < 2.0:
        add("features", tick)
        return Coarse(False, identity, 0, Message("the image is blank: no document features to match"))
    pts, desc = sift(work, IMAGE_FEATURES)
    pts = apply(np.linalg.inv(to_work), pts)
    add("features", tick)

    tick = time.perf_counter()
    sim = desc @ ref_desc.T
    qi, ri = match(sim, ratio=ratio)
    add("match", tick)
    tick = time.perf_counter()
    try:
        if len(qi) < min_inliers:
            return Coarse(False, identity, len(qi), _TOO_FEW, retry=True)
        src, dst = pts[qi].astype(np.float64), ref_pts[ri].astype(np.float64)
        # threshold in template pixels: ~2.5 working pixels of the reference
        thr = 2.5 / ref_scale
        h, mask = cv2.findHomography(src, dst, cv2.USAC_MAGSAC, thr, maxIters=5000, confidence=0.999)
        if h is None or mask is None:
            return Coarse(False, identity, 0, _TOO_FEW, retry=True)
        inl = mask.ravel().astype(bool)
        n = int(inl.sum())
        h = normalised(h)
        if n < min_inliers:
            return Coarse(False, h, n, _TOO_FEW, retry=True)
        # chance matches on a foreign image rarely agree; genuine ones agree a lot
        if n < 0.15 * len(qi) and n < 3 * min_inliers:
            return Coarse(False, h, n, Message("the matching features do not agree on one position: not this "
                                               "document type"), retry=True)
        problem = quad_problem(h, index.size, (iw, ih), max_tilt_deg)
        if problem:
            return Coarse(False, h, n, problem, retry=n < 3 * min_inliers)
        # guided matching: with the pose roughly known, look for each feature's
        # partner only near where it should be. Far fewer look-alikes compete
        # (repeated letters, line work), so many more matches pass the ratio
        # test, spread over the whole page; a pose fitted to a few clustered
        # matches can be tens of pixels off at the far corners.
        if n >= 80:  # plenty of matches, spread over the page: nothing to gain
            return Coarse(True, h, n, "", threshold=thr, src=src[inl], dst=dst[inl])
        radius = 10.0 / ref_scale
        near = apply(h, pts).astype(np.float32)
        dx = near[:, 0, None] - ref_pts[None, :, 0]
        dy = near[:, 1, None] - ref_pts[None, :, 1]
        allowed = dx * dx + dy * dy < radius * radius
        gi, gr = match(sim, ratio=min(0.95, ratio + 0.05), allowed=allowed)
        if len(gi) >= max(min_inliers, n):
            gsrc, gdst = pts[gi].astype(np.float64), ref_pts[gr].astype(np.float64)
            gthr = 1.5 / ref_scale
            g, gmask = cv2.findHomography(gsrc, gdst, cv2.USAC_MAGSAC, gthr, maxIters=5000, confidence=0.999)
            if g is not None and gmask is not None and int(gmask.sum()) >= n:
                g = normalised(g)
                if not quad_problem(g, index.size, (iw, ih), max_tilt_deg):
                    ginl = gmask.ravel().astype(bool)
                    return Coarse(True, g, int(ginl.sum()), "", threshold=gthr, src=gsrc[ginl], dst=gdst[ginl])
        return Coarse(True, h, n, "", threshold=thr, src=src[inl], dst=dst[inl])
    finally:
        add("homography", tick)

