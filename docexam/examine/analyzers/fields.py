"""Data fields: is every printed value where, how large and in which typeface the issuer prints it?

* **Geometry** (templates whose field font is known, the shipped ones):
  every value sits on one baseline at a known size
  (``template.extra["fonts"]``); a value off that baseline, or taller than
  the genuine size, was added later. Measured relative to the document's
  other fields, so a small registration offset does not matter. A trainer's
  template (the font unknown): each value's character height against the
  same field's genuine height, learned from the reference (:func:`field_size`).
* **Typography** (every template): the issuer prints every field on one
  printer in one typeface, size and ink; a field retyped by a forger
  differs from the other fields of the same document in some of the
  quantities of :mod:`docexam.examine.typography` (capital height, stroke
  width and contrast, glyph widths and their spread, spacing, ink colour),
  whatever the fonts are. How much genuine fields differ among themselves
  is learned from the reference's own fields (a trainer's template) or from
  the issuer's font typeset in the fields (a shipped template).
* **Agreement with the MRZ**: the printed values of the fields the MRZ
  protects are compared with the MRZ's values typeset in the field font
  (:func:`viz_agreement`, used by :mod:`.mrz_check`).
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ...paths import font_path
from ..compare import warp_crop
from ..model import luminance, to_float
from ...i18n import Message
from ..report import Evidence, Note
from ..simulate import genuine_capture
from ..typography import (FEATURE_FLOORS, GLYPH_FLOOR_COUNT, GlyphBank, deviations, glyphs_of, ink_components,
                          ink_coverage, measure)
from .common import Context, zone_label as _label

__all__ = ["render_field", "field_geometry", "viz_texts", "viz_agreement", "field_typography", "analyze_fields",
           "has_field_font", "glyph_bank", "field_size"]

FAMILY = "personalization"
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
#: a field's typography is out of line when one of its features is this many spreads from the other fields'
TYPOGRAPHY_Z = 3.0
TYPOGRAPHY_WIDTH = 0.5
#: genuine fields stray at most this many floors from the others (beyond it, the floor is learned wider)
FLOOR_Z = 2.5
MAX_FLOOR_FACTOR = 5.0
#: simulated genuine captures of a trainer's reference measured to learn the typography's spread
TYPOGRAPHY_CAPTURES = 6
#: a trainer's template: a field is out of line when it is this many of its own genuine spreads from where it
#: genuinely stands among the others; its spread is at least the default floor and at least its worst deviation
#: over the reference and its simulated captures divided by FIELD_SPREAD_Z. Measured on genuine captures of the
#: seven real specimens (benchmarks/real_specimens.py, seeds 5, 11 and 23): at most 4.4; fields retyped by the
#: independent generator (seed 5): 6.5 to 16 where caught, about 2 on the three it misses
FIELD_TYPOGRAPHY_Z = 6.0
FIELD_SPREAD_Z = 2.0
#: a trainer's template: a field is judged only when its text was measured in at least this share of the genuine sets
FIELD_MEASURED_SHARE = 0.5
#: a capture's field whose characters measure more than this much smaller (relative capital height) than in the
#: genuine sets is not judged: a label's small print was taken for them (a blurred phone photo). Larger is judged:
#: a value retyped larger is what the typography is for
FIELD_CAP_TOLERANCE = 0.35
#: a trainer's template: a field's characters are of another size when their height (the median glyph height,
#: template px) departs from its genuine height by more than this (log ratio), or than CAP_PIXELS at its height, or
#: than its own genuine sets stray (:func:`field_standing`), whichever is largest. Measured (benchmarks/
#: real_specimens.py, seed 5): genuine fields of the seven specimens' genuine captures and of the fields not
#: forged, at most 0.14 (a 10 px field measured 11.5 on a phone photo); values retyped 25 per cent smaller, 0.29
#: and 0.32
CAP_TOLERANCE = 0.2
#: heights are whole pixels (a median of component heights): a pixel and a half either way is rounding and blur
CAP_PIXELS = 1.5
#: a trainer's template: a field whose capitals are shorter than this in the genuine sets (template pixels) is judged
#: by its height only (:func:`field_size`): a typeface's traits (serifs, stroke contrast) are a pixel or less there,
#: and a capture's blur decides the glyphs' shapes (the Finnish and Lithuanian specimens' 7-pixel nationality lines)
FIELD_MIN_CAP_PX = 8.0
#: a sample text typeset in a field smaller than this share of the sample's median capital height was shrunk to
#: fit (a long sample in a sex field): it does not count towards the genuine spread (a genuine value fits)
SHRUNK_SAMPLE = 0.7
#: blur (template px) of the issuer's font typeset for a shipped template
SAMPLE_BLURS = (0.0, 1.5, 3.0)
#: text typeset in the issuer's font to learn how genuine fields differ (shipped templates)
SAMPLE_TEXTS = ("INTHAVONG", "26 NOV 2031", "UG5504980", "MARIA ELENA", "LAKESHORE", "M", "13 MAY 1987",
                "MINISTRY OF INTERIOR", "UTOPIAN", "P", "OUDOM KHEANG")

@functools.lru_cache(maxsize=16)
def _font(name: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), px)


def _field_font(template):
    fonts = template.extra.get("fonts") or {}
    name, px = fonts.get("field"), fonts.get("field_px")
    base = fonts.get("field_baseline_from_bottom_px")
    if not name or not px or base is None:
        return None
    try:
        return _font(name, int(px)), int(px), int(base), name
    except OSError:
        return None


def render_field(template, zone, text: str) -> np.ndarray | None:
    """Coverage of ``text`` as the issuer prints it in ``zone`` (None when the font is unknown)."""
    spec = _field_font(template)
    if spec is None:
        return None
    _, px, base, name = spec
    x0, y0, x1, y1 = zone.bbox
    size = px
    while size > 8 and _font(name, size).getlength(text) > (x1 - x0 - 8):
        size -= 2
    canvas = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(canvas).text((2, (y1 - y0) - base), text, font=_font(name, size), fill=255, anchor="ls")
    return np.asarray(canvas, np.float32) / 255.0


def _ink_darkness(ctx: Context, zone) -> np.ndarray:
    """Full-resolution ink coverage estimate in a zone (0 = no ink).

    On a blank reference, 1 - image / reference: the design under the text
    divides out exactly. A real specimen's reference holds its own holder's
    text, so there the text is measured against its own local background
    (:func:`docexam.examine.typography.ink_coverage`).
    """
    key = ("ink", zone.name)
    if key in ctx.cache:
        return ctx.cache[key]
    img = luminance(_field_rgb(ctx, zone))
    if not ctx.model.blank_personalization:
        dark = ink_coverage(img, cap_px=0.6 * (zone.bbox[3] - zone.bbox[1]))
        ctx.cache[key] = dark
        return dark
    ratio = img * _inverse_reference(ctx, zone)
    # lighting: the ratio of the zone's bright majority (a sparse sample is plenty)
    level = float(np.percentile(ratio[::2, ::2], 70))
    dark = np.clip(1.0 - ratio / max(level, 1e-3), 0, 1)
    ctx.cache[key] = dark
    return dark


def _field_rgb(ctx: Context, zone) -> np.ndarray:
    """The zone's full-resolution crop of the capture, float RGB (warped once per document and zone)."""
    key = ("rgb", zone.name)
    if key not in ctx.cache:
        ctx.cache[key] = to_float(ctx.crop(zone.bbox))
    return ctx.cache[key]


def _paper_level(rgb: np.ndarray) -> np.ndarray:
    """The paper's colour of a crop: the 70th percentile per channel, on every third pixel (plenty, and cheap)."""
    sample = rgb[::3, ::3].reshape(-1, 3)
    k = int(0.7 * (len(sample) - 1))
    return np.partition(sample, k, axis=0)[k]


def _inverse_reference(ctx: Context, zone) -> np.ndarray:
    """1 / full-resolution reference luminance of a zone at the capture's blur (cached per template and blur)."""
    # to a tenth of a pixel: the blurred references are cached per template and blur
    s = round(ctx.maps.sigma / max(ctx.model.scale, 1e-6), 1)

    def build():
        x0, y0, x1, y1 = zone.bbox
        ref = luminance(to_float(ctx.model.full["visible"][y0:y1, x0:x1]))
        if s > 0.3:
            ref = cv2.GaussianBlur(ref, (0, 0), s)
        return 1.0 / np.maximum(ref, 0.05)

    return ctx.model.cached(("inv-ref", zone.name, round(s, 3)), build)


def _components(ctx: Context, zone):
    """:func:`~docexam.examine.typography.ink_components` of a zone's ink (once per document and zone)."""
    key = ("components", zone.name)
    if key not in ctx.cache:
        ctx.cache[key] = ink_components(_ink_darkness(ctx, zone))
    return ctx.cache[key]


def _glyph_lines(dark: np.ndarray, components=None) -> tuple[float, float, float, float] | None:
    """(baseline, cap top, left, right) of printed text from its characters' outlines.

    Each character is a connected blob of ink; the baseline is the *median*
    bottom of the character-sized blobs, so a descender (J, Q) or a speck does
    not move it, and the cap top is their median top. ``components`` is
    :func:`~docexam.examine.typography.ink_components` of ``dark`` when known.
    """
    comps = ink_components(dark) if components is None else components
    if comps is None:
        return None
    st = comps[2][1:]
    if not len(st):
        return None
    hmax = float(st[:, cv2.CC_STAT_HEIGHT].max())
    keep = st[(st[:, cv2.CC_STAT_HEIGHT] >= 0.6 * hmax) & (st[:, cv2.CC_STAT_AREA] >= 12)]
    if len(keep) == 0:
        return None
    bottoms = keep[:, cv2.CC_STAT_TOP] + keep[:, cv2.CC_STAT_HEIGHT]
    tops = keep[:, cv2.CC_STAT_TOP]
    left = float(keep[:, cv2.CC_STAT_LEFT].min())
    right = float((keep[:, cv2.CC_STAT_LEFT] + keep[:, cv2.CC_STAT_WIDTH]).max())
    return float(np.median(bottoms)), float(np.median(tops)), left, right


def field_geometry(ctx: Context, zone) -> dict | None:
    """Measured baseline and cap height of a field's printed value vs. the genuine print (template px)."""
    spec = _field_font(ctx.template)
    dark = _ink_darkness(ctx, zone)
    h, w = dark.shape
    g = _glyph_lines(dark, _components(ctx, zone))
    if g is None:
        return None
    bottom, top, left, right = g
    out = {"top": top, "bottom": bottom, "left": left, "right": right, "width": w}
    if spec is not None:
        # the genuine print's lines: once per template
        ref = ctx.model.cached(("glyph-lines", zone.name),
                               lambda: _glyph_lines(render_field(ctx.template, zone, "H0")))
        if ref is not None:
            out["bottom_expected"] = ref[0]
            out["cap_expected"] = ref[0] - ref[1]
    return out


def viz_texts(parsed, template) -> dict:
    """Field zone name -> text the MRZ says should be printed there (protected fields only)."""
    f = parsed.fields
    out = {}

    def date(yymmdd: str, future: bool) -> list[str]:
        try:
            yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
            texts = []
            for century in (1900, 2000):
                d = _dt.date(century + yy, mm, dd)
                texts.append(f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}")
            return texts
        except (ValueError, IndexError):
            return []

    for z in template.zones_of("field"):
        hf = z.extra.get("holder_field")
        if hf == "document_number" and f.get("document_number"):
            n = f["document_number"]
            # OCR-B's O and 0 are near twins and both are allowed in a document
            # number: compare the printed field with either reading
            out[z.name] = list(dict.fromkeys([n, n.replace("O", "0"), n.replace("0", "O")]))
        elif hf == "date_of_birth":
            out[z.name] = date(f.get("date_of_birth", ""), False)
        elif hf == "date_of_expiry":
            out[z.name] = date(f.get("date_of_expiry", ""), True)
        elif hf == "surname" and f.get("surname"):
            out[z.name] = name_spellings(f["surname"])
    return {k: v for k, v in out.items() if v}


#: most printed spellings tried for one MRZ name (each of its fillers a space or a hyphen)
MAX_NAME_SPELLINGS = 16


def name_spellings(name: str, *, most: int = MAX_NAME_SPELLINGS) -> list[str]:
    """The printed names an MRZ name (its fillers read back as spaces) stands for.

    ICAO 9303 writes both a space and a hyphen of a name as a filler, so
    each gap may be either, independently: ``VAN DER BERG NOVAK`` is printed
    ``VAN DER BERG-NOVAK`` as well. Every mix is given while there are at
    most ``most``; past that only all spaces and all hyphens.

    >>> name_spellings("ROSSI PARK")
    ['ROSSI PARK', 'ROSSI-PARK']
    >>> len(name_spellings("VAN DER BERG NOVAK")), "VAN DER BERG-NOVAK" in name_spellings("VAN DER BERG NOVAK")
    (8, True)
    """
    words = name.split(" ")
    if 2 ** (len(words) - 1) > most:
        return list(dict.fromkeys([name, "-".join(words)]))
    out = []
    for seps in itertools.product(" -", repeat=len(words) - 1):
        out.append(words[0] + "".join(sep + w for sep, w in zip(seps, words[1:])))
    return out


def viz_agreement(ctx: Context, zone, texts: list[str]) -> float | None:
    """Best normalised correlation of the printed field with ``texts`` typeset in the field font."""
    dark = _ink_darkness(ctx, zone)
    best = None
    for text in texts:
        cov = render_field(ctx.template, zone, text)
        if cov is None:
            return None
        ys, xs = np.nonzero(cov > 0.2)
        if len(xs) == 0:
            continue
        pad = 14
        t = cov[max(ys.min() - 2, 0):ys.max() + 3, max(xs.min() - 2, 0):xs.max() + 3]
        s = ctx.maps.sigma / max(ctx.model.scale, 1e-6)
        if s > 0.3:
            t = cv2.GaussianBlur(t, (0, 0), s)
        oy, ox = max(ys.min() - 2, 0), max(xs.min() - 2, 0)
        a0, b0 = max(oy - pad, 0), max(ox - pad, 0)
        region = dark[a0:min(oy + t.shape[0] + pad, dark.shape[0]), b0:min(ox + t.shape[1] + pad, dark.shape[1])]
        if region.shape[0] < t.shape[0] or region.shape[1] < t.shape[1]:
            continue
        res = cv2.matchTemplate(region.astype(np.float32), t.astype(np.float32), cv2.TM_CCOEFF_NORMED)
        _, _, _, (bx, by) = cv2.minMaxLoc(res)
        seen = region[by:by + t.shape[0], bx:bx + t.shape[1]]
        # character by character: one wrong digit barely moves the whole field's correlation
        r = min(_glyph_agreements(t, seen), default=float(res.max()))
        best = r if best is None else max(best, r)
    return best


def _glyph_agreements(expected: np.ndarray, seen: np.ndarray) -> list[float]:
    """Normalised correlation per character (column runs of the expected text)."""
    cols = expected.max(axis=0) > 0.15
    out = []
    i, n = 0, len(cols)
    while i < n:
        if not cols[i]:
            i += 1
            continue
        j = i
        while j < n and cols[j]:
            j += 1
        if j - i >= 4:
            a = expected[:, max(i - 2, 0):j + 2].ravel()
            b = seen[:, max(i - 2, 0):j + 2].ravel()
            a = a - a.mean()
            b = b - b.mean()
            den = float(np.sqrt((a @ a) * (b @ b)))
            out.append(float(a @ b) / den if den > 1e-9 else 0.0)
        i = j
    return out


def has_field_font(template) -> bool:
    return _field_font(template) is not None


def _paper_normalised(ctx: Context, zone) -> np.ndarray:
    """The zone's full-resolution colour crop divided by its paper level (the light of the capture out)."""
    rgb = _field_rgb(ctx, zone)
    return rgb / np.maximum(_paper_level(rgb), 1e-3)


#: the characters of the issuer's font that make a shipped template's glyph bank
BANK_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def glyph_bank(model) -> GlyphBank:
    """The issuer's glyphs: its font typeset (shipped templates) or the reference's own fields (a trainer's)."""
    def build():
        t = model.template
        parts, widest = [], None
        if model.blank_personalization:
            zone = next(iter(t.zones_of("field")), None)
            spec = _field_font(t)
            if zone is not None and spec is not None:
                font, px, _, _ = spec
                for ch in BANK_CHARACTERS:
                    canvas = Image.new("L", (2 * px, 2 * px), 0)
                    ImageDraw.Draw(canvas).text((px // 2, int(1.5 * px)), ch, font=font, fill=255, anchor="ls")
                    parts.append(glyphs_of(np.asarray(canvas, np.float32) / 255.0))
                # the typeface's widest single character: a wider blob in a field is characters that touch
                widest = max((b[2] - b[0]) / max(b[3] - b[1], 1) for b in map(font.getbbox, BANK_CHARACTERS))
        else:
            for z in t.zones_of("field"):
                x0, y0, x1, y1 = z.bbox
                lum = luminance(to_float(model.full["visible"][y0:y1, x0:x1]))
                parts.append(glyphs_of(ink_coverage(lum, cap_px=0.6 * (y1 - y0))))
        parts = [p for p in parts if len(p)]
        return GlyphBank(np.concatenate(parts) if parts else np.zeros((0, 1), np.float32), widest=widest)

    return model.cached("glyph-bank", build)


def field_typography(ctx: Context) -> dict:
    """Field name -> :class:`~docexam.examine.typography.Typography` of the capture (None when too little text)."""
    if "typography" not in ctx.cache:
        bank = glyph_bank(ctx.model)
        ctx.cache["typography"] = {z.name: measure(_ink_darkness(ctx, z), _paper_normalised(ctx, z), bank=bank,
                                                   components=_components(ctx, z))
                                   for z in ctx.template.zones_of("field")}
    return ctx.cache["typography"]


def _genuine_field_sets(model):
    """Field typographies of genuine documents of the template, as captures show them.

    A trainer's template: its reference, and simulated genuine captures of
    it (:func:`docexam.examine.simulate.genuine_capture`: other resolutions,
    blur, noise, JPEG) warped back onto the template. A shipped template
    (blank fields): the issuer's font typeset in the fields, sharp and blurred.
    """
    t = model.template
    bank = glyph_bank(model)
    fields = t.zones_of("field")
    if model.blank_personalization:
        for k, blur in enumerate(SAMPLE_BLURS):
            out = {}
            for i, z in enumerate(fields):
                cov = render_field(t, z, SAMPLE_TEXTS[(i + k) % len(SAMPLE_TEXTS)])
                if cov is not None:
                    cov = cv2.GaussianBlur(cov, (0, 0), blur) if blur > 0 else cov
                    out[z.name] = measure(cov, np.repeat((1 - 0.9 * cov)[..., None], 3, axis=2), bank=bank)
            yield out
        return
    rng = np.random.default_rng([0, 0x7F])
    for k in range(TYPOGRAPHY_CAPTURES + 1):
        if k == 0:
            image, to_template = model.full["visible"], np.eye(3)
        else:
            image, hm = genuine_capture(model.full["visible"], rng, dpi=t.dpi)
            to_template = np.linalg.inv(hm)
        out = {}
        for z in fields:
            rgb = to_float(warp_crop(image, to_template, z.bbox))
            dark = ink_coverage(luminance(rgb), cap_px=0.6 * (z.bbox[3] - z.bbox[1]))
            out[z.name] = measure(dark, rgb / np.maximum(_paper_level(rgb), 1e-3), bank=bank)
        yield out


def _reference_floors(ctx: Context) -> dict:
    """How much genuine fields differ among themselves, per feature (learned; at least :data:`FEATURE_FLOORS`).

    Every set of :func:`_genuine_field_sets` is compared field by field
    with the default floors; where genuine fields stray further than
    :data:`FLOOR_Z` spreads, the floor is widened by as much (at most
    :data:`MAX_FLOOR_FACTOR` times).
    """
    model = ctx.model

    def build():
        worst = dict.fromkeys(FEATURE_FLOORS, 0.0)
        for fields in _genuine_field_sets(model):
            caps = [t.cap for t in fields.values() if t is not None]
            for name, d in deviations(fields, glyph_floor_count=GLYPH_FLOOR_COUNT).items():
                if fields[name].cap < SHRUNK_SAMPLE * float(np.median(caps)):
                    continue  # a sample text shrunk to fit a small field: no value a genuine one carries
                for key in worst:
                    worst[key] = max(worst[key], abs(d[key]))
        return {key: FEATURE_FLOORS[key] * float(np.clip(worst[key] / FLOOR_Z, 1.0, MAX_FLOOR_FACTOR))
                for key in FEATURE_FLOORS}

    return model.cached("typography-floors", build)


def field_standing(model) -> dict:
    """A trainer's template: field -> feature -> (offset, spread) of its genuine deviation from the other fields.

    An issuer's fields are not all alike (a nationality in two languages or
    in smaller type, an authority line in another size, a number in another
    ink), and small type suffers more from a capture's blur. The reference
    and simulated genuine captures of it (:func:`_genuine_field_sets`) show
    where each field genuinely stands against the others (the *offset*: the
    median of its deviations, at the default floors) and how far it strays
    from there (the *spread*: its worst straying over :data:`FIELD_SPREAD_Z`,
    at least 1). A capture's field is judged by how far it moved from its
    own standing, in its own spreads; a field measured in fewer than
    :data:`FIELD_MEASURED_SHARE` of the sets has no standing, one of ``small`` type only its height judged.
    Each field's standing also holds its genuine character height ``cap``
    and ``baseline`` (template px, medians over the sets), ``cap_stray``, the
    largest log ratio of a set's height to that median, and ``grown``, ``grown_stray`` alike.
    """
    def build():
        seen: dict = {}
        caps: dict = {}
        grown: dict = {}
        bottoms: dict = {}
        sets = 0
        for fields in _genuine_field_sets(model):
            sets += 1
            for name, d in deviations(fields).items():
                caps.setdefault(name, []).append(fields[name].cap)
                grown.setdefault(name, []).append(fields[name].grown_cap)
                bottoms.setdefault(name, []).append(fields[name].baseline)
                for key, v in d.items():
                    seen.setdefault(name, {}).setdefault(key, []).append(v)
        out = {}
        for name, feats in seen.items():
            if len(caps[name]) < FIELD_MEASURED_SHARE * sets:
                continue  # not judged: see FIELD_MEASURED_SHARE
            cap, tall = float(np.median(caps[name])), np.maximum(np.asarray(grown[name]), 1.0)
            out[name] = {"cap": cap, "baseline": float(np.median(bottoms[name])),
                         "cap_stray": float(np.max(np.abs(np.log(np.asarray(caps[name]) / cap)))),
                         "grown": float(np.median(tall)),
                         "grown_stray": float(np.max(np.abs(np.log(tall / np.median(tall))))),
                         "small": cap < FIELD_MIN_CAP_PX}
            for key, values in ({} if out[name]["small"] else feats).items():
                offset = float(np.median(values))
                worst = max(abs(v - offset) for v in values)
                out[name][key] = (offset, max(1.0, worst / FIELD_SPREAD_Z))
        return out

    return model.cached("typography-standing", build)


def _typography_deviations(ctx: Context) -> tuple[dict, float]:
    """(field -> feature -> deviation, the threshold it is judged by)."""
    typo = field_typography(ctx)
    if ctx.model.blank_personalization:
        return deviations(typo, floors=_reference_floors(ctx), glyph_floor_count=GLYPH_FLOOR_COUNT), TYPOGRAPHY_Z
    standing = field_standing(ctx.model)
    out = {}
    for name, z in deviations(typo).items():
        own = standing.get(name)
        if own is None or own["small"] or typo[name].cap < (1.0 - FIELD_CAP_TOLERANCE) * own["cap"]:
            continue
        out[name] = {key: (v - own.get(key, (0.0, 1.0))[0]) / own.get(key, (0.0, 1.0))[1] for key, v in z.items()}
    return out, FIELD_TYPOGRAPHY_Z


def _geometry_evidence(zone, value: float, *, off: float, cap: float, expected: float) -> Evidence:
    return Evidence(
        FAMILY, "data-alteration", zone.name, list(zone.bbox), value, 1.0, 0.2,
        Message("The {label} does not sit on the baseline of the other fields or has another character "
                "size (baseline off by {off:.0f} px, height {cap:.0f} px instead of {expected:.0f} px): "
                "it was changed after the document was issued.", label=_label(zone), off=off, cap=cap,
                expected=expected), check="field-geometry")


def _size_departure(height: float, genuine: float, stray: float) -> float:
    """How far a height is from the genuine one, in tolerances (see :func:`field_size`)."""
    tolerance = max(CAP_TOLERANCE, np.log1p(CAP_PIXELS / genuine), stray)
    return abs(float(np.log(height / genuine))) / tolerance


def field_size(ctx: Context) -> list:
    """A trainer's template: evidence of fields whose characters are of another size than the genuine field's.

    The issuer prints each field at one size; a value retyped by a forger
    who does not have the issuer's printer set-up comes out larger or
    smaller. Each field's character height is compared with its own genuine
    height (:func:`field_standing`), within :data:`CAP_TOLERANCE`, :data:`CAP_PIXELS`
    or its genuine sets' own straying, whichever is largest. Faint ink breaks
    glyphs apart, which only shortens them: a shorter value is judged by its
    glyphs grown too (:data:`~docexam.examine.typography.GROWN_SHARE`). One
    far shorter (:data:`FIELD_CAP_TOLERANCE`) is a label's print, not judged.
    """
    if ctx.model.blank_personalization:
        return []
    typo, standing = field_typography(ctx), field_standing(ctx.model)
    out = []
    for name, own in standing.items():
        t = typo.get(name)
        if t is None or t.cap < (1.0 - FIELD_CAP_TOLERANCE) * own["cap"]:
            continue
        value = _size_departure(t.cap, own["cap"], own["cap_stray"])
        if t.cap < own["cap"]:
            value = min(value, _size_departure(max(t.grown_cap, 1.0), own["grown"], own["grown_stray"]))
        out.append(_geometry_evidence(ctx.template.zone(name), value, off=abs(t.baseline - own["baseline"]),
                                      cap=t.cap, expected=own["cap"]))
    return out


def analyze_fields(ctx: Context):
    evidence, notes = [], []
    t = ctx.template
    # geometry: baseline and size against the genuine print and the other fields
    geo = {}
    for z in t.zones_of("field"):
        g = field_geometry(ctx, z) if has_field_font(t) else None
        if g is not None and "bottom_expected" in g:
            geo[z.name] = g
    if geo:
        shifts = {n: g["bottom"] - g["bottom_expected"] for n, g in geo.items()}
        ref_shift = float(np.median(list(shifts.values())))
        for n, g in geo.items():
            off = abs(shifts[n] - ref_shift)
            cap = g["bottom"] - g["top"]
            taller = cap - g["cap_expected"]
            # a genuine value is only ever shrunk to fit (long names): smaller is fine then
            fits_width = g["right"] > 0.9 * (g["width"] - 8)
            smaller = 0.0 if fits_width else max(g["cap_expected"] - cap, 0.0)
            value = max(off / 2.5, taller / 3.0, smaller / 3.5)
            evidence.append(_geometry_evidence(t.zone(n), value, off=off, cap=cap, expected=g["cap_expected"]))
    elif not has_field_font(t):
        evidence += field_size(ctx)

    # typography: each field against the document's other fields
    devs, threshold = _typography_deviations(ctx)
    if not devs and len(t.zones_of("field")) >= 3:
        notes.append(Note("field-typography", "inconclusive",
                          Message("Too few fields with legible text to compare their typography.")))
    for name, z in devs.items():
        key, value = max(z.items(), key=lambda kv: abs(kv[1]))
        zone = t.zone(name)
        what = {"glyph": Message("the shapes of its characters (typeface)"), "stroke": Message("stroke weight"),
                "colour": Message("ink colour"), "hue": Message("ink colour")}[key]
        evidence.append(Evidence(
            FAMILY, "data-alteration", name, list(zone.bbox), abs(value), threshold, TYPOGRAPHY_WIDTH,
            Message("The {label} is printed differently from the other fields of this document ({what}): it was "
                    "retyped in another typeface, size or ink after the document was issued.", label=_label(zone),
                    what=what), check="typography"))
    return evidence, notes
