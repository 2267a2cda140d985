"""Scoring one answer: clicks inside, on the edge, outside a mask; box overlap; choices."""

from __future__ import annotations

import numpy as np
import pytest

from docexam.assessment.scoring import (InvalidAnswerError, box_iou, point_distance, score_answer,
                                        score_item, verdict_decision)
from docexam.errors import DocexamError

BOX_KEY = {"kind": "locate", "targets": [{"anomaly": 0, "bbox": [10, 10, 40, 50], "mask_label": None}],
           "mask": None, "tolerance_px": 5, "full_credit_iou": 0.5}


def mask_key():
    """A 100x100 mask: label 3 fills [20, 20, 30, 40) inside the anomaly's bbox [10, 10, 50, 50)."""
    mask = np.zeros((100, 100), np.uint8)
    mask[20:40, 20:30] = 3
    key = {"kind": "locate", "targets": [{"anomaly": 0, "bbox": [10, 10, 50, 50], "mask_label": 3}],
           "mask": None, "tolerance_px": 4, "full_credit_iou": 0.5}
    return key, mask


@pytest.mark.parametrize("point, expected", [
    ([20, 20], 1.0),      # inside
    ([10, 10], 1.0),      # first pixel
    ([39.9, 49.9], 1.0),  # last pixel (x1, y1 exclusive)
    ([44, 30], 1.0),      # 5 px right of the last column: on the edge, within tolerance
    ([45, 30], 0.0),      # 6 px: outside
    ([5, 5], 0.0),        # off the corner: hypot(5, 5) = 7.07 > 5
])
def test_click_against_bbox(point, expected):
    assert score_answer(BOX_KEY, {"point": point}) == expected


def test_tolerance_override():
    assert score_answer(BOX_KEY, {"point": [5, 5]}, tolerance_px=7.1) == 1.0
    with pytest.raises(ValueError, match="tolerance_px"):
        score_answer(BOX_KEY, {"point": [5, 5]}, tolerance_px=-1)


def test_click_against_mask():
    key, mask = mask_key()
    assert score_answer(key, {"point": [25, 30]}, mask=mask) == 1.0          # inside the mask
    assert score_answer(key, {"point": [33, 30]}, mask=mask) == 1.0          # 4 px from column 29: edge
    assert score_answer(key, {"point": [34, 30]}, mask=mask) == 0.0          # 5 px: outside
    # inside the bbox but far from the masked pixels: the mask, not the box, decides
    assert score_answer(key, {"point": [45, 45]}, mask=mask) == 0.0
    assert score_answer(key, {"point": [45, 45]}) == 1.0                     # without the mask: bbox
    assert point_distance([33, 30], key["targets"][0], mask=mask) == 4.0


def test_mask_read_from_file(tmp_path):
    from docexam.atomic import write_png

    key, mask = mask_key()
    write_png(tmp_path / "s.mask.png", mask)
    key = key | {"mask": str(tmp_path / "s.mask.png")}
    assert score_answer(key, {"point": [45, 45]}) == 0.0
    # a missing mask file falls back to the bbox rather than failing a trainee's answer
    assert score_answer(key | {"mask": str(tmp_path / "gone.png")}, {"point": [45, 45]}) == 1.0


@pytest.mark.parametrize("box, iou", [
    ([10, 10, 40, 50], 1.0),      # exact
    ([10, 10, 40, 30], 0.5),      # half
    ([10, 10, 40, 20], 0.25),     # quarter
    ([0, 0, 50, 60], 1200 / 3000),  # too big
    ([60, 60, 80, 80], 0.0),      # elsewhere
])
def test_box_overlap_partial_credit(box, iou):
    assert box_iou(box, BOX_KEY["targets"][0]) == pytest.approx(iou)
    assert score_answer(BOX_KEY, {"box": box}) == pytest.approx(min(1.0, iou / 0.5))


def test_box_against_mask():
    key, mask = mask_key()  # 200 masked pixels
    assert score_answer(key, {"box": [20, 20, 30, 40]}, mask=mask) == 1.0
    # the anomaly's whole bbox (1600 px) overlaps the 200 mask pixels: IoU 0.125 -> 0.25
    assert score_answer(key, {"box": [10, 10, 50, 50]}, mask=mask) == pytest.approx(0.25)


def test_best_of_several_targets():
    key = {"kind": "locate", "mask": None, "tolerance_px": 0, "full_credit_iou": 0.5,
           "targets": [{"bbox": [0, 0, 10, 10], "mask_label": None},
                       {"bbox": [50, 50, 60, 60], "mask_label": None}]}
    assert score_answer(key, {"point": [55, 55]}) == 1.0
    assert score_answer(key, {"box": [50, 50, 60, 60]}) == 1.0
    assert score_answer(key, {"point": [30, 30]}) == 0.0


def test_choice_scores_and_partial():
    key = {"kind": "choice", "answer": "uv", "partial": {"visible": 0.5}}
    assert score_answer(key, "uv") == 1.0
    assert score_answer(key, {"choice": "visible"}) == 0.5
    assert score_answer(key, "ir") == 0.0
    with pytest.raises(InvalidAnswerError, match="not one of"):
        score_answer(key, "x-ray", options=["visible", "uv", "ir"])


@pytest.mark.parametrize("answer", [None, 3, {"point": [1]}, {"box": [5, 5, 1, 1]}, {"point": [1, "a"]},
                                    {"point": [1, 2], "box": [1, 2, 3, 4]}, {"circle": [1, 2]}])
def test_bad_locate_answers_are_refused(answer):
    with pytest.raises(InvalidAnswerError) as info:
        score_answer(BOX_KEY, answer)
    assert isinstance(info.value, ValueError) and isinstance(info.value, DocexamError)
    assert str(info.value).startswith("answer:")


def test_inputs_not_modified_and_bad_key():
    key = {"kind": "choice", "answer": "forged"}
    before = dict(key)
    score_answer(key, "forged")
    assert key == before
    with pytest.raises(ValueError, match="key"):
        score_answer({"kind": "essay"}, "x")


def test_score_item_checks_offered_options():
    from docexam.lessons.items import Item

    item = Item(id="s:verdict", type="verdict", specimens=("s",), template="t", prompt="", prompt_km="",
                shown={"options": [{"id": "genuine"}, {"id": "forged"}]},
                key={"kind": "choice", "answer": "forged"}, feedback={})
    assert score_item(item, "forged") == 1.0
    with pytest.raises(InvalidAnswerError):
        score_item(item, "maybe")


def test_verdict_decision():
    assert verdict_decision({"kind": "choice", "answer": "genuine"}, "forged") == (False, True)
    with pytest.raises(InvalidAnswerError):
        verdict_decision({"kind": "choice", "answer": "genuine"}, "perhaps")


def _nearest_by_brute_force(point, target, mask) -> float:
    x0, y0, x1, y1 = target["bbox"]
    ys, xs = np.nonzero(mask[y0:y1, x0:x1] == target["mask_label"])
    xs, ys = xs + x0, ys + y0
    if ((xs == np.floor(point[0])) & (ys == np.floor(point[1]))).any():
        return 0.0
    return float(np.min(np.hypot(xs - point[0], ys - point[1])))


def test_click_distance_is_to_the_nearest_masked_pixel_wherever_the_click_is():
    # known answer: the distance to every masked pixel, measured one by one, on ragged regions and clicks
    # inside, beside, far outside the box and off the page
    rng = np.random.default_rng(7)
    for _ in range(40):
        mask = np.zeros((300, 400), np.uint8)
        x0, y0 = (int(v) for v in rng.integers(0, 150, 2))
        x1, y1 = x0 + int(rng.integers(5, 240)), y0 + int(rng.integers(5, 140))
        blob = rng.random((y1 - y0, x1 - x0)) < rng.uniform(0.002, 0.3)
        blob[rng.integers(0, y1 - y0), rng.integers(0, x1 - x0)] = True
        mask[y0:y1, x0:x1][blob] = 3
        target = {"bbox": [x0, y0, x1, y1], "mask_label": 3}
        for point in rng.uniform([-200, -200], [600, 500], (6, 2)).tolist() + [[x0 + 0.5, y0 + 0.5]]:
            assert point_distance(point, target, mask=mask) == pytest.approx(
                _nearest_by_brute_force(point, target, mask), abs=1e-9)


def test_a_click_on_a_page_wide_region_is_scored_without_measuring_to_every_pixel():
    # a whole-page reproduction at 600 dpi: 5,000 x 3,500 pixels marked; a room answering at once held
    # several such measures (0.8 GB each) before
    import tracemalloc

    mask = np.ones((3500, 5000), np.uint8)
    mask[1000:1200, 2000:2300] = 0  # a hole: the click inside it is 1 px from the region
    target = {"bbox": [0, 0, 5000, 3500], "mask_label": 1}
    key = {"kind": "locate", "targets": [target], "tolerance_px": 0}
    tracemalloc.start()
    try:
        assert score_answer(key, {"point": [2100.0, 1000.0]}, mask=mask) == 0.0
        assert point_distance([2100.0, 1000.0], target, mask=mask) == 1.0
        assert score_answer(key, {"point": [10, 10]}, mask=mask) == 1.0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20  # the region's own pixels (17.5 MB as booleans), not arrays of their coordinates
