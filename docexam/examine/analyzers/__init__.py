"""One analyzer per family of forgery techniques.

Each analyzer is a pure function ``analyze(ctx) -> (evidence, notes)`` over
the shared measurements of :class:`~docexam.examine.analyzers.common.Context`
(aligned images, conformity maps, reference model); it never modifies them.
"""

from . import design, personalization, printing, substrate

__all__ = ["substrate", "printing", "personalization", "design", "ANALYZERS"]

ANALYZERS = {"substrate": substrate.analyze, "printing": printing.analyze,
             "personalization": personalization.analyze, "design": design.analyze}
