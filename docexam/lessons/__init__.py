"""Lessons and the quiz items generated from annotated specimens.

* :mod:`.format` - the lesson file format (TOML), validation with file and line;
* :mod:`.items` - quiz items from specimens (``verdict``, ``locate``, ``family``,
  ``technique``, ``light``, ``compare``, ``mrz``), answer key kept apart;
* :mod:`.figures` - a lesson's figures resolved to specimens, crops and overlays;
* :mod:`.source` - where specimens come from (a folder, or the shipped library).

Scoring, tests, gains and refreshers are in :mod:`docexam.assessment`.
"""

import importlib

# Each name loads its module on first use (PEP 562, as scikit-image's lazy loading does):
# `docexam lessons check` reads a lesson file without loading the quiz's solver (SciPy).
_HOMES = {
    "resolve_figure": "figures", "resolve_figures": "figures",
    "ITEM_TYPES": "format", "Figure": "format", "Lesson": "format", "Section": "format",
    "SpecimenFilter": "format", "find_lesson": "format", "load_lesson": "format", "load_lessons": "format",
    "parse_lesson": "format",
    "Item": "items", "draw_quiz": "items", "find_item": "items", "generate_items": "items",
    "lesson_items": "items",
    "SpecimenSourceError": "source", "default_specimens": "source", "load_specimen_folder": "source",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_HOMES))


__all__ = [
    "ITEM_TYPES", "Figure", "Item", "Lesson", "Section", "SpecimenFilter", "SpecimenSourceError",
    "default_specimens", "draw_quiz", "find_item", "find_lesson", "generate_items", "lesson_items",
    "load_lesson", "load_lessons", "load_specimen_folder", "parse_lesson", "resolve_figure",
    "resolve_figures",
]
