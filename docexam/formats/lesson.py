"""Lesson files ``lessons/NAME.toml``: what a lesson teaches and which specimens its quiz draws on.

A lesson is TOML: a few keys at the top, a ``[specimens]`` table choosing
the specimens its quiz items are made from, ``[[figures]]`` pointing at
specimens and zones, and ``[[sections]]`` of text. English is required,
Khmer (``*_km``) beside it. Unknown keys are refused (a typo must not
silently become nothing); messages give the line of the key.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .fields import Bool, Id, NonEmptyList, OptionalText, Text, one_of
from .specimen import CAPTURE_KINDS, FAMILIES
from .validation import Problem

#: the quiz item types, in teaching order
ITEM_TYPES = ("verdict", "locate", "family", "technique", "light", "compare", "mrz", "same-person")
#: how a figure shows its specimen: a crop of it, or genuine and forged side by side
FIGURE_KINDS = ("crop", "side-by-side")


def _once(values: list, loc: tuple) -> None:
    if len(set(values)) != len(values):
        raise Problem(loc, "lists a value twice")


class SpecimenFilter(BaseModel):
    """``[specimens]``: which specimens the quiz draws on (empty lists: no restriction)."""

    model_config = ConfigDict(extra="forbid")

    techniques: list[Text] = Field([], description="forged specimens with an anomaly of these techniques")
    families: list[one_of(FAMILIES)] = Field([], description="... or of these families")
    templates: list[Id] = Field([], description="only these templates")
    captures: list[one_of(CAPTURE_KINDS)] = Field([], description="only these captures")
    genuine: Bool = Field(True, description="also genuine specimens (verdict and compare items)")


class Figure(BaseModel):
    """``[[figures]]``: a picture of a specimen, shown with a section."""

    model_config = ConfigDict(extra="forbid")

    id: Id
    kind: one_of(FIGURE_KINDS)
    caption: Text
    caption_km: OptionalText = ""
    technique: Text | None = Field(None, description="show a forged specimen of this technique")
    family: one_of(FAMILIES) | None = Field(None, description="... or of this family")
    template: Id | None = None
    zone: Text | None = Field(None, description="zone name or kind; default: the anomaly's zone")
    overlay: Bool = Field(True, description="draw the anomaly's box")


class Section(BaseModel):
    """``[[sections]]``: a heading and its text, with figures by id."""

    model_config = ConfigDict(extra="forbid")

    heading: Text
    heading_km: OptionalText = ""
    text: Text
    text_km: OptionalText = ""
    figures: list[Text] = Field([], description="ids of figures shown with this section")
    id: Id | None = Field(None, description="a name the app finds the section by (`after-suspect`: the "
                                            "examination desk's next steps after a suspect result)")
    features: list[Id] = Field([], description="template zones this section explains (zone kinds such as "
                                               "`microprint`, or zone names such as `uv-emblem`), shown with "
                                               "them in the reference of genuine documents")


class LessonFile(BaseModel):
    """A lesson file."""

    model_config = ConfigDict(extra="forbid")

    id: Id = Field(description="unique among the lessons")
    title: Text
    title_km: Text
    topic: Id = Field(description="groups lessons for tests and readiness")
    objectives: NonEmptyList(Text)
    objectives_km: NonEmptyList(Text) = Field(description="as many as objectives")
    item_types: NonEmptyList(one_of(ITEM_TYPES))
    specimens: SpecimenFilter = SpecimenFilter()
    figures: list[Figure] = []
    sections: NonEmptyList(Section)

    def check(self, *, techniques=None) -> None:
        """Counts, repeats and references; ``techniques`` is the catalogue (name -> its family)."""
        if len(self.objectives_km) != len(self.objectives):
            raise Problem(("objectives_km",), f"has {len(self.objectives_km)} objectives, objectives has "
                                              f"{len(self.objectives)}")
        _once(self.item_types, ("item_types",))
        for key in ("techniques", "families", "templates", "captures"):
            _once(getattr(self.specimens, key), ("specimens", key))
        if techniques is not None:
            for i, name in enumerate(self.specimens.techniques):
                if name not in techniques:
                    raise Problem(("specimens", "techniques", i), f"{name!r} is not one of {', '.join(techniques)}")
        ids = set()
        for i, f in enumerate(self.figures):
            if f.id in ids:
                raise Problem(("figures", i, "id"), f"duplicate figure id {f.id!r}")
            ids.add(f.id)
            if f.technique is not None and techniques is not None:
                if f.technique not in techniques:
                    raise Problem(("figures", i, "technique"),
                                  f"{f.technique!r} is not a technique (see `docexam techniques`)")
                if f.family is not None and techniques[f.technique].family != f.family:
                    raise Problem(("figures", i, "family"), f"technique {f.technique!r} belongs to family "
                                                            f"{techniques[f.technique].family!r}")
        names = set()
        for i, s in enumerate(self.sections):
            if s.id is not None and s.id in names:
                raise Problem(("sections", i, "id"), f"duplicate section id {s.id!r}")
            names.add(s.id)
            for j, ref in enumerate(s.figures):
                if ref not in ids:
                    raise Problem(("sections", i, "figures", j), f"no figure with id {ref!r}")
