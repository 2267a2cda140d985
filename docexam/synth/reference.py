"""Render a design's blank reference: substrate and security printing, no personalization.

The result is a list of ink :class:`~docexam.synth.inks.Layer` objects over a
substrate per light source, composed into visible, UV and IR images. The
blank reference is what ``specimens/templates/<id>/`` ships; specimens are the
blank reference with personalization (and, for forgeries, the forger's work)
printed over it.

Substrate variants model what a counterfeiter prints on: ``"security"`` (the
genuine body: security paper or a polycarbonate laminate), ``"office-paper"``
(no fibres, optical brighteners that glow under UV), ``"pvc"`` (a glossy white
plastic card that glows under UV) and ``"teslin"`` (a matt synthetic paper
that stays dull under UV).

The fine fibre grain of a sheet is not in the blank reference: every sheet
has its own, so :func:`sheet_grain` lays it per specimen (and the committed
reference images, without that noise, stay small).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..formats.lights import REFLECTED
from . import security, substrate
from .designs import Design, design as get_design
from .emblem import emblem
from .features import against_lamp, cover_bases, covering, feature_layers, page_features
from .inks import Ink, Layer, compose, crop_layer
from .microprint import microprint
from .text import HEADER_FONT, LABEL_FONT, text_coverage

SUBSTRATES = ("security", "office-paper", "pvc", "teslin")
#: relative standard deviation of each body's fine grain (see :func:`sheet_grain`)
GRAIN = {"paper": 0.022, "office-paper": 0.018, "teslin": 0.012, "polycarbonate": 0.0, "pvc": 0.0}
_BED_VISIBLE = (0.985, 0.985, 0.985)  # scanner lid around a card
_BED_UV = (0.04, 0.035, 0.06)
_BED_IR = (0.92, 0.92, 0.92)
_WHITE = (0.975, 0.975, 0.972)
#: cap height of microprinted letters (real documents: 0.15-0.25 mm; legible only under a loupe)
MICROPRINT_CAP_MM = 0.2


@dataclass
class Reference:
    """A rendered blank document: per-light substrate, ink layers and images."""

    design: Design
    substrate: str
    bases: dict  # light -> float32 HxWx3 substrate alone
    layers: list
    images: dict  # light -> float32 HxWx3 composed


def body_of(design: Design, substrate_kind: str) -> str:
    """What the sheet is made of: the design's own body for ``"security"``, else the forger's."""
    return design.substrate if substrate_kind == "security" else substrate_kind


def _bases(design: Design, kind: str, seed: int) -> tuple[dict, list[Layer]]:
    """Substrate images per light, and fibre layers (which belong to the substrate)."""
    w, h = design.size_px
    vis = np.empty((h, w, 3), np.float32)
    vis[:] = _BED_VISIBLE
    uv = np.empty((h, w, 3), np.float32)
    uv[:] = _BED_UV
    ir = np.empty((h, w, 3), np.float32)
    ir[:] = _BED_IR
    fibre_layers: list[Layer] = []
    tint = design.palette.paper
    body = body_of(design, kind)
    for i, (x0, y0, x1, y1) in enumerate([box for _, box in design.sides]):
        shape = (y1 - y0, x1 - x0)
        side_seed = seed + 101 * i
        if body == "office-paper":
            vis[y0:y1, x0:x1] = substrate.paper(shape, tint=_WHITE, grain=0.0, seed=side_seed + 7, dpi=design.dpi)
            uv[y0:y1, x0:x1] = substrate.uv_paper(shape, fluorescent=True, seed=side_seed + 8)
        elif body == "pvc":  # glossy white plastic with optical brighteners
            vis[y0:y1, x0:x1] = substrate.polycarbonate(shape, tint=_WHITE, sheen=0.05, seed=side_seed + 9,
                                                        dither=False)
            uv[y0:y1, x0:x1] = substrate.uv_paper(shape, fluorescent=True, seed=side_seed + 10) * 0.8
        elif body == "teslin":  # matt silica-filled synthetic paper, dull under UV
            vis[y0:y1, x0:x1] = substrate.paper(shape, tint=(0.962, 0.962, 0.955), grain=0.0, mottle=0.008,
                                                seed=side_seed + 11, dpi=design.dpi)
            uv[y0:y1, x0:x1] = substrate.uv_paper(shape, fluorescent=False, seed=side_seed + 12) * 1.35
        elif body == "polycarbonate":
            vis[y0:y1, x0:x1] = substrate.polycarbonate(shape, tint=tint, seed=side_seed, dither=False)
            uv[y0:y1, x0:x1] = substrate.uv_paper(shape, fluorescent=False, seed=side_seed + 1)
        else:
            vis[y0:y1, x0:x1] = substrate.paper(shape, tint=tint, grain=0.0, seed=side_seed, dpi=design.dpi)
            uv[y0:y1, x0:x1] = substrate.uv_paper(shape, fluorescent=False, seed=side_seed + 1)
            for j, fl in enumerate(substrate.fibres(shape, density_per_cm2=1.2, dpi=design.dpi,
                                                    seed=side_seed + 2)):
                ink = Ink(f"fibre-{j}", fl.visible_rgb, fl.uv_rgb, ir=0.0, uv_absorb=0.0)
                full = np.zeros((h, w), np.float32)
                full[y0:y1, x0:x1] = fl.coverage
                layer = crop_layer(ink, full)
                if layer is not None:
                    fibre_layers.append(layer)
        # IR: every substrate reflects near-infrared strongly and evenly
        ir[y0:y1, x0:x1] = substrate.paper(shape, tint=(0.9, 0.9, 0.9), grain=0.0, mottle=0.006,
                                           seed=side_seed + 3, dpi=design.dpi).mean(axis=2, keepdims=True)
    return {"visible": vis, "uv": uv, "ir": ir}, fibre_layers


def sheet_grain(design: Design, *, substrate_kind: str = "security", seed: int) -> np.ndarray | None:
    """This sheet's fine grain over the whole canvas (zero outside the sides), or None for smooth bodies.

    Multiply the visible image by ``1 + grain`` (and the IR image by a
    third of it) to lay the grain under the print.
    """
    strength = GRAIN.get(body_of(design, substrate_kind), 0.0)
    if strength <= 0:
        return None
    w, h = design.size_px
    out = np.zeros((h, w), np.float32)
    for i, (x0, y0, x1, y1) in enumerate([box for _, box in design.sides]):
        out[y0:y1, x0:x1] = substrate.fibre_grain((y1 - y0, x1 - x0), strength=strength,
                                                  seed=np.random.default_rng([seed, i, 0x67A1]), dpi=design.dpi)
    return out


def _design_layers(design: Design) -> list[Layer]:
    """The pre-printed security design, in printing order."""
    w, h = design.size_px
    shape = (h, w)
    pal = design.palette
    layers: list[Layer] = []

    def add(ink: Ink, coverage: np.ndarray, colour_field=None) -> None:
        layer = crop_layer(ink, coverage, colour_field=colour_field)
        if layer is not None:
            layers.append(layer)

    # underprint: fine warped line background over each side (vanishes in IR)
    underprint = np.zeros(shape, np.float32)
    for i, box in enumerate([box for _, box in design.sides]):
        underprint = np.maximum(underprint, security.line_field(
            shape, box=box, spacing=design.px(0.55), line_width=1.6, angle=28.0 + 50 * i,
            warp=design.px(1.6), seed=11 + i))
    # a pale ink: under UV it absorbs too little to show on the dull paper;
    # what lies on top of the page (a visa sticker, a foil) hides the page's own print there
    underprint *= 1 - covering(design)
    add(Ink("underprint", pal.underprint, None, ir=0.0, uv_absorb=0.0), underprint)

    # nested guilloche bands: a braid of rainbow lines (split duct) interlaced with a finer
    # braid in the rosette ink at another wavelength (vanish in IR but for the rosette ink)
    for name, (kind, box_mm) in design.zones_mm.items():
        if kind != "security-print" or name in design.rosettes or name in design.features:
            continue
        box = design.box_px(box_mm)
        band = security.wave_band(shape, box=box, n_lines=14, amplitude=(box[3] - box[1]) * 0.22,
                                  wavelength=design.px(9.0), line_width=2.2, modulation=0.35)
        field = security.split_duct(shape, box=box, colors=pal.rainbow, axis="x")
        add(Ink(f"rainbow-{name}", (0.5, 0.5, 0.5), None, ir=0.0, uv_absorb=0.3), band, field)
        inner = security.wave_band(shape, box=box, n_lines=10, amplitude=(box[3] - box[1]) * 0.3,
                                   wavelength=design.px(5.7), line_width=1.6, modulation=0.6, phase=1.3)
        add(Ink(f"braid-{name}", pal.rosette, None, ir=0.4, uv_absorb=0.3), inner * 0.75)

    # rosettes: three nested rings of continuous line work in three inks; only the outer
    # ring's ink absorbs IR (stays dark in IR), the others vanish
    for name, ((cx, cy), r_mm) in design.rosettes.items():
        big = design.format == "TD3"
        centre = (design.px(cx), design.px(cy))
        rings = (  # (inner, outer) radius as a share of r_mm, lobes, curves, kind, line width, ink
            ((0.56, 1.0), 23 if big else 19, 6 if big else 5, "epitrochoid", 1.9,
             Ink(f"rosette-{name}", pal.rosette, None, ir=0.55, uv_absorb=0.3), 0.85),
            ((0.30, 0.64), 17 if big else 13, 5 if big else 4, "hypotrochoid", 1.8,
             Ink(f"rosette-{name}-middle", pal.rainbow[2], None, ir=0.0, uv_absorb=0.3), 0.7),
            ((0.12, 0.36), 11 if big else 9, 4 if big else 3, "sine", 1.7,
             Ink(f"rosette-{name}-inner", pal.rainbow[0], None, ir=0.0, uv_absorb=0.3), 0.6),
        )
        for (ri, ro), lobes, curves, kind, lw, ink, strength in rings:
            ros = security.rosette(shape, center=centre, r_inner=design.px(r_mm * ri), r_outer=design.px(r_mm * ro),
                                   lobes=lobes, n_curves=curves, line_width=lw, kind=kind)
            add(ink, ros * strength)

    # emblem (visible) and the UV emblem in an ink invisible in daylight
    for name, (kind, box_mm) in design.zones_mm.items():
        if kind != "emblem" or name in design.features:
            continue
        x0, y0, x1, y1 = design.box_px(box_mm)
        centre, radius = ((x0 + x1) // 2, (y0 + y1) // 2), min(x1 - x0, y1 - y0) // 2 - 2
        em = emblem(shape, center=centre, radius=radius, points=12 if name == "emblem" else 16,
                             seed=5 if name == "emblem" else 9)
        if name == "uv-emblem":
            add(Ink("uv-emblem", None, (0.98, 0.86, 0.30), ir=0.0, uv_absorb=0.0), em)
        else:
            add(Ink("emblem", pal.emblem, None, ir=0.3, uv_absorb=0.4), em)

    # microprint: two rows of 0.2 mm capitals in each microprint zone, the second row
    # shifted half a word (IR-absorbing: a quick IR check shows them dark)
    micro = np.zeros(shape, np.float32)
    for name, (kind, box_mm) in design.zones_mm.items():
        if kind == "microprint" and name not in design.features:
            x0, y0, x1, y1 = design.box_px(box_mm)
            mid = (y0 + y1) // 2
            cap = MICROPRINT_CAP_MM * design.dpi / 25.4
            text = design.microprint_text + " "
            for box, words in (((x0, y0, x1, mid), text), ((x0, mid, x1, y1), text[len(text) // 2:] + text[:len(text) // 2])):
                np.maximum(micro, microprint(shape, box=box, text=words, cap_height_px=cap), out=micro)
    add(Ink("microprint", pal.microprint, None, ir=0.8, uv_absorb=0.4), micro)

    # header: state name and document title on each side; field captions
    header = np.zeros(shape, np.float32)
    labels = np.zeros(shape, np.float32)
    for i, (x0, y0, x1, y1) in enumerate([box for _, box in design.sides]):
        fs = design.px(3.4 if design.format == "TD3" else 2.6)
        title = f"{design.state_name}    {design.title}" if i == 0 else f"{design.state_name}  ·  {design.title}"
        band_h = design.px(7.5 if design.format == "TD3" else 5.5)
        header[y0:y0 + band_h, x0:x1] = np.maximum(
            header[y0:y0 + band_h, x0:x1],
            text_coverage(title, size=(x1 - x0, band_h), font_name=design.header_font or HEADER_FONT, font_px=fs,
                          baseline=band_h - design.px(1.6), x=design.px(5)))
    label_px = design.px(1.25 if design.format == "TD3" else 1.05)
    for f in design.fields:
        x0, y0, x1, y1 = design.box_px(f.box_mm)
        top = y0 - label_px - design.px(0.55)
        labels[top:y0, x0:x1] = np.maximum(labels[top:y0, x0:x1], text_coverage(
            f.label, size=(x1 - x0, y0 - top), font_name=LABEL_FONT, font_px=label_px,
            baseline=label_px))
    add(Ink("header", pal.header, None, ir=0.7, uv_absorb=0.5), header)
    add(Ink("labels", pal.label, None, ir=0.0, uv_absorb=0.4), labels)

    layers.append(overprint_layer(design))
    return layers


def overprint_layer(design: Design) -> Layer:
    """The security overprint crossing the portrait border.

    It is printed over the photo (on a card, on the top film), so a photo
    pasted on top interrupts it, and a top film laminated again out of
    register shifts it.
    """
    w, h = design.size_px
    x0, y0, x1, y1 = design.zone_px("portrait")
    seal = security.rosette((h, w), center=(x1, y1 - (y1 - y0) // 5), r_inner=design.px(3.0),
                            r_outer=design.px(8.5 if design.format == "TD3" else 6.0), lobes=9,
                            n_curves=2, line_width=2.0, kind="hypotrochoid")
    return crop_layer(Ink("overprint", design.palette.overprint, (0.55, 0.95, 0.55), ir=0.0, uv_absorb=0.0),
                      seal * 0.85)


@lru_cache(maxsize=4)
def _render_cached(template_id: str, kind: str) -> Reference:
    d = get_design(template_id)
    bases, fibre_layers = _bases(d, kind, seed=1000 + sum(map(ord, template_id)))
    cover_bases(d, bases)
    layers = fibre_layers + _design_layers(d)
    layers += feature_layers(d)
    images = {light: compose(bases[light], layers, light) for light in REFLECTED}
    if page_features(d) is not None:
        images["transmitted"] = against_lamp(d, images["visible"])
    for img in images.values():
        img.flags.writeable = False
    return Reference(d, kind, bases, layers, images)


def render_reference(template_id: str, *, substrate_kind: str = "security") -> Reference:
    """The blank reference of a shipped design (cached per process; do not modify its arrays)."""
    if substrate_kind not in SUBSTRATES:
        raise ValueError(f"substrate_kind: {substrate_kind!r} is not one of {', '.join(SUBSTRATES)}")
    return _render_cached(template_id, substrate_kind)
