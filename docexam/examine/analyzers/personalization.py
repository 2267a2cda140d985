"""Personalization: the holder's portrait, ghost image, data fields and MRZ.

Checks, and what genuine variation each one tolerates:

* **Portrait**: the pre-printed design (fine background lines, fibres,
  overprint) continues *through* a genuinely printed portrait, which is ink
  on the page; a pasted photograph covers it. The conformity gain
  (:mod:`docexam.examine.compare`, log domain, so the face itself does not
  bias it) is measured inside the portrait zone; any holder's face passes.
* **Ghost image**: the small ghost portrait must show the same face as the
  main portrait (coarse band-pass face signatures of both, after dividing out
  the design; :func:`docexam.synth.portrait.portrait_signature`), and must be
  there at all.
* **Fields**: every value is printed in the template's field font on one
  baseline at a known size (``template.extra["fonts"]``); a value sitting
  off that baseline, or taller than the genuine size, was added later.
  Measured at full resolution, relative to the document's other fields (so a
  small registration offset does not matter).
* **MRZ**: read at the template's known MRZ geometry with the OCR-B glyph
  models of :mod:`docexam.mrz`; every check digit must verify, and the
  protected data (document number, dates, surname) must agree with the printed
  fields, which are compared with the MRZ's values typeset in the field font.

For a trainer's template (a real specimen with another holder's data in its
reference), the portrait-design and field-background comparisons are
skipped with a note; ghost, MRZ and field geometry checks still run.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ...paths import font_path
from ..model import luminance, to_float
from ..report import Evidence, Note
from .common import Context, clip_box

FAMILY = "personalization"
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


# --------------------------------------------------------------------------
# portrait and ghost

def portrait_cover(ctx: Context):
    """(share of the portrait's design that is covered, box) for a blank-reference template."""
    z = ctx.template.zones_of("portrait")
    if not z:
        return None
    z = z[0]
    ys, xs = ctx.zone_slice(z.name)
    m = ctx.maps
    st = m.structure[ys, xs]
    if st.sum() < 50:
        return None
    g = m.gain[ys, xs]
    low = st & (g < 0.35)
    share = float(low.sum()) / float(st.sum())
    box = list(z.bbox)
    if low.sum() >= 20:
        sm = cv2.morphologyEx(low.astype(np.uint8), cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
        yy, xx = np.nonzero(sm if sm.sum() >= 20 else low)
        b = [int(np.percentile(xx, 1)) + xs.start, int(np.percentile(yy, 1)) + ys.start,
             int(np.percentile(xx, 99)) + 1 + xs.start, int(np.percentile(yy, 99)) + 1 + ys.start]
        box = clip_box(ctx.model.to_template(b), z.bbox)
    return z, share, box


def _design_ratio(ctx: Context, name: str) -> np.ndarray:
    """Working-resolution image / reference in a zone: the personalization print alone (1 = no ink)."""
    ys, xs = ctx.zone_slice(name)
    img = luminance(ctx.maps.image[ys, xs])
    if ctx.model.blank_personalization:
        ref = luminance(ctx.maps.ref_blurred[ys, xs])
        return np.clip(img / np.maximum(ref, 0.05), 0, 1.2)
    return np.clip(img, 0, 1)


def ghost_check(ctx: Context):
    """(ghost zone, likeness score, ink amount) or None."""
    from ...synth.portrait import portrait_signature, same_person_score

    p = ctx.template.zones_of("portrait")
    g = ctx.template.zones_of("ghost-portrait")
    if not p or not g:
        return None
    portrait = _design_ratio(ctx, p[0].name)
    ghost = _design_ratio(ctx, g[0].name)
    ink = float(np.mean(np.clip(1.0 - ghost, 0, 1)))
    score = same_person_score(portrait_signature(portrait), portrait_signature(ghost))
    return g[0], score, ink


# --------------------------------------------------------------------------
# fields

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
    """Full-resolution ink coverage estimate in a zone: 1 - image / reference (0 = no ink)."""
    key = ("ink", zone.name)
    if key in ctx.cache:
        return ctx.cache[key]
    img = luminance(to_float(ctx.crop(zone.bbox)))
    ratio = img * _inverse_reference(ctx, zone)
    # lighting: the ratio of the zone's bright majority (a sparse sample is plenty)
    level = float(np.percentile(ratio[::2, ::2], 70))
    dark = np.clip(1.0 - ratio / max(level, 1e-3), 0, 1)
    ctx.cache[key] = dark
    return dark


def _inverse_reference(ctx: Context, zone) -> np.ndarray:
    """1 / full-resolution reference luminance of a zone at the capture's blur (cached per template and blur)."""
    s = ctx.maps.sigma / max(ctx.model.scale, 1e-6)

    def build():
        x0, y0, x1, y1 = zone.bbox
        ref = luminance(to_float(ctx.model.full["visible"][y0:y1, x0:x1]))
        if s > 0.3:
            ref = cv2.GaussianBlur(ref, (0, 0), s)
        return 1.0 / np.maximum(ref, 0.05)

    return ctx.model.cached(("inv-ref", zone.name, round(s, 3)), build)


def _glyph_lines(dark: np.ndarray) -> tuple[float, float, float, float] | None:
    """(baseline, cap top, left, right) of printed text from its characters' outlines.

    Each character is a connected blob of ink; the baseline is the *median*
    bottom of the character-sized blobs, so a descender (J, Q) or a speck does
    not move it, and the cap top is their median top.
    """
    # the 99.7th percentile by selection (np.percentile sorts a copy of the whole crop)
    flat = dark.ravel()
    k = min(int(0.997 * (flat.size - 1) + 0.5), flat.size - 1)
    peak = float(np.partition(flat, k)[k])
    if peak < 0.2:
        return None
    ink = (dark > 0.5 * peak).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return None
    st = stats[1:]
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
    g = _glyph_lines(dark)
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


def _viz_texts(parsed, template) -> dict:
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
            out[z.name] = [f["surname"]]
    return {k: v for k, v in out.items() if v}


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


# --------------------------------------------------------------------------
# MRZ

def read_mrz_at_layout(image: np.ndarray, homography: np.ndarray, template):
    """Read the MRZ in the template's MRZ zone of a capture. Returns (parsed, quality), or None.

    ``image`` is the original capture and ``homography`` maps it to the
    template. Uses :func:`docexam.mrz.reader.read_mrz` on the zone's crop at
    about 300 dpi (its locating, grid fitting and OCR-B models are maintained
    there); its check-digit correction is conservative, so a genuinely
    changed character stays visible as a failing check. ``(None, 0.0)`` means
    the MRZ could not be read; None that the template has no MRZ of a known format.
    """
    from ...mrz.reader import read_mrz
    from ..compare import warp_crop

    zones = template.zones_of("mrz")
    if not zones or template.format not in ("TD1", "TD2", "TD3"):
        return None
    scale = 0.5 if template.dpi >= 500 else 1.0
    crop = warp_crop(image, homography, zones[0].bbox, scale=scale)
    reading = read_mrz(crop, formats=(template.format,), rotations=(0,))
    if not reading.found or reading.parsed is None:
        return None, 0.0
    return reading.parsed, float(reading.quality)


#: row holding the names, per format
_NAME_ROW = {"TD1": 2, "TD2": 0, "TD3": 0}


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
    row = _NAME_ROW.get(template.format)
    if row is None or row >= len(lines):
        return True
    names = lines[row][5:] if row == 0 else lines[row]
    return re.search(r"<<<+[A-Z0-9]", names) is None


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
}


def mrz_box(template, names: list[str]) -> list[int]:
    """Template box of the MRZ characters of the named checks (the whole zone when the layout is unknown)."""
    lay = template.extra.get("mrz_layout")
    if not lay:
        return list(template.zones_of("mrz")[0].bbox)
    ox, oy = lay["origin"]
    pitch, lp = float(lay["pitch_px"]), float(lay["line_pitch_px"])
    spans = []
    for n in names:
        spans += _CHECK_SPANS.get(template.format, {}).get(n, [])
    zb = template.zones_of("mrz")[0].bbox
    if not spans:
        return list(zb)
    x0 = min(ox + c0 * pitch for _, c0, _ in spans)
    x1 = max(ox + c1 * pitch for _, _, c1 in spans)
    y0 = min(oy + r * lp - 0.9 * pitch for r, _, _ in spans)
    y1 = max(oy + r * lp + 0.15 * pitch for r, _, _ in spans)
    return clip_box([int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))], zb)


# --------------------------------------------------------------------------

_UNREAD = object()


def analyze(ctx: Context, *, mrz_reading=_UNREAD):
    """Evidence and notes of the personalization checks.

    ``mrz_reading`` is :func:`read_mrz_at_layout`'s result when the pipeline
    has read the MRZ already (it runs alongside the page comparison); without
    it the MRZ is read here.
    """
    evidence, notes = [], []
    t = ctx.template
    blank = ctx.model.blank_personalization

    # portrait covered by a pasted photo
    if blank:
        pc = portrait_cover(ctx)
        if pc is not None:
            z, share, box = pc
            evidence.append(Evidence(
                FAMILY, "photo-substitution", z.name, box, share, 0.35, 0.07,
                "The security background that is printed through a genuine portrait stops at the edge of this "
                "photo: a different photograph was pasted over the original (look for its cut edge).",
                check="portrait-overprint"))
    elif t.zones_of("portrait"):
        notes.append(Note("portrait-overprint", "skipped",
                          "This template's reference shows another holder's portrait, so the design under the "
                          "portrait cannot be compared."))

    gc = ghost_check(ctx)
    if gc is not None:
        gz, likeness, ink = gc
        if ink < 0.02:
            evidence.append(Evidence(FAMILY, "ghost-image-mismatch", gz.name, list(gz.bbox), 1.0 - ink / 0.02 + 0.6,
                                     0.5, 0.1, "The ghost portrait is missing: a genuine document repeats the "
                                     "holder's photo here as a faint secondary image.", check="ghost"))
        else:
            evidence.append(Evidence(FAMILY, "ghost-image-mismatch", gz.name, list(gz.bbox), 1.0 - likeness,
                                     0.6, 0.06, "The ghost portrait does not show the same face as the main "
                                     "portrait: one of the two images was replaced.", check="ghost"))

    # field geometry: baseline and size against the genuine print and the other fields
    geo = {}
    for z in t.zones_of("field"):
        g = field_geometry(ctx, z)
        if g is not None and "bottom_expected" in g:
            geo[z.name] = g
    if geo:
        shifts = {n: g["bottom"] - g["bottom_expected"] for n, g in geo.items()}
        ref_shift = float(np.median(list(shifts.values())))
        for n, g in geo.items():
            z = t.zone(n)
            off = abs(shifts[n] - ref_shift)
            cap = g["bottom"] - g["top"]
            taller = cap - g["cap_expected"]
            # a genuine value is only ever shrunk to fit (long names): smaller is fine then
            fits_width = g["right"] > 0.9 * (g["width"] - 8)
            smaller = 0.0 if fits_width else max(g["cap_expected"] - cap, 0.0)
            value = max(off / 2.5, taller / 3.0, smaller / 3.5)
            label = (z.extra.get("label") or n.replace("-", " ")).lower()
            evidence.append(Evidence(
                FAMILY, "data-alteration", n, list(z.bbox), value, 1.0, 0.2,
                f"The {label} does not sit on the baseline of the other fields or has another character size "
                f"(baseline off by {off:.0f} px, height {cap:.0f} px instead of {g['cap_expected']:.0f} px): "
                "it was changed after the document was issued.", check="field-geometry"))
    elif t.zones_of("field"):
        notes.append(Note("field-font", "skipped",
                          "The field font of this template is unknown: field typography was not checked."))

    # MRZ
    read = read_mrz_at_layout(ctx.images["visible"], ctx.homography, t) if mrz_reading is _UNREAD else mrz_reading
    if read is None:
        if t.zones_of("mrz"):
            notes.append(Note("mrz", "skipped", "This template has no MRZ zone of a known format: the MRZ was not read."))
    else:
        fixed, quality = read
        if fixed is None or not reading_aligned(fixed, t):
            notes.append(Note("mrz", "inconclusive", "The MRZ could not be read reliably in this capture."))
        else:
            failing = [k for k, ok in fixed.checks.items() if not ok]
            if failing:
                named = [k for k in failing if k != "composite"] or failing
                evidence.append(Evidence(
                    FAMILY, "mrz-inconsistency", t.zones_of("mrz")[0].name, mrz_box(t, named),
                    0.6 + 0.1 * len(failing), 0.5, 0.05,
                    "A check digit of the machine-readable zone does not match its data ("
                    + ", ".join(k.replace("_", " ") for k in failing) + "): characters of the MRZ were changed.",
                    check="mrz-check-digits"))
            elif _field_font(t) is not None:
                # the protected data must agree with the printed fields
                worst = None
                names_ok = names_readable(fixed, t)
                for name, texts in _viz_texts(fixed, t).items():
                    hf = t.zone(name).extra.get("holder_field", "")
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
                        f"The {label} in the machine-readable zone does not match the printed {label}, although "
                        "its check digits are correct: the MRZ was re-made with other data.",
                        check=f"mrz-vs-fields:{name}"))
            else:
                notes.append(Note("mrz-vs-fields", "skipped", "The field font of this template is unknown: "
                                  "the MRZ was not compared with the printed fields."))
    return evidence, notes
