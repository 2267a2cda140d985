"""What officers meet beyond altered pages: imitated devices and watermarks, stolen blanks,
and the visa pages of a booklet (the impostor is in :mod:`.people`).

* :class:`FlatFoil`, :class:`PrintedOvd` -- a kinegram or a colour-shifting
  ink imitated by something that does not change when the document is
  tilted (the tilt views show it; one straight-on image may not);
* :class:`PrintedWatermark` -- a "watermark" printed on the surface: it
  shows in reflected light, and against the lamp it is only dark;
* :class:`StolenBlank` -- a genuine blank card personalised with an inkjet
  or a thermal card printer where the issuer laser-engraves;
* :class:`CounterfeitStamp`, :class:`StampDateContradiction`,
  :class:`PageSubstitution`, :class:`CounterfeitVisa` -- the visa pages.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..features import ovd_kind, ovd_layer, page_features, text_layer
from ..inks import Ink, apply_layer
from ..screens import cmyk_to_rgb, fm_dither, rgb_to_cmyk
from ..visa import CONTRADICTIONS
from ...formats.lights import REFLECTED
from .base import Draft, Forger
from .card import RESIN_BLACK, _card_printer

#: an inkjet's dye inks: they vanish in IR
DYE_INK = Ink("inkjet-dye", (0.10, 0.10, 0.14), None, ir=0.06, uv_absorb=0.5)


# --------------------------------------------------------------------------
# optically variable devices

def _device_zone(d: Draft) -> str:
    zones = [z for z, f in d.design.features.items() if f in ("kinegram", "colour-shift")]
    return zones[int(d.rng.integers(len(zones)))]


def _replace_device(d: Draft, zone: str, variant: str) -> None:
    """Take the genuine device off the page and put the imitation there, in every light."""
    genuine = ovd_layer(d.design, zone)
    fake = ovd_layer(d.design, zone, variant=variant)
    x0, y0, x1, y1 = genuine.box
    cov = genuine.coverage[..., None]
    ink = genuine.ink
    for light in REFLECTED:
        region = d.images[light][y0:y1, x0:x1]
        if light == "visible":
            region /= np.maximum(1.0 - cov * (1.0 - genuine.colour_field), 1e-3)
        elif light == "uv" and ink.uv_absorb > 0:
            region /= np.maximum(1.0 - cov * ink.uv_absorb, 1e-3)
        elif light == "ir" and ink.ir > 0:
            region /= np.maximum(1.0 - cov * ink.ir, 1e-3)
        apply_layer(d.images[light], fake, light)
    d.overrides.features.setdefault("ovd", {})[zone] = variant


class FlatFoil(Forger):
    technique = "flat-foil"

    def after_personalization(self, d: Draft) -> None:
        zone = _device_zone(d)
        _replace_device(d, zone, "flat-foil")
        kind = ovd_kind(d.design, zone)
        what = "kinegram" if kind == "kinegram" else "colour-shifting emblem"
        d.mark(self.technique, zone, d.box_region(d.zone(zone)),
               f"Tilt the document: the {what} stays the same plain metallic grey at every angle. A genuine "
               "device changes colour and its elements move or switch as it turns; one straight-on photo "
               "cannot show this.")


class PrintedOvd(Forger):
    technique = "printed-ovd"

    def after_personalization(self, d: Draft) -> None:
        zone = _device_zone(d)
        _replace_device(d, zone, "printed")
        kind = ovd_kind(d.design, zone)
        what = "kinegram" if kind == "kinegram" else "colour-shifting emblem"
        d.mark(self.technique, zone, d.box_region(d.zone(zone)),
               f"The {what} is printed in ordinary ink: its colours are those of a straight-on photo and "
               "do not change or shine when the document is tilted; under a loupe it is ink dots, not "
               "metal, and under UV it does not stay dark like a foil.")


# --------------------------------------------------------------------------
# transmitted light

class PrintedWatermark(Forger):
    technique = "printed-watermark"

    def before_personalization(self, d: Draft) -> None:
        zone = d.design.zones_with("watermark")[0]
        features = page_features(d.design)
        x0, y0, x1, y1 = d.zone(zone)
        # the forger prints the picture in a pale grey on the surface: visible on the desk
        picture = np.clip(np.abs(features.thickness[y0:y1, x0:x1]), 0, 1)
        strength = np.float32(0.05 + 0.12 * d.severity)
        grey = np.float32([0.55, 0.55, 0.55])
        for light, amount in (("visible", 1.0), ("uv", 0.5), ("ir", 0.3)):
            region = d.images[light][y0:y1, x0:x1]
            region *= 1 - (picture * strength * amount)[..., None] * (1 - grey)
        # ... and there is no watermark, no thread inside the sheet: against the lamp only the ink
        d.overrides.features["paper"] = {"watermark": False, "printed_watermark": (zone, float(strength))}
        d.mark(self.technique, zone, d.box_region((x0, y0, x1, y1)),
               "The watermark is printed on the surface: it can be seen lying on the desk, and against a "
               "lamp it is only darker, with none of the light tones of thinner paper; the security "
               "thread is missing.")


# --------------------------------------------------------------------------
# stolen blanks

class StolenBlank(Forger):
    technique = "stolen-blank"

    def prepare(self, d: Draft) -> None:
        self.process = "thermal" if d.rng.random() < 0.5 else "inkjet"
        d.overrides.portrait_process = "colour-print" if self.process == "inkjet" or d.severity > 0.5 else "grey-print"
        d.overrides.ink = DYE_INK if self.process == "inkjet" else RESIN_BLACK
        d.overrides.features["raking"] = self.process

    def after_personalization(self, d: Draft) -> None:
        zones = [z for z, (k, _) in d.design.zones_mm.items() if k in ("portrait", "field", "mrz")
                 and d.zone(z)[0] < d.zone("portrait")[2] + d.design.px(90)]
        for z in zones:
            _card_printer(d, d.zone(z), speckle=0.3 + 0.6 * d.severity if self.process == "inkjet" else 0.15)
        region = np.zeros(d.mask.shape, bool)
        region |= d.box_region(d.zone("portrait"))
        how = ("an inkjet printer: its dye photo and letters fade away in IR, and under a loupe they are "
               "coloured dots" if self.process == "inkjet" else
               "a thermal card printer: the letters are a black ribbon lying on the surface, shiny and "
               "raised in raking light, and the dye photo fades away in IR")
        d.mark(self.technique, "portrait", region,
               "A genuine blank card, stolen before it was issued, personalised with " + how + ". The issuer "
               "laser-engraves: a greyscale photo inside the card, dark in IR, with a fine relief under "
               "light grazing the surface.")


# --------------------------------------------------------------------------
# the visa pages

def _stamp_region(d: Draft, placed, indices) -> np.ndarray:
    region = np.zeros(d.mask.shape, bool)
    for i in indices:
        x0, y0, x1, y1 = placed[i].box
        region[y0:y1, x0:x1] = True
    return region


class CounterfeitStamp(Forger):
    technique = "counterfeit-stamp"

    def prepare(self, d: Draft) -> None:
        stamps = d.overrides.features.setdefault("stamps", {})
        self.index = int(d.rng.integers(4))
        self.printed = d.severity > 0.7
        stamps["forged"] = {self.index: self.printed}
        stamps["severity"] = d.severity
        self.faults = None

    def after_personalization(self, d: Draft) -> None:
        placed = d.overrides.features["placed_stamps"]
        p = placed[self.index]
        faults = d.overrides.features["stamps"].get("faults", [])
        place = {"UTO": "Utopia", "MRD": "Meridia"}[p.crossing.state]
        how = "printed, with flat even ink" if self.printed else "made with a home-made rubber stamp"
        d.mark(self.technique, "stamps", _stamp_region(d, placed, [self.index]),
               f"This {p.crossing.kind} stamp of {place} is counterfeit ({how}): " + "; ".join(faults)
               + ". Compare it with the post's genuine stamps on the same page or in the reference book.")


class StampDateContradiction(Forger):
    technique = "stamp-date-contradiction"

    def prepare(self, d: Draft) -> None:
        d.overrides.features.setdefault("stamps", {})["contradict"] = int(d.rng.integers(1 << 30))

    def after_personalization(self, d: Draft) -> None:
        placed = d.overrides.features["placed_stamps"]
        kind = d.overrides.features["stamps"]["contradiction"]
        changed = d.overrides.features["stamps"]["changed"]
        d.mark(self.technique, "stamps", _stamp_region(d, placed, changed),
               f"The stamps cannot all be true: {CONTRADICTIONS[kind]}. Read every date, in order, against "
               "the visa's validity and duration of stay.", contradiction=kind)


class PageSubstitution(Forger):
    technique = "page-substitution"

    def prepare(self, d: Draft) -> None:
        d.overrides.features["substituted_page"] = {"number": "23" if d.rng.random() < 0.5 else "31",
                                                    "perforation": d.severity < 0.6}

    def before_personalization(self, d: Draft) -> None:
        x0, y0, x1, y1 = d.zone("page-left")
        s = d.severity
        vis = d.images["visible"][y0:y1, x0:x1]
        # another booklet's page: its underprint run is shifted and its paper tint differs
        shift = int(d.design.px(1.0 + 3.0 * s))
        vis[:] = np.roll(vis, shift, axis=1)
        vis *= np.float32(1 + np.array(d.rng.uniform(-1, 1, 3)) * (0.01 + 0.03 * s))
        d.images["uv"][y0:y1, x0:x1] += np.float32([0.02, 0.02, 0.05]) * (0.5 + s)
        # its page number: paper where "16" was, another number printed
        nx0, ny0, nx1, ny1 = d.zone("page-number-left")
        d.images["visible"][ny0:ny1, nx0:nx1] = np.clip(vis.mean(axis=(0, 1)), 0, 1)
        number = d.overrides.features["substituted_page"]["number"]
        layer = text_layer(d.design, "page-number-sub", number, d.zone("page-number-left"),
                            d.design.px(4.2), d.design.palette.header)
        for light in REFLECTED:
            if light in d.images:
                apply_layer(d.images[light], layer, light)
        d.overrides.features["paper"] = {"watermark_pages": ("right",)}

    def after_personalization(self, d: Draft) -> None:
        number = d.overrides.features["substituted_page"]["number"]
        perforated = d.overrides.features["substituted_page"]["perforation"]
        d.mark(self.technique, "page-left", d.box_region(d.zone("page-left")),
               f"The left page was taken from another booklet: it is numbered {number} where page 16 belongs, "
               + ("the perforated passport number through it is another passport's, " if perforated else
                  "the passport number is not perforated through it, ")
               + "its background print does not continue across the fold, and against a lamp its watermark "
               "is missing.", extent="page")


class CounterfeitVisa(Forger):
    technique = "counterfeit-visa"

    def after_personalization(self, d: Draft) -> None:
        x0, y0, x1, y1 = d.zone("visa-sticker")
        s = d.severity
        vis = d.images["visible"][y0:y1, x0:x1]
        blurred = cv2.GaussianBlur(vis, (0, 0), 0.8 + 1.2 * s)
        paper = np.float32([0.975, 0.975, 0.972])
        c, m, y, k = rgb_to_cmyk(np.clip(blurred / paper, 0, 1), black_generation=0.5)
        dots = [fm_dither(ch, seed=d.rng, drop_px=1, spread_px=0.6 + 0.5 * s) for ch in (c, m, y, k)]
        vis[:] = cmyk_to_rgb(*dots, paper)
        # plain paper with optical brighteners: the sticker glows and its UV emblem is gone
        uv = d.images["uv"][y0:y1, x0:x1]
        uv[:] = uv * 0.3 + np.float32([0.45, 0.5, 0.85]) * (0.4 + 0.4 * s)
        ir = d.images["ir"][y0:y1, x0:x1]
        ir[:] = 0.9 - 0.6 * k[..., None] * 0.8
        d.mark(self.technique, "visa-sticker", d.box_region((x0, y0, x1, y1)),
               "The visa sticker is a colour print on ordinary paper: under a loupe its fine lines are "
               "dots, under UV the whole sticker glows blue-white and the UV emblem is missing, and in IR "
               "only the black print remains.", extent="page")
