"""What the examination learns from a template's reference, prepared once and reported to the trainer.

``docexam template add`` calls :func:`learned` so a new template is ready
(the slow parts are cached) and the trainer is told, in numbers, what the
examination will hold captures to.
"""

from __future__ import annotations

from ..specimens.model import Template
from .analyzers.fields import glyph_bank
from .analyzers.mrz_check import mrz_expected
from .analyzers.portrait import crossing_mask, reference_likeness
from .model import reference_model
from .variation import variation_for

__all__ = ["learned"]


def learned(template: Template) -> dict:
    """A summary of what the examination learned from ``template``'s reference.

    Keys: ``simulated_captures`` and ``measured`` (genuine variation:
    simulated captures, and whether further genuine images were measured),
    ``glyphs`` (the issuer's glyphs learned for the typography check),
    ``portrait_crossing_px`` (design crossing the portrait's edge, working
    pixels inside it; 0 when none), ``ghost_likeness`` (the reference's own
    portrait and ghost image, or None) and ``mrz`` (``"read"`` or ``"not read"``).
    """
    model = reference_model(template)
    variation = variation_for(model)
    portraits = template.zones_of("portrait")
    crossing = crossing_mask(model, portraits[0]) if portraits and not template.synthetic else None
    like = reference_likeness(model)
    return {
        "simulated_captures": int(len(variation.blur)),
        "measured": variation.measured is not None,
        "glyphs": int(glyph_bank(model).count),
        "portrait_crossing_px": int(crossing[1].sum()) if crossing is not None else 0,
        "ghost_likeness": None if like is None else round(float(like), 3),
        "mrz": "read" if mrz_expected(template) else "not read",
    }
