"""Quiz items generated from annotated specimens.

Any specimen with a sidecar is quiz material: the items below are derived
from its annotations (anomalies, holder data, MRZ), so a trainer who adds a
specimen adds questions without writing code.

=============  ==============================================  ========================
type           question                                        one item per
=============  ==============================================  ========================
``verdict``    genuine or forged?                              specimen
``locate``     click on (or draw a box around) the forgery     forged flat specimen
``family``     what was attacked: substrate, printing, ...     anomaly (flat capture)
``technique``  how was it done (with plausible distractors)    anomaly with a technique
``light``      which light source shows it best                anomaly with a technique
``compare``    which of two documents is genuine               forged specimen with a
                                                               genuine one of its template
``mrz``        which check digit is wrong / which field        specimen with a valid MRZ
               disagrees with the printed data                 (two items), or one whose
                                                               MRZ is itself inconsistent
``same-        is the traveller at the counter the holder,     specimen with a traveller
person``       and why (:mod:`.faces`)                         photo
=============  ==============================================  ========================

A specimen whose only anomaly is in who presents it (an ``impostor``: the
document itself is genuine) yields only its ``same-person`` item.

Items that point at a region of the image (``locate``, ``family``,
``technique``, ``light``) are made only from ``flat`` captures, whose image
is in template geometry, so boxes and masks line up with the pixels shown.

Every :class:`Item` keeps three things apart: what may be **shown** before
the answer (:meth:`Item.public`), the answer **key**, and the **feedback**
shown after answering (what was there, why it matters, the overlay to draw).
Item ids are stable: they are built from the specimen name, the item type
and the anomaly (``passport-07:technique:0``), never from a seed, and any
choice made inside an item (distractors, option order, which digit to
corrupt) is drawn from a random generator seeded by the id. The same id
always means the same question, so spaced repetition can track it.

Examples
--------
>>> from docexam.specimens.model import parse_specimen
>>> spec = parse_specimen({
...     "template": "demo", "authentic": False, "capture": {"kind": "flat"},
...     "holder": {"surname": "ERIKSSON", "given_names": "ANNA MARIA",
...                "document_number": "L898902C3", "nationality": "UTO",
...                "date_of_birth": "1974-08-12", "sex": "F", "date_of_expiry": "2012-04-15"},
...     "mrz": [],
...     "anomalies": [{"family": "personalization", "technique": "photo-substitution",
...                    "zone": "portrait", "bbox": [10, 10, 40, 50], "note": "Cut edges."}]},
...     "specimens/p1.json")
>>> items = generate_items([spec])
>>> [item.id for item in items]
['p1:family:0', 'p1:light:0', 'p1:locate', 'p1:technique:0', 'p1:verdict']
>>> items[-1].key
{'kind': 'choice', 'answer': 'forged'}
>>> "key" in items[-1].public()
False
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from ..errors import DocexamError
from ..specimens.registry import find_template
from ..specimens.techniques import TECHNIQUES
from .builders import anomaly_item, compare, locate, verdict
from .faces import same_person
from .format import ITEM_TYPES, Lesson, SpecimenFilter
from .mrz_items import mrz_items
from .quiz import draw_quiz, find_item, reveal_last
from .quiz_item import Item, item_rng

#: default tolerance of a click around the forged region, in template pixels
#: (about 1 mm at 600 dpi: a finger or mouse click next to a thin line is a find)
TOLERANCE_PX = 24

__all__ = ["Item", "TOLERANCE_PX", "draw_quiz", "find_item", "generate_items", "lesson_items", "reveal_last"]


def generate_items(specimens: Iterable, *, types: Sequence[str] = ITEM_TYPES,
                   selection: SpecimenFilter | None = None,
                   tolerance_px: int = TOLERANCE_PX) -> list[Item]:
    """Every quiz item the ``specimens`` yield, sorted by id.

    Parameters
    ----------
    specimens : iterable of Specimen
        Not modified.
    types : sequence of str, keyword-only
        Item types to make (default all of :data:`ITEM_TYPES`).
    selection : SpecimenFilter, keyword-only
        Only specimens it matches; ``family``, ``technique`` and ``light``
        items only for the anomalies it matches. Default: everything.
    tolerance_px : int, keyword-only
        Click tolerance stored in ``locate`` keys (template pixels).

    Returns
    -------
    list of Item

    Examples
    --------
    >>> generate_items([])
    []
    """
    types = tuple(types)
    for t in types:
        if t not in ITEM_TYPES:
            raise ValueError(f"types: {t!r} is not one of {', '.join(ITEM_TYPES)}")
    if isinstance(tolerance_px, bool) or not isinstance(tolerance_px, int) or tolerance_px < 0:
        raise ValueError(f"tolerance_px: expected a non-negative integer, got {tolerance_px!r}")
    selection = selection or SpecimenFilter()
    chosen = sorted((s for s in specimens if selection.matches(s)), key=lambda s: s.name)
    genuine_by_template: dict[str, list] = {}
    for s in chosen:
        if s.authentic:
            genuine_by_template.setdefault(s.template, []).append(s)
    items: list[Item] = []
    for spec in chosen:
        flat = spec.capture_kind == "flat"
        if "same-person" in types and spec.extra.get("traveller"):
            item = same_person(spec, portrait_box=_portrait_box(spec.template))
            if item is not None:
                items.append(item)
        if _presented_only(spec):
            continue  # the document itself is genuine: only the person presenting it is not
        if "verdict" in types:
            items.append(verdict(spec))
        if "mrz" in types:
            items += mrz_items(spec)
        if spec.authentic:
            continue
        if "locate" in types and flat:
            items.append(locate(spec, tolerance_px=tolerance_px))
        for i, a in enumerate(spec.anomalies):
            if not flat or not selection.anomaly_matches(a):
                continue
            for kind in ("family", "technique", "light"):
                if kind in types:
                    item = anomaly_item(spec, i, kind)
                    if item is not None:
                        items.append(item)
        if "compare" in types and genuine_by_template.get(spec.template):
            pool = genuine_by_template[spec.template]
            # prefer a genuine capture of the same kind, so the pair differs only by the forgery
            same = [g for g in pool if g.capture_kind == spec.capture_kind] or pool
            items.append(compare(spec, item_rng(f"{spec.name}:compare").choice(same)))
    items.sort(key=lambda item: item.id)
    return items


def _portrait_box(template_id: str):
    try:
        zones = find_template(template_id).zones_of("portrait")
    except DocexamError:  # a template not installed here: show the whole document
        return None
    return zones[0].bbox if zones else None


def _presented_only(spec) -> bool:
    """True when every anomaly is in who presents the document, none in the document itself."""
    return bool(spec.anomalies) and all(a.technique in TECHNIQUES and "traveller" in TECHNIQUES[a.technique].views
                                        for a in spec.anomalies)


def lesson_items(lesson: Lesson, specimens: Iterable, *, tolerance_px: int = TOLERANCE_PX) -> list[Item]:
    """The items a lesson's quiz can draw on, each tagged with the lesson's topic.

    Examples
    --------
    >>> from docexam.lessons.format import parse_lesson
    >>> lesson = parse_lesson('''id = "x"
    ... title = "X"
    ... title_km = "X"
    ... topic = "review"
    ... objectives = ["o"]
    ... objectives_km = ["o"]
    ... item_types = ["verdict"]
    ... [[sections]]
    ... heading = "h"
    ... text = "t"''')
    >>> lesson_items(lesson, [])
    []
    """
    items = generate_items(specimens, types=lesson.item_types, selection=lesson.specimens,
                           tolerance_px=tolerance_px)
    return [replace(item, topic=lesson.topic) for item in items]
