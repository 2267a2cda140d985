"""Score one answer to one quiz item: a number from 0 to 1.

Answers are plain JSON values, as a UI sends them:

* choice items (``verdict``, ``family``, ``technique``, ``light``,
  ``compare``, ``mrz``): the option id, ``"forged"`` (or ``{"choice": "forged"}``).
  The right option scores 1, a partly right one (a light that shows the trace
  but not best) the credit in ``key["partial"]``, any other option 0.
* ``locate``: ``{"point": [x, y]}`` or ``{"box": [x0, y0, x1, y1]}`` in template
  pixels (``x1``, ``y1`` exclusive).

  - A **point** scores 1 when it falls on the forged region or within
    ``tolerance_px`` of it (a click on the edge of a thin line is a find),
    else 0. The region is the anomaly's pixels in the specimen's mask
    (``NAME.mask.png``, value = ``mask_label``); without a mask, its bbox.
  - A **box** earns partial credit by overlap: ``min(1, IoU / full_credit_iou)``
    with IoU the intersection over union of the box and the region, so a box
    that overlaps the region by half or more (the usual detection criterion)
    scores 1, and a sloppy box some credit.

  With several anomalies, the best-matching one counts.

Bad answers (wrong shape, an option the item does not have) raise
:class:`InvalidAnswerError`, which is both a ``ValueError`` and a
:class:`~docexam.errors.DocexamError` (one line, exit status 2 on the CLI).

Examples
--------
>>> key = {"kind": "locate", "targets": [{"anomaly": 0, "bbox": [10, 10, 40, 50], "mask_label": None}],
...        "mask": None, "tolerance_px": 5, "full_credit_iou": 0.5}
>>> score_answer(key, {"point": [20, 20]}), score_answer(key, {"point": [44, 20]}), score_answer(key, {"point": [46, 20]})
(1.0, 1.0, 0.0)
>>> score_answer(key, {"box": [10, 10, 40, 30]})  # IoU 0.5
1.0
>>> score_answer(key, {"box": [10, 10, 40, 20]})  # IoU 0.25
0.5
>>> score_answer({"kind": "choice", "answer": "forged"}, "genuine")
0.0
"""

from __future__ import annotations

import math
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..i18n import Message
from ..errors import DocexamError


class InvalidAnswerError(DocexamError, ValueError):
    """An answer (or survey response) that cannot be scored or stored."""


def _number(v) -> bool:
    return not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)


#: full-resolution masks kept decoded (about 6 MB each at 600 dpi; a workshop's server holds this many at most)
MASKS_KEPT = 8


@lru_cache(maxsize=MASKS_KEPT)
def _load_mask(path: str, mtime_ns: int) -> np.ndarray:
    import cv2  # OpenCV only to read a specimen's mask image; scoring a choice or a box never loads it

    mask = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if mask is None:
        raise InvalidAnswerError(Message("{path}: the mask image cannot be read", path=path))
    if mask.ndim == 3:  # a mask saved as RGB: every channel holds the label
        mask = mask[:, :, 0]
    return mask


def read_mask(path: str | os.PathLike | None) -> np.ndarray | None:
    """The anomaly mask at ``path`` (uint8, label per pixel), or None when there is no such file.

    Cached by path and modification time (a workshop scores the same masks many times).
    """
    if not path:
        return None
    path = Path(path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _load_mask(str(path), mtime)


def _region(target: dict, mask: np.ndarray | None) -> tuple[tuple[int, int, int, int], np.ndarray | None]:
    """The target's bbox and, when the mask has its label, the boolean pixels inside the bbox."""
    x0, y0, x1, y1 = (int(v) for v in target["bbox"])
    label = target.get("mask_label")
    if mask is None or label is None:
        return (x0, y0, x1, y1), None
    crop = mask[max(y0, 0):max(y1, 0), max(x0, 0):max(x1, 0)] == label
    if not crop.any():
        # label absent from the mask (a stale mask): the bbox is the best we know
        return (x0, y0, x1, y1), None
    return (x0, y0, x1, y1), crop


#: half-side in pixels of the first square searched around a point for the nearest region pixel (it doubles)
SEARCH_START_PX = 16


def point_distance(point: Sequence[float], target: dict, *, mask: np.ndarray | None = None) -> float:
    """Distance in pixels from ``point`` (x, y) to the target region (0 inside it).

    >>> point_distance([45, 20], {"bbox": [10, 10, 40, 50]})
    6.0
    """
    x, y = float(point[0]), float(point[1])
    (x0, y0, x1, y1), pixels = _region(target, mask)
    if pixels is None:
        # pixel (i, j) covers [i, i+1); the last pixel inside is x1 - 1
        dx = max(x0 - x, 0.0, x - (x1 - 1)) if not (x0 <= x < x1) else 0.0
        dy = max(y0 - y, 0.0, y - (y1 - 1)) if not (y0 <= y < y1) else 0.0
        return math.hypot(dx, dy)
    ox, oy = max(x0, 0), max(y0, 0)
    h, w = pixels.shape
    px, py = math.floor(x) - ox, math.floor(y) - oy
    if 0 <= px < w and 0 <= py < h and pixels[py, px]:
        return 0.0
    # Search a square around the point that grows until it holds a region pixel: every pixel outside the
    # square of half-side r is farther than r. A page-wide region (a whole-page reproduction) is millions of
    # pixels: measuring to all of them took 0.8 GB and most of a second per answer, and a room answers at once.
    r = SEARCH_START_PX
    while True:
        wx0, wx1, wy0, wy1 = max(px - r, 0), min(px + r + 1, w), max(py - r, 0), min(py + r + 1, h)
        if wx0 < wx1 and wy0 < wy1:
            ys, xs = np.nonzero(pixels[wy0:wy1, wx0:wx1])
            if xs.size:
                nearest = float(np.min(np.hypot(xs + (wx0 + ox) - x, ys + (wy0 + oy) - y)))
                if nearest <= r:
                    return nearest
                r = math.ceil(nearest)  # the square of half-side `nearest` holds the nearest pixel
                continue
        if wx0 == 0 and wy0 == 0 and wx1 == w and wy1 == h:
            return math.inf  # no region pixel at all (_region sees to it that there is one)
        r *= 2


def box_iou(box: Sequence[float], target: dict, *, mask: np.ndarray | None = None) -> float:
    """Intersection over union of a drawn ``box`` and the target region (mask pixels or bbox).

    >>> box_iou([10, 10, 40, 30], {"bbox": [10, 10, 40, 50]})
    0.5
    """
    bx0, by0, bx1, by1 = (int(round(v)) for v in box)
    (x0, y0, x1, y1), pixels = _region(target, mask)
    box_area = (bx1 - bx0) * (by1 - by0)
    if pixels is None:
        iw = max(0, min(bx1, x1) - max(bx0, x0))
        ih = max(0, min(by1, y1) - max(by0, y0))
        inter = iw * ih
        region_area = (x1 - x0) * (y1 - y0)
    else:
        ox, oy = max(x0, 0), max(y0, 0)
        sub = pixels[max(by0 - oy, 0):max(by1 - oy, 0), max(bx0 - ox, 0):max(bx1 - ox, 0)]
        inter = int(sub.sum())
        region_area = int(pixels.sum())
    union = box_area + region_area - inter
    return inter / union if union > 0 else 0.0


def _check_locate_answer(answer) -> tuple[str, list]:
    if not isinstance(answer, dict) or len(answer) != 1 or not ({"point", "box"} & set(answer)):
        raise InvalidAnswerError(Message("answer: a locate answer is {\"point\": [x, y]} or {\"box\": [x0, y0, x1, y1]}"))
    kind, value = next(iter(answer.items()))
    size = 2 if kind == "point" else 4
    if not isinstance(value, (list, tuple)) or len(value) != size or not all(_number(v) for v in value):
        raise InvalidAnswerError(Message("answer: {kind} must be {size} numbers, got {value!r}", kind=kind, size=size, value=value))
    if kind == "box" and (value[2] <= value[0] or value[3] <= value[1]):
        raise InvalidAnswerError(Message("answer: box {value} is empty (x1 <= x0 or y1 <= y0)", value=list(value)))
    return kind, list(value)


def score_answer(key: dict, answer: Any, *, options: Sequence[str] | None = None,
                 tolerance_px: float | None = None, mask: np.ndarray | None = None) -> float:
    """Score ``answer`` against an item's answer ``key``: a float from 0 to 1.

    Parameters
    ----------
    key : dict
        ``Item.key`` (also as stored in JSON). Not modified.
    answer : str or dict
        See the module docstring.
    options : sequence of str, keyword-only
        The option ids the item offered; an answer outside them is refused.
    tolerance_px : float, keyword-only
        Click tolerance; default the key's ``tolerance_px``.
    mask : ndarray, keyword-only
        The specimen's mask image; default read from ``key["mask"]``
        (falling back to the bboxes when the file is missing).

    Raises
    ------
    InvalidAnswerError
        When the answer does not fit the item.
    """
    if not isinstance(key, dict) or key.get("kind") not in ("choice", "locate"):
        raise ValueError("key: expected an item's answer key (kind 'choice' or 'locate')")
    if key["kind"] == "choice":
        if isinstance(answer, dict) and set(answer) == {"choice"}:
            answer = answer["choice"]
        if not isinstance(answer, str):
            raise InvalidAnswerError(Message("answer: expected an option id, got {answer!r}", answer=answer))
        if options is not None and answer not in options:
            raise InvalidAnswerError(Message("answer: {answer!r} is not one of {value}", answer=answer, value=', '.join(options)))
        if answer == key["answer"]:
            return 1.0
        return float(key.get("partial", {}).get(answer, 0.0))
    kind, value = _check_locate_answer(answer)
    if tolerance_px is None:
        tolerance_px = key.get("tolerance_px", 0)
    if not _number(tolerance_px) or tolerance_px < 0:
        raise ValueError(f"tolerance_px: expected a non-negative number, got {tolerance_px!r}")
    if mask is None:
        mask = read_mask(key.get("mask"))
    targets = key["targets"]
    if kind == "point":
        best = min(point_distance(value, t, mask=mask) for t in targets)
        return 1.0 if best <= tolerance_px else 0.0
    full = float(key.get("full_credit_iou", 0.5))
    best_iou = max(box_iou(value, t, mask=mask) for t in targets)
    return round(min(1.0, best_iou / full), 6)


def score_item(item, answer: Any, **options) -> float:
    """Score ``answer`` to an :class:`~docexam.lessons.items.Item` (checks the offered options).

    Keyword options are passed to :func:`score_answer`.
    """
    offered = [o["id"] for o in item.shown.get("options", [])] or None
    return score_answer(item.key, answer, options=offered, **options)


def verdict_decision(key: dict, answer: Any) -> tuple[bool, bool]:
    """``(is_forged, said_forged)`` of an answer to a ``verdict`` item, for :func:`~docexam.assessment.metrics.signal_detection`.

    >>> verdict_decision({"kind": "choice", "answer": "forged"}, "genuine")
    (True, False)
    """
    if isinstance(answer, dict) and set(answer) == {"choice"}:
        answer = answer["choice"]
    if key.get("answer") not in ("genuine", "forged"):
        raise ValueError("key: not the key of a verdict item")
    if answer not in ("genuine", "forged"):
        raise InvalidAnswerError(Message("answer: {answer!r} is not one of genuine, forged", answer=answer))
    return key["answer"] == "forged", answer == "forged"
