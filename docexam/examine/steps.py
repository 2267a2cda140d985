"""The named steps of the examination pipeline.

Each step is a plain function of named inputs that returns a dict of named
outputs; :func:`step` records what it takes and provides, so
:class:`~docexam.examine.pipeline.Pipeline` can check the chain and time each
step, and a test can run any step alone on hand-made inputs. A step that
finds the document cannot be examined raises :class:`Inconclusive` with a
plain reason; the pipeline turns that into an ``inconclusive`` report.

Order: ``load`` -> ``prepare`` -> ``register`` -> ``mrz`` / (``warp`` ->
``compare`` -> ``context`` -> ``substrate`` / ``printing`` / ``devices`` / ``booklet``) ->
``personalization`` -> ``engraving`` -> ``decide``. Steps on either side of a ``/`` need
nothing from each other, so the pipeline runs them at the same time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import DocexamError
from ..i18n import Message
from ..imaging import as_rgb, load_rgb
from .analyzers import booklet as booklet_analyzer
from .analyzers import design as design_analyzer
from .analyzers import devices as devices_analyzer
from .analyzers import engraving as engraving_analyzer
from .analyzers import local_reprint as local_reprint_analyzer
from .analyzers import personalization as personalization_analyzer
from .analyzers import print_process as print_process_analyzer
from .analyzers import printing as printing_analyzer
from .analyzers import substrate as substrate_analyzer
from .analyzers.common import Context, boxes_overlap, zone_label
from .analyzers.personalization import read_mrz_at_layout
from .analyzers.portrait import presenter_check
from .compare import conformity_maps, warp_views
from .heatmap import anomaly_map
from .model import PERSONAL_KINDS, reference_model, template_sides
from .register import register
from .report import Evidence, Note
from .tilt import align_tilt_views, load_tilt

__all__ = ["Step", "step", "Inconclusive", "STEPS", "SUSPECT_THRESHOLD"]

#: a finding needs at least this score
SUSPECT_THRESHOLD = 0.5
#: the pre-printed design must correlate at least this much with the reference
#: on the better-matching quarter of its tiles (below it the image is not this document type, or far too blurred)
MIN_MATCH = 0.12


def _covered(a, b, share: float = 0.5) -> bool:
    """At least ``share`` of box ``a`` lies inside box ``b`` (a design finding another check explains, any zone)."""
    w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    area = max((a[2] - a[0]) * (a[3] - a[1]), 1)
    return w > 0 and h > 0 and w * h >= share * area


class Inconclusive(Exception):
    """The document cannot be examined reliably; ``str(exc)`` says why in plain words (a :class:`Message`)."""


@dataclass(frozen=True)
class Step:
    name: str
    func: object
    takes: tuple
    provides: tuple

    def __call__(self, **kwargs):
        return self.func(**kwargs)


STEPS: dict[str, Step] = {}


def step(name: str, *, takes: tuple, provides: tuple):
    """Declare a pipeline step: ``takes`` are its keyword inputs, ``provides`` its outputs."""
    def wrap(func):
        STEPS[name] = Step(name, func, tuple(takes), tuple(provides))
        func.step = STEPS[name]
        return func
    return wrap


@step("load", takes=("sources",), provides=("images", "names"))
def load(sources: dict):
    """Decode each light's image (path or array); arrays are used as given (never modified)."""
    images, names = {}, {}
    for light, src in sources.items():
        if src is None:
            continue
        if isinstance(src, (str, os.PathLike)):
            images[light] = load_rgb(src, fast=True)
            names[light] = str(src)
        elif isinstance(src, (bytes, bytearray)):
            images[light] = load_rgb(bytes(src), name=f"<{light} upload>")
            names[light] = f"<{light} upload>"
        else:
            images[light] = as_rgb(src, name="images" if light == "visible" else light)
            names[light] = f"<{light} array>"
    if "visible" not in images:
        raise ValueError("images: a visible-light image is required")
    return {"images": images, "names": names}


@step("prepare", takes=("template",), provides=("sheet",))
def prepare(template):
    """The template's cached reference model (the whole sheet of a card's sides)."""
    return {"sheet": reference_model(template)}


@step("register", takes=("images", "sheet"), provides=("registration", "model"))
def register_step(images: dict, sheet):
    """Align the visible image to the reference (a card's side alone, or the sheet); refuse what cannot be aligned.

    ``model`` is the reference model of what the image shows: the side of a
    card photographed alone, or the whole sheet.
    """
    img = images["visible"]
    h, w = img.shape[:2]
    sides = template_sides(sheet.template)
    tw, th = sheet.template.size_px
    if sides:  # the smallest thing a picture may show is one side
        tw, th = min(b[2] - b[0] for _, b in sides), min(b[3] - b[1] for _, b in sides)
    # a capture must show the document with at least ~100 dpi worth of pixels
    if max(h, w) < 0.25 * max(tw, th) * (sheet.template.dpi / 600) or min(h, w) < 200:
        raise Inconclusive(Message("the image is too small ({w}x{h} pixels) to examine the document in detail",
                                   w=w, h=h))
    pages = [(z.name, z.bbox) for z in booklet_analyzer.page_zones(sheet.template)]
    # a leaf's own pose may move the fold no more than the print across it may be out of line
    fold_gap = booklet_analyzer.FOLD_SHIFT_MM / 25.4 * sheet.template.dpi
    reg = register(img, sheet.full["visible"], sides=sides, pages=pages, max_fold_gap_px=fold_gap)
    if not reg.ok:
        exc = Inconclusive(Message("the image could not be aligned with the {template}: {reason}",
                                   template=sheet.template.name, reason=reg.reason))
        exc.registration = reg
        raise exc
    return {"registration": reg, "model": sheet.for_side(reg.side)}


@step("warp", takes=("images", "registration", "model"), provides=("views",))
def warp(images: dict, registration, model):
    """Every light resampled into the template's working geometry."""
    return {"views": warp_views(images, registration.homography, model, pages=registration.pages)}


@step("compare", takes=("views", "model"), provides=("maps",))
def compare(views, model):
    """Conformity maps of the visible image with the reference; refuse foreign or unusable images."""
    if views.covered[model.document].mean() < 0.9:
        raise Inconclusive(Message("part of the document is outside the image: photograph the whole page"))
    maps = conformity_maps(views.work["visible"], model)
    if maps.recognised < MIN_MATCH:
        raise Inconclusive(Message("the image does not show the printed design of this document type (or is far "
                                   "too blurred to examine)"))
    if maps.sigma >= 3.2:
        raise Inconclusive(Message("the image is too blurred to examine the fine print"))
    return {"maps": maps}


@step("mrz", takes=("images", "registration", "model"), provides=("mrz_reading",))
def mrz(images: dict, registration, model):
    """Read the MRZ at the template's MRZ zone of the original capture (needs only the alignment)."""
    zones = model.template.zones_of("mrz")
    pose = registration.pose_for(zones[0].bbox) if zones else registration.homography
    return {"mrz_reading": read_mrz_at_layout(images["visible"], pose, model.template)}


@step("context", takes=("model", "images", "views", "maps"), provides=("context",))
def context(model, images, views, maps):
    """The measurements the analyzers share (read-only)."""
    return {"context": Context(model, images, views, maps)}


@step("substrate", takes=("context",), provides=("substrate",))
def substrate(context):
    """Paper: UV glow, fibres, disturbance under the fields."""
    return {"substrate": substrate_analyzer.analyze(context)}


@step("printing", takes=("context",), provides=("printing",))
def printing(context):
    """Security printing: line work, screens, reproduction."""
    return {"printing": printing_analyzer.analyze(context)}


@step("personalization", takes=("context", "mrz_reading"), provides=("personalization",))
def personalization(context, mrz_reading):
    """Portrait, ghost image, fields and the MRZ."""
    return {"personalization": personalization_analyzer.analyze(context, mrz_reading=mrz_reading)}


@step("design", takes=("context",), provides=("design",))
def design(context):
    """The pre-printed design everywhere: regions departing from its genuine variation."""
    return {"design": design_analyzer.analyze(context)}


@step("print-process", takes=("context", "design"), provides=("print_process",))
def print_process(context, design):
    """Places the design comparison found, looked at closer: printed by another process than the genuine one?"""
    evidence, notes = print_process_analyzer.analyze(context, design[0])
    # and every security zone tile by tile, at the capture's resolution: a patch too small or too fine for the
    # design comparison at working resolution
    scanned, scan_notes = local_reprint_analyzer.analyze(context, known=evidence)
    return {"print_process": (evidence + scanned, notes + scan_notes)}


@step("tilt-views", takes=("tilt", "model"), provides=("tilt_views",))
def tilt_views(tilt, model):
    """Each picture of the document tilted, aligned with the device it shows: ``(views, unmatched names)``."""
    if not tilt:
        return {"tilt_views": ([], [])}
    loaded = [load_tilt(src, k) for k, src in enumerate(tilt)]
    views, unmatched = align_tilt_views([img for img, _ in loaded], model, devices_analyzer.tilt_zones(model.template))
    return {"tilt_views": (views, [loaded[k][1] for k in unmatched])}


@step("devices", takes=("context", "tilt_views"), provides=("devices",))
def devices(context, tilt_views):
    """Optically variable devices and watermarks: what the pictures show of them, and what they cannot."""
    views, unmatched = tilt_views
    evidence, notes, unexamined = devices_analyzer.analyze(context, tilt=views)
    if unmatched:
        notes = [*notes, Note("tilt-views", "info", Message(
            "Tilt pictures not aligned with a device of this document (left out): {names}.",
            names=", ".join(unmatched)))]
    return {"devices": (evidence, notes, unexamined)}


@step("engraving", takes=("context", "personalization"), provides=("engraving",))
def engraving(context, personalization):
    """A laser-engraved card's portrait: burnt into the card, or printed (a stolen blank, a swapped photo)?"""
    return {"engraving": engraving_analyzer.analyze(context, personalization)}


@step("booklet", takes=("context",), provides=("booklet",))
def booklet(context):
    """A booklet's open pages: perforation, print across the fold and page numbers; the stamps left to the officer."""
    return {"booklet": booklet_analyzer.analyze(context)}


def _foreign_page(hits: list, model) -> list:
    """Leave out what a page taken from another booklet explains: its design differs all over it.

    A page-substitution finding places a foreign leaf; the design and print
    checks find the same leaf as reprinted regions on it, and the page-wide
    fine-print correlation (the reproduction check) drops with half the
    spread foreign. The personalization's findings stay.
    """
    pages = [z for z in booklet_analyzer.page_zones(model.template)
             if any(e.technique == "page-substitution" and _covered(e.bbox, z.bbox) for e in hits)]
    if not pages:
        return hits
    return [e for e in hits if e.technique == "page-substitution" or e.family == "personalization"
            or not (e.check in ("reproduction", "design-page") or any(_covered(e.bbox, p.bbox) for p in pages))]


def _tilt_ambiguous(hits: list, model, proven=frozenset()) -> tuple[list, list]:
    """Split off findings of the general checks on an optically variable device no device check explains.

    A kinegram or colour-shifting ink looks different at every angle: a
    phone held a little askew sees other colours than the straight-on
    reference. Where the device checks (its diffraction colour, its fine
    lines) found nothing, a general difference there cannot be judged from
    one picture: the device is not counted against the document. Where
    tilt pictures proved the device genuine (``proven``: its colour changed
    as a genuine device's does), such a difference is the angle's: dropped.
    """
    tilt = {z.name for z in devices_analyzer.tilt_zones(model.template)}
    explained = {e.zone for e in hits if e.check.startswith("device-")}
    keep, ambiguous = [], []
    for e in hits:
        if e.zone in tilt and not e.check.startswith("device-"):
            if e.zone not in explained and e.zone not in proven:
                ambiguous.append(e)
            continue
        keep.append(e)
    return keep, ambiguous


def _printed_portrait(hits: list, model) -> list:
    """What a printed portrait on a laser-engraved card explains, and what explains it.

    A counterfeit card body (it glows in UV) explains its printed portrait:
    the body's finding stays. Otherwise, a swapped photo (``delamination``
    under the top film, or ``photo-substitution`` glued over the card)
    explains the ghost's other face, the design disturbed around the photo,
    and the top film's print, laminated back out of register, around it
    (:data:`~.analyzers.engraving.FILM_SHIFT_REACH`); a stolen blank
    (``stolen-blank``) explains the design disturbed under the data the
    thief printed. One finding per kind stays: the
    stronger of the IR and the colour test.
    """
    printed = [e for e in hits if e.check in engraving_analyzer.ENGRAVED_CHECKS]
    if not printed:
        return hits
    if any(e.check == "uv-paper" for e in hits):
        return [e for e in hits if all(e is not p for p in printed)]
    best = max(printed, key=lambda e: e.score)
    hits = [e for e in hits if e is best or all(e is not p for p in printed)]
    if best.technique in ("delamination", "photo-substitution"):
        x0, y0, x1, y1 = model.template.zone(best.zone).bbox
        reach = engraving_analyzer.FILM_SHIFT_REACH * (x1 - x0)
        film = (x0 - reach, y0 - reach, x1 + reach, y1 + reach)
        return [e for e in hits if e.check not in ("ghost", "ghost-portrait", "portrait-overprint",
                                                   "design-portrait-edge", "portrait-edge")
                and not (e.check == "design" and boxes_overlap(e.bbox, film))]
    personal = {z.name for z in model.template.zones if z.kind in PERSONAL_KINDS}
    return [e for e in hits if not (e.check == "design" and e.zone in personal)]


def _altered_fields(hits: list) -> set:
    """Fields whose value was retyped: its geometry or its typography departs from the genuine print."""
    return {e.zone for e in hits if e.check in ("field-geometry", "typography")}


def _rewritten_fields(hits: list, model) -> list:
    """What a value changed after issue explains.

    A value retyped (its geometry or typography) explains the disturbed
    background under it; a value retyped, or washed off and written again
    (the design's erasure in its field), explains its disagreement with the
    MRZ, which the forger left as issued: the field's finding names the cause.
    """
    altered = _altered_fields(hits)
    fields = {z.name for z in model.template.zones_of("field")}
    rewritten = altered | {e.zone for e in hits if e.check == "design" and e.technique == "erasure" and e.zone in fields}
    return [e for e in hits if not (e.check == "field-background" and e.zone in altered)
            and not (e.check.startswith("mrz-vs-fields:") and e.check.split(":", 1)[1] in rewritten)]


@step("decide", takes=("substrate", "printing", "personalization", "design", "print_process", "devices", "engraving",
                       "booklet", "model", "maps"),
      provides=("findings", "score", "evidence", "notes", "heatmap", "unexamined", "undecided"))
def decide(substrate, printing, personalization, design, print_process, devices, engraving, booklet, model, maps):
    """Fuse the analyzers' evidence: explain overlaps, keep findings, score the document, draw the heatmap.

    ``undecided`` is the reason the document cannot be judged from this
    picture (or empty): only differences on an optically variable device
    that its own checks do not explain were found (see :func:`_tilt_ambiguous`),
    or nothing was found but the page carries border stamps, which one
    picture cannot judge (:mod:`.analyzers.booklet`).
    """
    evidence: list[Evidence] = []
    notes: list[Note] = []
    for ev, nt in (engraving[:2], substrate, printing, personalization, design, print_process, devices[:2],
                   booklet[:2]):
        evidence += ev
        notes += nt
    hits = [e for e in evidence if e.score >= SUSPECT_THRESHOLD]
    proven = {e.zone for e in devices[0] if e.check == "device-tilt" and e.score < SUSPECT_THRESHOLD}
    # the tilt pictures judge the device: what one straight-on picture suggested of it does not count
    hits = [e for e in hits if not (e.zone in proven and e.check.startswith(("device-", "angled-device-"))
                                    and e.check != "device-tilt")]
    hits, ambiguous = _tilt_ambiguous(hits, model, proven)
    hits = _foreign_page(hits, model)
    # stamps are the journey's ink, not the page's design: what the design and print checks find among them is
    # the stamps themselves (they are left to the officer, below)
    stamped = {u.zone for u in booklet[2] if u.feature == "stamps"}
    hits = [e for e in hits if not (e.zone in stamped and e.family != "personalization")]
    # a whole-page reproduction explains local print differences everywhere
    if any(e.check in ("reproduction", "design-page") for e in hits):
        hits = [e for e in hits if e.check in ("reproduction", "design-page", "uv-paper", "mrz-check-digits")
                or e.family == "personalization" and e.check not in ("field-geometry", "typography", "portrait-overprint",
                                                                     "portrait-edge", "ghost", "ghost-portrait",
                                                                     *engraving_analyzer.ENGRAVED_CHECKS)]
    hits = _printed_portrait(hits, model)
    altered = _altered_fields(hits)
    hits = _rewritten_fields(hits, model)
    # a pasted photo also breaks the likeness with the ghost image
    if any(e.check in ("portrait-overprint", "design-portrait-edge", "portrait-edge") for e in hits):
        hits = [e for e in hits if e.check not in ("ghost", "ghost-portrait")]
    # a place the design check found may be what a dedicated check found too: keep the dedicated one
    named = [e for e in hits if e.check != "design"]
    # an altered value also disturbs the design around its text
    hits = [e for e in hits if not (e.check == "design" and e.zone in altered)]
    hits = [e for e in hits if e.check != "design" or not any(
        (o.zone == e.zone and boxes_overlap(o.bbox, e.bbox)) or _covered(e.bbox, o.bbox) for o in named)]
    hits.sort(key=lambda e: -e.score)
    # a finding's box lies inside its zone (docs/formats.md: template coordinates)
    for e in hits:
        try:
            zb = model.template.zone(e.zone).bbox
        except DocexamError:
            continue
        x0, y0, x1, y1 = (int(v) for v in e.bbox)
        box = [max(x0, zb[0]), max(y0, zb[1]), min(x1, zb[2]), min(y1, zb[3])]
        e.bbox = box if box[2] > box[0] and box[3] > box[1] else list(zb)
    findings = [e.finding() for e in hits]
    score = max((e.score for e in evidence), default=0.0)
    heat = anomaly_map(maps, model, hits)
    undecided = ""
    if ambiguous and not findings:
        zone = model.template.zone(ambiguous[0].zone)
        undecided = Message("The {label} does not look like the genuine device seen straight on; a genuine one "
                            "also looks different at another angle, so one picture cannot tell. {advice}", label=zone_label(zone),
                            advice=devices_analyzer.advice(zone.extra["feature"], zone_label(zone)))
    stamps = [u for u in booklet[2] if u.feature == "stamps"]
    if stamps and not findings and not undecided:
        zone = model.template.zone(stamps[0].zone)
        undecided = Message("Nothing on the page departs from the genuine document, but one picture cannot judge the "
                            "border stamps in the {label}. {advice}", label=zone_label(zone), advice=stamps[0].message)
    return {"findings": findings, "score": score, "evidence": evidence, "notes": notes, "heatmap": heat,
            "unexamined": devices[2] + engraving[2] + booklet[2] + presenter_check(model.template),
            "undecided": undecided}
