"""Entry and exit stamps of the border posts of Utopia and Meridia.

Each state stamps travellers with its own rubber stamps: a fixed shape and
size, its own lettering and date format, its own ink (:data:`STAMP_STYLES`,
the one home of these facts). :func:`stamp_impression` inks one stamp at a
date, as a coverage map with the texture of a rubber stamp pressed by hand:
uneven ink, small voids, ink pooled at the edges, a side pressed harder than
the other. A forger's stamp differs in what is hard to copy by eye: the
typeface, the size, the date format, the ink.

Examples
--------
>>> cov = stamp_impression(STAMP_STYLES[("MRD", "entry")], "2026-03-14", seed=3, dpi=300)
>>> cov.dtype, 0.0 <= float(cov.min()) and float(cov.max()) <= 1.0
(dtype('float32'), True)
>>> stamp_date("2026-03-14", "dmy-dots"), stamp_date("2026-03-14", "d-mon-y")
('14.03.2026', '14 MAR 2026')
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .text import font

__all__ = ["StampStyle", "STAMP_STYLES", "DATE_FORMATS", "stamp_date", "stamp_impression", "forged_style"]

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
#: date formats of stamps: code -> what ``stamp_date`` prints
DATE_FORMATS = ("d-mon-y", "dmy-dots", "ymd-dashes", "mdy-slashes")


@dataclass(frozen=True)
class StampStyle:
    """One border stamp as the state makes it."""

    state: str                      #: issuing state code
    kind: str                       #: ``entry`` or ``exit``
    shape: str                      #: ``round-rect``, ``rect``, ``circle`` or ``oval``
    size_mm: tuple[float, float]
    title: str                      #: the state's name on the stamp
    word: str                       #: ENTRY / EXIT in the state's wording
    text_font: str
    date_font: str
    date_format: str                #: one of :data:`DATE_FORMATS`
    ink: tuple[float, float, float]  #: colour of the ink in daylight
    ink_uv: tuple[float, float, float] | None  #: what the ink emits under UV (None: it does not glow)
    posts: tuple[str, ...]          #: border posts that use this stamp


STAMP_STYLES: dict[tuple[str, str], StampStyle] = {
    (s.state, s.kind): s for s in (
        StampStyle("UTO", "entry", "round-rect", (32.0, 21.0), "UTOPIA", "ENTRY", "DejaVuSans-Bold.ttf",
                   "DejaVuSansMono-Bold.ttf", "d-mon-y", (0.16, 0.46, 0.26), (0.95, 0.55, 0.20),
                   ("NEW HARBOUR BRIDGE", "EAST HILLS", "PORT UTOPIA")),
        StampStyle("UTO", "exit", "rect", (32.0, 21.0), "UTOPIA", "EXIT", "DejaVuSans-Bold.ttf",
                   "DejaVuSansMono-Bold.ttf", "d-mon-y", (0.66, 0.14, 0.16), (0.95, 0.55, 0.20),
                   ("NEW HARBOUR BRIDGE", "EAST HILLS", "PORT UTOPIA")),
        StampStyle("MRD", "entry", "circle", (27.0, 27.0), "MERIDIA", "ENTRADA", "DejaVuSerifCondensed-Bold.ttf",
                   "DejaVuSansMono-Bold.ttf", "dmy-dots", (0.36, 0.20, 0.56), None,
                   ("SOLVANO", "KERAT", "TORVEN")),
        StampStyle("MRD", "exit", "oval", (32.0, 23.0), "MERIDIA", "SALIDA", "DejaVuSerifCondensed-Bold.ttf",
                   "DejaVuSansMono-Bold.ttf", "dmy-dots", (0.14, 0.20, 0.46), None,
                   ("SOLVANO", "KERAT", "TORVEN")),
    )
}


def stamp_date(iso: str, fmt: str) -> str:
    """``iso`` (``YYYY-MM-DD``) as a stamp prints it in ``fmt`` (:data:`DATE_FORMATS`)."""
    d = _dt.date.fromisoformat(iso)
    if fmt == "d-mon-y":
        return f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}"
    if fmt == "dmy-dots":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if fmt == "ymd-dashes":
        return d.isoformat()
    if fmt == "mdy-slashes":
        return f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}"
    raise ValueError(f"fmt: {fmt!r} is not one of {', '.join(DATE_FORMATS)}")


def forged_style(style: StampStyle, rng: np.random.Generator, severity: float) -> tuple[StampStyle, list[str]]:
    """A forger's copy of ``style``: what differs, and the list of those differences in plain words.

    A careful forger (low ``severity``) gets one thing wrong, a careless one
    several: the typeface, the size, the date format, the ink.
    """
    faults = ["font", "size", "date", "ink"]
    rng.shuffle(faults)
    n = 1 + int(round(severity * 2.4))
    out, words = style, []
    for fault in faults[:n]:
        if fault == "font":
            wrong = "DejaVuSerif.ttf" if "Sans" in style.text_font else "DejaVuSans-Bold.ttf"
            out = replace(out, text_font=wrong, date_font="DejaVuSans.ttf")
            words.append("the lettering is in another typeface and the date digits are not the stamp's own")
        elif fault == "size":
            k = float(rng.choice([0.84, 0.88, 1.12, 1.16]))
            out = replace(out, size_mm=(style.size_mm[0] * k, style.size_mm[1] * k))
            words.append(f"the stamp is {'smaller' if k < 1 else 'larger'} than the post's real stamps")
        elif fault == "date":
            fmt = [f for f in DATE_FORMATS if f != style.date_format][int(rng.integers(len(DATE_FORMATS) - 1))]
            out = replace(out, date_format=fmt)
            words.append("the date is written in a format this state never uses")
        else:
            hue = np.asarray(style.ink) * 0.6 + np.asarray(rng.uniform(0.1, 0.6, 3)) * 0.4
            out = replace(out, ink=tuple(float(v) for v in hue), ink_uv=None)
            words.append("the ink has another colour" + (" and does not glow under UV" if style.ink_uv else ""))
    return out, words


def _outline(draw: ImageDraw.ImageDraw, shape: str, w: int, h: int, lw: int) -> None:
    m = lw // 2 + 1
    for inset in (m, m + 3 * lw):
        box = (inset, inset, w - 1 - inset, h - 1 - inset)
        if shape == "rect":
            draw.rectangle(box, outline=255, width=lw)
        elif shape == "round-rect":
            draw.rounded_rectangle(box, radius=int(0.18 * min(w, h)), outline=255, width=lw)
        else:  # circle and oval
            draw.ellipse(box, outline=255, width=lw)


def _text(draw, text, font_name, px, cx, cy, w_max):
    px = max(6, int(px))
    f = font(font_name, px)
    while px > 6 and draw.textlength(text, font=f) > w_max:
        px -= 1
        f = font(font_name, px)
    draw.text((cx, cy), text, font=f, fill=255, anchor="mm")


def stamp_coverage(style: StampStyle, date: str, *, post: str, number: int, dpi: int) -> np.ndarray:
    """The clean print of a stamp's rubber (float32 coverage, 1 = ink), before pressing."""
    w = max(16, int(round(style.size_mm[0] * dpi / 25.4)))
    h = max(16, int(round(style.size_mm[1] * dpi / 25.4)))
    canvas = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(canvas)
    lw = max(1, int(round(0.35 * dpi / 25.4)))
    _outline(draw, style.shape, w, h, lw)
    round_ = style.shape in ("circle", "oval")
    inner = w * (0.62 if round_ else 0.82)
    cx = w / 2
    _text(draw, style.title, style.text_font, 0.17 * h, cx, 0.27 * h, inner * (0.8 if round_ else 1))
    _text(draw, stamp_date(date, style.date_format), style.date_font, 0.19 * h, cx, 0.50 * h, inner)
    _text(draw, f"{style.word}  {number:03d}", style.text_font, 0.12 * h, cx, 0.67 * h, inner)
    _text(draw, post, style.text_font, 0.10 * h, cx, 0.80 * h, inner * (0.75 if round_ else 1))
    return np.asarray(canvas, np.float32) / 255.0


def stamp_impression(style: StampStyle, date: str, *, seed: int, dpi: int, post: str | None = None,
                     number: int | None = None, angle: float | None = None, pressed: bool = True) -> np.ndarray:
    """One impression of ``style`` dated ``date``: coverage (float32, 0..1) on its own rotated canvas.

    Parameters
    ----------
    style : StampStyle
    date : str
        ``YYYY-MM-DD``.
    seed : int
        Chooses the post (when not given), the officer's number, the angle
        and the texture of this impression.
    dpi : int
        Resolution of the page it is pressed on.
    pressed : bool
        True: a rubber stamp pressed by hand (uneven ink, voids, pooled
        edges). False: a print of the same design (a forger's inkjet copy:
        even, flat ink and sharp edges).
    """
    rng = np.random.default_rng([seed, 0x57A0])
    post = post or style.posts[int(rng.integers(len(style.posts)))]
    number = int(rng.integers(1, 400)) if number is None else number
    angle = float(rng.uniform(-18, 18)) if angle is None else angle
    cov = stamp_coverage(style, date, post=post, number=number, dpi=dpi)
    h, w = cov.shape
    if pressed:
        # ink lies thicker where the rubber is pressed harder (one side), and pools at edges
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        a = rng.uniform(0, 2 * math.pi)
        tilt = 0.75 + 0.25 * np.cos(a) * (xx / w - 0.5) * 2 + 0.25 * np.sin(a) * (yy / h - 0.5) * 2
        blotch = cv2.resize(rng.random((max(2, h // 24), max(2, w // 24))).astype(np.float32), (w, h),
                            interpolation=cv2.INTER_CUBIC)
        grain = cv2.GaussianBlur(rng.random((h, w)).astype(np.float32), (0, 0), 0.8)
        voids = (grain < 0.24 + 0.25 * (1 - tilt)).astype(np.float32)
        edges = cov - cv2.erode(cov, np.ones((3, 3), np.uint8))
        cov = cov * np.clip(tilt * (0.85 + 0.35 * blotch) * (1 - 0.6 * voids), 0, 1) + 0.25 * edges
        cov = cv2.GaussianBlur(cov, (0, 0), 0.6)
    else:
        cov = np.clip(cov * 0.92, 0, 1)
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    c, s = abs(rot[0, 0]), abs(rot[0, 1])
    nw, nh = int(h * s + w * c) + 2, int(h * c + w * s) + 2
    rot[0, 2] += nw / 2 - w / 2
    rot[1, 2] += nh / 2 - h / 2
    return np.clip(cv2.warpAffine(cov, rot, (nw, nh), flags=cv2.INTER_LINEAR), 0, 1).astype(np.float32)
