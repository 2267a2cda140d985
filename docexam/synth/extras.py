"""What a specimen of the newer designs has besides its images in reflected light.

* the visa pages' own personalization: the Meridian visa's data, the
  journey's border stamps, the passport number perforated through the
  pages (:func:`holder_for`, :func:`feature_layers_of`);
* the page against a lamp (:func:`transmitted_of`);
* **views** an officer takes by moving the document or the light: the
  kinegram and colour-shifting ink at five tilts, and the personalization
  in raking light (:func:`views_of`);
* the **traveller** photographed at the counter (:func:`traveller_of`).

The forgers change what these show through ``Overrides.features``
(:mod:`docexam.synth.forge.documents`).
"""

from __future__ import annotations

import cv2
import numpy as np

from .booklet import perforation, stamp_layers, visa_holder
from .designs import Design
from .features import against_lamp, device, ovd_kind, page_features
from .ovd import TILTS, ovd_view
from .person import holder_person
from .stamps import STAMP_STYLES, forged_style
from .transmitted import PaperFeatures
from .traveller import traveller_photo
from .visa import contradict, journey

__all__ = ["holder_for", "feature_layers_of", "transmitted_of", "views_of", "traveller_of", "personalised_zones",
           "RAKING_ZONES"]

#: zones shown in raking light on a laser-engraved document (the engraving's relief)
RAKING_ZONES = ("portrait",)


def holder_for(design: Design, holder: dict, *, seed: int) -> dict:
    """The holder as the document says it: a visa page adds the visa's data."""
    if "visa-sticker" in design.features.values():
        return visa_holder(holder, seed=seed)
    return holder


def feature_layers_of(design: Design, holder: dict, overrides, *, seed: int) -> list:
    """Layers personalised on the newer features: stamps and perforated numbers.

    Records in ``overrides.features`` what was placed (``placed_stamps``,
    ``holes``), for the forger's annotations and for transmitted light.
    """
    layers = []
    feats = overrides.features
    kinds = set(design.features.values())
    if "stamps" in kinds:
        crossings = journey(holder, seed=seed)
        spec = feats.get("stamps", {})
        changed = []
        if "contradict" in spec:
            crossings_after, kind = contradict(crossings, holder, seed=spec["contradict"])
            changed = [i for i, (a, b) in enumerate(zip(crossings, crossings_after)) if a.date != b.date]
            crossings = crossings_after
            spec["contradiction"], spec["changed"] = kind, changed
        styles, printed, faults = {}, set(), []
        rng = np.random.default_rng([seed, 0xF0F0])
        for index, flat in spec.get("forged", {}).items():
            c = crossings[index]
            styles[index], faults = forged_style(STAMP_STYLES[(c.state, c.kind)], rng, spec.get("severity", 0.5))
            if flat:
                printed.add(index)
        spec["faults"] = faults
        placed = stamp_layers(design, crossings, seed=seed, styles=styles, printed=frozenset(printed))
        feats["placed_stamps"] = placed
        layers += [p.layer for p in placed]
    holes = np.zeros((design.size_px[1], design.size_px[0]), np.float32)
    for zone in design.zones_with("perforation"):
        number = holder["document_number"]
        sub = feats.get("substituted_page")
        if sub and zone.endswith("left"):
            if not sub["perforation"]:
                continue
            number = number[:2] + "".join(str((int(c) + 3) % 10) if c.isdigit() else c for c in number[2:])
        layer, page = perforation(design, number, seed=seed, zone=zone)
        layers.append(layer)
        holes = np.maximum(holes, page)
    if holes.any():
        feats["holes"] = holes
    return layers


def transmitted_of(design: Design, visible: np.ndarray, overrides) -> np.ndarray | None:
    """The finished page against a lamp (float32, template geometry), or None if it has no such light."""
    paper = page_features(design)
    if paper is None:
        return None
    spec = overrides.features.get("paper", {})
    if spec.get("watermark") is False:
        paper = PaperFeatures(np.zeros_like(paper.thickness), np.zeros_like(paper.thread))
    elif "watermark_pages" in spec:  # a substituted page: its own sheet has no watermark where it should
        w = design.size_px[0]
        thickness, thread = paper.thickness.copy(), paper.thread.copy()
        thickness[:, : w // 2] = 0
        thread[:, : w // 2] = 0
        paper = PaperFeatures(thickness, thread)
    return against_lamp(design, visible, features=paper, holes=overrides.features.get("holes"))


def _crop_box(design: Design, zone: str, margin: float = 0.2) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = design.zone_px(zone)
    w, h = design.size_px
    mx, my = int((x1 - x0) * margin), int((y1 - y0) * margin)
    return max(0, x0 - mx), max(0, y0 - my), min(w, x1 + mx), min(h, y1 + my)


def _tilt_views(design: Design, visible: np.ndarray, overrides) -> list[dict]:
    out = []
    variants = overrides.features.get("ovd", {})
    paper = np.asarray(design.palette.paper, np.float32)
    for zone, feature in design.features.items():
        if feature not in ("kinegram", "colour-shift"):
            continue
        box = _crop_box(design, zone)
        bx0, by0, bx1, by1 = box
        zx0, zy0, zx1, zy1 = design.zone_px(zone)
        motif = device(design, zone)
        cov = motif.outline[..., None]
        for tilt in TILTS:
            crop = visible[by0:by1, bx0:bx1].copy()
            rgb, _ = ovd_view(ovd_kind(design, zone), motif, tilt, variant=variants.get(zone, "genuine"),
                              seed=len(zone))
            sub = crop[zy0 - by0:zy1 - by0, zx0 - bx0:zx1 - bx0]
            sub[:] = sub * (1 - cov) + cov * rgb * paper
            crop *= np.float32(0.92 + 0.08 * np.cos(np.radians(tilt)))   # the page turned from the lamp
            out.append({"zone": zone, "angle": tilt, "bbox": list(box), "image": crop})
    return out


def _raking_views(design: Design, before: dict, after: np.ndarray, overrides) -> list[dict]:
    """Personalization under light grazing from the left: relief where the printer left some."""
    process = overrides.features.get("raking", "laser")
    out = []
    for zone in RAKING_ZONES:
        if zone not in before:
            continue
        x0, y0, x1, y1 = before[zone][1]
        blank = before[zone][0].mean(axis=2)
        done = after[y0:y1, x0:x1].mean(axis=2)
        ink = np.clip(blank - done, 0, 1)
        if process == "inkjet":
            height = np.zeros_like(ink)                           # dye soaked into a coating: flat
        elif process == "thermal":
            height = cv2.GaussianBlur((ink > 0.12).astype(np.float32), (0, 0), 0.7) * 1.6   # ribbon on top
        else:
            height = cv2.GaussianBlur(ink, (0, 0), 1.5) * 1.2      # engraving swells the plastic a little
        rng = np.random.default_rng([x0, y0, 0x7A4E])
        surface = cv2.GaussianBlur(rng.standard_normal(ink.shape).astype(np.float32), (0, 0), 1.2) * 0.012
        slope = cv2.Sobel(height + surface, cv2.CV_32F, 1, 0, ksize=3)
        shade = 0.55 + 2.2 * slope + 0.05 * (done - 0.5)
        if process == "thermal":
            shade += 0.35 * np.clip(slope, 0, None) * 8 * (height > 0.5)   # the ribbon's shine
        img = np.clip(shade, 0, 1)[..., None] * np.float32([0.95, 0.95, 0.97])
        out.append({"zone": zone, "bbox": [x0, y0, x1, y1], "image": img.astype(np.float32)})
    return out


def personalised_zones(design: Design, images: dict) -> dict:
    """Crops of the blank document where raking light will look (before personalization)."""
    if design.portrait_ink != "laser":
        return {}
    out = {}
    for z in RAKING_ZONES:
        if z in design.zones_mm:
            x0, y0, x1, y1 = design.zone_px(z)
            out[z] = (images["visible"][y0:y1, x0:x1].copy(), (x0, y0, x1, y1))
    return out


def views_of(design: Design, visible: np.ndarray, overrides, before: dict) -> dict:
    """Every extra view of the specimen: ``{"tilt": [...], "raking": [...]}`` (float32 images)."""
    views = {}
    tilt = _tilt_views(design, visible, overrides)
    if tilt:
        views["tilt"] = tilt
    raking = _raking_views(design, before, visible, overrides)
    if raking:
        views["raking"] = raking
    return views


def traveller_of(design: Design, holder: dict, *, seed: int, impostor: bool, severity: float):
    """The photo at the counter: the holder, or (``impostor``) a look-alike as close as ``severity`` says.

    A careful impostor (severity 0) looks very like the holder; a careless one less.
    """
    rng = np.random.default_rng([seed, 0x7AA7])
    years = int(rng.integers(0, 9))
    similarity = round(0.82 - 0.5 * float(severity), 3) if impostor else None
    return traveller_photo(holder_person(holder, seed), seed=int(rng.integers(1 << 31)), years_later=years,
                           impostor_similarity=similarity)
