"""`docexam template add|list|show` and docexam.authoring.

Known answers: a real specimen (the ICAO Utopia passport from the external
PassportEye test data, skipped where ../shared is absent) and a downscaled
shipped reference image become templates whose simulated phone capture
registers back within 2 px; every refusal is one line, exit status 2 and
nothing written.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from docexam.cli import main
from docexam.imaging import load_rgb
from docexam.paths import shipped_templates_dir
from docexam.authoring import AuthoringError, add_template, check_alignment
from docexam.specimens.model import load_template
from docexam.specimens.registry import find_template

# Zones of images/tests-data/passport-td3.png (1334x880), measured once by eye
REAL_ZONES = [
    {"name": "portrait", "kind": "portrait", "bbox": [125, 225, 435, 620]},
    {"name": "state-name", "kind": "emblem", "bbox": [460, 60, 665, 115]},
    {"name": "document_number", "kind": "field", "bbox": [945, 170, 1110, 205]},
    {"name": "surname", "kind": "field", "bbox": [470, 235, 640, 268]},
    {"name": "given_names", "kind": "field", "bbox": [470, 297, 670, 330]},
    {"name": "date_of_birth", "kind": "field", "bbox": [470, 418, 770, 450]},
    {"name": "mrz", "kind": "mrz", "bbox": [105, 660, 1190, 765]},
]
#: the shipped reference is downscaled by this factor to keep the tests light
SHRINK = 3


def _write_zones(path, zones):
    path.write_text(json.dumps(zones, indent=1), encoding="utf-8")
    return path


def _cli(capsys, *argv):
    status = main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def small_uto(tmp_path_factory):
    """The shipped uto-td3 reference images at a third of their size, with scaled zones."""
    folder = tmp_path_factory.mktemp("small-uto")
    src = shipped_templates_dir() / "uto-td3"
    tpl = load_template(src)
    paths = {}
    for light in ("visible", "uv", "ir"):
        img = load_rgb(src / tpl.images[light])
        small = cv2.resize(img, (img.shape[1] // SHRINK, img.shape[0] // SHRINK), interpolation=cv2.INTER_AREA)
        paths[light] = folder / f"{light}.png"
        cv2.imwrite(str(paths[light]), cv2.cvtColor(small, cv2.COLOR_RGB2BGR))
    w, h = tpl.width // SHRINK, tpl.height // SHRINK
    zones = []
    for z in tpl.zones:
        x0, y0, x1, y1 = (v // SHRINK for v in z.bbox)
        if x1 > x0 and y1 > y0:
            zones.append({"name": z.name, "kind": z.kind, "bbox": [x0, y0, min(x1, w), min(y1, h)]})
    paths["zones"] = _write_zones(folder / "zones.json", zones)
    paths["size"] = (w, h)
    return paths


def _nothing_written(home, template_id):
    root = home / "templates"
    assert not (root / template_id).exists()
    assert not root.exists() or not any(root.iterdir()), list(root.iterdir())


# --------------------------------------------------------------------------
# a real specimen


def test_real_specimen_becomes_a_template(passporteye_data, docexam_home, tmp_path, capsys):
    image = passporteye_data / "images" / "tests-data" / "passport-td3.png"
    zones = _write_zones(tmp_path / "zones.json", REAL_ZONES)
    status, out, err = _cli(capsys, "template", "add", "--id", "uto-real", "--name", "Utopia passport (ICAO specimen)",
                            "--format", "TD3", "--visible", image, "--zones", zones, "--json")
    assert status == 0, err
    result = json.loads(out)
    check = result["self_check"]
    assert check["ok"] and check["reprojection_error_px"] < 2.0 and check["true_error_px"] < 2.0, check
    # the file says ~96 dpi, which would make the page 353 mm wide: estimated instead
    assert result["dpi_source"] == "estimated" and result["dpi"] == round(1334 / (125 / 25.4))

    folder = docexam_home / "templates" / "uto-real"
    assert sorted(p.name for p in folder.iterdir()) == ["template.json", "visible.png"]
    tpl = load_template(folder)
    assert tpl.size_px == (1334, 880) and tpl.format == "TD3" and not tpl.synthetic
    assert [z.as_dict() for z in tpl.zones] == REAL_ZONES
    assert find_template("uto-real").folder == folder
    assert load_rgb(folder / "visible.png").shape == (880, 1334, 3)
    # the specimen's MRZ was read where the zone says, so examine can read it there too
    assert tpl.extra["reference_mrz"] == ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                          "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
    ox, oy = tpl.extra["mrz_layout"]["origin"]
    assert 105 <= ox <= 125 and 690 <= oy <= 702 and 23 < tpl.extra["mrz_layout"]["pitch_px"] < 25

    # the human-readable output of the same command prints the errors
    status, out, err = _cli(capsys, "template", "add", "--id", "uto-real", "--name", "Utopia", "--format", "TD3",
                            "--visible", image, "--zones", zones, "--replace")
    assert status == 0, err
    assert "replaced template uto-real" in out and "reprojection error" in out and "true error" in out


def test_second_real_image_aligns_to_the_real_template(passporteye_data, tmp_path):
    # the UI's check: another photo of the same specimen (the JPEG scan) aligns to it
    base = passporteye_data / "images" / "tests-data"
    added = add_template(template_id="uto-real", name="Utopia", fmt="TD3", visible=base / "passport-td3.png",
                         zones=REAL_ZONES)
    check = check_alignment(added.template, base / "passport-td3.jpg")
    assert check.ok and check.reprojection_error_px < 2.0 and check.true_error_px is None, check


# --------------------------------------------------------------------------
# a synthetic image (no ../shared needed), through the Python API


def test_api_adds_template_with_uv_ir_and_checks_alignment(small_uto, docexam_home):
    added = add_template(template_id="uto-small", name="Utopia, small", fmt="TD3", visible=small_uto["visible"],
                         uv=small_uto["uv"], ir=small_uto["ir"], zones=small_uto["zones"], dpi=200)
    tpl = added.template
    assert tpl.folder == docexam_home / "templates" / "uto-small"
    assert tpl.lights == ("visible", "uv", "ir") and tpl.dpi == 200 and added.dpi_source == "option"
    assert tpl.size_px == small_uto["size"] and tpl.extra["synthetic"] is False
    assert added.self_check.ok and added.self_check.true_error_px < 2.0, added.self_check
    assert find_template("uto-small").images == {"visible": "visible.png", "uv": "uv.png", "ir": "ir.png"}
    # the synthetic reference's MRZ area is blank: no layout, and the trainer is told
    assert "mrz_layout" not in tpl.extra and any("MRZ could not be read" in n for n in added.notes)

    # a scan of the page aligns to the new template; a grey page does not
    from docexam.synth.capture import simulate_capture

    scan = simulate_capture({"visible": load_rgb(small_uto["visible"])}, kind="scan", seed=5, dpi=200)
    assert check_alignment(tpl, scan.images["visible"]).ok
    grey = check_alignment(tpl, np.full((500, 700, 3), 128, np.uint8))
    assert not grey.ok and grey.reason

    # the id is now taken; --replace replaces it; listing shows the source
    with pytest.raises(AuthoringError, match="already used by a user template"):
        add_template(template_id="uto-small", name="x", fmt="TD3", visible=small_uto["visible"],
                     zones=small_uto["zones"])
    again = add_template(template_id="uto-small", name="Utopia again", fmt="TD3", visible=small_uto["visible"],
                         zones=small_uto["zones"], replace=True)
    assert again.replaced and again.template.lights == ("visible",) and again.template.name == "Utopia again"
    assert sorted(p.name for p in (docexam_home / "templates").iterdir()) == ["uto-small"]


def test_list_and_show(small_uto, docexam_home, capsys):
    add_template(template_id="uto-small", name="Utopia, small", fmt="TD3", visible=small_uto["visible"],
                 zones=small_uto["zones"], home=docexam_home)
    status, out, _ = _cli(capsys, "template", "list", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert status == 0 and rows["uto-small"]["source"] == "user" and rows["uto-td3"]["source"] == "shipped"
    assert rows["uto-small"]["synthetic"] is False and rows["uto-td3"]["synthetic"] is True
    status, out, _ = _cli(capsys, "template", "show", "uto-small", "--json")
    shown = json.loads(out)
    assert status == 0 and shown["id"] == "uto-small" and shown["source"] == "user" and shown["self_check"]["ok"]
    status, out, _ = _cli(capsys, "template", "show", "uto-small")
    assert status == 0 and "real specimen" in out and "mrz" in out
    status, _, err = _cli(capsys, "template", "show", "no-such-template")
    assert status == 2 and err.count("\n") == 1 and "no-such-template" in err


# --------------------------------------------------------------------------
# refusals: one line on stderr, exit status 2, nothing written


def _refusal_case(case, small_uto, tmp_path):
    """(template id, extra argv, expected fragment of the message)."""
    zones = json.loads(small_uto["zones"].read_text())
    w, h = small_uto["size"]
    args = {"--visible": small_uto["visible"], "--zones": small_uto["zones"]}
    if case == "id-used":
        return "uto-td3", args, "already used by a shipped template"
    if case == "bad-id":
        return "Bad_Id", args, "kebab-case"
    if case == "zone-outside":
        zones[1]["bbox"] = [w - 50, 10, w + 40, 60]
        args["--zones"] = _write_zones(tmp_path / "z.json", zones)
        return "t-outside", args, f"zones[1].bbox: [{w - 50}, 10, {w + 40}, 60] lies outside the {w}x{h} image"
    if case == "bad-kind":
        zones[0]["kind"] = "photo"
        args["--zones"] = _write_zones(tmp_path / "z.json", zones)
        return "t-kind", args, "zones[0].kind: 'photo' is not one of"
    if case == "json-syntax":
        bad = tmp_path / "z.json"
        bad.write_text('[\n {"name": "mrz", "kind": "mrz",\n  "bbox": [1, 2, 3, 4]\n ,]\n', encoding="utf-8")
        args["--zones"] = bad
        return "t-syntax", args, "z.json: line 4: JSON:"
    if case == "unreadable-image":
        fake = tmp_path / "scan.png"
        fake.write_text("not an image", encoding="utf-8")
        args["--visible"] = fake
        return "t-image", args, "scan.png: not an image file"
    if case == "uv-size":
        uv = tmp_path / "uv.png"
        cv2.imwrite(str(uv), np.zeros((h // 2, w // 2, 3), np.uint8))
        args["--uv"] = uv
        return "t-uv", args, f"the UV image is {w // 2}x{h // 2} px, the visible image {w}x{h} px"
    if case == "featureless":
        grey = tmp_path / "grey.png"
        cv2.imwrite(str(grey), np.full((h, w, 3), 128, np.uint8))
        args["--visible"] = grey
        return "t-grey", args, "does not align back"
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["id-used", "bad-id", "zone-outside", "bad-kind", "json-syntax",
                                  "unreadable-image", "uv-size", "featureless"])
def test_refusals(case, small_uto, docexam_home, tmp_path, capsys):
    template_id, args, fragment = _refusal_case(case, small_uto, tmp_path)
    argv = ["template", "add", "--id", template_id, "--name", "x", "--format", "TD3"]
    for flag, value in args.items():
        argv += [flag, value]
    status, out, err = _cli(capsys, *argv)
    assert status == 2 and out == ""
    assert err.startswith("docexam: ") and err.count("\n") == 1, err
    assert fragment in err, err
    _nothing_written(docexam_home, template_id)
    assert (shipped_templates_dir() / "uto-td3" / "template.json").is_file()


def test_failure_while_writing_leaves_nothing_and_keeps_the_old_template(small_uto, docexam_home, monkeypatch):
    from docexam.authoring import templates
    from docexam.errors import OutputError

    first = add_template(template_id="uto-small", name="first", fmt="TD3", visible=small_uto["visible"],
                         zones=small_uto["zones"])

    def disk_full(template):
        (template.folder / "template.json").write_text("{half", encoding="utf-8")
        raise OutputError(template.folder / "template.json", "cannot write (No space left on device)")

    monkeypatch.setattr(templates, "save_template", disk_full)
    for template_id, replace in (("uto-other", False), ("uto-small", True)):
        with pytest.raises(OutputError, match="No space left"):
            add_template(template_id=template_id, name="second", fmt="TD3", visible=small_uto["visible"],
                         zones=small_uto["zones"], replace=replace)
    root = docexam_home / "templates"
    assert sorted(p.name for p in root.iterdir()) == ["uto-small"]  # no staging folder left behind
    assert load_template(first.folder).name == "first"
