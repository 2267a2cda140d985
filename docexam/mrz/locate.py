"""Find the machine-readable zone in a document image.

An MRZ is two or three long, parallel, equally long lines of dark text,
left-aligned, at a regular spacing: a pattern few other things on a document
have. The locator finds text lines morphologically and groups them:

1. **Ink map.** Black-hat transform (closing minus image) of the
   darkest-channel image: thin dark strokes light up, smooth backgrounds,
   coloured security print and photographs mostly do not.
2. **Text lines.** Otsu threshold, then a horizontal closing that merges the
   characters of a line into one blob (MRZ lines have no word gaps: spaces
   are printed as ``<``); a rotated rectangle (``cv2.minAreaRect``) is fitted
   to every long, thin blob. This is done at a few image scales so that both
   a full page photographed from afar and a tight MRZ crop give characters
   of a workable size, and with the image turned 90 degrees for documents
   lying sideways (180 and 270 degrees are the same lines read the other way
   round; the reader settles the direction).
3. **Grouping.** Lines with the same angle, similar height and length,
   aligned ends and a line-like spacing are chained into groups of 2 or 3:
   the MRZ candidates, best first.

Examples
--------
>>> import numpy as np, cv2
>>> page = np.full((300, 700), 235, np.uint8)
>>> for y in (200, 240):
...     for x in range(40, 640, 15):
...         _ = cv2.putText(page, "X", (x, y), cv2.FONT_HERSHEY_PLAIN, 1.3, 0, 2)
>>> cands = locate_mrz(page)
>>> len(cands[0].lines), round(cands[0].lines[0].angle)
(2, 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

#: working sizes (longest image side, pixels) at which lines are searched
DEFAULT_LEVELS = (1000, 450)


@dataclass(frozen=True)
class LineBox:
    """A text line as a rotated rectangle, in image pixels.

    ``angle`` (degrees) is the direction of the line's long axis, in
    (-90, 90]; the unit vector along the line is ``(cos, sin)`` and
    :attr:`normal` points to the next line below.
    """

    cx: float
    cy: float
    length: float
    height: float
    angle: float

    @property
    def direction(self) -> np.ndarray:
        a = math.radians(self.angle)
        return np.array([math.cos(a), math.sin(a)])

    @property
    def normal(self) -> np.ndarray:
        a = math.radians(self.angle)
        return np.array([-math.sin(a), math.cos(a)])

    @property
    def center(self) -> np.ndarray:
        return np.array([self.cx, self.cy])

    def corners(self) -> np.ndarray:
        """(4, 2) float corners: start-top, end-top, end-bottom, start-bottom."""
        u, n = self.direction * self.length / 2, self.normal * self.height / 2
        c = self.center
        return np.array([c - u - n, c + u - n, c + u + n, c - u + n])


@dataclass(frozen=True)
class MRZCandidate:
    """A group of parallel text lines that may be an MRZ.

    Attributes
    ----------
    lines : tuple of LineBox
        In order along the lines' normal (top to bottom for an upright document).
    score : float
        Ranking score (higher is more MRZ-like); only comparable within one image.
    """

    lines: tuple
    score: float

    @property
    def angle(self) -> float:
        return float(np.mean([ln.angle for ln in self.lines]))

    def quad(self) -> np.ndarray:
        """(4, 2) float corners around all lines: start-top, end-top, end-bottom, start-bottom."""
        first, last = self.lines[0].corners(), self.lines[-1].corners()
        return np.array([first[0], first[1], last[2], last[3]])


def darkest_channel(image: np.ndarray) -> np.ndarray:
    """Grey image in which only dark-in-every-channel ink is dark (max over RGB).

    MRZ ink is black; coloured security backgrounds (pink, blue, green) and red
    annotations are bright in at least one channel, so the per-pixel maximum
    keeps the ink and fades the rest.

    >>> darkest_channel(np.zeros((2, 2, 3), np.uint8)).shape
    (2, 2)
    """
    arr = np.asarray(image)
    if arr.ndim == 2:
        return arr if arr.dtype == np.uint8 else np.clip(arr, 0, 255).astype(np.uint8)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise ValueError(f"image: expected (H, W) or (H, W, 3) array, got shape {arr.shape}")
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return cv2.max(cv2.max(arr[:, :, 0], arr[:, :, 1]), arr[:, :, 2])


def _line_boxes(work: np.ndarray) -> list[tuple[float, float, float, float, float, float]]:
    """Long thin text-line blobs of a working image: (cx, cy, length, height, angle, fill)."""
    h, w = work.shape
    # black-hat: dark strokes thinner than the kernel, whatever the background
    bh = cv2.morphologyEx(work, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (13, 13)))
    thr, _ = cv2.threshold(bh, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # a floor on the threshold keeps faint background print out on clean images
    _, ink = cv2.threshold(bh, max(thr, 20), 255, cv2.THRESH_BINARY)
    # merge the characters of a line, but not the lines with each other
    lines = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (17, 1)))
    lines = cv2.morphologyEx(lines, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    contours, _ = cv2.findContours(lines, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    min_len = 0.12 * max(h, w)
    for cnt in contours:
        (cx, cy), (rw, rh), ang = cv2.minAreaRect(cnt)
        if rw < rh:
            rw, rh, ang = rh, rw, ang + 90.0
        if rw < min_len or rh < 4 or rw < 10 * rh:
            continue
        ang = (ang + 90.0) % 180.0 - 90.0  # (-90, 90]
        if abs(ang) > 25:
            continue
        fill = cv2.contourArea(cnt) / max(rw * rh, 1.0)
        if fill < 0.4:
            continue
        out.append((cx, cy, rw, rh, ang, fill))
    return out


def _groups(boxes: list[LineBox]) -> list[MRZCandidate]:
    """Chain parallel, aligned, evenly spaced lines into candidate groups of 2 and 3."""
    n = len(boxes)
    nxt: dict[int, list[tuple[int, float]]] = {i: [] for i in range(n)}
    for i in range(n):
        a = boxes[i]
        for j in range(n):
            if i == j:
                continue
            b = boxes[j]
            dang = abs((a.angle - b.angle + 90) % 180 - 90)
            if dang > 4:
                continue
            hmin, hmax = sorted((a.height, b.height))
            lmin, lmax = sorted((a.length, b.length))
            if hmax > 1.8 * hmin or lmin < 0.7 * lmax:
                continue
            d = b.center - a.center
            perp = float(d @ a.normal)
            along = float(d @ a.direction)
            hm = (a.height + b.height) / 2
            if not (0.9 * hm < perp < 3.5 * hm) or abs(along) > 0.12 * lmax:
                continue
            # similarity of length and height, near-alignment of both ends
            sim = (lmin / lmax) * (hmin / hmax) * (1 - abs(along) / (0.12 * lmax) * 0.5)
            nxt[i].append((j, sim))
    cands = []
    for i in range(n):
        for j, s1 in nxt[i]:
            a, b = boxes[i], boxes[j]
            spacing = float((b.center - a.center) @ a.normal)
            cands.append(MRZCandidate((a, b), s1 * (a.length + b.length)))
            for k, s2 in nxt[j]:
                c = boxes[k]
                sp2 = float((c.center - b.center) @ b.normal)
                if k == i or not (0.75 < sp2 / spacing < 1.33):
                    continue
                cands.append(MRZCandidate((a, b, c), s1 * s2 * (a.length + b.length + c.length)))
    return cands


def _same(a: MRZCandidate, b: MRZCandidate) -> bool:
    if len(a.lines) != len(b.lines):
        return False
    qa, qb = a.quad(), b.quad()
    scale = max(a.lines[0].length, b.lines[0].length)
    return float(np.abs(qa - qb).max()) < 0.08 * scale or \
        float(np.abs(qa - qb[[2, 3, 0, 1]]).max()) < 0.08 * scale


def locate_mrz(gray: np.ndarray, *, levels: tuple[int, ...] = DEFAULT_LEVELS, rotations: tuple[int, ...] = (0, 90),
               max_candidates: int = 6) -> list[MRZCandidate]:
    """Find MRZ candidates: groups of 2 or 3 parallel text lines, best first.

    Parameters
    ----------
    gray : ndarray, uint8, shape (H, W)
        Grey image, dark text on a lighter background (see :func:`darkest_channel`).
        Not modified.
    levels : tuple of int, keyword-only
        Longest-side sizes of the working images (several scales: from a page
        photographed from afar to a tight MRZ crop).
    rotations : tuple of int, keyword-only
        Image turns (degrees, 0 and/or 90) at which lines are searched; the lines
        found are reported in the input's coordinates either way.
    max_candidates : int, keyword-only
        At most this many candidates are returned.

    Returns
    -------
    list of MRZCandidate
        Empty when nothing MRZ-like was found.

    Examples
    --------
    >>> locate_mrz(np.full((200, 300), 255, np.uint8))
    []
    """
    gray = np.asarray(gray)
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError(f"gray: expected a 2-D uint8 array, got {gray.dtype} with shape {gray.shape}")
    if min(gray.shape) < 16:
        raise ValueError(f"gray: image of {gray.shape[1]}x{gray.shape[0]} pixels is too small")
    if not levels or any(int(s) < 64 for s in levels):
        raise ValueError("levels: need at least one size of 64 pixels or more")
    if any(r not in (0, 90) for r in rotations) or not rotations:
        raise ValueError("rotations: use 0 and/or 90")
    if max_candidates < 1:
        raise ValueError("max_candidates: must be >= 1")
    H, W = gray.shape
    cands: list[MRZCandidate] = []
    for rot in rotations:
        base = gray if rot == 0 else cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE)
        for size in levels:
            f = size / max(H, W)
            interp = cv2.INTER_AREA if f < 1 else cv2.INTER_LINEAR
            work = cv2.resize(base, (max(16, round(base.shape[1] * f)), max(16, round(base.shape[0] * f))),
                              interpolation=interp)
            fx, fy = work.shape[1] / base.shape[1], work.shape[0] / base.shape[0]
            boxes = []
            for cx, cy, ln, ht, ang, _fill in _line_boxes(work):
                # back to the base image, then un-rotate (base (x, y) = input (H-1-y, x) for 90 cw)
                bx, by = cx / fx, cy / fy
                a = math.radians(ang)
                sx = math.hypot(math.cos(a) / fx, math.sin(a) / fy)  # length scale along the line
                sy = math.hypot(math.sin(a) / fx, math.cos(a) / fy)
                ang_b = math.degrees(math.atan2(math.sin(a) / fy, math.cos(a) / fx))
                if rot == 90:
                    bx, by = by, H - 1 - bx
                    ang_b = ang_b - 90.0
                ang_b = (ang_b + 90.0) % 180.0 - 90.0
                boxes.append(LineBox(bx, by, ln * sx, ht * sy, ang_b))
            cands.extend(_groups(boxes))
    cands.sort(key=lambda c: -c.score)
    unique: list[MRZCandidate] = []
    for c in cands:
        if not any(_same(c, u) for u in unique):
            unique.append(c)
        if len(unique) >= max_candidates:
            break
    return unique
