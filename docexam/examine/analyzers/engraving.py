"""Laser engraving: is the personalisation of a polycarbonate card burnt into it, or printed on it?

An issuer personalises a polycarbonate card (or data page) with a laser: the
beam carbonises the polycarbonate inside the card. Carbon is grey (no
colour beyond the capture's own rendering of the design under it) and it
absorbs infrared as strongly as visible light, so an engraved portrait is
as dark in IR as it is in daylight. A thief who personalises a stolen blank,
or a forger who slips another photo under the top film, prints it: with dye
inks (inkjet, dye sublimation, a thermal ribbon's colour panels) that are
coloured, and that infrared light passes through, so the portrait fades away
in IR. Measured over the portrait's ink (pixels the portrait darkens):

* **IR darkness** (when an IR image is given): the regression slope of the
  portrait's darkening in IR on its darkening in visible light, each relative
  to the bare card under it (the blank reference, or the zone's lightest
  pixels for a reference with another holder's data);
* **colour**: the chroma of the portrait's darkening (capture over the
  reference under it, per channel, after the capture's white balance), over
  the capture's own colour rendering of the design
  (:func:`~docexam.examine.analyzers.devices._colour_rendering`).

A printed portrait in a genuine card body is either a stolen blank
personalised by the thief (``stolen-blank``), or another photo was put in
later: the ghost image, engraved deep in the card, still shows the original
holder, so a printed portrait that is not the ghost's face came after it.
Where that photo lies tells how: slipped under the top film of a card split
open and laminated again (``delamination``), the film's security overprint
still crosses it; glued over the card's surface (``photo-substitution``),
it covers the overprint, which stops at its edge (the ``portrait-overprint``
check of :mod:`.portrait`). A printed portrait
on a counterfeit body is part of the counterfeit: the pipeline's decision
leaves it to the body's own finding.

Only designs the template says are laser-engraved get these checks
(:func:`laser_engraved`). Without an IR image a grey print cannot be told
from an engraving in one straight-on picture: the report lists the portrait
as :class:`~docexam.examine.report.Unexamined` (``needs="ir"``), with what
the officer does by hand.

The card's lamination itself is not judged from the picture: an edge that
lifts, air bubbles or glue under the top film are a relief and a shine that
light grazing the card shows, and that a straight-on picture of a genuine
card's fine print and portrait does not tell apart from them. Every laminated
card in the picture lists its surface as unexamined (``needs="raking"``).
"""

from __future__ import annotations

import cv2
import numpy as np

from ...i18n import Message
from ..model import luminance
from ..report import Evidence, Unexamined
from .common import Context
from .devices import _colour_rendering

__all__ = ["laser_engraved", "engraving_measures", "analyze", "ENGRAVED_CHECKS", "FILM_SHIFT_REACH"]

#: a card split open and laminated again carries its top film back out of register: the print on the film moves
#: around the photo, so the design comparison finds it disturbed there. Differences within this share of the
#: portrait's width around it are the film's, explained by the delamination (the library's delaminated TD2 scan:
#: a misregistered overprint found from 27 px, 4 % of the portrait's width, beyond its edge)
FILM_SHIFT_REACH = 0.25
#: ``substrate`` values of ``template.json`` whose holder's data are laser-engraved (a polycarbonate laminate
#: cannot be printed inside once fused: its issuer personalises it by laser)
ENGRAVED_SUBSTRATES = ("polycarbonate",)
#: pixels the portrait darkens by at least this share of the card under it are its ink
INK_DARKENING = 0.25
#: fewest ink pixels (working resolution) for the measurements to mean something
MIN_INK_PX = 300
#: Gaussian smoothing of both images before they are divided (working pixels): the capture's blur and noise
SMOOTH_PX = 1.2
#: IR fade, 1 - (IR darkening per unit of visible darkening), above which the portrait is printed. Measured on
#: the shipped library's cards (flat, scan and phone captures of mrd-td1, mrd-td3, uto-td2): genuine engraved
#: portraits 0.03 to 0.155 (24 genuine cards; 0.07 to 0.12 on 26 cards forged elsewhere); dye-printed ones
#: (4 stolen blanks, 4 swapped photos, 4 counterfeit cards) 0.83 to 1.17
IR_FADE = 0.5
IR_WIDTH = 0.08
#: the portrait ink's chroma (relative to its darkness, over the capture's colour rendering) above which it is
#: a colour print. Same cards: genuine engravings 0.004 to 0.03 (0.005 to 0.037 on cards forged elsewhere);
#: colour prints 0.19 to 1.17; grey prints 0.008 to 0.048 (left to the IR test)
COLOUR = 0.08
COLOUR_WIDTH = 0.012
#: the capture's colour rendering is not trusted below this (a phone's muted colours)
MIN_RENDERING = 0.4
#: the checks whose findings say the portrait is printed (the pipeline's decision explains them by a
#: counterfeit body)
ENGRAVED_CHECKS = ("engraving-ir", "engraving-colour")
#: the ghost-image check (:mod:`.portrait`) whose hit says the portrait is not the ghost's face (a missing
#: ghost says nothing of who printed the portrait)
GHOST_CHECKS = ("ghost-portrait",)
#: the check (:mod:`.portrait`) whose hit says the design crossing the portrait's edge stops at it: the photo lies
#: over the card's surface. Measured on the shipped cards' own delaminations (photo under the film: at most 0.03)
#: and photos glued over cards by the independent generator (1.0)
COVERED_CHECKS = ("portrait-overprint",)


def laser_engraved(template) -> bool:
    """True when ``template`` says its holder's data are laser-engraved (its ``substrate`` is polycarbonate).

    >>> from docexam.specimens.registry import find_template
    >>> laser_engraved(find_template("mrd-td1")), laser_engraved(find_template("uto-td3"))
    (True, False)
    """
    return str(template.extra.get("substrate", "")).lower() in ENGRAVED_SUBSTRATES


def _smooth(x: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(x, (0, 0), SMOOTH_PX)


def _page_balance(ctx: Context, light: str) -> np.ndarray:
    """The capture over the reference on the design away from personalisation, per channel (exposure, white)."""
    model = ctx.model
    step = 5
    sel = (model.document & ~model.personal & ctx.views.covered)[::step, ::step]
    cap = ctx.views.work[light][::step, ::step][sel]
    ref = model.work[light][::step, ::step][sel]
    if len(cap) < 50:
        return np.ones(3, np.float32)
    return np.median(cap / np.maximum(ref, 0.03), axis=0).astype(np.float32)


def _under(ctx: Context, light: str, ys, xs) -> np.ndarray:
    """The bare card under a zone in ``light``: the blank reference, or the capture's lightest pixels there."""
    if ctx.model.blank_personalization:
        return _smooth(ctx.model.work[light][ys, xs]) * _page_balance(ctx, light)
    cap = ctx.views.work[light][ys, xs]
    return np.broadcast_to(np.percentile(cap.reshape(-1, 3), 95, axis=0), cap.shape).astype(np.float32)


def engraving_measures(ctx: Context, zone) -> dict | None:
    """``{"ink", "ir_fade", "colour", "box"}`` of ``zone`` on this capture (None: too little ink to say).

    ``ir_fade`` is None without an IR image (in the capture and the reference).
    """
    model = ctx.model
    x0, y0, x1, y1 = model.to_work(zone.bbox)
    ys, xs = slice(y0, y1), slice(x0, x1)
    if ctx.views.covered[ys, xs].mean() < 0.9:
        return None
    cap = _smooth(ctx.views.work["visible"][ys, xs])
    q = cap / np.maximum(_under(ctx, "visible", ys, xs), 0.03)
    lum = q.mean(axis=2)
    dark = 1.0 - lum
    ink = dark > INK_DARKENING
    if ink.sum() < MIN_INK_PX:
        return None
    rendering = max(_colour_rendering(ctx, np.zeros_like(model.document)), MIN_RENDERING)
    chroma = (q.max(axis=2) - q.min(axis=2)) / np.maximum(lum, 0.05)
    out = {"ink": int(ink.sum()), "colour": float(np.median(chroma[ink])) / rendering, "ir_fade": None}
    if "ir" in ctx.views.work and "ir" in model.work:
        ir = luminance(_smooth(ctx.views.work["ir"][ys, xs])) / np.maximum(luminance(_under(ctx, "ir", ys, xs)),
                                                                         0.03)
        dv, di = dark[ink], 1.0 - ir[ink]
        out["ir_fade"] = 1.0 - float(dv @ di) / max(float(dv @ dv), 1e-9)
    return out


def _ghost_differs(personalization) -> bool:
    """The ghost-image checks found the portrait is not the ghost's face (at or above their threshold)."""
    return any(e.check in GHOST_CHECKS and e.value >= e.threshold for e in personalization[0])


def _overprint_covered(personalization) -> bool:
    """The design crossing the portrait's edge stops at it (at or above its threshold): the photo covers it."""
    return any(e.check in COVERED_CHECKS and e.value >= e.threshold for e in personalization[0])


def _printed_portrait_kind(personalization) -> tuple[str, str]:
    """``(family, technique)`` of a printed portrait in a genuine card body (see the module docstring)."""
    if not _ghost_differs(personalization):
        return "personalization", "stolen-blank"
    if _overprint_covered(personalization):
        return "personalization", "photo-substitution"
    return "substrate", "delamination"


def analyze(ctx: Context, personalization=((), ())):
    """``(evidence, notes, unexamined)`` of the engraving checks (see the module docstring).

    ``personalization`` is the personalization step's ``(evidence, notes)``:
    its ghost-image checks tell a swapped photo from a stolen blank.
    """
    evidence, notes, unexamined = [], [], []
    if not laser_engraved(ctx.template):
        return evidence, notes, unexamined
    body = ctx.template.zones_of("background")
    if body:
        unexamined.append(Unexamined(body[0].name, "lamination", list(body[0].bbox), "raking", Message(
            "Run a finger along the card's edges and look across its surface with light grazing it: a genuine "
            "card is one fused block; an edge that lifts or splits, air bubbles or glue under the top film mean "
            "the card was opened and laminated again.")))
    portraits = ctx.template.zones_of("portrait")
    if not portraits:
        return evidence, notes, unexamined
    zone = portraits[0]
    m = engraving_measures(ctx, zone)
    if m is None:
        return evidence, notes, unexamined
    family, technique = _printed_portrait_kind(personalization)
    box = list(zone.bbox)
    if m["ir_fade"] is not None:
        kept = int(round(100 * max(1.0 - m["ir_fade"], 0.0)))
        evidence.append(Evidence(
            family, technique, zone.name, box, m["ir_fade"], IR_FADE, IR_WIDTH, {
                "stolen-blank": Message(
                    "The portrait fades away in infrared light: it keeps {kept} per cent of its darkness, where a "
                    "laser-engraved portrait is carbon inside the card and stays as dark as in daylight. It is "
                    "printed with dye ink.", kept=kept),
                "delamination": Message(
                    "The portrait fades away in infrared light (it keeps {kept} per cent of its darkness) and it is "
                    "not the face of the engraved ghost image: it is a print slipped under the top film of a card "
                    "that was split open and laminated again, where the issuer laser-engraves the photo inside the "
                    "card.", kept=kept),
                "photo-substitution": Message(
                    "The portrait fades away in infrared light (it keeps {kept} per cent of its darkness), it is "
                    "not the face of the engraved ghost image, and the security print that crosses the portrait "
                    "stops at its edge: another photograph was glued over the card's laser-engraved portrait.",
                    kept=kept)}[technique],
            check="engraving-ir"))
    else:
        unexamined.append(Unexamined(zone.name, "laser-engraving", box, "ir", Message(
            "Look at the portrait under infrared light and with light grazing the card: a laser-engraved portrait "
            "stays dark in IR and shows a fine relief; a printed one fades away in IR or lies flat and shiny.")))
    evidence.append(Evidence(
        family, technique, zone.name, box, m["colour"], COLOUR, COLOUR_WIDTH, {
            "stolen-blank": Message(
                "The portrait is in colour, where a laser engraving is grey carbon inside the card: it was printed "
                "by a card printer on a blank card, not engraved by the issuer."),
            "delamination": Message(
                "The portrait is a colour print and not the face of the engraved ghost image, where the issuer "
                "laser-engraves a grey photo inside the card: the card was split open, another photo slipped under "
                "its top film, and laminated again."),
            "photo-substitution": Message(
                "The portrait is a colour print, not the face of the engraved ghost image, and the security print "
                "that crosses the portrait stops at its edge: another photograph was glued over the card's "
                "laser-engraved portrait, where the issuer engraves a grey photo inside the card.")}[technique],
        check="engraving-colour"))
    return evidence, notes, unexamined
