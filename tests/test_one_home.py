"""One home for each domain fact: the lights, the MRZ rules, the image limits.

These fail when a copy of a fact appears outside its home, so a change (a
new light, a new MRZ layout, another size limit) is made in one place.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from conftest import REPO
from docexam.formats.lights import LIGHTS, OTHER_LIGHTS, VISIBLE, image_name
from docexam.imaging import as_gray, as_rgb
from docexam.lessons.vocabulary import LIGHT_LABELS
from docexam.mrz.text import CHECK_WEIGHTS, SHAPES

SOURCES = {path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
           for path in sorted((REPO / "docexam").rglob("*.py"))}


def _copies(pattern: str, home: str) -> list[str]:
    return [name for name, text in SOURCES.items() if name != home and re.search(pattern, text)]


def test_the_lights_are_listed_only_in_their_home():
    # the list written out again (a technique's own lights, most telling
    # first, are a fact about the technique, not a copy)
    in_order = r",\s*".join(rf"""["']{light}["']""" for light in LIGHTS)
    assert _copies(in_order, "docexam/formats/lights.py") == []
    assert LIGHTS[0] == VISIBLE == "visible" and OTHER_LIGHTS == LIGHTS[1:]


def test_every_light_has_a_name_for_trainees():
    assert set(LIGHT_LABELS) == set(LIGHTS)


def test_specimen_image_names_per_light():
    assert [image_name("s1", light) for light in LIGHTS] == ["s1.png", *(f"s1.{lt}.png" for lt in OTHER_LIGHTS)]
    with pytest.raises(ValueError, match="light: 'xray'"):
        image_name("s1", "xray")


def test_mrz_weights_and_shapes_are_written_only_in_mrz_text():
    assert CHECK_WEIGHTS == (7, 3, 1)
    assert _copies(r"\(7,\s*3,\s*1\)", "docexam/mrz/text.py") == []
    shapes = "|".join(re.escape(f"({rows}, {cols})") for rows, cols in set(SHAPES.values()))
    assert _copies(shapes, "docexam/mrz/text.py") == []


def test_image_limits_are_applied_only_in_imaging():
    names = r"\b(MAX_PIXELS|MAX_FILE_BYTES|MIN_SIDE)\b"
    assert [n for n in _copies(names, "docexam/imaging/load.py") if not n.startswith("docexam/imaging/")] == []


@pytest.mark.parametrize("image, expected", [
    (np.full((2, 3), 9, np.uint8), np.full((2, 3, 3), 9, np.uint8)),
    (np.full((2, 3, 1), 9, np.uint8), np.full((2, 3, 3), 9, np.uint8)),
    (np.dstack([np.full((2, 3, 3), 100, np.uint8), np.full((2, 3), 255, np.uint8)]), np.full((2, 3, 3), 100, np.uint8)),
    # half-transparent black over white: the mid grey decoding a PNG gives
    (np.dstack([np.zeros((1, 1, 3), np.uint8), np.full((1, 1), 128, np.uint8)]), np.full((1, 1, 3), 127, np.uint8)),
])
def test_arrays_are_brought_to_rgb_as_files_are(image, expected):
    before = image.copy()
    assert np.array_equal(as_rgb(image, name="image"), expected)
    assert np.array_equal(image, before)  # never modified


def test_gray_of_rgb_is_its_luma_and_bad_arrays_are_named():
    rgb = np.zeros((1, 2, 3), np.uint8)
    rgb[0, 1] = (255, 0, 0)
    assert as_gray(rgb, name="image").tolist() == [[0, 76]]  # Rec. 601: 0.299 * 255
    with pytest.raises(ValueError, match="reference: expected a gray"):
        as_gray(np.zeros((2, 3, 5), np.uint8), name="reference")
    with pytest.raises(ValueError, match="uv: expected uint8"):
        as_rgb(np.zeros((2, 3), np.float64), name="uv")
