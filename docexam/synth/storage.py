"""How a rendered specimen's pictures are stored: the one table of codecs.

Two storages:

* ``lossless`` — what ``docexam synth render`` writes (a contract): every
  light in PNG (``NAME.png``, ``NAME.uv.png`` ...), the views and the
  traveller in JPEG (:data:`PEOPLE_ONLY_JPEG`), the same bytes for the same
  arguments.
* ``library`` — the cache of the shipped library (and of evaluation sets):
  lossless where the answer key needs exact values (the anomaly mask), JPEG
  elsewhere, because the examination's results do not move when pictures
  are stored so (measured: ``benchmarks/detection.py --storage``), and
  because a phone or an office scanner writes JPEG itself.

:data:`LIBRARY_CODECS` is the table (picture kind × capture -> codec), with the
reason for each row; ``docs/formats.md`` shows it. Readers never build these
file names: the sidecar lists each picture (``images``, and per side
``sides[].images``), and :meth:`docexam.specimens.model.Specimen.image_path`
finds them.

Examples
--------
>>> codec_for("visible", {"kind": "flat"}, storage="library").suffix
'.jpg'
>>> codec_for("visible", {"kind": "phone", "jpeg_quality": 81}, storage="library").quality
'device'
>>> codec_for("mask", {"kind": "phone"}, storage="library").suffix
'.png'
>>> codec_for("uv", {"kind": "flat"}, storage="lossless").suffix
'.png'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..atomic import encode_jpeg, encode_png
from ..formats.lights import LIGHTS, VISIBLE
from ..formats.specimen import SCREEN_QUALITY, SCREEN_WIDTH, STORAGES
from ..imaging import shrunk_to
#: a codec's quality that means "the quality the simulated device wrote its own JPEG at"
DEVICE = "device"


@dataclass(frozen=True)
class Codec:
    """How one picture is stored.

    Attributes
    ----------
    format : {"png", "jpeg"}
    quality : int or "device" or None
        JPEG quality (1-100), never above the capture's own when the
        simulated scanner or phone wrote JPEG itself (its ``jpeg_quality``);
        ``"device"``: that quality. None for PNG.
    chroma : {"4:4:4", "4:2:0"} or None
        JPEG chroma subsampling (4:2:0 halves colour resolution both ways, as
        cameras do; 4:4:4 keeps it, for pictures that are measured).
    reason : str
        Why this row is so (shown in ``docs/formats.md``).
    max_width : int or None
        Wider pictures are stored shrunk to this width (pictures people look
        at on a screen only); None: at their own size.
    """

    format: str
    quality: int | str | None
    chroma: str | None
    reason: str
    max_width: int | None = None

    @property
    def suffix(self) -> str:
        return ".png" if self.format == "png" else ".jpg"


PNG = Codec("png", None, None, "lossless")
#: the lossless storage's pictures that only people look at (views, the traveller): JPEG there too
PEOPLE_ONLY_JPEG = Codec("jpeg", 90, "4:2:0", "looked at by people only")
#: the row of a picture whose simulated device wrote JPEG itself (the capture has a ``jpeg_quality``)
DEVICE_ROW = ("visible", "scan, phone: the device wrote JPEG")

#: the library cache's codecs: (picture, capture kind or "*") -> codec; pictures are the
#: lights of :data:`~docexam.formats.lights.LIGHTS`, ``mask`` (the answer key), ``view``
#: (tilt and raking views) and ``traveller`` (the photo taken at the counter)
LIBRARY_CODECS: dict[tuple[str, str], Codec] = {
    ("visible", "scan, phone: the device wrote JPEG"): Codec(
        "jpeg", DEVICE, "4:2:0", "a phone (always) and many office scanners write JPEG themselves: stored as the "
        "simulated device wrote it, at its quality (its 8x8 blocks are there already; more quality only adds bytes)"),
    ("visible", "flat"): Codec(
        "jpeg", 90, "4:4:4", "examined closely (print process, halftone screens, MRZ): high quality and full "
        "colour resolution; the examination's verdicts did not move against PNG"),
    ("visible", "scan"): Codec(
        "jpeg", 90, "4:4:4", "a scanner that wrote a lossless file: as flat"),
    ("uv", "*"): Codec(
        "jpeg", 65, "4:2:0", "the examination compares what fluoresces region by region at low resolution; "
        "a dim UV picture is mostly sensor noise, which costs bytes, not information"),
    ("ir", "*"): Codec(
        "jpeg", 65, None, "one grey channel; the examination compares IR drop-out region by region at low "
        "resolution"),
    ("transmitted", "*"): Codec(
        "jpeg", 60, None, "one grey channel looked at by people only (watermark, thread, perforation): "
        "the paper's grain costs bytes, not information"),
    ("view", "*"): Codec(
        "jpeg", 70, "4:2:0", "tilt and raking views: looked at by people a few at a time on a screen, so no wider "
        "than a screen shows them (no screen copy needed); the examination aligns a tilt view by its features, "
        "whatever its scale", max_width=SCREEN_WIDTH),
    ("traveller", "*"): Codec(
        "jpeg", 80, "4:2:0", "the photo taken at the counter: looked at by people only"),
    ("mask", "*"): Codec(
        "png", None, None, "the answer key: each pixel is an anomaly's label, which a lossy codec would blur"),
}


def codec_for(picture: str, capture: dict, *, storage: str) -> Codec:
    """The codec ``picture`` (a light, ``mask``, ``view`` or ``traveller``) is stored in.

    ``capture`` is the picture's capture record (the sidecar's ``capture``,
    or a side's): its ``kind`` and, when the simulated device wrote JPEG,
    its ``jpeg_quality``.
    """
    if storage not in STORAGES:
        raise ValueError(f"storage: {storage!r} is not one of {', '.join(STORAGES)}")
    if picture not in (*LIGHTS, "mask", "view", "traveller"):
        raise ValueError(f"picture: {picture!r} is not a light, 'mask', 'view' or 'traveller'")
    if storage == "lossless":
        return PEOPLE_ONLY_JPEG if picture in ("view", "traveller") else PNG
    if picture in ("view", "traveller", "mask"):
        return LIBRARY_CODECS[picture, "*"]
    if picture == VISIBLE and capture.get("jpeg_quality") is not None:
        return LIBRARY_CODECS[DEVICE_ROW]
    return LIBRARY_CODECS.get((picture, capture.get("kind", "flat"))) or LIBRARY_CODECS[picture, "*"]


def jpeg_quality(picture: str, codec: Codec, capture: dict) -> int | None:
    """The JPEG quality ``codec`` stores ``picture`` of ``capture`` at (None: lossless)."""
    if codec.format == "png":
        return None
    device = capture.get("jpeg_quality") if picture in LIGHTS else None
    # a light: never above what the device kept (a higher quality would only store its 8x8 blocks more exactly)
    return int(device if codec.quality == DEVICE else min(codec.quality, device or 100))


def encode(image: np.ndarray, picture: str, codec: Codec, capture: dict) -> bytes:
    """The bytes of ``image`` (uint8 grey or RGB), a ``picture`` of ``capture``, stored with ``codec``."""
    if codec.max_width is not None:
        image = shrunk_to(image, codec.max_width)
    quality = jpeg_quality(picture, codec, capture)
    if quality is None:
        # zlib's run-length strategy suits the noisy other lights; the visible page and the mask compress better without
        return encode_png(image, rle=picture not in (VISIBLE, "mask"))
    return encode_jpeg(image, quality=quality, full_chroma=codec.chroma == "4:4:4")


def screen_copy(image: np.ndarray, picture: str, codec: Codec, capture: dict) -> bytes | None:
    """The bytes of ``image``'s screen copy (None: it is no wider than a screen, and shown as it is).

    At most :data:`SCREEN_QUALITY`, and never above the quality the picture
    itself is stored at: a copy of a quality-60 picture at 85 would only
    store its 8x8 blocks more exactly.
    """
    stored_width = min(image.shape[1], codec.max_width or image.shape[1])
    if stored_width <= SCREEN_WIDTH:
        return None
    quality = min(SCREEN_QUALITY, jpeg_quality(picture, codec, capture) or 100)
    return encode_jpeg(shrunk_to(image, SCREEN_WIDTH), quality=quality)


def table_rows() -> list[tuple[str, str, str, str]]:
    """(picture, capture, codec, reason) for each row of :data:`LIBRARY_CODECS` (for the docs)."""
    rows = []
    for (picture, capture), c in LIBRARY_CODECS.items():
        what = "PNG" if c.format == "png" else (
            f"JPEG, {'the device' + chr(39) + 's quality' if c.quality == DEVICE else f'quality {c.quality}'}"
            + (f", {c.chroma}" if c.chroma else "") + (f", at most {c.max_width} px wide" if c.max_width else ""))
        rows.append((picture, capture, what, c.reason))
    return rows


__all__ = ["Codec", "DEVICE", "DEVICE_ROW", "LIBRARY_CODECS", "PEOPLE_ONLY_JPEG", "PNG", "STORAGES", "codec_for",
           "encode", "jpeg_quality", "screen_copy", "table_rows"]
