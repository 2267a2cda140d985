"""The visa pages of a passport booklet: the stamps of a journey, the perforated number, the visa.

What is printed on the pages of the template ``uto-visa`` for one
traveller: the Meridian visa's data (:func:`visa_holder`), the four border
stamps of the journey on the left page (:func:`stamp_layers`) and the
passport number laser-perforated through both pages (:func:`perforation`).
A forger's versions reuse the same functions with other stamps, dates or
numbers.

Examples
--------
>>> from docexam.synth.designs import design
>>> from docexam.synth.visa import journey
>>> d = design("uto-visa")
>>> h = visa_holder({"date_of_issue": "2021-01-10", "date_of_expiry": "2031-01-09"}, seed=3)
>>> placed = stamp_layers(d, journey(h, seed=3), seed=3)
>>> len(placed), all(p.box[2] > p.box[0] for p in placed)
(4, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .designs import Design
from .inks import Ink, Layer
from .stamps import STAMP_STYLES, StampStyle, stamp_impression
from .transmitted import perforation as perforated_text
from .visa import Crossing, visa_data

__all__ = ["visa_holder", "PlacedStamp", "stamp_layers", "perforation", "PERFORATION_INK"]

#: the edge of a laser-burnt hole: the next page shows through, a brown rim around it
PERFORATION_INK = Ink("perforation", (0.62, 0.52, 0.42), None, ir=0.05, uv_absorb=0.35)


def visa_holder(holder: dict, *, seed: int) -> dict:
    """``holder`` (a Utopian passport's) with the Meridian visa in it: the sticker's fields."""
    out = dict(holder)
    out.update(visa_data(holder, seed=seed))
    out["visa_valid_for"] = "MERIDIA"
    return out


@dataclass(frozen=True)
class PlacedStamp:
    """A stamp pressed on the page: its layer, where it landed, what it says."""

    layer: Layer
    box: tuple[int, int, int, int]
    crossing: Crossing
    style: StampStyle


def stamp_ink(style: StampStyle, name: str) -> Ink:
    """The stamp's ink: coloured in daylight, glowing under UV if the state's ink does, gone in IR."""
    return Ink(name, style.ink, style.ink_uv, ir=0.05, uv_absorb=0.3)


def _slots(design: Design, n: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """Centres for ``n`` stamps over the stamps zone: a loose grid, as officers stamp a free page."""
    x0, y0, x1, y1 = design.zone_px("stamps")
    cols = 2
    rows = (n + cols - 1) // cols
    out = []
    for i in range(n):
        r, c = divmod(i, cols)
        cx = x0 + (c + 0.5) * (x1 - x0) / cols + rng.normal(0, 0.05) * (x1 - x0) / cols
        cy = y0 + (r + 0.5) * (y1 - y0) / rows + rng.normal(0, 0.05) * (y1 - y0) / rows
        out.append((int(cx), int(cy)))
    return out


def stamp_layers(design: Design, crossings: list[Crossing], *, seed: int, styles: dict | None = None,
                 printed: frozenset = frozenset()) -> list[PlacedStamp]:
    """The stamps of ``crossings`` pressed on the stamps page.

    Parameters
    ----------
    styles : dict, optional
        Index of a crossing -> the :class:`StampStyle` used for it instead
        of the post's own (a forger's stamp).
    printed : set of int
        Indices of stamps printed rather than pressed (a forger's inkjet copy).
    """
    rng = np.random.default_rng([seed, 0x5747])
    styles = styles or {}
    h, w = design.size_px[1], design.size_px[0]
    placed = []
    for i, (c, (cx, cy)) in enumerate(zip(crossings, _slots(design, len(crossings), rng))):
        style = styles.get(i, STAMP_STYLES[(c.state, c.kind)])
        cov = stamp_impression(style, c.date, seed=seed * 7 + i, dpi=design.dpi, pressed=i not in printed)
        sh, sw = cov.shape
        x0, y0 = max(0, cx - sw // 2), max(0, cy - sh // 2)
        x1, y1 = min(w, x0 + sw), min(h, y0 + sh)
        cov = cov[: y1 - y0, : x1 - x0]
        layer = Layer(stamp_ink(style, f"stamp-{i}"), cov, (x0, y0, x1, y1))
        ys, xs = np.nonzero(cov > 0.2)
        box = (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1)
        placed.append(PlacedStamp(layer, box, c, style))
    return placed


def perforation(design: Design, number: str, *, seed: int, zone: str = "perforation") -> tuple[Layer, np.ndarray]:
    """The passport number burnt through the page in ``zone``: (rim layer, hole map on the page).

    The hole map (float32, page size, 1 = hole) is what transmitted light
    shows; the layer darkens each hole's rim and shows the page beneath.
    """
    x0, y0, x1, y1 = design.zone_px(zone)
    holes = perforated_text(number, height_px=int(0.28 * (x1 - x0)), seed=seed)
    holes = np.rot90(holes)  # the number runs up the page's outer edge
    hh, hw = holes.shape
    hh, hw = min(hh, y1 - y0), min(hw, x1 - x0)
    oy, ox = y0 + (y1 - y0 - hh) // 2, x0 + (x1 - x0 - hw) // 2
    page = np.zeros((design.size_px[1], design.size_px[0]), np.float32)
    page[oy:oy + hh, ox:ox + hw] = holes[:hh, :hw]
    cov = np.ascontiguousarray(holes[:hh, :hw] * 0.55, np.float32)
    return Layer(PERFORATION_INK, cov, (ox, oy, ox + hw, oy + hh)), page
