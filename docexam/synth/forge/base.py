"""What every forgery technique shares: the document being made, the annotations, the registry.

A :class:`Draft` is a document in the making (images per light in template
geometry, the holder, the portrait) together with its story: the anomalies
the forger left, each with a pixel mask. A :class:`Forger` subclass names its
technique and is registered by that name; the technique's catalogue entry
(:mod:`docexam.specimens.techniques`) says which substrates it applies to.

Field changes go through :func:`alter_field`, which also decides, the way a
forger would, whether the machine-readable zone is changed to match (a
careful forger does, and leaves traces there too; a careless one does not,
and the MRZ then still says what the document said before), and annotates
the MRZ accordingly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ...specimens.techniques import TECHNIQUES
from ..designs import Design
from ..face_render import render_person
from ..people import alter_holder_field
from ..person import holder_person
from ..personalize import Overrides, Reprint, display_value, mrz_layout, mrz_lines_for
from ..text import mrz_char_box

#: fields a forger alters (printed on every design); MRZ_FIELDS are also in the MRZ
ALTERABLE = ("surname", "given-names", "date-of-birth", "date-of-expiry", "document-number",
             "place-of-birth", "date-of-issue")
MRZ_FIELDS = ("surname", "given_names", "document_number", "date_of_birth", "date_of_expiry", "sex",
              "nationality")

FORGERS: dict[str, type["Forger"]] = {}


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

    @property
    def substrate(self) -> str:
        return self.design.substrate

    def zone(self, name: str) -> tuple[int, int, int, int]:
        return self.design.zone_px(name)

    def zones_of(self, kind: str) -> list[str]:
        return [n for n, (k, _) in self.design.zones_mm.items() if k == kind]

    def side_zones(self) -> list[str]:
        """The background zone of each side (a page, or a card's front and back)."""
        sides = {self.design.box_px((x, y, x + w, y + h)) for x, y, w, h in self.design.sides_mm}
        return [z for z in self.zones_of("background") if self.zone(z) in sides]

    def mark(self, technique: str, zone: str, region: np.ndarray, note: str, **extra) -> dict:
        """Annotate ``region`` (bool HxW) of ``zone`` as an anomaly of ``technique``.

        ``extra`` fields go into the sidecar's anomaly: ``extent="page"`` for
        a whole-page reproduction (any point on it is the forgery),
        ``mrz_changed`` for a field change, ``evidence`` hints.
        """
        if not TECHNIQUES[technique].applies_to(self.substrate, self.design.has):
            raise RuntimeError(f"{technique} cannot happen on {self.substrate}")
        x0, y0, x1, y1 = self.zone(zone)
        clipped = np.zeros_like(region, dtype=bool)
        clipped[y0:y1, x0:x1] = region[y0:y1, x0:x1]
        ys, xs = np.nonzero(clipped)
        if len(xs) == 0:  # pragma: no cover - a technique always marks something
            raise RuntimeError(f"{technique}: empty anomaly mask")
        label = len(self.anomalies) + 1
        self.mask[clipped] = label
        anomaly = {
            "family": TECHNIQUES[technique].family, "technique": technique, "zone": zone,
            "bbox": [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1],
            "note": note, "severity": round(float(self.severity), 2), "mask_label": label, **extra,
        }
        self.anomalies.append(anomaly)
        return anomaly

    def mark_pages(self, technique: str, note: str) -> None:
        """Annotate every side as a whole-page anomaly (a reproduction, a counterfeit body)."""
        for zone in self.side_zones():
            self.mark(technique, zone, self.box_region(self.zone(zone)), note, extent="page")

    def box_region(self, box) -> np.ndarray:
        region = np.zeros(self.mask.shape, bool)
        x0, y0, x1, y1 = box
        region[y0:y1, x0:x1] = True
        return region

    def paper_colour(self) -> np.ndarray:
        return np.asarray(self.design.palette.paper, np.float32)

    def label(self, zone: str) -> str:
        return self.design.field(zone).label.lower()


class Forger:
    """Base class: a technique that does nothing (subclasses override hooks).

    Hooks, called in the order a document is made and then forged:
    ``prepare`` (choose what to change, set personalization overrides),
    ``before_personalization`` (work on the blank document) and
    ``after_personalization`` (work on the finished document).
    """

    technique: str = ""
    #: what the forger prints on: "security" (the genuine body) or another
    #: substrate of :data:`docexam.synth.reference.SUBSTRATES`
    substrate_kind: str = "security"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.technique:
            FORGERS[cls.technique] = cls

    def substrate_for(self, design: Design, rng: np.random.Generator, severity: float) -> str:
        """The substrate this forger prints on for ``design`` (drawn before anything else)."""
        return self.substrate_kind

    def prepare(self, d: Draft) -> None: ...

    def before_personalization(self, d: Draft) -> None: ...

    def after_personalization(self, d: Draft) -> None: ...


def pick_field(d: Draft, choices=ALTERABLE) -> str:
    names = [z for z in choices if z in d.design.zones_mm]
    return names[int(d.rng.integers(len(names)))]


@dataclass
class FieldChange:
    """A field the forger changed, and what became of the MRZ."""

    zone: str
    old_text: str  # as printed before
    new_text: str
    in_mrz: bool
    mrz_changed: bool | None  # None when the field is not in the MRZ
    old_mrz: list
    new_mrz: list

    def changed_cells(self) -> frozenset:
        return frozenset((r, c) for r, (a, b) in enumerate(zip(self.old_mrz, self.new_mrz))
                         for c, (x, y) in enumerate(zip(a, b)) if x != y)


def alter_field(d: Draft, zone: str, *, change_mrz: bool | None = None,
                reprint: Reprint | None = None) -> FieldChange:
    """Change the holder field printed in ``zone`` (and, if the forger does, the MRZ).

    By default a careful forger (severity below 0.5) changes the MRZ too,
    printing the changed characters again (``reprint``: how they differ);
    a careless one leaves it, so it still carries the old data.
    """
    spec = d.design.field(zone)
    old_text = display_value(d.design, spec, d.holder)
    old_mrz = mrz_lines_for(d.design, d.holder)
    new_holder, _, _ = alter_holder_field(d.holder, spec.holder_field, int(d.rng.integers(1 << 30)))
    d.holder = dict(new_holder)
    new_mrz = mrz_lines_for(d.design, d.holder)
    in_mrz = spec.holder_field in MRZ_FIELDS and new_mrz != old_mrz
    mrz_changed = (d.severity < 0.5 if change_mrz is None else bool(change_mrz)) if in_mrz else None
    change = FieldChange(zone, old_text, display_value(d.design, spec, d.holder), in_mrz, mrz_changed,
                         old_mrz, new_mrz)
    if mrz_changed:
        d.overrides.mrz_reprinted = change.changed_cells()
        d.overrides.mrz_reprint = reprint or Reprint(dx=float(d.rng.uniform(-2, 2)), dy=float(d.rng.uniform(-2, 3)),
                                                     strength=0.9)
    elif in_mrz:
        d.overrides.mrz_lines = old_mrz
    return change


def mrz_cells_region(d: Draft, cells, *, pad: int = 0) -> np.ndarray:
    """Pixels of the MRZ characters at ``cells`` (row, col)."""
    lay = mrz_layout(d.design)
    region = np.zeros(d.mask.shape, bool)
    for row, col in cells:
        x0, y0, x1, y1 = mrz_char_box(row=row, col=col, **lay)
        region[max(y0 - pad, 0):y1 + pad, max(x0 - pad, 0):x1 + pad] = True
    return region


def annotate_mrz(d: Draft, change: FieldChange, technique: str, how: str) -> None:
    """The MRZ side of a field change: the reprinted characters, or the MRZ left as it was.

    ``how`` says in a few words how the forger reprinted characters (used
    when the MRZ was changed too).
    """
    if not change.in_mrz:
        return
    cells = change.changed_cells()
    mrz = d.zones_of("mrz")[0]
    what = change.zone.replace("-", " ")
    if change.mrz_changed:
        d.mark(technique, mrz, mrz_cells_region(d, cells, pad=6),
               f"The forger changed the MRZ to match the new {what} as well: {how}. Its check digits "
               "verify, so only a close look at these characters shows it.", mrz_changed=True)
    else:
        d.mark("mrz-inconsistency", mrz, mrz_cells_region(d, cells),
               f"The MRZ still carries the original {what} ({change.old_text}): the forger changed the "
               "printed field but not the machine-readable zone.", mrz_changed=False)


def another_face(d: Draft, offset: int) -> np.ndarray:
    """The portrait of someone else of the holder's sex and age (an impostor's photo)."""
    x0, y0, x1, y1 = d.zone("portrait")
    return render_person(holder_person(d.holder, d.seed + offset), size=(x1 - x0, y1 - y0))


def soften(mask: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(mask.astype(np.float32), (0, 0), sigma)
