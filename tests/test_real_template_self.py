"""A trainer's template made from a real scanned specimen passes its own registration image and a phone photo of it.

Known answer: a real genuine page registered as a template
(``add_template``, zones drawn by hand, kept in
``benchmarks/real_specimens/specimens.json``) is ``consistent`` with no
finding when the registration image itself is examined, and when a
simulated phone photo of it is (docexam's capture simulation, other code
than the genuine variation the examination learns, at about the image's
own resolution). The Finnish and
Croatian specimens of the external PassportEye test data are clean,
sharp web images whose design is nearly noise-free: the capture's noise
measured on the image itself is almost nil there, and the alignment's
residue on their sharp edges used to be taken for texture foreign to the
design (page-wide printing findings).

Known answer too: another real holder's photograph (the Croatian
specimen's), cut a little larger than the Finnish portrait and glued over
it, covers the design along the portrait's edge: ``suspect``, with a
photo-substitution finding on the portrait (not a reprint of the page
around it). Skipped where ../shared is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from docexam.authoring import add_template
from docexam.examine import examine
from docexam.imaging import load_rgb
from docexam.paths import font_path
from docexam.synth.capture import simulate_capture

SPECIMENS = Path(__file__).resolve().parents[1] / "benchmarks" / "real_specimens" / "specimens.json"


def _spec(specimen_id: str) -> dict:
    return next(s for s in json.loads(SPECIMENS.read_text())["specimens"] if s["id"] == specimen_id)


def _registered(specimen_id: str, data, home):
    """The specimen registered as a user template (``docexam template add``): (its spec, the result, its image)."""
    spec = _spec(specimen_id)
    added = add_template(template_id=spec["id"], name=spec["id"], fmt=spec["format"],
                         visible=data / spec["image"], zones=spec["zones"], home=home)
    return spec, added, load_rgb(data / spec["image"])


@pytest.mark.parametrize("specimen_id", ["real-fin-td3", "real-hrv-td3"])
def test_registration_image_and_a_phone_photo_of_it_are_consistent(specimen_id, passporteye_data, docexam_home):
    spec, added, rgb = _registered(specimen_id, passporteye_data, docexam_home)
    tpl = added.template

    own = examine(rgb, tpl, name="registration image")
    assert own.verdict == "consistent" and not own.findings, [f.as_dict() for f in own.findings]

    phone = simulate_capture({"visible": rgb}, kind="phone", seed=2, dpi=tpl.dpi)
    # a web image of about 120 dpi photographed at about its own resolution (at half of it, 60 dpi, the MRZ's
    # characters are four pixels tall: no examination can judge that)
    assert phone.params["scale"] >= 0.9
    photo = examine(phone.images["visible"], tpl, name="phone photo")
    assert photo.verdict == "consistent" and not photo.findings, [f.as_dict() for f in photo.findings]


def test_a_photograph_glued_over_the_portrait_is_found_by_the_design_it_covers(passporteye_data, docexam_home):
    spec, added, rgb = _registered("real-fin-td3", passporteye_data, docexam_home)
    donor = _spec("real-hrv-td3")
    x0, y0, x1, y1 = next(z["bbox"] for z in donor["zones"] if z["kind"] == "portrait")
    face = load_rgb(passporteye_data / donor["image"])[y0:y1, x0:x1]
    x0, y0, x1, y1 = next(z["bbox"] for z in spec["zones"] if z["kind"] == "portrait")
    # 8 % larger than the portrait's zone, centred on it
    w, h = int((x1 - x0) * 1.08), int((y1 - y0) * 1.08)
    left, top = (x0 + x1 - w) // 2, (y0 + y1 - h) // 2
    forged = rgb.copy()
    forged[top:top + h, left:left + w] = cv2.resize(face, (w, h), interpolation=cv2.INTER_AREA)

    report = examine(forged, added.template, name="photo glued over")
    assert report.verdict == "suspect"
    found = [(f.family, f.technique, f.zone) for f in report.findings]
    assert ("personalization", "photo-substitution", "portrait") in found, found
    assert all(f.family == "personalization" for f in report.findings), [(f.family, f.zone, f.bbox) for f in report.findings]


def test_a_photograph_glued_inside_a_plain_portrait_frame_is_found_by_its_edge(passporteye_data, docexam_home):
    """ICAO's Utopia specimen: white paper around the portrait, no design across it, no ghost image.

    Known answer: another holder's photograph cut to the portrait's size,
    turned by one degree as a hand lays it, casting a thin shadow on one
    side (it is a second paper on the page) is ``suspect`` by the
    portrait's edge; a phone photo of the genuine page has no such edge.
    """
    spec, added, rgb = _registered("real-uto-td3", passporteye_data, docexam_home)
    donor = _spec("real-pol-td3")
    a0, b0, a1, b1 = next(z["bbox"] for z in donor["zones"] if z["kind"] == "portrait")
    x0, y0, x1, y1 = next(z["bbox"] for z in spec["zones"] if z["kind"] == "portrait")
    w, h = x1 - x0, y1 - y0
    face = cv2.resize(load_rgb(passporteye_data / donor["image"])[b0:b1, a0:a1], (w, h),
                      interpolation=cv2.INTER_AREA).astype(np.float32)
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), 1.0, 1.0)
    turn[:, 2] += [x0, y0]
    size = (rgb.shape[1], rgb.shape[0])
    photo = cv2.warpAffine(face, turn, size, flags=cv2.INTER_LINEAR)
    alpha = cv2.warpAffine(np.ones((h, w), np.float32), turn, size, flags=cv2.INTER_LINEAR)[..., None]
    shadow = cv2.GaussianBlur(cv2.warpAffine(alpha, np.float32([[1, 0, 2], [0, 1, 2]]), size), (0, 0), 1.0)
    page = rgb.astype(np.float32) * (1 - 0.25 * shadow[..., None] * (1 - alpha))
    forged = np.clip(page * (1 - alpha) + photo * alpha, 0, 255).astype(np.uint8)

    report = examine(forged, added.template, name="photo glued inside the frame")
    assert report.verdict == "suspect"
    edge = [e for e in report.evidence if e.check == "portrait-edge"]
    assert edge and edge[0].score > 0.5 and edge[0].zone == "portrait", [(e.check, e.value) for e in report.evidence]
    found = [(f.family, f.technique, f.zone) for f in report.findings]
    assert ("personalization", "photo-substitution", "portrait") in found, found

    phone = simulate_capture({"visible": rgb}, kind="phone", seed=3, dpi=added.template.dpi).images["visible"]
    genuine = examine(phone, added.template, name="phone photo")
    assert genuine.verdict == "consistent", [f.as_dict() for f in genuine.findings]
    assert [e.value for e in genuine.evidence if e.check == "portrait-edge"][0] < 2.0


def _retyped(image: np.ndarray, box, text: str, font_name: str) -> np.ndarray:
    """The field's ink washed off (inpainted from around it) and ``text`` printed at its capital height and baseline."""
    from PIL import Image, ImageDraw, ImageFont

    x0, y0, x1, y1 = box
    crop = image[y0:y1, x0:x1]
    lum = crop.mean(axis=2)
    # the printed value: much darker than its surroundings and dark in itself (the guilloche around it is not)
    ink = (((cv2.morphologyEx(lum, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8)) - lum) > 60) & (lum < 90)).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    big = stats[1:][stats[1:, cv2.CC_STAT_HEIGHT] >= 0.6 * stats[1:, cv2.CC_STAT_HEIGHT].max()]
    cap = int(np.median(big[:, cv2.CC_STAT_HEIGHT]))
    baseline = int(np.median(big[:, cv2.CC_STAT_TOP] + big[:, cv2.CC_STAT_HEIGHT]))
    out = image.copy()
    out[y0:y1, x0:x1] = cv2.inpaint(crop, cv2.dilate(ink, np.ones((3, 3), np.uint8)), 3, cv2.INPAINT_TELEA)
    probe = ImageFont.truetype(str(font_path(font_name)), 100).getbbox("H")
    fnt = ImageFont.truetype(str(font_path(font_name)), int(round(100 * cap / (probe[3] - probe[1]))))
    canvas = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(canvas).text((int(big[:, cv2.CC_STAT_LEFT].min()), baseline), text, font=fnt, fill=255, anchor="ls")
    cov = cv2.GaussianBlur(np.asarray(canvas, np.float32) / 255, (0, 0), 0.5)[..., None]
    out[y0:y1, x0:x1] = (out[y0:y1, x0:x1].astype(np.float32) * (1 - cov) + 30 * cov).astype(np.uint8)
    return out


def test_a_field_retyped_in_a_serif_typeface_on_a_real_specimen_is_caught(passporteye_data, docexam_home):
    """Known answer: the Croatian specimen's place of birth (ZAGREB, in the issuer's sans-serif) washed off and
    retyped as ZADAR in DejaVu Serif at the same height and baseline: ``suspect``, a data alteration on that field,
    found by its typography against the document's other fields (whose standing the template learned)."""
    spec, added, rgb = _registered("real-hrv-td3", passporteye_data, docexam_home)
    box = next(z["bbox"] for z in spec["zones"] if z["name"] == "place-of-birth")
    forged = _retyped(rgb, box, "ZADAR", "DejaVuSerif.ttf")
    report = examine(forged, added.template, name="retyped place of birth")
    assert report.verdict == "suspect"
    typography = {e.zone: e for e in report.evidence if e.check == "typography"}
    assert typography["place-of-birth"].score > 0.5, {z: round(e.value, 2) for z, e in typography.items()}
    found = [(f.family, f.technique, f.zone) for f in report.findings]
    assert ("personalization", "data-alteration", "place-of-birth") in found, found
    assert all(e.score < 0.5 for z, e in typography.items() if z != "place-of-birth"), \
        {z: round(e.value, 2) for z, e in typography.items()}


def _independent_capture():
    """The benchmarks' capture simulation (other code than docexam's own: ``benchmarks/independent_capture.py``)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "independent_capture.py"
    spec = importlib.util.spec_from_file_location("independent_capture", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("specimen_id, seed", [("real-cze-td3", 11), ("real-fin-td3", 23)])
def test_small_type_on_a_soft_phone_photo_is_not_taken_for_a_retyped_field(specimen_id, seed, passporteye_data,
                                                                           docexam_home):
    # these phone photos' 10 and 11 px capitals come out in fragments above half the ink (8 and 7.5 px high):
    # the field's size was judged smaller than genuine; grown down to a third of the ink they keep their height
    spec, added, rgb = _registered(specimen_id, passporteye_data, docexam_home)
    photo, _, _ = _independent_capture().capture(rgb, "phone", [seed, 1, 2], dpi=added.template.dpi)
    r = examine(photo, added.template, name="genuine phone photo")
    assert r.verdict == "consistent", [f.as_dict() for f in r.findings]


def _halftone_reprint(rgb: np.ndarray, box, *, lpi: float, dpi: float) -> np.ndarray:
    """``rgb`` with ``box`` reprinted by a colour copier: its tones rebuilt from dots of a 45-degree screen
    (``lpi`` lines per inch), in a dark blue-grey toner on a faintly grey sheet, softened by the copier's optics."""
    x0, y0, x1, y1 = box
    patch = rgb[y0:y1, x0:x1].astype(np.float32) / 255
    cover = 1.0 - patch.mean(axis=2)
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    period = dpi / lpi
    u, v = (xx + yy) / np.sqrt(2), (xx - yy) / np.sqrt(2)
    screen = 0.5 + 0.25 * (np.cos(2 * np.pi * u / period) + np.cos(2 * np.pi * v / period))
    dots = (cover > screen).astype(np.float32)[..., None]
    printed = dots * np.float32([0.22, 0.25, 0.33]) + (1 - dots) * np.float32([0.9, 0.9, 0.89])
    out = rgb.copy()
    out[y0:y1, x0:x1] = np.clip(cv2.GaussianBlur(printed, (0, 0), 0.6) * 255 + 0.5, 0, 255).astype(np.uint8)
    return out


def test_black_lettering_of_the_design_reprinted_by_a_copier_is_found(passporteye_data, docexam_home):
    # the Utopia specimen's title is black lettering, as black as a holder's data: it used to be left out of the
    # design comparison with everything near-black, so a patch of it reprinted with a copier's dots went unseen
    spec, added, rgb = _registered("real-uto-td3", passporteye_data, docexam_home)
    title = next(z["bbox"] for z in spec["zones"] if z["name"] == "passport-title")
    patch = [title[0] + 15, title[1] + 10, title[0] + 60, title[1] + 45]  # about 4 x 3 mm over its first letters
    report = examine(_halftone_reprint(rgb, patch, lpi=120, dpi=added.template.dpi), added.template,
                     name="reprinted title")
    assert report.verdict == "suspect"
    found = [(f.family, f.zone) for f in report.findings if
             f.bbox[0] < patch[2] and patch[0] < f.bbox[2] and f.bbox[1] < patch[3] and patch[1] < f.bbox[3]]
    assert ("printing", "passport-title") in found, [f.as_dict() for f in report.findings]
    # and the registration image itself, whose title is the same lettering, still passes
    assert examine(rgb, added.template).verdict == "consistent"
