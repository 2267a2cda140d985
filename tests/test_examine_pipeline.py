"""The pipeline's scheduling and the shared measurements' internals, with known answers.

Scheduling: steps that need nothing from each other run at the same time,
a step that finds the document inconclusive stops the run (after the steps
already running end), and errors reach the caller. Internals: the banded
comparison equals the unbanded one, the quarter-resolution colour map reads
back like a full-resolution resize, the cheap anti-aliasing prefilter gives
what area resampling gives, and per-template caches are shared and bounded.
"""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from docexam.examine import blur, compare
from docexam.examine.pipeline import Pipeline
from docexam.examine.steps import STEPS, Inconclusive, Step


@pytest.fixture
def toy_steps(monkeypatch):
    """Register throwaway steps for one test (the registry is restored after)."""
    def add(name, takes, provides, func):
        monkeypatch.setitem(STEPS, name, Step(name, func, tuple(takes), tuple(provides)))
    return add


def test_independent_steps_run_at_the_same_time(toy_steps):
    # each of a and b waits for the other at a barrier: only possible when both run at once
    meet = threading.Barrier(2, timeout=10)
    toy_steps("a", ("x",), ("y",), lambda x: (meet.wait(), {"y": x + 1})[1])
    toy_steps("b", ("x",), ("z",), lambda x: (meet.wait(), {"z": x * 10})[1])
    toy_steps("c", ("y", "z"), ("w",), lambda y, z: {"w": y + z})
    data, timings = Pipeline(steps=("a", "b", "c"), workers=2).run(x=4)
    assert data["w"] == 45 and set(timings) == {"a", "b", "c"}


def test_one_worker_runs_the_steps_in_order(toy_steps):
    seen = []
    for name in ("a", "b", "c"):
        toy_steps(name, ("x",), (name,), lambda x, name=name: (seen.append(name), {name: True})[1])
    Pipeline(steps=("c", "a", "b"), workers=1).run(x=0)
    assert seen == ["c", "a", "b"]


def test_a_step_waits_for_its_inputs(toy_steps):
    order = []
    slow_done = threading.Event()

    def slow(x):
        slow_done.wait(0.2)  # give the scheduler every chance to start "late" too early
        order.append("slow")
        return {"y": 1}

    toy_steps("slow", ("x",), ("y",), slow)
    toy_steps("late", ("y",), ("z",), lambda y: (order.append("late"), {"z": y})[1])
    Pipeline(steps=("slow", "late"), workers=2).run(x=0)
    assert order == ["slow", "late"]


def test_inconclusive_stops_the_run_after_running_steps_end(toy_steps):
    release = threading.Event()
    finished = []

    def fails(x):
        release.set()
        raise Inconclusive("the page is upside down in a mirror")

    def busy(x):
        release.wait(10)
        finished.append("busy")
        return {"b": 2}

    toy_steps("fails", ("x",), ("a",), fails)
    toy_steps("busy", ("x",), ("b",), busy)
    toy_steps("after", ("a", "b"), ("c",), lambda a, b: pytest.fail("must not run"))
    with pytest.raises(Inconclusive, match="mirror") as err:
        Pipeline(steps=("fails", "busy", "after"), workers=2).run(x=0)
    assert finished == ["busy"] and err.value.data["b"] == 2 and "fails" in err.value.timings


def test_errors_in_a_step_reach_the_caller(toy_steps):
    toy_steps("bad", ("x",), ("y",), lambda x: (_ for _ in ()).throw(ValueError("x: must be positive")))
    with pytest.raises(ValueError, match="x: must be positive"):
        Pipeline(steps=("bad",), workers=2).run(x=-1)
    with pytest.raises(ValueError, match="workers"):
        Pipeline(steps=("bad",), workers=0)


def test_default_pipeline_reads_the_mrz_beside_the_page_comparison():
    takes = {name: set(STEPS[name].takes) for name in ("mrz", "warp", "compare")}
    provides = {name: set(STEPS[name].provides) for name in ("mrz", "warp", "compare")}
    # neither side needs the other's output, so the scheduler may run them at once
    assert not (takes["mrz"] & (provides["warp"] | provides["compare"]))
    assert not ((takes["warp"] | takes["compare"]) & provides["mrz"])
    assert "mrz_reading" in STEPS["personalization"].takes


# --------------------------------------------------------------------------
# the shared measurements


@pytest.fixture(scope="module")
def genuine_phone_views():
    from docexam.examine.compare import warp_views
    from docexam.examine.model import reference_model
    from docexam.examine.register import register
    from docexam.specimens.registry import find_template
    from docexam.synth.render import render_specimen

    model = reference_model(find_template("uto-td3"))
    r = render_specimen("uto-td3", seed=5, capture="phone")
    reg = register(r.images["visible"], model.full["visible"])
    assert reg.ok
    return model, warp_views({"visible": r.images["visible"]}, reg.homography, model)


def test_banded_comparison_equals_the_whole_page_one(genuine_phone_views, monkeypatch):
    model, views = genuine_phone_views
    banded = compare.conformity_maps(views.work["visible"], model)
    monkeypatch.setattr(compare, "_in_bands", lambda fn, height, margin: fn(0, height))
    whole = compare.conformity_maps(views.work["visible"], model)
    assert (banded.structure == whole.structure).all() and (banded.ink == whole.ink).all()
    for name in ("gain", "corr", "image"):
        assert np.abs(getattr(banded, name) - getattr(whole, name)).max() < 1e-4, name
    # excess is a ratio of small residuals: compare relative to its scale
    assert np.abs(banded.excess - whole.excess).max() < 1e-3 * max(1.0, float(np.abs(whole.excess).max()))
    assert banded.sigma == whole.sigma and banded.page_gain == pytest.approx(whole.page_gain, rel=1e-5)


def test_a_genuine_capture_conforms_to_its_reference(genuine_phone_views):
    model, views = genuine_phone_views
    maps = compare.conformity_maps(views.work["visible"], model)
    design = model.document & ~model.personal & maps.structure
    # the intact design has gain ~1 and correlates with the reference
    assert 0.85 < float(np.median(maps.gain[design])) < 1.15
    assert float(np.median(maps.corr[design])) > 0.5 and maps.match > 0.5


def test_the_page_match_is_its_typical_tile_not_a_few_patched_ones(genuine_phone_views):
    model = genuine_phone_views[0]
    rng = np.random.default_rng(3)
    soft = cv2.GaussianBlur(model.lum, (0, 0), 1.0)
    sigma, clean, _ = blur.estimate_blur(soft, model)
    assert sigma == pytest.approx(1.0, abs=0.15) and clean > 0.98  # the blur recovered, the page matching
    # three of the design tiles reprinted (their fine print replaced): the page still matches as a genuine one
    patched = soft.copy()
    for ys, xs in blur.design_tiles(model)[:3]:
        patched[ys, xs] = cv2.GaussianBlur(rng.normal(0.7, 0.1, patched[ys, xs].shape).astype(np.float32), (0, 0), 1.0)
    assert blur.estimate_blur(patched, model)[1] > clean - 0.01
    # half of them foreign (a booklet spread with one page from another booklet): the page does not match, but the
    # image still shows this document where its own page is
    tiles = blur.design_tiles(model)
    for ys, xs in tiles[3:len(tiles) // 2 + 2]:
        patched[ys, xs] = cv2.GaussianBlur(rng.normal(0.7, 0.1, patched[ys, xs].shape).astype(np.float32), (0, 0), 1.0)
    _, match, recognised = blur.estimate_blur(patched, model)
    assert match < 0.5 < 0.95 < recognised
    # every tile's fine print disturbed a little (a reproduction of the whole page): the match drops
    copied = soft + cv2.GaussianBlur(rng.normal(0, 0.12, soft.shape).astype(np.float32), (0, 0), 0.8)
    assert blur.estimate_blur(copied, model)[1] < clean - 0.1


def _maps_with_colour(quarter: np.ndarray) -> compare.Maps:
    """Maps of a 4x larger page whose only content is the quarter-resolution colour map."""
    h, w = quarter.shape[0] * 4, quarter.shape[1] * 4
    zeros, none = np.zeros((h, w), np.float32), np.zeros((h, w), bool)
    return compare.Maps(zeros, zeros, none, zeros, quarter, none, 0.0, 1.0, 1.0, 1.0, None, None)


def test_colour_window_reads_like_a_full_resolution_resize():
    rng = np.random.default_rng(1)
    quarter = cv2.GaussianBlur(rng.normal(size=(40, 60, 3)).astype(np.float32), (0, 0), 2.0)
    maps = _maps_with_colour(quarter)
    full = cv2.resize(quarter, (240, 160), interpolation=cv2.INTER_LINEAR)
    rows, cols = slice(37, 101), slice(5, 230)
    assert np.abs(maps.colour(rows, cols) - full[rows, cols]).max() < 1e-3


@pytest.mark.parametrize("ratio", [0.62, 0.75, 0.85, 0.4])
def test_antialias_prefilter_matches_area_resampling(ratio):
    from docexam.synth.capture import demo_document

    page = demo_document(size=(1200, 845))
    size = (round(1200 * ratio), round(845 * ratio))
    area = cv2.resize(page, size, interpolation=cv2.INTER_AREA)
    # the same shrink done the cheap way: prefilter, then bilinear warp
    to_small = np.array([[size[0] / 1200, 0, 0.5 * size[0] / 1200 - 0.5],
                         [0, size[1] / 845, 0.5 * size[1] / 845 - 0.5], [0, 0, 1.0]])
    src, h = compare._antialias(page, to_small, ratio)
    cheap = cv2.warpPerspective(src, h, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    plain = cv2.warpPerspective(page, to_small, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    err_cheap = np.abs(cheap.astype(float) - area).mean()
    err_plain = np.abs(plain.astype(float) - area).mean()
    assert err_cheap < 2.5 and err_cheap <= err_plain + 1e-9


def test_model_cache_builds_once_and_keeps_few_large_values():
    from docexam.examine.model import reference_model
    from docexam.specimens.registry import find_template

    model = reference_model(find_template("uto-td3"))
    calls = []
    first = model.cached(("test-key", 1), lambda: calls.append(1) or np.ones(3))
    again = model.cached(("test-key", 1), lambda: calls.append(1) or np.zeros(3))
    assert first is again and calls == [1]
    for sigma in range(10):
        model.cached(("test-large", sigma), lambda: object(), large=True)
    assert len(model.blur_cache) <= 4


def test_keep_freed_memory_tunes_glibc():
    import platform

    from docexam.memory import keep_freed_memory

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("the allocator tuning is for glibc")
    assert keep_freed_memory() is True  # mallopt accepted every setting


def test_colour_window_with_a_step_samples_the_same_pixels():
    rng = np.random.default_rng(2)
    quarter = cv2.GaussianBlur(rng.normal(size=(40, 60, 3)).astype(np.float32), (0, 0), 2.0)
    maps = _maps_with_colour(quarter)
    rows, cols = slice(37, 101), slice(5, 230)
    full = maps.colour(rows, cols)
    stepped = maps.colour(rows, cols, step=4)
    assert stepped.shape == full[2::4, 2::4].shape
    assert np.abs(stepped - full[2::4, 2::4]).max() < 1e-5
