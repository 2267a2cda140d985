"""The MRZ's protected data against the printed fields: what the MRZ says should be printed."""

from __future__ import annotations

from docexam.examine.analyzers.fields import viz_texts
from docexam.mrz.text import parse
from docexam.specimens.registry import find_template

TD3 = ["P<UTOROSSI<PARK<<RAVI<HENRIK<<<<<<<<<<<<<<<<", "ZW49035822UTO4712277M2705103X194712279892<06"]


def test_a_hyphenated_surname_is_expected_with_its_hyphen():
    # ICAO 9303 writes the hyphen of ROSSI-PARK as a filler: the printed field keeps the hyphen
    tpl = find_template("uto-td3")
    texts = viz_texts(parse(TD3), tpl)
    surname = [z.name for z in tpl.zones_of("field") if z.extra.get("holder_field") == "surname"][0]
    assert "ROSSI-PARK" in texts[surname]
    assert texts[surname][0] == "ROSSI PARK"


def test_a_surname_mixing_spaces_and_hyphens_is_expected_as_printed():
    # each filler of an MRZ name is a space or a hyphen on its own: VAN<DER<BERG<NOVAK is printed
    # VAN DER BERG-NOVAK (genuine documents of such holders were called re-made MRZs)
    mrz = ["P<UTOVAN<DER<BERG<NOVAK<<JI<WOO<<<<<<<<<<<<<", "TA48535958UTO5509106F3403299N195509109856<30"]
    tpl = find_template("uto-td3")
    surname = [z.name for z in tpl.zones_of("field") if z.extra.get("holder_field") == "surname"][0]
    texts = viz_texts(parse(mrz), tpl)[surname]
    assert "VAN DER BERG-NOVAK" in texts and "VAN-DER BERG NOVAK" in texts
    assert len(texts) == 8 and texts[0] == "VAN DER BERG NOVAK"
