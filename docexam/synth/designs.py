"""The designs of the fictional documents: layout in millimetres, palette, inks.

A :class:`Design` is everything needed to render a template's blank reference
images and to personalize it: the zones (ICAO 9303 layout: portrait left,
visual inspection zone fields, ghost portrait, MRZ at the bottom), the field
formats and fonts, and the state's palette. Designs are data; the drawing is
in :mod:`docexam.synth.reference` and :mod:`docexam.synth.personalize`.

TD1 cards carry the MRZ on the back, so a TD1 template shows the front and the
back side by side, as a two-sided document scanner does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ..i18n import Message
from ..errors import UnknownNameError


MM_PER_INCH = 25.4


@dataclass(frozen=True)
class FieldSpec:
    """A printed data field: where, what and how."""

    zone: str  # zone name, e.g. "date-of-birth"
    holder_field: str  # holder key, e.g. "date_of_birth"
    label: str  # pre-printed caption above the value
    box_mm: tuple[float, float, float, float]
    style: str = "text"  # text | date | sex | nationality | code | type


@dataclass(frozen=True)
class Palette:
    paper: tuple[float, float, float]
    underprint: tuple[float, float, float]
    rainbow: tuple[tuple[float, float, float], ...]
    rosette: tuple[float, float, float]
    emblem: tuple[float, float, float]
    header: tuple[float, float, float]
    label: tuple[float, float, float]
    overprint: tuple[float, float, float]
    microprint: tuple[float, float, float]


@dataclass(frozen=True)
class Design:
    template_id: str
    name: str
    state_code: str
    state_name: str
    demonym: str
    format: str  # TD1 | TD2 | TD3
    document_code: str  # "P" passport, "ID" identity card, "V" visa
    title: str  # printed title
    size_mm: tuple[float, float]
    substrate: str  # "paper" | "polycarbonate"
    palette: Palette
    fields: tuple[FieldSpec, ...]
    #: zone name -> (kind, box in mm)
    zones_mm: dict
    #: (x, y) mm of each side's top-left corner and the side size, for two-sided templates
    sides_mm: tuple[tuple[float, float, float, float], ...]
    #: rosette centre (mm) and outer radius (mm), per rosette zone
    rosettes: dict = field(default_factory=dict)
    dpi: int = 600
    microprint_text: str = ""
    authority: str = ""
    places: tuple[str, ...] = ()
    portrait_ink: str = "dye"  # "dye" (passport inkjet) or "laser" (card engraving)
    #: the MRZ's own format when it is not the page's (a visa sticker's MRV-A on a TD3-size page)
    mrz_format: str = ""
    #: zone name -> the security feature in it (``kinegram``, ``colour-shift``, ``watermark``,
    #: ``thread``, ``stamps``, ``visa-sticker``, ``page``, ``page-number``, ``perforation``)
    features: dict = field(default_factory=dict)
    header_font: str = ""  # "" = the shared header font
    #: nationality of the holders of this document when it is not the issuer's (a visa's)
    holder_state: str = ""
    #: file format of the committed reference images (``webp``: lossless, a third smaller)
    image_format: str = "png"

    def px(self, mm: float) -> int:
        return int(round(mm * self.dpi / MM_PER_INCH))

    def box_px(self, box_mm) -> tuple[int, int, int, int]:
        return tuple(self.px(v) for v in box_mm)  # type: ignore[return-value]

    @property
    def size_px(self) -> tuple[int, int]:
        return self.px(self.size_mm[0]), self.px(self.size_mm[1])

    def zone_px(self, name: str) -> tuple[int, int, int, int]:
        return self.box_px(self.zones_mm[name][1])

    def field(self, zone: str) -> FieldSpec:
        return next(f for f in self.fields if f.zone == zone)

    @property
    def sides(self) -> tuple[tuple[str, tuple[int, int, int, int]], ...]:
        """(name, box in pixels) of each side: ``page`` alone, or a card's ``front`` and ``back``."""
        names = ("page",) if len(self.sides_mm) == 1 else ("front", "back", "inside")[:len(self.sides_mm)]
        return tuple((n, self.box_px((x, y, x + w, y + h))) for n, (x, y, w, h) in zip(names, self.sides_mm))

    @property
    def mrz(self) -> str:
        """The format of the machine-readable zone (TD1, TD2, TD3 or MRV-A)."""
        return self.mrz_format or self.format

    @property
    def has(self) -> frozenset:
        """Zone kinds and security features of the design (what a technique may require)."""
        return frozenset(kind for kind, _ in self.zones_mm.values()) | frozenset(self.features.values())

    def zones_with(self, feature: str) -> list[str]:
        """Names of the zones holding ``feature``."""
        return [z for z, f in self.features.items() if f == feature]


# --------------------------------------------------------------------------
# TD3 passport data page, 125 x 88 mm

def _td3_fields() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("type", "document_type", "Type", (44, 20.2, 52, 23.8), "type"),
        FieldSpec("code", "issuing_state", "Code", (54, 20.2, 66, 23.8), "code"),
        FieldSpec("document-number", "document_number", "Passport No.", (70, 20.2, 100, 23.8)),
        FieldSpec("surname", "surname", "Surname", (44, 26.6, 100, 30.2)),
        FieldSpec("given-names", "given_names", "Given names", (44, 33.0, 100, 36.6)),
        FieldSpec("nationality", "nationality", "Nationality", (44, 39.4, 82, 43.0), "nationality"),
        FieldSpec("date-of-birth", "date_of_birth", "Date of birth", (44, 45.8, 72, 49.4), "date"),
        FieldSpec("sex", "sex", "Sex", (76, 45.8, 84, 49.4), "sex"),
        FieldSpec("place-of-birth", "place_of_birth", "Place of birth", (44, 52.2, 100, 55.8)),
        FieldSpec("date-of-issue", "date_of_issue", "Date of issue", (44, 58.6, 72, 62.2), "date"),
        FieldSpec("authority", "authority", "Authority", (76, 58.6, 100, 62.2)),
        FieldSpec("date-of-expiry", "date_of_expiry", "Date of expiry", (44, 65.0, 72, 68.6), "date"),
    )


def _td3_zones(fields) -> dict:
    zones = {
        "page": ("background", (0, 0, 125, 88)),
        "guilloche-band": ("security-print", (0, 9.6, 125, 15.4)),
        "microprint-top": ("microprint", (4, 16.0, 121, 16.7)),
        "portrait": ("portrait", (5, 19, 40, 64)),
        "rosette": ("security-print", (56, 18, 104, 66)),
        "emblem": ("emblem", (104, 18.5, 121, 35.5)),
        "ghost-portrait": ("ghost-portrait", (104, 41, 120, 61)),
        "uv-emblem": ("emblem", (42, 24, 82, 64)),
        "microprint-mrz": ("microprint", (4, 69.6, 121, 70.3)),
        "mrz": ("mrz", (3, 71.5, 122, 86.5)),
    }
    for f in fields:
        zones[f.zone] = ("field", f.box_mm)
    return zones


# --------------------------------------------------------------------------
# TD1 card, 85.6 x 54 mm, front and back side by side (4 mm apart)

TD1_W, TD1_H, TD1_GAP = 85.6, 54.0, 4.0
_BX = TD1_W + TD1_GAP  # back side x offset


def _td1_fields() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("surname", "surname", "Surname", (28, 13.4, 67, 16.6)),
        FieldSpec("given-names", "given_names", "Given names", (28, 19.0, 67, 22.2)),
        FieldSpec("sex", "sex", "Sex", (28, 24.6, 34, 27.8), "sex"),
        FieldSpec("nationality", "nationality", "Nationality", (37, 24.6, 52, 27.8), "code"),
        FieldSpec("date-of-birth", "date_of_birth", "Date of birth", (28, 30.2, 52, 33.4), "date"),
        FieldSpec("document-number", "document_number", "Document No.", (28, 35.8, 60, 39.0)),
        FieldSpec("date-of-expiry", "date_of_expiry", "Date of expiry", (28, 41.4, 52, 44.6), "date"),
        FieldSpec("date-of-issue", "date_of_issue", "Date of issue", (_BX + 4, 13.4, _BX + 30, 16.6), "date"),
        FieldSpec("authority", "authority", "Authority", (_BX + 34, 13.4, _BX + 82, 16.6)),
        FieldSpec("place-of-birth", "place_of_birth", "Place of birth", (_BX + 4, 19.0, _BX + 48, 22.2)),
    )


def _td1_zones(fields) -> dict:
    zones = {
        "card-front": ("background", (0, 0, TD1_W, TD1_H)),
        "card-back": ("background", (_BX, 0, _BX + TD1_W, TD1_H)),
        "guilloche-band": ("security-print", (0, 7.2, TD1_W, 10.4)),
        "guilloche-band-back": ("security-print", (_BX, 4.0, _BX + TD1_W, 8.8)),
        "microprint-front": ("microprint", (3, 49.8, 82.6, 50.5)),
        "microprint-back": ("microprint", (_BX + 3, 25.2, _BX + 82.6, 25.9)),
        "portrait": ("portrait", (3, 12, 25, 40)),
        "rosette": ("security-print", (34, 12, 72, 50)),
        "emblem": ("emblem", (71, 12.5, 83, 24.5)),
        "ghost-portrait": ("ghost-portrait", (69, 31, 81, 46)),
        "uv-emblem": ("emblem", (_BX + 52, 13, _BX + 80, 24.6)),
        "mrz": ("mrz", (_BX + 2, 30.5, _BX + 83.6, 52.5)),
    }
    for f in fields:
        zones[f.zone] = ("field", f.box_mm)
    return zones


UTOPIA = Palette(
    paper=(0.965, 0.955, 0.905), underprint=(0.80, 0.89, 0.84),
    rainbow=((0.30, 0.62, 0.58), (0.86, 0.62, 0.36), (0.58, 0.45, 0.76)),
    rosette=(0.42, 0.60, 0.70), emblem=(0.58, 0.44, 0.26), header=(0.12, 0.30, 0.36),
    label=(0.22, 0.34, 0.40), overprint=(0.70, 0.55, 0.72), microprint=(0.20, 0.36, 0.40),
)
MERIDIA = Palette(
    paper=(0.955, 0.945, 0.975), underprint=(0.88, 0.82, 0.90),
    rainbow=((0.78, 0.34, 0.36), (0.92, 0.74, 0.40), (0.30, 0.46, 0.74)),
    rosette=(0.62, 0.38, 0.52), emblem=(0.32, 0.38, 0.62), header=(0.40, 0.14, 0.22),
    label=(0.36, 0.22, 0.30), overprint=(0.48, 0.66, 0.58), microprint=(0.38, 0.16, 0.24),
)

MERIDIA_TD3 = Palette(
    paper=(0.94, 0.95, 0.97), underprint=(0.80, 0.84, 0.93),
    rainbow=((0.30, 0.40, 0.78), (0.62, 0.42, 0.70), (0.86, 0.56, 0.40)),
    rosette=(0.30, 0.36, 0.62), emblem=(0.56, 0.42, 0.20), header=(0.16, 0.20, 0.44),
    label=(0.26, 0.28, 0.46), overprint=(0.66, 0.52, 0.34), microprint=(0.18, 0.22, 0.44),
)
UTOPIA_TD2 = Palette(
    paper=(0.95, 0.965, 0.94), underprint=(0.82, 0.90, 0.80),
    rainbow=((0.40, 0.66, 0.40), (0.88, 0.78, 0.40), (0.36, 0.56, 0.72)),
    rosette=(0.34, 0.56, 0.44), emblem=(0.58, 0.44, 0.26), header=(0.10, 0.32, 0.24),
    label=(0.20, 0.34, 0.28), overprint=(0.66, 0.50, 0.66), microprint=(0.16, 0.34, 0.26),
)
UTOPIA_VISA = Palette(
    paper=(0.965, 0.955, 0.905), underprint=(0.84, 0.90, 0.86),
    rainbow=((0.36, 0.64, 0.60), (0.84, 0.66, 0.42), (0.62, 0.50, 0.76)),
    rosette=(0.58, 0.40, 0.56), emblem=(0.40, 0.30, 0.58), header=(0.12, 0.30, 0.36),
    label=(0.36, 0.24, 0.40), overprint=(0.60, 0.70, 0.52), microprint=(0.34, 0.20, 0.40),
)

_UTO_PLACES = ("PORT UTOPIA", "NEW HARBOUR", "AMAUROT", "RIVERSIDE", "EAST HILLS", "LAKESHORE",
               "SAINT ANDRA", "NORTH BAY")
_MRD_PLACES = ("MERIDIA CITY", "SOLVANO", "KERAT", "PRAVIA", "LOWER DELTA", "MONT AUREL",
               "ISLA MAREN", "TORVEN")


def _td3(template_id, state_code, state_name, demonym, palette, places, authority, micro) -> Design:
    fields = _td3_fields()
    zones = _td3_zones(fields)
    zones["watermark"] = ("background", (84, 36, 122, 68))
    zones["thread"] = ("background", (101.5, 0, 103.0, 88))
    return Design(
        template_id=template_id,
        name=f"{state_name.title()} passport data page (specimen)",
        state_code=state_code, state_name=state_name, demonym=demonym, format="TD3",
        document_code="P", title="PASSPORT", size_mm=(125.0, 88.0), substrate="paper",
        palette=palette, fields=fields, zones_mm=zones,
        sides_mm=((0.0, 0.0, 125.0, 88.0),),
        rosettes={"rosette": ((80.0, 42.0), 23.5)},
        microprint_text=micro, authority=authority, places=places, portrait_ink="dye",
        features={"watermark": "watermark", "thread": "thread"},
    )


def _td1(template_id, state_code, state_name, demonym, palette, places, authority, micro) -> Design:
    fields = _td1_fields()
    return Design(
        template_id=template_id,
        name=f"{state_name.title()} identity card, front and back (specimen)",
        state_code=state_code, state_name=state_name, demonym=demonym, format="TD1",
        document_code="ID", title="IDENTITY CARD", size_mm=(2 * TD1_W + TD1_GAP, TD1_H),
        substrate="polycarbonate", palette=palette, fields=fields, zones_mm=_td1_zones(fields),
        sides_mm=((0.0, 0.0, TD1_W, TD1_H), (_BX, 0.0, TD1_W, TD1_H)),
        rosettes={"rosette": ((53.0, 31.0), 18.5)},
        microprint_text=micro, authority=authority, places=places, portrait_ink="laser",
    )


# --------------------------------------------------------------------------
# Meridia passport data page, TD3, a laser-engraved polycarbonate page with a
# kinegram and a colour-shifting emblem; labels in Meridian and English

def _mrd_td3_fields() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("type", "document_type", "Tipo / Type", (44, 17.2, 54, 20.6), "type"),
        FieldSpec("code", "issuing_state", "Código / Code", (57, 17.2, 70, 20.6), "code"),
        FieldSpec("document-number", "document_number", "Pasaporte n.º / Passport No.", (73, 17.2, 100, 20.6)),
        FieldSpec("surname", "surname", "Apellidos / Surname", (44, 23.6, 100, 27.0)),
        FieldSpec("given-names", "given_names", "Nombres / Given names", (44, 30.0, 100, 33.4)),
        FieldSpec("nationality", "nationality", "Nacionalidad / Nationality", (44, 36.4, 82, 39.8), "nationality"),
        FieldSpec("date-of-birth", "date_of_birth", "Fecha de nacimiento / Date of birth", (44, 42.8, 74, 46.2),
                  "date"),
        FieldSpec("sex", "sex", "Sexo / Sex", (77, 42.8, 84, 46.2), "sex"),
        FieldSpec("place-of-birth", "place_of_birth", "Lugar de nacimiento / Place of birth", (44, 49.2, 84, 52.6)),
        FieldSpec("date-of-issue", "date_of_issue", "Expedición / Date of issue", (44, 55.6, 70, 59.0), "date"),
        FieldSpec("date-of-expiry", "date_of_expiry", "Caducidad / Date of expiry", (44, 62.0, 70, 65.4), "date"),
        FieldSpec("authority", "authority", "Autoridad / Authority", (72, 62.0, 100, 65.4)),
    )


def _mrd_td3(template_id) -> Design:
    fields = _mrd_td3_fields()
    zones = {
        "page": ("background", (0, 0, 125, 88)),
        "guilloche-band": ("security-print", (0, 8.0, 125, 12.2)),
        "microprint-top": ("microprint", (4, 12.8, 121, 13.5)),
        "portrait": ("portrait", (6, 16, 39, 60)),
        "rosette": ("security-print", (60, 22, 100, 62)),
        "emblem": ("emblem", (104, 15.5, 121, 32.5)),
        "kinegram": ("security-print", (101, 34, 122, 55)),
        "colour-shift": ("emblem", (86, 48, 99, 61)),
        "ghost-portrait": ("ghost-portrait", (8, 61.5, 21, 69.4)),
        "uv-emblem": ("emblem", (44, 20, 84, 60)),
        "microprint-mrz": ("microprint", (24, 69.6, 121, 70.3)),
        "mrz": ("mrz", (3, 71.5, 122, 86.5)),
    }
    for f in fields:
        zones[f.zone] = ("field", f.box_mm)
    return Design(
        template_id=template_id, name="Meridia passport data page (specimen)",
        state_code="MRD", state_name="MERIDIA", demonym="MERIDIAN", format="TD3", document_code="P",
        title="PASAPORTE · PASSPORT", size_mm=(125.0, 88.0), substrate="polycarbonate", palette=MERIDIA_TD3,
        fields=fields, zones_mm=zones, sides_mm=((0.0, 0.0, 125.0, 88.0),),
        rosettes={"rosette": ((80.0, 42.0), 19.5)}, microprint_text="REPUBLICA DE MERIDIA",
        authority="DIRECCION DE PASAPORTES", places=_MRD_PLACES, portrait_ink="laser",
        features={"kinegram": "kinegram", "colour-shift": "colour-shift"},
        header_font="DejaVuSerifCondensed-Bold.ttf", image_format="webp",
    )


# --------------------------------------------------------------------------
# Utopia residence card, TD2 (105 x 74 mm), front and back side by side; the
# MRZ (2 x 36) on the front, a kinegram stripe and colour-shifting emblem on the back

TD2_W, TD2_H, TD2_GAP = 105.0, 74.0, 4.0
_B2 = TD2_W + TD2_GAP


def _td2_fields() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec("surname", "surname", "Surname", (36, 14.6, 100, 18.2)),
        FieldSpec("given-names", "given_names", "Given names", (36, 21.0, 100, 24.6)),
        FieldSpec("nationality", "nationality", "Nationality", (36, 27.4, 62, 31.0), "code"),
        FieldSpec("sex", "sex", "Sex", (66, 27.4, 74, 31.0), "sex"),
        FieldSpec("date-of-birth", "date_of_birth", "Date of birth", (36, 33.8, 64, 37.4), "date"),
        FieldSpec("document-number", "document_number", "Permit No.", (36, 40.2, 66, 43.8)),
        FieldSpec("date-of-expiry", "date_of_expiry", "Valid until", (36, 46.6, 64, 50.2), "date"),
        FieldSpec("date-of-issue", "date_of_issue", "Date of issue", (_B2 + 5, 16.6, _B2 + 33, 20.2), "date"),
        FieldSpec("authority", "authority", "Authority", (_B2 + 37, 16.6, _B2 + 100, 20.2)),
        FieldSpec("place-of-birth", "place_of_birth", "Place of birth", (_B2 + 5, 23.0, _B2 + 60, 26.6)),
    )


def _uto_td2(template_id) -> Design:
    fields = _td2_fields()
    zones = {
        "card-front": ("background", (0, 0, TD2_W, TD2_H)),
        "card-back": ("background", (_B2, 0, _B2 + TD2_W, TD2_H)),
        "guilloche-band": ("security-print", (0, 8.2, TD2_W, 11.6)),
        "guilloche-band-back": ("security-print", (_B2, 4.5, _B2 + TD2_W, 9.5)),
        "microprint-front": ("microprint", (3, 51.6, 102, 52.3)),
        "microprint-back": ("microprint", (_B2 + 3, 30.0, _B2 + 102, 30.7)),
        "portrait": ("portrait", (4, 13, 32, 49)),
        "rosette": ("security-print", (40, 12, 84, 50)),
        "emblem": ("emblem", (86, 12.5, 101, 27.5)),
        "ghost-portrait": ("ghost-portrait", (84, 31, 99, 50)),
        "kinegram": ("security-print", (_B2 + 64, 34, _B2 + 100, 68)),
        "colour-shift": ("emblem", (_B2 + 6, 36, _B2 + 24, 54)),
        "uv-emblem": ("emblem", (_B2 + 28, 35, _B2 + 60, 67)),
        "mrz": ("mrz", (2, 55.5, 103, 71.5)),
    }
    for f in fields:
        zones[f.zone] = ("field", f.box_mm)
    return Design(
        template_id=template_id, name="Utopia residence card, TD2, front and back (specimen)",
        state_code="UTO", state_name="UTOPIA", demonym="UTOPIAN", format="TD2", document_code="ID",
        title="RESIDENCE CARD", size_mm=(2 * TD2_W + TD2_GAP, TD2_H), substrate="polycarbonate",
        palette=UTOPIA_TD2, fields=fields, zones_mm=zones,
        sides_mm=((0.0, 0.0, TD2_W, TD2_H), (_B2, 0.0, TD2_W, TD2_H)),
        rosettes={"rosette": ((62.0, 31.0), 18.5)}, microprint_text="UTOPIA RESIDENCE",
        authority="DEPARTMENT OF IMMIGRATION", places=_UTO_PLACES, portrait_ink="laser",
        features={"kinegram": "kinegram", "colour-shift": "colour-shift"}, image_format="webp",
    )


# --------------------------------------------------------------------------
# Utopia passport, visa pages 16-17 open side by side (2 x 125 x 88 mm, 400 dpi):
# the left page carries the border stamps, the right one a Meridian visa sticker
# (MRV-A, 120 x 80 mm, its own MRZ); page numbers, watermark, thread and the
# passport number laser-perforated through both pages

VISA_PAGE_W, VISA_PAGE_H = 125.0, 88.0
_VX = VISA_PAGE_W + 2.5   # the sticker's left edge on the right page
_VY = 4.0


def _visa_fields() -> tuple[FieldSpec, ...]:
    x, y = _VX, _VY
    return (
        FieldSpec("visa-valid-for", "visa_valid_for", "Valid for / Válido para", (x + 33, y + 11.5, x + 75, y + 14.7)),
        FieldSpec("valid-from", "valid_from", "From / Desde", (x + 33, y + 18.0, x + 58, y + 21.2), "date"),
        FieldSpec("date-of-expiry", "date_of_expiry", "Until / Hasta", (x + 62, y + 18.0, x + 88, y + 21.2), "date"),
        FieldSpec("visa-type", "visa_type", "Type / Tipo", (x + 92, y + 18.0, x + 117, y + 21.2)),
        FieldSpec("entries", "entries", "Entries / Entradas", (x + 33, y + 24.5, x + 52, y + 27.7)),
        FieldSpec("duration-of-stay", "duration_of_stay", "Days / Días", (x + 56, y + 24.5, x + 72, y + 27.7)),
        FieldSpec("visa-place", "visa_place", "Issued in / Expedido en", (x + 76, y + 24.5, x + 117, y + 27.7)),
        FieldSpec("visa-issued", "visa_issued", "On / El", (x + 33, y + 31.0, x + 58, y + 34.2), "date"),
        FieldSpec("document-number", "document_number", "Passport No. / Pasaporte", (x + 62, y + 31.0, x + 95, y + 34.2)),
        FieldSpec("surname", "surname", "Surname / Apellidos", (x + 33, y + 37.5, x + 117, y + 40.7)),
        FieldSpec("given-names", "given_names", "Given names / Nombres", (x + 33, y + 44.0, x + 117, y + 47.3)),
        FieldSpec("date-of-birth", "date_of_birth", "Date of birth", (x + 33, y + 50.5, x + 58, y + 53.7), "date"),
        FieldSpec("sex", "sex", "Sex", (x + 62, y + 50.5, x + 70, y + 53.7), "sex"),
        FieldSpec("nationality", "nationality", "Nationality", (x + 74, y + 50.5, x + 100, y + 53.7), "code"),
        FieldSpec("visa-number", "visa_number", "No.", (x + 88, y + 3.2, x + 118, y + 7.4)),
    )


def _uto_visa(template_id) -> Design:
    fields = _visa_fields()
    x, y = _VX, _VY
    zones = {
        "pages": ("background", (0, 0, 2 * VISA_PAGE_W, VISA_PAGE_H)),
        "page-left": ("background", (0, 0, VISA_PAGE_W, VISA_PAGE_H)),
        "page-right": ("background", (VISA_PAGE_W, 0, 2 * VISA_PAGE_W, VISA_PAGE_H)),
        "stamps": ("background", (6, 12, 119, 78)),
        "page-number-left": ("microprint", (4, 80.5, 20, 85.5)),
        "page-number-right": ("microprint", (2 * VISA_PAGE_W - 20, 80.5, 2 * VISA_PAGE_W - 4, 85.5)),
        "guilloche-band": ("security-print", (0, 3.0, VISA_PAGE_W, 8.0)),
        "visa-sticker": ("background", (x, y, x + 120, y + 80)),
        "portrait": ("portrait", (x + 3, y + 10, x + 30, y + 45)),
        "rosette": ("security-print", (x + 36, y + 8, x + 116, y + 56)),
        "emblem": ("emblem", (x + 4, y + 47, x + 16, y + 57)),
        "uv-emblem": ("emblem", (x + 60, y + 10, x + 100, y + 50)),
        "microprint-visa": ("microprint", (x + 3, y + 57.8, x + 117, y + 58.5)),
        "mrz": ("mrz", (x + 1, y + 60.0, x + 119, y + 79.0)),
        "perforation": ("background", (2 * VISA_PAGE_W - 6.5, 22, 2 * VISA_PAGE_W - 0.5, 66)),
        "perforation-left": ("background", (0.5, 22, 6.5, 66)),
        "watermark-left": ("background", (40, 22, 90, 70)),
        "thread-left": ("background", (108, 0, 110, 88)),
        "watermark-right": ("background", (VISA_PAGE_W + 40, 22, VISA_PAGE_W + 90, 70)),
    }
    for f in fields:
        zones[f.zone] = ("field", f.box_mm)
    return Design(
        template_id=template_id, name="Utopia passport, visa pages 16-17 with a Meridian visa (specimen)",
        state_code="MRD", state_name="UTOPIA", demonym="UTOPIAN", format="TD3", document_code="V",
        title="VISAS", size_mm=(2 * VISA_PAGE_W, VISA_PAGE_H), substrate="paper", palette=UTOPIA_VISA,
        fields=fields, zones_mm=zones, sides_mm=((0.0, 0.0, 2 * VISA_PAGE_W, VISA_PAGE_H),),
        rosettes={"rosette": ((x + 76, y + 32), 21.0)}, dpi=400, microprint_text="MERIDIA VISA",
        authority="EMBAJADA DE MERIDIA", places=_UTO_PLACES, portrait_ink="dye", mrz_format="MRV-A",
        features={"stamps": "stamps", "visa-sticker": "visa-sticker", "page-left": "page",
                  "page-right": "page", "page-number-left": "page-number", "page-number-right": "page-number",
                  "perforation": "perforation", "perforation-left": "perforation",
                  "watermark-left": "watermark", "thread-left": "thread", "watermark-right": "watermark"},
        holder_state="UTO", image_format="webp",
    )


DESIGNS: dict[str, Design] = {
    d.template_id: d
    for d in (
        _td3("uto-td3", "UTO", "UTOPIA", "UTOPIAN", UTOPIA, _UTO_PLACES, "MINISTRY OF INTERIOR",
             "UTOPIA"),
        _td1("mrd-td1", "MRD", "MERIDIA", "MERIDIAN", MERIDIA, _MRD_PLACES, "CIVIL REGISTRY",
             "MERIDIA"),
        _mrd_td3("mrd-td3"),
        _uto_td2("uto-td2"),
        _uto_visa("uto-visa"),
    )
}


def design(template_id: str) -> Design:
    try:
        return DESIGNS[template_id]
    except KeyError:
        raise UnknownNameError(Message("synthetic template"), template_id, tuple(DESIGNS)) from None


