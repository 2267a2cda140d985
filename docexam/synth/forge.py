"""Forgery techniques: what a forger does to a document, physically modelled.

Each technique is a :class:`Forger` with up to three hooks, called by the
renderer in the order a real document is made and then forged:

1. ``prepare``: choose what to change (a field, a new value, another face)
   and set personalization :class:`~docexam.synth.personalize.Overrides`;
2. ``before_personalization``: work on the blank document (erase, patch,
   reprint security line work badly);
3. ``after_personalization``: work on the finished document (paste a photo,
   reproduce the whole page on a copier or inkjet printer).

Every technique annotates what it did with :meth:`Draft.mark`: family,
technique, zone, a pixel mask (in template geometry), its box and a note
telling a trainee what to look for. ``severity`` runs from 0 (a careful
forger: subtle traces) to 1 (blatant).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ..formats.lights import LIGHTS
from ..specimens.techniques import TECHNIQUES
from .designs import Design
from .personalize import FieldStyle, Overrides, display_value, field_layer, mrz_layout, mrz_lines_for
from .text import FIELD_FONT, FORGER_FONT, mrz_char_box


@dataclass
class Draft:
    """A document being made: images per light (float32, template geometry) and its story."""

    design: Design
    images: dict
    holder: dict
    portrait: np.ndarray
    rng: np.random.Generator
    severity: float
    seed: int
    overrides: Overrides = field(default_factory=Overrides)
    mask: np.ndarray | None = None
    anomalies: list = field(default_factory=list)

    def __post_init__(self):
        h, w = self.images["visible"].shape[:2]
        self.mask = np.zeros((h, w), np.uint8)

    def zone(self, name: str) -> tuple[int, int, int, int]:
        return self.design.zone_px(name)

    def mark(self, technique: str, zone: str, region: np.ndarray, note: str) -> None:
        """Annotate ``region`` (bool HxW) of ``zone`` as an anomaly of ``technique``."""
        x0, y0, x1, y1 = self.zone(zone)
        clipped = np.zeros_like(region, dtype=bool)
        clipped[y0:y1, x0:x1] = region[y0:y1, x0:x1]
        ys, xs = np.nonzero(clipped)
        if len(xs) == 0:  # pragma: no cover - a technique always marks something
            raise RuntimeError(f"{technique}: empty anomaly mask")
        label = len(self.anomalies) + 1
        self.mask[clipped] = label
        self.anomalies.append({
            "family": TECHNIQUES[technique].family, "technique": technique, "zone": zone,
            "bbox": [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1],
            "note": note, "severity": round(float(self.severity), 2), "mask_label": label,
        })

    def box_region(self, box) -> np.ndarray:
        region = np.zeros(self.mask.shape, bool)
        x0, y0, x1, y1 = box
        region[y0:y1, x0:x1] = True
        return region


class Forger:
    """Base class: a technique that does nothing (subclasses override hooks)."""

    technique: str = ""
    #: substrate the forger prints on ("security" = the genuine one)
    substrate_kind: str = "security"

    def prepare(self, d: Draft) -> None: ...

    def before_personalization(self, d: Draft) -> None: ...

    def after_personalization(self, d: Draft) -> None: ...


# --------------------------------------------------------------------------
# helpers

_ALTERABLE = ("surname", "given-names", "date-of-birth", "date-of-expiry", "document-number",
              "place-of-birth", "date-of-issue")


def _pick_field(d: Draft, choices=_ALTERABLE) -> str:
    names = [z for z in choices if z in d.design.zones_mm]
    return names[int(d.rng.integers(len(names)))]


def _alter(d: Draft, zone: str) -> tuple[str, str]:
    """Change the holder field printed in ``zone``; returns (old text, new text) as printed."""
    from .people import alter_holder_field

    spec = d.design.field(zone)
    old_text = display_value(d.design, spec, d.holder)
    new_holder, _, _ = alter_holder_field(d.holder, spec.holder_field, int(d.rng.integers(1 << 30)))
    d.holder = dict(new_holder)
    return old_text, display_value(d.design, spec, d.holder)


def _label(d: Draft, zone: str) -> str:
    return d.design.field(zone).label.lower()


def _blob(shape: tuple[int, int], box, rng: np.random.Generator, *, fill: float = 0.85) -> np.ndarray:
    """A soft irregular blob (float32 0..1) filling about ``fill`` of ``box``."""
    h, w = shape
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    small = rng.random((max(bh // 16, 4), max(bw // 16, 4))).astype(np.float32)
    noise = cv2.resize(cv2.GaussianBlur(small, (0, 0), 1.2), (bw, bh), interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[0:bh, 0:bw].astype(np.float32)
    ell = ((xx - bw / 2) / (bw / 2 * fill)) ** 2 + ((yy - bh / 2) / (bh / 2 * fill)) ** 2
    blob = np.clip((1.25 - ell - 0.5 * (noise - 0.5)) * 3.0, 0, 1)
    out = np.zeros((h, w), np.float32)
    out[y0:y1, x0:x1] = cv2.GaussianBlur(blob, (0, 0), max(2.0, min(bw, bh) / 30))
    return out


def _paper_colour(d: Draft) -> np.ndarray:
    return np.asarray(d.design.palette.paper, np.float32)


# --------------------------------------------------------------------------
# substrate

class WrongSubstrate(Forger):
    technique = "wrong-substrate"
    substrate_kind = "office-paper"

    def after_personalization(self, d: Draft) -> None:
        # a careful forger picks a paper with fewer optical brighteners: the UV glow is weaker
        from .reference import render_reference

        office = render_reference(d.design.template_id, substrate_kind="office-paper").bases["uv"]
        genuine = render_reference(d.design.template_id).bases["uv"]
        d.images["uv"] -= (1.0 - (0.25 + 0.75 * d.severity)) * (office - genuine)
        zone = next(n for n, (k, _) in d.design.zones_mm.items() if k == "background")
        d.mark(self.technique, zone, d.box_region(d.zone(zone)),
               "Printed on ordinary paper: there are no coloured security fibres, and under UV light the "
               "whole page glows blue-white where genuine security paper stays dull.")


class Erasure(Forger):
    technique = "erasure"

    def prepare(self, d: Draft) -> None:
        self.zone = _pick_field(d)
        old, new = _alter(d, self.zone)
        self.old = old
        # traces of the washed-out original text remain under the new one
        d.overrides.residue[self.zone] = (old, 0.05 + 0.12 * d.severity)

    def before_personalization(self, d: Draft) -> None:
        x0, y0, x1, y1 = d.zone(self.zone)
        blob = _blob(d.mask.shape, (x0, y0, x1, y1), d.rng, fill=0.95)
        b = blob[y0:y1, x0:x1]  # work on the field only: the rest of the page is untouched
        fade = (0.35 + 0.5 * d.severity) * b
        vis = d.images["visible"][y0:y1, x0:x1]
        paper = _paper_colour(d) * np.float32(0.99)
        rough = 1.0 + (d.rng.standard_normal(b.shape).astype(np.float32) * 0.05 * d.severity) * (b > 0.05)
        vis += (paper - vis) * fade[..., None]
        vis *= rough[..., None]
        # a faint yellow-brown stain where the solvent dried
        ring = np.clip(b * (1 - b) * 4, 0, 1) * (0.04 + 0.08 * d.severity)
        vis *= 1 - ring[..., None] * np.float32([0.0, 0.15, 0.6])
        d.images["uv"][y0:y1, x0:x1] += b[..., None] * (0.12 + 0.4 * d.severity) * np.float32([0.55, 0.6, 0.85])
        d.images["ir"][y0:y1, x0:x1] *= 1 - 0.04 * d.severity * b[..., None]
        d.mark(self.technique, self.zone, blob > 0.3,
               f"The {_label(d, self.zone)} was erased and written again: the background lines under it are "
               f"faded, the paper surface is rough, traces of the old entry ({self.old}) remain, and the "
               "washed area glows under UV.")


class SubstratePatch(Forger):
    technique = "substrate-patch"

    def prepare(self, d: Draft) -> None:
        self.zone = _pick_field(d)
        _alter(d, self.zone)

    def before_personalization(self, d: Draft) -> None:
        x0, y0, x1, y1 = d.zone(self.zone)
        mx = int(d.rng.integers(0, max(1, (x1 - x0) // 8)))
        patch = (x0 + mx, y0 + 2, x1 - 2, y1 - 2)
        px0, py0, px1, py1 = patch
        region = d.box_region(patch)
        s = d.severity
        vis = d.images["visible"]
        reprint = cv2.GaussianBlur(vis[py0:py1, px0:px1], (0, 0), 1.0 + 2.0 * s)
        tint_shift = np.float32(d.rng.uniform(-1, 1, 3)) * (0.015 + 0.05 * s)
        grain = 1 + d.rng.standard_normal(reprint.shape[:2]).astype(np.float32)[..., None] * 0.012
        vis[py0:py1, px0:px1] = np.clip(reprint * (1 + tint_shift) * grain, 0, 1)
        edge = np.zeros(region.shape, np.float32)
        cv2.rectangle(edge, (px0, py0), (px1 - 1, py1 - 1), 1.0, thickness=2)
        edge = cv2.GaussianBlur(edge, (0, 0), 0.8) * (0.15 + 0.35 * s)
        vis *= 1 - edge[..., None]
        glow = np.float32([0.55, 0.6, 0.95]) * (0.15 + 0.45 * s)
        d.images["uv"][py0:py1, px0:px1] = d.images["uv"][py0:py1, px0:px1] * 0.5 + glow
        d.images["uv"] *= 1 - edge[..., None] * 0.5
        d.images["ir"][py0:py1, px0:px1] *= 1 - (0.03 + 0.05 * s)
        d.images["ir"] *= 1 - edge[..., None] * 0.6
        d.mark(self.technique, self.zone, region,
               f"A piece of foreign paper is glued over the {_label(d, self.zone)}: its edges show as fine "
               "lines, the background print on it is blurred and its tint differs, and it glows under UV.")


# --------------------------------------------------------------------------
# printing

def _rgb_to_cmyk(rgb: np.ndarray):
    k = 1 - rgb.max(axis=2)
    denom = np.maximum(1 - k, 1e-4)
    c = (1 - rgb[..., 0] - k) / denom
    m = (1 - rgb[..., 1] - k) / denom
    y = (1 - rgb[..., 2] - k) / denom
    return c, m, y, k


def _cmyk_to_rgb(c, m, y, k, paper) -> np.ndarray:
    rgb = np.stack([(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)], axis=2)
    return rgb * paper


def _am_screen(value: np.ndarray, *, period: float, angle_deg: float) -> np.ndarray:
    """Amplitude-modulated halftone: round dots on a rotated grid, soft-edged (toner)."""
    h, w = value.shape
    a = np.deg2rad(angle_deg)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx * np.cos(a) + yy * np.sin(a)) * (2 * np.pi / period)
    v = (-xx * np.sin(a) + yy * np.cos(a)) * (2 * np.pi / period)
    spot = (np.cos(u) + np.cos(v)) * 0.25 + 0.5  # 0..1 spot function
    return np.clip((value - (1 - spot)) * 4.0 + 0.5, 0, 1)


class HalftoneReproduction(Forger):
    technique = "halftone-reproduction"
    zone_name = "guilloche-band"

    def after_personalization(self, d: Draft) -> None:
        s = d.severity
        vis = cv2.GaussianBlur(d.images["visible"], (0, 0), 0.7 + 0.6 * s)  # copier optics
        paper = np.float32([0.975, 0.975, 0.972])
        c, m, y, k = _rgb_to_cmyk(np.clip(vis / paper, 0, 1))
        period = 4.0 + 4.0 * s  # 150 lpi (careful) .. 75 lpi (cheap copier) at 600 dpi
        screens = [_am_screen(ch, period=period, angle_deg=ang)
                   for ch, ang in ((c, 15.0), (m, 75.0), (y, 0.0), (k, 45.0))]
        out = _cmyk_to_rgb(*screens, paper)
        d.images["visible"] = cv2.GaussianBlur(out, (0, 0), 0.5)
        # toner has no UV-fluorescent features; only carbon (K) toner absorbs IR
        dull = np.float32([0.10, 0.08, 0.20])
        d.images["uv"] = np.broadcast_to(dull, out.shape) * (1 - 0.35 * (1 - out.mean(axis=2, keepdims=True)))
        d.images["ir"] = np.repeat((0.9 * (1 - 0.85 * screens[3]))[..., None], 3, axis=2)
        d.images["uv"] = np.ascontiguousarray(d.images["uv"], np.float32)
        d.mark(self.technique, self.zone_name, d.box_region(d.zone(self.zone_name)),
               "Under a loupe the fine coloured lines are made of rows of cyan, magenta, yellow and black "
               "dots (a colour-copier screen); UV features are missing and in IR only black toner shows.")


class InkjetReproduction(Forger):
    technique = "inkjet-reproduction"
    zone_name = "rosette"

    def after_personalization(self, d: Draft) -> None:
        from scipy.special import ndtr

        s = d.severity
        vis = cv2.GaussianBlur(d.images["visible"], (0, 0), 0.9 + 1.1 * s)  # fine lines lost
        paper = np.float32([0.975, 0.975, 0.972])
        c, m, y, k = _rgb_to_cmyk(np.clip(vis / paper, 0, 1))
        h, w = c.shape
        dot = 1 if s < 0.6 else 2  # droplet size in pixels (a cheap printer's drops are bigger)
        sh, sw = (h + dot - 1) // dot, (w + dot - 1) // dot
        channels = []
        for i, ch in enumerate((c, m, y, k)):
            # stochastic (FM) screen: threshold against high-passed noise,
            # an inexpensive stand-in for error diffusion's blue noise
            noise = d.rng.standard_normal((sh, sw)).astype(np.float32)
            noise = noise - cv2.GaussianBlur(noise, (0, 0), 2.0)
            thresh = ndtr(noise / (noise.std() + 1e-6)).astype(np.float32)
            small = cv2.resize(ch, (sw, sh), interpolation=cv2.INTER_AREA)
            dots = (small > thresh).astype(np.float32)
            big = cv2.resize(dots, (w, h), interpolation=cv2.INTER_NEAREST)
            # ink spreads into the paper fibres
            channels.append(np.clip(cv2.GaussianBlur(big, (0, 0), 0.5 + 0.6 * s) * 1.1, 0, 1))
        out = _cmyk_to_rgb(*channels, paper)
        d.images["visible"] = out
        dull = np.float32([0.10, 0.08, 0.20])
        d.images["uv"] = np.ascontiguousarray(
            np.broadcast_to(dull, out.shape) * (1 - 0.3 * (1 - out.mean(axis=2, keepdims=True))), np.float32)
        # dye inks are transparent in IR: the page is almost blank
        d.images["ir"] = np.repeat((0.9 * (1 - 0.25 * channels[3]))[..., None], 3, axis=2)
        d.mark(self.technique, self.zone_name, d.box_region(d.zone(self.zone_name)),
               "The line work is made of scattered ink droplets that have spread into the paper; the finest "
               "lines are broken or gone, UV features are missing and in IR the print almost disappears.")


class MissingMicroprint(Forger):
    technique = "missing-microprint"

    def before_personalization(self, d: Draft) -> None:
        names = [n for n, (k, _) in d.design.zones_mm.items() if k == "microprint"]
        self.zone = names[int(d.rng.integers(len(names)))]
        x0, y0, x1, y1 = d.zone(self.zone)
        s = d.severity
        paper = _paper_colour(d)
        for light in ("visible", "ir"):
            img = d.images[light]
            region = img[y0:y1, x0:x1]
            bg = np.median(region.reshape(-1, 3), axis=0) if light == "ir" else paper
            ink = region.reshape(-1, 3)[np.argmin(region.reshape(-1, 3).sum(axis=1))]
            cov = np.clip((bg - region).sum(axis=2) / np.maximum((bg - ink).sum(), 1e-3), 0, 1)
            # the forger's line: the text smeared into a blur (careful) or a solid rule (cheap)
            blurred = cv2.GaussianBlur(cov, (0, 0), sigmaX=2.5 + 4 * s, sigmaY=1.0)
            rows = blurred.mean(axis=1, keepdims=True)
            line = (1 - s) * blurred / max(blurred.max(), 1e-3) + s * (rows / max(rows.max(), 1e-3))
            line = np.clip(line * 0.75, 0, 1)
            img[y0:y1, x0:x1] = bg + (ink - bg) * line[..., None]
        d.mark(self.technique, self.zone, d.box_region((x0, y0, x1, y1)),
               "Under a loupe this line should read as tiny repeated text; here it is only a "
               "blurred or solid line, because the forger could not print text that small.")


class BrokenGuilloche(Forger):
    technique = "broken-guilloche"

    def before_personalization(self, d: Draft) -> None:
        zone = "guilloche-band"
        x0, y0, x1, y1 = d.zone(zone)
        s = d.severity
        width = d.design.px(float(d.rng.uniform(10, 22)))
        sx0 = int(d.rng.integers(x0 + 20, max(x0 + 21, x1 - width - 20)))
        sx1 = sx0 + width
        shift = int(round(3 + 9 * s)) * (1 if d.rng.random() < 0.5 else -1)
        for light in LIGHTS:
            img = d.images[light]
            img[y0:y1, sx0:sx1] = np.roll(img[y0:y1, sx0:sx1], shift, axis=0)
        # the reprinted section is one flat colour: no rainbow transition
        strip = d.images["visible"][y0:y1, sx0:sx1]
        paper = _paper_colour(d)
        ink_amount = np.clip(1 - strip / paper, 0, 1).mean(axis=2, keepdims=True)
        mono = np.float32(d.design.palette.rosette)
        flat = paper * (1 - ink_amount * (1 - mono) * 1.6)
        mix = 0.45 + 0.55 * s
        d.images["visible"][y0:y1, sx0:sx1] = strip * (1 - mix) + flat * mix
        gap = int(2 + 6 * s)
        d.images["visible"][y0:y1, sx0:sx0 + gap] = paper
        d.mark(self.technique, zone, d.box_region((sx0, y0, sx1, y1)),
               "The fine guilloche lines jump out of line at the edges of this section, and the smooth rainbow "
               "colour change is replaced by one flat colour: the band was reprinted here.")


# --------------------------------------------------------------------------
# personalization

class PhotoSubstitution(Forger):
    technique = "photo-substitution"

    def prepare(self, d: Draft) -> None:
        from .portrait import render_portrait

        x0, y0, x1, y1 = d.zone("portrait")
        self.new = render_portrait(d.seed + 7919, size=(x1 - x0, y1 - y0), sex=d.holder.get("sex"))

    def after_personalization(self, d: Draft) -> None:
        x0, y0, x1, y1 = d.zone("portrait")
        s = d.severity
        margin = int(2 + 10 * s)
        w, h = x1 - x0 - 2 * margin, y1 - y0 - 2 * margin
        photo = cv2.resize(self.new, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
        # a photographic print: other contrast and colour balance than the document's printing
        photo = np.clip((photo - 0.5) * (1 + 0.25 * s) + 0.5 + np.float32(d.rng.uniform(-0.04, 0.04, 3)) * s, 0, 1)
        angle = float(d.rng.uniform(-1, 1)) * (0.3 + 1.5 * s)
        dx, dy = (int(v) for v in d.rng.integers(-margin + 1, margin, 2))
        px0, py0 = x0 + margin + dx, y0 + margin + dy
        rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        alpha = cv2.warpAffine(np.ones((h, w), np.float32), rot, (w, h))
        photo = cv2.warpAffine(photo, rot, (w, h), borderMode=cv2.BORDER_REPLICATE)
        edge = np.clip(alpha - cv2.erode(alpha, np.ones((3, 3), np.uint8), iterations=int(1 + 2 * s)), 0, 1)
        sl = (slice(py0, py0 + h), slice(px0, px0 + w))
        a = alpha[..., None]
        vis = d.images["visible"]
        vis[sl] = vis[sl] * (1 - a) + photo * a
        vis[sl] *= 1 - edge[..., None] * (0.25 + 0.45 * s)  # the cut edge casts a thin shadow
        dark = 1 - photo.mean(axis=2, keepdims=True)
        uv_paper = np.float32([0.12, 0.1, 0.22]) + s * np.float32([0.35, 0.4, 0.5])
        d.images["uv"][sl] = d.images["uv"][sl] * (1 - a) + (uv_paper * (1 - 0.4 * dark)) * a
        d.images["ir"][sl] = d.images["ir"][sl] * (1 - a) + (0.88 * (1 - 0.15 * dark)) * a
        region = np.zeros(d.mask.shape, bool)
        region[sl] = alpha > 0.5
        d.mark(self.technique, "portrait", region,
               "The photo was replaced: look for the cut edge around it, the security overprint that stops at "
               "the photo border instead of crossing it, and a face that differs from the ghost image.")


class DataAlteration(Forger):
    technique = "data-alteration"

    def prepare(self, d: Draft) -> None:
        self.zone = _pick_field(d)
        self.old, self.new = _alter(d, self.zone)
        s = d.severity
        if s < 0.5:  # same typeface, slightly wrong size, position and spacing
            style = FieldStyle(FIELD_FONT, scale=float(d.rng.choice([0.9, 1.1])) , baseline_shift=int(3 + 6 * s),
                               tracking=2.0 + 4 * s, x_shift=int(d.rng.integers(-4, 12)))
        else:  # another typeface altogether
            style = FieldStyle(FORGER_FONT, scale=1.0, baseline_shift=int(6 + 10 * s), tracking=1.0 + 4 * s,
                               x_shift=int(d.rng.integers(0, 16)))
        d.overrides.field_styles[self.zone] = style
        d.overrides.residue[self.zone] = (self.old, 0.04 + 0.08 * s)
        self.style = style

    def before_personalization(self, d: Draft) -> None:
        # removing the old entry disturbed the background print under it
        spec = d.design.field(self.zone)
        old = field_layer(d.design, spec, self.old)
        new = field_layer(d.design, spec, self.new, style=self.style)
        x0, y0, x1, y1 = old.box
        cov = np.maximum(old.coverage, new.coverage)
        area = cv2.dilate((cov > 0.2).astype(np.uint8), np.ones((25, 25), np.uint8)).astype(np.float32)
        area = cv2.GaussianBlur(area, (0, 0), 6)
        fade = area * (0.2 + 0.45 * d.severity)
        vis = d.images["visible"][y0:y1, x0:x1]
        vis += (_paper_colour(d) - vis) * fade[..., None]
        d.images["uv"][y0:y1, x0:x1] += fade[..., None] * 0.12 * np.float32([0.5, 0.55, 0.8])
        region = np.zeros(d.mask.shape, bool)
        region[y0:y1, x0:x1] = area > 0.3
        font = "a serif typeface" if self.style.font_name == FORGER_FONT else "a slightly different size"
        d.mark(self.technique, self.zone, region,
               f"The {_label(d, self.zone)} was changed from {self.old} to {self.new}: the new characters are in "
               f"{font}, sit off the baseline of the other fields and are spaced differently, and the "
               "background under them is faded.")


class MrzInconsistency(Forger):
    technique = "mrz-inconsistency"

    def prepare(self, d: Draft) -> None:
        from .people import alter_holder_field

        correct = mrz_lines_for(d.design, d.holder)
        if d.severity < 0.5:
            # the MRZ was re-made with other data: every check digit verifies, the fields disagree
            field_name = ("date_of_birth", "document_number", "date_of_expiry", "surname")[int(d.rng.integers(4))]
            other, _, _ = alter_holder_field(d.holder, field_name, int(d.rng.integers(1 << 30)))
            printed = mrz_lines_for(d.design, other)
            self.what = (f"the MRZ gives another {field_name.replace('_', ' ')} than the printed field, "
                         "although its check digits are correct")
        else:
            # one character changed without recomputing its check digit
            printed = [list(line) for line in correct]
            row = 1 if d.design.format == "TD3" else (0 if d.rng.random() < 0.5 else 1)
            digits = [i for i, ch in enumerate(correct[row]) if ch.isdigit()]
            col = digits[int(d.rng.integers(len(digits)))]
            printed[row][col] = str((int(correct[row][col]) + int(d.rng.integers(1, 9))) % 10)
            printed = ["".join(line) for line in printed]
            self.what = "a character of the MRZ was changed, so a check digit no longer matches its data"
        d.overrides.mrz_lines = printed
        self.printed, self.correct = printed, correct

    def after_personalization(self, d: Draft) -> None:
        lay = mrz_layout(d.design)
        region = np.zeros(d.mask.shape, bool)
        for row, (a, b) in enumerate(zip(self.printed, self.correct)):
            for col, (ca, cb) in enumerate(zip(a, b)):
                if ca != cb:
                    x0, y0, x1, y1 = mrz_char_box(row=row, col=col, **lay)
                    region[y0:y1, x0:x1] = True
        d.mark(self.technique, "mrz", region,
               f"Check the machine-readable zone against the printed data: {self.what}.")


class GhostImageMismatch(Forger):
    technique = "ghost-image-mismatch"

    def prepare(self, d: Draft) -> None:
        from .portrait import render_portrait

        if d.severity >= 0.75:
            d.overrides.omit_ghost = True
            self.what = "is missing"
        else:
            x0, y0, x1, y1 = d.zone("portrait")
            d.overrides.ghost_portrait = render_portrait(d.seed + 104729, size=(x1 - x0, y1 - y0),
                                                         sex=d.holder.get("sex"))
            self.what = "shows a different face from the main portrait"

    def after_personalization(self, d: Draft) -> None:
        d.mark(self.technique, "ghost-portrait", d.box_region(d.zone("ghost-portrait")),
               f"The small ghost portrait {self.what}: on a genuine document it repeats the holder's photo.")


FORGERS: dict[str, type[Forger]] = {
    cls.technique: cls
    for cls in (WrongSubstrate, Erasure, SubstratePatch, HalftoneReproduction, InkjetReproduction,
                MissingMicroprint, BrokenGuilloche, PhotoSubstitution, DataAlteration, MrzInconsistency,
                GhostImageMismatch)
}
assert set(FORGERS) == set(TECHNIQUES), "every technique in the catalogue has a forger"
