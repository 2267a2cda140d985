"""What the analyzers need from a template, computed once per process.

A :class:`ReferenceModel` holds the template's reference images at full
resolution (for the registration and for small full-resolution crops) and at
the *working resolution* (about 300 dpi) at which whole-page comparisons run,
plus zone masks and statistics of the reference that every document is
compared with. :func:`reference_model` caches it per template folder, so a
batch of documents of one type pays for it once.

Two kinds of template exist (``template.synthetic``):

* synthetic (shipped): the reference shows the document **without**
  personalization, so portrait, fields and MRZ areas are blank and the
  design under them is known exactly;
* a trainer's own (``docexam template add``): the reference is a real
  genuine specimen *with* its holder's data; inside personalization zones the
  reference shows another holder, so the analyzers compare those zones with
  tolerance or skip them with a note (see :attr:`ReferenceModel.blank_personalization`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ..imaging import load_rgb
from ..specimens.model import Template
from .lru import BoundedCache

__all__ = ["ReferenceModel", "reference_model", "WORKING_DPI", "PERSONAL_KINDS"]

#: whole-page comparisons run at about this resolution
WORKING_DPI = 300
#: zone kinds printed at personalization (blank in a synthetic reference)
PERSONAL_KINDS = ("portrait", "ghost-portrait", "field", "mrz")
#: high-pass scale (working pixels): the band of fine line work and print structure
HP_SIGMA = 2.0


def to_float(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float32) * np.float32(1 / 255)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Rec. 601 luma of a float RGB image (fast: one matrix product)."""
    if rgb.ndim == 2:
        return rgb
    out = cv2.transform(rgb, np.float32([[0.299, 0.587, 0.114]]))
    return out[..., 0] if out.ndim == 3 else out


def highpass(x: np.ndarray, sigma: float = HP_SIGMA) -> np.ndarray:
    return x - cv2.GaussianBlur(x, (0, 0), sigma)


def scale_matrix(sx: float, sy: float | None = None) -> np.ndarray:
    """Full-resolution to resized coordinates, pixel-centre aware."""
    sy = sx if sy is None else sy
    return np.array([[sx, 0.0, 0.5 * sx - 0.5], [0.0, sy, 0.5 * sy - 0.5], [0.0, 0.0, 1.0]])


@dataclass
class ReferenceModel:
    """A template prepared for examination (see the module docstring).

    Attributes
    ----------
    template : Template
    scale : float
        Working pixels per template pixel.
    size : (int, int)
        Working ``(width, height)``.
    full : dict
        Light -> uint8 RGB reference at template resolution (read-only).
    work : dict
        Light -> float32 RGB reference at working resolution, in [0, 1].
    lum : ndarray
        Working-resolution luminance of the visible reference.
    document : ndarray of bool
        Working pixels on the document (inside the template's sides; everything when unknown).
    personal : ndarray of bool
        Working pixels inside personalization zones.
    """

    template: Template
    scale: float
    size: tuple[int, int]
    full: dict
    work: dict
    lum: np.ndarray
    document: np.ndarray
    personal: np.ndarray
    fibres: np.ndarray
    #: small values derived from the template (tiles, masks, per-zone references)
    cache: BoundedCache = field(default_factory=lambda: BoundedCache(1024), repr=False)
    #: whole-page values per capture blur (tens of MB each): only the most recent few
    blur_cache: BoundedCache = field(default_factory=lambda: BoundedCache(4), repr=False)

    def cached(self, key, build, *, large: bool = False):
        """The value of ``build()`` for ``key``, computed once per template.

        Thread-safe: the pipeline runs steps concurrently, and the app examines
        several trainees' uploads at once with one model. ``large`` values
        (whole-page images per capture blur) are kept in a small LRU.
        """
        return (self.blur_cache if large else self.cache).get_or_build(key, build)

    @property
    def to_work_matrix(self) -> np.ndarray:
        """Template pixel coordinates to working pixel coordinates."""
        return scale_matrix(self.size[0] / self.template.width, self.size[1] / self.template.height)

    @property
    def blank_personalization(self) -> bool:
        """True when personalization zones of the reference are blank (synthetic templates)."""
        return self.template.synthetic

    def to_work(self, box) -> tuple[int, int, int, int]:
        """A template box in working pixels (clipped, never empty)."""
        w, h = self.size
        x0, y0, x1, y1 = box
        sx, sy = w / self.template.width, h / self.template.height
        a = min(max(int(np.floor(x0 * sx)), 0), w - 1)
        b = min(max(int(np.floor(y0 * sy)), 0), h - 1)
        return a, b, max(min(int(np.ceil(x1 * sx)), w), a + 1), max(min(int(np.ceil(y1 * sy)), h), b + 1)

    def to_template(self, box) -> list[int]:
        """A working box in template pixels (clipped to the template)."""
        W, H = self.template.size_px
        sx, sy = self.size[0] / W, self.size[1] / H
        x0, y0, x1, y1 = box
        return [max(0, int(np.floor(x0 / sx))), max(0, int(np.floor(y0 / sy))),
                min(W, int(np.ceil(x1 / sx))), min(H, int(np.ceil(y1 / sy)))]


def _fibre_mask(rgb: np.ndarray, document: np.ndarray) -> np.ndarray:
    """Working pixels of coloured security fibres in the reference.

    Fibres are thin saturated red or blue threads on a pale substrate whose
    colour differs from every printed ink around them: they stand out as
    small strong *chroma* deviations from the local colour. Printed line work
    in one ink shifts chroma only slightly, so a high threshold keeps the
    fibres and drops the design.
    """
    local = cv2.GaussianBlur(rgb, (0, 0), 4.0)
    dev = rgb - local
    chroma = dev - dev.mean(axis=2, keepdims=True)
    strength = np.sqrt((chroma ** 2).sum(axis=2))
    mask = (strength > 0.06) & document
    # isolated specks are noise, not fibres
    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)).astype(bool)


def _build(template: Template) -> ReferenceModel:
    full = {}
    for light in template.lights:
        img = load_rgb(template.image_path(light))
        if img.shape[1] != template.width or img.shape[0] != template.height:
            img = cv2.resize(img, template.size_px, interpolation=cv2.INTER_AREA)
        img.flags.writeable = False
        full[light] = img
    scale = min(1.0, WORKING_DPI / float(template.dpi))
    size = (max(16, int(round(template.width * scale))), max(16, int(round(template.height * scale))))
    scale = size[0] / template.width
    work = {light: to_float(cv2.resize(img, size, interpolation=cv2.INTER_AREA)) if scale < 1 else to_float(img)
            for light, img in full.items()}
    lum = luminance(work["visible"])
    h, w = lum.shape
    document = np.zeros((h, w), bool)
    sides = [box for _, box in template.sides]
    model = ReferenceModel(template, scale, size, full, work, lum, document, np.zeros((h, w), bool),
                           np.zeros((h, w), bool))
    for box in sides:
        x0, y0, x1, y1 = model.to_work(box)
        document[y0:y1, x0:x1] = True
    for z in template.zones:
        if z.kind in PERSONAL_KINDS:
            x0, y0, x1, y1 = model.to_work(z.bbox)
            model.personal[y0:y1, x0:x1] = True
    if template.synthetic:
        model.fibres = _fibre_mask(work["visible"], document & ~model.personal)
    else:
        # a real specimen's reference holds another holder's data: take fibres
        # only where nothing is personalised
        model.fibres = _fibre_mask(work["visible"], document & ~model.personal)
    return model


_MODELS = BoundedCache(4)


def reference_model(template: Template) -> ReferenceModel:
    """The :class:`ReferenceModel` of ``template``, cached per process (a few templates)."""
    try:
        stamp = tuple(template.image_path(light).stat().st_mtime_ns for light in template.lights)
    except OSError:
        stamp = ()
    key = (template.id, str(template.folder), stamp)
    return _MODELS.get_or_build(key, lambda: _build(template))
