"""A second forgery generator, for evaluation only: forgeries docexam's own generator does not make.

Independent of :mod:`docexam.synth.forge` in code and in parameters: other
printing models (:mod:`forgery_physics`: screens at many rulings and angles,
Floyd-Steinberg dither, toner, low-resolution reprints), other shapes
(perturbed polygons, not the generator's blobs or rectangles), other fonts,
its own capture model (:mod:`independent_capture`). It takes a *genuine*
document image in template geometry (a docexam render, or a real specimen
registered as a template) and the template's zones, and forges it:

=======================  ================  ====================  ==========================================
technique                family            docexam technique     what
=======================  ================  ====================  ==========================================
halftone-page / -local   printing          halftone-reproduction CMY(K) clustered-dot screen, 85-200 lpi
inkjet-page / -local     printing          inkjet-reproduction   Floyd-Steinberg dither at 300-720 dpi
toner-page / -local      printing          halftone-reproduction laser: line or dot screen, toner scatter
lowres-page / -local     printing          (any)                 reprint of a 75-200 dpi copy
wash-field               substrate         erasure               solvent on a data field, entry rewritten
wash-design / abrasion   substrate         erasure               solvent or blade on the printed design
photo-swap               personalization   photo-substitution    another photograph glued over the portrait
retyped-field            personalization   data-alteration       a field washed and retyped in another font
mrz-digit-swap           personalization   mrz-inconsistency     one MRZ digit replaced, check digit kept
=======================  ================  ====================  ==========================================

``-local`` versions reprint an irregular patch of a security zone or of the
background between zones; ``-page`` versions the whole document. Severity
(0..1) moves every parameter from careful to careless.

Used by ``benchmarks/detection.py --generator independent`` and
``benchmarks/real_specimens.py``; the forged documents are written as
specimens (``NAME.png`` + ``NAME.json``, docs/formats.md) with
``"generator": "independent"`` and the generator's technique in the sidecar.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

import forgery_physics as fp

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"),
             Path(__file__).resolve().parents[1] / "docexam" / "fonts")
#: typefaces a forger has at hand, from near look-alikes of a sans-serif to clearly other designs
FORGER_FONTS = {
    "near": ("LiberationSans-Regular.ttf", "DejaVuSansCondensed.ttf", "LiberationSansNarrow-Regular.ttf"),
    "other": ("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf", "LiberationMono-Regular.ttf",
              "DejaVuSansMono.ttf", "DejaVuSerifCondensed.ttf"),
}
MRZ_FONTS = ("OCRB.otf", "DejaVuSansMono.ttf", "LiberationMono-Regular.ttf")

TECHNIQUES = {
    "halftone-page": ("printing", "halftone-reproduction"),
    "halftone-local": ("printing", "halftone-reproduction"),
    "inkjet-page": ("printing", "inkjet-reproduction"),
    "inkjet-local": ("printing", "inkjet-reproduction"),
    "toner-page": ("printing", "halftone-reproduction"),
    "toner-local": ("printing", "halftone-reproduction"),
    "lowres-page": ("printing", None),
    "lowres-local": ("printing", None),
    "wash-field": ("substrate", "erasure"),
    "wash-design": ("substrate", "erasure"),
    "abrasion": ("substrate", "erasure"),
    "photo-swap": ("personalization", "photo-substitution"),
    "retyped-field": ("personalization", "data-alteration"),
    "mrz-digit-swap": ("personalization", "mrz-inconsistency"),
}


@functools.lru_cache(maxsize=64)
def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    for d in FONT_DIRS:
        if (d / name).is_file():
            return ImageFont.truetype(str(d / name), px)
    return ImageFont.truetype(str(FONT_DIRS[-1] / "DejaVuSerif.ttf"), px)


@dataclass
class Document:
    """A genuine document to forge: master image (float RGB 0..1, template geometry) and what is known of it."""

    image: np.ndarray
    template: object  # docexam.specimens.model.Template
    dpi: float
    mrz: list = field(default_factory=list)
    field_texts: dict = field(default_factory=dict)  # zone name -> printed text, when known
    faces: list = field(default_factory=list)  # replacement photographs (uint8 RGB), for photo-swap

    def zones(self, *kinds):
        return [z for z in self.template.zones if z.kind in kinds]

    def side_boxes(self):
        return self.template.extra.get("sides_px") or [[0, 0, self.template.width, self.template.height]]


@dataclass
class Forged:
    image: np.ndarray  # float RGB 0..1, template geometry
    technique: str
    severity: float
    anomalies: list


def _mm(doc: Document, mm: float) -> int:
    return max(2, int(round(mm / 25.4 * doc.dpi)))


def _anomaly(technique: str, zone, box, note: str) -> dict:
    fam, tech = TECHNIQUES[technique]
    return {"family": fam, "technique": tech, "zone": zone.name, "bbox": [int(v) for v in box], "note": note,
            "generator_technique": technique}


def _zone_at(doc: Document, box):
    """The smallest zone holding the box's centre (a background zone when nothing else)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    hits = [z for z in doc.template.zones if z.bbox[0] <= cx < z.bbox[2] and z.bbox[1] <= cy < z.bbox[3]]
    if not hits:
        return None
    return min(hits, key=lambda z: (z.bbox[2] - z.bbox[0]) * (z.bbox[3] - z.bbox[1]))


def _clip_to_zone(box, zone):
    a, b, c, d = zone.bbox
    return [max(box[0], a), max(box[1], b), min(box[2], c), min(box[3], d)]


# --------------------------------------------------------------------------
# reproduction: page and local


def _process(name: str, rgb: np.ndarray, rng, s: float, dpi: float) -> np.ndarray:
    if name == "halftone":
        lpi = float(np.interp(s, [0, 1], [200, 85])) * rng.uniform(0.9, 1.1)
        shape = str(rng.choice(["round", "ellipse"]))
        black = float(rng.choice([0.0, 0.6, 0.9]))
        return fp.am_halftone(rgb, rng, lpi=lpi, dpi=dpi, shape=shape, gain=0.08 + 0.2 * s, misregister=0.2 + 1.2 * s, black=black,
                              optics=0.4 + 0.8 * s)
    if name == "inkjet":
        pdpi = float(np.interp(s, [0, 1], [720, 300]))
        return fp.error_diffusion(rgb, rng, printer_dpi=min(pdpi, dpi), dpi=dpi, drop=0.4 + 0.6 * s,
                                  black=float(rng.uniform(0.2, 0.7)), optics=0.3 + 0.9 * s)
    if name == "toner":
        return fp.toner(rgb, rng, lpi=float(np.interp(s, [0, 1], [170, 100])), dpi=dpi,
                        scatter=0.005 + 0.03 * s)
    if name == "lowres":
        return fp.low_resolution(rgb, rng, source_dpi=float(np.interp(s, [0, 1], [200, 75])), dpi=dpi,
                                 gamut=0.95 - 0.2 * s, sharpen=float(rng.uniform(0, 0.8)))
    raise ValueError(name)


def _at_print_resolution(name, rgb, rng, s, dpi):
    """Reproduce at >= 600 dpi (a master of a low-resolution real specimen is upsampled, printed, downsampled)."""
    if dpi >= 400 or name == "lowres":
        return _process(name, rgb, rng, s, dpi)
    f = 600.0 / dpi
    h, w = rgb.shape[:2]
    up = cv2.resize(rgb, (int(w * f), int(h * f)), interpolation=cv2.INTER_CUBIC)
    out = _process(name, np.clip(up, 0, 1), rng, s, 600.0)
    return cv2.resize(out, (w, h), interpolation=cv2.INTER_AREA)


def reprint_page(doc: Document, technique: str, rng, s: float) -> Forged:
    process = technique.split("-")[0]
    img = _at_print_resolution(process, doc.image, rng, s, doc.dpi)
    side = doc.side_boxes()
    zone = doc.zones("background")[0] if doc.zones("background") else None
    box = [0, 0, doc.template.width, doc.template.height] if zone is None else list(zone.bbox)
    anomalies = [_anomaly(technique, zone or doc.template.zones[0], box,
                          f"The whole document was reproduced ({process}).")]
    if len(side) > 1:  # a reproduced card: both sides
        anomalies += [_anomaly(technique, z, z.bbox, f"The whole document was reproduced ({process}).")
                      for z in doc.zones("background")[1:]]
    return Forged(img, technique, s, anomalies)


def _design_box(doc: Document, rng, s: float):
    """A patch on the printed design: inside a security zone, an emblem, or the background between zones."""
    personal = doc.zones("portrait", "ghost-portrait", "field", "mrz")
    targets = doc.zones("security-print", "emblem")
    side = doc.side_boxes()
    for _ in range(200):
        if targets and rng.random() < 0.6:
            z = targets[int(rng.integers(len(targets)))]
            x0, y0, x1, y1 = z.bbox
        else:
            x0, y0, x1, y1 = side[int(rng.integers(len(side)))]
        w = int(min(x1 - x0, max(_mm(doc, 4), (x1 - x0) * rng.uniform(0.12, 0.45) * (0.6 + 0.6 * s))))
        h = int(min(y1 - y0, max(_mm(doc, 3), (y1 - y0) * rng.uniform(0.2, 0.7) * (0.6 + 0.6 * s))))
        w, h = min(w, _mm(doc, 40)), min(h, _mm(doc, 30))
        if w < 8 or h < 8:
            continue
        bx = int(rng.integers(x0, max(x0 + 1, x1 - w)))
        by = int(rng.integers(y0, max(y0 + 1, y1 - h)))
        box = [bx, by, bx + w, by + h]
        if any(box[0] < p.bbox[2] and p.bbox[0] < box[2] and box[1] < p.bbox[3] and p.bbox[1] < box[3] for p in personal):
            continue
        # the design must have something printed there
        crop = doc.image[by:by + h, bx:bx + w]
        if float(np.std(cv2.Laplacian(crop.mean(axis=2), cv2.CV_32F))) < 0.01:
            continue
        zone = _zone_at(doc, box)
        if zone is not None:
            return zone, box
    raise RuntimeError("no place on the design for a patch")


def reprint_local(doc: Document, technique: str, rng, s: float) -> Forged:
    process = technique.split("-")[0]
    zone, box = _design_box(doc, rng, s)
    x0, y0, x1, y1 = box
    m = _mm(doc, 2)
    H, W = doc.image.shape[:2]
    a, b, c, d = max(0, x0 - m), max(0, y0 - m), min(W, x1 + m), min(H, y1 + m)
    crop = doc.image[b:d, a:c]
    printed = _at_print_resolution(process, crop, rng, s, doc.dpi)
    # the reprinted patch, inserted with a hard cut or a retouched (feathered) edge
    rect = rng.random() < 0.35
    mask = np.zeros(crop.shape[:2], np.float32)
    if rect:
        mask[y0 - b:y1 - b, x0 - a:x1 - a] = 1
        if rng.random() < 0.5:
            mask = cv2.GaussianBlur(mask, (0, 0), 1.0 + 2 * (1 - s))
    else:
        mask = fp.irregular_region(mask.shape, (x0 - a, y0 - b, x1 - a, y1 - b), rng, roughness=0.3,
                                   soft=float(rng.uniform(0.5, 3.0)))
    out = doc.image.copy()
    out[b:d, a:c] = fp.paste(crop, printed, mask)
    ys, xs = np.nonzero(mask > 0.5)
    tbox = [int(xs.min()) + a, int(ys.min()) + b, int(xs.max()) + 1 + a, int(ys.max()) + 1 + b]
    return Forged(out, technique, s, [_anomaly(technique, zone, _clip_to_zone(tbox, zone),
                                               f"A patch of the {zone.name} was reprinted ({process}).")])


# --------------------------------------------------------------------------
# washing, abrasion


def _ink(img: np.ndarray, box, *, cap: int | None = None) -> np.ndarray:
    """Personalization ink in a box: much darker than the local paper-and-design level (closing)."""
    x0, y0, x1, y1 = box
    lum = img[y0:y1, x0:x1].mean(axis=2)
    k = max(5, int((cap or (y1 - y0)) * 0.5) | 1)
    bg = cv2.morphologyEx(lum, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    bg = np.maximum(bg, cv2.GaussianBlur(lum, (0, 0), k))
    # personalization inks are dark in absolute terms too; fine design lines are not
    return (((bg - lum) > 0.22) & (lum < 0.5)).astype(np.float32)


def wash_field(doc: Document, technique: str, rng, s: float) -> Forged:
    fields = [z for z in doc.zones("field") if _ink(doc.image, z.bbox).sum() > 30]
    z = fields[int(rng.integers(len(fields)))]
    mask = np.zeros(doc.image.shape[:2], np.float32)
    x0, y0, x1, y1 = z.bbox
    pad = _mm(doc, 1)
    region = [x0 - pad, y0 - pad, x1 + pad, y1 + pad]
    sub = fp.irregular_region(mask.shape, region, rng, roughness=0.2, soft=float(2 + 4 * rng.random()))
    ink = np.zeros_like(mask)
    ink[y0:y1, x0:x1] = _ink(doc.image, z.bbox)
    out = fp.wash(doc.image, sub, rng, strength=0.35 + 0.55 * s, personal=cv2.dilate(ink, np.ones((3, 3))))
    # the entry is written again, in the issuer's own typeface (the forger had it): the paper tells
    out = _retype(doc, out, z, rng, s, same_font=True)
    ys, xs = np.nonzero(sub > 0.5)
    box = _clip_to_zone([int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1], z)
    return Forged(out, technique, s, [_anomaly(technique, z, box, f"The {z.name} was washed and written again.")])


def wash_design(doc: Document, technique: str, rng, s: float) -> Forged:
    zone, box = _design_box(doc, rng, s)
    mask = fp.irregular_region(doc.image.shape[:2], box, rng, roughness=0.35, soft=float(1 + 4 * rng.random()))
    if technique == "abrasion":
        out = fp.abrade(doc.image, mask, rng, strength=0.45 + 0.5 * s)
        what = "scraped"
    else:
        out = fp.wash(doc.image, mask, rng, strength=0.4 + 0.55 * s)
        what = "washed"
    ys, xs = np.nonzero(mask > 0.5)
    tbox = _clip_to_zone([int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1], zone)
    return Forged(out, technique, s, [_anomaly(technique, zone, tbox, f"The design of the {zone.name} was {what}.")])


# --------------------------------------------------------------------------
# personalization


def _text_metrics(ink: np.ndarray):
    n, lab, st, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    st = st[1:]
    if len(st) == 0:
        return None
    hmax = st[:, cv2.CC_STAT_HEIGHT].max()
    big = st[st[:, cv2.CC_STAT_HEIGHT] >= 0.6 * hmax]
    bottom = float(np.median(big[:, cv2.CC_STAT_TOP] + big[:, cv2.CC_STAT_HEIGHT]))
    cap = float(np.median(big[:, cv2.CC_STAT_HEIGHT]))
    left = int(st[:, cv2.CC_STAT_LEFT].min())
    right = int((st[:, cv2.CC_STAT_LEFT] + st[:, cv2.CC_STAT_WIDTH]).max())
    return bottom, cap, left, right, len(big)


def _altered(text: str, rng) -> str:
    chars = list(text)
    idx = [i for i, c in enumerate(chars) if c.isalnum()]
    for i in rng.choice(idx, size=min(len(idx), int(rng.integers(1, 4))), replace=False):
        c = chars[i]
        pool = "0123456789" if c.isdigit() else "ABCDEFGHIJKLMNOPRSTUVWYZ"
        chars[i] = str(rng.choice([p for p in pool if p != c]))
    return "".join(chars)


def _draw_text(shape, text, fnt, origin, *, tracking: float = 0.0) -> np.ndarray:
    canvas = Image.new("L", (shape[1], shape[0]), 0)
    draw = ImageDraw.Draw(canvas)
    x, y = origin
    for ch in text:
        draw.text((x, y), ch, font=fnt, fill=255, anchor="ls")
        x += fnt.getlength(ch) + tracking
    return np.asarray(canvas, np.float32) / 255


def _retype(doc: Document, img: np.ndarray, z, rng, s: float, *, same_font: bool) -> np.ndarray:
    x0, y0, x1, y1 = z.bbox
    ink = _ink(doc.image, z.bbox)
    met = _text_metrics(ink)
    if met is None:
        return img
    bottom, cap, left, right, count = met
    text = doc.field_texts.get(z.name) or "".join(rng.choice(list("ABCDEFGHKLMNPRSTUVZ0123456789"), max(3, count)))
    text = _altered(text, rng)
    out = img.copy()
    # remove the old entry: inpaint its ink from the surrounding design
    hole = (cv2.dilate(ink, np.ones((5, 5), np.uint8)) > 0).astype(np.uint8)
    crop = np.clip(out[y0:y1, x0:x1] * 255, 0, 255).astype(np.uint8)
    out[y0:y1, x0:x1] = cv2.inpaint(crop, hole, 3, cv2.INPAINT_TELEA).astype(np.float32) / 255
    if same_font:
        name = "DejaVuSans.ttf" if doc.template.extra.get("synthetic") else str(rng.choice(FORGER_FONTS["near"]))
        scale, shift = 1.0 + rng.normal(0, 0.02), rng.normal(0, 0.5)
    else:
        group = "near" if s < 0.35 else "other"
        name = str(rng.choice(FORGER_FONTS[group]))
        scale = 1.0 + rng.choice([-1, 1]) * (0.03 + 0.15 * s) * rng.random()
        shift = rng.choice([-1, 1]) * (0.5 + 4.0 * s) * doc.dpi / 600
    probe = font(name, 100)
    cap_px = probe.getbbox("H")[3] - probe.getbbox("H")[1]
    px = max(6, int(round(100 * cap / max(cap_px, 1) * scale)))
    while px > 8 and left + font(name, px).getlength(text) > (x1 - x0) - 4:  # it must fit the field
        px -= 1
    fnt = font(name, px)
    cov = _draw_text((y1 - y0, x1 - x0), text, fnt, (left + rng.normal(0, 1.0), bottom + shift),
                     tracking=float(rng.normal(0, 0.6)) * doc.dpi / 600)
    # the forger's printer: sharp toner or a feathered inkjet edge
    cov = cv2.GaussianBlur(cov, (0, 0), float(rng.uniform(0.3, 0.9)) * doc.dpi / 600)
    old = doc.image[y0:y1, x0:x1][ink > 0.5]
    if len(old):  # the ink's colour where it is solid: the darkest third of its pixels
        old = old[old.sum(axis=1) <= np.percentile(old.sum(axis=1), 33)]
    colour = np.median(old, axis=0) if len(old) else np.float32([0.1, 0.1, 0.1])
    colour = np.clip(colour + rng.normal(0, 0.02 + 0.06 * s * (not same_font), 3), 0, 1).astype(np.float32)
    region = out[y0:y1, x0:x1]
    out[y0:y1, x0:x1] = region * (1 - cov[..., None]) + np.minimum(region, colour) * cov[..., None]
    return out


def retyped_field(doc: Document, technique: str, rng, s: float) -> Forged:
    fields = [z for z in doc.zones("field") if _text_metrics(_ink(doc.image, z.bbox)) is not None
              and _ink(doc.image, z.bbox).sum() > 40]
    z = fields[int(rng.integers(len(fields)))]
    out = _retype(doc, doc.image, z, rng, s, same_font=False)
    return Forged(out, technique, s, [_anomaly(technique, z, z.bbox, f"The {z.name} was retyped in another font.")])


def _valid_yymmdd(text: str) -> bool:
    import datetime as dt

    try:
        dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
        return True
    except ValueError:
        return False


def mrz_digit_swap(doc: Document, technique: str, rng, s: float) -> Forged:
    z = doc.zones("mrz")[0]
    x0, y0, x1, y1 = z.bbox
    ink = _ink(doc.image, z.bbox)
    prof = cv2.blur(ink.sum(axis=1).reshape(-1, 1), (1, 3)).ravel()
    rows = prof > 0.25 * prof.max()
    # text lines: runs of inked rows
    lines, start = [], None
    for i, r in enumerate(np.r_[rows, False]):
        if r and start is None:
            start = i
        elif not r and start is not None:
            if i - start > 4:
                lines.append((start, i))
            start = None
    mrz = doc.mrz or []
    if not mrz or len(lines) != len(mrz):
        raise RuntimeError(f"MRZ lines not found in {z.name} ({len(lines)} ink lines, {len(mrz)} known)")
    n = len(mrz[0])
    # data digits only: never a check digit (position fixed by the format)
    checks = {"TD3": {(1, 9), (1, 19), (1, 27), (1, 42), (1, 43)}, "TD2": {(1, 9), (1, 19), (1, 27), (1, 35)},
              "TD1": {(0, 14), (1, 6), (1, 14), (1, 29)}}.get(doc.template.format, set())
    cands = [(r, c) for r, line in enumerate(mrz) for c, ch in enumerate(line) if ch.isdigit() and (r, c) not in checks]
    r, c = cands[int(rng.integers(len(cands)))]
    a, b = lines[r]
    cols = np.nonzero(ink[a:b].sum(axis=0) > 0)[0]
    left, right = cols.min(), cols.max() + 1
    pitch = (right - left) / n
    cx0 = int(left + c * pitch)
    cell = [x0 + cx0, y0 + a - 1, x0 + int(left + (c + 1) * pitch) + 1, y0 + b + 1]
    out = doc.image.copy()
    hole = np.zeros(ink.shape, np.uint8)
    hole[max(a - 3, 0):b + 3, max(int(cx0 - 0.12 * pitch), 0):int(left + (c + 1.12) * pitch) + 1] = 1
    crop = np.clip(out[y0:y1, x0:x1] * 255, 0, 255).astype(np.uint8)
    out[y0:y1, x0:x1] = cv2.inpaint(crop, (hole * (cv2.dilate(ink, np.ones((5, 5))) > 0)).astype(np.uint8), 3,
                                    cv2.INPAINT_TELEA).astype(np.float32) / 255
    # a careful forger keeps a date a date: the new digit must leave a valid YYMMDD
    dates = {"TD3": [(1, 13), (1, 21)], "TD2": [(1, 13), (1, 21)], "TD1": [(1, 0), (1, 8)]}.get(
        doc.template.format, [])
    options = []
    for d in "0123456789":
        if d == mrz[r][c]:
            continue
        line = mrz[r][:c] + d + mrz[r][c + 1:]
        if all(not (row == r and start <= c < start + 6) or _valid_yymmdd(line[start:start + 6])
               for row, start in dates):
            options.append(d)
    new = str(rng.choice(options or [d for d in "0123456789" if d != mrz[r][c]]))
    name = MRZ_FONTS[0] if s < 0.6 else str(rng.choice(MRZ_FONTS[1:]))
    probe = font(name, 100)
    bb = probe.getbbox("8")
    px = max(6, int(round(100 * (b - a) / max(bb[3] - bb[1], 1))))
    cov = _draw_text((y1 - y0, x1 - x0), new, font(name, px),
                     (cx0 + (pitch - font(name, px).getlength(new)) / 2 + rng.normal(0, 0.3 + s),
                      b + rng.normal(0, 0.3 + s)))
    cov = cv2.GaussianBlur(cov, (0, 0), 0.5 * doc.dpi / 600 + 0.2)
    old = doc.image[y0:y1, x0:x1][ink > 0.5]
    old = old[old.sum(axis=1) <= np.percentile(old.sum(axis=1), 33)]
    colour = np.median(old, axis=0).astype(np.float32)
    region = out[y0:y1, x0:x1]
    out[y0:y1, x0:x1] = region * (1 - cov[..., None]) + np.minimum(region, colour) * cov[..., None]
    return Forged(out, technique, s, [_anomaly(technique, z, cell, f"MRZ line {r + 1} character {c + 1}: "
                                               f"{mrz[r][c]} changed to {new}; its check digit no longer verifies.")])


def photo_swap(doc: Document, technique: str, rng, s: float) -> Forged:
    z = doc.zones("portrait")[0]
    if not doc.faces:
        raise RuntimeError("photo-swap needs replacement photographs")
    face = doc.faces[int(rng.integers(len(doc.faces)))].astype(np.float32) / 255
    x0, y0, x1, y1 = z.bbox
    zw, zh = x1 - x0, y1 - y0
    # a photographic print: continuous tone, more contrast and saturation, cut by hand
    k = rng.uniform(0.96, 1.06)
    pw, ph = int(zw * k), int(zh * k * rng.uniform(0.97, 1.03))
    photo = cv2.resize(face, (pw, ph), interpolation=cv2.INTER_AREA)
    grey = photo.mean(axis=2, keepdims=True)
    photo = np.clip(grey + (photo - grey) * rng.uniform(1.0, 1.3) + rng.normal(0, 0.02, 3), 0, 1)
    photo = np.clip((photo - 0.5) * rng.uniform(1.0, 1.2) + 0.5 + rng.uniform(-0.03, 0.05), 0, 1).astype(np.float32)
    angle = rng.normal(0, 0.3 + 1.5 * s)
    cx = x0 + zw / 2 + rng.normal(0, 0.01 + 0.03 * s) * zw
    cy = y0 + zh / 2 + rng.normal(0, 0.01 + 0.03 * s) * zh
    m = cv2.getRotationMatrix2D((pw / 2, ph / 2), angle, 1.0)
    m[:, 2] += [cx - pw / 2, cy - ph / 2]
    H, W = doc.image.shape[:2]
    placed = cv2.warpAffine(photo, m, (W, H), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpAffine(np.ones((ph, pw), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)
    # scissors: a slightly wavy cut (the outline moves by a pixel or two along the edge)
    wob = cv2.resize(rng.normal(0, 1, (8, 8)).astype(np.float32), (W, H), interpolation=cv2.INTER_CUBIC)
    inside = (alpha > 0.5).astype(np.uint8)
    band = (cv2.dilate(inside, np.ones((5, 5), np.uint8)) - cv2.erode(inside, np.ones((5, 5), np.uint8))) > 0
    alpha = np.where(band, np.clip(alpha + 0.6 * wob, 0, 1), alpha)
    out = fp.paste(doc.image, placed, alpha)
    # the glued edge: a thin shadow to one side, a light cut edge
    edge = np.clip(cv2.dilate(alpha, np.ones((3, 3))) - alpha, 0, 1)
    off = rng.integers(1, 3 + int(3 * s), 2) * rng.choice([-1, 1], 2)
    shadow = cv2.warpAffine(alpha, np.float32([[1, 0, off[0]], [0, 1, off[1]]]), (W, H)) * (1 - alpha)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 1.0 + s)
    out *= 1 - (0.08 + 0.25 * s) * shadow[..., None]
    out = np.clip(out + (0.04 + 0.1 * s) * edge[..., None], 0, 1)
    ys, xs = np.nonzero(alpha > 0.5)
    box = _clip_to_zone([int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1], z)
    return Forged(out, technique, s, [_anomaly(technique, z, box, "Another photograph is glued over the portrait.")])


MAKERS = {
    "halftone-page": reprint_page, "inkjet-page": reprint_page, "toner-page": reprint_page,
    "lowres-page": reprint_page, "halftone-local": reprint_local, "inkjet-local": reprint_local,
    "toner-local": reprint_local, "lowres-local": reprint_local, "wash-field": wash_field,
    "wash-design": wash_design, "abrasion": wash_design, "photo-swap": photo_swap,
    "retyped-field": retyped_field, "mrz-digit-swap": mrz_digit_swap,
}
assert set(MAKERS) == set(TECHNIQUES)


def forge(doc: Document, technique: str, *, seed, severity: float) -> Forged:
    """Forge ``doc`` with one of :data:`TECHNIQUES` (deterministic in ``seed``)."""
    rng = np.random.default_rng(seed)
    return MAKERS[technique](doc, technique, rng, float(severity))


def applicable(doc: Document, technique: str) -> bool:
    if technique == "photo-swap":
        return bool(doc.zones("portrait")) and bool(doc.faces)
    if technique in ("retyped-field", "wash-field"):
        return bool(doc.zones("field"))
    if technique == "mrz-digit-swap":
        return bool(doc.zones("mrz")) and bool(doc.mrz)
    return True
