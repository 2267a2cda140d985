"""Attacks on the printing: whole-page reproductions, lost microprint, a reprinted guilloche.

A reproduction is made of the whole page, so it is annotated page-wide
(``extent: "page"``): wherever a trainee points on it, the printing is the
forger's. A forger who cannot print microtext cannot print it anywhere, so
every microprinted line of the document shows the loss.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..screens import SCREEN_ANGLES, am_screen, cmyk_to_rgb, fm_dither, rgb_to_cmyk
from ..shapes import abraded_blotch
from ..substrate import fibre_grain
from ...formats.lights import REFLECTED
from .base import Draft, Forger

#: office paper under the copy (white, a little blue) and how it looks under UV without brighteners
_COPY_PAPER = np.float32([0.975, 0.975, 0.972])
_UV_DULL = np.float32([0.10, 0.08, 0.20])
#: the ruling of a colour copier's screen, lines per inch: careful (fine) .. cheap (coarse)
HALFTONE_LPI = (200.0, 150.0)


def _scanned(d: Draft, blur: float) -> np.ndarray:
    """The page as the copier's or printer's scanner sees it, relative to white."""
    vis = cv2.GaussianBlur(d.images["visible"], (0, 0), blur)
    return np.clip(vis / _COPY_PAPER, 0, 1)


def _toner_uv_ir(d: Draft, out: np.ndarray, black: np.ndarray, ir_black: float) -> None:
    """UV and IR of a print on office paper without brighteners: no UV features, only black absorbs IR."""
    shade = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)  # how much the toner darkens the page
    shade *= np.float32(0.35)
    shade += np.float32(0.65)
    d.images["uv"] = cv2.merge([shade * c for c in _UV_DULL])
    ir = black * np.float32(-0.9 * ir_black)
    ir += np.float32(0.9)
    d.images["ir"] = cv2.merge([ir, ir, ir])


class HalftoneReproduction(Forger):
    technique = "halftone-reproduction"

    def after_personalization(self, d: Draft) -> None:
        s = d.severity
        # a careful forger copies onto paper of the document's tint; a cheap copy is on white paper,
        # and the copier lifts the paper tone toward white
        paper = d.paper_colour() + (_COPY_PAPER - d.paper_colour()) * np.float32(s)
        rgb = cv2.GaussianBlur(d.images["visible"], (0, 0), 0.45 + 0.5 * s)
        # relative to the paper, with the colour correction's error (it is never exact)
        gain = (1 + d.rng.uniform(-1, 1, 3) * (0.005 + 0.05 * s)) / paper
        rgb = cv2.multiply(rgb, tuple(float(v) for v in gain) + (0.0,))
        rgb += np.clip(rgb - np.float32(0.9), 0, None) * np.float32(s)  # the paper tone lifted toward white
        np.clip(rgb, 0.0, 1.0, out=rgb)
        lpi = HALFTONE_LPI[0] + (HALFTONE_LPI[1] - HALFTONE_LPI[0]) * s
        misregister = 0.3 + 1.5 * s
        screens = []
        for name, channel in zip("cmyk", rgb_to_cmyk(rgb)):
            offset = tuple(float(v) for v in d.rng.uniform(-misregister, misregister, 2))
            screens.append(am_screen(channel, lpi=lpi, angle_deg=SCREEN_ANGLES[name], dpi=d.design.dpi,
                                     offset=offset, dot_gain=0.03 + 0.07 * s))
        grain = fibre_grain(screens[0].shape, strength=0.015, seed=d.rng, dpi=d.design.dpi)
        grain += np.float32(1)
        out = cmyk_to_rgb(*screens, paper)
        out *= grain[..., None]
        d.images["visible"] = cv2.GaussianBlur(out, (0, 0), 0.35)  # toner edges are soft
        _toner_uv_ir(d, out, screens[3], 0.85)
        self.lpi = lpi
        d.mark_pages(self.technique,
                     f"The whole page is a colour copy: under a loupe every coloured line, the text and the MRZ are "
                     f"made of cyan, magenta, yellow and black dots in a rosette (about {lpi:.0f} lines per inch); "
                     "UV features are missing and in IR only the black toner shows.")


class InkjetReproduction(Forger):
    technique = "inkjet-reproduction"

    def after_personalization(self, d: Draft) -> None:
        s = d.severity
        rgb = _scanned(d, 0.9 + 1.1 * s)  # fine lines lost
        drop = 1 if s < 0.6 else 2  # a cheap printer's drops are bigger
        channels = [fm_dither(ch, seed=d.rng, drop_px=drop, spread_px=0.5 + 0.6 * s) for ch in rgb_to_cmyk(rgb)]
        grain = fibre_grain(channels[0].shape, strength=0.018, seed=d.rng, dpi=d.design.dpi)
        grain += np.float32(1)
        out = cmyk_to_rgb(*channels, _COPY_PAPER)
        out *= grain[..., None]
        d.images["visible"] = out
        # dye inks are transparent in IR: the page is almost blank
        _toner_uv_ir(d, out, channels[3], 0.25)
        d.mark_pages(self.technique,
                     "The whole page was printed on an inkjet printer: the line work is made of scattered ink "
                     "droplets that have spread into the paper, the finest lines are broken or gone, UV features "
                     "are missing and in IR the print almost disappears.")


class MissingMicroprint(Forger):
    technique = "missing-microprint"

    def before_personalization(self, d: Draft) -> None:
        s = d.severity
        zones = d.zones_of("microprint")
        for zone in zones:
            self._smear(d, zone, s)
        for zone in zones:
            d.mark(self.technique, zone, d.box_region(d.zone(zone)),
                   "Under a loupe this line should read as tiny repeated text; here it is only a blurred or solid "
                   "line, because the forger could not print text that small (every microprinted line of the "
                   "document shows it).")

    @staticmethod
    def _smear(d: Draft, zone: str, s: float) -> None:
        x0, y0, x1, y1 = d.zone(zone)
        paper = d.paper_colour()
        for light in ("visible", "ir"):
            img = d.images[light]
            region = img[y0:y1, x0:x1]
            flat = region.reshape(-1, 3)
            bg = np.median(flat, axis=0) if light == "ir" else paper
            ink = flat[np.argmin(flat.sum(axis=1))]
            cov = np.clip((bg - region).sum(axis=2) / np.maximum((bg - ink).sum(), 1e-3), 0, 1)
            # the forger's line: the text smeared into a blur (careful) or a solid rule (cheap)
            blurred = cv2.GaussianBlur(cov, (0, 0), sigmaX=1.5 + 4 * s, sigmaY=0.8)
            rows = blurred.mean(axis=1, keepdims=True)
            line = (1 - s) * blurred / max(blurred.max(), 1e-3) + s * (rows / max(rows.max(), 1e-3))
            line = np.clip(line * 0.75, 0, 1)
            img[y0:y1, x0:x1] = bg + (ink - bg) * line[..., None]


class BrokenGuilloche(Forger):
    technique = "broken-guilloche"

    def before_personalization(self, d: Draft) -> None:
        bands = [z for z in d.zones_of("security-print") if "guilloche" in z] or d.zones_of("security-print")
        zone = bands[int(d.rng.integers(len(bands)))]
        x0, y0, x1, y1 = d.zone(zone)
        s = d.severity
        width = d.design.px(float(d.rng.uniform(10, 22)))
        sx0 = int(d.rng.integers(x0 + 20, max(x0 + 21, x1 - width - 20)))
        box = (sx0, y0, sx0 + width, y1)
        # where the forger scraped the band and drew it again: a ragged, feathered area
        area = abraded_blotch(d.mask.shape, box=box, seed=d.rng, fill=0.85, roughness=0.35, feather_px=3)
        a = area[y0:y1, sx0:sx0 + width, None]
        shift = int(round(3 + 9 * s)) * (1 if d.rng.random() < 0.5 else -1)
        paper = d.paper_colour()
        for light in REFLECTED:
            img = d.images[light]
            strip = img[y0:y1, sx0:sx0 + width]
            redrawn = np.roll(strip, shift, axis=0)
            if light == "visible":  # one flat colour on the lines: no rainbow transition
                ink_amount = np.clip(1 - redrawn / paper, 0, 1).mean(axis=2, keepdims=True)
                flat = paper * (1 - ink_amount * (1 - np.float32(d.design.palette.rosette)) * 1.6)
                mix = (0.45 + 0.55 * s) * np.clip(ink_amount * 6, 0, 1)  # bare paper keeps its texture
                redrawn = redrawn * (1 - mix) + flat * mix
            img[y0:y1, sx0:sx0 + width] = strip * (1 - a) + redrawn * a
        d.mark(self.technique, zone, area > 0.5,
               "The fine guilloche lines jump out of line at the edges of this patch, and the smooth rainbow "
               "colour change is replaced by one flat colour: the band was scraped and drawn again here.")
