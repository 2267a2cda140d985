"""The catalogue of forgery techniques, each in exactly one family.

This is the vocabulary shared by the specimen library, the examination
pipeline and the quizzes; ``docexam techniques --json`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UnknownNameError
from ..formats.specimen import FAMILIES

__all__ = ["FAMILIES", "TECHNIQUES", "Technique", "technique"]


@dataclass(frozen=True)
class Technique:
    name: str
    family: str
    description: str
    #: light sources in which the evidence shows best, most telling first
    lights: tuple[str, ...]
    #: zone kinds the anomaly is annotated on
    zone_kinds: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"technique": self.name, "family": self.family, "description": self.description}


TECHNIQUES: dict[str, Technique] = {
    t.name: t
    for t in (
        Technique(
            "wrong-substrate", "substrate",
            "The document is printed on ordinary office paper: no security fibres, and the "
            "optical brighteners in the paper glow blue-white under UV where security paper stays dull.",
            ("uv", "visible"), ("background",),
        ),
        Technique(
            "erasure", "substrate",
            "A field was scraped or chemically washed before new data was written: the paper "
            "surface is roughened or stained, the background print is faded, and UV shows a blotch.",
            ("uv", "visible"), ("field",),
        ),
        Technique(
            "substrate-patch", "substrate",
            "A piece of foreign paper was glued in: its tint, grain and fibres differ from the "
            "surrounding page, its edges are visible, and it reacts differently under UV.",
            ("uv", "visible", "ir"), ("field", "background", "security-print"),
        ),
        Technique(
            "halftone-reproduction", "printing",
            "The page was reproduced on a colour copier or laser printer: fine continuous lines "
            "are rebuilt from a rosette of cyan, magenta, yellow and black dots.",
            ("visible",), ("security-print", "background"),
        ),
        Technique(
            "inkjet-reproduction", "printing",
            "The page was printed on an inkjet printer: scattered dither dots, ink spreading "
            "into the paper, fine lines broken or lost.",
            ("visible",), ("security-print", "background"),
        ),
        Technique(
            "missing-microprint", "printing",
            "The microprinted line, readable under a loupe on a genuine document, is a blurred "
            "or solid line: the forger could not reproduce text that small.",
            ("visible",), ("microprint",),
        ),
        Technique(
            "broken-guilloche", "printing",
            "The fine guilloche lines are interrupted, doubled or misaligned, and the smooth "
            "rainbow colour transition is missing or stepped.",
            ("visible",), ("security-print",),
        ),
        Technique(
            "photo-substitution", "personalization",
            "The holder's photo was replaced: the new portrait has cut edges, the security "
            "overprint that should cross the photo border stops at it, and the style differs from the ghost image.",
            ("visible", "uv"), ("portrait",),
        ),
        Technique(
            "data-alteration", "personalization",
            "A printed field was changed: the characters differ in font, size, baseline or "
            "spacing from the other fields, and the background under them is disturbed.",
            ("visible", "uv"), ("field",),
        ),
        Technique(
            "mrz-inconsistency", "personalization",
            "The machine-readable zone disagrees with the printed fields, or one of its check "
            "digits does not match the data it protects.",
            ("visible", "ir"), ("mrz",),
        ),
        Technique(
            "ghost-image-mismatch", "personalization",
            "The small ghost portrait does not show the same person as the main portrait, or is missing.",
            ("visible",), ("ghost-portrait",),
        ),
    )
}


def technique(name: str) -> Technique:
    """Look up a technique by name; raise :class:`UnknownNameError` if unknown."""
    try:
        return TECHNIQUES[name]
    except KeyError:
        raise UnknownNameError("technique", name, tuple(TECHNIQUES)) from None


