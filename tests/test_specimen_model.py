"""The specimen data model refuses broken files with the file and the field."""

from __future__ import annotations

import json

import pytest

from docexam.errors import InvalidFieldError, UnknownNameError
from docexam.specimens import TECHNIQUES, find_template, load_specimen, load_template, technique
from docexam.specimens.model import parse_specimen, parse_template

TEMPLATE = {
    "id": "tst-td3", "name": "Test", "format": "TD3", "dpi": 600, "size_px": [400, 300],
    "images": {"visible": "visible.png"},
    "zones": [
        {"name": "portrait", "kind": "portrait", "bbox": [10, 10, 100, 140]},
        {"name": "surname", "kind": "field", "bbox": [120, 20, 380, 50]},
        {"name": "mrz", "kind": "mrz", "bbox": [5, 220, 395, 295]},
    ],
}
SPECIMEN = {
    "template": "tst-td3", "authentic": False, "capture": {"kind": "flat"},
    "holder": {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "document_number": "L898902C3",
               "nationality": "UTO", "date_of_birth": "1974-08-12", "sex": "F", "date_of_expiry": "2032-04-15"},
    "mrz": ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F3204159ZE184226B<<<<<10"],
    "anomalies": [{"family": "personalization", "technique": "data-alteration", "zone": "surname",
                   "bbox": [130, 22, 300, 48], "note": "Serif font."}],
}


def test_every_technique_belongs_to_one_of_the_three_families():
    assert len(TECHNIQUES) >= 11
    assert {t.family for t in TECHNIQUES.values()} == {"substrate", "printing", "personalization"}
    with pytest.raises(UnknownNameError, match="unknown technique 'glitter'"):
        technique("glitter")


@pytest.mark.parametrize("change, field", [
    (lambda d: d.pop("format"), "format"),
    (lambda d: d.update(format="TD9"), "format"),
    (lambda d: d["zones"][1].update(bbox=[120, 20, 500, 50]), r"zones\[1\].bbox"),
    (lambda d: d["zones"][1].update(bbox=[120, 50, 380, 20]), r"zones\[1\].bbox"),
    (lambda d: d["zones"][2].update(kind="hologram"), r"zones\[2\].kind"),
    (lambda d: d["zones"].append(dict(d["zones"][0])), r"zones\[3\].name"),
    (lambda d: d["images"].pop("visible"), "images.visible"),
    (lambda d: d.update(dpi="600"), "dpi"),
])
def test_broken_template_is_refused_naming_file_and_field(tmp_path, change, field):
    data = json.loads(json.dumps(TEMPLATE))
    change(data)
    with pytest.raises(InvalidFieldError, match=field) as err:
        parse_template(data, tmp_path / "template.json")
    assert "template.json" in str(err.value)


def test_template_round_trip_and_missing_image(tmp_path):
    (tmp_path / "template.json").write_text(json.dumps(TEMPLATE))
    with pytest.raises(InvalidFieldError, match="visible.png not found"):
        load_template(tmp_path)
    (tmp_path / "visible.png").write_bytes(b"x")
    tpl = load_template(tmp_path)
    assert tpl.zone("surname").bbox == (120, 20, 380, 50)
    assert tpl.as_dict()["zones"] == TEMPLATE["zones"]


@pytest.mark.parametrize("change, field", [
    (lambda d: d["anomalies"][0].update(technique="wrong-substrate"), r"anomalies\[0\].technique"),
    (lambda d: d["anomalies"][0].update(zone="portrait"), r"anomalies\[0\].bbox"),
    (lambda d: d["anomalies"][0].update(zone="signature"), r"anomalies\[0\].zone"),
    (lambda d: d.update(authentic=True), "anomalies"),
    (lambda d: d.update(anomalies=[]), "anomalies"),
    (lambda d: d["holder"].update(date_of_birth="12/08/1974"), "holder.date_of_birth"),
    (lambda d: d["holder"].pop("sex"), "holder.sex"),
    (lambda d: d["mrz"].pop(), "mrz"),
    (lambda d: d["capture"].update(kind="fax"), "capture.kind"),
    (lambda d: d["anomalies"][0].update(severity=2), r"anomalies\[0\].severity"),
])
def test_broken_specimen_is_refused_naming_the_field(tmp_path, change, field):
    from docexam.specimens.model import Template, parse_zones

    tpl = Template("tst-td3", "Test", "TD3", 600, (400, 300), {"visible": "v.png"},
                   parse_zones(TEMPLATE["zones"], "t", size=(400, 300)), tmp_path)
    data = json.loads(json.dumps(SPECIMEN))
    parse_specimen(data, tmp_path / "a.json", template=tpl)  # the unchanged one is fine
    change(data)
    with pytest.raises(InvalidFieldError, match=field):
        parse_specimen(data, tmp_path / "a.json", template=tpl)


def test_specimen_json_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "template": "uto-td3",\n  "authentic": tru\n}')
    with pytest.raises(InvalidFieldError, match="line 3"):
        load_specimen(bad)


def test_unknown_template_lists_known_ones():
    with pytest.raises(UnknownNameError, match="uto-td3"):
        find_template("atlantis-td3")


def test_shipped_templates_load_and_have_the_contract_zones():
    for tid, fmt in (("uto-td3", "TD3"), ("mrd-td1", "TD1")):
        tpl = find_template(tid)
        assert tpl.format == fmt and tpl.dpi >= 600
        kinds = {z.kind for z in tpl.zones}
        assert {"portrait", "ghost-portrait", "field", "mrz", "security-print", "microprint",
                "emblem", "background"} <= kinds
        assert {"visible", "uv", "ir"} <= set(tpl.lights) <= {"visible", "uv", "ir", "transmitted"}
        from docexam.imaging import load_image

        assert load_image(tpl.image_path("visible")).size == tpl.size_px
