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
  reference shows another holder. The design there is compared where neither
  image has personalization ink (:attr:`ReferenceModel.unknown` marks the
  reference's ink, its portrait and ghost image: the design under them is
  not known), see :attr:`ReferenceModel.blank_personalization`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from ..imaging import load_rgb
from ..specimens.model import Template
from .lru import BoundedCache, nbytes

__all__ = ["ReferenceModel", "reference_model", "template_sides", "WORKING_DPI", "PERSONAL_KINDS"]

#: whole-page comparisons run at about this resolution
WORKING_DPI = 300
#: zone kinds printed at personalization (blank in a synthetic reference)
PERSONAL_KINDS = ("portrait", "ghost-portrait", "field", "mrz")
#: high-pass scale (working pixels): the band of fine line work and print structure
HP_SIGMA = 2.0

# What a process keeps per template (the app's preparation process examines the whole library,
# five templates and more, one after another). Measured on the shipped templates: a model's own
# arrays are 45-140 MB; after a few documents its small values reached 40-210 MB and its
# whole-page values per capture blur 60-300 MB (four blurs of the visa page).
#: bytes of small derived values kept per template (tiles, masks, per-zone references)
SMALL_VALUES_BYTES = 128 * 2**20
#: bytes of whole-page values per capture blur kept per template (about two blurs of the largest page)
BLUR_VALUES_BYTES = 160 * 2**20
#: templates whose models are kept, and their bytes (weighed with their values when a model is added)
MODELS_KEPT, MODELS_BYTES = 4, 1024 * 2**20


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
    fibres : ndarray of bool
        Working pixels of the reference's coloured security fibres.
    unknown : ndarray of bool
        Working pixels where the reference does not show the pre-printed
        design: its own holder's personalization ink (dilated), portrait and
        ghost image. Empty for a blank (synthetic) reference.
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
    unknown: np.ndarray
    #: small values derived from the template (tiles, masks, per-zone references)
    cache: BoundedCache = field(default_factory=lambda: BoundedCache(1024, max_bytes=SMALL_VALUES_BYTES),
                                repr=False)
    #: whole-page values per capture blur (tens of MB each): only the most recent few
    blur_cache: BoundedCache = field(default_factory=lambda: BoundedCache(4, max_bytes=BLUR_VALUES_BYTES),
                                     repr=False)
    #: for one side of a card (:meth:`for_side`), the whole sheet's model
    sheet: "ReferenceModel | None" = field(default=None, repr=False)
    #: the side's name when :attr:`sheet` is set
    side: str | None = field(default=None, repr=False)

    def cached(self, key, build, *, large: bool = False):
        """The value of ``build()`` for ``key``, computed once per template.

        Thread-safe: the pipeline runs steps concurrently, and the app examines
        several trainees' uploads at once with one model. ``large`` values
        (whole-page images per capture blur) are kept in a small LRU. A side
        of a card keeps its values in its sheet's caches (under its name), so
        one template's bounds hold for all its sides together.
        """
        if self.sheet is not None:
            key = ("side-value", self.side, key)
        return (self.blur_cache if large else self.cache).get_or_build(key, build)

    def nbytes(self, *, _seen: set | None = None) -> int:
        """Bytes of the arrays this model keeps (a side: only its own masks; its sheet holds the rest)."""
        seen = set() if _seen is None else _seen
        held = [self.document, self.personal, self.fibres, self.unknown]
        if self.sheet is None:
            held += [self.full, self.work, self.lum, self.cache, self.blur_cache]
        return sum(nbytes(value, _seen=seen) for value in held)

    @property
    def to_work_matrix(self) -> np.ndarray:
        """Template pixel coordinates to working pixel coordinates."""
        return scale_matrix(self.size[0] / self.template.width, self.size[1] / self.template.height)

    @property
    def work_dpi(self) -> float:
        """Working pixels per inch on the document."""
        return float(self.template.dpi) * self.scale

    def mm(self, millimetres: float) -> float:
        """A length on the document in working pixels."""
        return millimetres / 25.4 * self.work_dpi

    @property
    def blank_personalization(self) -> bool:
        """True when personalization zones of the reference are blank (synthetic templates)."""
        return self.template.synthetic

    def for_side(self, name: str | None) -> "ReferenceModel":
        """The model restricted to one side of a card (``None``: the whole sheet).

        Same reference images and geometry (template coordinates are those
        of the whole sheet); ``document`` covers the side only and the
        template keeps the zones lying on it, so every analyzer examines
        what the picture shows and nothing else.
        """
        if name is None:
            return self
        return self.cached(("side", name), lambda: _side_model(self, name))

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


def personalization_ink(lum: np.ndarray, box_mask: np.ndarray, *, px_per_mm: float, contrast: float = 0.15,
                        spread_mm: float = 0.25) -> np.ndarray:
    """Pixels of printed personalization in ``lum`` (0..1) inside ``box_mask``, dilated by ``spread_mm``.

    Text and MRZ characters are much darker than the paper and design right
    around them (a grey closing over about 1.5 mm removes them), so they are
    found whatever the issuer's ink colour; the dilation covers their
    anti-aliased and blurred edges.
    """
    k = max(3, int(round(1.5 * px_per_mm)) | 1)
    background = cv2.morphologyEx(lum, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    ink = ((background - lum) > contrast) & box_mask
    r = max(1, int(round(spread_mm * px_per_mm)))
    return cv2.dilate(ink.astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8)).astype(bool)


def _unknown_design(model: "ReferenceModel") -> np.ndarray:
    """Where a personalised reference does not show its pre-printed design (see :attr:`ReferenceModel.unknown`)."""
    h, w = model.lum.shape
    unknown = np.zeros((h, w), bool)
    if model.template.synthetic:
        return unknown
    text = np.zeros((h, w), bool)
    for z in model.template.zones:
        x0, y0, x1, y1 = model.to_work(z.bbox)
        if z.kind in ("portrait", "ghost-portrait"):
            unknown[y0:y1, x0:x1] = True  # another holder's face: nothing of the design can be told apart
        elif z.kind in ("field", "mrz"):
            text[y0:y1, x0:x1] = True
    return unknown | personalization_ink(model.lum, text, px_per_mm=model.mm(1.0))


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
                           np.zeros((h, w), bool), np.zeros((h, w), bool))
    for box in sides:
        x0, y0, x1, y1 = model.to_work(box)
        document[y0:y1, x0:x1] = True
    for z in template.zones:
        if z.kind in PERSONAL_KINDS:
            x0, y0, x1, y1 = model.to_work(z.bbox)
            model.personal[y0:y1, x0:x1] = True
    # fibres only where nothing is personalised (a real specimen's reference holds its holder's data)
    model.fibres = _fibre_mask(work["visible"], document & ~model.personal)
    model.unknown = _unknown_design(model)
    return model


def template_sides(template: Template) -> list[tuple[str, list[int]]]:
    """``[(name, box), ...]`` of a card's sides laid out on one sheet (empty for a one-sided document).

    From ``sides`` (``[{"name", "bbox"}]``) in ``template.json``, else from
    ``sides_px`` (boxes only: named front, back, ...).
    """
    named = template.extra.get("sides")
    if isinstance(named, list) and len(named) > 1:
        return [(str(s["name"]), [int(v) for v in s["bbox"]]) for s in named]
    boxes = template.extra.get("sides_px") or []
    names = ("front", "back")
    return [(names[i] if i < len(names) else f"side-{i + 1}", [int(v) for v in b])
            for i, b in enumerate(boxes)] if len(boxes) > 1 else []


def _side_model(model: ReferenceModel, name: str) -> ReferenceModel:
    box = dict(template_sides(model.template))[name]
    x0, y0, x1, y1 = model.to_work(box)
    inside = np.zeros_like(model.document)
    inside[y0:y1, x0:x1] = True
    bx0, by0, bx1, by1 = box
    zones = tuple(z for z in model.template.zones
                  if bx0 <= (z.bbox[0] + z.bbox[2]) / 2 < bx1 and by0 <= (z.bbox[1] + z.bbox[3]) / 2 < by1)
    template = replace(model.template, zones=zones)
    return replace(model, template=template, document=model.document & inside, personal=model.personal & inside,
                   fibres=model.fibres & inside, unknown=model.unknown & inside, sheet=model, side=name)


_MODELS = BoundedCache(MODELS_KEPT, max_bytes=MODELS_BYTES)


def reference_model(template: Template) -> ReferenceModel:
    """The :class:`ReferenceModel` of ``template``, cached per process (a few templates)."""
    try:
        stamp = tuple(template.image_path(light).stat().st_mtime_ns for light in template.lights)
    except OSError:
        stamp = ()
    key = (template.id, str(template.folder), stamp)
    return _MODELS.get_or_build(key, lambda: _build(template))
