"""The shipped library's recipes, ``specimens/library/library.json``.

The library is committed as recipes, not images: each names a synthetic
template, a seed, a capture and (for a forgery) a technique and severity;
``docexam synth library`` renders them (same recipe, same bytes).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .fields import Fraction, Id, Int, OptionalText, Text, one_of
from .specimen import CAPTURE_KINDS
from .validation import Problem


class Recipe(BaseModel):
    """One specimen of the library."""

    model_config = ConfigDict(extra="allow")

    template: Id = Field(description="a synthetic template (one docexam can render)")
    seed: Int = Field(ge=0)
    capture: one_of(CAPTURE_KINDS)
    forge: Text | None = Field(None, description="a technique; absent or null: a genuine specimen")
    severity: Fraction | None = Field(None, description="0 (subtle) to 1 (blatant)")
    name: Text | None = Field(None, description="the specimen's file name (without .json)")


class LibraryFile(BaseModel):
    """``library.json``."""

    model_config = ConfigDict(extra="allow")

    description: OptionalText = ""
    specimens: list[Recipe]

    def check(self, *, templates=None, techniques=None) -> None:
        """Recipes against what can be rendered: ``templates`` and ``techniques`` by name."""
        for i, r in enumerate(self.specimens):
            if templates is not None and r.template not in templates:
                raise Problem(("specimens", i, "template"), f"{r.template!r} is not a synthetic template")
            if techniques is not None and r.forge is not None and r.forge not in techniques:
                raise Problem(("specimens", i, "forge"), f"{r.forge!r} is not a technique")
