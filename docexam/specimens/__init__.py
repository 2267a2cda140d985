"""The specimen data model: templates, specimens, anomalies and techniques."""

from .model import Anomaly, Holder, Specimen, Template, Zone, load_template, save_specimen_sidecar, save_template
from .registry import find_template, list_templates, load_specimen, template_ids
from ..formats.lights import LIGHTS
from .techniques import FAMILIES, TECHNIQUES, Technique, technique

__all__ = [
    "Anomaly", "Holder", "Specimen", "Template", "Zone", "Technique",
    "FAMILIES", "LIGHTS", "TECHNIQUES",
    "find_template", "list_templates", "template_ids", "technique",
    "load_specimen", "load_template", "save_specimen_sidecar", "save_template",
]
