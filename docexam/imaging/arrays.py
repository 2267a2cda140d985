"""Images given as arrays: checked and brought to the one layout each room works in.

Every room that accepts an image array (the examination, registration, the
studio) takes it through these, so an image means the same thing
everywhere: ``uint8``, gray ``(H, W)`` or colour ``(H, W, 3)`` RGB; a single
channel ``(H, W, 1)`` counts as gray; an alpha channel is composited on
white, as decoding a file does (:func:`docexam.imaging.load_image`). The
input is never modified.

Examples
--------
>>> import numpy as np
>>> as_rgb(np.full((2, 3), 7, np.uint8), name="image").shape
(2, 3, 3)
>>> as_gray(np.zeros((2, 3, 3), np.uint8), name="image").shape
(2, 3)
>>> as_rgb(np.zeros((2, 3), np.float32), name="uv")
Traceback (most recent call last):
...
ValueError: uv: expected uint8 pixels, got float32
"""

from __future__ import annotations

import cv2
import numpy as np


def _checked(image, name: str) -> np.ndarray:
    if image is None or isinstance(image, (str, bytes)):
        raise ValueError(f"{name}: expected an image array, got {type(image).__name__}")
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise ValueError(f"{name}: expected uint8 pixels, got {image.dtype}")
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2 or (image.ndim == 3 and image.shape[2] in (3, 4)):
        return image
    raise ValueError(f"{name}: expected a gray (H, W) or RGB (H, W, 3) image, got shape {image.shape}")


def _without_alpha(rgba: np.ndarray) -> np.ndarray:
    alpha = rgba[:, :, 3:4].astype(np.uint16)
    return ((rgba[:, :, :3] * alpha + 255 * (255 - alpha) + 127) // 255).astype(np.uint8)


def as_rgb(image: np.ndarray, *, name: str) -> np.ndarray:
    """``image`` as ``(H, W, 3)`` uint8 RGB (itself when it already is).

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)``, ``(H, W, 1)``, ``(H, W, 3)`` or ``(H, W, 4)``.
    name : str, keyword-only
        How to name the image in the error message.

    Raises
    ------
    ValueError
        Not a uint8 gray or colour image, with ``name`` in the message.
    """
    arr = _checked(image, name)
    if arr.ndim == 2:
        return np.repeat(arr[:, :, None], 3, axis=2)
    return arr if arr.shape[2] == 3 else _without_alpha(arr)


def as_gray(image: np.ndarray, *, name: str) -> np.ndarray:
    """``image`` as ``(H, W)`` uint8 luma (itself when it already is gray).

    Same inputs and errors as :func:`as_rgb`.
    """
    arr = _checked(image, name)
    if arr.ndim == 2:
        return arr
    if arr.shape[2] == 4:
        arr = _without_alpha(arr)
    return cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)


def shrunk_to(image: np.ndarray, width: int) -> np.ndarray:
    """``image`` no wider than ``width`` pixels: area-averaged, aspect kept; itself when no wider.

    >>> shrunk_to(np.zeros((50, 300), np.uint8), 100).shape, shrunk_to(np.zeros((5, 8), np.uint8), 100).shape
    ((17, 100), (5, 8))
    """
    h, w = image.shape[:2]
    if w <= width:
        return image
    return cv2.resize(image, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)

