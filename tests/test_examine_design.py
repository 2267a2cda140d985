"""Known answers of the design comparison's combined signatures (docexam.examine.deviation, analyzers.design).

A solvent or a blade lifts ink: where it did, the print is at once lighter
and its fine lines fainter. A reprint rebuilds the line work from another
process's marks: the lines fainter, foreign texture added. Faintly done,
each moves every measurement too little to pass the anomaly's threshold
alone; together they stand out.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from docexam.examine import examine
from docexam.examine.analyzers import design
from docexam.examine.analyzers.design import FAINT_WASH_CHECK
from docexam.examine.deviation import Deviations
from docexam.specimens.registry import find_template
from docexam.synth.render import render_specimen


def _deviations(structure, brightness=None, texture=None) -> Deviations:
    z = np.zeros((5, 1, len(structure)), np.float32)
    z[0, 0] = structure
    if brightness is not None:
        z[2, 0] = brightness
    if texture is not None:
        z[1, 0] = texture
    return Deviations(z, np.ones_like(z), z.copy())


def test_erasure_is_lighter_and_fainter_at_once():
    dev = _deviations(structure=[-2.0, -2.0, 0.0, 1.0, -3.0], brightness=[2.0, 0.0, 3.0, 3.0, -1.0])
    # both moved the lifted ink's way: combined; one alone, or either the other way: nothing
    np.testing.assert_allclose(dev.erasure[0], [4 / np.sqrt(2), 0, 0, 0, 0], rtol=1e-6)
    dev.weights[2, 0, 0] = 0  # no colour measured in the cell: not judged
    assert dev.erasure[0, 0] == 0


def test_a_reprint_has_fainter_lines_and_foreign_texture_at_once():
    dev = _deviations(structure=[-3.0, -3.0, 0.0, 2.0, -1.0], texture=[2.0, 0.0, 3.0, 3.0, -2.0])
    np.testing.assert_allclose(dev.reprint[0], [5 / np.sqrt(2), 0, 0, 0, 0], rtol=1e-6)
    dev.weights[1, 0, 0] = 0
    assert dev.reprint[0, 0] == 0


@pytest.fixture(scope="module")
def genuine():
    return render_specimen("uto-td3", seed=33, capture="flat")


def _washed(image: np.ndarray, box, lift: float, seed: int = 0) -> np.ndarray:
    """Ink lifted toward the paper by ``lift`` inside an irregular, soft-edged patch of ``box`` (template pixels)."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = box
    cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    angles = np.sort(rng.uniform(0, 2 * np.pi, 14))
    radius = 1 - 0.25 * rng.random(14)
    outline = np.c_[cx + rx * radius * np.cos(angles), cy + ry * radius * np.sin(angles)]
    patch = np.zeros(image.shape[:2], np.float32)
    cv2.fillPoly(patch, [np.round(outline).astype(np.int32)], 1.0)
    patch = cv2.GaussianBlur(patch, (0, 0), 3)[..., None] * lift
    paper = np.percentile(image.reshape(-1, 3), 95, axis=0).astype(np.float32)
    out = image.astype(np.float32)
    return np.clip(out + (paper - out) * patch, 0, 255).astype(np.uint8)


def test_a_faint_wash_on_the_design_is_found_where_it_is(genuine):
    zone = find_template("uto-td3").zone("guilloche-band")
    x0, y0, x1, y1 = zone.bbox
    box = [x0 + (x1 - x0) // 4, y0, x0 + (x1 - x0) // 2, y1]  # a quarter of the band, its whole height
    r = examine(_washed(genuine.images["visible"], box, lift=0.2), "uto-td3")
    assert r.verdict == "suspect", [(e.check, e.zone, round(e.score, 2)) for e in r.evidence if e.score > 0.2]
    found = r.findings[0]
    assert (found.family, found.technique, found.zone) == ("substrate", "erasure", "guilloche-band")
    assert found.bbox[0] < box[2] and box[0] < found.bbox[2]


def test_the_genuine_page_is_not_washed(genuine):
    r = examine(genuine.images["visible"], "uto-td3")
    assert r.verdict == "consistent" and not r.findings


def test_a_wash_too_faint_to_be_a_finding_raises_the_score_where_it_is(genuine):
    # the same wash as above, fainter and on an eighth of the band: each measurement and the combined signature
    # stay below a finding's threshold, yet the document's score rises above the genuine page's, at that place,
    # and the print-process check does not take it for a place to look at
    zone = find_template("uto-td3").zone("guilloche-band")
    x0, y0, x1, y1 = zone.bbox
    box = [x0 + (x1 - x0) // 4, y0, x0 + (x1 - x0) // 4 + (x1 - x0) // 8, y1]
    plain = examine(genuine.images["visible"], "uto-td3")
    r = examine(_washed(genuine.images["visible"], box, lift=0.16), "uto-td3")
    assert r.verdict == "consistent" and not r.findings
    faint = [e for e in r.evidence if e.check == FAINT_WASH_CHECK]
    assert faint and max(e.score for e in faint) < 0.5
    strongest = max(faint, key=lambda e: e.score)
    assert (strongest.family, strongest.technique, strongest.zone) == ("substrate", "erasure", "guilloche-band")
    assert strongest.bbox[0] < box[2] and box[0] < strongest.bbox[2]
    assert r.score >= plain.score + 0.1
    assert not [e for e in r.evidence if e.check == "print-process"]


def _reprinted(image: np.ndarray, box, *, blur: float, grain: float, seed: int = 0) -> np.ndarray:
    """``box`` reprinted from a soft copy: the line work blurred by ``blur`` px, a toner's fine grain of ``grain``."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = box
    out = image.astype(np.float32)
    patch = cv2.GaussianBlur(out[y0:y1, x0:x1], (0, 0), blur)
    specks = cv2.GaussianBlur(rng.standard_normal(patch.shape[:2]).astype(np.float32), (0, 0), 1.2)
    out[y0:y1, x0:x1] = patch + (grain * specks / specks.std())[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def test_a_faint_reprint_is_found_by_its_two_signs_together(genuine, monkeypatch):
    zone = find_template("uto-td3").zone("guilloche-band")
    x0, y0, x1, y1 = zone.bbox
    box = [x0 + (x1 - x0) // 4, y0, x0 + (x1 - x0) // 2, y1]
    image = _reprinted(genuine.images["visible"], box, blur=1.5, grain=2.0)
    r = examine(image, "uto-td3")
    assert r.verdict == "suspect", [(e.check, e.zone, round(e.score, 2)) for e in r.evidence if e.score > 0.2]
    found = r.findings[0]
    assert (found.family, found.zone) == ("printing", "guilloche-band")
    assert found.bbox[0] < box[2] and box[0] < found.bbox[2]
    # each sign alone stays below its threshold: without the combined signature the page passes
    monkeypatch.setattr(design, "REPRINT_Z", float("inf"))
    assert examine(image, "uto-td3").verdict == "consistent"


def _halftoned_lighter(image: np.ndarray, box, *, lift: float, period: float = 6.0) -> np.ndarray:
    """``box`` reprinted lighter on a colour printer: its colours lifted toward the paper by ``lift``, then rebuilt
    from the dots of a 45-degree clustered screen of ``period`` px per ink (C, M, Y from the R, G, B coverage)."""
    x0, y0, x1, y1 = box
    out = image.astype(np.float32)
    paper = np.percentile(out.reshape(-1, 3), 95, axis=0)
    patch = out[y0:y1, x0:x1]
    patch = patch + (paper - patch) * lift
    coverage = np.clip(1 - patch / paper, 0, 1)  # each channel's ink coverage
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    u, v = (xx + yy) / np.sqrt(2), (xx - yy) / np.sqrt(2)
    screen = (np.cos(2 * np.pi * u / period) + np.cos(2 * np.pi * v / period)) / 4 + 0.5  # 0..1, dots grow from 1
    dots = coverage > (1 - screen)[..., None]
    printed = np.where(dots, paper * 0.2, paper)
    out[y0:y1, x0:x1] = cv2.GaussianBlur(printed, (0, 0), 0.7)
    return np.clip(out, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def band_quarter():
    zone = find_template("uto-td3").zone("guilloche-band")
    x0, y0, x1, y1 = zone.bbox
    return [x0 + (x1 - x0) // 4, y0, x0 + (x1 - x0) // 2, y1]


@pytest.fixture(scope="module")
def halftoned(genuine, band_quarter):
    return examine(_halftoned_lighter(genuine.images["visible"], band_quarter, lift=0.45), "uto-td3")


def test_lighter_print_rebuilt_from_dots_was_reprinted_not_washed(genuine, band_quarter, halftoned):
    # lighter print with fainter lines is what a solvent leaves, but a solvent adds nothing: where the lighter
    # lines are made of a printer's dots, the place was reprinted; the wash of the same place stays an erasure
    r, box = halftoned, band_quarter
    assert r.verdict == "suspect", [(e.check, e.zone, round(e.score, 2)) for e in r.evidence if e.score > 0.2]
    found = r.findings[0]
    assert (found.family, found.zone) == ("printing", "guilloche-band"), r.findings[:2]
    assert found.bbox[0] < box[2] and box[0] < found.bbox[2]
    design_says = {(e.family, e.zone) for e in r.evidence if e.check == "design" and e.score >= 0.5}
    assert design_says == {("printing", "guilloche-band")}
    washed = examine(_washed(genuine.images["visible"], box, lift=0.45), "uto-td3").findings[0]
    assert (washed.family, washed.technique, washed.zone) == ("substrate", "erasure", "guilloche-band")


def test_a_patch_reprinted_on_one_zone_is_not_a_whole_page_reproduction(halftoned):
    # a quarter of the band rebuilt from dots lowers the fine-print match of the few tiles it covers; the page's
    # match is that of the tiles which match best, so the page is not called reproduced (the design check places
    # the patch, above)
    assert not [e for e in halftoned.evidence if e.check in ("reproduction", "design-page") and e.score >= 0.5]
