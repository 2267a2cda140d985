"""The MRZ of a trainer's template from a real specimen: what is printed is judged, not what a reader would correct.

Known answers, on ICAO's Utopia specimen of the external PassportEye test
data registered as a template (skipped where ../shared is absent), each
forgery made here by erasing one MRZ character cell and printing another:

* one digit of the date of birth replaced by another in the MRZ's own
  OCR-B: the check digit fails as printed: ``suspect``, an
  ``mrz-inconsistency`` on the date of birth's characters;
* the same digit printed again in another monospaced typeface: every check
  digit still verifies, but the character does not look like the rest of
  the MRZ: ``suspect``, an ``mrz-inconsistency`` on that one cell.

And without images: a reading whose check digits verify only after the
reader's check-digit correction (``lines``) while what is printed
(``printed_lines``) fails is a finding (graded validation).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docexam.authoring import add_template
from docexam.examine import examine
from docexam.examine.analyzers.mrz_check import analyze_mrz, glyph_box
from docexam.imaging import load_rgb
from docexam.mrz.text import parse

ROOT = Path(__file__).resolve().parents[1]
SPECIMENS = ROOT / "benchmarks" / "real_specimens" / "specimens.json"
FONTS = ROOT / "docexam" / "fonts"
#: line 2, column 14: the first digit of the date of birth (a "7" on the Utopia specimen)
DOB = (1, 13)
#: line 2, column 16: a "0" of the date of birth (DejaVu Sans Mono draws its zero with a dot inside)
ZERO = (1, 15)


@pytest.fixture
def utopia(passporteye_data, docexam_home):
    spec = next(s for s in json.loads(SPECIMENS.read_text())["specimens"] if s["id"] == "real-uto-td3")
    added = add_template(template_id=spec["id"], name=spec["id"], fmt=spec["format"],
                         visible=passporteye_data / spec["image"], zones=spec["zones"], home=docexam_home)
    return added.template, load_rgb(passporteye_data / spec["image"])


def _reprint_cell(rgb: np.ndarray, tpl, cell: tuple, char: str, font_file: str) -> np.ndarray:
    """Erase one MRZ character cell (row, column) to the paper around it and print ``char`` there in ``font_file``."""
    ROW, COL = cell
    lay = tpl.extra["mrz_layout"]
    pitch, (ox, oy) = float(lay["pitch_px"]), lay["origin"]
    baseline = oy + ROW * float(lay["line_pitch_px"])
    x0, y0 = int(ox + COL * pitch), int(baseline - 1.15 * pitch)
    x1, y1 = int(np.ceil(ox + (COL + 1) * pitch)), int(np.ceil(baseline + 0.2 * pitch))
    out = rgb.copy()
    cell = out[y0:y1, x0:x1].reshape(-1, 3).astype(np.float32)
    light = cell.sum(axis=1)
    paper = np.median(cell[light >= np.percentile(light, 60)], axis=0)
    ink = np.median(cell[light <= np.percentile(light, 10)], axis=0)
    out[y0:y1, x0:x1] = paper
    probe = ImageFont.truetype(str(FONTS / font_file), 100)
    top, bottom = probe.getbbox("8")[1], probe.getbbox("8")[3]
    font = ImageFont.truetype(str(FONTS / font_file), int(round(100 * 0.98 * pitch / (bottom - top))))
    canvas = Image.new("L", (out.shape[1], out.shape[0]), 0)
    ImageDraw.Draw(canvas).text((x0 + (pitch - font.getlength(char)) / 2, baseline), char, font=font, fill=255,
                                anchor="ls")
    cover = np.asarray(canvas, np.float32)[..., None] / 255
    return (out * (1 - cover) + ink * cover + 0.5).astype(np.uint8)


def _mrz_findings(report):
    return [f for f in report.findings if f.technique == "mrz-inconsistency"]


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_digit_changed_in_the_mrz_fails_its_check_digit_as_printed(utopia):
    tpl, rgb = utopia
    assert tpl.extra["reference_mrz"][DOB[0]][DOB[1]] == "7"
    forged = _reprint_cell(rgb, tpl, DOB, "8", "OCRB.otf")
    report = examine(forged, tpl, name="date of birth changed")
    assert report.verdict == "suspect"
    found = _mrz_findings(report)
    assert found and "date of birth" in found[0].message, [f.as_dict() for f in report.findings]
    assert _overlaps(found[0].bbox, glyph_box(tpl, *DOB))


def test_a_character_printed_again_in_another_typeface_is_found_though_the_check_digits_verify(utopia):
    tpl, rgb = utopia
    assert tpl.extra["reference_mrz"][ZERO[0]][ZERO[1]] == "0"
    forged = _reprint_cell(rgb, tpl, ZERO, "0", "DejaVuSansMono.ttf")
    report = examine(forged, tpl, name="same digit, other typeface")
    assert report.verdict == "suspect"
    found = _mrz_findings(report)
    assert found, [f.as_dict() for f in report.findings]
    cell = glyph_box(tpl, *ZERO)
    assert _overlaps(found[0].bbox, cell) and (found[0].bbox[2] - found[0].bbox[0]) < 2 * (cell[2] - cell[0])
    # the genuine registration image: no MRZ finding (its own OCR-B everywhere)
    assert not _mrz_findings(examine(rgb, tpl, name="registration image"))


def test_a_check_digit_that_fails_as_printed_is_a_finding_whatever_the_reader_would_correct(docexam_home):
    from docexam.specimens.registry import find_template

    tpl = find_template("uto-td3")
    valid = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
    printed = [valid[0], "L848902C36UTO7408122F1204159ZE184226B<<<<<10"]  # a 9 changed to a 4, plainly printed
    corrected = [valid[0], "L843902C36UTO7408122F1204159ZE184226B<<<<<10"]  # the reader's suggestion: verifies
    assert parse(corrected, fmt="TD3").valid and not parse(printed, fmt="TD3").valid
    fits = [np.full(44, 0.95, np.float32)] * 2
    ctx = SimpleNamespace(template=tpl)

    def reading(lines_printed):
        return SimpleNamespace(found=True, format="TD3", parsed=parse(corrected, fmt="TD3"), lines=corrected,
                               printed_lines=lines_printed, raw_lines=lines_printed, glyph_fit=fits)

    evidence, _ = analyze_mrz(ctx, reading(printed), field_font=False, viz_texts=None, viz_agreement=None)
    failing = [e for e in evidence if e.check == "mrz-check-digits"]
    assert failing and failing[0].score > 0.5 and "document number" in failing[0].message
    # printed as the correction reads it: nothing to report
    evidence, _ = analyze_mrz(ctx, reading(corrected), field_font=False, viz_texts=None, viz_agreement=None)
    assert all(e.score < 0.5 for e in evidence)


def _reading(lines, *, raw=None, font_fit=None, digits=None):
    return SimpleNamespace(found=True, format="TD3", parsed=parse(lines, fmt="TD3"), lines=lines, printed_lines=lines,
                           raw_lines=raw or lines, glyph_fit=[np.full(44, 0.95, np.float32)] * 2,
                           font_fit=font_fit or [np.full(44, 0.95, np.float32)] * 2, digit_lines=digits or lines)


def test_a_character_that_fits_no_ocr_b_glyph_is_placed_though_it_reads_as_a_valid_letter():
    """A forged ``5`` in another typeface read as ``U`` (weight 30: the same check digit as the genuine ``0``)."""
    from docexam.specimens.registry import find_template

    tpl = find_template("uto-td3")
    valid = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
    ctx = SimpleNamespace(template=tpl)
    fits = [np.full(44, 0.95, np.float32), np.full(44, 0.95, np.float32)]
    fits[1][3] = 0.55  # line 2, position 4: fits its reading's OCR-B glyph far worse than the rest
    evidence, _ = analyze_mrz(ctx, _reading(valid, font_fit=fits), field_font=False, viz_texts=None,
                              viz_agreement=None)
    hits = [e for e in evidence if e.score >= 0.5]
    assert [e.check for e in hits] == ["mrz-glyphs"] and "line 2, position 4" in hits[0].message
    assert _overlaps(hits[0].bbox, glyph_box(tpl, 1, 3)) and not _overlaps(hits[0].bbox, glyph_box(tpl, 1, 5))
    # a genuine capture's worst character: 0.14 below the median on the real specimens; not a finding
    fits[1][3] = 0.81
    evidence, _ = analyze_mrz(ctx, _reading(valid, font_fit=fits), field_font=False, viz_texts=None,
                              viz_agreement=None)
    assert all(e.score < 0.5 for e in evidence)


def test_a_date_digit_read_as_a_letter_is_judged_by_the_best_digit_there():
    """Expiry 120415 with its month's first digit printed as a ``9`` the reader's best glyph calls ``B``."""
    from docexam.specimens.registry import find_template

    tpl = find_template("uto-td3")
    valid = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
    assert valid[1][21:27] == "120415"
    raw = [valid[0], valid[1][:23] + "B" + valid[1][24:]]
    digits = [valid[0], valid[1][:23] + "9" + valid[1][24:]]
    ctx = SimpleNamespace(template=tpl)
    evidence, _ = analyze_mrz(ctx, _reading(valid, raw=raw, digits=digits), field_font=False, viz_texts=None,
                              viz_agreement=None)
    hits = [e for e in evidence if e.score >= 0.5]
    assert hits and hits[0].check == "mrz-check-digits" and "date of expiry" in hits[0].message
    # the best digit there is the 0 the reading says: nothing impossible
    evidence, _ = analyze_mrz(ctx, _reading(valid, raw=raw), field_font=False, viz_texts=None, viz_agreement=None)
    assert all(e.score < 0.5 for e in evidence)
