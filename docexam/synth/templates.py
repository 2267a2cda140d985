"""Write the shipped synthetic templates (``specimens/templates/<id>/``) from their designs."""

from __future__ import annotations

from pathlib import Path

from ..atomic import ensure_dir, write_json, write_png
from .designs import DESIGNS, design as get_design
from .inks import to_uint8
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
        zones.append(zone)
    font_px, baseline_off = field_geometry(d)
    mrz = mrz_layout(d)
    return {
        "id": d.template_id,
        "name": d.name,
        "format": d.format,
        "dpi": d.dpi,
        "size_px": [w, h],
        "images": {"visible": "visible.png", "uv": "uv.png", "ir": "ir.png"},
        "synthetic": True,
        "issuing_state": d.state_code,
        "state_name": d.state_name,
        "size_mm": list(d.size_mm),
        "substrate": d.substrate,
        "sides": [{"name": name, "bbox": list(box)} for name, box in d.sides],
        "fonts": {"field": FIELD_FONT, "field_px": font_px, "field_baseline_from_bottom_px": baseline_off,
                  "mrz": MRZ_FONT, "mrz_px": mrz["font_px"]},
        "mrz_layout": {"origin": list(mrz["origin"]), "pitch_px": mrz["pitch_px"],
                       "line_pitch_px": mrz["line_pitch_px"]},
        "zones": zones,
    }


def write_template(template_id: str, root: str | Path) -> Path:
    """Render and write one synthetic template into ``root/<id>/``; returns the folder."""
    ref = render_reference(template_id)
    folder = ensure_dir(Path(root) / template_id)
    for light, fname in (("visible", "visible.png"), ("uv", "uv.png"), ("ir", "ir.png")):
        write_png(folder / fname, to_uint8(ref.images[light]), compression=6)  # committed: smaller
    write_json(folder / "template.json", template_document(template_id))
    return folder


def write_all_templates(root: str | Path) -> list[Path]:
    return [write_template(tid, root) for tid in DESIGNS]
