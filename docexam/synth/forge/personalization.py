"""Attacks on the holder's data and photo: a pasted photo, altered fields, the MRZ, the ghost image."""

from __future__ import annotations

import cv2
import numpy as np

from ..personalize import FieldStyle, field_layer, mrz_layout, mrz_lines_for
from ..people import alter_holder_field
from ..shapes import scratches, torn_piece
from ..text import FIELD_FONT, FORGER_FONT, mrz_char_box
from .base import Draft, Forger, alter_field, another_face, annotate_mrz, mrz_cells_region, pick_field, soften


class PhotoSubstitution(Forger):
    technique = "photo-substitution"

    def prepare(self, d: Draft) -> None:
        self.new = another_face(d, 7919)

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
        # cut by hand with scissors: slightly wavering edges, corners not quite square
        cut, _ = torn_piece((h, w), box=(0, 0, w, h), seed=d.rng, torn=False, roughness_px=1.5 + 2 * s)
        rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        alpha = cv2.warpAffine(cut, rot, (w, h))
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


def _fade_under(d: Draft, coverage: np.ndarray, box, amount: float) -> np.ndarray:
    """Fade the background print around ``coverage`` (where old and new text sit); returns the area."""
    x0, y0, x1, y1 = box
    area = cv2.dilate((coverage > 0.2).astype(np.uint8), np.ones((25, 25), np.uint8)).astype(np.float32)
    area = cv2.GaussianBlur(area, (0, 0), 6)
    fade = area * amount
    vis = d.images["visible"][y0:y1, x0:x1]
    vis += (d.paper_colour() - vis) * fade[..., None]
    d.images["uv"][y0:y1, x0:x1] += fade[..., None] * 0.12 * np.float32([0.5, 0.55, 0.8])
    return area


class DataAlteration(Forger):
    technique = "data-alteration"

    def prepare(self, d: Draft) -> None:
        self.zone = pick_field(d)
        s = d.severity
        if s < 0.5:  # same typeface, slightly wrong size, position and spacing
            style = FieldStyle(FIELD_FONT, scale=float(d.rng.choice([0.9, 1.1])), baseline_shift=int(3 + 6 * s),
                               tracking=2.0 + 4 * s, x_shift=int(d.rng.integers(-4, 12)))
        else:  # another typeface altogether
            style = FieldStyle(FORGER_FONT, scale=1.0, baseline_shift=int(6 + 10 * s), tracking=1.0 + 4 * s,
                               x_shift=int(d.rng.integers(0, 16)))
        self.change = alter_field(d, self.zone)
        d.overrides.field_styles[self.zone] = style
        d.overrides.residue[self.zone] = (self.change.old_text, 0.04 + 0.08 * s)
        self.style = style

    def before_personalization(self, d: Draft) -> None:
        # removing the old entry disturbed the background print under it
        spec = d.design.field(self.zone)
        c = self.change
        old = field_layer(d.design, spec, c.old_text)
        new = field_layer(d.design, spec, c.new_text, style=self.style)
        x0, y0, x1, y1 = old.box
        area = _fade_under(d, np.maximum(old.coverage, new.coverage), old.box, 0.2 + 0.45 * d.severity)
        region = np.zeros(d.mask.shape, bool)
        region[y0:y1, x0:x1] = area > 0.3
        font = "a serif typeface" if self.style.font_name == FORGER_FONT else "a slightly different size"
        d.mark(self.technique, self.zone, region,
               f"The {d.label(self.zone)} was changed from {c.old_text} to {c.new_text}: the new characters are "
               f"in {font}, sit off the baseline of the other fields and are spaced differently, and the "
               "background under them is faded.", mrz_changed=c.mrz_changed)
        if c.mrz_changed:
            cells = mrz_cells_region(d, c.changed_cells(), pad=4)
            mx0, my0, mx1, my1 = d.zone(d.zones_of("mrz")[0])
            _fade_under(d, cells[my0:my1, mx0:mx1].astype(np.float32), (mx0, my0, mx1, my1),
                        0.15 + 0.35 * d.severity)
        annotate_mrz(d, c, self.technique, "those characters were removed and printed again, a little off "
                                           "the line and pitch of the others, over a faded background")


class MrzInconsistency(Forger):
    technique = "mrz-inconsistency"

    def prepare(self, d: Draft) -> None:
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
            # the name line carries no digits; a TD1's data are on its first two lines
            row = (0 if d.rng.random() < 0.5 else 1) if d.design.mrz == "TD1" else 1
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
        how = ""
        if d.substrate == "polycarbonate":
            # an engraved MRZ cannot be overprinted: the characters were sanded off and engraved again
            _scuff(d, region, d.severity)
            how = " The surface around those characters is scuffed where the old engraving was sanded off."
        d.mark(self.technique, d.zones_of("mrz")[0], region,
               f"Check the machine-readable zone against the printed data: {self.what}.{how}")


def _scuff(d: Draft, region: np.ndarray, s: float) -> None:
    """Sanding marks on a card's surface around ``region``: matt, scratched, a little lighter."""
    ys, xs = np.nonzero(region)
    pad = 14
    box = (max(int(xs.min()) - pad, 0), max(int(ys.min()) - pad, 0), int(xs.max()) + pad, int(ys.max()) + pad)
    x0, y0, x1, y1 = box
    area = soften(cv2.dilate(region.astype(np.uint8), np.ones((9, 9), np.uint8)), 4)[y0:y1, x0:x1]
    scr = scratches(d.mask.shape, box=box, seed=d.rng, angle_deg=float(d.rng.uniform(-40, 40)),
                    length_px=25, density=0.5 + 0.5 * s)[y0:y1, x0:x1]
    matt = (area * (0.04 + 0.08 * s) + scr * area * (0.08 + 0.12 * s))[..., None]
    vis = d.images["visible"][y0:y1, x0:x1]
    vis += (np.float32(0.985) - vis) * matt
    d.images["uv"][y0:y1, x0:x1] += matt * 0.3 * np.float32([0.5, 0.5, 0.7])


class GhostImageMismatch(Forger):
    technique = "ghost-image-mismatch"

    def prepare(self, d: Draft) -> None:
        if d.severity >= 0.75:
            d.overrides.omit_ghost = True
            self.what = "is missing"
        else:
            d.overrides.ghost_portrait = another_face(d, 104729)
            self.what = "shows a different face from the main portrait"

    def after_personalization(self, d: Draft) -> None:
        d.mark(self.technique, "ghost-portrait", d.box_region(d.zone("ghost-portrait")),
               f"The small ghost portrait {self.what}: on a genuine document it repeats the holder's photo.")
