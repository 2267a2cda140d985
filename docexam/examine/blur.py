"""How blurred a capture is, and how well its fine print matches the reference's.

Measured on a fixed spread of design tiles (:func:`design_tiles`): the
Gaussian blur that makes the reference look like the capture, the page's
fine-print correlation at that blur (its typical tile's), and that of its
better-matching tiles (whether the image shows this document at all).
"""

from __future__ import annotations

import cv2
import numpy as np

from .model import HP_SIGMA, ReferenceModel, highpass

__all__ = ["BLUR_SIGMAS", "design_tiles", "estimate_blur"]


#: candidate capture blurs (working pixels); the reference's terms are cached per candidate
BLUR_SIGMAS = (0.0, 0.4, 0.7, 1.0, 1.35, 1.7, 2.1, 2.6, 3.2)


def design_tiles(model: ReferenceModel, n: int = 16, side: int = 96) -> list[tuple[slice, slice]]:
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


def estimate_blur(image_lum: np.ndarray, model: ReferenceModel, sigmas=BLUR_SIGMAS, *,
                  refine: bool = True) -> tuple[float, float, float]:
    """The Gaussian blur (working pixels) that makes the reference look like the capture.

    Measured on :func:`design_tiles`. Returns ``(sigma, match, recognised)``:

    * ``sigma``: the best blur; with ``refine`` placed between the candidates
      ``sigmas`` (the vertex of a parabola through the best and its
      neighbours), so fine line work is matched as closely whatever the blur;
    * ``match``: the fine structure's correlation at that blur, the median of
      the tiles' own: a page reproduced all over matches worse in every tile,
      a patch reprinted on one zone lowers only the few tiles it covers (the
      design comparison places it);
    * ``recognised``: the upper quartile of the tiles' correlations, whether
      the image shows this document at all (a booklet spread with one page
      from another booklet still matches on its own page).
    """
    tiles = design_tiles(model)
    if not tiles:
        return 0.0, 0.0, 0.0
    b = np.concatenate([highpass(image_lum[t]).ravel() for t in tiles])
    bb = float(b @ b)
    rs, refs = [], []
    for s in sigmas:
        a = model.cached(("tile-hp", s), lambda s=s: np.concatenate([_tile_hp(model, s, t) for t in tiles]))
        refs.append(a)
        rs.append(float(a @ b) / np.sqrt(max(float(a @ a) * bb, 1e-12)))
    k = int(np.argmax(rs))
    sigma = float(sigmas[k])
    if refine and 0 < k < len(sigmas) - 1:
        x = np.asarray(sigmas[k - 1:k + 2], float)
        c2, c1, _ = np.polyfit(x, rs[k - 1:k + 2], 2)
        if c2 < 0:
            sigma = float(np.clip(-c1 / (2 * c2), x[0], x[2]))
    a, b = refs[k].reshape(len(tiles), -1), b.reshape(len(tiles), -1)  # tile by tile (all of one size)
    per_tile = (a * b).sum(axis=1) / np.sqrt(np.maximum((a * a).sum(axis=1) * (b * b).sum(axis=1), 1e-12))
    return sigma, float(np.median(per_tile)), float(np.percentile(per_tile, 75))


def _tile_hp(model: ReferenceModel, sigma: float, tile) -> np.ndarray:
    """High-passed reference luminance of one tile blurred by ``sigma`` (computed on a margin around it)."""
    ys, xs = tile
    m = int(4 * sigma + 4 * HP_SIGMA) + 2  # the blur's and the high-pass's reach (OpenCV: 4 sigma)
    h, w = model.lum.shape
    y0, y1, x0, x1 = max(ys.start - m, 0), min(ys.stop + m, h), max(xs.start - m, 0), min(xs.stop + m, w)
    lum = model.lum[y0:y1, x0:x1]
    lum = cv2.GaussianBlur(lum, (0, 0), sigma) if sigma > 0 else lum
    return highpass(lum)[ys.start - y0:ys.stop - y0, xs.start - x0:xs.stop - x0].ravel()
