"""The sides of a specimen as a person looks at them: one picture per side of a card.

A template's sheet holds every side of the document (a card's front and back
side by side); boxes and anomalies are in sheet pixels. A specimen shows its
sides in one of two ways:

* a **flat** capture is the whole sheet: each side is a *crop* of the one
  picture (``NAME.png``);
* a **scan or phone photo** of a card is one picture per side (``NAME.png``
  for the front, ``NAME.back.png`` for the back, and their ``.uv``/``.ir``
  versions), each with its own homography from sheet pixels to its pixels.

:func:`side_views` gives both the same shape, so a page, a quiz or the
gallery shows "the front" and "the back" without caring which it is, and
:meth:`SideView.outline` puts a sheet box (an anomaly) onto the right picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model import Box, Specimen, Template
from .registry import find_template

__all__ = ["SideView", "picture_paths", "side_of_box", "side_views"]


@dataclass(frozen=True)
class SideView:
    """One side of a specimen: its pictures and where the sheet lies in them.

    Attributes
    ----------
    name : str
        ``front``, ``back`` or ``page``.
    bbox : (int, int, int, int)
        The side in sheet (template) pixels.
    images : dict
        light -> picture file (for a flat capture, the whole sheet's).
    homography : ndarray, shape (3, 3)
        Sheet pixels -> picture pixels.
    crop : (int, int, int, int) or None
        For a flat capture, the side's region of the picture; None when the
        picture is of this side alone.
    """

    name: str
    bbox: Box
    images: dict
    homography: np.ndarray
    crop: Box | None = None

    def shows(self, box) -> bool:
        """Whether the sheet box ``box`` lies (partly) on this side."""
        x0, y0, x1, y1 = box
        sx0, sy0, sx1, sy1 = self.bbox
        return x0 < sx1 and sx0 < x1 and y0 < sy1 and sy0 < y1

    def outline(self, box) -> list[tuple[float, float]]:
        """The corners of the sheet box ``box`` (clipped to the side) in the picture's pixels."""
        x0, y0, x1, y1 = box
        sx0, sy0, sx1, sy1 = self.bbox
        x0, y0, x1, y1 = max(x0, sx0), max(y0, sy0), min(x1, sx1), min(y1, sy1)
        pts = np.array([[x0, y0, 1.0], [x1, y0, 1.0], [x1, y1, 1.0], [x0, y1, 1.0]]) @ self.homography.T
        return [(float(x / w), float(y / w)) for x, y, w in pts]


def side_views(spec: Specimen, template: Template | None = None) -> list[SideView]:
    """The sides of ``spec``, first side first (one view for a one-page document).

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> sheet = {"template": "mrd-td1", "authentic": True, "capture": {"kind": "flat"},
    ...          "holder": {"surname": "SOK", "given_names": "DARA", "document_number": "X1",
    ...                     "nationality": "MRD", "date_of_birth": "1990-01-02", "sex": "F",
    ...                     "date_of_expiry": "2030-01-01"}, "mrz": [], "anomalies": []}
    >>> _ = (folder / "s.json").write_text(json.dumps(sheet)); _ = (folder / "s.png").write_bytes(b"")
    >>> from docexam.specimens.model import parse_specimen
    >>> views = side_views(parse_specimen(sheet, folder / "s.json"))
    >>> [(v.name, v.crop) for v in views]
    [('front', (0, 0, 2022, 1276)), ('back', (2117, 0, 4139, 1276))]
    >>> views[1].outline([2200, 100, 2300, 150])[0]
    (2200.0, 100.0)
    """
    tpl = template or find_template(spec.template)
    recorded = {s["name"]: s for s in spec.extra.get("sides") or () if isinstance(s, dict)}
    lights = spec.lights
    views = []
    for name, box in tpl.sides:
        side = recorded.get(name)
        if side is not None and side.get("images") and spec.capture_kind != "flat":
            images = {light: spec.folder / f for light, f in side["images"].items()
                      if (spec.folder / f).is_file()}
            views.append(SideView(name, tuple(box), images, np.asarray(side["homography"], float)))
            continue
        hom = np.asarray(spec.capture.get("homography", np.eye(3)), float)
        images = {light: spec.image_path(light) for light in lights}
        crop = tuple(box) if spec.capture_kind == "flat" and len(tpl.sides) > 1 else None
        views.append(SideView(name, tuple(box), images, hom, crop))
    return views


def side_of_box(views: list[SideView], box) -> SideView | None:
    """The view a sheet box lies on (most of it), or None."""
    def overlap(v: SideView) -> float:
        x0, y0, x1, y1 = box
        sx0, sy0, sx1, sy1 = v.bbox
        return max(0, min(x1, sx1) - max(x0, sx0)) * max(0, min(y1, sy1) - max(y0, sy0))

    best = max(views, key=overlap, default=None)
    return best if best is not None and overlap(best) > 0 else None


def picture_paths(spec: Specimen) -> list[Path]:
    """Every picture file of ``spec`` (each side's, each light's), for copying or packing."""
    seen = []
    for view in side_views(spec):
        for path in view.images.values():
            if path not in seen:
                seen.append(path)
    return seen
