"""The catalogue of forgery techniques, each in exactly one family.

This is the vocabulary shared by the specimen library, the examination
pipeline and the quizzes; ``docexam techniques --json`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, Message
from ..errors import UnknownNameError
from ..formats.specimen import FAMILIES

__all__ = ["FAMILIES", "TECHNIQUES", "Technique", "technique", "VIEW_WORDS"]

#: what a genuine document's body is made of: security paper (passport data
#: pages) or a laser-engravable polycarbonate laminate (identity cards)
SUBSTRATES = ("paper", "polycarbonate")
PAPER = ("paper",)
CARD = ("polycarbonate",)
ANY = SUBSTRATES
#: the view that proves a feature one straight-on picture cannot (an unexamined feature's ``needs``),
#: in the words people read (``_()`` them)
VIEW_WORDS = {"tilt": N_("tilting"), "transmitted": N_("transmitted light"), "ir": N_("infrared light"),
              "raking": N_("raking light"), "reference": N_("the border post's specimen stamps"),
              "presenter": N_("the person presenting it")}


@dataclass(frozen=True)
class Technique:
    name: str
    family: str
    description: str
    #: light sources in which the evidence shows best, most telling first
    lights: tuple[str, ...]
    #: zone kinds the anomaly is annotated on
    zone_kinds: tuple[str, ...]
    #: genuine substrates the technique can be used on (a polycarbonate card
    #: cannot be washed or patched with paper; paper cannot be delaminated)
    substrates: tuple[str, ...] = ANY
    #: what besides one image per light it takes to see the evidence: ``traveller`` (the
    #: person presenting the document), ``tilt`` (the document turned in the light),
    #: ``raking`` (light grazing the surface); empty when one image shows it
    views: tuple[str, ...] = ()
    #: what the document must have for the technique to be possible: zone kinds
    #: (``ghost-portrait``) or security features (``kinegram``, ``watermark``, ``stamps``)
    requires: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"technique": self.name, "family": self.family, "description": self.description,
                "substrates": list(self.substrates), "views": list(self.views),
                "requires": list(self.requires)}

    def applies_to(self, substrate: str, has=None) -> bool:
        """True when the technique can happen on a document of ``substrate`` that has ``has``
        (zone kinds and features; None: not checked).

        >>> TECHNIQUES["erasure"].applies_to("polycarbonate")
        False
        >>> TECHNIQUES["flat-foil"].applies_to("paper", {"portrait", "mrz"})
        False
        """
        if substrate not in self.substrates:
            return False
        if has is None or not self.requires:
            return True
        return any(r in has for r in self.requires)

    @property
    def single_image(self) -> bool:
        """True when one image of the document (per light) can show the evidence."""
        return not self.views


TECHNIQUES: dict[str, Technique] = {
    t.name: t
    for t in (
        Technique(
            "wrong-substrate", "substrate",
            "The document is printed on ordinary office paper: no security fibres, and the "
            "optical brighteners in the paper glow blue-white under UV where security paper stays dull.",
            ("uv", "visible"), ("background",), PAPER,
        ),
        Technique(
            "erasure", "substrate",
            "A field was scraped or chemically washed before new data was written: the paper "
            "surface is roughened or stained, the background print is faded, and UV shows a blotch.",
            ("uv", "visible"), ("field", "mrz"), PAPER,
        ),
        Technique(
            "substrate-patch", "substrate",
            "A piece of foreign paper was glued in: its tint, grain and fibres differ from the "
            "surrounding page, its edges are visible, and it reacts differently under UV.",
            ("uv", "visible", "ir"), ("field", "mrz", "background", "security-print"), PAPER,
        ),
        Technique(
            "halftone-reproduction", "printing",
            "The page was reproduced on a colour copier or laser printer: fine continuous lines "
            "are rebuilt from a rosette of cyan, magenta, yellow and black dots (150-200 lines per inch, "
            "seen under a loupe), and UV features are missing.",
            ("visible", "ir", "uv"), ("security-print", "background"), PAPER,
        ),
        Technique(
            "inkjet-reproduction", "printing",
            "The page was printed on an inkjet printer: scattered dither dots, ink spreading "
            "into the paper, fine lines broken or lost.",
            ("visible", "ir", "uv"), ("security-print", "background"), PAPER,
        ),
        Technique(
            "missing-microprint", "printing",
            "The microprinted line, readable under a loupe on a genuine document, is a blurred "
            "or solid line: the forger could not reproduce text that small (every microprinted line shows it).",
            ("visible",), ("microprint",), ANY,
        ),
        Technique(
            "broken-guilloche", "printing",
            "The fine guilloche lines are interrupted, doubled or misaligned, and the smooth "
            "rainbow colour transition is missing or stepped, where the forger reprinted the background.",
            ("visible",), ("security-print",), PAPER,
        ),
        Technique(
            "photo-substitution", "personalization",
            "The holder's photo was replaced: the new portrait has cut edges, the security "
            "overprint that should cross the photo border stops at it, and the style differs from the ghost image.",
            ("visible", "uv"), ("portrait",), PAPER,
        ),
        Technique(
            "data-alteration", "personalization",
            "A printed field was changed: the characters differ in font, size, baseline or "
            "spacing from the other fields, and the background under them is disturbed.",
            ("visible", "uv"), ("field", "mrz"), PAPER,
        ),
        Technique(
            "mrz-inconsistency", "personalization",
            "The machine-readable zone disagrees with the printed fields, or one of its check "
            "digits does not match the data it protects.",
            ("visible", "ir"), ("mrz",), ANY,
        ),
        Technique(
            "ghost-image-mismatch", "personalization",
            "The small ghost portrait does not show the same person as the main portrait, or is missing.",
            ("visible",), ("ghost-portrait",), ANY, requires=("ghost-portrait",),
        ),
        Technique(
            "counterfeit-card", "substrate",
            "A counterfeit card printed on PVC or Teslin instead of a polycarbonate laminate: the photo is a "
            "colour print made of dither dots where the genuine card has a greyscale laser engraving, the "
            "engraving has no tactile relief, in IR the photo fades away, and under UV the card body glows "
            "or the UV print is missing or the wrong colour.",
            ("ir", "visible", "uv"), ("background", "portrait"), CARD,
        ),
        Technique(
            "re-engraving", "personalization",
            "Laser-engraved data was scratched or sanded off the card surface and new data engraved: the "
            "surface around the characters is scuffed and matt with fine scratches, the security print "
            "under them is worn, traces of the old characters remain, and the new ones differ in darkness, "
            "stroke and position.",
            ("visible", "ir", "uv"), ("field", "mrz"), CARD,
        ),
        Technique(
            "delamination", "substrate",
            "The card's layers were split open and laminated again, usually to put another photo under the "
            "top film: an edge lifts, air bubbles and glue show, and the top film's printing no longer lines "
            "up with the printing underneath.",
            ("visible", "uv"), ("portrait", "background", "security-print"), CARD,
        ),
        Technique(
            "impostor", "personalization",
            "A genuine document presented by someone else who looks like its holder: the document "
            "is flawless, but the face at the counter differs from the portrait in what does not "
            "change with time or style (the shape of the face, eyes, nose, ears, brows, moles).",
            ("visible",), ("portrait",), views=("traveller",),
        ),
        Technique(
            "flat-foil", "printing",
            "A kinegram or colour-shifting ink was imitated with plain shiny foil: silver at every "
            "angle, without the moving colours and switching elements of a diffractive device. "
            "Only tilting the document shows it.",
            ("visible",), ("security-print", "emblem"), ANY, views=("tilt",),
            requires=("kinegram", "colour-shift"),
        ),
        Technique(
            "printed-ovd", "printing",
            "A kinegram or colour-shifting ink was imitated in ordinary printing ink: the straight-on "
            "colours, no shine, no change when tilted, ink dots under a loupe.",
            ("visible", "uv"), ("security-print", "emblem"), ANY, views=("tilt",),
            requires=("kinegram", "colour-shift"),
        ),
        Technique(
            "printed-watermark", "substrate",
            "A watermark printed on the surface of paper that has none: it shows in reflected light, "
            "and against a lamp it is only darker, never lighter; the security thread is missing.",
            ("transmitted", "visible"), ("background",), PAPER, requires=("watermark",),
        ),
        Technique(
            "stolen-blank", "personalization",
            "A genuine blank card, stolen before issue, personalised with an inkjet or thermal card "
            "printer where the issuer laser-engraves: the dye photo fades in IR, dots under a loupe, "
            "a flat or raised ribbon print instead of engraved relief in raking light.",
            ("ir", "visible"), ("portrait",), CARD, views=("raking",),
        ),
        Technique(
            "counterfeit-stamp", "personalization",
            "An entry or exit stamp made by a forger: its typeface, size, date format or ink differ "
            "from the border post's genuine stamp.",
            ("visible", "uv"), ("background",), PAPER, requires=("stamps",),
        ),
        Technique(
            "stamp-date-contradiction", "personalization",
            "Stamp dates that cannot all be true: an exit before the entry, a stay longer than the "
            "visa allows, an entry before the visa was valid, or days missing at one land border.",
            ("visible",), ("background",), PAPER, requires=("stamps",),
        ),
        Technique(
            "page-substitution", "substrate",
            "A page taken from another booklet: wrong page number, another (or no) perforated passport "
            "number, background print that does not continue across the fold, no matching watermark.",
            ("transmitted", "visible", "uv"), ("background",), PAPER, requires=("page",),
        ),
        Technique(
            "counterfeit-visa", "printing",
            "A visa sticker printed on an office printer: dots under a loupe, the whole sticker "
            "glows under UV and its UV emblem is missing.",
            ("uv", "visible"), ("background",), PAPER, requires=("visa-sticker",),
        ),
    )
}


def technique(name: str) -> Technique:
    """Look up a technique by name; raise :class:`UnknownNameError` if unknown."""
    try:
        return TECHNIQUES[name]
    except KeyError:
        raise UnknownNameError(Message("technique"), name, tuple(TECHNIQUES)) from None


