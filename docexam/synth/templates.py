"""Write the shipped synthetic templates (``specimens/templates/<id>/``) from their designs."""

from __future__ import annotations

from pathlib import Path

from ..atomic import ensure_dir, write_image, write_json
from ..formats.lights import REFLECTED
from ..imaging import load_rgb
from .designs import DESIGNS, design as get_design
from .features import against_lamp, page_features
from .inks import to_float, to_uint8
from .personalize import field_geometry, mrz_layout
from .reference import render_reference
from .text import FIELD_FONT, MRZ_FONT


def template_document(template_id: str) -> dict:
    """The ``template.json`` content of a design (the fields of docs/formats.md plus docexam's own)."""
    d = get_design(template_id)
    w, h = d.size_px
    zones = []
    for name, (kind, box_mm) in d.zones_mm.items():
        zone = {"name": name, "kind": kind, "bbox": list(d.box_px(box_mm))}
        if kind == "field":
            spec = d.field(name)
            zone.update({"holder_field": spec.holder_field, "label": spec.label, "style": spec.style})
        if name in d.features:
            zone["feature"] = d.features[name]
            if d.features[name] in ("kinegram", "colour-shift"):
                # what one straight-on image cannot show: the device must be tilted
                zone["views"] = ["tilt"]
        zones.append(zone)
    font_px, baseline_off = field_geometry(d)
    mrz = mrz_layout(d)
    return {
        "id": d.template_id,
        "name": d.name,
        "format": d.format,
        "dpi": d.dpi,
        "size_px": [w, h],
        "images": {light: f"{light}.{d.image_format}" for light in template_lights(d)},
        "synthetic": True,
        "issuing_state": d.state_code,
        "state_name": d.state_name,
        "size_mm": list(d.size_mm),
        "substrate": d.substrate,
        "sides": [{"name": name, "bbox": list(box)} for name, box in d.sides],
        "mrz_format": d.mrz,
        "fonts": {"field": FIELD_FONT, "field_px": font_px, "field_baseline_from_bottom_px": baseline_off,
                  "mrz": MRZ_FONT, "mrz_px": mrz["font_px"]},
        "mrz_layout": {"origin": list(mrz["origin"]), "pitch_px": mrz["pitch_px"],
                       "line_pitch_px": mrz["line_pitch_px"]},
        "zones": zones,
    }


def template_lights(d) -> tuple[str, ...]:
    """The lights a design's template has images in: reflected ones, and transmitted for paper with a watermark."""
    return REFLECTED + (("transmitted",) if page_features(d) is not None else ())


def write_template(template_id: str, root: str | Path, *, lights=None) -> Path:
    """Render and write one synthetic template into ``root/<id>/``; returns the folder.

    ``lights`` limits the images written (the others are left as they are).
    """
    ref = render_reference(template_id)
    d = get_design(template_id)
    folder = ensure_dir(Path(root) / template_id)
    lights = tuple(lights or ref.images)
    for light in lights:
        image = to_uint8(ref.images[light])
        if light == "transmitted":
            if "visible" not in lights:
                # the page against a lamp is the page as committed, held up to it
                visible = to_float(load_rgb(folder / template_document(template_id)["images"]["visible"]))
                image = to_uint8(against_lamp(d, visible))
            image = image[..., 0]  # grey by nature: one channel
        write_image(folder / f"{light}.{d.image_format}", image)  # committed: as small as lossless gets
    write_json(folder / "template.json", template_document(template_id))
    return folder


def write_all_templates(root: str | Path) -> list[Path]:
    return [write_template(tid, root) for tid in DESIGNS]
