"""The lessons' words where the officer's tools need them.

The reference of genuine documents explains each security feature of a
template with the lesson sections that name its zone (``features`` in a
lesson section, see :mod:`.format`); the examination desk shows, after a
``suspect`` result, the section with the id :data:`AFTER_SUSPECT`. The text
lives in the lesson files only: a trainer who edits a lesson changes what
the tools say.

Examples
--------
>>> from docexam.lessons.format import parse_lesson
>>> lesson = parse_lesson('''
... id = "demo"
... title = "Demo"
... title_km = "សាកល្បង"
... topic = "review"
... objectives = ["See."]
... objectives_km = ["មើល។"]
... item_types = ["verdict"]
... [[sections]]
... heading = "Microprint"
... text = "Read it with a magnifier."
... features = ["microprint"]
... [[sections]]
... id = "after-suspect"
... heading = "Next"
... text = "Refer it."
... ''')
>>> [s.heading for _, s in explaining([lesson], name="microprint-top", kind="microprint")]
['Microprint']
>>> section([lesson], AFTER_SUSPECT)[1].text
'Refer it.'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .format import Lesson, Section

#: the lesson section the examination desk shows after a ``suspect`` result
AFTER_SUSPECT = "after-suspect"
#: zone kinds the reference lists one by one (printed fields are one entry, see :func:`security_features`)
FEATURE_KINDS = ("background", "security-print", "microprint", "emblem", "portrait", "ghost-portrait", "mrz")


def section(lessons: Sequence[Lesson], section_id: str) -> tuple[Lesson, Section] | None:
    """The first section with this id, with its lesson; None when no lesson has it."""
    for lesson in lessons:
        for sec in lesson.sections:
            if sec.id == section_id:
                return lesson, sec
    return None


def explaining(lessons: Sequence[Lesson], *, name: str, kind: str) -> list[tuple[Lesson, Section]]:
    """The sections (with their lessons, in lesson order) that explain a zone of this name or kind."""
    return [(lesson, sec) for lesson in lessons for sec in lesson.sections
            if name in sec.features or kind in sec.features]


@dataclass(frozen=True)
class Feature:
    """One security feature of a template, as the reference shows it."""

    #: the zone's name (``fields`` for the printed fields together)
    name: str
    kind: str
    #: where it is, in template pixels (several boxes for the printed fields)
    boxes: tuple[tuple[int, int, int, int], ...]
    #: the lesson sections explaining it
    sections: tuple[tuple[Lesson, Section], ...]


def security_features(template, lessons: Sequence[Lesson]) -> list[Feature]:
    """A template's features for the reference: its zones of :data:`FEATURE_KINDS`, then the printed fields.

    Every zone is listed, explained or not (a template a trainer registered
    may have zones no lesson names yet).
    """
    out = []
    for kind in FEATURE_KINDS:
        for zone in template.zones_of(kind):
            out.append(Feature(zone.name, kind, (tuple(zone.bbox),),
                               tuple(explaining(lessons, name=zone.name, kind=kind))))
    fields = template.zones_of("field")
    if fields:
        out.append(Feature("fields", "field", tuple(tuple(z.bbox) for z in fields),
                           tuple(explaining(lessons, name="fields", kind="field"))))
    return out
