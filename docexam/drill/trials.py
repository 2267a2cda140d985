"""Threshold trials: four crops of one zone, one forged; cut ahead, put together when asked.

A trial of a threshold measurement (:mod:`.measure`) is a
:class:`TrialRecipe`: a technique at a severity (one of the staircase's
:data:`~docexam.drill.staircase.LEVELS`), a variant (which documents) and
the position of the forged crop. What costs a render depends on the first
three only, a :class:`TrialForgery`: the forged document (a 600 dpi page,
seconds of CPU) and three genuine documents of the same template.

:func:`cut_crops` renders them and keeps only what a trial shows, in
``$DOCEXAM_HOME/cache/drill/<code>/`` (the drill's cache, keyed like every
other drill document by a hash of the rendering code): the zone of the
forgery, in every light the trial uses, at the size it is shown
(``crops-<key>/<light>.jpg``, ``crops.json`` written last); the genuine
documents' crops are kept once per document and zone (``cell-<key>.<light>.jpg``),
shared by the levels that cut the same zone. The whole forged page is not
kept (its crop is a tenth of it). :func:`render_trial` then only reads four
crops per light, numbers them, puts the forged one at ``position`` and
writes the mosaic: a fraction of a second, no render.

``docexam drills prepare`` cuts every forgery a staircase can ask for
(:func:`docexam.drill.ahead.staircase_forgeries`: every technique, level
and variant), so an answer never waits for a render; without it, a missing
crop is rendered when it is needed (the same pixels, later).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ..atomic import ensure_dir, write_bytes, write_json
from ..errors import InputFileError
from ..i18n import Message
from ..specimens.techniques import TECHNIQUES
from ..synth.designs import DESIGNS
from .material import (cached_document, document_folder, jpeg_bytes, material_root, recipe_key, render_document,
                       render_recipe, technique_fits)
from .travellers import Document

#: crops in a trial: the forged one and three genuine ones
TRIAL_CROPS = 4
#: genuine documents a trial's crops are drawn from, per template (reused by every officer)
GENUINE_POOL = 8
#: a crop is at most this share of the page's width and height (a page-wide forgery shows in any part)
MAX_CROP = 0.45
#: longest side of one crop in the mosaic (full resolution up to this: microprint needs the loupe)
CELL = 1400
#: pixels between the crops of a mosaic
GAP = 8
#: seeds of the trials' forged documents: this + 1000 x the technique's place in the catalogue + the variant
FORGED_SEEDS = 700_000
#: seeds of the genuine pool: this + the document's number in the pool
GENUINE_SEEDS = 900_000


def genuine_document(template: str, n: int) -> Document:
    """Document ``n`` of the genuine pool of ``template`` (wraps round :data:`GENUINE_POOL`)."""
    return Document("trial", template, GENUINE_SEEDS + n % GENUINE_POOL, "flat")


@functools.lru_cache(maxsize=None)
def fitting_templates(technique: str) -> tuple[str, ...]:
    """The synthetic templates ``technique`` can be made on (a trial's variant takes them in turn)."""
    return tuple(t for t in sorted(DESIGNS) if technique_fits(technique, t))


@dataclass(frozen=True)
class TrialForgery:
    """What a trial needs rendered: ``technique`` at ``severity`` on the documents of ``variant``."""

    technique: str
    severity: float
    variant: int

    def template(self) -> str:
        fitting = fitting_templates(self.technique)
        if not fitting:
            raise InputFileError(self.technique, Message("no synthetic template this technique can be made on"))
        return fitting[self.variant % len(fitting)]

    def documents(self) -> tuple[Document, list[Document]]:
        """The forged document and the three genuine ones."""
        template = self.template()
        index = list(TECHNIQUES).index(self.technique)
        forged = Document("trial", template, FORGED_SEEDS + 1000 * index + self.variant, "flat", self.technique,
                          float(self.severity))
        genuine = [genuine_document(template, self.variant * 3 + j) for j in range(TRIAL_CROPS - 1)]
        return forged, genuine

    def folder(self) -> Path:
        return material_root() / recipe_key("crops", self.__dict__ | {"template": self.template()})


@dataclass(frozen=True)
class TrialRecipe:
    """One trial of a threshold measurement: ``technique`` at ``severity``, the forged crop at ``position``."""

    technique: str
    severity: float
    variant: int
    position: int

    @property
    def forgery(self) -> TrialForgery:
        return TrialForgery(self.technique, float(self.severity), self.variant)

    def template(self) -> str:
        return self.forgery.template()

    def documents(self) -> tuple[Document, list[Document]]:
        return self.forgery.documents()

    def folder(self) -> Path:
        return material_root() / recipe_key("trial", self.__dict__ | {"template": self.template()})


# --------------------------------------------------------------------------
# the crops, cut once per forgery

@dataclass(frozen=True)
class Crops:
    """A forgery's crops, ready to be put together: one per light for the forged document and each genuine one."""

    folder: Path
    lights: tuple[str, ...]
    box: tuple[int, int, int, int]
    cell: tuple[int, int]
    genuine: dict
    documents: tuple[dict, ...]

    def forged(self, light: str) -> Path:
        return self.folder / f"{light}.jpg"


def _crop_box(anomaly_bbox, size) -> tuple[int, int, int, int]:
    """The anomaly's box, padded, at most :data:`MAX_CROP` of the page around its centre."""
    w, h = size
    x0, y0, x1, y1 = anomaly_bbox
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bw = min(max(x1 - x0, 0.12 * w) * 1.3, MAX_CROP * w)
    bh = min(max(y1 - y0, 0.12 * h) * 1.3, MAX_CROP * h)
    bx0 = int(min(max(0, cx - bw / 2), w - bw))
    by0 = int(min(max(0, cy - bh / 2), h - bh))
    return bx0, by0, int(bx0 + bw), int(by0 + bh)


def _read(path: Path) -> np.ndarray:
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        raise InputFileError(path, Message("cannot read the rendered picture"))
    return bgr[..., ::-1]


def _cut(rgb: np.ndarray, box, cell) -> np.ndarray:
    x0, y0, x1, y1 = box
    crop = rgb[y0:y1, x0:x1]
    if crop.shape[1::-1] != tuple(cell):
        crop = cv2.resize(crop, tuple(cell), interpolation=cv2.INTER_AREA)
    return crop


def _genuine_cell(document: Document, box, cell, light: str) -> Path:
    key = recipe_key("cell", {"document": document.recipe(), "box": list(box), "cell": list(cell)})
    return material_root() / f"{key}.{light}.jpg"


def cached_crops(forgery: TrialForgery) -> Crops | None:
    """The forgery's crops if they are cut already, else None (never renders)."""
    folder = forgery.folder()
    try:
        meta = json.loads((folder / "crops.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    root = material_root()
    return Crops(folder, tuple(meta["lights"]), tuple(meta["box"]), tuple(meta["cell"]),
                 {light: [root / name for name in names] for light, names in meta["genuine"].items()},
                 tuple(meta["documents"]))


def cut_crops(forgery: TrialForgery) -> Crops:
    """The forgery's crops, from the cache or rendered and cut now (seconds of CPU per document)."""
    found = cached_crops(forgery)
    if found is not None:
        return found
    forged_doc, genuine_docs = forgery.documents()
    whole = cached_document(forged_doc)  # a page rendered whole before (an older cache): cut it, do not render
    if whole is not None:
        pictures = {light: _read(whole.image(light)) for light in whole.lights}
        anomalies, size = whole.anomalies, whole.size
    else:
        rendered = render_recipe(forged_doc)
        pictures, anomalies = rendered.images, rendered.sidecar.get("anomalies", [])
        size = pictures["visible"].shape[1::-1]
    genuine = [render_document(d) for d in genuine_docs]
    lights = [light for light in dict.fromkeys(("visible", *TECHNIQUES[forgery.technique].lights))
              if light in pictures and all(light in g.lights for g in genuine)]
    box = _crop_box(anomalies[0]["bbox"] if anomalies else (0, 0, *size), size)
    x0, y0, x1, y1 = box
    scale = min(1.0, CELL / max(x1 - x0, y1 - y0))
    cell = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
    folder = ensure_dir(forgery.folder())
    names: dict[str, list[str]] = {}
    for light in lights:
        write_bytes(folder / f"{light}.jpg", jpeg_bytes(_cut(pictures[light], box, cell)))
        names[light] = []
        for doc, material in zip(genuine_docs, genuine):
            path = _genuine_cell(doc, box, cell, light)
            if not path.is_file():
                write_bytes(path, jpeg_bytes(_cut(_read(material.image(light)), box, cell)))
            names[light].append(path.name)
    write_json(folder / "crops.json", {"lights": lights, "box": list(box), "cell": list(cell), "genuine": names,
                                       "documents": [d.recipe() for d in (forged_doc, *genuine_docs)],
                                       "anomalies": list(anomalies)})
    return cached_crops(forgery)


# --------------------------------------------------------------------------
# a trial: the crops put together

@dataclass(frozen=True)
class Trial:
    """A rendered trial: one mosaic per light, crops numbered 1 to 4 in reading order."""

    folder: Path
    lights: tuple[str, ...]
    size: tuple[int, int]
    position: int

    @property
    def images(self) -> dict:
        return {light: self.folder / f"{light}.jpg" for light in self.lights}


def _numbered(cell: np.ndarray, number: int) -> np.ndarray:
    out = np.ascontiguousarray(cell.copy())
    s = max(18, out.shape[0] // 9)
    cv2.rectangle(out, (0, 0), (int(s * 1.1), int(s * 1.25)), (20, 20, 20), -1)
    cv2.putText(out, str(number), (int(s * 0.2), int(s * 1.0)), cv2.FONT_HERSHEY_SIMPLEX, s / 30, (255, 255, 255),
                max(1, s // 12), cv2.LINE_AA)
    return out


def cached_trial(recipe: TrialRecipe) -> Trial | None:
    """The trial's mosaics if they are made, else None (never renders)."""
    try:
        meta = json.loads((recipe.folder() / "trial.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Trial(recipe.folder(), tuple(meta["lights"]), tuple(meta["size"]), meta["position"])


#: trials this process put together (:func:`assemblies_made`)
_ASSEMBLIES = [0]


def assemblies_made() -> int:
    """How many trials this process put together (the tests count them: an answer puts none together)."""
    return _ASSEMBLIES[0]


def render_trial(recipe: TrialRecipe, *, encoded=None) -> Trial:
    """The trial's mosaics, put together from the forgery's crops (cut first, rendering, if they are missing).

    ``encoded(path, rgb)``, if given, is called with each mosaic's file and
    its pixels, still in memory, before the trial is marked made (the app
    encodes the browser's copies from them instead of decoding the file again).
    """
    found = cached_trial(recipe)
    if found is not None:
        return found
    crops = cut_crops(recipe.forgery)
    cw, ch = crops.cell
    # long strips (a microprint line, the MRZ) one under the other, others two by two
    cols = 1 if cw > 2.5 * ch else 2
    rows = TRIAL_CROPS // cols
    width, height = cols * cw + (cols - 1) * GAP, rows * ch + (rows - 1) * GAP
    position = recipe.position % TRIAL_CROPS
    folder = ensure_dir(recipe.folder())
    for light in crops.lights:
        cells = [_read(p) for p in crops.genuine[light]]
        cells.insert(position, _read(crops.forged(light)))
        canvas = np.full((height, width, 3), 255, np.uint8)
        for n, cell in enumerate(cells):
            r, c = divmod(n, cols)
            canvas[r * (ch + GAP):r * (ch + GAP) + ch, c * (cw + GAP):c * (cw + GAP) + cw] = _numbered(cell, n + 1)
        write_bytes(folder / f"{light}.jpg", jpeg_bytes(canvas))
        if encoded is not None:
            encoded(folder / f"{light}.jpg", canvas)
    _ASSEMBLIES[0] += 1
    write_json(folder / "trial.json", {"lights": list(crops.lights), "size": [width, height], "position": position,
                                       "box": list(crops.box), "documents": list(crops.documents)})
    return cached_trial(recipe)


# --------------------------------------------------------------------------
# jobs for the prefetcher and the preparation (picklable: they run in worker processes)

@dataclass(frozen=True)
class DocumentJob:
    """Render one document whole (the genuine pool every trial's crops are cut from)."""

    document: Document

    @property
    def key(self) -> str:
        return str(document_folder(self.document))

    def ready(self) -> bool:
        return cached_document(self.document) is not None

    def __call__(self) -> list[Path]:
        render_document(self.document)
        return []  # only crops of it are shown (in the trials' mosaics): no picture to encode


@dataclass(frozen=True)
class CropsJob:
    """Cut one forgery's crops (rendering its forged document): what makes every trial of it cheap."""

    forgery: TrialForgery

    @property
    def key(self) -> str:
        return str(self.forgery.folder())

    def ready(self) -> bool:
        return cached_crops(self.forgery) is not None

    def __call__(self) -> list[Path]:
        cut_crops(self.forgery)
        return []  # the mosaics are made (and encoded) per trial


@dataclass(frozen=True)
class TrialJob:
    """Make one threshold trial (its mosaics; the crops first if they are not cut)."""

    recipe: TrialRecipe

    @property
    def key(self) -> str:
        return str(self.recipe.folder())

    def ready(self) -> bool:
        return cached_trial(self.recipe) is not None

    def pictures(self) -> list[Path]:
        """The trial's mosaics (none until it is made)."""
        trial = cached_trial(self.recipe)
        return list(trial.images.values()) if trial is not None else []

    def __call__(self) -> list[Path]:
        return list(render_trial(self.recipe).images.values())
