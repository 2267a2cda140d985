"""Known-answer tests of the examination pipeline (docexam.examine)."""

from __future__ import annotations

import numpy as np
import pytest

import docexam.examine
from docexam.examine import Report, examine, render_heatmap
from docexam.examine.compare import warp_crop
from docexam.examine.pipeline import Pipeline
from docexam.examine.report import Evidence, Finding, logistic
from docexam.examine.steps import STEPS
from docexam.specimens.techniques import TECHNIQUES
from docexam.synth.library import compatible_templates
from docexam.synth.render import render_specimen

CONTRACT_KEYS = {"image", "template", "verdict", "score", "findings", "registration", "timings_ms"}


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _examine(rendered, **kw):
    return examine(rendered.images["visible"], rendered.sidecar["template"], uv=rendered.images.get("uv"),
                   ir=rendered.images.get("ir"), **kw)


# --------------------------------------------------------------------------
# small pure pieces

def test_logistic_is_half_at_threshold_and_monotone():
    assert logistic(0.3, 0.3, 0.1) == 0.5
    assert logistic(0.1, 0.3, 0.1) < logistic(0.2, 0.3, 0.1) < logistic(0.4, 0.3, 0.1)
    with pytest.raises(ValueError, match="width"):
        logistic(1, 0, 0)


def test_finding_checks_family_and_technique():
    with pytest.raises(ValueError, match="technique"):
        Finding("substrate", "halftone-reproduction", "page", (0, 0, 1, 1), 0.9, "x")
    f = Evidence("printing", "broken-guilloche", "band", [1, 2, 3, 4], 0.5, 0.25, 0.05, "m").finding()
    assert f.as_dict()["bbox"] == [1, 2, 3, 4] and f.score > 0.99


def test_warp_crop_with_identity_is_a_slice():
    img = np.arange(400, dtype=np.uint8).reshape(20, 20)
    assert (warp_crop(img, np.eye(3), [3, 4, 9, 7]) == img[4:7, 3:9]).all()


def test_fast_decode_matches_the_reference_loader_and_leaves_odd_files_to_it(tmp_path):
    from PIL import Image

    from docexam.imaging import decode_fast, load_rgb

    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    for name, kw in (("a.png", {}), ("a.jpg", {"quality": 92})):
        Image.fromarray(img).save(tmp_path / name, **kw)
        fast = decode_fast(tmp_path / name)
        assert fast is not None and fast.shape == (48, 64, 3)
        # JPEG decoders may differ by a rounding step (IDCT/upsampling)
        assert np.abs(fast.astype(int) - load_rgb(tmp_path / name)).max() <= (0 if name.endswith("png") else 6)
    data = (tmp_path / "a.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    assert decode_fast(tmp_path / "cut.png") is None  # truncated: load_rgb reports it
    Image.fromarray(img).convert("RGBA").save(tmp_path / "rgba.png")
    assert decode_fast(tmp_path / "rgba.png") is None


def test_warp_views_shrinks_by_an_integer_factor_like_an_area_resize():
    import cv2

    from docexam.examine.compare import warp_views
    from docexam.examine.model import reference_model
    from docexam.specimens.registry import find_template

    model = reference_model(find_template("uto-td3"))
    ref = model.full["visible"]
    # a capture at twice the template resolution, on a scanner bed
    big = cv2.resize(ref, (ref.shape[1] * 2, ref.shape[0] * 2), interpolation=cv2.INTER_LINEAR)
    bed = np.full((big.shape[0] + 40, big.shape[1] + 60, 3), 250, np.uint8)
    bed[20:20 + big.shape[0], 30:30 + big.shape[1]] = big
    h = np.array([[0.5, 0, -15.0 - 0.25], [0, 0.5, -10.0 - 0.25], [0, 0, 1.0]])  # image -> template pixels
    v = warp_views({"visible": bed}, h, model)
    assert v.covered.all()
    assert v.raw["visible"].shape == model.work["visible"].shape
    diff = np.abs(v.work["visible"] - model.work["visible"]).mean()
    assert diff < 0.02


def test_steps_declare_inputs_and_outputs():
    assert {"load", "register", "warp", "compare", "substrate", "printing", "personalization", "decide"} <= set(STEPS)
    with pytest.raises(ValueError, match="unknown step"):
        Pipeline(steps=("load", "nope"))
    with pytest.raises(ValueError, match="needs"):
        Pipeline(steps=("warp",)).run()


def test_load_step_alone_does_not_modify_arrays():
    img = np.full((40, 50), 7, np.uint8)
    out = STEPS["load"](sources={"visible": img, "uv": None})
    assert out["images"]["visible"].shape == (40, 50, 3) and "uv" not in out["images"]
    assert img.shape == (40, 50) and (img == 7).all()


def test_report_as_dict_has_contract_fields_and_reason_when_inconclusive():
    r = Report("a.png", "uto-td3", "inconclusive", 0.0, reason="the image is too small")
    d = r.as_dict()
    assert CONTRACT_KEYS <= set(d) and d["reason"] == "the image is too small"
    assert render_heatmap(r).dtype == np.uint8
    with pytest.raises(ValueError, match="verdict"):
        Report("a.png", "uto-td3", "maybe", 0.0)


# --------------------------------------------------------------------------
# inconclusive inputs: never a pile of findings

def test_noise_image_is_inconclusive_with_reason():
    rng = np.random.default_rng(0)
    r = examine(rng.integers(0, 256, (900, 1300, 3), dtype=np.uint8), "uto-td3")
    assert r.verdict == "inconclusive" and r.findings == [] and r.reason
    assert CONTRACT_KEYS | {"reason"} <= set(r.as_dict())


def test_photo_of_something_else_is_inconclusive():
    from skimage import data

    r = examine(data.astronaut(), "uto-td3")
    assert r.verdict == "inconclusive" and r.reason


def test_tiny_image_is_inconclusive():
    r = examine(np.full((120, 160, 3), 200, np.uint8), "mrd-td1")
    assert r.verdict == "inconclusive" and "too small" in r.reason


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="template"):
        examine(np.zeros((10, 10, 3), np.uint8), 42)
    with pytest.raises(ValueError, match="images"):
        examine(np.zeros((10, 10, 3), np.float32), "uto-td3")


# --------------------------------------------------------------------------
# genuine documents of other holders are consistent

@pytest.mark.parametrize("template, capture, seed", [
    ("uto-td3", "flat", 21), ("mrd-td1", "flat", 22), ("uto-td3", "scan", 23),
    ("mrd-td1", "phone", 24),  # a phone photo of a card shows one side: registered to it
    ("uto-td3", "phone", 25),
])
def test_genuine_documents_are_consistent(template, capture, seed):
    rendered = render_specimen(template, seed=seed, capture=capture)
    before = rendered.images["visible"].copy()
    r = _examine(rendered)
    assert r.verdict == "consistent", [(f.technique, f.zone, round(f.score, 2)) for f in r.findings]
    assert r.score < 0.5 and r.registration["ok"]
    assert (rendered.images["visible"] == before).all()  # inputs never modified
    assert r.heatmap is not None and r.heatmap.shape == r.aligned["visible"].shape[:2]
    assert render_heatmap(r).shape == r.aligned["visible"].shape


def test_an_impostor_with_a_genuine_document_is_left_to_the_officer_at_the_portrait():
    # a look-alike presenting a genuine document: nothing on the page departs from the genuine document,
    # so the report passes the page and tells the officer to compare the portrait with the traveller
    r = _examine(render_specimen("uto-td3", seed=26, capture="flat", forge="impostor", severity=0.9))
    assert r.verdict == "consistent", [(f.technique, f.zone, round(f.score, 2)) for f in r.findings]
    told = [u.as_dict() for u in r.unexamined if u.needs == "presenter"]
    assert [(u["zone"], u["feature"]) for u in told] == [("portrait", "portrait")]
    assert "person in front of you" in told[0]["message"]


def test_only_a_side_with_a_portrait_lists_the_presenter_check():
    from docexam.examine.analyzers.portrait import presenter_check
    from docexam.examine.model import reference_model
    from docexam.specimens.registry import find_template

    card = reference_model(find_template("mrd-td1"))
    assert [u.zone for u in presenter_check(card.for_side("front").template)] == ["portrait"]
    assert presenter_check(card.for_side("back").template) == []


def test_wrong_template_is_inconclusive():
    rendered = render_specimen("mrd-td1", seed=26, capture="flat")
    r = examine(rendered.images["visible"], "uto-td3")
    assert r.verdict == "inconclusive" and r.reason and not r.findings


# --------------------------------------------------------------------------
# every technique is detected on a flat capture, right family, box on the anomaly

CASES = [(t, compatible_templates(t)[i % len(compatible_templates(t))], 0.8) for i, t in enumerate(TECHNIQUES)]
# a couple of subtle ones
CASES += [("photo-substitution", "uto-td3", 0.3), ("mrz-inconsistency", "uto-td3", 0.2)]
#: the card attacks came later: the other techniques keep the seeds they always had
_CARD_ONLY = {t for t, tech in TECHNIQUES.items() if tech.substrates == ("polycarbonate",)}
SEEDS = {t: 500 + i for i, t in enumerate(sorted(TECHNIQUES, key=lambda t: (t in _CARD_ONLY, t)))}
#: techniques the pipeline has no analyzer for yet (issue 12): strict, so this fails once it has
NOT_YET = {
}
#: frauds that leave the document genuine: nothing on the page to find (the same-person quiz item asks about them)
NOT_ON_THE_PAGE = {"impostor"}
#: found on some devices only: tested by themselves below
ON_SOME_DEVICES = {"printed-ovd"}
#: journey content one picture cannot judge: 'inconclusive' with advice (tests/test_examine_booklet.py)
LEFT_TO_THE_OFFICER = {"counterfeit-stamp", "stamp-date-contradiction"}


@pytest.mark.parametrize("technique, template, severity", [
    pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[case[0]]))
    if case[0] in NOT_YET else case for case in CASES
    if case[0] not in NOT_ON_THE_PAGE | ON_SOME_DEVICES | LEFT_TO_THE_OFFICER])
def test_technique_detected_on_flat_capture(technique, template, severity):
    rendered = render_specimen(template, seed=SEEDS[technique], capture="flat",
                               forge=technique, severity=severity)
    truths = rendered.sidecar["anomalies"]
    r = _examine(rendered)
    assert r.verdict == "suspect", r.as_dict()
    top = r.findings[0]
    # a field change can leave the MRZ behind: either trace is a right answer
    assert top.family in {t["family"] for t in truths}, [(f.technique, f.zone) for f in r.findings]
    assert any(_overlaps(f.bbox, t["bbox"]) for f in r.findings for t in truths if f.family == t["family"])
    zone = next(z for z in docexam.examine.pipeline._resolve_template(template).zones if z.name == top.zone)
    x0, y0, x1, y1 = top.bbox
    assert zone.bbox[0] <= x0 < x1 <= zone.bbox[2] and zone.bbox[1] <= y0 < y1 <= zone.bbox[3]
    assert r.score >= 0.5 and top.message


def test_printed_ovd_is_found_on_a_foil_and_left_to_the_officer_on_an_ink():
    # a printed kinegram has lost the foil's fine grating lines: one straight-on picture shows it
    foil = render_specimen("uto-td2", seed=11, capture="flat", forge="printed-ovd", severity=0.8)
    assert foil.sidecar["anomalies"][0]["zone"] == "kinegram"
    r = _examine(foil)
    assert r.verdict == "suspect" and (r.findings[0].technique, r.findings[0].zone) == ("printed-ovd", "kinegram")
    # a printed colour-shifting ink has the genuine colours straight on: only tilting tells, and the report says so
    ink = render_specimen("mrd-td3", seed=SEEDS["printed-ovd"], capture="flat", forge="printed-ovd", severity=0.8)
    assert ink.sidecar["anomalies"][0]["zone"] == "colour-shift"
    r = _examine(ink)
    assert not any(f.zone == "colour-shift" for f in r.findings), r.as_dict()
    told = {u["zone"]: u for u in r.as_dict()["unexamined"]}
    assert told["colour-shift"]["needs"] == "tilt" and told["colour-shift"]["message"].startswith("Tilt the document")


def test_package_is_callable():
    r = docexam.examine(np.full((700, 1000, 3), 255, np.uint8), "uto-td3")
    assert isinstance(r, Report) and r.verdict == "inconclusive"


def test_a_misaligned_mrz_reading_is_not_evidence():
    from types import SimpleNamespace

    from docexam.examine.analyzers.personalization import names_readable, reading_aligned
    from docexam.specimens.registry import find_template

    tpl = find_template("mrd-td1")
    good = ["IDMRDZN805549630001099385137<<", "0001096M2707288MRD<<<<<<<<<<<2", "BIN<SALLEH<<ZULKIFLI<<<<<<<<<<"]
    assert reading_aligned(SimpleNamespace(lines=good), tpl)
    # a character dropped at the start of a line: the rest slides left
    assert not reading_aligned(SimpleNamespace(lines=[good[0][1:] + "<", good[1], good[2]]), tpl)
    assert names_readable(SimpleNamespace(lines=good), tpl)
    # letters after the name fillers: the names cannot be compared (the check digits still count)
    slid = SimpleNamespace(lines=[good[0], good[1], good[2][1:] + "V"])
    assert reading_aligned(slid, tpl) and not names_readable(slid, tpl)
