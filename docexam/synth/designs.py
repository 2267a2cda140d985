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
    format: str  # TD1 | TD3
    document_code: str  # "P" passport, "ID" identity card
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

_UTO_PLACES = ("PORT UTOPIA", "NEW HARBOUR", "AMAUROT", "RIVERSIDE", "EAST HILLS", "LAKESHORE",
               "SAINT ANDRA", "NORTH BAY")
_MRD_PLACES = ("MERIDIA CITY", "SOLVANO", "KERAT", "PRAVIA", "LOWER DELTA", "MONT AUREL",
               "ISLA MAREN", "TORVEN")


def _td3(template_id, state_code, state_name, demonym, palette, places, authority, micro) -> Design:
    fields = _td3_fields()
    return Design(
        template_id=template_id,
        name=f"{state_name.title()} passport data page (specimen)",
        state_code=state_code, state_name=state_name, demonym=demonym, format="TD3",
        document_code="P", title="PASSPORT", size_mm=(125.0, 88.0), substrate="paper",
        palette=palette, fields=fields, zones_mm=_td3_zones(fields),
        sides_mm=((0.0, 0.0, 125.0, 88.0),),
        rosettes={"rosette": ((80.0, 42.0), 23.5)},
        microprint_text=micro, authority=authority, places=places, portrait_ink="dye",
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


DESIGNS: dict[str, Design] = {
    d.template_id: d
    for d in (
        _td3("uto-td3", "UTO", "UTOPIA", "UTOPIAN", UTOPIA, _UTO_PLACES, "MINISTRY OF INTERIOR",
             "UTOPIA"),
        _td1("mrd-td1", "MRD", "MERIDIA", "MERIDIAN", MERIDIA, _MRD_PLACES, "CIVIL REGISTRY",
             "MERIDIA"),
    )
}


def design(template_id: str) -> Design:
    from ..errors import UnknownNameError

    try:
        return DESIGNS[template_id]
    except KeyError:
        raise UnknownNameError("synthetic template", template_id, tuple(DESIGNS)) from None


