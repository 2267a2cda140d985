"""Templates and specimens: the data model and its files.

The files (template folder, specimen sidecar) are described in
``docs/formats.md``; their models are :mod:`docexam.formats.template` and
:mod:`docexam.formats.specimen`. Loading validates every field and refuses a
broken or inconsistent file with an :class:`~docexam.errors.InvalidFieldError`
naming the file and the field; saving writes atomically.

Coordinates are always ``[x0, y0, x1, y1]`` integer pixels of the template's
reference image, ``x1``/``y1`` exclusive.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import Message
from ..atomic import read_text, write_json
from ..errors import InvalidFieldError, UnknownNameError
from ..formats import specimen as specimen_format
from ..formats import template as template_format
from ..formats.fields import box_inside
from ..formats.lights import LIGHTS, image_name
from ..formats.specimen import CAPTURE_KINDS, HOLDER_FIELDS, SEXES
from ..formats.template import DOCUMENT_FORMATS as FORMATS
from ..formats.template import ZONE_KINDS
from ..formats.reading import read_json
from ..formats.validation import validate
from .techniques import TECHNIQUES

__all__ = ["Zone", "Template", "Holder", "Anomaly", "Specimen", "parse_zones", "parse_template", "load_template",
           "save_template", "parse_specimen", "save_specimen_sidecar", "check_specimen_name", "box_inside",
           "FORMATS", "ZONE_KINDS", "CAPTURE_KINDS", "SEXES", "HOLDER_FIELDS"]

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z")

Box = tuple[int, int, int, int]


def _read_json(path: Path) -> Any:
    return read_json(path)


# --------------------------------------------------------------------------
# templates

@dataclass(frozen=True)
class Zone:
    """A named rectangle of a template, in reference-image pixels."""

    name: str
    kind: str
    bbox: Box
    #: any other fields of the zone (for field zones of the shipped templates:
    #: ``holder_field``, ``font``, ``font_px``, ``baseline``, ``label``)
    extra: dict = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "bbox": list(self.bbox), **self.extra}


def parse_zones(items, path, *, size: tuple[int, int] | None) -> tuple[Zone, ...]:
    """Validate a list of zone dicts (``template.json`` ``zones`` or ZONES.json); see ``docs/formats.md``."""
    if isinstance(items, list):
        parsed = validate(template_format.ZonesFile, {"zones": items}, path, size=size)
        return tuple(_zone(z) for z in parsed.zones)
    raise InvalidFieldError(path, "zones", Message("expected a non-empty list of zones"))


def _zone(z: template_format.Zone) -> Zone:
    return Zone(z.name, z.kind, z.bbox, dict(z.model_extra or {}))


@dataclass(frozen=True)
class Template:
    """A document model: reference images per light source and zones."""

    id: str
    name: str
    format: str
    dpi: int
    size_px: tuple[int, int]  # (width, height)
    images: dict  # light -> file name, relative to folder
    zones: tuple[Zone, ...]
    folder: Path
    #: other fields of template.json (``issuing_state``, ``size_mm``, ``synthetic``, ...)
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def width(self) -> int:
        return self.size_px[0]

    @property
    def height(self) -> int:
        return self.size_px[1]

    @property
    def lights(self) -> tuple[str, ...]:
        return tuple(light for light in LIGHTS if light in self.images)

    @property
    def synthetic(self) -> bool:
        """True for templates docexam renders itself (blank reference images)."""
        return bool(self.extra.get("synthetic", False))

    def zone(self, name: str) -> Zone:
        for z in self.zones:
            if z.name == name:
                return z
        raise UnknownNameError(Message("zone of template {id}", id=self.id), name, [z.name for z in self.zones])

    def zones_of(self, kind: str) -> list[Zone]:
        return [z for z in self.zones if z.kind == kind]

    def image_path(self, light: str = "visible") -> Path:
        return self.folder / self.images[light]

    @property
    def sides(self) -> tuple[tuple[str, Box], ...]:
        """(name, box) of each side of the sheet: a card's ``front`` and ``back``, or the one ``page``.

        From ``template.json``'s ``sides``; a template without them is one page.
        """
        sides = self.extra.get("sides")
        if isinstance(sides, list) and sides:
            return tuple((str(s["name"]), tuple(s["bbox"])) for s in sides)
        return (("page", (0, 0, self.width, self.height)),)

    def as_dict(self) -> dict:
        return {
            "id": self.id, "name": self.name, "format": self.format, "dpi": self.dpi,
            "size_px": list(self.size_px), "images": dict(self.images),
            **self.extra,
            "zones": [z.as_dict() for z in self.zones],
        }


def parse_template(data: dict, path: Path) -> Template:
    """Validate a ``template.json`` dict; ``path`` is used in messages and for the folder.

    The format: ``docs/formats.md`` (model :class:`docexam.formats.template.TemplateFile`).
    """
    t = validate(template_format.TemplateFile, data, path)
    extra = dict(t.model_extra or {})
    if t.sides:  # kept as written: Template.sides reads them, as_dict writes them back
        extra["sides"] = [side.model_dump() for side in t.sides]
    return Template(t.id, t.name, t.format, t.dpi, t.size_px, dict(t.images), tuple(_zone(z) for z in t.zones),
                    Path(path).parent, extra)


def load_template(path: str | os.PathLike) -> Template:
    """Load and validate ``template.json`` (or the folder holding it).

    The reference image files must exist beside it.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "template.json"
    tpl = parse_template(_read_json(path), path)
    for light, fname in tpl.images.items():
        if not (tpl.folder / fname).is_file():
            raise InvalidFieldError(path, f"images.{light}", Message("file {fname} not found beside template.json", fname=fname))
    return tpl


def save_template(template: Template) -> Path:
    """Write ``template.json`` into ``template.folder`` (images are written by the caller)."""
    return write_json(template.folder / "template.json", template.as_dict())


# --------------------------------------------------------------------------
# specimens

@dataclass(frozen=True)
class Holder:
    """What the document says about its holder (dates ISO ``YYYY-MM-DD``)."""

    surname: str
    given_names: str
    document_number: str
    nationality: str
    date_of_birth: str
    sex: str
    date_of_expiry: str
    #: optional further fields (``place_of_birth``, ``date_of_issue``, ``personal_number``, ...)
    extra: dict = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in HOLDER_FIELDS} | self.extra

    def get(self, name: str, default: str = "") -> str:
        if name in HOLDER_FIELDS:
            return getattr(self, name)
        return self.extra.get(name, default)


@dataclass(frozen=True)
class Anomaly:
    """One annotated forgery trace."""

    family: str
    technique: str | None
    zone: str
    bbox: Box
    note: str
    #: 0 (barely visible) .. 1 (blatant); None when not recorded
    severity: float | None = None
    #: pixel value of this anomaly in the specimen's mask image (``NAME.mask.png``)
    mask_label: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict:
        d = {"family": self.family, "technique": self.technique, "zone": self.zone,
             "bbox": list(self.bbox), "note": self.note}
        if self.severity is not None:
            d["severity"] = self.severity
        if self.mask_label is not None:
            d["mask_label"] = self.mask_label
        return d | self.extra


@dataclass(frozen=True)
class Specimen:
    """A document image (per light source) with what it says and what is wrong with it."""

    name: str
    template: str
    authentic: bool
    capture: dict
    holder: Holder
    mrz: tuple[str, ...]
    anomalies: tuple[Anomaly, ...]
    folder: Path
    #: other sidecar fields (``recipe``, ``mask``, ``lights``, ...)
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def capture_kind(self) -> str:
        return self.capture["kind"]

    def image_path(self, light: str = "visible", side: str | None = None) -> Path:
        """The picture in ``light``: of ``side`` when each side of a card has its own picture.

        The one way to a specimen's picture: the sidecar's ``images`` (or the
        side's) when it lists them (the library cache stores JPEG), else the
        plain ``NAME.png``, ``NAME.uv.png`` ... of ``docexam synth render``.
        """
        if side is not None:
            for s in self.extra.get("sides") or ():
                if s.get("name") == side and light in (s.get("images") or {}):
                    return self.folder / s["images"][light]
        listed = self.extra.get("images") or {}
        if light in listed:
            return self.folder / listed[light]
        return self.folder / image_name(self.name, light)

    @property
    def mask_path(self) -> Path | None:
        mask = self.extra.get("mask")
        return self.folder / mask if mask else None

    @property
    def lights(self) -> tuple[str, ...]:
        return tuple(light for light in LIGHTS if self.image_path(light).is_file())

    @property
    def families(self) -> set[str]:
        return {a.family for a in self.anomalies}

    @property
    def techniques(self) -> set[str]:
        return {a.technique for a in self.anomalies if a.technique}

    def as_dict(self) -> dict:
        return {
            "template": self.template,
            "authentic": self.authentic,
            "capture": dict(self.capture),
            "holder": self.holder.as_dict(),
            "mrz": list(self.mrz),
            "anomalies": [a.as_dict() for a in self.anomalies],
            **self.extra,
        }


def parse_specimen(data, path: Path, *, template: Template | None = None) -> Specimen:
    """Validate a specimen sidecar dict; with ``template``, also check zones and boxes against it.

    The format: ``docs/formats.md`` (model :class:`docexam.formats.specimen.SpecimenFile`).
    """
    path = Path(path)
    sp = validate(specimen_format.SpecimenFile, data, path, techniques=TECHNIQUES, template=template)
    h = sp.holder
    holder = Holder(**{k: getattr(h, k) for k in HOLDER_FIELDS}, extra=dict(h.model_extra or {}))
    anomalies = tuple(Anomaly(a.family, a.technique, a.zone, a.bbox, a.note, a.severity, a.mask_label,
                              {**dict(a.model_extra or {}),
                               **{k: getattr(a, k) for k in ("extent", "mrz_changed") if k in a.model_fields_set}})
                      for a in sp.anomalies)
    name = path.name[:-5] if path.name.endswith(".json") else path.stem
    extra = dict(sp.model_extra or {})
    if sp.sides:
        extra["sides"] = [side.model_dump(exclude_none=True) for side in sp.sides]
    if sp.mask is not None:  # a file name in the sidecar's folder (FileName refuses a path elsewhere)
        extra["mask"] = sp.mask
    if sp.images:
        extra["images"] = dict(sp.images)
    return Specimen(name, sp.template, sp.authentic, dict(data["capture"]), holder, tuple(sp.mrz), anomalies,
                    path.parent, extra)


def save_specimen_sidecar(specimen: Specimen) -> Path:
    """Write ``NAME.json`` beside the specimen's images."""
    return write_json(specimen.folder / f"{specimen.name}.json", specimen.as_dict())


def check_specimen_name(name: str) -> str:
    """Validate a specimen NAME (used for file names); raise ``ValueError`` naming it."""
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(f"name: {name!r} must be letters, digits, '.', '_' or '-' (at most 128)")
    return name
