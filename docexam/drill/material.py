"""What the officer is shown: documents and counter photos rendered on demand, cached by recipe.

A drill document is a recipe (:class:`~docexam.drill.travellers.Document`:
template, seed, capture, technique, severity); :func:`render_document`
renders it once with :func:`docexam.synth.render.render_specimen` and keeps
what the counter shows in ``$DOCEXAM_HOME/cache/drill/<code>/<recipe>/``: a
JPEG per light (full resolution, for the loupe), the mask of the forged
area (for the debrief's overlay) and ``doc.json`` (template, size,
anomalies, holder, MRZ; written last, so a folder with ``doc.json`` is
complete). ``<code>`` is a hash of the rendering code and the templates: a
change of the renderer renders again.

Which documents exist is read from the templates (:func:`document_kinds`):
a template's ICAO format says whether it is a passport or a card, and a
template may name its ``document_kind`` (a visa page) in ``template.json``.
Whether a technique fits a template comes from the technique catalogue
(``applies_to`` the template's ``substrate``) where it says so.

The threshold measurement's trials are mosaics of four crops of one zone
(:func:`render_trial`), built from the same cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ..i18n import Message
from ..atomic import ensure_dir, write_bytes, write_json
from ..errors import InputFileError
from ..paths import FONTS_DIR, PACKAGE_DIR, cache_dir, specimens_dir
from ..specimens import find_template
from ..specimens.techniques import TECHNIQUES
from ..synth.designs import DESIGNS
from ..synth.person import holder_person, make_person
from ..synth.traveller import traveller_photo
from ..synth.render import render_specimen
from .catalogue import FORMAT_KINDS, IMPOSTOR
from .staircase import Staircase
from .travellers import Document, Traveller

#: JPEG quality of the documents kept for the counter (fine print must survive the loupe)
JPEG_QUALITY = 90
#: the counter camera's picture of the traveller, (width, height)
PHOTO_SIZE = (360, 450)
#: the photo the forger glued in is of the person of seed + this, as synth's photo substitution draws it
#: (``PhotoSubstitution.prepare``); the sidecar does not name that person yet
_SUBSTITUTE_OFFSET = 7919


# --------------------------------------------------------------------------
# which documents exist

def document_kinds() -> dict[str, tuple[str, ...]]:
    """Document kind -> the synthetic templates that render it (``{"passport": ("uto-td3",), ...}``)."""
    out: dict[str, list[str]] = {}
    for template_id in sorted(DESIGNS):
        tpl = find_template(template_id)
        kind = tpl.extra.get("document_kind") or FORMAT_KINDS.get(tpl.format)
        if kind:
            out.setdefault(kind, []).append(template_id)
    return {k: tuple(v) for k, v in out.items()}


def technique_fits(technique: str, template_id: str) -> bool:
    """Whether ``technique`` can be used on the template: its substrate and, for a synthetic design,
    the features the technique attacks (a flat foil needs a kinegram or colour-shifting device).

    True where nothing says otherwise (a trainer's template without a substrate).
    """
    tech = TECHNIQUES.get(technique)
    if tech is None:
        return False
    design = DESIGNS.get(template_id)
    if design is not None:
        return tech.applies_to(design.substrate, design.has)
    substrate = find_template(template_id).extra.get("substrate")
    return substrate is None or tech.applies_to(substrate)


# --------------------------------------------------------------------------
# the cache

@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of everything that decides a rendered pixel: the synth package, fonts, templates."""
    h = hashlib.sha256()
    files = sorted((PACKAGE_DIR / "synth").rglob("*.py")) + sorted(FONTS_DIR.glob("*.[ot]tf"))
    files += sorted((specimens_dir() / "templates").glob("*/*"))
    for f in files:
        h.update(str(f.relative_to(f.parents[1])).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def material_root() -> Path:
    return cache_dir() / "drill" / code_key()


def _key(kind: str, payload: dict) -> str:
    return f"{kind}-" + hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]


def document_folder(document: Document) -> Path:
    return material_root() / _key("doc", document.recipe())


@dataclass(frozen=True)
class Material:
    """A rendered document: its picture per light, the forged area, and what it says."""

    folder: Path
    template: str
    size: tuple[int, int]
    lights: tuple[str, ...]
    anomalies: tuple[dict, ...]
    holder: dict
    mrz: tuple[str, ...]

    def image(self, light: str = "visible") -> Path:
        return self.folder / f"{light}.jpg"

    @property
    def images(self) -> dict:
        return {light: self.image(light) for light in self.lights}

    @property
    def mask(self) -> Path | None:
        path = self.folder / "mask.png"
        return path if path.is_file() else None


def _jpeg(rgb: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(rgb[..., ::-1]), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("the image could not be encoded")
    return buf.tobytes()


def _load(folder: Path) -> Material | None:
    try:
        meta = json.loads((folder / "doc.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Material(folder, meta["template"], tuple(meta["size"]), tuple(meta["lights"]),
                    tuple(meta.get("anomalies", ())), meta.get("holder", {}), tuple(meta.get("mrz", ())))


def cached_document(document: Document) -> Material | None:
    """The rendered document if it is in the cache, else None (never renders)."""
    return _load(document_folder(document))


def render_document(document: Document) -> Material:
    """The rendered document, from the cache or rendered now (a few seconds of one core)."""
    folder = document_folder(document)
    found = _load(folder)
    if found is not None:
        return found
    if document.template not in DESIGNS:
        raise InputFileError(document.template, Message("not a synthetic template: the drill cannot render it"))
    rendered = render_specimen(document.template, seed=document.seed, capture=document.capture,
                               forge=document.forge, severity=document.severity)
    ensure_dir(folder)
    for light, rgb in rendered.images.items():
        write_bytes(folder / f"{light}.jpg", _jpeg(rgb))
    if rendered.mask is not None:
        ok, buf = cv2.imencode(".png", np.ascontiguousarray(rendered.mask))
        if ok:
            write_bytes(folder / "mask.png", buf.tobytes())
    h, w = rendered.images["visible"].shape[:2]
    side = rendered.sidecar
    write_json(folder / "doc.json", {"template": document.template, "size": [w, h],
                                     "lights": list(rendered.images), "anomalies": side.get("anomalies", []),
                                     "holder": side.get("holder", {}), "mrz": side.get("mrz", []),
                                     "recipe": document.recipe()})
    return _load(folder)


# --------------------------------------------------------------------------
# the traveller at the counter

def photo_path(traveller: Traveller) -> Path:
    return material_root() / _key("photo", {"document": traveller.document.recipe(), "person": traveller.person_seed,
                                            "fraud": traveller.fraud, "likeness": traveller.likeness}) / "photo.jpg"


def years_since_photo(traveller: Traveller) -> int:
    """Years between the document's photo and the journey (0 to 8, from the document's seed)."""
    return (traveller.document.seed // 7) % 9


def render_photo(traveller: Traveller, holder: dict) -> Path:
    """The counter camera's picture of the person presenting the document (cached).

    The holder, some years after the document's photo and on another day
    (:func:`docexam.synth.traveller.traveller_photo`), for a genuine
    traveller and most forgeries; the person whose photo was glued in, for
    a photo substitution; a look-alike at the traveller's ``likeness``, for
    an impostor.
    """
    path = photo_path(traveller)
    if path.is_file():
        return path
    seed = traveller.document.seed
    if traveller.fraud == "photo-substitution":
        sex = holder.get("sex")
        person = make_person(seed + _SUBSTITUTE_OFFSET, sex=sex if sex in ("F", "M", "X") else None)
    else:
        person = holder_person(holder, seed)
    likeness = traveller.likeness if traveller.fraud == IMPOSTOR else None
    if traveller.fraud == IMPOSTOR and likeness is None:
        likeness = 0.7  # a drill stored before likeness was planned
    photo = traveller_photo(person, seed=traveller.person_seed, years_later=years_since_photo(traveller),
                            impostor_similarity=likeness, size=PHOTO_SIZE)
    write_bytes(path, _jpeg(photo.image))
    return path


def prepare_traveller(traveller: Traveller) -> Material:
    """Everything shown for one traveller, rendered if missing: the document, then the photo."""
    material = render_document(traveller.document)
    render_photo(traveller, material.holder)
    return material


def traveller_ready(traveller: Traveller) -> bool:
    return cached_document(traveller.document) is not None and photo_path(traveller).is_file()


# --------------------------------------------------------------------------
# threshold trials: four crops of one zone, one of them forged

#: crops in a trial: the forged one and three genuine ones
TRIAL_CROPS = 4
#: genuine documents a trial's crops are drawn from, per template (reused by every officer)
GENUINE_POOL = 8
#: a crop is at most this share of the page's width and height (a page-wide forgery shows in any part)
MAX_CROP = 0.45
#: longest side of one crop in the mosaic (full resolution up to this: microprint needs the loupe)
CELL = 1400


def genuine_document(template: str, n: int) -> Document:
    """Document ``n`` of the genuine pool of ``template`` (wraps round :data:`GENUINE_POOL`)."""
    return Document("trial", template, 900_000 + n % GENUINE_POOL, "flat")


@dataclass(frozen=True)
class TrialRecipe:
    """One trial of a threshold measurement: ``technique`` at ``severity``, the forged crop at ``position``."""

    technique: str
    severity: float
    variant: int
    position: int

    def template(self) -> str:
        fitting = [t for t in sorted(DESIGNS) if technique_fits(self.technique, t)]
        if not fitting:
            raise InputFileError(self.technique, Message("no synthetic template this technique can be made on"))
        return fitting[self.variant % len(fitting)]

    def documents(self) -> tuple[Document, list[Document]]:
        """The forged document and the three genuine ones."""
        template = self.template()
        index = list(TECHNIQUES).index(self.technique)
        forged = Document("trial", template, 700_000 + 1000 * index + self.variant, "flat", self.technique,
                          float(self.severity))
        genuine = [genuine_document(template, self.variant * 3 + j) for j in range(TRIAL_CROPS - 1)]
        return forged, genuine

    def folder(self) -> Path:
        return material_root() / _key("trial", self.__dict__ | {"template": self.template()})


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


def _numbered(cell: np.ndarray, number: int) -> np.ndarray:
    out = np.ascontiguousarray(cell.copy())
    s = max(18, out.shape[0] // 9)
    cv2.rectangle(out, (0, 0), (int(s * 1.1), int(s * 1.25)), (20, 20, 20), -1)
    cv2.putText(out, str(number), (int(s * 0.2), int(s * 1.0)), cv2.FONT_HERSHEY_SIMPLEX, s / 30, (255, 255, 255),
                max(1, s // 12), cv2.LINE_AA)
    return out


def cached_trial(recipe: TrialRecipe) -> Trial | None:
    try:
        meta = json.loads((recipe.folder() / "trial.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Trial(recipe.folder(), tuple(meta["lights"]), tuple(meta["size"]), meta["position"])


def render_trial(recipe: TrialRecipe) -> Trial:
    """The trial's mosaics (rendering its documents first if they are not cached)."""
    found = cached_trial(recipe)
    if found is not None:
        return found
    forged_doc, genuine_docs = recipe.documents()
    forged = render_document(forged_doc)
    genuine = [render_document(d) for d in genuine_docs]
    anomaly = forged.anomalies[0] if forged.anomalies else {"bbox": [0, 0, *forged.size]}
    box = _crop_box(anomaly["bbox"], forged.size)
    order = genuine[:]
    order.insert(recipe.position % TRIAL_CROPS, forged)
    lights = [light for light in ("visible", *TECHNIQUES[recipe.technique].lights)
              if all(light in m.lights for m in order)]
    lights = list(dict.fromkeys(lights))
    folder = ensure_dir(recipe.folder())
    x0, y0, x1, y1 = box
    scale = min(1.0, CELL / max(x1 - x0, y1 - y0))
    cw, ch = max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale))
    gap = 8
    # long strips (a microprint line, the MRZ) one under the other, others two by two
    cols = 1 if cw > 2.5 * ch else 2
    rows = TRIAL_CROPS // cols
    width, height = cols * cw + (cols - 1) * gap, rows * ch + (rows - 1) * gap
    for light in lights:
        canvas = np.full((height, width, 3), 255, np.uint8)
        for n, m in enumerate(order):
            crop = _read(m.image(light))[y0:y1, x0:x1]
            if scale < 1.0:
                crop = cv2.resize(crop, (cw, ch), interpolation=cv2.INTER_AREA)
            r, c = divmod(n, cols)
            canvas[r * (ch + gap):r * (ch + gap) + ch, c * (cw + gap):c * (cw + gap) + cw] = _numbered(crop, n + 1)
        write_bytes(folder / f"{light}.jpg", _jpeg(canvas))
    write_json(folder / "trial.json", {"lights": lights, "size": [width, height],
                                       "position": recipe.position % TRIAL_CROPS, "box": list(box),
                                       "documents": [d.recipe() for d in (forged_doc, *genuine_docs)]})
    return cached_trial(recipe)


# --------------------------------------------------------------------------
# jobs for the prefetcher (picklable: they run in its worker processes)

@dataclass(frozen=True)
class TravellerJob:
    """Render one traveller's document and photo."""

    traveller: Traveller

    @property
    def key(self) -> str:
        return str(photo_path(self.traveller))

    def ready(self) -> bool:
        return traveller_ready(self.traveller)

    def pictures(self) -> list[Path]:
        """The document's pictures the counter shows (none until it is rendered)."""
        material = cached_document(self.traveller.document)
        return list(material.images.values()) if material is not None else []

    def __call__(self) -> list[Path]:
        """The pictures made (for the ``then`` hook: the app encodes them for the browser)."""
        material = prepare_traveller(self.traveller)
        return [*material.images.values(), photo_path(self.traveller)]


@dataclass(frozen=True)
class DocumentJob:
    """Render one document (the genuine crops every trial shares)."""

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
class TrialJob:
    """Render one threshold trial."""

    recipe: TrialRecipe

    @property
    def key(self) -> str:
        return str(self.recipe.folder())

    def ready(self) -> bool:
        return cached_trial(self.recipe) is not None

    def pictures(self) -> list[Path]:
        """The trial's mosaics (none until it is rendered)."""
        trial = cached_trial(self.recipe)
        return list(trial.images.values()) if trial is not None else []

    def __call__(self) -> list[Path]:
        return list(render_trial(self.recipe).images.values())


def ahead_jobs(queues, *, first: int = 4) -> list:
    """Everything drills will show, in the order to render it before anyone asks.

    The ``first`` travellers of every queue (position by position, the
    queues in turn), then each technique's first threshold trial (the
    staircase's first level, every position of the forged crop), then the
    genuine documents every trial's crops come from, then the rest of the
    queues.
    """
    longest = max((len(q) for q in queues), default=0)
    travellers = [[TravellerJob(q[position]) for q in queues if position < len(q)] for position in range(longest)]
    level = Staircase().next_level()
    trials = [TrialJob(TrialRecipe(technique, level, 0, position)) for technique in TECHNIQUES
              if any(technique_fits(technique, t) for t in DESIGNS) for position in range(TRIAL_CROPS)]
    pool = [DocumentJob(genuine_document(template, n)) for n in range(GENUINE_POOL) for template in sorted(DESIGNS)]
    return [job for row in travellers[:first] for job in row] + trials + pool + \
        [job for row in travellers[first:] for job in row]
