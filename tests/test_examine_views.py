"""Known answers of the views that prove a device: tilt pictures made here, and the page against a lamp.

The tilt pictures are drawn by the test itself (not by ``synth``'s device
model): a diffractive device sends another hue to the eye at every angle, a
flat foil is grey at every angle (a little brighter or duller), a printed
imitation keeps its straight-on colours. Each picture is seen from its own
pose, with noise and a JPEG round trip, as a phone takes it.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from PIL import Image

from docexam.cli import main
from docexam.examine import examine
from docexam.examine.model import reference_model
from docexam.specimens.registry import find_template
from docexam.synth.render import render_specimen

KINEGRAM = [4087, 803, 4937, 1606]  # uto-td2's kinegram zone, template pixels
ANGLES = (-30, -15, 0, 15, 30)


@pytest.fixture(scope="module")
def td2():
    """A genuine TD2 card, flat capture (front and back on one sheet)."""
    return render_specimen("uto-td2", seed=11, capture="flat").images["visible"]


@pytest.fixture(scope="module")
def td3():
    """A genuine TD3 page, flat: the visible picture and the page against a lamp."""
    images = render_specimen("uto-td3", seed=12, capture="flat").images
    return images["visible"], images["transmitted"]


def _tilt_pictures(page: np.ndarray, variant: str) -> list[np.ndarray]:
    """Close-ups of the kinegram at five tilts, each from its own pose, noisy and JPEG-compressed."""
    x0, y0, x1, y1 = KINEGRAM
    m = int(0.4 * (x1 - x0))
    a, b = max(0, x0 - m), max(0, y0 - m)
    crop = page[b:y1 + m, a:x1 + m].astype(np.float32)
    h, w = crop.shape[:2]
    paper = np.median(crop[:(y0 - b) // 2].reshape(-1, 3), axis=0)
    inside = np.zeros((h, w), bool)
    inside[y0 - b:y1 - b, x0 - a:x1 - a] = True
    device = inside & (np.abs(crop - paper).max(axis=2) > 40)
    grey = crop.mean(axis=2)
    rng = np.random.default_rng(5)
    out = []
    for k, angle in enumerate(ANGLES):
        pic = crop.copy()
        if variant == "genuine":  # each groove spacing sends another wavelength to the eye as the angle changes
            hue = (np.linspace(0, 120, w)[None, :] + 3.0 * angle + 90) % 180
            hsv = np.stack([np.broadcast_to(hue, (h, w)), np.full((h, w), 200.0), np.clip(grey + 40, 0, 255)], -1)
            colour = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB).astype(np.float32)
            pic[device] = colour[device]
        elif variant == "flat-foil":  # metal: grey, shinier near the mirror angle
            pic[device] = (175 + 40 * np.cos(np.radians(2 * angle)))
        # "printed": the straight-on colours in ink, the same at every angle
        pic *= 0.9 + 0.1 * np.cos(np.radians(angle))  # the page turned from the lamp
        # its own pose: a perspective warp, a little rotation and scale
        d = 0.06 * angle / 30 * h
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        dst = np.float32([[0, d], [w, -d], [w, h + d], [0, h - d]]) * (0.8 + 0.04 * k) + np.float32([40, 60])
        size = (int(w * 1.05), int(h * 1.05) + 80)
        warped = cv2.warpPerspective(np.clip(pic, 0, 255).astype(np.uint8), cv2.getPerspectiveTransform(src, dst),
                                     size, borderValue=(120, 100, 80))
        noisy = np.clip(warped + rng.normal(0, 3, warped.shape), 0, 255).astype(np.uint8)
        ok, buf = cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, 85])
        out.append(cv2.imdecode(buf, cv2.IMREAD_UNCHANGED))
    return out


@pytest.mark.parametrize("variant, technique", [("genuine", None), ("flat-foil", "flat-foil"),
                                                ("printed", "printed-ovd")])
def test_tilt_pictures_judge_the_kinegram(td2, variant, technique):
    r = examine(td2, "uto-td2", tilt=_tilt_pictures(td2, variant))
    d = r.as_dict()
    assert "kinegram" not in {u["zone"] for u in d.get("unexamined", [])}  # judged, not left to the officer
    assert "colour-shift" in {u["zone"] for u in d["unexamined"]}          # no pictures of this one
    if technique is None:
        assert r.verdict == "consistent", d
        return
    assert r.verdict == "suspect", d
    top = r.findings[0]
    assert (top.family, top.technique, top.zone, list(top.bbox)) == ("printing", technique, "kinegram", KINEGRAM)


def test_too_few_or_foreign_tilt_pictures_leave_the_device_unexamined(td2):
    pictures = _tilt_pictures(td2, "flat-foil")
    foreign = np.full((400, 500, 3), 128, np.uint8)
    r = examine(td2, "uto-td2", tilt=pictures[:2] + [foreign])
    d = r.as_dict()
    assert r.verdict == "consistent" and "kinegram" in {u["zone"] for u in d["unexamined"]}, d
    notes = " ".join(n["message"] for n in d["notes"])
    assert "Fewer than 3 of the tilt pictures" in notes and "<tilt array 3>" in notes
    with pytest.raises(ValueError, match="tilt: expected a sequence"):
        examine(td2, "uto-td2", tilt=pictures[0])


def _printed_watermark(visible: np.ndarray, transmitted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page made again on paper without a watermark, the watermark's picture printed grey on its surface.

    The picture is the template's own transmitted reference in the
    watermark zone (its tones relative to the paper there): printed, every
    tone darkens the surface; against the lamp the tones of the missing
    watermark are gone and the ink only takes light away.
    """
    tpl = find_template("uto-td3")
    x0, y0, x1, y1 = tpl.zone("watermark").bbox
    ref = reference_model(tpl).full["transmitted"][y0:y1, x0:x1].astype(np.float32).mean(axis=2)
    tone = cv2.GaussianBlur(ref, (0, 0), 6) / np.median(ref) - 1.0             # + light, - dark
    strength = np.abs(tone) / np.abs(tone).max()
    vis = visible.astype(np.float32)
    vis[y0:y1, x0:x1] *= (1 - 0.12 * strength)[..., None]
    trans = transmitted.astype(np.float32)
    trans[y0:y1, x0:x1] *= ((1 - 0.15 * strength) / (1 + tone))[..., None] if trans.ndim == 3 else \
        (1 - 0.15 * strength) / (1 + tone)
    return np.clip(vis, 0, 255).astype(np.uint8), np.clip(trans, 0, 255).astype(np.uint8)


def test_the_page_against_a_lamp_tells_a_watermark_in_the_paper_from_one_printed_on_it(td3):
    visible, transmitted = td3
    genuine = examine(visible, "uto-td3", transmitted=transmitted).as_dict()
    assert genuine["verdict"] == "consistent", genuine
    assert not {"watermark", "thread"} & {u["zone"] for u in genuine.get("unexamined", [])}
    without = examine(visible, "uto-td3").as_dict()
    assert {"watermark", "thread"} <= {u["zone"] for u in without["unexamined"]}   # no lamp: left to the officer
    printed_visible, printed_transmitted = _printed_watermark(visible, transmitted)
    forged = examine(printed_visible, "uto-td3", transmitted=printed_transmitted)
    assert forged.verdict == "suspect", forged.as_dict()
    top = forged.findings[0]
    assert (top.family, top.technique, top.zone) == ("substrate", "printed-watermark", "watermark")
    assert "only darker" in top.message
    # lying on the desk, the printed picture darkens the page all over the zone: one picture shows it too
    desk = examine(printed_visible, "uto-td3")
    assert desk.verdict == "suspect" and desk.findings[0].technique == "printed-watermark", desk.as_dict()
    assert "lying on the desk" in desk.findings[0].message


def test_the_command_line_takes_tilt_pictures_and_the_page_against_a_lamp(td3, tmp_path, capsys):
    visible, transmitted = td3
    Image.fromarray(visible).save(tmp_path / "page.png")
    Image.fromarray(transmitted).save(tmp_path / "lamp.png")
    status = main(["examine", str(tmp_path / "page.png"), "--template", "uto-td3", "--transmitted",
                   str(tmp_path / "lamp.png"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and out["verdict"] == "consistent"
    assert "watermark" not in {u["zone"] for u in out.get("unexamined", [])}
    status = main(["examine", str(tmp_path / "page.png"), str(tmp_path / "page.png"), "--template", "uto-td3",
                   "--tilt", str(tmp_path / "lamp.png")])
    err = capsys.readouterr().err
    assert status == 2 and "--transmitted and --tilt go with a single IMAGE" in err
