"""Images for the browser, encoded once and served as static files.

A rerun never encodes an image: every picture a page shows (a specimen
downscaled for the screen, its full-resolution copy for zooming, a crop for
a lesson figure, the tint of a forged area, the examination's heatmap) is
written once as a file named by the hash of what it shows, in
``$DOCEXAM_HOME/cache/media``, and the page sends only its address. The
files are served by the app's own route (:data:`ROUTE`, see
:mod:`docexam.ui.server`) with a far-future cache header, so a phone
downloads each picture once for the whole workshop.

File names are hashes: they never carry a specimen name (the shipped
specimens are named after their forgery, which would give answers away).
This module does not import Streamlit.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import threading
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from starlette.staticfiles import StaticFiles

from ..atomic import ensure_dir
from ..formats.specimen import SCREEN_WIDTH, screen_copy_name
from ..imaging import load_image, shrunk_to
from ..paths import cache_dir
from . import runlog

#: where the app serves the files (a route of its own, beside Streamlit's)
ROUTE = "/docexam-media"
#: width of an image as sent to a browser for the page (phones on a room's Wi-Fi): the screen copy's width
DISPLAY_WIDTH = SCREEN_WIDTH
#: longest side of the copy loaded when the trainee zooms in (the shipped 600 dpi pages fit)
ZOOM_WIDTH = 3000
#: JPEG quality of documents (fine print must survive; 85 keeps microprint legible at zoom)
JPEG_QUALITY = 85
#: bump when the encoding changes, so browsers and the cache never mix versions
_VERSION = "1"
#: one encoding at a time in a process: pages meeting new pictures at once hold one decoded image, and a
#: picture asked for by several pages is encoded once (the others find the file made when they get the lock)
_ENCODING = threading.RLock()


def media_dir() -> Path:
    """The folder of encoded pictures (created on first use)."""
    return cache_dir() / "media"


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def _name(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, (_VERSION, *parts))).encode()).hexdigest()[:32]


def _write(name: str, suffix: str, encode, *, lock=_ENCODING, kind: str = "encode") -> str:
    """Write ``encode()``'s bytes as ``name.suffix`` unless present; return the file's address.

    ``encode`` may return a path instead: that file is linked (or copied) in place.
    """
    folder = media_dir()
    path = folder / f"{name}.{suffix}"
    if not path.is_file():
        # a page run encoding is a wait its officer sees (counted in a load benchmark's run log)
        with runlog.making(kind), lock:
            if not path.is_file():  # made by another page (or process) while this one waited
                ensure_dir(folder)
                data = encode()
                # atomic: a browser asking for the file while it is written never gets half of it
                tmp = folder / f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
                if isinstance(data, Path):
                    try:
                        os.link(data, tmp)
                    except OSError:  # another file system
                        shutil.copyfile(data, tmp)
                else:
                    tmp.write_bytes(data)
                os.replace(tmp, path)
    return f"{ROUTE}/{name}.{suffix}"


def _jpeg(rgb: np.ndarray, quality: int = JPEG_QUALITY) -> bytes:
    ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(rgb[..., ::-1]),
                           [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1])
    if not ok:
        raise ValueError("the image could not be encoded")
    return buf.tobytes()


def _png(rgba: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", np.ascontiguousarray(rgba[..., [2, 1, 0, 3]]))
    if not ok:
        raise ValueError("the image could not be encoded")
    return buf.tobytes()


def _crop(array: np.ndarray, crop) -> np.ndarray:
    if crop is None:
        return array
    x0, y0, x1, y1 = (int(v) for v in crop)
    out = array[max(y0, 0):max(y1, y0 + 1), max(x0, 0):max(x1, x0 + 1)]
    return out if out.size else array


def _reduced(path: str, width: int, crop: tuple | None) -> tuple[np.ndarray, tuple | None]:
    """The file decoded no larger than needed to show ``crop`` (or all of it) ``width`` pixels wide.

    A 600 dpi page shown 1,000 pixels wide needs a quarter of its pixels: the
    JPEG decoder reduces it while decoding (:func:`load_image`'s ``min_scale``),
    four to ten times faster than decoding it whole. The crop, in the file's
    pixels, is scaled to match.
    """
    with Image.open(path) as im:
        across = im.size[0] if crop is None else max(1, crop[2] - crop[0])
    loaded = load_image(path, min_scale=min(1.0, width / across))
    if crop is not None and loaded.scale != 1.0:
        crop = tuple(int(round(v * loaded.scale)) for v in crop)
    return loaded.rgb, crop


def _screen_copy(path: str, mtime: int) -> Path | None:
    """The screen copy written beside ``path`` when it was rendered (:func:`screen_copy_name`), if as new."""
    copy = Path(path).with_name(screen_copy_name(Path(path).name))
    try:
        return copy if copy.stat().st_mtime_ns >= mtime else None
    except OSError:
        return None


@functools.lru_cache(maxsize=8192)
def _image_url(path: str, mtime: int, width: int, crop: tuple | None) -> str:
    name = _name("image", path, mtime, width, crop)
    if width == DISPLAY_WIDTH and crop is None and (copy := _screen_copy(path, mtime)) is not None:
        # written with the picture: linked, nothing decoded (and no page waits behind another's encoding)
        return _write(name, "jpg", lambda: copy, lock=contextlib.nullcontext(), kind="link")

    def encode() -> bytes:
        rgb, scaled_crop = _reduced(path, width, crop)
        return _jpeg(shrunk_to(_crop(rgb, scaled_crop), width))

    return _write(name, "jpg", encode)


def image_url(path, *, width: int = DISPLAY_WIDTH, crop=None) -> str:
    """The address of ``path`` (an image file) at most ``width`` pixels wide, optionally cropped.

    ``crop`` is ``(x0, y0, x1, y1)`` in the file's pixels. Encoded on the
    first call for this file version, width and crop; later calls cost a
    ``stat``.
    """
    path = str(path)
    return _image_url(path, _mtime(path), int(width), None if crop is None else tuple(int(v) for v in crop))


def _image_name(path: str, width: int, crop) -> str:
    return _name("image", path, _mtime(path), int(width), None if crop is None else tuple(int(v) for v in crop))


def image_address(path, *, width: int = DISPLAY_WIDTH, crop=None) -> str:
    """The address :func:`image_url` gives, whether or not the picture is encoded yet (nothing encoded here)."""
    return f"{ROUTE}/{_image_name(str(path), width, crop)}.jpg"


def encoded_image_url(path, *, width: int = DISPLAY_WIDTH, crop=None) -> str | None:
    """The address of :func:`image_url`'s picture if it is encoded already, else None (nothing encoded here).

    For the zoom copy: a page offers it once the background preparation has made it.
    """
    name = _image_name(str(path), width, crop)
    return f"{ROUTE}/{name}.jpg" if (media_dir() / f"{name}.jpg").is_file() else None


@functools.lru_cache(maxsize=4096)
def _tint_url(mask: str, mtime: int, label: int, width: int, crop: tuple | None, colour: tuple) -> str | None:
    name = _name("tint", mask, mtime, label, width, crop, colour)
    # made before (by any process, in any earlier run): the mask is not decoded again
    if (media_dir() / f"{name}.png").is_file():
        return f"{ROUTE}/{name}.png"
    if (media_dir() / f"{name}.none").is_file():
        return None
    with _ENCODING:  # one full-resolution mask decoded at a time
        return _make_tint(name, mask, label, width, crop, colour)


def _make_tint(name: str, mask: str, label: int, width: int, crop: tuple | None, colour: tuple) -> str | None:
    if (media_dir() / f"{name}.png").is_file():
        return f"{ROUTE}/{name}.png"
    with Image.open(mask) as im:
        labels = np.asarray(im)
    if labels.ndim == 3:
        labels = labels[..., 0]
    area = _crop(labels, crop) == label
    if not area.any():
        ensure_dir(media_dir())
        (media_dir() / f"{name}.none").touch()
        return None

    def encode() -> bytes:
        h, w = area.shape
        small = area if w <= width else cv2.resize(area.astype(np.uint8), (width, max(1, round(h * width / w))),
                                                    interpolation=cv2.INTER_NEAREST).astype(bool)
        rgba = np.zeros((*small.shape, 4), np.uint8)
        rgba[small] = (*colour, 115)  # 45 % over the document
        return _png(rgba)

    return _write(name, "png", encode)


def tint_url(mask, label: int, *, width: int = DISPLAY_WIDTH, crop=None, colour=(230, 30, 30)) -> str | None:
    """A transparent picture colouring the pixels of anomaly ``label`` of a mask file, or None.

    Laid over the document by the browser (same aspect ratio), so the
    document itself is never redrawn for feedback. None when the mask has
    no such pixel (in ``crop``) or cannot be read.
    """
    mask = str(mask)
    try:
        return _tint_url(mask, _mtime(mask), int(label), int(width),
                         None if crop is None else tuple(int(v) for v in crop), tuple(colour))
    except (OSError, ValueError):
        return None


def array_name(key: str) -> str:
    """The file name (without suffix) under which :func:`array_url` keeps the picture of ``key``."""
    return _name("array", key)


def array_address(*, key: str) -> str:
    """The address the picture stored under ``key`` has (or will have once made)."""
    return f"{ROUTE}/{array_name(key)}.jpg"


def warm(paths) -> None:
    """Encode the screen and zoom copies of image files ahead of time (run by the drill's prefetcher).

    The file names are what :func:`image_url` gives, so the page finds them
    made and only sends their address.
    """
    for path in paths or ():
        image_url(path)
        image_url(path, width=ZOOM_WIDTH)


def warm_picture(path, rgb: np.ndarray) -> None:
    """Encode the screen and zoom copies of the JPEG file ``path`` from its pixels ``rgb``, in memory.

    For a picture just made (a threshold trial's mosaic, by the caller's
    own thread: not one at a time with the pages' encodings): the files
    :func:`warm` makes, without decoding the file again; a picture no wider
    than the zoom copy is its own zoom copy (linked, not encoded again).
    """
    path = str(path)
    mtime = _mtime(path)
    zoom = (lambda: Path(path)) if rgb.shape[1] <= ZOOM_WIDTH else (lambda: _jpeg(shrunk_to(rgb, ZOOM_WIDTH)))
    _write(_name("image", path, mtime, DISPLAY_WIDTH, None), "jpg", lambda: _jpeg(shrunk_to(rgb, DISPLAY_WIDTH)),
           lock=contextlib.nullcontext())
    _write(_name("image", path, mtime, ZOOM_WIDTH, None), "jpg", zoom, lock=contextlib.nullcontext())


def array_url(rgb: np.ndarray, *, key: str) -> str:
    """The address of an RGB array made by the caller, stored under ``key`` (a stable description).

    For pictures computed once per specimen (the heatmap): ``key`` must
    change when the picture would.
    """
    return _write(_name("array", key), "jpg", lambda: _jpeg(rgb))


def cached_url(*, key: str) -> str | None:
    """The address stored by :func:`array_url` under ``key``, or None if not made yet."""
    name = _name("array", key)
    return f"{ROUTE}/{name}.jpg" if (media_dir() / f"{name}.jpg").is_file() else None


def media_app():
    """The ASGI app serving :func:`media_dir` (mounted at :data:`ROUTE` by :mod:`.server`)."""
    class ImmutableFiles(StaticFiles):
        # names are content hashes: a file never changes, so browsers keep it for the whole workshop
        def file_response(self, *args, **kwargs):
            response = super().file_response(*args, **kwargs)
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
            return response

    ensure_dir(media_dir())
    return ImmutableFiles(directory=str(media_dir()), check_dir=False)
