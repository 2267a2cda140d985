"""Homographies between a capture and its template: small helpers shared by the registration's steps.

Conventions (``docs/formats.md``): a homography maps *image* pixel coordinates
to *template* pixel coordinates; pixel centres sit at integer coordinates,
as in OpenCV.
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

from ..i18n import Message

__all__ = ["normalised", "apply", "scale_matrix", "resize_to", "Pyramid", "quad_problem",
           "homography_of", "page_pose", "warp_to_template", "map_points", "map_box"]


def normalised(h: np.ndarray) -> np.ndarray:
    h = np.asarray(h, dtype=np.float64)
    return h / h[2, 2] if abs(h[2, 2]) > 1e-12 else h


def apply(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    pts = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
    q = pts @ h[:, :2].T + h[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        return q[:, :2] / q[:, 2:3]


def scale_matrix(sx: float, sy: float | None = None) -> np.ndarray:
    """Pixel-centre-aware matrix from full-resolution to resized coordinates.

    ``cv2.resize`` to a size ``(w', h')`` maps the pixel centre ``x`` to
    ``(x + 0.5) * w'/w - 0.5``; ignoring the half-pixel terms, or the rounding
    of the output size, would bias every match by up to a few template pixels.
    """
    sy = sx if sy is None else sy
    return np.array([[sx, 0.0, 0.5 * sx - 0.5], [0.0, sy, 0.5 * sy - 0.5], [0.0, 0.0, 1.0]])


def resize_to(gray: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Resize by about ``scale``; returns the image and the exact coordinate matrix."""
    h, w = gray.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    if size == (w, h):
        return gray, np.eye(3)
    out = cv2.resize(gray, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    return out, scale_matrix(size[0] / w, size[1] / h)


class Pyramid:
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
                self.matrices.append(scale_matrix(0.5) @ self.matrices[-1])
        return self.levels[k], self.matrices[k]


def quad_problem(h_img_to_tpl: np.ndarray, tsize: tuple[int, int], isize: tuple[int, int],
                  max_tilt_deg: float) -> str:
    """Why the template's outline mapped into the image is implausible, or ''."""
    try:
        inv = np.linalg.inv(h_img_to_tpl)
    except np.linalg.LinAlgError:
        return Message("the alignment is degenerate")
    if not np.all(np.isfinite(inv)):
        return Message("the alignment is degenerate")
    w, h = tsize
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    q = inv @ np.c_[corners, np.ones(4)].T
    if np.any(q[2] <= 0):  # part of the page would be behind the camera
        return Message("the matching features do not form a plausible view of the document")
    quad = (q[:2] / q[2]).T
    # convex and consistently oriented: all cross products of consecutive edges share a sign
    edges = np.roll(quad, -1, axis=0) - quad
    cross = edges[:, 0] * np.roll(edges[:, 1], -1) - edges[:, 1] * np.roll(edges[:, 0], -1)
    if not (np.all(cross > 0) or np.all(cross < 0)):
        return Message("the matching features do not form a plausible view of the document (the outline folds over)")
    if np.all(cross < 0):
        return Message("the image appears mirrored (a document seen from behind, or a flipped image)")
    area = 0.5 * abs(np.sum(quad[:, 0] * np.roll(quad[:, 1], -1) - quad[:, 1] * np.roll(quad[:, 0], -1)))
    if area < 0.01 * isize[0] * isize[1] or np.sqrt(area) < 100:
        return Message("the document is too small in the image to be examined")
    # perspective: opposite sides' lengths; a 45 degree tilt already shortens one side a lot
    side = np.linalg.norm(edges, axis=1)
    limit = 1.0 + 1.2 * np.tan(np.radians(max_tilt_deg))
    if side[0] / side[2] > limit or side[2] / side[0] > limit or side[1] / side[3] > limit or side[3] / side[1] > limit:
        return Message("the document is seen at too steep an angle")
    aspect = (side[0] + side[2]) / (side[1] + side[3])
    expected = w / h
    if not (expected / 2.0 < aspect < expected * 2.0):
        return Message("the matched outline has the wrong shape for this document type")
    return ""


def page_pose(pages, box, default: np.ndarray) -> np.ndarray:
    """The homography of the page in ``pages`` (``(name, box, homography)``) holding the centre of ``box``.

    ``default`` when no page holds it (or ``pages`` is empty: one pose for the whole image).

    Examples
    --------
    >>> shift = np.array([[1.0, 0, 5], [0, 1, 0], [0, 0, 1]])
    >>> pages = (("left", [0, 0, 100, 100], shift),)
    >>> [float(page_pose(pages, box, np.eye(3))[0, 2]) for box in ([10, 10, 20, 20], [150, 10, 160, 20])]
    [5.0, 0.0]
    """
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    for _, (x0, y0, x1, y1), hm in pages:
        if x0 <= cx < x1 and y0 <= cy < y1:
            return hm
    return default


def homography_of(registration) -> np.ndarray:
    h = np.asarray(getattr(registration, "homography", registration), dtype=np.float64)
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
    hm = homography_of(registration)
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
    hm = homography_of(registration)
    if to == "image":
        hm = np.linalg.inv(hm)
    return apply(hm, pts.reshape(-1, 2))


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
