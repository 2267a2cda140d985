"""Known answers of the booklet checks (docexam.examine.analyzers.booklet) on the visa pages.

A page from another booklet is found by what binds a spread: the print
across the fold, the page numbers, the perforated number (here also on
pages forged in the test itself, not by docexam's forgers). Border stamps
cannot be judged from one picture: a visa page carrying them is
``inconclusive``, with the stamps listed for the officer.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from docexam.examine import examine
from docexam.examine.model import reference_model
from docexam.specimens.registry import find_template
from docexam.synth.render import render_specimen

from test_examine import SEEDS, _examine, _overlaps


@pytest.fixture(scope="module")
def genuine():
    return render_specimen("uto-visa", seed=21, capture="flat")


def test_a_genuine_visa_page_is_never_suspect_and_its_stamps_are_left_to_the_officer(genuine):
    r = _examine(genuine)
    assert r.verdict == "inconclusive" and not r.findings, [(f.technique, f.zone) for f in r.findings]
    assert "border stamps" in r.reason and "specimen stamp" in r.reason
    stamps = [u for u in r.as_dict()["unexamined"] if u["zone"] == "stamps"]
    assert len(stamps) == 1 and stamps[0]["needs"] == "reference" and stamps[0]["feature"] == "stamps"
    assert stamps[0]["message"].startswith("Compare each stamp")
    # the ink's extent: inside the stamps zone, around the four stamps
    zone = find_template("uto-visa").zone("stamps").bbox
    x0, y0, x1, y1 = stamps[0]["bbox"]
    assert zone[0] <= x0 < x1 <= zone[2] and zone[1] <= y0 < y1 <= zone[3] and (x1 - x0) > (zone[2] - zone[0]) / 2
    checks = {e.check: e for e in r.evidence if e.check in ("perforation", "fold", "page-number")}
    assert set(checks) == {"perforation", "fold", "page-number"} and all(e.score < 0.1 for e in checks.values())


def test_a_page_without_stamps_is_consistent():
    blank = reference_model(find_template("uto-visa")).full["visible"].copy()
    r = examine(blank, "uto-visa")
    assert r.verdict == "consistent" and not r.reason
    assert "stamps" not in {u.zone for u in r.unexamined}


@pytest.mark.parametrize("technique", ["counterfeit-stamp", "stamp-date-contradiction"])
def test_forged_stamps_are_inconclusive_with_the_stamps_listed_not_consistent(technique):
    rendered = render_specimen("uto-visa", seed=SEEDS[technique], capture="flat", forge=technique, severity=0.8)
    r = _examine(rendered)
    assert r.verdict == "inconclusive" and r.reason and not r.findings
    told = [u for u in r.unexamined if u.zone == "stamps"]
    assert told and all(_overlaps(told[0].bbox, t["bbox"]) for t in rendered.sidecar["anomalies"])


def test_a_page_of_another_booklet_numbered_otherwise_is_found_with_its_perforation_kept():
    # severity 0.3: the foreign page carries a perforated number (another passport's), and a shifted underprint
    rendered = render_specimen("uto-visa", seed=SEEDS["page-substitution"], capture="flat",
                               forge="page-substitution", severity=0.3)
    r = _examine(rendered)
    assert r.verdict == "suspect" and r.findings[0].technique == "page-substitution"
    assert {f.family for f in r.findings} == {"substrate"}  # the foreign page explains its reprinted look
    left = find_template("uto-visa").zone("page-left").bbox
    assert _overlaps(r.findings[0].bbox, left) and r.findings[0].zone in ("page-left", "page-number-left")
    assert {"fold", "page-number", "perforation"} <= {e.check for e in r.evidence if e.score >= 0.5}
    # another passport's number: which page is foreign the holes alone cannot tell, both are named
    assert {f.zone for f in r.findings if "mirror image" in f.message} == {"perforation", "perforation-left"}


def test_a_left_page_shifted_by_another_forger_breaks_the_print_across_the_fold(genuine):
    # a leaf of another booklet whose underprint run sits 1.5 mm further along: the page cut and shifted
    tpl = find_template("uto-visa")
    img = genuine.images["visible"].copy()
    x1 = tpl.zone("page-left").bbox[2]
    shift = int(round(1.5 / 25.4 * tpl.dpi))
    img[:, shift:x1] = genuine.images["visible"][:, :x1 - shift]
    r = examine(img, "uto-visa")
    assert r.verdict == "suspect", [(e.check, e.zone, round(e.score, 2)) for e in r.evidence if e.score > 0.3]
    fold = next(f for f in r.findings if f.zone == "page-left")
    shift_mm = float(fold.message.split(" mm out of line")[0].rsplit(" ", 1)[1])
    assert fold.technique == "page-substitution" and abs(shift_mm - 1.5) <= 0.2


def test_a_page_whose_perforation_was_left_out_is_found_on_that_page(genuine):
    # the right page without its holes: the genuine page's paper pasted where they were
    tpl = find_template("uto-visa")
    img = genuine.images["visible"].copy()
    x0, y0, x1, y1 = tpl.zone("perforation").bbox
    img[y0:y1, x0:x1] = reference_model(tpl).full["visible"][y0:y1, x0:x1]
    r = examine(img, "uto-visa")
    perforation = [f for f in r.findings if f.technique == "page-substitution"]
    assert r.verdict == "suspect" and [f.zone for f in perforation] == ["perforation"], r.as_dict()["findings"]
    assert "right page has no perforated" in perforation[0].message


# --------------------------------------------------------------------------
# a spread no single pose fits: each page is aligned on its own

MARGIN = 150  # the table around the open booklet, pixels
TABLE = (200, 190, 180)


def _left_leaf_moved(genuine, move) -> np.ndarray:
    """The genuine flat spread on a table, its left leaf moved by ``move(x, y) -> (x', y')`` (template pixels).

    ``move`` is applied to the leaf's four corners; the leaf is warped by
    the homography through them and drawn over the table.
    """
    tpl = find_template("uto-visa")
    img = cv2.copyMakeBorder(genuine.images["visible"], MARGIN, MARGIN, MARGIN, MARGIN, cv2.BORDER_CONSTANT,
                             value=TABLE)
    x0, y0, x1, y1 = (v + MARGIN for v in tpl.zone("page-left").bbox)
    corners = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    m = cv2.getPerspectiveTransform(corners, np.float32([move(x, y) for x, y in corners]))
    h, w = img.shape[:2]
    leaf = np.zeros((h, w), np.uint8)
    leaf[y0:y1, x0:x1] = 255
    moved, where = cv2.warpPerspective(img, m, (w, h)), cv2.warpPerspective(leaf, m, (w, h)) > 127
    out = img.copy()
    out[y0:y1, x0:x1] = TABLE
    out[where] = moved[where]
    return out


@pytest.mark.parametrize("degrees", [12, 30])
def test_a_genuine_leaf_lifted_at_the_fold_is_not_taken_for_a_foreign_page(genuine, degrees):
    """The left page lifted about the fold toward a camera 3 page-widths above: it is foreshortened, the fold stays."""
    fold = MARGIN + find_template("uto-visa").zone("page-left").bbox[2]
    h, w = genuine.images["visible"].shape[:2]
    centre, distance, angle = np.array([w / 2 + MARGIN, h / 2 + MARGIN]), 3.0 * w, np.radians(degrees)

    def lift(x, y):
        d = fold - x  # from the fold, across the page
        near = distance / (distance - d * np.sin(angle))  # the lifted edge is nearer the camera
        return centre + (np.array([fold - d * np.cos(angle), y]) - centre) * near

    r = examine(_left_leaf_moved(genuine, lift), "uto-visa")
    assert "page-left" in r.registration["pages"]  # (steeply lifted, no one pose fits: every page on its own)
    assert r.verdict == "inconclusive" and not r.findings, [(f.technique, f.zone, round(f.score, 2)) for f in r.findings]
    fold_check = next(e for e in r.evidence if e.check == "fold")
    assert fold_check.score < 0.3
