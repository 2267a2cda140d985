"""What every analyzer receives, and small helpers over zones and maps."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..compare import Maps, Views, warp_crop
from ..geometry import page_pose
from ..model import ReferenceModel


@dataclass
class Context:
    """Everything measured once per document, shared (read-only) by the analyzers.

    Attributes
    ----------
    model : ReferenceModel
    images : dict
        Light -> the original uint8 RGB capture (for full-resolution crops).
    views : Views
        Light -> capture warped to working geometry.
    maps : Maps
        Conformity of the visible image with the reference.
    """

    model: ReferenceModel
    images: dict
    views: Views
    maps: Maps
    cache: dict = field(default_factory=dict)

    @property
    def homography(self) -> np.ndarray:
        return self.views.homography

    @property
    def template(self):
        return self.model.template

    def crop(self, box, *, light: str = "visible", scale: float = 1.0, homography=None) -> np.ndarray:
        """A full-resolution crop of a template box from the original capture.

        Through ``homography`` when given, else through the pose of the
        booklet page holding the box (the one pose of any other capture).
        """
        hm = page_pose(self.views.pages, box, self.views.homography) if homography is None else homography
        return warp_crop(self.images[light], hm, box, scale=scale)

    def zone_slice(self, name: str):
        x0, y0, x1, y1 = self.model.to_work(self.template.zone(name).bbox)
        return slice(y0, y1), slice(x0, x1)


def zone_label(zone) -> str:
    """The name of ``zone`` inside a finding's sentence (its ``label``, else its name), lower case.

    A finding's message calls it ``{label}``: a page showing the finding in
    another language puts the zone's name in that language there.
    """
    return (zone.extra.get("label") or zone.name.replace("-", " ")).lower()


def boxes_overlap(a, b) -> bool:
    """Whether boxes ``[x0, y0, x1, y1]`` ``a`` and ``b`` share any area.

    >>> boxes_overlap([0, 0, 10, 10], [9, 9, 20, 20]), boxes_overlap([0, 0, 10, 10], [10, 0, 20, 10])
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def clip_box(box, zone_box):
    """``box`` clipped to ``zone_box`` (both template pixels); the zone itself if nothing is left."""
    x0, y0, x1, y1 = box
    a, b, c, d = zone_box
    out = [max(x0, a), max(y0, b), min(x1, c), min(y1, d)]
    if out[2] <= out[0] or out[3] <= out[1]:
        return list(zone_box)
    return out
