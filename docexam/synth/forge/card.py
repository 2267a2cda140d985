"""Attacks on a polycarbonate card: a counterfeit body, re-engraved data, a card split and laminated again.

A polycarbonate card is a laminate of films fused into one block; its photo
and data are laser-engraved *inside* it (carbonised, greyscale, dark in IR),
its security print lies under a clear top film. It cannot be washed or
patched. What forgers do instead:

* print a whole counterfeit card on PVC or Teslin, with a printer that puts a
  colour (or grey) dye photo where the issuer engraves, so the photo fades
  away in IR and shows dither dots under a loupe;
* sand the engraved characters off the surface and engrave new ones with
  another laser, leaving a scuffed, scratched, hazy patch;
* split the card's films (heat, solvent), slip another photo under the top
  film and laminate it again: bubbles, a lifting edge, and the top film's
  print out of register with what lies under it.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..inks import Ink, apply_layer
from ..personalize import FieldStyle, Reprint
from ..reference import overprint_layer, render_reference
from ..screens import cmyk_to_rgb, fm_dither, rgb_to_cmyk
from ..shapes import abraded_blotch, scratches
from ...formats.lights import REFLECTED
from .base import ALTERABLE, Draft, Forger, alter_field, another_face, annotate_mrz, mrz_cells_region, soften

#: a card printer's black resin panel (carbon: dark in IR)
RESIN_BLACK = Ink("resin-black", (0.09, 0.09, 0.10), None, ir=0.9, uv_absorb=0.55)
#: another laser than the issuer's: a little lighter and browner, a little less dark in IR
FORGER_LASER = Ink("forger-laser", (0.22, 0.20, 0.19), None, ir=0.75, uv_absorb=0.45)


#: resolution of a desktop card printer, dots per inch
CARD_PRINTER_DPI = 300


def _card_printer(d: Draft, box, *, speckle: float) -> None:
    """Reprint the visible image inside ``box`` as a desktop card printer does.

    Its 300 dpi print head turns fine lines into soft steps, and it builds
    colours (greys too) from cyan, magenta and yellow: under a loupe a grey
    area shows coloured speckle (``speckle``: 0 smooth dye .. 1 plain dither).
    """
    x0, y0, x1, y1 = box
    region = d.images["visible"][y0:y1, x0:x1]
    h, w = region.shape[:2]
    f = CARD_PRINTER_DPI / d.design.dpi
    small = cv2.resize(region, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    region = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    paper = np.float32([0.975, 0.975, 0.972])
    rgb = np.clip(region / paper, 0, 1)
    c, m, y, k = rgb_to_cmyk(rgb, black_generation=0.2)
    dots = [fm_dither(ch, seed=d.rng, drop_px=1, spread_px=0.7) for ch in (c, m, y, k)]
    speckled = cmyk_to_rgb(*dots, paper)
    d.images["visible"][y0:y1, x0:x1] = region + (speckled - region) * np.float32(speckle)


class CounterfeitCard(Forger):
    technique = "counterfeit-card"

    def substrate_for(self, design, rng, severity: float) -> str:
        # a careful counterfeiter prints on Teslin, which stays dull under UV; PVC glows
        self.body = "teslin" if rng.random() < 0.9 - 0.8 * severity else "pvc"
        return self.body

    def prepare(self, d: Draft) -> None:
        d.overrides.portrait_process = "grey-print" if d.severity < 0.4 else "colour-print"
        d.overrides.ink = RESIN_BLACK

    def before_personalization(self, d: Draft) -> None:
        s = d.severity
        # the security print comes off a printer: dots, not continuous lines
        for zone in d.side_zones():
            _card_printer(d, d.zone(zone), speckle=0.1 + 0.3 * s)
        # the printer's C, M, Y inks are transparent in IR: the security print vanishes there
        body = render_reference(d.design.template_id, substrate_kind=self.body).bases
        d.images["ir"] = body["ir"].copy()
        if s >= 0.5:  # no UV print at all: only the body's own glow
            d.images["uv"] = body["uv"].copy()
        else:  # an imitation in a UV ink of the wrong colour
            uv = d.images["uv"]
            lit = np.clip(uv - body["uv"], 0, None).max(axis=2, keepdims=True)
            uv[:] = body["uv"] + lit * np.float32([0.45, 0.55, 1.0])

    def after_personalization(self, d: Draft) -> None:
        s = d.severity
        box = d.zone("portrait")
        _card_printer(d, box, speckle=0.3 + 0.5 * s)
        body = "Teslin (a matt synthetic paper)" if self.body == "teslin" else "PVC plastic"
        d.mark_pages(self.technique,
                     f"A counterfeit card printed on {body}, not a polycarbonate laminate: the security print is "
                     "made of printer dots, it has no tactile relief, in IR the background print vanishes, and "
                     + ("under UV the card body glows." if self.body == "pvc" else
                        "under UV the features are missing or the wrong colour."))
        colour = "colour" if d.overrides.portrait_process == "colour-print" else "grey"
        d.mark(self.technique, "portrait", d.box_region(box),
               f"The photo is a {colour} print made of dye dots, not a greyscale laser engraving: under a loupe "
               "it shows coloured droplets, and in IR it fades away where an engraved photo stays dark.")


def _haze(d: Draft, box, area: np.ndarray, s: float, seed) -> None:
    """A sanded surface: matt and hazy (a white veil), crossed by fine scratches."""
    x0, y0, x1, y1 = box
    a = area[y0:y1, x0:x1]
    scr = scratches(d.mask.shape, box=box, seed=seed, angle_deg=float(d.rng.uniform(-35, 35)),
                    length_px=(x1 - x0) / 5, density=0.5 + 0.5 * s)[y0:y1, x0:x1] * a
    veil = (a * (0.05 + 0.12 * s) + scr * (0.10 + 0.15 * s))[..., None]
    vis = d.images["visible"][y0:y1, x0:x1]
    vis += (np.float32(0.985) - vis) * veil
    d.images["uv"][y0:y1, x0:x1] += veil * 0.35 * np.float32([0.55, 0.55, 0.75])


class ReEngraving(Forger):
    technique = "re-engraving"

    def prepare(self, d: Draft) -> None:
        s = d.severity
        self.zone = [z for z in ALTERABLE if z in d.design.zones_mm][int(d.rng.integers(5))]
        reprint = Reprint(dx=float(d.rng.uniform(-3, 3)), dy=float(d.rng.uniform(-2, 4)), strength=0.85,
                          ink=FORGER_LASER)
        self.change = alter_field(d, self.zone, reprint=reprint)
        d.overrides.field_styles[self.zone] = FieldStyle(
            scale=float(d.rng.choice([0.94, 1.06])), baseline_shift=int(2 + 6 * s), tracking=1.0 + 3 * s,
            x_shift=int(d.rng.integers(-3, 10)), ink=FORGER_LASER)
        # the old engraving is carbon deep in the layer: sanding never takes all of it
        d.overrides.residue[self.zone] = (self.change.old_text, 0.22 - 0.12 * s)

    def after_personalization(self, d: Draft) -> None:
        s = d.severity
        x0, y0, x1, y1 = d.zone(self.zone)
        pad = d.design.px(0.8)
        box = (max(x0 - pad, 0), max(y0 - pad, 0), x1 + pad, y1 + pad)
        area = abraded_blotch(d.mask.shape, box=box, seed=d.rng, fill=0.97, roughness=0.3, feather_px=8)
        _haze(d, box, area, s, d.rng)
        c = self.change
        d.mark(self.technique, self.zone, area > 0.3,
               f"The {d.label(self.zone)} was sanded off the card and engraved again: the surface here is matt "
               "and finely scratched, traces of the old characters "
               f"({c.old_text}) remain (clearest in IR), and the new ones are a different darkness and sit off "
               "the line of the other fields.", mrz_changed=c.mrz_changed)
        if c.mrz_changed:
            cells = mrz_cells_region(d, c.changed_cells(), pad=12)
            _haze(d, _bounds(cells), soften(cells, 5), s, d.rng)
        annotate_mrz(d, c, self.technique, "those characters were sanded off and engraved again by another "
                                           "laser, and the surface around them is scuffed")


def _bounds(region: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(region)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _bubbles(d: Draft, box, n: int, s: float) -> np.ndarray:
    """Air trapped between the films: small round-ish blisters with a bright rim; returns their area."""
    x0, y0, x1, y1 = box
    h, w = d.mask.shape
    area = np.zeros((h, w), np.float32)
    vis, uv = d.images["visible"], d.images["uv"]
    for _ in range(n):
        r = d.design.px(float(d.rng.uniform(0.25, 0.5 + 0.9 * s)))
        cx, cy = int(d.rng.integers(x0 + r, x1 - r)), int(d.rng.integers(y0 + r, y1 - r))
        bx = (cx - 2 * r, cy - 2 * r, cx + 2 * r, cy + 2 * r)
        blob = abraded_blotch((h, w), box=(max(bx[0], 0), max(bx[1], 0), min(bx[2], w), min(bx[3], h)),
                              seed=d.rng, fill=0.55, roughness=0.08, feather_px=1.5)
        sl = (slice(max(bx[1], 0), min(bx[3], h)), slice(max(bx[0], 0), min(bx[2], w)))
        b = blob[sl]
        rim = np.clip(b * (1 - b) * 4, 0, 1)
        # the air gap reflects: lighter inside, a bright rim with a dark edge on the shadow side
        shadow = np.roll(rim, (2, 2), axis=(0, 1))
        vis[sl] += (np.float32(0.98) - vis[sl]) * (b * (0.10 + 0.12 * s) + rim * 0.25)[..., None]
        vis[sl] *= 1 - (shadow * (1 - b) * (0.15 + 0.2 * s))[..., None]
        uv[sl] *= 1 - (rim * 0.35)[..., None]
        area[sl] = np.maximum(area[sl], b)
    return area


class Delamination(Forger):
    technique = "delamination"

    def prepare(self, d: Draft) -> None:
        # the holder's photo is swapped for a printed one slipped under the top film;
        # the ghost image, engraved deeper, still shows the holder
        d.overrides.ghost_portrait = d.portrait
        d.portrait = another_face(d, 7919)
        d.overrides.portrait_process = "grey-print" if d.severity < 0.5 else "colour-print"

    def after_personalization(self, d: Draft) -> None:
        s = d.severity
        px0, py0, px1, py1 = d.zone("portrait")
        front = d.side_zones()[0]
        fx0, fy0, fx1, fy1 = d.zone(front)
        # the top film went back a little out of register: its overprint no longer lines up
        shift = (int(round((1 + 5 * s) * (1 if d.rng.random() < 0.5 else -1))), int(round(1 + 4 * s)))
        seal = overprint_layer(d.design)
        moved = _shifted(seal, shift)
        for light in REFLECTED:
            _unprint(d.images[light], seal, light)
            apply_layer(d.images[light], moved, light)
        seal_region = np.zeros(d.mask.shape, bool)
        for layer in (seal, moved):
            x0, y0, x1, y1 = layer.box
            seal_region[y0:y1, x0:x1] |= layer.coverage > 0.05
        # bubbles over and around the photo, where the films were pried apart
        pad = d.design.px(2.0)
        around = (max(px0 - pad, fx0), max(py0 - pad, fy0), min(px1 + pad, fx1), min(py1 + pad, fy1))
        bubbles = _bubbles(d, around, int(3 + 9 * s), s)
        # the edge nearest the photo lifts: a pale band with a ragged front
        depth = d.design.px(0.6 + 1.6 * s)
        top, bottom = py0 + (py1 - py0) // 6, py1 - (py1 - py0) // 6
        lift = abraded_blotch(d.mask.shape, box=(fx0, top, fx0 + 2 * depth, bottom), seed=d.rng, fill=1.0,
                              roughness=0.4, feather_px=2)
        lift[:, fx0 + depth:] *= 0  # the band hugs the card's edge
        lift = soften(lift, 1.0)
        vis = d.images["visible"]
        vis += (np.float32(0.97) - vis) * (lift * (0.2 + 0.25 * s))[..., None]
        front_line = np.clip(cv2.Laplacian(lift, cv2.CV_32F, ksize=3), 0, None)
        vis *= 1 - (np.clip(front_line * 3, 0, 1) * 0.35)[..., None]
        d.mark(self.technique, "portrait", (bubbles > 0.3) | d.box_region((px0, py0, px1, py1)),
               "The card was split open and another photo slipped under the top film: air bubbles are trapped "
               "around it, the photo is printed (dots, and it fades in IR) where the issuer engraves, and it is "
               "not the face in the ghost image.")
        d.mark(self.technique, front, seal_region,
               "The overprint that crosses the photo border sits out of place: the top film was laminated "
               "back out of register with the print underneath.")
        d.mark(self.technique, front, lift > 0.3,
               "The card's edge has lifted here: the films came apart and were not fused again.")


def _shifted(layer, shift):
    dx, dy = shift
    x0, y0, x1, y1 = layer.box
    return type(layer)(layer.ink, layer.coverage, (x0 + dx, y0 + dy, x1 + dx, y1 + dy), layer.colour_field)


def _unprint(canvas: np.ndarray, layer, light: str) -> None:
    """Take ``layer``'s ink off ``canvas`` (the inverse of :func:`~docexam.synth.inks.apply_layer`)."""
    x0, y0, x1, y1 = layer.box
    region = canvas[y0:y1, x0:x1]
    cov = layer.coverage[..., None]
    ink = layer.ink
    if light == "visible" and ink.visible is not None:
        region /= np.maximum(1.0 - cov * (1.0 - np.asarray(ink.visible, np.float32)), 1e-3)
    elif light == "uv" and ink.uv is not None:
        colour = np.asarray(ink.uv, np.float32)
        region[:] = (region - cov * colour) / np.maximum(1.0 - cov, 0.1)
    elif light == "ir" and ink.ir > 0:
        region /= np.maximum(1.0 - cov * ink.ir, 1e-3)
