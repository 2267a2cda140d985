"""Known-answer tests of the substrates (docexam.synth.substrate)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage.morphology import skeletonize

from docexam.synth import substrate as P

SHAPE = (600, 900)  # 25.4 x 38.1 mm at 600 dpi
PX_PER_MM = 600 / 25.4


def _mean_rgb(img: np.ndarray) -> np.ndarray:
    # float64 accumulator: numpy sums float32 columns of a strided view naively
    return img.reshape(-1, 3).mean(axis=0, dtype=np.float64)


def _highpass_std(channel: np.ndarray) -> float:
    c = channel.astype(np.float32)
    return float((c - cv2.GaussianBlur(c, (0, 0), 2)).std(dtype=np.float64))


# -- paper -------------------------------------------------------------------


def test_paper_is_deterministic_and_keeps_its_tint():
    tint = (0.95, 0.93, 0.86)
    a = P.paper(SHAPE, tint=tint, seed=3)
    assert a.shape == SHAPE + (3,) and a.dtype == np.float32
    assert np.array_equal(a, P.paper(SHAPE, tint=tint, seed=3))
    assert not np.array_equal(a, P.paper(SHAPE, tint=tint, seed=4))
    assert a.min() >= 0 and a.max() <= 1
    assert _mean_rgb(a) == pytest.approx(tint, abs=0.005)


def test_paper_texture_strength_follows_grain_and_mottle():
    tint = (0.9, 0.88, 0.8)
    plain = P.paper(SHAPE, tint=tint, seed=1, grain=0, mottle=0)
    assert np.allclose(plain, np.asarray(tint, np.float32))
    a = P.paper(SHAPE, tint=tint, seed=1, grain=0.03, mottle=0.02)
    lum = a[..., 1] / tint[1] - 1
    assert lum.std(dtype=np.float64) == pytest.approx(np.hypot(0.03, 0.02), rel=0.1)
    # grain is fine structure, mottle is not
    grainy = P.paper(SHAPE, tint=tint, seed=1, grain=0.03, mottle=0)
    cloudy = P.paper(SHAPE, tint=tint, seed=1, grain=0, mottle=0.03)
    assert _highpass_std(grainy[..., 1]) > 0.01
    assert _highpass_std(cloudy[..., 1]) < 0.002
    # the grain runs along the machine direction (x): smoother along rows
    g = grainy[..., 1].astype(np.float64)
    assert np.abs(np.diff(g, axis=1)).mean() < np.abs(np.diff(g, axis=0)).mean()


def test_paper_clouds_have_millimetre_scale():
    a = P.paper(SHAPE, tint=(0.9, 0.9, 0.9), seed=2, grain=0, mottle=0.03)[..., 0]
    a = a.astype(np.float64) - a.mean()
    # correlated over ~1 mm, mostly decorrelated by ~10 mm
    def corr(dx):
        return (a[:, :-dx] * a[:, dx:]).mean() / a.var()
    assert corr(round(PX_PER_MM)) > 0.6
    assert corr(round(10 * PX_PER_MM)) < 0.4


# -- polycarbonate -----------------------------------------------------------


def test_polycarbonate_is_smooth_with_a_faint_sheen():
    tint = (0.93, 0.94, 0.95)
    pc = P.polycarbonate(SHAPE, tint=tint, seed=5)
    assert pc.shape == SHAPE + (3,) and pc.dtype == np.float32
    assert np.array_equal(pc, P.polycarbonate(SHAPE, tint=tint, seed=5))
    assert _mean_rgb(pc) == pytest.approx(tint, abs=0.003)
    g = pc[..., 1]
    assert 0.005 < float(np.ptp(g)) < 0.06  # a visible but faint gradient
    assert _highpass_std(g) < 0.002  # no grain
    flat = P.polycarbonate(SHAPE, tint=tint, seed=5, sheen=0)
    # only the trace of soft cloudiness (0.3 %) is left
    assert flat[..., 1].std(dtype=np.float64) < 0.005


# -- UV ----------------------------------------------------------------------


def test_uv_paper_security_paper_is_dull_office_paper_glows():
    dull = P.uv_paper(SHAPE, fluorescent=False, seed=1)
    bright = P.uv_paper(SHAPE, fluorescent=True, seed=1)
    assert dull.dtype == np.float32 and dull.shape == SHAPE + (3,)
    assert np.array_equal(dull, P.uv_paper(SHAPE, fluorescent=False, seed=1))
    assert _mean_rgb(dull) == pytest.approx(P.UV_DULL, abs=0.01)
    m = _mean_rgb(bright)
    assert m == pytest.approx(P.UV_BRIGHTENED, abs=0.02)
    assert m[2] >= m[1] >= m[0]  # blue-white
    assert bright.mean(dtype=np.float64) > 5 * dull.mean(dtype=np.float64)
    assert 0.005 < bright[..., 2].std(dtype=np.float64) < 0.08  # slight mottling
    with pytest.raises(ValueError, match="^fluorescent"):
        P.uv_paper(SHAPE, fluorescent="yes", seed=1)


# -- fibres ------------------------------------------------------------------


def test_fibre_count_follows_density_and_classes():
    density = 4.0
    layers = P.fibres(SHAPE, density_per_cm2=density, seed=7)
    area_cm2 = (SHAPE[0] / PX_PER_MM / 10) * (SHAPE[1] / PX_PER_MM / 10)
    assert sum(lay.count for lay in layers) == round(density * area_cm2)
    assert len(layers) == len(P.DEFAULT_FIBRE_COLORS)
    for lay, (vis, uv) in zip(layers, P.DEFAULT_FIBRE_COLORS):
        assert lay.uv_rgb == pytest.approx(uv)
        assert (lay.visible_rgb is None) == (vis is None)
        assert lay.coverage.shape == SHAPE and lay.coverage.dtype == np.float32
        assert 0 <= lay.coverage.min() and lay.coverage.max() <= 1
        # each fibre one thread: components ~ count (a few cross or leave)
        n, _, stats, _ = cv2.connectedComponentsWithStats(
            (lay.coverage > 0.2).astype(np.uint8), connectivity=8)
        assert abs((n - 1) - lay.count) <= max(2, lay.count // 4)


def test_fibres_are_thin_threads_of_millimetre_length():
    layers = P.fibres((1200, 1800), density_per_cm2=2, seed=11,
                      colors=[((0.8, 0.2, 0.2), (1, 0.3, 0.2))])
    mask = layers[0].coverage > 0.2
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    skel = skeletonize(mask)
    lengths, widths = [], []
    for k in range(1, n):
        x, y, w, h, area = stats[k]
        if x == 0 or y == 0 or x + w == 1800 or y + h == 1200:
            continue  # cut by the canvas edge
        length = skel[labels == k].sum() * 1.12  # skeleton steps are ~1.12 px on average
        lengths.append(length / PX_PER_MM)
        widths.append(area / length)
    # medians: a few components are two crossing fibres
    assert 2.0 < np.median(lengths) < 5.0
    assert 0.05 * PX_PER_MM < np.median(widths) < 0.12 * PX_PER_MM + 1


def test_fibres_deterministic_visible_flag_and_options():
    a = P.fibres(SHAPE, density_per_cm2=2, seed=1)
    b = P.fibres(SHAPE, density_per_cm2=2, seed=1)
    assert all(np.array_equal(x.coverage, y.coverage) for x, y in zip(a, b))
    hidden = P.fibres(SHAPE, density_per_cm2=2, seed=1, visible=False)
    assert all(lay.visible_rgb is None for lay in hidden)
    assert all(np.array_equal(x.coverage, y.coverage) for x, y in zip(a, hidden))
    none = P.fibres(SHAPE, density_per_cm2=0, seed=1)
    assert all(lay.count == 0 and lay.coverage.max() == 0 for lay in none)
    weighted = P.fibres(SHAPE, density_per_cm2=4, seed=1, weights=[3, 1, 0, 0])
    assert [lay.count for lay in weighted][2:] == [0, 0]
    assert weighted[0].count == pytest.approx(3 * weighted[1].count, abs=1)


@pytest.mark.parametrize(
    "kwargs,param",
    [
        (dict(density_per_cm2=-1), "density_per_cm2"),
        (dict(density_per_cm2=1, colors=[]), "colors"),
        (dict(density_per_cm2=1, colors=[((1, 0, 0),)]), "colors"),
        (dict(density_per_cm2=1, colors=[(None, (2, 0, 0))]), "colors"),
        (dict(density_per_cm2=1, weights=[1, 2]), "weights"),
        (dict(density_per_cm2=1, dpi=0), "dpi"),
        (dict(density_per_cm2=1, length_mm=(5, 2)), "length_mm"),
    ],
)
def test_fibres_bad_options(kwargs, param):
    with pytest.raises(ValueError, match=f"^{param}"):
        P.fibres(SHAPE, seed=0, **kwargs)


def test_substrate_bad_options():
    with pytest.raises(ValueError, match="^tint"):
        P.paper(SHAPE, tint=(1.2, 1, 1), seed=0)
    with pytest.raises(ValueError, match="^grain"):
        P.paper(SHAPE, tint=(1, 1, 1), seed=0, grain=-0.1)
    with pytest.raises(ValueError, match="^tint"):
        P.polycarbonate(SHAPE, tint=(1, 1), seed=0)
    with pytest.raises(ValueError, match="^shape"):
        P.uv_paper((0, 5), fluorescent=True, seed=0)
