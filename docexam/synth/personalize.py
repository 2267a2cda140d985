"""Personalization: print a holder's data, portrait, ghost portrait and MRZ on a blank document.

Everything is printed as ink layers over the blank reference, so the same
code renders a genuine document and, through :class:`Overrides`, the forger's
version of it (another font for one field, a substituted photo, a different
ghost image, MRZ lines that disagree with the fields).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import cv2
import numpy as np

from ..mrz.text import OPTIONAL_WIDTH, SHAPES, compose
from .designs import Design, FieldSpec
from .inks import CARBON_BLACK, DYE_BLACK, LASER_ENGRAVING, Ink, Layer
from .portrait import ghost_image
from .text import FIELD_FONT, MRZ_FONT, MRZ_PITCH_MM, fit_font_px, font, mrz_coverage, text_coverage

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@dataclass(frozen=True)
class FieldStyle:
    """How a field value is printed; a forger's differs from the genuine one."""

    font_name: str = FIELD_FONT
    scale: float = 1.0  # font size relative to the design's
    baseline_shift: int = 0  # pixels, + is down
    tracking: float = 0.0  # extra pixels between characters
    x_shift: int = 0
    ink: Ink | None = None  # None: the document's personalization ink


@dataclass(frozen=True)
class Reprint:
    """How characters a forger printed again differ from the issuer's: offset, strength, ink."""

    dx: float = 0.0  # pixels
    dy: float = 0.0
    strength: float = 1.0  # ink coverage relative to the issuer's
    ink: Ink | None = None  # None: the document's personalization ink


@dataclass
class Overrides:
    """What a forger changes in the personalization (empty for a genuine document)."""

    field_styles: dict = field(default_factory=dict)  # zone -> FieldStyle
    mrz_lines: list | None = None  # printed MRZ, when it differs from the data's
    #: (row, col) of MRZ characters the forger printed again, and how
    mrz_reprinted: frozenset = frozenset()
    mrz_reprint: Reprint = Reprint()
    ghost_portrait: np.ndarray | None = None  # the ghost drawn from another portrait
    omit_ghost: bool = False
    residue: dict = field(default_factory=dict)  # zone -> (old value, strength) left by an erasure
    #: "issuer" (the document's own process), "colour-print" (a dye or inkjet colour photo:
    #: what a counterfeiter prints where the issuer laser-engraves a greyscale one) or
    #: "grey-print" (the same in grey)
    portrait_process: str = "issuer"
    #: ink of every personalization print (None: the document's own)
    ink: Ink | None = None
    #: what a forger changes in the newer features (stamps, devices, paper, pages); see
    #: :mod:`docexam.synth.booklet` and :mod:`docexam.synth.forge.documents`
    features: dict = field(default_factory=dict)


def display_value(design: Design, spec: FieldSpec, holder: dict) -> str:
    """The text printed in a field, e.g. ``'12 AUG 1974'`` for a date."""
    if spec.style == "type":
        return design.document_code
    if spec.style == "code":
        return holder.get(spec.holder_field) or design.state_code
    value = str(holder.get(spec.holder_field, ""))
    if spec.style == "date":
        d = _dt.date.fromisoformat(value)
        return f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}"
    if spec.style == "nationality":
        return design.demonym if value == design.state_code else value
    return value.upper()


def mrz_lines_for(design: Design, holder: dict) -> list[str]:
    """The MRZ a correct issuer prints for ``holder`` (check digits per ICAO 9303)."""
    code = {"P": "P<", "V": "V<"}.get(design.document_code, design.document_code[:2])
    return compose(
        design.mrz, document_code=code, issuing_state=design.state_code,
        surname=holder["surname"], given_names=holder["given_names"],
        document_number=holder["document_number"], nationality=holder["nationality"],
        date_of_birth=holder["date_of_birth"], sex=holder["sex"], date_of_expiry=holder["date_of_expiry"],
        optional=holder.get("personal_number", "")[:OPTIONAL_WIDTH[design.mrz]],
    )


def personalization_ink(design: Design) -> Ink:
    # passports: dye-based inkjet personalization (vanishes in IR);
    # polycarbonate cards: laser engraving (carbonised, dark in IR)
    return LASER_ENGRAVING if design.portrait_ink == "laser" else DYE_BLACK


def field_geometry(design: Design) -> tuple[int, int]:
    """(font_px, baseline offset from the box bottom) of field values."""
    if design.format == "TD3":
        return design.px(2.7), design.px(0.7)
    return design.px(2.3), design.px(0.6)


def field_layer(design: Design, spec: FieldSpec, text: str, *, style: FieldStyle | None = None,
                strength: float = 1.0, ink: Ink | None = None) -> Layer:
    """The ink layer of one field value."""
    style = style or FieldStyle()
    x0, y0, x1, y1 = design.box_px(spec.box_mm)
    base_px, base_off = field_geometry(design)
    size = max(8, int(round(base_px * style.scale)))
    size = fit_font_px(text, font_name=style.font_name, font_px=size, max_width=x1 - x0 - 8,
                       tracking=style.tracking)
    cov = text_coverage(text, size=(x1 - x0, y1 - y0), font_name=style.font_name, font_px=size,
                        baseline=(y1 - y0) - base_off + style.baseline_shift, x=2 + style.x_shift,
                        tracking=style.tracking)
    return Layer(style.ink or ink or personalization_ink(design), cov * strength, (x0, y0, x1, y1))


def mrz_layout(design: Design) -> dict:
    """Origin, pitches and font size of the MRZ print (shared with masks of altered characters)."""
    x0, y0, x1, y1 = design.zone_px("mrz")
    rows, cols = SHAPES[design.mrz]
    pitch = MRZ_PITCH_MM * design.dpi / 25.4
    line_pitch = design.px(4.5)
    font_px = int(round(pitch * 1.33))  # OCR-B cap height ~2.4 mm at 10 cpi
    width = cols * pitch
    ox = int(round(x0 + ((x1 - x0) - width) / 2))
    cap = font(MRZ_FONT, font_px).getbbox("A", anchor="ls")[1]
    block = -cap + (rows - 1) * line_pitch
    oy = int(round(y0 + ((y1 - y0) - block) / 2 - cap))
    return {"origin": (ox, oy), "pitch_px": pitch, "line_pitch_px": line_pitch, "font_px": font_px}


def mrz_layers(design: Design, lines: list[str], *, reprinted=frozenset(), reprint: Reprint = Reprint(),
               ink: Ink | None = None) -> list[Layer]:
    """The MRZ print; characters at ``reprinted`` (row, col) as the forger printed them again."""
    x0, y0, x1, y1 = design.zone_px("mrz")
    lay = mrz_layout(design)
    ox, oy = lay["origin"]
    common = dict(size=(x1 - x0, y1 - y0), pitch_px=lay["pitch_px"], line_pitch_px=lay["line_pitch_px"],
                  font_px=lay["font_px"])
    mrz_ink = ink or mrz_ink_of(design)
    cov = mrz_coverage(lines, origin=(ox - x0, oy - y0), skip=reprinted, **common)
    layers = [Layer(mrz_ink, cov, (x0, y0, x1, y1))]
    if reprinted:
        again = mrz_coverage(lines, origin=(ox - x0 + reprint.dx, oy - y0 + reprint.dy), only=reprinted, **common)
        layers.append(Layer(reprint.ink or mrz_ink, again * reprint.strength, (x0, y0, x1, y1)))
    return layers


def mrz_ink_of(design: Design) -> Ink:
    # a passport's MRZ is printed in carbon ink; a card's is laser-engraved like its other data
    return LASER_ENGRAVING if design.portrait_ink == "laser" else CARBON_BLACK


def portrait_layers(design: Design, portrait: np.ndarray, box: tuple[int, int, int, int], *,
                    process: str = "issuer") -> list[Layer]:
    """A portrait printed into ``box``: colour in daylight, its darkness in UV and IR.

    ``process="colour-print"`` prints it as a counterfeiter does where the
    issuer laser-engraves: in colour, with dye inks that vanish in IR;
    ``"grey-print"`` is a careful counterfeiter's grey version of it (still
    dye, still gone in IR).
    """
    x0, y0, x1, y1 = box
    img = cv2.resize(portrait, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    engraved = design.portrait_ink == "laser" and process == "issuer"
    if engraved or process == "grey-print":
        img = np.repeat(img.mean(axis=2, keepdims=True), 3, axis=2) * 0.92 + 0.04
    darkness = 1.0 - img.mean(axis=2)
    ones = np.ones(darkness.shape, np.float32)
    ink = personalization_ink(design) if process == "issuer" else DYE_BLACK
    colour = Layer(Ink("portrait", (1, 1, 1), None, ir=0.0, uv_absorb=0.0), ones, box, colour_field=img)
    dark = Layer(Ink("portrait-dark", None, None, ir=ink.ir, uv_absorb=0.45), darkness, box)
    return [colour, dark]


def ghost_layer(design: Design, portrait: np.ndarray) -> Layer:
    x0, y0, x1, y1 = design.zone_px("ghost-portrait")
    cov = ghost_image(portrait, size=(x1 - x0, y1 - y0))
    ink = Ink("ghost", (0.42, 0.36, 0.32), None, ir=personalization_ink(design).ir * 0.6, uv_absorb=0.3)
    return Layer(ink, np.asarray(cov, np.float32) * 0.75, (x0, y0, x1, y1))


def personalization_layers(design: Design, holder: dict, portrait: np.ndarray,
                           overrides: Overrides | None = None) -> list[Layer]:
    """Every personalization layer of a document, forger's overrides applied."""
    ov = overrides or Overrides()
    layers = list(portrait_layers(design, portrait, design.zone_px("portrait"), process=ov.portrait_process))
    if not ov.omit_ghost and "ghost-portrait" in design.zones_mm:
        layers.append(ghost_layer(design, ov.ghost_portrait if ov.ghost_portrait is not None else portrait))
    for spec in design.fields:
        if spec.zone in ov.residue:
            old, strength = ov.residue[spec.zone]
            layers.append(field_layer(design, spec, old, strength=strength, ink=ov.ink))
        text = display_value(design, spec, holder)
        layers.append(field_layer(design, spec, text, style=ov.field_styles.get(spec.zone), ink=ov.ink))
    lines = ov.mrz_lines if ov.mrz_lines is not None else mrz_lines_for(design, holder)
    layers += mrz_layers(design, lines, reprinted=ov.mrz_reprinted, reprint=ov.mrz_reprint, ink=ov.ink)
    return layers
