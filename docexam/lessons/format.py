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

Validation refuses unknown keys, wrong types, unknown techniques, families,
item types and figure ids, with an :class:`~docexam.errors.InvalidFieldError`
naming the file, the line of the offending key and the key.

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
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import read_text
from ..errors import InputFileError, InvalidFieldError, UnknownNameError
from ..specimens.model import CAPTURE_KINDS
from ..specimens.techniques import FAMILIES, TECHNIQUES

#: the quiz item types, in teaching order
ITEM_TYPES = ("verdict", "locate", "family", "technique", "light", "compare", "mrz")
FIGURE_KINDS = ("crop", "side-by-side")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


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

    def as_dict(self) -> dict:
        return {"heading": self.heading, "heading_km": self.heading_km, "text": self.text,
                "text_km": self.text_km, "figures": list(self.figures)}


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
        raise UnknownNameError(f"figure of lesson {self.id}", figure_id, [f.id for f in self.figures])

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

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*(\]\]?)\s*(#.*)?$")
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
# validation

class _Checker:
    """Validation helpers that raise InvalidFieldError with the key's line."""

    def __init__(self, path, text: str):
        self.path = path
        self.lines = key_lines(text)

    def fail(self, key: str, problem: str):
        raise InvalidFieldError(self.path, key, problem, line=line_of(self.lines, key))

    def known_keys(self, table: dict, allowed: tuple[str, ...], where: str = ""):
        for key in table:
            if key not in allowed:
                full = f"{where}.{key}" if where else key
                self.fail(full, f"unknown key (allowed: {', '.join(allowed)})")

    def required(self, table: dict, key: str, where: str = "") -> Any:
        if key not in table:
            self.fail(f"{where}.{key}" if where else key, "missing")
        return table[key]

    def text(self, value, key: str, *, allow_empty: bool = False) -> str:
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            self.fail(key, "expected a non-empty text" if not allow_empty else "expected a text")
        return value.strip()

    def ident(self, value, key: str) -> str:
        value = self.text(value, key)
        if not _ID_RE.match(value):
            self.fail(key, f"{value!r} must be lower-case letters, digits and '-'")
        return value

    def texts(self, value, key: str, *, allow_empty_list: bool = False) -> tuple[str, ...]:
        if not isinstance(value, list) or (not value and not allow_empty_list):
            self.fail(key, "expected a non-empty list of texts" if not allow_empty_list
                      else "expected a list of texts")
        return tuple(self.text(v, f"{key}[{i}]") for i, v in enumerate(value))

    def choices(self, value, key: str, allowed, *, allow_empty: bool = True) -> tuple[str, ...]:
        items = self.texts(value, key, allow_empty_list=allow_empty)
        for i, v in enumerate(items):
            if v not in allowed:
                self.fail(f"{key}[{i}]", f"{v!r} is not one of {', '.join(allowed)}")
        if len(set(items)) != len(items):
            self.fail(key, "lists a value twice")
        return items

    def boolean(self, value, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, "expected true or false")
        return value


_TOP_KEYS = ("id", "title", "title_km", "topic", "objectives", "objectives_km", "item_types",
             "specimens", "figures", "sections")
_FILTER_KEYS = ("techniques", "families", "templates", "captures", "genuine")
_FIGURE_KEYS = ("id", "kind", "caption", "caption_km", "technique", "family", "template",
                "zone", "overlay")
_SECTION_KEYS = ("heading", "heading_km", "text", "text_km", "figures")


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> int | None:
    m = re.search(r"line (\d+)", str(exc))
    return int(m.group(1)) if m else None


def parse_lesson(text: str, path: str | os.PathLike = "<lesson>") -> Lesson:
    """Validate the TOML ``text`` of a lesson; ``path`` is used in messages.

    Raises :class:`~docexam.errors.InvalidFieldError` naming the file, line
    and key of the first problem.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise InvalidFieldError(path, "TOML", msg, line=_toml_error_line(exc)) from None
    c = _Checker(path, text)
    c.known_keys(data, _TOP_KEYS)
    lesson_id = c.ident(c.required(data, "id"), "id")
    title = c.text(c.required(data, "title"), "title")
    title_km = c.text(c.required(data, "title_km"), "title_km")
    topic = c.ident(c.required(data, "topic"), "topic")
    objectives = c.texts(c.required(data, "objectives"), "objectives")
    objectives_km = c.texts(c.required(data, "objectives_km"), "objectives_km")
    if len(objectives_km) != len(objectives):
        c.fail("objectives_km", f"has {len(objectives_km)} objectives, objectives has {len(objectives)}")
    item_types = c.choices(c.required(data, "item_types"), "item_types", ITEM_TYPES, allow_empty=False)

    raw_filter = data.get("specimens", {})
    if not isinstance(raw_filter, dict):
        c.fail("specimens", "expected a table [specimens]")
    c.known_keys(raw_filter, _FILTER_KEYS, "specimens")
    spec_filter = SpecimenFilter(
        techniques=c.choices(raw_filter.get("techniques", []), "specimens.techniques", tuple(TECHNIQUES)),
        families=c.choices(raw_filter.get("families", []), "specimens.families", FAMILIES),
        templates=tuple(c.ident(v, f"specimens.templates[{i}]")
                        for i, v in enumerate(c.texts(raw_filter.get("templates", []),
                                                      "specimens.templates", allow_empty_list=True))),
        captures=c.choices(raw_filter.get("captures", []), "specimens.captures", CAPTURE_KINDS),
        genuine=c.boolean(raw_filter.get("genuine", True), "specimens.genuine"),
    )

    raw_figures = data.get("figures", [])
    if not isinstance(raw_figures, list):
        c.fail("figures", "expected [[figures]] tables")
    figures, figure_ids = [], set()
    for i, f in enumerate(raw_figures):
        where = f"figures[{i}]"
        if not isinstance(f, dict):
            c.fail(where, "expected a table")
        c.known_keys(f, _FIGURE_KEYS, where)
        fid = c.ident(c.required(f, "id", where), f"{where}.id")
        if fid in figure_ids:
            c.fail(f"{where}.id", f"duplicate figure id {fid!r}")
        figure_ids.add(fid)
        kind = c.text(c.required(f, "kind", where), f"{where}.kind")
        if kind not in FIGURE_KINDS:
            c.fail(f"{where}.kind", f"{kind!r} is not one of {', '.join(FIGURE_KINDS)}")
        tech = f.get("technique")
        if tech is not None and c.text(tech, f"{where}.technique") not in TECHNIQUES:
            c.fail(f"{where}.technique", f"{tech!r} is not a technique (see `docexam techniques`)")
        fam = f.get("family")
        if fam is not None and c.text(fam, f"{where}.family") not in FAMILIES:
            c.fail(f"{where}.family", f"{fam!r} is not one of {', '.join(FAMILIES)}")
        if tech is not None and fam is not None and TECHNIQUES[tech].family != fam:
            c.fail(f"{where}.family", f"technique {tech!r} belongs to family {TECHNIQUES[tech].family!r}")
        template = f.get("template")
        if template is not None:
            c.ident(template, f"{where}.template")
        zone = f.get("zone")
        if zone is not None:
            c.text(zone, f"{where}.zone")
        figures.append(Figure(
            id=fid, kind=kind, caption=c.text(c.required(f, "caption", where), f"{where}.caption"),
            caption_km=c.text(f.get("caption_km", ""), f"{where}.caption_km", allow_empty=True),
            technique=tech, family=fam, template=template, zone=zone,
            overlay=c.boolean(f.get("overlay", True), f"{where}.overlay"),
        ))

    raw_sections = c.required(data, "sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        c.fail("sections", "expected at least one [[sections]] table")
    sections = []
    for i, s in enumerate(raw_sections):
        where = f"sections[{i}]"
        if not isinstance(s, dict):
            c.fail(where, "expected a table")
        c.known_keys(s, _SECTION_KEYS, where)
        refs = c.texts(s.get("figures", []), f"{where}.figures", allow_empty_list=True)
        for j, ref in enumerate(refs):
            if ref not in figure_ids:
                c.fail(f"{where}.figures[{j}]", f"no figure with id {ref!r}")
        sections.append(Section(
            heading=c.text(c.required(s, "heading", where), f"{where}.heading"),
            text=c.text(c.required(s, "text", where), f"{where}.text"),
            heading_km=c.text(s.get("heading_km", ""), f"{where}.heading_km", allow_empty=True),
            text_km=c.text(s.get("text_km", ""), f"{where}.text_km", allow_empty=True),
            figures=refs,
        ))
    return Lesson(lesson_id, title, title_km, topic, objectives, objectives_km, item_types,
                  spec_filter, tuple(sections), tuple(figures), Path(path))


def load_lesson(path: str | os.PathLike) -> Lesson:
    """Read and validate one lesson file."""
    path = Path(path)
    return parse_lesson(read_text(path), path)


def load_lessons(folder: str | os.PathLike | None = None) -> list[Lesson]:
    """Read and validate every ``*.toml`` lesson in ``folder`` (default: the shipped ``lessons/``).

    Lessons are returned sorted by file name; an id used twice is refused
    (naming the second file and the line of its ``id``).
    """
    from ..paths import lessons_dir

    folder = Path(folder) if folder is not None else lessons_dir()
    if not folder.is_dir():
        raise InputFileError(folder, "lesson folder not found")
    lessons: list[Lesson] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        lesson = load_lesson(path)
        if lesson.id in seen:
            text = path.read_text(encoding="utf-8")
            raise InvalidFieldError(path, "id", f"{lesson.id!r} is already used by {seen[lesson.id].name}",
                                    line=line_of(key_lines(text), "id"))
        seen[lesson.id] = path
        lessons.append(lesson)
    return lessons


def find_lesson(lesson_id: str, lessons: list[Lesson]) -> Lesson:
    """The lesson with this id; :class:`UnknownNameError` if none."""
    for lesson in lessons:
        if lesson.id == lesson_id:
            return lesson
    raise UnknownNameError("lesson", lesson_id, [le.id for le in lessons])
