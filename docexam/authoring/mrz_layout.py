"""Where a real specimen's MRZ characters are: measured when the template is added.

The examination reads a template's MRZ where ``mrz_layout`` says the
characters are. A trainer's template learns it here, by reading its
reference's MRZ, and keeps it only when reading again at that layout gives
the same valid lines (so a wrong layout is never stored); ``docexam
template add`` then says whether the examination will read the MRZ, and
the examination does exactly that
(:func:`docexam.examine.analyzers.mrz_check.mrz_expected`).
"""

from __future__ import annotations

import numpy as np

from ..mrz.correct import decode
from ..mrz.glyphs import INK_MARGIN_PER_PITCH
from ..mrz.reader import read_line, read_mrz
from ..mrz.segment import LineGeometry
from ..mrz.text import SHAPES, parse

__all__ = ["measure_mrz"]


def measure_mrz(rgb: np.ndarray, zones, fmt: str) -> tuple[dict | None, list[str], str]:
    """Find the MRZ inside the ``mrz`` zone: (``mrz_layout`` for template.json, lines, note).

    The examination reads a template's MRZ where ``mrz_layout`` says the
    characters are (origin: left edge of the first character cell on the
    first line's baseline; pitch; line pitch). The shipped templates know it
    from their design; for a real specimen it is measured here by reading
    the MRZ, and kept only when reading again at that layout gives the same
    valid lines (so a wrong layout is never stored).
    """
    mrz_zones = [z for z in zones if z.kind == "mrz"]
    if not mrz_zones:
        return None, [], "no zone of kind mrz: examine will not read the MRZ"
    rows, cols = SHAPES[fmt]
    x0, y0, x1, y1 = mrz_zones[0].bbox
    h, w = rgb.shape[:2]
    # read a crop around the zone: faster than the page, and the MRZ must be in the zone
    m = max(8, (y1 - y0) // 4)
    cx0, cy0, cx1, cy1 = max(0, x0 - m), max(0, y0 - m), min(w, x1 + m), min(h, y1 + m)
    gray = rgb[cy0:cy1, cx0:cx1].min(axis=2)
    if min(gray.shape) < 16:
        return None, [], f"zone {mrz_zones[0].name!r} is too small to hold an MRZ: examine will not read the MRZ"
    failed = (f"the MRZ could not be read in zone {mrz_zones[0].name!r}: "
              "the MRZ layout is not stored and examine will not read the MRZ")
    reading = read_mrz(gray, formats=(fmt,), rotations=(0,))
    if not reading.found or reading.parsed is None or not reading.parsed.valid or reading.quad is None:
        return None, [], failed
    q = np.asarray(reading.quad, np.float64) + [cx0, cy0]
    # the reader's outline spans exactly `cols` pitches across and, top to
    # bottom, (rows - 1) line pitches plus 1.5 capital heights; an OCR-B
    # capital is 0.98 pitch high
    pitch = float(np.linalg.norm(q[1] - q[0])) / cols
    cap = 0.98 * pitch
    top, bottom = (q[0, 1] + q[1, 1]) / 2, (q[2, 1] + q[3, 1]) / 2
    line_pitch = (bottom - top - 1.5 * cap) / max(1, rows - 1)
    ox, oy = float(q[0, 0]), float(top + 1.25 * cap)
    if not (x0 - pitch <= q[:, 0].min() and q[:, 0].max() <= x1 + pitch
            and y0 - pitch <= q[:, 1].min() and q[:, 1].max() <= y1 + pitch):
        return None, [], f"the MRZ found lies outside zone {mrz_zones[0].name!r}: the MRZ layout is not stored"
    page = rgb.min(axis=2)
    scores = []
    for r in range(rows):
        y = oy + r * line_pitch - cap / 2
        geom = LineGeometry((ox + INK_MARGIN_PER_PITCH * pitch, y), (ox + (cols - INK_MARGIN_PER_PITCH) * pitch, y),
                            cap, cap, pitch)
        line = read_line(page, geom, n_chars=cols)
        scores.append((line[0] if isinstance(line, tuple) else line).scores)
    again = decode(scores, fmt, max_cost=0.0).lines
    if list(again) != list(reading.lines) or not parse(again, fmt=fmt).valid:
        return None, list(reading.lines), failed
    layout = {"origin": [round(ox, 1), round(oy, 1)], "pitch_px": round(pitch, 3),
              "line_pitch_px": round(float(line_pitch), 2)}
    return layout, list(reading.lines), "MRZ read (every check digit valid); its layout is stored for examine"

