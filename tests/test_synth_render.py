"""Rendering specimens: determinism, geometry, ground truth of every forgery."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from docexam.cli import main
from docexam.imaging import load_rgb
from docexam.mrz.text import parse
from docexam.specimens import TECHNIQUES, find_template, load_specimen
from docexam.errors import ImpossibleForgeryError
from docexam.synth.library import compatible_templates
from docexam.synth.designs import design as get_design
from docexam.synth.features import against_lamp
from docexam.synth.inks import to_uint8
from docexam.synth.reference import sheet_grain
from docexam.synth.render import render_specimen, write_specimen

PERSONALIZATION_KINDS = ("portrait", "ghost-portrait", "field", "mrz")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_arguments_give_the_same_bytes(tmp_path):
    args = ["synth", "render", "--template", "uto-td3", "--seed", "7", "--forge", "data-alteration",
            "--capture", "scan"]
    assert main(args + ["--out", str(tmp_path / "a"), "--name", "x"]) == 0
    assert main(args + ["--out", str(tmp_path / "b"), "--name", "x"]) == 0
    for suffix in (".png", ".uv.png", ".ir.png", ".mask.png", ".json"):
        assert _digest(tmp_path / "a" / f"x{suffix}") == _digest(tmp_path / "b" / f"x{suffix}"), suffix
    other = render_specimen("uto-td3", seed=8, forge="data-alteration", capture="scan")
    assert not np.array_equal(other.images["visible"], load_rgb(tmp_path / "a" / "x.png"))


@pytest.mark.parametrize("template_id", ["uto-td3", "mrd-td1"])
def test_genuine_flat_render_differs_from_reference_only_in_personalization_zones(template_id):
    """A genuine document is the reference on its own sheet (own fibre grain) plus personalization."""
    tpl = find_template(template_id)
    rendered = render_specimen(template_id, seed=3)
    assert rendered.sidecar["authentic"] is True and rendered.sidecar["anomalies"] == []
    grain = sheet_grain(get_design(template_id), seed=3)
    if tpl.extra["substrate"] == "paper":
        assert grain is not None and 0.015 < float(grain[grain != 0].std()) < 0.03
    else:
        assert grain is None, "a polycarbonate card has no fibre grain"
    sheet = {}
    for light in tpl.lights:
        image = rendered.images[light]
        reference = load_rgb(tpl.image_path(light)).astype(np.float32)
        if grain is not None and light in ("visible", "ir"):
            reference = np.clip(reference * (1 + grain[..., None] * (1.0 if light == "visible" else 1 / 3)), 0, 255)
        if light == "transmitted":  # the lamp shines through this sheet, its own grain included
            reference = to_uint8(against_lamp(get_design(template_id), sheet["visible"] / 255)).astype(np.float32)
        sheet[light] = reference
        assert image.shape == reference.shape == (tpl.height, tpl.width, 3)
        changed = np.any(np.abs(image - reference) > 1.01, axis=2)
        allowed = np.zeros_like(changed)
        for zone in tpl.zones:
            if zone.kind in PERSONALIZATION_KINDS:
                x0, y0, x1, y1 = zone.bbox
                allowed[y0:y1, x0:x1] = True
        assert changed.any(), "personalization was printed"
        assert not (changed & ~allowed).any(), f"{light}: pixels changed outside personalization zones"
    lines = rendered.sidecar["mrz"]
    parsed = parse(lines)
    assert parsed.valid, parsed.checks
    assert parsed.fields["surname"] == rendered.sidecar["holder"]["surname"].upper().replace("-", " ") \
        or parsed.fields["surname"].startswith(rendered.sidecar["holder"]["surname"].upper()[:10])


@pytest.mark.parametrize("technique", sorted(TECHNIQUES))
def test_every_forgery_is_annotated_inside_its_zone_with_a_mask(tmp_path, technique):
    template_id = compatible_templates(technique)[0]
    tpl = find_template(template_id)
    assert main(["synth", "render", "--template", template_id, "--seed", "11", "--forge", technique,
                 "--out", str(tmp_path), "--name", "f"]) == 0
    spec = load_specimen(tmp_path / "f.json")  # validates boxes inside zones against the template
    assert not spec.authentic and spec.anomalies
    assert technique in spec.techniques
    mask = load_rgb(spec.mask_path)[..., 0]
    assert mask.shape == (tpl.height, tpl.width)
    for a in spec.anomalies:
        # a field change may leave the MRZ as it was: an mrz-inconsistency beside the technique
        assert a.technique == technique or (a.technique == "mrz-inconsistency" and a.extra["mrz_changed"] is False)
        assert a.family == TECHNIQUES[a.technique].family
        assert TECHNIQUES[a.technique].applies_to(tpl.extra["substrate"])
        assert a.note and a.severity is not None
        region = mask == a.mask_label
        assert region.any(), "mask is not empty"
        ys, xs = np.nonzero(region)
        assert xs.min() >= a.bbox[0] and ys.min() >= a.bbox[1] and xs.max() < a.bbox[2] and ys.max() < a.bbox[3]
        zone = tpl.zone(a.zone)
        assert zone.kind in TECHNIQUES[a.technique].zone_kinds


@pytest.mark.parametrize("template_id, technique", [("mrd-td1", "erasure"), ("mrd-td1", "substrate-patch"),
                                                    ("mrd-td1", "photo-substitution"), ("uto-td3", "delamination")])
def test_a_technique_that_cannot_happen_on_the_substrate_is_refused(tmp_path, capsys, template_id, technique):
    with pytest.raises(ImpossibleForgeryError, match=technique):
        render_specimen(template_id, seed=1, forge=technique)
    assert main(["synth", "render", "--template", template_id, "--seed", "1", "--forge", technique,
                 "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "cannot be done on" in err and len(err.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_no_paper_attack_applies_to_a_card_and_no_card_attack_to_paper():
    paper_only = {t for t, tech in TECHNIQUES.items() if tech.substrates == ("paper",)}
    card_only = {t for t, tech in TECHNIQUES.items() if tech.substrates == ("polycarbonate",)}
    assert {"erasure", "substrate-patch", "wrong-substrate", "photo-substitution"} <= paper_only
    assert {"counterfeit-card", "re-engraving", "delamination"} <= card_only
    # a note about a card never speaks of washing, glued paper or fibres
    for t in card_only:
        text = TECHNIQUES[t].description.lower()
        assert not any(word in text for word in ("wash", "fibre", "glued paper", "patch"))


@pytest.mark.parametrize("technique", ["halftone-reproduction", "inkjet-reproduction", "wrong-substrate",
                                       "counterfeit-card"])
def test_a_whole_page_forgery_is_annotated_page_wide(technique):
    template_id = compatible_templates(technique)[0]
    tpl = find_template(template_id)
    r = render_specimen(template_id, seed=3, forge=technique, severity=0.5)
    pages = [a for a in r.sidecar["anomalies"] if a.get("extent") == "page"]
    sides = [box for _, box in tpl.sides]
    assert {a["zone"] for a in pages} == {z.name for z in tpl.zones_of("background") if z.bbox in sides}
    for a in pages:
        assert a["bbox"] == list(tpl.zone(a["zone"]).bbox)


@pytest.mark.parametrize("severity, changed", [(0.2, True), (0.8, False)])
def test_a_data_alteration_records_whether_the_mrz_was_changed_too(severity, changed):
    for seed in range(40):  # find a seed whose altered field is in the MRZ
        r = render_specimen("uto-td3", seed=seed, forge="data-alteration", severity=severity)
        field = r.sidecar["anomalies"][0]
        if field["mrz_changed"] is not None:
            break
    assert field["mrz_changed"] is changed
    holder, printed = r.sidecar["holder"], parse(r.sidecar["mrz"])
    assert printed.valid
    mrz = [a for a in r.sidecar["anomalies"] if a["zone"] == "mrz"]
    assert len(mrz) == 1
    if changed:  # the MRZ says what the altered field says, and its reprinted characters are marked
        assert mrz[0]["technique"] == "data-alteration" and mrz[0]["mrz_changed"] is True
        assert printed.fields["date_of_birth"] == holder["date_of_birth"][2:].replace("-", "")
        assert printed.fields["document_number"] == holder["document_number"]
    else:  # the MRZ still carries the old data: an inconsistency an officer can find
        assert mrz[0]["technique"] == "mrz-inconsistency" and mrz[0]["mrz_changed"] is False
        composed = (printed.fields["date_of_birth"], printed.fields["document_number"],
                    printed.fields["date_of_expiry"], printed.fields["surname"])
        assert composed != (holder["date_of_birth"][2:].replace("-", ""), holder["document_number"],
                            holder["date_of_expiry"][2:].replace("-", ""), holder["surname"])


@pytest.mark.parametrize("template_id", ["uto-td3", "mrd-td1"])
def test_a_forger_who_cannot_print_microtext_loses_it_on_every_line(template_id):
    tpl = find_template(template_id)
    r = render_specimen(template_id, seed=5, forge="missing-microprint", severity=0.5)
    assert {a["zone"] for a in r.sidecar["anomalies"]} == {z.name for z in tpl.zones_of("microprint")}


def test_the_forgery_changes_the_image_where_the_mask_says():
    genuine = render_specimen("uto-td3", seed=21)
    forged = render_specimen("uto-td3", seed=21, forge="missing-microprint", severity=0.9)
    diff = np.abs(forged.images["visible"].astype(int) - genuine.images["visible"].astype(int)).sum(axis=2) > 30
    inside = forged.mask > 0
    assert diff[inside].mean() > 0.05
    assert diff[~inside].mean() < 0.001


def test_severity_controls_how_visible_the_forgery_is():
    genuine = render_specimen("uto-td3", seed=5).images["uv"].astype(float)

    def uv_glow(severity):
        forged = render_specimen("uto-td3", seed=5, forge="wrong-substrate", severity=severity)
        return (forged.images["uv"].astype(float) - genuine).mean()

    subtle, blatant = uv_glow(0.1), uv_glow(0.9)
    assert subtle > 10, "even a careful forger's office paper glows under UV"
    assert blatant > 2 * subtle


@pytest.mark.parametrize("capture", ["scan", "phone"])
def test_captures_keep_anomaly_boxes_in_template_coordinates(capture):
    r = render_specimen("mrd-td1", seed=4, forge="ghost-image-mismatch", capture=capture)
    assert r.sidecar["capture"]["kind"] == capture
    assert r.images["visible"].shape != (find_template("mrd-td1").height, find_template("mrd-td1").width, 3)
    assert r.mask.shape == (find_template("mrd-td1").height, find_template("mrd-td1").width)
    hom = np.asarray(r.sidecar["capture"]["homography"])
    assert hom.shape == (3, 3)


@pytest.mark.parametrize("argv, message", [
    (["--template", "atlantis-td3", "--seed", "1"], "unknown template 'atlantis-td3'"),
    (["--template", "uto-td3", "--seed", "1", "--forge", "glitter"], "unknown technique 'glitter'"),
    (["--template", "uto-td3", "--seed", "-4"], "seed '-4' must be from 0"),
    (["--template", "uto-td3", "--seed", "abc"], "seed 'abc' is not a whole number"),
    (["--template", "uto-td3", "--seed", "1", "--severity", "7"], "severity"),
    (["--template", "uto-td3", "--seed", "1", "--name", "../evil"], "name"),
])
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["synth", "render", "--out", str(tmp_path)] + argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_unwritable_output_gives_one_line_and_exit_2(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    status = main(["synth", "render", "--template", "uto-td3", "--seed", "1", "--out", str(blocker)])
    err = capsys.readouterr().err.strip()
    assert status == 2 and "not a folder" in err and len(err.splitlines()) == 1


def test_techniques_json_lists_every_technique_with_its_family(capsys):
    assert main(["techniques", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["technique"]: r["family"] for r in rows} == {k: t.family for k, t in TECHNIQUES.items()}
    assert all(set(r) == {"technique", "family", "description", "substrates", "views", "requires"} for r in rows)
    substrates = {r["technique"]: set(r["substrates"]) for r in rows}
    assert substrates["erasure"] == {"paper"} and substrates["delamination"] == {"polycarbonate"}
    assert substrates["missing-microprint"] == {"paper", "polycarbonate"}


# --------------------------------------------------------------------------
# two-sided cards: one picture per side

def test_a_scanned_card_has_one_picture_per_side_and_each_maps_back_to_the_sheet(tmp_path):
    import cv2

    from docexam.specimens.sides import side_views

    flat = render_specimen("mrd-td1", seed=9)
    scan = render_specimen("mrd-td1", seed=9, capture="scan")
    write_specimen(scan, tmp_path, "card")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["card.back.ir.png", "card.back.png", "card.back.uv.png", "card.ir.png", "card.json",
                     "card.png", "card.raking.portrait.jpg", "card.uv.png"]
    spec = load_specimen(tmp_path / "card.json")
    tpl = find_template("mrd-td1")
    views = side_views(spec)
    assert [v.name for v in views] == ["front", "back"] and all(v.crop is None for v in views)
    assert spec.capture["homography"] == spec.extra["sides"][0]["homography"]
    sheet = flat.images["visible"]
    for view, (name, (x0, y0, x1, y1)) in zip(views, tpl.sides):
        picture = load_rgb(view.images["visible"])
        assert picture.shape[1] < sheet.shape[1] * 0.7, "a picture of one side, not of the sheet"
        # the picture warped back with its homography is that side of the flat sheet
        back = cv2.warpPerspective(picture, np.linalg.inv(view.homography) , (tpl.width, tpl.height))
        a = cv2.cvtColor(back[y0 + 40:y1 - 40, x0 + 40:x1 - 40], cv2.COLOR_RGB2GRAY).astype(float)
        b = cv2.cvtColor(sheet[y0 + 40:y1 - 40, x0 + 40:x1 - 40], cv2.COLOR_RGB2GRAY).astype(float)
        a, b = cv2.GaussianBlur(a, (0, 0), 3), cv2.GaussianBlur(b, (0, 0), 3)
        assert np.corrcoef(a.ravel(), b.ravel())[0, 1] > 0.9, name


@pytest.mark.parametrize("template_id, capture", [("mrd-td1", "flat"), ("uto-td3", "phone")])
def test_a_flat_card_is_one_sheet_and_a_page_is_one_picture(tmp_path, template_id, capture):
    from docexam.specimens.sides import side_views

    write_specimen(render_specimen(template_id, seed=2, capture=capture), tmp_path, "s")
    spec = load_specimen(tmp_path / "s.json")
    views = side_views(spec)
    # a card is laser-engraved: its portrait in raking light too; a paper page: against a lamp
    extra = {"s.raking.portrait.jpg"} if template_id == "mrd-td1" else {"s.transmitted.png"}
    assert {p.name for p in tmp_path.iterdir()} == {"s.png", "s.uv.png", "s.ir.png", "s.json"} | extra
    if template_id == "mrd-td1":  # both sides are crops of the one sheet picture
        assert [v.crop for v in views] == [box for _, box in find_template(template_id).sides]
        assert all(v.images["visible"] == spec.image_path("visible") for v in views)
    else:
        assert len(views) == 1 and views[0].crop is None and "sides" not in spec.extra


def test_a_page_printed_on_bought_paper_has_no_watermark_or_thread_against_the_lamp():
    # the watermark and thread are made inside the security paper: a forger's office paper has neither
    d = get_design("uto-td3")
    x0, y0, x1, y1 = d.zone_px("watermark")
    tx0, ty0, tx1, ty1 = d.zone_px("thread")
    from docexam.synth.features import page_features

    picture = np.abs(page_features(d).thickness[y0:y1, x0:x1]) > 0.3
    seen = {}
    for forge in (None, "wrong-substrate"):
        r = render_specimen("uto-td3", seed=5, forge=forge, severity=0.5)
        lamp, desk = (r.images[light].astype(float).mean(axis=2) for light in ("transmitted", "visible"))
        ratio = lamp[y0:y1, x0:x1] / np.maximum(desk[y0:y1, x0:x1], 1)
        seen[forge] = (ratio[~picture].mean() - ratio[picture].mean(), lamp[ty0:ty1, tx0:tx1].mean() / lamp.mean())
    assert seen[None][0] > 0.02 and seen[None][1] < 0.75  # the genuine sheet: its watermark and its dark thread
    assert abs(seen["wrong-substrate"][0]) < 0.01 and seen["wrong-substrate"][1] > 0.9
    forged = render_specimen("uto-td3", seed=5, forge="wrong-substrate", severity=0.5)
    assert "no watermark" in forged.sidecar["anomalies"][0]["note"]


def test_a_library_specimen_has_a_screen_copy_of_every_picture(tmp_path):
    """The library the app shows keeps each picture's screen copy beside it, from the rendered pixels: at most
    SCREEN_WIDTH wide, the same picture (a page then never decodes the full-size file while trainees wait)."""
    import cv2

    from docexam.formats.specimen import SCREEN_QUALITY, SCREEN_WIDTH, screen_copy_name

    rendered = render_specimen("mrd-td1", seed=2, capture="scan")
    write_specimen(rendered, tmp_path / "plain", "s", storage="library")
    assert not list((tmp_path / "plain").glob("*.screen.jpg"))  # only when asked (evaluation sets need none)
    write_specimen(rendered, tmp_path / "shown", "s", storage="library", screen_copies=True)
    spec = load_specimen(tmp_path / "shown" / "s.json")
    pictures = sorted(p for p in (tmp_path / "shown").iterdir()
                      if p.suffix in (".jpg", ".png") and ".screen." not in p.name and ".mask." not in p.name)
    assert spec.image_path("visible") in pictures and len(pictures) >= 4  # two sides' lights and a view
    copies = {p.name for p in (tmp_path / "shown").glob("*.screen.jpg")}
    # a picture no wider than a screen (the raking view of the portrait) is shown as it is
    wide = [p for p in pictures if load_rgb(p).shape[1] > SCREEN_WIDTH]
    assert copies == {screen_copy_name(p.name) for p in wide} and spec.image_path("visible") in wide
    assert len(wide) < len(pictures)
    for picture in wide:
        full, copy = load_rgb(picture), load_rgb(picture.with_name(screen_copy_name(picture.name)))
        h, w = full.shape[:2]
        assert copy.shape[1] == SCREEN_WIDTH and abs(copy.shape[0] - h * SCREEN_WIDTH / w) <= 1
        small = cv2.resize(full, copy.shape[1::-1], interpolation=cv2.INTER_AREA).astype(float)
        assert np.abs(small - copy).mean() < 4, picture.name  # the same picture, JPEG apart
        # never finer than the picture itself (a copy of a quality-60 picture at 85 stores its blocks, no more)
        coarsest = max(_dc_step(picture), _ijg_dc_step(SCREEN_QUALITY))
        assert _dc_step(picture.with_name(screen_copy_name(picture.name))) == coarsest, picture.name
    # the views are looked at on a screen only: stored no wider than one, with no copy
    views = [p for p in pictures if ".raking." in p.name or ".tilt." in p.name]
    assert views and all(load_rgb(p).shape[1] <= SCREEN_WIDTH for p in views)


def _dc_step(jpeg) -> int:
    """The luminance DC quantisation step of a JPEG file."""
    from PIL import Image

    with Image.open(jpeg) as im:
        return im.quantization[0][0]


def _ijg_dc_step(quality: int) -> int:
    """The luminance DC step the IJG tables give at ``quality`` (its base step is 16): 5 at 85, 8 at 75, 13 at 60."""
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    return max(1, (16 * scale + 50) // 100)
