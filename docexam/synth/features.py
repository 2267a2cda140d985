"""The special security features of the newer designs, as ink layers of the blank document.

:func:`feature_layers` adds to a design's blank reference what its
``features`` name: a kinegram and a colour-shifting emblem as they look
straight on (the tilt views are drawn per specimen, :mod:`.ovd`), a visa
sticker's body (white, die-cut, its header), page numbers and the fold of
an open booklet. :func:`page_features` gives the watermark and thread a
page has inside (for transmitted light, :mod:`.transmitted`).

Examples
--------
>>> from docexam.synth.designs import design
>>> layers = feature_layers(design("mrd-td3"))
>>> sorted({layer.ink.name for layer in layers})
['colour-shift', 'kinegram']
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .designs import Design, design as get_design
from .inks import Ink, Layer
from .ovd import ovd_motif, ovd_view
from .text import HEADER_FONT, text_coverage
from .transmitted import PaperFeatures, paper_features, transmitted_image

__all__ = ["feature_layers", "page_features", "covering", "cover_bases", "against_lamp", "KINEGRAM_INK", "COLOUR_SHIFT_INK", "ovd_kind", "device"]

#: a metallised foil: opaque, no glow under UV, bright in IR (the metal reflects it)
KINEGRAM_INK = Ink("kinegram", (1.0, 1.0, 1.0), None, ir=0.0, uv_absorb=0.85)
#: an interference-pigment ink: darkens UV a little, transparent in IR
COLOUR_SHIFT_INK = Ink("colour-shift", (1.0, 1.0, 1.0), None, ir=0.15, uv_absorb=0.5)
#: the white of a visa sticker's paper (no optical brighteners: it stays dull under UV)
STICKER_PAPER = np.array([0.975, 0.972, 0.96], np.float32)
_OVD_KIND = {"kinegram": "kinegram", "colour-shift": "colour-shift"}


def ovd_kind(design: Design, zone: str) -> str:
    return _OVD_KIND[design.features[zone]]


def device(design: Design, zone: str):
    """The motif of the optically variable device in ``zone`` (the same for every document of the design)."""
    x0, y0, x1, y1 = design.zone_px(zone)
    return ovd_motif(ovd_kind(design, zone), (x1 - x0, y1 - y0), seed=sum(map(ord, design.template_id + zone)))


def ovd_layer(design: Design, zone: str, tilt: float = 0.0, *, variant: str = "genuine") -> Layer:
    """The device in ``zone`` seen at ``tilt`` as an ink layer (straight on: what a scanner sees)."""
    kind = ovd_kind(design, zone)
    rgb, cov = ovd_view(kind, device(design, zone), tilt, variant=variant, seed=len(zone))
    ink = KINEGRAM_INK if kind == "kinegram" else COLOUR_SHIFT_INK
    if variant == "printed":  # ink on paper: no metal under UV or IR
        ink = Ink("ovd-imitation", (1.0, 1.0, 1.0), None, ir=0.05, uv_absorb=0.4)
    return Layer(ink, cov, design.zone_px(zone), colour_field=rgb)


def text_layer(design: Design, name: str, text: str, box, px: int, colour, *, font_name=HEADER_FONT,
                ir: float = 0.6, uv_absorb: float = 0.5, x: int = 0) -> Layer:
    x0, y0, x1, y1 = box
    cov = text_coverage(text, size=(x1 - x0, y1 - y0), font_name=font_name, font_px=px,
                        baseline=(y1 - y0) - max(1, px // 6), x=x)
    return Layer(Ink(name, colour, None, ir=ir, uv_absorb=uv_absorb), cov, (x0, y0, x1, y1))


def _sticker(design: Design) -> list[Layer]:
    """A visa sticker's body: its white paper with a thin printed frame and its header."""
    x0, y0, x1, y1 = design.zone_px("visa-sticker")
    pal = design.palette
    frame = np.zeros((y1 - y0, x1 - x0), np.float32)
    t = max(2, design.px(0.4))
    frame[:t], frame[-t:], frame[:, :t], frame[:, -t:] = 1, 1, 1, 1
    layers = [Layer(Ink("visa-frame", pal.header, None, ir=0.5, uv_absorb=0.5), frame * 0.9, (x0, y0, x1, y1))]
    hx1 = x0 + design.px(86)
    layers.append(text_layer(design, "visa-header", "MERIDIA   VISA · VISADO", (x0 + design.px(3), y0,
                                                                                 hx1, y0 + design.px(8)),
                              design.px(4.0), pal.header, font_name="DejaVuSerifCondensed-Bold.ttf"))
    return layers


def _page_numbers(design: Design) -> list[Layer]:
    layers = []
    for zone, number in (("page-number-left", "16"), ("page-number-right", "17")):
        box = design.zone_px(zone)
        x = 0 if zone.endswith("left") else (box[2] - box[0]) - design.px(7)
        layers.append(text_layer(design, f"page-number-{number}", number, box, design.px(4.2),
                                  design.palette.header, x=x))
    return layers


def _fold(design: Design) -> list[Layer]:
    """The shadow of the fold between the two pages of an open booklet."""
    w, h = design.size_px
    mid = w // 2
    half = design.px(3.0)
    xs = np.arange(-half, half, dtype=np.float32)
    shade = (np.exp(-(xs / (0.45 * half)) ** 2) * 0.16).astype(np.float32)
    cov = np.repeat(shade[None, :], h, axis=0)
    return [Layer(Ink("fold", (0.35, 0.33, 0.30), None, ir=0.1, uv_absorb=0.2), cov, (mid - half, 0, mid + half, h))]


def covering(design: Design) -> np.ndarray:
    """Where something lies on top of the page (a visa sticker, a foil): 1 there, 0 elsewhere (page size)."""
    w, h = design.size_px
    out = np.zeros((h, w), np.float32)
    for zone, kind in design.features.items():
        if kind == "visa-sticker":
            x0, y0, x1, y1 = design.zone_px(zone)
            out[y0:y1, x0:x1] = 1.0
        elif kind == "kinegram":
            x0, y0, x1, y1 = design.zone_px(zone)
            out[y0:y1, x0:x1] = np.maximum(out[y0:y1, x0:x1], device(design, zone).outline)
    return out


def cover_bases(design: Design, bases: dict) -> None:
    """Lay what is stuck on the page (a visa sticker's white paper) onto the substrate images, in place."""
    for zone, kind in design.features.items():
        if kind != "visa-sticker":
            continue
        x0, y0, x1, y1 = design.zone_px(zone)
        bases["visible"][y0:y1, x0:x1] = STICKER_PAPER
        bases["uv"][y0:y1, x0:x1] *= 0.9   # no optical brighteners: as dull as the page
        if "ir" in bases:
            bases["ir"][y0:y1, x0:x1] = bases["ir"][y0:y1, x0:x1].mean()


def feature_layers(design: Design) -> list[Layer]:
    """The ink layers of ``design``'s features, to print after its security printing."""
    layers: list[Layer] = []
    kinds = set(design.features.values())
    if "visa-sticker" in kinds:
        layers += _sticker(design)
    if "page-number" in kinds:
        layers += _page_numbers(design) + _fold(design)
    for zone, kind in design.features.items():
        if kind in _OVD_KIND:
            layers.append(ovd_layer(design, zone))
    return layers


#: how much of the lamp's light a visa sticker (paper and glue over the page) holds back
STICKER_OPACITY = 0.25


def against_lamp(design: Design, visible: np.ndarray, *, features: PaperFeatures | None = None,
                 holes: np.ndarray | None = None) -> np.ndarray:
    """The page (float32 HxWx3 in reflected light) held up to a lamp: its transmitted-light image.

    ``features`` are the watermark and thread inside the sheet (default: the
    design's own); ``holes`` what is perforated through it.
    """
    return transmitted_image(visible, features if features is not None else page_features(design),
                             paper=design.palette.paper, holes=holes, opaque=covering(design) * STICKER_OPACITY)


def page_features(design: Design) -> PaperFeatures | None:
    """Watermark and thread inside the design's pages (None when it has none: a card, a plastic page).

    The same for every document of the design (computed once; do not modify the arrays).
    """
    return _page_features(design.template_id) if design.zones_with("watermark") else None


@lru_cache(maxsize=4)
def _page_features(template_id: str) -> PaperFeatures:
    design = get_design(template_id)
    zones = design.zones_with("watermark")
    w, h = design.size_px
    thickness = np.zeros((h, w), np.float32)
    thread = np.zeros((h, w), np.float32)
    for i, zone in enumerate(zones):
        box = design.zone_px(zone)
        threads = [design.zone_px(t) for t in design.zones_with("thread")]
        x = None
        if i < len(threads):
            tx0, _, tx1, _ = threads[i]
            x = (tx0 + tx1) // 2
        f = paper_features((h, w), watermark_box=box, thread_x=x, seed=i + sum(map(ord, design.template_id)),
                           thread_width=max(6, design.px(1.0)), thread_text=design.state_name)
        thickness += f.thickness
        thread = np.maximum(thread, f.thread)
    thickness.flags.writeable = False
    thread.flags.writeable = False
    return PaperFeatures(thickness, thread)
