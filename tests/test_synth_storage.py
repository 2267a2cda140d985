"""How specimens are stored: PNG for ``docexam synth render``, the codec table for the library cache."""

from __future__ import annotations

import re

import numpy as np
import pytest

from conftest import REPO
from docexam.formats.lights import LIGHTS, MONOCHROME
from docexam.imaging import load_rgb
from docexam.specimens import load_specimen
from docexam.specimens.sides import side_views
from docexam.synth import library
from docexam.synth.render import render_specimen, write_specimen
from docexam.synth.storage import DEVICE_ROW, LIBRARY_CODECS, codec_for, table_rows


@pytest.fixture(scope="module")
def card(tmp_path_factory):
    """A forged card scanned (one picture per side, a mask), written in both storages."""
    rendered = render_specimen("mrd-td1", seed=9, capture="scan", forge="re-engraving", severity=0.5)
    out = tmp_path_factory.mktemp("stored")
    for storage in ("lossless", "library"):
        write_specimen(rendered, out / storage, "card", storage=storage)
    return rendered, out


def test_the_library_stores_jpeg_but_the_mask_and_names_each_picture(card):
    _, out = card
    names = sorted(p.name for p in (out / "library").iterdir())
    assert names == ["card.back.ir.jpg", "card.back.jpg", "card.back.uv.jpg", "card.ir.jpg", "card.jpg", "card.json",
                     "card.mask.png", "card.raking.portrait.jpg", "card.uv.jpg"]
    spec = load_specimen(out / "library" / "card.json")
    assert spec.extra["images"] == {"visible": "card.jpg", "uv": "card.uv.jpg", "ir": "card.ir.jpg"}
    assert spec.lights == ("visible", "uv", "ir") and spec.mask_path.name == "card.mask.png"
    assert [v.images["visible"].name for v in side_views(spec)] == ["card.jpg", "card.back.jpg"]
    assert spec.image_path("uv", side="back").name == "card.back.uv.jpg"
    # the answer key is exact: the same mask bytes in both storages
    assert (out / "library" / "card.mask.png").read_bytes() == (out / "lossless" / "card.mask.png").read_bytes()


def test_the_lossless_storage_is_the_plain_png_names_without_a_list(card):
    _, out = card
    spec = load_specimen(out / "lossless" / "card.json")
    assert "images" not in spec.extra
    assert spec.image_path("ir").name == "card.ir.png"
    assert spec.image_path("visible", side="back").name == "card.back.png"


def test_stored_pictures_are_the_rendered_pixels_within_the_codec(card):
    rendered, out = card
    spec = load_specimen(out / "library" / "card.json")
    for side, images in rendered.side_images.items():
        for light, image in images.items():
            stored = load_rgb(spec.image_path(light, side=side)).astype(float)
            if light in MONOCHROME:  # one grey channel, as in the PNG
                assert np.ptp(stored, axis=2).max() == 0
                image = np.repeat(image.mean(axis=2, keepdims=True), 3, axis=2)
            # the scanner wrote JPEG at its own quality: stored so again, a grey level or two off
            assert np.abs(stored - image).mean() < 2.5, (side, light)


def test_flat_visible_light_is_high_quality_full_colour_and_other_lights_are_jpeg():
    flat = {"kind": "flat"}
    visible = codec_for("visible", flat, storage="library")
    assert (visible.format, visible.quality, visible.chroma) == ("jpeg", 90, "4:4:4")
    assert codec_for("visible", {"kind": "phone", "jpeg_quality": 77}, storage="library") is LIBRARY_CODECS[DEVICE_ROW]
    for light in LIGHTS:
        assert codec_for(light, flat, storage="library").format == "jpeg"
        assert codec_for(light, flat, storage="lossless").format == "png"
    assert codec_for("mask", flat, storage="library").format == "png"
    with pytest.raises(ValueError, match="storage: 'zip'"):
        codec_for("visible", flat, storage="zip")


def test_the_docs_show_the_codec_table_as_it_is():
    text = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    section = text.split("### The library cache's codecs", 1)[1].split("\n## ", 1)[0]
    rows = [tuple(cell.strip().strip("`") for cell in line.strip("|").split("|"))
            for line in section.splitlines() if line.startswith("| ") and not line.startswith("| picture")]
    assert rows == [tuple(r) for r in table_rows()]


def test_the_cache_key_changes_with_the_codec_table(monkeypatch):
    library.library_key.cache_clear()
    before = library.library_key()
    monkeypatch.setitem(library.LIBRARY_CODECS, ("uv", "*"), LIBRARY_CODECS["mask", "*"])
    library.library_key.cache_clear()
    assert library.library_key() != before
    monkeypatch.undo()
    library.library_key.cache_clear()
    assert library.library_key() == before
    assert re.fullmatch(r"[0-9a-f]{16}", before)


@pytest.mark.parametrize("name", ["../x.jpg", "/etc/passwd", "sub/x.jpg"])
def test_a_sidecar_cannot_name_a_picture_outside_its_folder(card, tmp_path, name):
    import json

    from docexam.errors import InvalidFieldError

    _, out = card
    data = json.loads((out / "library" / "card.json").read_text())
    data["images"]["uv"] = name
    (tmp_path / "card.json").write_text(json.dumps(data))
    with pytest.raises(InvalidFieldError, match="images"):
        load_specimen(tmp_path / "card.json")


def test_a_view_wider_than_a_screen_is_stored_at_screen_width_with_no_copy():
    """A tilt view is looked at on a screen only: stored shrunk to SCREEN_WIDTH, so it needs no screen copy."""
    from docexam.formats.specimen import SCREEN_WIDTH
    from docexam.synth.storage import encode, screen_copy

    view = np.zeros((1105, 1138, 3), np.uint8)
    view[..., 0] = np.linspace(0, 255, 1138)[None, :]  # red rises left to right: the whole width is kept, shrunk
    codec = codec_for("view", {"kind": "flat"}, storage="library")
    stored = load_rgb(encode(view, "view", codec, {"kind": "flat"}))
    assert stored.shape[:2] == (round(1105 * SCREEN_WIDTH / 1138), SCREEN_WIDTH)
    assert stored[:, :20, 0].mean() < 10 and stored[:, -20:, 0].mean() > 245
    assert screen_copy(view, "view", codec, {"kind": "flat"}) is None
    # a light keeps its size (the examination measures it) and gets a copy
    page = np.full((800, 2000), 128, np.uint8)
    ir = codec_for("ir", {"kind": "flat"}, storage="library")
    assert load_rgb(encode(page, "ir", ir, {"kind": "flat"})).shape[:2] == (800, 2000)
    assert load_rgb(screen_copy(page, "ir", ir, {"kind": "flat"})).shape[:2] == (440, SCREEN_WIDTH)
