"""The typeface check of the fields: the issuer's glyphs against a field's."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from docexam.examine.analyzers.fields import glyph_bank, render_field
from docexam.examine.model import reference_model
from docexam.examine.typography import measure
from docexam.specimens.registry import find_template

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


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
