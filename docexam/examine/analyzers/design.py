"""The pre-printed design, everywhere: every place where it departs from the genuine design, and how.

:mod:`docexam.examine.deviation` finds connected regions where the design's
fine print, texture or colour leaves the genuine variation learned for the
template (:mod:`docexam.examine.variation`). Each region becomes evidence,
placed in the zone it lies in (or the background between zones), with what
its profile says happened:

* the print is *lighter* and its fine lines faded: ink was lifted (washed
  or scraped off): ``substrate`` / ``erasure``;
* otherwise the design was *reprinted* there (its lines rebuilt from the
  dots of another printing process, blurred from a low-resolution copy, or
  in other colours): ``printing``; the technique is named when the dots
  are resolved (:func:`~docexam.examine.analyzers.printing.screen_periodicity`):
  a copier's regular screen, or inkjet dither; else it is left open.

A region hugging the outside of the portrait's edge is the design covered
by a photograph larger than the original, glued over it (or by its cut
edge and shadow): ``personalization`` / ``photo-substitution``, on the
portrait.

Regions are found where one measurement departs far enough, and where two
depart together in the way a forger's work moves them, each too little
alone: lighter print with fainter lines (a wash,
:attr:`~docexam.examine.deviation.Deviations.erasure`), fainter lines with
foreign texture (a reprint, :attr:`~docexam.examine.deviation.Deviations.reprint`).
A wash too faint to be a finding still weighs in the document's score
(:data:`FAINT_WASH_CHECK`).

When such regions cover much of the page the whole document was reproduced.
"""

from __future__ import annotations

from ..deviation import CELL, deviations, find_regions, is_design
from ...i18n import Message, plural_message
from ..report import Evidence, Note
from ..variation import variation_for
from .common import Context, boxes_overlap, clip_box, zone_label as _label
from .printing import DITHER_PEAK_RATIO, SCREEN_PEAK_RATIO, screen_periodicity

#: a region's evidence: mass (mm^2 x z above the cell threshold) at which the score is 0.5, and the spread
MASS_THRESHOLD = 8.0
MASS_WIDTH = 2.5
#: a region whose print is this much lighter (mean z) while its fine lines fade was washed or scraped
LIGHTER_Z = 2.0
#: ... unless marks were added there (texture z above this): a solvent lifts ink and adds nothing, so the print of
#: a washed design is only fainter (texture z -0.1 to 0.7 on the independent generator's washed design, seed 9071);
#: a lighter reprint rebuilds the lines from dots (0.7 to 5.3 there, 1.2 to 5.9 on the real specimens' patches). A
#: blade roughens the paper (0.6 to 3.2): the heavier scrapes read as reprints. Not in a personalization field:
#: there the washed-out entry leaves traces of its old strokes, which add texture too
ADDED_TEXTURE_Z = 2.0
#: share of the comparable design in deviating regions above which the whole page was reproduced
PAGE_SHARE = 0.3
#: capture pixels per template pixel needed to resolve a screen's dots
RESOLVES_DOTS = 0.62
#: a region is only lit differently (glare, a lamp's fall-off towards a card's edge), not reprinted, when its
#: print is lighter while its fine lines are intact (structure z >= 0), no dots were added (texture z at most
#: this) and its colour did not move (chroma z at most this)
INTACT_TEXTURE_Z = 1.0
INTACT_CHROMA_Z = 2.0
#: a lamp's reflection on the page (glare) adds light that fades out gradually: a lighter region whose fine lines
#: are only a little weaker (structure z above this) and whose anomaly fades out at its border (edge below
#: GLARE_EDGE) is glare. Measured: washed or scraped print breaks its lines (structure z -3.9 to -4.4) and ends at
#: the wash's border (edge 0.85 to 0.92); glare at a genuine visa page's top edge in a phone photo: structure z
#: -0.8, edge 0.66
GLARE_STRUCTURE_Z = -2.0
GLARE_EDGE = 0.75
#: a region lying outside the portrait within this of its edge, along it, is the edge of a photograph glued over it
PORTRAIT_EDGE_MM = 2.5
#: cells whose print is at once lighter and fainter by this much (:attr:`~docexam.examine.deviation.Deviations.
#: erasure`) are looked at as a region too, where no single measurement passes the anomaly's threshold. Measured
#: on 12 genuine pages of the independent generator (flat, scan, phone): at most 0.8 to 2.2 over a whole page;
#: washed design 4 to 8.7 (90th percentile over the washed area) on 11 of 16 washed zones
ERASURE_Z = 3.0
#: cells whose fine lines are fainter while texture foreign to the design appears, by this much together
#: (:attr:`~docexam.examine.deviation.Deviations.reprint`), are looked at as a region too. Measured with
#: the region's mass at this threshold: 110 genuine pages of the independent generator (flat, scan, phone) at
#: most 0.9 mm^2 z, 7 real specimens' registration images and 56 genuine scans and phone photos of them 0;
#: local reprints on the real specimens that no single measurement found 6.5 to 24
REPRINT_Z = 3.0
#: the check of a wash too faint to be a finding: it raises the document's score, no other check looks there
FAINT_WASH_CHECK = "design-faint-wash"


def _zone_of(ctx: Context, box):
    """The zone a region belongs to: the smallest zone (not one with checks of its own) holding its centre."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    zones = [z for z in ctx.template.zones if is_design(z)
             and z.bbox[0] <= cx < z.bbox[2] and z.bbox[1] <= cy < z.bbox[3]]
    if not zones:
        zones = [z for z in ctx.template.zones if z.kind == "background"] or list(ctx.template.zones)
    return min(zones, key=lambda z: (z.bbox[2] - z.bbox[0]) * (z.bbox[3] - z.bbox[1]))


def _beside_portrait(ctx: Context, box):
    """The portrait zone around whose edge ``box`` (template pixels) lies, or None.

    A photograph glued over the portrait is never cut to exactly the
    original's size: where it is larger, or where its cut edge and shadow
    fall, the design around the portrait is covered in a strip along the
    edge. The design comparison leaves the portrait itself out, so such a
    region lies in a ring around it, within :data:`PORTRAIT_EDGE_MM` (plus
    the reach of the comparison's windows and cells, which widen a region).
    """
    reach = PORTRAIT_EDGE_MM / 25.4 * ctx.template.dpi + (ctx.maps.window // 2 + CELL) / ctx.model.scale
    x0, y0, x1, y1 = box
    for z in ctx.template.zones_of("portrait"):
        a0, b0, a1, b1 = z.bbox
        if x0 >= a0 - reach and y0 >= b0 - reach and x1 <= a1 + reach and y1 <= b1 + reach:
            return z
    return None


def printing_technique(ctx: Context, box) -> tuple[str | None, str]:
    if ctx.views.capture_scale < RESOLVES_DOTS:
        return None, Message("reprinted")
    period = screen_periodicity(ctx, box)
    if period is not None and period > SCREEN_PEAK_RATIO:
        return "halftone-reproduction", Message("reprinted with the regular dot screen of a colour copier or laser "
                                                "printer")
    if period is not None and period <= DITHER_PEAK_RATIO:
        return "inkjet-reproduction", Message("reprinted with the scattered dots of an inkjet printer")
    return None, Message("reprinted (the fine lines are rebuilt from dots or blurred from a copy)")


def lit_differently(profile: dict) -> bool:
    """Whether a region's profile (mean z per measurement) is the genuine print under other light.

    Every way of forging the design loses its fine lines (washing,
    abrasion, a copy), adds dots (a printer) or moves its colour (another
    ink or gamut); lighter print whose fine lines are as sharp as the
    rest of the page and which did none of that is the same print under
    more light.

    >>> lit_differently({"structure": 2.9, "texture": -0.8, "brightness": 4.8, "chroma-a": -0.5, "chroma-b": -0.5})
    True
    >>> lit_differently({"structure": -2.0, "texture": 3.0, "brightness": 4.8, "chroma-a": 0.0, "chroma-b": 0.0})
    False
    """
    return (profile["brightness"] >= 0 and profile["structure"] >= 0 and profile["texture"] <= INTACT_TEXTURE_Z
            and max(abs(profile["chroma-a"]), abs(profile["chroma-b"])) <= INTACT_CHROMA_Z)


def washed(profile: dict) -> bool:
    """Whether a region's profile (mean z per measurement) is ink lifted: lighter print, fine lines faded.

    >>> washed({"structure": -2.3, "brightness": 6.3}), washed({"structure": -2.8, "brightness": 1.5})
    (True, False)
    """
    return profile["brightness"] > LIGHTER_Z and profile["structure"] < 0


def marks_added(profile: dict) -> bool:
    """Whether a region's print gained texture the genuine design does not have (dots, toner, roughened paper).

    >>> marks_added({"texture": 3.5}), marks_added({"texture": 0.4})
    (True, False)
    """
    return profile["texture"] > ADDED_TEXTURE_Z


def glare(region) -> bool:
    """Whether a region is a reflection of the light on the page: lighter, lines nearly intact, fading out.

    >>> from types import SimpleNamespace as R
    >>> glare(R(profile={"structure": -0.8, "texture": 0.5, "brightness": 4.8}, edge=0.66))
    True
    >>> glare(R(profile={"structure": -4.1, "texture": -0.9, "brightness": 5.5}, edge=0.88))   # a washed patch
    False
    """
    p = region.profile
    return (p["brightness"] >= LIGHTER_Z and p["structure"] > GLARE_STRUCTURE_Z and p["texture"] <= INTACT_TEXTURE_Z
            and region.edge < GLARE_EDGE)


def _whole_for_pieces(regions: list, whole) -> list:
    """``regions`` with ``whole`` (a region found by a combined signature) standing for the pieces of it that
    one measurement found, where it weighs more than they do together."""
    pieces = [r for r in regions if boxes_overlap(whole.box_work, r.box_work)]
    if whole.mass > sum(r.mass for r in pieces):
        return [r for r in regions if r not in pieces] + [whole]
    return regions


def analyze(ctx: Context):
    evidence, notes = [], []
    model = ctx.model
    dev = deviations(ctx.maps, model, variation_for(model))
    regions = find_regions(dev, model)
    # a faint wash: lighter and fainter at once, each measurement below its own threshold; where it holds
    # pieces of it found by one measurement, the whole wash stands for them if it weighs more
    faint = []
    for wash in find_regions(dev, model, threshold=ERASURE_Z, anomaly=dev.erasure):
        if not washed(wash.profile):
            continue
        if wash.mass < MASS_THRESHOLD:
            # too faint to be a finding itself: it weighs in the document's score only, and is no place for
            # the other checks to look at (there, it was the comparison's noise: another holder's ghost image
            # on a trainer's template without its zone)
            faint.append(wash)
            continue
        regions = _whole_for_pieces(regions, wash)
    # a faint reprint: the design's fine lines fainter where foreign marks appear, each below its own threshold;
    # the whole reprint likewise stands for the pieces of it one measurement found
    for reprint in find_regions(dev, model, threshold=REPRINT_Z, anomaly=dev.reprint):
        if reprint.mass < MASS_THRESHOLD:
            continue
        regions = _whole_for_pieces(regions, reprint)
    for wash in faint:
        if not glare(wash) and not any(boxes_overlap(wash.box_work, r.box_work) and r.mass >= wash.mass
                                       for r in regions):
            box = model.to_template(wash.box_work)
            zone = _zone_of(ctx, box)
            evidence.append(Evidence(
                "substrate", "erasure", zone.name, clip_box(box, zone.bbox), wash.mass, MASS_THRESHOLD, MASS_WIDTH,
                Message("Here the printed design of the {label} is a little lighter and its fine lines a little "
                        "fainter, as where ink was lifted, but too little to tell from the capture alone.",
                        label=_label(zone)), check=FAINT_WASH_CHECK))
    regions = sorted((r for r in regions if not lit_differently(r.profile) and not glare(r)), key=lambda r: -r.mass)
    if not regions:
        return evidence, notes
    comparable = float((dev.weights[0] > 0.3).sum()) or 1.0
    share = sum(r.cells for r in regions) / comparable
    if share > PAGE_SHARE:
        zone = next(iter(ctx.template.zones_of("background")), None)
        box = list(zone.bbox) if zone else [0, 0, ctx.template.width, ctx.template.height]
        technique, how = printing_technique(ctx, model.to_template(regions[0].box_work))
        evidence.append(Evidence(
            "printing", technique, zone.name if zone else "document", box, sum(r.mass for r in regions),
            MASS_THRESHOLD, MASS_WIDTH,
            Message("The fine print differs from the genuine design over much of the page ({share:.0%}): the "
                    "whole document was {how}.", share=share, how=how), check="design-page"))
        return evidence, notes
    edges = {}
    for r in regions[:6]:
        box = model.to_template(r.box_work)
        zone = _zone_of(ctx, box)
        box = clip_box(box, zone.bbox)
        label = _label(zone)
        p = r.profile
        portrait = _beside_portrait(ctx, box)
        if portrait is not None:  # one finding on the portrait for all of its edge
            edges[portrait.name] = edges.get(portrait.name, 0.0) + r.mass
            continue
        # lighter print with added marks was reprinted, save in a field, where a washed-out entry leaves traces
        if washed(p) and (zone.kind == "field" or not marks_added(p)):
            family, technique = "substrate", "erasure"
            msg = Message("Here the printed design of the {label} is lighter and its fine lines are faded or "
                          "broken: ink was lifted from the paper (washed with a solvent or scraped off).", label=label)
        else:
            family = "printing"
            technique, how = printing_technique(ctx, box)
            msg = Message("This part of the {label} does not match the genuine design: it was {how}, while the "
                          "print around it is genuine.", label=label, how=how)
        evidence.append(Evidence(family, technique, zone.name, box, r.mass, MASS_THRESHOLD, MASS_WIDTH, msg,
                                 check="design"))
    for name, mass in edges.items():
        evidence.append(Evidence(
            "personalization", "photo-substitution", name, list(ctx.template.zone(name).bbox), mass, MASS_THRESHOLD,
            MASS_WIDTH, Message("The printed design right along the edge of the portrait is covered or disturbed: a "
                                "photograph larger than the original, or its cut edge, was glued over the portrait."),
            check="design-portrait-edge"))
    if len(regions) > 6:
        notes.append(Note("design", "info", plural_message("{n} more small place differs from the design.",
                                                           "{n} more small places differ from the design.",
                                                           len(regions) - 6, n=len(regions) - 6)))
    return evidence, notes
