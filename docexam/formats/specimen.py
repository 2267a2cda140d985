"""The specimen sidecar ``NAME.json``: what a specimen image shows and what is wrong with it.

Each specimen ``NAME.png`` (visible light) has ``NAME.json`` beside it, and
optionally an image per other light (``NAME.uv.png``, ``NAME.ir.png``). A
sidecar that lists its pictures (``images``, light -> file) may name other
files (the library cache's ``NAME.jpg``, ``NAME.uv.jpg`` ...).
``holder`` and ``mrz`` say what the forger wanted the document to say (for
a genuine specimen, what it does say); ``anomalies`` is empty for a genuine
specimen and lists every forgery trace otherwise, in the template's
reference-image pixels. Fields beyond those below are kept as they are
(the renderer adds ``recipe``, ``mask``, capture parameters and others).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ..mrz.text import SHAPES
from .fields import Bool, Box, FileName, Fraction, Id, Int, IsoDate, Text, box_inside, one_of
from .lights import LIGHTS
from .template import SIDE_NAMES
from .validation import Problem

#: the families of forgery techniques
FAMILIES = ("substrate", "printing", "personalization")
#: how a specimen image was made: in template geometry, scanned, or photographed
CAPTURE_KINDS = ("flat", "scan", "phone")
#: how a specimen's pictures are encoded: every light in PNG under its plain name (what ``docexam synth
#: render`` writes), or as the library cache stores them (mostly JPEG; the sidecar names each picture)
STORAGES = ("lossless", "library")
#: the width (px) of a picture's screen copy: the size a page shows a document at
SCREEN_WIDTH = 1100
#: the JPEG quality of a screen copy (looked at by people only)
SCREEN_QUALITY = 85
SEXES = ("F", "M", "X")
#: how much of the document an anomaly covers when it is not a region: the whole side
EXTENTS = ("page",)
HOLDER_FIELDS = ("surname", "given_names", "document_number", "nationality", "date_of_birth", "sex",
                 "date_of_expiry")


class Capture(BaseModel):
    """How the image was made; other fields record the capture's parameters."""

    model_config = ConfigDict(extra="allow")

    kind: one_of(CAPTURE_KINDS)


class Holder(BaseModel):
    """What the document says about its holder; other fields (``place_of_birth``, ...) are kept."""

    model_config = ConfigDict(extra="allow")

    surname: Text
    given_names: Text
    document_number: Text
    nationality: Text
    date_of_birth: IsoDate
    sex: one_of(SEXES)
    date_of_expiry: IsoDate


class Anomaly(BaseModel):
    """One forgery trace, for the trainee to find."""

    model_config = ConfigDict(extra="allow")

    family: one_of(FAMILIES)
    technique: Text | None = Field(None, description="a technique of `docexam techniques` in this family; "
                                                     "null when only the family is known")
    zone: Text = Field(description="the name of a zone of the template")
    bbox: Box = Field(description="inside the zone")
    note: Text = Field(description="what an examiner should look for, in plain words")
    severity: Fraction | None = Field(None, description="0 (barely visible) to 1 (blatant)")
    mask_label: Int | None = Field(None, ge=1, le=255, description="this anomaly's value in NAME.mask.png")
    extent: one_of(EXTENTS) | None = Field(
        None, description="'page' when the whole side is the forgery (a colour copy, office paper, a "
                          "counterfeit card body): any point on it is on the forgery")
    mrz_changed: Bool | None = Field(
        None, description="on a changed field: whether the forger changed the MRZ too (null: the field is "
                          "not in the MRZ)")


class SpecimenSide(BaseModel):
    """One side of a two-sided specimen and its picture(s)."""

    model_config = ConfigDict(extra="allow")

    name: one_of(SIDE_NAMES)
    bbox: Box = Field(description="the side on the template's sheet")
    homography: list[list[float]] = Field(
        description="3x3: sheet (template) pixels -> pixels of this side's picture", min_length=3, max_length=3)
    images: dict[one_of(LIGHTS), FileName] | None = Field(
        None, description="light -> picture file beside the sidecar: the flat sheet's for every side of a "
                          "flat capture, NAME.back.png (.uv, .ir) for the back of a scan or photo")


class SpecimenFile(BaseModel):
    """``NAME.json`` beside the specimen image ``NAME.png``."""

    model_config = ConfigDict(extra="allow")

    template: Id = Field(description="the id of the specimen's template")
    authentic: Bool
    capture: Capture
    holder: Holder
    mrz: list[str] = Field(description="the MRZ lines, as the template's format lays them out")
    anomalies: list[Anomaly] = Field(description="empty for an authentic specimen")
    sides: list[SpecimenSide] | None = Field(
        None, description="two-sided documents: each side's picture and where the sheet lies in it")
    mask: FileName | None = Field(None, description="the anomalies' mask image (NAME.mask.png), in the same folder "
                                                    "(a path elsewhere is refused)")
    images: dict[one_of(LIGHTS), FileName] | None = Field(
        None, description="light -> picture file beside the sidecar (the first side's of a two-sided scan or "
                          "photo); without it the pictures are NAME.png, NAME.uv.png ...")

    def check(self, *, techniques=None, template=None) -> None:
        """The specimen against the technique catalogue and its template.

        Parameters
        ----------
        techniques : mapping of name -> an object with a ``family``, optional
        template : object with ``id``, ``format``, ``size_px`` and ``zones``, optional
        """
        if self.authentic and self.anomalies:
            raise Problem(("anomalies",), "an authentic specimen has no anomalies")
        if not self.authentic and not self.anomalies:
            raise Problem(("anomalies",), "a forged specimen needs at least one anomaly")
        if techniques is not None:
            for i, a in enumerate(self.anomalies):
                if a.technique is None:
                    continue
                if a.technique not in techniques:
                    raise Problem(("anomalies", i, "technique"),
                                  f"{a.technique!r} is not one of {', '.join(techniques)}")
                if techniques[a.technique].family != a.family:
                    raise Problem(("anomalies", i, "technique"), f"{a.technique!r} belongs to family "
                                  f"{techniques[a.technique].family!r}, not {a.family!r}")
        if template is None:
            return
        if template.id != self.template:
            raise Problem(("template",), f"is {self.template!r}, expected {template.id!r}")
        rows, cols = SHAPES[template.format]
        if self.mrz and (len(self.mrz) != rows or any(len(line) != cols for line in self.mrz)):
            raise Problem(("mrz",), f"a {template.format} MRZ has {rows} lines of {cols} characters")
        for i, side in enumerate(self.sides or ()):
            if any(len(row) != 3 for row in side.homography):
                raise Problem(("sides", i, "homography"), "expected a 3x3 matrix")
        zones = {z.name: z for z in template.zones}
        w, h = template.size_px
        for i, a in enumerate(self.anomalies):
            if a.zone not in zones:
                raise Problem(("anomalies", i, "zone"), f"{a.zone!r} is not a zone of template {template.id}")
            x0, y0, x1, y1 = a.bbox
            if x0 < 0 or y0 < 0 or x1 > w or y1 > h:
                raise Problem(("anomalies", i, "bbox"), f"{list(a.bbox)} lies outside the {w}x{h} image")
            if not box_inside(a.bbox, zones[a.zone].bbox):
                raise Problem(("anomalies", i, "bbox"), f"{list(a.bbox)} is not inside zone {a.zone} "
                                                         f"{list(zones[a.zone].bbox)}")


def screen_copy_name(file_name: str) -> str:
    """The name of the screen copy the library cache keeps beside a picture: ``NAME.uv.jpg`` -> ``NAME.uv.screen.jpg``.

    A screen copy is a picture wider than :data:`SCREEN_WIDTH` shrunk to it, in
    JPEG, written when the picture is rendered (its pixels are in memory
    then), so that no page decodes and shrinks the full-size file while
    trainees wait. It is a convenience, never read by the examination: a
    reader that finds none (or one older than its picture) makes its own.

    >>> screen_copy_name("s7.back.uv.jpg"), screen_copy_name("s7.png")
    ('s7.back.uv.screen.jpg', 's7.screen.jpg')
    """
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return f"{stem}.screen.jpg"
