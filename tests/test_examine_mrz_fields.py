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


def test_a_surname_cut_short_by_a_full_names_field_is_not_called_a_re_made_mrz():
    # ICAO 9303 shortens names that do not fit: a genuine card whose names fill the MRZ's last line to its
    # last character shows a longer surname printed than the MRZ holds (an independent set's genuine card
    # was called a re-made MRZ at score 1.0)
    from types import SimpleNamespace

    from docexam.examine.analyzers.mrz_check import analyze_mrz

    tpl = find_template("mrd-td1")
    head = ["IDMRDCT490067897217078002005<<", "0405203F3009303MRD<<<<<<<<<<<3"]

    def examine_mrz(names_line):
        lines = head + [names_line]
        read = SimpleNamespace(parsed=parse(lines), found=True, printed_lines=lines, format="TD1", raw_lines=lines,
                               digit_lines=None, glyph_fit=[], font_fit=[])
        # the printed surname agrees with nothing the MRZ holds; the other fields agree
        return analyze_mrz(SimpleNamespace(template=tpl), read, field_font=True, viz_texts=viz_texts,
                           viz_agreement=lambda ctx, zone, texts: 0.0 if zone.extra["holder_field"] == "surname"
                           else 1.0)

    surname = [z.name for z in tpl.zones_of("field") if z.extra.get("holder_field") == "surname"][0]
    against_surname = f"mrz-vs-fields:{surname}"
    evidence, notes = examine_mrz("CHAROENINTHASAWAT<NA<NAKHON<PH")
    assert against_surname not in {e.check for e in evidence}
    assert any(n.check == "mrz-vs-fields" and n.status == "skipped" for n in notes)
    evidence, _ = examine_mrz("SOK<<DARA<<<<<<<<<<<<<<<<<<<<<")
    assert [(e.check, e.value) for e in evidence] == [(against_surname, 1.0)]


def test_a_field_washed_and_written_again_explains_its_disagreement_with_the_mrz():
    from docexam.examine.model import reference_model
    from docexam.examine.report import Evidence
    from docexam.examine.steps import _rewritten_fields

    model = reference_model(find_template("uto-td3"))
    number, surname = "document-number", "surname"

    def ev(check, family, technique, zone):
        return Evidence(family, technique, zone, [0, 0, 10, 10], 1.0, 0.5, 0.1, "m", check=check)

    washed = ev("design", "substrate", "erasure", number)
    against_number = ev(f"mrz-vs-fields:{number}", "personalization", "mrz-inconsistency", "mrz")
    against_surname = ev(f"mrz-vs-fields:{surname}", "personalization", "mrz-inconsistency", "mrz")
    # the washed number's rewriting is why the MRZ disagrees with it; the surname's disagreement stays
    assert _rewritten_fields([washed, against_number, against_surname], model) == [washed, against_surname]
    # a design erasure away from any field explains no field
    rosette = ev("design", "substrate", "erasure", "guilloche-band")
    assert _rewritten_fields([rosette, against_number], model) == [rosette, against_number]
    # a retyped value explains its disagreement and the disturbed background under it
    retyped, background = ev("typography", "personalization", "data-alteration", surname), \
        ev("field-background", "substrate", "erasure", surname)
    assert _rewritten_fields([retyped, background, against_surname], model) == [retyped]
