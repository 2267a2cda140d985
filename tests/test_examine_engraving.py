"""Known answers of the engraving checks: a card's portrait burnt into it by the issuer's laser, or printed."""

from __future__ import annotations

import json
from dataclasses import replace

import cv2
import numpy as np
import pytest

from docexam.examine import examine
from docexam.examine.analyzers.engraving import _printed_portrait_kind, laser_engraved
from docexam.examine.report import Evidence
from docexam.examine.steps import _printed_portrait
from docexam.examine.model import reference_model
from docexam.specimens.registry import find_template

CARDS = ("mrd-td1", "mrd-td3", "uto-td2")


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _library(folder, *, technique=None, captures=("scan", "phone")):
    """Sidecars of the shipped library's card specimens of ``technique`` (None: genuine) in ``captures``."""
    out = []
    for path in sorted(folder.glob("*.json")):
        sc = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(sc, dict) or sc.get("template") not in CARDS or "capture" not in sc:
            continue
        if sc["capture"]["kind"] not in captures:
            continue
        techniques = {a["technique"] for a in sc.get("anomalies", ())}
        if (technique is None and not techniques) or technique in techniques:
            out.append((path.parent, sc))
    return out


def _examine(folder, sc, *, ir=True):
    images = sc["images"]
    return examine(folder / images["visible"], sc["template"], uv=folder / images["uv"] if "uv" in images else None,
                   ir=folder / images["ir"] if ir and "ir" in images else None)


def test_only_laser_engraved_designs_get_the_check():
    assert laser_engraved(find_template("mrd-td1")) and laser_engraved(find_template("uto-td2"))
    assert not laser_engraved(find_template("uto-td3"))  # inkjet-personalised paper: a dye portrait is genuine there
    card = find_template("mrd-td1")
    # a template that does not say what its body is (a trainer's own) makes no claim about its personalisation
    assert not laser_engraved(replace(card, extra={k: v for k, v in card.extra.items() if k != "substrate"}))


@pytest.mark.parametrize("technique, family", [("stolen-blank", "personalization"), ("delamination", "substrate")])
def test_printed_portraits_on_scans_and_phone_photos_are_found(shipped_library_folder, technique, family):
    cases = _library(shipped_library_folder, technique=technique)
    assert len(cases) >= 2, "the shipped library has scans or phone photos of this fraud"
    for folder, sc in cases:
        r = _examine(folder, sc)
        assert r.verdict == "suspect", (sc["images"]["visible"], r.as_dict())
        top = r.findings[0]
        assert (top.family, top.technique, top.zone) == (family, technique, "portrait"), sc["images"]["visible"]
        assert any(_overlaps(top.bbox, a["bbox"]) for a in sc["anomalies"])


def test_genuine_card_scans_and_phone_photos_stay_consistent(shipped_library_folder):
    cases = _library(shipped_library_folder)
    seen = {(sc["template"], sc["capture"]["kind"]) for _, sc in cases}
    assert seen == {(t, c) for t in CARDS for c in ("scan", "phone")}
    picked = {}
    for folder, sc in cases:
        picked.setdefault((sc["template"], sc["capture"]["kind"]), (folder, sc))
    for folder, sc in picked.values():
        r = _examine(folder, sc)
        assert r.verdict == "consistent", (sc["images"]["visible"], [(f.technique, f.zone) for f in r.findings])
        told = {u.feature: u for u in r.unexamined}
        assert "laser-engraving" not in told  # the IR image showed it
        # a lifting edge, bubbles under the film: light grazing the card shows them, not this picture
        body = {z.name for z in find_template(sc["template"]).zones if z.kind == "background"}
        assert told["lamination"].needs == "raking" and told["lamination"].zone in body


def test_without_ir_a_colour_print_is_still_found_and_the_engraving_is_left_to_the_officer(shipped_library_folder):
    genuine = _library(shipped_library_folder, captures=("phone",))[0]
    r = _examine(*genuine, ir=False)
    assert r.verdict == "consistent"
    told = {u.feature: u for u in r.unexamined}
    assert told["laser-engraving"].needs == "ir" and told["laser-engraving"].zone == "portrait"
    # an inkjet's dye photo is in colour: the straight-on picture shows it without IR
    inkjet = [(f, sc) for f, sc in _library(shipped_library_folder, technique="stolen-blank",
                                             captures=("flat", "scan", "phone"))
              if "inkjet" in sc["anomalies"][0]["note"]]
    assert inkjet
    r = _examine(*inkjet[0], ir=False)
    assert r.verdict == "suspect" and r.findings[0].technique == "stolen-blank", r.as_dict()


def _ev(check, technique, zone="portrait", value=1.0, family=None):
    family = family or {"stolen-blank": "personalization", "delamination": "substrate",
                        "wrong-substrate": "substrate", "photo-substitution": "personalization",
                        "ghost-image-mismatch": "personalization", None: "printing"}[technique]
    return Evidence(family, technique, zone, [0, 0, 10, 10], value, 0.5, 0.1, "m", check=check)


def test_what_a_printed_portrait_explains():
    model = reference_model(find_template("mrd-td1"))
    # a counterfeit body (it glows in UV) explains its printed photo: the body's finding stays alone
    hits = [_ev("engraving-ir", "stolen-blank"), _ev("uv-paper", "wrong-substrate", "card-front")]
    assert [e.check for e in _printed_portrait(hits, model)] == ["uv-paper"]
    # a photo swapped under the top film explains the ghost's other face; the stronger test speaks
    swapped = [_ev("engraving-ir", "delamination", value=1.2), _ev("engraving-colour", "delamination"),
               _ev("ghost", "ghost-image-mismatch", "ghost-portrait"), _ev("ghost-portrait", "photo-substitution"),
               _ev("design", None, "rosette")]
    assert [e.check for e in _printed_portrait(swapped, model)] == ["engraving-ir", "design"]
    # a stolen blank's printed data disturb the design under them: explained; the design elsewhere is not
    blank = [_ev("engraving-colour", "stolen-blank"), _ev("design", None, "surname"), _ev("design", None, "rosette")]
    assert [(e.check, e.zone) for e in _printed_portrait(blank, model)] == [("engraving-colour", "portrait"),
                                                                           ("design", "rosette")]
    untouched = [_ev("design", None, "surname")]
    assert _printed_portrait(untouched, model) == untouched


def test_where_a_swapped_photo_lies_names_the_fraud():
    ghost_differs = _ev("ghost-portrait", "photo-substitution")
    covered = _ev("portrait-overprint", "photo-substitution")
    assert _printed_portrait_kind(([], [])) == ("personalization", "stolen-blank")
    # the ghost shows another face, the film's overprint still crosses the photo: slipped under the film
    assert _printed_portrait_kind(([ghost_differs], [])) == ("substrate", "delamination")
    # ... and the overprint stops at the photo's edge: glued over the card
    assert _printed_portrait_kind(([ghost_differs, covered], [])) == ("personalization", "photo-substitution")
    below = _ev("portrait-overprint", "photo-substitution", value=0.4)  # under its threshold (0.5)
    assert _printed_portrait_kind(([ghost_differs, below], [])) == ("substrate", "delamination")


def test_a_colour_photograph_glued_over_a_cards_engraved_portrait_is_a_photo_substitution():
    from docexam.synth.face_render import render_portrait
    from docexam.synth.render import render_specimen

    card = render_specimen("mrd-td1", seed=3, capture="flat")
    x0, y0, x1, y1 = find_template("mrd-td1").zone("portrait").bbox
    page = card.images["visible"].copy()
    # another person's colour photograph cut to the portrait's size, glued over it
    page[y0:y1, x0:x1] = cv2.resize(render_portrait(77), (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    r = examine(page, "mrd-td1", uv=card.images["uv"])
    assert r.verdict == "suspect"
    top = r.findings[0]
    assert (top.family, top.technique, top.zone) == ("personalization", "photo-substitution", "portrait")
    assert "glued over" in top.message
    # the same card as issued is consistent (the photo is what the finding is about)
    assert examine(card.images["visible"], "mrd-td1", uv=card.images["uv"]).verdict == "consistent"
