"""Lesson files: a small TOML format that trainers read and edit.

Why TOML rather than Markdown with a header: a lesson is mostly *structured*
data (objectives, a specimen filter, figures that point at specimens and
zones, item types) with a few paragraphs of text. TOML keeps both in one
plain-text file, multi-line strings hold the paragraphs as they are written,
Python reads it without a dependency (:mod:`tomllib`), and a typo in a key is
caught by the validator instead of silently becoming prose. Khmer text is
ordinary UTF-8.

A lesson file (``lessons/NAME.toml``)::

    id = "photo-substitution"          # unique, lower-case kebab-case
    title = "Photo substitution"
    title_km = "..."                   # Khmer title (required)
    topic = "personalization"          # groups lessons for tests and readiness
    objectives = ["...", "..."]
    objectives_km = ["...", "..."]     # same number as objectives
    item_types = ["locate", "verdict", "technique", "compare"]

    [specimens]                        # which specimens the quiz draws on
    techniques = ["photo-substitution"]  # forged specimens with such an anomaly
    families = []                      # ... or with an anomaly of these families
    templates = []                     # empty = every template
    captures = []                      # flat, scan, phone; empty = all
    genuine = true                     # also genuine specimens (verdict, compare)

    [[figures]]
    id = "portrait-pair"
    kind = "side-by-side"              # or "crop"
    technique = "photo-substitution"   # which forged specimen to show
    zone = "portrait"                  # zone name or kind; default: the anomaly's zone
    caption = "..."
    caption_km = "..."

    [[sections]]
    heading = "..."
    text = '''...'''
    text_km = '''...'''                # optional
    figures = ["portrait-pair"]        # ids of figures shown with this section
    id = "after-suspect"               # optional: a name the app finds the section by
    features = ["portrait"]            # optional: template zones (kinds or names) it explains

Validation refuses unknown keys, wrong types, unknown techniques, families,
item types and figure ids, with an :class:`~docexam.errors.InvalidFieldError`
naming the file, the line of the offending key and the key. The format is
described in ``docs/formats.md``; its model is
:class:`docexam.formats.lesson.LessonFile`.

Examples
--------
>>> text = '''
... id = "demo"
... title = "Demo"
... title_km = "សាកល្បង"
... topic = "review"
... objectives = ["See one forgery."]
... objectives_km = ["មើលការក្លែងបន្លំមួយ។"]
... item_types = ["verdict"]
... [[sections]]
... heading = "Look"
... text = "Look closely."
... '''
>>> lesson = parse_lesson(text, "demo.toml")
>>> lesson.id, lesson.item_types
('demo', ('verdict',))
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Message
from ..atomic import read_text
from ..errors import InputFileError, InvalidFieldError, UnknownNameError
from ..formats import lesson as lesson_format
from ..formats.lesson import FIGURE_KINDS, ITEM_TYPES
from ..formats.reading import parse_toml
from ..formats.validation import validate
from ..paths import lessons_dir, user_lessons_dir
from ..specimens.techniques import TECHNIQUES

__all__ = ["Lesson", "Section", "Figure", "SpecimenFilter", "ITEM_TYPES", "FIGURE_KINDS", "parse_lesson",
           "load_lesson", "load_lessons", "find_lesson", "key_lines", "line_of"]


# --------------------------------------------------------------------------
# the model

@dataclass(frozen=True)
class SpecimenFilter:
    """Which specimens (and which of their anomalies) a lesson draws on.

    Empty tuples mean "no restriction". A forged specimen matches when it has
    at least one anomaly whose technique is in ``techniques`` or whose family
    is in ``families`` (any anomaly when both are empty); a genuine specimen
    matches when ``genuine`` is true. ``templates`` and ``captures`` restrict
    both.
    """

    techniques: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    templates: tuple[str, ...] = ()
    captures: tuple[str, ...] = ()
    genuine: bool = True

    def anomaly_matches(self, anomaly) -> bool:
        if not self.techniques and not self.families:
            return True
        return anomaly.technique in self.techniques or anomaly.family in self.families

    def matches(self, specimen) -> bool:
        if self.templates and specimen.template not in self.templates:
            return False
        if self.captures and specimen.capture_kind not in self.captures:
            return False
        if specimen.authentic:
            return self.genuine
        return any(self.anomaly_matches(a) for a in specimen.anomalies)

    def as_dict(self) -> dict:
        return {"techniques": list(self.techniques), "families": list(self.families),
                "templates": list(self.templates), "captures": list(self.captures),
                "genuine": self.genuine}


@dataclass(frozen=True)
class Figure:
    """A picture in a lesson: a crop of a forged specimen, or genuine and forged side by side."""

    id: str
    kind: str
    caption: str
    caption_km: str = ""
    technique: str | None = None
    family: str | None = None
    template: str | None = None
    zone: str | None = None
    overlay: bool = True

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "caption": self.caption,
                "caption_km": self.caption_km, "technique": self.technique,
                "family": self.family, "template": self.template, "zone": self.zone,
                "overlay": self.overlay}


@dataclass(frozen=True)
class Section:
    heading: str
    text: str
    heading_km: str = ""
    text_km: str = ""
    figures: tuple[str, ...] = ()
    #: a name the app finds this section by ("" for none)
    id: str = ""
    #: template zones this section explains: zone kinds or zone names
    features: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"heading": self.heading, "heading_km": self.heading_km, "text": self.text,
                "text_km": self.text_km, "figures": list(self.figures), "id": self.id,
                "features": list(self.features)}


@dataclass(frozen=True)
class Lesson:
    """A validated lesson file."""

    id: str
    title: str
    title_km: str
    topic: str
    objectives: tuple[str, ...]
    objectives_km: tuple[str, ...]
    item_types: tuple[str, ...]
    specimens: SpecimenFilter
    sections: tuple[Section, ...]
    figures: tuple[Figure, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def figure(self, figure_id: str) -> Figure:
        for f in self.figures:
            if f.id == figure_id:
                return f
        raise UnknownNameError(Message("figure of lesson {id}", id=self.id), figure_id, [f.id for f in self.figures])

    def missing_khmer(self) -> list[str]:
        """What of this lesson has no Khmer yet (``docexam lessons check`` warns about each).

        >>> s = Section(heading="Erasure", text="Scraped ink.", heading_km="ការលុប")
        >>> Lesson(id="x", title="X", title_km="", topic="t", objectives=("A",), objectives_km=(),
        ...        item_types=(), specimens=SpecimenFilter(), sections=(s,)).missing_khmer()
        ['title_km', 'objectives_km (1 of 1 objectives)', "section 1 'Erasure': text_km"]
        """
        missing = [] if self.title_km else ["title_km"]
        if len([o for o in self.objectives_km if o]) < len(self.objectives):
            missing.append(f"objectives_km ({len(self.objectives) - len(self.objectives_km)} of "
                           f"{len(self.objectives)} objectives)")
        for i, sec in enumerate(self.sections, 1):
            lacking = [k for k, en, km in (("heading_km", sec.heading, sec.heading_km), ("text_km", sec.text, sec.text_km))
                       if en and not km]
            if lacking:
                missing.append(f"section {i} {sec.heading!r}: {', '.join(lacking)}")
        missing += [f"figure {f.id!r}: caption_km" for f in self.figures if f.caption and not f.caption_km]
        return missing

    def as_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "title_km": self.title_km, "topic": self.topic,
            "objectives": list(self.objectives), "objectives_km": list(self.objectives_km),
            "item_types": list(self.item_types), "specimens": self.specimens.as_dict(),
            "figures": [f.as_dict() for f in self.figures],
            "sections": [s.as_dict() for s in self.sections],
            "path": str(self.path) if self.path else None,
        }


# --------------------------------------------------------------------------
# finding the line of a key in TOML text (tomllib does not keep positions)

# no two parts of a pattern may match the same spaces: a line "[" + a million spaces must stay linear
_HEADER_RE = re.compile(r"[ \t]*(\[\[?)([A-Za-z0-9_.\-\"' \t]+)(\]\]?)[ \t]*(#.*)?\Z")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*=")


def key_lines(text: str) -> dict[str, int]:
    """Map each key path of TOML ``text`` to its 1-based line number.

    Paths look like ``title``, ``specimens.techniques``, ``figures[1].zone``;
    a table or array-of-tables header maps its own path (``figures[1]``).
    Good enough for hand-written lesson files: it follows ``[table]``,
    ``[[array]]`` and ``key = value`` lines and skips multi-line strings.

    >>> key_lines("a = 1\\n[[f]]\\nb = \'\'\'x\\nc = 2\\n\'\'\'\\n[[f]]\\nb = 3")
    {'a': 1, 'f[0]': 2, 'f[0].b': 3, 'f[1]': 6, 'f[1].b': 7}
    """
    lines: dict[str, int] = {}
    prefix = ""
    counts: dict[str, int] = {}
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            # a multi-line string ends at the next unescaped closing delimiter
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = _HEADER_RE.match(line)
        if header and not _KEY_RE.match(line):
            name = header.group(2).strip().replace('"', "").replace("'", "")
            if header.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
                prefix = f"{name}[{counts[name]}]"
            else:
                prefix = name
            lines.setdefault(prefix, number)
            continue
        key = _KEY_RE.match(line)
        if key:
            name = key.group(1).strip("\"'")
            path = f"{prefix}.{name}" if prefix else name
            lines.setdefault(path, number)
            rest = line[key.end():]
            for delim in ('"""', "'''"):
                if rest.count(delim) % 2 == 1:
                    in_string = delim
                    break
    return lines


def line_of(lines: dict[str, int], path: str) -> int:
    """Line of ``path`` or of its nearest enclosing key or table (1 if none)."""
    while path:
        if path in lines:
            return lines[path]
        # objectives[2] -> objectives; figures[1].zone -> figures[1]
        stripped = re.sub(r"(\[\d+\]|\.[^.\[\]]+)$", "", path)
        if stripped == path:
            break
        path = stripped
    return 1


# --------------------------------------------------------------------------
# validation: the model is docexam.formats.lesson.LessonFile (docs/formats.md)

def parse_lesson(text: str, path: str | os.PathLike = "<lesson>") -> Lesson:
    """Validate the TOML ``text`` of a lesson; ``path`` is used in messages.

    Raises :class:`~docexam.errors.InvalidFieldError` naming the file, line
    and key of the first problem.
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark (Notepad) is not part of the lesson
    data = parse_toml(text, path)
    lines = key_lines(text)
    f = validate(lesson_format.LessonFile, data, path, line_of=lambda key: line_of(lines, key),
                 techniques=TECHNIQUES)
    spec = f.specimens
    spec_filter = SpecimenFilter(techniques=tuple(spec.techniques), families=tuple(spec.families),
                                 templates=tuple(spec.templates), captures=tuple(spec.captures),
                                 genuine=spec.genuine)
    figures = tuple(Figure(id=g.id, kind=g.kind, caption=g.caption.strip(), caption_km=g.caption_km.strip(),
                           technique=g.technique, family=g.family, template=g.template, zone=g.zone,
                           overlay=g.overlay) for g in f.figures)
    sections = tuple(Section(heading=x.heading.strip(), text=x.text.strip(), heading_km=x.heading_km.strip(),
                             text_km=x.text_km.strip(), figures=tuple(r.strip() for r in x.figures),
                             id=x.id or "", features=tuple(x.features))
                     for x in f.sections)
    return Lesson(f.id, f.title.strip(), f.title_km.strip(), f.topic, tuple(o.strip() for o in f.objectives),
                  tuple(o.strip() for o in f.objectives_km), tuple(f.item_types), spec_filter, sections, figures,
                  Path(path))


def load_lesson(path: str | os.PathLike) -> Lesson:
    """Read and validate one lesson file."""
    path = Path(path)
    return parse_lesson(read_text(path), path)


def load_lessons(folder: str | os.PathLike | None = None) -> list[Lesson]:
    """Read and validate every ``*.toml`` lesson in ``folder`` (default: the shipped ``lessons/``).

    Lessons are returned sorted by file name; an id used twice is refused
    (naming the second file and the line of its ``id``).
    """
    folder = Path(folder) if folder is not None else lessons_dir()
    if not folder.is_dir():
        raise InputFileError(folder, Message("lesson folder not found"))
    lessons: list[Lesson] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        lesson = load_lesson(path)
        if lesson.id in seen:
            text = path.read_text(encoding="utf-8")
            raise InvalidFieldError(path, "id", Message("{id!r} is already used by {name}", id=lesson.id, name=seen[lesson.id].name),
                                    line=line_of(key_lines(text), "id"))
        seen[lesson.id] = path
        lessons.append(lesson)
    return lessons


def load_all_lessons() -> list[Lesson]:
    """The shipped lessons, then this installation's own (``$DOCEXAM_HOME/lessons``, e.g. from a pack).

    An own lesson may not reuse a shipped lesson's id (refused naming its file).
    """
    lessons = load_lessons(lessons_dir())
    own = user_lessons_dir()
    if own.is_dir():
        taken = {le.id: le.path for le in lessons}
        for lesson in load_lessons(own):
            if lesson.id in taken:
                raise InvalidFieldError(lesson.path, "id", Message("{id!r} is a shipped lesson's id; rename it", id=lesson.id))
            lessons.append(lesson)
    return lessons


def find_lesson(lesson_id: str, lessons: list[Lesson]) -> Lesson:
    """The lesson with this id; :class:`UnknownNameError` if none."""
    for lesson in lessons:
        if lesson.id == lesson_id:
            return lesson
    raise UnknownNameError(Message("lesson"), lesson_id, [le.id for le in lessons])
