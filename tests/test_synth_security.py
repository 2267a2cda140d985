"""Known-answer tests of the security-printing primitives (docexam.synth.security)."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from skimage.morphology import skeletonize

from docexam.paths import font_path
from docexam.synth import security as S
from docexam.synth.emblem import emblem
from docexam.synth.microprint import microprint, microprint_text

SHAPE = (400, 500)


def _components(mask: np.ndarray) -> np.ndarray:
    """Sizes of the 8-connected components of a boolean mask."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    return stats[1:, cv2.CC_STAT_AREA]


def _outside_box(shape, box):
    x0, y0, x1, y1 = box
    m = np.ones(shape, bool)
    m[y0:y1, x0:x1] = False
    return m


# -- every coverage primitive: determinism, dtype, range, inputs untouched ---

CALLS = {
    "rosette": lambda: S.rosette(SHAPE, center=np.array([250.0, 200.0]), r_inner=60, r_outer=150,
                                 lobes=9, n_curves=5, line_width=2.4, phase=0.3),
    "wave_band": lambda: S.wave_band(SHAPE, box=[20, 30, 480, 110], n_lines=10, amplitude=20,
                                     wavelength=70, line_width=2.0, modulation=0.4),
    "line_field": lambda: S.line_field(SHAPE, box=[10, 10, 490, 390], spacing=7, line_width=1.5,
                                       angle=25, warp=12, seed=3),
    "microprint": lambda: microprint(SHAPE, box=[10, 200, 490, 212], text="UTOPIA",
                                       cap_height_px=9),
    "emblem": lambda: emblem(SHAPE, center=(250, 200), radius=150, points=9, seed=4),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_coverage_is_deterministic_float32_in_unit_range(name):
    a, b = CALLS[name](), CALLS[name]()
    assert a.shape == SHAPE and a.dtype == np.float32
    assert np.array_equal(a, b)
    assert a.min() >= 0.0 and a.max() <= 1.0
    assert a.max() > 0.9  # solid ink somewhere


def test_inputs_are_not_modified():
    center = np.array([250.0, 200.0])
    box = np.array([20, 30, 480, 110])
    colors = np.array([[0.9, 0.2, 0.2], [0.2, 0.3, 0.9]])
    saved = center.copy(), box.copy(), colors.copy()
    S.rosette(SHAPE, center=center, r_inner=50, r_outer=100, lobes=5, n_curves=3, line_width=2)
    S.wave_band(SHAPE, box=box, n_lines=4, amplitude=10, wavelength=40, line_width=2)
    S.split_duct(SHAPE, box=box, colors=colors)
    assert all(np.array_equal(x, y) for x, y in zip(saved, (center, box, colors)))


# -- rosette ----------------------------------------------------------------


def test_rosette_ink_stays_in_its_annulus():
    cx, cy, r_in, r_out, lw = 250.3, 199.6, 60, 150, 2.4
    cov = S.rosette(SHAPE, center=(cx, cy), r_inner=r_in, r_outer=r_out, lobes=9, n_curves=5,
                    line_width=lw)
    yy, xx = np.mgrid[: SHAPE[0], : SHAPE[1]]
    r = np.hypot(xx - cx, yy - cy)
    assert cov[r > r_out + lw / 2 + 1.5].max() == 0
    assert cov[r < r_in - lw / 2 - 1.5].max() == 0
    # ink all round the ring: every 10-degree sector holds some
    ang = np.degrees(np.arctan2(yy - cy, xx - cx)) % 360
    ring = (r > r_in) & (r < r_out)
    for a0 in range(0, 360, 10):
        assert cov[ring & (ang >= a0) & (ang < a0 + 10)].sum() > 20


@pytest.mark.parametrize("kind", ["epitrochoid", "hypotrochoid", "sine"])
def test_rosette_lines_are_continuous(kind):
    cov = S.rosette(SHAPE, center=(250, 200), r_inner=70, r_outer=180, lobes=7, n_curves=4,
                    line_width=2.4, kind=kind)
    sizes = _components(cov > 0.5)
    # crossing copies join into a few large meshes; no broken-off fragments
    assert 1 <= len(sizes) <= 4
    assert sizes.min() > 1000


@pytest.mark.parametrize("lw", [1.0, 1.6, 2.4, 3.7])
def test_rosette_line_width_matches_request(lw):
    # one loop-free curve: ink area / centre-line length is the mean width
    r_in, r_out, lobes = 80, 170, 6
    cov = S.rosette(SHAPE, center=(250, 200), r_inner=r_in, r_outer=r_out, lobes=lobes,
                    n_curves=1, line_width=lw, kind="sine")
    t = np.linspace(0, 2 * np.pi, 200_001)
    a, b = (r_out + r_in) / 2, (r_out - r_in) / 2
    z = (a + b * np.cos(lobes * t)) * np.exp(1j * t)
    length = np.abs(np.diff(z)).sum()
    assert cov.sum(dtype=np.float64) / length == pytest.approx(lw, abs=0.15)


def test_rosette_width_by_distance_transform():
    lw = 2.4
    cov = S.rosette(SHAPE, center=(250, 200), r_inner=70, r_outer=180, lobes=7, n_curves=3,
                    line_width=lw)
    mask = (cov >= 0.5).astype(np.uint8)
    dist = cv2.distanceTransform(mask, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    centre = np.median(dist[skeletonize(mask.astype(bool))])
    # distance from the centre pixel to the first blank pixel centre is w/2 + 0.5
    assert centre == pytest.approx(lw / 2 + 0.5, abs=1.0)


def test_rosette_phase_rotates_and_partial_canvas_is_clipped():
    a = S.rosette(SHAPE, center=(250, 200), r_inner=60, r_outer=150, lobes=8, n_curves=2,
                  line_width=2, phase=0.0)
    b = S.rosette(SHAPE, center=(250, 200), r_inner=60, r_outer=150, lobes=8, n_curves=2,
                  line_width=2, phase=0.1)
    assert not np.array_equal(a, b)
    assert abs(a.sum() - b.sum()) / a.sum() < 0.02  # same curve, only turned
    edge = S.rosette(SHAPE, center=(0, 0), r_inner=60, r_outer=150, lobes=8, n_curves=2,
                     line_width=2)
    assert edge.shape == SHAPE and edge.max() > 0.9
    off = S.rosette(SHAPE, center=(-1000, -1000), r_inner=60, r_outer=150, lobes=8, n_curves=2,
                    line_width=2)
    assert off.max() == 0


# -- wave band ---------------------------------------------------------------


def test_wave_band_stays_in_box_and_fills_it():
    box = [20, 30, 480, 110]
    cov = S.wave_band(SHAPE, box=box, n_lines=10, amplitude=20, wavelength=70, line_width=2.0)
    assert cov[_outside_box(SHAPE, box)].max() == 0
    x0, y0, x1, y1 = box
    assert (cov[y0:y1, x0:x1].max(axis=0) > 0.9).all()  # ink in every column


def test_wave_band_stacked_lines_are_separate_and_unbroken():
    box = [20, 30, 480, 190]
    n = 6
    cov = S.wave_band(SHAPE, box=box, n_lines=n, amplitude=8, wavelength=60, line_width=2.4,
                      phase_step=0.0)
    sizes = _components(cov > 0.5)
    assert len(sizes) == n  # each line one piece, none touching
    # each line spans the full box width
    n_lab, labels = cv2.connectedComponents((cov > 0.5).astype(np.uint8), connectivity=8)
    for k in range(1, n_lab):
        xs = np.flatnonzero((labels == k).any(axis=0))
        assert xs.min() == box[0] and xs.max() == box[2] - 1


def test_wave_band_width_and_modulation():
    box = [0, 100, 500, 300]
    lw = 2.4
    flat = S.wave_band(SHAPE, box=box, n_lines=1, amplitude=0, wavelength=50, line_width=lw)
    assert flat.sum(dtype=np.float64) / 500 == pytest.approx(lw, abs=0.1)
    full = S.wave_band(SHAPE, box=box, n_lines=1, amplitude=40, wavelength=100, line_width=lw)
    mod = S.wave_band(SHAPE, box=box, n_lines=1, amplitude=40, wavelength=100, line_width=lw,
                      modulation=1.0, mod_wavelength=500)
    # modulation only shrinks the swing, so the modulated line is shorter
    assert mod.sum() < full.sum()
    rows = np.flatnonzero(full.max(axis=1) > 0.5)
    assert rows.max() - rows.min() == pytest.approx(80 + lw, abs=2)


# -- line field --------------------------------------------------------------


def test_line_field_horizontal_lines_have_requested_period_and_width():
    box = [0, 0, 500, 400]
    spacing, lw = 8.0, 2.0
    cov = S.line_field(SHAPE, box=box, spacing=spacing, line_width=lw, angle=0)
    # angle 0: lines along x, so every row is constant
    assert np.ptp(cov, axis=1).max() < 1e-6
    col = cov[:, 0].astype(np.float64)
    assert col.mean() == pytest.approx(lw / spacing, rel=0.02)
    spec = np.abs(np.fft.rfft(col - col.mean()))
    assert np.argmax(spec) == pytest.approx(400 / spacing, abs=1)


def test_line_field_angle_and_warp():
    box = [0, 0, 500, 400]
    vert = S.line_field(SHAPE, box=box, spacing=8, line_width=2, angle=90)
    assert np.ptp(vert, axis=0).max() < 1e-6  # vertical lines: columns constant
    warped = S.line_field(SHAPE, box=box, spacing=8, line_width=2, angle=0, warp=10, seed=1)
    assert np.ptp(warped, axis=1).max() > 0.5  # rows no longer constant
    # warping bends lines, it does not thin or thicken them
    assert warped.mean(dtype=np.float64) == pytest.approx(2 / 8, rel=0.05)
    other = S.line_field(SHAPE, box=box, spacing=8, line_width=2, angle=0, warp=10, seed=2)
    assert not np.array_equal(warped, other)


def test_line_field_lines_continuous_under_warp():
    cov = S.line_field(SHAPE, box=[0, 0, 500, 400], spacing=10, line_width=2.4, angle=0,
                       warp=15, seed=5)
    sizes = _components(cov > 0.5)
    assert len(sizes) == pytest.approx(40, abs=3)  # one component per line
    assert np.median(sizes) > 500 * 2


def test_line_field_zero_outside_box():
    box = [50, 60, 300, 250]
    cov = S.line_field(SHAPE, box=box, spacing=6, line_width=1.5, angle=33, warp=5)
    assert cov[_outside_box(SHAPE, box)].max() == 0
    assert cov[60:250, 50:300].mean() > 0.15


# -- split duct --------------------------------------------------------------


def test_split_duct_is_smooth_monotone_and_white_outside():
    box = [50, 100, 450, 300]
    c0, c1 = (0.9, 0.3, 0.4), (0.2, 0.5, 0.9)
    f = S.split_duct(SHAPE, box=box, colors=[c0, c1])
    assert f.shape == SHAPE + (3,) and f.dtype == np.float32
    assert (f[_outside_box(SHAPE, box)] == 1).all()
    row = f[200, 50:450].astype(np.float64)
    assert (f[100:300, 50:450] == row[None]).all()  # constant across the other axis
    d = np.diff(row, axis=0)
    for c in range(3):
        assert (d[:, c] <= 1e-7).all() or (d[:, c] >= -1e-7).all()  # monotone channel
    assert np.abs(d).max() < 0.02  # no steps
    assert np.abs(np.diff(d, axis=0)).max() < 1e-3  # and no kinks
    assert row[0] == pytest.approx(c0, abs=0.01)
    assert row[-1] == pytest.approx(c1, abs=0.01)


def test_split_duct_three_inks_axis_y_and_mixing():
    box = [0, 0, 500, 400]
    inks = [(0.95, 0.9, 0.2), (0.2, 0.4, 0.9), (0.9, 0.3, 0.3)]
    f = S.split_duct(SHAPE, box=box, colors=inks, axis="y")
    col = f[:, 250].astype(np.float64)
    assert (f == f[:, :1]).all()  # constant along x
    assert col[0] == pytest.approx(inks[0], abs=0.01)
    # at the default blend neighbours still tint a section's middle a little;
    # with sharper seams the middle ink comes through pure
    assert col[200] == pytest.approx(inks[1], abs=0.08)
    sharp = S.split_duct(SHAPE, box=box, colors=inks, axis="y", blend=0.4)
    assert sharp[200, 0] == pytest.approx(inks[1], abs=0.01)
    assert col[-1] == pytest.approx(inks[2], abs=0.01)
    assert np.abs(np.diff(col, axis=0)).max() < 0.03
    # yellow and blue inks mix to green subtractively, to grey linearly
    seam = 400 // 3
    sub = f[seam, 0]
    lin = S.split_duct(SHAPE, box=box, colors=inks, axis="y", mixing="linear")[seam, 0]
    assert sub[1] > sub[0] and sub[1] > sub[2]
    assert lin == pytest.approx(np.mean(inks[:2], axis=0), abs=0.02)


# -- microprint --------------------------------------------------------------


def _reference_word(word, cap, height, width, k=10):
    """``word`` rendered independently: one Pillow call at k x size, box-averaged."""
    fp = str(font_path("DejaVuSans-Bold.ttf"))
    f100 = ImageFont.truetype(fp, 100)
    _, top, _, bottom = f100.getbbox("H", anchor="ls")
    font = ImageFont.truetype(fp, cap / ((bottom - top) / 100) * k)
    img = Image.new("L", (width * k, height * k), 0)
    ImageDraw.Draw(img).text((0, (height + cap) / 2 * k), word, fill=255, font=font, anchor="ls")
    ref = cv2.resize(np.asarray(img), (width, height), interpolation=cv2.INTER_AREA) / 255
    return ref, font.getlength(word) / k


def test_microprint_text_repeats_whole_characters():
    s = microprint_text("UTOPIA", width_px=600, cap_height_px=9)
    assert s.startswith("UTOPIAUTOPIAUTOPIA")
    assert s == ("UTOPIA" * 100)[: len(s)]
    wider = microprint_text("UTOPIA", width_px=1200, cap_height_px=9)
    assert len(wider) == pytest.approx(2 * len(s), abs=1)
    # more tracking, fewer characters
    assert len(microprint_text("UTOPIA", width_px=600, cap_height_px=9, spacing=3)) < len(s)


def test_microprint_is_legible_text_in_its_box():
    cap, box = 9, [0, 5, 600, 17]
    shape = (22, 600)
    cov = microprint(shape, box=box, text="UTOPIA", cap_height_px=cap, spacing=0)
    assert cov[_outside_box(shape, box)].max() == 0
    line = cov[5:17].astype(np.float64)
    # ink rows span the cap height (all capitals, no descenders)
    rows = np.flatnonzero(line.mean(axis=1) > 0.05)
    assert rows.max() - rows.min() + 1 == pytest.approx(cap, abs=1.5)
    # the first word matches an independent rendering of "UTOPIA", not of others
    ref, adv = _reference_word("UTOPIA", cap, 12, 80)
    w = int(adv) - 1
    good = np.corrcoef(line[:, :w].ravel(), ref[:, :w].ravel())[0, 1]
    assert good > 0.95
    for other in ("OOOOOO", "HXHXHX", "AIPOTU"):
        ref_o, _ = _reference_word(other, cap, 12, 80)
        assert np.corrcoef(line[:, :w].ravel(), ref_o[:, :w].ravel())[0, 1] < good - 0.3
    # and it repeats with the period of the word
    prof = line.sum(axis=0)
    prof -= prof.mean()
    ac = np.correlate(prof, prof, "full")[len(prof) - 1:]
    assert np.argmax(ac[20:]) + 20 == pytest.approx(adv, abs=1.5)


def test_microprint_cap_height_scales():
    small = microprint((40, 400), box=[0, 5, 400, 35], text="UTOPIA", cap_height_px=8)
    large = microprint((40, 400), box=[0, 5, 400, 35], text="UTOPIA", cap_height_px=16)
    h_small = np.ptp(np.flatnonzero(small.mean(axis=1) > 0.05)) + 1
    h_large = np.ptp(np.flatnonzero(large.mean(axis=1) > 0.05)) + 1
    assert h_small == pytest.approx(8, abs=1.5) and h_large == pytest.approx(16, abs=1.5)


# -- emblem ------------------------------------------------------------------


def test_emblem_within_radius_and_varies_with_seed():
    cx, cy, R = 250, 200, 150
    a = emblem(SHAPE, center=(cx, cy), radius=R, seed=1)
    yy, xx = np.mgrid[: SHAPE[0], : SHAPE[1]]
    r = np.hypot(xx - cx, yy - cy)
    assert a[r > R + 1.5].max() == 0
    assert a[r < R].mean() > 0.05
    lw = R / 70  # default line width; the border's centre line is at R - lw / 2
    assert (a[np.abs(r - (R - lw / 2)) < 0.5] > 0.5).all()  # unbroken border ring
    b = emblem(SHAPE, center=(cx, cy), radius=R, seed=2)
    assert not np.array_equal(a, b)
    sizes = _components(a > 0.5)
    assert sizes.min() > 20  # line work, not specks


# -- errors ------------------------------------------------------------------

BAD = [
    (S.rosette, dict(center=(1, 1), r_inner=1, r_outer=5, lobes=3, n_curves=1, line_width=0),
     "line_width"),
    (S.rosette, dict(center=(1, 1), r_inner=5, r_outer=5, lobes=3, n_curves=1, line_width=1),
     "r_outer"),
    (S.rosette, dict(center=(1, 1), r_inner=1, r_outer=5, lobes=2.5, n_curves=1, line_width=1),
     "lobes"),
    (S.rosette, dict(center=(1, 1), r_inner=1, r_outer=5, lobes=3, n_curves=0, line_width=1),
     "n_curves"),
    (S.rosette, dict(center=(1, 1), r_inner=1, r_outer=5, lobes=3, n_curves=1, line_width=1,
                     kind="spiral"), "kind"),
    (S.rosette, dict(center=(1,), r_inner=1, r_outer=5, lobes=3, n_curves=1, line_width=1),
     "center"),
    (S.wave_band, dict(box=[0, 0, 10, 10], n_lines=2, amplitude=1, wavelength=0, line_width=1),
     "wavelength"),
    (S.wave_band, dict(box=[10, 0, 5, 10], n_lines=2, amplitude=1, wavelength=5, line_width=1),
     "box"),
    (S.wave_band, dict(box=[0, 0, 10, 10], n_lines=2, amplitude=1, wavelength=5, line_width=1,
                       modulation=1.5), "modulation"),
    (S.line_field, dict(box=[0, 0, 10, 10], spacing=-1, line_width=1, angle=0), "spacing"),
    (S.line_field, dict(box=[0, 0, 10, 10], spacing=5, line_width=1, angle=0, warp=-2), "warp"),
    (S.split_duct, dict(box=[0, 0, 10, 10], colors=[(1, 2, 0)]), "colors"),
    (S.split_duct, dict(box=[0, 0, 10, 10], colors=[(1, 0, 0)], axis="z"), "axis"),
    (microprint, dict(box=[0, 0, 10, 10], text="", cap_height_px=9), "text"),
    (microprint, dict(box=[0, 0, 10, 10], text="A", cap_height_px=0), "cap_height_px"),
    (microprint, dict(box=[0, 0, 10, 10], text="A", cap_height_px=9, font_path="/nope.ttf"),
     "font_path"),
    (microprint, dict(box=[0, 0, 10, 10], text="A", cap_height_px=9, spacing=-20), "spacing"),
    (emblem, dict(center=(5, 5), radius=5, points=2), "points"),
    (emblem, dict(center=(5, 5), radius=-5), "radius"),
]


@pytest.mark.parametrize("func,kwargs,param", BAD, ids=[f"{f.__name__}-{p}" for f, _, p in BAD])
def test_bad_options_raise_value_error_naming_the_parameter(func, kwargs, param):
    with pytest.raises(ValueError, match=f"^{param}"):
        func((20, 20), **kwargs)


def test_bad_shape():
    with pytest.raises(ValueError, match="^shape"):
        S.rosette((0, 10), center=(1, 1), r_inner=1, r_outer=5, lobes=3, n_curves=1,
                  line_width=1)
