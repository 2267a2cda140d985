"""The shipped library's recipes, mixed sets, the catalogue and the gallery."""

from __future__ import annotations

import json
from collections import defaultdict

import numpy as np
import pytest

from docexam.cli import main
from docexam.errors import InvalidFieldError
from docexam.imaging import load_image
from docexam.specimens import TECHNIQUES, find_template, load_specimen
from docexam.synth.designs import DESIGNS
from docexam.synth.library import load_library_recipes, plan_set, recipe_name
from docexam.synth.templates import template_document


def test_the_library_covers_every_technique_three_times_in_several_captures_and_severities():
    recipes = load_library_recipes()
    assert len(recipes) >= 120
    assert sum(r["forge"] is None for r in recipes) >= 30
    seen = defaultdict(list)
    for r in recipes:
        if r["forge"]:
            seen[r["forge"]].append((r["capture"], r["severity"], r["template"]))
    assert set(seen) == set(TECHNIQUES)
    for tech, variants in seen.items():
        assert len(variants) >= 3, tech
        assert len({c for c, _, _ in variants}) == 3, tech
        assert len({s for _, s, _ in variants}) >= 3, tech
    assert len({recipe_name(r) for r in recipes}) == len(recipes), "names are unique"


def test_the_library_plans_no_impossible_combination():
    for r in load_library_recipes():
        if r["forge"]:
            assert TECHNIQUES[r["forge"]].applies_to(DESIGNS[r["template"]].substrate), recipe_name(r)
    for r in plan_set(60, seed=3):
        if r["forge"]:
            assert TECHNIQUES[r["forge"]].applies_to(DESIGNS[r["template"]].substrate), recipe_name(r)


def test_the_plan_picks_up_new_techniques_and_templates_by_itself():
    """The plan is data: a catalogue with more techniques or designs gets them without code changes."""
    from docexam.synth.library import plan_library

    small = plan_library(techniques=["erasure", "re-engraving"])
    assert {r["forge"] for r in small} == {None, "erasure", "re-engraving"}
    # the polycarbonate documents: the TD1 and TD2 cards and Meridia's passport data page
    assert {r["template"] for r in small if r["forge"] == "re-engraving"} == {"mrd-td1", "uto-td2", "mrd-td3"}
    assert len(plan_library(templates=["uto-td3"])) >= 120


def test_the_recipe_file_is_what_plan_library_makes():
    """specimens/library/library.json was written by plan_library(); they must not drift apart."""
    from docexam.synth.library import plan_library

    assert load_library_recipes() == plan_library()


def test_a_broken_recipe_file_names_the_field(tmp_path):
    bad = tmp_path / "library.json"
    bad.write_text(json.dumps({"specimens": [{"template": "uto-td3", "seed": 1, "capture": "fax"}]}))
    with pytest.raises(InvalidFieldError, match=r"specimens\[0\].capture"):
        load_library_recipes(bad)


def test_plan_set_mixes_techniques_captures_and_is_reproducible():
    count = 4 * len(TECHNIQUES)
    a = plan_set(count, seed=9)
    assert a == plan_set(count, seed=9)
    assert a != plan_set(count, seed=10)
    forged = [r for r in a if r["forge"]]
    assert len(forged) == count // 2
    assert {r["forge"] for r in forged} == set(TECHNIQUES)
    assert {r["capture"] for r in a} == {"flat", "scan", "phone"}
    assert {r["template"] for r in a} == set(DESIGNS)


def test_synth_set_and_gallery_commands(tmp_path, capsys):
    out = tmp_path / "set"
    assert main(["synth", "set", "--out", str(out), "--count", "3", "--seed", "4", "--quiet"]) == 0
    sidecars = sorted(out.glob("*.json"))
    assert len(sidecars) == 3
    specimens = [load_specimen(p) for p in sidecars]
    assert sum(s.authentic for s in specimens) in (1, 2)
    sheet = tmp_path / "gallery.png"
    assert main(["synth", "gallery", str(out), "--out", str(sheet), "--columns", "2", "--tile", "200"]) == 0
    image = load_image(sheet)
    assert image.size[0] == 2 * 208 + 8
    # a forged tile carries its anomaly box in its family colour somewhere on the sheet
    colours = {(230, 120, 0), (200, 0, 160), (220, 20, 30)}
    assert any(np.all(image.rgb == c, axis=2).any() for c in colours)


def test_shipped_template_json_is_what_the_design_says():
    for tid in ("uto-td3", "mrd-td1"):
        shipped = json.loads(find_template(tid).folder.joinpath("template.json").read_text())
        assert shipped == json.loads(json.dumps(template_document(tid)))


@pytest.mark.slow
def test_shipped_reference_images_are_what_the_code_renders():
    """Fails when the drawing code drifts from the committed reference images
    (re-render them with ``docexam synth templates``)."""
    from docexam.synth.inks import to_uint8
    from docexam.synth.reference import render_reference

    for template_id in DESIGNS:
        ref = render_reference(template_id)
        tpl = find_template(template_id)
        for light in tpl.lights:
            drawn = to_uint8(ref.images[light]).astype(np.int16)
            shipped = load_image(tpl.image_path(light)).rgb.astype(np.int16)
            assert drawn.shape == shipped.shape, (template_id, light)
            off = np.abs(drawn - shipped).max(axis=2)
            # another CPU's vector code may round a few blended pixels the other way (seen: 1 level
            # on 1-17 of 6 million pixels); a change in the drawing moves far more, by far more
            assert off.max() <= 1 and np.count_nonzero(off) <= off.size * 1e-4, \
                (template_id, light, int(off.max()), int(np.count_nonzero(off)))


@pytest.mark.slow
def test_the_shipped_library_renders_validates_and_matches_its_catalogue(shipped_library_folder, tmp_path):
    from docexam.paths import specimens_dir
    from docexam.synth.library import folder_specimens, write_catalogue

    specimens = folder_specimens(shipped_library_folder)  # load_specimen validates against the templates
    recipes = load_library_recipes()
    assert sorted(s.name for s in specimens) == sorted(recipe_name(r) for r in recipes)
    for s in specimens:
        assert s.image_path("uv").is_file() and s.image_path("ir").is_file()
        if not s.authentic:
            assert s.mask_path.is_file()
    fresh = write_catalogue(tmp_path / "README.md", specimens=[
        next(s for s in specimens if s.name == recipe_name(r)) for r in recipes])
    assert fresh.read_text() == (specimens_dir() / "README.md").read_text(), \
        "specimens/README.md is stale: run docexam synth library --catalogue specimens/README.md"
