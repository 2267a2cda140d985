"""Microprinting: a line of repeating text too small to read without a loupe.

Microtext with capitals of 0.15-0.25 mm reads as a plain line to the eye and
under a loupe as sharp letters; a copy smears it into a dotted or solid line.
Glyphs are rendered 8x larger without hinting and box-averaged down, so the
letters keep their true outline geometry.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..paths import font_path as _font_path
from .strokes import check_box, check_shape, clip_roi, positive

__all__ = ["microprint", "microprint_text"]

_DEFAULT_FONT = "DejaVuSans-Bold.ttf"

# --------------------------------------------------------------------------
# microprint
# --------------------------------------------------------------------------

#: Microtext is rendered this many times larger and box-averaged down, so the
#: letters keep their true outline geometry instead of being hinted to a grid.
_MICRO_SS = 8


@lru_cache(maxsize=16)
def _font_at(path: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size)


@lru_cache(maxsize=16)
def _cap_ratio(path: str) -> float:
    """Cap height of the font as a fraction of its size (from the letter H)."""
    f = _font_at(path, 200.0)
    _, top, _, bottom = f.getbbox("H", anchor="ls")
    return (bottom - top) / 200.0


def _micro_setup(text, cap_height_px, font_path, spacing):
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text: must be a non-empty string, got {text!r}")
    cap = positive("cap_height_px", cap_height_px)
    path = str(_font_path(_DEFAULT_FONT) if font_path is None else Path(font_path))
    if not Path(path).is_file():
        raise ValueError(f"font_path: no font file at {path}")
    spacing = 0.08 * cap if spacing is None else float(spacing)
    if not math.isfinite(spacing):
        raise ValueError(f"spacing: must be finite, got {spacing!r}")
    size = cap / _cap_ratio(path)
    font = _font_at(path, round(size * _MICRO_SS, 2))
    return text, cap, path, spacing, font


def _micro_layout(text, width_px, font, spacing):
    """Characters and their x advances (supersampled px) filling ``width_px``."""
    adv = {ch: font.getlength(ch) for ch in set(text)}
    track = spacing * _MICRO_SS
    if min(adv.values()) + track <= 0:
        raise ValueError(f"spacing: {spacing} px is so negative that the text would not advance")
    limit = width_px * _MICRO_SS
    chars, xs = [], []
    x = 0.0
    i = 0
    while True:
        ch = text[i % len(text)]
        # the glyph must fit entirely: its advance (without trailing tracking)
        if x + adv[ch] > limit + 1e-6:
            break
        chars.append(ch)
        xs.append(x)
        x += adv[ch] + track
        i += 1
    return "".join(chars), xs


def microprint_text(text, *, width_px, cap_height_px, font_path=None, spacing=None) -> str:
    """The repeated text that :func:`microprint` draws in a box ``width_px`` wide.

    Whole characters only: the repetition stops at the last character that
    fits entirely.

    Parameters
    ----------
    text : str
        Text to repeat (e.g. ``"UTOPIA"``).
    width_px : float
        Width of the box (px).
    cap_height_px : float
        Height of capital letters (px).
    font_path : str or Path, optional
        Font file (default DejaVu Sans Bold shipped with docexam).
    spacing : float, optional
        Extra space between letters (px, default ``0.08 * cap_height_px``).

    Returns
    -------
    str

    Examples
    --------
    >>> s = microprint_text("UTOPIA", width_px=300, cap_height_px=9)
    >>> s.startswith("UTOPIAUTOPIA"), len(s) > 30
    (True, True)
    """
    width_px = positive("width_px", width_px)
    text, _, _, spacing, font = _micro_setup(text, cap_height_px, font_path, spacing)
    return _micro_layout(text, width_px, font, spacing)[0]


def microprint(
    shape,
    *,
    box,
    text,
    cap_height_px,
    font_path=None,
    spacing=None,
) -> np.ndarray:
    """Coverage of a line of repeating microtext filling ``box``.

    The text (see :func:`microprint_text`) starts at the box's left edge with
    the capitals centred vertically in the box, and is cut at the box edges
    (descenders of lower-case letters may be clipped if the box is tight).
    Glyphs are rendered 8x larger without hinting and box-averaged, so letters
    at 8-10 px cap height keep legible shapes at 600 dpi.

    Parameters
    ----------
    shape : (int, int)
        Canvas (height, width).
    box : [x0, y0, x1, y1]
        Text line box; make it about ``cap_height_px + 2`` tall.
    text : str
        Text to repeat.
    cap_height_px : float
        Height of capital letters (px; 0.35-0.42 mm is 8-10 px at 600 dpi).
    font_path : str or Path, optional
        Font file (default ``docexam.paths.font_path("DejaVuSans-Bold.ttf")``).
    spacing : float, optional
        Extra space between letters (px, default ``0.08 * cap_height_px``);
        a little tracking keeps bold letters from touching at this size.

    Returns
    -------
    coverage : (H, W) float32 ndarray in [0, 1]

    Examples
    --------
    >>> cov = microprint((40, 300), box=[0, 10, 300, 21], text="UTOPIA",
    ...                  cap_height_px=9)
    >>> bool(cov[:10].max() == 0), bool(cov[10:21].max() > 0.9)
    (True, True)
    """
    shape = check_shape(shape)
    bx0, by0, bx1, by1 = check_box(box)
    text, cap, path, spacing, font = _micro_setup(text, cap_height_px, font_path, spacing)
    out = np.zeros(shape, np.float32)
    roi = clip_roi(shape, bx0, by0, bx1, by1)
    if roi is None:
        return out
    bw, bh = bx1 - bx0, by1 - by0
    chars, xs = _micro_layout(text, bw, font, spacing)
    ss = _MICRO_SS
    img = Image.new("L", (bw * ss, bh * ss), 0)
    draw = ImageDraw.Draw(img)
    # baseline so the capitals sit centred in the box (box edges at px edges)
    baseline = (bh + cap) / 2 * ss
    for ch, x in zip(chars, xs):
        draw.text((x, baseline), ch, fill=255, font=font, anchor="ls")
    big = np.asarray(img)
    small = cv2.resize(big, (bw, bh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    x0, y0, x1, y1 = roi
    out[y0:y1, x0:x1] = small[y0 - by0:y1 - by0, x0 - bx0:x1 - bx0]
    return out

