"""The typeface check of the fields: the issuer's glyphs against a field's."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from docexam.examine import examine
from docexam.examine.analyzers.fields import _reference_floors, glyph_bank, render_field
from docexam.examine.model import reference_model
from docexam.examine.typography import FEATURE_FLOORS, Typography, deviations, measure
from docexam.specimens.registry import find_template
from docexam.synth.render import render_specimen

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SERIF_CONDENSED = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf"


def _given_names():
    tpl = find_template("mrd-td1")
    zone = [z for z in tpl.zones_of("field") if z.extra.get("holder_field") == "given_names"][0]
    return tpl, zone, glyph_bank(reference_model(tpl))


def test_letters_the_issuers_typeface_sets_touching_are_not_another_typeface():
    # the issuer's DejaVu Sans sets K-A and R-A touching: MAKARA is two single letters and two pairs, which
    # a bank of single characters took for another typeface (genuine documents flagged, likeness 0.67)
    tpl, zone, bank = _given_names()
    for text in ("MAKARA", "KARA MARIA"):
        assert measure(render_field(tpl, zone, text), bank=bank).glyph > 0.9, text


def test_a_field_in_another_typeface_is_still_unlike_the_issuers():
    tpl, zone, bank = _given_names()
    x0, y0, x1, y1 = zone.bbox
    canvas = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(canvas).text((2, y1 - y0 - 14), "CIVIL REGISTRY", font=ImageFont.truetype(SERIF, 54), fill=255,
                                anchor="ls")
    serif = measure(np.asarray(canvas, np.float32) / 255.0, bank=bank).glyph
    genuine = measure(render_field(tpl, zone, "CIVIL REGISTRY"), bank=bank).glyph
    assert genuine > 0.99 and serif < genuine - 0.08  # 0.89 against 1.0: five times the floor of 0.02


def _typography(glyph: float, glyphs: int) -> Typography:
    return Typography(glyphs=glyphs, cap=40.0, baseline=60.0, stroke=0.11, contrast=0.8, width=0.7, spread=0.2,
                      gap=0.2, colour=(0.1, 0.1, 0.12), glyph=glyph)


def test_a_field_of_few_glyphs_is_held_to_a_wider_glyph_spread():
    # its likeness is a mean over fewer glyphs: the floor widens as 1 / sqrt(glyphs) below eight
    others = {f"f{i}": _typography(0.98, 10) for i in range(5)}
    long = deviations({**others, "x": _typography(0.94, 8)}, glyph_floor_count=8)["x"]["glyph"]
    short = deviations({**others, "x": _typography(0.94, 2)}, glyph_floor_count=8)["x"]["glyph"]
    np.testing.assert_allclose([long, short], [-0.04 / 0.02, -0.04 / 0.04], rtol=1e-6)
    # a trainer's template learns each field's own spread instead: one floor for all
    assert deviations({**others, "x": _typography(0.94, 2)})["x"]["glyph"] == long


def test_the_genuine_glyph_spread_leaves_out_sample_texts_shrunk_to_fit():
    # a long sample typeset into the card's small sex field came out a third of the height and unlike the
    # issuer's glyphs (likeness 0.64): it had widened every floor to the largest factor (glyph 0.1, five times)
    floors = _reference_floors(SimpleNamespace(model=reference_model(find_template("mrd-td1"))))
    assert floors["glyph"] < 2 * FEATURE_FLOORS["glyph"]


def _retyped(image: np.ndarray, zone, text: str, font: str) -> np.ndarray:
    """``zone``'s value taken out (inpainted from the design around it) and ``text`` typed in ``font``, same height."""
    x0, y0, x1, y1 = zone.bbox
    crop = image[y0:y1, x0:x1]
    lum = crop.mean(axis=2)
    ink = cv2.dilate((lum < 0.6 * np.percentile(lum, 90)).astype(np.uint8), np.ones((5, 5), np.uint8))
    pil = Image.fromarray(cv2.inpaint(crop, ink, 5, cv2.INPAINT_TELEA))
    ys, xs = np.nonzero(ink)
    size = int((ys.max() - ys.min()) * 0.85 / 0.73)  # DejaVu's capitals are 0.73 of its size
    ImageDraw.Draw(pil).text((int(xs.min()), int(ys.max())), text, font=ImageFont.truetype(font, size),
                             fill=(35, 38, 45), anchor="ls")
    out = image.copy()
    out[y0:y1, x0:x1] = np.asarray(pil)
    return out


def test_a_date_retyped_in_a_serif_typeface_is_caught_on_its_field():
    genuine = render_specimen("mrd-td1", seed=21, capture="flat").images["visible"]
    assert examine(genuine, "mrd-td1").verdict == "consistent"
    zone = find_template("mrd-td1").zone("date-of-issue")
    r = examine(_retyped(genuine, zone, "07 MAY 2026", SERIF_CONDENSED), "mrd-td1")
    assert r.verdict == "suspect"
    assert [(f.family, f.technique, f.zone) for f in r.findings][:1] == [
        ("personalization", "data-alteration", "date-of-issue")]


def _typeset(text: str, cap_px: int, *, font=SERIF) -> np.ndarray:
    """Ink coverage (0..1) of ``text`` set with capitals ``cap_px`` high, on a crop twice as high."""
    fnt = ImageFont.truetype(font, int(round(cap_px / 0.73)))  # DejaVu's capitals are 0.73 of its size
    canvas = Image.new("L", (int(cap_px * 0.8 * len(text)) + 20, 2 * cap_px + 8), 0)
    ImageDraw.Draw(canvas).text((8, cap_px + 6), text, font=fnt, fill=255, anchor="ls")
    return np.asarray(canvas, np.float32) / 255.0


def test_letters_broken_by_faint_ink_keep_their_grown_height():
    def broken(text, cap):
        # a band of light across the line (glare, a phone's uneven exposure) leaves the letters' middles at 0.4 of
        # the ink: above half the ink each letter falls apart in two
        ink = _typeset(text, cap)
        ys = np.flatnonzero(ink.max(axis=1) > 0)
        middle = (ys[0] + ys[-1]) // 2
        ink[middle - 1:middle + 1] *= 0.4
        return ink

    sharp = measure(_typeset("SPECIMEN 1987", 12))
    assert sharp.cap == sharp.grown_cap == 12
    torn = measure(broken("SPECIMEN 1987", 12))
    assert torn.cap <= 0.6 * sharp.cap  # the blobs are the halves
    assert torn.grown_cap == 12  # grown down to a third of the ink, each is one letter again
    # intact text set smaller measures smaller either way
    small = measure(_typeset("SPECIMEN 1987", 9))
    assert small.cap == small.grown_cap == 9


def test_a_small_field_of_a_trainers_template_is_judged_by_its_height_only(monkeypatch):
    from docexam.examine.analyzers import fields

    def sized(cap: float, glyph: float = 0.98) -> Typography:
        return Typography(glyphs=6, cap=cap, baseline=cap + 4, stroke=0.11, contrast=0.8, width=0.7, spread=0.2,
                          gap=0.2, colour=(0.1, 0.1, 0.12), glyph=glyph, grown_cap=cap)

    genuine = {"surname": 11.0, "date": 10.0, "number": 10.0, "given": 7.0}  # the given names in 7-pixel type
    sets = [{n: sized(c + d) for n, c in genuine.items()} for d in (0.0, 0.0, 0.5, -0.5)]
    monkeypatch.setattr(fields, "_genuine_field_sets", lambda model: iter(sets))
    cache = {}
    model = SimpleNamespace(blank_personalization=False, cached=lambda key, build: cache.setdefault(key, build()))
    zones = {n: SimpleNamespace(name=n, kind="field", bbox=[0, 0, 200, 20], extra={}) for n in genuine}
    template = SimpleNamespace(zone=zones.__getitem__, zones_of=lambda kind: list(zones.values()))
    standing = fields.field_standing(model)
    assert standing["given"]["small"] and standing["given"]["cap"] == 7.0 and "glyph" not in standing["given"]
    assert not standing["surname"]["small"] and "glyph" in standing["surname"]

    def judged(capture: dict):
        ctx = SimpleNamespace(model=model, template=template, cache={"typography": capture})
        size = {e.zone: e.score for e in fields.field_size(ctx)}
        return size, fields._typography_deviations(ctx)[0]

    # retyped larger (9 px for 7): its height gives it away; another typeface there is not judged
    size, typeface = judged({**{n: sized(c) for n, c in genuine.items()}, "given": sized(9.0, glyph=0.5)})
    assert size["given"] >= 0.5 and max(v for n, v in size.items() if n != "given") < 0.5
    assert "given" not in typeface and "surname" in typeface
    # the genuine height passes
    size, _ = judged({n: sized(c) for n, c in genuine.items()})
    assert max(size.values()) < 0.5
