"""``template.json`` and the zones file of ``docexam template add``.

A template folder holds ``template.json`` and its reference images (one per
light, showing the document without personalization). Coordinates are
integer pixels of the reference image: ``[x0, y0, x1, y1]``, x to the right,
y down, ``x1``/``y1`` exclusive. Fields beyond those below are kept as they
are (the shipped templates add ``issuing_state``, ``size_mm``, ``synthetic``,
a zone's ``holder_field``, ``font`` and others).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .fields import Box, FileName, Id, Int, NonEmptyList, Size, Text, one_of
from .lights import LIGHTS, VISIBLE
from .validation import Problem

#: the ICAO 9303 document formats a template may be
DOCUMENT_FORMATS = ("TD1", "TD2", "TD3")
#: the sides of a document: a card's front and back, or the one page of a passport's data page
SIDE_NAMES = ("front", "back", "page")
#: what a zone of a template is
ZONE_KINDS = ("portrait", "ghost-portrait", "field", "mrz", "security-print", "microprint", "emblem", "background")


class Zone(BaseModel):
    """A named rectangle of the template."""

    model_config = ConfigDict(extra="allow")

    name: Text = Field(description="unique within the template")
    kind: one_of(ZONE_KINDS)
    bbox: Box


def check_zones(zones: list[Zone], size: tuple[int, int] | None, *, where: str = "zones") -> None:
    """Zone names used once; with ``size`` (width, height), every box inside the image."""
    seen = set()
    for i, zone in enumerate(zones):
        if zone.name in seen:
            raise Problem((where, i, "name"), f"duplicate zone name {zone.name!r}")
        seen.add(zone.name)
        if size is not None:
            w, h = size
            x0, y0, x1, y1 = zone.bbox
            if x0 < 0 or y0 < 0 or x1 > w or y1 > h:
                raise Problem((where, i, "bbox"), f"{list(zone.bbox)} lies outside the {w}x{h} image")


class ZonesFile(BaseModel):
    """The zones of ``docexam template add --zones ZONES.json``: a JSON list of zones, in the image's pixels."""

    model_config = ConfigDict(extra="forbid")

    zones: NonEmptyList(Zone)

    def check(self, *, size: tuple[int, int] | None = None) -> None:
        check_zones(self.zones, size)


class Side(BaseModel):
    """A side of the document on the template's sheet (a card's front and back lie side by side)."""

    model_config = ConfigDict(extra="allow")

    name: one_of(SIDE_NAMES) = Field(description="front, back, or page for a one-sided document")
    bbox: Box = Field(description="where the side lies on the sheet")


def check_sides(sides, size: tuple[int, int], *, where: str = "sides") -> None:
    """Side names used once, every side inside the image."""
    seen = set()
    w, h = size
    for i, side in enumerate(sides or ()):
        if side.name in seen:
            raise Problem((where, i, "name"), f"duplicate side {side.name!r}")
        seen.add(side.name)
        x0, y0, x1, y1 = side.bbox
        if x0 < 0 or y0 < 0 or x1 > w or y1 > h:
            raise Problem((where, i, "bbox"), f"{list(side.bbox)} lies outside the {w}x{h} image")


class TemplateFile(BaseModel):
    """``specimens/templates/ID/template.json`` (or ``$DOCEXAM_HOME/templates/ID/``)."""

    model_config = ConfigDict(extra="allow")

    id: Id = Field(description="the template's id, lower-case kebab-case; the folder's name")
    name: Text = Field(description="what the document is, for people")
    format: one_of(DOCUMENT_FORMATS)
    dpi: Int = Field(ge=50, description="resolution of the reference images, dots per inch")
    size_px: Size = Field(description="[width, height] of the reference images")
    images: dict[one_of(LIGHTS), FileName] = Field(
        description=f"light -> reference image file beside template.json; {VISIBLE!r} is required",
        json_schema_extra={"required": [VISIBLE]})
    zones: NonEmptyList(Zone)
    sides: NonEmptyList(Side) | None = Field(
        None, description="the sides of the document on the sheet; without it the sheet is one page")

    def check(self) -> None:
        if VISIBLE not in self.images:
            raise Problem(("images", VISIBLE), "missing")
        check_zones(self.zones, self.size_px)
        check_sides(self.sides, self.size_px)
