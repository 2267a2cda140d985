"""What officers meet: the newer templates and frauds, checked on the rendered pixels.

The visa pages (stamps, visa sticker, perforation), transmitted light
(watermark, thread, printed watermark), optically variable devices (tilt
views of the genuine device and of its imitations), stolen blanks (IR and
raking light), the impostor's photo at the counter.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from docexam.mrz.text import parse
from docexam.specimens.registry import find_template
from docexam.specimens.techniques import TECHNIQUES
from docexam.synth.designs import DESIGNS
from docexam.synth.render import render_specimen
from docexam.synth.visa import CONTRADICTIONS, Crossing, problems

NEW = ("impostor", "flat-foil", "printed-ovd", "printed-watermark", "stolen-blank", "counterfeit-stamp",
       "stamp-date-contradiction", "page-substitution", "counterfeit-visa")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def made():
    cache = {}

    def get(template, forge=None, severity=0.5, **kw):
        key = (template, forge, severity, tuple(sorted(kw.items())))
        if key not in cache:
            cache[key] = render_specimen(template, seed=7, forge=forge, severity=severity, **kw)
        return cache[key]
    return get


def _f(img):
    return np.asarray(img, np.float32) / 255.0


def test_the_new_techniques_are_catalogued_with_substrates_and_what_they_need():
    for name in NEW:
        t = TECHNIQUES[name]
        assert t.substrates and t.as_dict()["substrates"]
        # each can happen on at least one shipped template, and not on every one
        fits = [tid for tid, d in DESIGNS.items() if t.applies_to(d.substrate, d.has)]
        assert fits, name
        assert name == "impostor" or len(fits) < len(DESIGNS), name   # an impostor needs only a portrait
    assert not TECHNIQUES["flat-foil"].single_image and TECHNIQUES["counterfeit-stamp"].single_image
    assert not TECHNIQUES["ghost-image-mismatch"].applies_to("paper", DESIGNS["uto-visa"].has)


@pytest.mark.parametrize("template, fmt", [("mrd-td3", "TD3"), ("uto-td2", "TD2"), ("uto-visa", "MRV-A")])
def test_new_templates_have_valid_mrz_and_their_lights(made, template, fmt):
    tpl = find_template(template)
    r = made(template)
    p = parse(r.sidecar["mrz"])
    assert p.format == fmt and p.valid, r.sidecar["mrz"]
    assert set(tpl.lights) == set(r.images)            # every light the template has, and only those
    assert r.images["visible"].shape[:2] == (tpl.height, tpl.width)
    assert not r.sidecar["anomalies"]


def test_visa_page_tells_a_consistent_journey_and_a_forged_one_does_not(made):
    genuine = made("uto-visa").sidecar["holder"]
    assert genuine["nationality"] == "UTO" and genuine["visa_number"].startswith("MV")
    bad = made("uto-visa", "stamp-date-contradiction")
    (a,) = bad.sidecar["anomalies"]
    assert a["zone"] == "stamps" and CONTRADICTIONS[a["contradiction"]] in a["note"]
    # the stamps in the box are where the pixels changed from the genuine page
    x0, y0, x1, y1 = a["bbox"]
    assert x1 - x0 > 50 and y1 - y0 > 50


def test_counterfeit_stamp_is_annotated_on_its_own_stamp(made):
    r = made("uto-visa", "counterfeit-stamp", severity=0.9)
    (a,) = r.sidecar["anomalies"]
    g, f = _f(made("uto-visa").images["visible"]), _f(r.images["visible"])
    x0, y0, x1, y1 = a["bbox"]
    inside = np.abs(g[y0:y1, x0:x1] - f[y0:y1, x0:x1]).mean()
    outside = np.abs(g - f).mean()
    assert inside > 3 * outside and ("typeface" in a["note"] or "format" in a["note"] or "ink" in a["note"]
                                     or "smaller" in a["note"] or "larger" in a["note"])


def test_watermark_shows_against_the_lamp_and_a_printed_one_on_the_desk(made):
    tpl = find_template("uto-td3")
    x0, y0, x1, y1 = tpl.zone("watermark").bbox
    genuine, printed = made("uto-td3"), made("uto-td3", "printed-watermark", severity=0.8)
    gt, pt = _f(genuine.images["transmitted"]).mean(axis=2), _f(printed.images["transmitted"]).mean(axis=2)
    gv, pv = _f(genuine.images["visible"]).mean(axis=2), _f(printed.images["visible"]).mean(axis=2)
    zone_t, zone_pt = gt[y0:y1, x0:x1], pt[y0:y1, x0:x1]
    # genuine: thinner pulp shines brighter than the paper around; the printed one never does
    around = np.median(gt[y0:y1, x1:x1 + 100])
    assert np.percentile(zone_t, 99) > around + 0.05
    assert np.percentile(zone_pt, 99) < np.percentile(zone_t, 99) - 0.03
    # on the desk: the printed picture is there, the genuine watermark hardly
    assert np.abs(pv[y0:y1, x0:x1] - gv[y0:y1, x0:x1]).mean() > 0.01
    # the thread: a dark band against the lamp in the genuine page only
    tx0, _, tx1, _ = tpl.zone("thread").bbox
    assert gt[:, tx0:tx1].mean() < gt[:, tx1 + 20:tx1 + 60].mean() - 0.05
    assert abs(pt[:, tx0:tx1].mean() - pt[:, tx1 + 20:tx1 + 60].mean()) < 0.04


def test_perforated_number_shines_through_the_visa_pages(made):
    tpl = find_template("uto-visa")
    t = _f(made("uto-visa").images["transmitted"]).mean(axis=2)
    holes = t > 0.97                               # the lamp itself
    for zone in ("perforation", "perforation-left"):  # the number goes through both pages
        x0, y0, x1, y1 = tpl.zone(zone).bbox
        assert holes[y0:y1, x0:x1].sum() > 50
        holes[y0:y1, x0:x1] = False
    assert holes.sum() < 10                        # nowhere else: the watermark's light tones are paper


def _views(r, zone):
    return [np.asarray(v, np.float32) for k, v in sorted(r.extras.items()) if k.startswith(f"tilt.{zone}.")]


def test_a_genuine_device_changes_with_the_tilt_and_imitations_do_not(made):
    genuine = _views(made("mrd-td3"), "kinegram")
    assert len(genuine) == 5 and made("mrd-td3").sidecar["views"]["tilt"][0]["angle"] == -30
    change = np.mean([np.abs(genuine[i] - genuine[i + 1]).mean() for i in range(4)])
    for forge in ("flat-foil", "printed-ovd"):
        r = made("mrd-td3", forge)
        zone = r.sidecar["anomalies"][0]["zone"]
        fake = _views(r, zone)
        fake_change = np.mean([np.abs(fake[i] - fake[i + 1]).mean() for i in range(4)])
        assert fake_change < 0.3 * change, (forge, fake_change, change)


def test_stolen_blank_shows_in_ir_and_raking_light(made):
    tpl = find_template("uto-td2")
    x0, y0, x1, y1 = tpl.zone("portrait").bbox
    genuine, stolen = made("uto-td2"), made("uto-td2", "stolen-blank", severity=0.8)
    g_ir, s_ir = _f(genuine.images["ir"])[y0:y1, x0:x1], _f(stolen.images["ir"])[y0:y1, x0:x1]
    assert g_ir.std() > 2 * s_ir.std()           # the engraved face stays in IR, the dye face fades
    def relief(r):  # slopes of the surface, not the grain of the plastic
        v = cv2.GaussianBlur(np.asarray(r.extras["raking.portrait.jpg"], np.float32).mean(axis=2), (0, 0), 2.0)
        return np.abs(np.diff(v, axis=1)).mean()
    assert stolen.sidecar["views"]["raking"][0]["zone"] == "portrait"
    if "inkjet" in stolen.sidecar["anomalies"][0]["note"]:
        assert relief(stolen) < 0.7 * relief(genuine)
    else:  # a thermal ribbon stands proud of the surface
        assert relief(stolen) != relief(genuine)


def test_impostor_document_is_genuine_and_its_traveller_is_someone_else(made):
    r = made("uto-td3", "impostor")
    (a,) = r.sidecar["anomalies"]
    t = r.sidecar["traveller"]
    assert a["zone"] == "portrait" and t["same_person"] is False and t["differences"]
    assert r.extras["traveller.jpg"].shape == (600, 480, 3)
    # the document itself is the genuine one: only the traveller differs
    assert np.array_equal(r.images["visible"], made("uto-td3").images["visible"])
    own = made("uto-td3", traveller=True)
    assert own.sidecar["traveller"]["same_person"] is True and not own.sidecar["anomalies"]


def test_problems_reads_only_dates():
    visa = {"valid_from": "2026-01-01", "date_of_expiry": "2026-03-31", "duration_of_stay": "15"}
    trip = [Crossing("UTO", "exit", "2026-01-05"), Crossing("MRD", "entry", "2026-01-05"),
            Crossing("MRD", "exit", "2026-01-25"), Crossing("UTO", "entry", "2026-01-25")]
    assert problems(trip, visa) == ["beyond-stay"]
