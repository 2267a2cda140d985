"""Lessons and the quiz items generated from annotated specimens.

* :mod:`.format` - the lesson file format (TOML), validation with file and line;
* :mod:`.items` - quiz items from specimens (``verdict``, ``locate``, ``family``,
  ``technique``, ``light``, ``compare``, ``mrz``), answer key kept apart;
* :mod:`.figures` - a lesson's figures resolved to specimens, crops and overlays;
* :mod:`.source` - where specimens come from (a folder, or the shipped library).

Scoring, tests, gains and refreshers are in :mod:`docexam.assessment`.
"""

from .figures import resolve_figure, resolve_figures
from .format import (ITEM_TYPES, Figure, Lesson, Section, SpecimenFilter, find_lesson, load_lesson,
                     load_lessons, parse_lesson)
from .items import Item, draw_quiz, find_item, generate_items, lesson_items
from .source import SpecimenSourceError, default_specimens, load_specimen_folder

__all__ = [
    "ITEM_TYPES", "Figure", "Item", "Lesson", "Section", "SpecimenFilter", "SpecimenSourceError",
    "default_specimens", "draw_quiz", "find_item", "find_lesson", "generate_items", "lesson_items",
    "load_lesson", "load_lessons", "load_specimen_folder", "parse_lesson", "resolve_figure",
    "resolve_figures",
]
