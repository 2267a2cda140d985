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
from docexam.synth.render import render_specimen

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
    tpl = find_template(template_id)
    rendered = render_specimen(template_id, seed=3)
    assert rendered.sidecar["authentic"] is True and rendered.sidecar["anomalies"] == []
    for light in tpl.lights:
        image = rendered.images[light]
        reference = load_rgb(tpl.image_path(light))
        assert image.shape == reference.shape == (tpl.height, tpl.width, 3)
        changed = np.any(image != reference, axis=2)
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
    tpl = find_template("uto-td3")
    assert main(["synth", "render", "--template", "uto-td3", "--seed", "11", "--forge", technique,
                 "--out", str(tmp_path), "--name", "f"]) == 0
    spec = load_specimen(tmp_path / "f.json")  # validates boxes inside zones against the template
    assert not spec.authentic and spec.anomalies
    mask = load_rgb(spec.mask_path)[..., 0]
    assert mask.shape == (tpl.height, tpl.width)
    for a in spec.anomalies:
        assert a.technique == technique and a.family == TECHNIQUES[technique].family
        assert a.note and a.severity is not None
        region = mask == a.mask_label
        assert region.any(), "mask is not empty"
        ys, xs = np.nonzero(region)
        assert [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1] == list(a.bbox)
        zone = tpl.zone(a.zone)
        assert zone.kind in TECHNIQUES[technique].zone_kinds


def test_the_forgery_changes_the_image_where_the_mask_says():
    genuine = render_specimen("uto-td3", seed=21)
    forged = render_specimen("uto-td3", seed=21, forge="missing-microprint", severity=0.9)
    diff = np.abs(forged.images["visible"].astype(int) - genuine.images["visible"].astype(int)).sum(axis=2) > 30
    inside = forged.mask > 0
    assert diff[inside].mean() > 0.05
    assert diff[~inside].mean() < 0.001


def test_severity_controls_how_visible_the_forgery_is():
    genuine = render_specimen("mrd-td1", seed=5).images["uv"].astype(float)

    def uv_glow(severity):
        forged = render_specimen("mrd-td1", seed=5, forge="wrong-substrate", severity=severity)
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
    assert all(set(r) == {"technique", "family", "description"} for r in rows)
