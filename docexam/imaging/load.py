"""Load a document image safely: any common format in, 8-bit RGB out.

This is the first step of every pipeline that takes a user's image. It
refuses what cannot be a still document image with an
:class:`~docexam.errors.InputFileError` naming the file and the problem:
empty or non-image files, truncated data, decompression bombs (checked from
the header, before any pixel is decoded), animations, absurd sizes. It
applies EXIF orientation and converts every colour mode (palette, grey,
16-bit, CMYK, alpha) to RGB.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..i18n import Message
from ..errors import InputFileError

#: refuse images with more pixels than this (a 600 dpi A4 scan is 35 Mpx)
MAX_PIXELS = 80_000_000
#: refuse files larger than this many bytes
MAX_FILE_BYTES = 200 * 1024 * 1024
#: refuse images whose shorter side is below this (nothing to examine)
MIN_SIDE = 32
FORMATS = ("PNG", "JPEG", "TIFF", "BMP", "WEBP", "GIF", "MPO")


@dataclass(frozen=True)
class LoadedImage:
    """A decoded image and what was learnt while decoding it."""

    rgb: np.ndarray  # (H, W, 3) uint8
    source: str  # the path as given, or a label for bytes
    format: str  # PNG, JPEG, ...
    mode: str  # original colour mode (RGB, L, CMYK, I;16, ...)
    dpi: float | None  # from the file's metadata, when present
    exif_transposed: bool  # an EXIF orientation was applied
    scale: float = 1.0  # decoded pixels per file pixel (below 1: a JPEG decoded reduced, see ``min_scale``)

    @property
    def size(self) -> tuple[int, int]:
        return self.rgb.shape[1], self.rgb.shape[0]


def _to_rgb(im: Image.Image) -> np.ndarray:
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        arr = np.asarray(im, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") or arr.max() > 255 else 255.0
        gray = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if mode == "F":
        arr = np.asarray(im, dtype=np.float64)
        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        gray = np.zeros(arr.shape, np.uint8) if hi <= lo else ((arr - lo) / (hi - lo) * 255).astype(np.uint8)
        return np.repeat(gray[:, :, None], 3, axis=2)
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(im.convert("RGB"))


def load_image(source: str | os.PathLike | bytes, *, name: str | None = None,
               max_pixels: int = MAX_PIXELS, min_side: int = MIN_SIDE, min_scale: float = 1.0) -> LoadedImage:
    """Decode an image file (path or bytes) into 8-bit RGB.

    Parameters
    ----------
    source : path or bytes
        The image file, or its bytes (an upload).
    name : str, optional
        How to name the image in messages (defaults to the path).
    max_pixels : int, keyword-only
        Larger images are refused before decoding.
    min_side : int, keyword-only
        Images whose shorter side is smaller are refused.
    min_scale : float, keyword-only
        For a picture that will be shown smaller (0 < ``min_scale`` <= 1): a
        JPEG is decoded at the smallest of its decoder's reductions (1/2, 1/4,
        1/8) that keeps at least this fraction of its size, several times
        faster than decoding it whole and shrinking it. ``scale`` says what
        was used. Other formats decode whole.

    Returns
    -------
    LoadedImage

    Raises
    ------
    InputFileError
        One line naming the file and the problem.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buf = io.BytesIO(); Image.new("L", (64, 40), 200).save(buf, "PNG")
    >>> load_image(buf.getvalue(), name="upload.png").rgb.shape
    (40, 64, 3)
    >>> buf = io.BytesIO(); Image.new("RGB", (800, 400), "white").save(buf, "JPEG")
    >>> small = load_image(buf.getvalue(), min_scale=0.25)
    >>> small.rgb.shape, small.scale
    ((100, 200, 3), 0.25)
    """
    if max_pixels < 1:
        raise ValueError("max_pixels: must be positive")
    if not 0 < min_scale <= 1:
        raise ValueError("min_scale: must be in (0, 1]")
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = name or "<upload>"
        data = bytes(source)
    else:
        label = name or str(source)
        path = Path(source)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise InputFileError(label, Message("file not found")) from None
        except OSError as exc:
            raise InputFileError(label, Message("cannot read ({problem})", problem=exc.strerror or exc)) from None
        if path.is_dir():
            raise InputFileError(label, Message("is a folder, not an image file"))
        if size > MAX_FILE_BYTES:
            raise InputFileError(label, Message("file is {n:.0f} MB, more than the {n2} MB allowed", n=size / 1e6, n2=MAX_FILE_BYTES // 2**20))
        try:
            with open(path, "rb") as fh:  # bounded: /dev/zero or a growing file says 0 bytes to stat
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise InputFileError(label, Message("cannot read ({problem})", problem=exc.strerror or exc)) from None
    if not data:
        raise InputFileError(label, Message("file is empty"))
    if len(data) > MAX_FILE_BYTES:
        raise InputFileError(label, Message("file is {n:.0f} MB, more than the {n2} MB allowed", n=len(data) / 1e6, n2=MAX_FILE_BYTES // 2**20))

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            raise InputFileError(label, Message("not an image file (format not recognised)")) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InputFileError(label, Message("image is too large (decompression bomb protection)")) from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise InputFileError(label, Message("cannot decode image ({exc})", exc=exc)) from None
        fmt = im.format or "unknown"
        if fmt not in FORMATS:
            raise InputFileError(label, Message("{fmt} images are not supported (use PNG, JPEG or TIFF)", fmt=fmt))
        w, h = im.size
        if w * h > max_pixels:
            raise InputFileError(label, Message("image is {w}x{h} pixels, more than the {n:.0f} megapixels allowed", w=w, h=h, n=max_pixels / 1e6))
        if min(w, h) < min_side:
            raise InputFileError(label, Message("image is {w}x{h} pixels, too small to be a document image", w=w, h=h))
        if getattr(im, "n_frames", 1) > 1 and fmt in ("GIF", "WEBP", "PNG"):
            raise InputFileError(label, Message("animated image ({n_frames} frames): give a single still image", n_frames=im.n_frames))
        scale = 1.0
        if fmt == "JPEG" and min_scale <= 0.5:
            im.draft(im.mode, (math.ceil(w * min_scale), math.ceil(h * min_scale)))  # DCT scaling, before load
            scale = im.size[0] / w
        try:
            im.load()
            mode = im.mode
            exif_done = im.getexif().get(0x0112, 1) not in (1, None)  # 0x0112: Orientation
            im = ImageOps.exif_transpose(im)
            rgb = _to_rgb(im)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InputFileError(label, Message("image is too large (decompression bomb protection)")) from None
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise InputFileError(label, Message("image data is truncated or corrupt ({exc})", exc=exc)) from None
    dpi = im.info.get("dpi")
    dpi_value = float(dpi[0]) if isinstance(dpi, tuple) and dpi and dpi[0] else None
    return LoadedImage(np.ascontiguousarray(rgb), label, fmt, mode, dpi_value, bool(exif_done), scale)


def decode_fast(path: str | os.PathLike) -> np.ndarray | None:
    """A plain 8-bit RGB or gray JPEG/PNG file decoded by OpenCV (about twice as fast as PIL here).

    Returns None for anything else (other formats and modes, EXIF rotation,
    animation, files that do not end properly, sizes outside the limits),
    which :func:`load_image` then decodes, or refuses with its message.
    """
    try:
        with Image.open(path) as im:
            w, h = im.size
            if (im.format not in ("JPEG", "PNG") or im.mode not in ("RGB", "L")
                    or getattr(im, "n_frames", 1) > 1 or w * h > MAX_PIXELS or min(w, h) < MIN_SIDE
                    or im.getexif().get(0x0112, 1) not in (1, None)):
                return None
            fmt = im.format
        data = np.fromfile(path, np.uint8)
    except Exception:  # noqa: BLE001 - load_image reports the problem properly
        return None
    if not 0 < data.size <= MAX_FILE_BYTES:
        return None
    tail = data[-64:].tobytes()
    if (fmt == "JPEG" and b"\xff\xd9" not in tail) or (fmt == "PNG" and b"IEND" not in tail):
        return None  # truncated: load_image says so
    flag = getattr(cv2, "IMREAD_COLOR_RGB", None)  # OpenCV >= 4.10 decodes straight to RGB
    rgb = cv2.imdecode(data, cv2.IMREAD_COLOR if flag is None else flag)
    if rgb is None or rgb.shape[:2] != (h, w):
        return None
    return cv2.cvtColor(rgb, cv2.COLOR_BGR2RGB) if flag is None else rgb


def load_rgb(source: str | os.PathLike | bytes, *, fast: bool = False, **kwargs) -> np.ndarray:
    """Shortcut: :func:`load_image` and return only the RGB array.

    With ``fast`` (and the default limits), a plain JPEG or PNG file is
    decoded by :func:`decode_fast` (OpenCV); its pixels may differ from
    PIL's decoding by a grey level.
    """
    if fast and not kwargs and isinstance(source, (str, os.PathLike)):
        rgb = decode_fast(source)
        if rgb is not None:
            return rgb
    return load_image(source, **kwargs).rgb
