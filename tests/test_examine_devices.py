"""Known answers of the device checks: what one picture shows of a kinegram or a watermark, and what it cannot."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from docexam.examine import examine
from docexam.examine.analyzers.print_process import band_gain
from docexam.examine.report import Evidence
from docexam.examine.steps import _tilt_ambiguous
from docexam.specimens.registry import find_template
from docexam.synth.render import render_specimen

KINEGRAM = [4087, 803, 4937, 1606]  # uto-td2's kinegram zone, template pixels


@pytest.fixture(scope="module")
def td2():
    """A genuine TD2 card, flat capture (front and back on one sheet)."""
    return render_specimen("uto-td2", seed=11, capture="flat").images["visible"]


def _grey_foil(img: np.ndarray) -> np.ndarray:
    """The kinegram replaced by plain grey metal of the same brightness (a flat foil)."""
    out = img.copy()
    x0, y0, x1, y1 = KINEGRAM
    zone = out[y0:y1, x0:x1].astype(np.float32)
    ref = img[y0 - 40:y0 - 10, x0:x1].astype(np.float32).mean(axis=(0, 1))
    device = np.abs(zone - ref).sum(axis=2) > 30  # the foil, not the paper around it
    grey = zone.mean(axis=2, keepdims=True)
    out[y0:y1, x0:x1] = np.where(device[..., None], grey, zone).astype(np.uint8)
    return out


def _angled(img: np.ndarray, *, squeeze: float) -> np.ndarray:
    """The picture seen at an angle: the right edge ``squeeze`` shorter than the left."""
    h, w = img.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    d = squeeze * h / 2
    dst = np.float32([[0, 0], [w, d], [w, h - d], [0, h]])
    return cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=(90, 90, 90))


def test_band_gain_sees_fine_lines_lost():
    lines = (np.sin(np.arange(96) * 1.9)[None, :] * np.ones((96, 1))).astype(np.float32) * 0.2 + 0.5
    kept, resolved = band_gain(lines, lines)
    assert kept == pytest.approx(1.0, abs=1e-6) and resolved > 100
    blurred = cv2.GaussianBlur(lines, (0, 0), 1.5)  # a copy: the lines are gone
    assert band_gain(blurred, lines)[0] < 0.05


def test_a_genuine_card_lists_its_tilt_features_as_not_examined(td2):
    r = examine(td2, "uto-td2")
    assert r.verdict == "consistent", [(f.technique, f.zone) for f in r.findings]
    d = r.as_dict()
    got = {(u["zone"], u["needs"]): u for u in d["unexamined"]}
    # no IR image given: the portrait's laser engraving is left to the officer too, and the card's lamination;
    # and, as on every document, the portrait against the person presenting it
    assert set(got) == {("kinegram", "tilt"), ("colour-shift", "tilt"), ("portrait", "ir"), ("card-front", "raking"),
                        ("portrait", "presenter")}
    got = {zone: u for (zone, needs), u in got.items() if needs != "presenter"}
    assert got["kinegram"]["bbox"] == KINEGRAM
    assert got["kinegram"]["message"].startswith("Tilt the document")


def test_a_flat_foil_is_found_straight_on_and_left_open_at_an_angle(td2):
    foil = _grey_foil(td2)
    r = examine(foil, "uto-td2")
    assert r.verdict == "suspect" and r.findings[0].technique == "flat-foil" and r.findings[0].zone == "kinegram"
    # at an angle a genuine kinegram can look grey too (it diffracts away from the lens): one picture cannot tell
    angled = examine(_angled(foil, squeeze=0.2), "uto-td2")
    assert angled.verdict == "inconclusive" and not angled.findings, angled.as_dict()
    assert "Tilt the document" in angled.reason and "kinegram" in angled.reason
    assert angled.score >= 0.5  # it still ranks above genuine documents
    genuine_angled = examine(_angled(td2, squeeze=0.2), "uto-td2")
    assert genuine_angled.verdict == "consistent", genuine_angled.as_dict()


def test_a_difference_on_a_device_alone_is_undecided_and_explained_by_its_own_check():
    tpl = SimpleNamespace(template=find_template("uto-td2"))
    design = Evidence("printing", None, "kinegram", KINEGRAM, 20, 8, 1, "m", check="design")
    field = Evidence("personalization", "data-alteration", "surname", [850, 345, 2362, 430], 2, 1, 0.1, "m",
                     check="typography")
    assert _tilt_ambiguous([design, field], tpl) == ([field], [design])
    own = Evidence("printing", "flat-foil", "kinegram", KINEGRAM, 0.9, 0.55, 0.06, "m", check="device-colour")
    assert _tilt_ambiguous([design, own], tpl) == ([own], [])
    # the same difference outside a device is evidence as usual
    band = Evidence("printing", None, "guilloche-band", [0, 194, 2480, 274], 20, 8, 1, "m", check="design")
    assert _tilt_ambiguous([band], tpl) == ([band], [])
