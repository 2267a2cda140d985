"""Can a capture be aligned to a template? The self-check of a new template, and a second image.

``docexam template add`` refuses a template that a capture could not be
aligned to (every examination would be ``inconclusive``): a simulated
genuine phone photo of the new reference (:func:`docexam.examine.simulate.genuine_capture`,
seed :data:`SELF_CHECK_SEED`) must register back to it, within
:data:`MAX_TRUE_ERROR_PX` at the zone corners. :func:`check_alignment`
asks the same of a real second image, :func:`suggest_template` which
template an image aligns with best.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..errors import DocexamError
from ..imaging import load_image
from ..examine.model import template_sides
from ..examine.register import register
from ..examine.simulate import genuine_capture
from ..specimens.model import Template

__all__ = ["AlignmentCheck", "SELF_CHECK_SEED", "MAX_TRUE_ERROR_PX", "self_check", "check_alignment",
           "suggest_template", "load_source"]

#: seed of the simulated phone capture of the self-check (fixed: same image, same verdict)
SELF_CHECK_SEED = 0
#: largest acceptable true alignment error of the self-check at the zone corners
#: (template pixels); a registration that reports success but misses by more
#: found the wrong pose (a repetitive design) and must not be trusted
MAX_TRUE_ERROR_PX = 3.0



@dataclass(frozen=True)
class AlignmentCheck:
    """Whether a capture could be aligned to a template, and how well.

    Attributes
    ----------
    ok : bool
        The registration passed its sanity checks (and, for the self-check,
        its true error is within :data:`MAX_TRUE_ERROR_PX`).
    reprojection_error_px : float
        The registration's own error estimate, template pixels (``inf`` when
        nothing could be estimated).
    true_error_px : float or None
        Self-check only (the capture's homography is known): the largest
        distance, in template pixels, between the zone corners and where the
        registration puts them. ``None`` for a real capture.
    true_error_rms_px : float or None
        Root mean square of the same distances.
    reason : str
        Empty when ``ok``; otherwise why, in plain words.
    registration : docexam.examine.register.Registration
        The full result (homography image -> template, inliers, timings).
    """

    ok: bool
    reprojection_error_px: float
    true_error_px: float | None
    true_error_rms_px: float | None
    reason: str
    registration: object

    def as_dict(self) -> dict:
        def num(v):
            return round(float(v), 3) if v is not None and np.isfinite(v) else None

        return {"ok": self.ok, "reprojection_error_px": num(self.reprojection_error_px),
                "true_error_px": num(self.true_error_px), "true_error_rms_px": num(self.true_error_rms_px),
                "reason": self.reason}




def load_source(source, label: str):
    """A path, an upload's bytes or a uint8 RGB/gray array, decoded as :func:`docexam.imaging.load_image` does."""
    if isinstance(source, np.ndarray):
        if source.dtype != np.uint8 or source.ndim not in (2, 3):
            raise ValueError(f"{label}: expected a uint8 gray or RGB array, got {source.dtype} {source.shape}")
        rgb = source if source.ndim == 3 else np.repeat(source[..., None], 3, axis=2)
        ok, buf = cv2.imencode(".png", cv2.cvtColor(np.ascontiguousarray(rgb[..., :3]), cv2.COLOR_RGB2BGR))
        return load_image(buf.tobytes(), name=f"<{label} array>")
    if isinstance(source, (bytes, bytearray, memoryview)):
        return load_image(source, name=label)
    return load_image(source)



def _zone_corners(zones) -> np.ndarray:
    pts = []
    for z in zones:
        x0, y0, x1, y1 = z.bbox
        # centres of the zone's corner pixels (x1, y1 are exclusive)
        pts += [(x0, y0), (x1 - 1, y0), (x1 - 1, y1 - 1), (x0, y1 - 1)]
    return np.array(pts, np.float64).reshape(-1, 2)


def _project(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    q = np.c_[pts, np.ones(len(pts))] @ np.asarray(h, np.float64).T
    return q[:, :2] / q[:, 2:3]


def self_check(rgb: np.ndarray, zones, dpi: int, *, seed: int = SELF_CHECK_SEED) -> AlignmentCheck:
    """Register a simulated genuine phone photo of ``rgb`` back to it; measure the true error at the zone corners."""
    capture, truth = genuine_capture(rgb, np.random.default_rng([seed, 0x5C]), dpi=dpi)
    reg = register(capture, rgb)
    corners = _zone_corners(zones)
    back = _project(reg.homography, _project(truth, corners))
    dist = np.linalg.norm(back - corners, axis=1)
    true_max, true_rms = float(dist.max()), float(np.sqrt(np.mean(dist ** 2)))
    if not np.isfinite(true_max):
        true_max = true_rms = float("inf")
    ok, reason = bool(reg.ok), reg.reason
    if ok and true_max > MAX_TRUE_ERROR_PX:
        ok, reason = False, (f"the alignment found a wrong pose (zone corners off by up to {true_max:.1f} px): "
                             "the design may repeat itself")
    return AlignmentCheck(ok, float(reg.reprojection_error_px), true_max, true_rms, reason, reg)


def check_alignment(template: Template, image) -> AlignmentCheck:
    """Can this capture of the document be aligned to the template?

    Parameters
    ----------
    template : Template
        The template (shipped or a trainer's own), e.g. from
        :func:`~docexam.specimens.registry.find_template`.
    image : path, bytes or ndarray
        A second image of the document (scan or phone photo): a file, an
        upload's bytes, or a uint8 RGB array.

    Returns
    -------
    AlignmentCheck
        ``ok``, the registration's ``reprojection_error_px`` and ``reason``
        (``true_error_px`` is ``None``: the true pose of a real capture is unknown).

    Raises
    ------
    InputFileError
        The image (or the template's reference image) cannot be decoded.
    ValueError
        ``template`` is not a Template or ``image`` is not an image.
    """
    if not isinstance(template, Template):
        raise ValueError(f"template: expected a Template, got {type(template).__name__}")
    if isinstance(image, np.ndarray):
        if image.dtype != np.uint8 or image.ndim not in (2, 3):
            raise ValueError(f"image: expected a uint8 gray or RGB array, got {image.dtype} {image.shape}")
        rgb = image
    else:
        rgb = load_source(image, "image").rgb
    reference = load_source(template.image_path("visible"), "reference").rgb
    reg = register(rgb, reference, sides=template_sides(template))
    return AlignmentCheck(bool(reg.ok), float(reg.reprojection_error_px), None, None, reg.reason, reg)



def suggest_template(rgb, templates) -> tuple[object | None, list[tuple[str, bool, float]]]:
    """The template an image aligns with best (registration only, no analysis).

    Returns ``(template or None, [(id, ok, error_px), ...])``.
    """
    tried, best = [], None
    for tpl in templates:
        try:
            check = check_alignment(tpl, rgb)
        except (DocexamError, ValueError):
            tried.append((tpl.id, False, float("inf")))
            continue
        tried.append((tpl.id, check.ok, check.reprojection_error_px))
        if check.ok and (best is None or check.reprojection_error_px < best[1]):
            best = (tpl, check.reprojection_error_px)
    return (best[0] if best else None), tried
