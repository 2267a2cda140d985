"""Personalization: the holder's portrait, ghost image, data fields and MRZ.

The checks live in their own modules; this one runs them:

* :mod:`.portrait`: the design through or across the portrait, the ghost image;
* :mod:`.fields`: baseline and size (known font), typography against the
  document's other fields (any font);
* :mod:`.mrz_check`: the MRZ read where the template says it is, its check
  digits, its agreement with the printed fields.
"""

from __future__ import annotations

from .common import Context
from .fields import analyze_fields, has_field_font, viz_agreement, viz_texts
from .mrz_check import analyze_mrz, names_readable, read_mrz_at_layout, reading_aligned
from .portrait import analyze_portrait

__all__ = ["analyze", "read_mrz_at_layout", "reading_aligned", "names_readable"]

_UNREAD = object()


def analyze(ctx: Context, *, mrz_reading=_UNREAD):
    """Evidence and notes of the personalization checks.

    ``mrz_reading`` is :func:`read_mrz_at_layout`'s result when the pipeline
    has read the MRZ already (it runs alongside the page comparison); without
    it the MRZ is read here.
    """
    evidence, notes = analyze_portrait(ctx)
    for ev, nt in (analyze_fields(ctx),):
        evidence += ev
        notes += nt
    read = read_mrz_at_layout(ctx.images["visible"], ctx.homography, ctx.template) if mrz_reading is _UNREAD \
        else mrz_reading
    ev, nt = analyze_mrz(ctx, read, field_font=has_field_font(ctx.template), viz_texts=viz_texts,
                         viz_agreement=viz_agreement)
    return evidence + ev, notes + nt
