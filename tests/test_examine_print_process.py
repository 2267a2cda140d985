"""Known answers of the local printing-process analyzer (docexam.examine.analyzers.print_process)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from docexam.examine.analyzers.common import Context
from docexam.examine.analyzers.print_process import analyze, spectra_conformity
from docexam.examine.report import Evidence


def _line_work(n: int = 128) -> np.ndarray:
    """Fine guilloche-like line work: crossing sine waves, continuous tone (luminance 0..1)."""
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
    waves = np.sin(0.55 * xx + 2.0 * np.sin(0.05 * yy)) + np.sin(0.4 * yy + 0.31 * xx)
    return (0.75 + 0.1 * waves).astype(np.float32)


def _screen(lum: np.ndarray, *, period: float, angle: float) -> np.ndarray:
    """An amplitude-modulated halftone of ``lum``: round dots on a rotated grid (a copier's or offset screen)."""
    yy, xx = np.mgrid[0:lum.shape[0], 0:lum.shape[1]].astype(np.float32)
    c, s = np.cos(angle), np.sin(angle)
    u, v = (c * xx + s * yy) * 2 * np.pi / period, (-s * xx + c * yy) * 2 * np.pi / period
    spot = (np.cos(u) * np.cos(v) + 1) / 2  # 0..1 over a cell
    return np.where(1 - lum > spot, 0.1, 0.95).astype(np.float32)


def test_the_same_print_shifted_and_fainter_conforms():
    ref = _line_work()
    shifted = np.roll(ref, (1, 2), axis=(0, 1))
    faded = 0.6 * shifted + 0.4 * 0.95  # ink lifted by a solvent: the same lines, fainter
    ex, gain = spectra_conformity(faded, ref)
    assert ex < 0.05
    assert 0.25 < gain < 0.5  # (0.6)^2 of the energy


def test_a_halftone_or_dithered_reprint_of_the_lines_does_not():
    ref = _line_work()
    rng = np.random.default_rng(5)
    halftone = _screen(ref, period=4.3, angle=np.radians(15))
    dither = np.where(rng.random(ref.shape) < (1 - ref) / 0.85, 0.1, 0.95).astype(np.float32)
    for reprint in (halftone, dither):
        ex, _ = spectra_conformity(reprint, ref)
        assert ex > 0.5


def _context(image: np.ndarray, reference: np.ndarray, zone_box):
    """The little of a Context the analyzer reads: a flat capture (identity alignment) of a 600 dpi template."""
    h, w = reference.shape[:2]
    zone = SimpleNamespace(name="rosette", kind="security-print", bbox=list(zone_box), extra={})
    template = SimpleNamespace(size_px=(w, h), zones=[zone], zone=lambda name: zone, dpi=600)
    model = SimpleNamespace(full={"visible": reference}, scale=0.5, template=template,
                            to_work=lambda b: tuple(int(v) // 2 for v in b),
                            document=np.ones((h // 2, w // 2), bool), personal=np.zeros((h // 2, w // 2), bool))
    views = SimpleNamespace(capture_scale=1.0, homography=np.eye(3), pages=())
    return Context(model, {"visible": image}, views, SimpleNamespace(sigma=0.0))


def _rgb(lum: np.ndarray) -> np.ndarray:
    return np.repeat((np.clip(lum, 0, 1) * 255)[..., None], 3, axis=2).astype(np.uint8)


@pytest.mark.parametrize("change, reprinted", [("none", False), ("washed", False), ("halftone", True)])
def test_a_place_the_design_check_found_is_reprinted_only_when_its_dots_are_foreign(change, reprinted):
    lines = _line_work(640)
    box = [256, 256, 384, 384]
    forged = lines.copy()
    patch = forged[256:384, 256:384]
    if change == "washed":
        forged[256:384, 256:384] = 0.5 * patch + 0.5 * 0.95
    elif change == "halftone":
        forged[256:384, 256:384] = _screen(patch, period=5.0, angle=np.radians(15))
    ctx = _context(_rgb(forged), _rgb(lines), [0, 0, 640, 640])
    found = Evidence("printing", None, "rosette", box, 10.0, 8.0, 2.5, "the design differs here", check="design")
    evidence, _ = analyze(ctx, [found])
    assert len(evidence) == 1
    e = evidence[0]
    assert (e.score >= 0.5) == reprinted, e.value
    assert e.family == "printing" and e.bbox == box
