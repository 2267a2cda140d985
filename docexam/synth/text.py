"""Text as ink coverage: field values, labels and the OCR-B machine-readable zone."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..paths import font_path

FIELD_FONT = "DejaVuSans.ttf"
LABEL_FONT = "DejaVuSans.ttf"
HEADER_FONT = "DejaVuSans-Bold.ttf"
FORGER_FONT = "DejaVuSerif.ttf"
MRZ_FONT = "OCRB.otf"
#: OCR-B size that gives the ICAO 2.54 mm (10 characters per inch) pitch at 600 dpi
MRZ_PITCH_MM = 2.54


@lru_cache(maxsize=64)
def font(name: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size_px)


def text_coverage(text: str, *, size: tuple[int, int], font_name: str, font_px: int,
                  baseline: int, x: int = 0, tracking: float = 0.0) -> np.ndarray:
    """Coverage (float32, ``size`` = (w, h)) of ``text`` drawn from ``x`` on ``baseline``.

    ``tracking`` adds that many pixels between characters (0: the font's own spacing).
    """
    w, h = size
    canvas = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(canvas)
    f = font(font_name, font_px)
    if tracking == 0.0:
        draw.text((x, baseline), text, font=f, fill=255, anchor="ls")
    else:
        pos = float(x)
        for ch in text:
            draw.text((pos, baseline), ch, font=f, fill=255, anchor="ls")
            pos += f.getlength(ch) + tracking
    return np.asarray(canvas, dtype=np.float32) * (1.0 / 255.0)


def text_width(text: str, *, font_name: str, font_px: int, tracking: float = 0.0) -> float:
    f = font(font_name, font_px)
    return f.getlength(text) + tracking * max(len(text) - 1, 0)


def fit_font_px(text: str, *, font_name: str, font_px: int, max_width: int, tracking: float = 0.0) -> int:
    """Largest size <= ``font_px`` at which ``text`` fits in ``max_width`` (names can be long)."""
    size = font_px
    while size > 8 and text_width(text, font_name=font_name, font_px=size, tracking=tracking) > max_width:
        size -= 2
    return size


def mrz_coverage(lines: list[str], *, size: tuple[int, int], origin: tuple[float, float],
                 pitch_px: float, line_pitch_px: float, font_px: int, skip=frozenset(),
                 only=None) -> np.ndarray:
    """Coverage of MRZ ``lines`` at a fixed character pitch, as OCR-B printing is.

    ``origin`` is (x, baseline y) of the first character of the first line.
    Characters are placed one by one so the pitch is exact whatever the font's
    own advance. Characters at (row, col) in ``skip`` are left out; with
    ``only``, just those are drawn.
    """
    w, h = size
    canvas = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(canvas)
    f = font(MRZ_FONT, font_px)
    x0, y0 = origin
    for row, line in enumerate(lines):
        y = y0 + row * line_pitch_px
        for col, ch in enumerate(line):
            if (row, col) in skip or (only is not None and (row, col) not in only):
                continue
            # centre each glyph in its cell
            cx = x0 + col * pitch_px + (pitch_px - f.getlength(ch)) / 2
            draw.text((cx, y), ch, font=f, fill=255, anchor="ls")
    return np.asarray(canvas, dtype=np.float32) * (1.0 / 255.0)


def mrz_char_box(*, origin: tuple[int, int], pitch_px: float, line_pitch_px: float, font_px: int,
                 row: int, col: int) -> tuple[int, int, int, int]:
    """Page box of the MRZ character at ``row``, ``col`` (for masks of altered characters)."""
    x0 = origin[0] + col * pitch_px
    base = origin[1] + row * line_pitch_px
    cap = font(MRZ_FONT, font_px).getbbox("A", anchor="ls")
    return (int(x0), int(base + cap[1]) - 2, int(np.ceil(x0 + pitch_px)), int(base) + 3)
