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

The threshold measurement's trials are cut from the same cache
(:mod:`.trials`); what is rendered before anyone asks is listed by
:mod:`.ahead`. :func:`renders_made` counts this process's renders.
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
from .travellers import Document, Traveller

#: JPEG quality of the documents kept for the counter (fine print must survive the loupe)
JPEG_QUALITY = 90
#: the counter camera's picture of the traveller, (width, height)
PHOTO_SIZE = (360, 450)
#: documents rendered by this process (:func:`renders_made`)
_RENDERS = [0]
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


def recipe_key(kind: str, payload: dict) -> str:
    """A cache folder's name: ``kind`` and a hash of what decides its content."""
    return f"{kind}-" + hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]


def document_folder(document: Document) -> Path:
    return material_root() / recipe_key("doc", document.recipe())


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


def jpeg_bytes(rgb: np.ndarray) -> bytes:
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


def renders_made() -> int:
    """How many documents this process rendered (the tests count them: a prepared staircase renders none)."""
    return _RENDERS[0]


def render_recipe(document: Document):
    """Render ``document``'s recipe (:func:`docexam.synth.render.render_specimen`), counted; nothing is kept."""
    if document.template not in DESIGNS:
        raise InputFileError(document.template, Message("not a synthetic template: the drill cannot render it"))
    _RENDERS[0] += 1
    return render_specimen(document.template, seed=document.seed, capture=document.capture,
                           forge=document.forge, severity=document.severity)


def render_document(document: Document) -> Material:
    """The rendered document, from the cache or rendered now (a few seconds of one core)."""
    folder = document_folder(document)
    found = _load(folder)
    if found is not None:
        return found
    rendered = render_recipe(document)
    ensure_dir(folder)
    for light, rgb in rendered.images.items():
        write_bytes(folder / f"{light}.jpg", jpeg_bytes(rgb))
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
    return material_root() / recipe_key("photo", {"document": traveller.document.recipe(),
                                                  "person": traveller.person_seed, "fraud": traveller.fraud,
                                                  "likeness": traveller.likeness}) / "photo.jpg"


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
    write_bytes(path, jpeg_bytes(photo.image))
    return path


def prepare_traveller(traveller: Traveller) -> Material:
    """Everything shown for one traveller, rendered if missing: the document, then the photo."""
    material = render_document(traveller.document)
    render_photo(traveller, material.holder)
    return material


def traveller_ready(traveller: Traveller) -> bool:
    return cached_document(traveller.document) is not None and photo_path(traveller).is_file()


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
