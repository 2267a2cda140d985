"""A trainer's template made from a *personalised* genuine document: known answers.

The reference is a genuine Utopia passport page with its holder's portrait,
data and MRZ (a docexam render, at 300 dpi), registered with
``add_template`` as a trainer would register a real specimen (so nothing of
docexam's own design knowledge is used: ``"synthetic": false``). Then:

* a genuine page of *another* holder, scanned, is ``consistent``;
* the registration image itself is ``consistent``;
* the surname washed off and retyped in DejaVu Serif (the issuer prints in a
  sans-serif the examination does not know) is ``suspect``, with a
  data-alteration finding on the surname;
* another photograph glued over the portrait, covering the security
  overprint that crosses the portrait's edge (the template is registered
  without its ghost image, so only the crossing design can tell), is
  ``suspect`` with a photo-substitution finding on the portrait.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docexam.authoring import add_template
from docexam.examine import examine
from docexam.paths import font_path, shipped_templates_dir
from docexam.specimens.model import load_template
from docexam.synth.capture import simulate_capture
from docexam.synth.portrait import render_portrait
from docexam.synth.render import render_specimen

SHRINK = 2  # the shipped 600 dpi design at 300 dpi: lighter tests


def _small(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    return cv2.resize(rgb, (w // SHRINK, h // SHRINK), interpolation=cv2.INTER_AREA)


@pytest.fixture(scope="module")
def personal(tmp_path_factory):
    """(template, its reference image, shipped zones scaled) registered in a module-wide DOCEXAM_HOME."""
    home = tmp_path_factory.mktemp("personal-home")
    shipped = load_template(shipped_templates_dir() / "uto-td3")
    reference = _small(render_specimen("uto-td3", seed=314, capture="flat").images["visible"])
    w, h = reference.shape[1], reference.shape[0]
    zones = [{"name": z.name, "kind": z.kind, "bbox": [min(v // SHRINK, lim) for v, lim in zip(z.bbox, (w, h, w, h))]}
             for z in shipped.zones if z.kind != "ghost-portrait"]
    added = add_template(template_id="uto-personal", name="Utopia, personalised", fmt="TD3", visible=reference,
                         zones=zones, dpi=300, home=home)
    return added, reference, {z["name"]: z["bbox"] for z in zones}, home


@pytest.fixture
def in_home(personal, monkeypatch):
    monkeypatch.setenv("DOCEXAM_HOME", str(personal[3]))
    return personal


def test_the_template_learned_from_its_personalised_reference(in_home):
    added = in_home[0]
    assert added.template.synthetic is False
    assert added.learned["portrait_crossing_px"] > 0  # the overprint across the portrait's edge
    assert added.learned["glyphs"] >= 20  # the issuer's glyphs from the reference's own fields
    assert added.learned["mrz"] == "read"


def test_registration_image_and_another_holders_scan_are_consistent(in_home):
    added, reference, _, _ = in_home
    assert examine(reference, added.template).verdict == "consistent"
    other = _small(render_specimen("uto-td3", seed=2718, capture="flat").images["visible"])
    scan = simulate_capture({"visible": other}, kind="scan", seed=11, dpi=300).images["visible"]
    report = examine(scan, added.template)
    assert report.verdict == "consistent", [(f.technique, f.zone, round(f.score, 2)) for f in report.findings]


def _retype(image: np.ndarray, box, text: str, font_name: str, *, size: float = 1.0, colour=(25, 25, 25)) -> np.ndarray:
    """Wash the field's ink off (inpainting from around it) and print ``text`` on the same baseline.

    ``size``: the new capitals' height over the washed ones'; ``colour``: the new print's RGB.
    """
    x0, y0, x1, y1 = box
    crop = image[y0:y1, x0:x1]
    lum = crop.mean(axis=2)
    background = cv2.morphologyEx(lum, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    ink = ((background - lum) > 50).astype(np.uint8)
    # the value's characters: the tallest blobs (the box also holds bits of the label above and the line below)
    stats = cv2.connectedComponentsWithStats(ink, connectivity=8)[2][1:]
    tall = stats[stats[:, cv2.CC_STAT_HEIGHT] >= 0.6 * np.percentile(stats[:, cv2.CC_STAT_HEIGHT], 90)]
    tall = tall[tall[:, cv2.CC_STAT_HEIGHT] < 0.9 * (y1 - y0)]
    cap = int(np.median(tall[:, cv2.CC_STAT_HEIGHT]))
    baseline = int(np.median(tall[:, cv2.CC_STAT_TOP] + tall[:, cv2.CC_STAT_HEIGHT]))
    out = image.copy()
    out[y0:y1, x0:x1] = cv2.inpaint(crop, cv2.dilate(ink, np.ones((5, 5), np.uint8)), 3, cv2.INPAINT_TELEA)
    probe = ImageFont.truetype(str(font_path(font_name)), 100)
    top, bottom = probe.getbbox("H")[1], probe.getbbox("H")[3]
    fnt = ImageFont.truetype(str(font_path(font_name)), int(round(100 * size * cap / (bottom - top))))
    canvas = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(canvas).text((int(np.nonzero(ink.sum(axis=0))[0].min()), baseline), text, font=fnt, fill=255,
                                anchor="ls")
    cov = cv2.GaussianBlur(np.asarray(canvas, np.float32) / 255, (0, 0), 0.5)[..., None]
    region = out[y0:y1, x0:x1].astype(np.float32)
    out[y0:y1, x0:x1] = (region * (1 - cov) + np.float32(colour) * cov).astype(np.uint8)
    return out


def test_a_field_retyped_in_another_font_is_caught(in_home):
    added, reference, boxes, _ = in_home
    forged = _retype(reference, boxes["surname"], "KARLSSON", "DejaVuSerif.ttf")
    scan = simulate_capture({"visible": forged}, kind="scan", seed=5, dpi=300).images["visible"]
    report = examine(scan, added.template)
    assert report.verdict == "suspect"
    hits = [f for f in report.findings if f.zone == "surname"]
    assert hits and hits[0].family == "personalization" and hits[0].technique == "data-alteration", report.findings


def test_a_field_retyped_smaller_in_the_issuers_own_typeface_is_caught(in_home):
    added, reference, boxes, _ = in_home
    # a date in the issuer's own typeface (DejaVu Sans): only the characters' size is not the issuer's
    forged = _retype(reference, boxes["date-of-birth"], "13 MAY 1987", "DejaVuSans.ttf", size=0.75)
    scan = simulate_capture({"visible": forged}, kind="scan", seed=5, dpi=300).images["visible"]
    report = examine(scan, added.template)
    assert report.verdict == "suspect"
    hits = [f for f in report.findings if f.zone == "date-of-birth"]
    assert hits and hits[0].technique == "data-alteration", report.findings
    sized = [e for e in report.evidence if e.check == "field-geometry" and e.zone == "date-of-birth"]
    assert sized and sized[0].score >= 0.5
    # the genuine fields stay within their own size
    assert all(e.score < 0.5 for e in report.evidence if e.check == "field-geometry" and e.zone != "date-of-birth")


def test_a_field_retyped_in_the_issuers_typeface_in_another_ink_is_caught(in_home):
    added, reference, boxes, _ = in_home
    # the issuer's own typeface and size, in a dark blue ink where the issuer prints near-black: only the ink's
    # hue tells (its density alone is within what a capture's blur does to thin strokes)
    forged = _retype(reference, boxes["date-of-birth"], "13 MAY 1987", "DejaVuSans.ttf", colour=(30, 45, 120))
    scan = simulate_capture({"visible": forged}, kind="scan", seed=5, dpi=300).images["visible"]
    report = examine(scan, added.template)
    assert report.verdict == "suspect", [(e.check, e.zone, round(e.score, 2)) for e in report.evidence if e.score > 0.2]
    hits = [f for f in report.findings if f.zone == "date-of-birth"]
    assert hits and hits[0].technique == "data-alteration", report.findings
    # the same retyping in the issuer's near-black ink is not what gives it away
    plain = _retype(reference, boxes["date-of-birth"], "13 MAY 1987", "DejaVuSans.ttf")
    scan = simulate_capture({"visible": plain}, kind="scan", seed=5, dpi=300).images["visible"]
    assert not [e for e in examine(scan, added.template).evidence if e.check == "typography" and e.score >= 0.5]


def test_a_photo_glued_over_the_crossing_overprint_is_caught(in_home):
    added, reference, boxes, _ = in_home
    x0, y0, x1, y1 = boxes["portrait"]
    photo = cv2.resize(render_portrait(99, size=(600, 770), sex="F"), (x1 - x0 + 6, y1 - y0 + 4),
                       interpolation=cv2.INTER_AREA)
    forged = reference.copy()
    forged[y0 - 2:y1 + 2, x0 - 3:x1 + 3] = photo
    cv2.rectangle(forged, (x0 - 3, y0 - 2), (x1 + 2, y1 + 1), (90, 90, 90), 1)  # the cut edge
    report = examine(forged, added.template)
    assert report.verdict == "suspect"
    hits = [f for f in report.findings if f.zone == "portrait"]
    assert hits and hits[0].family == "personalization" and hits[0].technique == "photo-substitution", \
        report.findings
