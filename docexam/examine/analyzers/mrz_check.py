"""The machine-readable zone: read where the template says it is, check digits, agreement with the fields.

The MRZ is read at the template's MRZ zone of the original capture with
the OCR-B glyph models of :mod:`docexam.mrz` (at about 10 pixels per
millimetre, from the capture's own resolution where it has more); every
check digit must verify. What ``docexam template add`` found about a
trainer's template's MRZ is what the examination does: a template whose
MRZ could not be read when it was added has no ``mrz_layout`` and its MRZ
is not read (a note says so).
"""

from __future__ import annotations

import re

import numpy as np

from ...mrz.reader import read_mrz
from ...mrz.text import parse
from ..compare import capture_scale, warp_crop
from ...i18n import Message
from ..report import Evidence, Note
from .common import Context, clip_box

__all__ = ["read_mrz_at_layout", "reading_aligned", "names_readable", "names_truncated", "mrz_box", "mrz_expected", "analyze_mrz"]

FAMILY = "personalization"
#: MRZ characters are read at this many pixels per character pitch (2.54 mm)
READ_PITCH_PX = 30.0
#: a character whose fit to this document's other prints of it (:attr:`MRZReading.glyph_fit`) falls this
#: far below the MRZ's median fit is printed in another typeface (one printer and one OCR-B font make a
#: whole genuine MRZ: its worst character in genuine captures of real passports and of docexam's
#: renders, at most 0.14; a digit printed again in DejaVu Sans Mono on ICAO's specimen, 0.25)
GLYPH_MISFIT = 0.2
#: ... and how fast the score rises past it
GLYPH_MISFIT_WIDTH = 0.02
#: fewest characters judged (ones printed four times or more) for the check to mean something
GLYPH_MIN_JUDGED = 12
#: a character whose fit to the OCR-B glyph of what it reads as (:attr:`MRZReading.font_fit`) falls this far
#: below the MRZ's median fit is printed in another typeface, whatever it reads as (a rare character, or a
#: forged digit the reader took for a letter). Genuine captures of the seven real specimens
#: (benchmarks/real_specimens.py, seeds 5 and 11): at most 0.14; digits written in by the independent generator
#: and read as another character: 0.3 to 0.7
FONT_MISFIT = 0.25


def mrz_expected(template) -> bool:
    """Whether the examination reads this template's MRZ (a trainer's template: when its MRZ was read when added)."""
    return bool(template.zones_of("mrz")) and (template.synthetic or bool(template.extra.get("mrz_layout")))


def crop_scale(template, homography) -> float:
    """Scale of the MRZ crop (per template pixel): about :data:`READ_PITCH_PX` per character, never finer than the capture."""
    pitch = template.dpi / 10.0  # OCR-B at ten characters per inch
    want = READ_PITCH_PX / max(pitch, 1e-6)
    have = capture_scale(homography, template.size_px)
    return float(np.clip(want, 0.25, max(1.0, have)))


def read_mrz_at_layout(image: np.ndarray, homography: np.ndarray, template):
    """Read the MRZ in the template's MRZ zone of a capture: the :class:`~docexam.mrz.reader.MRZReading`, or None.

    ``image`` is the original capture and ``homography`` maps it to the
    template. Uses :func:`docexam.mrz.reader.read_mrz` on the zone's crop at
    about 300 dpi (its locating, grid fitting and OCR-B models are maintained
    there). The reading keeps what is printed (``printed_lines``) beside the
    check-digit-corrected ``lines``, so a changed character stays visible as
    a failing check whatever correction the reader suggests. A reading with
    ``found`` False means the MRZ could not be read; None that the template
    has no MRZ of a known format, or that ``docexam template add`` could not
    read the MRZ of the template's reference (and said so): then the
    examination does not read it either.
    """
    zones = template.zones_of("mrz")
    if not zones or mrz_format(template) not in _CHECK_SPANS or not mrz_expected(template):
        return None
    scale = crop_scale(template, homography)
    crop = warp_crop(image, homography, zones[0].bbox, scale=scale)
    # the crop is in the template's geometry, where the MRZ reads left to right (a trainer's template keeps a
    # layout only when the MRZ read upright there): its direction need not be probed
    return read_mrz(crop, formats=(mrz_format(template),), rotations=(0,), upright=True)


#: row holding the names, per format
_NAME_ROW = {"TD1": 2, "TD2": 0, "TD3": 0, "MRV-A": 0, "MRV-B": 0}


def reading_aligned(parsed, template) -> bool:
    """False when a reading cannot sit on the template's MRZ grid (a character dropped or added at the start).

    The issuing state is printed at the same place on every document of a
    template; a forger changes the data, not this. A reading with the state
    out of place slid along its line and says nothing about the document.
    """
    lines = list(getattr(parsed, "lines", None) or [])
    if not lines:
        return False
    state = template.extra.get("issuing_state")
    return not state or lines[0][2:5] == str(state)[:3].ljust(3, "<")


def names_readable(parsed, template) -> bool:
    """False when the names field holds letters after a run of fillers (misread fillers or a slid line).

    Names end in fillers only; the names have no check digit, so such a
    reading cannot be compared with the printed surname (the check digits of
    the other fields still count).
    """
    lines = list(getattr(parsed, "lines", None) or [])
    row = _NAME_ROW.get(mrz_format(template))
    if row is None or row >= len(lines):
        return True
    names = lines[row][5:] if row == 0 else lines[row]
    return re.search(r"<<<+[A-Z0-9]", names) is None


def names_truncated(parsed, template) -> bool:
    """True when the names fill the MRZ's names field to its last character, so they may be cut short there.

    ICAO 9303 truncates names that do not fit; a field that ends in a letter
    rather than a filler may hold a shortened surname, which then differs
    from the printed one on a genuine document.

    >>> from docexam.mrz.text import parse
    >>> from docexam.specimens.registry import find_template
    >>> td1 = find_template("mrd-td1")
    >>> names_truncated(parse(["IDMRDCT490067897217078002005<<", "0405203F3009303MRD<<<<<<<<<<<3",
    ...                        "CHAROENINTHASAWAT<NA<NAKHON<PH"]), td1)
    True
    >>> names_truncated(parse(["IDMRDCT490067897217078002005<<", "0405203F3009303MRD<<<<<<<<<<<3",
    ...                        "SOK<<DARA<<<<<<<<<<<<<<<<<<<<<"]), td1)
    False
    """
    lines = list(getattr(parsed, "lines", None) or [])
    row = _NAME_ROW.get(mrz_format(template))
    if row is None or row >= len(lines) or not lines[row]:
        return False
    return lines[row][-1] != "<"


def _span_confident(parsed, template, field: str) -> bool:
    """True when the MRZ reading of ``field`` can be trusted for a comparison (its check digit verifies)."""
    key = {"surname": None}.get(field, field)
    return key is None or bool(parsed.checks.get(key, False))


#: MRZ character spans (row, first col, last col exclusive) of each check, per format
_CHECK_SPANS = {
    "TD3": {"document_number": [(1, 0, 10)], "date_of_birth": [(1, 13, 20)], "date_of_expiry": [(1, 21, 28)],
            "optional": [(1, 28, 43)], "composite": [(1, 0, 44)], "surname": [(0, 5, 44)]},
    "TD1": {"document_number": [(0, 5, 15)], "date_of_birth": [(1, 0, 7)], "date_of_expiry": [(1, 8, 15)],
            "composite": [(0, 5, 30), (1, 0, 30)], "surname": [(2, 0, 30)]},
    "TD2": {"document_number": [(1, 0, 10)], "date_of_birth": [(1, 13, 20)], "date_of_expiry": [(1, 21, 28)],
            "composite": [(1, 0, 36)], "surname": [(0, 5, 36)]},
    "MRV-A": {"document_number": [(1, 0, 10)], "date_of_birth": [(1, 13, 20)], "date_of_expiry": [(1, 21, 28)],
              "surname": [(0, 5, 44)]},
}


def mrz_format(template) -> str:
    """The format of the template's MRZ: its own when given (a visa sticker's MRV-A on a TD3-size page)."""
    return str(template.extra.get("mrz_format") or template.format)


def mrz_box(template, names: list[str]) -> list[int]:
    """Template box of the MRZ characters of the named checks (the whole zone when the layout is unknown)."""
    lay = template.extra.get("mrz_layout")
    if not lay:
        return list(template.zones_of("mrz")[0].bbox)
    ox, oy = lay["origin"]
    pitch, lp = float(lay["pitch_px"]), float(lay["line_pitch_px"])
    spans = []
    for n in names:
        spans += _CHECK_SPANS.get(mrz_format(template), {}).get(n, [])
    zb = template.zones_of("mrz")[0].bbox
    if not spans:
        return list(zb)
    x0 = min(ox + c0 * pitch for _, c0, _ in spans)
    x1 = max(ox + c1 * pitch for _, _, c1 in spans)
    y0 = min(oy + r * lp - 0.9 * pitch for r, _, _ in spans)
    y1 = max(oy + r * lp + 0.15 * pitch for r, _, _ in spans)
    return clip_box([int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))], zb)


#: date fields and their first characters (row, column) per format
_DATES = {"TD3": {"date_of_birth": (1, 13), "date_of_expiry": (1, 21)},
          "TD2": {"date_of_birth": (1, 13), "date_of_expiry": (1, 21)},
          "TD1": {"date_of_birth": (1, 0), "date_of_expiry": (1, 8)}}


def impossible_dates(lines, raw, fmt: str, *, digits=None) -> list[str]:
    """Date fields whose printed month or day tens digit cannot be (read as another digit only by the field rules).

    The reader's field alphabets read a month's first digit as 0 or 1 and a
    day's as 0 to 3; a clearly printed digit outside them (what ``raw``, the
    best glyph at each position, says) is a changed date that the rules
    would otherwise quietly repair. Where the best glyph is a letter (a
    digit printed in another typeface can look more like a ``B`` than like
    OCR-B's ``9``), the best digit there (``digits``, when given) is what
    is printed: a date holds digits only.
    """
    out = []
    for name, (row, col) in _DATES.get(fmt, {}).items():
        if row >= len(raw) or row >= len(lines) or col + 6 > len(raw[row]):
            continue
        for offset, allowed in ((2, "01"), (4, "0123")):
            printed, read = raw[row][col + offset], lines[row][col + offset]
            if not printed.isdigit() and digits and row < len(digits) and col + offset < len(digits[row]):
                printed = digits[row][col + offset]
            if printed.isdigit() and printed not in allowed and printed != read:
                out.append(name)
                break
    return out


def glyph_box(template, row: int, col: int) -> list[int]:
    """Template box of one MRZ character cell (the whole zone when the layout is unknown)."""
    lay = template.extra.get("mrz_layout")
    zb = template.zones_of("mrz")[0].bbox
    if not lay:
        return list(zb)
    ox, oy = lay["origin"]
    pitch, lp = float(lay["pitch_px"]), float(lay["line_pitch_px"])
    x0, y0 = ox + col * pitch, oy + row * lp - 1.1 * pitch
    return clip_box([int(x0), int(y0), int(np.ceil(x0 + pitch)), int(np.ceil(oy + row * lp + 0.2 * pitch))], zb)


def _misfit_glyphs(read, template) -> list:
    """Evidence for the MRZ character that fits this document's own glyphs worst, when it is far off the rest.

    Every character of a genuine MRZ comes from one printer and one OCR-B
    font, so each fits the document's other prints of its character about
    as well as the others do (:attr:`MRZReading.glyph_fit`); a character written
    in afterwards in another typeface does not, whether or not its check
    digit happens to verify.
    """
    fits = [np.asarray(f, np.float32) for f in read.glyph_fit]
    if not fits or not all(len(f) for f in fits):
        return []
    every = np.concatenate(fits)
    if np.count_nonzero(np.isfinite(every)) < GLYPH_MIN_JUDGED:
        return []
    worst = int(np.nanargmin(every))
    return [_other_typeface(template, worst, len(fits[0]), float(np.nanmedian(every) - every[worst]), GLYPH_MISFIT)]


def _other_typeface(template, index: int, width: int, drop: float, threshold: float) -> Evidence:
    """The evidence that MRZ character ``index`` (lines of ``width`` read one after the other) is in another typeface."""
    row, col = divmod(index, width)
    return Evidence(
        FAMILY, "mrz-inconsistency", template.zones_of("mrz")[0].name, glyph_box(template, row, col),
        drop, threshold, GLYPH_MISFIT_WIDTH,
        Message("A character of the machine-readable zone (line {line}, position {position}) is printed in another "
                "typeface than the rest of the MRZ: it was written in after the document was issued.",
                line=row + 1, position=col + 1),
        check="mrz-glyphs")


def _off_font_glyphs(read, template) -> list:
    """Evidence for the MRZ character that fits the OCR-B glyph of what it reads as worst, when far off the rest.

    :func:`_misfit_glyphs` judges characters printed often enough to be
    compared with their siblings; this judges every character against the
    font itself: a genuine MRZ is OCR-B from one printer throughout, so each
    character fits its OCR-B glyph about as well as the others. One written
    in later in another typeface fits worse, even where the reader, forced
    by the field's alphabet, took it for another character (a ``5`` read as
    ``U``, whose check-digit weight happens to be the same).
    """
    fits = [np.asarray(f, np.float32) for f in (getattr(read, "font_fit", None) or [])]
    if not fits or not all(len(f) for f in fits):
        return []
    every = np.concatenate(fits)
    if len(every) < GLYPH_MIN_JUDGED:
        return []
    worst = int(np.argmin(every))
    return [_other_typeface(template, worst, len(fits[0]), float(np.median(every) - every[worst]), FONT_MISFIT)]


def analyze_mrz(ctx: Context, read, *, field_font: bool, viz_texts, viz_agreement):
    """Evidence and notes about the MRZ, from ``read`` (:func:`read_mrz_at_layout`'s result).

    ``viz_texts`` and ``viz_agreement`` compare the printed fields with the
    MRZ's values when the template's field font is known (``field_font``).
    """
    evidence, notes = [], []
    t = ctx.template
    if read is None:
        if t.zones_of("mrz") and not mrz_expected(t):
            notes.append(Note("mrz", "skipped", Message("The MRZ of this template's reference could not be read "
                                                        "when the template was added, so the MRZ was not read.")))
        elif t.zones_of("mrz"):
            notes.append(Note("mrz", "skipped",
                              Message("This template has no MRZ zone of a known format: the MRZ was not read.")))
        return evidence, notes
    fixed = read.parsed if read.found else None
    if fixed is None or not reading_aligned(fixed, t):
        notes.append(Note("mrz", "inconclusive", Message("The MRZ could not be read reliably in this capture.")))
        return evidence, notes
    zone = t.zones_of("mrz")[0].name
    evidence += _misfit_glyphs(read, t) + _off_font_glyphs(read, t)
    # graded validation: the check digits of what is printed, not of the reader's suggested correction
    printed = parse(read.printed_lines, fmt=read.format) if read.printed_lines else fixed
    failing = [k for k, ok in printed.checks.items() if not ok]
    impossible = impossible_dates(fixed.lines, read.raw_lines, t.format, digits=getattr(read, "digit_lines", None))
    if impossible and not failing:
        evidence.append(Evidence(
            FAMILY, "mrz-inconsistency", zone, mrz_box(t, impossible), 0.75, 0.5, 0.05,
            Message("A date of the machine-readable zone is printed with an impossible month or day ({fields}): "
                    "a digit of the MRZ was changed.", fields=", ".join(k.replace("_", " ") for k in impossible)),
            check="mrz-check-digits"))
        return evidence, notes
    if failing:
        named = [k for k in failing if k != "composite"] or failing
        evidence.append(Evidence(
            FAMILY, "mrz-inconsistency", zone, mrz_box(t, named),
            0.6 + 0.1 * len(failing), 0.5, 0.05,
            Message("A check digit of the machine-readable zone does not match its data ({fields}): characters "
                    "of the MRZ were changed.", fields=", ".join(k.replace("_", " ") for k in failing)),
            check="mrz-check-digits"))
        return evidence, notes
    if not field_font:
        notes.append(Note("mrz-vs-fields", "skipped", Message("The field font of this template is unknown: the "
                                                              "MRZ was not compared with the printed fields.")))
        return evidence, notes
    # the protected data must agree with the printed fields
    worst = None
    names_ok = names_readable(fixed, t)
    cut = names_truncated(fixed, t)
    for name, texts in viz_texts(fixed, t).items():
        hf = t.zone(name).extra.get("holder_field", "")
        if hf == "surname" and cut and names_ok:
            notes.append(Note("mrz-vs-fields", "skipped", Message(
                "The names fill the machine-readable zone to its last character, so they may be cut short there "
                "(as ICAO 9303 shortens long names): the surname was not compared with the printed one.")))
            continue
        if not _span_confident(fixed, t, hf) or (hf == "surname" and not names_ok):
            continue  # an unsure MRZ reading proves nothing about the field
        r = viz_agreement(ctx, t.zone(name), texts)
        if r is not None and (worst is None or r < worst[1]):
            worst = (name, r)
    if worst is not None:
        name, r = worst
        hf = t.zone(name).extra.get("holder_field", name)
        label = (t.zone(name).extra.get("label") or name).lower()
        evidence.append(Evidence(
            FAMILY, "mrz-inconsistency", t.zones_of("mrz")[0].name, mrz_box(t, [hf]),
            1.0 - r, 0.25, 0.05,
            Message("The {field} in the machine-readable zone does not match the printed {field}, although its "
                    "check digits are correct: the MRZ was re-made with other data.", field=label),
            check=f"mrz-vs-fields:{name}"))
    return evidence, notes
