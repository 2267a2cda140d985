"""Transmitted light: a document held up to a lamp, what the paper itself carries.

Security paper is made with a **watermark** (the pulp is thinner or
thicker in a picture, so the picture shows light and dark against a lamp
and hardly at all on the desk) and a **security thread** (a plastic strip
inside the sheet: a dark band against the lamp, with its text in clear
letters). A **laser-perforated** document number burns clean holes
through the pages: bright dots against the lamp. None of this can be
printed: a printed "watermark" is ink on the surface, so it shows on the
desk too, and against the lamp it is only darker, never lighter.

:func:`paper_features` draws the watermark and thread of a page as two
maps (thickness change, thread darkness); :func:`transmitted_image` turns
a page in visible light into the page against a lamp;
:func:`perforation` makes the holes of a number.

Examples
--------
>>> f = paper_features((200, 300), watermark_box=(20, 20, 140, 180), thread_x=220, seed=1)
>>> f.thickness.shape, f.thread.shape
((200, 300), (200, 300))
>>> page = np.full((200, 300, 3), 0.9, np.float32)
>>> t = transmitted_image(page, f, paper=(0.9, 0.9, 0.9))
>>> bool(t[:, 210:230].mean() < t[:, 250:].mean())     # the thread is dark against the lamp
True
>>> holes = perforation("AB123", height_px=40, seed=0)
>>> holes.dtype, bool(holes.max() == 1.0)
(dtype('float32'), True)
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .text import font

__all__ = ["PaperFeatures", "paper_features", "transmitted_image", "perforation", "LAMP"]

#: the lamp behind the page, seen through bare paper (drawn neutral: examiners' transmitted-light
#: images are grey, and a grey image is a third of the file)
LAMP = (1.0, 1.0, 1.0)
#: how much of the watermark shows in reflected light (a trace, to the trained eye only)
REFLECTED_TRACE = 0.012


@dataclass(frozen=True)
class PaperFeatures:
    """What is inside a sheet: thickness change (-1 thinner .. +1 thicker) and thread darkness (0..1)."""

    thickness: np.ndarray
    thread: np.ndarray


def _emblem(shape, box, seed: int) -> np.ndarray:
    """A multi-tone watermark picture: a sun with rays over a wave, in -1..1 (light..dark)."""
    h, w = shape
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    yy, xx = np.mgrid[0:bh, 0:bw].astype(np.float32)
    cx, cy = bw / 2, bh * 0.42
    r = np.hypot(xx - cx, yy - cy) / (0.32 * min(bw, bh))
    a = np.arctan2(yy - cy, xx - cx)
    rng = np.random.default_rng([seed, 0x3A7])
    rays = int(rng.integers(9, 15))
    sun = np.clip(1.2 - r, 0, 1)                       # thicker pulp: dark against the lamp
    ray = (np.cos(a * rays) > 0.55) * np.clip(1 - np.abs(r - 1.45) / 0.35, 0, 1)
    wave = np.clip(1 - np.abs(yy - (bh * 0.8 + 0.06 * bh * np.sin(xx / bw * 6.3))) / (0.05 * bh), 0, 1)
    pic = 0.9 * sun - 0.8 * ray - 0.7 * wave           # thinner pulp (rays, wave): light against the lamp
    pic = cv2.GaussianBlur(pic.astype(np.float32), (0, 0), max(1.0, 0.012 * min(bw, bh)))
    out = np.zeros(shape, np.float32)
    out[y0:y1, x0:x1] = np.clip(pic, -1, 1)
    return out


def paper_features(shape: tuple[int, int], *, watermark_box, thread_x: int | None, seed: int,
                   thread_width: int = 24, thread_text: str = "UTOPIA") -> PaperFeatures:
    """The watermark and the security thread of a page of ``shape`` (rows, cols).

    Parameters
    ----------
    watermark_box : (x0, y0, x1, y1)
        Where the watermark picture is (page pixels).
    thread_x : int or None
        Column of the vertical thread's centre (None: no thread).
    seed : int
        The picture's details.
    thread_width : int
        Thread width in pixels (about 1 mm).
    thread_text : str
        Text in clear letters along the thread.
    """
    h, w = shape
    thickness = _emblem((h, w), watermark_box, seed)
    thread = np.zeros((h, w), np.float32)
    if thread_x is not None:
        x0 = max(0, int(thread_x - thread_width // 2))
        x1 = min(w, x0 + thread_width)
        strip = Image.new("L", (h, x1 - x0), 255)    # drawn along the thread, then turned upright
        draw = ImageDraw.Draw(strip)
        f = font("DejaVuSans-Bold.ttf", max(6, int((x1 - x0) * 0.7)))
        step = int(draw.textlength(thread_text + "  ", font=f)) + 1
        for x in range(0, h, step):
            draw.text((x, (x1 - x0) / 2), thread_text, font=f, fill=40, anchor="lm")
        band = np.asarray(strip.transpose(Image.Transpose.ROTATE_270), np.float32) / 255.0
        thread[:, x0:x1] = band[:h, : x1 - x0] * 0.8
    return PaperFeatures(thickness, thread)


def transmitted_image(visible: np.ndarray, features: PaperFeatures | None, *, paper,
                      holes: np.ndarray | None = None, opaque: np.ndarray | None = None) -> np.ndarray:
    """The page against a lamp (float32 HxWx3) from the page in reflected light.

    Ink on either surface blocks light where it blocks it in reflection (its
    darkness over the paper's); the watermark's thicker pulp darkens and its
    thinner pulp brightens; the thread is dark; holes are bright.

    Parameters
    ----------
    visible : ndarray, float32 HxWx3
        The page in reflected white light (0..1); not modified.
    features : PaperFeatures or None
        Watermark and thread (None: plain paper, as a card or a forger's sheet).
    paper : RGB
        The bare paper's colour in reflection.
    holes : ndarray, optional
        Float32 HxW, 1 where light passes straight through (perforation).
    opaque : ndarray, optional
        Float32 HxW, 1 where nothing passes (a card, a foil, a sticker's backing).
    """
    vis = np.asarray(visible, np.float32)
    lum = cv2.cvtColor(vis, cv2.COLOR_RGB2GRAY) * np.float32(1.0 / max(float(np.mean(paper)), 1e-3))
    np.clip(lum, 0, 1, out=lum)
    trans = cv2.pow(lum, 1.6)                          # light crosses the ink layer twice over
    trans *= np.float32(0.7)
    if features is not None:
        trans *= 1 - np.float32(0.28) * features.thickness
        trans *= 1 - features.thread
    if opaque is not None:
        trans *= 1 - opaque
    if holes is not None:
        trans += holes * (1 - trans)
    return trans[..., None] * np.asarray(LAMP, np.float32)


def perforation(text: str, *, height_px: int, seed: int, pitch: float = 0.22) -> np.ndarray:
    """Laser-perforated characters: round holes on a dot grid (float32, 1 = hole).

    ``height_px`` is the character height; holes are ``pitch`` of it apart.
    """
    h = max(8, int(height_px))
    f = font("DejaVuSansMono-Bold.ttf", h)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    w = int(probe.textlength(text, font=f)) + 4
    glyphs = Image.new("L", (w, int(h * 1.3)), 0)
    ImageDraw.Draw(glyphs).text((2, int(h * 1.05)), text, font=f, fill=255, anchor="ls")
    g = np.asarray(glyphs, np.float32) / 255.0
    step = max(3.0, pitch * h)
    out = np.zeros_like(g)
    rng = np.random.default_rng([seed, 0x9E4F])
    r = max(1.0, 0.32 * step)
    for y in np.arange(step / 2, g.shape[0], step):
        for x in np.arange(step / 2, g.shape[1], step):
            if g[int(y), int(x)] > 0.5:
                jitter = rng.normal(0, 0.05 * step, 2)
                cv2.circle(out, (int((x + jitter[0]) * 16), int((y + jitter[1]) * 16)), int(r * 16), 1.0, -1,
                           cv2.LINE_AA, 4)
    return np.clip(out, 0, 1)
