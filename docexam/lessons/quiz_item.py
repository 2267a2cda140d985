"""The quiz item: a question with its answer key and feedback kept apart, and the helpers that build one.

See :mod:`.items` for how items are generated from specimens.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Iterable

from ..formats.lights import LIGHTS
from .vocabulary import technique_label, zone_label


@dataclass(frozen=True)
class Item:
    """One quiz question, with its answer key and feedback kept apart.

    Attributes
    ----------
    id : str
        Stable id: ``SPECIMEN:TYPE[:DETAIL]``.
    type : str
        One of :data:`~docexam.lessons.format.ITEM_TYPES`.
    specimens : tuple of str
        Names of the specimens the item is built from (two for ``compare``).
    template : str
    prompt, prompt_km : str
        The question in English and Khmer.
    shown : dict
        What the UI may show before the answer: ``images`` (light -> path),
        ``options`` (``[{"id", "label", "label_km"}]`` for choice items),
        ``highlight`` (a box to draw), ``pair`` (``compare``), ``mrz`` and
        ``printed`` (``mrz``). Boxes are template pixels.
    key : dict
        The answer key: ``{"kind": "choice", "answer": ID, "partial": {...}}``
        or ``{"kind": "locate", "targets": [...], "mask": path, ...}``.
    feedback : dict
        ``what`` was there, ``why`` it matters, ``answer_label`` and the
        ``overlays`` to draw (specimen, bbox, mask, mask_label, label).
    topic : str or None
        Set by :func:`lesson_items` to the lesson's topic.
    families, techniques : tuple of str
        What the item is about (used to group items).
    difficulty : float
        0 (easy) .. 1 (hard), from the anomalies' severity when recorded.
    """

    id: str
    type: str
    specimens: tuple[str, ...]
    template: str
    prompt: str
    prompt_km: str
    shown: dict
    key: dict
    feedback: dict
    topic: str | None = None
    families: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    difficulty: float = 0.5

    def public(self) -> dict:
        """What may be shown before the answer: no key, no feedback."""
        return {"id": self.id, "type": self.type, "topic": self.topic, "template": self.template,
                "specimens": list(self.specimens), "prompt": self.prompt,
                "prompt_km": self.prompt_km, **copy_json(self.shown)}

    def as_dict(self) -> dict:
        """Everything, JSON-ready (for storing a served item with its key)."""
        return {"id": self.id, "type": self.type, "specimens": list(self.specimens),
                "template": self.template, "prompt": self.prompt, "prompt_km": self.prompt_km,
                "shown": copy_json(self.shown), "key": copy_json(self.key), "feedback": copy_json(self.feedback),
                "topic": self.topic, "families": list(self.families),
                "techniques": list(self.techniques), "difficulty": self.difficulty}

    @classmethod
    def from_dict(cls, data: dict) -> "Item":
        """Inverse of :meth:`as_dict`."""
        return cls(id=data["id"], type=data["type"], specimens=tuple(data["specimens"]),
                   template=data["template"], prompt=data["prompt"], prompt_km=data["prompt_km"],
                   shown=copy_json(data["shown"]), key=copy_json(data["key"]), feedback=copy_json(data["feedback"]),
                   topic=data.get("topic"), families=tuple(data.get("families", ())),
                   techniques=tuple(data.get("techniques", ())),
                   difficulty=float(data.get("difficulty", 0.5)))


def copy_json(obj):
    """Deep copy of JSON-like data, so callers never share mutable state with an item."""
    if isinstance(obj, dict):
        return {k: copy_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [copy_json(v) for v in obj]
    return obj


def item_rng(item_id: str) -> random.Random:
    # seeded by the id, so an item is the same question whatever quiz it is drawn into
    return random.Random(int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:8], "big"))


def option(value: str, labels: dict) -> dict:
    en, km = labels[value]
    return {"id": value, "label": en, "label_km": km}


def images_of(spec) -> dict:
    declared = spec.extra.get("lights")
    if isinstance(declared, list) and declared:
        lights = [light for light in LIGHTS if light in declared or light == "visible"]
    else:
        lights = ["visible", *[light for light in spec.lights if light != "visible"]]
    return {light: str(spec.image_path(light)) for light in lights}


def views_of(spec) -> dict:
    """The specimen's other views (``tilt``: the devices turned in the light, ``raking``: light grazing
    the surface), with image paths: ``{"views": {...}}``, or ``{}`` when it has none."""
    views = spec.extra.get("views")
    if not isinstance(views, dict) or not views:
        return {}
    out = {kind: [{**v, "image": str(spec.folder / v["image"])} for v in items if isinstance(v, dict)]
           for kind, items in views.items() if isinstance(items, list)}
    return {"views": out} if out else {}


def overlay_of(spec, index: int) -> dict:
    a = spec.anomalies[index]
    mask = spec.mask_path
    return {"specimen": spec.name, "anomaly": index, "bbox": list(a.bbox),
            "mask": str(mask) if mask else None, "mask_label": a.mask_label,
            "label": a.technique or a.family}


def what_of(a, lang: str = "en") -> str:
    """What a forger did where, in plain words ("Photo substitution in the Portrait area.")."""
    name, zone = technique_label(a.technique, a.family, lang), zone_label(a.zone, lang)
    return f"{name}: {zone}។" if lang == "km" else f"{name} in the {zone} area."


def difficulty_of(severities: Iterable[float | None]) -> float:
    known = [s for s in severities if s is not None]
    # a blatant trace (severity 1) is easy to spot
    return round(1.0 - max(known), 3) if known else 0.5


def choice_key(answer: str, partial: dict | None = None) -> dict:
    key = {"kind": "choice", "answer": answer}
    if partial:
        key["partial"] = dict(partial)
    return key


def shuffled(options: list, rng: random.Random) -> list:
    options = list(options)
    rng.shuffle(options)
    return options
