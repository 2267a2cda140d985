"""Attacks on a paper document's body: the wrong paper, erasure, a glued-in patch.

None of these can happen to a polycarbonate card (it has no paper to wash or
patch); the catalogue says so and :class:`~.base.Draft` refuses to annotate
them there.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..reference import render_reference
from ..shapes import abraded_blotch, scratches, torn_piece
from ..substrate import fibre_grain
from .base import Draft, Forger, alter_field, annotate_mrz, mrz_cells_region, pick_field

#: UV emission of a patch's paper: dull (no optical brighteners) to glowing
_UV_DULL = np.float32([0.12, 0.10, 0.22])
_UV_GLOW = np.float32([0.62, 0.68, 0.95])


class WrongSubstrate(Forger):
    technique = "wrong-substrate"
    substrate_kind = "office-paper"

    def after_personalization(self, d: Draft) -> None:
        # a careful forger picks a paper with fewer optical brighteners: the UV glow is weaker
        office = render_reference(d.design.template_id, substrate_kind="office-paper").bases["uv"]
        dull = np.float32([0.10, 0.08, 0.20])
        d.images["uv"] -= (1.0 - (0.25 + 0.75 * d.severity)) * (office - dull) * _sides_mask(d)[..., None]
        lamp = (" Against a lamp there is no watermark and no security thread." if d.design.zones_with("watermark")
                else "")
        d.mark_pages(self.technique,
                     "Printed on ordinary paper: there are no coloured security fibres, and under UV light the "
                     "whole page glows blue-white where genuine security paper stays dull." + lamp)


def _sides_mask(d: Draft) -> np.ndarray:
    m = np.zeros(d.mask.shape, np.float32)
    for zone in d.side_zones():
        x0, y0, x1, y1 = d.zone(zone)
        m[y0:y1, x0:x1] = 1.0
    return m


def _erase(d: Draft, box, blotch: np.ndarray, chemical: bool) -> None:
    """Scrape or wash the print off inside ``blotch`` (float mask), leaving its traces."""
    x0, y0, x1, y1 = box
    b = blotch[y0:y1, x0:x1]
    s = d.severity
    vis = d.images["visible"][y0:y1, x0:x1]
    paper = d.paper_colour() * np.float32(0.99)
    # the print is removed unevenly: more where the blade or the solvent worked longest
    removal = b * (0.45 + 0.45 * s)
    vis += (paper - vis) * removal[..., None]
    if chemical:
        # the solvent's tide line: a faint yellow-brown rim where it dried
        rim = np.clip(b * (1 - b) * 4, 0, 1) ** 2 * (0.05 + 0.1 * s)
        vis *= 1 - rim[..., None] * np.float32([0.0, 0.18, 0.65])
        uv_glow = b * (0.12 + 0.4 * s)  # bleaching agents fluoresce
    else:
        # scraped fibres: a rough, scratched surface that scatters light
        scr = scratches(d.mask.shape, box=box, seed=d.rng, angle_deg=float(d.rng.uniform(-30, 30)),
                        length_px=(x1 - x0) / 6, density=0.4 + 0.6 * s)[y0:y1, x0:x1] * b
        rough = fibre_grain(b.shape, strength=0.03 + 0.05 * s, seed=d.rng, dpi=d.design.dpi) * b
        vis *= (1.0 + rough - 0.06 * scr)[..., None]
        uv_glow = b * (0.05 + 0.15 * s) + scr * 0.1
    d.images["uv"][y0:y1, x0:x1] += uv_glow[..., None] * np.float32([0.55, 0.6, 0.85])
    d.images["ir"][y0:y1, x0:x1] *= 1 - 0.04 * s * b[..., None]


class Erasure(Forger):
    technique = "erasure"

    def prepare(self, d: Draft) -> None:
        self.zone = pick_field(d)
        self.chemical = bool(d.rng.random() < 0.5)
        self.change = alter_field(d, self.zone)
        # traces of the removed original text remain under the new one
        d.overrides.residue[self.zone] = (self.change.old_text, 0.05 + 0.12 * d.severity)

    def before_personalization(self, d: Draft) -> None:
        x0, y0, x1, y1 = d.zone(self.zone)
        blotch = abraded_blotch(d.mask.shape, box=(x0, y0, x1, y1), seed=d.rng, fill=0.8,
                                roughness=0.3, feather_px=4 + 6 * d.severity, holes=0.15)
        _erase(d, (x0, y0, x1, y1), blotch, self.chemical)
        how = "chemically washed" if self.chemical else "scraped"
        c = self.change
        d.mark(self.technique, self.zone, blotch > 0.3,
               f"The {d.label(self.zone)} was {how} off and written again: the background lines under it are "
               f"faded, the paper surface is {'stained' if self.chemical else 'rough and scratched'}, traces of "
               f"the old entry ({c.old_text}) remain, and the {how} area shows under UV.",
               mrz_changed=c.mrz_changed)
        if c.mrz_changed:
            cells = mrz_cells_region(d, c.changed_cells(), pad=10)
            ys, xs = np.nonzero(cells)
            box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
            _erase(d, box, abraded_blotch(d.mask.shape, box=box, seed=d.rng, fill=0.95, feather_px=4), self.chemical)
        annotate_mrz(d, c, self.technique, f"the old characters were {how} off and new ones printed over "
                                           "the faded background")


def _inside(inner, outer) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _edge_relief(piece: np.ndarray, light_dir: float) -> np.ndarray:
    """Light and shade of a raised paper edge lit from ``light_dir`` (radians): -1 .. 1, zero away from it."""
    gx = cv2.Sobel(piece, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(piece, cv2.CV_32F, 0, 1, ksize=3)
    # the edge faces away from the piece (along -gradient); lit where it faces the light
    facing = -(gx * np.float32(np.cos(light_dir)) + gy * np.float32(np.sin(light_dir))) / 4
    return np.clip(cv2.GaussianBlur(facing, (0, 0), 0.7) * 1.5, -1, 1)


class SubstratePatch(Forger):
    technique = "substrate-patch"

    def prepare(self, d: Draft) -> None:
        self.zone = pick_field(d)
        # a patch over the MRZ as well would be a second patch: this forger leaves the MRZ alone
        self.change = alter_field(d, self.zone, change_mrz=False)

    def before_personalization(self, d: Draft) -> None:
        x0, y0, x1, y1 = d.zone(self.zone)
        s = d.severity
        # the piece covers the field with a margin, whatever lies there (the caption too)
        side = next(z for z in d.side_zones() if _inside((x0, y0, x1, y1), d.zone(z)))
        sx0, sy0, sx1, sy1 = d.zone(side)
        mx, my = d.design.px(float(d.rng.uniform(1.0, 3.0))), d.design.px(float(d.rng.uniform(0.8, 1.6)))
        box = (max(x0 - mx, sx0), max(y0 - my, sy0), min(x1 + mx, sx1), min(y1 + my, sy1))
        torn = bool(d.rng.random() < 0.65)
        piece, edge = torn_piece(d.mask.shape, box=box, seed=d.rng, torn=torn,
                                 roughness_px=None if torn else d.design.px(0.15))
        self.side = side
        ys, xs = np.nonzero(piece > 0.01)
        px0, py0, px1, py1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
        a = piece[py0:py1, px0:px1, None]
        e = edge[py0:py1, px0:px1, None]
        shape = (py1 - py0, px1 - px0)
        # the foreign paper: its own tint and grain, no security fibres; opaque, so what was
        # under it (the page's fibres included) is hidden
        paper = d.paper_colour() * (1 + np.float32(d.rng.uniform(-1, 1, 3)) * (0.006 + 0.03 * s))
        own = paper * (1 + fibre_grain(shape, strength=0.02 + 0.015 * s, seed=d.rng, dpi=d.design.dpi))[..., None]
        # the forger's imitation of the background: a blurred, slightly shifted copy of the print
        vis = d.images["visible"]
        region = vis[py0:py1, px0:px1]
        ink = np.clip(region / np.maximum(d.paper_colour(), 1e-3), 0, 1)
        ink = cv2.GaussianBlur(ink, (0, 0), 1.0 + 2.0 * s)
        shift = int(round(1 + 3 * s))
        ink = np.roll(ink, (shift, -shift), axis=(0, 1))
        ink = 1 - (1 - ink) * (0.9 - 0.3 * s)  # paler
        patch = own * ink
        vis[py0:py1, px0:px1] = region * (1 - a) + patch * a
        # its raised edge catches the light on one side and casts a thin shadow on the other
        relief = _edge_relief(piece[py0:py1, px0:px1], float(d.rng.uniform(0, 2 * np.pi)))
        vis[py0:py1, px0:px1] *= (1 + relief * (0.10 + 0.25 * s))[..., None]
        uv = d.images["uv"]
        fluor = _UV_DULL + (_UV_GLOW - _UV_DULL) * np.float32(0.15 + 0.7 * s)
        uv[py0:py1, px0:px1] = uv[py0:py1, px0:px1] * (1 - a) + (fluor * (0.75 + 0.25 * ink)) * a
        uv[py0:py1, px0:px1] *= 1 - e * 0.5
        ir = d.images["ir"]
        ir[py0:py1, px0:px1] = ir[py0:py1, px0:px1] * (1 - a) + (0.9 * (1 - (0.03 + 0.05 * s))) * a
        ir[py0:py1, px0:px1] *= 1 - e * 0.5
        kind = "torn" if torn else "cut"
        c = self.change
        d.mark(self.technique, self.side, piece > 0.5,
               f"A piece of foreign paper is glued over the {d.label(self.zone)}: its {kind} edges catch the "
               "light, it hides the page's security fibres, the background print on it (the caption too) is a "
               "blurred imitation in another tint, and it reacts differently under UV.",
               mrz_changed=c.mrz_changed, field=self.zone)
        annotate_mrz(d, c, self.technique, "")
