"""Templates and specimens: the data model and its files.

The file formats are fixed by ``CONTRACTS.md`` (template folder, specimen
sidecar). Loading validates every field and refuses a broken or
inconsistent file with an :class:`~docexam.errors.InvalidFieldError` naming
the file and the field; saving writes atomically.

Coordinates are always ``[x0, y0, x1, y1]`` integer pixels of the template's
reference image, ``x1``/``y1`` exclusive.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import InvalidFieldError
from ..formats.lights import LIGHTS, image_name
from ..mrz.text import SHAPES as MRZ_SHAPES
from .techniques import FAMILIES, TECHNIQUES

FORMATS = ("TD1", "TD2", "TD3")
ZONE_KINDS = ("portrait", "ghost-portrait", "field", "mrz", "security-print",
              "microprint", "emblem", "background")
CAPTURE_KINDS = ("flat", "scan", "phone")
SEXES = ("F", "M", "X")
HOLDER_FIELDS = ("surname", "given_names", "document_number", "nationality",
                 "date_of_birth", "sex", "date_of_expiry")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

Box = tuple[int, int, int, int]


# --------------------------------------------------------------------------
# small validators: each raises InvalidFieldError(path, field, problem)

def _require(obj: dict, key: str, path, prefix: str = "") -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise InvalidFieldError(path, prefix + key, "missing")
    return obj[key]


def _str(value, path, name, *, choices: Iterable[str] | None = None, pattern=None) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidFieldError(path, name, "expected a non-empty string")
    if choices is not None and value not in choices:
        raise InvalidFieldError(path, name, f"{value!r} is not one of {', '.join(choices)}")
    if pattern is not None and not pattern.match(value):
        raise InvalidFieldError(path, name, f"{value!r} has characters that are not allowed")
    return value


def _int(value, path, name, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidFieldError(path, name, "expected an integer")
    if minimum is not None and value < minimum:
        raise InvalidFieldError(path, name, f"must be at least {minimum}")
    return value


def check_box(value, path, name, *, size: tuple[int, int] | None = None) -> Box:
    """Validate a ``[x0, y0, x1, y1]`` box, optionally inside ``size`` (w, h)."""
    if (not isinstance(value, (list, tuple)) or len(value) != 4
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)):
        raise InvalidFieldError(path, name, "expected [x0, y0, x1, y1] of integers")
    x0, y0, x1, y1 = value
    if x1 <= x0 or y1 <= y0:
        raise InvalidFieldError(path, name, f"{list(value)} is empty (x1 <= x0 or y1 <= y0)")
    if size is not None:
        w, h = size
        if x0 < 0 or y0 < 0 or x1 > w or y1 > h:
            raise InvalidFieldError(path, name, f"{list(value)} lies outside the {w}x{h} image")
    return (x0, y0, x1, y1)


def box_inside(inner: Box, outer: Box) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _date(value, path, name) -> str:
    try:
        _dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidFieldError(path, name, f"{value!r} is not a date YYYY-MM-DD") from None
    return value


def _read_json(path: Path) -> Any:
    from ..atomic import read_text

    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidFieldError(path, "JSON", exc.msg, line=exc.lineno) from None


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


def parse_zones(items, path, *, size: tuple[int, int] | None, prefix: str = "zones") -> tuple[Zone, ...]:
    """Validate a list of zone dicts (``template.json`` ``zones`` or ZONES.json)."""
    if not isinstance(items, list) or not items:
        raise InvalidFieldError(path, prefix, "expected a non-empty list of zones")
    zones, seen = [], set()
    for i, z in enumerate(items):
        where = f"{prefix}[{i}]"
        if not isinstance(z, dict):
            raise InvalidFieldError(path, where, "expected an object")
        name = _str(_require(z, "name", path, where + "."), path, where + ".name")
        if name in seen:
            raise InvalidFieldError(path, where + ".name", f"duplicate zone name {name!r}")
        seen.add(name)
        kind = _str(_require(z, "kind", path, where + "."), path, where + ".kind", choices=ZONE_KINDS)
        bbox = check_box(_require(z, "bbox", path, where + "."), path, where + ".bbox", size=size)
        extra = {k: v for k, v in z.items() if k not in ("name", "kind", "bbox")}
        zones.append(Zone(name, kind, bbox, extra))
    return tuple(zones)


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
        from ..errors import UnknownNameError

        raise UnknownNameError(f"zone of template {self.id}", name, [z.name for z in self.zones])

    def zones_of(self, kind: str) -> list[Zone]:
        return [z for z in self.zones if z.kind == kind]

    def image_path(self, light: str = "visible") -> Path:
        return self.folder / self.images[light]

    def as_dict(self) -> dict:
        return {
            "id": self.id, "name": self.name, "format": self.format, "dpi": self.dpi,
            "size_px": list(self.size_px), "images": dict(self.images),
            **self.extra,
            "zones": [z.as_dict() for z in self.zones],
        }


def parse_template(data: dict, path: Path) -> Template:
    """Validate a ``template.json`` dict; ``path`` is used in messages and for the folder."""
    if not isinstance(data, dict):
        raise InvalidFieldError(path, "template", "expected a JSON object")
    tid = _str(_require(data, "id", path), path, "id", pattern=_ID_RE)
    name = _str(_require(data, "name", path), path, "name")
    fmt = _str(_require(data, "format", path), path, "format", choices=FORMATS)
    dpi = _int(_require(data, "dpi", path), path, "dpi", minimum=50)
    size = _require(data, "size_px", path)
    if not isinstance(size, list) or len(size) != 2:
        raise InvalidFieldError(path, "size_px", "expected [width, height]")
    w = _int(size[0], path, "size_px[0]", minimum=16)
    h = _int(size[1], path, "size_px[1]", minimum=16)
    images = _require(data, "images", path)
    if not isinstance(images, dict) or "visible" not in images:
        raise InvalidFieldError(path, "images.visible", "missing")
    for light, fname in images.items():
        _str(light, path, "images", choices=LIGHTS)
        _str(fname, path, f"images.{light}")
        if Path(fname).name != fname:
            raise InvalidFieldError(path, f"images.{light}", "must be a file name in the template folder")
    zones = parse_zones(_require(data, "zones", path), path, size=(w, h))
    extra = {k: v for k, v in data.items()
             if k not in ("id", "name", "format", "dpi", "size_px", "images", "zones")}
    return Template(tid, name, fmt, dpi, (w, h), dict(images), zones, Path(path).parent, extra)


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
            raise InvalidFieldError(path, f"images.{light}", f"file {fname} not found beside template.json")
    return tpl


def save_template(template: Template) -> Path:
    """Write ``template.json`` into ``template.folder`` (images are written by the caller)."""
    from ..atomic import write_json

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


def parse_holder(data, path) -> Holder:
    if not isinstance(data, dict):
        raise InvalidFieldError(path, "holder", "expected an object")
    values = {k: _str(_require(data, k, path, "holder."), path, f"holder.{k}") for k in HOLDER_FIELDS}
    _date(values["date_of_birth"], path, "holder.date_of_birth")
    _date(values["date_of_expiry"], path, "holder.date_of_expiry")
    _str(values["sex"], path, "holder.sex", choices=SEXES)
    extra = {k: v for k, v in data.items() if k not in HOLDER_FIELDS}
    return Holder(**values, extra=extra)


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


def parse_anomaly(a, path, where: str) -> Anomaly:
    if not isinstance(a, dict):
        raise InvalidFieldError(path, where, "expected an object")
    family = _str(_require(a, "family", path, where + "."), path, where + ".family", choices=FAMILIES)
    tech = a.get("technique")
    if tech is not None:
        _str(tech, path, where + ".technique", choices=tuple(TECHNIQUES))
        if TECHNIQUES[tech].family != family:
            raise InvalidFieldError(path, where + ".technique",
                                    f"{tech!r} belongs to family {TECHNIQUES[tech].family!r}, not {family!r}")
    zone = _str(_require(a, "zone", path, where + "."), path, where + ".zone")
    bbox = check_box(_require(a, "bbox", path, where + "."), path, where + ".bbox")
    note = _str(_require(a, "note", path, where + "."), path, where + ".note")
    severity = a.get("severity")
    if severity is not None and (isinstance(severity, bool) or not isinstance(severity, (int, float))
                                 or not 0 <= severity <= 1):
        raise InvalidFieldError(path, where + ".severity", "expected a number from 0 to 1")
    label = a.get("mask_label")
    if label is not None:
        label = _int(label, path, where + ".mask_label", minimum=1)
        if label > 255:
            raise InvalidFieldError(path, where + ".mask_label", "must be at most 255")
    extra = {k: v for k, v in a.items()
             if k not in ("family", "technique", "zone", "bbox", "note", "severity", "mask_label")}
    return Anomaly(family, tech, zone, bbox, note, severity, label, extra)


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

    def image_path(self, light: str = "visible") -> Path:
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
    """Validate a specimen sidecar dict; with ``template``, also check zones and boxes against it."""
    path = Path(path)
    if not isinstance(data, dict):
        raise InvalidFieldError(path, "specimen", "expected a JSON object")
    tid = _str(_require(data, "template", path), path, "template", pattern=_ID_RE)
    authentic = _require(data, "authentic", path)
    if not isinstance(authentic, bool):
        raise InvalidFieldError(path, "authentic", "expected true or false")
    capture = _require(data, "capture", path)
    if not isinstance(capture, dict):
        raise InvalidFieldError(path, "capture", "expected an object")
    _str(_require(capture, "kind", path, "capture."), path, "capture.kind", choices=CAPTURE_KINDS)
    holder = parse_holder(_require(data, "holder", path), path)
    mrz = _require(data, "mrz", path)
    if not isinstance(mrz, list) or not all(isinstance(line, str) for line in mrz):
        raise InvalidFieldError(path, "mrz", "expected a list of strings")
    items = _require(data, "anomalies", path)
    if not isinstance(items, list):
        raise InvalidFieldError(path, "anomalies", "expected a list")
    anomalies = tuple(parse_anomaly(a, path, f"anomalies[{i}]") for i, a in enumerate(items))
    if authentic and anomalies:
        raise InvalidFieldError(path, "anomalies", "an authentic specimen has no anomalies")
    if not authentic and not anomalies:
        raise InvalidFieldError(path, "anomalies", "a forged specimen needs at least one anomaly")
    if template is not None:
        if template.id != tid:
            raise InvalidFieldError(path, "template", f"is {tid!r}, expected {template.id!r}")
        rows, cols = MRZ_SHAPES[template.format]
        if mrz and (len(mrz) != rows or any(len(line) != cols for line in mrz)):
            raise InvalidFieldError(path, "mrz", f"a {template.format} MRZ has {rows} lines of {cols} characters")
        names = {z.name: z for z in template.zones}
        for i, a in enumerate(anomalies):
            if a.zone not in names:
                raise InvalidFieldError(path, f"anomalies[{i}].zone",
                                        f"{a.zone!r} is not a zone of template {tid}")
            check_box(list(a.bbox), path, f"anomalies[{i}].bbox", size=template.size_px)
            if not box_inside(a.bbox, names[a.zone].bbox):
                raise InvalidFieldError(path, f"anomalies[{i}].bbox",
                                        f"{list(a.bbox)} is not inside zone {a.zone} {list(names[a.zone].bbox)}")
    name = path.name[:-5] if path.name.endswith(".json") else path.stem
    extra = {k: v for k, v in data.items()
             if k not in ("template", "authentic", "capture", "holder", "mrz", "anomalies")}
    return Specimen(name, tid, authentic, dict(capture), holder, tuple(mrz), anomalies, path.parent, extra)


def save_specimen_sidecar(specimen: Specimen) -> Path:
    from ..atomic import write_json

    return write_json(specimen.folder / f"{specimen.name}.json", specimen.as_dict())


def check_specimen_name(name: str) -> str:
    """Validate a specimen NAME (used for file names); raise ``ValueError`` naming it."""
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(f"name: {name!r} must be letters, digits, '.', '_' or '-' (at most 128)")
    return name
