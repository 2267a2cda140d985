"""Known answers of the tile-by-tile local reprint scan (docexam.examine.analyzers.local_reprint)."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from docexam.examine.analyzers.common import Context
from docexam.examine.analyzers.local_reprint import analyze, scan_zone, tile_spectra

SIZE = 640
PATCH = (256, 192, 400, 300)  # x0, y0, x1, y1: a patch of about 6 x 4.5 mm at 600 dpi


def _line_work(n: int = SIZE) -> np.ndarray:
    """Fine guilloche-like line work over a whole page: crossing waves of several pitches (luminance 0..1)."""
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
    waves = (np.sin(0.9 * xx + 3.0 * np.sin(0.03 * yy)) + np.sin(0.7 * yy + 0.45 * xx)
             + 0.7 * np.sin(1.6 * xx - 0.8 * yy))
    return (0.72 + 0.08 * waves).astype(np.float32)


def _context(image: np.ndarray, reference: np.ndarray, *, noise_seed: int | None = None):
    """The little of a Context the scan reads: a flat capture (identity alignment) of a 600 dpi template."""
    h, w = reference.shape[:2]
    zone = SimpleNamespace(name="guilloche", kind="security-print", bbox=[0, 0, w, h], extra={})
    template = SimpleNamespace(size_px=(w, h), zones=[zone], zone=lambda name: zone, dpi=600)
    work = (h // 2, w // 2)
    model = SimpleNamespace(full={"visible": _rgb(reference)}, scale=0.5, template=template,
                            to_work=lambda b: tuple(int(v) // 2 for v in b), mm=lambda v: v / 25.4 * 300,
                            document=np.ones(work, bool), personal=np.zeros(work, bool),
                            cached=lambda key, build, large=False: build())
    if noise_seed is not None:  # a capture's sensor noise
        image = image + np.random.default_rng(noise_seed).normal(0, 0.01, image.shape).astype(np.float32)
    views = SimpleNamespace(capture_scale=1.0, homography=np.eye(3), pages=())
    return Context(model, {"visible": _rgb(image)}, views, SimpleNamespace(sigma=0.0, ink=np.zeros(work, bool)))


def _rgb(lum: np.ndarray) -> np.ndarray:
    """uint8 RGB of a luminance image (grey) or of a float RGB image."""
    rgb = lum if lum.ndim == 3 else np.repeat(lum[..., None], 3, axis=2)
    return (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)


def _low_resolution_copy(patch: np.ndarray, factor: int = 3) -> np.ndarray:
    """The patch as reprinted from a copy at 1/``factor`` of the resolution (200 dpi for a 600 dpi page)."""
    h, w = patch.shape
    small = cv2.resize(patch, (w // factor, h // factor), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("change, reprinted", [("none", False), ("fainter", False), ("low-resolution", True),
                                               ("dither", True)])
def test_a_patch_reprinted_inside_a_textured_page_is_found_and_placed(change, reprinted):
    page = _line_work()
    forged = page.copy()
    x0, y0, x1, y1 = PATCH
    patch = forged[y0:y1, x0:x1]
    if change == "fainter":  # the same print, lighter (ink lifted, or the light): not a reprint
        forged[y0:y1, x0:x1] = 0.6 * patch + 0.4 * 0.95
    elif change == "low-resolution":
        forged[y0:y1, x0:x1] = _low_resolution_copy(patch)
    elif change == "dither":  # an inkjet's scattered dots
        rng = np.random.default_rng(3)
        forged[y0:y1, x0:x1] = np.where(rng.random(patch.shape) < (1 - patch) / 0.85, 0.1, 0.95)
    evidence, _ = analyze(_context(forged, page, noise_seed=1))
    found = [e for e in evidence if e.score >= 0.5]
    if not reprinted:
        assert found == []
        return
    assert len(found) == 1
    e = found[0]
    assert (e.family, e.zone, e.check) == ("printing", "guilloche", "local-reprint")
    assert _overlaps(e.bbox, PATCH)
    # placed: the finding's box stays near the patch (tiles are 64 px at half-tile steps)
    assert e.bbox[0] >= x0 - 64 and e.bbox[1] >= y0 - 64 and e.bbox[2] <= x1 + 64 and e.bbox[3] <= y1 + 64


def test_a_place_already_reported_is_not_reported_twice():
    page = _line_work()
    forged = page.copy()
    x0, y0, x1, y1 = PATCH
    forged[y0:y1, x0:x1] = _low_resolution_copy(forged[y0:y1, x0:x1])
    ctx = _context(forged, page, noise_seed=1)
    (e,) = [e for e in analyze(ctx)[0] if e.score >= 0.5]
    assert [x for x in analyze(ctx, known=[e])[0] if x.score >= 0.5] == []


def test_sharpness_is_the_fine_band_relative_to_the_mid_band():
    page = _line_work(256)
    _, sharp, _, _, _ = tile_spectra(page * 0.5 + 0.4, page, tile=64)  # fainter, same lines: same sharpness
    assert np.abs(sharp).max() < 0.05
    _, sharp, _, _, _ = tile_spectra(cv2.GaussianBlur(page, (0, 0), 1.2), page, tile=64)
    assert sharp.max() < -1.0


def test_tiles_near_personalization_or_this_captures_ink_are_left_out():
    page = _line_work()
    ctx = _context(page, page)
    ctx.model.personal[100:110, 50:60] = True  # working pixels 100..110 x 50..60: template 200..220 x 100..120
    ctx.maps.ink[250:252, 250:252] = True  # one dark dot of this capture's ink: template 500..504
    (zone,) = ctx.template.zones
    scan = scan_zone(ctx, zone)
    r = 1.0 / 25.4 * 600  # the ink margin (1 mm), template pixels

    def near(box, x0, y0, x1, y1):
        return box[0] < x1 + r and x0 - r < box[2] and box[1] < y1 + r and y0 - r < box[3]

    kept = scan.boxes
    every = [[x, y, x + 64, y + 64] for y in range(0, SIZE - 63, 32) for x in range(0, SIZE - 63, 32)]
    assert all(not near(b, 100, 200, 120, 220) and not near(b, 500, 500, 504, 504) for b in kept)
    # and only those: every tile well clear of both is kept
    clear = [b for b in every if not near(b, 100 - 2, 200 - 2, 120 + 2, 220 + 2)
             and not near(b, 500 - 2, 500 - 2, 504 + 2, 504 + 2)]
    assert all(b in kept for b in clear)
    assert len(kept) < len(every)


def _sparse_rings(n: int = SIZE) -> np.ndarray:
    """A rosette's outer rings on bare paper: line work over part of the zone, the rest blank (luminance 0..1)."""
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
    r = np.hypot(xx - 120, yy - n + 60)
    lines = np.clip(np.cos(1.1 * r) * 3 - 2, 0, 1) * ((r > 150) & (r < 420))
    return (0.95 - 0.45 * lines).astype(np.float32)


def _paper_grain(n: int, seed: int) -> np.ndarray:
    """The grain of genuine paper as a capture shows it (the reference is drawn without it)."""
    g = cv2.GaussianBlur(np.random.default_rng(seed).normal(0, 1, (n, n)).astype(np.float32), (0, 0), 1.0)
    return 0.025 * g / g.std()


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_papers_grain_beside_sparse_line_work_is_not_dots(seed):
    # measured before the paper's own spectrum was taken off: tiles on the rings' edge at 1.5 to 1.7 (threshold 1);
    # a genuine visa page's scan was suspect of an inkjet reprint at its rosette's outer ring
    page = _sparse_rings()
    evidence, _ = analyze(_context(page + _paper_grain(SIZE, seed), page, noise_seed=seed))
    assert [e for e in evidence if e.score >= 0.5] == []


def test_a_dithered_patch_on_sparse_line_work_and_grainy_paper_is_still_found():
    page = _sparse_rings()
    forged = page + _paper_grain(SIZE, 9)
    box = (200, 300, 330, 420)
    x0, y0, x1, y1 = box
    rng = np.random.default_rng(3)
    forged[y0:y1, x0:x1] = np.where(rng.random((y1 - y0, x1 - x0)) < (1 - forged[y0:y1, x0:x1]) / 0.85, 0.1, 0.95)
    (e,) = [e for e in analyze(_context(forged, page, noise_seed=1))[0] if e.score >= 0.5]
    assert e.check == "local-reprint" and _overlaps(e.bbox, box)


PAPER = np.float32([0.9, 0.88, 0.8])  # cream paper
BROWN = np.float32([0.42, 0.28, 0.12])  # the design's one ink
GREEN = np.float32([0.35, 0.6, 0.45])  # a second ink
LUMA = np.float32([0.299, 0.587, 0.114])


def _inked(page: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """A luminance design (0..1, paper at its lightest) printed in one solid ink on the paper: float RGB."""
    cover = np.clip((0.95 - page) / 0.95, 0, 1)[..., None]  # _line_work's lightest is about 0.95
    return PAPER + cover * (ink - PAPER)


def _two_inks() -> np.ndarray:
    """Brown line work crossed, over a tenth of the zone, by green lines: where they meet, colour of its own."""
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    green = ((np.sin(0.5 * xx + 0.8 * yy) > 0.8) & (xx > 220) & (xx < 440) & (yy > 150) & (yy < 340))[..., None]
    return np.where(green, GREEN * 0.6 + PAPER * 0.4, _inked(_line_work(), BROWN)).astype(np.float32)


def _colour_dots(patch: np.ndarray, seed: int) -> np.ndarray:
    """The patch rebuilt from cyan, magenta and yellow dots of each pixel's own lightness: only its colour differs."""
    cmy = -np.eye(3, dtype=np.float32)  # cyan takes red away, magenta green, yellow blue
    cmy -= (cmy @ LUMA)[:, None] * LUMA / (LUMA @ LUMA)  # ... at the same lightness
    picked = 0.12 / np.abs(cmy).max() * cmy[np.random.default_rng(seed).integers(3, size=patch.shape[:2])]
    return patch + picked


@pytest.mark.parametrize("design, patch", [("one ink", PATCH), ("two inks", (420, 380, 564, 488))])
def test_a_patch_of_coloured_dots_of_the_genuine_lightness_is_found_by_its_colour(design, patch):
    # the lightness is the genuine one pixel by pixel, so only the colour tells the inkjet's dots (without the colour
    # residual: nothing found); beside them, the second ink's own colour where its lines cross the brown is genuine
    page = _inked(_line_work(), BROWN) if design == "one ink" else _two_inks()
    forged = page.copy()
    x0, y0, x1, y1 = patch
    forged[y0:y1, x0:x1] = _colour_dots(page[y0:y1, x0:x1], 5)
    (e,) = [e for e in analyze(_context(forged, page, noise_seed=1))[0] if e.score >= 0.5]
    assert (e.family, e.check) == ("printing", "local-reprint") and _overlaps(e.bbox, patch)
    assert e.bbox[0] >= x0 - 64 and e.bbox[1] >= y0 - 64 and e.bbox[2] <= x1 + 64 and e.bbox[3] <= y1 + 64
    assert "coloured dots" in str(e.message)


@pytest.mark.parametrize("change", ["colour noise", "colour planes shifted", "two inks"])
def test_a_genuine_captures_own_colour_is_not_dots(change):
    page = _inked(_line_work(), BROWN) if change != "two inks" else _two_inks()
    capture = page.copy()
    if change == "colour noise":  # a phone's colour noise, stronger than the test's sensor noise
        capture = capture + np.random.default_rng(4).normal(0, 0.02, capture.shape).astype(np.float32)
    elif change == "colour planes shifted":  # a lens's or a scanner's colour fringes: red 0.6 px one way, blue the other
        shift = lambda a, dx: cv2.warpAffine(a, np.float32([[1, 0, dx], [0, 1, 0]]), a.shape[::-1],
                                             borderMode=cv2.BORDER_REFLECT)
        capture = np.dstack([shift(page[..., 0], 0.6), page[..., 1], shift(page[..., 2], -0.6)])
    evidence, _ = analyze(_context(capture, page, noise_seed=2))
    assert [e for e in evidence if e.score >= 0.5] == []
