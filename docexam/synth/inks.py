"""Inks, layers and the compositor that turns them into visible, UV and IR images.

A document is paper plus ink layers. Each layer is a coverage mask (how much
ink sits on each pixel) and an :class:`Ink` that says how that ink looks in
each light source:

* **visible**: inks filter the light reflected by the paper, so layers
  multiply (``out *= 1 - coverage * (1 - colour)``). Multiplication commutes,
  which lets personalization be printed over an already composited blank
  document and give the same pixels as printing everything at once.
* **UV** (365 nm): security paper stays dull; fluorescent inks and fibres emit
  their own colour (they cover what is below); ordinary inks absorb and darken.
* **IR** (around 900 nm): carbon-based inks (MRZ, some line work) absorb and
  stay dark; most colour inks are transparent and vanish.

Images are float32 in [0, 1] while being composed and uint8 RGB on disk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class Ink:
    """How one ink appears under each light source."""

    name: str
    #: colour in daylight; None for inks invisible in daylight (UV inks)
    visible: RGB | None
    #: emitted colour under UV; None if the ink does not fluoresce
    uv: RGB | None = None
    #: IR absorption, 0 (vanishes in IR) .. 1 (black in IR)
    ir: float = 0.0
    #: how much a non-fluorescent ink darkens the UV image, 0..1
    uv_absorb: float = 0.35


@dataclass
class Layer:
    """Ink coverage over a box of the page (coverage is the box's size)."""

    ink: Ink
    coverage: np.ndarray  # float32 (h, w) in [0, 1]
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 on the page
    #: optional per-pixel daylight colour (h, w, 3), e.g. a split-duct rainbow
    colour_field: np.ndarray | None = None


def crop_layer(ink: Ink, coverage: np.ndarray, *, colour_field: np.ndarray | None = None,
               pad: int = 0) -> Layer | None:
    """Make a :class:`Layer` from a full-page coverage, cropped to where there is ink."""
    ys, xs = np.nonzero(coverage > 1e-4)
    if len(xs) == 0:
        return None
    h, w = coverage.shape
    x0, x1 = max(int(xs.min()) - pad, 0), min(int(xs.max()) + 1 + pad, w)
    y0, y1 = max(int(ys.min()) - pad, 0), min(int(ys.max()) + 1 + pad, h)
    field = None if colour_field is None else colour_field[y0:y1, x0:x1]
    return Layer(ink, np.ascontiguousarray(coverage[y0:y1, x0:x1], dtype=np.float32), (x0, y0, x1, y1), field)


def apply_layer(canvas: np.ndarray, layer: Layer, light: str) -> None:
    """Print ``layer`` onto ``canvas`` (float32 HxWx3, modified in place) under ``light``."""
    x0, y0, x1, y1 = layer.box
    region = canvas[y0:y1, x0:x1]
    cov = layer.coverage[..., None]
    ink = layer.ink
    if light == "visible":
        if ink.visible is None:
            return
        colour = layer.colour_field if layer.colour_field is not None else np.asarray(ink.visible, np.float32)
        region *= 1.0 - cov * (1.0 - colour)
    elif light == "uv":
        if ink.uv is not None:
            region += cov * (np.asarray(ink.uv, np.float32) - region)
        elif ink.uv_absorb > 0:
            region *= 1.0 - cov * ink.uv_absorb
    elif light == "ir":
        if ink.ir > 0:
            region *= 1.0 - cov * ink.ir
    else:
        raise ValueError(f"light: {light!r} is not visible, uv or ir")


def compose(base: np.ndarray, layers: list[Layer], light: str) -> np.ndarray:
    """Print ``layers`` in order over a copy of ``base``; returns float32."""
    canvas = np.array(base, dtype=np.float32, copy=True)
    for layer in layers:
        apply_layer(canvas, layer, light)
    return canvas


def to_uint8(canvas: np.ndarray) -> np.ndarray:
    """Float image in [0, 1] to uint8, rounding half up (one temporary, not three: pages are large)."""
    tmp = np.clip(canvas, 0.0, 1.0)
    tmp *= np.float32(255.0)
    tmp += np.float32(0.5)
    return tmp.astype(np.uint8)


def to_float(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float32) * (1.0 / 255.0)


# The inks of the fictional documents -------------------------------------

CARBON_BLACK = Ink("carbon-black", (0.08, 0.08, 0.10), None, ir=0.95, uv_absorb=0.6)
LASER_ENGRAVING = Ink("laser-engraving", (0.12, 0.12, 0.13), None, ir=0.9, uv_absorb=0.5)
DYE_BLACK = Ink("dye-black", (0.10, 0.10, 0.14), None, ir=0.08, uv_absorb=0.5)
