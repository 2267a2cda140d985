"""Halftone reproductions: screens measured on the pixels (ruling in lines per inch and angle)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from docexam.synth.render import render_specimen
from docexam.synth.screens import SCREEN_ANGLES, am_screen, cmyk_to_rgb

DPI = 600


def screen_peaks(channel: np.ndarray, *, count: int = 4, lpi_range=(120.0, 240.0)) -> list[tuple[float, float]]:
    """The strongest periodic patterns of ``channel``: (lines per inch, angle in degrees mod 90, y down)."""
    h, w = channel.shape
    window = np.outer(np.hanning(h), np.hanning(w))
    power = np.abs(np.fft.fftshift(np.fft.fft2((channel - channel.mean()) * window)))
    fy = np.fft.fftshift(np.fft.fftfreq(h))[:, None]
    fx = np.fft.fftshift(np.fft.fftfreq(w))[None, :]
    lpi = np.hypot(fx, fy) * DPI
    power[(lpi < lpi_range[0]) | (lpi > lpi_range[1])] = 0
    power[:, : w // 2] = 0  # the spectrum is symmetric: one half plane
    found = []
    for _ in range(count):
        y, x = np.unravel_index(int(np.argmax(power)), power.shape)
        found.append((float(lpi[y, x]), float(np.degrees(np.arctan2(fy[y, 0], fx[0, x])) % 90)))
        power[max(y - 6, 0):y + 7, max(x - 6, 0):x + 7] = 0
    return found


def _near(angle: float, target: float) -> bool:
    return min(abs(angle - target), 90 - abs(angle - target)) < 1.5


@pytest.mark.parametrize("lpi", [150, 175, 200])
@pytest.mark.parametrize("ink", ["c", "m", "y", "k"])
def test_one_screen_has_its_ruling_and_angle(lpi, ink):
    dots = am_screen(np.full((512, 512), 0.35, np.float32), lpi=lpi, angle_deg=SCREEN_ANGLES[ink])
    (found_lpi, angle), *_ = screen_peaks(dots, count=1)
    assert abs(found_lpi - lpi) < 3 and _near(angle, SCREEN_ANGLES[ink])


def test_four_screens_make_a_rosette_not_a_moire():
    """C 15, M 75, Y 0, K 45 degrees: each separation's peak is where its own angle says."""
    tone = np.full((512, 512), 0.3, np.float32)
    c, m, y, k = (am_screen(tone, lpi=175, angle_deg=SCREEN_ANGLES[i]) for i in "cmyk")
    rgb = cmyk_to_rgb(c, m, y, k * 0.5, (1.0, 1.0, 1.0))
    for channel, ink in ((0, "c"), (1, "m"), (2, "y")):
        angles = [a for _, a in screen_peaks(rgb[..., channel], count=4)]
        assert any(_near(a, SCREEN_ANGLES[ink]) for a in angles), (ink, angles)
        assert any(_near(a, SCREEN_ANGLES["k"]) for a in angles), ("k", angles)


@pytest.fixture(scope="module")
def copies():
    genuine = render_specimen("uto-td3", seed=3)
    return genuine, {s: render_specimen("uto-td3", seed=3, forge="halftone-reproduction", severity=s)
                     for s in (0.1, 0.95)}


@pytest.mark.parametrize("severity", [0.1, 0.95])
def test_a_colour_copy_is_screened_at_150_to_200_lpi_in_four_angles(copies, severity):
    rendered = copies[1][severity]
    # a window over the rosette, field data and the portrait's edge: every ink is there
    page = rendered.images["visible"][700:1724, 1000:2024].astype(np.float32) / 255
    seen = {}
    for channel, ink in ((0, "c"), (1, "m"), (2, "y")):
        peaks = screen_peaks(page[..., channel], count=6)
        for lpi, angle in peaks[:2]:
            assert 150 <= lpi <= 200, peaks
        seen[ink] = peaks
    for ink in "cmy":
        assert any(_near(a, SCREEN_ANGLES[ink]) for _, a in seen[ink]), (ink, seen[ink])
    assert all(any(_near(a, SCREEN_ANGLES["k"]) for _, a in peaks) for peaks in seen.values())
    # one ruling for every ink, and the careful forger's is the finer
    rulings = {round(lpi) for peaks in seen.values() for lpi, _ in peaks[:2]}
    assert max(rulings) - min(rulings) <= 2
    assert (min(rulings) > 185) if severity < 0.5 else (min(rulings) < 165)


def test_a_careful_copy_is_subtle_at_arms_length(copies):
    """Blurred as an eye at arm's length sees it, the careful copy is close to the genuine page."""
    genuine, forged = copies

    def seen(image):
        return cv2.GaussianBlur(image.astype(np.float32), (0, 0), 3.0)

    far = {s: float(np.abs(seen(r.images["visible"]) - seen(genuine.images["visible"])).mean())
           for s, r in forged.items()}
    assert far[0.1] < 6.0, far
    assert far[0.95] > 2 * far[0.1], far
